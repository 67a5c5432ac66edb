/* vcapi_module.c - a plain C-API consumer of both APIs. */
#include "vcapi.h"

HPyAPI_USE_CAPI_DEFINE(vec, VEC_API, VEXP_MODULE);
HPyAPI_USE_CAPI_DEFINE(vops, VOPS_API, VEXP_MODULE);

static PyObject *ramp(PyObject *self, PyObject *n)
{
    (void)self;
    Py_ssize_t k = PyLong_AsSsize_t(n);
    if (k == -1 && PyErr_Occurred())
        return NULL;
    PyObject *one = vec_capi->Vec_New(1, 1.0);
    if (one == NULL)
        return NULL;
    PyObject *parts[4];
    Py_ssize_t i = 0;
    PyObject *res = NULL;
    for (; i < k && i < 4; i++)
        if ((parts[i] = vops_capi->Vops_Scale(one, (double)i)) == NULL)
            goto done;
    res = vec_capi->Vec_Concat(parts, i);
done:
    while (i-- > 0)
        Py_DECREF(parts[i]);
    Py_DECREF(one);
    return res;
}

static PyObject *scaled_dot(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *a, *b;
    double k;
    if (!PyArg_ParseTuple(args, "OOd", &a, &b, &k))
        return NULL;
    return vcapi_cxx_scaled_dot(a, b, k);
}

static PyObject *error_type(PyObject *self, PyObject *noargs)
{
    (void)self;
    (void)noargs;
    return vec_capi->VecError();
}

static PyMethodDef methods[] = {
    {"ramp", ramp, METH_O, NULL},
    {"scaled_dot", scaled_dot, METH_VARARGS, NULL},
    {"error_type", error_type, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "vcapi", NULL, -1,
                                    methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_vcapi(void)
{
    if (import_vec() < 0 || import_vops() < 0)
        return NULL;
    return PyModule_Create(&moddef);
}
