/* bnpyc.c - bnpy.c's loops in a plain C-API extension calling NumPy's
 * C-API directly (numpy's own headers and import_array): the baseline the
 * legacy bridge is measured against. */
#define PY_SSIZE_T_CLEAN
#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
#include <Python.h>
#include <time.h>
#include <numpy/arrayobject.h>
#include "benchapi.h"

static volatile long sink;

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long long loop_size(int how, long n, PyObject *a, PyObject *name)
{
    long long t0 = now_ns();
    long acc = 0;
    if (how == BENCH_TABLE) {
        for (long i = 0; i < n; i++)
            acc += (long)PyArray_Size(a);
    } else {
        for (long i = 0; i < n; i++) {
            PyObject *r = PyObject_GetAttr(a, name);
            if (r == NULL)
                return -1;
            acc += PyLong_AsLong(r);
            Py_DECREF(r);
        }
    }
    sink = acc;
    return now_ns() - t0;
}

static long long loop_fromany(int how, long n, PyObject *a, PyObject *fn)
{
    long long t0 = now_ns();
    for (long i = 0; i < n; i++) {
        PyObject *r = how == BENCH_TABLE
                          ? PyArray_FromAny(a, NULL, 0, 0, 0, NULL)
                          : PyObject_Vectorcall(fn, &a, 1, NULL);
        if (r == NULL)
            return -1;
        Py_DECREF(r);
    }
    return now_ns() - t0;
}

static PyObject *run(PyObject *self, PyObject *args)
{
    int how, what;
    long n;
    PyObject *a, *extra;
    const char *label;
    (void)self;
    if (!PyArg_ParseTuple(args, "iilOOs", &how, &what, &n, &a, &extra,
                          &label))
        return NULL;
    BENCH_CG_START();
    long long ns = what == 0 ? loop_size(how, n, a, extra)
                             : loop_fromany(how, n, a, extra);
    BENCH_CG_STOP(label);
    return ns < 0 ? NULL : PyLong_FromLongLong(ns);
}

static PyMethodDef methods[] = {{"run", run, METH_VARARGS, NULL},
                                {NULL, NULL, 0, NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "bnpyc", NULL, -1,
                                    methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_bnpyc(void)
{
    import_array();
    return PyModule_Create(&moddef);
}
