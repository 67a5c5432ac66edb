/* callback.c - the transform in reverse: an exporter calls a consumer's
 * callback (hpyapi/callback.h).
 *
 * Before a call whose caller is of another family than the exporter (or
 * is a C-API extension), every callback argument is replaced by the
 * parameter's reverse trampoline, and its user data by a record saying
 * whose function it was.  When the exporter calls the trampoline with its
 * own context and handles, _HPyAPI_CallBack turns them into PyObject*
 * (convert.c, the exporter as the caller), enters the consumer's family
 * (for debug: a fresh valid context, enter.c), opens the consumer's
 * handles, calls its function and brings the result back as a new handle
 * of the exporter's context.
 *
 * Records of HPyAPI_CB callbacks live on the stack of the call (call.c)
 * and are marked dead when it returns, so that a late call raises instead
 * of running with a stale context.  Records of HPyAPI_KEPT_CB callbacks
 * are made once per (function, user data, family) and never freed.
 */
#include <stdlib.h>
#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"
#include "cpython.h"
#include "uctx.h"

#define MAX_CB_HANDLES HPYAPI_MAX_CB_PARAMS /* one per parameter at most */

static HPyAPI_CallbackRecord *kept_records; /* all kept records, forever */

static void raise_here(HPyContext *ctx, int exc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    _HPyAPI_SetErrorV(ctx, exc, "hpyapi: ", fmt, ap);
    va_end(ap);
}

/* The kept record for (fn, ud) of this caller's family: the same one each
 * time the consumer registers the same pair, so registrations do not grow
 * memory.  Calls run with the GIL held, so the list needs no lock. */
static HPyAPI_CallbackRecord *kept_record(const HPyAPI_CallbackRecord *r)
{
    for (HPyAPI_CallbackRecord *k = kept_records; k != NULL; k = k->next)
        if (k->fn == r->fn && k->ud == r->ud && k->ckind == r->ckind &&
            k->info == r->info && k->tok == r->tok)
            return k;
    HPyAPI_CallbackRecord *k =
        (HPyAPI_CallbackRecord *)malloc(sizeof *k);
    if (k == NULL)
        return NULL;
    *k = *r;
    k->next = kept_records;
    kept_records = k;
    return k;
}

HPYAPI_INTERNAL int _HPyAPI_WrapCallbacks(HPyContext *ctx, uint32_t kind,
                                          HPyAPI_Token *tok,
                                          const HPyAPI_EntryDesc *d,
                                          void *frame,
                                          HPyAPI_CallbackRecord *recs)
{
    char *f = (char *)frame;
    int i = 0;
    for (const HPyAPI_CallbackArg *c = d->callbacks; c->info != NULL;
         c++, i++) {
        HPyAPI_CallbackRecord *rec = &recs[i];
        memset(rec, 0, sizeof *rec);
        rec->info = c->info; /* for _HPyAPI_EndCallbacks, even if unused */
        if (c->info->sdesc != NULL) /* a struct: structs.c stages it */
            continue;
        memcpy(&rec->fn, f + c->fn_off, sizeof rec->fn);
        if (rec->fn == NULL) /* no callback: the exporter sees NULL */
            continue;
        memcpy(&rec->ud, f + c->ud_off, sizeof rec->ud);
        rec->magic = HPYAPI_CB_ALIVE;
        rec->cctx = kind == HPYAPI_KIND_CAPI ? NULL : ctx;
        rec->ckind = kind;
        rec->tok = tok;
        if (c->info->kept && (rec = kept_record(rec)) == NULL) {
            recs[i + 1].info = NULL;
            _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_MEMORY,
                              "no memory to keep callback %s",
                              c->info->label);
            _HPyAPI_EndCallbacks(recs);
            return -1;
        }
        HPyAPI_Slot rt = c->info->rtramp;
        void *ud = rec;
        memcpy(f + c->fn_off, &rt, sizeof rt);
        memcpy(f + c->ud_off, &ud, sizeof ud);
    }
    if (i < HPYAPI_MAX_CALLBACKS)
        recs[i].info = NULL; /* where _HPyAPI_EndCallbacks stops */
    return 0;
}

HPYAPI_INTERNAL void _HPyAPI_EndCallbacks(HPyAPI_CallbackRecord *recs)
{
    for (int i = 0; i < HPYAPI_MAX_CALLBACKS && recs[i].info != NULL; i++)
        recs[i].magic = 0;
}

/* ---- the call back ----------------------------------------------------------- */

typedef struct {
    const HPyAPI_CallbackInfo *info;
    const HPyAPI_CallbackRecord *rec;
    char *frame;
    cpy_PyObject **objs; /* the exporter's handle arguments, as objects */
    intptr_t conv;       /* how the consumer's handles encode them */
    cpy_PyObject *result; /* new reference, for handle results */
    int status;
    HPyAPI_RevStage *rev; /* a struct parameter's copy (slots.c) */
    HPyAPI_SlotArgs *sa;  /* its HPyAPI_SLOT_LEN arrays, FN_OUT (slots.c) */
} back_call;

/* Runs with the consumer's (valid) context, or NULL for a C-API consumer,
 * whose handles are CPython-ABI ones (PyObject*, offset 0). */
static void consumer_side(HPyContext *ctx, void *arg)
{
    back_call *x = (back_call *)arg;
    HPy opened[MAX_CB_HANDLES];
    int n = 0;
    for (const HPyAPI_ArgDesc *a = x->info->args; a->kind != HPYAPI_ARG_END;
         a++, n++) {
        opened[n] = HPy_NULL;
        if (a->kind == HPYAPI_ARG_STRUCTP) { /* its handles, in the copy */
            if (_HPyAPI_RevOpen(ctx, x->conv, x->rev) < 0) {
                _HPyAPI_RevClose(ctx, x->conv, x->rev);
                while (n-- > 0)
                    _HPyAPI_ExporterClose(ctx, x->conv, opened[n]);
                x->status = -1;
                return;
            }
            continue;
        }
        if (a->kind != HPYAPI_ARG_HANDLE) /* slots.c's: opened below */
            continue;
        if (x->objs[n] != NULL) {
            opened[n] = _HPyAPI_ExporterOpen(ctx, x->conv, x->objs[n]);
            if (HPy_IsNull(opened[n])) { /* out of memory */
                while (n-- > 0)
                    _HPyAPI_ExporterClose(ctx, x->conv, opened[n]);
                x->status = -1;
                return;
            }
        }
        memcpy(x->frame + a->off, &opened[n], sizeof(HPy));
    }
    if (_HPyAPI_SlotArgsOpen(ctx, x->conv, x->sa, x->frame) < 0) {
        _HPyAPI_SlotArgsClose(ctx, x->conv, x->sa, 0);
        if (x->rev != NULL)
            _HPyAPI_RevClose(ctx, x->conv, x->rev);
        while (n-- > 0)
            _HPyAPI_ExporterClose(ctx, x->conv, opened[n]);
        x->status = -1;
        return;
    }
    if (x->rec->ckind == HPYAPI_KIND_CAPI)
        x->info->cinvoke(NULL, x->frame);
    else
        x->info->invoke(ctx, x->frame);
    _HPyAPI_SlotArgsClose(ctx, x->conv, x->sa, 1);
    while (n-- > 0)
        _HPyAPI_ExporterClose(ctx, x->conv, opened[n]);
    if (x->rev != NULL)
        _HPyAPI_RevClose(ctx, x->conv, x->rev);
    if (x->info->result_kind == HPYAPI_RES_HANDLE) {
        HPy r;
        memcpy(&r, x->frame + x->info->result_off, sizeof r);
        x->result = _HPyAPI_ExporterResult(ctx, x->conv, r);
    }
    x->status = 0;
}

HPYAPI_INTERNAL int _HPyAPI_CallBack(HPyContext *ctx, void *record,
                                     const HPyAPI_CallbackInfo *info,
                                     void *frame)
{
    const HPyAPI_CallbackRecord *rec = (const HPyAPI_CallbackRecord *)record;
    if (rec == NULL || rec->magic != HPYAPI_CB_ALIVE || rec->info != info) {
        raise_here(ctx, HPYAPI_EXC_SYSTEM,
                   "callback %s was called with user data that is not what "
                   "the call passing it gave the exporter, or after that call "
                   "returned; a callback declared HPyAPI_CB may only be "
                   "called during the call (declare it HPyAPI_KEPT_CB if the "
                   "exporter keeps it)", info->label);
        return -1;
    }
    HPyAPI_Token *tok = rec->tok;
    back_call x = {info, rec, (char *)frame, NULL, 0, NULL, -1, NULL, NULL};
    uint32_t ck = rec->ckind == HPYAPI_KIND_CAPI ? HPYAPI_KIND_CPYTHON
                                                 : rec->ckind;
    x.conv = _HPyAPI_ConvNow(rec->cctx, ck);
    if (x.conv == HPYAPI_CONV_CTX) {
        if (rec->fwd) /* the caller may be C-API code: no context */
            _HPyAPI_RaiseCall(tok, rec->entry, HPYAPI_EXC_SYSTEM,
                              "function %s of the table it returned: cannot "
                              "convert handles for a %s exporter here "
                              "(hpy.universal's debug handle API was not "
                              "found)", info->label,
                              _HPyAPI_KindLabel(rec->ckind));
        else
            raise_here(ctx, HPYAPI_EXC_SYSTEM,
                       "callback %s: cannot convert handles for a %s "
                       "consumer here (hpy.universal's debug handle API was "
                       "not found)", info->label,
                       _HPyAPI_KindLabel(rec->ckind));
        return -1;
    }
    HPyAPI_CallbackHead head = {rec->fn, rec->ud};
    memcpy(frame, &head, sizeof head);

    /* the exporter's handles -> objects (borrowed, or new references for
       CONV_CTX) */
    intptr_t e_conv = tok->coffset >= 0 ? tok->coffset
                                        : _HPyAPI_ConvNow(ctx, tok->kind);
    if (rec->fwd) /* a returned table's: any caller, C-API ones with NULL
                     (tables.c); the rest runs as for a callback, the
                     exporter in the consumer's place */
        e_conv = ctx == NULL ? 0 : _HPyAPI_ConvNow(ctx, _HPyAPI_KindOf(ctx));
    cpy_PyObject *objs[MAX_CB_HANDLES];
    int n = 0;
    if (_HPyAPI_SlotArgsIn(ctx, e_conv, rec, info, x.frame, &x.sa) < 0)
        return -1;
    for (const HPyAPI_ArgDesc *a = info->args; a->kind != HPYAPI_ARG_END;
         a++, n++) {
        HPy h;
        if (a->kind == HPYAPI_ARG_STRUCTP) { /* one per slot type */
            objs[n] = NULL;
            x.rev = _HPyAPI_RevIn(ctx, e_conv, info->sdesc(), rec->len,
                                  x.frame + a->off, info->label);
            if (x.rev == NULL)
                break;
            continue;
        }
        objs[n] = NULL;
        if (a->kind != HPYAPI_ARG_HANDLE) /* slots.c's */
            continue;
        memcpy(&h, x.frame + a->off, sizeof h);
        objs[n] = _HPyAPI_CallerToPy(ctx, e_conv, h);
        if (objs[n] == NULL && !HPy_IsNull(h))
            break; /* AsPyObject raised */
    }
    x.objs = objs;
    if (info->args[n].kind == HPYAPI_ARG_END) {
        if (rec->ckind == HPYAPI_KIND_DEBUG)
            _HPyAPI_EnterDebugFn(rec->cctx, consumer_side, &x);
        else
            consumer_side(rec->cctx, &x);
    }
    if (e_conv == HPYAPI_CONV_CTX)
        for (int i = 0; i < n; i++)
            if (objs[i] != NULL)
                HPYAPI_PY_DECREF(objs[i]);
    _HPyAPI_RevEnd(e_conv, x.rev);
    if (_HPyAPI_SlotArgsEnd(ctx, e_conv, x.sa, x.status == 0) < 0)
        x.status = -1;
    if (info->result_kind == HPYAPI_RES_HANDLE) {
        HPy r = _HPyAPI_CallerFromPy(ctx, e_conv, x.result);
        memcpy(x.frame + info->result_off, &r, sizeof r);
    }
    return x.status;
}
