/* threxporter.c - exports thrapi.h (tests/test_hooks_engine.py).  Twice
 * and Thrice touch no context, so they may run without the GIL. */
#include "hpy.h"
#include "thrapi.h"

static long Twice(HPyContext *ctx, long x) { (void)ctx; return 2 * x; }
static long Thrice(HPyContext *ctx, long x) { (void)ctx; return 3 * x; }
static HPy Echo(HPyContext *ctx, HPy a) { return HPy_Dup(ctx, a); }

HPyAPI_DEFINE(thr, THR_API);
static thr_API table;

HPyDef_SLOT(exec, HPy_mod_exec)
static int exec_impl(HPyContext *ctx, HPy module)
{
    table.Twice = HPy_AsAPI(ctx, Twice);
    table.Thrice = HPy_AsAPI(ctx, Thrice);
    table.Echo = HPy_AsAPI(ctx, Echo);
    return HPyAPI_Export(ctx, module, thr, &table);
}

static HPyDef *defines[] = {&exec, NULL};
static HPyModuleDef moddef = {.defines = defines};
HPy_MODINIT(threxporter, moddef)
