/* lenexporter.c - exports lenapi: arrays of fixed and implied lengths. */
#include "hpy.h"
#include "lenapi.h"
#include "ownctx.h"
#include <limits.h>

/* (xs[0], xs[1], xs[2]) */
static HPy Len_Three(HPyContext *ctx, const HPy *xs)
{
    OWNCTX(ctx);
    return HPyTuple_FromArray(ctx, (HPy *)xs, 3);
}

/* out[i] = seq[i] for i < 3; -1 and nothing left open on error */
static int Len_Split3(HPyContext *ctx, HPy seq, HPy *out)
{
    OWNCTX(ctx);
    for (int i = 0; i < 3; i++) {
        out[i] = HPy_GetItem_i(ctx, seq, i);
        if (HPy_IsNull(out[i])) {
            for (int j = 0; j < i; j++) {
                HPy_Close(ctx, out[j]);
                out[j] = HPy_NULL;
            }
            return -1;
        }
    }
    return 0;
}

/* a type resolver's shape: out_dtypes[i] = dtypes[i], or float for None;
   returns nin + nout */
static int Len_Resolve(HPyContext *ctx, int nin, int nout, const HPy *dtypes,
                       HPy *out_dtypes)
{
    OWNCTX(ctx);
    if (nin < 0 || nout < 0) { /* a raw call's lengths are checked here */
        HPyErr_SetString(ctx, ctx->h_ValueError, "Len_Resolve: negative");
        return -1;
    }
    for (int i = 0; i < nin + nout; i++)
        out_dtypes[i] = HPy_Dup(ctx, HPy_Is(ctx, dtypes[i], ctx->h_None)
                                         ? ctx->h_FloatType
                                         : dtypes[i]);
    return nin + nout;
}

/* ((flat[0], flat[1]), ...) of n pairs */
static HPy Len_Pairs(HPyContext *ctx, const HPy *flat, unsigned char n)
{
    OWNCTX(ctx);
    HPy items[UCHAR_MAX];
    for (int i = 0; i < n; i++)
        items[i] = HPyTuple_FromArray(ctx, (HPy *)flat + 2 * i, 2);
    HPy r = HPyTuple_FromArray(ctx, items, n);
    for (int i = 0; i < n; i++)
        HPy_Close(ctx, items[i]);
    return r;
}

HPyAPI_DEFINE(lenapi, LENAPI);
static lenapi_API table;

HPyDef_SLOT(lenexporter_exec, HPy_mod_exec)
static int lenexporter_exec_impl(HPyContext *ctx, HPy module)
{
    table.Len_Three = HPy_AsAPI(ctx, Len_Three);
    table.Len_Split3 = HPy_AsAPI(ctx, Len_Split3);
    table.Len_Resolve = HPy_AsAPI(ctx, Len_Resolve);
    table.Len_Pairs = HPy_AsAPI(ctx, Len_Pairs);
    return HPyAPI_Export(ctx, module, lenapi, &table);
}

OWNCTX_METHOD

static HPyDef *module_defines[] = {&foreign_ctx_calls, &own_ctx_address,
                                   &lenexporter_exec, NULL};
static HPyModuleDef moduledef = {.defines = module_defines};
HPy_MODINIT(lenexporter, moduledef)
