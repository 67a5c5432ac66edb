/* enter.c - running code in a context of a family that is valid now.
 *
 * A debug-mode side (an exporter, or a consumer whose callback runs) is
 * always entered through its context's ctx_CallRealFunctionFromTrampoline:
 * that is the only way to get a debug context that is valid right now (see
 * HPY_FACTS.md: a stored debug context is marked invalid whenever any
 * debug function is running).  Every other family's stored context is
 * always valid.
 */
#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"
#include "uctx.h"
#include "enter.h"

typedef struct {
    void (*fn)(HPyContext *ctx, void *arg);
    void *arg;
} enter_args;

static HPy debug_entry_shim(HPyContext *ctx, HPy h0, void *closure)
{
    (void)h0; /* HPy_NULL: nothing to open */
    enter_args *e = (enter_args *)closure;
    e->fn(ctx, e->arg);
    return hfrom(0); /* HPy_NULL in every ABI */
}

/* Runs fn(ctx, arg) with a fresh valid context of the debug family of
 * `dctx`; that context, and every handle fn opens in it, exists only for
 * the duration of this call. */
HPYAPI_INTERNAL void _HPyAPI_EnterDebugFn(HPyContext *dctx,
                                          void (*fn)(HPyContext *ctx,
                                                     void *arg),
                                          void *arg)
{
    enter_args e = {fn, arg};
    (void)_HPyAPI_EnterDebug(dctx, debug_entry_shim, NULL, &e);
}

/* Runs fn(ctx, arg) with a valid context of the exporter's family. */
HPYAPI_INTERNAL void _HPyAPI_Enter(HPyAPI_Token *tok,
                                   void (*fn)(HPyContext *ctx, void *arg),
                                   void *arg)
{
    if (tok->kind == HPYAPI_KIND_DEBUG)
        _HPyAPI_EnterDebugFn(tok->ctx, fn, arg);
    else
        fn(tok->ctx, arg);
}

/* ---- the context this module's code is called with --------------------------
 * In universal and hybrid builds, HPy's _ctx_for_trampolines: what every
 * call from CPython into the module receives.  The switch for tests
 * (hpyapi.testing, HPYAPI_TEST_PRIVATE_CONTEXTS=1) gives a universal or
 * trace module a private instance first, as a VM with one context per
 * extension would: a copy of its context (same function table, same
 * handles), installed as HPy's own HPyInitGlobalContext_<name> does,
 * once, the first time the module exports or imports an API (inside its
 * HPy_mod_exec, so every later call into it receives the copy).  The copy
 * lives as long as the process: the module's code may run until exit. */
#if !defined(HPY_ABI_CPYTHON)
#include <stdlib.h>
#include <string.h>

/* weak: a module built with HPY_EMBEDDED_MODULES keeps it static, and
   then its code is called with the context HPy_mod_exec received */
#pragma weak _ctx_for_trampolines

static HPyContext *private_copy;

HPYAPI_INTERNAL HPyContext *_HPyAPI_ModuleCtx(HPyContext *ctx)
{
    if (&_ctx_for_trampolines == NULL || _ctx_for_trampolines == NULL)
        return ctx;
    HPyContext *mine = _ctx_for_trampolines;
    const char *env = getenv("HPYAPI_TEST_PRIVATE_CONTEXTS");
    if (mine == private_copy || env == NULL || strcmp(env, "1") != 0)
        return mine;
    uint32_t kind = _HPyAPI_KindOf(mine);
    if (kind != HPYAPI_KIND_UNIVERSAL && kind != HPYAPI_KIND_TRACE)
        return mine; /* debug: contexts are per call, not per module */
    HPyContext *copy = (HPyContext *)malloc(sizeof *copy);
    if (copy == NULL)
        return mine;
    memcpy(copy, mine, sizeof *copy);
    _ctx_for_trampolines = copy;
    private_copy = copy;
    return copy;
}
#else
HPYAPI_INTERNAL HPyContext *_HPyAPI_ModuleCtx(HPyContext *ctx)
{
    return ctx; /* any CPython-ABI context serves: they are stateless */
}
#endif
