/* convert.h - the per-handle conversions of convert.c, inline.
 *
 * A cross-family call converts each handle twice (caller -> PyObject* ->
 * exporter) and each result back; as calls into convert.c that was a call,
 * a prologue and a dispatch on the conversion kind per handle, more than
 * the conversion itself (pointer arithmetic, or one call into hpy's debug
 * API).  The state stays convert.c's: it writes it once per process, when
 * a conversion is first learned (never on a steady-state call); this
 * header only reads it.  Include after hpy.h, uctx.h and cpython.h.
 */
#ifndef HPYAPI_RUNTIME_CONVERT_H
#define HPYAPI_RUNTIME_CONVERT_H

/* hpy.universal's debug-handle API, once looked up (convert.c) */
typedef struct {
    int state; /* 0 not looked up, 1 found, -1 not available */
    HPy (*open)(HPyContext *, HPy);
    HPy (*unwrap)(HPyContext *, HPy);
    void (*close)(HPyContext *, HPy);
} hpyapi_debug_api;
HPYAPI_INTERNAL extern hpyapi_debug_api _HPyAPI_dbg;

/* How handles of each kind convert, once known (_HPyAPI_LearnConv finds out):
 * an offset >= 0, HPYAPI_CONV_DEBUG, HPYAPI_CONV_CTX, or HPYAPI_CONV_UNKNOWN
 * until a context of that kind came by. */
#define HPYAPI_CONV_UNKNOWN (-2)
HPYAPI_INTERNAL extern intptr_t _HPyAPI_conv_known[HPYAPI_N_KINDS];

/* Caller handle -> PyObject*: borrowed, or a new reference for CONV_CTX. */
static inline cpy_PyObject *_HPyAPI_ToPy(HPyContext *cctx, intptr_t conv,
                                         HPy h)
{
    if (HPy_IsNull(h))
        return NULL;
    if (conv >= 0)
        return (cpy_PyObject *)(hbits(h) - conv);
    if (conv == HPYAPI_CONV_DEBUG)
        return (cpy_PyObject *)(hbits(_HPyAPI_dbg.unwrap(cctx, h)) - 1);
    return UCTX(cctx)->ctx_AsPyObject(cctx, h);
}

/* New PyObject* reference -> new caller handle; the reference is consumed. */
static inline HPy _HPyAPI_FromPy(HPyContext *cctx, intptr_t conv,
                                 cpy_PyObject *o)
{
    if (o == NULL)
        return HPy_NULL;
    if (conv >= 0)
        return hfrom((intptr_t)o + conv);
    if (conv == HPYAPI_CONV_DEBUG)
        return _HPyAPI_dbg.open(cctx, hfrom((intptr_t)o + 1));
    HPy h = UCTX(cctx)->ctx_FromPyObject(cctx, o);
    HPYAPI_PY_DECREF(o);
    return h;
}

#endif /* HPYAPI_RUNTIME_CONVERT_H */
