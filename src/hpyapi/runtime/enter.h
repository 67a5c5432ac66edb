/* enter.h - the inline part of enter.c: entering a debug exporter.
 *
 * Inline because transform.c's direct path enters a debug exporter on
 * every call, and a call into enter.c for what is three stores and HPy's
 * own call cost as much again.  Include after hpy.h.
 */
#ifndef HPYAPI_RUNTIME_ENTER_H
#define HPYAPI_RUNTIME_ENTER_H

/* Runs fn(ctx, h0, arg) in a fresh valid context of the debug exporter
 * whose stored context is `ectx`, through its own
 * ctx_CallRealFunctionFromTrampoline, the only way to get one (see
 * enter.c): h0 is a handle HPy opens for obj0 (NULL gives HPy_NULL) and
 * closes afterwards, exactly as for a getter called from Python.  Returns
 * fn's result as a new PyObject* reference (NULL for HPy_NULL, and when
 * HPy found no context to run fn in: then an exception is set). */
static inline cpy_PyObject *_HPyAPI_EnterDebug(HPyContext *ectx,
                                               HPy (*fn)(HPyContext *ctx,
                                                         HPy h0, void *arg),
                                               cpy_PyObject *obj0, void *arg)
{
#ifndef HPY_ABI_CPYTHON
    _HPyFunc_args_GETTER a = {obj0, arg, NULL};
    _HPy_CallRealFunctionFromTrampoline(
        ectx, HPyFunc_GETTER, (HPyCFunction)(void (*)(void))fn, &a);
    return a.result;
#else /* a CPython-ABI exporter is never a debug one */
    (void)ectx, (void)fn, (void)obj0, (void)arg;
    return NULL;
#endif
}

#endif /* HPYAPI_RUNTIME_ENTER_H */
