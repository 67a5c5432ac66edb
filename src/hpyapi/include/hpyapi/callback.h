/* hpyapi/callback.h - callback parameters: the transform in reverse.
 *
 * Public, through <hpyapi.h>: the parameter forms HPyAPI_CB and
 * HPyAPI_KEPT_CB, and HPyAPI_CALLBACK_TYPES; the rest is generated code.
 * A parameter
 *
 *     (HPyAPI_CB(R, (T1, a1), ...), fn, ud)        valid during the call
 *     (HPyAPI_KEPT_CB(R, (T1, a1), ...), fn, ud)   the exporter may keep it
 *
 * declares two C parameters: a function `R (*fn)(HPyContext *, T1 a1, ...,
 * void *ud)` and its user data `void *ud`.  The callback's parameters are
 * handles `(HPy, a)` or values `(T, a)`, or `(void)`; its result HPy, void
 * or a value.  In the CPython-API table the same parameter is `R' (*fn)(
 * PyObject *a1, ..., void *ud)`: borrowed PyObject* in, a new reference
 * out for an HPy result.
 *
 * When caller and exporter are of one family the consumer's function and
 * data reach the exporter unchanged.  Otherwise the runtime
 * (runtime/callback.c) hands the exporter a reverse trampoline generated
 * here per (entry, callback parameter) and a record as user data; when the
 * exporter calls it with its own context and handles, the record says
 * whose function to call and how: the handles become handles of the
 * consumer's family in a context that is valid for it (or PyObject* for a
 * C-API consumer), and the result comes back as a new handle of the
 * exporter's context.  Handles passed to a callback are borrowed, as
 * arguments of any HPy function are; its result is a new handle.
 *
 * HPyAPI_CB records live on the stack of the call that passed them: the
 * exporter must not call such a callback after that call returns (hpyapi
 * then raises SystemError rather than crash, as far as it can tell).
 * HPyAPI_KEPT_CB records are made once per (function, user data, caller
 * family) and never freed, for registrations such as NumPy's loops.
 *
 * The signature string shows a callback as a C function pointer, e.g.
 * "HPy(*)(HPyContext*,HPy,long,void*),void*" ("HPyAPI_KEPT void*" for the
 * user data of a kept one); an import compares such signatures as written.
 */
#ifndef HPYAPI_CALLBACK_H
#define HPYAPI_CALLBACK_H

#include "hpyapi/pp.h"

/* T is HPyAPI_CB(R, params...) or HPyAPI_KEPT_CB(R, params...); neither is
 * a macro, so that the probes in pp.h see them.  HPYAPI_CB_APPLY(M, X, T)
 * is M(X, R, params...). */
#define HPYAPI_CB_APPLY(M, X, T) HPYAPI_CB_APPLY_I(M, X, HPYAPI_CB_SPEC(T))
#define HPYAPI_CB_APPLY_I(M, X, ...) M(X, __VA_ARGS__)
#define HPYAPI_CB_SPEC(T) HPYAPI_CAT2_I(HPYAPI_CBSPEC_, T)
#define HPYAPI_CBSPEC_HPyAPI_CB(...) __VA_ARGS__
#define HPYAPI_CBSPEC_HPyAPI_KEPT_CB(...) __VA_ARGS__
#define HPYAPI_CB_KEPT(T) HPYAPI_CAT2_I(HPYAPI_CBKEPT_, T)
#define HPYAPI_CBKEPT_HPyAPI_CB(...) 0
#define HPYAPI_CBKEPT_HPyAPI_KEPT_CB(...) 1
#define HPYAPI_CB_UDSIG(T) HPYAPI_CAT2_I(HPYAPI_CBUDSIG_, T)
#define HPYAPI_CBUDSIG_HPyAPI_CB(...) "void*"
#define HPYAPI_CBUDSIG_HPyAPI_KEPT_CB(...) "HPyAPI_KEPT void*"

/* result kinds of a callback, as HPYAPI_RK in pp.h (own macros: this runs
   inside HPYAPI_PARAMS) */
#define HPYAPI_RK2(piece, R)                                                   \
    HPYAPI_SECOND2(HPYAPI_CAT2_I(HPYAPI_PROBE_R_, R)(), HPYAPI_PICK3_3)        \
    (HPYAPI_R_##piece##_H, HPYAPI_R_##piece##_N, HPYAPI_R_##piece##_V)

/* ---- the callback's own parameters (HPYAPI_PARAMS2 generators) ------------ */
#define HPYAPI_G2_PROTO_H(X, pos, T, name) , HPy name
#define HPYAPI_G2_PROTO_V(X, pos, T, name) , T name
#define HPYAPI_G2_CPROTO_H(X, pos, T, name) struct _object *name,
#define HPYAPI_G2_CPROTO_V(X, pos, T, name) T name,
#define HPYAPI_G2_SIG_H(X, pos, T, name) "HPy,"
#define HPYAPI_G2_SIG_V(X, pos, T, name) #T ","
#define HPYAPI_G2_FIELD_H(X, pos, T, name) HPy name;
#define HPYAPI_G2_FIELD_V(X, pos, T, name) T name;
#define HPYAPI_G2_INIT_H(X, pos, T, name) X.name = name;
#define HPYAPI_G2_INIT_V HPYAPI_G2_INIT_H
#define HPYAPI_G2_FARG_H(X, pos, T, name) , X->name
#define HPYAPI_G2_FARG_V HPYAPI_G2_FARG_H
#define HPYAPI_G2_CFARG_H(X, pos, T, name) _HPyAPI_PyOfHandle(X->name, 0),
#define HPYAPI_G2_CFARG_V(X, pos, T, name) X->name,
#define HPYAPI_G2_DESC_H(X, pos, T, name)                                      \
    {HPYAPI_ARG_HANDLE, offsetof(X, name), 0, 0},
#define HPYAPI_G2_DESC_V(X, pos, T, name)
#define HPYAPI_G2_CHECK_H(X, pos, T, name)
#define HPYAPI_G2_CHECK_V(X, pos, T, name)
#define HPYAPI_G2_CHECK_X(X, pos, T, name)                                     \
    HPYAPI_STATIC_ASSERT(0, #X ": a callback's parameters are handles (HPy, "  \
                         #name ") or values (T, " #name "); pass arrays "      \
                         "through user data");
/* (void) and the refused kind X add nothing to any other generator */
#define HPYAPI_G2_EMPTY_N(X, pos, T)
#define HPYAPI_G2_EMPTY_X(X, pos, T, name)
#define HPYAPI_G2_PROTO_N HPYAPI_G2_EMPTY_N
#define HPYAPI_G2_PROTO_X HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_CPROTO_N HPYAPI_G2_EMPTY_N
#define HPYAPI_G2_CPROTO_X HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_SIG_N HPYAPI_G2_EMPTY_N
#define HPYAPI_G2_SIG_X HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_FIELD_N HPYAPI_G2_EMPTY_N
#define HPYAPI_G2_FIELD_X HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_INIT_N HPYAPI_G2_EMPTY_N
#define HPYAPI_G2_INIT_X HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_FARG_N HPYAPI_G2_EMPTY_N
#define HPYAPI_G2_FARG_X HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_CFARG_N HPYAPI_G2_EMPTY_N
#define HPYAPI_G2_CFARG_X HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_DESC_N HPYAPI_G2_EMPTY_N
#define HPYAPI_G2_DESC_X HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_CHECK_N HPYAPI_G2_EMPTY_N

/* `R (*name)(HPyContext *, ..., void *)`, and its CPython-API twin */
#define HPYAPI_CB_DECL(T, name) HPYAPI_CB_APPLY(HPYAPI_CB_DECL_I, name, T)
#define HPYAPI_CB_DECL_I(name, R, ...)                                         \
    R (*name)(HPyContext * HPYAPI_PARAMS2(HPYAPI_G2_PROTO, ~, __VA_ARGS__),    \
              void *)
#define HPYAPI_CB_TYPE(T) HPYAPI_CB_DECL(T, )
#define HPYAPI_CB_CDECL(T, name) HPYAPI_CB_APPLY(HPYAPI_CB_CDECL_I, name, T)
#define HPYAPI_CB_CDECL_I(name, R, ...)                                        \
    HPYAPI_RK2(CRET, R)(R) (*name)(                                            \
        HPYAPI_PARAMS2(HPYAPI_G2_CPROTO, ~, __VA_ARGS__) void *)
#define HPYAPI_CB_SIG(T) HPYAPI_CB_APPLY(HPYAPI_CB_SIG_I, T, T)
#define HPYAPI_CB_SIG_I(T, R, ...)                                             \
    #R "(*)(HPyContext*," HPYAPI_PARAMS2(HPYAPI_G2_SIG, ~, __VA_ARGS__)        \
    "void*)," HPYAPI_CB_UDSIG(T)
#define HPYAPI_CB_CHECK(NAME, R, ...) HPYAPI_PARAMS2(HPYAPI_G2_CHECK, NAME, __VA_ARGS__)

/* HPyAPI_CALLBACK_TYPES(name, spec): names a callback type for the
 * functions consumers write, e.g.
 *     #define NPY_VISIT HPyAPI_CB(int, (HPy, item), (npy_intp, index))
 *     HPyAPI_CALLBACK_TYPES(npy_visit, NPY_VISIT)
 * gives `npy_visit` = int (*)(HPyContext *, HPy, npy_intp, void *) (with
 * <hpy.h>) and `npy_visit_CAPI` = int (*)(PyObject *, npy_intp, void *). */
#ifdef HPy_H
#define HPYAPI_CB_HPY_TYPEDEF(name, spec) typedef HPYAPI_CB_DECL(spec, name);
#else
#define HPYAPI_CB_HPY_TYPEDEF(name, spec)
#endif
#define HPyAPI_CALLBACK_TYPES(name, spec)                                      \
    HPYAPI_CB_HPY_TYPEDEF(name, spec)                                          \
    typedef HPYAPI_CB_CDECL(spec, name##_CAPI)

/* ---- the entry's parameter of kind C (its generators: hpyapi/kinds/callback.h) */

/* results of a C-API consumer's callback: PyObject* -> CPython-ABI handle */
#define HPYAPI_R_CSTORE_H(f, call) f->hpyapi_result = _HPyAPI_HandleOfPy(call, 0)
#define HPYAPI_R_CSTORE_V(f, call) f->hpyapi_result = call
#define HPYAPI_R_CSTORE_N(f, call) call

/* One callback parameter's reverse trampoline `P_rtramp` and what the
 * runtime needs to call the consumer's function from it (`P_info`).  The
 * frame starts with an HPyAPI_CallbackHead that the runtime fills. */
#define HPYAPI_CB_DEFINE(PLK, R, ...) HPYAPI_CB_DEFINE_I(HPYAPI_UNPAREN2 PLK, R, __VA_ARGS__)
#define HPYAPI_CB_DEFINE_I(...) HPYAPI_CB_DEFINE_II(__VA_ARGS__)
#define HPYAPI_CB_DEFINE_II(P, LABEL, KEPT, R, ...)                            \
    struct P##_frame {                                                         \
        HPyAPI_CallbackHead hpyapi_head;                                       \
        HPYAPI_PARAMS2(HPYAPI_G2_FIELD, ~, __VA_ARGS__)                        \
        HPYAPI_RK2(FIELD, R)(R)                                                \
    };                                                                         \
    static void P##_invoke(HPyContext *hpyapi_ctx, void *hpyapi_frame)         \
    {                                                                          \
        struct P##_frame *hpyapi_f = (struct P##_frame *)hpyapi_frame;         \
        HPYAPI_RK2(STORE, R)                                                   \
        (hpyapi_f, ((R(*)(HPyContext * HPYAPI_PARAMS2(HPYAPI_G2_PROTO, ~,      \
                                                      __VA_ARGS__),            \
                           void *))hpyapi_f->hpyapi_head.fn)(                  \
                       hpyapi_ctx HPYAPI_PARAMS2(HPYAPI_G2_FARG, hpyapi_f,     \
                                                 __VA_ARGS__),                 \
                       hpyapi_f->hpyapi_head.ud));                             \
    }                                                                          \
    static void P##_cinvoke(HPyContext *hpyapi_ctx, void *hpyapi_frame)        \
    {                                                                          \
        struct P##_frame *hpyapi_f = (struct P##_frame *)hpyapi_frame;         \
        (void)hpyapi_ctx; /* a C-API consumer has none */                      \
        HPYAPI_RK2(CSTORE, R)                                                  \
        (hpyapi_f, ((HPYAPI_RK2(CRET, R)(R)(*)(                                \
                        HPYAPI_PARAMS2(HPYAPI_G2_CPROTO, ~, __VA_ARGS__)       \
                            void *))hpyapi_f->hpyapi_head.fn)(                 \
                       HPYAPI_PARAMS2(HPYAPI_G2_CFARG, hpyapi_f, __VA_ARGS__)  \
                           hpyapi_f->hpyapi_head.ud));                         \
    }                                                                          \
    static const HPyAPI_ArgDesc P##_args[] = {                                 \
        HPYAPI_PARAMS2(HPYAPI_G2_DESC, struct P##_frame, __VA_ARGS__)          \
        {HPYAPI_ARG_END, 0, 0, 0}};                                            \
    static R P##_rtramp(HPyContext *hpyapi_ctx HPYAPI_PARAMS2(                 \
                            HPYAPI_G2_PROTO, ~, __VA_ARGS__),                  \
                        void *hpyapi_ud);                                      \
    static const HPyAPI_CallbackInfo P##_info = {                              \
        LABEL, (HPyAPI_Slot)&P##_rtramp, P##_invoke, P##_cinvoke,              \
        HPYAPI_RK2(KIND, R), HPYAPI_RK2(OFF, R)(struct P##_frame), P##_args,   \
        KEPT, NULL};                                                           \
    static R P##_rtramp(HPyContext *hpyapi_ctx HPYAPI_PARAMS2(                 \
                            HPYAPI_G2_PROTO, ~, __VA_ARGS__),                  \
                        void *hpyapi_ud)                                       \
    {                                                                          \
        struct P##_frame hpyapi_f;                                             \
        HPYAPI_PARAMS2(HPYAPI_G2_INIT, hpyapi_f, __VA_ARGS__)                  \
        if (_HPyAPI_CallBack(hpyapi_ctx, hpyapi_ud, &P##_info, &hpyapi_f) < 0) \
            HPYAPI_RK2(FAIL, R)(R);                                            \
        HPYAPI_RK2(RETURN, R)(hpyapi_f);                                       \
    }

#endif /* HPYAPI_CALLBACK_H */
