/* myarray.c - an HPy extension with a small array type, exporting its C API
 * (myarray_api.h) to other extensions through hpyapi. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hpy.h"
#include "myarray_api.h"

typedef struct {
    HPy_ssize_t n;
    double *data;
} ArrayObject;

HPyType_HELPERS(ArrayObject)

static HPyGlobal ArrayType; /* exported: consumers get it via api->ArrayType */

/* ---- the exported functions: ordinary HPy code ---------------------------- */

static HPy Array_New(HPyContext *ctx, HPy_ssize_t n, double fill)
{
    if (n < 0) {
        HPyErr_SetString(ctx, ctx->h_ValueError, "negative array length");
        return HPy_NULL;
    }
    HPy type = HPyGlobal_Load(ctx, ArrayType);
    ArrayObject *a;
    HPy h = HPy_New(ctx, type, &a);
    HPy_Close(ctx, type);
    if (HPy_IsNull(h))
        return HPy_NULL;
    a->n = n;
    a->data = (double *)malloc((size_t)(n ? n : 1) * sizeof(double));
    if (a->data == NULL) {
        HPy_Close(ctx, h);
        return HPyErr_NoMemory(ctx);
    }
    for (HPy_ssize_t i = 0; i < n; i++)
        a->data[i] = fill;
    return h;
}

static HPy Array_FromDoubles(HPyContext *ctx, const double *data, HPy_ssize_t n)
{
    HPy h = Array_New(ctx, n, 0.0);
    if (!HPy_IsNull(h) && n > 0)
        memcpy(ArrayObject_AsStruct(ctx, h)->data, data, (size_t)n * sizeof(double));
    return h;
}

/* NULL with TypeError unless h is an Array */
static ArrayObject *as_array(HPyContext *ctx, HPy h)
{
    HPy type = HPyGlobal_Load(ctx, ArrayType);
    int ok = HPy_TypeCheck(ctx, h, type);
    HPy_Close(ctx, type);
    if (!ok) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "expected a myarray.Array");
        return NULL;
    }
    return ArrayObject_AsStruct(ctx, h);
}

static HPy_ssize_t Array_Length(HPyContext *ctx, HPy h)
{
    ArrayObject *a = as_array(ctx, h);
    return a ? a->n : -1;
}

static double Array_GetItem(HPyContext *ctx, HPy h, HPy_ssize_t i)
{
    ArrayObject *a = as_array(ctx, h);
    if (a == NULL)
        return -1.0;
    if (i < 0 || i >= a->n) {
        HPyErr_SetString(ctx, ctx->h_IndexError, "array index out of range");
        return -1.0;
    }
    return a->data[i];
}

static int Array_SetItem(HPyContext *ctx, HPy h, HPy_ssize_t i, double v)
{
    ArrayObject *a = as_array(ctx, h);
    if (a == NULL)
        return -1;
    if (i < 0 || i >= a->n) {
        HPyErr_SetString(ctx, ctx->h_IndexError, "array index out of range");
        return -1;
    }
    a->data[i] = v;
    return 0;
}

static double Array_Sum(HPyContext *ctx, const HPy *arrays, HPy_ssize_t n)
{
    double total = 0.0;
    for (HPy_ssize_t k = 0; k < n; k++) {
        ArrayObject *a = as_array(ctx, arrays[k]);
        if (a == NULL)
            return -1.0;
        for (HPy_ssize_t i = 0; i < a->n; i++)
            total += a->data[i];
    }
    return total;
}

/* Trampolines for every entry of MYARRAY_API, bound to this module. */
HPyAPI_DEFINE(myarray, MYARRAY_API);

/* ---- the Array type as Python sees it -------------------------------------- */

HPyDef_SLOT(Array_new, HPy_tp_new)
static HPy Array_new_impl(HPyContext *ctx, HPy cls, const HPy *args,
                          HPy_ssize_t nargs, HPy kw)
{
    (void)cls;
    (void)kw;
    HPy_ssize_t n;
    double fill = 0.0;
    if (!HPyArg_Parse(ctx, NULL, args, (size_t)nargs, "n|d", &n, &fill))
        return HPy_NULL;
    return Array_New(ctx, n, fill);
}

HPyDef_SLOT(Array_destroy, HPy_tp_destroy)
static void Array_destroy_impl(void *obj)
{
    free(((ArrayObject *)obj)->data);
}

HPyDef_SLOT(Array_len, HPy_sq_length)
static HPy_ssize_t Array_len_impl(HPyContext *ctx, HPy self)
{
    return Array_Length(ctx, self);
}

HPyDef_SLOT(Array_item, HPy_sq_item)
static HPy Array_item_impl(HPyContext *ctx, HPy self, HPy_ssize_t i)
{
    double v = Array_GetItem(ctx, self, i);
    if (v == -1.0 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyFloat_FromDouble(ctx, v);
}

HPyDef_SLOT(Array_repr, HPy_tp_repr)
static HPy Array_repr_impl(HPyContext *ctx, HPy self)
{
    ArrayObject *a = ArrayObject_AsStruct(ctx, self);
    char buf[256];
    size_t used = (size_t)snprintf(buf, sizeof buf, "Array([");
    for (HPy_ssize_t i = 0; i < a->n && used < sizeof buf - 16; i++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%g",
                                 i ? ", " : "", a->data[i]);
    snprintf(buf + used, sizeof buf - used, "%s])",
             used >= sizeof buf - 16 ? ", ..." : "");
    return HPyUnicode_FromString(ctx, buf);
}

static HPyDef *Array_defines[] = {&Array_new, &Array_destroy, &Array_len,
                                  &Array_item, &Array_repr, NULL};
static HPyType_Spec Array_spec = {
    .name = "myarray.Array",
    .basicsize = sizeof(ArrayObject),
    .builtin_shape = SHAPE(ArrayObject),
    .defines = Array_defines,
};

/* ---- module ------------------------------------------------------------------ */

HPyDef_METH(mode, "mode", HPyFunc_NOARGS, .doc = "this module's HPy context")
static HPy mode_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyUnicode_FromString(ctx, ctx->name);
}

static myarray_API api_table;

HPyDef_SLOT(myarray_exec, HPy_mod_exec)
static int myarray_exec_impl(HPyContext *ctx, HPy m)
{
    HPy type = HPyType_FromSpec(ctx, &Array_spec, NULL);
    if (HPy_IsNull(type))
        return -1;
    HPyGlobal_Store(ctx, &ArrayType, type);
    int err = HPy_SetAttr_s(ctx, m, "Array", type);
    HPy_Close(ctx, type);
    if (err)
        return -1;

    /* each slot gets the trampoline for its function */
    api_table.ArrayType = HPy_AsAPI(ctx, ArrayType);
    api_table.Array_New = HPy_AsAPI(ctx, Array_New);
    api_table.Array_FromDoubles = HPy_AsAPI(ctx, Array_FromDoubles);
    api_table.Array_Length = HPy_AsAPI(ctx, Array_Length);
    api_table.Array_GetItem = HPy_AsAPI(ctx, Array_GetItem);
    api_table.Array_SetItem = HPy_AsAPI(ctx, Array_SetItem);
    api_table.Array_Sum = HPy_AsAPI(ctx, Array_Sum);
    return HPyAPI_Export(ctx, m, myarray, &api_table);
}

static HPyDef *module_defines[] = {&mode, &myarray_exec, NULL};
static HPyGlobal *module_globals[] = {&ArrayType, NULL};
static HPyModuleDef moddef = {
    .doc = "hpyapi example: an array type with a C API",
    .defines = module_defines,
    .globals = module_globals,
};
HPy_MODINIT(myarray, moddef)
