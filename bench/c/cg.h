/* cg.h - what the benchmark loops measure with: a monotonic clock and
 * callgrind markers. */
#ifndef BENCH_CG_H
#define BENCH_CG_H
#include <time.h>

static inline long long bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Callgrind client requests (no-ops outside valgrind) delimit each loop, so
 * one run under callgrind gives every variant's instruction count.  The
 * run starts with instrumentation off (cgrun.py: --instr-atstart=no) and
 * each loop turns it on and off: Python's start-up, imports and module
 * loading then run uninstrumented, several times faster, and what a loop
 * counts is the same. */
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define BENCH_CG_START()                                                       \
    do {                                                                       \
        CALLGRIND_START_INSTRUMENTATION;                                       \
        CALLGRIND_ZERO_STATS;                                                  \
    } while (0)
#define BENCH_CG_STOP(label)                                                   \
    do {                                                                       \
        if ((label)[0]) /* "" for runs that are not measured */                \
            CALLGRIND_DUMP_STATS_AT(label);                                    \
        CALLGRIND_STOP_INSTRUMENTATION;                                        \
    } while (0)
#endif
#endif
#ifndef BENCH_CG_START
#define BENCH_CG_START()
#define BENCH_CG_STOP(label) ((void)(label))
#endif

#endif
