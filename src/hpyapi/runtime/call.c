/* call.c - where the generic trampoline enters the runtime.
 *
 * Finds the caller's kind (its family word: a pure function of the
 * context, no state; or a CPython-API caller, which the CPython-API
 * trampolines send through the generic one with an odd "context",
 * _HPyAPI_CapiCaller) and the entry's exporter, wraps the callbacks of a
 * caller whose context is not the exporter's own (callback.c), then either
 * the hooks (hooks.c), which wrap the call, or the call itself
 * (transform.c).  A caller kind whose pair the entry's route converts
 * directly (HPyAPI_Route.direct, decided by routes.c before any call: no
 * hooks, a debug side and an offset side) goes straight to direct.c.
 * Every path here ends in a tail call, so this layer costs no stack frame.
 */
#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"
#include "uctx.h"

static int call_plain(HPyContext *ctx, uint32_t kind, HPyAPI_Token *tok,
                      const HPyAPI_EntryDesc *d, void *frame, const void *pc)
{
    if (_HPyAPI_EntryHooked(tok, d->index))
        return _HPyAPI_HookedCall(ctx, kind, tok, d, frame, pc);
    return _HPyAPI_Dispatch(ctx, kind, tok, d, frame);
}

/* Callbacks reach the exporter unchanged only from a caller whose context
 * is the exporter's own; any other caller's are wrapped (callback.c) for
 * this call, so that they run on the consumer's context, and its struct
 * parameters staged (structs.c: a copy whose handles the transform
 * converts like arguments).  Such entries
 * have no direct route (direct.c), so they always come here. */
HPYAPI_COLD static int call_wrapped(HPyContext *ctx, uint32_t kind,
                                    HPyAPI_Token *tok,
                                    const HPyAPI_EntryDesc *d, void *frame,
                                    const void *pc)
{
    HPyAPI_CallbackRecord recs[HPYAPI_MAX_CALLBACKS];
    if (_HPyAPI_WrapCallbacks(ctx, kind, tok, d, frame, recs) < 0)
        return -1;
    HPyAPI_StructStage *st = NULL;
    void *orig = frame;
    /* the entry's own descriptor: staging points d at a copy in st, which
       _HPyAPI_EndStructs frees */
    const HPyAPI_EntryDesc *orig_d = d;
    if (_HPyAPI_HasStructs(d) &&
        _HPyAPI_StageStructs(ctx, kind, tok, &d, &frame, &st) < 0) {
        _HPyAPI_EndCallbacks(recs);
        return -1;
    }
    int status = call_plain(ctx, kind, tok, d, frame, pc);
    if (st != NULL)
        _HPyAPI_EndStructs(st, orig);
    _HPyAPI_EndCallbacks(recs);
    if (status == 0 && orig_d->result_kind == HPYAPI_RES_TABLE)
        status = _HPyAPI_ForwardTable(kind, tok, orig_d, orig);
    return status;
}

/* The caller's context is the exporter's own: any CPython-ABI context for
 * a CPython-ABI exporter, one of the same HPyDebugInfo for debug, else
 * the very instance (see routes.c). */
static int own_context(HPyContext *ctx, uint32_t kind, HPyAPI_Token *tok)
{
    if (kind != tok->kind)
        return 0;
    if (kind == HPYAPI_KIND_CPYTHON)
        return 1;
    if (kind == HPYAPI_KIND_DEBUG)
        return _HPyAPI_SameDebugFamily(ctx, tok->ctx);
    return ctx == tok->ctx;
}

static int call_kind(HPyContext *ctx, uint32_t kind, HPyAPI_Token *tok,
                     const HPyAPI_EntryDesc *d, void *frame, const void *pc)
{
    if (_HPyAPI_HasCallbacks(d) &&
        (kind == HPYAPI_KIND_CAPI || !own_context(ctx, kind, tok)))
        return call_wrapped(ctx, kind, tok, d, frame, pc);
    return call_plain(ctx, kind, tok, d, frame, pc);
}

/* An unbound table, or a context whose family word is not one of the four:
 * out of the way, so that the path above needs no stack frame.  noipa:
 * GCC would otherwise look into this path (the classifier inlined here)
 * and lay _HPyAPI_Call out differently, which the callgrind counts of
 * tests/test_fastpath.py hold as they are. */
#if defined(__GNUC__) && !defined(__clang__)
#define CALL_OTHER_NOIPA __attribute__((noipa))
#else
#define CALL_OTHER_NOIPA
#endif
HPYAPI_COLD CALL_OTHER_NOIPA static int call_other(HPyContext *ctx, const HPyAPI_Route *r,
                                  const HPyAPI_EntryDesc *d, void *frame,
                                  const void *caller_pc)
{
    uint32_t kind = _HPyAPI_KindOf(ctx);
    if (r->tok == NULL) {
        _HPyAPI_RaiseUnbound(ctx, kind, d->index);
        return -1;
    }
    return call_kind(ctx, kind, r->tok, d, frame, caller_pc);
}

/* An HPy caller.  Out of line, so that _HPyAPI_Call below stays a test
 * and a jump: with the test at its top gcc saved every register this
 * needs before it (+25 instructions per CPython-API call into a
 * debug-mode exporter). */
CALL_OTHER_NOIPA static int call_hpy(HPyContext *ctx, const HPyAPI_Route *r,
                                     const HPyAPI_EntryDesc *d, void *frame,
                                     const void *caller_pc)
{
    uint32_t kind = _HPyAPI_KindOf(ctx);
    int conv = r->direct[kind];
    if (conv != HPYAPI_NO_DIRECT) { /* bound, no hooks, routed pair */
        int rc = kind == HPYAPI_KIND_DEBUG
                     ? _HPyAPI_FromDebug(ctx, conv, r, d, frame)
                     : _HPyAPI_ToDebug(conv, r, d, frame);
        if (rc != 1) /* 1: arrays too long for the stack */
            return rc;
    }
    if (r->tok == NULL || kind == HPYAPI_KIND_UNKNOWN)
        return call_other(ctx, r, d, frame, caller_pc);
    return call_kind(ctx, kind, r->tok, d, frame, caller_pc);
}

/* A CPython-API caller (_HPyAPI_CapiCaller): no context, and PyObject*
 * arguments, which are exactly CPython-ABI handles.  Its parameters are
 * _HPyAPI_Call's, so that reaching it takes no register moves. */
CALL_OTHER_NOIPA static int call_capi(HPyContext *capi_caller,
                                      const HPyAPI_Route *r,
                                      const HPyAPI_EntryDesc *d, void *frame,
                                      const void *unused)
{
    const void *caller_pc = (const void *)((uintptr_t)capi_caller >> 1);
    (void)unused; /* the generic trampoline's, inside the C-API one */
    int conv = r->direct[HPYAPI_KIND_CAPI];
    if (conv != HPYAPI_NO_DIRECT) {
        int rc = _HPyAPI_ToDebug(conv, r, d, frame);
        if (rc != 1)
            return rc;
    }
    if (r->tok == NULL) {
        _HPyAPI_RaiseUnbound(NULL, HPYAPI_KIND_CAPI, d->index);
        return -1;
    }
    return call_kind(NULL, HPYAPI_KIND_CAPI, r->tok, d, frame, caller_pc);
}

HPYAPI_INTERNAL int _HPyAPI_Call(HPyContext *ctx, const HPyAPI_Route *r,
                                 const HPyAPI_EntryDesc *d, void *frame,
                                 const void *caller_pc)
{
    if ((uintptr_t)ctx & 1u) /* no context has an odd address */
        return call_capi(ctx, r, d, frame, caller_pc);
    return call_hpy(ctx, r, d, frame, caller_pc);
}
