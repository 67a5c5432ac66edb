/* internal.h - declarations shared by the runtime files only.
 *
 * Generated code sees hpyapi/runtime.h; this is what the runtime files say
 * to each other.  Functions marked "pure C" use no HPy context and are
 * what the fuzz target (tests/fuzz) drives directly.
 */
#ifndef HPYAPI_RUNTIME_INTERNAL_H
#define HPYAPI_RUNTIME_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "hpyapi/common.h"

#ifndef HPYAPI_INTERNAL
#if defined(__GNUC__)
#define HPYAPI_INTERNAL __attribute__((visibility("hidden")))
#else
#define HPYAPI_INTERNAL
#endif
#endif

/* exception kinds for _HPyAPI_Raise* */
#define HPYAPI_EXC_SYSTEM 0
#define HPYAPI_EXC_TYPE 1
#define HPYAPI_EXC_VALUE 2
#define HPYAPI_EXC_RUNTIME 3
#define HPYAPI_EXC_MEMORY 4
#define HPYAPI_EXC_IMPORT 5
#define HPYAPI_EXC_NOTIMPL 6

#ifdef HPYAPI_RUNTIME_H /* the parts that need <hpy.h> */
/* The HPy ABI this runtime is compiled for (HPyAPI_Header.hpy_abi). */
#if defined(HPY_ABI_CPYTHON)
#define HPYAPI_BUILD_ABI HPYAPI_ABI_CPYTHON
#elif defined(HPY_ABI_HYBRID)
#define HPYAPI_BUILD_ABI HPYAPI_ABI_HYBRID
#else
#define HPYAPI_BUILD_ABI HPYAPI_ABI_UNIVERSAL
#endif

/* The runtime reads top-down, each file calling only those below it:
 *   call.c       the generic trampoline enters here; a routed direct
 *                pair goes straight to direct.c, hooks wrap the call
 *   hooks.c      count, time, log, refuse; then dispatch
 *   transform.c  same family: call; else convert handles and call
 *   direct.c     ... in place, for entries of plain handles and values
 *   callback.c   the reverse: an exporter calls a consumer's callback
 *                (and a returned table's functions: tables.c, slots.c)
 *   routes.c     which table each consumer gets, each entry's route
 *   convert.c    handle encodings: PyObject* <-> each family's handles
 *                (convert.h: the per-handle conversions, inline)
 *   enter.c      running code in a valid context of the exporter's family
 *                (enter.h: entering a debug exporter, inline)
 *   errors.c     how a failed call raises (through enter.c)
 * export.c, import.c, validate.c, signature.c, names.c serve the rest. */

/* The one classifier of contexts: a context's kind (HPYAPI_KIND_*) is a
 * pure function of its family word (_HPyAPI_CtxWord in hpyapi/runtime.h,
 * the first eight bytes of its name; the name *pointer* differs between
 * CPython-ABI modules, one static context each).  Inline for the call
 * path: the four words are constants the compiler folds into immediates,
 * the most frequent cross caller first.  The names are hpy 0.9.0's
 * (CPython backend); PyPy and GraalPy call their universal context
 * "HPy Universal ABI (... backend)", which starts alike. */
#define HPYAPI_NAME_CPYTHON "HPy CPython ABI"
#define HPYAPI_NAME_UNIVERSAL "HPy Universal ABI"
#define HPYAPI_NAME_DEBUG "HPy Debug Mode ABI"
#define HPYAPI_NAME_TRACE "HPy Trace Mode ABI"
static inline uint64_t _HPyAPI_Word8(const char *s)
{
    uint64_t w;
    memcpy(&w, s, sizeof w);
    return w;
}
static inline uint32_t _HPyAPI_KindOfWord(uint64_t w)
{
    if (w == _HPyAPI_Word8(HPYAPI_NAME_UNIVERSAL))
        return HPYAPI_KIND_UNIVERSAL;
    if (w == _HPyAPI_Word8(HPYAPI_NAME_DEBUG))
        return HPYAPI_KIND_DEBUG;
    if (w == _HPyAPI_Word8(HPYAPI_NAME_CPYTHON))
        return HPYAPI_KIND_CPYTHON;
    if (w == _HPyAPI_Word8(HPYAPI_NAME_TRACE))
        return HPYAPI_KIND_TRACE;
    return HPYAPI_KIND_UNKNOWN;
}
static inline uint32_t _HPyAPI_KindOf(HPyContext *ctx)
{
    return _HPyAPI_KindOfWord(_HPyAPI_CtxWord(ctx));
}
/* import.c: _HPyAPI_SpecSignatures (below), raising in ctx: 0, or -1
   with an exception set */
HPYAPI_INTERNAL int _HPyAPI_SpecReady(HPyContext *ctx, const HPyAPI_Spec *spec);
/* routes.c */
HPYAPI_INTERNAL void _HPyAPI_Bind(HPyAPI_Token *tok, HPyContext *valid_ctx,
                                  HPyContext *load_ctx);
HPYAPI_INTERNAL void _HPyAPI_RefreshFastPaths(HPyAPI_Token *tok);
HPYAPI_INTERNAL const void *_HPyAPI_TableFor(void *token, void *valid_ctx,
                                             void *call_ctx);
/* transform.c */
HPYAPI_INTERNAL int _HPyAPI_Dispatch(HPyContext *ctx, uint32_t kind,
                                     HPyAPI_Token *tok,
                                     const HPyAPI_EntryDesc *d, void *frame);
HPYAPI_INTERNAL uint64_t _HPyAPI_ReadLen(const HPyAPI_ArgDesc *a,
                                         const char *frame, int *neg);
/* direct.c: entries of handles, input handle arrays and values
 * (_HPyAPI_DirectShape); FromDebug/ToDebug are where routes send such
 * calls (call.c); they return 1, untouched, for arrays too long for the
 * stack (then the general path takes the call) */
HPYAPI_INTERNAL int _HPyAPI_DirectShape(const HPyAPI_EntryDesc *d);
/* HPyAPI_Route.arrays, decided by routes.c: no handle arrays; some; or
 * exactly one, of an HPy_ssize_t length, and no other handle (the shape
 * of NumPy's sequence entries, which direct.c converts without walking
 * the descriptors). */
#define HPYAPI_ARRAYS_NONE 0
#define HPYAPI_ARRAYS_SOME 1
#define HPYAPI_ARRAYS_ONE 2
HPYAPI_INTERNAL int _HPyAPI_DirectRebase(HPyContext *ectx, intptr_t delta,
                                         const HPyAPI_EntryDesc *d,
                                         char *frame);
HPYAPI_INTERNAL int _HPyAPI_DirectFromDebug(HPyContext *cctx, intptr_t e_conv,
                                            HPyContext *ectx,
                                            const HPyAPI_EntryDesc *d,
                                            char *frame);
HPYAPI_INTERNAL int _HPyAPI_DirectToDebug(intptr_t c_conv, HPyContext *ectx,
                                          const HPyAPI_EntryDesc *d,
                                          char *frame);
HPYAPI_INTERNAL int _HPyAPI_FromDebug(HPyContext *ctx, intptr_t conv,
                                      const HPyAPI_Route *r,
                                      const HPyAPI_EntryDesc *d, void *frame);
HPYAPI_INTERNAL int _HPyAPI_ToDebug(intptr_t conv, const HPyAPI_Route *r,
                                    const HPyAPI_EntryDesc *d, void *frame);
/* hooks.c; whether entry i has hooks is read from the flags it keeps
 * (atomically: hooks change while other threads call) */
static inline int _HPyAPI_EntryHooked(const HPyAPI_Token *tok, uint32_t i)
{
    const unsigned char *f = __atomic_load_n(&tok->hook_flags, __ATOMIC_ACQUIRE);
    return f != NULL && __atomic_load_n(&f[i], __ATOMIC_ACQUIRE) != 0;
}
HPYAPI_INTERNAL int _HPyAPI_HookedCall(HPyContext *ctx, uint32_t kind,
                                       HPyAPI_Token *tok,
                                       const HPyAPI_EntryDesc *d, void *frame,
                                       const void *pc);
HPYAPI_INTERNAL const HPyAPI_Control *_HPyAPI_Control(void);
/* callback.c: callbacks for a caller of another family (wrapped before
 * the call, so that hooks and the transform see the reverse trampolines);
 * End marks the records of HPyAPI_CB callbacks dead once the call is over */
/* What the exporter receives as user data instead of the consumer's. */
typedef struct HPyAPI_CallbackRecord {
    uint64_t magic; /* HPYAPI_CB_ALIVE while it may be called */
    const HPyAPI_CallbackInfo *info;
    void (*fn)(void); /* the consumer's function and user data */
    void *ud;
    HPyContext *cctx; /* the consumer's context; NULL for a C-API one */
    uint32_t ckind;   /* its family (HPYAPI_KIND_*) */
    HPyAPI_Token *tok; /* the exporter */
    struct HPyAPI_CallbackRecord *next; /* kept records */
    /* a slot function's (slots.c): its pool, and the length of its
       HPyAPI_SLOT_LEN arrays (-1: registered without one) */
    const struct HPyAPI_SlotFn *pool;
    HPy_ssize_t len;
    /* a returned table's function (tables.c): the exporter's, run on its
       own context (cctx, ckind) for whoever calls the trampoline; `entry`
       the entry that returned it, for errors */
    uint8_t fwd;
    uint32_t entry;
} HPyAPI_CallbackRecord;
#define HPYAPI_CB_ALIVE 0x6263697061797068ull /* "hpyapicb" */
/* structs.c: struct parameters of a caller whose context is not the
 * exporter's own, staged (copied, their handles described as arguments,
 * their functions given pool trampolines) before the call; End frees the
 * copy, the result first copied back to `frame` (NULL: a failed stage). */
typedef struct HPyAPI_StructStage HPyAPI_StructStage;
HPYAPI_INTERNAL int _HPyAPI_HasStructs(const HPyAPI_EntryDesc *d);
HPYAPI_INTERNAL int _HPyAPI_StageStructs(HPyContext *ctx, uint32_t kind,
                                         HPyAPI_Token *tok,
                                         const HPyAPI_EntryDesc **d,
                                         void **frame,
                                         HPyAPI_StructStage **out);
HPYAPI_INTERNAL void _HPyAPI_EndStructs(HPyAPI_StructStage *st, void *frame);
/* ... and a struct a slot function receives (the exporter's handles):
 * RevIn on the exporter's side copies it, its handles as objects, and
 * points *ptr_at at the copy (NULL: an exception is set); RevOpen and
 * RevClose on the consumer's side; RevEnd frees (NULL is fine). */
typedef struct HPyAPI_RevStage HPyAPI_RevStage;
HPYAPI_INTERNAL HPyAPI_RevStage *_HPyAPI_RevIn(HPyContext *ectx,
                                               intptr_t e_conv,
                                               const struct HPyAPI_StructDesc *sd,
                                               HPy_ssize_t slot_len,
                                               void *ptr_at,
                                               const char *label);
HPYAPI_INTERNAL int _HPyAPI_RevOpen(HPyContext *cctx, intptr_t c_conv,
                                    HPyAPI_RevStage *st);
HPYAPI_INTERNAL void _HPyAPI_RevClose(HPyContext *cctx, intptr_t c_conv,
                                      HPyAPI_RevStage *st);
HPYAPI_INTERNAL void _HPyAPI_RevEnd(intptr_t e_conv, HPyAPI_RevStage *st);
/* slots.c: the pool trampoline standing for fn of a consumer (0; -1 the
 * pool is used up, -2 no memory); and a slot function's HPyAPI_SLOT_LEN
 * arrays and HPyAPI_FN_OUT functions: In on the exporter's side (*out
 * NULL when it has none; -1 with an exception set), Open and Close on the
 * consumer's around its call, End on the exporter's (-1: an exception). */
/* fwd: HPYAPI_POOL_REV (a consumer's function), _FWD or _FWD_CAPI (the
 * exporter's, its HPy or its C-API trampoline; tables.c) */
#define HPYAPI_POOL_REV 0
#define HPYAPI_POOL_FWD 1
#define HPYAPI_POOL_FWD_CAPI 2
HPYAPI_INTERNAL int _HPyAPI_PoolTramp(const struct HPyAPI_SlotFn *p,
                                      void (*fn)(void), HPyContext *cctx,
                                      uint32_t ckind, HPyAPI_Token *tok,
                                      HPy_ssize_t len, int fwd,
                                      HPyAPI_Slot *out);
/* tables.c: an HPYAPI_RES_TABLE result in `frame` replaced by the copy
 * for this caller; 0, or -1 with an exception (the result then NULL) */
HPYAPI_INTERNAL int _HPyAPI_ForwardTable(uint32_t kind, HPyAPI_Token *tok,
                                         const HPyAPI_EntryDesc *d,
                                         void *frame);
typedef struct HPyAPI_SlotArgs HPyAPI_SlotArgs;
HPYAPI_INTERNAL int _HPyAPI_SlotArgsIn(HPyContext *ectx, intptr_t e_conv,
                                       const HPyAPI_CallbackRecord *rec,
                                       const HPyAPI_CallbackInfo *info,
                                       char *frame, HPyAPI_SlotArgs **out);
HPYAPI_INTERNAL int _HPyAPI_SlotArgsOpen(HPyContext *cctx, intptr_t c_conv,
                                         HPyAPI_SlotArgs *sa, char *frame);
HPYAPI_INTERNAL void _HPyAPI_SlotArgsClose(HPyContext *cctx, intptr_t c_conv,
                                           HPyAPI_SlotArgs *sa, int ran);
HPYAPI_INTERNAL int _HPyAPI_SlotArgsEnd(HPyContext *ectx, intptr_t e_conv,
                                        HPyAPI_SlotArgs *sa, int ran);
/* A returned table counts as one: both need call.c for every caller
 * whose context is not the exporter's, and neither has a direct route. */
static inline int _HPyAPI_HasCallbacks(const HPyAPI_EntryDesc *d)
{
    return (d->callbacks != NULL && d->callbacks[0].info != NULL) ||
           d->result_kind == HPYAPI_RES_TABLE;
}
HPYAPI_INTERNAL int _HPyAPI_WrapCallbacks(HPyContext *ctx, uint32_t kind,
                                          HPyAPI_Token *tok,
                                          const HPyAPI_EntryDesc *d,
                                          void *frame,
                                          HPyAPI_CallbackRecord *recs);
HPYAPI_INTERNAL void _HPyAPI_EndCallbacks(HPyAPI_CallbackRecord *recs);
/* enter.c; ModuleCtx: the context this module's code is called with (its
 * _ctx_for_trampolines), after installing a private copy of it when
 * HPYAPI_TEST_PRIVATE_CONTEXTS=1 (hpyapi.testing) */
HPYAPI_INTERNAL HPyContext *_HPyAPI_ModuleCtx(HPyContext *ctx);
HPYAPI_INTERNAL void _HPyAPI_Enter(HPyAPI_Token *tok,
                                   void (*fn)(HPyContext *ctx, void *arg),
                                   void *arg);
HPYAPI_INTERNAL void _HPyAPI_EnterDebugFn(HPyContext *dctx,
                                          void (*fn)(HPyContext *ctx,
                                                     void *arg),
                                          void *arg);
/* export.c: after a failed HPy_mod_exec, let the module die with the
 * definition hpy frees (used by import.c for a failed import too) */
HPYAPI_INTERNAL void _HPyAPI_BreakModuleCycles(HPyContext *ctx, HPy module);
/* errors.c */
HPYAPI_INTERNAL void _HPyAPI_SetErrorV(HPyContext *ctx, int exc,
                                       const char *prefix, const char *fmt,
                                       va_list ap);
HPYAPI_INTERNAL int _HPyAPI_WrapPendingError(HPyContext *ctx, int exc,
                                             const char *prefix,
                                             const char *what,
                                             const char *hint);
HPYAPI_INTERNAL void _HPyAPI_RaiseCall(HPyAPI_Token *tok, uint32_t idx,
                                       int exc, const char *fmt, ...);
HPYAPI_INTERNAL void _HPyAPI_RaiseUnbound(HPyContext *ctx, uint32_t kind,
                                          uint32_t idx);
/* convert.c: how handles of a kind become PyObject* and back.  conv >= 0
 * is the offset of the encoding (pointer arithmetic, borrowed);
 * HPYAPI_CONV_DEBUG debug handles (wrappers around the universal encoding,
 * opened and closed, objects borrowed); HPYAPI_CONV_CTX the context's
 * AsPyObject/FromPyObject (real references). */
#define HPYAPI_CONV_CTX (-1)
#define HPYAPI_CONV_DEBUG (-3)
HPYAPI_INTERNAL int _HPyAPI_LearnConv(HPyContext *valid_ctx, uint32_t kind);
HPYAPI_INTERNAL extern uint32_t _HPyAPI_conv_generation;
HPYAPI_INTERNAL intptr_t _HPyAPI_ConvNow(HPyContext *ctx, uint32_t kind);
HPYAPI_INTERNAL cpy_PyObject *_HPyAPI_CallerToPy(HPyContext *cctx,
                                                 intptr_t conv, HPy h);
HPYAPI_INTERNAL HPy _HPyAPI_CallerFromPy(HPyContext *cctx, intptr_t conv,
                                         cpy_PyObject *o);
HPYAPI_INTERNAL HPy _HPyAPI_ExporterOpen(HPyContext *ctx, intptr_t conv,
                                         cpy_PyObject *o);
HPYAPI_INTERNAL void _HPyAPI_ExporterClose(HPyContext *ctx, intptr_t conv,
                                           HPy h);
HPYAPI_INTERNAL cpy_PyObject *_HPyAPI_ExporterResult(HPyContext *ctx,
                                                     intptr_t conv, HPy r);
#ifdef HPYAPI_LEGACY_H /* the legacy bridge's runtime (hooks.c, legacy*.c) */
/* legacy_hooks.c, for legacy.c and hooks.c */
HPYAPI_INTERNAL int _HPyAPI_LegacyPublish(HPyContext *ctx, HPyAPI_Legacy *L,
                                          HPy module);
HPYAPI_INTERNAL const char *_HPyAPI_LegacyModuleName(const HPyAPI_Legacy *L);
/* hooks.c: the engine, for legacy.c and legacy_hooks.c.  Begin returns -1
 * with an exception set when a hook stops the call; End after a call that
 * was made.  LegacyHooks makes the bridge's hooks (registering `file` as
 * its caller) and returns the control interface to publish, or NULL when
 * out of memory; LegacyRefresh sets the fast tag from the hooks. */
HPYAPI_INTERNAL int _HPyAPI_HookBegin(struct HPyAPI_Hooks *h, HPyContext *ctx,
                                      uint32_t kind, uint32_t i,
                                      const void *pc, HPyAPI_HookCall *hc);
HPYAPI_INTERNAL void _HPyAPI_HookEnd(struct HPyAPI_Hooks *h, uint32_t i,
                                     const HPyAPI_HookCall *hc);
HPYAPI_INTERNAL const HPyAPI_Control *_HPyAPI_LegacyHooks(HPyAPI_Legacy *L,
                                                          const char *file);
HPYAPI_INTERNAL void _HPyAPI_LegacyRefresh(HPyAPI_Legacy *L);
#endif
/* In-out handles (HPyAPI_INOUT): a handle the exporter owns for a
 * borrowed PyObject* (HPy_NULL: out of memory), and the caller's own
 * handle closed, in the caller's encoding. */
HPYAPI_INTERNAL HPy _HPyAPI_ExporterOpenOwned(HPyContext *ctx, intptr_t conv,
                                              cpy_PyObject *o);
HPYAPI_INTERNAL void _HPyAPI_CallerClose(HPyContext *cctx, intptr_t conv,
                                         HPy h);
#endif

/* pure C */
/* Universal and trace handles are alike (both the universal encoding). */
static inline int _HPyAPI_UniversalFamily(uint32_t k)
{
    return k == HPYAPI_KIND_UNIVERSAL || k == HPYAPI_KIND_TRACE;
}
HPYAPI_INTERNAL const char *_HPyAPI_KindLabel(uint32_t kind);

/* Fills in the signatures of a declaration's entries from its record
 * (HPyAPI_Spec.record, abi.h), once; every runtime entry point that is
 * handed a spec calls it first.  Returns 0, -1 out of memory, -2 for a
 * record that does not list the entries in order (an exception is the
 * caller's to set). */
HPYAPI_INTERNAL int _HPyAPI_SpecSignatures(const HPyAPI_Spec *spec);
/* (_HPyAPI_SpecReady, which raises, is with the parts that need <hpy.h>) */

/* Writes the canonical spelling of a signature (see signature.c) into out;
 * returns 0, or -1 if it does not fit or cannot be parsed. */
HPYAPI_INTERNAL int _HPyAPI_NormalizeSignature(const char *sig, char *out, size_t outsize);

/* HPYAPI_MAX_ENTRIES, HPYAPI_MAX_STRING: hpyapi/limits.h */

/* *out = a * b; returns -1 (and leaves *out alone) if that overflows
 * size_t.  For every buffer whose size comes from a caller's length. */
static inline int _HPyAPI_MulOverflow(size_t a, size_t b, size_t *out)
{
#if defined(__GNUC__)
    size_t r;
    if (__builtin_mul_overflow(a, b, &r))
        return -1;
    *out = r;
#else
    if (b != 0 && a > SIZE_MAX / b)
        return -1;
    *out = a * b;
#endif
    return 0;
}

/* Like _HPyAPI_MulOverflow for a sum. */
static inline int _HPyAPI_AddOverflow(size_t a, size_t b, size_t *out)
{
    if (a > SIZE_MAX - b)
        return -1;
    *out = a + b;
    return 0;
}

/* Checks an exporter's header against the consumer's spec.  Returns 0, or
 * -1 with a complete sentence in msg (what was expected, what was found,
 * how to fix it). */
HPYAPI_INTERNAL int _HPyAPI_CheckHeader(const HPyAPI_Header *h,
                                        const HPyAPI_Spec *spec,
                                        uint32_t min_minor, uint32_t table_kind,
                                        const char *module, char *msg,
                                        size_t msgsize);

/* `s` (read up to HPYAPI_MAX_STRING bytes, never past its NUL) as
 * printable ASCII for a message: other bytes become \xNN, and a string
 * that is too long ends in "...".  Returns out. */
HPYAPI_INTERNAL const char *_HPyAPI_Printable(const char *s, char *out,
                                              size_t outsize);

#endif /* HPYAPI_RUNTIME_INTERNAL_H */
