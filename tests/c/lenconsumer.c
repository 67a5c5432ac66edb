/* lenconsumer.c - calls lenapi from any HPy mode; arrays come from Python
 * sequences of up to 64 items (longer than the stack paths' 16 too). */
#include "hpy.h"
#include "lenapi.h"
#include "setup.h"

static const lenapi_API *api;

CONSUMER_SETUP(api, lenapi, (void)0)

/* items[i] = seq[i] (new handles), at most 64; -1 on error */
static HPy_ssize_t load(HPyContext *ctx, HPy seq, HPy *items)
{
    HPy_ssize_t n = HPy_Length(ctx, seq);
    if (n < 0 || n > 64) {
        if (n > 64)
            HPyErr_SetString(ctx, ctx->h_ValueError, "at most 64 items");
        return -1;
    }
    for (HPy_ssize_t i = 0; i < n; i++)
        items[i] = HPy_GetItem_i(ctx, seq, i);
    return n;
}

static void drop(HPyContext *ctx, HPy *items, HPy_ssize_t n)
{
    for (HPy_ssize_t i = 0; i < n; i++)
        HPy_Close(ctx, items[i]);
}

/* len_three(seq of >= 3) */
HPyDef_METH(len_three, "len_three", HPyFunc_O)
static HPy len_three_impl(HPyContext *ctx, HPy self, HPy seq)
{
    (void)self;
    HPy items[64];
    HPy_ssize_t n = load(ctx, seq, items);
    if (n < 0)
        return HPy_NULL;
    if (n < 3) {
        drop(ctx, items, n);
        HPyErr_SetString(ctx, ctx->h_ValueError, "too few items");
        return HPy_NULL;
    }
    HPy r = api->Len_Three(ctx, items);
    drop(ctx, items, n);
    return r;
}

/* len_split3(seq) -> [out0, out1, out2] (None where not written) */
HPyDef_METH(len_split3, "len_split3", HPyFunc_O)
static HPy len_split3_impl(HPyContext *ctx, HPy self, HPy seq)
{
    (void)self;
    HPy out[3] = {HPy_NULL, HPy_NULL, HPy_NULL};
    if (api->Len_Split3(ctx, seq, out) < 0)
        return HPy_NULL;
    HPy r = HPy_BuildValue(ctx, "[OOO]", out[0], out[1], out[2]);
    drop(ctx, out, 3);
    return r;
}

/* len_resolve(dtypes, nin, nout) -> (ret, [out_dtypes]) */
HPyDef_METH(len_resolve, "len_resolve", HPyFunc_VARARGS)
static HPy len_resolve_impl(HPyContext *ctx, HPy self, const HPy *args,
                            size_t nargs)
{
    (void)self;
    (void)nargs;
    HPy items[64], out[64];
    int nin = (int)HPyLong_AsLong(ctx, args[1]);
    int nout = (int)HPyLong_AsLong(ctx, args[2]);
    HPy_ssize_t n = load(ctx, args[0], items);
    if (n < 0)
        return HPy_NULL;
    if (nin >= 0 && nout >= 0 && nin + nout > n) { /* reads past items */
        drop(ctx, items, n);
        HPyErr_SetString(ctx, ctx->h_ValueError, "too few dtypes");
        return HPy_NULL;
    }
    for (int i = 0; i < 64; i++)
        out[i] = HPy_NULL;
    int r = api->Len_Resolve(ctx, nin, nout, items, out);
    drop(ctx, items, n);
    HPy lst = HPyList_New(ctx, 0);
    for (int i = 0; i < 64; i++) {
        if (!HPy_IsNull(out[i]))
            HPyList_Append(ctx, lst, out[i]);
        HPy_Close(ctx, out[i]);
    }
    if (r < 0) {
        HPy_Close(ctx, lst);
        return HPy_NULL;
    }
    HPy res = HPy_BuildValue(ctx, "iO", r, lst);
    HPy_Close(ctx, lst);
    return res;
}

/* len_pairs(flat, n) */
HPyDef_METH(len_pairs, "len_pairs", HPyFunc_VARARGS)
static HPy len_pairs_impl(HPyContext *ctx, HPy self, const HPy *args,
                          size_t nargs)
{
    (void)self;
    (void)nargs;
    HPy items[64];
    long n = HPyLong_AsLong(ctx, args[1]);
    HPy_ssize_t got = load(ctx, args[0], items);
    if (got < 0)
        return HPy_NULL;
    if (n < 0 || 2 * n > got) {
        drop(ctx, items, got);
        HPyErr_SetString(ctx, ctx->h_ValueError, "too few items");
        return HPy_NULL;
    }
    HPy r = api->Len_Pairs(ctx, items, (unsigned char)n);
    drop(ctx, items, got);
    return r;
}

static HPyDef *module_defines[] = {&setup, &len_three, &len_split3,
                                   &len_resolve, &len_pairs, NULL};
static HPyModuleDef moduledef = {.defines = module_defines};
HPy_MODINIT(lenconsumer, moduledef)
