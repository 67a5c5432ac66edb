/* vexp_util.c - a helper the other implementation files share. */
#include "vexp.h"

int vexp_item(HPyContext *ctx, HPy v, HPy_ssize_t i, double *out)
{
    HPy x = HPy_GetItem_i(ctx, v, i);
    if (HPy_IsNull(x))
        return -1;
    *out = HPyFloat_AsDouble(ctx, x);
    HPy_Close(ctx, x);
    return *out == -1.0 && HPyErr_Occurred(ctx) ? -1 : 0;
}
