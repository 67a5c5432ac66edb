/* exporter.c - exports testapi.  Built once per ABI, loaded per mode. */
#include "hpy.h"
#include "testapi.h"

static HPyGlobal Thing;  /* OBJECT entry: the exporter's type object */
static HPyGlobal stored; /* Store/Load */

static HPy Add(HPyContext *ctx, HPy a, HPy b) { return HPy_Add(ctx, a, b); }

static long AsLong(HPyContext *ctx, HPy a) { return HPyLong_AsLong(ctx, a); }

static HPy SumList(HPyContext *ctx, const HPy *items, HPy_ssize_t n)
{
    HPy acc = HPyLong_FromLong(ctx, 0);
    for (HPy_ssize_t i = 0; i < n && !HPy_IsNull(acc); i++) {
        HPy next = HPy_Add(ctx, acc, items[i]);
        HPy_Close(ctx, acc);
        acc = next;
    }
    return acc;
}

static double Scale(HPyContext *ctx, double x, int k)
{
    (void)ctx;
    return x * k;
}

/* Calls back into Python, which may call the API again (re-entrancy). */
static HPy CallBack(HPyContext *ctx, HPy fn, HPy arg)
{
    return HPy_Call(ctx, fn, &arg, 1, HPy_NULL);
}

static int Raise(HPyContext *ctx, HPy type, const char *msg)
{
    HPyErr_SetString(ctx, type, msg);
    return -1;
}

static HPy NullResult(HPyContext *ctx, int set_error)
{
    if (set_error)
        HPyErr_SetString(ctx, ctx->h_ValueError, "NullResult was asked to fail");
    return HPy_NULL;
}

static void Store(HPyContext *ctx, HPy obj) { HPyGlobal_Store(ctx, &stored, obj); }

static HPy Load(HPyContext *ctx) { return HPyGlobal_Load(ctx, stored); }

static HPy Identity(HPyContext *ctx, HPy a) { return HPy_Dup(ctx, a); }

/* The context the implementation actually ran with. */
static const char *CtxName(HPyContext *ctx) { return ctx->name; }

/* Passes a NULL handle through (which == 2 returns "null" marker). */
static HPy Pick(HPyContext *ctx, HPy a, HPy b, int which)
{
    HPy r = which ? b : a;
    if (HPy_IsNull(r))
        return HPyUnicode_FromString(ctx, "<NULL handle>");
    return HPy_Dup(ctx, r);
}

/* sep.join(parts) + tail: handles before, inside and after an array. */
static HPy Concat(HPyContext *ctx, HPy sep, const HPy *parts, HPy_ssize_t n,
                  HPy tail)
{
    HPy lst = HPyList_New(ctx, 0);
    for (HPy_ssize_t i = 0; i < n; i++)
        HPyList_Append(ctx, lst, parts[i]);
    HPy join = HPy_GetAttr_s(ctx, sep, "join");
    HPy joined = HPy_Call(ctx, join, &lst, 1, HPy_NULL);
    HPy_Close(ctx, join);
    HPy_Close(ctx, lst);
    if (HPy_IsNull(joined))
        return HPy_NULL;
    HPy res = HPy_Add(ctx, joined, tail);
    HPy_Close(ctx, joined);
    return res;
}

#if TESTAPI_MINOR >= 1
static long Version(HPyContext *ctx) { (void)ctx; return 11; }
#endif

HPyAPI_DEFINE(testapi, TESTAPI);

static testapi_API table;

HPyDef_METH(ctx_name, "ctx_name", HPyFunc_NOARGS)
static HPy ctx_name_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyUnicode_FromString(ctx, ctx->name);
}

static HPyType_Spec Thing_spec = {.name = "exporter.Thing", .basicsize = 0};

HPyDef_SLOT(exporter_exec, HPy_mod_exec)
static int exporter_exec_impl(HPyContext *ctx, HPy m)
{
    HPy t = HPyType_FromSpec(ctx, &Thing_spec, NULL);
    if (HPy_IsNull(t))
        return -1;
    HPyGlobal_Store(ctx, &Thing, t);
    int err = HPy_SetAttr_s(ctx, m, "Thing", t);
    HPy_Close(ctx, t);
    if (err < 0)
        return -1;

    table.Thing = HPy_AsAPI(ctx, Thing);
    table.Add = HPy_AsAPI(ctx, Add);
    table.AsLong = HPy_AsAPI(ctx, AsLong);
    table.SumList = HPy_AsAPI(ctx, SumList);
    table.Scale = HPy_AsAPI(ctx, Scale);
    table.CallBack = HPy_AsAPI(ctx, CallBack);
    table.Raise = HPy_AsAPI(ctx, Raise);
    table.NullResult = HPy_AsAPI(ctx, NullResult);
    table.Store = HPy_AsAPI(ctx, Store);
    table.Load = HPy_AsAPI(ctx, Load);
    table.Identity = HPy_AsAPI(ctx, Identity);
    table.CtxName = HPy_AsAPI(ctx, CtxName);
    table.Pick = HPy_AsAPI(ctx, Pick);
    table.Concat = HPy_AsAPI(ctx, Concat);
#if TESTAPI_MINOR >= 1
    table.Version = HPy_AsAPI(ctx, Version);
#endif
    /* exporter bugs that HPyAPI_Export must refuse (bad-input tests) */
#if BREAK_EXPORT == 1
    table.Add = NULL;
#elif BREAK_EXPORT == 2
    table.Identity = Identity; /* the raw function, not its trampoline */
#endif
    return HPyAPI_Export(ctx, m, testapi, &table);
}

static HPyDef *module_defines[] = {&ctx_name, &exporter_exec, NULL};
static HPyGlobal *module_globals[] = {&Thing, &stored, NULL};
static HPyModuleDef moddef = {
    .doc = "hpyapi test exporter",
    .defines = module_defines,
    .globals = module_globals,
};
#ifndef MODNAME
#define MODNAME exporter
#endif
TEST_MODINIT(MODNAME, moddef)
