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
    return HPy_NULL;
}

/* Runs fn(ctx, arg) with a valid context of the exporter's family.  For a
 * debug exporter that context (and every handle fn opens in it) exists
 * only for the duration of this call. */
HPYAPI_INTERNAL void _HPyAPI_Enter(HPyAPI_Token *tok,
                                   void (*fn)(HPyContext *ctx, void *arg),
                                   void *arg)
{
    if (tok->kind == HPYAPI_KIND_DEBUG) {
        enter_args e = {fn, arg};
        _HPyAPI_EnterDebug(tok->ctx, debug_entry_shim, NULL, &e);
        return;
    }
    fn(tok->ctx, arg);
}
