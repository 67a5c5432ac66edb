/* greet.c - exports the greet API */
#include "hpy.h"
#include "greet_api.h"

static HPy Greet(HPyContext *ctx, HPy name)
{
    HPy hello = HPyUnicode_FromString(ctx, "hello, ");
    HPy r = HPy_Add(ctx, hello, name);
    HPy_Close(ctx, hello);
    return r;
}

static long Twice(HPyContext *ctx, long x) { (void)ctx; return 2 * x; }

HPyAPI_DEFINE(greet, GREET_API); /* the trampolines */
static greet_API table;

HPyDef_SLOT(greet_exec, HPy_mod_exec)
static int greet_exec_impl(HPyContext *ctx, HPy module)
{
    table.Greet = HPy_AsAPI(ctx, Greet);
    table.Twice = HPy_AsAPI(ctx, Twice);
    return HPyAPI_Export(ctx, module, greet, &table);
}

static HPyDef *defines[] = {&greet_exec, NULL};
static HPyModuleDef moddef = {.defines = defines};
HPy_MODINIT(greet, moddef)
