/* cpython.h - the few CPython C-API functions hpyapi needs beyond HPy.
 *
 * Converting handles between context families goes through PyObject*, so
 * it needs to drop references; wrapping an exporter's import error needs
 * exception chaining, which HPy 0.9 lacks.  CPython-ABI and hybrid builds
 * include Python.h.  Universal builds may not, so they declare these
 * functions weak: on CPython the interpreter exports them; elsewhere they
 * are NULL and hpyapi reports that instead of failing to load.
 */
#ifndef HPYAPI_RUNTIME_CPYTHON_H
#define HPYAPI_RUNTIME_CPYTHON_H

#ifdef HPY_ABI_UNIVERSAL
#define HPYAPI_WEAK __attribute__((weak))
extern void Py_DecRef(cpy_PyObject *) HPYAPI_WEAK;
extern void PyErr_Fetch(cpy_PyObject **, cpy_PyObject **,
                        cpy_PyObject **) HPYAPI_WEAK;
extern void PyErr_NormalizeException(cpy_PyObject **, cpy_PyObject **,
                                     cpy_PyObject **) HPYAPI_WEAK;
extern void PyErr_Restore(cpy_PyObject *, cpy_PyObject *,
                          cpy_PyObject *) HPYAPI_WEAK;
extern void PyException_SetCause(cpy_PyObject *, cpy_PyObject *) HPYAPI_WEAK;
extern void PyException_SetContext(cpy_PyObject *,
                                   cpy_PyObject *) HPYAPI_WEAK;
extern cpy_PyObject *PyObject_Str(cpy_PyObject *) HPYAPI_WEAK;
extern cpy_PyObject *PyObject_GetAttrString(cpy_PyObject *,
                                            const char *) HPYAPI_WEAK;
extern const char *PyUnicode_AsUTF8(cpy_PyObject *) HPYAPI_WEAK;
extern void PyErr_Clear(void) HPYAPI_WEAK;
extern int PyException_SetTraceback(cpy_PyObject *, cpy_PyObject *) HPYAPI_WEAK;
extern void Py_IncRef(cpy_PyObject *) HPYAPI_WEAK;
extern void PyErr_SetString(cpy_PyObject *, const char *) HPYAPI_WEAK;
extern cpy_PyObject *PyExc_RuntimeError HPYAPI_WEAK;
#define HPYAPI_PY_RUNTIME_ERROR(msg)                                           \
    ((PyErr_SetString && &PyExc_RuntimeError)                                  \
         ? PyErr_SetString(PyExc_RuntimeError, (msg))                          \
         : (void)0)
#define HPYAPI_HAVE_DECREF() (Py_DecRef != NULL)
#define HPYAPI_HAVE_CHAINING()                                                 \
    (PyErr_Fetch && PyErr_NormalizeException && PyErr_Restore &&               \
     PyException_SetCause && PyException_SetContext && PyObject_Str &&         \
     PyObject_GetAttrString && PyUnicode_AsUTF8 && PyErr_Clear &&           \
     PyException_SetTraceback && Py_IncRef && Py_DecRef)
#define HPYAPI_PY_DECREF(o) Py_DecRef(o)
#define HPYAPI_PY_XDECREF(o) ((o) ? Py_DecRef(o) : (void)0)
#else
#define HPYAPI_HAVE_DECREF() 1
#define HPYAPI_HAVE_CHAINING() 1
#define HPYAPI_PY_DECREF(o) Py_DECREF(o)
#define HPYAPI_PY_XDECREF(o) Py_XDECREF(o)
#define HPYAPI_PY_RUNTIME_ERROR(msg) PyErr_SetString(PyExc_RuntimeError, (msg))
#endif

/* PyObject* <-> handle in a context of this file's own ABI. */
#ifdef HPY_ABI_CPYTHON
#define EXP_FROM_PY(ctx, o) HPy_FromPyObject((ctx), (o))
#define EXP_AS_PY(ctx, h) HPy_AsPyObject((ctx), (h))
#else
#define EXP_FROM_PY(ctx, o) ((ctx)->ctx_FromPyObject((ctx), (o)))
#define EXP_AS_PY(ctx, h) ((ctx)->ctx_AsPyObject((ctx), (h)))
#endif

#endif /* HPYAPI_RUNTIME_CPYTHON_H */
