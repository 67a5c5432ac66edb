/* constcons_capi.c - a C-API consumer of constapi (no qualifiers) */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define CONST_SPELLING 0
#include "constapi.h"

static const constapi_CAPI *api;

static PyObject *setup(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    if (name == NULL || (api = HPyAPI_ImportCAPI(constapi, name)) == NULL)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *run(PyObject *self, PyObject *args)
{
    PyObject *o, *items;
    int k;
    double f;
    Py_ssize_t i;
    (void)self;
    if (!PyArg_ParseTuple(args, "OidOn", &o, &k, &f, &items, &i))
        return NULL;
    long s = api->Scale(o, k, f);
    if (s == -1 && PyErr_Occurred())
        return NULL;
    PyObject *xs[3] = {PyTuple_GetItem(items, 0), PyTuple_GetItem(items, 1),
                       PyTuple_GetItem(items, 2)};
    PyObject *picked = api->Pick(xs, 3, i);
    if (picked == NULL)
        return NULL;
    PyObject *r = Py_BuildValue("lOs", s, picked, api->Word(1, "xyz"));
    Py_DECREF(picked);
    return r;
}

static PyMethodDef methods[] = {{"setup", setup, METH_O, NULL},
                                {"run", run, METH_VARARGS, NULL},
                                {NULL, NULL, 0, NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "constcons_capi",
                                    NULL, -1, methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_constcons_capi(void) { return PyModule_Create(&moddef); }
