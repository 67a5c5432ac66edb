/* tblconsumer.c - an HPy consumer of tblapi (tests/c/tblapi.h): fetches
 * a table of the exporter's functions and calls them with its own
 * context and handles. */
#include <string.h>
#include "hpy.h"
#include "tblapi.h"
#include "setup.h"

static const tblapi_API *api;
static TblFuncs *tab;

static int have_table(HPyContext *ctx)
{
    if (tab == NULL)
        HPyErr_SetString(ctx, ctx->h_RuntimeError, "get_funcs() first");
    return tab != NULL;
}

/* get_funcs(which) -> the table's address (kept for the t_* methods) */
HPyDef_METH(get_funcs, "get_funcs", HPyFunc_O)
static HPy get_funcs_impl(HPyContext *ctx, HPy self, HPy which)
{
    (void)self;
    long w = HPyLong_AsLong(ctx, which);
    if (w == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    TblFuncs *t = api->Tbl_GetFuncs(ctx, (int)w);
    if (t == NULL)
        return HPy_NULL;
    tab = t;
    return HPyLong_FromSsize_t(ctx, (HPy_ssize_t)(intptr_t)t);
}

HPyDef_METH(get_bad, "get_bad", HPyFunc_NOARGS)
static HPy get_bad_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    TblBad *b = api->Tbl_GetBad(ctx);
    return b == NULL ? HPy_NULL : HPyLong_FromLong(ctx, b->n);
}

/* t_getitem(i) -> the exporter's item i, a new handle of ours */
HPyDef_METH(t_getitem, "t_getitem", HPyFunc_O)
static HPy t_getitem_impl(HPyContext *ctx, HPy self, HPy ih)
{
    (void)self;
    long i = HPyLong_AsLong(ctx, ih);
    if ((i == -1 && HPyErr_Occurred(ctx)) || !have_table(ctx))
        return HPy_NULL;
    return tab->getitem(ctx, &i, NULL);
}

/* t_setitem(i, value) -> setitem's int */
HPyDef_METH(t_setitem, "t_setitem", HPyFunc_VARARGS)
static HPy t_setitem_impl(HPyContext *ctx, HPy self, const HPy *args,
                          size_t nargs)
{
    (void)self;
    long i = nargs == 2 ? HPyLong_AsLong(ctx, args[0]) : -1;
    if (HPyErr_Occurred(ctx) || !have_table(ctx))
        return HPy_NULL;
    if (nargs != 2) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "t_setitem(i, value)");
        return HPy_NULL;
    }
    int rc = tab->setitem(ctx, args[1], &i, NULL);
    return rc < 0 ? HPy_NULL : HPyLong_FromLong(ctx, rc);
}

/* t_sort(k, n, items) -> the sorted list; None when sort[k] is NULL */
HPyDef_METH(t_sort, "t_sort", HPyFunc_VARARGS)
static HPy t_sort_impl(HPyContext *ctx, HPy self, const HPy *args,
                       size_t nargs)
{
    (void)self;
    long v[16];
    long k = nargs == 3 ? HPyLong_AsLong(ctx, args[0]) : -1;
    long n = nargs == 3 ? HPyLong_AsLong(ctx, args[1]) : -1;
    HPy_ssize_t len = nargs == 3 ? HPy_Length(ctx, args[2]) : -1;
    if (HPyErr_Occurred(ctx) || !have_table(ctx))
        return HPy_NULL;
    if (k < 0 || k > 2 || len < 0 || len > 16) {
        HPyErr_SetString(ctx, ctx->h_ValueError, "t_sort(k, n, items)");
        return HPy_NULL;
    }
    if (tab->sort[k] == NULL)
        return HPy_Dup(ctx, ctx->h_None);
    for (HPy_ssize_t i = 0; i < len; i++) {
        HPy x = HPy_GetItem_i(ctx, args[2], i);
        v[i] = HPyLong_AsLong(ctx, x);
        HPy_Close(ctx, x);
    }
    if (HPyErr_Occurred(ctx) || tab->sort[k](ctx, v, n, NULL) < 0)
        return HPy_NULL;
    HPy l = HPyList_New(ctx, 0);
    for (HPy_ssize_t i = 0; i < len; i++) {
        HPy x = HPyLong_FromLong(ctx, v[i]);
        HPyList_Append(ctx, l, x);
        HPy_Close(ctx, x);
    }
    return l;
}

HPyDef_METH(t_combine, "t_combine", HPyFunc_VARARGS)
static HPy t_combine_impl(HPyContext *ctx, HPy self, const HPy *args,
                          size_t nargs)
{
    (void)self;
    if (!have_table(ctx))
        return HPy_NULL;
    if (nargs != 2) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "t_combine(a, b)");
        return HPy_NULL;
    }
    return tab->combine(ctx, args[0], args[1]);
}

/* t_fields() -> (castdict is NULL, elsize) */
HPyDef_METH(t_fields, "t_fields", HPyFunc_NOARGS)
static HPy t_fields_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    if (!have_table(ctx))
        return HPy_NULL;
    return HPy_BuildValue(ctx, "Oi",
                          HPy_IsNull(tab->castdict) ? ctx->h_True
                                                    : ctx->h_False,
                          tab->elsize);
}

HPyDef_METH(twice, "twice", HPyFunc_O)
static HPy twice_impl(HPyContext *ctx, HPy self, HPy x)
{
    (void)self;
    long v = HPyLong_AsLong(ctx, x);
    if (v == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, api->Tbl_Twice(ctx, (int)v));
}

CONSUMER_SETUP(api, tblapi, tab = NULL)

static HPyDef *defines[] = {&get_funcs, &get_bad, &t_getitem, &t_setitem,
                            &t_sort, &t_combine, &t_fields, &twice, &setup,
                            NULL};
static HPyModuleDef moddef = {
    .doc = "tblapi consumer",
    .defines = defines,
};
#ifndef MODNAME
#define MODNAME tblconsumer
#endif
TEST_MODINIT(MODNAME, moddef)
