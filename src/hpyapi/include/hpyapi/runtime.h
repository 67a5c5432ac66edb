/* hpyapi/runtime.h - the contract between generated trampolines and the
 * runtime (src/hpyapi/runtime).
 *
 * Internal.  Needs <hpy.h> first.  Everything here is compiled into each
 * extension with that extension's own HPy ABI, so a "token" is private to
 * one exporting module and the runtime functions are hidden symbols.
 */
#ifndef HPYAPI_RUNTIME_H
#define HPYAPI_RUNTIME_H

#include "hpyapi/common.h"

#if defined(HPY_ABI_CPYTHON)
#define HPYAPI_BUILD_ABI HPYAPI_ABI_CPYTHON
#elif defined(HPY_ABI_HYBRID)
#define HPYAPI_BUILD_ABI HPYAPI_ABI_HYBRID
#else
#define HPYAPI_BUILD_ABI HPYAPI_ABI_UNIVERSAL
#endif

/* Where the handles of one call sit in its frame (a struct generated per
 * entry that holds the arguments and the result). */
#define HPYAPI_ARG_END 0u
#define HPYAPI_ARG_HANDLE 1u /* an HPy at `off` */
#define HPYAPI_ARG_ARRAY 2u  /* a const HPy * at `off`, its length at `len_off` */
typedef struct HPyAPI_ArgDesc {
    uint8_t kind;
    uint16_t off;
    uint16_t len_off;
} HPyAPI_ArgDesc;

/* Result kinds */
#define HPYAPI_RES_NONE 0u   /* void */
#define HPYAPI_RES_VALUE 1u  /* passed back unchanged */
#define HPYAPI_RES_HANDLE 2u /* converted to the caller's context */

typedef struct HPyAPI_EntryDesc {
    uint32_t index;
    uint8_t result_kind;
    uint16_t result_off;
    /* calls the exporter's function with the frame's (already converted)
       arguments and stores its result in the frame */
    void (*invoke)(HPyContext *ctx, void *frame);
    const HPyAPI_ArgDesc *args;
} HPyAPI_EntryDesc;

/* Exporter-private state, one per exported API (per HPyAPI_DEFINE).
 *
 * `fast[i]` is what the HPy trampoline of entry i compares the caller's
 * `ctx->name` with: the name pointer of the exporter's context family (or,
 * for a CPython-ABI exporter, of the last CPython-ABI caller's .so), or
 * NULL to send every call through _HPyAPI_Call (hooks, not yet bound).
 * `alt[i]` is a second name, learned by the slow path, of contexts whose
 * handles the exporter's own context accepts (another .so's CPython-ABI
 * context, trace for universal and back): such calls go straight to the
 * implementation with the exporter's context.  `rebase[i]` is a third,
 * learned likewise, of contexts whose handles become the exporter's by
 * adding `delta` (CPython-ABI <-> universal on CPython): the slow path
 * then calls the implementation directly too.  All three are NULL while
 * the entry has hooks.
 *
 * `cdirect[i]` lets the CPython-API trampoline of entry i call the
 * implementation directly, turning each PyObject* into a handle by adding
 * `coffset`: 0 for a CPython-ABI exporter (a handle is the PyObject*), 1 for
 * a universal or trace exporter on CPython (checked at bind time, see
 * transform.c).  0 for a debug exporter, whose handles must be opened. */
typedef struct {
    const char *name;
    intptr_t delta;
} HPyAPI_Rebase;

typedef struct HPyAPI_Token {
    const char **fast;
    const char **alt;
    HPyAPI_Rebase *rebase;
    unsigned char *cdirect;
    uint32_t n_entries;
    uint32_t kind;    /* HPYAPI_KIND_* of `ctx` */
    intptr_t coffset; /* -1: no direct CPython-API calls */
    HPyContext *ctx;  /* the context the exporter was loaded with */
    const char *family; /* ctx->name: shared by a whole context family */
    const HPyAPI_Spec *(*get_spec)(void);
    const HPyAPI_Slot *slots; /* per entry: its trampoline or retired stub */
    HPyAPI_Header *header;    /* of the HPy table */
    HPyAPI_Header *cheader;   /* of the CPython-API table */
    void *ctable;             /* the CPython-API table (filled statically) */
    const char *attr, *capsule, *cattr, *ccapsule; /* where they are published */
    struct HPyAPI_Hooks *hooks; /* NULL until a hook is first set */
} HPyAPI_Token;

/* Slow path of every trampoline: classify the caller's context, convert
 * handles if the families differ, call.  Returns 0 when the exporter's
 * function ran (its own error return is in the frame), -1 when the call
 * could not be made and a Python exception is set. */
HPYAPI_INTERNAL int _HPyAPI_Call(HPyContext *ctx, HPyAPI_Token *tok,
                                 const HPyAPI_EntryDesc *d, void *frame,
                                 const void *caller_pc);

/* The same for a caller whose context kind is known: the CPython-API
 * trampolines call it with HPYAPI_KIND_CAPI and no context (their
 * PyObject* arguments are exactly CPython-ABI handles).  `caller_pc` is
 * where the call came from, for hooks that count per calling module. */
HPYAPI_INTERNAL int _HPyAPI_CallKind(HPyContext *ctx, uint32_t kind,
                                     HPyAPI_Token *tok,
                                     const HPyAPI_EntryDesc *d, void *frame,
                                     const void *caller_pc);

/* Records the context the exporter was loaded with.  Idempotent. */
HPYAPI_INTERNAL void _HPyAPI_Bind(HPyAPI_Token *tok, HPyContext *load_ctx);

/* Raises, in the caller's thread, the error for calling retired entry idx. */
HPYAPI_INTERNAL void _HPyAPI_RaiseRetired(HPyAPI_Token *tok, uint32_t idx);

/* Checks and publishes the HPy table and the CPython-API table. */
HPYAPI_INTERNAL int _HPyAPI_Export(HPyContext *ctx, HPyContext *load_ctx,
                                   HPy module, HPyAPI_Token *tok, void *table);

HPYAPI_INTERNAL void *_HPyAPI_Import(HPyContext *ctx, const char *module,
                                     const HPyAPI_Spec *spec,
                                     uint32_t min_minor, uint32_t table_kind,
                                     const char *attr,
                                     const char *capsule_name);

HPYAPI_INTERNAL void _HPyAPI_RaiseUnimported(HPyContext *ctx,
                                             const HPyAPI_Use *use,
                                             const char *entry);

/* PyObject* <-> handle bits for the CPython-API trampolines: a handle is
 * the object's address plus `k` (NULL stays NULL).  Ownership passes
 * unchanged, as in HPy's own trampolines. */
static inline HPy _HPyAPI_HandleOfPy(struct _object *o, intptr_t k)
{
    intptr_t b = (intptr_t)o + (o != NULL ? k : 0);
    HPy h;
    memcpy(&h, &b, sizeof h);
    return h;
}

/* A handle moved into another encoding: its bits plus `delta` (NULL stays
 * NULL). */
static inline HPy _HPyAPI_Rebase(HPy h, intptr_t delta)
{
    intptr_t b;
    memcpy(&b, &h, sizeof b);
    b += b != 0 ? delta : 0;
    memcpy(&h, &b, sizeof h);
    return h;
}

/* `src` (n handles, or n PyObject*: the same bits) rebased by `delta` into
 * `buf`; `src` itself when delta is 0. */
static inline const HPy *_HPyAPI_RebaseArray(HPy *buf, const void *src,
                                             HPy_ssize_t n, intptr_t delta)
{
    if (delta == 0)
        return (const HPy *)src;
    for (HPy_ssize_t i = 0; i < n; i++)
        buf[i] = _HPyAPI_Rebase(((const HPy *)src)[i], delta);
    return buf;
}

static inline struct _object *_HPyAPI_PyOfHandle(HPy h, intptr_t k)
{
    intptr_t b;
    memcpy(&b, &h, sizeof b);
    return (struct _object *)(b != 0 ? b - k : 0);
}

#endif /* HPYAPI_RUNTIME_H */
