/* hostile.c - an HPy consumer that calls testapi with arguments hpyapi
 * must refuse (test_hostile_calls.py): handle arrays whose length is
 * negative, huge or paired with a NULL array, and NULL handles. */
#include "hpy.h"
#include "testapi.h"

static const testapi_API *api;
static HPyContext *fz_ctx; /* the context of the running fuzz_calls */

#define OBJ HPy
#define NULL_OBJ HPy_NULL
#define IS_NULL(o) HPy_IsNull(o)
#define MAKE_INT(v) HPyLong_FromLong(fz_ctx, (v))
#define MAKE_STR(s) HPyUnicode_FromString(fz_ctx, (s))
#define AS_LONG(o) HPyLong_AsLong(fz_ctx, (o))
#define CLOSE(o) HPy_Close(fz_ctx, (o))
#define ERR_EXPECTED()                                                         \
    (HPyErr_ExceptionMatches(fz_ctx, fz_ctx->h_ValueError) ||                  \
     HPyErr_ExceptionMatches(fz_ctx, fz_ctx->h_MemoryError))
#define ERR_CLEAR() HPyErr_Clear(fz_ctx)
#define CALL_SUM(arr, n) api->SumList(fz_ctx, (arr), (HPy_ssize_t)(n))
#define CALL_CONCAT(sep, arr, n, tail)                                         \
    api->Concat(fz_ctx, (sep), (arr), (HPy_ssize_t)(n), (tail))
#define CALL_IDENTITY(o) api->Identity(fz_ctx, (o))
#define CALL_PICK(a, b, w) api->Pick(fz_ctx, (a), (b), (w))
#include "callfuzz.h"

HPyDef_METH(setup, "setup", HPyFunc_O)
static HPy setup_impl(HPyContext *ctx, HPy self, HPy modname)
{
    (void)self;
    HPy_ssize_t size;
    const char *name = HPyUnicode_AsUTF8AndSize(ctx, modname, &size);
    if (name == NULL)
        return HPy_NULL;
    api = HPyAPI_Import(ctx, testapi, name);
    return api == NULL ? HPy_NULL : HPy_Dup(ctx, ctx->h_None);
}

/* sum_huge(n): SumList over a one-element array that claims n elements;
 * concat_huge(n) likewise for Concat (handles on both sides). */
HPyDef_METH(sum_huge, "sum_huge", HPyFunc_O)
static HPy sum_huge_impl(HPyContext *ctx, HPy self, HPy n)
{
    (void)self;
    HPy_ssize_t len = HPyLong_AsSsize_t(ctx, n);
    if (len == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    HPy one = HPyLong_FromLong(ctx, 1);
    HPy r = api->SumList(ctx, &one, len);
    HPy_Close(ctx, one);
    return r;
}

HPyDef_METH(concat_huge, "concat_huge", HPyFunc_O)
static HPy concat_huge_impl(HPyContext *ctx, HPy self, HPy n)
{
    (void)self;
    HPy_ssize_t len = HPyLong_AsSsize_t(ctx, n);
    if (len == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    HPy s = HPyUnicode_FromString(ctx, "s");
    HPy r = api->Concat(ctx, s, &s, len, s);
    HPy_Close(ctx, s);
    return r;
}

/* fuzz(seed, n, flags) -> (calls made, calls refused); RuntimeError
 * naming the iteration if a call broke the rules in callfuzz.h. */
HPyDef_METH(fuzz, "fuzz", HPyFunc_VARARGS)
static HPy fuzz_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    (void)self;
    long long seed, n;
    int flags;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "LLi", &seed, &n, &flags))
        return HPy_NULL;
    long counts[2] = {0, 0};
    char why[256];
    fz_ctx = ctx;
    if (fuzz_calls((uint64_t)seed, (long)n, flags, counts, why,
                   sizeof why) < 0) {
        HPyErr_SetString(ctx, ctx->h_RuntimeError, why);
        return HPy_NULL;
    }
    return HPy_BuildValue(ctx, "ll", counts[0], counts[1]);
}

static HPyDef *defines[] = {&setup, &sum_huge, &concat_huge, &fuzz, NULL};
static HPyModuleDef moddef = {.defines = defines};
TEST_MODINIT(hostile, moddef)
