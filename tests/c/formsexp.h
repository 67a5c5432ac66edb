/* formsexp.h - the exporter's side of formsapi (included by exporter.c
 * when built as "formsexporter").  Implementations check what they are
 * given as any C function would: a caller of its own family reaches them
 * with its lengths unchecked (hpyapi checks lengths only where it converts
 * handles, see test_forms.py). */
#include <stdio.h>
#include "formsapi.h"

#define FORMS_MAX 64 /* the most handles these implementations take */

static int forms_bad_len(HPyContext *ctx, const char *entry, long long n,
                         const void *p)
{
    if (n >= 0 && n <= FORMS_MAX && (p != NULL || n == 0))
        return 0;
    char msg[128];
    snprintf(msg, sizeof msg, "%s: length %lld refused by the exporter",
             entry, n);
    HPyErr_SetString(ctx, ctx->h_ValueError, msg);
    return 1;
}

/* A tuple of arrs then descrs: the caller can check identity and order. */
static HPy ResultType(HPyContext *ctx, intptr_t narrs, const HPy *arrs,
                      intptr_t ndtypes, const HPy *descrs)
{
    if (forms_bad_len(ctx, "ResultType", narrs, arrs) ||
        forms_bad_len(ctx, "ResultType", ndtypes, descrs))
        return HPy_NULL;
    HPy all[2 * FORMS_MAX];
    for (intptr_t i = 0; i < narrs; i++)
        all[i] = arrs[i];
    for (intptr_t i = 0; i < ndtypes; i++)
        all[narrs + i] = descrs[i];
    return HPyTuple_FromArray(ctx, all, (HPy_ssize_t)(narrs + ndtypes));
}

/* arrays[i] = 100 * i + ndim (new handles), perm[j] = ndim - 1 - j;
 * returns narrays, or -1 (nothing written) */
static int FillPerm(HPyContext *ctx, int narrays, HPy *arrays, int ndim,
                    int *perm)
{
    if (forms_bad_len(ctx, "FillPerm", narrays, arrays) ||
        forms_bad_len(ctx, "FillPerm", ndim, perm))
        return -1;
    for (int i = 0; i < narrays; i++)
        if (HPy_IsNull(arrays[i] = HPyLong_FromLong(ctx, 100L * i + ndim)))
            return -1; /* those before are the caller's */
    for (int j = 0; j < ndim; j++)
        perm[j] = ndim - 1 - j;
    return narrays;
}

/* dst[i] = src[i] + src[i]; one length, declared after both arrays */
static int Doubled(HPyContext *ctx, const HPy *src, HPy *dst,
                   unsigned char n)
{
    if (forms_bad_len(ctx, "Doubled", n, src) ||
        forms_bad_len(ctx, "Doubled", n, dst))
        return -1;
    for (int i = 0; i < n; i++)
        if (HPy_IsNull(dst[i] = HPy_Add(ctx, src[i], src[i])))
            return -1;
    return n;
}

static HPy TupleU64(HPyContext *ctx, uint64_t n, const HPy *items)
{
    if (forms_bad_len(ctx, "TupleU64", n > FORMS_MAX ? -1 : (long long)n,
                      items))
        return HPy_NULL;
    return HPyTuple_FromArray(ctx, (HPy *)items, (HPy_ssize_t)n);
}

static HPy TupleU32(HPyContext *ctx, const HPy *items, uint32_t n)
{
    if (forms_bad_len(ctx, "TupleU32", n, items))
        return HPy_NULL;
    return HPyTuple_FromArray(ctx, (HPy *)items, (HPy_ssize_t)n);
}

static HPy TupleI8(HPyContext *ctx, int8_t n, const HPy *items)
{
    if (forms_bad_len(ctx, "TupleI8", n, items))
        return HPy_NULL;
    return HPyTuple_FromArray(ctx, (HPy *)items, (HPy_ssize_t)n);
}

/* dst (length m, src's own HPy_ssize_t) = new handles to src's objects */
static HPy_ssize_t CopyInto(HPyContext *ctx, const HPy *src, HPy_ssize_t m,
                            HPy *dst)
{
    if (forms_bad_len(ctx, "CopyInto", m, src) ||
        forms_bad_len(ctx, "CopyInto", m, dst))
        return -1;
    for (HPy_ssize_t i = 0; i < m; i++)
        dst[i] = HPy_Dup(ctx, src[i]);
    return m;
}

/* a parameter named ctx: the context is hpyapi's concern, not a name */
static HPy AddCtx(HPyContext *hctx, HPy ctx, long n)
{
    HPy k = HPyLong_FromLong(hctx, n);
    HPy r = HPy_IsNull(k) ? HPy_NULL : HPy_Add(hctx, ctx, k);
    HPy_Close(hctx, k);
    return r;
}

/* exported data: a variable the exporter changes, a constant struct and
 * a pointer */
static int NumUserTypes = 3;
static const forms_version ApiVersion = {0x02000000u, 0x12u, 0x13u};
static const char *BuildName = "formsexporter";

static void SetNumUserTypes(HPyContext *ctx, int value)
{
    (void)ctx;
    NumUserTypes = value;
}

HPyAPI_DEFINE(formsapi, FORMSAPI);
static formsapi_API forms_table;

static int export_forms(HPyContext *ctx, HPy m)
{
    forms_table.ResultType = HPy_AsAPI(ctx, ResultType);
    forms_table.FillPerm = HPy_AsAPI(ctx, FillPerm);
    forms_table.Doubled = HPy_AsAPI(ctx, Doubled);
    forms_table.TupleU64 = HPy_AsAPI(ctx, TupleU64);
    forms_table.TupleU32 = HPy_AsAPI(ctx, TupleU32);
    forms_table.TupleI8 = HPy_AsAPI(ctx, TupleI8);
    forms_table.CopyInto = HPy_AsAPI(ctx, CopyInto);
    forms_table.AddCtx = HPy_AsAPI(ctx, AddCtx);
    forms_table.NumUserTypes = HPy_AsAPI(ctx, NumUserTypes);
    forms_table.ApiVersion = HPy_AsAPI(ctx, ApiVersion);
    forms_table.BuildName = HPy_AsAPI(ctx, BuildName);
    forms_table.SetNumUserTypes = HPy_AsAPI(ctx, SetNumUserTypes);
    /* exporter bugs that HPyAPI_Export must refuse */
#if BREAK_FORMS == 1
    forms_table.ApiVersion = NULL;
#elif BREAK_FORMS == 2
    static const forms_version other = {0, 0, 0};
    forms_table.ApiVersion = &other;
#endif
    return HPyAPI_Export(ctx, m, formsapi, &forms_table);
}
