/* npyconsumer.c - an HPy extension that calls NumPy's classic C-API through
 * hpyapi's legacy bridge, from whatever mode it was loaded in.  Each
 * Python-level function exercises one entry or one reference convention;
 * see test_legacy_numpy.py.
 *
 * -DNPY_FEATURE=... sets the feature version this build targets and
 * -DLAZY_IMPORT leaves the import to do_import(), so that the version
 * mismatch is an exception of a call rather than of module loading. */
#include <stdint.h>
#include "hpy.h"
#include "npy_api.h"

#ifndef NPY_FEATURE
#define NPY_FEATURE NPY_FEATURE_2_0
#endif
#ifndef MODNAME
#define MODNAME npyconsumer
#endif

/* where NumPy 2 publishes _ARRAY_API; variants point elsewhere to test
   the import's errors */
#ifndef NPY_MODULE
#define NPY_MODULE "numpy._core._multiarray_umath"
#endif
#ifndef NPY_ATTR
#define NPY_ATTR "_ARRAY_API"
#endif

HPyAPI_LEGACY_USE(npy, NPY_LEGACY, NPY_MODULE, NPY_ATTR, NULL,
                  HPyAPI_LEGACY_VERSIONS(GetNDArrayCVersion, NPY_ABI_2,
                                         GetNDArrayCFeatureVersion,
                                         NPY_FEATURE));

HPyDef_METH(do_import, "do_import", HPyFunc_NOARGS)
static HPy do_import_impl(HPyContext *ctx, HPy self)
{
    /* a module-level function's self is its module */
    if (import_npy(ctx, self) < 0)
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(versions, "versions", HPyFunc_NOARGS)
static HPy versions_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    unsigned int abi = npy_api->GetNDArrayCVersion(ctx);
    if (HPyErr_Occurred(ctx)) /* a stub before import */
        return HPy_NULL;
    unsigned int feature = npy_api->GetNDArrayCFeatureVersion(ctx);
    return HPy_BuildValue(ctx, "(II)", abi, feature);
}

/* zeros(n0, ...): float64 zeros of that shape; the descr is stolen */
HPyDef_METH(zeros, "zeros", HPyFunc_VARARGS)
static HPy zeros_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    HPy_ssize_t dims[8];
    if (n > 8) {
        HPyErr_SetString(ctx, ctx->h_ValueError, "at most 8 dimensions");
        return HPy_NULL;
    }
    for (size_t i = 0; i < n; i++) {
        dims[i] = HPyLong_AsSsize_t(ctx, args[i]);
        if (dims[i] == -1 && HPyErr_Occurred(ctx))
            return HPy_NULL;
    }
    HPy descr = npy_api->DescrFromType(ctx, NPY_DOUBLE_NUM);
    if (HPy_IsNull(descr))
        return HPy_NULL;
    HPy a = npy_api->Zeros(ctx, (int)n, dims, descr, 0);
    HPy_Close(ctx, descr); /* ours; Zeros stole the reference lent to it */
    return a;
}

/* arange(n): an int64 array made with PyArray_New and filled through its
 * data pointer */
HPyDef_METH(arange, "arange", HPyFunc_O)
static HPy arange_impl(HPyContext *ctx, HPy self, HPy arg)
{
    (void)self;
    HPy_ssize_t n = HPyLong_AsSsize_t(ctx, arg);
    if (n == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    HPy type = npy_api->ArrayType(ctx);
    HPy a = npy_api->New(ctx, type, 1, &n, NPY_LONG_NUM, NULL, NULL, 0, 0,
                         HPy_NULL);
    HPy_Close(ctx, type);
    if (HPy_IsNull(a))
        return HPy_NULL;
    int64_t *data = (int64_t *)(void *)npy_fields(ctx, a)->data;
    for (HPy_ssize_t i = 0; i < n; i++)
        data[i] = i;
    return a;
}

HPyDef_METH(size, "size", HPyFunc_O)
static HPy size_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    HPy_ssize_t n = npy_api->Size(ctx, a);
    if (n == -1 && HPyErr_Occurred(ctx)) /* a refused call (hooks) */
        return HPy_NULL;
    return HPyLong_FromSsize_t(ctx, n);
}

/* Is `t` (or, with `instance`, the type of `t`) NumPy's ndarray type? */
static int is_ndarray(HPyContext *ctx, HPy t, int instance)
{
    HPy type = npy_api->ArrayType(ctx);
    int r = instance ? HPy_TypeCheck(ctx, t, type) : HPy_Is(ctx, type, t);
    HPy_Close(ctx, type);
    return r;
}

/* info(a): (ndim, shape, data address) read from the array's fields */
HPyDef_METH(info, "info", HPyFunc_O)
static HPy info_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    if (!is_ndarray(ctx, a, 1)) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "expected an ndarray");
        return HPy_NULL;
    }
    const npy_array_fields *f = npy_fields(ctx, a);
    HPyTupleBuilder shape = HPyTupleBuilder_New(ctx, f->nd);
    for (int i = 0; i < f->nd; i++) {
        HPy d = HPyLong_FromSsize_t(ctx, f->dimensions[i]);
        HPyTupleBuilder_Set(ctx, shape, i, d);
        HPy_Close(ctx, d);
    }
    HPy t = HPyTupleBuilder_Build(ctx, shape);
    if (HPy_IsNull(t))
        return HPy_NULL;
    HPy r = HPy_BuildValue(ctx, "(iOn)", f->nd, t,
                           (HPy_ssize_t)(intptr_t)f->data);
    HPy_Close(ctx, t);
    return r;
}

/* total(a): PyArray_Sum over all axes */
HPyDef_METH(total, "total", HPyFunc_O)
static HPy total_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    if (!is_ndarray(ctx, a, 1)) { /* PyArray_Sum takes nothing else */
        HPyErr_SetString(ctx, ctx->h_TypeError, "expected an ndarray");
        return HPy_NULL;
    }
    return npy_api->Sum(ctx, a, NPY_RAVEL_AXIS_2, NPY_NOTYPE_NUM, HPy_NULL);
}

/* data_ptr(a): PyArray_GetPtr(a, [0, ...]) */
HPyDef_METH(data_ptr, "data_ptr", HPyFunc_O)
static HPy data_ptr_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    static const HPy_ssize_t origin[64];
    void *p = npy_api->GetPtr(ctx, a, origin);
    return HPyLong_FromSsize_t(ctx, (HPy_ssize_t)(intptr_t)p);
}

/* asarray(obj, max_depth): PyArray_FromAny(obj, NULL, 0, max_depth, 0) */
HPyDef_METH(asarray, "asarray", HPyFunc_VARARGS)
static HPy asarray_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    HPy obj;
    int max_depth = 0;
    if (!HPyArg_Parse(ctx, NULL, args, n, "O|i", &obj, &max_depth))
        return HPy_NULL;
    return npy_api->FromAny(ctx, obj, HPy_NULL, 0, max_depth, 0, HPy_NULL);
}

/* asdouble(obj): FromAny with a float64 descr, which it steals */
HPyDef_METH(asdouble, "asdouble", HPyFunc_O)
static HPy asdouble_impl(HPyContext *ctx, HPy self, HPy obj)
{
    (void)self;
    return npy_as_carray(ctx, npy_api, obj, NPY_DOUBLE_NUM);
}

/* as_scalar(a): PyArray_Return, which steals its argument */
HPyDef_METH(as_scalar, "as_scalar", HPyFunc_O)
static HPy as_scalar_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    return npy_api->Return(ctx, a);
}

HPyDef_METH(array_type, "array_type", HPyFunc_NOARGS)
static HPy array_type_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return npy_api->ArrayType(ctx);
}

HPyDef_METH(is_array_type, "is_array_type", HPyFunc_O)
static HPy is_array_type_impl(HPyContext *ctx, HPy self, HPy t)
{
    (void)self;
    return HPyBool_FromLong(ctx, is_ndarray(ctx, t, 0));
}

HPyDef_METH(ctx_name, "ctx_name", HPyFunc_NOARGS)
static HPy ctx_name_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyUnicode_FromString(ctx, ctx->name);
}

HPyDef_SLOT(npyconsumer_exec, HPy_mod_exec)
static int npyconsumer_exec_impl(HPyContext *ctx, HPy module)
{
#ifdef LAZY_IMPORT
    (void)ctx, (void)module;
    return 0;
#else
    return import_npy(ctx, module);
#endif
}

static HPyDef *defines[] = {
    &do_import, &versions, &zeros, &arange, &size, &info, &data_ptr,
    &asarray, &asdouble, &total, &as_scalar, &array_type, &is_array_type,
    &ctx_name, &npyconsumer_exec, NULL};
static HPyModuleDef moddef = {.defines = defines};
#define NPY_MODINIT(name, def) HPy_MODINIT(name, def)
NPY_MODINIT(MODNAME, moddef)
