/* vcapi.h - the plain C-API consumer's shared header. */
#ifndef VCAPI_H
#define VCAPI_H
#include <Python.h>
#include "vecapi.h"
HPyAPI_USE_CAPI(vec, VEC_API);
HPyAPI_USE_CAPI(vops, VOPS_API);
#ifdef __cplusplus
extern "C"
#endif
PyObject *vcapi_cxx_scaled_dot(PyObject *a, PyObject *b, double k);
#endif
