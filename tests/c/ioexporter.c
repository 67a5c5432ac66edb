/* ioexporter.c - exports ioapi (in-out handles): each function keeps the
 * ownership rule of docs/reference.md (a replaced handle is closed). */
#include "hpy.h"
#include "ioapi.h"
#include "ownctx.h"

static int Io_Convert(HPyContext *ctx, HPy *op, int how)
{
    OWNCTX(ctx);
    if (op == NULL)
        return -2; /* what the caller passed, seen as such */
    HPy old = *op, new_ = HPy_NULL;
    switch (how) {
    case IO_KEEP:
        return 0;
    case IO_WRAP:
        new_ = HPyTuple_Pack(ctx, 1, old);
        break;
    case IO_REDUP:
        new_ = HPy_Dup(ctx, old);
        break;
    case IO_FILL:
        if (!HPy_IsNull(old))
            return 0;
        *op = HPyUnicode_FromString(ctx, "filled");
        return HPy_IsNull(*op) ? -1 : 2;
    default:
        HPyErr_SetString(ctx, ctx->h_ValueError, "Io_Convert: refused");
        return -1;
    }
    if (HPy_IsNull(new_))
        return -1; /* *op left as it was */
    HPy_Close(ctx, old);
    *op = new_;
    return 1;
}

/* the two handles change places: each "replaced" by the other's */
static int Io_Swap(HPyContext *ctx, HPy *a, HPy *b)
{
    OWNCTX(ctx);
    HPy t = *a;
    *a = *b;
    *b = t;
    return 0;
}

/* returns x, writes *out = the old *op and *op = (old, x) */
static HPy Io_Both(HPyContext *ctx, HPy x, HPy *op, HPy *out)
{
    OWNCTX(ctx);
    HPy pair = HPyTuple_Pack(ctx, 2, *op, x);
    if (HPy_IsNull(pair))
        return HPy_NULL;
    *out = *op; /* the reference moves from *op to *out */
    *op = pair;
    return HPy_Dup(ctx, x);
}

HPyAPI_DEFINE(ioapi, IOAPI);
static ioapi_API table;

HPyDef_SLOT(ioexporter_exec, HPy_mod_exec)
static int ioexporter_exec_impl(HPyContext *ctx, HPy module)
{
    table.Io_Convert = HPy_AsAPI(ctx, Io_Convert);
    table.Io_Swap = HPy_AsAPI(ctx, Io_Swap);
    table.Io_Both = HPy_AsAPI(ctx, Io_Both);
    return HPyAPI_Export(ctx, module, ioapi, &table);
}

OWNCTX_METHOD

static HPyDef *module_defines[] = {&foreign_ctx_calls, &own_ctx_address,
                                   &ioexporter_exec, NULL};
static HPyModuleDef moduledef = {.defines = module_defines};
HPy_MODINIT(ioexporter, moduledef)
