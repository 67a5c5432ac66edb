/* routes.c - which callers a trampoline takes straight through.
 *
 * The one answer to "which route for this caller": each entry's
 * HPyAPI_Route, computed here from the exporter's family when it is bound
 * and whenever the entry's hooks change, and only read on the call path
 * (so calls write no shared memory, and any number of consumer modules of
 * any families may interleave).  By the exporter's family:
 *
 *   exporter    own (caller's ctx)  shared (our ctx)  rebase (+delta)
 *   cpython     cpython             -                 universal, trace: -1
 *   universal   universal           trace             cpython: +1
 *   trace       trace               universal         cpython: +1
 *   debug       debug               -                 -
 *
 * Any CPython-ABI context serves a CPython-ABI exporter; universal and
 * trace handles are alike; two debug modules share handles and a debug
 * caller's context is valid while it calls.  Between a debug side and an
 * offset side, `direct` is learned per entry and caller kind by the slow
 * path's first such call (transform.c), and cleared here.  Rebasing needs the plus-one
 * encoding checked (convert.c), which a CPython-ABI exporter learns from
 * its first universal caller; transform.c refreshes its routes then.
 * Every other pair goes through the slow path (transform.c).
 */
#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"

HPYAPI_INTERNAL uint32_t _HPyAPI_KindOf(HPyContext *ctx)
{
    uint32_t k = _HPyAPI_KindOfWord(_HPyAPI_CtxWord(ctx));
    return k != HPYAPI_KIND_UNKNOWN ? k : _HPyAPI_KindOfName(ctx->name);
}

static void set_route(HPyAPI_Token *tok, HPyAPI_Route *r, int hooked)
{
    uint32_t ek = tok->kind;
    r->tok = tok;
    r->ctx = tok->ctx;
    r->own = r->shared = r->rebase1 = r->rebase2 = HPYAPI_NO_ROUTE;
    r->delta = 0;
    r->coffset = -1;
    for (uint32_t k = 0; k <= HPYAPI_KIND_CAPI; k++)
        r->direct[k] = HPYAPI_NO_DIRECT;
    if (hooked || tok->ctx == NULL)
        return;
    r->own = _HPyAPI_FamilyWord(ek);
    r->coffset = tok->coffset;
    if (ek == HPYAPI_KIND_UNIVERSAL)
        r->shared = _HPyAPI_FamilyWord(HPYAPI_KIND_TRACE);
    else if (ek == HPYAPI_KIND_TRACE)
        r->shared = _HPyAPI_FamilyWord(HPYAPI_KIND_UNIVERSAL);
    if (ek == HPYAPI_KIND_CPYTHON && _HPyAPI_UniversalOffset() == 1) {
        r->rebase1 = _HPyAPI_FamilyWord(HPYAPI_KIND_UNIVERSAL);
        r->rebase2 = _HPyAPI_FamilyWord(HPYAPI_KIND_TRACE);
        r->delta = -1;
    } else if ((ek == HPYAPI_KIND_UNIVERSAL || ek == HPYAPI_KIND_TRACE) &&
               tok->coffset == 1) {
        r->rebase1 = _HPyAPI_FamilyWord(HPYAPI_KIND_CPYTHON);
        r->delta = 1;
    }
}

/* The fast paths of entry i are on exactly when it has no hook. */
HPYAPI_INTERNAL void _HPyAPI_RefreshFastPaths(HPyAPI_Token *tok)
{
    for (uint32_t i = 0; i < tok->n_entries; i++)
        set_route(tok, tok->routes[i], _HPyAPI_EntryHooked(tok, i));
}

/* Records the context the module was loaded with.  Loading the same file
 * again in another mode re-runs HPy_mod_exec and so rebinds. */
HPYAPI_INTERNAL void _HPyAPI_Bind(HPyAPI_Token *tok, HPyContext *load_ctx)
{
    tok->ctx = load_ctx;
    tok->kind = _HPyAPI_KindOf(load_ctx);
    tok->coffset = _HPyAPI_DirectOffset(load_ctx, tok->kind);
    _HPyAPI_RefreshFastPaths(tok);
}
