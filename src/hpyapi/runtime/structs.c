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
 * pool (slots.c), with the length a SLOTS_N field gives them; so is an
 * (HPyAPI_FN(type), f) parameter, staged as the frame's one FN field.
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
#define MAX_SLOT_LEN 1024 /* handles per HPyAPI_SLOT_LEN array */

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

/* The pool trampoline standing for fn (slots.c), NULL with an exception
 * set; len: the struct's SLOTS_N length, -1 for none.  sname NULL: an
 * (HPyAPI_FN(type), f) parameter (kinds/fn.h), `field` its name. */
static HPyAPI_Slot pool_tramp(HPyAPI_StructStage *st, const HPyAPI_SlotFn *p,
                              void (*fn)(void), HPy_ssize_t len,
                              const char *sname, const char *field)
{
    char where[160];
    if (sname != NULL)
        snprintf(where, sizeof where, "struct %s, field %s", sname, field);
    else
        snprintf(where, sizeof where, "parameter %s", field);
    if (p->needs_len && len < 0) { /* a parameter's is a compile error */
        raise_at(st, HPYAPI_EXC_TYPE, "%s: slot type %s takes "
                 "HPyAPI_SLOT_LEN arrays; declare the field F(SLOTS_N, "
                 "(list, length), %s)", where, p->info->label, field);
        return NULL;
    }
    HPyAPI_Slot t = NULL;
    int rc = _HPyAPI_PoolTramp(p, fn, st->ctx, st->kind, st->tok, len,
                               HPYAPI_POOL_REV, &t);
    if (rc == -1)
        raise_at(st, HPYAPI_EXC_RUNTIME,
                 "%s: more than HPYAPI_SLOT_POOL (%u) different functions "
                 "of slot type %s were passed from other contexts; each "
                 "keeps a reverse trampoline for the life of the process",
                 where, (unsigned)p->n, p->info->label);
    else if (rc < 0)
        raise_at(st, HPYAPI_EXC_MEMORY, "no memory to keep %s", where);
    return t;
}

static int stage_struct(HPyAPI_StructStage *st, const HPyAPI_StructDesc *sd,
                        size_t ptr_off, int depth);

/* a copy of the SLOTS array of the struct copied at off, its functions
 * replaced; a SLOTS_N field's length goes with them */
static int stage_slots(HPyAPI_StructStage *st, const HPyAPI_StructDesc *sd,
                       const HPyAPI_FieldDesc *f, size_t off)
{
    size_t ptr_off = off + f->off;
    HPyAPI_TypeSlot *src;
    memcpy(&src, st->frame + ptr_off, sizeof src);
    if (src == NULL)
        return 0;
    HPy_ssize_t len = sd->len(st->frame + off, f->off);
    if (len == HPYAPI_SF_NO_LEN) { /* SLOTS: no length */
        len = -1;
    } else if (len < 0 || len > MAX_SLOT_LEN) {
        raise_at(st, HPYAPI_EXC_VALUE, "struct %s, field %s: its functions "
                 "would take arrays of %zd handles (SLOTS_N's length must "
                 "be 0 to %d)", sd->name, f->name, len,
                 MAX_SLOT_LEN);
        return -1;
    }
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
        const HPyAPI_SlotId *id = f->ids;
        while (id->fn != NULL && id->id != dst[i].slot)
            id++;
        if (id->fn == NULL) {
            raise_at(st, HPYAPI_EXC_VALUE, "struct %s, field %s: unknown "
                     "slot id %d (the declaration's SLOTS list has no "
                     "such id)", sd->name, f->name, dst[i].slot);
            return -1;
        }
        const HPyAPI_SlotFn *p = id->fn();
        if (dst[i].pfunc == NULL || p->n == 0) /* HPyAPI_SLOT_DATA */
            continue;
        void (*fn)(void);
        memcpy(&fn, &dst[i].pfunc, sizeof fn);
        HPyAPI_Slot t = pool_tramp(st, p, fn, len, sd->name, f->name);
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
        HPyAPI_Slot t = pool_tramp(st, f->pool(), fn, -1, sd->name, f->name);
        if (t == NULL)
            return -1;
        memcpy(st->frame + at, &t, sizeof t);
        return 0;
    }
    case HPYAPI_FIELD_FNS: /* each function, as FN */
        for (size_t i = 0; i < f->size / sizeof(void (*)(void)); i++) {
            void (*fn)(void);
            char *el = st->frame + at + i * sizeof fn;
            memcpy(&fn, el, sizeof fn);
            if (fn == NULL)
                continue;
            HPyAPI_Slot t = pool_tramp(st, f->pool(), fn, -1, sd->name,
                                       f->name);
            if (t == NULL)
                return -1;
            memcpy(el, &t, sizeof t);
        }
        return 0;
    case HPYAPI_FIELD_SLOTS:
        return stage_slots(st, sd, f, off);
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
        size_t n = f->kind == HPYAPI_FIELD_VALUE || f->kind == HPYAPI_FIELD_FNS
                       ? f->size
                       : sizeof(void *);
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

/* An (HPyAPI_FN(type), f, HPyAPI_LEN_EXPR(e)) parameter (kinds/fn.h):
 * the function at off, e in the next word, which the pool record keeps as
 * a SLOTS_N length. */
static int stage_fn_len(HPyAPI_StructStage *st, const HPyAPI_FieldDesc *f,
                        size_t off)
{
    void (*fn)(void);
    HPy_ssize_t len;
    memcpy(&fn, st->frame + off, sizeof fn);
    memcpy(&len, st->frame + off + sizeof fn, sizeof len);
    if (fn == NULL)
        return 0;
    if (len < 0 || len > MAX_SLOT_LEN) {
        raise_at(st, HPYAPI_EXC_VALUE, "parameter %s: its function would "
                 "take arrays of %zd handles (HPyAPI_LEN_EXPR's length must "
                 "be 0 to %d)", f->name, len, MAX_SLOT_LEN);
        return -1;
    }
    HPyAPI_Slot t = pool_tramp(st, f->pool(), fn, len, NULL, f->name);
    if (t == NULL)
        return -1;
    memcpy(st->frame + off, &t, sizeof t);
    return 0;
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
        if (c->info->kept == HPYAPI_SF_FNPARAM) /* the frame's function */
            rc = stage_field(st, c->info->sdesc(), c->info->sdesc()->fields,
                             NULL, c->fn_off, 0);
        else if (c->info->kept == HPYAPI_SF_FNPARAM_LEN)
            rc = stage_fn_len(st, c->info->sdesc()->fields, c->fn_off);
        else if (c->info->sdesc != NULL)
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

/* the functions of size bytes at `now` that are NULL, NULL at `was` */
static void clear_cleared(char *was, const char *now, size_t size)
{
    static const char null_fn[sizeof(void (*)(void))];
    for (size_t at = 0; at + sizeof null_fn <= size; at += sizeof null_fn)
        if (!memcmp(now + at, null_fn, sizeof null_fn) &&
            memcmp(was + at, null_fn, sizeof null_fn))
            memset(was + at, 0, sizeof null_fn);
}

HPYAPI_INTERNAL void _HPyAPI_EndStructs(HPyAPI_StructStage *st, void *frame)
{
    /* VALUE fields the exporter changed, back in the caller's structs
       (those it did not change are not written: a spec may be const),
       and functions it cleared (NumPy's PyArray_InitArrFuncs): a function
       it wrote is its own, which the caller could not call */
    for (int i = 0; frame != NULL && i < st->nstaged; i++)
        for (const HPyAPI_FieldDesc *f = st->staged[i].sd->fields;
             f->kind != HPYAPI_FIELD_END; f++) {
            const char *now = st->frame + st->staged[i].off + f->off;
            char *was = st->staged[i].src + f->off;
            if (f->kind == HPYAPI_FIELD_VALUE && memcmp(was, now, f->size))
                memcpy(was, now, f->size);
            if (f->kind == HPYAPI_FIELD_FN || f->kind == HPYAPI_FIELD_FNS)
                clear_cleared(was, now, f->kind == HPYAPI_FIELD_FN
                                            ? sizeof(void (*)(void))
                                            : f->size);
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
