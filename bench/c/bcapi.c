/* bcapi.c - the benchmark loops of a plain C-API caller. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "benchapi.h"

static const benchapi_CAPI *api;
static volatile long sink;

static PyObject *setup(PyObject *self, PyObject *exporter)
{
    (void)self;
    PyObject *name = PyObject_GetAttrString(exporter, "__name__");
    api = name ? HPyAPI_ImportCAPI(benchapi, PyUnicode_AsUTF8(name)) : NULL;
    Py_XDECREF(name);
    if (api == NULL)
        return NULL;
    Py_RETURN_NONE;
}

static long long loop_trivial(int how, long n, PyObject *a, PyObject *fn)
{
    long long t0 = bench_now_ns();
    long acc = 0;
    if (how == BENCH_TABLE) {
        for (long i = 0; i < n; i++)
            acc += api->Trivial(a);
    } else {
        for (long i = 0; i < n; i++) {
            PyObject *r = PyObject_Vectorcall(fn, &a, 1, NULL);
            if (r == NULL)
                return -1;
            Py_DECREF(r);
            acc++;
        }
    }
    sink = acc;
    return bench_now_ns() - t0;
}

#define SUM_LOOP(call)                                                         \
    for (long i = 0; i < n; i++) {                                             \
        PyObject *r = call;                                                    \
        if (r == NULL)                                                         \
            return -1;                                                         \
        Py_DECREF(r);                                                          \
    }

static long long loop_sum(int how, long n, PyObject *const *items,
                          PyObject *fn)
{
    long long t0 = bench_now_ns();
    if (how == BENCH_TABLE) {
        SUM_LOOP(api->Sum(items, BENCH_N_ITEMS))
    } else {
        SUM_LOOP(PyObject_Vectorcall(fn, items, BENCH_N_ITEMS, NULL))
    }
    return bench_now_ns() - t0;
}

static PyObject *run(PyObject *self, PyObject *args)
{
    int how, what;
    long n;
    PyObject *tup, *fn;
    const char *label;
    (void)self;
    if (!PyArg_ParseTuple(args, "iilO!Os", &how, &what, &n, &PyTuple_Type,
                          &tup, &fn, &label))
        return NULL;
    PyObject *const *items = &PyTuple_GET_ITEM(tup, 0);
    BENCH_CG_START();
    long long ns = what == BENCH_TRIVIAL ? loop_trivial(how, n, items[0], fn)
                                         : loop_sum(how, n, items, fn);
    BENCH_CG_STOP(label);
    return ns < 0 ? NULL : PyLong_FromLongLong(ns);
}

static PyMethodDef methods[] = {{"setup", setup, METH_O, NULL},
                                {"run", run, METH_VARARGS, NULL},
                                {NULL, NULL, 0, NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "bcapi", NULL, -1,
                                    methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_bcapi(void) { return PyModule_Create(&moddef); }
