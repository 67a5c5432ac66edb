/* fhexp.c - exports fhapi (variants: fhapi.h) */
#include "hpy.h"
#include "fhapi.h"

static long Fh_Add(HPyContext *ctx, long a, FH_B b)
{
    (void)ctx;
    return a + (long)b;
}
static HPy Fh_Echo(HPyContext *ctx, HPy o) { return HPy_Dup(ctx, o); }
#if FH_MINOR >= 1 && !defined(FH_SHORT)
static long Fh_Neg(HPyContext *ctx, long a)
{
    (void)ctx;
    return -a;
}
#endif

HPyAPI_DEFINE(fhapi, FHAPI);
static fhapi_API table;

HPyDef_SLOT(fh_exec, HPy_mod_exec)
static int fh_exec_impl(HPyContext *ctx, HPy module)
{
    table.Fh_Add = HPy_AsAPI(ctx, Fh_Add);
    table.Fh_Echo = HPy_AsAPI(ctx, Fh_Echo);
#if FH_MINOR >= 1 && !defined(FH_SHORT)
    table.Fh_Neg = HPy_AsAPI(ctx, Fh_Neg);
#endif
    return HPyAPI_Export(ctx, module, fhapi, &table);
}

static HPyDef *defines[] = {&fh_exec, NULL};
static HPyModuleDef moddef = {.defines = defines};
/* MODNAME is a macro: expand it before HPy_MODINIT pastes it */
#define FH_MODINIT(name) HPy_MODINIT(name, moddef)
FH_MODINIT(MODNAME)
