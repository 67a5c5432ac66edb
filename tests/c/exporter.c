/* exporter.c - exports testapi.  Built once per ABI, loaded per mode. */
#include "hpy.h"
#include "ownctx.h"
#include "testapi.h"
#include "outapi.h"

static HPyGlobal Thing;  /* OBJECT entry: the exporter's type object */
static HPyGlobal stored; /* Store/Load */

static HPy Add(HPyContext *ctx, HPy a, HPy b) { OWNCTX(ctx); return HPy_Add(ctx, a, b); }

static long AsLong(HPyContext *ctx, HPy a) { OWNCTX(ctx); return HPyLong_AsLong(ctx, a); }

static HPy SumList(HPyContext *ctx, const HPy *items, HPy_ssize_t n)
{
    OWNCTX(ctx);
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
    OWNCTX(ctx);
    (void)ctx;
    return x * k;
}

/* Calls back into Python, which may call the API again (re-entrancy). */
static HPy CallBack(HPyContext *ctx, HPy fn, HPy arg)
{
    OWNCTX(ctx);
    return HPy_Call(ctx, fn, &arg, 1, HPy_NULL);
}

static int Raise(HPyContext *ctx, HPy type, const char *msg)
{
    OWNCTX(ctx);
    HPyErr_SetString(ctx, type, msg);
    return -1;
}

static HPy NullResult(HPyContext *ctx, int set_error)
{
    OWNCTX(ctx);
    if (set_error)
        HPyErr_SetString(ctx, ctx->h_ValueError, "NullResult was asked to fail");
    return HPy_NULL;
}

static void Store(HPyContext *ctx, HPy obj) { OWNCTX(ctx); HPyGlobal_Store(ctx, &stored, obj); }

static HPy Load(HPyContext *ctx) { OWNCTX(ctx); return HPyGlobal_Load(ctx, stored); }

static HPy Identity(HPyContext *ctx, HPy a) { OWNCTX(ctx); return HPy_Dup(ctx, a); }

/* The context the implementation actually ran with. */
static const char *CtxName(HPyContext *ctx) { OWNCTX(ctx); return ctx->name; }

/* Passes a NULL handle through (which == 2 returns "null" marker). */
static HPy Pick(HPyContext *ctx, HPy a, HPy b, int which)
{
    OWNCTX(ctx);
    HPy r = which ? b : a;
    if (HPy_IsNull(r))
        return HPyUnicode_FromString(ctx, "<NULL handle>");
    return HPy_Dup(ctx, r);
}

/* sep.join(parts) + tail: handles before, inside and after an array. */
static HPy Concat(HPyContext *ctx, HPy sep, const HPy *parts, HPy_ssize_t n,
                  HPy tail)
{
    OWNCTX(ctx);
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
static long Version(HPyContext *ctx) { OWNCTX(ctx); (void)ctx; return 11; }
#endif

HPyAPI_DEFINE(testapi, TESTAPI);

static testapi_API table;

#ifdef WITH_OUTAPI /* the outexporter variant: a second API, same file */
/* ---- outapi: out-handles ---------------------------------------------------
 * Like NumPy's converters: 1 and *out = a new handle (2 * obj) for an int,
 * 0 and a TypeError for anything else, *out untouched. */
static int Out_Parse(HPyContext *ctx, HPy obj, HPy *out)
{
    OWNCTX(ctx);
    if (!HPy_TypeCheck(ctx, obj, ctx->h_LongType)) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "Out_Parse: not an int");
        return 0;
    }
    HPy r = HPy_Add(ctx, obj, obj);
    if (HPy_IsNull(r))
        return 0;
    *out = r;
    return 1;
}

/* *first = seq[0], *rest = seq[1:]; -1 and nothing written on error */
static int Out_Split(HPyContext *ctx, HPy seq, HPy *first, HPy *rest)
{
    OWNCTX(ctx);
    HPy_ssize_t n = HPy_Length(ctx, seq);
    if (n < 1) {
        if (n == 0)
            HPyErr_SetString(ctx, ctx->h_ValueError, "Out_Split: empty");
        return -1;
    }
    HPy items[16];
    HPy_ssize_t k = 0;
    for (; k < n && k < 16; k++)
        if (HPy_IsNull(items[k] = HPy_GetItem_i(ctx, seq, k)))
            break;
    HPy tail = k == n && k <= 16 ? HPyTuple_FromArray(ctx, items + 1, k - 1)
                                 : HPy_NULL;
    for (HPy_ssize_t i = 1; i < k; i++)
        HPy_Close(ctx, items[i]);
    if (HPy_IsNull(tail)) {
        if (k > 0)
            HPy_Close(ctx, items[0]);
        if (!HPyErr_Occurred(ctx))
            HPyErr_SetString(ctx, ctx->h_ValueError, "Out_Split: too long");
        return -1;
    }
    *first = items[0];
    *rest = tail;
    return 0;
}

/* items[i] = seq[i] for the first min(n, len(seq)); returns how many */
static HPy_ssize_t Out_Fill(HPyContext *ctx, HPy seq, HPy *items,
                           HPy_ssize_t n)
{
    OWNCTX(ctx);
    HPy_ssize_t len = HPy_Length(ctx, seq);
    if (len < 0)
        return -1;
    HPy_ssize_t i = 0;
    for (; i < n && i < len; i++) {
        items[i] = HPy_GetItem_i(ctx, seq, i);
        if (HPy_IsNull(items[i]))
            return -1; /* those before stay the caller's */
    }
    return i;
}

/* returns a + 1 and writes a + 2: a result and an out-handle together */
static HPy Out_Both(HPyContext *ctx, HPy a, HPy *out)
{
    OWNCTX(ctx);
    HPy one = HPyLong_FromLong(ctx, 1);
    HPy r = HPy_Add(ctx, a, one);
    HPy r2 = HPy_IsNull(r) ? HPy_NULL : HPy_Add(ctx, r, one);
    HPy_Close(ctx, one);
    if (HPy_IsNull(r2)) {
        HPy_Close(ctx, r);
        return HPy_NULL;
    }
    *out = r2;
    return r;
}

HPyAPI_DEFINE(outapi, OUTAPI);
static outapi_API out_table;
#endif

#ifdef WITH_FORMSAPI /* the formsexporter variant: formsapi, same file */
#include "formsexp.h"
#endif

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
#ifdef WITH_FORMSAPI
    if (export_forms(ctx, m) < 0)
        return -1;
#endif
#ifndef WITH_OUTAPI
    return HPyAPI_Export(ctx, m, testapi, &table);
#else
    if (HPyAPI_Export(ctx, m, testapi, &table) < 0)
        return -1;
    out_table.Out_Parse = HPy_AsAPI(ctx, Out_Parse);
    out_table.Out_Split = HPy_AsAPI(ctx, Out_Split);
    out_table.Out_Fill = HPy_AsAPI(ctx, Out_Fill);
    out_table.Out_Both = HPy_AsAPI(ctx, Out_Both);
    return HPyAPI_Export(ctx, m, outapi, &out_table);
#endif
}

OWNCTX_METHOD

static HPyDef *module_defines[] = {&foreign_ctx_calls, &own_ctx_address, &ctx_name, &exporter_exec, NULL};
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
