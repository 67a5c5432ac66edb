/* vcon_module.c - the HPy consumer's module: imports both APIs once. */
#include "vcon.h"

HPyDef_METH(norm2, "norm2", HPyFunc_O)
static HPy norm2_impl(HPyContext *ctx, HPy self, HPy v)
{
    (void)self;
    return vcon_norm2(ctx, v);
}

HPyDef_METH(ramp, "ramp", HPyFunc_O)
static HPy ramp_impl(HPyContext *ctx, HPy self, HPy n)
{
    (void)self;
    HPy_ssize_t k = HPyLong_AsSsize_t(ctx, n);
    if (k == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return vcon_ramp(ctx, k);
}

HPyDef_METH(summary, "summary", HPyFunc_O)
static HPy summary_impl(HPyContext *ctx, HPy self, HPy v)
{
    (void)self;
    return vcon_cxx_summary(ctx, v);
}

HPyDef_METH(join, "join", HPyFunc_VARARGS)
static HPy join_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    if (n != 2) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "join(a, b)");
        return HPy_NULL;
    }
    return vcon_cxx_join(ctx, args[0], args[1]);
}

/* apply(fn, v): fn runs inside the exporter, called back from there */
HPyDef_METH(apply, "apply", HPyFunc_VARARGS)
static HPy apply_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    if (n != 2) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "apply(fn, v)");
        return HPy_NULL;
    }
    return vops_api->Vops_Apply(ctx, args[0], args[1]);
}

HPyDef_SLOT(vcon_exec, HPy_mod_exec)
static int vcon_exec_impl(HPyContext *ctx, HPy m)
{
    (void)m;
    if (import_vec(ctx) < 0 || import_vops(ctx) < 0)
        return -1;
    return 0;
}

static HPyDef *defines[] = {&norm2, &ramp, &summary, &join, &apply,
                            &vcon_exec, NULL};
static HPyModuleDef moddef = {.doc = "multi-file consumer", .defines = defines};
HPy_MODINIT(vcon, moddef)
