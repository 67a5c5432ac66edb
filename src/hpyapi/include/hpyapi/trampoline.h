/* hpyapi/trampoline.h - HPyAPI_DEFINE: where a declaration becomes
 * trampolines.
 *
 * Public, through <hpyapi.h>: HPyAPI_DEFINE, HPy_AsAPI, HPyAPI_Export,
 * HPyAPI_BIND and HPyAPI_PROTOTYPES; the rest is generated code.  Expanded
 * once per API, in the one C (or
 * C++) file of the exporter that fills the table; the implementations may
 * live in any file of the module (declare them first, e.g. with
 * HPyAPI_PROTOTYPES).  Per entry it generates:
 *
 *   NAME_hpyapi_route   its routing record (HPyAPI_Route, runtime/routes.c)
 *   NAME_hpyapi_frame   struct: a dummy byte, the arguments, the result
 *   NAME_hpyapi_invoke  calls the implementation from a frame
 *   NAME_hpyapi_desc    where the handles sit in the frame
 *   NAME_hpyapi_tramp   the generic trampoline: packs a frame, calls the
 *                       runtime (_HPyAPI_Call); what HPy_AsAPI returns
 *   NAME_hpyapi_xtramp  calls the implementation with the exporter's own
 *                       context (a tail call)
 *   NAME_hpyapi_rtramp  the same with every handle rebased by the route's
 *                       delta (CPython ABI <-> universal), small arrays on
 *                       the stack; anything else goes on as the generic one
 *   NAME_hpyapi_bind    what HPy_AsAPI(ctx, NAME) reads (a constant, not a
 *                       function: one function fewer per entry to compile)
 *   NAME_hpyapi_ctramp  the trampoline stored in the CPython-API table;
 *                       its slow path calls the generic trampoline with
 *                       _HPyAPI_CapiCaller for a context
 *
 * No trampoline classifies its caller on a fast path: each consumer calls
 * through the table routes.c chose for its context when it imported --
 * the implementation itself where the consumer's context is the
 * exporter's own instance, xtramp or rtramp where one of them serves, the
 * generic trampoline otherwise (which tells callers apart by family word
 * and follows the route decided for that kind).  Hooks swap an entry's
 * slots in every table to the generic trampoline, which reaches them.
 * Per entry that is five small functions whatever the number of tables:
 * everything else is runtime code driven by the descriptors.  They are
 * what an exporter of hundreds of entries pays the compiler, so all five
 * are HPYAPI_GENERATED (-O1 with sibling calls and small functions
 * inlined, hpyapi/common.h): inlining a small implementation into invoke
 * is most of the debug path's own cost, which plain -O1 raised from 117
 * to 126 instructions.
 *
 * Per-API objects are named after the API, so one file may define several
 * APIs; per-entry objects after the entry, so their entry names must
 * differ.  Generated locals start with `hpyapi_`, so any parameter name
 * the declaration uses (`ctx` included) is safe.
 */
#ifndef HPYAPI_TRAMPOLINE_H
#define HPYAPI_TRAMPOLINE_H

#include "hpyapi/decl.h"
#include "hpyapi/runtime.h"

/* The context the exporter was loaded with.  In universal and hybrid builds
 * that is HPy's `_ctx_for_trampolines` (for the debug mode, the root debug
 * context, which is exactly what ctx_CallRealFunctionFromTrampoline wants);
 * the context mod_exec received may be a short-lived debug copy. */
#if defined(HPY_ABI_CPYTHON)
#define HPYAPI_LOAD_CTX(ctx) (ctx)
#else
#define HPYAPI_LOAD_CTX(ctx) ((void)(ctx), _ctx_for_trampolines)
#endif

/* Direct calls across encodings (the HPy slow path's learned rebase and
 * the CPython-API trampoline): handle arrays are copied, rebased by X,
 * into a buffer on the stack -- when every array is small, see
 * HPYAPI_G_SMALL, HPYAPI_SMALL_ARRAY in hpyapi/limits.h -- and passed as
 * hpyapi_a_<name>. */
static inline int _HPyAPI_SmallArray(uint64_t n, const void *p)
{
    return n <= HPYAPI_SMALL_ARRAY && (p != NULL || n == 0);
}

/* ---- per-result-kind pieces (H: HPy, V: value, N: void) ------------------ */

#define HPYAPI_R_FIELD_H(R) HPy hpyapi_result;
#define HPYAPI_R_FIELD_V(R) R hpyapi_result;
#define HPYAPI_R_FIELD_N(R)
#define HPYAPI_R_FINIT_H , {0}
#define HPYAPI_R_FINIT_V , 0
#define HPYAPI_R_FINIT_N
#define HPYAPI_R_KIND_H HPYAPI_RES_HANDLE
#define HPYAPI_R_KIND_V HPYAPI_RES_VALUE
#define HPYAPI_R_KIND_N HPYAPI_RES_NONE
#define HPYAPI_R_OFF_H(F) offsetof(F, hpyapi_result)
#define HPYAPI_R_OFF_V(F) offsetof(F, hpyapi_result)
#define HPYAPI_R_OFF_N(F) 0
#define HPYAPI_R_STORE_H(f, call) f->hpyapi_result = call
#define HPYAPI_R_STORE_V(f, call) f->hpyapi_result = call
#define HPYAPI_R_STORE_N(f, call) call
#define HPYAPI_R_TAIL_H(call) return call
#define HPYAPI_R_TAIL_V(call) return call
#define HPYAPI_R_TAIL_N(call)                                                  \
    do {                                                                       \
        call;                                                                  \
        return;                                                                \
    } while (0)
#define HPYAPI_R_FAIL_H(R) return _HPyAPI_HandleOfPy(NULL, 0) /* HPy_NULL */
#define HPYAPI_R_FAIL_V(R) return HPYAPI_ERRVAL(R)
#define HPYAPI_R_FAIL_N(R) return
#define HPYAPI_R_RETURN_H(f) return f.hpyapi_result
#define HPYAPI_R_RETURN_V(f) return f.hpyapi_result
#define HPYAPI_R_RETURN_N(f) return
/* the rebased direct calls: call (result in the caller's encoding), fix
   out-handles, return */
#define HPYAPI_R_RCALL_H(R, k, call) HPy hpyapi_res = _HPyAPI_Rebase(call, -(k));
#define HPYAPI_R_RCALL_V(R, k, call) R hpyapi_res = call;
#define HPYAPI_R_RCALL_N(R, k, call) call;
#define HPYAPI_R_RRET_H return hpyapi_res
#define HPYAPI_R_RRET_V return hpyapi_res
#define HPYAPI_R_RRET_N return
/* the same for the CPython-API trampolines (handles are PyObject *) */
#define HPYAPI_R_CCALL_H(R, k, call)                                           \
    struct _object *hpyapi_res = _HPyAPI_PyOfHandle(call, k);
#define HPYAPI_R_CCALL_V HPYAPI_R_RCALL_V
#define HPYAPI_R_CCALL_N HPYAPI_R_RCALL_N
/* the CPython-API trampoline's slow path: the generic trampoline's result
   (a tail call but for handles, whose NULL is checked as below) */
#define HPYAPI_R_CSLOW_H(call, NAME, IDX)                                      \
    struct _object *hpyapi_res = _HPyAPI_PyOfHandle(call, 0);                  \
    HPYAPI_R_CRRET_H(NAME, IDX)
#define HPYAPI_R_CSLOW_V(call, NAME, IDX) return call
#define HPYAPI_R_CSLOW_N(call, NAME, IDX)                                      \
    do {                                                                       \
        call;                                                                  \
        return;                                                                \
    } while (0)
/* NULL is C's "failed": a C or Cython caller must find an exception set
   (Cython 3 on CPython 3.12+ crashes without one), so an exporter's NULL
   without one becomes SystemError, off the fast path */
#define HPYAPI_R_CRRET_H(NAME, IDX)                                            \
    return HPYAPI_LIKELY(hpyapi_res != NULL)                                   \
               ? hpyapi_res                                                    \
               : _HPyAPI_NullResultC(&NAME##_hpyapi_route, (IDX))
#define HPYAPI_R_CRRET_V(NAME, IDX) return hpyapi_res
#define HPYAPI_R_CRRET_N(NAME, IDX) return

/* ---- which function implements an entry -----------------------------------
 * By default the function named like the entry (an OBJECT entry: the
 * HPyGlobal named like it).  To export an existing function of another
 * name, define, before HPyAPI_DEFINE and HPyAPI_PROTOTYPES:
 *
 *     #define HPyAPI_BIND_Array_Add HPyAPI_BIND(Array_add_impl)
 *
 * The implementation is type-checked against the declaration either way. */
#define HPyAPI_BIND(fn) ~, fn
#define HPYAPI_IMPL_OF(NAME) HPYAPI_IMPL_PICK(HPYAPI_CAT(HPyAPI_BIND_, NAME), NAME)
#define HPYAPI_IMPL_PICK(probe, NAME) HPYAPI_SECOND(probe, NAME)

/* HPyAPI_PROTOTYPES(LIST): declares every implementation (functions, and
 * the HPyGlobals of OBJECT entries) with external linkage, for an exporter
 * whose implementations live in several files: put it in the module's
 * internal header, include that header everywhere, define each function
 * non-static in any file and HPyAPI_DEFINE in one. */
#define HPYAPI_P_FUNC(IDX, SINCE, R, NAME, ...)                                \
    NAME##_hpyapi_ftype HPYAPI_IMPL_OF(NAME);
#define HPYAPI_P_OBJECT(IDX, SINCE, NAME) extern HPyGlobal HPYAPI_IMPL_OF(NAME);
#define HPYAPI_P_RETIRED(IDX, SINCE, R, NAME, ...)
#define HPYAPI_P_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_P, __VA_ARGS__)
/* none for data: whether the variable is const is the exporter's choice */
#define HPYAPI_P_DATA(IDX, SINCE, NAME, T)
#define HPyAPI_PROTOTYPES(LIST)                                                \
    HPYAPI_EACH(LIST, HPYAPI_P)                                                \
    typedef int hpyapi_prototypes_need_a_semicolon

/* ---- per-entry generators -------------------------------------------------- */

#ifdef __cplusplus
#define HPYAPI_IS_TYPE(expr, T) (std::is_same<decltype(expr), T>::value)
#else
#define HPYAPI_IS_TYPE(expr, T) _Generic((expr), T: 1, default: 0)
#endif

/* One entry whose trampoline calls CALLEE (the implementation, or the
 * object loader that hpyapi writes for OBJECT entries). */
#define HPYAPI_T_ENTRY(IDX, R, NAME, CALLEE, RK, TL, ...)                      \
    static HPyAPI_Route NAME##_hpyapi_route = HPYAPI_ROUTE_INIT;               \
    HPYAPI_TPARAMS(HPYAPI_G_CBDEF, NAME, TL)                                   \
    struct NAME##_hpyapi_frame {                                               \
        char hpyapi_first;                                                     \
        HPYAPI_TPARAMS(HPYAPI_G_FIELD, ~, TL)                                  \
        HPYAPI_RKK(FIELD, RK)(R)                                               \
    };                                                                         \
    static const HPyAPI_CallbackArg NAME##_hpyapi_cbs[] = {                    \
        HPYAPI_TPARAMS(HPYAPI_G_CBARG, NAME, TL){0, 0, NULL}};                 \
    HPYAPI_GENERATED static void NAME##_hpyapi_invoke(                         \
        HPyContext *hpyapi_ctx, void *hpyapi_frame)                            \
    {                                                                          \
        struct NAME##_hpyapi_frame *hpyapi_f =                                 \
            (struct NAME##_hpyapi_frame *)hpyapi_frame;                        \
        (void)hpyapi_f; /* unused when there is neither argument nor result */ \
        HPYAPI_RKK(STORE, RK)                                                  \
        (hpyapi_f, CALLEE(hpyapi_ctx HPYAPI_TPARAMS(HPYAPI_G_FARG, hpyapi_f,   \
                                                   TL)));                      \
    }                                                                          \
    HPYAPI_RKK(RLENFN, RK)(NAME, __VA_ARGS__)                                  \
    static const HPyAPI_ArgDesc NAME##_hpyapi_args[] = {                       \
        HPYAPI_TPARAMS(HPYAPI_G_DESC, struct NAME##_hpyapi_frame, TL)          \
        {HPYAPI_ARG_END, 0, 0, 0}};                                            \
    static const HPyAPI_EntryDesc NAME##_hpyapi_desc = {                       \
        (IDX), HPYAPI_RKK(KIND, RK),                                           \
        HPYAPI_RKK(OFF, RK)(struct NAME##_hpyapi_frame), NAME##_hpyapi_invoke, \
        NAME##_hpyapi_args, NAME##_hpyapi_cbs, HPYAPI_RKK(RLEN, RK)(NAME),     \
        HPYAPI_RKK(RSDESC, RK)(NAME)};                                         \
    /* the generic slot: any caller, classified at the call by its  */         \
    /* family word, along the route routes.c decided for that kind;  */        \
    /* the slow path of rtramp and ctramp, never a copy inside them  */        \
    HPYAPI_GENERATED HPYAPI_NOINLINE static R NAME##_hpyapi_tramp(             \
        HPyContext *hpyapi_ctx HPYAPI_TPARAMS(HPYAPI_G_PROTO, ~, TL))          \
    {                                                                          \
        struct NAME##_hpyapi_frame hpyapi_f = {                                \
            0 HPYAPI_TPARAMS(HPYAPI_G_INIT, ~, TL) HPYAPI_RKK(FINIT, RK)};     \
        if (_HPyAPI_Call(hpyapi_ctx, &NAME##_hpyapi_route,                     \
                         &NAME##_hpyapi_desc, &hpyapi_f,                       \
                         HPYAPI_CALLER_PC()) < 0)                              \
            HPYAPI_RKK(FAIL, RK)(R);                                           \
        HPYAPI_RKK(RETURN, RK)(hpyapi_f);                                      \
    }                                                                          \
    /* the exporter's family on another instance, trace <-> universal:  */     \
    /* the same handles, the exporter's own context                     */     \
    HPYAPI_GENERATED HPYAPI_MAYBE_UNUSED static R NAME##_hpyapi_xtramp(        \
        HPyContext *hpyapi_ctx HPYAPI_TPARAMS(HPYAPI_G_PROTO, ~, TL))          \
    {                                                                          \
        (void)hpyapi_ctx;                                                      \
        HPYAPI_RKK(TAIL, RK)                                                   \
        (CALLEE(NAME##_hpyapi_route.ctx                                        \
                    HPYAPI_TPARAMS(HPYAPI_G_ARG, ~, TL)));                     \
    }                                                                          \
    /* CPython ABI <-> universal/trace: every handle + delta; arrays    */     \
    /* too long for the stack, out-handle arrays and callbacks go on    */     \
    /* as the generic slot                                              */     \
    HPYAPI_GENERATED HPYAPI_MAYBE_UNUSED static R NAME##_hpyapi_rtramp(        \
        HPyContext *hpyapi_ctx HPYAPI_TPARAMS(HPYAPI_G_PROTO, ~, TL))          \
    {                                                                          \
        if (1 HPYAPI_TPARAMS(HPYAPI_G_SMALL, ~, TL)) {                         \
            intptr_t hpyapi_k = NAME##_hpyapi_route.delta;                     \
            (void)hpyapi_k; /* unused without handles */                       \
            HPYAPI_TPARAMS(HPYAPI_G_ABUF, hpyapi_k, TL)                        \
            HPYAPI_RKK(RCALL, RK)                                              \
            (R, hpyapi_k, CALLEE(NAME##_hpyapi_route.ctx HPYAPI_TPARAMS(       \
                              HPYAPI_G_REBASE, hpyapi_k, TL)))                 \
            HPYAPI_TPARAMS(HPYAPI_G_OFIX, hpyapi_k, TL)                        \
            HPYAPI_RKK(RRET, RK);                                              \
        }                                                                      \
        HPYAPI_RKK(TAIL, RK)                                                   \
        (NAME##_hpyapi_tramp(hpyapi_ctx HPYAPI_TPARAMS(HPYAPI_G_ARG, ~,        \
                                                      TL)));                   \
    }                                                                          \
    HPYAPI_MAYBE_UNUSED static R (*const NAME##_hpyapi_bind)(                  \
        HPyContext * HPYAPI_TPARAMS(HPYAPI_G_PROTO, ~, TL)) =                  \
        &NAME##_hpyapi_tramp;                                                  \
    HPYAPI_GENERATED static HPYAPI_TCRETK(NAME, RK, R) NAME##_hpyapi_ctramp(   \
        HPYAPI_TPARAMS(HPYAPI_G_CPROTO, ~, TL))                                \
    {                                                                          \
        intptr_t hpyapi_k = NAME##_hpyapi_route.coffset;                       \
        if (HPYAPI_LIKELY(hpyapi_k >= 0)                                       \
                HPYAPI_TPARAMS(HPYAPI_G_SMALL, ~, TL)) {                       \
            HPYAPI_TPARAMS(HPYAPI_G_ABUF, hpyapi_k, TL)                        \
            HPYAPI_RKK(CCALL, RK)                                              \
            (R, hpyapi_k, CALLEE(NAME##_hpyapi_route.ctx HPYAPI_TPARAMS(       \
                              HPYAPI_G_CWRAP, hpyapi_k, TL)))                  \
            HPYAPI_TPARAMS(HPYAPI_G_COFIX, hpyapi_k, TL)                       \
            HPYAPI_RKK(CRRET, RK)(NAME, IDX);                                  \
        }                                                                      \
        HPYAPI_RKK(CSLOW, RK)                                                  \
        (NAME##_hpyapi_tramp(_HPyAPI_CapiCaller(HPYAPI_CALLER_PC())            \
                                 HPYAPI_TPARAMS(HPYAPI_G_CINIT, ~, TL)),       \
         NAME, IDX);                                                           \
    }

#define HPYAPI_T_FUNC(IDX, SINCE, R, NAME, ...)                                \
    HPYAPI_STATIC_ASSERT(                                                      \
        HPYAPI_IS_TYPE(&HPYAPI_IMPL_OF(NAME), NAME##_hpyapi_ftype *),          \
        "hpyapi: the implementation of " #NAME " does not match its "          \
        "declaration " HPYAPI_SIGNATURE(R, __VA_ARGS__));                      \
    HPYAPI_T_ENTRY_I(IDX, R, NAME, HPYAPI_IMPL_OF(NAME), HPYAPI_TRKIND(NAME, R), \
                     HPYAPI_TAGGED(__VA_ARGS__), __VA_ARGS__)
/* the result's kind and the parameters classified once, for the twenty
   walks of HPYAPI_T_ENTRY (hpyapi/pp.h, HPYAPI_TAGGED) */
#define HPYAPI_T_ENTRY_I(...) HPYAPI_T_ENTRY(__VA_ARGS__)

/* An exported object: an HPyGlobal of the exporter; the entry returns a
 * new handle to it in the caller's context. */
#define HPYAPI_T_OBJECT(IDX, SINCE, NAME)                                      \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_TYPE(HPYAPI_IMPL_OF(NAME), HPyGlobal),      \
                   "hpyapi: exported object " #NAME " must be an HPyGlobal");  \
    static HPy NAME##_hpyapi_load(HPyContext *hpyapi_ctx)                      \
    {                                                                          \
        return HPyGlobal_Load(hpyapi_ctx, HPYAPI_IMPL_OF(NAME));               \
    }                                                                          \
    HPYAPI_T_ENTRY(IDX, HPy, NAME, NAME##_hpyapi_load, HPYAPI_KD_H,            \
                   (1, (HPYAPI_KD_N, void)), (void))

/* Exported data: the exporter's variable (a T or a const T), by address.
 * No trampoline: nothing to convert, so consumers read it directly; the
 * route only keeps the per-entry arrays uniform (hooks refuse data). */
#define HPYAPI_T_DATA(IDX, SINCE, NAME, T)                                     \
    HPYAPI_STATIC_ASSERT(                                                      \
        HPYAPI_IS_TYPE(&HPYAPI_IMPL_OF(NAME), NAME##_hpyapi_T *) ||            \
            HPYAPI_IS_TYPE(&HPYAPI_IMPL_OF(NAME), const NAME##_hpyapi_T *),    \
        "hpyapi: exported data " #NAME " must be a variable of type " #T       \
        " (or const " #T ")");                                                 \
    static HPyAPI_Route NAME##_hpyapi_route = HPYAPI_ROUTE_INIT;               \
    HPYAPI_MAYBE_UNUSED static const NAME##_hpyapi_T *const NAME##_hpyapi_bind = \
        &HPYAPI_IMPL_OF(NAME);
#define HPYAPI_T_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_T, __VA_ARGS__)

/* A retired entry: the slots keep stubs of the old type that raise. */
#define HPYAPI_T_RETIRED(IDX, SINCE, R, NAME, ...)                             \
    static HPyAPI_Route NAME##_hpyapi_route = HPYAPI_ROUTE_INIT;               \
    HPYAPI_STUB static R NAME##_hpyapi_tramp(                                  \
        HPyContext *hpyapi_ctx HPYAPI_PARAMS(HPYAPI_G_PROTO, ~, __VA_ARGS__))  \
    {                                                                          \
        (void)hpyapi_ctx;                                                      \
        HPYAPI_PARAMS(HPYAPI_G_UNUSED, ~, __VA_ARGS__)                         \
        _HPyAPI_RaiseRetired(&NAME##_hpyapi_route, (IDX));                     \
        HPYAPI_RK(FAIL, R)(R);                                                 \
    }                                                                          \
    HPYAPI_STUB static HPYAPI_RK(CRET, R)(R) NAME##_hpyapi_ctramp(             \
        HPYAPI_PARAMS(HPYAPI_G_CPROTO, ~, __VA_ARGS__))                        \
    {                                                                          \
        HPYAPI_PARAMS(HPYAPI_G_UNUSED, ~, __VA_ARGS__)                         \
        _HPyAPI_RaiseRetired(&NAME##_hpyapi_route, (IDX));                     \
        HPYAPI_RK(CFAIL, R)(R);                                                \
    }

/* Per entry: what its slots may hold (HPyAPI_EntrySlots), its route, its
 * CPython-API slot.  A retired entry's stub raises in every table. */
#define HPYAPI_T_SLOT_FUNC(IDX, SINCE, R, NAME, ...)                           \
    {(HPyAPI_Slot)&HPYAPI_IMPL_OF(NAME), (HPyAPI_Slot)&NAME##_hpyapi_xtramp,   \
     (HPyAPI_Slot)&HPYAPI_RK(RSLOT, R)(NAME), (HPyAPI_Slot)&NAME##_hpyapi_tramp, \
     &NAME##_hpyapi_desc},
#define HPYAPI_T_SLOT_OBJECT(IDX, SINCE, NAME)                                 \
    {(HPyAPI_Slot)&NAME##_hpyapi_load, (HPyAPI_Slot)&NAME##_hpyapi_xtramp,     \
     (HPyAPI_Slot)&NAME##_hpyapi_rtramp, (HPyAPI_Slot)&NAME##_hpyapi_tramp,    \
     &NAME##_hpyapi_desc},
#define HPYAPI_T_SLOT_RETIRED(IDX, SINCE, R, NAME, ...)                        \
    {(HPyAPI_Slot)&NAME##_hpyapi_tramp, (HPyAPI_Slot)&NAME##_hpyapi_tramp,     \
     (HPyAPI_Slot)&NAME##_hpyapi_tramp, (HPyAPI_Slot)&NAME##_hpyapi_tramp,     \
     NULL},
#define HPYAPI_T_ROUTE_FUNC(IDX, SINCE, R, NAME, ...) &NAME##_hpyapi_route,
#define HPYAPI_T_ROUTE_OBJECT(IDX, SINCE, NAME) &NAME##_hpyapi_route,
#define HPYAPI_T_ROUTE_RETIRED HPYAPI_T_ROUTE_FUNC
#define HPYAPI_T_CSLOT_FUNC(IDX, SINCE, R, NAME, ...) NAME##_hpyapi_ctramp,
#define HPYAPI_T_CSLOT_OBJECT(IDX, SINCE, NAME) NAME##_hpyapi_ctramp,
#define HPYAPI_T_CSLOT_RETIRED HPYAPI_T_CSLOT_FUNC
/* ... and for data: no trampoline (export.c compares the HPy table's slot
   with the CPython-API table's), the same route, the variable's address */
#define HPYAPI_T_SLOT_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_T_SLOT, __VA_ARGS__)
#define HPYAPI_T_SLOT_DATA(IDX, SINCE, NAME, T) {NULL, NULL, NULL, NULL, NULL},
#define HPYAPI_T_ROUTE_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_T_ROUTE, __VA_ARGS__)
#define HPYAPI_T_ROUTE_DATA(IDX, SINCE, NAME, T) &NAME##_hpyapi_route,
#define HPYAPI_T_CSLOT_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_T_CSLOT, __VA_ARGS__)
#define HPYAPI_T_CSLOT_DATA(IDX, SINCE, NAME, T) &HPYAPI_IMPL_OF(NAME),

/* Positional initialisers throughout: C++17 has no designated ones. */
#define HPyAPI_DEFINE(API, LIST)                                               \
    HPYAPI_D_CTABLE(API, LIST)                                                 \
    HPYAPI_D_CHECKS(API, LIST)                                                 \
    HPYAPI_EACH(LIST, HPYAPI_T)                                                \
    static const HPyAPI_EntrySlots API##_hpyapi_slots[] = {                    \
        HPYAPI_EACH(LIST, HPYAPI_T_SLOT)};                                     \
    static HPyAPI_Slot                                                         \
        API##_hpyapi_tables[HPYAPI_N_TABLES * (1 + HPYAPI_N_ENTRIES(API))];    \
    static HPyAPI_Route *const API##_hpyapi_routes[] = {                       \
        HPYAPI_EACH(LIST, HPYAPI_T_ROUTE)};                                    \
    static HPyAPI_Header API##_hpyapi_header, API##_hpyapi_cheader;            \
    static API##_CAPI API##_hpyapi_ctable = {&API##_hpyapi_cheader,            \
                                             HPYAPI_EACH(LIST, HPYAPI_T_CSLOT)}; \
    HPYAPI_MAYBE_UNUSED static HPyAPI_Token API##_hpyapi_token = {             \
        API##_hpyapi_routes, HPYAPI_N_ENTRIES(API), HPYAPI_KIND_UNKNOWN, -1,   \
        NULL, API##_API_spec, API##_hpyapi_slots, &API##_hpyapi_header,        \
        &API##_hpyapi_cheader, &API##_hpyapi_ctable, "_hpyapi_" #API,          \
        "hpyapi." #API, "_hpyapi_" #API "_capi", "hpyapi." #API ".capi",       \
        NULL, NULL, API##_hpyapi_tables, NULL, 0};                             \
    HPYAPI_META_MARK(API, export)                                              \
    typedef API##_API API##_hpyapi_defined_table

/* HPy_AsAPI(ctx, NAME): the trampoline for entry NAME.  Use it in
 * HPy_mod_exec to fill the table; HPyAPI_Export binds them all. */
#define HPy_AsAPI(ctx, NAME) ((void)(ctx), NAME##_hpyapi_bind)

/* HPyAPI_Export(ctx, module, API, table): check that every slot of *table
 * holds its trampoline, then publish it as the capsule attribute
 * `_hpyapi_<API>` of `module`, and the CPython-API table as
 * `_hpyapi_<API>_capi`.  Returns 0, or -1 with an exception set. */
#ifdef __cplusplus
#define HPYAPI_TABLE_ARG(API, table) static_cast<API##_hpyapi_defined_table *>(table)
#else
#define HPYAPI_TABLE_ARG(API, table)                                           \
    _Generic((table), API##_hpyapi_defined_table *: (table))
#endif
#define HPyAPI_Export(ctx, module, API, table)                                 \
    _HPyAPI_Export((ctx), HPYAPI_LOAD_CTX(ctx), (module),                      \
                   &API##_hpyapi_token, HPYAPI_TABLE_ARG(API, table))

#endif /* HPYAPI_TRAMPOLINE_H */
