/* bexporter.c - the benchmarks' exporter: benchapi through hpyapi, the raw
 * table, and the same functions as Python methods (the round trip). */
#include "hpy.h"
#include "benchapi.h"

static long Trivial(HPyContext *ctx, HPy a)
{
    (void)ctx;
    (void)a;
    return 1;
}

static HPy Sum(HPyContext *ctx, const HPy *items, HPy_ssize_t n)
{
    HPy acc = HPyLong_FromLong(ctx, 0);
    for (HPy_ssize_t i = 0; i < n && !HPy_IsNull(acc); i++) {
        HPy next = HPy_Add(ctx, acc, items[i]);
        HPy_Close(ctx, acc);
        acc = next;
    }
    return acc;
}

HPyAPI_DEFINE(benchapi, BENCHAPI);
static benchapi_API table;
static benchapi_raw raw = {Trivial, Sum};

/* the Python round trip does the same work */
HPyDef_METH(trivial, "trivial", HPyFunc_O)
static HPy trivial_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    return HPyLong_FromLong(ctx, Trivial(ctx, a));
}

HPyDef_METH(sum, "sum", HPyFunc_VARARGS)
static HPy sum_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    (void)self;
    return Sum(ctx, args, (HPy_ssize_t)nargs);
}

HPyDef_SLOT(bexporter_exec, HPy_mod_exec)
static int bexporter_exec_impl(HPyContext *ctx, HPy m)
{
    table.Trivial = HPy_AsAPI(ctx, Trivial);
    table.Sum = HPy_AsAPI(ctx, Sum);
    HPy cap = HPyCapsule_New(ctx, &raw, "bench.raw", NULL);
    if (HPy_IsNull(cap) || HPy_SetAttr_s(ctx, m, "_bench_raw", cap) < 0)
        return -1;
    HPy_Close(ctx, cap);
    return HPyAPI_Export(ctx, m, benchapi, &table);
}

static HPyDef *defines[] = {&trivial, &sum, &bexporter_exec, NULL};
static HPyModuleDef moddef = {.defines = defines};
HPy_MODINIT(bexporter, moddef)
