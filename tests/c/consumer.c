/* consumer.c - calls testapi through the imported table, from whatever
 * mode it was loaded in.  Each Python-level function maps to one entry. */
#include <string.h>
#include "hpy.h"
#include "testapi.h"

static const testapi_API *api;

HPyDef_METH(setup, "setup", HPyFunc_O)
static HPy setup_impl(HPyContext *ctx, HPy self, HPy modname)
{
    (void)self;
    HPy_ssize_t size;
    const char *name = HPyUnicode_AsUTF8AndSize(ctx, modname, &size);
    if (name == NULL)
        return HPy_NULL;
    const testapi_API *t = HPyAPI_Import(ctx, testapi, name);
    if (t == NULL)
        return HPy_NULL;
    api = t;
    return HPy_Dup(ctx, ctx->h_None);
}

/* setup_min(modname, min_minor): HPyAPI_ImportMinor */
HPyDef_METH(setup_min, "setup_min", HPyFunc_VARARGS)
static HPy setup_min_impl(HPyContext *ctx, HPy self, const HPy *args,
                          size_t nargs)
{
    (void)self;
    const char *name;
    int min_minor;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "si", &name, &min_minor))
        return HPy_NULL;
    const testapi_API *t = HPyAPI_ImportMinor(ctx, testapi, name, min_minor);
    if (t == NULL)
        return HPy_NULL;
    api = t;
    return HPy_Dup(ctx, ctx->h_None);
}

/* Calls an entry with a context of a kind hpyapi does not know. */
HPyDef_METH(call_with_unknown_ctx, "call_with_unknown_ctx", HPyFunc_O)
static HPy call_with_unknown_ctx_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    static union {
        const char *name;
        char room[4096]; /* bigger than any real context */
    } fake = {"HPy Bogus ABI (not a real context)"};
    long v = api->AsLong((HPyContext *)(void *)&fake, a);
    if (v == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, v);
}

#if TESTAPI_MINOR >= 1
/* Version() exists from 1.1: -1 when the exporter lacks it */
HPyDef_METH(version, "version", HPyFunc_NOARGS)
static HPy version_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    if (!HPyAPI_HAS(api, Version))
        return HPyLong_FromLong(ctx, -1);
    return HPyLong_FromLong(ctx, api->Version(ctx));
}
#define VERSION_DEF &version,
#else
#define VERSION_DEF
#endif

/* set_hooks(index, set, clear): HPyAPI_SetHooks from C */
HPyDef_METH(set_hooks, "set_hooks", HPyFunc_VARARGS)
static HPy set_hooks_impl(HPyContext *ctx, HPy self, const HPy *args,
                          size_t nargs)
{
    (void)self;
    int index, set, clear;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "iii", &index, &set, &clear))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, HPyAPI_SetHooks(api, index, (uint32_t)set,
                                                 (uint32_t)clear));
}

HPyDef_METH(ctx_name, "ctx_name", HPyFunc_NOARGS)
static HPy ctx_name_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyUnicode_FromString(ctx, ctx->name);
}

HPyDef_METH(thing, "thing", HPyFunc_NOARGS)
static HPy thing_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return api->Thing(ctx);
}

HPyDef_METH(add, "add", HPyFunc_VARARGS)
static HPy add_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy a, b;
    (void)self;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "OO", &a, &b))
        return HPy_NULL;
    return api->Add(ctx, a, b);
}

HPyDef_METH(as_long, "as_long", HPyFunc_O)
static HPy as_long_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    long v = api->AsLong(ctx, a);
    if (v == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, v);
}

/* A Python sequence becomes a C array of borrowed handles. */
static HPy *seq_to_array(HPyContext *ctx, HPy seq, HPy_ssize_t *n)
{
    *n = HPy_Length(ctx, seq);
    if (*n < 0)
        return NULL;
    HPy *items = (HPy *)calloc((size_t)*n + 1, sizeof(HPy));
    for (HPy_ssize_t i = 0; i < *n; i++)
        items[i] = HPy_GetItem_i(ctx, seq, i);
    return items;
}

static void free_array(HPyContext *ctx, HPy *items, HPy_ssize_t n)
{
    for (HPy_ssize_t i = 0; i < n; i++)
        HPy_Close(ctx, items[i]);
    free(items);
}

HPyDef_METH(sum_list, "sum_list", HPyFunc_O)
static HPy sum_list_impl(HPyContext *ctx, HPy self, HPy seq)
{
    (void)self;
    HPy_ssize_t n;
    HPy *items = seq_to_array(ctx, seq, &n);
    if (items == NULL)
        return HPy_NULL;
    HPy r = api->SumList(ctx, items, n);
    free_array(ctx, items, n);
    return r;
}

/* Calls SumList with an inconsistent (array, length) pair. */
HPyDef_METH(sum_list_bad, "sum_list_bad", HPyFunc_O)
static HPy sum_list_bad_impl(HPyContext *ctx, HPy self, HPy length)
{
    (void)self;
    long n = HPyLong_AsLong(ctx, length);
    if (n == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return api->SumList(ctx, NULL, n);
}

HPyDef_METH(scale, "scale", HPyFunc_VARARGS)
static HPy scale_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    double x;
    int k;
    (void)self;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "di", &x, &k))
        return HPy_NULL;
    double r = api->Scale(ctx, x, k);
    if (r == -1.0 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyFloat_FromDouble(ctx, r);
}

HPyDef_METH(callback, "callback", HPyFunc_VARARGS)
static HPy callback_impl(HPyContext *ctx, HPy self, const HPy *args,
                         size_t nargs)
{
    HPy fn, arg;
    (void)self;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "OO", &fn, &arg))
        return HPy_NULL;
    return api->CallBack(ctx, fn, arg);
}

HPyDef_METH(raise_, "raise_", HPyFunc_VARARGS)
static HPy raise__impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy type;
    const char *msg;
    (void)self;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "Os", &type, &msg))
        return HPy_NULL;
    int r = api->Raise(ctx, type, msg);
    if (r != -1)
        return HPyLong_FromLong(ctx, r); /* the test fails on this */
    return HPy_NULL;
}

/* Returns the string "NULL, no error" when the entry returns HPy_NULL
 * without an exception, so the test can see both conventions. */
HPyDef_METH(null_result, "null_result", HPyFunc_O)
static HPy null_result_impl(HPyContext *ctx, HPy self, HPy flag)
{
    (void)self;
    HPy r = api->NullResult(ctx, (int)HPyLong_AsLong(ctx, flag));
    if (!HPy_IsNull(r))
        return r;
    if (HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyUnicode_FromString(ctx, "NULL, no error");
}

HPyDef_METH(store, "store", HPyFunc_O)
static HPy store_impl(HPyContext *ctx, HPy self, HPy obj)
{
    (void)self;
    api->Store(ctx, obj);
    if (HPyErr_Occurred(ctx)) /* a void entry fails only this way */
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(load, "load", HPyFunc_NOARGS)
static HPy load_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return api->Load(ctx);
}

HPyDef_METH(identity, "identity", HPyFunc_O)
static HPy identity_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    return api->Identity(ctx, a);
}

HPyDef_METH(exporter_ctx_name, "exporter_ctx_name", HPyFunc_NOARGS)
static HPy exporter_ctx_name_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    const char *name = api->CtxName(ctx);
    if (name == NULL)
        return HPy_NULL;
    return HPyUnicode_FromString(ctx, name);
}

/* None stands for HPy_NULL in a and b. */
HPyDef_METH(pick, "pick", HPyFunc_VARARGS)
static HPy pick_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy a, b;
    int which;
    (void)self;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "OOi", &a, &b, &which))
        return HPy_NULL;
    if (HPy_Is(ctx, a, ctx->h_None))
        a = HPy_NULL;
    if (HPy_Is(ctx, b, ctx->h_None))
        b = HPy_NULL;
    return api->Pick(ctx, a, b, which);
}

HPyDef_METH(concat, "concat", HPyFunc_VARARGS)
static HPy concat_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy sep, seq, tail;
    (void)self;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "OOO", &sep, &seq, &tail))
        return HPy_NULL;
    HPy_ssize_t n;
    HPy *items = seq_to_array(ctx, seq, &n);
    if (items == NULL)
        return HPy_NULL;
    HPy r = api->Concat(ctx, sep, items, n, tail);
    free_array(ctx, items, n);
    return r;
}

/* What an old binary does: call the slot the retired entry used to have. */
HPyDef_METH(old_entry, "old_entry", HPyFunc_O)
static HPy old_entry_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    int r = api->OldEntry__retired(ctx, a);
    if (r == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, r);
}

#include "outcalls_hpy.h"
#include "formscalls_hpy.h"

static HPyDef *module_defines[] = {
    OUTCALLS_DEFS FORMSCALLS_DEFS &setup, &setup_min, &call_with_unknown_ctx, &set_hooks, VERSION_DEF &ctx_name, &thing, &add, &as_long, &sum_list, &sum_list_bad,
    &scale, &callback, &raise_, &null_result, &store, &load, &identity,
    &exporter_ctx_name, &pick, &concat, &old_entry, NULL};
static HPyModuleDef moddef = {
    .doc = "hpyapi test consumer",
    .defines = module_defines,
};
#ifndef MODNAME
#define MODNAME consumer
#endif
TEST_MODINIT(MODNAME, moddef)
