/* hpyapi/runtime.h - the contract between generated trampolines and the
 * runtime (src/hpyapi/runtime).
 *
 * Internal.  Needs <hpy.h> first.  Everything here is compiled into each
 * extension with that extension's own HPy ABI, so a "token" is private to
 * one exporting module and the runtime functions are hidden symbols.
 */
#ifndef HPYAPI_RUNTIME_H
#define HPYAPI_RUNTIME_H

#include <stdint.h>
#include "hpyapi/abi.h"

#if defined(__GNUC__)
#ifndef HPYAPI_INTERNAL
#define HPYAPI_INTERNAL __attribute__((visibility("hidden")))
#endif
#define HPYAPI_LIKELY(x) __builtin_expect(!!(x), 1)
#define HPYAPI_COLD __attribute__((noinline, cold))
#define HPYAPI_MAYBE_UNUSED __attribute__((unused))
#else
#define HPYAPI_COLD
#define HPYAPI_MAYBE_UNUSED
#ifndef HPYAPI_INTERNAL
#define HPYAPI_INTERNAL
#endif
#define HPYAPI_LIKELY(x) (x)
#endif

#if defined(HPY_ABI_CPYTHON)
#define HPYAPI_BUILD_ABI HPYAPI_ABI_CPYTHON
#elif defined(HPY_ABI_HYBRID)
#define HPYAPI_BUILD_ABI HPYAPI_ABI_HYBRID
#else
#define HPYAPI_BUILD_ABI HPYAPI_ABI_UNIVERSAL
#endif

/* A table slot as stored: any function pointer type round-trips through
 * this one.  The table struct is read as an array of them after member 0. */
typedef void (*HPyAPI_Slot)(void);
_Static_assert(sizeof(HPyAPI_Slot) == sizeof(void *),
               "hpyapi needs function and data pointers of the same size");

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
 * `fast[i]` is what the trampoline of entry i compares the caller's
 * `ctx->name` with: the name pointer of the exporter's context family, or
 * NULL to send every call through _HPyAPI_Call (hooks, not yet bound). */
typedef struct HPyAPI_Token {
    const char **fast;
    uint32_t n_entries;
    uint32_t kind;        /* HPYAPI_KIND_* of `ctx` */
    HPyContext *ctx;      /* the context the exporter was loaded with */
    const char *family;   /* ctx->name: shared by a whole context family */
    const HPyAPI_Spec *(*get_spec)(void);
    const HPyAPI_Slot *slots; /* per entry: its trampoline or retired stub */
    HPyAPI_Header *header;
} HPyAPI_Token;

/* Slow path of every trampoline: classify the caller's context, convert
 * handles if the families differ, call.  Returns 0 when the exporter's
 * function ran (its own error return is in the frame), -1 when the call
 * could not be made and a Python exception is set. */
HPYAPI_INTERNAL int _HPyAPI_Call(HPyContext *ctx, HPyAPI_Token *tok,
                                 const HPyAPI_EntryDesc *d, void *frame);

/* Records the context the exporter was loaded with.  Idempotent. */
HPYAPI_INTERNAL void _HPyAPI_Bind(HPyAPI_Token *tok, HPyContext *load_ctx);

/* Raises, in the caller's thread, the error for calling retired entry idx. */
HPYAPI_INTERNAL void _HPyAPI_RaiseRetired(HPyAPI_Token *tok, uint32_t idx);

HPYAPI_INTERNAL int _HPyAPI_Export(HPyContext *ctx, HPyContext *load_ctx,
                                   HPy module, HPyAPI_Token *tok, void *table,
                                   const char *attr, const char *capsule_name);

HPYAPI_INTERNAL void *_HPyAPI_Import(HPyContext *ctx, const char *module,
                                     const HPyAPI_Spec *spec,
                                     uint32_t min_minor, const char *attr,
                                     const char *capsule_name);

/* What HPyAPI_USE's stubs say before the import. */
typedef struct {
    const char *api;
    const char *module;
    const char *import_function;
} HPyAPI_Use;

HPYAPI_INTERNAL void _HPyAPI_RaiseUnimported(HPyContext *ctx,
                                             const HPyAPI_Use *use,
                                             const char *entry);

/* The value a trampoline returns when the call could not be made: -1 for
 * arithmetic types (HPy's convention), NULL for pointers. */
#define HPYAPI_ERRVAL(T)                                                       \
    _Generic((T)0, _Bool: (T)0, char: HPYAPI_M1(T), signed char: HPYAPI_M1(T), \
             unsigned char: HPYAPI_M1(T), short: HPYAPI_M1(T),                 \
             unsigned short: HPYAPI_M1(T), int: HPYAPI_M1(T),                  \
             unsigned int: HPYAPI_M1(T), long: HPYAPI_M1(T),                   \
             unsigned long: HPYAPI_M1(T), long long: HPYAPI_M1(T),             \
             unsigned long long: HPYAPI_M1(T), float: HPYAPI_M1(T),            \
             double: HPYAPI_M1(T), long double: HPYAPI_M1(T), default: (T)0)
/* via intptr_t so that the unselected pointer branch casts without a
   size-mismatch warning */
#define HPYAPI_M1(T) ((T)(intptr_t)-1)

#endif /* HPYAPI_RUNTIME_H */
