/* slots.c - slot functions (hpyapi/structs.h) from the exporter's side:
 * the pool trampolines that stand for a consumer's functions, and what
 * such a function receives when the exporter calls it.
 *
 * Slot functions take no user data, so each trampoline of a slot type's
 * pool reads its record from its own static cell; a record is made the
 * first time a function crosses (a spec staged by structs.c, or a
 * function a slot function returns through HPyAPI_FN_OUT) and kept for
 * the process: one per (function, caller family, exporter, registration
 * length).  When the exporter calls one, callback.c converts its handles
 * and these convert the rest: a struct parameter (Rev*), HPyAPI_SLOT_LEN
 * arrays and HPyAPI_FN_OUT functions (SlotArgs*).
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

HPYAPI_INTERNAL int _HPyAPI_PoolTramp(const HPyAPI_SlotFn *p,
                                      void (*fn)(void), HPyContext *cctx,
                                      uint32_t ckind, HPyAPI_Token *tok,
                                      HPy_ssize_t len, int fwd,
                                      HPyAPI_Slot *out)
{
    const HPyAPI_Slot *tramps =
        fwd == HPYAPI_POOL_FWD_CAPI ? p->ctramps : p->tramps;
    uint32_t free_cell = p->n;
    *out = NULL;
    for (uint32_t j = 0; j < p->n; j++) {
        HPyAPI_CallbackRecord *r = (HPyAPI_CallbackRecord *)p->cells[j];
        if (r == NULL) {
            if (free_cell == p->n)
                free_cell = j;
            continue;
        }
        if (r->fn == fn && r->ckind == ckind && r->tok == tok &&
            r->len == len && r->fwd == (fwd != HPYAPI_POOL_REV)) {
            *out = tramps[j];
            return 0;
        }
    }
    if (free_cell == p->n)
        return -1;
    HPyAPI_CallbackRecord *r = (HPyAPI_CallbackRecord *)calloc(1, sizeof *r);
    if (r == NULL)
        return -2;
    r->magic = HPYAPI_CB_ALIVE;
    r->info = p->info;
    r->fn = fn;
    r->cctx = cctx;
    r->ckind = ckind;
    r->tok = tok;
    r->len = len;
    r->pool = p;
    r->fwd = fwd != HPYAPI_POOL_REV;
    p->cells[free_cell] = r;
    *out = tramps[free_cell];
    return 0;
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
    HPy_ssize_t slot_len; /* what HPyAPI_SLOT_LEN stands for */
    size_t n;             /* handles, fields then array elements in order */
    cpy_PyObject **objs;
    HPy *arrays;          /* the copies of HANDLES arrays, back to back */
};

#define REV_MAX_HANDLES 4096

/* a HANDLES field's length, HPyAPI_SLOT_LEN the registration's */
static HPy_ssize_t rev_len(const HPyAPI_StructDesc *sd, const char *s,
                           size_t off, HPy_ssize_t slot_len)
{
    HPy_ssize_t n = sd->len(s, off);
    return n == HPyAPI_SLOT_LEN ? slot_len : n;
}

/* the handles of src in order, into objs (NULL: count them only) */
static size_t rev_walk(const HPyAPI_StructDesc *sd, const char *src,
                       HPy_ssize_t slot_len, HPyContext *ectx,
                       intptr_t e_conv, cpy_PyObject **objs, int *failed)
{
    size_t k = 0;
    for (const HPyAPI_FieldDesc *f = sd->fields; f->kind != HPYAPI_FIELD_END;
         f++) {
        HPy_ssize_t n = 1;
        const HPy *h = (const HPy *)(const void *)(src + f->off);
        if (f->kind == HPYAPI_FIELD_HANDLES) {
            n = rev_len(sd, src, f->off, slot_len);
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
                                               HPy_ssize_t slot_len,
                                               void *ptr_at,
                                               const char *label)
{
    const char *src;
    memcpy(&src, ptr_at, sizeof src);
    HPyAPI_RevStage *st = (HPyAPI_RevStage *)calloc(1, sizeof *st);
    if (st == NULL || src == NULL)
        return st;
    int failed = 0;
    st->n = rev_walk(sd, src, slot_len, ectx, e_conv, NULL, &failed);
    if (failed) {
        free(st);
        rev_raise(ectx, HPYAPI_EXC_VALUE, "%s: struct %s has a handle "
                  "array of a negative or huge length, or NULL with a "
                  "length (HPyAPI_SLOT_LEN: its function was not registered "
                  "through a SLOTS_N field)", label, sd->name);
        return NULL;
    }
    st->sd = sd;
    st->slot_len = slot_len;
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
    size_t done = rev_walk(sd, src, slot_len, ectx, e_conv, st->objs, &failed);
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
            size_t n = (size_t)rev_len(st->sd, st->copy, f->off, st->slot_len);
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
            size_t n = (size_t)rev_len(st->sd, st->copy, f->off, st->slot_len);
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

/* ---- HPyAPI_SLOT_LEN arrays and HPyAPI_FN_OUT functions -----------------
 * The exporter calls a slot function with arrays of its own handles, the
 * length being the one the function was registered with (rec->len), and
 * with a pointer where the function writes a function of another slot
 * type.  In: lent arrays become objects on the exporter's side; Open:
 * handles of the consumer's, and zeroed arrays to fill; Close, after the
 * consumer's call: lent handles closed, filled ones turned into new
 * references; End, on the exporter's side: those become the exporter's
 * handles in its arrays, a returned function becomes a pool trampoline of
 * its slot type for the same consumer and length, everything is freed. */
struct HPyAPI_SlotArgs {
    const HPyAPI_CallbackRecord *rec;
    HPy_ssize_t len;
    int n;
    struct {
        const HPyAPI_ArgDesc *a;
        void *orig;          /* the exporter's pointer */
        cpy_PyObject **objs; /* len objects (new references when owned) */
        HPy *mine;           /* the consumer's handles */
    } arg[HPYAPI_MAX_CB_PARAMS];
};

static int slot_arg(const HPyAPI_ArgDesc *a)
{
    return a->kind == HPYAPI_ARG_ARRAY || a->kind == HPYAPI_ARG_OUTARRAY ||
           a->kind == HPYAPI_ARG_FNOUT;
}

static void sa_free(HPyAPI_SlotArgs *sa, intptr_t e_conv)
{
    for (int k = 0; k < sa->n; k++) {
        /* lent objects are references only through AsPyObject; filled
           ones not handed over are new references */
        int owned = sa->arg[k].a->kind == HPYAPI_ARG_OUTARRAY ||
                    e_conv == HPYAPI_CONV_CTX;
        for (HPy_ssize_t i = 0; owned && sa->arg[k].objs && i < sa->len; i++)
            if (sa->arg[k].objs[i] != NULL)
                HPYAPI_PY_DECREF(sa->arg[k].objs[i]);
        free(sa->arg[k].objs);
        free(sa->arg[k].mine);
    }
    free(sa);
}

HPYAPI_INTERNAL int _HPyAPI_SlotArgsIn(HPyContext *ectx, intptr_t e_conv,
                                       const HPyAPI_CallbackRecord *rec,
                                       const HPyAPI_CallbackInfo *info,
                                       char *frame, HPyAPI_SlotArgs **out)
{
    *out = NULL;
    int arrays = 0, any = 0;
    for (const HPyAPI_ArgDesc *a = info->args; a->kind != HPYAPI_ARG_END; a++) {
        any += slot_arg(a);
        arrays += slot_arg(a) && a->kind != HPYAPI_ARG_FNOUT;
    }
    if (!any)
        return 0;
    if (arrays && (rec->len < 0 || rec->len > 4096)) {
        rev_raise(ectx, HPYAPI_EXC_VALUE, "%s: its HPyAPI_SLOT_LEN arrays "
                  "have no length (%zd): the function was not registered "
                  "through a SLOTS_N field", info->label, rec->len);
        return -1;
    }
    HPyAPI_SlotArgs *sa = (HPyAPI_SlotArgs *)calloc(1, sizeof *sa);
    if (sa == NULL)
        goto nomem;
    sa->rec = rec;
    sa->len = rec->len < 0 ? 0 : rec->len;
    for (const HPyAPI_ArgDesc *a = info->args; a->kind != HPYAPI_ARG_END; a++) {
        if (!slot_arg(a))
            continue;
        int k = sa->n++;
        sa->arg[k].a = a;
        memcpy(&sa->arg[k].orig, frame + a->off, sizeof(void *));
        if (a->kind == HPYAPI_ARG_FNOUT)
            continue;
        sa->arg[k].objs =
            (cpy_PyObject **)calloc((size_t)sa->len + 1, sizeof(void *));
        sa->arg[k].mine = (HPy *)calloc((size_t)sa->len + 1, sizeof(HPy));
        if (sa->arg[k].objs == NULL || sa->arg[k].mine == NULL) {
            sa_free(sa, e_conv);
            goto nomem;
        }
        if (sa->arg[k].orig == NULL && sa->len > 0) {
            rev_raise(ectx, HPYAPI_EXC_VALUE, "%s: got NULL for an array of "
                      "%zd handles", info->label, sa->len);
            sa_free(sa, e_conv);
            return -1;
        }
        if (a->kind != HPYAPI_ARG_ARRAY)
            continue;
        const HPy *h = (const HPy *)sa->arg[k].orig;
        for (HPy_ssize_t i = 0; i < sa->len; i++) {
            sa->arg[k].objs[i] = _HPyAPI_CallerToPy(ectx, e_conv, h[i]);
            if (sa->arg[k].objs[i] == NULL && !HPy_IsNull(h[i])) {
                sa_free(sa, e_conv); /* AsPyObject raised */
                return -1;
            }
        }
    }
    *out = sa;
    return 0;
nomem:
    rev_raise(ectx, HPYAPI_EXC_MEMORY, "%s: no memory to convert its arrays",
              info->label);
    return -1;
}

HPYAPI_INTERNAL int _HPyAPI_SlotArgsOpen(HPyContext *cctx, intptr_t c_conv,
                                         HPyAPI_SlotArgs *sa, char *frame)
{
    int rc = 0;
    for (int k = 0; sa != NULL && k < sa->n; k++) {
        const HPyAPI_ArgDesc *a = sa->arg[k].a;
        if (a->kind == HPYAPI_ARG_FNOUT)
            continue;
        HPy *mine = sa->arg[k].mine;
        for (HPy_ssize_t i = 0; a->kind == HPYAPI_ARG_ARRAY && i < sa->len;
             i++)
            if (sa->arg[k].objs[i] != NULL &&
                HPy_IsNull(mine[i] = _HPyAPI_ExporterOpen(
                               cctx, c_conv, sa->arg[k].objs[i])))
                rc = -1; /* out of memory: Close closes what opened */
        void *p = sa->arg[k].orig ? (void *)mine : NULL;
        memcpy(frame + a->off, &p, sizeof p);
    }
    return rc;
}

HPYAPI_INTERNAL void _HPyAPI_SlotArgsClose(HPyContext *cctx, intptr_t c_conv,
                                           HPyAPI_SlotArgs *sa, int ran)
{
    for (int k = 0; sa != NULL && k < sa->n; k++) {
        HPy *mine = sa->arg[k].mine;
        for (HPy_ssize_t i = 0; mine != NULL && i < sa->len; i++) {
            if (HPy_IsNull(mine[i]))
                continue;
            if (sa->arg[k].a->kind == HPYAPI_ARG_ARRAY)
                _HPyAPI_ExporterClose(cctx, c_conv, mine[i]);
            else if (ran) /* a new handle of the consumer's: consumed */
                sa->arg[k].objs[i] = _HPyAPI_ExporterResult(cctx, c_conv,
                                                            mine[i]);
            mine[i] = HPy_NULL;
        }
    }
}

HPYAPI_INTERNAL int _HPyAPI_SlotArgsEnd(HPyContext *ectx, intptr_t e_conv,
                                        HPyAPI_SlotArgs *sa, int ran)
{
    if (sa == NULL)
        return 0;
    const HPyAPI_CallbackRecord *rec = sa->rec;
    int rc = 0;
    for (int k = 0; ran && k < sa->n; k++) {
        const HPyAPI_ArgDesc *a = sa->arg[k].a;
        if (a->kind == HPYAPI_ARG_OUTARRAY && sa->arg[k].orig != NULL) {
            HPy *dst = (HPy *)sa->arg[k].orig;
            for (HPy_ssize_t i = 0; i < sa->len; i++) {
                dst[i] = _HPyAPI_CallerFromPy(ectx, e_conv,
                                              sa->arg[k].objs[i]);
                sa->arg[k].objs[i] = NULL; /* consumed */
            }
        } else if (a->kind == HPYAPI_ARG_FNOUT && sa->arg[k].orig != NULL) {
            void (*fn)(void);
            memcpy(&fn, sa->arg[k].orig, sizeof fn);
            if (fn == NULL)
                continue;
            const HPyAPI_SlotFn *p =
                rec->pool && rec->pool->fnout ? rec->pool->fnout() : NULL;
            HPyAPI_Slot t = NULL;
            int got = p == NULL ? -3
                                : _HPyAPI_PoolTramp(p, fn, rec->cctx,
                                                    rec->ckind, rec->tok,
                                                    rec->len, HPYAPI_POOL_REV,
                                                    &t);
            memcpy(sa->arg[k].orig, &t, sizeof t); /* NULL on failure */
            if (got == -1)
                rev_raise(ectx, HPYAPI_EXC_RUNTIME, "%s: the function it "
                          "returned needs a reverse trampoline, and more "
                          "than HPYAPI_SLOT_POOL (%u) different functions of "
                          "slot type %s came from other contexts",
                          rec->info->label, (unsigned)p->n, p->info->label);
            else if (got < 0)
                rev_raise(ectx, got == -2 ? HPYAPI_EXC_MEMORY
                                          : HPYAPI_EXC_SYSTEM,
                          "%s: cannot keep the function it returned",
                          rec->info->label);
            if (got < 0)
                rc = -1;
        }
    }
    sa_free(sa, e_conv);
    return rc;
}
