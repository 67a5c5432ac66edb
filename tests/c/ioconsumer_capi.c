/* ioconsumer_capi.c - a plain C-API consumer of ioapi: an in-out object
 * is NumPy's PyObject **op, a reference the caller owns. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "ioapi.h"

static const ioapi_CAPI *api;

static PyObject *setup(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    if (name == NULL || (api = HPyAPI_ImportCAPI(ioapi, name)) == NULL)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *report(int r, PyObject *h, PyObject *before)
{
    if (r == -1 && PyErr_Occurred()) {
        if (h != before)
            PyErr_SetString(PyExc_AssertionError, "replaced on error");
        Py_XDECREF(h);
        return NULL;
    }
    PyObject *res = Py_BuildValue("iOs", r, h ? h : Py_None,
                                  h == before ? "same" : "new");
    Py_XDECREF(h);
    return res;
}

static PyObject *io_convert(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *obj;
    int how;
    if (!PyArg_ParseTuple(args, "Oi", &obj, &how))
        return NULL;
    PyObject *h = obj == Py_None ? NULL : obj;
    Py_XINCREF(h);
    PyObject *before = h;
    int r = api->Io_Convert(&h, how);
    return report(r, h, before);
}

static PyObject *io_nullptr(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyLong_FromLong(api->Io_Convert(NULL, IO_WRAP));
}

static PyObject *io_swap(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b))
        return NULL;
    Py_INCREF(a);
    Py_INCREF(b);
    int r = api->Io_Swap(&a, &b);
    PyObject *res = r < 0 ? NULL : Py_BuildValue("OO", a, b);
    Py_DECREF(a);
    Py_DECREF(b);
    return res;
}

static PyObject *io_both(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *x, *op, *out = NULL;
    if (!PyArg_ParseTuple(args, "OO", &x, &op))
        return NULL;
    Py_INCREF(op);
    PyObject *r = api->Io_Both(x, &op, &out);
    PyObject *res = r == NULL ? NULL : Py_BuildValue("OOO", r, op, out);
    Py_XDECREF(r);
    Py_DECREF(op);
    Py_XDECREF(out);
    return res;
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_O, NULL},
    {"io_convert", io_convert, METH_VARARGS, NULL},
    {"io_nullptr", io_nullptr, METH_NOARGS, NULL},
    {"io_swap", io_swap, METH_VARARGS, NULL},
    {"io_both", io_both, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "ioconsumer_capi",
                                    NULL, -1, methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_ioconsumer_capi(void) { return PyModule_Create(&moddef); }
