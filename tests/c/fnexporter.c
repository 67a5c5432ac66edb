/* fnexporter.c - exports fnapi (tests/c/fnapi.h): keeps the functions it
 * is given, as NumPy keeps a cast function or a wrapping loop's
 * translators, and calls them later from its own Python methods (fire_*)
 * with its own context and handles. */
#include <string.h>
#include "hpy.h"
#include "ownctx.h"
#define HPYAPI_EXPORTER 1 /* the file with HPyAPI_DEFINE: slot-type pools */
#include "fnapi.h"

static fn_cast casts[FN_NCASTS];
static fn_translate kept_given;
static fn_wloop kept_loop;
static fn_many many[32];
static fn_loop_descrs kept_translator;
static int kept_nin, kept_nout;
static HPyGlobal descrs; /* totype -> the descr it was registered with */

static int fail(HPyContext *ctx, HPy type, const char *msg)
{
    HPyErr_SetString(ctx, type, msg);
    return -1;
}

static int Fn_RegisterCast(HPyContext *ctx, HPy descr, int totype,
                           fn_cast castfunc)
{
    OWNCTX(ctx);
    if (totype < 0 || totype >= FN_NCASTS)
        return fail(ctx, ctx->h_ValueError, "Fn_RegisterCast: bad totype");
    HPy d = HPyGlobal_Load(ctx, descrs);
    HPy k = HPyLong_FromLong(ctx, totype);
    int rc = HPy_SetItem(ctx, d, k, descr);
    HPy_Close(ctx, k);
    HPy_Close(ctx, d);
    if (rc == 0)
        casts[totype] = castfunc; /* NULL clears, as NumPy's would fail */
    return rc;
}

/* keeps both, and calls `given` now, during the call, as a check */
static int Fn_AddWrapping(HPyContext *ctx, HPy ufunc, fn_translate given,
                          fn_wloop loop)
{
    OWNCTX(ctx);
    if (given == NULL || loop == NULL)
        return fail(ctx, ctx->h_TypeError, "Fn_AddWrapping: NULL function");
    kept_given = given;
    kept_loop = loop;
    return given(ctx, 2, ufunc);
}

static int Fn_Keep(HPyContext *ctx, int i, fn_many f)
{
    OWNCTX(ctx);
    if (i < 0 || i >= 32)
        return fail(ctx, ctx->h_IndexError, "Fn_Keep: 0..31");
    many[i] = f;
    return 0;
}

static int Fn_AddTranslator(HPyContext *ctx, int nin, int nout,
                            fn_loop_descrs translate)
{
    OWNCTX(ctx);
    kept_translator = translate;
    kept_nin = nin;
    kept_nout = nout;
    return 0;
}

HPyAPI_DEFINE(fnapi, FNAPI);
static fnapi_API table;

/* fire_cast(totype, value, n): the kept cast function's result */
HPyDef_METH(fire_cast, "fire_cast", HPyFunc_VARARGS)
static HPy fire_cast_impl(HPyContext *ctx, HPy self, const HPy *args,
                          size_t nargs)
{
    (void)self;
    OWNCTX(ctx);
    if (nargs != 3) {
        fail(ctx, ctx->h_TypeError, "fire_cast(totype, value, n)");
        return HPy_NULL;
    }
    long t = HPyLong_AsLong(ctx, args[0]);
    long n = HPyLong_AsLong(ctx, args[2]);
    if (HPyErr_Occurred(ctx))
        return HPy_NULL;
    if (t < 0 || t >= FN_NCASTS || casts[t] == NULL) {
        fail(ctx, ctx->h_LookupError, "no cast function kept");
        return HPy_NULL;
    }
    return casts[t](ctx, args[1], n);
}

/* fire_wrapping(given, value, n) -> (translate's int, loop's result) */
HPyDef_METH(fire_wrapping, "fire_wrapping", HPyFunc_VARARGS)
static HPy fire_wrapping_impl(HPyContext *ctx, HPy self, const HPy *args,
                              size_t nargs)
{
    (void)self;
    OWNCTX(ctx);
    if (nargs != 3 || kept_given == NULL) {
        fail(ctx, ctx->h_TypeError, "fire_wrapping(given, value, n), kept");
        return HPy_NULL;
    }
    long n = HPyLong_AsLong(ctx, args[2]);
    if (n == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    int rc = kept_given(ctx, 3, args[0]);
    if (rc == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    HPy r = kept_loop(ctx, args[1], n);
    if (HPy_IsNull(r))
        return HPy_NULL;
    HPy rch = HPyLong_FromLong(ctx, rc);
    HPy t = HPyTuple_Pack(ctx, 2, rch, r);
    HPy_Close(ctx, rch);
    HPy_Close(ctx, r);
    return t;
}

HPyDef_METH(fire_many, "fire_many", HPyFunc_VARARGS)
static HPy fire_many_impl(HPyContext *ctx, HPy self, const HPy *args,
                          size_t nargs)
{
    (void)self;
    OWNCTX(ctx);
    long i = nargs == 2 ? HPyLong_AsLong(ctx, args[0]) : -1;
    if (i < 0 || i >= 32 || many[i] == NULL) {
        if (!HPyErr_Occurred(ctx))
            fail(ctx, ctx->h_LookupError, "fire_many(i, value): none kept");
        return HPy_NULL;
    }
    return many[i](ctx, args[1]);
}

/* fire_translator(given_tuple) -> the loop_descrs it filled, a tuple */
#define FN_MAXD 8
HPyDef_METH(fire_translator, "fire_translator", HPyFunc_O)
static HPy fire_translator_impl(HPyContext *ctx, HPy self, HPy given)
{
    (void)self;
    OWNCTX(ctx);
    HPy in[FN_MAXD], out[FN_MAXD];
    int n = kept_nin + kept_nout;
    if (kept_translator == NULL || n > FN_MAXD || HPy_Length(ctx, given) != n) {
        if (!HPyErr_Occurred(ctx))
            fail(ctx, ctx->h_ValueError, "fire_translator: nin + nout items");
        return HPy_NULL;
    }
    for (int i = 0; i < n; i++) {
        in[i] = HPy_GetItem_i(ctx, given, i);
        out[i] = HPy_NULL;
    }
    int rc = kept_translator(ctx, kept_nin, kept_nout, in, out);
    HPy r = rc < 0 ? HPy_NULL : HPyTuple_FromArray(ctx, out, n);
    for (int i = 0; i < n; i++) {
        HPy_Close(ctx, in[i]);
        if (!HPy_IsNull(out[i]))
            HPy_Close(ctx, out[i]);
    }
    return r;
}

HPyDef_METH(kept_descr, "kept_descr", HPyFunc_O)
static HPy kept_descr_impl(HPyContext *ctx, HPy self, HPy totype)
{
    (void)self;
    HPy d = HPyGlobal_Load(ctx, descrs);
    HPy r = HPy_GetItem(ctx, d, totype);
    HPy_Close(ctx, d);
    return r;
}

HPyDef_METH(reset, "reset", HPyFunc_NOARGS)
static HPy reset_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    memset(casts, 0, sizeof casts);
    kept_given = NULL;
    kept_loop = NULL;
    kept_translator = NULL;
    HPy d = HPyDict_New(ctx);
    HPyGlobal_Store(ctx, &descrs, d);
    HPy_Close(ctx, d);
    return HPy_Dup(ctx, ctx->h_None);
}

OWNCTX_METHOD

HPyDef_SLOT(fnexp_exec, HPy_mod_exec)
static int fnexp_exec_impl(HPyContext *ctx, HPy m)
{
    HPy d = HPyDict_New(ctx);
    if (HPy_IsNull(d))
        return -1;
    HPyGlobal_Store(ctx, &descrs, d);
    HPy_Close(ctx, d);
    table.Fn_RegisterCast = HPy_AsAPI(ctx, Fn_RegisterCast);
    table.Fn_AddWrapping = HPy_AsAPI(ctx, Fn_AddWrapping);
    table.Fn_Keep = HPy_AsAPI(ctx, Fn_Keep);
    table.Fn_AddTranslator = HPy_AsAPI(ctx, Fn_AddTranslator);
    return HPyAPI_Export(ctx, m, fnapi, &table);
}

static HPyDef *defines[] = {&fire_cast, &fire_wrapping, &fire_many,
                            &fire_translator,
                            &kept_descr, &reset, &foreign_ctx_calls,
                            &own_ctx_address, &fnexp_exec, NULL};
static HPyGlobal *globals[] = {&descrs, NULL};
static HPyModuleDef moddef = {
    .doc = "fnapi exporter",
    .defines = defines,
    .globals = globals,
};
#ifndef MODNAME
#define MODNAME fnexporter
#endif
TEST_MODINIT(MODNAME, moddef)
