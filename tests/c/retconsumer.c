/* retconsumer.c - calls retapi from any HPy mode and frees what it gets
 * with HPyAPI_FreeHandles. */
#include "hpy.h"
#include "retapi.h"
#include "setup.h"

static const retapi_API *api;

CONSUMER_SETUP(api, retapi, (void)0)

static HPy as_list(HPyContext *ctx, HPy *arr, HPy_ssize_t n)
{
    if (arr == NULL)
        return HPy_NULL;
    HPy lst = HPyList_New(ctx, 0);
    for (HPy_ssize_t i = 0; i < n && !HPy_IsNull(lst); i++)
        if (HPyList_Append(ctx, lst, arr[i]) < 0) {
            HPy_Close(ctx, lst);
            lst = HPy_NULL;
        }
    HPyAPI_FreeHandles(ctx, arr, n);
    return lst;
}

HPyDef_METH(ret_items, "ret_items", HPyFunc_O)
static HPy ret_items_impl(HPyContext *ctx, HPy self, HPy seq)
{
    (void)self;
    int n = -1;
    HPy *arr = api->Ret_Items(ctx, seq, &n);
    return as_list(ctx, arr, n);
}

HPyDef_METH(ret_twice, "ret_twice", HPyFunc_O)
static HPy ret_twice_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    return as_list(ctx, api->Ret_Twice(ctx, a), 2);
}

static HPyDef *module_defines[] = {&setup, &ret_items, &ret_twice, NULL};
static HPyModuleDef moduledef = {.defines = module_defines};
HPy_MODINIT(retconsumer, moduledef)
