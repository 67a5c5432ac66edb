/* benchapi.h - what the benchmarks call: a trivial entry and a realistic
 * one (the sum of ten handles), plus a raw NumPy-style table of the same
 * functions (the caller's context passed straight through: the baseline). */
#ifndef BENCHAPI_H
#define BENCHAPI_H
#include "hpyapi.h"

#define BENCHAPI(FUNC, OBJECT, RETIRED)                                        \
    FUNC(0, 0, long, Trivial, (HPy, a))                                        \
    FUNC(1, 0, HPy, Sum, (const HPy *, items, n))
HPyAPI_DECLARE(benchapi, BENCHAPI, 1, 0)

#ifdef HPy_H
/* today's scheme: a struct of the implementations, no trampolines */
typedef struct {
    long (*Trivial)(HPyContext *ctx, HPy a);
    HPy (*Sum)(HPyContext *ctx, const HPy *items, HPy_ssize_t n);
} benchapi_raw;

/* Imports benchapi from module object `exporter` (by its __name__) and
 * reads its raw table; 0, or -1 with an exception set. */
static inline int bench_import(HPyContext *ctx, HPy exporter,
                               const benchapi_API **api,
                               const benchapi_raw **raw)
{
    HPy name = HPy_GetAttr_s(ctx, exporter, "__name__");
    HPy_ssize_t size;
    const char *s = HPy_IsNull(name) ? NULL
                                     : HPyUnicode_AsUTF8AndSize(ctx, name, &size);
    *api = s ? HPyAPI_Import(ctx, benchapi, s) : NULL;
    HPy_Close(ctx, name);
    if (*api == NULL)
        return -1;
    HPy cap = HPy_GetAttr_s(ctx, exporter, "_bench_raw");
    if (HPy_IsNull(cap))
        return -1;
    *raw = (const benchapi_raw *)HPyCapsule_GetPointer(ctx, cap, "bench.raw");
    HPy_Close(ctx, cap);
    return *raw == NULL ? -1 : 0;
}
#endif

/* what the loops call (bench.py passes these numbers) */
#define BENCH_RAW 0
#define BENCH_TABLE 1
#define BENCH_PYTHON 2
#define BENCH_TRIVIAL 0
#define BENCH_SUM 1
#define BENCH_N_ITEMS 10

#include "cg.h"

#endif
