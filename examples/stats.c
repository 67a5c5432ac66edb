/* stats.c - an HPy extension that uses myarray's C API directly, with no
 * Python round trip, whatever modes the two modules are loaded in. */
#include "hpy.h"
#include "myarray_api.h"

static const myarray_API *myarray; /* set in stats_exec */

HPyDef_METH(linspace, "linspace", HPyFunc_VARARGS,
            .doc = "linspace(start, stop, n): a myarray.Array")
static HPy linspace_impl(HPyContext *ctx, HPy self, const HPy *args,
                         size_t nargs)
{
    (void)self;
    double start, stop;
    HPy_ssize_t n;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "ddn", &start, &stop, &n))
        return HPy_NULL;
    HPy a = myarray->Array_New(ctx, n, 0.0);
    for (HPy_ssize_t i = 0; !HPy_IsNull(a) && i < n; i++) {
        double x = n == 1 ? start : start + (stop - start) * i / (n - 1);
        if (myarray->Array_SetItem(ctx, a, i, x) < 0) {
            HPy_Close(ctx, a);
            return HPy_NULL;
        }
    }
    return a;
}

HPyDef_METH(mean, "mean", HPyFunc_O, .doc = "mean(array)")
static HPy mean_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    HPy_ssize_t n = myarray->Array_Length(ctx, a);
    if (n < 0)
        return HPy_NULL;
    double sum = myarray->Array_Sum(ctx, &a, 1);
    if (sum == -1.0 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyFloat_FromDouble(ctx, n ? sum / n : 0.0);
}

HPyDef_METH(total, "total", HPyFunc_VARARGS, .doc = "total(*arrays)")
static HPy total_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    (void)self;
    /* the caller's argument handles go to the exporter as they are */
    double sum = myarray->Array_Sum(ctx, args, (HPy_ssize_t)nargs);
    if (sum == -1.0 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyFloat_FromDouble(ctx, sum);
}

HPyDef_METH(is_array, "is_array", HPyFunc_O, .doc = "is x a myarray.Array?")
static HPy is_array_impl(HPyContext *ctx, HPy self, HPy x)
{
    (void)self;
    HPy type = myarray->ArrayType(ctx); /* a new handle, ours to close */
    int r = HPy_TypeCheck(ctx, x, type);
    HPy_Close(ctx, type);
    return HPyBool_FromBool(ctx, r);
}

HPyDef_METH(mode, "mode", HPyFunc_NOARGS, .doc = "this module's HPy context")
static HPy mode_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyUnicode_FromString(ctx, ctx->name);
}

HPyDef_SLOT(stats_exec, HPy_mod_exec)
static int stats_exec_impl(HPyContext *ctx, HPy m)
{
    (void)m;
    myarray = HPyAPI_Import(ctx, myarray, "myarray");
    return myarray == NULL ? -1 : 0; /* ImportError says what is wrong */
}

static HPyDef *module_defines[] = {&linspace, &mean, &total, &is_array,
                                   &mode, &stats_exec, NULL};
static HPyModuleDef moddef = {
    .doc = "hpyapi example: a consumer of myarray's C API",
    .defines = module_defines,
};
HPy_MODINIT(stats, moddef)
