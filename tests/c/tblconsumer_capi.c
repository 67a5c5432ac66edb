/* tblconsumer_capi.c - a plain C-API consumer of tblapi: the same Python
 * interface as tblconsumer.c, through TblFuncs_CAPI (PyObject *, no
 * context). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "tblapi.h"

HPyAPI_USE_CAPI_DEFINE(tblapi, TBLAPI, "tblexporter");
static TblFuncs_CAPI *tab;

static int have_table(void)
{
    if (tab == NULL)
        PyErr_SetString(PyExc_RuntimeError, "get_funcs() first");
    return tab != NULL;
}

static PyObject *get_funcs(PyObject *self, PyObject *which)
{
    (void)self;
    long w = PyLong_AsLong(which);
    if (w == -1 && PyErr_Occurred())
        return NULL;
    TblFuncs_CAPI *t = tblapi_capi->Tbl_GetFuncs((int)w);
    if (t == NULL)
        return NULL;
    tab = t;
    return PyLong_FromSsize_t((Py_ssize_t)(intptr_t)t);
}

static PyObject *get_bad(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    TblBad_CAPI *b = tblapi_capi->Tbl_GetBad();
    return b == NULL ? NULL : PyLong_FromLong(b->n);
}

static PyObject *t_getitem(PyObject *self, PyObject *ih)
{
    (void)self;
    long i = PyLong_AsLong(ih);
    if ((i == -1 && PyErr_Occurred()) || !have_table())
        return NULL;
    return tab->getitem(&i, NULL);
}

static PyObject *t_setitem(PyObject *self, PyObject *args)
{
    (void)self;
    long i;
    PyObject *v;
    if (!PyArg_ParseTuple(args, "lO", &i, &v) || !have_table())
        return NULL;
    int rc = tab->setitem(v, &i, NULL);
    return rc < 0 ? NULL : PyLong_FromLong(rc);
}

static PyObject *t_sort(PyObject *self, PyObject *args)
{
    (void)self;
    long k, n, v[16];
    PyObject *items;
    if (!PyArg_ParseTuple(args, "llO", &k, &n, &items) || !have_table())
        return NULL;
    Py_ssize_t len = PySequence_Length(items);
    if (k < 0 || k > 2 || len < 0 || len > 16) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "t_sort(k, n, items)");
        return NULL;
    }
    if (tab->sort[k] == NULL)
        Py_RETURN_NONE;
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *x = PySequence_GetItem(items, i);
        v[i] = x ? PyLong_AsLong(x) : -1;
        Py_XDECREF(x);
    }
    if (PyErr_Occurred() || tab->sort[k](v, n, NULL) < 0)
        return NULL;
    PyObject *l = PyList_New(len);
    for (Py_ssize_t i = 0; l != NULL && i < len; i++)
        PyList_SET_ITEM(l, i, PyLong_FromLong(v[i]));
    return l;
}

static PyObject *t_combine(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b) || !have_table())
        return NULL;
    return tab->combine(a, b);
}

static PyObject *t_fields(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    if (!have_table())
        return NULL;
    return Py_BuildValue("Oi", tab->castdict == NULL ? Py_True : Py_False,
                         tab->elsize);
}

static PyObject *twice(PyObject *self, PyObject *x)
{
    (void)self;
    long v = PyLong_AsLong(x);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(tblapi_capi->Tbl_Twice((int)v));
}

static PyObject *setup(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    const tblapi_CAPI *t = name ? HPyAPI_ImportCAPI(tblapi, name) : NULL;
    if (t == NULL)
        return NULL;
    tblapi_capi = t;
    tab = NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"get_funcs", get_funcs, METH_O, NULL},
    {"get_bad", get_bad, METH_NOARGS, NULL},
    {"t_getitem", t_getitem, METH_O, NULL},
    {"t_setitem", t_setitem, METH_VARARGS, NULL},
    {"t_sort", t_sort, METH_VARARGS, NULL},
    {"t_combine", t_combine, METH_VARARGS, NULL},
    {"t_fields", t_fields, METH_NOARGS, NULL},
    {"twice", twice, METH_O, NULL},
    {"setup", setup, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "tblconsumer_capi",
                                    NULL, 0, methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_tblconsumer_capi(void) { return PyModule_Create(&moddef); }
