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
#endif

/* what the loops call (bench.py passes these numbers) */
#define BENCH_RAW 0
#define BENCH_TABLE 1
#define BENCH_PYTHON 2
#define BENCH_TRIVIAL 0
#define BENCH_SUM 1
#define BENCH_N_ITEMS 10

/* Callgrind client requests (no-ops outside valgrind) delimit each loop, so
 * one run under callgrind gives every variant's instruction count. */
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define BENCH_CG_START() CALLGRIND_ZERO_STATS
#define BENCH_CG_STOP(label)                                                   \
    do {                                                                       \
        if ((label)[0]) /* "" for runs that are not measured */                \
            CALLGRIND_DUMP_STATS_AT(label);                                    \
    } while (0)
#endif
#endif
#ifndef BENCH_CG_START
#define BENCH_CG_START()
#define BENCH_CG_STOP(label) ((void)(label))
#endif

#endif
