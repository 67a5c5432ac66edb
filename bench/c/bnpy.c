/* bnpy.c - the legacy-bridge benchmark loops of an HPy caller: NumPy's
 * C-API through hpyapi's bridge (examples/npy_api.h), next to bnpyc.c, the
 * same calls from a plain C-API extension. */
#include <time.h>
#include "hpy.h"
#include "npy_api.h"
#include "benchapi.h" /* BENCH_* numbers, callgrind markers */

HPyAPI_LEGACY_USE(npy, NPY_LEGACY, "numpy._core._multiarray_umath",
                  "_ARRAY_API", NULL,
                  HPyAPI_LEGACY_VERSIONS(GetNDArrayCVersion, NPY_ABI_2,
                                         GetNDArrayCFeatureVersion,
                                         NPY_FEATURE_2_0));
static volatile long sink;

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Size(a): one handle in, a C value out; the Python round trip reads the
 * same number as the attribute `size` (name: an interned str) */
static long long loop_size(HPyContext *ctx, int how, long n, HPy a, HPy name)
{
    long long t0 = now_ns();
    long acc = 0;
    if (how == BENCH_TABLE) {
        for (long i = 0; i < n; i++)
            acc += (long)npy_api->Size(ctx, a);
    } else {
        for (long i = 0; i < n; i++) {
            HPy r = HPy_GetAttr(ctx, a, name);
            if (HPy_IsNull(r))
                return -1;
            acc += HPyLong_AsLong(ctx, r);
            HPy_Close(ctx, r);
        }
    }
    sink = acc;
    return now_ns() - t0;
}

/* FromAny(a, NULL, ...): a handle in, a new handle (a itself) out; the
 * Python round trip calls fn (numpy.asarray) */
static long long loop_fromany(HPyContext *ctx, int how, long n, HPy a, HPy fn)
{
    long long t0 = now_ns();
    for (long i = 0; i < n; i++) {
        HPy r = how == BENCH_TABLE
                    ? npy_api->FromAny(ctx, a, HPy_NULL, 0, 0, 0, HPy_NULL)
                    : HPy_Call(ctx, fn, &a, 1, HPy_NULL);
        if (HPy_IsNull(r))
            return -1;
        HPy_Close(ctx, r);
    }
    return now_ns() - t0;
}

/* run(how, what, n, array, name_or_fn, label): nanoseconds for n calls */
HPyDef_METH(run, "run", HPyFunc_VARARGS)
static HPy run_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    (void)self;
    int how, what;
    long n;
    HPy a, extra;
    const char *label;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "iilOOs", &how, &what, &n, &a,
                      &extra, &label))
        return HPy_NULL;
    BENCH_CG_START();
    long long ns = what == 0 ? loop_size(ctx, how, n, a, extra)
                             : loop_fromany(ctx, how, n, a, extra);
    BENCH_CG_STOP(label);
    if (ns < 0)
        return HPy_NULL;
    return HPyLong_FromLongLong(ctx, ns);
}

HPyDef_SLOT(bnpy_exec, HPy_mod_exec)
static int bnpy_exec_impl(HPyContext *ctx, HPy module)
{
    return import_npy(ctx, module);
}

static HPyDef *defines[] = {&run, &bnpy_exec, NULL};
static HPyModuleDef moddef = {.defines = defines};
HPy_MODINIT(bnpy, moddef)
