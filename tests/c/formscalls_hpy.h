/* formscalls_hpy.h - the test consumer's calls of formsapi (included by
 * consumer.c): lengths of several integer types, before and after their
 * arrays, shared; arrays the exporter fills; exported data. */
#include "formsapi.h"

static const formsapi_API *fapi;
/* the table before any import: stubs, and a zero T for data */
HPyAPI_USE_DEFINE(formsapi, FORMSAPI, "no_such_forms_exporter");

HPyDef_METH(setup_forms, "setup_forms", HPyFunc_O)
static HPy setup_forms_impl(HPyContext *ctx, HPy self, HPy modname)
{
    (void)self;
    HPy_ssize_t size;
    const char *name = HPyUnicode_AsUTF8AndSize(ctx, modname, &size);
    if (name == NULL || (fapi = HPyAPI_Import(ctx, formsapi, name)) == NULL)
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

/* list (or None: NULL) -> up to 64 new handles in buf; *n its length */
static int forms_items(HPyContext *ctx, HPy list, HPy *buf, HPy_ssize_t *n,
                       HPy **arr)
{
    *n = 0;
    *arr = NULL;
    if (HPy_Is(ctx, list, ctx->h_None))
        return 0;
    HPy_ssize_t len = HPy_Length(ctx, list);
    if (len < 0 || len > 64) {
        if (len > 64)
            HPyErr_SetString(ctx, ctx->h_ValueError, "64 items at most");
        return -1;
    }
    for (*n = 0; *n < len; (*n)++)
        if (HPy_IsNull(buf[*n] = HPy_GetItem_i(ctx, list, *n)))
            return -1;
    *arr = buf;
    return 0;
}

static void forms_close(HPyContext *ctx, HPy *buf, HPy_ssize_t n)
{
    for (HPy_ssize_t i = 0; i < n; i++)
        HPy_Close(ctx, buf[i]);
}

/* handles (HPy_NULL: None) -> a new list; closes them */
static HPy forms_list(HPyContext *ctx, HPy *h, HPy_ssize_t n)
{
    HPy lst = HPyList_New(ctx, 0);
    for (HPy_ssize_t i = 0; i < n; i++) {
        if (!HPy_IsNull(lst) &&
            HPyList_Append(ctx, lst, HPy_IsNull(h[i]) ? ctx->h_None : h[i]) < 0) {
            HPy_Close(ctx, lst);
            lst = HPy_NULL;
        }
        HPy_Close(ctx, h[i]);
    }
    return lst;
}

/* result_type(arrs, descrs, narrs=len, ndtypes=len): None passes NULL */
HPyDef_METH(result_type, "result_type", HPyFunc_VARARGS)
static HPy result_type_impl(HPyContext *ctx, HPy self, const HPy *args,
                            size_t nargs)
{
    (void)self;
    HPy a[64], d[64], *pa, *pd, r = HPy_NULL;
    HPy_ssize_t na = 0, nd = 0;
    long long narrs = -1, ndtypes = -1;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "OO|LL", &a[0], &d[0], &narrs,
                      &ndtypes))
        return HPy_NULL;
    HPy la = a[0], ld = d[0];
    if (forms_items(ctx, la, a, &na, &pa) == 0 &&
        forms_items(ctx, ld, d, &nd, &pd) == 0)
        r = fapi->ResultType(ctx, narrs < 0 && pa ? na : (intptr_t)narrs, pa,
                             ndtypes < 0 && pd ? nd : (intptr_t)ndtypes, pd);
    forms_close(ctx, a, na);
    forms_close(ctx, d, nd);
    return r;
}

/* fill_perm(narrays, ndim) -> (ret, [arrays], [perm]) */
HPyDef_METH(fill_perm, "fill_perm", HPyFunc_VARARGS)
static HPy fill_perm_impl(HPyContext *ctx, HPy self, const HPy *args,
                          size_t nargs)
{
    (void)self;
    int narrays, ndim;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "ii", &narrays, &ndim))
        return HPy_NULL;
    HPy arrays[64];
    int perm[64];
    for (int i = 0; i < 64; i++) {
        arrays[i] = HPy_NULL;
        perm[i] = -1;
    }
    int r = fapi->FillPerm(ctx, narrays, arrays, ndim, perm);
    int shown = narrays < 0 ? 0 : narrays > 64 ? 64 : narrays;
    HPy lst = forms_list(ctx, arrays, shown);
    if (r < 0 || HPy_IsNull(lst)) {
        HPy_Close(ctx, lst);
        return HPy_NULL;
    }
    HPy p = HPyList_New(ctx, 0);
    for (int j = 0; j < (ndim > 64 ? 64 : ndim); j++) {
        HPy v = HPyLong_FromLong(ctx, perm[j]);
        HPyList_Append(ctx, p, v);
        HPy_Close(ctx, v);
    }
    HPy res = HPy_BuildValue(ctx, "iOO", r, lst, p);
    HPy_Close(ctx, lst);
    HPy_Close(ctx, p);
    return res;
}

/* doubled(src) -> (ret, [dst]); copy_into(src) -> (ret, [dst]) */
static HPy forms_pair(HPyContext *ctx, HPy src, int which)
{
    HPy s[64], dst[64], *ps;
    HPy_ssize_t n;
    if (forms_items(ctx, src, s, &n, &ps) < 0) {
        forms_close(ctx, s, n);
        return HPy_NULL;
    }
    for (int i = 0; i < 64; i++)
        dst[i] = HPy_NULL;
    long long r = which ? fapi->CopyInto(ctx, ps, n, dst)
                        : fapi->Doubled(ctx, ps, dst, (unsigned char)n);
    forms_close(ctx, s, n);
    HPy lst = forms_list(ctx, dst, n);
    if (r < 0 || HPy_IsNull(lst)) {
        HPy_Close(ctx, lst);
        return HPy_NULL;
    }
    HPy res = HPy_BuildValue(ctx, "LO", r, lst);
    HPy_Close(ctx, lst);
    return res;
}

HPyDef_METH(doubled, "doubled", HPyFunc_O)
static HPy doubled_impl(HPyContext *ctx, HPy self, HPy src)
{
    (void)self;
    return forms_pair(ctx, src, 0);
}

HPyDef_METH(copy_into, "copy_into", HPyFunc_O)
static HPy copy_into_impl(HPyContext *ctx, HPy self, HPy src)
{
    (void)self;
    return forms_pair(ctx, src, 1);
}

/* tuple_u64 / tuple_u32 / tuple_i8 (n, items or None): n is passed as the
 * entry's length type, whatever len(items) is */
HPyDef_METH(tuple_n, "tuple_n", HPyFunc_VARARGS)
static HPy tuple_n_impl(HPyContext *ctx, HPy self, const HPy *args,
                        size_t nargs)
{
    (void)self;
    int which;
    unsigned long long n;
    HPy items[64], *p, list, r = HPy_NULL;
    HPy_ssize_t k;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "iKO", &which, &n, &list) ||
        forms_items(ctx, list, items, &k, &p) < 0)
        return HPy_NULL;
    if (which == 64)
        r = fapi->TupleU64(ctx, (uint64_t)n, p);
    else if (which == 32)
        r = fapi->TupleU32(ctx, p, (uint32_t)n);
    else
        r = fapi->TupleI8(ctx, (int8_t)n, p);
    forms_close(ctx, items, k);
    return r;
}

HPyDef_METH(add_ctx, "add_ctx", HPyFunc_VARARGS)
static HPy add_ctx_impl(HPyContext *ctx, HPy self, const HPy *args,
                        size_t nargs)
{
    (void)self;
    HPy obj;
    long n;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "Ol", &obj, &n))
        return HPy_NULL;
    return fapi->AddCtx(ctx, obj, n);
}

/* data(imported) -> (NumUserTypes, (abi, api, feature), BuildName, HAS)
 * through the imported table, or (0) through the one never imported */
static HPy forms_data(HPyContext *ctx, const formsapi_API *t)
{
    const char *name = *t->BuildName;
    return HPy_BuildValue(ctx, "i(III)Oi", *t->NumUserTypes, t->ApiVersion->abi,
                          t->ApiVersion->api, t->ApiVersion->feature,
                          name ? ctx->h_True : ctx->h_None,
                          HPyAPI_HAS(t, NumUserTypes));
}

HPyDef_METH(forms_data_m, "forms_data", HPyFunc_O)
static HPy forms_data_m_impl(HPyContext *ctx, HPy self, HPy imported)
{
    (void)self;
    int yes = HPy_IsTrue(ctx, imported);
    return forms_data(ctx, yes ? fapi : formsapi_api);
}

HPyDef_METH(build_name, "build_name", HPyFunc_NOARGS)
static HPy build_name_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyUnicode_FromString(ctx, *fapi->BuildName);
}

HPyDef_METH(set_num_user_types, "set_num_user_types", HPyFunc_O)
static HPy set_num_user_types_impl(HPyContext *ctx, HPy self, HPy v)
{
    (void)self;
    long n = HPyLong_AsLong(ctx, v);
    if (n == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    fapi->SetNumUserTypes(ctx, (int)n);
    if (HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, *fapi->NumUserTypes);
}
#define FORMSCALLS_DEFS &setup_forms, &result_type, &fill_perm, &doubled,      \
    &copy_into, &tuple_n, &add_ctx, &forms_data_m, &build_name,                \
    &set_num_user_types,
