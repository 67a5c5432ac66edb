/* direct.c - the transform's direct path (transform.c sends calls here).
 *
 * Entries whose parameters are plain handles and values -- every argument
 * descriptor a HPYAPI_ARG_HANDLE, whatever other kinds exist -- are the
 * common shape.  Between two offset encodings, or a debug side and an
 * offset side (CPython ABI, universal, trace, C-API callers), their handles
 * convert in place in the frame, one at a time, with no buffers, counts or
 * walks over arrays and out-arguments, and a debug exporter is entered
 * once, HPy opening the first handle as it does a getter's argument.
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

HPYAPI_INTERNAL int _HPyAPI_DirectShape(const HPyAPI_EntryDesc *d)
{
    if (_HPyAPI_HasCallbacks(d)) /* their wrapping needs call.c each time */
        return 0;
    const HPyAPI_ArgDesc *a = d->args;
    while (a->kind == HPYAPI_ARG_HANDLE)
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

/* Both encodings offsets: each handle moves by delta, no reference
 * changes hands (the result's passes to the caller). */
HPYAPI_INTERNAL int _HPyAPI_DirectRebase(HPyContext *ectx, intptr_t delta,
                                         const HPyAPI_EntryDesc *d,
                                         char *frame)
{
    for (const HPyAPI_ArgDesc *a = d->args; a->kind != HPYAPI_ARG_END; a++)
        set_frame_handle(frame, a->off,
                         _HPyAPI_Rebase(frame_handle(frame, a->off), delta));
    d->invoke(ectx, frame);
    if (d->result_kind == HPYAPI_RES_HANDLE)
        set_frame_handle(frame, d->result_off,
                         _HPyAPI_Rebase(frame_handle(frame, d->result_off),
                                        -delta));
    return 0;
}

/* A debug caller, an exporter whose handles are PyObject* + e_conv: the
 * objects are borrowed from the caller's debug handles and lent. */
HPYAPI_INTERNAL int _HPyAPI_DirectFromDebug(HPyContext *cctx, intptr_t e_conv,
                                            HPyContext *ectx,
                                            const HPyAPI_EntryDesc *d,
                                            char *frame)
{
    for (const HPyAPI_ArgDesc *a = d->args; a->kind != HPYAPI_ARG_END; a++) {
        HPy h = frame_handle(frame, a->off);
        if (!HPy_IsNull(h))
            set_frame_handle(frame, a->off,
                             hfrom(hbits(_HPyAPI_dbg.unwrap(cctx, h)) - 1 +
                                   e_conv));
    }
    d->invoke(ectx, frame);
    if (d->result_kind == HPYAPI_RES_HANDLE) {
        HPy r = frame_handle(frame, d->result_off);
        if (HPy_IsNull(r))
            return 0;
        /* its reference passes into the caller's new handle */
        cpy_PyObject *o = (cpy_PyObject *)(hbits(r) - e_conv);
        HPy h = _HPyAPI_dbg.open(cctx, hfrom((intptr_t)o + 1));
        if (HPy_IsNull(h)) /* out of memory: HPy raised */
            HPYAPI_PY_DECREF(o);
        set_frame_handle(frame, d->result_off, h);
    }
    return 0;
}

typedef struct {
    const HPyAPI_EntryDesc *d;
    char *frame;   /* handles in the caller's encoding, PyObject* + c_conv */
    intptr_t c_conv;
    int ran;       /* the exporter's function ran */
} direct_args;

/* Keeps a function out of line (here: so that the one-handle path of
 * direct_debug_side keeps a small stack frame). */
#if defined(__GNUC__)
#define HPYAPI_NOINLINE __attribute__((noinline))
#else
#define HPYAPI_NOINLINE
#endif

/* The handles after the first, for direct_debug_side: opened (returns 0)
 * or, when one cannot be (out of memory: HPy raised), the ones opened
 * closed again (returns -1).  With close set, closes them after the call.
 * Objects are lent: only the wrappers open and close. */
HPYAPI_NOINLINE static int other_handles(HPyContext *ctx, direct_args *x,
                                         int close)
{
    const HPyAPI_ArgDesc *first = x->d->args + 1, *a = first;
    if (close) {
        while (a->kind != HPYAPI_ARG_END)
            a++;
    } else {
        for (; a->kind != HPYAPI_ARG_END; a++) {
            HPy h = frame_handle(x->frame, a->off);
            if (HPy_IsNull(h))
                continue;
            h = _HPyAPI_dbg.open(ctx, hfrom(hbits(h) - x->c_conv + 1));
            set_frame_handle(x->frame, a->off, h);
            if (HPy_IsNull(h))
                break;
        }
        if (a->kind == HPYAPI_ARG_END)
            return 0;
    }
    while (a > first) /* NULL ones are no-ops */
        _HPyAPI_dbg.close(ctx, frame_handle(x->frame, (--a)->off));
    return close ? 0 : -1;
}

/* Runs in a debug exporter's fresh context; h0 is the first argument's
 * handle, which HPy opened and will close.  Returns the result handle,
 * which HPy turns into a new reference and closes. */
static HPy direct_debug_side(HPyContext *ctx, HPy h0, void *arg)
{
    direct_args *x = (direct_args *)arg;
    const HPyAPI_EntryDesc *d = x->d;
    int more = 0; /* handles after the first */
    if (d->args[0].kind != HPYAPI_ARG_END) {
        set_frame_handle(x->frame, d->args[0].off, h0);
        more = d->args[1].kind != HPYAPI_ARG_END;
        if (more && other_handles(ctx, x, 0) < 0)
            return HPy_NULL;
    }
    d->invoke(ctx, x->frame);
    x->ran = 1;
    if (more)
        other_handles(ctx, x, 1);
    return d->result_kind == HPYAPI_RES_HANDLE
               ? frame_handle(x->frame, d->result_off)
               : HPy_NULL;
}

/* A caller whose handles are PyObject* + c_conv, a debug exporter. */
HPYAPI_INTERNAL int _HPyAPI_DirectToDebug(intptr_t c_conv, HPyContext *ectx,
                                          const HPyAPI_EntryDesc *d,
                                          char *frame)
{
    direct_args x = {d, frame, c_conv, 0};
    intptr_t h0 = 0;
    if (d->args[0].kind != HPYAPI_ARG_END)
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

/* Where routes send a debug <-> offset pair (HPyAPI_Route.direct, set by
 * routes.c for entries of the direct shape), `conv` being the offset
 * side's: a debug caller ... */
HPYAPI_INTERNAL int _HPyAPI_FromDebug(HPyContext *ctx, intptr_t conv,
                                      const HPyAPI_Route *r,
                                      const HPyAPI_EntryDesc *d, void *frame)
{
    return _HPyAPI_DirectFromDebug(ctx, conv, r->ctx, d, (char *)frame);
}

/* ... and any other caller, of a debug exporter */
HPYAPI_INTERNAL int _HPyAPI_ToDebug(intptr_t conv, const HPyAPI_Route *r,
                                    const HPyAPI_EntryDesc *d, void *frame)
{
    return _HPyAPI_DirectToDebug(conv, r->ctx, d, (char *)frame);
}
