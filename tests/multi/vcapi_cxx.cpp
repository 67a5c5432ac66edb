// vcapi_cxx.cpp - the C-API tables from C++: (k*a) . b
#include "vcapi.h"

extern "C" PyObject *vcapi_cxx_scaled_dot(PyObject *a, PyObject *b, double k)
{
    PyObject *ka = vops_capi->Vops_Scale(a, k);
    if (ka == nullptr)
        return nullptr;
    double d = vops_capi->Vops_Dot(ka, b);
    Py_DECREF(ka);
    if (d == -1.0 && PyErr_Occurred())
        return nullptr;
    return PyFloat_FromDouble(d);
}
