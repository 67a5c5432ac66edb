/* cbexporter.c - exports cbapi: calls the consumers' callbacks during a
 * call (Cb_Map, Cb_Sum, Cb_Each, Cb_Nullary, Cb_Two) and later (Cb_Register
 * keeps one, Cb_Stash one it must not keep), also from its own Python
 * methods fire() and fire_stashed().  Built once per ABI, loaded per mode. */
#include "hpy.h"
#include "ownctx.h"
#include "cbapi.h"

/* [fn(item, i) for i, item in enumerate(seq)] */
static HPy Cb_Map(HPyContext *ctx, HPy seq,
                  HPy (*fn)(HPyContext *, HPy, long, void *), void *ud)
{
    OWNCTX(ctx);
    HPy_ssize_t n = HPy_Length(ctx, seq);
    if (n < 0)
        return HPy_NULL;
    HPyListBuilder b = HPyListBuilder_New(ctx, n);
    for (HPy_ssize_t i = 0; i < n; i++) {
        HPy item = HPy_GetItem_i(ctx, seq, i);
        HPy r = HPy_IsNull(item) ? HPy_NULL : fn(ctx, item, (long)i, ud);
        HPy_Close(ctx, item);
        if (HPy_IsNull(r)) {
            HPyListBuilder_Cancel(ctx, b);
            return HPy_NULL;
        }
        HPyListBuilder_Set(ctx, b, i, r);
        HPy_Close(ctx, r);
    }
    return HPyListBuilder_Build(ctx, b);
}

/* sum(fn(i) for i in range(n)); -1 when a call fails */
static long Cb_Sum(HPyContext *ctx, long n, long (*fn)(HPyContext *, long, void *),
                   void *ud)
{
    OWNCTX(ctx);
    long acc = 0;
    for (long i = 0; i < n; i++) {
        long r = fn(ctx, i, ud);
        if (r == -1 && HPyErr_Occurred(ctx))
            return -1;
        acc += r;
    }
    return acc;
}

static HPy (*kept_fn)(HPyContext *, HPy, void *);
static void *kept_ud;
static HPy (*stashed_fn)(HPyContext *, HPy, void *);
static void *stashed_ud;

static int Cb_Register(HPyContext *ctx, HPy (*fn)(HPyContext *, HPy, void *),
                       void *ud)
{
    OWNCTX(ctx);
    (void)ctx;
    kept_fn = fn;
    kept_ud = ud;
    return 0;
}

static HPy fire_kept(HPyContext *ctx, HPy arg)
{
    if (kept_fn == NULL) {
        HPyErr_SetString(ctx, ctx->h_RuntimeError, "nothing registered");
        return HPy_NULL;
    }
    return kept_fn(ctx, arg, kept_ud);
}

static HPy Cb_Fire(HPyContext *ctx, HPy arg) { OWNCTX(ctx); return fire_kept(ctx, arg); }

/* for item in seq: fn(item, extra); stops at an error; returns the count */
static int Cb_Each(HPyContext *ctx, HPy seq,
                   void (*fn)(HPyContext *, HPy, HPy, void *), void *ud,
                   HPy extra)
{
    OWNCTX(ctx);
    HPy_ssize_t n = HPy_Length(ctx, seq);
    if (n < 0)
        return -1;
    for (HPy_ssize_t i = 0; i < n; i++) {
        HPy item = HPy_GetItem_i(ctx, seq, i);
        if (HPy_IsNull(item))
            return -1;
        fn(ctx, item, extra, ud);
        HPy_Close(ctx, item);
        if (HPyErr_Occurred(ctx))
            return -1;
    }
    return (int)n;
}

/* keeps a callback declared HPyAPI_CB: a bug hpyapi must report, not
   crash on, when it is called after the call (fire_stashed) */
static int Cb_Stash(HPyContext *ctx, HPy (*fn)(HPyContext *, HPy, void *),
                    void *ud)
{
    OWNCTX(ctx);
    (void)ctx;
    stashed_fn = fn;
    stashed_ud = ud;
    return 0;
}

static long Cb_Nullary(HPyContext *ctx, long (*fn)(HPyContext *, void *),
                       void *ud)
{
    OWNCTX(ctx);
    (void)ctx;
    return fn(ctx, ud);
}

/* g(f(x)): two callbacks in one call */
static HPy Cb_Two(HPyContext *ctx, HPy (*f)(HPyContext *, HPy, void *),
                  void *fdata, HPy (*g)(HPyContext *, HPy, void *),
                  void *gdata, HPy x)
{
    OWNCTX(ctx);
    HPy y = f(ctx, x, fdata);
    if (HPy_IsNull(y))
        return HPy_NULL;
    HPy z = g(ctx, y, gdata);
    HPy_Close(ctx, y);
    return z;
}

HPyAPI_DEFINE(cbapi, CBAPI);
static cbapi_API table;

/* fire(arg): the kept callback, called from the exporter's own method, with
   the context Python entered it with (no hpyapi call on the stack) */
HPyDef_METH(fire, "fire", HPyFunc_O)
static HPy fire_impl(HPyContext *ctx, HPy self, HPy arg)
{
    (void)self;
    return fire_kept(ctx, arg);
}

HPyDef_METH(fire_stashed, "fire_stashed", HPyFunc_O)
static HPy fire_stashed_impl(HPyContext *ctx, HPy self, HPy arg)
{
    (void)self;
    if (stashed_fn == NULL) {
        HPyErr_SetString(ctx, ctx->h_RuntimeError, "nothing stashed");
        return HPy_NULL;
    }
    return stashed_fn(ctx, arg, stashed_ud);
}

HPyDef_METH(ctx_name, "ctx_name", HPyFunc_NOARGS)
static HPy ctx_name_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyUnicode_FromString(ctx, ctx->name);
}

HPyDef_SLOT(cbexporter_exec, HPy_mod_exec)
static int cbexporter_exec_impl(HPyContext *ctx, HPy m)
{
    table.Cb_Map = HPy_AsAPI(ctx, Cb_Map);
    table.Cb_Sum = HPy_AsAPI(ctx, Cb_Sum);
    table.Cb_Register = HPy_AsAPI(ctx, Cb_Register);
    table.Cb_Fire = HPy_AsAPI(ctx, Cb_Fire);
    table.Cb_Each = HPy_AsAPI(ctx, Cb_Each);
    table.Cb_Stash = HPy_AsAPI(ctx, Cb_Stash);
    table.Cb_Nullary = HPy_AsAPI(ctx, Cb_Nullary);
    table.Cb_Two = HPy_AsAPI(ctx, Cb_Two);
    return HPyAPI_Export(ctx, m, cbapi, &table);
}

OWNCTX_METHOD

static HPyDef *module_defines[] = {&foreign_ctx_calls, &own_ctx_address, &fire, &fire_stashed, &ctx_name,
                                   &cbexporter_exec, NULL};
static HPyModuleDef moddef = {
    .doc = "hpyapi callbacks test exporter",
    .defines = module_defines,
};
#ifndef MODNAME
#define MODNAME cbexporter
#endif
TEST_MODINIT(MODNAME, moddef)
