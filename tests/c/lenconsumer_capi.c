/* lenconsumer_capi.c - a plain C-API consumer of lenapi: the arrays are
 * PyObject *const * (read) and PyObject ** (filled), no length argument. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "lenapi.h"

static const lenapi_CAPI *api;

static PyObject *setup(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    if (name == NULL || (api = HPyAPI_ImportCAPI(lenapi, name)) == NULL)
        return NULL;
    Py_RETURN_NONE;
}

/* the items of a tuple or list, borrowed (maybe NULL when there are
   none); *fast NULL if not a sequence or longer than 64 */
static PyObject **items_of(PyObject *seq, PyObject **fast)
{
    *fast = PySequence_Fast(seq, "a sequence");
    if (*fast != NULL && PySequence_Fast_GET_SIZE(*fast) > 64) {
        Py_CLEAR(*fast);
        PyErr_SetString(PyExc_ValueError, "at most 64 items");
    }
    return *fast != NULL ? PySequence_Fast_ITEMS(*fast) : NULL;
}

static PyObject *len_three(PyObject *self, PyObject *seq)
{
    (void)self;
    PyObject *fast, **items = items_of(seq, &fast);
    if (fast == NULL)
        return NULL;
    if (PySequence_Fast_GET_SIZE(fast) < 3) {
        Py_DECREF(fast);
        PyErr_SetString(PyExc_ValueError, "too few items");
        return NULL;
    }
    PyObject *r = api->Len_Three(items);
    Py_DECREF(fast);
    return r;
}

static PyObject *len_split3(PyObject *self, PyObject *seq)
{
    (void)self;
    PyObject *out[3] = {NULL, NULL, NULL};
    if (api->Len_Split3(seq, out) < 0)
        return NULL;
    return Py_BuildValue("[NNN]", out[0], out[1], out[2]);
}

static PyObject *len_resolve(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *seq, *out[64] = {NULL};
    int nin, nout;
    if (!PyArg_ParseTuple(args, "Oii", &seq, &nin, &nout))
        return NULL;
    PyObject *fast, **items = items_of(seq, &fast);
    if (fast == NULL)
        return NULL;
    if (nin >= 0 && nout >= 0 && nin + nout > PySequence_Fast_GET_SIZE(fast)) {
        Py_DECREF(fast);
        PyErr_SetString(PyExc_ValueError, "too few dtypes");
        return NULL;
    }
    int r = api->Len_Resolve(nin, nout, items, out);
    Py_DECREF(fast);
    PyObject *lst = PyList_New(0);
    for (int i = 0; i < 64; i++) {
        if (out[i] != NULL && lst != NULL && PyList_Append(lst, out[i]) < 0)
            Py_CLEAR(lst);
        Py_XDECREF(out[i]);
    }
    if (r < 0 || lst == NULL) {
        Py_XDECREF(lst);
        return NULL;
    }
    return Py_BuildValue("iN", r, lst);
}

static PyObject *len_pairs(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *seq;
    int n;
    if (!PyArg_ParseTuple(args, "Oi", &seq, &n))
        return NULL;
    PyObject *fast, **items = items_of(seq, &fast);
    if (fast == NULL)
        return NULL;
    if (n < 0 || 2 * n > PySequence_Fast_GET_SIZE(fast)) {
        Py_DECREF(fast);
        PyErr_SetString(PyExc_ValueError, "too few items");
        return NULL;
    }
    PyObject *r = api->Len_Pairs(items, (unsigned char)n);
    Py_DECREF(fast);
    return r;
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_O, NULL},
    {"len_three", len_three, METH_O, NULL},
    {"len_split3", len_split3, METH_O, NULL},
    {"len_resolve", len_resolve, METH_VARARGS, NULL},
    {"len_pairs", len_pairs, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "lenconsumer_capi",
                                    NULL, -1, methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_lenconsumer_capi(void) { return PyModule_Create(&moddef); }
