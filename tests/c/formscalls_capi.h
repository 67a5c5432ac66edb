/* formscalls_capi.h - the C-API test consumer's calls of formsapi
 * (included by capi_consumer.c): arrays are PyObject *const * (read) and
 * PyObject ** (filled), lengths keep their declared types. */
#include "formsapi.h"

static const formsapi_CAPI *fcapi;
/* the table before any import: stubs, and a zero T for data */
HPyAPI_USE_CAPI_DEFINE(formsapi, FORMSAPI, "no_such_forms_exporter");

static PyObject *setup_forms(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    if (name == NULL || (fcapi = HPyAPI_ImportCAPI(formsapi, name)) == NULL)
        return NULL;
    Py_RETURN_NONE;
}

/* list (or None: NULL) -> its items (borrowed from the list) */
static int forms_items(PyObject *list, PyObject **buf, Py_ssize_t *n,
                       PyObject ***arr)
{
    *n = 0;
    *arr = NULL;
    if (list == Py_None)
        return 0;
    if (!PyList_Check(list) || PyList_GET_SIZE(list) > 64) {
        PyErr_SetString(PyExc_ValueError, "a list of 64 items at most");
        return -1;
    }
    for (*n = 0; *n < PyList_GET_SIZE(list); (*n)++)
        buf[*n] = PyList_GET_ITEM(list, *n);
    *arr = buf;
    return 0;
}

/* new references (NULL: None) -> a new list; steals them */
static PyObject *forms_list(PyObject **o, Py_ssize_t n)
{
    PyObject *lst = PyList_New(n);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = o[i] ? o[i] : Py_None;
        if (!o[i]) /* not Py_NewRef: 3.10+, the suite runs on 3.9 */
            Py_INCREF(x);
        if (lst)
            PyList_SET_ITEM(lst, i, x);
        else
            Py_DECREF(x);
    }
    return lst;
}

static PyObject *result_type(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *la, *ld, *a[64], *d[64], **pa, **pd;
    Py_ssize_t na, nd;
    long long narrs = -1, ndtypes = -1;
    if (!PyArg_ParseTuple(args, "OO|LL", &la, &ld, &narrs, &ndtypes) ||
        forms_items(la, a, &na, &pa) < 0 || forms_items(ld, d, &nd, &pd) < 0)
        return NULL;
    return fcapi->ResultType(narrs < 0 && pa ? na : (intptr_t)narrs, pa,
                             ndtypes < 0 && pd ? nd : (intptr_t)ndtypes, pd);
}

static PyObject *fill_perm(PyObject *self, PyObject *args)
{
    (void)self;
    int narrays, ndim, perm[64];
    PyObject *arrays[64] = {NULL};
    if (!PyArg_ParseTuple(args, "ii", &narrays, &ndim))
        return NULL;
    for (int i = 0; i < 64; i++)
        perm[i] = -1;
    int r = fcapi->FillPerm(narrays, arrays, ndim, perm);
    PyObject *lst = forms_list(arrays, narrays < 0 ? 0 : narrays > 64 ? 64
                                                                     : narrays);
    if (r < 0 || lst == NULL) {
        Py_XDECREF(lst);
        return NULL;
    }
    PyObject *p = PyList_New(0);
    for (int j = 0; p && j < (ndim > 64 ? 64 : ndim); j++) {
        PyObject *v = PyLong_FromLong(perm[j]);
        PyList_Append(p, v);
        Py_XDECREF(v);
    }
    return Py_BuildValue("iNN", r, lst, p);
}

static PyObject *forms_pair(PyObject *src, int which)
{
    PyObject *s[64], *dst[64] = {NULL}, **ps;
    Py_ssize_t n;
    if (forms_items(src, s, &n, &ps) < 0)
        return NULL;
    long long r = which ? fcapi->CopyInto(ps, n, dst)
                        : fcapi->Doubled(ps, dst, (unsigned char)n);
    PyObject *lst = forms_list(dst, n);
    if (r < 0 || lst == NULL) {
        Py_XDECREF(lst);
        return NULL;
    }
    return Py_BuildValue("LN", r, lst);
}

static PyObject *doubled(PyObject *self, PyObject *src)
{
    (void)self;
    return forms_pair(src, 0);
}

static PyObject *copy_into(PyObject *self, PyObject *src)
{
    (void)self;
    return forms_pair(src, 1);
}

static PyObject *tuple_n(PyObject *self, PyObject *args)
{
    (void)self;
    int which;
    unsigned long long n;
    PyObject *list, *items[64], **p;
    Py_ssize_t k;
    if (!PyArg_ParseTuple(args, "iKO", &which, &n, &list) ||
        forms_items(list, items, &k, &p) < 0)
        return NULL;
    if (which == 64)
        return fcapi->TupleU64((uint64_t)n, p);
    if (which == 32)
        return fcapi->TupleU32(p, (uint32_t)n);
    return fcapi->TupleI8((int8_t)n, p);
}

static PyObject *add_ctx(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *obj;
    long n;
    if (!PyArg_ParseTuple(args, "Ol", &obj, &n))
        return NULL;
    return fcapi->AddCtx(obj, n);
}

static PyObject *forms_data(PyObject *self, PyObject *imported)
{
    (void)self;
    const formsapi_CAPI *t = PyObject_IsTrue(imported) ? fcapi : formsapi_capi;
    return Py_BuildValue("i(III)Oi", *t->NumUserTypes, t->ApiVersion->abi,
                         t->ApiVersion->api, t->ApiVersion->feature,
                         *t->BuildName ? Py_True : Py_None,
                         HPyAPI_HAS(t, NumUserTypes));
}

static PyObject *build_name(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyUnicode_FromString(*fcapi->BuildName);
}

static PyObject *set_num_user_types(PyObject *self, PyObject *v)
{
    (void)self;
    long n = PyLong_AsLong(v);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    fcapi->SetNumUserTypes((int)n);
    if (PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(*fcapi->NumUserTypes);
}
#define FORMSCALLS_METHODS                                                     \
    {"setup_forms", setup_forms, METH_O, NULL},                                \
    {"result_type", result_type, METH_VARARGS, NULL},                          \
    {"fill_perm", fill_perm, METH_VARARGS, NULL},                              \
    {"doubled", doubled, METH_O, NULL},                                        \
    {"copy_into", copy_into, METH_O, NULL},                                    \
    {"tuple_n", tuple_n, METH_VARARGS, NULL},                                  \
    {"add_ctx", add_ctx, METH_VARARGS, NULL},                                  \
    {"forms_data", forms_data, METH_O, NULL},                                  \
    {"build_name", build_name, METH_NOARGS, NULL},                             \
    {"set_num_user_types", set_num_user_types, METH_O, NULL},
