/* vexp_vec.c - the vec API's implementations. */
#include "vexp.h"

HPy vexp_new_list(HPyContext *ctx, HPy_ssize_t n, double fill)
{
    if (n < 0) {
        HPy t = HPyGlobal_Load(ctx, vexp_error_type);
        HPyErr_SetString(ctx, t, "Vec_New: negative length");
        HPy_Close(ctx, t);
        return HPy_NULL;
    }
    HPy lst = HPyList_New(ctx, 0);
    for (HPy_ssize_t i = 0; !HPy_IsNull(lst) && i < n; i++) {
        HPy x = HPyFloat_FromDouble(ctx, fill);
        int err = HPy_IsNull(x) || HPyList_Append(ctx, lst, x) < 0;
        HPy_Close(ctx, x);
        if (err) {
            HPy_Close(ctx, lst);
            return HPy_NULL;
        }
    }
    return lst;
}

HPy_ssize_t Vec_Len(HPyContext *ctx, HPy v)
{
    return HPy_Length(ctx, v);
}

double Vec_Get(HPyContext *ctx, HPy v, HPy_ssize_t i)
{
    double d;
    return vexp_item(ctx, v, i, &d) < 0 ? -1.0 : d;
}

HPy Vec_Concat(HPyContext *ctx, const HPy *parts, HPy_ssize_t n)
{
    HPy acc = HPyList_New(ctx, 0);
    for (HPy_ssize_t i = 0; i < n && !HPy_IsNull(acc); i++) {
        HPy next = HPy_Add(ctx, acc, parts[i]);
        HPy_Close(ctx, acc);
        acc = next;
    }
    return acc;
}
