/* constcons.c - calls constapi, declared without the qualifiers */
#include "hpy.h"
#define CONST_SPELLING 0
#include "constapi.h"

static const constapi_API *api;

HPyDef_METH(setup, "setup", HPyFunc_O)
static HPy setup_impl(HPyContext *ctx, HPy self, HPy modname)
{
    (void)self;
    HPy_ssize_t len;
    const char *name = HPyUnicode_AsUTF8AndSize(ctx, modname, &len);
    if (name == NULL || (api = HPyAPI_Import(ctx, constapi, name)) == NULL)
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

/* run(o, k, f, items, i): (Scale(o, k, f), Pick(items, i), Word(1, "xyz")) */
HPyDef_METH(run, "run", HPyFunc_VARARGS)
static HPy run_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    HPy o, items;
    int k;
    double f;
    HPy_ssize_t i;
    if (!HPyArg_Parse(ctx, NULL, args, n, "OidOn", &o, &k, &f, &items, &i))
        return HPy_NULL;
    long s = api->Scale(ctx, o, k, f);
    if (s == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    HPy xs[3];
    for (int j = 0; j < 3; j++)
        xs[j] = HPy_GetItem_i(ctx, items, j);
    HPy picked = api->Pick(ctx, xs, 3, i);
    for (int j = 0; j < 3; j++)
        HPy_Close(ctx, xs[j]);
    if (HPy_IsNull(picked))
        return HPy_NULL;
    HPy r = HPy_BuildValue(ctx, "lOs", s, picked, api->Word(ctx, 1, "xyz"));
    HPy_Close(ctx, picked);
    return r;
}

static HPyDef *defines[] = {&setup, &run, NULL};
static HPyModuleDef moddef = {.defines = defines};
HPy_MODINIT(constcons, moddef)
