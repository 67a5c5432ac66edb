/* fnconsumer.c - an HPy consumer of fnapi (tests/c/fnapi.h) whose slot
 * functions call Python functions stored under a key ("a", "b", "given",
 * "loop"); each checks that it runs on a context of this module's own
 * family (bad_contexts() counts those that did not). */
#include <stdio.h>
#include <string.h>
#include "hpy.h"
#include "ownctx.h"
#include "fnapi.h"
#include "setup.h"

static const fnapi_API *api;
static HPyGlobal pyfuncs; /* key -> a Python function */

/* pyfuncs[key](args...), args a new tuple (closed here) */
static int store(HPyContext *ctx, const char *key, HPy f);

static HPy call(HPyContext *ctx, const char *key, HPy args)
{
    HPy d = HPyGlobal_Load(ctx, pyfuncs);
    HPy f = HPy_GetItem_s(ctx, d, key);
    HPy_Close(ctx, d);
    HPy r = HPy_IsNull(f) || HPy_IsNull(args)
                ? HPy_NULL
                : HPy_CallTupleDict(ctx, f, args, HPy_NULL);
    if (!HPy_IsNull(f))
        HPy_Close(ctx, f);
    if (!HPy_IsNull(args))
        HPy_Close(ctx, args);
    return r;
}

static HPy cast_with(HPyContext *ctx, const char *key, HPy value, long n)
{
    OWNCTX(ctx);
    HPy nh = HPyLong_FromLong(ctx, n);
    HPy r = call(ctx, key, HPyTuple_Pack(ctx, 2, value, nh));
    HPy_Close(ctx, nh);
    return r;
}
static HPy cast_a(HPyContext *ctx, HPy v, long n)
{
    return cast_with(ctx, "a", v, n);
}
static HPy cast_b(HPyContext *ctx, HPy v, long n)
{
    return cast_with(ctx, "b", v, n);
}
static HPy loop(HPyContext *ctx, HPy v, long n)
{
    return cast_with(ctx, "loop", v, n);
}

static int translate(HPyContext *ctx, int nin, HPy given)
{
    OWNCTX(ctx);
    HPy nh = HPyLong_FromLong(ctx, nin);
    HPy r = call(ctx, "given", HPyTuple_Pack(ctx, 2, nh, given));
    HPy_Close(ctx, nh);
    if (HPy_IsNull(r))
        return -1;
    long v = HPyLong_AsLong(ctx, r);
    HPy_Close(ctx, r);
    return (int)v;
}

/* fills loop_descrs with pyfuncs["tr"](nin, nout, given_tuple)'s items */
static int translator(HPyContext *ctx, int nin, int nout, const HPy *given,
                      HPy *loop_descrs)
{
    OWNCTX(ctx);
    HPy g = HPyTuple_FromArray(ctx, (HPy *)given, nin + nout);
    HPy a = HPyLong_FromLong(ctx, nin), b = HPyLong_FromLong(ctx, nout);
    HPy r = call(ctx, "tr", HPyTuple_Pack(ctx, 3, a, b, g));
    HPy_Close(ctx, a);
    HPy_Close(ctx, b);
    HPy_Close(ctx, g);
    if (HPy_IsNull(r))
        return -1;
    for (int i = 0; i < nin + nout; i++)
        loop_descrs[i] = HPy_GetItem_i(ctx, r, i);
    HPy_Close(ctx, r);
    return 0;
}

/* add_translator(nin, nout, f) */
HPyDef_METH(add_translator, "add_translator", HPyFunc_VARARGS)
static HPy add_translator_impl(HPyContext *ctx, HPy self, const HPy *args,
                               size_t nargs)
{
    (void)self;
    if (nargs != 3 || store(ctx, "tr", args[2]) < 0) {
        if (!HPyErr_Occurred(ctx))
            HPyErr_SetString(ctx, ctx->h_TypeError, "add_translator(i, o, f)");
        return HPy_NULL;
    }
    int nin = (int)HPyLong_AsLong(ctx, args[0]);
    int nout = (int)HPyLong_AsLong(ctx, args[1]);
    if (HPyErr_Occurred(ctx))
        return HPy_NULL;
    int rc = api->Fn_AddTranslator(ctx, nin, nout, translator);
    return rc < 0 ? HPy_NULL : HPyLong_FromLong(ctx, rc);
}

/* 20 different functions of one slot type, for the pool's limit */
#define FN_MANY(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) \
    X(11) X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19)
#define FN_DEF(i)                                                              \
    static HPy many##i(HPyContext *ctx, HPy value)                             \
    {                                                                          \
        OWNCTX(ctx);                                                           \
        return HPy_Dup(ctx, value);                                            \
    }
FN_MANY(FN_DEF)
#define FN_REF(i) many##i,
static const fn_many many[] = {FN_MANY(FN_REF)};

static int store(HPyContext *ctx, const char *key, HPy f)
{
    HPy d = HPyGlobal_Load(ctx, pyfuncs);
    int rc = HPy_SetItem_s(ctx, d, key, f);
    HPy_Close(ctx, d);
    return rc;
}

/* register_cast(descr, totype, which, f): which "a", "b" or None (NULL) */
HPyDef_METH(register_cast, "register_cast", HPyFunc_VARARGS)
static HPy register_cast_impl(HPyContext *ctx, HPy self, const HPy *args,
                              size_t nargs)
{
    (void)self;
    if (nargs != 4) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "register_cast(d, t, w, f)");
        return HPy_NULL;
    }
    int t = (int)HPyLong_AsLong(ctx, args[1]);
    fn_cast fn = NULL;
    if (!HPy_Is(ctx, args[2], ctx->h_None)) {
        const char *w = HPyUnicode_AsUTF8AndSize(ctx, args[2], NULL);
        if (w == NULL || store(ctx, w, args[3]) < 0)
            return HPy_NULL;
        fn = strcmp(w, "a") == 0 ? cast_a : cast_b;
    }
    if (HPyErr_Occurred(ctx))
        return HPy_NULL;
    int rc = api->Fn_RegisterCast(ctx, args[0], t, fn);
    return rc < 0 ? HPy_NULL : HPyLong_FromLong(ctx, rc);
}

/* add_wrapping(ufunc, given, loop): given's result, through the exporter */
HPyDef_METH(add_wrapping, "add_wrapping", HPyFunc_VARARGS)
static HPy add_wrapping_impl(HPyContext *ctx, HPy self, const HPy *args,
                             size_t nargs)
{
    (void)self;
    if (nargs != 3 || store(ctx, "given", args[1]) < 0 ||
        store(ctx, "loop", args[2]) < 0) {
        if (!HPyErr_Occurred(ctx))
            HPyErr_SetString(ctx, ctx->h_TypeError, "add_wrapping(u, g, l)");
        return HPy_NULL;
    }
    int rc = api->Fn_AddWrapping(ctx, args[0], translate, loop);
    return rc == -1 && HPyErr_Occurred(ctx) ? HPy_NULL
                                            : HPyLong_FromLong(ctx, rc);
}

HPyDef_METH(keep_many, "keep_many", HPyFunc_O)
static HPy keep_many_impl(HPyContext *ctx, HPy self, HPy ih)
{
    (void)self;
    long i = HPyLong_AsLong(ctx, ih);
    if (i < 0 || i >= 20) {
        if (!HPyErr_Occurred(ctx))
            HPyErr_SetString(ctx, ctx->h_IndexError, "keep_many: 0..19");
        return HPy_NULL;
    }
    int rc = api->Fn_Keep(ctx, (int)i, many[i]);
    return rc < 0 ? HPy_NULL : HPyLong_FromLong(ctx, rc);
}

CONSUMER_SETUP(api, fnapi, (void)0)

OWNCTX_METHOD

HPyDef_SLOT(fncons_exec, HPy_mod_exec)
static int fncons_exec_impl(HPyContext *ctx, HPy m)
{
    (void)m;
    HPy d = HPyDict_New(ctx);
    if (HPy_IsNull(d))
        return -1;
    HPyGlobal_Store(ctx, &pyfuncs, d);
    HPy_Close(ctx, d);
    return 0;
}

static HPyDef *defines[] = {&register_cast, &add_wrapping, &keep_many,
                            &add_translator,
                            &setup, &bad_ctx, &foreign_ctx_calls,
                            &own_ctx_address, &fncons_exec, NULL};
static HPyGlobal *globals[] = {&pyfuncs, NULL};
static HPyModuleDef moddef = {
    .doc = "fnapi consumer",
    .defines = defines,
    .globals = globals,
};
#ifndef MODNAME
#define MODNAME fnconsumer
#endif
TEST_MODINIT(MODNAME, moddef)
