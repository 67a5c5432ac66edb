/* transform.c - the context transform (#446's _HPy_TransformContext).
 *
 * Calls that no route of the trampoline took come here (through call.c,
 * and hooks.c when the entry has hooks).  By the caller's kind:
 *
 *   same family     call the exporter's function with its own context.
 *                   Handles of the universal, trace and CPython-ABI
 *                   families are valid with the exporter's stored context;
 *                   a debug caller's context is a valid debug context of
 *                   the exporter's own debug family when they share one
 *                   HPyDebugInfo (always, in hpy 0.9.0).
 *   cross family    where both encodings are offsets (CPython ABI,
 *                   universal on CPython) the handles are rebased by
 *                   pointer arithmetic; else the caller's handles become
 *                   PyObject*, the exporter is entered (enter.c), opens its
 *                   own handles for them, is called, and the result goes
 *                   back the same way (convert.c says how, per family).
 *                   Entries of plain handles and values take the direct
 *                   path (direct.c): in place, no buffers; between a debug
 *                   side and an offset side the entry's route (routes.c,
 *                   decided before any call) sends such calls straight
 *                   there.  Nothing here writes shared memory.
 *   unknown         a clear error (an interpreter whose contexts hpyapi does
 *                   not know).
 *
 * Sizes computed from handle-array lengths are overflow-checked: a length
 * that does not fit raises instead of wrapping a buffer size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"
#include "cpython.h"
#include "uctx.h"
#include "convert.h"
#include "enter.h"

#define SMALL_CALL HPYAPI_SMALL_ARRAY

/* The raw length of array argument `a`: an HPy_ssize_t, or a length named
 * by HPyAPI_LEN of any integer type (HPyAPI_ArgDesc.len_type), widened;
 * *neg says a signed one is negative (the result is then its two's
 * complement).  Only count_handles (and direct.c, which checks it
 * itself) reads an unchecked length. */
HPYAPI_INTERNAL uint64_t _HPyAPI_ReadLen(const HPyAPI_ArgDesc *a,
                                         const char *frame, int *neg)
{
    const char *p = frame + a->len_off;
    unsigned size = a->len_type ? a->len_type & ~HPYAPI_LEN_SIGNED
                                : (unsigned)sizeof(HPy_ssize_t);
    int is_signed = a->len_type == 0 || (a->len_type & HPYAPI_LEN_SIGNED);
    uint64_t u = 0;
    int64_t v = 0;
    switch (size) {
    case 1: { uint8_t x; memcpy(&x, p, 1); u = x; v = (int8_t)x; break; }
    case 2: { uint16_t x; memcpy(&x, p, 2); u = x; v = (int16_t)x; break; }
    case 4: { uint32_t x; memcpy(&x, p, 4); u = x; v = (int32_t)x; break; }
    default: { uint64_t x; memcpy(&x, p, 8); u = x; v = (int64_t)x; break; }
    }
    *neg = is_signed && v < 0;
    return is_signed ? (uint64_t)v : u;
}

/* ... once count_handles has checked it */
static HPy_ssize_t arg_len(const HPyAPI_ArgDesc *a, const char *frame)
{
    int neg;
    return (HPy_ssize_t)_HPyAPI_ReadLen(a, frame, &neg);
}

/* Counts the handles of one call (arrays flattened), checking each array.
 * Returns -1 with an exception set for a bad array or a count that does
 * not fit in memory. */
static int count_handles(HPyAPI_Token *tok, const HPyAPI_EntryDesc *d,
                         const char *frame, HPy_ssize_t *n_out,
                         HPy_ssize_t *n_array_out, int *has_outputs)
{
    HPy_ssize_t n = 0, n_array = 0;
    int outputs = 0;
    /* two buffers of n pointers each must fit in a size_t */
    const HPy_ssize_t limit = (HPy_ssize_t)(SIZE_MAX / (2 * sizeof(void *)));
    for (const HPyAPI_ArgDesc *a = d->args; a->kind != HPYAPI_ARG_END; a++) {
        outputs |= a->kind == HPYAPI_ARG_OUT || a->kind == HPYAPI_ARG_OUTARRAY ||
                   a->kind == HPYAPI_ARG_INOUT;
        if (a->kind == HPYAPI_ARG_HANDLE || a->kind == HPYAPI_ARG_OUT ||
            a->kind == HPYAPI_ARG_INOUT) {
            n++;
            n_array += a->kind != HPYAPI_ARG_HANDLE; /* a slot in the buffer */
            continue;
        }
        int neg;
        uint64_t raw = _HPyAPI_ReadLen(a, frame, &neg);
        const HPy *arr;
        memcpy(&arr, frame + a->off, sizeof arr);
        if (neg || (raw > 0 && arr == NULL)) {
            char shown[24];
            if (neg)
                snprintf(shown, sizeof shown, "%lld", (long long)(int64_t)raw);
            else
                snprintf(shown, sizeof shown, "%llu", (unsigned long long)raw);
            _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_VALUE,
                              "got a handle array of length %s at %p; "
                              "expected a length >= 0 and, unless it is 0, "
                              "a non-NULL array", shown, (const void *)arr);
            return -1;
        }
        if (raw > (uint64_t)(limit - n)) {
            _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_MEMORY,
                              "cannot convert %llu handles: more than fit "
                              "in memory", (unsigned long long)raw);
            return -1;
        }
        HPy_ssize_t len = (HPy_ssize_t)raw;
        n += len;
        n_array += len;
    }
    *n_out = n;
    *n_array_out = n_array;
    *has_outputs = outputs;
    return 0;
}

/* Both encodings are offsets: rebase every handle by `delta`, call, rebase
 * the result and every handle the exporter wrote back.  No reference
 * changes hands: arguments stay borrowed, the references the exporter
 * returns or writes pass to the caller. */
static int rebase_call(HPyAPI_Token *tok, const HPyAPI_EntryDesc *d,
                       char *frame, HPy_ssize_t n_array, int has_outputs,
                       intptr_t delta)
{
    HPy small[SMALL_CALL];
    HPy *buf = small;
    HPy *outs[HPYAPI_MAX_PARAMS]; /* the caller's, per out argument */
    if (n_array > SMALL_CALL &&
        (buf = (HPy *)malloc((size_t)n_array * sizeof *buf)) == NULL) {
        _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_MEMORY,
                          "no memory to convert %lld handles",
                          (long long)n_array);
        return -1;
    }
    HPy *next = buf;
    int i_out = 0;
    for (const HPyAPI_ArgDesc *a = d->args; a->kind != HPYAPI_ARG_END; a++) {
        if (a->kind == HPYAPI_ARG_HANDLE) {
            intptr_t b;
            memcpy(&b, frame + a->off, sizeof b);
            b += b ? delta : 0;
            memcpy(frame + a->off, &b, sizeof b);
            continue;
        }
        HPy_ssize_t len = 1;
        HPy *src;
        if (a->kind != HPYAPI_ARG_OUT && a->kind != HPYAPI_ARG_INOUT)
            len = arg_len(a, frame);
        memcpy(&src, frame + a->off, sizeof src);
        int reads = a->kind == HPYAPI_ARG_ARRAY ||
                    (a->kind == HPYAPI_ARG_INOUT && src != NULL);
        for (HPy_ssize_t i = 0; i < len; i++) {
            intptr_t b = reads ? hbits(src[i]) : 0;
            next[i] = hfrom(b + (b ? delta : 0));
        }
        if (a->kind != HPYAPI_ARG_ARRAY)
            outs[i_out++] = src;
        if (a->kind != HPYAPI_ARG_INOUT || src != NULL) /* NULL stays */
            memcpy(frame + a->off, &next, sizeof next);
        next += len;
    }
    d->invoke(tok->ctx, frame);
    if (d->result_kind == HPYAPI_RES_HANDLE) {
        intptr_t b;
        memcpy(&b, frame + d->result_off, sizeof b);
        b -= b ? delta : 0;
        memcpy(frame + d->result_off, &b, sizeof b);
    }
    if (d->result_kind == HPYAPI_RES_HANDLES) { /* rebased in place */
        HPy *arr;
        memcpy(&arr, frame + d->result_off, sizeof arr);
        for (HPy_ssize_t i = 0, n = arr ? d->result_len(frame) : 0; i < n; i++)
            arr[i] = _HPyAPI_Rebase(arr[i], -delta);
    }
    next = buf;
    i_out = 0;
    for (const HPyAPI_ArgDesc *a = d->args;
         has_outputs && a->kind != HPYAPI_ARG_END; a++) {
        if (a->kind == HPYAPI_ARG_HANDLE)
            continue;
        HPy_ssize_t len = 1;
        if (a->kind != HPYAPI_ARG_OUT && a->kind != HPYAPI_ARG_INOUT)
            len = arg_len(a, frame);
        if (a->kind != HPYAPI_ARG_ARRAY) {
            HPy *dst = outs[i_out++];
            /* an in-out handle is the caller's again, replaced or not */
            int always = a->kind == HPYAPI_ARG_INOUT;
            for (HPy_ssize_t i = 0; dst != NULL && i < len; i++)
                if (always || !HPy_IsNull(next[i]))
                    dst[i] = _HPyAPI_Rebase(next[i], -delta);
        }
        next += len;
    }
    if (buf != small)
        free(buf);
    return 0;
}

/* In-out handles (HPYAPI_ARG_INOUT) cross as the caller's reference: the
 * exporter gets a handle it owns for the caller's object.  Left as it was,
 * that handle is closed and the caller's stays; replaced, the exporter
 * has closed it and the caller's is closed too, for the caller, and
 * replaced by the caller's handle for the new object.  "Left" is judged
 * by the handle's bits (a debug handle the exporter closed is not reused
 * while hpy's queue of closed handles holds it). */
static char io_unchanged_mark;
#define IO_UNCHANGED ((cpy_PyObject *)(void *)&io_unchanged_mark)

typedef struct {
    const HPyAPI_EntryDesc *d;
    char *frame;
    cpy_PyObject **objs; /* the caller's handle arguments, flattened */
    HPy *handles;        /* the exporter's handles for them */
    HPyAPI_Token *tok;
    cpy_PyObject *result; /* new reference, for handle results */
    int status;
    int has_outputs; /* any out argument: else every slot is an input */
    /* per in-out argument, in order: the handle the exporter was given,
       and afterwards IO_UNCHANGED or the new object (a new reference) */
    HPy io_own[HPYAPI_MAX_PARAMS];
    cpy_PyObject *io_res[HPYAPI_MAX_PARAMS];
    HPy_ssize_t res_len; /* a returned array's, now PyObject*s in place */
} xcall;

/* not an input to open and close as lent: out arguments, and in-out ones
   (handled as io_own/io_res) */
static int is_output(const HPyAPI_ArgDesc *a)
{
    return a->kind == HPYAPI_ARG_OUT || a->kind == HPYAPI_ARG_OUTARRAY ||
           a->kind == HPYAPI_ARG_INOUT;
}

/* How many handle slots argument `a` takes (checked by count_handles). */
static HPy_ssize_t arg_count(const HPyAPI_ArgDesc *a, const char *frame)
{
    HPy_ssize_t count = 1;
    if (a->kind == HPYAPI_ARG_ARRAY || a->kind == HPYAPI_ARG_OUTARRAY)
        count = arg_len(a, frame);
    return count;
}

/* Closes the exporter handles opened for inputs among the first `n`
 * slots (outputs are the caller's, converted separately). */
static void close_inputs(HPyContext *ctx, intptr_t conv,
                         const HPyAPI_EntryDesc *d, const char *frame,
                         HPy *handles, HPy_ssize_t n, int has_outputs)
{
    if (conv >= 0)
        return; /* lent, not opened */
    if (!has_outputs) { /* the common case: no walk over the arguments */
        for (HPy_ssize_t k = 0; k < n; k++)
            _HPyAPI_ExporterClose(ctx, conv, handles[k]);
        return;
    }
    HPy_ssize_t k = 0;
    for (const HPyAPI_ArgDesc *a = d->args;
         a->kind != HPYAPI_ARG_END && k < n; a++) {
        HPy_ssize_t count = arg_count(a, frame);
        for (HPy_ssize_t i = 0; i < count && k < n; i++, k++)
            if (!is_output(a))
                _HPyAPI_ExporterClose(ctx, conv, handles[k]);
    }
}

/* Opening the handle of slot k failed (out of memory): close what was
 * opened before it, the first n_io in-out handles included. */
static void fail_open(HPyContext *ctx, intptr_t conv, xcall *x, HPy_ssize_t k,
                      int n_io)
{
    close_inputs(ctx, conv, x->d, x->frame, x->handles, k, x->has_outputs);
    for (int m = 0; m < n_io; m++)
        if (!HPy_IsNull(x->io_own[m]))
            HPy_Close(ctx, x->io_own[m]);
    x->status = -1;
}

/* Runs in the exporter's (valid) context: open handles, call, close. */
static void exporter_side(HPyContext *ctx, void *arg)
{
    xcall *x = (xcall *)arg;
    intptr_t conv = x->tok->coffset >= 0 ? x->tok->coffset
                                          : _HPyAPI_ConvNow(ctx, x->tok->kind);
    HPy_ssize_t k = 0;
    int n_io = 0;
    for (const HPyAPI_ArgDesc *a = x->d->args; a->kind != HPYAPI_ARG_END; a++) {
        HPy_ssize_t count = 1;
        if (a->kind == HPYAPI_ARG_ARRAY || a->kind == HPYAPI_ARG_OUTARRAY)
            count = arg_len(a, x->frame);
        if (a->kind == HPYAPI_ARG_INOUT) { /* NULL stays NULL */
            const HPy *orig;
            memcpy(&orig, x->frame + a->off, sizeof orig);
            x->handles[k] = _HPyAPI_ExporterOpenOwned(ctx, conv, x->objs[k]);
            x->io_own[n_io++] = x->handles[k];
            const HPy *arr = orig != NULL ? &x->handles[k] : NULL;
            memcpy(x->frame + a->off, &arr, sizeof arr);
            if (HPy_IsNull(x->handles[k++]) && x->objs[k - 1] != NULL) {
                fail_open(ctx, conv, x, k - 1, n_io - 1);
                return;
            }
            continue;
        }
        if (a->kind != HPYAPI_ARG_HANDLE) {
            const HPy *arr = &x->handles[k];
            memcpy(x->frame + a->off, &arr, sizeof arr);
        }
        if (is_output(a)) { /* outputs start NULL */
            for (HPy_ssize_t i = 0; i < count; i++, k++)
                x->handles[k] = HPy_NULL;
            continue;
        }
        if (conv >= 0) { /* lent: pointer arithmetic */
            for (HPy_ssize_t i = 0; i < count; i++, k++)
                x->handles[k] = hfrom(x->objs[k] != NULL
                                          ? (intptr_t)x->objs[k] + conv : 0);
        }
        for (HPy_ssize_t i = 0; conv < 0 && i < count; i++, k++) {
            x->handles[k] = HPy_NULL;
            if (x->objs[k] == NULL)
                continue;
            x->handles[k] = _HPyAPI_ExporterOpen(ctx, conv, x->objs[k]);
            if (HPy_IsNull(x->handles[k])) { /* out of memory */
                fail_open(ctx, conv, x, k, n_io);
                return;
            }
        }
        if (a->kind == HPYAPI_ARG_HANDLE)
            memcpy(x->frame + a->off, &x->handles[k - 1], sizeof(HPy));
    }
    x->d->invoke(ctx, x->frame);
    close_inputs(ctx, conv, x->d, x->frame, x->handles, k, x->has_outputs);
    /* what it wrote to out arguments: new references, for the caller */
    k = 0;
    n_io = 0;
    for (const HPyAPI_ArgDesc *a = x->d->args;
         x->has_outputs && a->kind != HPYAPI_ARG_END; a++) {
        HPy_ssize_t count = arg_count(a, x->frame);
        if (a->kind == HPYAPI_ARG_INOUT) {
            HPy own = x->io_own[n_io];
            if (hbits(x->handles[k]) == hbits(own)) { /* left as it was */
                if (!HPy_IsNull(own))
                    HPy_Close(ctx, own);
                x->io_res[n_io++] = IO_UNCHANGED;
            } else {
                x->io_res[n_io++] =
                    _HPyAPI_ExporterResult(ctx, conv, x->handles[k]);
            }
            k++;
            continue;
        }
        for (HPy_ssize_t i = 0; i < count; i++, k++)
            if (is_output(a))
                x->objs[k] = _HPyAPI_ExporterResult(ctx, conv, x->handles[k]);
    }
    if (x->d->result_kind == HPYAPI_RES_HANDLE) {
        HPy r;
        memcpy(&r, x->frame + x->d->result_off, sizeof r);
        x->result = _HPyAPI_ExporterResult(ctx, conv, r);
    }
    if (x->d->result_kind == HPYAPI_RES_HANDLES) { /* each a new reference */
        HPy *arr;
        memcpy(&arr, x->frame + x->d->result_off, sizeof arr);
        x->res_len = arr != NULL ? x->d->result_len(x->frame) : 0;
        for (HPy_ssize_t i = 0; i < x->res_len; i++) {
            cpy_PyObject *o = _HPyAPI_ExporterResult(ctx, conv, arr[i]);
            memcpy(&arr[i], &o, sizeof o);
        }
    }
    x->status = 0;
}

static int cross_call(HPyContext *cctx, intptr_t c_off, HPyAPI_Token *tok,
                      const HPyAPI_EntryDesc *d, char *frame)
{
    HPy_ssize_t n, n_array;
    int has_outputs;
    if (count_handles(tok, d, frame, &n, &n_array, &has_outputs) < 0)
        return -1;
    if (c_off >= 0 && tok->coffset >= 0)
        return rebase_call(tok, d, frame, n_array, has_outputs,
                           tok->coffset - c_off);
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

    /* caller's handles -> PyObject*; outputs start NULL */
    HPy *outs[HPYAPI_MAX_PARAMS]; /* the caller's, per out argument */
    int n_out = 0;
    HPy_ssize_t k = 0;
    int status = 0;
    for (const HPyAPI_ArgDesc *a = d->args;
         status == 0 && a->kind != HPYAPI_ARG_END; a++) {
        const HPy *src = (const HPy *)(frame + a->off);
        HPy_ssize_t count = arg_count(a, frame);
        if (a->kind != HPYAPI_ARG_HANDLE)
            memcpy(&src, frame + a->off, sizeof src);
        if (a->kind == HPYAPI_ARG_INOUT) {
            outs[n_out++] = (HPy *)src;
            objs[k] = src != NULL ? _HPyAPI_ToPy(cctx, c_off, *src) : NULL;
            if (objs[k++] == NULL && src != NULL && !HPy_IsNull(*src))
                status = -1; /* AsPyObject raised */
            continue;
        }
        if (is_output(a)) { /* outputs start NULL */
            outs[n_out++] = (HPy *)src;
            for (HPy_ssize_t i = 0; i < count; i++, k++)
                objs[k] = NULL;
            continue;
        }
        for (HPy_ssize_t i = 0; i < count; i++, k++) {
            objs[k] = _HPyAPI_ToPy(cctx, c_off, src[i]);
            if (objs[k] == NULL && !HPy_IsNull(src[i])) {
                status = -1; /* AsPyObject raised */
                k++;
                break;
            }
        }
    }

    xcall x = {.d = d, .frame = frame, .objs = objs, .handles = handles,
               .tok = tok, .result = NULL, .status = -1,
               .has_outputs = has_outputs, .res_len = 0};
    for (int m = 0; m < HPYAPI_MAX_PARAMS; m++)
        x.io_res[m] = IO_UNCHANGED;
    if (status == 0) {
        _HPyAPI_Enter(tok, exporter_side, &x);
        status = x.status;
    }

    /* drop the references CallerToPy made (CONV_CTX); hand what the
       exporter wrote to out arguments to the caller, as its handles */
    HPy_ssize_t j = 0;
    n_out = 0;
    int n_io = 0;
    if (!has_outputs && c_off != HPYAPI_CONV_CTX)
        j = k; /* nothing to drop or to hand back */
    for (const HPyAPI_ArgDesc *a = d->args;
         a->kind != HPYAPI_ARG_END && j < k; a++) {
        HPy_ssize_t count = arg_count(a, frame);
        HPy *dst = is_output(a) ? outs[n_out++] : NULL;
        if (a->kind == HPYAPI_ARG_INOUT) { /* see IO_UNCHANGED */
            if (objs[j] != NULL && c_off == HPYAPI_CONV_CTX)
                HPYAPI_PY_DECREF(objs[j]);
            cpy_PyObject *now = x.io_res[n_io++];
            if (now != IO_UNCHANGED) { /* dst: the exporter saw no NULL */
                _HPyAPI_CallerClose(cctx, c_off, *dst);
                *dst = _HPyAPI_FromPy(cctx, c_off, now);
            }
            j++;
            continue;
        }
        for (HPy_ssize_t i = 0; i < count && j < k; i++, j++) {
            if (objs[j] == NULL)
                continue;
            if (!is_output(a)) {
                if (c_off == HPYAPI_CONV_CTX)
                    HPYAPI_PY_DECREF(objs[j]);
            } else if (dst != NULL) {
                dst[i] = _HPyAPI_FromPy(cctx, c_off, objs[j]);
            } else {
                HPYAPI_PY_DECREF(objs[j]); /* nowhere to put it */
            }
        }
    }
    if (d->result_kind == HPYAPI_RES_HANDLE) {
        HPy r = _HPyAPI_FromPy(cctx, c_off, x.result);
        memcpy(frame + d->result_off, &r, sizeof r);
    }
    if (d->result_kind == HPYAPI_RES_HANDLES && x.res_len > 0) {
        HPy *arr; /* the caller's now: its handles, in the same buffer */
        memcpy(&arr, frame + d->result_off, sizeof arr);
        for (HPy_ssize_t i = 0; i < x.res_len; i++) {
            cpy_PyObject *o;
            memcpy(&o, &arr[i], sizeof o);
            arr[i] = _HPyAPI_FromPy(cctx, c_off, o);
        }
    }
    if (objs != objs_small) {
        free(objs);
        free(handles);
    }
    return status;
}

/* The call itself, by the caller's and the exporter's context kinds. */
HPYAPI_INTERNAL int _HPyAPI_Dispatch(HPyContext *ctx, uint32_t ck,
                                     HPyAPI_Token *tok,
                                     const HPyAPI_EntryDesc *d, void *frame)
{
    if (ck == HPYAPI_KIND_CAPI) /* a C-API caller's PyObject*s are */
        ck = HPYAPI_KIND_CPYTHON; /* exactly CPython-ABI handles */
    uint32_t ek = tok->kind;
    if (ck == ek || (_HPyAPI_UniversalFamily(ck) && _HPyAPI_UniversalFamily(ek))) {
        /* same handles.  The exporter runs on its own context: the one it
           was loaded with, or for debug a valid copy of its own debug
           family (the caller's, when it shares the exporter's HPyDebugInfo;
           else a fresh one, through cross_call) */
        if (ck != HPYAPI_KIND_DEBUG) {
            d->invoke(tok->ctx, frame);
            return 0;
        }
        if (_HPyAPI_SameDebugFamily(ctx, tok->ctx)) {
            d->invoke(ctx, frame);
            return 0;
        }
    }
    if (ck == HPYAPI_KIND_UNKNOWN) {
        _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_SYSTEM,
                          "called with an HPy context named '%s', whose "
                          "handles hpyapi cannot convert (it knows the "
                          "CPython ABI, universal, debug and trace contexts)",
                          ctx->name ? ctx->name : "(null)");
        return -1;
    }
    /* how each side's handles convert, as learned when the exporter was
       bound and its consumers imported (read here, never written) */
    intptr_t c_conv = _HPyAPI_ConvNow(ctx, ck);
    intptr_t e_conv = tok->coffset >= 0 ? tok->coffset
                                        : _HPyAPI_ConvNow(tok->ctx, ek);
    int from_debug = c_conv == HPYAPI_CONV_DEBUG && e_conv >= 0;
    int to_debug = c_conv >= 0 && e_conv == HPYAPI_CONV_DEBUG;
    int rc = 1; /* 1: not for the direct path (arrays too long) */
    if (c_conv >= 0 && e_conv >= 0 && _HPyAPI_DirectShape(d))
        rc = _HPyAPI_DirectRebase(tok->ctx, e_conv - c_conv, d, (char *)frame);
    else if (from_debug && _HPyAPI_DirectShape(d))
        rc = _HPyAPI_DirectFromDebug(ctx, e_conv, tok->ctx, d, (char *)frame);
    else if (to_debug && _HPyAPI_DirectShape(d))
        rc = _HPyAPI_DirectToDebug(c_conv, tok->ctx, d, (char *)frame);
    if (rc != 1)
        return rc;
    return cross_call(ctx, c_conv, tok, d, (char *)frame);
}
