/* routes.c - how each caller reaches an exporter, decided before it calls.
 *
 * The one place that answers "which path for this (entry, caller)".  It
 * writes, and nothing else does:
 *
 *  - the tables a consumer calls through.  HPyAPI_Import asks the
 *    exporter (HPyAPI_Control.table_for) for the table of the context
 *    instance the consumer's code calls with, and keeps a pointer to it;
 *    by that context, against the exporter's:
 *
 *      caller's context                       table   slot holds
 *      the exporter's own instance (*)        OWN     the implementation
 *      same family, other instance; trace     XCTX    impl(exporter's ctx)
 *        <-> universal (alike handles)
 *      CPython ABI <-> universal/trace        REBASE  handles + delta
 *      anything else (debug <-> other, ...)   ANY     generic trampoline
 *
 *    (*) universal, hybrid, trace: the same context pointer (a VM may give
 *    each extension its own instance); CPython ABI: any CPython-ABI
 *    context, as they are stateless static copies (name, version and
 *    constants, no state: one per C file), so any of them serves; debug:
 *    any debug context of the same HPyDebugInfo (hpy's debug mode has one
 *    root and 16 copies sharing it, handed to functions per call, not per
 *    module: a valid copy the caller holds is exactly what HPy itself
 *    would pass the exporter).  Entries with callbacks take ANY in the
 *    XCTX table, so that callbacks are wrapped and run on the consumer's
 *    own context.
 *
 *  - each entry's HPyAPI_Route: the exporter's context, the rebase delta,
 *    the CPython-API offset, and per caller kind whether the generic path
 *    converts that pair in place (direct.c).  Written when the exporter is
 *    bound, when a consumer imports (which is when a family's handle
 *    encoding becomes known) and when hooks change; only read on the call
 *    path, so call 1 and call 1,000,000 take the same path and calls write
 *    no shared memory.
 *
 *  - hooks: while an entry has any, every table's slot for it is the
 *    generic trampoline, which reaches hooks.c; clearing them puts the
 *    routed slots back.  Slots are stored atomically, pointer-sized, and
 *    consumers read them through their table pointer on every call.
 */
#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"
#include "uctx.h"

/* Per caller kind: the offset of the side that is not debug when one side
 * is debug and the other's handles are offsets (both encodings known). */
static int8_t direct_pair(HPyAPI_Token *tok, uint32_t ck)
{
    uint32_t ek = tok->kind;
    intptr_t c = _HPyAPI_ConvNow(NULL, ck == HPYAPI_KIND_CAPI
                                           ? HPYAPI_KIND_CPYTHON : ck);
    intptr_t e = tok->coffset >= 0 ? tok->coffset : _HPyAPI_ConvNow(NULL, ek);
    if (c == HPYAPI_CONV_DEBUG && e >= 0 && ek != HPYAPI_KIND_DEBUG)
        return (int8_t)e;
    if (e == HPYAPI_CONV_DEBUG && c >= 0 && ck != HPYAPI_KIND_DEBUG)
        return (int8_t)c;
    return HPYAPI_NO_DIRECT;
}

/* The delta the REBASE table adds, 0 if that table is not routed. */
static intptr_t rebase_delta(HPyAPI_Token *tok)
{
    if (tok->kind == HPYAPI_KIND_CPYTHON &&
        _HPyAPI_ConvNow(NULL, HPYAPI_KIND_UNIVERSAL) == 1)
        return -1;
    if (_HPyAPI_UniversalFamily(tok->kind) && tok->coffset == 1)
        return 1;
    return 0;
}

static void set_route(HPyAPI_Token *tok, HPyAPI_Route *r,
                      const HPyAPI_EntryDesc *d, int hooked)
{
    /* only entries of handles, input arrays and values convert in place */
    int direct = d != NULL && _HPyAPI_DirectShape(d);
    r->arrays = HPYAPI_ARRAYS_NONE;
    for (const HPyAPI_ArgDesc *a = d != NULL ? d->args : NULL;
         a != NULL && a->kind != HPYAPI_ARG_END; a++)
        if (a->kind == HPYAPI_ARG_ARRAY)
            r->arrays = HPYAPI_ARRAYS_SOME;
    if (r->arrays && d->args[0].kind == HPYAPI_ARG_ARRAY &&
        d->args[0].len_type == 0 && d->args[1].kind == HPYAPI_ARG_END)
        r->arrays = HPYAPI_ARRAYS_ONE;
    r->tok = tok;
    r->ctx = tok->ctx;
    r->delta = rebase_delta(tok);
    /* a returned array of handles, or table, converts in the slow path
       only */
    r->coffset = hooked || (d != NULL && (d->result_kind == HPYAPI_RES_HANDLES ||
                                          d->result_kind == HPYAPI_RES_TABLE))
                     ? -1
                     : tok->coffset;
    for (uint32_t k = 0; k < HPYAPI_N_KINDS; k++)
        r->direct[k] = hooked || !direct || tok->ctx == NULL ||
                               k == HPYAPI_KIND_UNKNOWN
                           ? HPYAPI_NO_DIRECT
                           : direct_pair(tok, k);
}

static void store_slot(HPyAPI_Slot *at, HPyAPI_Slot v)
{
#if defined(__GNUC__)
    __atomic_store_n(at, v, __ATOMIC_RELEASE);
#else
    *at = v;
#endif
}

typedef struct {
    int callbacks; /* the entry has callback parameters (or a table) */
    int rebase;    /* the REBASE table is routed (a delta is known) */
    int table;     /* it returns a table (kind V's rtramp would not copy) */
} HPyAPI_RouteFlags;

/* What table t's slot for entry i holds now. */
static HPyAPI_Slot slot_for(HPyAPI_Token *tok, uint32_t t, uint32_t i,
                            const HPyAPI_EntryInfo *e, int hooked,
                            const HPyAPI_RouteFlags *f)
{
    const HPyAPI_EntrySlots *s = &tok->slots[i];
    if (e->flags == HPYAPI_ENTRY_DATA) { /* the variable's address */
        HPyAPI_Slot v;
        memcpy(&v, (char *)tok->ctable + (i + 1) * sizeof(void *), sizeof v);
        return v;
    }
    if (hooked || e->flags == HPYAPI_ENTRY_RETIRED)
        return s->any;
    switch (t) {
    case HPYAPI_TABLE_OWN:
        return s->impl;
    case HPYAPI_TABLE_XCTX:
        return f->callbacks ? s->any : s->xctx;
    case HPYAPI_TABLE_REBASE:
        return f->rebase && !f->table ? s->rebase : s->any;
    default:
        return s->any;
    }
}

/* Routes and table slots follow the entries' hooks and what is known of
 * the encodings; hooks.c calls this whenever an entry's hooks change. */
HPYAPI_INTERNAL void _HPyAPI_RefreshFastPaths(HPyAPI_Token *tok)
{
    const HPyAPI_Spec *spec = tok->get_spec();
    size_t width = 1 + (size_t)tok->n_entries;
    tok->routed = _HPyAPI_conv_generation;
    for (uint32_t i = 0; i < tok->n_entries; i++) {
        int hooked = _HPyAPI_EntryHooked(tok, i);
        set_route(tok, tok->routes[i], tok->slots[i].desc, hooked);
        if (tok->ctx == NULL)
            continue; /* not bound: no table handed out yet */
        HPyAPI_RouteFlags f = {
            tok->slots[i].desc != NULL &&
                _HPyAPI_HasCallbacks(tok->slots[i].desc),
            tok->routes[i]->delta != 0,
            tok->slots[i].desc != NULL &&
                tok->slots[i].desc->result_kind == HPYAPI_RES_TABLE};
        for (uint32_t t = 0; t < HPYAPI_N_TABLES; t++)
            store_slot(&tok->tables[t * width + 1 + i],
                       slot_for(tok, t, i, &spec->entries[i], hooked, &f));
    }
}

/* Records the context the module was loaded with (`valid_ctx`, its
 * HPy_mod_exec one, is valid now: with it the exporter's own encoding is
 * learned).  Loading the same file again in another mode re-runs
 * HPy_mod_exec and so rebinds. */
HPYAPI_INTERNAL void _HPyAPI_Bind(HPyAPI_Token *tok, HPyContext *valid_ctx,
                                  HPyContext *load_ctx)
{
    tok->ctx = load_ctx;
    tok->kind = _HPyAPI_KindOf(load_ctx);
    _HPyAPI_LearnConv(valid_ctx, tok->kind);
    tok->coffset = _HPyAPI_ConvNow(NULL, tok->kind);
    if (tok->coffset < 0)
        tok->coffset = -1;
    size_t width = 1 + (size_t)tok->n_entries;
    for (uint32_t t = 0; t < HPYAPI_N_TABLES; t++)
        memcpy(&tok->tables[t * width], &tok->header, sizeof(void *));
    _HPyAPI_RefreshFastPaths(tok);
}

/* Which table serves a caller whose code calls with `cctx`. */
static uint32_t table_class(HPyAPI_Token *tok, uint32_t ck, HPyContext *cctx)
{
    uint32_t ek = tok->kind;
    if (ck == ek && ck == HPYAPI_KIND_CPYTHON)
        return HPYAPI_TABLE_OWN;
    if (ck == ek && ck == HPYAPI_KIND_DEBUG)
        return _HPyAPI_SameDebugFamily(cctx, tok->ctx) ? HPYAPI_TABLE_OWN
                   : HPYAPI_TABLE_ANY;
    if (ck == ek && _HPyAPI_UniversalFamily(ck) && cctx == tok->ctx)
        return HPYAPI_TABLE_OWN;
    if (_HPyAPI_UniversalFamily(ck) && _HPyAPI_UniversalFamily(ek))
        return HPYAPI_TABLE_XCTX;
    if ((ek == HPYAPI_KIND_CPYTHON && _HPyAPI_UniversalFamily(ck)) ||
        (ck == HPYAPI_KIND_CPYTHON && _HPyAPI_UniversalFamily(ek)))
        return HPYAPI_TABLE_REBASE; /* its slots fall back to ANY's */
    return HPYAPI_TABLE_ANY;
}

/* HPyAPI_Control.table_for: a consumer's import. */
HPYAPI_INTERNAL const void *_HPyAPI_TableFor(void *token, void *valid_ctx,
                                             void *call_ctx)
{
    HPyAPI_Token *tok = (HPyAPI_Token *)token;
    HPyContext *cctx = (HPyContext *)call_ctx;
    if (tok->ctx == NULL || cctx == NULL)
        return tok->table;
    uint32_t ck = _HPyAPI_KindOf(cctx);
    if (ck == HPYAPI_KIND_UNKNOWN)
        return tok->table;
    /* what the consumer's family encodes, learned with its valid context,
       then every route that depends on it */
    _HPyAPI_LearnConv((HPyContext *)valid_ctx, ck);
    if (tok->routed != _HPyAPI_conv_generation)
        _HPyAPI_RefreshFastPaths(tok);
    uint32_t t = table_class(tok, ck, cctx);
    if (t == HPYAPI_TABLE_ANY)
        return tok->table;
    return &tok->tables[t * (1 + (size_t)tok->n_entries)];
}
