/* usedef_main.c - the other file of usedef.c's module */
#include "hpy.h"
#include "fhapi.h"
HPyAPI_USE(fhapi, FHAPI); /* twice, as a shared header and the file may */
#if !defined(NO_DEFINE)
HPyAPI_USE_DEFINE(fhapi, FHAPI, "fh_late.fhexp");
#endif

int usedef_import(HPyContext *ctx);

HPyDef_SLOT(u_exec, HPy_mod_exec)
static int u_exec_impl(HPyContext *ctx, HPy module)
{
    (void)module;
    return usedef_import(ctx);
}

static HPyDef *defines[] = {&u_exec, NULL};
static HPyModuleDef moddef = {.defines = defines};
#define FH_MODINIT(name) HPy_MODINIT(name, moddef)
FH_MODINIT(MODNAME)
