/* thrtab.c - a plain C-API extension publishing a classic table (a
 * `void *[]` in a capsule) of value-only functions, for the legacy bridge
 * of tests/c/thrconsumer.c. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static unsigned int version(void) { return 1; }
static long twice(long x) { return 2 * x; }
static long thrice(long x) { return 3 * x; }

static void *table[] = {(void *)version, (void *)twice, (void *)thrice};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "thrtab", NULL,
                                    -1, NULL, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_thrtab(void)
{
    PyObject *m = PyModule_Create(&moddef);
    if (m == NULL)
        return NULL;
    PyObject *cap = PyCapsule_New(table, "thrtab._C_API", NULL);
    if (cap == NULL || PyModule_AddObject(m, "_C_API", cap) < 0) {
        Py_XDECREF(cap);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
