/* capi_hostile.c - hostile.c for a plain C-API consumer: the same calls
 * through the CPython-API table (test_hostile_calls.py). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "testapi.h"

static const testapi_CAPI *api;

typedef PyObject *fz_obj; /* OBJ must be one token: "OBJ a, b;" */
#define OBJ fz_obj
#define NULL_OBJ NULL
#define IS_NULL(o) ((o) == NULL)
#define MAKE_INT(v) PyLong_FromLong(v)
#define MAKE_STR(s) PyUnicode_FromString(s)
#define AS_LONG(o) PyLong_AsLong(o)
#define CLOSE(o) Py_XDECREF(o)
#define ERR_EXPECTED()                                                         \
    (PyErr_ExceptionMatches(PyExc_ValueError) ||                               \
     PyErr_ExceptionMatches(PyExc_MemoryError))
#define ERR_CLEAR() PyErr_Clear()
#define CALL_SUM(arr, n) api->SumList((arr), (Py_ssize_t)(n))
#define CALL_CONCAT(sep, arr, n, tail)                                         \
    api->Concat((sep), (arr), (Py_ssize_t)(n), (tail))
#define CALL_IDENTITY(o) api->Identity(o)
#define CALL_PICK(a, b, w) api->Pick((a), (b), (w))
#include "callfuzz.h"

static PyObject *setup(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    if (name == NULL)
        return NULL;
    api = HPyAPI_ImportCAPI(testapi, name);
    if (api == NULL)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *sum_huge(PyObject *self, PyObject *n)
{
    (void)self;
    Py_ssize_t len = PyLong_AsSsize_t(n);
    if (len == -1 && PyErr_Occurred())
        return NULL;
    PyObject *one = PyLong_FromLong(1);
    PyObject *r = one ? api->SumList(&one, len) : NULL;
    Py_XDECREF(one);
    return r;
}

static PyObject *concat_huge(PyObject *self, PyObject *n)
{
    (void)self;
    Py_ssize_t len = PyLong_AsSsize_t(n);
    if (len == -1 && PyErr_Occurred())
        return NULL;
    PyObject *s = PyUnicode_FromString("s");
    PyObject *r = s ? api->Concat(s, &s, len, s) : NULL;
    Py_XDECREF(s);
    return r;
}

static PyObject *fuzz(PyObject *self, PyObject *args)
{
    (void)self;
    long long seed, n;
    int flags;
    if (!PyArg_ParseTuple(args, "LLi", &seed, &n, &flags))
        return NULL;
    long counts[2] = {0, 0};
    char why[256];
    if (fuzz_calls((uint64_t)seed, (long)n, flags, counts, why,
                   sizeof why) < 0) {
        PyErr_SetString(PyExc_RuntimeError, why);
        return NULL;
    }
    return Py_BuildValue("ll", counts[0], counts[1]);
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_O, NULL},
    {"sum_huge", sum_huge, METH_O, NULL},
    {"concat_huge", concat_huge, METH_O, NULL},
    {"fuzz", fuzz, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "capi_hostile",
                                    "hostile calls from plain C-API code", -1,
                                    methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_capi_hostile(void) { return PyModule_Create(&moddef); }
