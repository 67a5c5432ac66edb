/* ioconsumer.c - calls ioapi from any HPy mode.  Each call passes a
 * handle the consumer owns (a Dup of the argument) and reports whether
 * the handle it holds afterwards is the one it passed. */
#include "hpy.h"
#include "ioapi.h"
#include "setup.h"

static const ioapi_API *api;

CONSUMER_SETUP(api, ioapi, (void)0)

static int same(HPy a, HPy b) { return a._i == b._i; }

/* (ret, *op afterwards or None for HPy_NULL, "same" or "new") */
static HPy report(HPyContext *ctx, int r, HPy h, HPy before)
{
    if (r == -1 && HPyErr_Occurred(ctx)) {
        if (!same(h, before))
            HPyErr_SetString(ctx, ctx->h_AssertionError, "replaced on error");
        HPy_Close(ctx, h);
        return HPy_NULL;
    }
    HPy res = HPy_BuildValue(ctx, "iOs", r,
                             HPy_IsNull(h) ? ctx->h_None : h,
                             same(h, before) ? "same" : "new");
    HPy_Close(ctx, h);
    return res;
}

/* io_convert(obj or None for HPy_NULL, how) */
HPyDef_METH(io_convert, "io_convert", HPyFunc_VARARGS)
static HPy io_convert_impl(HPyContext *ctx, HPy self, const HPy *args,
                           size_t n)
{
    (void)self;
    (void)n;
    int how = (int)HPyLong_AsLong(ctx, args[1]);
    HPy h = HPy_Is(ctx, args[0], ctx->h_None) ? HPy_NULL
                                              : HPy_Dup(ctx, args[0]);
    HPy before = h;
    int r = api->Io_Convert(ctx, &h, how);
    return report(ctx, r, h, before);
}

HPyDef_METH(io_nullptr, "io_nullptr", HPyFunc_NOARGS)
static HPy io_nullptr_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyLong_FromLong(ctx, api->Io_Convert(ctx, NULL, IO_WRAP));
}

/* io_swap(a, b) -> (a afterwards, b afterwards) */
HPyDef_METH(io_swap, "io_swap", HPyFunc_VARARGS)
static HPy io_swap_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    (void)n;
    HPy a = HPy_Dup(ctx, args[0]), b = HPy_Dup(ctx, args[1]);
    int r = api->Io_Swap(ctx, &a, &b);
    HPy res = r < 0 ? HPy_NULL : HPy_BuildValue(ctx, "OO", a, b);
    HPy_Close(ctx, a);
    HPy_Close(ctx, b);
    return res;
}

/* io_both(x, obj) -> (result, *op afterwards, *out) */
HPyDef_METH(io_both, "io_both", HPyFunc_VARARGS)
static HPy io_both_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    (void)n;
    HPy op = HPy_Dup(ctx, args[1]), out = HPy_NULL;
    HPy r = api->Io_Both(ctx, args[0], &op, &out);
    HPy res = HPy_IsNull(r) ? HPy_NULL
                            : HPy_BuildValue(ctx, "OOO", r, op, out);
    HPy_Close(ctx, r);
    HPy_Close(ctx, op);
    HPy_Close(ctx, out);
    return res;
}

static HPyDef *module_defines[] = {&setup, &io_convert, &io_nullptr,
                                   &io_swap, &io_both, NULL};
static HPyModuleDef moduledef = {.defines = module_defines};
HPy_MODINIT(ioconsumer, moduledef)
