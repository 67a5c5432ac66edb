/* cbconsumer_capi.c - a plain C-API consumer of cbapi: its callbacks take
 * borrowed PyObject* and return new references. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "cbapi.h"

static const cbapi_CAPI *api;
static PyObject *registered, *stashed;
static int kept_token, stash_token;

static PyObject *map_cb(PyObject *item, long i, void *ud)
{
    return PyObject_CallFunction((PyObject *)ud, "Ol", item, i);
}

static long sum_cb(long i, void *ud)
{
    PyObject *r = PyObject_CallFunction((PyObject *)ud, "l", i);
    if (r == NULL)
        return -1;
    long v = PyLong_AsLong(r);
    Py_DECREF(r);
    return v;
}

static PyObject *one_cb(PyObject *arg, void *ud)
{
    return PyObject_CallOneArg((PyObject *)ud, arg);
}

static PyObject *global_cb(PyObject *arg, void *ud)
{
    return PyObject_CallOneArg(ud == &kept_token ? registered : stashed, arg);
}

static void each_cb(PyObject *item, PyObject *extra, void *ud)
{
    Py_XDECREF(PyObject_CallFunction((PyObject *)ud, "OO", item, extra));
}

static const cb_visit_CAPI each_cb_typed = each_cb;

static long nullary_cb(void *ud)
{
    PyObject *r = PyObject_CallNoArgs((PyObject *)ud);
    if (r == NULL)
        return -1;
    long v = PyLong_AsLong(r);
    Py_DECREF(r);
    return v;
}

static PyObject *setup(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    if (name == NULL || (api = HPyAPI_ImportCAPI(cbapi, name)) == NULL)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *bad_contexts(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyLong_FromLong(0); /* no contexts here */
}

static PyObject *cb_map(PyObject *self, PyObject *args)
{
    PyObject *seq, *func;
    (void)self;
    if (!PyArg_ParseTuple(args, "OO", &seq, &func))
        return NULL;
    return api->Cb_Map(seq, map_cb, func);
}

static PyObject *cb_sum(PyObject *self, PyObject *args)
{
    long n;
    PyObject *func;
    (void)self;
    if (!PyArg_ParseTuple(args, "lO", &n, &func))
        return NULL;
    long r = api->Cb_Sum(n, sum_cb, func);
    if (r == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(r);
}

static PyObject *keep(PyObject **slot, PyObject *func)
{
    Py_INCREF(func);
    Py_XSETREF(*slot, func);
    return func;
}

static PyObject *cb_register(PyObject *self, PyObject *func)
{
    (void)self;
    keep(&registered, func);
    if (api->Cb_Register(global_cb, &kept_token) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *cb_fire(PyObject *self, PyObject *arg)
{
    (void)self;
    return api->Cb_Fire(arg);
}

static PyObject *cb_each(PyObject *self, PyObject *args)
{
    PyObject *seq, *func, *extra;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOO", &seq, &func, &extra))
        return NULL;
    int r = api->Cb_Each(seq, each_cb_typed, func, extra);
    if (r < 0)
        return NULL;
    return PyLong_FromLong(r);
}

static PyObject *cb_stash(PyObject *self, PyObject *func)
{
    (void)self;
    keep(&stashed, func);
    if (api->Cb_Stash(global_cb, &stash_token) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *cb_nullary(PyObject *self, PyObject *func)
{
    (void)self;
    long r = api->Cb_Nullary(nullary_cb, func);
    if (r == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(r);
}

static PyObject *cb_two(PyObject *self, PyObject *args)
{
    PyObject *f, *g, *x;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOO", &f, &g, &x))
        return NULL;
    return api->Cb_Two(one_cb, f, one_cb, g, x);
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_O, NULL},
    {"bad_contexts", bad_contexts, METH_NOARGS, NULL},
    {"cb_map", cb_map, METH_VARARGS, NULL},
    {"cb_sum", cb_sum, METH_VARARGS, NULL},
    {"cb_register", cb_register, METH_O, NULL},
    {"cb_fire", cb_fire, METH_O, NULL},
    {"cb_each", cb_each, METH_VARARGS, NULL},
    {"cb_stash", cb_stash, METH_O, NULL},
    {"cb_nullary", cb_nullary, METH_O, NULL},
    {"cb_two", cb_two, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "cbconsumer_capi",
                                    NULL, -1, methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_cbconsumer_capi(void) { return PyModule_Create(&moddef); }
