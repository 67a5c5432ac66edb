/* thrconsumer.c - calls thrapi.h (tests/c/threxporter.c) and, through a
 * legacy bridge, thrtab's table (tests/c/thrtab.c), from Python and from
 * threads of its own that do not hold the GIL. */
#include <pthread.h>
#include "hpy.h"
#include "thrapi.h"

#ifndef THRTAB_MODULE /* where tests/test_hooks_engine.py loads it */
#define THRTAB_MODULE "hpyapi_he_capi.thrtab"
#endif
#define THRTAB_LEGACY(FUNC, OBJECT, RETIRED)                                   \
    FUNC(0, 0, unsigned int, Version, (void))                                  \
    FUNC(1, 0, long, Twice, (long, x))                                         \
    FUNC(2, 0, long, Thrice, (long, x))
HPyAPI_LEGACY_DECLARE(thrtab, THRTAB_LEGACY);
HPyAPI_LEGACY_USE(thrtab, THRTAB_LEGACY, THRTAB_MODULE, "_C_API",
                  "thrtab._C_API",
                  HPyAPI_LEGACY_VERSIONS(Version, 1, Version, 1));

static const thr_API *api;

/* setup(exporter_name): import thr from it and thrtab's table */
HPyDef_METH(setup, "setup", HPyFunc_O)
static HPy setup_impl(HPyContext *ctx, HPy self, HPy name)
{
    const char *s = HPyUnicode_AsUTF8AndSize(ctx, name, NULL);
    if (s == NULL)
        return HPy_NULL;
    const thr_API *t = HPyAPI_Import(ctx, thr, s);
    if (t == NULL)
        return HPy_NULL;
    api = t;
    /* a module-level function's self is its module */
    if (import_thrtab(ctx, self) < 0)
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

/* call(which, x): one call; which 0/1: thr's Twice/Thrice, 2/3: the
 * legacy table's */
static long call_one(HPyContext *ctx, int which, long x)
{
    switch (which) {
    case 0: return api->Twice(ctx, x);
    case 1: return api->Thrice(ctx, x);
    case 2: return thrtab_api->Twice(ctx, x);
    default: return thrtab_api->Thrice(ctx, x);
    }
}

HPyDef_METH(call, "call", HPyFunc_VARARGS)
static HPy call_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    int which;
    long x;
    if (!HPyArg_Parse(ctx, NULL, args, n, "il", &which, &x))
        return HPy_NULL;
    long r = call_one(ctx, which, x);
    if (r == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, r);
}

HPyDef_METH(echo, "echo", HPyFunc_O)
static HPy echo_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    return api->Echo(ctx, a);
}

typedef struct {
    HPyContext *ctx;
    int first; /* which: first (Twice) and first + 1 (Thrice), alternately */
    long n;
    long wrong; /* results that were not 2x / 3x */
} job;

static void *work(void *arg)
{
    job *j = (job *)arg;
    for (long k = 0; k < j->n; k++) {
        j->wrong += call_one(j->ctx, j->first, k) != 2 * k;
        j->wrong += call_one(j->ctx, j->first + 1, k) != 3 * k;
    }
    return NULL;
}

/* hammer(first, threads, n): `threads` threads of our own, without the
 * GIL, each making n calls of Twice and n of Thrice (first 0: thr's, 2:
 * the legacy table's).  Returns the number of wrong results. */
HPyDef_METH(hammer, "hammer", HPyFunc_VARARGS)
static HPy hammer_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    int first, threads;
    long calls;
    if (!HPyArg_Parse(ctx, NULL, args, n, "iil", &first, &threads, &calls))
        return HPy_NULL;
    if (threads < 1 || threads > 64) {
        HPyErr_SetString(ctx, ctx->h_ValueError, "1 to 64 threads");
        return HPy_NULL;
    }
    job jobs[64];
    pthread_t tids[64];
    int started = 0;
    long wrong = 0;
    HPyThreadState ts = HPy_LeavePythonExecution(ctx);
    for (int i = 0; i < threads; i++) {
        jobs[i] = (job){ctx, first, calls, 0};
        if (pthread_create(&tids[i], NULL, work, &jobs[i]) != 0)
            break;
        started++;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(tids[i], NULL);
        wrong += jobs[i].wrong;
    }
    HPy_ReenterPythonExecution(ctx, ts);
    if (started < threads) {
        HPyErr_SetString(ctx, ctx->h_RuntimeError, "pthread_create failed");
        return HPy_NULL;
    }
    return HPyLong_FromLong(ctx, wrong);
}

static HPyDef *defines[] = {&setup, &call, &echo, &hammer, NULL};
static HPyModuleDef moddef = {.defines = defines};
HPy_MODINIT(thrconsumer, moddef)
