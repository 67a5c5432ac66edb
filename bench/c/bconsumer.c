/* bconsumer.c - the benchmark loops of an HPy caller, in C. */
#include "hpy.h"
#include "benchapi.h"

static const benchapi_API *api;
static const benchapi_raw *raw;
static volatile long sink;

HPyDef_METH(setup, "setup", HPyFunc_O)
static HPy setup_impl(HPyContext *ctx, HPy self, HPy exporter)
{
    (void)self;
    if (bench_import(ctx, exporter, &api, &raw) < 0)
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

/* The loops: one function per variant, so that the compiler cannot merge
 * or hoist anything across them. */
static long long loop_trivial(HPyContext *ctx, int how, long n, HPy a,
                              HPy fn)
{
    long long t0 = bench_now_ns();
    long acc = 0;
    if (how == BENCH_RAW) {
        for (long i = 0; i < n; i++)
            acc += raw->Trivial(ctx, a);
    } else if (how == BENCH_TABLE) {
        for (long i = 0; i < n; i++)
            acc += api->Trivial(ctx, a);
    } else {
        for (long i = 0; i < n; i++) {
            HPy r = HPy_Call(ctx, fn, &a, 1, HPy_NULL);
            if (HPy_IsNull(r))
                return -1;
            HPy_Close(ctx, r);
            acc++;
        }
    }
    sink = acc;
    return bench_now_ns() - t0;
}

/* one loop per variant, like loop_trivial, so that each pays the same */
#define SUM_LOOP(call)                                                         \
    for (long i = 0; i < n; i++) {                                             \
        HPy r = call;                                                          \
        if (HPy_IsNull(r))                                                     \
            return -1;                                                         \
        HPy_Close(ctx, r);                                                     \
    }

static long long loop_sum(HPyContext *ctx, int how, long n, const HPy *items,
                          HPy fn)
{
    long long t0 = bench_now_ns();
    if (how == BENCH_RAW) {
        SUM_LOOP(raw->Sum(ctx, items, BENCH_N_ITEMS))
    } else if (how == BENCH_TABLE) {
        SUM_LOOP(api->Sum(ctx, items, BENCH_N_ITEMS))
    } else {
        SUM_LOOP(HPy_Call(ctx, fn, items, BENCH_N_ITEMS, HPy_NULL))
    }
    return bench_now_ns() - t0;
}

/* run(how, what, n, items, fn, label): nanoseconds for n calls; `items`
 * is a tuple of BENCH_N_ITEMS ints (the first is the trivial argument),
 * `fn` the exporter's Python function for BENCH_PYTHON, `label` names the
 * callgrind dump. */
HPyDef_METH(run, "run", HPyFunc_VARARGS)
static HPy run_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    (void)self;
    int how, what;
    long n;
    HPy tup, fn;
    const char *label;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "iilOOs", &how, &what, &n,
                      &tup, &fn, &label))
        return HPy_NULL;
    HPy items[BENCH_N_ITEMS];
    for (int i = 0; i < BENCH_N_ITEMS; i++)
        items[i] = HPy_GetItem_i(ctx, tup, i);
    BENCH_CG_START();
    long long ns = what == BENCH_TRIVIAL
                       ? loop_trivial(ctx, how, n, items[0], fn)
                       : loop_sum(ctx, how, n, items, fn);
    BENCH_CG_STOP(label);
    for (int i = 0; i < BENCH_N_ITEMS; i++)
        HPy_Close(ctx, items[i]);
    if (ns < 0)
        return HPy_NULL;
    return HPyLong_FromLongLong(ctx, ns);
}

/* import_time(exporter_name, n): nanoseconds for n HPyAPI_Import calls */
HPyDef_METH(import_time, "import_time", HPyFunc_VARARGS)
static HPy import_time_impl(HPyContext *ctx, HPy self, const HPy *args,
                            size_t nargs)
{
    (void)self;
    const char *name;
    long n;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "sl", &name, &n))
        return HPy_NULL;
    long long t0 = bench_now_ns();
    for (long i = 0; i < n; i++)
        if (HPyAPI_Import(ctx, benchapi, name) == NULL)
            return HPy_NULL;
    return HPyLong_FromLongLong(ctx, bench_now_ns() - t0);
}

HPyDef_METH(mode, "mode", HPyFunc_NOARGS)
static HPy mode_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyUnicode_FromString(ctx, ctx->name);
}

static HPyDef *defines[] = {&setup, &run, &import_time, &mode, NULL};
static HPyModuleDef moddef = {.defines = defines};
HPy_MODINIT(bconsumer, moddef)
