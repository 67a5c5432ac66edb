/* cbconsumer.c - an HPy consumer of cbapi whose callbacks call Python
 * functions.  Every callback checks that it runs with a context of this
 * module's own family (bad_contexts() counts those that did not). */
#include <string.h>
#include "hpy.h"
#include "ownctx.h"
#include "cbapi.h"
#include "setup.h"

static const cbapi_API *api;
static HPyGlobal registered, stashed;
static int kept_token, stash_token; /* user data the exporter keeps */

/* user data of the callbacks made during one call: a Python callable */
typedef struct {
    HPy func;
} pydata;

static HPy call_py(HPyContext *ctx, HPy func, HPy args)
{
    if (HPy_IsNull(args))
        return HPy_NULL;
    HPy r = HPy_CallTupleDict(ctx, func, args, HPy_NULL);
    HPy_Close(ctx, args);
    return r;
}

static HPy map_cb(HPyContext *ctx, HPy item, long i, void *ud)
{
    OWNCTX(ctx);
    HPy ih = HPyLong_FromLong(ctx, i);
    if (HPy_IsNull(ih))
        return HPy_NULL;
    HPy r = call_py(ctx, ((pydata *)ud)->func, HPyTuple_Pack(ctx, 2, item, ih));
    HPy_Close(ctx, ih);
    return r;
}

static long sum_cb(HPyContext *ctx, long i, void *ud)
{
    OWNCTX(ctx);
    HPy ih = HPyLong_FromLong(ctx, i);
    if (HPy_IsNull(ih))
        return -1;
    HPy r = call_py(ctx, ((pydata *)ud)->func, HPyTuple_Pack(ctx, 1, ih));
    HPy_Close(ctx, ih);
    if (HPy_IsNull(r))
        return -1;
    long v = HPyLong_AsLong(ctx, r);
    HPy_Close(ctx, r);
    return v;
}

static HPy one_cb(HPyContext *ctx, HPy arg, void *ud)
{
    OWNCTX(ctx);
    return call_py(ctx, ((pydata *)ud)->func, HPyTuple_Pack(ctx, 1, arg));
}

static HPy global_cb(HPyContext *ctx, HPy arg, void *ud)
{
    OWNCTX(ctx);
    HPy func = HPyGlobal_Load(ctx, ud == &kept_token ? registered : stashed);
    HPy r = call_py(ctx, func, HPyTuple_Pack(ctx, 1, arg));
    HPy_Close(ctx, func);
    return r;
}

static void each_cb(HPyContext *ctx, HPy item, HPy extra, void *ud)
{
    OWNCTX(ctx);
    HPy r = call_py(ctx, ((pydata *)ud)->func, HPyTuple_Pack(ctx, 2, item, extra));
    if (!HPy_IsNull(r))
        HPy_Close(ctx, r);
}

static const cb_visit each_cb_typed = each_cb; /* the named type fits */

static long nullary_cb(HPyContext *ctx, void *ud)
{
    OWNCTX(ctx);
    HPy r = call_py(ctx, ((pydata *)ud)->func, HPyTuple_Pack(ctx, 0));
    if (HPy_IsNull(r))
        return -1;
    long v = HPyLong_AsLong(ctx, r);
    HPy_Close(ctx, r);
    return v;
}

CONSUMER_SETUP(api, cbapi, (void)0)

HPyDef_METH(cb_map, "cb_map", HPyFunc_VARARGS)
static HPy cb_map_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    (void)n;
    pydata d = {args[1]};
    return api->Cb_Map(ctx, args[0], map_cb, &d);
}

HPyDef_METH(cb_sum, "cb_sum", HPyFunc_VARARGS)
static HPy cb_sum_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    (void)n;
    pydata d = {args[1]};
    long r = api->Cb_Sum(ctx, HPyLong_AsLong(ctx, args[0]), sum_cb, &d);
    if (r == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, r);
}

HPyDef_METH(cb_register, "cb_register", HPyFunc_O)
static HPy cb_register_impl(HPyContext *ctx, HPy self, HPy func)
{
    (void)self;
    HPyGlobal_Store(ctx, &registered, func);
    if (api->Cb_Register(ctx, global_cb, &kept_token) < 0)
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(cb_fire, "cb_fire", HPyFunc_O)
static HPy cb_fire_impl(HPyContext *ctx, HPy self, HPy arg)
{
    (void)self;
    return api->Cb_Fire(ctx, arg);
}

HPyDef_METH(cb_each, "cb_each", HPyFunc_VARARGS)
static HPy cb_each_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    (void)n;
    pydata d = {args[1]};
    int r = api->Cb_Each(ctx, args[0], each_cb_typed, &d, args[2]);
    if (r < 0)
        return HPy_NULL;
    return HPyLong_FromLong(ctx, r);
}

HPyDef_METH(cb_stash, "cb_stash", HPyFunc_O)
static HPy cb_stash_impl(HPyContext *ctx, HPy self, HPy func)
{
    (void)self;
    HPyGlobal_Store(ctx, &stashed, func);
    if (api->Cb_Stash(ctx, global_cb, &stash_token) < 0)
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(cb_nullary, "cb_nullary", HPyFunc_O)
static HPy cb_nullary_impl(HPyContext *ctx, HPy self, HPy func)
{
    (void)self;
    pydata d = {func};
    long r = api->Cb_Nullary(ctx, nullary_cb, &d);
    if (r == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, r);
}

/* cb_two(f, g, x) -> g(f(x)), and cb_two(None, g, x) passes no f */
HPyDef_METH(cb_two, "cb_two", HPyFunc_VARARGS)
static HPy cb_two_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    (void)n;
    pydata f = {args[0]}, g = {args[1]};
    return api->Cb_Two(ctx, one_cb, &f, one_cb, &g, args[2]);
}

OWNCTX_METHOD

static HPyDef *module_defines[] = {&foreign_ctx_calls, &own_ctx_address,
    &setup, &bad_ctx, &cb_map, &cb_sum, &cb_register, &cb_fire, &cb_each,
    &cb_stash, &cb_nullary, &cb_two, NULL};
static HPyGlobal *module_globals[] = {&registered, &stashed, NULL};
static HPyModuleDef moddef = {
    .doc = "hpyapi callbacks test consumer",
    .defines = module_defines,
    .globals = module_globals,
};
#ifndef MODNAME
#define MODNAME cbconsumer
#endif
TEST_MODINIT(MODNAME, moddef)
