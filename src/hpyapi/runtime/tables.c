/* tables.c - a table of the exporter's functions returned to a caller
 * whose context is not the exporter's (HPyAPI_TABLE, hpyapi/structs.h;
 * NumPy's _PyDataType_GetArrFuncs).
 *
 * The exporter returns a struct of its own slot functions, which take its
 * context and its handles.  Such a caller gets instead a copy whose
 * functions are forward trampolines: cells of the same slot-type pools
 * that stand for consumers' functions (slots.c), whose records here say
 * "the exporter's function, run on the exporter's context, for whoever
 * calls".  callback.c then converts as for a callback with the roles
 * swapped: the caller's handles become objects, the exporter's own are
 * opened on its context (a fresh valid one for debug), the result comes
 * back as a new handle of the caller's (a new reference for C-API code).
 * An HPy caller's copy holds the HPy-shaped trampolines (any family: the
 * trampoline reads its caller's context), a C-API caller's the C-API ones
 * (type_CAPI; Name_CAPI).  Handle, handle-array, slot-array and struct
 * fields are NULL in a copy: they are the exporter's handles and pointers,
 * which no other context could use; values are copied.
 *
 * Lifetime: NumPy's table lives as long as the DType, and a consumer may
 * keep the pointer as long, so copies are never freed.  One exporter file
 * keeps HPYAPI_MAX_TABLES copies, keyed on (exporter, table pointer,
 * HPy or C-API caller); the same table returned again is the same copy,
 * rebuilt in place when the exporter changed the table since (a snapshot
 * of the source is kept).  Beyond that, or when a slot type's pool is full
 * (each distinct function takes one cell for good, as a registered one
 * does), the call raises RuntimeError and returns NULL.  Calls run with
 * the GIL held: no lock.
 */
#include <stdlib.h>
#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "hpyapi/structs.h"
#include "internal.h"

typedef struct {
    HPyAPI_Token *tok;
    const char *src; /* the exporter's table */
    int capi;
    char *copy;      /* what callers get */
    char *seen;      /* src when the copy was made */
} fwd_table;

static fwd_table tables[HPYAPI_MAX_TABLES];
static uint32_t n_tables;

typedef void (*fwd_fn)(void);

/* One function of field f (element i of an FNS field) into the copy. */
static int forward_fn(HPyAPI_Token *tok, const HPyAPI_EntryDesc *d,
                      const HPyAPI_StructDesc *sd, const HPyAPI_FieldDesc *f,
                      size_t at, int capi, const fwd_table *t, char *dst)
{
    fwd_fn fn;
    memcpy(&fn, t->src + at, sizeof fn);
    HPyAPI_Slot tramp = NULL;
    if (fn != NULL) {
        /* every slot type's pool has its C-API cells (ctramps): pools
           exist only in the exporter's file (HPYAPI_EXPORTER), with both */
        const HPyAPI_SlotFn *p = f->pool();
        const char *why = p->info == NULL ? "holds data"
                          : p->needs_len  ? "takes HPyAPI_SLOT_LEN arrays"
                          : p->fnout      ? "returns a function"
                          : p->info->sdesc ? "takes a struct"
                                          : NULL;
        if (why != NULL) {
            _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_TYPE,
                              "the table it returned (struct %s), field %s: "
                              "its slot type %s %s; a returned table's "
                              "functions take handles and values only",
                              sd->name, f->name,
                              p->info ? p->info->label : "?", why);
            return -1;
        }
        int rc = _HPyAPI_PoolTramp(p, fn, tok->ctx, tok->kind, tok, -1,
                                   capi ? HPYAPI_POOL_FWD_CAPI
                                        : HPYAPI_POOL_FWD,
                                   &tramp);
        if (rc == -1) {
            _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_RUNTIME,
                              "the table it returned (struct %s), field %s: "
                              "more than HPYAPI_SLOT_POOL (%u) different "
                              "functions of slot type %s crossed to or from "
                              "other contexts; define HPYAPI_SLOT_POOL as 32 "
                              "or 64 in the exporter's file",
                              sd->name, f->name, (unsigned)p->n,
                              p->info->label);
            return -1;
        }
        if (rc < 0) {
            _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_MEMORY,
                              "no memory to convert the table it returned "
                              "(struct %s)", sd->name);
            return -1;
        }
        HPyAPI_CallbackRecord *r = NULL;
        for (uint32_t j = 0; j < p->n; j++)
            if ((capi ? p->ctramps[j] : p->tramps[j]) == tramp)
                r = (HPyAPI_CallbackRecord *)p->cells[j];
        if (r != NULL)
            r->entry = d->index;
    }
    memcpy(dst + at, &tramp, sizeof tramp);
    return 0;
}

/* The copy from the source: values as they are, functions forwarded,
 * everything else NULL.  Made aside and then copied over, so that a copy
 * handed out before never holds one of the exporter's own functions. */
static int fill(HPyAPI_Token *tok, const HPyAPI_EntryDesc *d,
                const HPyAPI_StructDesc *sd, fwd_table *t)
{
    char *dst = (char *)malloc(sd->size);
    if (dst == NULL) {
        _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_MEMORY,
                          "no memory to convert the table it returned "
                          "(struct %s)", sd->name);
        return -1;
    }
    memcpy(dst, t->src, sd->size);
    for (const HPyAPI_FieldDesc *f = sd->fields; f->kind != HPYAPI_FIELD_END;
         f++) {
        size_t n = 1;
        switch (f->kind) {
        case HPYAPI_FIELD_VALUE:
            break;
        case HPYAPI_FIELD_FNS:
            n = f->size / sizeof(fwd_fn);
            /* fall through */
        case HPYAPI_FIELD_FN:
            for (size_t i = 0; i < n; i++)
                if (forward_fn(tok, d, sd, f, f->off + i * sizeof(fwd_fn),
                               t->capi, t, dst) < 0) {
                    free(dst);
                    return -1;
                }
            break;
        default: /* a handle, an array or a struct pointer: one word */
            memset(dst + f->off, 0, sizeof(void *));
        }
    }
    memcpy(t->copy, dst, sd->size);
    memcpy(t->seen, t->src, sd->size);
    free(dst);
    return 0;
}

HPYAPI_INTERNAL int _HPyAPI_ForwardTable(uint32_t kind, HPyAPI_Token *tok,
                                         const HPyAPI_EntryDesc *d,
                                         void *frame)
{
    char *at = (char *)frame + d->result_off;
    const char *src;
    memcpy(&src, at, sizeof src);
    if (src == NULL) /* the exporter failed: its exception stands */
        return 0;
    const HPyAPI_StructDesc *sd = d->result_sdesc();
    int capi = kind == HPYAPI_KIND_CAPI;
    fwd_table *t = NULL;
    for (uint32_t i = 0; i < n_tables && t == NULL; i++)
        if (tables[i].tok == tok && tables[i].src == src &&
            tables[i].capi == capi)
            t = &tables[i];
    int fresh = t == NULL;
    if (fresh) {
        if (n_tables == HPYAPI_MAX_TABLES) {
            _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_RUNTIME,
                              "the table it returned (struct %s) would be "
                              "the %uth different table this exporter file "
                              "hands to other contexts; it keeps at most "
                              "HPYAPI_MAX_TABLES (%u), each for good",
                              sd->name, (unsigned)HPYAPI_MAX_TABLES + 1,
                              (unsigned)HPYAPI_MAX_TABLES);
            goto fail;
        }
        t = &tables[n_tables];
        t->copy = (char *)calloc(1, sd->size);
        t->seen = (char *)calloc(1, sd->size);
        if (t->copy == NULL || t->seen == NULL) {
            free(t->copy);
            free(t->seen);
            _HPyAPI_RaiseCall(tok, d->index, HPYAPI_EXC_MEMORY,
                              "no memory to convert the table it returned "
                              "(struct %s)", sd->name);
            goto fail;
        }
        t->tok = tok;
        t->src = src;
        t->capi = capi;
    }
    if ((fresh || memcmp(t->seen, src, sd->size) != 0) &&
        fill(tok, d, sd, t) < 0) {
        if (fresh) { /* not kept: the next call tries again */
            free(t->copy);
            free(t->seen);
        } /* else kept, handed out before, and as it was */
        goto fail;
    }
    if (fresh)
        n_tables++;
    memcpy(at, &t->copy, sizeof t->copy);
    return 0;
fail:
    memset(at, 0, sizeof(void *));
    return -1;
}
