/* transform.c - the context transform (#446's _HPy_TransformContext).
 *
 * Every trampoline that misses its fast path lands in _HPyAPI_Call.  The
 * caller's context is classified by its name; then one of three things
 * happens:
 *
 *   same family     call the exporter's function directly.  Handles of the
 *                   universal, trace and CPython-ABI families are valid with
 *                   the exporter's stored context; a debug caller's context
 *                   is itself a valid debug context for a debug exporter.
 *                   The trampoline learns the caller (HPyAPI_Token.alt) and
 *                   takes it straight through next time.
 *   cross family    where both encodings are known (CPython ABI, universal
 *                   on CPython) the handles are rebased by pointer
 *                   arithmetic -- a route the slow function also learns --
 *                   else each side converts its handles to and from
 *                   PyObject* (see "converting one side's handles").
 *   unknown         a clear error (an interpreter whose contexts hpyapi does
 *                   not know).
 *
 * A debug exporter is always entered through its own
 * ctx_CallRealFunctionFromTrampoline: that is the only way to get a debug
 * context that is valid right now (see HPY_FACTS.md: the stored root is
 * marked invalid whenever any debug function is running).
 *
 * This file is compiled with the exporter's HPy ABI.  The caller's context
 * may be of another ABI: it is only ever read through `name` (first member
 * in every ABI) or, for universal-layout contexts, through hpyapi_uctx.
 */
#define _GNU_SOURCE 1 /* dladdr */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"
#include "cpython.h"

/* A view of any universal-layout context (universal, debug, trace), whatever
 * ABI this file is compiled for: HPy's own struct definition, renamed.  The
 * members are pointer-sized in every ABI, so the layout is the same. */
#ifdef HPY_ABI_CPYTHON
typedef int _HPyCapsule_key; /* only declared for universal builds */
#endif
#define _HPyContext_s hpyapi_uctx_s
#include "hpy/universal/autogen_ctx.h"
#undef _HPyContext_s
typedef struct hpyapi_uctx_s hpyapi_uctx;
#define UCTX(ctx) ((hpyapi_uctx *)(void *)(ctx))

static inline intptr_t hbits(HPy h)
{
    intptr_t b;
    memcpy(&b, &h, sizeof b);
    return b;
}

static inline HPy hfrom(intptr_t b)
{
    HPy h;
    memcpy(&h, &b, sizeof h);
    return h;
}

/* ---- classification -------------------------------------------------------
 * Context names are fixed strings; every context of a family shares one
 * name pointer (all debug copies share the root's), so a pointer cache
 * makes repeated classification a few compares. */

#define KIND_CACHE 4
static struct {
    const char *name;
    uint32_t kind;
} kind_cache[KIND_CACHE];
static unsigned kind_cache_next;

HPYAPI_INTERNAL uint32_t _HPyAPI_KindOf(HPyContext *ctx)
{
    const char *name = ctx->name;
    for (int i = 0; i < KIND_CACHE; i++)
        if (kind_cache[i].name == name)
            return kind_cache[i].kind;
    uint32_t kind = _HPyAPI_KindOfName(name);
    kind_cache[kind_cache_next % KIND_CACHE].name = name;
    kind_cache[kind_cache_next % KIND_CACHE].kind = kind;
    kind_cache_next++;
    return kind;
}

/* Universal and trace contexts share the universal handle encoding and are
 * always valid, so either can run the other's functions. */
static inline int universal_family(uint32_t k)
{
    return k == HPYAPI_KIND_UNIVERSAL || k == HPYAPI_KIND_TRACE;
}

/* ---- entering the exporter ------------------------------------------------ */

typedef struct {
    void (*fn)(HPyContext *ctx, void *arg);
    void *arg;
} enter_args;

#ifndef HPY_ABI_CPYTHON
static HPy debug_entry_shim(HPyContext *ctx, HPy self, void *closure)
{
    (void)self;
    enter_args *e = (enter_args *)closure;
    e->fn(ctx, e->arg);
    return HPy_NULL;
}
#endif

/* Runs fn(ctx, arg) with a context of the exporter's family that is valid
 * now.  For a debug exporter that context (and every handle fn opens in it)
 * exists only for the duration of this call. */
HPYAPI_INTERNAL void _HPyAPI_Enter(HPyAPI_Token *tok,
                                   void (*fn)(HPyContext *ctx, void *arg),
                                   void *arg)
{
#ifndef HPY_ABI_CPYTHON
    if (tok->kind == HPYAPI_KIND_DEBUG) {
        enter_args e = {fn, arg};
        _HPyFunc_args_GETTER a = {NULL, &e, NULL};
        _HPy_CallRealFunctionFromTrampoline(tok->ctx, HPyFunc_GETTER,
                                            (HPyCFunction)(void (*)(void))debug_entry_shim,
                                            &a);
        return;
    }
#endif
    fn(tok->ctx, arg);
}

/* ---- handle encodings -----------------------------------------------------------
 * On CPython a CPython-ABI handle is its PyObject* (offset 0) and hpy's
 * universal backend -- universal and trace contexts -- encodes a handle as
 * the PyObject* plus one.  Where a side's offset is known, converting its
 * handles is pointer arithmetic on borrowed references, which is what
 * HPy's own trampolines do; otherwise (debug handles, other interpreters)
 * it goes through that side's AsPyObject/FromPyObject with real
 * references.  The plus-one encoding is checked once, on None, rather
 * than assumed. */

static intptr_t universal_offset = -2; /* not checked yet */

static intptr_t check_plus_one(HPyContext *ctx)
{
    if (!HPYAPI_HAVE_DECREF())
        return -1;
    hpyapi_uctx *u = UCTX(ctx);
    cpy_PyObject *none = u->ctx_AsPyObject(ctx, u->h_None);
    if (none == NULL)
        return -1;
    HPy h = u->ctx_FromPyObject(ctx, none);
    int plus_one = hbits(h) == (intptr_t)none + 1 &&
                   hbits(u->h_None) == (intptr_t)none + 1;
    u->ctx_Close(ctx, h);
    HPYAPI_PY_DECREF(none);
    return plus_one ? 1 : -1;
}

/* The offset between a handle of `kind` (in `ctx`) and its PyObject*, or
 * -1 if handles of that kind must be converted through their context. */
HPYAPI_INTERNAL intptr_t _HPyAPI_DirectOffset(HPyContext *ctx, uint32_t kind)
{
    if (kind == HPYAPI_KIND_CPYTHON || kind == HPYAPI_KIND_CAPI)
        return 0;
    if (!universal_family(kind) || ctx == NULL)
        return -1;
    if (universal_offset == -2)
        universal_offset = check_plus_one(ctx);
    return universal_offset;
}

/* ---- the cross-family path ------------------------------------------------------ */

#define SMALL_CALL 16

/* Both encodings known: rebase every handle by `delta`, call, rebase the
 * result back.  No reference changes hands: arguments stay borrowed, the
 * result's reference passes to the caller. */
static int rebase_call(HPyAPI_Token *tok, const HPyAPI_EntryDesc *d,
                       char *frame, HPy_ssize_t n_array, intptr_t delta)
{
    HPy small[SMALL_CALL];
    HPy *buf = small;
    if (n_array > SMALL_CALL &&
        (buf = (HPy *)malloc((size_t)n_array * sizeof *buf)) == NULL) {
        _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_MEMORY,
                          "no memory to convert %lld handles",
                          (long long)n_array);
        return -1;
    }
    HPy *next = buf;
    for (const HPyAPI_ArgDesc *a = d->args; a->kind != HPYAPI_ARG_END; a++) {
        if (a->kind == HPYAPI_ARG_HANDLE) {
            intptr_t b;
            memcpy(&b, frame + a->off, sizeof b);
            b += b ? delta : 0;
            memcpy(frame + a->off, &b, sizeof b);
            continue;
        }
        HPy_ssize_t len;
        const HPy *src;
        memcpy(&len, frame + a->len_off, sizeof len);
        memcpy(&src, frame + a->off, sizeof src);
        for (HPy_ssize_t i = 0; i < len; i++) {
            intptr_t b = hbits(src[i]);
            next[i] = hfrom(b + (b ? delta : 0));
        }
        const HPy *arr = next;
        memcpy(frame + a->off, &arr, sizeof arr);
        next += len;
    }
    d->invoke(tok->ctx, frame);
    if (d->result_kind == HPYAPI_RES_HANDLE) {
        intptr_t b;
        memcpy(&b, frame + d->result_off, sizeof b);
        b -= b ? delta : 0;
        memcpy(frame + d->result_off, &b, sizeof b);
    }
    if (buf != small)
        free(buf);
    return 0;
}

/* ---- converting one side's handles ------------------------------------------
 * A side converts its handles to PyObject* and back in one of three ways:
 *   conv >= 0    the offset of its encoding: pointer arithmetic, borrowed
 *   CONV_DEBUG   debug handles: hpy_debug_unwrap_handle/open_handle/
 *                close_handle (hpy_debug.h, found in hpy.universal) around
 *                the universal encoding: borrowed too, as in HPy's own
 *                debug trampolines
 *   CONV_CTX     its context's AsPyObject/FromPyObject: real references */
#define CONV_CTX (-1)
#define CONV_DEBUG (-3)

static struct {
    int state; /* 0 not looked up, 1 found, -1 not available */
    HPy (*open)(HPyContext *, HPy);
    HPy (*unwrap)(HPyContext *, HPy);
    void (*close)(HPyContext *, HPy);
} dbg;

/* hpy.universal exports its debug-mode API but CPython loads extensions
 * RTLD_LOCAL: find its file from a debug context's function, then its
 * symbols.  Unions convert between function and data pointers. */
static int have_debug_api(HPyContext *dctx)
{
    if (dbg.state != 0)
        return dbg.state == 1;
    dbg.state = -1;
    union {
        HPy (*f)(HPyContext *, HPy);
        void *p;
    } fn = {UCTX(dctx)->ctx_Dup};
    Dl_info info;
    void *lib;
    if (!dladdr(fn.p, &info) || info.dli_fname == NULL ||
        (lib = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD)) == NULL)
        return 0;
    union {
        void *p;
        HPy (*f)(HPyContext *, HPy);
    } open = {dlsym(lib, "hpy_debug_open_handle")},
      unwrap = {dlsym(lib, "hpy_debug_unwrap_handle")};
    union {
        void *p;
        void (*f)(HPyContext *, HPy);
    } close = {dlsym(lib, "hpy_debug_close_handle")};
    dlclose(lib); /* the interpreter keeps it loaded */
    if (open.p == NULL || unwrap.p == NULL || close.p == NULL)
        return 0;
    dbg.open = open.f;
    dbg.unwrap = unwrap.f;
    dbg.close = close.f;
    /* the universal encoding under the debug handles, checked on None */
    if (universal_offset == -2 && HPYAPI_HAVE_DECREF()) {
        hpyapi_uctx *u = UCTX(dctx);
        cpy_PyObject *none = u->ctx_AsPyObject(dctx, u->h_None);
        universal_offset =
            none != NULL && hbits(dbg.unwrap(dctx, u->h_None)) ==
                                (intptr_t)none + 1 ? 1 : -1;
        if (none != NULL)
            HPYAPI_PY_DECREF(none);
    }
    dbg.state = universal_offset == 1 ? 1 : -1;
    return dbg.state == 1;
}

/* How handles of `kind` convert; fixed per process once known, so cached
 * (only a context of that kind can find it out). */
static intptr_t conv_for(HPyContext *ctx, uint32_t kind)
{
    static intptr_t known[HPYAPI_KIND_CAPI + 1] = {-2, -2, -2, -2, -2, -2};
    if (kind <= HPYAPI_KIND_CAPI && known[kind] != -2)
        return known[kind];
    if (ctx == NULL && kind != HPYAPI_KIND_CPYTHON && kind != HPYAPI_KIND_CAPI)
        return CONV_CTX;
    intptr_t conv = _HPyAPI_DirectOffset(ctx, kind);
    if (conv < 0)
        conv = kind == HPYAPI_KIND_DEBUG && have_debug_api(ctx) ? CONV_DEBUG
                                                                : CONV_CTX;
    if (kind <= HPYAPI_KIND_CAPI)
        known[kind] = conv;
    return conv;
}

/* Caller handle -> PyObject*: borrowed, or a new reference for CONV_CTX. */
static cpy_PyObject *caller_to_py(HPyContext *cctx, intptr_t conv, HPy h)
{
    if (HPy_IsNull(h))
        return NULL;
    if (conv >= 0)
        return (cpy_PyObject *)(hbits(h) - conv);
    if (conv == CONV_DEBUG)
        return (cpy_PyObject *)(hbits(dbg.unwrap(cctx, h)) - 1);
    return UCTX(cctx)->ctx_AsPyObject(cctx, h);
}

/* New PyObject* reference -> new caller handle; the reference is consumed. */
static HPy caller_from_py(HPyContext *cctx, intptr_t conv, cpy_PyObject *o)
{
    if (o == NULL)
        return HPy_NULL;
    if (conv >= 0)
        return hfrom((intptr_t)o + conv);
    if (conv == CONV_DEBUG)
        return dbg.open(cctx, hfrom((intptr_t)o + 1));
    HPy h = UCTX(cctx)->ctx_FromPyObject(cctx, o);
    HPYAPI_PY_DECREF(o);
    return h;
}

typedef struct {
    const HPyAPI_EntryDesc *d;
    char *frame;
    cpy_PyObject **objs; /* the caller's handle arguments, flattened */
    HPy *handles;        /* the exporter's handles for them */
    HPyAPI_Token *tok;
    cpy_PyObject *result; /* new reference, for handle results */
    int status;
} xcall;

/* Releases the exporter handles opened for the arguments. */
static void close_all(HPyContext *ctx, intptr_t conv, HPy *h, HPy_ssize_t n)
{
    if (conv >= 0)
        return; /* lent, not opened */
    for (HPy_ssize_t i = 0; i < n; i++) {
        if (HPy_IsNull(h[i]))
            continue;
        if (conv == CONV_DEBUG) /* the wrapper only: the object was lent */
            dbg.close(ctx, h[i]);
        else
            HPy_Close(ctx, h[i]);
    }
}

/* Runs in the exporter's (valid) context: open handles, call, close. */
static void exporter_side(HPyContext *ctx, void *arg)
{
    xcall *x = (xcall *)arg;
    intptr_t conv = x->tok->coffset >= 0 ? x->tok->coffset
                                          : conv_for(ctx, x->tok->kind);
    HPy_ssize_t k = 0;
    for (const HPyAPI_ArgDesc *a = x->d->args; a->kind != HPYAPI_ARG_END; a++) {
        HPy_ssize_t count = 1;
        if (a->kind == HPYAPI_ARG_ARRAY) {
            memcpy(&count, x->frame + a->len_off, sizeof count);
            const HPy *arr = &x->handles[k];
            memcpy(x->frame + a->off, &arr, sizeof arr);
        }
        for (HPy_ssize_t i = 0; i < count; i++, k++) {
            x->handles[k] = HPy_NULL;
            if (x->objs[k] == NULL)
                continue;
            if (conv >= 0) { /* borrowed, like the caller's */
                x->handles[k] = hfrom((intptr_t)x->objs[k] + conv);
                continue;
            }
            x->handles[k] = conv == CONV_DEBUG
                                ? dbg.open(ctx, hfrom((intptr_t)x->objs[k] + 1))
                                : EXP_FROM_PY(ctx, x->objs[k]);
            if (HPy_IsNull(x->handles[k])) { /* out of memory */
                close_all(ctx, conv, x->handles, k);
                x->status = -1;
                return;
            }
        }
        if (a->kind == HPYAPI_ARG_HANDLE)
            memcpy(x->frame + a->off, &x->handles[k - 1], sizeof(HPy));
    }
    x->d->invoke(ctx, x->frame);
    close_all(ctx, conv, x->handles, k);
    if (x->d->result_kind == HPYAPI_RES_HANDLE) {
        HPy r;
        memcpy(&r, x->frame + x->d->result_off, sizeof r);
        if (HPy_IsNull(r)) {
        } else if (conv >= 0) {
            x->result = (cpy_PyObject *)(hbits(r) - conv);
        } else if (conv == CONV_DEBUG) { /* its reference passes to us */
            x->result = (cpy_PyObject *)(hbits(dbg.unwrap(ctx, r)) - 1);
            dbg.close(ctx, r);
        } else {
            x->result = EXP_AS_PY(ctx, r);
            HPy_Close(ctx, r);
        }
    }
    x->status = 0;
}

static int cross_call(HPyContext *cctx, uint32_t ck, HPyAPI_Token *tok,
                      const HPyAPI_EntryDesc *d, char *frame)
{
    HPy_ssize_t n = 0, n_array = 0;
    for (const HPyAPI_ArgDesc *a = d->args; a->kind != HPYAPI_ARG_END; a++) {
        if (a->kind == HPYAPI_ARG_HANDLE) {
            n++;
            continue;
        }
        HPy_ssize_t len;
        const HPy *arr;
        memcpy(&len, frame + a->len_off, sizeof len);
        memcpy(&arr, frame + a->off, sizeof arr);
        if (len < 0 || (len > 0 && arr == NULL)) {
            _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_VALUE,
                              "got a handle array of length %lld at %p; "
                              "expected a length >= 0 and, unless it is 0, "
                              "a non-NULL array", (long long)len,
                              (const void *)arr);
            return -1;
        }
        n_array += len;
    }
    n += n_array;
    intptr_t c_off = conv_for(cctx, ck);
    if (c_off >= 0 && tok->coffset >= 0) {
        if (cctx != NULL && !_HPyAPI_Hooked(tok, d->index)) {
            /* next time: the slow function's own rebase */
            tok->rebase[d->index].name = cctx->name;
            tok->rebase[d->index].delta = tok->coffset - c_off;
        }
        return rebase_call(tok, d, frame, n_array, tok->coffset - c_off);
    }
    if (!HPYAPI_HAVE_DECREF()) {
        _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_RUNTIME,
                          "converting handles between HPy context families "
                          "needs Py_DecRef, which this interpreter does not "
                          "export");
        return -1;
    }

    cpy_PyObject *objs_small[SMALL_CALL];
    HPy handles_small[SMALL_CALL];
    cpy_PyObject **objs = objs_small;
    HPy *handles = handles_small;
    if (n > SMALL_CALL) {
        objs = (cpy_PyObject **)malloc((size_t)n * sizeof *objs);
        handles = (HPy *)malloc((size_t)n * sizeof *handles);
        if (objs == NULL || handles == NULL) {
            free(objs);
            free(handles);
            _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_MEMORY,
                              "no memory to convert %lld handles",
                              (long long)n);
            return -1;
        }
    }

    /* caller's handles -> PyObject* */
    HPy_ssize_t k = 0;
    int status = 0;
    for (const HPyAPI_ArgDesc *a = d->args;
         status == 0 && a->kind != HPYAPI_ARG_END; a++) {
        const HPy *src = (const HPy *)(frame + a->off);
        HPy_ssize_t count = 1;
        if (a->kind == HPYAPI_ARG_ARRAY) {
            memcpy(&count, frame + a->len_off, sizeof count);
            memcpy(&src, frame + a->off, sizeof src);
        }
        for (HPy_ssize_t i = 0; i < count; i++, k++) {
            objs[k] = caller_to_py(cctx, c_off, src[i]);
            if (objs[k] == NULL && !HPy_IsNull(src[i])) {
                status = -1; /* AsPyObject raised */
                k++;
                break;
            }
        }
    }

    xcall x = {d, frame, objs, handles, tok, NULL, -1};
    if (status == 0) {
        _HPyAPI_Enter(tok, exporter_side, &x);
        status = x.status;
    }

    if (c_off == CONV_CTX) /* the references caller_to_py made */
        for (HPy_ssize_t i = 0; i < k; i++)
            if (objs[i] != NULL)
                HPYAPI_PY_DECREF(objs[i]);
    if (d->result_kind == HPYAPI_RES_HANDLE) {
        HPy r = caller_from_py(cctx, c_off, x.result);
        memcpy(frame + d->result_off, &r, sizeof r);
    }
    if (objs != objs_small) {
        free(objs);
        free(handles);
    }
    return status;
}

/* ---- the entry point ---------------------------------------------------------- */

HPYAPI_INTERNAL int _HPyAPI_Call(HPyContext *ctx, HPyAPI_Token *tok,
                                 const HPyAPI_EntryDesc *d, void *frame,
                                 const void *caller_pc)
{
    return _HPyAPI_CallKind(ctx, _HPyAPI_KindOf(ctx), tok, d, frame,
                            caller_pc);
}

HPYAPI_INTERNAL int _HPyAPI_CallKind(HPyContext *ctx, uint32_t ck,
                                     HPyAPI_Token *tok,
                                     const HPyAPI_EntryDesc *d, void *frame,
                                     const void *caller_pc)
{
    if (_HPyAPI_Hooked(tok, d->index)) /* see hooks.c */
        return _HPyAPI_HookedCall(ctx, ck, tok, d, frame, caller_pc);
    return _HPyAPI_Dispatch(ctx, ck, tok, d, frame);
}

/* The call itself, by the caller's and the exporter's context kinds. */
HPYAPI_INTERNAL int _HPyAPI_Dispatch(HPyContext *ctx, uint32_t ck,
                                     HPyAPI_Token *tok,
                                     const HPyAPI_EntryDesc *d, void *frame)
{
    if (ck == HPYAPI_KIND_CAPI) /* a C-API caller's PyObject*s are */
        ck = HPYAPI_KIND_CPYTHON; /* exactly CPython-ABI handles */
    uint32_t ek = tok->kind;
    if (ck == ek || (universal_family(ck) && universal_family(ek))) {
        /* same handles; a debug caller's context is valid, any other
           family's stored exporter context is always valid */
        if (ck == HPYAPI_KIND_DEBUG) {
            d->invoke(ctx, frame);
            return 0;
        }
        uint32_t i = d->index;
        if (ctx != NULL && !_HPyAPI_Hooked(tok, i)) {
            /* next time, the trampoline takes this caller straight through:
               any CPython-ABI context serves a CPython-ABI exporter as well
               as its own, so such a caller gets the first compare (the
               exporter's own name moves to the second); others the second,
               which passes the exporter's context */
            if (ck == HPYAPI_KIND_CPYTHON && ek == HPYAPI_KIND_CPYTHON) {
                tok->alt[i] = tok->fast[i];
                tok->fast[i] = ctx->name;
            } else {
                tok->alt[i] = ctx->name;
            }
        }
        d->invoke(tok->ctx, frame);
        return 0;
    }
    if (ck == HPYAPI_KIND_UNKNOWN) {
        _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_SYSTEM,
                          "called with an HPy context named '%s', whose "
                          "handles hpyapi cannot convert (it knows the "
                          "CPython ABI, universal, debug and trace contexts)",
                          ctx->name ? ctx->name : "(null)");
        return -1;
    }
    return cross_call(ctx, ck, tok, d, (char *)frame);
}
