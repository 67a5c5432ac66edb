/* specexporter.c - exports specapi (tests/c/specapi.h): registers loops
 * from spec structs, keeps their slot functions and calls them later
 * from its own Python methods (fire_resolve, fire_loop), with its own
 * context and handles; describe(name) shows what a spec carried.  Built
 * once per ABI, loaded per mode. */
#include <string.h>
#include "hpy.h"
#include "ownctx.h"
#define HPYAPI_EXPORTER 1 /* the file with HPyAPI_DEFINE: pools, descriptors */
#include "specapi.h"

#define MAX_LOOPS 32
typedef struct {
    char name[64];
    sp_resolve resolve;
    sp_loop loop;
} loop_t;
static loop_t loops[MAX_LOOPS];
static int nloops;
static HPyGlobal registry; /* name -> (ufunc, nin, nout, casting, flags,
                              dtypes, slot ids) */

static int fail(HPyContext *ctx, const char *msg)
{
    HPyErr_SetString(ctx, ctx->h_ValueError, msg);
    return -1;
}

static loop_t *find(const char *name)
{
    for (int i = 0; i < nloops; i++)
        if (strcmp(loops[i].name, name) == 0)
            return &loops[i];
    return NULL;
}

/* registry[name] = (ufunc, nin, nout, casting, flags, dtypes, ids); ids
 * is consumed */
static int keep(HPyContext *ctx, const char *name, HPy ufunc, int nin,
                int nout, int casting, int flags, const HPy *dtypes, HPy ids)
{
    HPy items[7] = {ufunc, HPyLong_FromLong(ctx, nin),
                    HPyLong_FromLong(ctx, nout), HPyLong_FromLong(ctx, casting),
                    HPyLong_FromLong(ctx, flags),
                    HPyTuple_FromArray(ctx, (HPy *)dtypes, nin + nout), ids};
    HPy rec = HPyTuple_FromArray(ctx, items, 7);
    for (int i = 1; i < 7; i++)
        HPy_Close(ctx, items[i]);
    HPy reg = HPyGlobal_Load(ctx, registry);
    int rc = HPy_SetItem_s(ctx, reg, name, rec);
    HPy_Close(ctx, reg);
    HPy_Close(ctx, rec);
    return rc;
}

/* what a NumPy ufunc keeps of a spec: its functions and objects */
static int add_loop(HPyContext *ctx, HPy ufunc, const SpMethodSpec *spec,
                    sp_resolve fallback)
{
    if (spec == NULL || spec->name == NULL || spec->nin < 0 || spec->nout < 0)
        return fail(ctx, "Sp_AddLoop: a spec with a name, nin, nout");
    if (nloops == MAX_LOOPS || strlen(spec->name) >= sizeof loops[0].name)
        return fail(ctx, "Sp_AddLoop: too many loops, or a long name");
    loop_t *l = find(spec->name);
    if (l == NULL)
        l = &loops[nloops++];
    memset(l, 0, sizeof *l);
    strcpy(l->name, spec->name);
    l->resolve = fallback;
    HPy ids = HPyList_New(ctx, 0);
    for (const HPyAPI_TypeSlot *s = spec->slots; s && (s->slot || s->pfunc);
         s++) {
        HPy id = HPyLong_FromLong(ctx, s->slot);
        HPyList_Append(ctx, ids, id);
        HPy_Close(ctx, id);
        if (s->slot == SP_RESOLVE_SLOT)
            memcpy(&l->resolve, &s->pfunc, sizeof l->resolve);
        else if (s->slot == SP_LOOP_SLOT)
            memcpy(&l->loop, &s->pfunc, sizeof l->loop);
        else { /* hpyapi refuses it across contexts; the same one: here */
            HPy_Close(ctx, ids);
            return fail(ctx, "Sp_AddLoop: unknown slot id");
        }
    }
    return keep(ctx, spec->name, ufunc, spec->nin, spec->nout, spec->casting,
                spec->flags, spec->dtypes, ids);
}

static int Sp_AddLoop(HPyContext *ctx, HPy ufunc, SpMethodSpec *spec)
{
    OWNCTX(ctx);
    return add_loop(ctx, ufunc, spec, NULL);
}

/* PyUFunc_AddLoopsFromSpecs: how many were added, -1 on error */
static int Sp_AddLoops(HPyContext *ctx, SpLoopSet *set)
{
    OWNCTX(ctx);
    int n = 0;
    for (SpLoopSlot **p = set->loops; p != NULL && *p != NULL; p++, n++) {
        HPy ufunc = HPyUnicode_FromString(ctx, (*p)->name);
        int rc = add_loop(ctx, ufunc, (*p)->spec, set->fallback);
        HPy_Close(ctx, ufunc);
        if (rc < 0)
            return -1;
    }
    return n * 100 + set->tag;
}

/* PyUFunc_AddLoopsFromSpecs itself: an array ending with {NULL, NULL} */
static int Sp_AddLoopsFromSpecs(HPyContext *ctx, SpLoopSlot *slots)
{
    OWNCTX(ctx);
    int n = 0;
    for (; slots[n].name != NULL; n++) {
        HPy ufunc = HPyUnicode_FromString(ctx, slots[n].name);
        int rc = add_loop(ctx, ufunc, slots[n].spec, NULL);
        HPy_Close(ctx, ufunc);
        if (rc < 0)
            return -1;
    }
    return n;
}

/* PyArray_BufferConverter: writes every field, `base` a new handle */
static int Sp_BufferConverter(HPyContext *ctx, HPy obj, SpChunk *chunk)
{
    OWNCTX(ctx);
    if (HPy_Is(ctx, obj, ctx->h_None))
        return fail(ctx, "Sp_BufferConverter: no buffer in None");
    HPy_ssize_t n = HPy_Length(ctx, obj);
    if (n < 0)
        return -1;
    chunk->base = HPyTuple_Pack(ctx, 2, obj, chunk->hint);
    if (HPy_IsNull(chunk->base))
        return -1;
    chunk->ptr = (void *)(uintptr_t)(0x5000 + n);
    chunk->len = (long)n;
    chunk->flags = chunk->flags * 2 + 1;
    return 1;
}

/* calls the loop's resolver with the exporter's own handles */
static HPy resolve(HPyContext *ctx, const char *name, HPy given)
{
    loop_t *l = find(name);
    if (l == NULL || l->resolve == NULL) {
        HPyErr_SetString(ctx, ctx->h_KeyError, "no resolver for this loop");
        return HPy_NULL;
    }
    HPy method = HPyUnicode_FromString(ctx, name);
    if (HPy_IsNull(method))
        return HPy_NULL;
    HPy r = l->resolve(ctx, method, given);
    HPy_Close(ctx, method);
    return r;
}

static HPy Sp_Resolve(HPyContext *ctx, HPy ufunc, const char *name, HPy given)
{
    OWNCTX(ctx);
    (void)ufunc;
    return resolve(ctx, name, given);
}

/* a DType-API method (SpDTypeSpec): its functions, kept as NumPy keeps a
 * method's, and the strided loop its get_loop returned */
typedef struct {
    char name[64];
    sp_resolve_descrs resolve;
    sp_get_loop get_loop;
    sp_strided strided, got;
    void *aux;
} method_t;
static method_t methods[MAX_LOOPS];
static int nmethods;

static method_t *find_method(const char *name)
{
    for (int i = 0; i < nmethods; i++)
        if (strcmp(methods[i].name, name) == 0)
            return &methods[i];
    return NULL;
}

static int Sp_AddMethod(HPyContext *ctx, HPy ufunc, SpDTypeSpec *spec)
{
    OWNCTX(ctx);
    if (spec == NULL || spec->name == NULL || spec->nin < 0 ||
        spec->nout < 0 || spec->nin + spec->nout > 8)
        return fail(ctx, "Sp_AddMethod: a spec with a name, nin, nout");
    method_t *m = find_method(spec->name);
    if (m == NULL && (nmethods == MAX_LOOPS ||
                      strlen(spec->name) >= sizeof methods[0].name))
        return fail(ctx, "Sp_AddMethod: too many methods, or a long name");
    if (m == NULL)
        m = &methods[nmethods++];
    memset(m, 0, sizeof *m);
    strcpy(m->name, spec->name);
    for (const HPyAPI_TypeSlot *s = spec->slots; s && (s->slot || s->pfunc);
         s++) {
        if (s->slot == SP_DT_RESOLVE)
            memcpy(&m->resolve, &s->pfunc, sizeof m->resolve);
        else if (s->slot == SP_DT_GET_LOOP)
            memcpy(&m->get_loop, &s->pfunc, sizeof m->get_loop);
        else if (s->slot == SP_DT_STRIDED)
            memcpy(&m->strided, &s->pfunc, sizeof m->strided);
        else if (s->slot == SP_DT_STATIC_DATA) /* data: unchanged */
            m->aux = s->pfunc;
        else
            return fail(ctx, "Sp_AddMethod: unknown slot id");
    }
    if (spec->more[1] != NULL) { /* a loop of the FNS field: fire_loop */
        loop_t *l = find(spec->name);
        if (l == NULL && nloops == MAX_LOOPS)
            return fail(ctx, "Sp_AddMethod: too many loops");
        if (l == NULL)
            l = &loops[nloops++];
        memset(l, 0, sizeof *l);
        strcpy(l->name, spec->name);
        l->loop = spec->more[1];
    }
    spec->more[0] = NULL; /* as PyArray_InitArrFuncs clears a struct */
    return keep(ctx, spec->name, ufunc, spec->nin, spec->nout, 0, 0,
                spec->dtypes, HPyList_New(ctx, 0));
}

/* the exporter's own context passes the slots unchanged: it counts them */
static int Sp_AddPlain(HPyContext *ctx, SpPlainSpec *spec)
{
    OWNCTX(ctx);
    int n = 0;
    while (spec->slots != NULL && spec->slots[n].slot != 0)
        n++;
    return n + spec->n;
}

HPyAPI_DEFINE(specapi, SPECAPI);

/* what fire_* call a method with: the ufunc and dtypes kept at
 * registration, the dtypes as an array of new handles */
typedef struct {
    method_t *m;
    HPy ufunc, name;
    int n;
    HPy d[8];
} kept_t;

static int load_method(HPyContext *ctx, const HPy *args, size_t nargs,
                       size_t want, const char *usage, kept_t *k)
{
    memset(k, 0, sizeof *k);
    if (nargs != want) {
        HPyErr_SetString(ctx, ctx->h_TypeError, usage);
        return -1;
    }
    HPy name = args[0];
    const char *s = HPyUnicode_AsUTF8AndSize(ctx, name, NULL);
    if (s == NULL)
        return -1;
    k->m = find_method(s);
    if (k->m == NULL) {
        HPyErr_SetString(ctx, ctx->h_KeyError, "no method of this name");
        return -1;
    }
    HPy reg = HPyGlobal_Load(ctx, registry);
    HPy rec = HPy_GetItem(ctx, reg, name);
    HPy_Close(ctx, reg);
    if (HPy_IsNull(rec))
        return -1;
    k->ufunc = HPy_GetItem_i(ctx, rec, 0);
    HPy dtypes = HPy_GetItem_i(ctx, rec, 5);
    HPy_Close(ctx, rec);
    k->n = (int)HPy_Length(ctx, dtypes);
    for (int i = 0; i < k->n; i++)
        k->d[i] = HPy_GetItem_i(ctx, dtypes, i);
    HPy_Close(ctx, dtypes);
    k->name = name;
    return 0;
}

static void drop_method(HPyContext *ctx, kept_t *k)
{
    for (int i = 0; i < k->n; i++)
        HPy_Close(ctx, k->d[i]);
    if (!HPy_IsNull(k->ufunc))
        HPy_Close(ctx, k->ufunc);
}

static HPy none_or(HPyContext *ctx, HPy h)
{
    return HPy_Dup(ctx, HPy_IsNull(h) ? ctx->h_None : h);
}

/* fire_resolve_descrs(name, given) -> (rc, loop_descrs, view_offset):
 * resolve_descriptors with the registered dtypes; None in `given` is
 * NumPy's NULL (an output not given) */
HPyDef_METH(fire_resolve_descrs, "fire_resolve_descrs", HPyFunc_VARARGS)
static HPy fire_resolve_descrs_impl(HPyContext *ctx, HPy self,
                                    const HPy *args, size_t nargs)
{
    (void)self;
    kept_t k;
    if (load_method(ctx, args, nargs, 2, "(name, given)", &k) < 0)
        return HPy_NULL;
    HPy given[8], loop[8];
    for (int i = 0; i < k.n; i++) {
        HPy g = HPy_GetItem_i(ctx, args[1], i);
        given[i] = HPy_Is(ctx, g, ctx->h_None) ? HPy_NULL : HPy_Dup(ctx, g);
        HPy_Close(ctx, g);
        loop[i] = HPy_NULL;
    }
    long view = -5;
    int rc = k.m->resolve(ctx, args[0], k.d, given, loop, &view);
    HPy r = HPy_NULL;
    if (rc >= 0) {
        HPy items[8];
        for (int i = 0; i < k.n; i++)
            items[i] = none_or(ctx, loop[i]);
        HPy t = HPyTuple_FromArray(ctx, items, k.n);
        for (int i = 0; i < k.n; i++)
            HPy_Close(ctx, items[i]);
        r = HPy_BuildValue(ctx, "(iOl)", rc, t, view);
        HPy_Close(ctx, t);
    }
    for (int i = 0; i < k.n; i++) {
        if (!HPy_IsNull(given[i]))
            HPy_Close(ctx, given[i]);
        if (!HPy_IsNull(loop[i]))
            HPy_Close(ctx, loop[i]);
    }
    drop_method(ctx, &k);
    return r;
}

/* fire_get_loop(name, aligned) -> (rc, flags, auxdata, got a loop) */
HPyDef_METH(fire_get_loop, "fire_get_loop", HPyFunc_VARARGS)
static HPy fire_get_loop_impl(HPyContext *ctx, HPy self, const HPy *args,
                              size_t nargs)
{
    (void)self;
    kept_t k;
    if (load_method(ctx, args, nargs, 2, "(name, aligned)", &k) < 0)
        return HPy_NULL;
    SpMethodContext c = {k.ufunc, args[0], k.d, NULL, 0, NULL};
    long strides[8] = {8, 8, 8};
    sp_strided got = NULL;
    void *aux = NULL;
    int flags = -1;
    int rc = k.m->get_loop(ctx, &c, (int)HPyLong_AsLong(ctx, args[1]), 0,
                           strides, &got, &aux, &flags);
    k.m->got = got;
    k.m->aux = aux;
    drop_method(ctx, &k);
    if (rc < 0 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPy_BuildValue(ctx, "(iilO)", rc, flags, (long)(intptr_t)aux,
                          got != NULL ? ctx->h_True : ctx->h_False);
}

/* fire_strided(name, n, which) -> rc: the spec's strided loop (0) or the
 * one get_loop returned (1), later, with the exporter's own context */
HPyDef_METH(fire_strided, "fire_strided", HPyFunc_VARARGS)
static HPy fire_strided_impl(HPyContext *ctx, HPy self, const HPy *args,
                             size_t nargs)
{
    (void)self;
    kept_t k;
    if (load_method(ctx, args, nargs, 3, "(name, n, which)", &k) < 0)
        return HPy_NULL;
    sp_strided f = HPyLong_AsLong(ctx, args[2]) ? k.m->got : k.m->strided;
    SpMethodContext c = {k.ufunc, args[0], k.d, NULL, 42, NULL};
    long dims[1] = {HPyLong_AsLong(ctx, args[1])}, strides[8] = {8, 8, 8};
    char *data[8] = {NULL};
    int rc = f == NULL ? -2 : f(ctx, &c, data, dims, strides, k.m->aux);
    drop_method(ctx, &k);
    if (rc == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, rc);
}
static specapi_API table;

HPyDef_METH(fire_resolve, "fire_resolve", HPyFunc_VARARGS)
static HPy fire_resolve_impl(HPyContext *ctx, HPy self, const HPy *args,
                             size_t nargs)
{
    (void)self;
    if (nargs != 2) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "fire_resolve(name, given)");
        return HPy_NULL;
    }
    const char *name = HPyUnicode_AsUTF8AndSize(ctx, args[0], NULL);
    return name ? resolve(ctx, name, args[1]) : HPy_NULL;
}

HPyDef_METH(fire_loop, "fire_loop", HPyFunc_VARARGS)
static HPy fire_loop_impl(HPyContext *ctx, HPy self, const HPy *args,
                          size_t nargs)
{
    (void)self;
    if (nargs != 2) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "fire_loop(name, n)");
        return HPy_NULL;
    }
    const char *name = HPyUnicode_AsUTF8AndSize(ctx, args[0], NULL);
    long n = HPyLong_AsLong(ctx, args[1]);
    if (name == NULL || HPyErr_Occurred(ctx))
        return HPy_NULL;
    loop_t *l = find(name);
    if (l == NULL || l->loop == NULL) {
        HPyErr_SetString(ctx, ctx->h_KeyError, "no loop of this name");
        return HPy_NULL;
    }
    /* the context: the registered ufunc, the loop's name, its dtypes */
    HPy reg = HPyGlobal_Load(ctx, registry);
    HPy rec = HPy_GetItem(ctx, reg, args[0]);
    HPy_Close(ctx, reg);
    if (HPy_IsNull(rec))
        return HPy_NULL;
    HPy ufunc = HPy_GetItem_i(ctx, rec, 0), dtypes = HPy_GetItem_i(ctx, rec, 5);
    HPy_Close(ctx, rec);
    HPy d[8];
    int nd = (int)HPy_Length(ctx, dtypes);
    for (int i = 0; i < nd && i < 8; i++)
        d[i] = HPy_GetItem_i(ctx, dtypes, i);
    SpLoopContext c = {ufunc, args[0], nd < 8 ? nd : 8, d, NULL};
    long r = l->loop(ctx, &c, n);
    for (int i = 0; i < c.nargs; i++)
        HPy_Close(ctx, d[i]);
    HPy_Close(ctx, ufunc);
    HPy_Close(ctx, dtypes);
    if (r == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, r);
}

HPyDef_METH(describe, "describe", HPyFunc_O)
static HPy describe_impl(HPyContext *ctx, HPy self, HPy name)
{
    (void)self;
    HPy reg = HPyGlobal_Load(ctx, registry);
    HPy r = HPy_GetItem(ctx, reg, name);
    HPy_Close(ctx, reg);
    return r;
}

HPyDef_METH(reset, "reset", HPyFunc_NOARGS)
static HPy reset_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    nloops = nmethods = 0;
    HPy reg = HPyDict_New(ctx);
    HPyGlobal_Store(ctx, &registry, reg);
    HPy_Close(ctx, reg);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(ctx_name, "ctx_name", HPyFunc_NOARGS)
static HPy ctx_name_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyUnicode_FromString(ctx, ctx->name);
}

OWNCTX_METHOD

HPyDef_SLOT(spexp_exec, HPy_mod_exec)
static int spexp_exec_impl(HPyContext *ctx, HPy m)
{
    HPy reg = HPyDict_New(ctx);
    if (HPy_IsNull(reg))
        return -1;
    HPyGlobal_Store(ctx, &registry, reg);
    HPy_Close(ctx, reg);
    table.Sp_AddLoop = HPy_AsAPI(ctx, Sp_AddLoop);
    table.Sp_AddLoops = HPy_AsAPI(ctx, Sp_AddLoops);
    table.Sp_BufferConverter = HPy_AsAPI(ctx, Sp_BufferConverter);
    table.Sp_Resolve = HPy_AsAPI(ctx, Sp_Resolve);
    table.Sp_AddLoopsFromSpecs = HPy_AsAPI(ctx, Sp_AddLoopsFromSpecs);
    table.Sp_AddMethod = HPy_AsAPI(ctx, Sp_AddMethod);
    table.Sp_AddPlain = HPy_AsAPI(ctx, Sp_AddPlain);
    return HPyAPI_Export(ctx, m, specapi, &table);
}

static HPyDef *defines[] = {&fire_resolve, &fire_loop, &fire_resolve_descrs,
                            &fire_get_loop, &fire_strided, &describe, &reset,
                            &ctx_name, &foreign_ctx_calls, &own_ctx_address,
                            &spexp_exec, NULL};
static HPyGlobal *globals[] = {&registry, NULL};
static HPyModuleDef moddef = {
    .doc = "specapi exporter",
    .defines = defines,
    .globals = globals,
};
#ifndef MODNAME
#define MODNAME specexporter
#endif
TEST_MODINIT(MODNAME, moddef)
