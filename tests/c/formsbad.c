/* formsbad.c - a plain C-API consumer built from a stale copy of formsapi.h
 * (FORMS_VARIANT, see there): its import must fail, naming the entry. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "formsapi.h"

/* for its ".hpyapi" import record (`python -m hpyapi check`) */
HPyAPI_USE_CAPI_DEFINE(formsapi, FORMSAPI, "formsexporter");

static PyObject *setup_forms(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    if (name == NULL || HPyAPI_ImportCAPI(formsapi, name) == NULL)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"setup_forms", setup_forms, METH_O, NULL}, {NULL, NULL, 0, NULL}};

#define FORMSBAD_CAT(a, b) FORMSBAD_CAT_I(a, b)
#define FORMSBAD_CAT_I(a, b) a##b
#define FORMSBAD_STR(a) FORMSBAD_STR_I(a)
#define FORMSBAD_STR_I(a) #a
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT,
                                    FORMSBAD_STR(MODNAME), NULL, -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC FORMSBAD_CAT(PyInit_, MODNAME)(void)
{
    return PyModule_Create(&moddef);
}
