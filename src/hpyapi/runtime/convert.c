/* convert.c - handle encodings: a family's handles to PyObject* and back.
 *
 * On CPython a CPython-ABI handle is its PyObject* (offset 0) and hpy's
 * universal backend -- universal and trace contexts -- encodes a handle as
 * the PyObject* plus one.  Where a side's offset is known, converting its
 * handles is pointer arithmetic on borrowed references, which is what
 * HPy's own trampolines do; debug handles are opened and closed around the
 * universal encoding with hpy.universal's debug API (borrowed too, as in
 * HPy's debug trampolines); anything else goes through its context's
 * AsPyObject/FromPyObject with real references.  The plus-one encoding is
 * checked once, on None, rather than assumed.
 *
 * Compiled with the module's HPy ABI; the contexts read here may be of
 * another ABI, so they are only read through hpyapi_uctx.
 */
#define _GNU_SOURCE 1 /* dladdr */
#include <dlfcn.h>
#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"
#include "cpython.h"
#include "uctx.h"
#include "convert.h"

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

HPYAPI_INTERNAL hpyapi_debug_api _HPyAPI_dbg;

/* hpy.universal exports its debug-mode API but CPython loads extensions
 * RTLD_LOCAL: find its file from a debug context's function, then its
 * symbols.  Unions convert between function and data pointers. */
static int have_debug_api(HPyContext *dctx)
{
    if (_HPyAPI_dbg.state != 0)
        return _HPyAPI_dbg.state == 1;
    _HPyAPI_dbg.state = -1;
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
    _HPyAPI_dbg.open = open.f;
    _HPyAPI_dbg.unwrap = unwrap.f;
    _HPyAPI_dbg.close = close.f;
    /* the universal encoding under the debug handles, checked on None */
    if (universal_offset == -2 && HPYAPI_HAVE_DECREF()) {
        hpyapi_uctx *u = UCTX(dctx);
        cpy_PyObject *none = u->ctx_AsPyObject(dctx, u->h_None);
        universal_offset =
            none != NULL && hbits(_HPyAPI_dbg.unwrap(dctx, u->h_None)) ==
                                (intptr_t)none + 1 ? 1 : -1;
        if (none != NULL)
            HPYAPI_PY_DECREF(none);
    }
    _HPyAPI_dbg.state = universal_offset == 1 ? 1 : -1;
    return _HPyAPI_dbg.state == 1;
}

HPYAPI_INTERNAL intptr_t _HPyAPI_conv_known[HPYAPI_N_KINDS] = {
    HPYAPI_CONV_UNKNOWN, HPYAPI_CONV_UNKNOWN, HPYAPI_CONV_UNKNOWN,
    HPYAPI_CONV_UNKNOWN, HPYAPI_CONV_UNKNOWN, HPYAPI_CONV_UNKNOWN};

/* Finds out how handles of `kind` convert, with `ctx`, a context of that
 * kind that is valid now, and keeps it (fixed per process).  Called only
 * when an exporter is bound and when a consumer imports (routes.c), never
 * on a call.  Returns 1 when something new was learned, and counts it in
 * _HPyAPI_conv_generation (routes written before may then change). */
HPYAPI_INTERNAL uint32_t _HPyAPI_conv_generation = 1;

HPYAPI_INTERNAL int _HPyAPI_LearnConv(HPyContext *ctx, uint32_t kind)
{
    intptr_t *known = _HPyAPI_conv_known;
    if (kind > HPYAPI_KIND_CAPI || known[kind] != HPYAPI_CONV_UNKNOWN)
        return 0;
    intptr_t conv = HPYAPI_CONV_CTX;
    if (kind == HPYAPI_KIND_CPYTHON || kind == HPYAPI_KIND_CAPI)
        conv = 0;
    else if (ctx == NULL)
        return 0;
    else if (_HPyAPI_UniversalFamily(kind)) {
        if (universal_offset == -2)
            universal_offset = check_plus_one(ctx);
        conv = universal_offset == 1 ? 1 : HPYAPI_CONV_CTX;
    } else if (kind == HPYAPI_KIND_DEBUG && have_debug_api(ctx))
        conv = HPYAPI_CONV_DEBUG;
    known[kind] = conv;
    /* the universal encoding under debug handles is the universal one */
    if (kind == HPYAPI_KIND_DEBUG && universal_offset == 1)
        for (uint32_t k = HPYAPI_KIND_UNIVERSAL; k <= HPYAPI_KIND_TRACE; k++)
            if (_HPyAPI_UniversalFamily(k) && known[k] == HPYAPI_CONV_UNKNOWN)
                known[k] = 1;
    _HPyAPI_conv_generation++;
    return 1;
}

/* How handles of `kind` convert, as known now; without a write: a family
 * not learned yet goes through its context's AsPyObject/FromPyObject,
 * which is always right (and slower). */
HPYAPI_INTERNAL intptr_t _HPyAPI_ConvNow(HPyContext *ctx, uint32_t kind)
{
    (void)ctx;
    if (kind == HPYAPI_KIND_CPYTHON || kind == HPYAPI_KIND_CAPI)
        return 0;
    if (kind <= HPYAPI_KIND_CAPI &&
        _HPyAPI_conv_known[kind] != HPYAPI_CONV_UNKNOWN)
        return _HPyAPI_conv_known[kind];
    return HPYAPI_CONV_CTX;
}

HPYAPI_INTERNAL cpy_PyObject *_HPyAPI_CallerToPy(HPyContext *cctx,
                                                 intptr_t conv, HPy h)
{
    return _HPyAPI_ToPy(cctx, conv, h);
}

HPYAPI_INTERNAL HPy _HPyAPI_CallerFromPy(HPyContext *cctx, intptr_t conv,
                                         cpy_PyObject *o)
{
    return _HPyAPI_FromPy(cctx, conv, o);
}

/* Borrowed PyObject* -> a handle in the exporter's (valid) context `ctx`:
 * lent for CONV >= 0, opened otherwise (HPy_NULL: out of memory). */
HPYAPI_INTERNAL HPy _HPyAPI_ExporterOpen(HPyContext *ctx, intptr_t conv,
                                         cpy_PyObject *o)
{
    if (conv >= 0)
        return hfrom((intptr_t)o + conv);
    if (conv == HPYAPI_CONV_DEBUG)
        return _HPyAPI_dbg.open(ctx, hfrom((intptr_t)o + 1));
    return EXP_FROM_PY(ctx, o);
}

HPYAPI_INTERNAL void _HPyAPI_ExporterClose(HPyContext *ctx, intptr_t conv,
                                           HPy h)
{
    if (conv >= 0 || HPy_IsNull(h))
        return; /* lent, not opened */
    if (conv == HPYAPI_CONV_DEBUG) /* the wrapper only: the object was lent */
        _HPyAPI_dbg.close(ctx, h);
    else
        HPy_Close(ctx, h);
}

/* The exporter's result handle -> a new PyObject* reference; the handle is
 * consumed. */
HPYAPI_INTERNAL cpy_PyObject *_HPyAPI_ExporterResult(HPyContext *ctx,
                                                     intptr_t conv, HPy r)
{
    if (HPy_IsNull(r))
        return NULL;
    if (conv >= 0)
        return (cpy_PyObject *)(hbits(r) - conv);
    if (conv == HPYAPI_CONV_DEBUG) { /* its reference passes to us */
        cpy_PyObject *o = (cpy_PyObject *)(hbits(_HPyAPI_dbg.unwrap(ctx, r)) - 1);
        _HPyAPI_dbg.close(ctx, r);
        return o;
    }
    cpy_PyObject *o = EXP_AS_PY(ctx, r);
    HPy_Close(ctx, r);
    return o;
}

/* In-out handles: the exporter may close the handle it is given, so it
 * gets one it owns -- a Dup of the lent one, in any encoding. */
HPYAPI_INTERNAL HPy _HPyAPI_ExporterOpenOwned(HPyContext *ctx, intptr_t conv,
                                              cpy_PyObject *o)
{
    if (o == NULL)
        return HPy_NULL;
    HPy lent = _HPyAPI_ExporterOpen(ctx, conv, o);
    if (HPy_IsNull(lent))
        return HPy_NULL;
    HPy own = HPy_Dup(ctx, lent);
    _HPyAPI_ExporterClose(ctx, conv, lent);
    return own;
}

/* ... and when the exporter replaced it, the caller's old handle is
 * closed for the caller, in its encoding: a debug handle's wrapper and the
 * reference under it, without a call on the caller's context. */
HPYAPI_INTERNAL void _HPyAPI_CallerClose(HPyContext *cctx, intptr_t conv,
                                         HPy h)
{
    if (HPy_IsNull(h))
        return;
    if (conv >= 0) {
        HPYAPI_PY_DECREF((cpy_PyObject *)(hbits(h) - conv));
    } else if (conv == HPYAPI_CONV_DEBUG) {
        cpy_PyObject *o = _HPyAPI_ToPy(cctx, conv, h);
        _HPyAPI_dbg.close(cctx, h);
        HPYAPI_PY_DECREF(o);
    } else {
        UCTX(cctx)->ctx_Close(cctx, h);
    }
}
