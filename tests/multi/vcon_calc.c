/* vcon_calc.c - calls through both tables, imported in vcon_module.c. */
#include "vcon.h"

/* v . v, as a float */
HPy vcon_norm2(HPyContext *ctx, HPy v)
{
    double d = vops_api->Vops_Dot(ctx, v, v);
    if (d == -1.0 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyFloat_FromDouble(ctx, d);
}

/* [0.0, 1.0, ..., n-1] built from Vec_New pieces and Vops_Scale */
HPy vcon_ramp(HPyContext *ctx, HPy_ssize_t n)
{
    HPy one = vec_api->Vec_New(ctx, 1, 1.0);
    if (HPy_IsNull(one))
        return HPy_NULL;
    HPy parts[8];
    HPy_ssize_t k = 0;
    HPy res = HPy_NULL;
    if (n > 8) {
        HPy err = vec_api->VecError(ctx);
        HPyErr_SetString(ctx, err, "ramp: at most 8");
        HPy_Close(ctx, err);
        goto done;
    }
    for (; k < n; k++) {
        parts[k] = vops_api->Vops_Scale(ctx, one, (double)k);
        if (HPy_IsNull(parts[k]))
            goto done;
    }
    res = vec_api->Vec_Concat(ctx, parts, n);
done:
    for (HPy_ssize_t i = 0; i < k; i++)
        HPy_Close(ctx, parts[i]);
    HPy_Close(ctx, one);
    return res;
}
