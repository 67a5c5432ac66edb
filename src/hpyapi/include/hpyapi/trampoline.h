/* hpyapi/trampoline.h - HPyAPI_DEFINE: where a declaration becomes
 * trampolines.
 *
 * Internal; include <hpyapi.h>.  Expanded once, in the exporter's C file
 * that holds (or declares) the implementations.  Per entry it generates:
 *
 *   NAME_hpyapi_frame   struct: a dummy byte, the arguments, the result
 *   NAME_hpyapi_invoke  calls NAME from a frame (used by the slow path)
 *   NAME_hpyapi_desc    where the handles sit in the frame
 *   NAME_hpyapi_tramp   the trampoline stored in the HPy table
 *   NAME_hpyapi_bind    what HPy_AsAPI(ctx, NAME) calls
 *   NAME_hpyapi_ctramp  the trampoline stored in the CPython-API table
 *
 * The HPy trampoline's fast path is one load and one compare: if the
 * caller's ctx->name is the exporter's family name, call NAME with the
 * caller's context and handles unchanged.  Failing that, one more compare
 * with a learned name (see HPyAPI_Token.alt) calls NAME with the
 * exporter's own context, and in the slow function a third one (rebase)
 * with the handles' bits adjusted.  The CPython-API trampoline's is
 * one load and one test: if the exporter's handles are PyObject* plus a
 * known offset, call NAME with the exporter's context and the adjusted
 * pointers.  Everything else goes to _HPyAPI_Call (runtime/transform.c)
 * with the arguments packed in a frame.
 *
 * Generated names are file-static and fixed (`hpyapi_token`, ...), so a C
 * file defines at most one API.  Generated locals start with `hpyapi_` so
 * that any parameter name the declaration uses is safe.
 */
#ifndef HPYAPI_TRAMPOLINE_H
#define HPYAPI_TRAMPOLINE_H

#include "hpyapi/decl.h"
#include "hpyapi/runtime.h"

/* The context the exporter was loaded with.  In universal and hybrid builds
 * that is HPy's `_ctx_for_trampolines` (for the debug mode, the root debug
 * context, which is exactly what ctx_CallRealFunctionFromTrampoline wants);
 * the context mod_exec received may be a short-lived debug copy. */
#ifdef HPY_ABI_CPYTHON
#define HPYAPI_LOAD_CTX(ctx) (ctx)
#else
#define HPYAPI_LOAD_CTX(ctx) ((void)(ctx), _ctx_for_trampolines)
#endif

/* ---- per-parameter generators ------------------------------------------- */

/* call arguments */
#define HPYAPI_G_ARG_H(X, pos, T, name) , name
#define HPYAPI_G_ARG_V(X, pos, T, name) , name
#define HPYAPI_G_ARG_A(X, pos, T, name, len) , name, len
#define HPYAPI_G_ARG_N(X, pos, T)

/* designated initialisers of a frame's argument fields */
#define HPYAPI_G_INIT_H(X, pos, T, name) , .name = name
#define HPYAPI_G_INIT_V(X, pos, T, name) , .name = name
#define HPYAPI_G_INIT_A(X, pos, T, name, len) , .name = name, .len = len
#define HPYAPI_G_INIT_N(X, pos, T)

/* call arguments read from frame X */
#define HPYAPI_G_FARG_H(X, pos, T, name) , X->name
#define HPYAPI_G_FARG_V(X, pos, T, name) , X->name
#define HPYAPI_G_FARG_A(X, pos, T, name, len) , X->name, X->len
#define HPYAPI_G_FARG_N(X, pos, T)

/* frame fields */
#define HPYAPI_G_FIELD_H(X, pos, T, name) HPy name;
#define HPYAPI_G_FIELD_V(X, pos, T, name) T name;
#define HPYAPI_G_FIELD_A(X, pos, T, name, len)                                 \
    const HPy *name;                                                           \
    HPy_ssize_t len;
#define HPYAPI_G_FIELD_N(X, pos, T)

/* argument descriptors for frame type X */
#define HPYAPI_G_DESC_H(X, pos, T, name)                                       \
    {HPYAPI_ARG_HANDLE, offsetof(X, name), 0},
#define HPYAPI_G_DESC_V(X, pos, T, name)
#define HPYAPI_G_DESC_A(X, pos, T, name, len)                                  \
    {HPYAPI_ARG_ARRAY, offsetof(X, name), offsetof(X, len)},
#define HPYAPI_G_DESC_N(X, pos, T)

/* Direct calls across encodings (the HPy slow path's learned rebase and
 * the CPython-API trampoline): handle arrays are copied, rebased by X,
 * into a buffer on the stack -- when every array is small, see
 * HPYAPI_G_SMALL -- and passed as hpyapi_a_<name>. */
#define HPYAPI_SMALL_ARRAY 16
#define HPYAPI_G_SMALL_H(X, pos, T, name)
#define HPYAPI_G_SMALL_V(X, pos, T, name)
#define HPYAPI_G_SMALL_A(X, pos, T, name, len)                                 \
    &&(len) >= 0 && (len) <= HPYAPI_SMALL_ARRAY
#define HPYAPI_G_SMALL_N(X, pos, T)
#define HPYAPI_G_ABUF_H(X, pos, T, name)
#define HPYAPI_G_ABUF_V(X, pos, T, name)
#define HPYAPI_G_ABUF_A(X, pos, T, name, len)                                  \
    HPy hpyapi_b_##name[HPYAPI_SMALL_ARRAY];                                   \
    const HPy *hpyapi_a_##name =                                               \
        _HPyAPI_RebaseArray(hpyapi_b_##name, (const void *)name, len, X);
#define HPYAPI_G_ABUF_N(X, pos, T)
/* ... the arguments of the HPy slow path's rebased call */
#define HPYAPI_G_REBASE_H(X, pos, T, name) , _HPyAPI_Rebase(name, X)
#define HPYAPI_G_REBASE_V(X, pos, T, name) , name
#define HPYAPI_G_REBASE_A(X, pos, T, name, len) , hpyapi_a_##name, len
#define HPYAPI_G_REBASE_N(X, pos, T)

/* CPython-API trampolines: arguments as handles offset by X (the direct
 * path) ... */
#define HPYAPI_G_CWRAP_H(X, pos, T, name) , _HPyAPI_HandleOfPy(name, X)
#define HPYAPI_G_CWRAP_V(X, pos, T, name) , name
#define HPYAPI_G_CWRAP_A(X, pos, T, name, len) , hpyapi_a_##name, len
#define HPYAPI_G_CWRAP_N(X, pos, T)
/* ... as CPython-ABI handles in a frame ... */
#define HPYAPI_G_CINIT_H(X, pos, T, name) , .name = _HPyAPI_HandleOfPy(name, 0)
#define HPYAPI_G_CINIT_V(X, pos, T, name) , .name = name
#define HPYAPI_G_CINIT_A(X, pos, T, name, len)                                 \
    , .name = (const HPy *)(const void *)name, .len = len
#define HPYAPI_G_CINIT_N(X, pos, T)
/* ... as parameters after a leading one (the slow path's caller address) */
#define HPYAPI_G_CPARAM_H(X, pos, T, name) , struct _object *name
#define HPYAPI_G_CPARAM_V(X, pos, T, name) , T name
#define HPYAPI_G_CPARAM_A(X, pos, T, name, len)                                \
    , struct _object *const *name, HPy_ssize_t len
#define HPYAPI_G_CPARAM_N(X, pos, T)


/* ---- per-result-kind pieces (H: HPy, V: value, N: void) ------------------ */

#define HPYAPI_R_FIELD_H(R) HPy hpyapi_result;
#define HPYAPI_R_FIELD_V(R) R hpyapi_result;
#define HPYAPI_R_FIELD_N(R)
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
#define HPYAPI_R_FAIL_H(R) return HPy_NULL
#define HPYAPI_R_FAIL_V(R) return HPYAPI_ERRVAL(R)
#define HPYAPI_R_FAIL_N(R) return
#define HPYAPI_R_RETURN_H(f) return f.hpyapi_result
#define HPYAPI_R_RETURN_V(f) return f.hpyapi_result
#define HPYAPI_R_RETURN_N(f) return
#define HPYAPI_R_RTAIL_H(k, call) return _HPyAPI_Rebase(call, -(k))
#define HPYAPI_R_RTAIL_V(k, call) return call
#define HPYAPI_R_RTAIL_N(k, call)                                              \
    do {                                                                       \
        call;                                                                  \
        return;                                                                \
    } while (0)
/* the same for the CPython-API trampolines (handles are PyObject *) */
#define HPYAPI_R_CTAIL_H(k, call) return _HPyAPI_PyOfHandle(call, k)
#define HPYAPI_R_CTAIL_V(k, call) return call
#define HPYAPI_R_CTAIL_N(k, call)                                              \
    do {                                                                       \
        call;                                                                  \
        return;                                                                \
    } while (0)
#define HPYAPI_R_CRETURN_H(f) return _HPyAPI_PyOfHandle(f.hpyapi_result, 0)
#define HPYAPI_R_CRETURN_V(f) return f.hpyapi_result
#define HPYAPI_R_CRETURN_N(f) return


/* ---- per-entry generators -------------------------------------------------- */

/* One entry whose trampoline calls CALLEE (the implementation NAME, or the
 * object loader that hpyapi writes for OBJECT entries). */
#define HPYAPI_T_ENTRY(IDX, R, NAME, CALLEE, ...)                              \
    struct NAME##_hpyapi_frame {                                               \
        char hpyapi_first;                                                     \
        HPYAPI_PARAMS(HPYAPI_G_FIELD, ~, __VA_ARGS__)                          \
        HPYAPI_RK(FIELD, R)(R)                                                 \
    };                                                                         \
    static void NAME##_hpyapi_invoke(HPyContext *ctx, void *hpyapi_frame)     \
    {                                                                          \
        struct NAME##_hpyapi_frame *hpyapi_f =                                 \
            (struct NAME##_hpyapi_frame *)hpyapi_frame;                        \
        (void)hpyapi_f; /* unused when there is neither argument nor result */ \
        HPYAPI_RK(STORE, R)                                                    \
        (hpyapi_f,                                                             \
         CALLEE(ctx HPYAPI_PARAMS(HPYAPI_G_FARG, hpyapi_f, __VA_ARGS__)));     \
    }                                                                          \
    static const HPyAPI_ArgDesc NAME##_hpyapi_args[] = {                       \
        HPYAPI_PARAMS(HPYAPI_G_DESC, struct NAME##_hpyapi_frame, __VA_ARGS__)  \
        {HPYAPI_ARG_END, 0, 0}};                                               \
    static const HPyAPI_EntryDesc NAME##_hpyapi_desc = {                       \
        (IDX), HPYAPI_RK(KIND, R),                                             \
        HPYAPI_RK(OFF, R)(struct NAME##_hpyapi_frame), NAME##_hpyapi_invoke,   \
        NAME##_hpyapi_args};                                                   \
    /* out of line, so that the fast path needs no stack frame */            \
    HPYAPI_COLD static R NAME##_hpyapi_slow(                                   \
        HPyContext *ctx HPYAPI_PARAMS(HPYAPI_G_PROTO, ~, __VA_ARGS__),         \
        const void *hpyapi_pc)                                                 \
    {                                                                          \
        if (ctx->name == hpyapi_rebase[IDX].name HPYAPI_PARAMS(                \
                              HPYAPI_G_SMALL, ~, __VA_ARGS__)) {               \
            intptr_t hpyapi_k = hpyapi_rebase[IDX].delta;                      \
            (void)hpyapi_k; /* unused without handles */                       \
            HPYAPI_PARAMS(HPYAPI_G_ABUF, hpyapi_k, __VA_ARGS__)                \
            HPYAPI_RK(RTAIL, R)                                                \
            (hpyapi_k, CALLEE(hpyapi_token.ctx HPYAPI_PARAMS(                  \
                           HPYAPI_G_REBASE, hpyapi_k, __VA_ARGS__)));          \
        }                                                                      \
        struct NAME##_hpyapi_frame hpyapi_f = {                                \
            .hpyapi_first = 0 HPYAPI_PARAMS(HPYAPI_G_INIT, ~, __VA_ARGS__)};   \
        if (_HPyAPI_Call(ctx, &hpyapi_token, &NAME##_hpyapi_desc, &hpyapi_f,   \
                         hpyapi_pc) < 0)                                       \
            HPYAPI_RK(FAIL, R)(R);                                             \
        HPYAPI_RK(RETURN, R)(hpyapi_f);                                        \
    }                                                                          \
    static R NAME##_hpyapi_tramp(                                              \
        HPyContext *ctx HPYAPI_PARAMS(HPYAPI_G_PROTO, ~, __VA_ARGS__))         \
    {                                                                          \
        if (HPYAPI_LIKELY(ctx->name == hpyapi_fast[IDX]))                      \
            HPYAPI_RK(TAIL, R)                                                 \
            (CALLEE(ctx HPYAPI_PARAMS(HPYAPI_G_ARG, ~, __VA_ARGS__)));         \
        if (ctx->name == hpyapi_alt[IDX])                                      \
            HPYAPI_RK(TAIL, R)                                                 \
            (CALLEE(hpyapi_token.ctx HPYAPI_PARAMS(HPYAPI_G_ARG, ~, __VA_ARGS__))); \
        HPYAPI_RK(TAIL, R)                                                     \
        (NAME##_hpyapi_slow(ctx HPYAPI_PARAMS(HPYAPI_G_ARG, ~, __VA_ARGS__),   \
                            HPYAPI_CALLER_PC()));                              \
    }                                                                          \
    HPYAPI_MAYBE_UNUSED static R (*NAME##_hpyapi_bind(HPyContext *ctx))(      \
        HPyContext * HPYAPI_PARAMS(HPYAPI_G_PROTO, ~, __VA_ARGS__))            \
    {                                                                          \
        _HPyAPI_Bind(&hpyapi_token, HPYAPI_LOAD_CTX(ctx));                     \
        return &NAME##_hpyapi_tramp;                                           \
    }                                                                          \
    HPYAPI_COLD static HPYAPI_RK(CRET, R)(R) NAME##_hpyapi_cslow(              \
        const void *hpyapi_pc HPYAPI_PARAMS(HPYAPI_G_CPARAM, ~, __VA_ARGS__))  \
    {                                                                          \
        struct NAME##_hpyapi_frame hpyapi_f = {                                \
            .hpyapi_first = 0 HPYAPI_PARAMS(HPYAPI_G_CINIT, ~, __VA_ARGS__)};  \
        if (_HPyAPI_CallKind(NULL, HPYAPI_KIND_CAPI, &hpyapi_token,            \
                             &NAME##_hpyapi_desc, &hpyapi_f, hpyapi_pc) < 0)   \
            HPYAPI_RK(CFAIL, R)(R);                                            \
        HPYAPI_RK(CRETURN, R)(hpyapi_f);                                       \
    }                                                                          \
    static HPYAPI_RK(CRET, R)(R) NAME##_hpyapi_ctramp(                         \
        HPYAPI_PARAMS(HPYAPI_G_CPROTO, ~, __VA_ARGS__))                        \
    {                                                                          \
        if (HPYAPI_LIKELY(hpyapi_cdirect[IDX])                                 \
                HPYAPI_PARAMS(HPYAPI_G_SMALL, ~, __VA_ARGS__)) {               \
            intptr_t hpyapi_k = hpyapi_token.coffset;                          \
            (void)hpyapi_k; /* unused without handles */                       \
            HPYAPI_PARAMS(HPYAPI_G_ABUF, hpyapi_k, __VA_ARGS__)                \
            HPYAPI_RK(CTAIL, R)                                                \
            (hpyapi_k, CALLEE(hpyapi_token.ctx HPYAPI_PARAMS(                  \
                           HPYAPI_G_CWRAP, hpyapi_k, __VA_ARGS__)));           \
        }                                                                      \
        HPYAPI_RK(TAIL, R)                                                     \
        (NAME##_hpyapi_cslow(HPYAPI_CALLER_PC()                                \
                                 HPYAPI_PARAMS(HPYAPI_G_ARG, ~, __VA_ARGS__)));  \
    }

#define HPYAPI_T_FUNC(IDX, SINCE, R, NAME, ...)                                \
    _Static_assert(                                                            \
        _Generic(&NAME,                                                        \
                 R(*)(HPyContext *                                             \
                      HPYAPI_PARAMS(HPYAPI_G_PROTO, ~, __VA_ARGS__)): 1,       \
                 default: 0),                                                  \
        "hpyapi: the implementation of " #NAME " does not match its "          \
        "declaration " HPYAPI_SIGNATURE(R, __VA_ARGS__));                      \
    HPYAPI_T_ENTRY(IDX, R, NAME, NAME, __VA_ARGS__)

/* An exported object: NAME is the exporter's HPyGlobal; the entry returns a
 * new handle to it in the caller's context. */
#define HPYAPI_T_OBJECT(IDX, SINCE, NAME)                                      \
    _Static_assert(_Generic(NAME, HPyGlobal: 1, default: 0),                   \
                   "hpyapi: exported object " #NAME " must be an HPyGlobal");  \
    static HPy NAME##_hpyapi_load(HPyContext *ctx)                             \
    {                                                                          \
        return HPyGlobal_Load(ctx, NAME);                                      \
    }                                                                          \
    HPYAPI_T_ENTRY(IDX, HPy, NAME, NAME##_hpyapi_load, (void))

/* A retired entry: the slots keep stubs of the old type that raise. */
#define HPYAPI_T_RETIRED(IDX, SINCE, R, NAME, ...)                             \
    static R NAME##_hpyapi_tramp(                                              \
        HPyContext *ctx HPYAPI_PARAMS(HPYAPI_G_PROTO, ~, __VA_ARGS__))         \
    {                                                                          \
        (void)ctx;                                                             \
        HPYAPI_PARAMS(HPYAPI_G_UNUSED, ~, __VA_ARGS__)                         \
        _HPyAPI_RaiseRetired(&hpyapi_token, (IDX));                            \
        HPYAPI_RK(FAIL, R)(R);                                                 \
    }                                                                          \
    static HPYAPI_RK(CRET, R)(R) NAME##_hpyapi_ctramp(                         \
        HPYAPI_PARAMS(HPYAPI_G_CPROTO, ~, __VA_ARGS__))                        \
    {                                                                          \
        HPYAPI_PARAMS(HPYAPI_G_UNUSED, ~, __VA_ARGS__)                         \
        _HPyAPI_RaiseRetired(&hpyapi_token, (IDX));                            \
        HPYAPI_RK(CFAIL, R)(R);                                                \
    }

/* The slot each entry must hold. */
#define HPYAPI_T_SLOT_FUNC(IDX, SINCE, R, NAME, ...)                           \
    (HPyAPI_Slot)&NAME##_hpyapi_tramp,
#define HPYAPI_T_SLOT_OBJECT(IDX, SINCE, NAME) (HPyAPI_Slot)&NAME##_hpyapi_tramp,
#define HPYAPI_T_SLOT_RETIRED HPYAPI_T_SLOT_FUNC

/* The CPython-API table needs nobody's help: it is filled here. */
#define HPYAPI_T_CSLOT_FUNC(IDX, SINCE, R, NAME, ...)                          \
    .NAME = NAME##_hpyapi_ctramp,
#define HPYAPI_T_CSLOT_OBJECT(IDX, SINCE, NAME) .NAME = NAME##_hpyapi_ctramp,
#define HPYAPI_T_CSLOT_RETIRED(IDX, SINCE, R, NAME, ...)                       \
    .NAME##__retired = NAME##_hpyapi_ctramp,

#define HPyAPI_DEFINE(API, LIST)                                               \
    static const char *hpyapi_fast[HPYAPI_N_ENTRIES(API)];                     \
    static const char *hpyapi_alt[HPYAPI_N_ENTRIES(API)];                      \
    static HPyAPI_Rebase hpyapi_rebase[HPYAPI_N_ENTRIES(API)];                 \
    static unsigned char hpyapi_cdirect[HPYAPI_N_ENTRIES(API)];                \
    static HPyAPI_Token hpyapi_token;                                          \
    HPYAPI_EACH(LIST, HPYAPI_T)                                                \
    static const HPyAPI_Slot hpyapi_slots[] = {HPYAPI_EACH(LIST, HPYAPI_T_SLOT)}; \
    static HPyAPI_Header hpyapi_header, hpyapi_cheader;                        \
    static API##_CAPI hpyapi_ctable = {.hpyapi_header = &hpyapi_cheader,       \
                                       HPYAPI_EACH(LIST, HPYAPI_T_CSLOT)};     \
    static HPyAPI_Token hpyapi_token = {                                       \
        .fast = hpyapi_fast,                                                   \
        .alt = hpyapi_alt,                                                     \
        .rebase = hpyapi_rebase,                                               \
        .cdirect = hpyapi_cdirect,                                             \
        .n_entries = HPYAPI_N_ENTRIES(API),                                    \
        .kind = HPYAPI_KIND_UNKNOWN,                                           \
        .get_spec = API##_API_spec,                                            \
        .slots = hpyapi_slots,                                                 \
        .header = &hpyapi_header,                                              \
        .cheader = &hpyapi_cheader,                                            \
        .ctable = &hpyapi_ctable,                                              \
        .attr = "_hpyapi_" #API,                                               \
        .capsule = "hpyapi." #API,                                             \
        .cattr = "_hpyapi_" #API "_capi",                                      \
        .ccapsule = "hpyapi." #API ".capi"};                                   \
    typedef API##_API hpyapi_defined_table

/* HPy_AsAPI(ctx, NAME): the trampoline for NAME, bound to the exporter's
 * context.  Use it in HPy_mod_exec to fill the table. */
#define HPy_AsAPI(ctx, NAME) (NAME##_hpyapi_bind(ctx))

/* HPyAPI_Export(ctx, module, API, table): check that every slot of *table
 * holds its trampoline, then publish it as the capsule attribute
 * `_hpyapi_<API>` of `module`, and the CPython-API table as
 * `_hpyapi_<API>_capi`.  Returns 0, or -1 with an exception set. */
#define HPyAPI_Export(ctx, module, API, table)                                 \
    _HPyAPI_Export((ctx), HPYAPI_LOAD_CTX(ctx), (module), &hpyapi_token,       \
                   _Generic((table), hpyapi_defined_table *: (table)))

#endif /* HPYAPI_TRAMPOLINE_H */
