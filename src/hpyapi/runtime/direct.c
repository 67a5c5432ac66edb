/* direct.c - the transform's direct path (transform.c sends calls here).
 *
 * Entries whose parameters are handles, input handle arrays and values --
 * every argument descriptor a HPYAPI_ARG_HANDLE or HPYAPI_ARG_ARRAY -- are
 * the common shape (arrays of at most HPYAPI_SMALL_ARRAY handles in all are staged on the
 * stack; longer ones take the general path).  Between two offset
 * encodings, or a debug side and an offset side (CPython ABI, universal,
 * trace, C-API callers), their handles convert in place in the frame, one
 * at a time, with no heap buffers or walks over out-arguments, and a
 * debug exporter is entered once, HPy opening the first handle as it does
 * a getter's argument.
 * routes.c sends a debug <-> offset pair here before anything else (call.c
 * reads HPyAPI_Route.direct), transform.c any other such call.  Any
 * other entry, or a side whose handles need AsPyObject/FromPyObject, takes
 * cross_call. */

#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"
#include "cpython.h"
#include "uctx.h"
#include "convert.h"
#include "enter.h"

/* HPYAPI_NOINLINE (common.h) keeps a function out of line here so that a
 * loop keeps its values in registers, and so that the one-handle path of
 * direct_debug_side keeps a small stack frame. */

HPYAPI_INTERNAL int _HPyAPI_DirectShape(const HPyAPI_EntryDesc *d)
{
    if (_HPyAPI_HasCallbacks(d) || /* their wrapping needs call.c each time */
        d->result_kind == HPYAPI_RES_HANDLES) /* converted in transform.c */
        return 0;
    const HPyAPI_ArgDesc *a = d->args;
    while (a->kind == HPYAPI_ARG_HANDLE || a->kind == HPYAPI_ARG_ARRAY)
        a++;
    return a->kind == HPYAPI_ARG_END;
}

static HPy frame_handle(const char *frame, uint16_t off)
{
    HPy h;
    memcpy(&h, frame + off, sizeof h);
    return h;
}

static void set_frame_handle(char *frame, uint16_t off, HPy h)
{
    memcpy(frame + off, &h, sizeof h);
}

/* Handle arrays of one call, staged on the stack: at most DIRECT_ARRAY
 * handles in all, each array's length valid (>= 0, and its pointer not
 * NULL unless it is 0).  Anything else is left to the general path, which
 * raises for bad arrays and allocates for long ones. */
#define DIRECT_ARRAY HPYAPI_SMALL_ARRAY
typedef struct {
    HPy buf[DIRECT_ARRAY];
    HPy_ssize_t n; /* handles staged */
} staged;

/* An array's raw length: an HPy_ssize_t read here (the common case), any
 * other integer type by transform.c. */
static inline uint64_t raw_len(const HPyAPI_ArgDesc *a, const char *frame,
                               int *neg)
{
    if (a->len_type != 0)
        return _HPyAPI_ReadLen(a, frame, neg);
    HPy_ssize_t n;
    memcpy(&n, frame + a->len_off, sizeof n);
    *neg = n < 0;
    return (uint64_t)n;
}

/* Whether n handles at p, of a length read as negative or not, can be
 * staged in `room` free slots: the one test of every staging path. */
static inline int fits(uint64_t n, int neg, const HPy *p, uint64_t room)
{
    return !neg && n <= room && (n == 0 || p != NULL);
}

/* Whether every array of the call fits: returns 0, or 1 (the call is not
 * for the direct path). */
static int arrays_fit(const HPyAPI_EntryDesc *d, const char *frame)
{
    uint64_t total = 0;
    for (const HPyAPI_ArgDesc *a = d->args; a->kind != HPYAPI_ARG_END; a++) {
        if (a->kind != HPYAPI_ARG_ARRAY)
            continue;
        int neg;
        uint64_t n = raw_len(a, frame, &neg);
        const HPy *p;
        memcpy(&p, frame + a->off, sizeof p);
        if (!fits(n, neg, p, DIRECT_ARRAY))
            return 1;
        total += n;
    }
    return total > DIRECT_ARRAY;
}

/* The array argument `a`'s source and length (checked by arrays_fit). */
static const HPy *array_of(const HPyAPI_ArgDesc *a, const char *frame,
                           HPy_ssize_t *n)
{
    int neg;
    const HPy *p;
    *n = (HPy_ssize_t)raw_len(a, frame, &neg);
    memcpy(&p, frame + a->off, sizeof p);
    return p;
}

/* Points array argument `a` at the next n staged handles. */
static HPy *stage(staged *s, const HPyAPI_ArgDesc *a, char *frame,
                  HPy_ssize_t n)
{
    HPy *at = s->buf + s->n;
    memcpy(frame + a->off, &at, sizeof at);
    s->n += n;
    return at;
}

/* Both encodings offsets: each handle moves by delta, no reference
 * changes hands (the result's passes to the caller). */
HPYAPI_INTERNAL int _HPyAPI_DirectRebase(HPyContext *ectx, intptr_t delta,
                                         const HPyAPI_EntryDesc *d,
                                         char *frame)
{
    if (arrays_fit(d, frame))
        return 1;
    staged s;
    s.n = 0;
    for (const HPyAPI_ArgDesc *a = d->args; a->kind != HPYAPI_ARG_END; a++) {
        if (a->kind == HPYAPI_ARG_HANDLE) {
            set_frame_handle(frame, a->off,
                             _HPyAPI_Rebase(frame_handle(frame, a->off),
                                            delta));
            continue;
        }
        HPy_ssize_t n;
        const HPy *src = array_of(a, frame, &n);
        HPy *dst = stage(&s, a, frame, n);
        for (HPy_ssize_t i = 0; i < n; i++)
            dst[i] = _HPyAPI_Rebase(src[i], delta);
    }
    d->invoke(ectx, frame);
    if (d->result_kind == HPYAPI_RES_HANDLE)
        set_frame_handle(frame, d->result_off,
                         _HPyAPI_Rebase(frame_handle(frame, d->result_off),
                                        -delta));
    return 0;
}

/* A debug caller's handle as the exporter's (PyObject* + e_conv): the
 * object is borrowed from the caller's debug handle and lent. */
static HPy from_debug(HPyContext *cctx, HPy h, intptr_t e_conv)
{
    return HPy_IsNull(h)
               ? h
               : hfrom(hbits(_HPyAPI_dbg.unwrap(cctx, h)) - 1 + e_conv);
}

/* A debug caller, an exporter whose handles are PyObject* + e_conv. */
/* A debug caller's result: the exporter's new reference (its handle is the
 * PyObject* + e_conv) passes into a new handle of the caller's context. */
static inline void result_to_debug(HPyContext *cctx, const HPyAPI_EntryDesc *d,
                                   char *frame, intptr_t e_conv)
{
    if (d->result_kind != HPYAPI_RES_HANDLE)
        return;
    HPy r = frame_handle(frame, d->result_off);
    if (HPy_IsNull(r))
        return;
    cpy_PyObject *o = (cpy_PyObject *)(hbits(r) - e_conv);
    HPy h = _HPyAPI_dbg.open(cctx, hfrom((intptr_t)o + 1));
    if (HPy_IsNull(h)) /* out of memory: HPy raised */
        HPYAPI_PY_DECREF(o);
    set_frame_handle(frame, d->result_off, h);
}

/* A debug caller's array as the exporter's handles (PyObject* + delta + 1);
 * out of line, so that the loop keeps its values in registers. */
HPYAPI_NOINLINE static void unwrap_all(HPyContext *cctx, const HPy *src,
                                       HPy *dst, uint64_t n, intptr_t delta)
{
    HPy (*unwrap)(HPyContext *, HPy) = _HPyAPI_dbg.unwrap;
    for (uint64_t i = 0; i < n; i++) {
        HPy h = src[i];
        dst[i] = HPy_IsNull(h) ? h : hfrom(hbits(unwrap(cctx, h)) + delta);
    }
}

/* One pass over the arrays converts them into the stack buffer and finds
 * whether they fit; the frame is written only after that, so that a call
 * the direct path cannot take reaches the general path untouched. */
HPYAPI_INTERNAL int _HPyAPI_DirectFromDebug(HPyContext *cctx, intptr_t e_conv,
                                            HPyContext *ectx,
                                            const HPyAPI_EntryDesc *d,
                                            char *frame)
{
    staged s;
    s.n = 0;
    const HPyAPI_ArgDesc *a;
    for (a = d->args; a->kind != HPYAPI_ARG_END; a++) {
        if (a->kind != HPYAPI_ARG_ARRAY)
            continue;
        int neg;
        uint64_t n = raw_len(a, frame, &neg);
        const HPy *src;
        memcpy(&src, frame + a->off, sizeof src);
        if (!fits(n, neg, src, (uint64_t)(DIRECT_ARRAY - s.n)))
            return 1;
        unwrap_all(cctx, src, s.buf + s.n, n, e_conv - 1);
        s.n += (HPy_ssize_t)n;
    }
    HPy *at = s.buf;
    for (a = d->args; a->kind != HPYAPI_ARG_END; a++) {
        if (a->kind == HPYAPI_ARG_HANDLE) {
            set_frame_handle(frame, a->off,
                             from_debug(cctx, frame_handle(frame, a->off),
                                        e_conv));
            continue;
        }
        int neg;
        HPy *here = at;
        at += raw_len(a, frame, &neg);
        memcpy(frame + a->off, &here, sizeof here);
    }
    d->invoke(ectx, frame);
    result_to_debug(cctx, d, frame, e_conv);
    return 0;
}

typedef struct {
    const HPyAPI_EntryDesc *d;
    char *frame;   /* handles in the caller's encoding, PyObject* + c_conv */
    intptr_t c_conv;
    int ran;       /* the exporter's function ran */
    staged s;      /* the debug handles opened for arrays */
} direct_args;


static HPy open_debug(HPyContext *ctx, HPy h, intptr_t c_conv)
{
    return HPy_IsNull(h) ? h : _HPyAPI_dbg.open(ctx, hfrom(hbits(h) - c_conv + 1));
}

/* Closes the debug handles opened for the arguments from `first` up to
 * (not including) `upto` -- of an array, its first `n_last` handles -- in
 * reverse order.  NULL ones are no-ops. */
static void close_handles(HPyContext *ctx, direct_args *x,
                          const HPyAPI_ArgDesc *first,
                          const HPyAPI_ArgDesc *upto, HPy_ssize_t n_last)
{
    if (upto->kind == HPYAPI_ARG_ARRAY)
        while (n_last > 0) {
            x->s.n--;
            n_last--;
            _HPyAPI_dbg.close(ctx, x->s.buf[x->s.n]);
        }
    for (const HPyAPI_ArgDesc *a = upto; a > first;) {
        a--;
        if (a->kind == HPYAPI_ARG_HANDLE) {
            _HPyAPI_dbg.close(ctx, frame_handle(x->frame, a->off));
            continue;
        }
        HPy_ssize_t n;
        array_of(a, x->frame, &n); /* (its length; the pointer is ours) */
        for (; n > 0; n--)
            _HPyAPI_dbg.close(ctx, x->s.buf[--x->s.n]);
    }
}

/* Opens debug handles for the arguments from `first` on (returns 0) or,
 * when one cannot be (out of memory: HPy raised), closes those opened
 * and returns -1.  Objects are lent: only the wrappers open and close. */
HPYAPI_NOINLINE static int open_handles(HPyContext *ctx, direct_args *x,
                                        const HPyAPI_ArgDesc *first)
{
    for (const HPyAPI_ArgDesc *a = first; a->kind != HPYAPI_ARG_END; a++) {
        if (a->kind == HPYAPI_ARG_HANDLE) {
            HPy h = open_debug(ctx, frame_handle(x->frame, a->off), x->c_conv);
            if (HPy_IsNull(h) && !HPy_IsNull(frame_handle(x->frame, a->off))) {
                set_frame_handle(x->frame, a->off, h);
                close_handles(ctx, x, first, a, 0);
                return -1;
            }
            set_frame_handle(x->frame, a->off, h);
            continue;
        }
        HPy_ssize_t n;
        const HPy *src = array_of(a, x->frame, &n);
        HPy *dst = x->s.buf + x->s.n;
        for (HPy_ssize_t i = 0; i < n; i++) {
            dst[i] = open_debug(ctx, src[i], x->c_conv);
            x->s.n++;
            if (HPy_IsNull(dst[i]) && !HPy_IsNull(src[i])) {
                x->s.n--;
                close_handles(ctx, x, first, a, i);
                return -1;
            }
        }
        memcpy(x->frame + a->off, &dst, sizeof dst);
    }
    return 0;
}

HPYAPI_NOINLINE static void close_all(HPyContext *ctx, direct_args *x,
                                      const HPyAPI_ArgDesc *first)
{
    const HPyAPI_ArgDesc *end = first;
    while (end->kind != HPYAPI_ARG_END)
        end++;
    close_handles(ctx, x, first, end, 0);
}

/* Runs in a debug exporter's fresh context; h0 is the first argument's
 * handle when that is a single handle, which HPy opened and will close.
 * Returns the result handle, which HPy turns into a new reference and
 * closes. */
static HPy direct_debug_side(HPyContext *ctx, HPy h0, void *arg)
{
    direct_args *x = (direct_args *)arg;
    const HPyAPI_EntryDesc *d = x->d;
    const HPyAPI_ArgDesc *rest = d->args;
    if (rest->kind == HPYAPI_ARG_HANDLE) {
        set_frame_handle(x->frame, rest->off, h0);
        rest++;
    }
    int more = rest->kind != HPYAPI_ARG_END;
    if (more && open_handles(ctx, x, rest) < 0)
        return HPy_NULL;
    d->invoke(ctx, x->frame);
    x->ran = 1;
    if (more)
        close_all(ctx, x, rest);
    return d->result_kind == HPYAPI_RES_HANDLE
               ? frame_handle(x->frame, d->result_off)
               : HPy_NULL;
}

/* A caller whose handles are PyObject* + c_conv, a debug exporter. */
HPYAPI_INTERNAL int _HPyAPI_DirectToDebug(intptr_t c_conv, HPyContext *ectx,
                                          const HPyAPI_EntryDesc *d,
                                          char *frame)
{
    if (arrays_fit(d, frame))
        return 1;
    direct_args x;
    x.d = d;
    x.frame = frame;
    x.c_conv = c_conv;
    x.ran = 0;
    x.s.n = 0;
    intptr_t h0 = 0;
    if (d->args[0].kind == HPYAPI_ARG_HANDLE)
        h0 = hbits(frame_handle(frame, d->args[0].off));
    cpy_PyObject *res = _HPyAPI_EnterDebug(
        ectx, direct_debug_side, (cpy_PyObject *)(h0 ? h0 - c_conv : 0), &x);
    if (!x.ran)
        return -1; /* no context, or no memory for a handle: raised */
    if (d->result_kind == HPYAPI_RES_HANDLE)
        set_frame_handle(frame, d->result_off,
                         hfrom(res != NULL ? (intptr_t)res + c_conv : 0));
    return 0;
}

/* ---- entries without arrays (the route says so): no staging ------------- */

/* Runs in a debug exporter's fresh context, like direct_debug_side, for
 * entries of single handles only: they are opened in place. */
static HPy handles_debug_side(HPyContext *ctx, HPy h0, void *arg)
{
    direct_args *x = (direct_args *)arg;
    const HPyAPI_EntryDesc *d = x->d;
    int more = 0;
    if (d->args[0].kind != HPYAPI_ARG_END) {
        set_frame_handle(x->frame, d->args[0].off, h0);
        more = d->args[1].kind != HPYAPI_ARG_END;
        if (more && open_handles(ctx, x, d->args + 1) < 0)
            return HPy_NULL;
    }
    d->invoke(ctx, x->frame);
    x->ran = 1;
    if (more)
        close_all(ctx, x, d->args + 1);
    return d->result_kind == HPYAPI_RES_HANDLE
               ? frame_handle(x->frame, d->result_off)
               : HPy_NULL;
}

/* Where routes send a debug <-> offset pair (HPyAPI_Route.direct, set by
 * routes.c for entries of the direct shape), `conv` being the offset
 * side's: a debug caller ... */
HPYAPI_NOINLINE static int handles_from_debug(HPyContext *ctx, intptr_t conv,
                                              HPyContext *ectx,
                                              const HPyAPI_EntryDesc *d,
                                              char *f)
{
    for (const HPyAPI_ArgDesc *a = d->args; a->kind != HPYAPI_ARG_END; a++)
        set_frame_handle(f, a->off,
                         from_debug(ctx, frame_handle(f, a->off), conv));
    d->invoke(ectx, f);
    result_to_debug(ctx, d, f, conv);
    return 0;
}

/* One array of an HPy_ssize_t length and nothing else to convert. */
HPYAPI_NOINLINE static int array_from_debug(HPyContext *ctx, intptr_t conv,
                                            HPyContext *ectx,
                                            const HPyAPI_EntryDesc *d,
                                            char *f)
{
    const HPyAPI_ArgDesc *a = d->args;
    HPy_ssize_t n;
    const HPy *src;
    memcpy(&n, f + a->len_off, sizeof n);
    memcpy(&src, f + a->off, sizeof src);
    if (!fits((uint64_t)n, n < 0, src, DIRECT_ARRAY))
        return 1; /* negative, long or NULL: the general path */
    HPy buf[DIRECT_ARRAY], *at = buf;
    unwrap_all(ctx, src, buf, (uint64_t)n, conv - 1);
    memcpy(f + a->off, &at, sizeof at);
    d->invoke(ectx, f);
    result_to_debug(ctx, d, f, conv);
    return 0;
}

/* (every way ends in a tail call: this costs no stack frame) */
HPYAPI_INTERNAL int _HPyAPI_FromDebug(HPyContext *ctx, intptr_t conv,
                                      const HPyAPI_Route *r,
                                      const HPyAPI_EntryDesc *d, void *frame)
{
    if (r->arrays == HPYAPI_ARRAYS_ONE)
        return array_from_debug(ctx, conv, r->ctx, d, (char *)frame);
    if (r->arrays)
        return _HPyAPI_DirectFromDebug(ctx, conv, r->ctx, d, (char *)frame);
    return handles_from_debug(ctx, conv, r->ctx, d, (char *)frame);
}

/* ... and any other caller, of a debug exporter */
HPYAPI_INTERNAL int _HPyAPI_ToDebug(intptr_t conv, const HPyAPI_Route *r,
                                    const HPyAPI_EntryDesc *d, void *frame)
{
    if (r->arrays)
        return _HPyAPI_DirectToDebug(conv, r->ctx, d, (char *)frame);
    direct_args x;
    x.d = d;
    x.frame = (char *)frame;
    x.c_conv = conv;
    x.ran = 0;
    x.s.n = 0;
    intptr_t h0 = 0;
    if (d->args[0].kind != HPYAPI_ARG_END)
        h0 = hbits(frame_handle(x.frame, d->args[0].off));
    cpy_PyObject *res = _HPyAPI_EnterDebug(
        r->ctx, handles_debug_side, (cpy_PyObject *)(h0 ? h0 - conv : 0), &x);
    if (!x.ran)
        return -1; /* no context, or no memory for a handle: raised */
    if (d->result_kind == HPYAPI_RES_HANDLE)
        set_frame_handle(x.frame, d->result_off,
                         hfrom(res != NULL ? (intptr_t)res + conv : 0));
    return 0;
}
