/* hpyapi/runtime.h - the contract between generated trampolines and the
 * runtime (src/hpyapi/runtime).
 *
 * Generated code only: nothing here is for users (the public macros are
 * in decl.h, trampoline.h, consumer.h, capi.h and legacy.h).  It holds what
 * generated code calls and the layouts it must know to define its static
 * records (descriptors, routes, tokens); the runtime's own declarations
 * are in runtime/internal.h.  Needs <hpy.h> first.  Everything here is compiled into each
 * extension with that extension's own HPy ABI, so a "token" is private to
 * one exporting module and the runtime functions are hidden symbols.
 */
#ifndef HPYAPI_RUNTIME_H
#define HPYAPI_RUNTIME_H

#include "hpyapi/common.h"

/* Where the handles of one call sit in its frame (a struct generated per
 * entry that holds the arguments and the result). */
#define HPYAPI_ARG_END 0u
#define HPYAPI_ARG_HANDLE 1u /* an HPy at `off` */
#define HPYAPI_ARG_ARRAY 2u  /* a const HPy * at `off`, its length at `len_off` */
#define HPYAPI_ARG_OUT 3u    /* an HPy * the exporter writes a new handle to */
#define HPYAPI_ARG_OUTARRAY 4u /* an HPy * of `len_off` handles it fills */
/* an HPy * whose handle the caller owns and the exporter may replace,
   closing it (HPyAPI_INOUT) */
#define HPYAPI_ARG_INOUT 5u
/* a slot function's struct parameter (hpyapi/structs.h): a pointer at
   `off` to the struct HPyAPI_CallbackInfo.sdesc describes */
#define HPYAPI_ARG_STRUCTP 6u
/* a slot function's HPyAPI_FN_OUT parameter: a pointer at `off` to where
   the consumer writes a function (runtime/slots.c) */
#define HPYAPI_ARG_FNOUT 7u
typedef struct HPyAPI_ArgDesc {
    uint8_t kind;
    uint16_t off;
    uint16_t len_off;
    /* what sits at len_off: 0 for an HPy_ssize_t (an array declared with
       its own length), else a length named by HPyAPI_LEN, of any integer
       type: its size in bytes, | HPYAPI_LEN_SIGNED if signed
       (HPYAPI_LEN_DESC in decl.h) */
    uint8_t len_type;
} HPyAPI_ArgDesc;
#define HPYAPI_LEN_SIGNED 0x80u
/* a slot function's array of HPyAPI_SLOT_LEN handles (ARRAY, OUTARRAY):
   the length its function was registered with */
#define HPYAPI_LEN_SLOT 0x40u

/* Result kinds */
#define HPYAPI_RES_NONE 0u   /* void */
#define HPYAPI_RES_VALUE 1u  /* passed back unchanged */
#define HPYAPI_RES_HANDLE 2u /* converted to the caller's context */
/* an HPy * of result_len(frame) new handles (HPyAPI_RETURNS_<Entry>),
   converted in place, element by element */
#define HPYAPI_RES_HANDLES 3u
/* a pointer to a struct of the exporter's slot functions (HPyAPI_TABLE,
   hpyapi/structs.h): another context's caller gets a converted copy */
#define HPYAPI_RES_TABLE 4u

/* ---- callbacks (hpyapi/callback.h, runtime/callback.c) ------------------
 * Per callback parameter of an entry, generated in the exporter: */
typedef struct HPyAPI_CallbackInfo {
    const char *label;  /* "Entry(param)", for errors */
    HPyAPI_Slot rtramp; /* what the exporter receives for another family */
    /* call the consumer's function from a frame whose handles are already
       the consumer's: an HPy consumer's (in ctx), a C-API consumer's */
    void (*invoke)(HPyContext *ctx, void *frame);
    void (*cinvoke)(HPyContext *unused, void *frame);
    uint8_t result_kind;
    uint16_t result_off;
    const HPyAPI_ArgDesc *args; /* the handles in the frame */
    uint8_t kept;               /* HPyAPI_KEPT_CB: the exporter may keep it */
    /* an entry's struct parameter (hpyapi/structs.h), not a callback:
       its descriptor, and the entry's HPyAPI_CallbackArg holds where the
       pointer is (fn_off) and the frame's size (ud_off).  A slot type's:
       the struct its HPYAPI_ARG_STRUCTP parameter points to, or NULL */
    const struct HPyAPI_StructDesc *(*sdesc)(void);
} HPyAPI_CallbackInfo;

/* Where an entry's frame holds a callback and its user data. */
typedef struct HPyAPI_CallbackArg {
    uint16_t fn_off, ud_off;
    const HPyAPI_CallbackInfo *info; /* NULL ends the list */
} HPyAPI_CallbackArg;

/* The start of every callback frame: whose function to call, with what. */
typedef struct HPyAPI_CallbackHead {
    void (*fn)(void);
    void *ud;
} HPyAPI_CallbackHead;

typedef struct HPyAPI_EntryDesc {
    uint32_t index;
    uint8_t result_kind;
    uint16_t result_off;
    /* calls the exporter's function with the frame's (already converted)
       arguments and stores its result in the frame */
    void (*invoke)(HPyContext *ctx, void *frame);
    const HPyAPI_ArgDesc *args;
    const HPyAPI_CallbackArg *callbacks; /* ends with info == NULL */
    /* HPYAPI_RES_HANDLES: the array's length, after the call */
    HPy_ssize_t (*result_len)(const void *frame);
    /* HPYAPI_RES_TABLE: the struct's descriptor */
    const struct HPyAPI_StructDesc *(*result_sdesc)(void);
} HPyAPI_EntryDesc;

/* ---- routes ------------------------------------------------------------------
 * A context's family word: the first eight bytes of its `name`.  Every
 * context of one family starts its name alike in every module ("HPy CPyt",
 * "HPy Univ", "HPy Debu", "HPy Trac"), while the name *pointer* differs
 * between CPython-ABI modules (one static context per module), so the
 * word, not the pointer, tells callers apart.  Every HPy context's name is
 * a string of at least eight characters. */
static inline uint64_t _HPyAPI_CtxWord(HPyContext *ctx)
{
    uint64_t w;
    memcpy(&w, ctx->name, sizeof w);
    return w;
}

/* Per entry, the one routing record (written only by runtime/routes.c:
 * when the exporter is bound, when a consumer imports and when the
 * entry's hooks change; only read on the call path).  Which table slot a
 * consumer calls is decided at its import (HPyAPI_Token.tables); the
 * generic trampoline's callers are told apart by family word, and
 * `direct` says, per caller kind, whether that pair's handles convert
 * in place (runtime/direct.c): the offset (PyObject* + offset) of the side
 * that is not debug, or HPYAPI_NO_DIRECT.  An entry with hooks has no
 * direct pair and every table's slot is its generic trampoline. */
typedef struct HPyAPI_Route {
    HPyContext *ctx;  /* the exporter's context */
    struct HPyAPI_Token *tok; /* NULL until HPyAPI_Export */
    intptr_t delta;   /* the rebase table's callers: handle + delta is ours */
    intptr_t coffset; /* CPython-API callers: PyObject* + coffset is our
                         handle; -1: convert through the slow path */
    int8_t direct[HPYAPI_N_KINDS];
    uint8_t arrays; /* the direct path stages handle arrays (direct.c):
                       HPYAPI_ARRAYS_* (runtime/internal.h) */
} HPyAPI_Route;
#define HPYAPI_NO_DIRECT (-128)
#define HPYAPI_ROUTE_INIT                                                      \
    {NULL, NULL, 0, -1,                                                        \
     {HPYAPI_NO_DIRECT, HPYAPI_NO_DIRECT, HPYAPI_NO_DIRECT, HPYAPI_NO_DIRECT,  \
      HPYAPI_NO_DIRECT, HPYAPI_NO_DIRECT},                                     \
     0}
HPYAPI_STATIC_ASSERT(HPYAPI_N_KINDS == 6,
                     "HPYAPI_ROUTE_INIT lists one HPYAPI_NO_DIRECT per kind");

/* Per entry, what each table may hold (generated by HPyAPI_DEFINE):
 *   impl    the implementation itself, for callers whose context is the
 *           exporter's own (the same instance; any CPython-ABI context)
 *   xctx    calls impl with the exporter's context: callers of its family
 *           on another instance, and trace <-> universal (same handles)
 *   rebase  adds HPyAPI_Route.delta to every handle (CPython ABI <->
 *           universal/trace), else goes on as `any`
 *   any     the generic trampoline: packs a frame and calls _HPyAPI_Call
 * Data entries have none (their slot is the variable's address). */
typedef struct HPyAPI_EntrySlots {
    HPyAPI_Slot impl, xctx, rebase, any;
    const struct HPyAPI_EntryDesc *desc; /* NULL: retired, data */
} HPyAPI_EntrySlots;

/* The tables an exporter hands out, by the caller's class (routes.c);
 * HPYAPI_TABLE_ANY is the exporter's own, filled with HPy_AsAPI. */
#define HPYAPI_TABLE_OWN 0u
#define HPYAPI_TABLE_XCTX 1u
#define HPYAPI_TABLE_REBASE 2u
#define HPYAPI_TABLE_ANY 3u
#define HPYAPI_N_TABLES HPYAPI_TABLE_ANY /* the static ones, before it */

/* Exporter-private state, one per exported API (per HPyAPI_DEFINE). */
typedef struct HPyAPI_Token {
    HPyAPI_Route *const *routes; /* per entry */
    uint32_t n_entries;
    uint32_t kind;    /* HPYAPI_KIND_* of `ctx` */
    intptr_t coffset; /* PyObject* -> handle offset of `ctx`, -1: convert */
    HPyContext *ctx;  /* the context the exporter was loaded with */
    const HPyAPI_Spec *(*get_spec)(void);
    const HPyAPI_EntrySlots *slots; /* per entry */
    HPyAPI_Header *header;    /* of the HPy table */
    HPyAPI_Header *cheader;   /* of the CPython-API table */
    void *ctable;             /* the CPython-API table (filled statically) */
    const char *attr, *capsule, *cattr, *ccapsule; /* where they are published */
    struct HPyAPI_Hooks *hooks; /* NULL until a hook is first set */
    const unsigned char *hook_flags; /* per entry, HPYAPI_HOOK_*; or NULL */
    /* HPYAPI_N_TABLES tables of 1 + n_entries slots (header, entries),
       filled by routes.c; then the exporter's own (HPYAPI_TABLE_ANY) */
    HPyAPI_Slot *tables;
    void *table;
    uint32_t routed; /* what routes.c knew of the encodings when it last
                        wrote these routes (its generation) */
} HPyAPI_Token;

HPYAPI_BEGIN_C

/* Slow path of every HPy trampoline: classify the caller's context,
 * convert handles if the families differ, call.  Returns 0 when the
 * exporter's function ran (its own error return is in the frame), -1 when
 * the call could not be made and a Python exception is set.  `ctx` may be
 * a CPython-API caller (_HPyAPI_CapiCaller, below). */
HPYAPI_INTERNAL int _HPyAPI_Call(HPyContext *ctx, const HPyAPI_Route *r,
                                 const HPyAPI_EntryDesc *d, void *frame,
                                 const void *caller_pc);

/* A CPython-API caller, as the context the generic trampoline receives
 * and passes on: the CPython-API trampoline's slow path calls the generic
 * one with its arguments as CPython-ABI handles (a PyObject * is exactly
 * that) and this in place of a context, so that no entry needs a second
 * frame-packing function.  An odd address, which no context has; it
 * carries where the call came from (`caller_pc`, for hooks that count per
 * calling module), as the generic trampoline's own return address is then
 * inside the CPython-API trampoline.  User-space code addresses leave the
 * top bit free on 64-bit platforms (elsewhere only the hooks' attribution
 * of such a call to its module could suffer, never the call). */
static inline HPyContext *_HPyAPI_CapiCaller(const void *caller_pc)
{
    return (HPyContext *)(((uintptr_t)caller_pc << 1) | 1u);
}

/* What a reverse trampoline calls (the exporter called a consumer's
 * callback through it): `record` is the user data the exporter received,
 * made by runtime/callback.c.  Returns 0 when the consumer's function ran
 * (its result is in the frame), -1 with an exception set otherwise. */
HPYAPI_INTERNAL int _HPyAPI_CallBack(HPyContext *ctx, void *record,
                                     const HPyAPI_CallbackInfo *info,
                                     void *frame);

/* Raises, in the caller's thread, the error for calling retired entry idx. */
HPYAPI_INTERNAL void _HPyAPI_RaiseRetired(const HPyAPI_Route *r, uint32_t idx);
/* A CPython-API caller's NULL result: NULL, with SystemError set when the
 * exporter set no exception (errors.c) */
HPYAPI_INTERNAL struct _object *_HPyAPI_NullResultC(const HPyAPI_Route *r,
                                                    uint32_t idx);

/* Binds the token to the exporter's context, checks and publishes the HPy
 * table and the CPython-API table. */
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

HPYAPI_END_C

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

/* What an in-out argument holds, as a handle offset by `k`: `slot` is the
 * caller's HPy * (rebased by k) or, from a C-API caller, its PyObject **
 * (the object's address plus k); HPy_NULL for a NULL slot.  Both are one
 * pointer-sized word, NULL staying NULL. */
static inline HPy _HPyAPI_InOutIn(const void *slot, intptr_t k)
{
    intptr_t b = 0;
    if (slot != NULL)
        memcpy(&b, slot, sizeof b);
    b += b != 0 ? k : 0;
    HPy h;
    memcpy(&h, &b, sizeof h);
    return h;
}

static inline struct _object *_HPyAPI_PyOfHandle(HPy h, intptr_t k)
{
    intptr_t b;
    memcpy(&b, &h, sizeof b);
    return (struct _object *)(b != 0 ? b - k : 0);
}

#endif /* HPYAPI_RUNTIME_H */
