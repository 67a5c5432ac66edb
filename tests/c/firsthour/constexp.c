/* constexp.c - exports constapi with const by-value parameters */
#include "hpy.h"
#define CONST_SPELLING 1
#include "constapi.h"

static long Scale(HPyContext *ctx, HPy o, const int k, double const f)
{
    long v = HPyLong_AsLong(ctx, o);
    return (long)((double)(v * k) * f);
}
static HPy Pick(HPyContext *ctx, const HPy *xs, HPy_ssize_t n,
                const HPy_ssize_t i)
{
    if (i < 0 || i >= n) {
        HPyErr_SetString(ctx, ctx->h_IndexError, "Pick: index out of range");
        return HPy_NULL;
    }
    return HPy_Dup(ctx, xs[i]);
}
static const char *Word(HPyContext *ctx, volatile int i, const char *const s)
{
    (void)ctx;
    return s + i;
}

HPyAPI_DEFINE(constapi, CONSTAPI);
static constapi_API table;

HPyDef_SLOT(c_exec, HPy_mod_exec)
static int c_exec_impl(HPyContext *ctx, HPy module)
{
    table.Scale = HPy_AsAPI(ctx, Scale);
    table.Pick = HPy_AsAPI(ctx, Pick);
    table.Word = HPy_AsAPI(ctx, Word);
    return HPyAPI_Export(ctx, module, constapi, &table);
}

static HPyDef *defines[] = {&c_exec, NULL};
static HPyModuleDef moddef = {.defines = defines};
HPy_MODINIT(constexp, moddef)
