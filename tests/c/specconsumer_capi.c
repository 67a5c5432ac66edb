/* specconsumer_capi.c - a plain C-API consumer of specapi: the same
 * Python interface as specconsumer.c, with NumPy's own layouts (PyObject *
 * in the structs, C-API slot functions). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#include "specapi.h"

HPyAPI_USE_CAPI_DEFINE(specapi, SPECAPI, "specexporter");
static PyObject *pyfuncs; /* loop name -> (resolve, loop); "" -> fallback */

static PyObject *pyfunc(PyObject *key, int i)
{
    PyObject *pair = PyDict_GetItemWithError(pyfuncs, key);
    if (pair == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetObject(PyExc_KeyError, key);
        return NULL;
    }
    return PyTuple_GetItem(pair, i); /* borrowed */
}

static PyObject *c_resolve(PyObject *method, PyObject *given)
{
    PyObject *f = pyfunc(method, 0);
    return f ? PyObject_CallFunctionObjArgs(f, given, NULL) : NULL;
}

static long c_loop(SpLoopContext_CAPI *c, long n)
{
    PyObject *f = pyfunc(c->method, 1);
    PyObject *descrs = PyTuple_New(c->nargs);
    for (int i = 0; descrs != NULL && i < c->nargs; i++) {
        Py_INCREF(c->descriptors[i]);
        PyTuple_SET_ITEM(descrs, i, c->descriptors[i]);
    }
    PyObject *r = f && descrs ? PyObject_CallFunction(
                                    f, "(OOO)l", c->caller, c->method, descrs, n)
                              : NULL;
    Py_XDECREF(descrs);
    if (r == NULL)
        return -1;
    long v = PyLong_AsLong(r);
    Py_DECREF(r);
    return v;
}

static PyObject *c_fallback(PyObject *method, PyObject *given)
{
    PyObject *key = PyUnicode_FromString("");
    PyObject *f = key ? pyfunc(key, 0) : NULL;
    Py_XDECREF(key);
    return f ? PyObject_CallFunctionObjArgs(f, method, given, NULL) : NULL;
}

static const sp_resolve_CAPI resolve_fn = c_resolve, fallback_fn = c_fallback;

/* 20 different resolvers, for the pool's limit (add_many) */
#define SP_MANY(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) \
    X(11) X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19)
#define SP_DEF(i)                                                              \
    static PyObject *c_many##i(PyObject *method, PyObject *given)              \
    {                                                                          \
        (void)method;                                                          \
        Py_INCREF(given);                                                      \
        return given;                                                          \
    }
SP_MANY(SP_DEF)
#define SP_REF(i) c_many##i,
static const sp_resolve_CAPI many[] = {SP_MANY(SP_REF)};

static PyObject *add_many(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *ufunc;
    long i;
    if (!PyArg_ParseTuple(args, "Ol", &ufunc, &i))
        return NULL;
    if (i < 0 || i >= (long)(sizeof many / sizeof many[0])) {
        PyErr_SetString(PyExc_IndexError, "add_many: 0..19");
        return NULL;
    }
    char name[16];
    snprintf(name, sizeof name, "many%ld", i);
    HPyAPI_TypeSlot slots[] = {{SP_RESOLVE_SLOT, (void *)many[i]}, {0, NULL}};
    SpMethodSpec_CAPI spec = {name, 0, 0, 0, 0, NULL, slots};
    int rc = specapi_capi->Sp_AddLoop(ufunc, &spec);
    return rc < 0 ? NULL : PyLong_FromLong(rc);
}
static const sp_loop_CAPI loop_fn = c_loop;

static int remember(PyObject *name, PyObject *resolve, PyObject *loop)
{
    PyObject *pair = PyTuple_Pack(2, resolve, loop);
    int rc = pair ? PyDict_SetItem(pyfuncs, name, pair) : -1;
    Py_XDECREF(pair);
    return rc;
}

#define MAXN 16
typedef struct {
    SpMethodSpec_CAPI spec;
    HPyAPI_TypeSlot slots[4];
    PyObject *dtypes[MAXN];
} spec_mem;

/* (name, nin, nout, casting, flags, dtypes, resolve, loop, extra id) */
static int build(PyObject *t, Py_ssize_t first, spec_mem *m)
{
    memset(m, 0, sizeof *m);
    PyObject *const *a = &PyTuple_GET_ITEM(t, first);
    m->spec.name = PyUnicode_AsUTF8(a[0]);
    m->spec.nin = (int)PyLong_AsLong(a[1]);
    m->spec.nout = (int)PyLong_AsLong(a[2]);
    m->spec.casting = (int)PyLong_AsLong(a[3]);
    m->spec.flags = (int)PyLong_AsLong(a[4]);
    int extra = (int)PyLong_AsLong(a[8]);
    if (m->spec.name == NULL || !PyTuple_Check(a[5]) ||
        PyTuple_GET_SIZE(a[5]) > MAXN || PyErr_Occurred()) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "dtypes: a tuple, at most 16");
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(a[5]); i++)
        m->dtypes[i] = PyTuple_GET_ITEM(a[5], i); /* borrowed */
    m->spec.dtypes = m->dtypes;
    int k = 0;
    if (a[6] != Py_None)
        m->slots[k++] = (HPyAPI_TypeSlot){SP_RESOLVE_SLOT, (void *)resolve_fn};
    if (a[7] != Py_None)
        m->slots[k++] = (HPyAPI_TypeSlot){SP_LOOP_SLOT, (void *)loop_fn};
    if (extra != 0)
        m->slots[k++] = (HPyAPI_TypeSlot){extra, (void *)resolve_fn};
    m->spec.slots = m->slots;
    return remember(a[0], a[6], a[7]);
}

static PyObject *add_loop(PyObject *self, PyObject *args)
{
    (void)self;
    spec_mem m;
    if (PyTuple_GET_SIZE(args) != 10) {
        PyErr_SetString(PyExc_TypeError, "add_loop: 10 arguments");
        return NULL;
    }
    if (build(args, 1, &m) < 0)
        return NULL;
    int rc = specapi_capi->Sp_AddLoop(PyTuple_GET_ITEM(args, 0), &m.spec);
    return rc < 0 ? NULL : PyLong_FromLong(rc);
}

static PyObject *add_loops(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *tagobj, *fallback, *list;
    if (!PyArg_ParseTuple(args, "OOO!", &tagobj, &fallback, &PyList_Type,
                          &list))
        return NULL;
    int as_list = tagobj == Py_None; /* Sp_AddLoopsFromSpecs */
    int tag = as_list ? 0 : (int)PyLong_AsLong(tagobj);
    if (tag == -1 && PyErr_Occurred())
        return NULL;
    Py_ssize_t k = PyList_GET_SIZE(list);
    if (k > 4) {
        PyErr_SetString(PyExc_ValueError, "at most 4 loops");
        return NULL;
    }
    spec_mem mem[4];
    SpLoopSlot_CAPI slots[5];
    SpLoopSlot_CAPI *ptrs[5];
    for (Py_ssize_t i = 0; i < k; i++) {
        PyObject *t = PyList_GET_ITEM(list, i);
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 10) {
            PyErr_SetString(PyExc_TypeError, "a loop: a tuple of 10");
            return NULL;
        }
        if (build(t, 1, &mem[i]) < 0)
            return NULL;
        slots[i].name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(t, 0));
        slots[i].spec = &mem[i].spec;
        ptrs[i] = &slots[i];
    }
    ptrs[k] = NULL;
    slots[k].name = NULL; /* the list's end */
    slots[k].spec = NULL;
    SpLoopSet_CAPI set = {tag, NULL, ptrs};
    if (fallback != Py_None) {
        PyObject *key = PyUnicode_FromString("");
        int rc = key ? remember(key, fallback, fallback) : -1;
        Py_XDECREF(key);
        if (rc < 0)
            return NULL;
        set.fallback = fallback_fn;
    }
    int rc = as_list ? specapi_capi->Sp_AddLoopsFromSpecs(slots)
                     : specapi_capi->Sp_AddLoops(&set);
    return rc < 0 ? NULL : PyLong_FromLong(rc);
}

static PyObject *buffer(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *obj, *hint;
    int flags;
    if (!PyArg_ParseTuple(args, "OOi", &obj, &hint, &flags))
        return NULL;
    SpChunk_CAPI c = {NULL, NULL, -7, hint, flags};
    int rc = specapi_capi->Sp_BufferConverter(obj, &c);
    if (rc < 0) {
        if (c.base != NULL)
            PyErr_SetString(PyExc_AssertionError, "base on error");
        return NULL;
    }
    PyObject *r = Py_BuildValue("iOlli", rc, c.base, (long)(intptr_t)c.ptr,
                                c.len, c.flags);
    Py_DECREF(c.base);
    return r;
}

/* ---- a DType-API method, with NumPy's own C-API signatures ------------ */
static int nargs_of(PyObject *method)
{
    PyObject *n = pyfunc(method, 2);
    return n ? (int)PyLong_AsLong(n) : -1;
}

static PyObject *tuple_of(PyObject *const *h, int n)
{
    PyObject *t = PyTuple_New(n);
    for (int i = 0; t != NULL && i < n; i++) {
        PyObject *o = h[i] ? h[i] : Py_None;
        Py_INCREF(o);
        PyTuple_SET_ITEM(t, i, o);
    }
    return t;
}

static int c_resolve_descrs(PyObject *method, PyObject *const *dtypes,
                            PyObject *const *given, PyObject **loop_descrs,
                            long *view_offset)
{
    int n = nargs_of(method);
    PyObject *f = pyfunc(method, 0);
    if (n < 0 || f == NULL)
        return -1;
    PyObject *dt = tuple_of(dtypes, n), *gv = tuple_of(given, n);
    PyObject *r = dt && gv ? PyObject_CallFunctionObjArgs(f, dt, gv, NULL)
                           : NULL;
    Py_XDECREF(dt);
    Py_XDECREF(gv);
    if (r == NULL)
        return -1;
    PyObject *lt = PyTuple_GetItem(r, 0), *v = PyTuple_GetItem(r, 1);
    for (int i = 0; lt != NULL && i < n; i++) { /* new references */
        PyObject *o = PySequence_GetItem(lt, i);
        if (o == Py_None)
            Py_CLEAR(o);
        loop_descrs[i] = o;
    }
    *view_offset = v ? PyLong_AsLong(v) : -1;
    Py_DECREF(r);
    return 0;
}

static int strided(SpMethodContext_CAPI *c, const long *dims, void *aux,
                   int plus)
{
    int n = nargs_of(c->method);
    PyObject *f = pyfunc(c->method, 1);
    PyObject *d = n >= 0 && f ? tuple_of(c->descriptors, n) : NULL;
    PyObject *r = d ? PyObject_CallFunction(f, "(OOOll)l", c->caller,
                                            c->method, d, (long)c->flags,
                                            (long)(intptr_t)aux, dims[0])
                    : NULL;
    Py_XDECREF(d);
    if (r == NULL)
        return -1;
    int v = (int)PyLong_AsLong(r);
    Py_DECREF(r);
    return v + plus;
}

static int c_strided(SpMethodContext_CAPI *c, char *const *data,
                     const long *dims, const long *strides, void *aux)
{
    (void)data;
    (void)strides;
    return strided(c, dims, aux, 0);
}

static int c_strided_got(SpMethodContext_CAPI *c, char *const *data,
                         const long *dims, const long *strides, void *aux)
{
    (void)data;
    (void)strides;
    return strided(c, dims, aux, 1000);
}

/* 20 different loops get_loop may return (set_next_loop), for the pool */
#define SP_LOOP_DEF(i)                                                         \
    static int c_loop_n##i(SpMethodContext_CAPI *c, char *const *data,        \
                           const long *dims, const long *strides, void *aux)   \
    {                                                                          \
        (void)c, (void)data, (void)strides, (void)aux;                         \
        return (int)dims[0] + i;                                               \
    }
SP_MANY(SP_LOOP_DEF)
#define SP_LOOP_REF(i) c_loop_n##i,
static const sp_strided_CAPI loops_n[] = {SP_MANY(SP_LOOP_REF)};
static long next_loop = -1; /* -1: c_strided_got */

static PyObject *set_next_loop(PyObject *self, PyObject *i)
{
    (void)self;
    next_loop = PyLong_AsLong(i);
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
}

static int c_get_loop(SpMethodContext_CAPI *c, int aligned,
                      int move_references, const long *strides,
                      sp_strided_CAPI *out_loop, void **out_auxdata,
                      int *flags)
{
    (void)move_references;
    int n = nargs_of(c->method);
    if (n < 0)
        return -1;
    if (aligned < 0) {
        PyErr_SetString(PyExc_ValueError, "get_loop: unaligned");
        return -1;
    }
    *out_loop = next_loop < 0 ? c_strided_got : loops_n[next_loop % 20];
    *out_auxdata = (void *)(intptr_t)(0x1000 + n * 16 + strides[0]);
    *flags = aligned * 10 + 7;
    return 0;
}

static const sp_resolve_descrs_CAPI resolve_descrs_fn = c_resolve_descrs;
static const sp_get_loop_CAPI get_loop_fn = c_get_loop;
static const sp_strided_CAPI strided_fn = c_strided;

static PyObject *add_method(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *ufunc, *name, *dtypes, *res, *loop;
    int nin, nout, with_strided;
    if (!PyArg_ParseTuple(args, "OUiiOOOi", &ufunc, &name, &nin, &nout,
                          &dtypes, &res, &loop, &with_strided))
        return NULL;
    PyObject *d[16];
    Py_ssize_t nd = PySequence_Size(dtypes);
    if (nd < 0 || nd > 16)
        return nd < 0 ? NULL : PyErr_Format(PyExc_ValueError, "16 dtypes");
    for (Py_ssize_t i = 0; i < nd; i++)
        d[i] = PyTuple_GET_ITEM(dtypes, i);
    HPyAPI_TypeSlot slots[] = {{SP_DT_RESOLVE, (void *)resolve_descrs_fn},
                               {SP_DT_GET_LOOP, (void *)get_loop_fn},
                               {SP_DT_STRIDED, (void *)strided_fn},
                               {0, NULL}, {0, NULL}};
    SpDTypeSpec_CAPI spec = {PyUnicode_AsUTF8(name), nin, nout, d, slots,
                             {NULL, NULL}};
    if (!with_strided)
        slots[2] = (HPyAPI_TypeSlot){0, NULL};
    if (with_strided == 2) { /* static data, and a loop in the FNS field */
        slots[3] = (HPyAPI_TypeSlot){SP_DT_STATIC_DATA, (void *)0x5678};
        spec.more[0] = spec.more[1] = c_loop; /* the exporter clears [0] */
    }
    PyObject *entry = Py_BuildValue("(OOi)", res, loop, nin + nout);
    if (entry == NULL || PyDict_SetItem(pyfuncs, name, entry) < 0) {
        Py_XDECREF(entry);
        return NULL;
    }
    Py_DECREF(entry);
    int rc = specapi_capi->Sp_AddMethod(ufunc, &spec);
    if (rc == 0 && spec.more[0] != NULL)
        return PyErr_Format(PyExc_AssertionError, "more[0] not cleared");
    return rc < 0 ? NULL : PyLong_FromLong(rc);
}

static PyObject *add_plain(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    HPyAPI_TypeSlot slots[] = {{SP_DT_RESOLVE, (void *)resolve_descrs_fn},
                               {0, NULL}};
    SpPlainSpec_CAPI spec = {10, slots};
    int rc = specapi_capi->Sp_AddPlain(&spec);
    return rc < 0 ? NULL : PyLong_FromLong(rc);
}

static PyObject *resolve(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *ufunc, *given;
    const char *name;
    if (!PyArg_ParseTuple(args, "OsO", &ufunc, &name, &given))
        return NULL;
    return specapi_capi->Sp_Resolve(ufunc, name, given);
}

static PyObject *setup(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    const specapi_CAPI *t = name ? HPyAPI_ImportCAPI(specapi, name) : NULL;
    if (t == NULL)
        return NULL;
    specapi_capi = t;
    Py_RETURN_NONE;
}

static PyObject *zero(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyLong_FromLong(0);
}

static PyObject *ctx_name(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyUnicode_FromString("CPython C-API (no context)");
}

static PyMethodDef methods[] = {
    {"add_loop", add_loop, METH_VARARGS, NULL},
    {"add_loops", add_loops, METH_VARARGS, NULL},
    {"add_many", add_many, METH_VARARGS, NULL},
    {"buffer", buffer, METH_VARARGS, NULL},
    {"add_method", add_method, METH_VARARGS, NULL},
    {"add_plain", add_plain, METH_NOARGS, NULL},
    {"set_next_loop", set_next_loop, METH_O, NULL},
    {"resolve", resolve, METH_VARARGS, NULL},
    {"setup", setup, METH_O, NULL},
    {"bad_contexts", zero, METH_NOARGS, NULL},
    {"ctx_name", ctx_name, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "specconsumer_capi",
                                    NULL, 0, methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_specconsumer_capi(void)
{
    pyfuncs = PyDict_New();
    return pyfuncs ? PyModule_Create(&moddef) : NULL;
}
