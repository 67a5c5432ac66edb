/* call.c - where every trampoline's slow path enters the runtime.
 *
 * Finds the caller's kind and the entry's exporter, then either the hooks
 * (hooks.c), which wrap the call, or the call itself (transform.c).
 */
#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"

static int call_kind(HPyContext *ctx, uint32_t kind, HPyAPI_Token *tok,
                     const HPyAPI_EntryDesc *d, void *frame, const void *pc)
{
    if (_HPyAPI_EntryHooked(tok, d->index))
        return _HPyAPI_HookedCall(ctx, kind, tok, d, frame, pc);
    return _HPyAPI_Dispatch(ctx, kind, tok, d, frame);
}

HPYAPI_INTERNAL int _HPyAPI_Call(HPyContext *ctx, const HPyAPI_Route *r,
                                 const HPyAPI_EntryDesc *d, void *frame,
                                 const void *caller_pc)
{
    uint32_t kind = _HPyAPI_KindOf(ctx);
    if (r->tok == NULL) {
        _HPyAPI_RaiseUnbound(ctx, kind, d->index);
        return -1;
    }
    return call_kind(ctx, kind, r->tok, d, frame, caller_pc);
}

HPYAPI_INTERNAL int _HPyAPI_CallC(const HPyAPI_Route *r,
                                  const HPyAPI_EntryDesc *d, void *frame,
                                  const void *caller_pc)
{
    if (r->tok == NULL) {
        _HPyAPI_RaiseUnbound(NULL, HPYAPI_KIND_CAPI, d->index);
        return -1;
    }
    return call_kind(NULL, HPYAPI_KIND_CAPI, r->tok, d, frame, caller_pc);
}
