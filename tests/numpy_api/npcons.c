/* npcons.c - the consumer of the NumPy-sized test API: an HPy module
 * (npcons) or, built with -DNP_CAPI, a plain C-API module (npcapi).
 *   setup(exporter_name)      import npyma and npyuf from that module (until
 *                             then every entry raises RuntimeError)
 *   call(api, index, *args)   call entry `index` of npyma (0) / npyuf (1),
 *                             see npcall.h for arguments and result
 *   ctx_name()                the context this module runs in */
#include <string.h>
#include "npcall.h"

#ifdef NP_CAPI
/* "npexp": the module import_npyma() would use; tests load exporters under
 * other names and import through setup() */
HPyAPI_USE_CAPI_DEFINE(npyma, NPYMA_API, "npexp");
HPyAPI_USE_CAPI_DEFINE(npyuf, NPYUF_API, "npexp");

static PyObject *setup(PyObject *self, PyObject *modname)
{
    (void)self;
    const char *name = PyUnicode_AsUTF8(modname);
    if (name == NULL)
        return NULL;
    const npyma_CAPI *ma = HPyAPI_ImportCAPI(npyma, name);
    const npyuf_CAPI *uf = ma ? HPyAPI_ImportCAPI(npyuf, name) : NULL;
    if (uf == NULL)
        return NULL;
    npyma_capi = ma;
    npyuf_capi = uf;
    Py_RETURN_NONE;
}

static PyObject *call(PyObject *self, PyObject *args)
{
    (void)self;
    Py_ssize_t n = PyTuple_Size(args);
    if (n < 2) {
        PyErr_SetString(PyExc_TypeError, "call(api, index, *args)");
        return NULL;
    }
    int api = (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 0));
    int index = (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 1));
    if (PyErr_Occurred())
        return NULL;
    NpCall c;
    memset(&c, 0, sizeof c);
    c.args = &PyTuple_GET_ITEM(args, 2);
    c.nargs = (size_t)(n - 2);
    return np_dispatch(&c, api, index);
}

static PyObject *ctx_name(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyUnicode_FromString("CPython C-API (no context)");
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_O, NULL},
    {"call", call, METH_VARARGS, NULL},
    {"ctx_name", ctx_name, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "npcapi", NULL, 0,
                                    methods, NULL, NULL, NULL, NULL};
PyMODINIT_FUNC PyInit_npcapi(void) { return PyModule_Create(&moddef); }

#else /* the HPy consumer */
HPyAPI_USE_DEFINE(npyma, NPYMA_API, "npexp");
HPyAPI_USE_DEFINE(npyuf, NPYUF_API, "npexp");

HPyDef_METH(setup, "setup", HPyFunc_O)
static HPy setup_impl(HPyContext *ctx, HPy self, HPy modname)
{
    (void)self;
    const char *name = HPyUnicode_AsUTF8AndSize(ctx, modname, NULL);
    if (name == NULL)
        return HPy_NULL;
    const npyma_API *ma = HPyAPI_Import(ctx, npyma, name);
    const npyuf_API *uf = ma ? HPyAPI_Import(ctx, npyuf, name) : NULL;
    if (uf == NULL)
        return HPy_NULL;
    npyma_api = ma;
    npyuf_api = uf;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(call, "call", HPyFunc_VARARGS)
static HPy call_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    (void)self;
    if (nargs < 2) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "call(api, index, *args)");
        return HPy_NULL;
    }
    int api = (int)HPyLong_AsLong(ctx, args[0]);
    int index = (int)HPyLong_AsLong(ctx, args[1]);
    if (HPyErr_Occurred(ctx))
        return HPy_NULL;
    NpCall c;
    memset(&c, 0, sizeof c);
    c.ctx = ctx;
    c.args = args + 2;
    c.nargs = nargs - 2;
    return np_dispatch(&c, api, index);
}

HPyDef_METH(ctx_name, "ctx_name", HPyFunc_NOARGS)
static HPy ctx_name_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyUnicode_FromString(ctx, ctx->name);
}

static HPyDef *defines[] = {&setup, &call, &ctx_name, NULL};
static HPyModuleDef moddef = {.doc = "NumPy-sized API consumer",
                              .defines = defines};
HPy_MODINIT(npcons, moddef)
#endif
