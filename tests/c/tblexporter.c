/* tblexporter.c - exports tblapi (tests/c/tblapi.h): returns tables of
 * its own functions, which work on its list of items with its own
 * context and handles; every function checks it runs on this module's
 * context (OWNCTX). */
#include <string.h>
#include "hpy.h"
#include "ownctx.h"
#define HPYAPI_EXPORTER 1 /* slot types, structs and tables: this file defines */
#include "tblapi.h"

static HPyGlobal items; /* a list */

static HPy get_item(HPyContext *ctx, void *data, void *arr)
{
    OWNCTX(ctx);
    (void)arr;
    HPy l = HPyGlobal_Load(ctx, items);
    HPy r = HPy_GetItem_i(ctx, l, *(long *)data); /* IndexError */
    HPy_Close(ctx, l);
    return r;
}

static int set_item(HPyContext *ctx, HPy value, void *data, void *arr)
{
    OWNCTX(ctx);
    (void)arr;
    if (HPy_Is(ctx, value, ctx->h_None)) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "set_item: not None");
        return -1;
    }
    HPy l = HPyGlobal_Load(ctx, items);
    int rc = HPy_SetItem_i(ctx, l, *(long *)data, value);
    HPy_Close(ctx, l);
    return rc;
}

static int cmp_up(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}
static int cmp_down(const void *a, const void *b) { return cmp_up(b, a); }

static int sort_with(HPyContext *ctx, void *start, long num,
                     int (*cmp)(const void *, const void *))
{
    OWNCTX(ctx);
    if (num < 0) {
        HPyErr_SetString(ctx, ctx->h_ValueError, "sort: negative length");
        return -1;
    }
    qsort(start, (size_t)num, sizeof(long), cmp);
    return 0;
}
static int sort_up(HPyContext *ctx, void *start, long num, void *arr)
{
    (void)arr;
    return sort_with(ctx, start, num, cmp_up);
}
static int sort_down(HPyContext *ctx, void *start, long num, void *arr)
{
    (void)arr;
    return sort_with(ctx, start, num, cmp_down);
}

static HPy combine(HPyContext *ctx, HPy a, HPy b)
{
    OWNCTX(ctx);
    return HPyTuple_Pack(ctx, 2, b, a);
}

static int resolve(HPyContext *ctx, const HPy *given)
{
    (void)given;
    OWNCTX(ctx);
    return 0;
}

/* for the limits: 20 different functions of one slot type, k(a, b) -> k */
#define TBL_NCOMB 20
#define TBL_COMB(k)                                                            \
    static HPy combine##k(HPyContext *ctx, HPy a, HPy b)                       \
    {                                                                          \
        OWNCTX(ctx);                                                           \
        (void)a;                                                               \
        (void)b;                                                               \
        return HPyLong_FromLong(ctx, k);                                       \
    }
TBL_COMB(0) TBL_COMB(1) TBL_COMB(2) TBL_COMB(3) TBL_COMB(4) TBL_COMB(5)
TBL_COMB(6) TBL_COMB(7) TBL_COMB(8) TBL_COMB(9) TBL_COMB(10) TBL_COMB(11)
TBL_COMB(12) TBL_COMB(13) TBL_COMB(14) TBL_COMB(15) TBL_COMB(16)
TBL_COMB(17) TBL_COMB(18) TBL_COMB(19)
static const tbl_pair combiners[TBL_NCOMB] = {
    combine0, combine1, combine2, combine3, combine4, combine5, combine6,
    combine7, combine8, combine9, combine10, combine11, combine12,
    combine13, combine14, combine15, combine16, combine17, combine18,
    combine19};
#define TBL_NMANY 80

static TblFuncs funcs[2]; /* which 0 and 1 */
/* 100 + k: table 0 with combiners[k]; 200 + k: copies of table 1 */
static TblFuncs comb_tabs[TBL_NCOMB], many_tabs[TBL_NMANY];
static TblBad bad = {1, resolve};

static TblFuncs *Tbl_GetFuncs(HPyContext *ctx, int which)
{
    OWNCTX(ctx);
    if (which >= 0 && which <= 1)
        return &funcs[which];
    if (which >= 100 && which < 100 + TBL_NCOMB) {
        comb_tabs[which - 100] = funcs[1];
        comb_tabs[which - 100].combine = combiners[which - 100];
        return &comb_tabs[which - 100];
    }
    if (which >= 200 && which < 200 + TBL_NMANY) {
        many_tabs[which - 200] = funcs[1];
        return &many_tabs[which - 200];
    }
    HPyErr_SetString(ctx, ctx->h_ValueError, "Tbl_GetFuncs: no such table");
    return NULL;
}

static TblBad *Tbl_GetBad(HPyContext *ctx)
{
    OWNCTX(ctx);
    return &bad;
}

static int Tbl_Twice(HPyContext *ctx, int x)
{
    OWNCTX(ctx);
    return 2 * x;
}

HPyAPI_DEFINE(tblapi, TBLAPI);
static tblapi_API table;

/* the exporter's own view, for the tests */
HPyDef_METH(items_m, "items", HPyFunc_NOARGS)
static HPy items_m_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyGlobal_Load(ctx, items);
}

HPyDef_METH(address, "address", HPyFunc_O)
static HPy address_impl(HPyContext *ctx, HPy self, HPy which)
{
    (void)self;
    long w = HPyLong_AsLong(ctx, which);
    if (w < 0 || w > 1) {
        if (!HPyErr_Occurred(ctx))
            HPyErr_SetString(ctx, ctx->h_ValueError, "address: 0 or 1");
        return HPy_NULL;
    }
    return HPyLong_FromSsize_t(ctx, (HPy_ssize_t)(intptr_t)&funcs[w]);
}

/* swap_sorts(): the exporter changes table 0 (sort[0] and sort[1]
 * exchanged), as NumPy's tables may be changed before they are used */
HPyDef_METH(swap_sorts, "swap_sorts", HPyFunc_NOARGS)
static HPy swap_sorts_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    tbl_sort s = funcs[0].sort[0];
    funcs[0].sort[0] = funcs[0].sort[1];
    funcs[0].sort[1] = s;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(reset, "reset", HPyFunc_NOARGS)
static HPy reset_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    HPy l = HPyList_New(ctx, 0);
    for (long i = 0; i < 4; i++) {
        HPy v = HPyLong_FromLong(ctx, 10 * i);
        HPyList_Append(ctx, l, v);
        HPy_Close(ctx, v);
    }
    HPyGlobal_Store(ctx, &items, l);
    HPy_Close(ctx, l);
    /* table 0 has a handle field: the exporter's, which no other context
       could use */
    for (int w = 0; w < 2; w++) {
        TblFuncs f = {get_item, set_item, {sort_up, sort_down, NULL},
                      w == 0 ? ctx->h_None : HPy_NULL, 8 + w, combine};
        funcs[w] = f;
    }
    return HPy_Dup(ctx, ctx->h_None);
}

OWNCTX_METHOD

HPyDef_SLOT(tblexp_exec, HPy_mod_exec)
static int tblexp_exec_impl(HPyContext *ctx, HPy m)
{
    HPy r = reset_impl(ctx, m);
    if (HPy_IsNull(r))
        return -1;
    HPy_Close(ctx, r);
    table.Tbl_GetFuncs = HPy_AsAPI(ctx, Tbl_GetFuncs);
    table.Tbl_GetBad = HPy_AsAPI(ctx, Tbl_GetBad);
    table.Tbl_Twice = HPy_AsAPI(ctx, Tbl_Twice);
    return HPyAPI_Export(ctx, m, tblapi, &table);
}

static HPyDef *defines[] = {&items_m, &address, &swap_sorts, &reset,
                            &foreign_ctx_calls, &own_ctx_address,
                            &tblexp_exec, NULL};
static HPyGlobal *globals[] = {&items, NULL};
static HPyModuleDef moddef = {
    .doc = "tblapi exporter",
    .defines = defines,
    .globals = globals,
};
#ifndef MODNAME
#define MODNAME tblexporter
#endif
TEST_MODINIT(MODNAME, moddef)
