/* enter.c - running code in a context of the exporter's family that is
 * valid now.
 *
 * A debug exporter is always entered through its own
 * ctx_CallRealFunctionFromTrampoline: that is the only way to get a debug
 * context that is valid right now (see HPY_FACTS.md: the stored root is
 * marked invalid whenever any debug function is running).  Every other
 * family's stored context is always valid.
 */
#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"

typedef struct {
    void (*fn)(HPyContext *ctx, void *arg);
    void *arg;
} enter_args;

#ifndef HPY_ABI_CPYTHON
static HPy debug_entry_shim(HPyContext *ctx, HPy self, void *closure)
{
    (void)self;
    enter_args *e = (enter_args *)closure;
    e->fn(ctx, e->arg);
    return HPy_NULL;
}
#endif

/* Runs fn(ctx, arg) with a valid context of the exporter's family.  For a
 * debug exporter that context (and every handle fn opens in it) exists
 * only for the duration of this call. */
HPYAPI_INTERNAL void _HPyAPI_Enter(HPyAPI_Token *tok,
                                   void (*fn)(HPyContext *ctx, void *arg),
                                   void *arg)
{
#ifndef HPY_ABI_CPYTHON
    if (tok->kind == HPYAPI_KIND_DEBUG) {
        enter_args e = {fn, arg};
        _HPyFunc_args_GETTER a = {NULL, &e, NULL};
        _HPy_CallRealFunctionFromTrampoline(
            tok->ctx, HPyFunc_GETTER,
            (HPyCFunction)(void (*)(void))debug_entry_shim, &a);
        return;
    }
#endif
    fn(tok->ctx, arg);
}
