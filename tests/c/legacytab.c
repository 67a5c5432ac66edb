/* legacytab.c - a plain C-API extension that publishes a classic C-API
 * table the way NumPy does (`void *[]` in a capsule), but named and made
 * of CPython's own list functions, which have the reference conventions
 * NumPy's table lacks: PyList_GetItem returns a borrowed reference and
 * PyList_SetItem steals its item even when it fails. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static unsigned int abi_version(void) { return 7; }
static unsigned int feature_version(void) { return 3; }

/* slots, as a consumer declares them in tabconsumer.c */
static void *table[] = {
    (void *)abi_version,     /* 0 */
    (void *)feature_version, /* 1 */
    (void *)PyList_GetItem,  /* 2: borrowed result */
    (void *)PyList_SetItem,  /* 3: steals its item, -1 on error */
    NULL,                    /* 4: an object, filled at import */
};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "legacytab", NULL,
                                    -1, NULL, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_legacytab(void)
{
    table[4] = (void *)&PyList_Type;
    PyObject *m = PyModule_Create(&moddef);
    if (m == NULL)
        return NULL;
    PyObject *cap = PyCapsule_New(table, "legacytab._C_API", NULL);
    if (cap == NULL || PyModule_AddObject(m, "_C_API", cap) < 0) {
        Py_XDECREF(cap);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
