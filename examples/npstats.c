/* npstats.c - a universal HPy extension that computes with real NumPy
 * arrays through NumPy's classic C-API (`_ARRAY_API`) and hpyapi's legacy
 * bridge: no Python.h, no numpy headers, one binary for the universal,
 * debug and trace modes (and a CPython-ABI build from the same source). */
#include <math.h>
#include "hpy.h"
#include "npy_api.h"

HPyAPI_LEGACY_USE(npy, NPY_LEGACY, "numpy._core._multiarray_umath",
                  "_ARRAY_API", NULL,
                  HPyAPI_LEGACY_VERSIONS(GetNDArrayCVersion, NPY_ABI_2,
                                         GetNDArrayCFeatureVersion,
                                         NPY_FEATURE_2_0));

/* standardize(obj): (x - mean) / std as a new array of obj's shape */
HPyDef_METH(standardize, "standardize", HPyFunc_O)
static HPy standardize_impl(HPyContext *ctx, HPy self, HPy obj)
{
    (void)self;
    HPy a = npy_as_carray(ctx, npy_api, obj, NPY_DOUBLE_NUM);
    if (HPy_IsNull(a))
        return HPy_NULL;
    const npy_array_fields *f = npy_fields(ctx, a);
    HPy_ssize_t n = npy_api->Size(ctx, a);
    const double *x = (const double *)(const void *)f->data;
    double mean = 0.0, var = 0.0;
    for (HPy_ssize_t i = 0; i < n; i++)
        mean += x[i];
    mean /= n > 0 ? (double)n : 1.0;
    for (HPy_ssize_t i = 0; i < n; i++)
        var += (x[i] - mean) * (x[i] - mean);
    double sd = n > 0 ? sqrt(var / (double)n) : 0.0;
    if (sd == 0.0) {
        HPy_Close(ctx, a);
        HPyErr_SetString(ctx, ctx->h_ValueError,
                         "standardize() needs values that are not all equal");
        return HPy_NULL;
    }
    HPy descr = npy_api->DescrFromType(ctx, NPY_DOUBLE_NUM);
    HPy r = HPy_IsNull(descr) ? HPy_NULL
                              : npy_api->Zeros(ctx, f->nd, f->dimensions,
                                               descr, 0);
    HPy_Close(ctx, descr);
    if (!HPy_IsNull(r)) {
        double *y = (double *)(void *)npy_fields(ctx, r)->data;
        for (HPy_ssize_t i = 0; i < n; i++)
            y[i] = (x[i] - mean) / sd;
    }
    HPy_Close(ctx, a);
    return r;
}

/* summary(obj): (ndim, size, sum) of obj as float64 */
HPyDef_METH(summary, "summary", HPyFunc_O)
static HPy summary_impl(HPyContext *ctx, HPy self, HPy obj)
{
    (void)self;
    HPy a = npy_as_carray(ctx, npy_api, obj, NPY_DOUBLE_NUM);
    if (HPy_IsNull(a))
        return HPy_NULL;
    HPy total = npy_api->Sum(ctx, a, NPY_RAVEL_AXIS_2, NPY_NOTYPE_NUM,
                             HPy_NULL);
    HPy r = HPy_IsNull(total)
                ? HPy_NULL
                : HPy_BuildValue(ctx, "(inO)", npy_fields(ctx, a)->nd,
                                 npy_api->Size(ctx, a), total);
    HPy_Close(ctx, total);
    HPy_Close(ctx, a);
    return r;
}

HPyDef_METH(mode, "mode", HPyFunc_NOARGS)
static HPy mode_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyUnicode_FromString(ctx, ctx->name);
}

HPyDef_SLOT(npstats_exec, HPy_mod_exec)
static int npstats_exec_impl(HPyContext *ctx, HPy module)
{
    return import_npy(ctx, module); /* ImportError names NumPy's versions */
}

static HPyDef *defines[] = {&standardize, &summary, &mode, &npstats_exec,
                            NULL};
static HPyModuleDef moddef = {.defines = defines};
HPy_MODINIT(npstats, moddef)
