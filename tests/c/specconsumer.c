/* specconsumer.c - an HPy consumer of specapi (tests/c/specapi.h) whose
 * slot functions call Python functions registered per loop name.  Every
 * slot function checks that it runs with a context of this module's own
 * family (bad_contexts() counts those that did not). */
#include <stdio.h>
#include <string.h>
#include "hpy.h"
#include "ownctx.h"
#include "specapi.h"
#include "setup.h"

static const specapi_API *api;
static HPyGlobal pyfuncs; /* loop name -> (resolve, loop); "" -> fallback */

/* pyfuncs[key][i], a new handle */
static HPy pyfunc(HPyContext *ctx, HPy key, int i)
{
    HPy d = HPyGlobal_Load(ctx, pyfuncs);
    HPy pair = HPy_GetItem(ctx, d, key);
    HPy_Close(ctx, d);
    if (HPy_IsNull(pair))
        return HPy_NULL;
    HPy f = HPy_GetItem_i(ctx, pair, i);
    HPy_Close(ctx, pair);
    return f;
}

static HPy call(HPyContext *ctx, HPy f, HPy args)
{
    HPy r = HPy_IsNull(f) || HPy_IsNull(args)
                ? HPy_NULL
                : HPy_CallTupleDict(ctx, f, args, HPy_NULL);
    if (!HPy_IsNull(f))
        HPy_Close(ctx, f);
    if (!HPy_IsNull(args))
        HPy_Close(ctx, args);
    return r;
}

static HPy c_resolve(HPyContext *ctx, HPy method, HPy given)
{
    OWNCTX(ctx);
    return call(ctx, pyfunc(ctx, method, 0), HPyTuple_Pack(ctx, 1, given));
}

/* loop((caller, method, descriptors), n) */
static long c_loop(HPyContext *ctx, SpLoopContext *c, long n)
{
    OWNCTX(ctx);
    HPy nh = HPyLong_FromLong(ctx, n);
    HPy descrs = HPyTuple_FromArray(ctx, (HPy *)c->descriptors, c->nargs);
    HPy info = HPyTuple_Pack(ctx, 3, c->caller, c->method, descrs);
    HPy r = call(ctx, pyfunc(ctx, c->method, 1), HPyTuple_Pack(ctx, 2, info,
                                                                nh));
    HPy_Close(ctx, info);
    HPy_Close(ctx, descrs);
    HPy_Close(ctx, nh);
    if (HPy_IsNull(r))
        return -1;
    long v = HPyLong_AsLong(ctx, r);
    HPy_Close(ctx, r);
    return v;
}

static HPy c_fallback(HPyContext *ctx, HPy method, HPy given)
{
    OWNCTX(ctx);
    HPy key = HPyUnicode_FromString(ctx, "");
    HPy f = HPy_IsNull(key) ? HPy_NULL : pyfunc(ctx, key, 0);
    if (!HPy_IsNull(key))
        HPy_Close(ctx, key);
    return call(ctx, f, HPyTuple_Pack(ctx, 2, method, given));
}

/* 20 different resolvers, for the pool's limit (add_many) */
#define SP_MANY(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) \
    X(11) X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19)
#define SP_DEF(i)                                                              \
    static HPy c_many##i(HPyContext *ctx, HPy method, HPy given)               \
    {                                                                          \
        (void)method;                                                          \
        OWNCTX(ctx);                                                           \
        return HPy_Dup(ctx, given);                                            \
    }
SP_MANY(SP_DEF)
#define SP_REF(i) c_many##i,
static const sp_resolve many[] = {SP_MANY(SP_REF)};

/* the slot types name these functions' types */
static const sp_resolve resolve_fn = c_resolve, fallback_fn = c_fallback;
static const sp_loop loop_fn = c_loop;

static int remember(HPyContext *ctx, HPy name, HPy resolve, HPy loop)
{
    HPy d = HPyGlobal_Load(ctx, pyfuncs);
    HPy pair = HPyTuple_Pack(ctx, 2, resolve, loop);
    int rc = HPy_IsNull(pair) ? -1 : HPy_SetItem(ctx, d, name, pair);
    HPy_Close(ctx, d);
    if (!HPy_IsNull(pair))
        HPy_Close(ctx, pair);
    return rc;
}

#define MAXN 16
/* one spec from (name, nin, nout, casting, flags, dtypes, resolve, loop,
 * extra slot id): its strings and arrays live in `mem` */
typedef struct {
    SpMethodSpec spec;
    HPyAPI_TypeSlot slots[4];
    HPy dtypes[MAXN];
    int ndtypes;
} spec_mem;

static int build(HPyContext *ctx, const HPy *a, spec_mem *m)
{
    memset(m, 0, sizeof *m);
    m->spec.name = HPyUnicode_AsUTF8AndSize(ctx, a[0], NULL);
    m->spec.nin = (int)HPyLong_AsLong(ctx, a[1]);
    m->spec.nout = (int)HPyLong_AsLong(ctx, a[2]);
    m->spec.casting = (int)HPyLong_AsLong(ctx, a[3]);
    m->spec.flags = (int)HPyLong_AsLong(ctx, a[4]);
    HPy_ssize_t n = HPy_Length(ctx, a[5]);
    int extra = (int)HPyLong_AsLong(ctx, a[8]);
    if (m->spec.name == NULL || n < 0 || n > MAXN || HPyErr_Occurred(ctx)) {
        if (!HPyErr_Occurred(ctx))
            HPyErr_SetString(ctx, ctx->h_ValueError, "at most 16 dtypes");
        return -1;
    }
    for (HPy_ssize_t i = 0; i < n; i++)
        m->dtypes[m->ndtypes++] = HPy_GetItem_i(ctx, a[5], i);
    m->spec.dtypes = m->dtypes;
    int k = 0;
    if (!HPy_Is(ctx, a[6], ctx->h_None))
        m->slots[k++] = (HPyAPI_TypeSlot){SP_RESOLVE_SLOT, (void *)resolve_fn};
    if (!HPy_Is(ctx, a[7], ctx->h_None))
        m->slots[k++] = (HPyAPI_TypeSlot){SP_LOOP_SLOT, (void *)loop_fn};
    if (extra != 0)
        m->slots[k++] = (HPyAPI_TypeSlot){extra, (void *)resolve_fn};
    m->slots[k] = (HPyAPI_TypeSlot){0, NULL};
    m->spec.slots = m->slots;
    return remember(ctx, a[0], a[6], a[7]);
}

static void release(HPyContext *ctx, spec_mem *m)
{
    for (int i = 0; i < m->ndtypes; i++)
        HPy_Close(ctx, m->dtypes[i]);
}

/* add_loop(ufunc, name, nin, nout, casting, flags, dtypes, resolve, loop,
 * extra_slot_id) */
HPyDef_METH(add_loop, "add_loop", HPyFunc_VARARGS)
static HPy add_loop_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    spec_mem m;
    if (n != 10) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "add_loop: 10 arguments");
        return HPy_NULL;
    }
    int rc = build(ctx, args + 1, &m) < 0 ? -1
                                          : api->Sp_AddLoop(ctx, args[0], &m.spec);
    release(ctx, &m);
    return rc < 0 ? HPy_NULL : HPyLong_FromLong(ctx, rc);
}

/* add_loops(tag, fallback, [(ufunc name, name, nin, nout, casting, flags,
 * dtypes, resolve, loop, extra), ...]): Sp_AddLoops; with tag None,
 * Sp_AddLoopsFromSpecs (the array itself, no fallback) */
HPyDef_METH(add_loops, "add_loops", HPyFunc_VARARGS)
static HPy add_loops_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    if (n != 3) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "add_loops: 3 arguments");
        return HPy_NULL;
    }
    HPy_ssize_t k = HPy_Length(ctx, args[2]);
    if (k < 0 || k > 4) {
        if (k >= 0)
            HPyErr_SetString(ctx, ctx->h_ValueError, "at most 4 loops");
        return HPy_NULL;
    }
    spec_mem mem[4];
    SpLoopSlot slots[5];
    SpLoopSlot *ptrs[5];
    HPy items[4][10];
    HPy_ssize_t built = 0;
    int rc = 0;
    for (; rc == 0 && built < k; built++) {
        HPy t = HPy_GetItem_i(ctx, args[2], built);
        for (int j = 0; j < 10; j++)
            items[built][j] = HPy_IsNull(t) ? HPy_NULL : HPy_GetItem_i(ctx, t, j);
        if (!HPy_IsNull(t))
            HPy_Close(ctx, t);
        rc = HPyErr_Occurred(ctx) ? -1 : build(ctx, items[built] + 1,
                                               &mem[built]);
        slots[built].name = HPyUnicode_AsUTF8AndSize(ctx, items[built][0], NULL);
        slots[built].spec = &mem[built].spec;
        ptrs[built] = &slots[built];
    }
    ptrs[built] = NULL;
    slots[built].name = NULL; /* the list's end */
    slots[built].spec = NULL;
    int as_list = HPy_Is(ctx, args[0], ctx->h_None);
    SpLoopSet set = {as_list ? 0 : (int)HPyLong_AsLong(ctx, args[0]), NULL,
                     ptrs};
    if (!HPy_Is(ctx, args[1], ctx->h_None)) {
        HPy key = HPyUnicode_FromString(ctx, "");
        rc = rc < 0 ? -1 : remember(ctx, key, args[1], args[1]);
        HPy_Close(ctx, key);
        set.fallback = fallback_fn;
    }
    if (rc == 0 && !HPyErr_Occurred(ctx))
        rc = as_list ? api->Sp_AddLoopsFromSpecs(ctx, slots)
                     : api->Sp_AddLoops(ctx, &set);
    else
        rc = -1;
    for (HPy_ssize_t i = 0; i < built; i++) {
        release(ctx, &mem[i]);
        for (int j = 0; j < 10; j++)
            if (!HPy_IsNull(items[i][j]))
                HPy_Close(ctx, items[i][j]);
    }
    return rc < 0 ? HPy_NULL : HPyLong_FromLong(ctx, rc);
}

/* add_many(ufunc, i): registers loop "many<i>" with the i-th resolver */
HPyDef_METH(add_many, "add_many", HPyFunc_VARARGS)
static HPy add_many_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    (void)n;
    long i = HPyLong_AsLong(ctx, args[1]);
    if (i < 0 || i >= (long)(sizeof many / sizeof many[0])) {
        if (!HPyErr_Occurred(ctx))
            HPyErr_SetString(ctx, ctx->h_IndexError, "add_many: 0..19");
        return HPy_NULL;
    }
    char name[16];
    snprintf(name, sizeof name, "many%ld", i);
    HPyAPI_TypeSlot slots[] = {{SP_RESOLVE_SLOT, (void *)many[i]}, {0, NULL}};
    SpMethodSpec spec = {name, 0, 0, 0, 0, NULL, slots};
    int rc = api->Sp_AddLoop(ctx, args[0], &spec);
    return rc < 0 ? HPy_NULL : HPyLong_FromLong(ctx, rc);
}

/* buffer(obj, hint, flags) -> (rc, base, ptr, len, flags) */
HPyDef_METH(buffer, "buffer", HPyFunc_VARARGS)
static HPy buffer_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    (void)n;
    SpChunk c = {HPy_NULL, NULL, -7, args[1],
                 (int)HPyLong_AsLong(ctx, args[2])};
    int rc = api->Sp_BufferConverter(ctx, args[0], &c);
    if (rc < 0) {
        if (!HPy_IsNull(c.base)) /* the exporter wrote on failure */
            HPyErr_SetString(ctx, ctx->h_AssertionError, "base on error");
        return HPy_NULL;
    }
    HPy r = HPy_BuildValue(ctx, "iOlli", rc, c.base, (long)(intptr_t)c.ptr,
                           c.len, c.flags);
    HPy_Close(ctx, c.base);
    return r;
}

/* resolve(ufunc, name, given): the exporter calls the loop's resolver */
HPyDef_METH(resolve, "resolve", HPyFunc_VARARGS)
static HPy resolve_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    (void)n;
    const char *name = HPyUnicode_AsUTF8AndSize(ctx, args[1], NULL);
    return name ? api->Sp_Resolve(ctx, args[0], name, args[2]) : HPy_NULL;
}

/* ---- a DType-API method: pyfuncs[name] = (resolve, loop, nargs) -------- */
static int nargs_of(HPyContext *ctx, HPy method)
{
    HPy n = pyfunc(ctx, method, 2);
    if (HPy_IsNull(n))
        return -1;
    int r = (int)HPyLong_AsLong(ctx, n);
    HPy_Close(ctx, n);
    return r;
}

/* a tuple of n handles, None for HPy_NULL */
static HPy tuple_of(HPyContext *ctx, const HPy *h, int n)
{
    HPy items[MAXN];
    for (int i = 0; i < n; i++)
        items[i] = HPy_IsNull(h[i]) ? ctx->h_None : h[i];
    return HPyTuple_FromArray(ctx, items, n);
}

/* resolve(dtypes, given) -> (loop_descrs, view_offset) */
static int c_resolve_descrs(HPyContext *ctx, HPy method, const HPy *dtypes,
                            const HPy *given, HPy *loop_descrs,
                            long *view_offset)
{
    OWNCTX(ctx);
    int n = nargs_of(ctx, method);
    if (n < 0)
        return -1;
    HPy dt = tuple_of(ctx, dtypes, n), gv = tuple_of(ctx, given, n);
    HPy r = call(ctx, pyfunc(ctx, method, 0), HPyTuple_Pack(ctx, 2, dt, gv));
    HPy_Close(ctx, dt);
    HPy_Close(ctx, gv);
    if (HPy_IsNull(r))
        return -1;
    HPy lt = HPy_GetItem_i(ctx, r, 0), v = HPy_GetItem_i(ctx, r, 1);
    HPy_Close(ctx, r);
    for (int i = 0; i < n; i++) { /* new handles, the exporter's to own */
        HPy item = HPy_GetItem_i(ctx, lt, i);
        if (HPy_Is(ctx, item, ctx->h_None)) {
            HPy_Close(ctx, item);
            item = HPy_NULL;
        }
        loop_descrs[i] = item;
    }
    *view_offset = HPyLong_AsLong(ctx, v);
    HPy_Close(ctx, lt);
    HPy_Close(ctx, v);
    return 0;
}

/* loop((caller, method, descriptors, flags, auxdata), n) + plus */
static int strided(HPyContext *ctx, SpMethodContext *c, const long *dims,
                   void *aux, int plus)
{
    int n = nargs_of(ctx, c->method);
    if (n < 0)
        return -1;
    HPy d = tuple_of(ctx, c->descriptors, n);
    HPy info = HPy_BuildValue(ctx, "(OOOll)", c->caller, c->method, d,
                              (long)c->flags, (long)(intptr_t)aux);
    HPy_Close(ctx, d);
    HPy nh = HPyLong_FromLong(ctx, dims[0]);
    HPy r = call(ctx, pyfunc(ctx, c->method, 1), HPyTuple_Pack(ctx, 2, info,
                                                                nh));
    HPy_Close(ctx, info);
    HPy_Close(ctx, nh);
    if (HPy_IsNull(r))
        return -1;
    int v = (int)HPyLong_AsLong(ctx, r);
    HPy_Close(ctx, r);
    return v + plus;
}

static int c_strided(HPyContext *ctx, SpMethodContext *c, char *const *data,
                     const long *dims, const long *strides, void *aux)
{
    OWNCTX(ctx);
    (void)data;
    (void)strides;
    return strided(ctx, c, dims, aux, 0);
}

/* what get_loop returns: another function of the same slot type */
static int c_strided_got(HPyContext *ctx, SpMethodContext *c,
                         char *const *data, const long *dims,
                         const long *strides, void *aux)
{
    OWNCTX(ctx);
    (void)data;
    (void)strides;
    return strided(ctx, c, dims, aux, 1000);
}
static const sp_strided got_fn = c_strided_got;

/* 20 different loops get_loop may return (set_next_loop), for the pool */
#define SP_LOOP_DEF(i)                                                         \
    static int c_loop_n##i(HPyContext *ctx, SpMethodContext *c,                \
                           char *const *data, const long *dims,                \
                           const long *strides, void *aux)                     \
    {                                                                          \
        (void)ctx, (void)c, (void)data, (void)strides, (void)aux;              \
        return (int)dims[0] + i;                                               \
    }
SP_MANY(SP_LOOP_DEF)
#define SP_LOOP_REF(i) c_loop_n##i,
static const sp_strided loops_n[] = {SP_MANY(SP_LOOP_REF)};
static long next_loop = -1; /* -1: got_fn */

static int c_get_loop(HPyContext *ctx, SpMethodContext *c, int aligned,
                      int move_references, const long *strides,
                      sp_strided *out_loop, void **out_auxdata, int *flags)
{
    OWNCTX(ctx);
    (void)move_references;
    int n = nargs_of(ctx, c->method);
    if (n < 0)
        return -1;
    if (aligned < 0) { /* a failing get_loop writes nothing */
        HPyErr_SetString(ctx, ctx->h_ValueError, "get_loop: unaligned");
        return -1;
    }
    *out_loop = next_loop < 0 ? got_fn : loops_n[next_loop % 20];
    *out_auxdata = (void *)(intptr_t)(0x1000 + n * 16 + strides[0]);
    *flags = aligned * 10 + 7;
    return 0;
}

static const sp_resolve_descrs resolve_descrs_fn = c_resolve_descrs;
static const sp_get_loop get_loop_fn = c_get_loop;
static const sp_strided strided_fn = c_strided;

/* add_method(ufunc, name, nin, nout, dtypes, resolve, loop, with_strided):
 * Sp_AddMethod with resolve_descriptors, get_loop and, if with_strided,
 * a strided loop */
HPyDef_METH(add_method, "add_method", HPyFunc_VARARGS)
static HPy add_method_impl(HPyContext *ctx, HPy self, const HPy *args,
                           size_t n)
{
    (void)self;
    if (n != 8) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "add_method: 8 arguments");
        return HPy_NULL;
    }
    HPy d[MAXN];
    HPy_ssize_t nd = HPy_Length(ctx, args[4]);
    if (nd < 0 || nd > MAXN)
        return nd < 0 ? HPy_NULL : (HPyErr_SetString(ctx, ctx->h_ValueError,
                                                     "16 dtypes"), HPy_NULL);
    for (HPy_ssize_t i = 0; i < nd; i++)
        d[i] = HPy_GetItem_i(ctx, args[4], i);
    SpDTypeSpec spec = {HPyUnicode_AsUTF8AndSize(ctx, args[1], NULL),
                        (int)HPyLong_AsLong(ctx, args[2]),
                        (int)HPyLong_AsLong(ctx, args[3]), d, NULL,
                        {NULL, NULL}};
    HPyAPI_TypeSlot slots[] = {{SP_DT_RESOLVE, (void *)resolve_descrs_fn},
                               {SP_DT_GET_LOOP, (void *)get_loop_fn},
                               {SP_DT_STRIDED, (void *)strided_fn},
                               {0, NULL}, {0, NULL}};
    long with_strided = HPyLong_AsLong(ctx, args[7]);
    if (!with_strided)
        slots[2] = (HPyAPI_TypeSlot){0, NULL};
    if (with_strided == 2) { /* static data, and a loop in the FNS field */
        slots[3] = (HPyAPI_TypeSlot){SP_DT_STATIC_DATA, (void *)0x5678};
        spec.more[0] = spec.more[1] = loop_fn; /* the exporter clears [0] */
    }
    spec.slots = slots;
    HPy nargs = HPyLong_FromLong(ctx, spec.nin + spec.nout);
    HPy entry = HPyTuple_Pack(ctx, 3, args[5], args[6], nargs);
    HPy dict = HPyGlobal_Load(ctx, pyfuncs);
    int rc = HPyErr_Occurred(ctx) || spec.name == NULL
                 ? -1
                 : HPy_SetItem(ctx, dict, args[1], entry);
    HPy_Close(ctx, dict);
    HPy_Close(ctx, entry);
    HPy_Close(ctx, nargs);
    if (rc == 0)
        rc = api->Sp_AddMethod(ctx, args[0], &spec);
    if (rc == 0 && spec.more[0] != NULL) {
        HPyErr_SetString(ctx, ctx->h_AssertionError, "more[0] not cleared");
        rc = -1;
    }
    for (HPy_ssize_t i = 0; i < nd; i++)
        HPy_Close(ctx, d[i]);
    return rc < 0 ? HPy_NULL : HPyLong_FromLong(ctx, rc);
}

HPyDef_METH(set_next_loop, "set_next_loop", HPyFunc_O)
static HPy set_next_loop_impl(HPyContext *ctx, HPy self, HPy i)
{
    (void)self;
    next_loop = HPyLong_AsLong(ctx, i);
    return HPyErr_Occurred(ctx) ? HPy_NULL : HPy_Dup(ctx, ctx->h_None);
}

/* add_plain(): resolve_descriptors in a SLOTS field without a length */
HPyDef_METH(add_plain, "add_plain", HPyFunc_NOARGS)
static HPy add_plain_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    HPyAPI_TypeSlot slots[] = {{SP_DT_RESOLVE, (void *)resolve_descrs_fn},
                               {0, NULL}};
    SpPlainSpec spec = {10, slots};
    int rc = api->Sp_AddPlain(ctx, &spec);
    return rc < 0 ? HPy_NULL : HPyLong_FromLong(ctx, rc);
}

CONSUMER_SETUP(api, specapi, (void)0)

HPyDef_METH(ctx_name, "ctx_name", HPyFunc_NOARGS)
static HPy ctx_name_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyUnicode_FromString(ctx, ctx->name);
}

OWNCTX_METHOD

HPyDef_SLOT(spcons_exec, HPy_mod_exec)
static int spcons_exec_impl(HPyContext *ctx, HPy m)
{
    (void)m;
    HPy d = HPyDict_New(ctx);
    if (HPy_IsNull(d))
        return -1;
    HPyGlobal_Store(ctx, &pyfuncs, d);
    HPy_Close(ctx, d);
    return 0;
}

static HPyDef *defines[] = {&add_loop, &add_loops, &add_many, &buffer,
                            &add_method, &add_plain, &set_next_loop,
                            &resolve, &setup,
                            &bad_ctx, &ctx_name, &foreign_ctx_calls,
                            &own_ctx_address, &spcons_exec, NULL};
static HPyGlobal *globals[] = {&pyfuncs, NULL};
static HPyModuleDef moddef = {
    .doc = "specapi consumer",
    .defines = defines,
    .globals = globals,
};
#ifndef MODNAME
#define MODNAME specconsumer
#endif
TEST_MODINIT(MODNAME, moddef)
