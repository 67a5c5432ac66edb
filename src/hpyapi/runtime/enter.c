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

typedef struct {
    void (*fn)(HPyContext *ctx, void *arg);
    void *arg;
} enter_args;

/* _HPyFunc_args_GETTER, spelled here so that CPython-ABI builds (which
 * enter a debug consumer's callbacks) have it too */
typedef struct {
    cpy_PyObject *self;
    void *closure;
    cpy_PyObject *result;
} getter_args;

static HPy debug_entry_shim(HPyContext *ctx, HPy self, void *closure)
{
    (void)self;
    enter_args *e = (enter_args *)closure;
    e->fn(ctx, e->arg);
    return hfrom(0); /* HPy_NULL in every ABI */
}

/* Runs fn(ctx, arg) with a fresh valid context of the debug family that
 * `dctx` belongs to (any of its contexts will do: they share the function
 * table).  That context, and every handle fn opens in it, exists only for
 * the duration of this call.  Reads dctx through the universal layout, so
 * it works whatever ABI this file is compiled for. */
HPYAPI_INTERNAL void _HPyAPI_EnterDebug(HPyContext *dctx,
                                        void (*fn)(HPyContext *ctx, void *arg),
                                        void *arg)
{
    enter_args e = {fn, arg};
    getter_args a = {NULL, &e, NULL};
    union {
        HPy (*shim)(HPyContext *, HPy, void *);
        HPyCFunction f;
    } shim = {debug_entry_shim};
    UCTX(dctx)->ctx_CallRealFunctionFromTrampoline(dctx, HPyFunc_GETTER,
                                                   shim.f, &a);
}

/* Runs fn(ctx, arg) with a valid context of the exporter's family. */
HPYAPI_INTERNAL void _HPyAPI_Enter(HPyAPI_Token *tok,
                                   void (*fn)(HPyContext *ctx, void *arg),
                                   void *arg)
{
    if (tok->kind == HPYAPI_KIND_DEBUG)
        _HPyAPI_EnterDebug(tok->ctx, fn, arg);
    else
        fn(tok->ctx, arg);
}
