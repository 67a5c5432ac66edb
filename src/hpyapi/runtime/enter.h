/* enter.h - the inline part of enter.c: entering a debug-mode side.
 *
 * Inline because transform.c's direct path enters a debug exporter on
 * every call, and a call into enter.c for what is three stores and HPy's
 * own call cost as much again.  Include after hpy.h and uctx.h.
 */
#ifndef HPYAPI_RUNTIME_ENTER_H
#define HPYAPI_RUNTIME_ENTER_H

/* _HPyFunc_args_GETTER, spelled here so that CPython-ABI builds (which
 * enter a debug consumer to run its callbacks) have it too */
typedef struct {
    cpy_PyObject *arg0;
    void *arg1;
    cpy_PyObject *result;
} hpyapi_getter_args;

/* Runs fn(ctx, h0, arg) in a fresh valid context of the debug family of
 * `dctx` (any of its contexts: they share the function table), through
 * its ctx_CallRealFunctionFromTrampoline, the only way to get one (see
 * enter.c): h0 is a handle HPy opens for obj0 (NULL gives HPy_NULL) and
 * closes afterwards, exactly as for a getter called from Python.  Returns
 * fn's result as a new PyObject* reference (NULL for HPy_NULL, and when
 * HPy found no context to run fn in: then an exception is set).  Reads
 * dctx through the universal layout, so any ABI may call it. */
static inline cpy_PyObject *_HPyAPI_EnterDebug(HPyContext *dctx,
                                               HPy (*fn)(HPyContext *ctx,
                                                         HPy h0, void *arg),
                                               cpy_PyObject *obj0, void *arg)
{
    hpyapi_getter_args a = {obj0, arg, NULL};
    union {
        HPy (*fn)(HPyContext *, HPy, void *);
        HPyCFunction f;
    } u = {fn};
    UCTX(dctx)->ctx_CallRealFunctionFromTrampoline(dctx, HPyFunc_GETTER, u.f,
                                                   &a);
    return a.result;
}

#endif /* HPYAPI_RUNTIME_ENTER_H */
