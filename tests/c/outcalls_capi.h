/* outcalls_capi.h - the C-API test consumer's calls of outapi (included by
 * capi_consumer.c): out arguments are PyObject **. */
#include "outapi.h"

static const outapi_CAPI *ocapi;

static PyObject *setup_out(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    if (name == NULL || (ocapi = HPyAPI_ImportCAPI(outapi, name)) == NULL)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *out_parse(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *obj, *marker;
    if (!PyArg_ParseTuple(args, "OO", &obj, &marker))
        return NULL;
    PyObject *out = marker; /* borrowed: must still be there on failure */
    int r = ocapi->Out_Parse(obj, &out);
    if (r == 0) {
        if (out != marker) {
            Py_DECREF(out);
            PyErr_SetString(PyExc_AssertionError, "written on error");
        }
        return NULL;
    }
    if (out == marker)
        return Py_BuildValue("is", r, "untouched");
    return Py_BuildValue("iN", r, out);
}

static PyObject *out_split(PyObject *self, PyObject *seq)
{
    (void)self;
    PyObject *first = NULL, *rest = NULL;
    if (ocapi->Out_Split(seq, &first, &rest) < 0) {
        if (first != NULL || rest != NULL)
            PyErr_SetString(PyExc_AssertionError, "written on error");
        return NULL;
    }
    return Py_BuildValue("NN", first, rest);
}

static PyObject *out_fill(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *seq;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "On", &seq, &n) || n < 0 || n > 64)
        return NULL;
    PyObject *items[64] = {NULL};
    Py_ssize_t got = ocapi->Out_Fill(seq, items, n);
    PyObject *lst = PyList_New(n);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!items[i]) { /* not Py_NewRef: 3.10+, the suite runs on 3.9 */
            items[i] = Py_None;
            Py_INCREF(Py_None);
        }
        PyList_SET_ITEM(lst, i, items[i]);
    }
    if (got < 0) {
        Py_DECREF(lst);
        return NULL;
    }
    return Py_BuildValue("nN", got, lst);
}

static PyObject *out_both(PyObject *self, PyObject *a)
{
    (void)self;
    PyObject *out = NULL;
    PyObject *r = ocapi->Out_Both(a, &out);
    if (r == NULL)
        return NULL;
    return Py_BuildValue("NN", r, out);
}
#define OUTCALLS_METHODS                                                       \
    {"setup_out", setup_out, METH_O, NULL},                                    \
    {"out_parse", out_parse, METH_VARARGS, NULL},                              \
    {"out_split", out_split, METH_O, NULL},                                    \
    {"out_fill", out_fill, METH_VARARGS, NULL},                                \
    {"out_both", out_both, METH_O, NULL},
