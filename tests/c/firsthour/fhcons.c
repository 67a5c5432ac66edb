/* fhcons.c - imports fhapi from FH_FROM in its HPy_mod_exec, written as
 * the README teaches: FH_STYLE 1 is HPyAPI_Import with `return t ? 0 :
 * -1`, 2 is HPyAPI_USE_DEFINE + import_fhapi(ctx), 3 hpyapi 0.1's
 * HPyAPI_USE(api, LIST, "module") + import_fhapi(ctx).  add(a, b) calls
 * Fh_Add; methods exist so that the module and its dict form the cycles
 * a failed exec leaves behind. */
#include "hpy.h"
#include "fhapi.h"

#if FH_STYLE == 1
static const fhapi_API *fh;
#define FH fh
#elif FH_STYLE == 2
HPyAPI_USE_DEFINE(fhapi, FHAPI, FH_FROM);
#define FH fhapi_api
#else
HPyAPI_USE(fhapi, FHAPI, FH_FROM); /* hpyapi 0.1's form */
#define FH fhapi_api
#endif

HPyDef_METH(add, "add", HPyFunc_VARARGS)
static HPy add_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    long a, b;
    if (!HPyArg_Parse(ctx, NULL, args, n, "ll", &a, &b))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, FH->Fh_Add(ctx, a, (FH_B)b));
}

HPyDef_METH(echo, "echo", HPyFunc_O)
static HPy echo_impl(HPyContext *ctx, HPy self, HPy o)
{
    (void)self;
    return FH->Fh_Echo(ctx, o);
}

HPyDef_SLOT(fhc_exec, HPy_mod_exec)
static int fhc_exec_impl(HPyContext *ctx, HPy module)
{
    (void)module;
#if FH_STYLE == 1
    fh = HPyAPI_Import(ctx, fhapi, FH_FROM);
    return fh ? 0 : -1;
#else
    return import_fhapi(ctx);
#endif
}

static HPyDef *defines[] = {&add, &echo, &fhc_exec, NULL};
static HPyModuleDef moddef = {.defines = defines};
/* MODNAME is a macro: expand it before HPy_MODINIT pastes it */
#define FH_MODINIT(name) HPy_MODINIT(name, moddef)
FH_MODINIT(MODNAME)
