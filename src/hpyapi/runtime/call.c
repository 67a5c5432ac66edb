/* call.c - where every trampoline's slow path enters the runtime.
 *
 * Finds the caller's kind and the entry's exporter, wraps the callbacks of
 * a caller of another family (callback.c), then either the hooks
 * (hooks.c), which wrap the call, or the call itself (transform.c).  A
 * caller kind whose pair the entry's route has learned to convert directly
 * (HPyAPI_Route.direct: no hooks, a debug side and an offset side) goes
 * straight to transform.c's direct path.  Every path here ends in a tail
 * call, so this layer costs no stack frame.
 */
#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"

static int call_plain(HPyContext *ctx, uint32_t kind, HPyAPI_Token *tok,
                      const HPyAPI_EntryDesc *d, void *frame, const void *pc)
{
    if (_HPyAPI_EntryHooked(tok, d->index))
        return _HPyAPI_HookedCall(ctx, kind, tok, d, frame, pc);
    return _HPyAPI_Dispatch(ctx, kind, tok, d, frame);
}

/* Callbacks reach the exporter unchanged only from a caller of exactly its
 * family; any other caller's are wrapped (callback.c) for this call.  Such
 * entries never learn a direct route (transform.c), so they always come
 * here. */
HPYAPI_COLD static int call_wrapped(HPyContext *ctx, uint32_t kind,
                                    HPyAPI_Token *tok,
                                    const HPyAPI_EntryDesc *d, void *frame,
                                    const void *pc)
{
    HPyAPI_CallbackRecord recs[HPYAPI_MAX_CALLBACKS];
    if (_HPyAPI_WrapCallbacks(ctx, kind, tok, d, frame, recs) < 0)
        return -1;
    int status = call_plain(ctx, kind, tok, d, frame, pc);
    _HPyAPI_EndCallbacks(recs);
    return status;
}

static int call_kind(HPyContext *ctx, uint32_t kind, HPyAPI_Token *tok,
                     const HPyAPI_EntryDesc *d, void *frame, const void *pc)
{
    if (_HPyAPI_HasCallbacks(d) &&
        (kind == HPYAPI_KIND_CAPI || kind != tok->kind))
        return call_wrapped(ctx, kind, tok, d, frame, pc);
    return call_plain(ctx, kind, tok, d, frame, pc);
}

/* An unbound table, or a context whose family word is not one of the four:
 * out of the way, so that the path above needs no stack frame. */
HPYAPI_COLD static int call_other(HPyContext *ctx, const HPyAPI_Route *r,
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

HPYAPI_INTERNAL int _HPyAPI_Call(HPyContext *ctx, const HPyAPI_Route *r,
                                 const HPyAPI_EntryDesc *d, void *frame,
                                 const void *caller_pc)
{
    uint32_t kind = _HPyAPI_KindOfWord4(_HPyAPI_CtxWord(ctx));
    int conv = r->direct[kind];
    if (conv != HPYAPI_NO_DIRECT) /* bound, no hooks, known encodings */
        return kind == HPYAPI_KIND_DEBUG
                   ? _HPyAPI_FromDebug(ctx, conv, r, d, frame)
                   : _HPyAPI_ToDebug(conv, r, d, frame);
    if (r->tok == NULL || kind == HPYAPI_KIND_UNKNOWN)
        return call_other(ctx, r, d, frame, caller_pc);
    return call_kind(ctx, kind, r->tok, d, frame, caller_pc);
}

HPYAPI_INTERNAL int _HPyAPI_CallC(const HPyAPI_Route *r,
                                  const HPyAPI_EntryDesc *d, void *frame,
                                  const void *caller_pc)
{
    int conv = r->direct[HPYAPI_KIND_CAPI];
    if (conv != HPYAPI_NO_DIRECT)
        return _HPyAPI_ToDebug(conv, r, d, frame);
    if (r->tok == NULL) {
        _HPyAPI_RaiseUnbound(NULL, HPYAPI_KIND_CAPI, d->index);
        return -1;
    }
    return call_kind(NULL, HPYAPI_KIND_CAPI, r->tok, d, frame, caller_pc);
}
