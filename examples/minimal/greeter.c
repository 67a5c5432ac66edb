/* greeter.c - calls the greet API, from any HPy mode */
#include "hpy.h"
#include "greet_api.h"

static const greet_API *greet;

HPyDef_METH(welcome, "welcome", HPyFunc_O)
static HPy welcome_impl(HPyContext *ctx, HPy self, HPy name)
{
    (void)self;
    return greet->Greet(ctx, name); /* our context, our handles */
}

HPyDef_METH(twice, "twice", HPyFunc_O)
static HPy twice_impl(HPyContext *ctx, HPy self, HPy x)
{
    (void)self;
    long v = HPyLong_AsLong(ctx, x);
    if (v == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, greet->Twice(ctx, v));
}

HPyDef_SLOT(greeter_exec, HPy_mod_exec)
static int greeter_exec_impl(HPyContext *ctx, HPy module)
{
    (void)module;
    greet = HPyAPI_Import(ctx, greet, "greet");
    return greet ? 0 : -1; /* ImportError says what did not match */
}

static HPyDef *defines[] = {&welcome, &twice, &greeter_exec, NULL};
static HPyModuleDef moddef = {.defines = defines};
HPy_MODINIT(greeter, moddef)
