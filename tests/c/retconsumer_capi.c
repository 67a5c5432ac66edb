/* retconsumer_capi.c - a plain C-API consumer of retapi: NumPy's
 * PyObject **(*)(PyObject *, int *), freed with HPyAPI_FreeObjects. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "retapi.h"

static const retapi_CAPI *api;

static PyObject *setup(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    if (name == NULL || (api = HPyAPI_ImportCAPI(retapi, name)) == NULL)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *as_list(PyObject **arr, Py_ssize_t n)
{
    if (arr == NULL)
        return NULL;
    PyObject *lst = PyList_New(0);
    for (Py_ssize_t i = 0; i < n && lst != NULL; i++)
        if (PyList_Append(lst, arr[i]) < 0)
            Py_CLEAR(lst);
    HPyAPI_FreeObjects(arr, n);
    return lst;
}

static PyObject *ret_items(PyObject *self, PyObject *seq)
{
    (void)self;
    int n = -1;
    /* NumPy's PyArray_ConvertToCommonType has this type */
    PyObject **(*items)(PyObject *, int *) = api->Ret_Items;
    PyObject **arr = items(seq, &n);
    return as_list(arr, n);
}

static PyObject *ret_twice(PyObject *self, PyObject *a)
{
    (void)self;
    return as_list(api->Ret_Twice(a), 2);
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_O, NULL},
    {"ret_items", ret_items, METH_O, NULL},
    {"ret_twice", ret_twice, METH_O, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "retconsumer_capi",
                                    NULL, -1, methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_retconsumer_capi(void) { return PyModule_Create(&moddef); }
