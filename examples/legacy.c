/* legacy.c - a plain C-API extension (built with setuptools ext_modules, no
 * HPy) that calls myarray's API through its CPython-API table: PyObject *
 * arguments are borrowed, PyObject * results are new references. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "myarray_api.h"

/* myarray_capi: stubs that raise until import_myarray() succeeds */
HPyAPI_USE_CAPI_DEFINE(myarray, MYARRAY_API, "myarray");

static PyObject *from_list(PyObject *self, PyObject *seq)
{
    (void)self;
    PyObject *fast = PySequence_Fast(seq, "from_list() needs a sequence");
    if (fast == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    double *data = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(double));
    for (Py_ssize_t i = 0; data != NULL && i < n; i++)
        data[i] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(fast, i));
    Py_DECREF(fast);
    if (data == NULL)
        return PyErr_NoMemory();
    PyObject *a = PyErr_Occurred() ? NULL : myarray_capi->Array_FromDoubles(data, n);
    PyMem_Free(data);
    return a;
}

/* a new array, scaled so that its elements sum to 1 */
static PyObject *normalized(PyObject *self, PyObject *a)
{
    (void)self;
    Py_ssize_t n = myarray_capi->Array_Length(a);
    if (n < 0)
        return NULL;
    double total = myarray_capi->Array_Sum(&a, 1);
    if (total == -1.0 && PyErr_Occurred())
        return NULL;
    PyObject *r = myarray_capi->Array_New(n, 0.0);
    for (Py_ssize_t i = 0; r != NULL && i < n; i++) {
        double v = myarray_capi->Array_GetItem(a, i);
        if ((v == -1.0 && PyErr_Occurred()) ||
            myarray_capi->Array_SetItem(r, i, total ? v / total : 0.0) < 0)
            Py_CLEAR(r);
    }
    return r;
}

static PyObject *array_type(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return myarray_capi->ArrayType(); /* a new reference */
}

static PyMethodDef methods[] = {
    {"from_list", from_list, METH_O, "a myarray.Array from a list of floats"},
    {"normalized", normalized, METH_O, "a copy that sums to 1"},
    {"array_type", array_type, METH_NOARGS, "myarray's exported type"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef moddef = {
    PyModuleDef_HEAD_INIT, "legacy",
    "hpyapi example: a C-API extension using myarray's C API", -1, methods,
    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_legacy(void)
{
    if (import_myarray() < 0) /* ImportError says what is wrong */
        return NULL;
    return PyModule_Create(&moddef);
}
