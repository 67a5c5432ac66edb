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
