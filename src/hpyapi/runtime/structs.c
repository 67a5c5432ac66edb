/* structs.c - struct parameters (hpyapi/structs.h) for a caller whose
 * context is not the exporter's own.
 *
 * call.c stages such a call before anything else sees it: the frame and
 * every struct it reaches are copied into one buffer, and the copy's
 * handles are described to the transform as ordinary arguments of the
 * call -- a HANDLE field is a handle argument, a HANDLES field an array
 * whose length sits in the buffer, an OUT field an out-handle through a
 * pointer the invoke wrapper writes -- so that every route (same family,
 * rebase, cross family, hooks) converts them as it converts parameters,
 * and the exporter sees a copy in its own context.  Functions (FN fields,
 * SLOTS arrays) are replaced by reverse trampolines of the slot type's
 * pool: slot functions take no user data, so each trampoline reads its
 * record from its own static cell (hpyapi/structs.h).  Records live for
 * the process, one per (function, caller family, exporter): an exporter
 * may keep what a spec registers, as NumPy keeps a loop's functions.
 *
 * The buffer starts with a pointer to the stage, then the frame, so that
 * the invoke wrapper finds its OUT fields from the frame pointer alone.
 * Offsets into it are the descriptors' 16 bits: at most 64 KiB of
 * structs, arrays of slots and pointers per call.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "hpyapi/structs.h"
#include "internal.h"
#include "cpython.h"

#define BUF_LIMIT 65535u
#define HEAD 16u         /* the stage pointer, before the frame */
#define MAX_DEPTH 8      /* structs within structs */
#define MAX_SLOTS 1024   /* entries of one SLOTS array, or one STRUCTS */
#define MAX_OUTS 32
#define MAX_STRUCTS 256 /* staged per call */

struct HPyAPI_StructStage {
    HPyContext *ctx; /* the caller's, NULL for a C-API one */
    uint32_t kind;
    HPyAPI_Token *tok;
    const HPyAPI_EntryDesc *orig;
    HPyAPI_EntryDesc desc;
    HPyAPI_ArgDesc *args;
    size_t nargs, cap_args;
    char *buf, *frame;
    size_t used; /* bytes of the frame's side of the buffer in use */
    uint16_t out_field[MAX_OUTS], out_slot[MAX_OUTS];
    int nouts;
    /* every struct copied: the caller's, where its copy is, what it is */
    struct {
        char *src;
        uint16_t off;
        const HPyAPI_StructDesc *sd;
    } staged[MAX_STRUCTS];
    int nstaged;
};

static void raise_at(HPyAPI_StructStage *st, int exc, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    _HPyAPI_RaiseCall(st->tok, st->orig->index, exc, "%s", msg);
}

/* size bytes of the buffer, 8-aligned: their offset from the frame, or
 * -1 when the call's structs do not fit */
static long alloc(HPyAPI_StructStage *st, size_t size)
{
    size_t at = (st->used + 7u) & ~(size_t)7u;
    if (at + size > BUF_LIMIT - HEAD)
        return -1;
    st->used = at + size;
    memset(st->frame + at, 0, size);
    return (long)at;
}

/* -3: no memory */
static int add_arg(HPyAPI_StructStage *st, uint8_t kind, size_t off,
                   size_t len_off, uint8_t len_type)
{
    if (st->nargs + 2 > st->cap_args) {
        size_t cap = st->cap_args * 2 + 16;
        HPyAPI_ArgDesc *a =
            (HPyAPI_ArgDesc *)realloc(st->args, cap * sizeof *a);
        if (a == NULL)
            return -3;
        st->args = a;
        st->cap_args = cap;
    }
    HPyAPI_ArgDesc d = {kind, (uint16_t)off, (uint16_t)len_off, len_type};
    st->args[st->nargs++] = d;
    return 0;
}

/* The pool trampoline standing for fn, made once per (fn, family,
 * exporter); NULL with an exception set when the pool is used up. */
static HPyAPI_Slot pool_tramp(HPyAPI_StructStage *st, const HPyAPI_SlotFn *p,
                              void (*fn)(void), const char *sname,
                              const char *field)
{
    uint32_t free_cell = p->n;
    for (uint32_t j = 0; j < p->n; j++) {
        HPyAPI_CallbackRecord *r = (HPyAPI_CallbackRecord *)p->cells[j];
        if (r == NULL) {
            if (free_cell == p->n)
                free_cell = j;
            continue;
        }
        if (r->fn == fn && r->ckind == st->kind && r->tok == st->tok)
            return p->tramps[j];
    }
    if (free_cell == p->n) {
        raise_at(st, HPYAPI_EXC_RUNTIME,
                 "struct %s, field %s: more than HPYAPI_SLOT_POOL (%u) "
                 "different functions of slot type %s were passed from "
                 "other contexts; each keeps a reverse trampoline for the "
                 "life of the process", sname, field, (unsigned)p->n,
                 p->info->label);
        return NULL;
    }
    HPyAPI_CallbackRecord *r = (HPyAPI_CallbackRecord *)calloc(1, sizeof *r);
    if (r == NULL) {
        raise_at(st, HPYAPI_EXC_MEMORY, "no memory to keep struct %s, "
                 "field %s", sname, field);
        return NULL;
    }
    r->magic = HPYAPI_CB_ALIVE;
    r->info = p->info;
    r->fn = fn;
    r->cctx = st->ctx;
    r->ckind = st->kind;
    r->tok = st->tok;
    p->cells[free_cell] = r;
    return p->tramps[free_cell];
}

static int stage_struct(HPyAPI_StructStage *st, const HPyAPI_StructDesc *sd,
                        size_t ptr_off, int depth);

/* a copy of the SLOTS array at ptr_off, its functions replaced */
static int stage_slots(HPyAPI_StructStage *st, const HPyAPI_StructDesc *sd,
                       const HPyAPI_FieldDesc *f, size_t ptr_off)
{
    HPyAPI_TypeSlot *src;
    memcpy(&src, st->frame + ptr_off, sizeof src);
    if (src == NULL)
        return 0;
    size_t n = 0;
    while (n < MAX_SLOTS && (src[n].slot != 0 || src[n].pfunc != NULL))
        n++;
    long at = alloc(st, (n + 1) * sizeof *src);
    if (at < 0 || n == MAX_SLOTS) {
        raise_at(st, HPYAPI_EXC_VALUE, "struct %s, field %s: more slots than "
                 "fit (%d at most, ending with {0, NULL})", sd->name,
                 f->name, MAX_SLOTS);
        return -1;
    }
    HPyAPI_TypeSlot *dst = (HPyAPI_TypeSlot *)(void *)(st->frame + at);
    memcpy(dst, src, (n + 1) * sizeof *src);
    memcpy(st->frame + ptr_off, &dst, sizeof dst);
    for (size_t i = 0; i < n; i++) {
        const HPyAPI_SlotId *id = (const HPyAPI_SlotId *)f->more;
        while (id->fn != NULL && id->id != dst[i].slot)
            id++;
        if (id->fn == NULL) {
            raise_at(st, HPYAPI_EXC_VALUE, "struct %s, field %s: unknown "
                     "slot id %d (the declaration's SLOTS list has no "
                     "such id)", sd->name, f->name, dst[i].slot);
            return -1;
        }
        if (dst[i].pfunc == NULL)
            continue;
        void (*fn)(void);
        memcpy(&fn, &dst[i].pfunc, sizeof fn);
        HPyAPI_Slot t = pool_tramp(st, id->fn, fn, sd->name, f->name);
        if (t == NULL)
            return -1;
        memcpy(&dst[i].pfunc, &t, sizeof t);
    }
    return 0;
}

static int stage_field(HPyAPI_StructStage *st, const HPyAPI_StructDesc *sd,
                       const HPyAPI_FieldDesc *f, const char *src, size_t off,
                       int depth)
{
    size_t at = off + f->off; /* the field in the copy */
    switch (f->kind) {
    case HPYAPI_FIELD_HANDLE:
        return add_arg(st, HPYAPI_ARG_HANDLE, at, 0, 0);
    case HPYAPI_FIELD_OUT: { /* an out-handle pointing at the caller's field */
        long slot = alloc(st, sizeof(HPy *));
        if (slot < 0 || st->nouts == MAX_OUTS)
            return -2;
        HPy *dst = (HPy *)(void *)(src + f->off);
        memcpy(st->frame + slot, &dst, sizeof dst);
        memset(st->frame + at, 0, sizeof(HPy)); /* the exporter writes it */
        st->out_field[st->nouts] = (uint16_t)at;
        st->out_slot[st->nouts++] = (uint16_t)slot;
        return add_arg(st, HPYAPI_ARG_OUT, (size_t)slot, 0, 0);
    }
    case HPYAPI_FIELD_HANDLES: {
        long len = alloc(st, sizeof(HPy_ssize_t));
        if (len < 0)
            return -2;
        HPy_ssize_t n = sd->len(st->frame + off, f->off);
        memcpy(st->frame + len, &n, sizeof n);
        return add_arg(st, HPYAPI_ARG_ARRAY, at, (size_t)len, 0);
    }
    case HPYAPI_FIELD_FN: {
        void (*fn)(void);
        memcpy(&fn, st->frame + at, sizeof fn);
        if (fn == NULL)
            return 0;
        HPyAPI_Slot t = pool_tramp(st, (const HPyAPI_SlotFn *)f->more, fn,
                                   sd->name, f->name);
        if (t == NULL)
            return -1;
        memcpy(st->frame + at, &t, sizeof t);
        return 0;
    }
    case HPYAPI_FIELD_SLOTS:
        return stage_slots(st, sd, f, at);
    case HPYAPI_FIELD_STRUCT:
        return stage_struct(st, f->nested(), at, depth + 1);
    case HPYAPI_FIELD_STRUCTS: {
        void **arr;
        memcpy(&arr, st->frame + at, sizeof arr);
        if (arr == NULL)
            return 0;
        size_t n = 0;
        while (n < MAX_SLOTS && arr[n] != NULL)
            n++;
        long copy = alloc(st, (n + 1) * sizeof *arr);
        if (copy < 0 || n == MAX_SLOTS)
            return -2;
        memcpy(st->frame + copy, arr, (n + 1) * sizeof *arr);
        void *p = st->frame + copy;
        memcpy(st->frame + at, &p, sizeof p);
        for (size_t i = 0; i < n; i++) {
            int rc = stage_struct(st, f->nested(),
                                  (size_t)copy + i * sizeof *arr, depth + 1);
            if (rc < 0)
                return rc;
        }
        return 0;
    }
    default:
        return 0;
    }
}

/* The fields of the caller's struct src, copied at off.  -1: an
 * exception is set; -2: it does not fit, -3: no memory (raised by
 * _HPyAPI_StageStructs). */
static int stage_fields(HPyAPI_StructStage *st, const HPyAPI_StructDesc *sd,
                        const char *src, size_t off, int depth)
{
    if (st->nstaged == MAX_STRUCTS)
        return -2;
    st->staged[st->nstaged].src = (char *)src;
    st->staged[st->nstaged].off = (uint16_t)off;
    st->staged[st->nstaged++].sd = sd;
    for (const HPyAPI_FieldDesc *f = sd->fields; f->kind != HPYAPI_FIELD_END;
         f++) {
        int rc = stage_field(st, sd, f, src, off, depth);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int too_deep(HPyAPI_StructStage *st, const HPyAPI_StructDesc *sd,
                    int depth)
{
    if (depth <= MAX_DEPTH)
        return 0;
    raise_at(st, HPYAPI_EXC_VALUE, "struct %s: structs nested more than %d "
             "deep (a cycle?)", sd->name, MAX_DEPTH);
    return 1;
}

/* Copies the struct the pointer at ptr_off points to, points it at the
 * copy, and stages its fields (see stage_fields). */
static int stage_struct(HPyAPI_StructStage *st, const HPyAPI_StructDesc *sd,
                        size_t ptr_off, int depth)
{
    const char *src;
    memcpy(&src, st->frame + ptr_off, sizeof src);
    if (src == NULL)
        return 0;
    if (too_deep(st, sd, depth))
        return -1;
    long off = alloc(st, sd->size);
    if (off < 0)
        return -2;
    memcpy(st->frame + off, src, sd->size);
    void *copy = st->frame + off;
    memcpy(st->frame + ptr_off, &copy, sizeof copy);
    return stage_fields(st, sd, src, (size_t)off, depth);
}

/* the end of an HPyAPI_STRUCTS list: every declared field zero */
static int is_end(const HPyAPI_StructDesc *sd, const char *p)
{
    for (const HPyAPI_FieldDesc *f = sd->fields; f->kind != HPYAPI_FIELD_END;
         f++) {
        size_t n = f->kind == HPYAPI_FIELD_VALUE ? f->size : sizeof(void *);
        for (size_t i = 0; i < n; i++)
            if (p[f->off + i] != 0)
                return 0;
    }
    return 1;
}

/* ... an HPyAPI_STRUCTS list: the array up to its all-zero end */
static int stage_list(HPyAPI_StructStage *st, const HPyAPI_StructDesc *sd,
                      size_t ptr_off)
{
    const char *src;
    memcpy(&src, st->frame + ptr_off, sizeof src);
    if (src == NULL)
        return 0;
    size_t n = 0;
    while (n < MAX_SLOTS && !is_end(sd, src + n * sd->size))
        n++;
    long off = n < MAX_SLOTS ? alloc(st, (n + 1) * sd->size) : -1;
    if (off < 0)
        return -2;
    memcpy(st->frame + off, src, (n + 1) * sd->size);
    void *copy = st->frame + off;
    memcpy(st->frame + ptr_off, &copy, sizeof copy);
    for (size_t i = 0; i < n; i++) {
        int rc = stage_fields(st, sd, src + i * sd->size,
                              (size_t)off + i * sd->size, 0);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The exporter's function, then what it wrote to OUT fields, through
 * the out-handle pointers the transform converts for the caller. */
static void invoke_staged(HPyContext *ctx, void *frame)
{
    HPyAPI_StructStage *st;
    memcpy(&st, (char *)frame - HEAD, sizeof st);
    st->orig->invoke(ctx, frame);
    for (int i = 0; i < st->nouts; i++) { /* unwritten ones stay */
        HPy *dst, h;
        memcpy(&dst, (char *)frame + st->out_slot[i], sizeof dst);
        memcpy(&h, (char *)frame + st->out_field[i], sizeof h);
        if (!HPy_IsNull(h))
            *dst = h;
    }
}

/* the frame's size, which kinds/struct.h's CBARG puts in ud_off */
static size_t frame_size(const HPyAPI_EntryDesc *d)
{
    for (const HPyAPI_CallbackArg *c = d->callbacks; c->info != NULL; c++)
        if (c->info->sdesc != NULL)
            return c->ud_off;
    return 0;
}

HPYAPI_INTERNAL int _HPyAPI_HasStructs(const HPyAPI_EntryDesc *d)
{
    for (const HPyAPI_CallbackArg *c = d->callbacks; c->info != NULL; c++)
        if (c->info->sdesc != NULL)
            return 1;
    return 0;
}

HPYAPI_INTERNAL int _HPyAPI_StageStructs(HPyContext *ctx, uint32_t kind,
                                         HPyAPI_Token *tok,
                                         const HPyAPI_EntryDesc **d,
                                         void **frame,
                                         HPyAPI_StructStage **out)
{
    HPyAPI_StructStage *st = (HPyAPI_StructStage *)calloc(1, sizeof *st);
    char *buf = st ? (char *)malloc(HEAD + BUF_LIMIT) : NULL;
    if (buf == NULL) {
        free(st);
        _HPyAPI_RaiseCall(tok, (*d)->index, HPYAPI_EXC_MEMORY,
                          "no memory to convert its structs");
        return -1;
    }
    st->ctx = kind == HPYAPI_KIND_CAPI ? NULL : ctx;
    st->kind = kind;
    st->tok = tok;
    st->orig = *d;
    st->buf = buf;
    st->frame = buf + HEAD;
    memcpy(buf, &st, sizeof st);
    size_t fsize = frame_size(st->orig);
    memcpy(st->frame, *frame, fsize);
    st->used = fsize;
    int rc = 0;
    for (const HPyAPI_ArgDesc *a = st->orig->args;
         rc == 0 && a->kind != HPYAPI_ARG_END; a++)
        rc = add_arg(st, a->kind, a->off, a->len_off, a->len_type);
    for (const HPyAPI_CallbackArg *c = st->orig->callbacks;
         rc == 0 && c->info != NULL; c++)
        if (c->info->sdesc != NULL)
            rc = c->info->kept == HPYAPI_SF_LIST
                     ? stage_list(st, c->info->sdesc(), c->fn_off)
                     : stage_struct(st, c->info->sdesc(), c->fn_off, 0);
    if (rc == 0)
        rc = add_arg(st, HPYAPI_ARG_END, 0, 0, 0);
    if (rc == -2)
        _HPyAPI_RaiseCall(tok, st->orig->index, HPYAPI_EXC_VALUE,
                          "its structs, with their arrays, need more than "
                          "the %u bytes hpyapi converts in one call",
                          BUF_LIMIT);
    if (rc == -3)
        _HPyAPI_RaiseCall(tok, st->orig->index, HPYAPI_EXC_MEMORY,
                          "no memory to convert its structs");
    if (rc < 0) {
        _HPyAPI_EndStructs(st, NULL);
        return -1;
    }
    st->desc = *st->orig;
    st->desc.args = st->args;
    st->desc.invoke = invoke_staged;
    *d = &st->desc;
    *frame = st->frame;
    *out = st;
    return 0;
}

HPYAPI_INTERNAL void _HPyAPI_EndStructs(HPyAPI_StructStage *st, void *frame)
{
    /* VALUE fields the exporter changed, back in the caller's structs
       (those it did not change are not written: a spec may be const) */
    for (int i = 0; frame != NULL && i < st->nstaged; i++)
        for (const HPyAPI_FieldDesc *f = st->staged[i].sd->fields;
             f->kind != HPYAPI_FIELD_END; f++) {
            const char *now = st->frame + st->staged[i].off + f->off;
            char *was = st->staged[i].src + f->off;
            if (f->kind == HPYAPI_FIELD_VALUE && memcmp(was, now, f->size))
                memcpy(was, now, f->size);
        }
    /* the result, for the trampoline: the frame's last member */
    if (frame != NULL && st->orig->result_kind != HPYAPI_RES_NONE)
        memcpy((char *)frame + st->orig->result_off,
               st->frame + st->orig->result_off,
               frame_size(st->orig) - st->orig->result_off);
    free(st->args);
    free(st->buf);
    free(st);
}

/* ---- the other way: a struct a slot function receives -------------------
 * The exporter calls a slot function with a struct of its own handles
 * (NumPy's strided loops take a PyArrayMethod_Context *).  callback.c
 * copies it on the exporter's side, its HANDLE fields and HANDLES arrays
 * turned into objects (RevIn), opens them in the consumer's context on
 * the consumer's side (RevOpen), closes them after the call (RevClose)
 * and drops the objects and the copy (RevEnd).  Other fields pass as they
 * are. */
static void rev_raise(HPyContext *ctx, int exc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    _HPyAPI_SetErrorV(ctx, exc, "hpyapi: ", fmt, ap);
    va_end(ap);
}

struct HPyAPI_RevStage {
    char *copy;
    const HPyAPI_StructDesc *sd;
    size_t n;             /* handles, fields then array elements in order */
    cpy_PyObject **objs;
    HPy *arrays;          /* the copies of HANDLES arrays, back to back */
};

#define REV_MAX_HANDLES 4096

/* the handles of src in order, into objs (NULL: count them only) */
static size_t rev_walk(const HPyAPI_StructDesc *sd, const char *src,
                       HPyContext *ectx, intptr_t e_conv, cpy_PyObject **objs,
                       int *failed)
{
    size_t k = 0;
    for (const HPyAPI_FieldDesc *f = sd->fields; f->kind != HPYAPI_FIELD_END;
         f++) {
        HPy_ssize_t n = 1;
        const HPy *h = (const HPy *)(const void *)(src + f->off);
        if (f->kind == HPYAPI_FIELD_HANDLES) {
            n = sd->len(src, f->off);
            memcpy(&h, src + f->off, sizeof h);
            if (n < 0 || n > REV_MAX_HANDLES || (n > 0 && h == NULL)) {
                *failed = 1;
                return k;
            }
        } else if (f->kind != HPYAPI_FIELD_HANDLE) {
            continue;
        }
        for (HPy_ssize_t i = 0; i < n; i++, k++)
            if (objs != NULL) {
                objs[k] = _HPyAPI_CallerToPy(ectx, e_conv, h[i]);
                if (objs[k] == NULL && !HPy_IsNull(h[i]))
                    *failed = 1;
            }
    }
    return k;
}

HPYAPI_INTERNAL HPyAPI_RevStage *_HPyAPI_RevIn(HPyContext *ectx,
                                               intptr_t e_conv,
                                               const HPyAPI_StructDesc *sd,
                                               void *ptr_at,
                                               const char *label)
{
    const char *src;
    memcpy(&src, ptr_at, sizeof src);
    HPyAPI_RevStage *st = (HPyAPI_RevStage *)calloc(1, sizeof *st);
    if (st == NULL || src == NULL)
        return st;
    int failed = 0;
    st->n = rev_walk(sd, src, ectx, e_conv, NULL, &failed);
    if (failed) {
        free(st);
        rev_raise(ectx, HPYAPI_EXC_VALUE, "%s: struct %s "
                         "has a handle array of a negative or huge length, "
                         "or NULL with a length", label, sd->name);
        return NULL;
    }
    st->sd = sd;
    st->copy = (char *)malloc(sd->size);
    st->objs = (cpy_PyObject **)calloc(st->n + 1, sizeof *st->objs);
    st->arrays = (HPy *)calloc(st->n + 1, sizeof *st->arrays);
    if (st->copy == NULL || st->objs == NULL || st->arrays == NULL) {
        _HPyAPI_RevEnd(e_conv, st);
        rev_raise(ectx, HPYAPI_EXC_MEMORY, "%s: no "
                         "memory to convert struct %s", label, sd->name);
        return NULL;
    }
    memcpy(st->copy, src, sd->size);
    size_t done = rev_walk(sd, src, ectx, e_conv, st->objs, &failed);
    (void)done;
    if (failed) { /* AsPyObject raised */
        _HPyAPI_RevEnd(e_conv, st);
        return NULL;
    }
    void *copy = st->copy;
    memcpy(ptr_at, &copy, sizeof copy);
    return st;
}

/* writes handle k of the walk into the copy (its field or array slot) */
static void rev_put(HPyAPI_RevStage *st, HPy h, size_t k)
{
    size_t j = 0, a = 0;
    for (const HPyAPI_FieldDesc *f = st->sd->fields;
         f->kind != HPYAPI_FIELD_END; f++) {
        if (f->kind == HPYAPI_FIELD_HANDLE) {
            if (j++ == k) {
                memcpy(st->copy + f->off, &h, sizeof h);
                return;
            }
        } else if (f->kind == HPYAPI_FIELD_HANDLES) {
            size_t n = (size_t)st->sd->len(st->copy, f->off);
            HPy *arr = st->arrays + a;
            if (k < j + n) {
                arr[k - j] = h;
                memcpy(st->copy + f->off, &arr, sizeof arr);
                return;
            }
            if (n == 0) /* an empty array: the staged one, never NULL */
                memcpy(st->copy + f->off, &arr, sizeof arr);
            j += n;
            a += n;
        }
    }
}

HPYAPI_INTERNAL int _HPyAPI_RevOpen(HPyContext *cctx, intptr_t c_conv,
                                    HPyAPI_RevStage *st)
{
    int rc = 0;
    for (size_t k = 0; st->copy != NULL && k < st->n; k++) {
        HPy h = HPy_NULL;
        if (st->objs[k] != NULL &&
            HPy_IsNull(h = _HPyAPI_ExporterOpen(cctx, c_conv, st->objs[k])))
            rc = -1; /* out of memory: the slot stays NULL */
        rev_put(st, h, k);
    }
    return rc;
}

HPYAPI_INTERNAL void _HPyAPI_RevClose(HPyContext *cctx, intptr_t c_conv,
                                      HPyAPI_RevStage *st)
{
    size_t k = 0, a = 0;
    for (const HPyAPI_FieldDesc *f = st->sd ? st->sd->fields : NULL;
         f != NULL && f->kind != HPYAPI_FIELD_END; f++) {
        if (f->kind == HPYAPI_FIELD_HANDLE) {
            HPy h;
            memcpy(&h, st->copy + f->off, sizeof h);
            if (st->objs[k++] != NULL && !HPy_IsNull(h))
                _HPyAPI_ExporterClose(cctx, c_conv, h);
        } else if (f->kind == HPYAPI_FIELD_HANDLES) {
            size_t n = (size_t)st->sd->len(st->copy, f->off);
            for (size_t i = 0; i < n; i++, k++)
                if (st->objs[k] != NULL && !HPy_IsNull(st->arrays[a + i]))
                    _HPyAPI_ExporterClose(cctx, c_conv, st->arrays[a + i]);
            a += n;
        }
    }
}

HPYAPI_INTERNAL void _HPyAPI_RevEnd(intptr_t e_conv, HPyAPI_RevStage *st)
{
    if (st == NULL)
        return;
    for (size_t k = 0; e_conv == HPYAPI_CONV_CTX && st->objs && k < st->n; k++)
        if (st->objs[k] != NULL)
            HPYAPI_PY_DECREF(st->objs[k]);
    free(st->copy);
    free(st->objs);
    free(st->arrays);
    free(st);
}
