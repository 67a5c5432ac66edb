/* bdriver.c - interleaves consumer modules call by call (bench/scale.py).
 * A plain C-API module, so that no HPy function of any mode is on the stack
 * while it loops (a debug-mode consumer's root context stays valid). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "cg.h"

#define MAX_TURNS 64

typedef struct {
    long (*call[2])(void);
} bench_turn; /* as in bturn.c */

static volatile long sink;

/* run(capsules, hows, rounds, label): `rounds` times, one call by each
 * consumer in list order; consumer i calls through the raw table when
 * hows[i] is 0, hpyapi's when 1.  Returns nanoseconds; `label` names the
 * callgrind dump ("" for none). */
static PyObject *run(PyObject *self, PyObject *args)
{
    PyObject *caps, *hows;
    long rounds;
    const char *label;
    (void)self;
    if (!PyArg_ParseTuple(args, "O!O!ls", &PyList_Type, &caps, &PyList_Type,
                          &hows, &rounds, &label))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(caps);
    if (n < 1 || n > MAX_TURNS || PyList_GET_SIZE(hows) != n) {
        PyErr_SetString(PyExc_ValueError, "1..64 consumers, one how each");
        return NULL;
    }
    long (*calls[MAX_TURNS])(void);
    for (Py_ssize_t i = 0; i < n; i++) {
        const bench_turn *t = (const bench_turn *)PyCapsule_GetPointer(
            PyList_GET_ITEM(caps, i), "bench.turn");
        long how = PyLong_AsLong(PyList_GET_ITEM(hows, i));
        if (t == NULL || (how != 0 && how != 1)) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "how is 0 (raw) or 1");
            return NULL;
        }
        calls[i] = t->call[how];
    }
    BENCH_CG_START();
    long long t0 = bench_now_ns();
    long acc = 0;
    for (long r = 0; r < rounds; r++)
        for (Py_ssize_t i = 0; i < n; i++)
            acc += calls[i]();
    long long ns = bench_now_ns() - t0;
    BENCH_CG_STOP(label);
    sink = acc;
    return PyLong_FromLongLong(ns);
}

static PyMethodDef methods[] = {{"run", run, METH_VARARGS, NULL},
                                {NULL, NULL, 0, NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "bdriver", NULL, -1,
                                    methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_bdriver(void) { return PyModule_Create(&moddef); }
