/* fhcons_capi.c - a plain C-API consumer of fhapi, importing in its
 * PyInit as the README teaches (import_fhapi() from HPyAPI_USE_CAPI_DEFINE,
 * FH_STYLE 2, or HPyAPI_ImportCAPI, FH_STYLE 1, or 0.1's
 * HPyAPI_USE_CAPI(api, LIST, "module"), FH_STYLE 3). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "fhapi.h"

#if FH_STYLE == 1
static const fhapi_CAPI *fh;
#define FH fh
#elif FH_STYLE == 2
HPyAPI_USE_CAPI_DEFINE(fhapi, FHAPI, FH_FROM);
#define FH fhapi_capi
#else
HPyAPI_USE_CAPI(fhapi, FHAPI, FH_FROM); /* hpyapi 0.1's form */
#define FH fhapi_capi
#endif

static PyObject *add(PyObject *self, PyObject *args)
{
    long a, b;
    (void)self;
    if (!PyArg_ParseTuple(args, "ll", &a, &b))
        return NULL;
    return PyLong_FromLong(FH->Fh_Add(a, (FH_B)b));
}

static PyMethodDef methods[] = {{"add", add, METH_VARARGS, NULL},
                                {NULL, NULL, 0, NULL}};
#define STR_(x) #x
#define STR(x) STR_(x)
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, STR(MODNAME),
                                    NULL, -1, methods, NULL, NULL, NULL, NULL};

#define INIT_(m) PyInit_##m
#define INIT(m) INIT_(m)
PyMODINIT_FUNC INIT(MODNAME)(void)
{
#if FH_STYLE == 1
    if ((fh = HPyAPI_ImportCAPI(fhapi, FH_FROM)) == NULL)
        return NULL;
#else
    if (import_fhapi() < 0)
        return NULL;
#endif
    return PyModule_Create(&moddef);
}
