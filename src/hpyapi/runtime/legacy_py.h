/* legacy_py.h - reference counting and PyObject* <-> handle in the
 * consumer's own context, for legacy.c and legacy_hooks.c (the consumer's
 * HPy ABI decides how: Python.h, or the weak symbols of cpython.h). */
#ifndef HPYAPI_RUNTIME_LEGACY_PY_H
#define HPYAPI_RUNTIME_LEGACY_PY_H

#ifdef HPY_ABI_CPYTHON
#define HAVE_REFCOUNTS() 1
#define PY_INCREF(o) Py_XINCREF((PyObject *)(o))
#define PY_DECREF(o) Py_DECREF((PyObject *)(o))
#define CTX_AS_PY(ctx, h) ((struct _object *)HPy_AsPyObject((ctx), (h)))
#define CTX_FROM_PY(ctx, o) HPy_FromPyObject((ctx), (PyObject *)(o))
#else
#define HAVE_REFCOUNTS() (HPYAPI_HAVE_DECREF() && Py_IncRef != NULL)
#define PY_INCREF(o) Py_IncRef((cpy_PyObject *)(void *)(o))
#define PY_DECREF(o) Py_DecRef((cpy_PyObject *)(void *)(o))
#define CTX_AS_PY(ctx, h) ((struct _object *)(void *)(ctx)->ctx_AsPyObject((ctx), (h)))
#define CTX_FROM_PY(ctx, o)                                                    \
    ((ctx)->ctx_FromPyObject((ctx), (cpy_PyObject *)(void *)(o)))
#endif

#endif /* HPYAPI_RUNTIME_LEGACY_PY_H */
