/* capi_consumer.c - a plain C-API extension (no HPy build) calling testapi
 * through its CPython-API table: PyObject * in, new references out. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "testapi.h"

/* `testapi_capi` raises until import_testapi() ran (tests register the
 * exporter as "testapi_exporter" for that); `api` is set by setup(). */
HPyAPI_USE_CAPI_DEFINE(testapi, TESTAPI, "testapi_exporter");
static const testapi_CAPI *api;

static PyObject *setup(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    if (name == NULL)
        return NULL;
    const testapi_CAPI *t = HPyAPI_ImportCAPI(testapi, name);
    if (t == NULL)
        return NULL;
    api = t;
    Py_RETURN_NONE;
}

static PyObject *do_import(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    if (import_testapi() < 0)
        return NULL;
    return PyLong_FromVoidPtr((void *)testapi_capi);
}

static PyObject *early_add(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    (void)self;
    if (!PyArg_ParseTuple(args, "OO", &a, &b))
        return NULL;
    return testapi_capi->Add(a, b);
}

static PyObject *add(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    (void)self;
    if (!PyArg_ParseTuple(args, "OO", &a, &b))
        return NULL;
    return api->Add(a, b);
}

static PyObject *as_long(PyObject *self, PyObject *a)
{
    (void)self;
    long v = api->AsLong(a);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(v);
}

static PyObject *sum_list(PyObject *self, PyObject *seq)
{
    (void)self;
    PyObject *fast = PySequence_Fast(seq, "a sequence");
    if (fast == NULL)
        return NULL;
    PyObject *r = api->SumList(PySequence_Fast_ITEMS(fast),
                               PySequence_Fast_GET_SIZE(fast));
    Py_DECREF(fast);
    return r;
}

static PyObject *scale(PyObject *self, PyObject *args)
{
    double x;
    int k;
    (void)self;
    if (!PyArg_ParseTuple(args, "di", &x, &k))
        return NULL;
    double r = api->Scale(x, k);
    if (r == -1.0 && PyErr_Occurred())
        return NULL;
    return PyFloat_FromDouble(r);
}

static PyObject *callback(PyObject *self, PyObject *args)
{
    PyObject *fn, *arg;
    (void)self;
    if (!PyArg_ParseTuple(args, "OO", &fn, &arg))
        return NULL;
    return api->CallBack(fn, arg);
}

static PyObject *raise_(PyObject *self, PyObject *args)
{
    PyObject *type;
    const char *msg;
    (void)self;
    if (!PyArg_ParseTuple(args, "Os", &type, &msg))
        return NULL;
    int r = api->Raise(type, msg);
    return r == -1 ? NULL : PyLong_FromLong(r);
}

static PyObject *null_result(PyObject *self, PyObject *flag)
{
    (void)self;
    PyObject *r = api->NullResult((int)PyLong_AsLong(flag));
    if (r != NULL || PyErr_Occurred())
        return r;
    return PyUnicode_FromString("NULL, no error");
}

static PyObject *store(PyObject *self, PyObject *obj)
{
    (void)self;
    api->Store(obj);
    if (PyErr_Occurred()) /* a void entry fails only this way */
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *load(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return api->Load();
}

static PyObject *identity(PyObject *self, PyObject *a)
{
    (void)self;
    return api->Identity(a);
}

static PyObject *exporter_ctx_name(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    const char *name = api->CtxName();
    return name ? PyUnicode_FromString(name) : NULL;
}

static PyObject *pick(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    int which;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOi", &a, &b, &which))
        return NULL;
    return api->Pick(a == Py_None ? NULL : a, b == Py_None ? NULL : b, which);
}

static PyObject *concat(PyObject *self, PyObject *args)
{
    PyObject *sep, *seq, *tail;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOO", &sep, &seq, &tail))
        return NULL;
    PyObject *fast = PySequence_Fast(seq, "a sequence");
    if (fast == NULL)
        return NULL;
    PyObject *r = api->Concat(sep, PySequence_Fast_ITEMS(fast),
                              PySequence_Fast_GET_SIZE(fast), tail);
    Py_DECREF(fast);
    return r;
}

static PyObject *set_hooks(PyObject *self, PyObject *args)
{
    int index, set, clear;
    (void)self;
    if (!PyArg_ParseTuple(args, "iii", &index, &set, &clear))
        return NULL;
    return PyLong_FromLong(HPyAPI_SetHooks(api, index, (uint32_t)set,
                                           (uint32_t)clear));
}

/* What the matrix tests call ctx_name: this caller has no context. */
static PyObject *ctx_name(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyUnicode_FromString("CPython C-API (no context)");
}

static PyObject *sum_list_bad(PyObject *self, PyObject *length)
{
    (void)self;
    long n = PyLong_AsLong(length);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    return api->SumList(NULL, n);
}

static PyObject *thing(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return api->Thing();
}

static PyObject *old_entry(PyObject *self, PyObject *a)
{
    (void)self;
    int r = api->OldEntry__retired(a);
    return r == -1 && PyErr_Occurred() ? NULL : PyLong_FromLong(r);
}

#include "outcalls_capi.h"
#include "formscalls_capi.h"

static PyMethodDef methods[] = {
    OUTCALLS_METHODS
    FORMSCALLS_METHODS
    {"setup", setup, METH_O, NULL},
    {"do_import", do_import, METH_NOARGS, NULL},
    {"early_add", early_add, METH_VARARGS, NULL},
    {"add", add, METH_VARARGS, NULL},
    {"as_long", as_long, METH_O, NULL},
    {"sum_list", sum_list, METH_O, NULL},
    {"scale", scale, METH_VARARGS, NULL},
    {"callback", callback, METH_VARARGS, NULL},
    {"raise_", raise_, METH_VARARGS, NULL},
    {"null_result", null_result, METH_O, NULL},
    {"store", store, METH_O, NULL},
    {"load", load, METH_NOARGS, NULL},
    {"identity", identity, METH_O, NULL},
    {"exporter_ctx_name", exporter_ctx_name, METH_NOARGS, NULL},
    {"pick", pick, METH_VARARGS, NULL},
    {"concat", concat, METH_VARARGS, NULL},
    {"thing", thing, METH_NOARGS, NULL},
    {"ctx_name", ctx_name, METH_NOARGS, NULL},
    {"set_hooks", set_hooks, METH_VARARGS, NULL},
    {"sum_list_bad", sum_list_bad, METH_O, NULL},
    {"old_entry", old_entry, METH_O, NULL},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "capi_consumer",
                                    "plain C-API consumer of testapi", -1,
                                    methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_capi_consumer(void) { return PyModule_Create(&moddef); }
