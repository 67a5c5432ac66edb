/* vexp_ops.c - the vops API's implementations. */
#include "vexp.h"

HPy Vops_Scale(HPyContext *hctx, HPy v, double ctx)
{
    HPy_ssize_t n = HPy_Length(hctx, v);
    if (n < 0)
        return HPy_NULL;
    HPy out = HPyList_New(hctx, 0);
    for (HPy_ssize_t i = 0; i < n && !HPy_IsNull(out); i++) {
        double d;
        HPy x = vexp_item(hctx, v, i, &d) < 0
                    ? HPy_NULL : HPyFloat_FromDouble(hctx, d * ctx);
        if (HPy_IsNull(x) || HPyList_Append(hctx, out, x) < 0) {
            HPy_Close(hctx, x);
            HPy_Close(hctx, out);
            return HPy_NULL;
        }
        HPy_Close(hctx, x);
    }
    return out;
}

double vexp_dot(HPyContext *ctx, HPy a, HPy b)
{
    HPy_ssize_t n = HPy_Length(ctx, a);
    if (n < 0)
        return -1.0;
    if (n != HPy_Length(ctx, b)) {
        HPyErr_SetString(ctx, ctx->h_ValueError, "Vops_Dot: lengths differ");
        return -1.0;
    }
    double s = 0;
    for (HPy_ssize_t i = 0; i < n; i++) {
        double x, y;
        if (vexp_item(ctx, a, i, &x) < 0 || vexp_item(ctx, b, i, &y) < 0)
            return -1.0;
        s += x * y;
    }
    return s;
}

/* fn(v), so that a consumer's Python code runs inside the exporter */
HPy Vops_Apply(HPyContext *ctx, HPy fn, HPy v)
{
    return HPy_Call(ctx, fn, &v, 1, HPy_NULL);
}
