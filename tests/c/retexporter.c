/* retexporter.c - exports retapi: arrays of new handles it allocates. */
#include "hpy.h"
#include "retapi.h"
#include "ownctx.h"

/* the items of seq (at most 64), *retn of them; NULL and *retn left on
   error */
static HPy *Ret_Items(HPyContext *ctx, HPy seq, int *retn)
{
    OWNCTX(ctx);
    HPy_ssize_t n = HPy_Length(ctx, seq);
    if (n < 0)
        return NULL;
    if (n > 64) {
        HPyErr_SetString(ctx, ctx->h_ValueError, "Ret_Items: too long");
        return NULL;
    }
    HPy *arr = HPyAPI_NewHandles(n);
    if (arr == NULL) {
        HPyErr_NoMemory(ctx);
        return NULL;
    }
    for (HPy_ssize_t i = 0; i < n; i++)
        if (HPy_IsNull(arr[i] = HPy_GetItem_i(ctx, seq, i))) {
            HPyAPI_FreeHandles(ctx, arr, i);
            return NULL;
        }
    *retn = (int)n;
    return arr;
}

/* [a, a] as two handles */
static HPy *Ret_Twice(HPyContext *ctx, HPy a)
{
    OWNCTX(ctx);
    HPy *arr = HPyAPI_NewHandles(2);
    if (arr == NULL) {
        HPyErr_NoMemory(ctx);
        return NULL;
    }
    arr[0] = HPy_Dup(ctx, a);
    arr[1] = HPy_Dup(ctx, a);
    return arr;
}

HPyAPI_DEFINE(retapi, RETAPI);
static retapi_API table;

HPyDef_SLOT(retexporter_exec, HPy_mod_exec)
static int retexporter_exec_impl(HPyContext *ctx, HPy module)
{
    table.Ret_Items = HPy_AsAPI(ctx, Ret_Items);
    table.Ret_Twice = HPy_AsAPI(ctx, Ret_Twice);
    return HPyAPI_Export(ctx, module, retapi, &table);
}

OWNCTX_METHOD

static HPyDef *module_defines[] = {&foreign_ctx_calls, &own_ctx_address,
                                   &retexporter_exec, NULL};
static HPyModuleDef moduledef = {.defines = module_defines};
HPy_MODINIT(retexporter, moduledef)
