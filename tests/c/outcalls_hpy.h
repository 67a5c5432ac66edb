/* outcalls_hpy.h - the test consumer's calls of outapi (included by
 * consumer.c).  Out arguments start as a marker handle, so that Python
 * can tell "written" from "left as it was". */
#include "outapi.h"

static const outapi_API *oapi;

HPyDef_METH(setup_out, "setup_out", HPyFunc_O)
static HPy setup_out_impl(HPyContext *ctx, HPy self, HPy modname)
{
    (void)self;
    HPy_ssize_t size;
    const char *name = HPyUnicode_AsUTF8AndSize(ctx, modname, &size);
    if (name == NULL || (oapi = HPyAPI_Import(ctx, outapi, name)) == NULL)
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

static int same_handle(HPy a, HPy b) { return a._i == b._i; }

/* out_parse(obj, marker) -> (ret, out); the marker (borrowed) is what *out
 * holds before the call: on failure it must still hold it */
HPyDef_METH(out_parse, "out_parse", HPyFunc_VARARGS)
static HPy out_parse_impl(HPyContext *ctx, HPy self, const HPy *args,
                          size_t n)
{
    (void)self;
    (void)n;
    HPy out = args[1];
    int r = oapi->Out_Parse(ctx, args[0], &out);
    if (r == 0) {
        if (!same_handle(out, args[1])) {
            HPy_Close(ctx, out);
            HPyErr_SetString(ctx, ctx->h_AssertionError, "written on error");
        }
        return HPy_NULL;
    }
    if (same_handle(out, args[1]))
        return HPy_BuildValue(ctx, "is", r, "untouched");
    HPy res = HPy_BuildValue(ctx, "iO", r, out);
    HPy_Close(ctx, out);
    return res;
}

/* out_split(seq) -> (first, rest) */
HPyDef_METH(out_split, "out_split", HPyFunc_O)
static HPy out_split_impl(HPyContext *ctx, HPy self, HPy seq)
{
    (void)self;
    HPy first = HPy_NULL, rest = HPy_NULL;
    if (oapi->Out_Split(ctx, seq, &first, &rest) < 0) {
        if (!HPy_IsNull(first) || !HPy_IsNull(rest))
            HPyErr_SetString(ctx, ctx->h_AssertionError, "written on error");
        return HPy_NULL;
    }
    HPy res = HPy_BuildValue(ctx, "OO", first, rest);
    HPy_Close(ctx, first);
    HPy_Close(ctx, rest);
    return res;
}

/* out_fill(seq, n) -> (count, [items; None where not written]) */
HPyDef_METH(out_fill, "out_fill", HPyFunc_VARARGS)
static HPy out_fill_impl(HPyContext *ctx, HPy self, const HPy *args,
                         size_t nargs)
{
    (void)self;
    (void)nargs;
    HPy_ssize_t n = HPyLong_AsSsize_t(ctx, args[1]);
    if (n < 0 || n > 64)
        return HPy_NULL;
    HPy items[64];
    for (HPy_ssize_t i = 0; i < n; i++)
        items[i] = HPy_NULL;
    HPy_ssize_t got = oapi->Out_Fill(ctx, args[0], items, n);
    HPy lst = HPyList_New(ctx, 0);
    for (HPy_ssize_t i = 0; i < n; i++) {
        HPyList_Append(ctx, lst, HPy_IsNull(items[i]) ? ctx->h_None : items[i]);
        HPy_Close(ctx, items[i]);
    }
    if (got < 0) {
        HPy_Close(ctx, lst);
        return HPy_NULL;
    }
    HPy res = HPy_BuildValue(ctx, "nO", got, lst);
    HPy_Close(ctx, lst);
    return res;
}

/* out_both(a) -> (a + 1, a + 2) */
HPyDef_METH(out_both, "out_both", HPyFunc_O)
static HPy out_both_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    HPy out = HPy_NULL;
    HPy r = oapi->Out_Both(ctx, a, &out);
    if (HPy_IsNull(r))
        return HPy_NULL;
    HPy res = HPy_BuildValue(ctx, "OO", r, out);
    HPy_Close(ctx, r);
    HPy_Close(ctx, out);
    return res;
}
#define OUTCALLS_DEFS &setup_out, &out_parse, &out_split, &out_fill, &out_both,
