/* fnconsumer_capi.c - a plain C-API consumer of fnapi: the same Python
 * interface as fnconsumer.c, with C-API slot functions (PyObject *). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#include "fnapi.h"

HPyAPI_USE_CAPI_DEFINE(fnapi, FNAPI, "fnexporter");
static PyObject *pyfuncs; /* key -> a Python function */

static PyObject *cast_with(const char *key, PyObject *value, long n)
{
    PyObject *f = PyDict_GetItemString(pyfuncs, key); /* borrowed */
    if (f == NULL) {
        PyErr_SetString(PyExc_KeyError, key);
        return NULL;
    }
    return PyObject_CallFunction(f, "Ol", value, n);
}
static PyObject *cast_a(PyObject *v, long n) { return cast_with("a", v, n); }
static PyObject *cast_b(PyObject *v, long n) { return cast_with("b", v, n); }
static PyObject *loop(PyObject *v, long n) { return cast_with("loop", v, n); }

static int translate(int nin, PyObject *given)
{
    PyObject *f = PyDict_GetItemString(pyfuncs, "given");
    PyObject *r = f ? PyObject_CallFunction(f, "iO", nin, given) : NULL;
    if (r == NULL)
        return -1;
    long v = PyLong_AsLong(r);
    Py_DECREF(r);
    return (int)v;
}

static int translator(int nin, int nout, PyObject *const *given,
                      PyObject **loop_descrs)
{
    PyObject *f = PyDict_GetItemString(pyfuncs, "tr");
    PyObject *g = PyTuple_New(nin + nout);
    for (int i = 0; g != NULL && i < nin + nout; i++) {
        Py_INCREF(given[i]);
        PyTuple_SET_ITEM(g, i, given[i]);
    }
    PyObject *r = f && g ? PyObject_CallFunction(f, "iiO", nin, nout, g) : NULL;
    Py_XDECREF(g);
    if (r == NULL)
        return -1;
    for (int i = 0; i < nin + nout; i++)
        loop_descrs[i] = PySequence_GetItem(r, i); /* new references */
    Py_DECREF(r);
    return 0;
}

static PyObject *add_translator(PyObject *self, PyObject *args)
{
    (void)self;
    int nin, nout;
    PyObject *f;
    if (!PyArg_ParseTuple(args, "iiO", &nin, &nout, &f) ||
        PyDict_SetItemString(pyfuncs, "tr", f) < 0)
        return NULL;
    int rc = fnapi_capi->Fn_AddTranslator(nin, nout, translator);
    return rc < 0 ? NULL : PyLong_FromLong(rc);
}

#define FN_MANY(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) \
    X(11) X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19)
#define FN_DEF(i)                                                              \
    static PyObject *many##i(PyObject *value)                                  \
    {                                                                          \
        Py_INCREF(value);                                                      \
        return value;                                                          \
    }
FN_MANY(FN_DEF)
#define FN_REF(i) many##i,
static const fn_many_CAPI many[] = {FN_MANY(FN_REF)};

static PyObject *register_cast(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *descr, *which, *f;
    int t;
    if (!PyArg_ParseTuple(args, "OiOO", &descr, &t, &which, &f))
        return NULL;
    fn_cast_CAPI fn = NULL;
    if (which != Py_None) {
        const char *w = PyUnicode_AsUTF8(which);
        if (w == NULL || PyDict_SetItem(pyfuncs, which, f) < 0)
            return NULL;
        fn = strcmp(w, "a") == 0 ? cast_a : cast_b;
    }
    int rc = fnapi_capi->Fn_RegisterCast(descr, t, fn);
    return rc < 0 ? NULL : PyLong_FromLong(rc);
}

static PyObject *add_wrapping(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *ufunc, *given, *lp;
    if (!PyArg_ParseTuple(args, "OOO", &ufunc, &given, &lp) ||
        PyDict_SetItemString(pyfuncs, "given", given) < 0 ||
        PyDict_SetItemString(pyfuncs, "loop", lp) < 0)
        return NULL;
    int rc = fnapi_capi->Fn_AddWrapping(ufunc, translate, loop);
    return rc == -1 && PyErr_Occurred() ? NULL : PyLong_FromLong(rc);
}

static PyObject *keep_many(PyObject *self, PyObject *ih)
{
    (void)self;
    long i = PyLong_AsLong(ih);
    if (i < 0 || i >= 20) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_IndexError, "keep_many: 0..19");
        return NULL;
    }
    int rc = fnapi_capi->Fn_Keep((int)i, many[i]);
    return rc < 0 ? NULL : PyLong_FromLong(rc);
}

static PyObject *setup(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    const fnapi_CAPI *t = name ? HPyAPI_ImportCAPI(fnapi, name) : NULL;
    if (t == NULL)
        return NULL;
    fnapi_capi = t;
    Py_RETURN_NONE;
}

static PyObject *zero(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyLong_FromLong(0);
}

static PyMethodDef methods[] = {
    {"register_cast", register_cast, METH_VARARGS, NULL},
    {"add_wrapping", add_wrapping, METH_VARARGS, NULL},
    {"keep_many", keep_many, METH_O, NULL},
    {"add_translator", add_translator, METH_VARARGS, NULL},
    {"setup", setup, METH_O, NULL},
    {"bad_contexts", zero, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "fnconsumer_capi",
                                    NULL, 0, methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_fnconsumer_capi(void)
{
    pyfuncs = PyDict_New();
    return pyfuncs ? PyModule_Create(&moddef) : NULL;
}
