/* hpyapi/kinds/fn.h - kind FN, (HPyAPI_FN(type), f): a function of slot
 * type `type` (HPyAPI_SLOT_TYPE, hpyapi/structs.h) passed by itself, with
 * no user data, which the exporter may keep and call later: NumPy's
 * PyArray_RegisterCastFunc(descr, totype, PyArray_VectorUnaryFunc *);
 * and kind FNL, (HPyAPI_FN(type), f, HPyAPI_LEN_EXPR(e)), the same for a
 * slot type whose HPyAPI_SLOT_LEN arrays have e handles, e an integer
 * expression of the entry's parameters (PyUFunc_AddWrappingLoop's
 * translators take arrays of the ufunc's nin + nout).
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_FN.  Not public: included by hpyapi/kinds.h.  It
 * crosses as a struct's FN field does: the entry's callback list holds
 * where the function is and a one-field descriptor of it (CBARG, kept ==
 * HPYAPI_SF_FNPARAM), so that runtime/structs.c replaces it by a pool
 * trampoline of its slot type for a caller whose context is not the
 * exporter's own, and no fast path takes it.
 */
#ifndef HPYAPI_KINDS_FN_H
#define HPYAPI_KINDS_FN_H

/* HPyAPI_FN(type): pp.h's probe sees it, so it is no macro; these read
 * the slot type out of it */
#define HPYAPI_FNT(T) HPYAPI_CAT_I(HPYAPI_FNT_, T)
#define HPYAPI_FNT_HPyAPI_FN(t) t
#define HPYAPI_FNC(T) HPYAPI_CAT_I(HPYAPI_FNC_, T)
#define HPYAPI_FNC_HPyAPI_FN(t) t##_CAPI
#define HPYAPI_FNSIG(T) HPYAPI_CAT_I(HPYAPI_FNSIG_, T)
#define HPYAPI_FNSIG_HPyAPI_FN(t) "HPyAPI_FN(" #t ")"
#define HPYAPI_FNPOOL(T) HPYAPI_CAT_I(HPYAPI_FNPOOL_, T)
#define HPYAPI_FNPOOL_HPyAPI_FN(t) t##_hpyapi_pool
#define HPYAPI_FNLEN(T) HPYAPI_CAT_I(HPYAPI_FNLEN_, T)
#define HPYAPI_FNLEN_HPyAPI_FN(t) t##_hpyapi_needs_len

#define HPYAPI_G_HASX_FN(X, pos, T, name)
#define HPYAPI_G_PROTO_FN(X, pos, T, name) , HPYAPI_FNT(T) name
#define HPYAPI_G_CPROTO_FN(X, pos, T, name) HPYAPI_FNC(T) name HPYAPI_SEP_##pos
#define HPYAPI_G_UNUSED_FN(X, pos, T, name) (void)name;
#define HPYAPI_G_SIG_FN(X, pos, T, name) HPYAPI_FNSIG(T) HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_NSIG_FN(X, pos, T, name)                                      \
    HPYAPI_FNSIG(T) " " #name HPYAPI_SIG_SEP_##pos
/* a slot type whose arrays have HPyAPI_SLOT_LEN handles needs the length
   a SLOTS_N field registers; a parameter by itself has none */
#define HPYAPI_G_CHECK_FN(NAME, pos, T, name)                                  \
    HPYAPI_STATIC_ASSERT(!HPYAPI_FNLEN(T),                                     \
                         #NAME ": parameter '" #name "' is " #T ", whose "     \
                         "HPyAPI_SLOT_LEN arrays need a length: declare it (" \
                         #T ", " #name ", HPyAPI_LEN_EXPR(length))");
#define HPYAPI_G_ARG_FN(X, pos, T, name) , name
#define HPYAPI_G_INIT_FN(X, pos, T, name) , name
#define HPYAPI_G_FARG_FN(X, pos, T, name) , X->name
#define HPYAPI_G_FIELD_FN(X, pos, T, name) HPYAPI_FNT(T) name;
#define HPYAPI_G_DESC_FN(X, pos, T, name)
#define HPYAPI_G_SMALL_FN(X, pos, T, name) && 0
#define HPYAPI_G_ABUF_FN(X, pos, T, name)
#define HPYAPI_G_REBASE_FN(X, pos, T, name) , name
#define HPYAPI_G_OFIX_FN(X, pos, T, name)
#define HPYAPI_G_COFIX_FN HPYAPI_G_OFIX_FN
/* a C-API caller's function reaches the exporter only as a pool
   trampoline (call.c stages every C-API call of such an entry); the cast
   keeps the never-taken direct path valid C */
#define HPYAPI_G_CWRAP_FN(X, pos, T, name)                                     \
    , (HPYAPI_FNT(T))(void (*)(void))name
#define HPYAPI_G_CINIT_FN HPYAPI_G_CWRAP_FN
#define HPYAPI_G_LENCHECK_FN(NAME, pos, T, name)
#define HPYAPI_G_LOCAL_FN HPYAPI_G_LOCAL_H
#define HPYAPI_G_HASCB_FN(X, pos, T, name) +1
/* the one-field descriptor structs.c stages: the function at offset 0 of
   a "struct" that is the parameter itself (name NULL, see there) */
#define HPYAPI_G_CBDEF_FN(NAME, pos, T, name)                                  \
    HPYAPI_FN_CBDEF(NAME, T, name, HPYAPI_SF_FNPARAM)
#define HPYAPI_FN_CBDEF(NAME, T, name, kept)                                   \
    HPYAPI_NEEDS_EXPORTER(#NAME ": parameter '" #name "' is " #T)             \
    static const HPyAPI_StructDesc *NAME##_hpyapi_fn_##name(void)             \
    {                                                                          \
        static const HPyAPI_FieldDesc hpyapi_f[] = {                           \
            {HPYAPI_FIELD_FN, 0, #name, NULL, NULL, 0,                        \
             HPYAPI_EXPORTED(HPYAPI_FNPOOL(T))},                               \
            {HPYAPI_FIELD_END, 0, NULL, NULL, NULL, 0, NULL}};                 \
        static const HPyAPI_StructDesc hpyapi_d = {NULL, 0, hpyapi_f, NULL};  \
        return &hpyapi_d;                                                      \
    }                                                                          \
    static const HPyAPI_CallbackInfo NAME##_hpyapi_fninfo_##name = {          \
        #NAME "(" #name ")", NULL, NULL, NULL, 0, 0, NULL, kept,               \
        NAME##_hpyapi_fn_##name};
/* {where the function is, the frame's size, its descriptor} */
#define HPYAPI_G_CBARG_FN(NAME, pos, T, name)                                  \
    {offsetof(struct NAME##_hpyapi_frame, name),                               \
     sizeof(struct NAME##_hpyapi_frame), &NAME##_hpyapi_fninfo_##name},

/* Kind FNL: FN's, and the length, evaluated by the caller's trampoline
 * into the field right after the function (runtime/structs.c reads it
 * there: a function pointer and an HPy_ssize_t, both one word, which the
 * frame's field list asserts). */
#define HPYAPI_G_HASX_FNL(X, pos, T, name, len) , 1
#define HPYAPI_G_PROTO_FNL(X, pos, T, name, len) , HPYAPI_FNT(T) name
#define HPYAPI_G_CPROTO_FNL(X, pos, T, name, len)                              \
    HPYAPI_G_CPROTO_FN(X, pos, T, name)
#define HPYAPI_G_UNUSED_FNL(X, pos, T, name, len) (void)name;
#define HPYAPI_G_SIG_FNL(X, pos, T, name, len)                                 \
    HPYAPI_FNSIG(T) " " #name "[" #len "]" HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_NSIG_FNL HPYAPI_G_SIG_FNL
#define HPYAPI_G_CHECK_FNL(NAME, pos, T, name, len)
#define HPYAPI_G_ARG_FNL(X, pos, T, name, len) , name
#define HPYAPI_G_INIT_FNL(X, pos, T, name, len) , name, (HPy_ssize_t)(len)
#define HPYAPI_G_FARG_FNL(X, pos, T, name, len) , X->name
#define HPYAPI_G_FIELD_FNL(X, pos, T, name, len)                               \
    HPYAPI_FNT(T) name;                                                        \
    HPy_ssize_t hpyapi_len_##name;                                             \
    HPYAPI_STATIC_ASSERT(sizeof(HPYAPI_FNT(T)) == sizeof(HPy_ssize_t),         \
                         "hpyapi: runtime/structs.c reads " #name "'s length " \
                         "in the word after the function pointer");
#define HPYAPI_G_DESC_FNL(X, pos, T, name, len)
#define HPYAPI_G_SMALL_FNL(X, pos, T, name, len) && 0
#define HPYAPI_G_ABUF_FNL(X, pos, T, name, len)
#define HPYAPI_G_REBASE_FNL HPYAPI_G_ARG_FNL
#define HPYAPI_G_OFIX_FNL(X, pos, T, name, len)
#define HPYAPI_G_COFIX_FNL HPYAPI_G_OFIX_FNL
#define HPYAPI_G_CWRAP_FNL(X, pos, T, name, len)                               \
    HPYAPI_G_CWRAP_FN(X, pos, T, name)
/* the generic trampoline, which CINIT calls, evaluates len */
#define HPYAPI_G_CINIT_FNL(X, pos, T, name, len)                               \
    HPYAPI_G_CWRAP_FN(X, pos, T, name)
#define HPYAPI_G_LENCHECK_FNL HPYAPI_G_LENCHECK_AE
#define HPYAPI_G_LOCAL_FNL(X, pos, T, name, len)                               \
    HPYAPI_G_LOCAL_H(X, pos, T, name)
#define HPYAPI_G_HASCB_FNL(X, pos, T, name, len) +1
#define HPYAPI_G_CBDEF_FNL(NAME, pos, T, name, len)                            \
    HPYAPI_FN_CBDEF(NAME, T, name, HPYAPI_SF_FNPARAM_LEN)
#define HPYAPI_G_CBARG_FNL(NAME, pos, T, name, len)                            \
    HPYAPI_G_CBARG_FN(NAME, pos, T, name)

/* legacy tables (legacy.h) refuse it, one error */
#define HPYAPI_L_CHECK_FN(NAME, pos, T, p)                                     \
    HPYAPI_L_REFUSED(NAME, "a slot function", p)
#define HPYAPI_L_PROTO_FN HPYAPI_L_PROTO_X
#define HPYAPI_L_CTYPE_FN HPYAPI_L_CTYPE_X
#define HPYAPI_L_FARG_FN HPYAPI_L_FARG_X
#define HPYAPI_L_STEAL_FN HPYAPI_L_STEAL_X
#define HPYAPI_L_CONV_FN HPYAPI_L_CONV_X
#define HPYAPI_L_SSTEAL_FN HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SARG_FN HPYAPI_L_SARG_X
#define HPYAPI_L_ARG_FN HPYAPI_L_ARG_X
#define HPYAPI_L_UNUSED_FN HPYAPI_L_UNUSED_X
#define HPYAPI_L_SIG_FN HPYAPI_L_SIG_X
#define HPYAPI_L_CHECK_FNL(NAME, pos, T, p, len)                               \
    HPYAPI_L_CHECK_FN(NAME, pos, T, p)
#define HPYAPI_L_PROTO_FNL HPYAPI_L_PROTO_X
#define HPYAPI_L_CTYPE_FNL HPYAPI_L_CTYPE_X
#define HPYAPI_L_FARG_FNL HPYAPI_L_FARG_X
#define HPYAPI_L_STEAL_FNL HPYAPI_L_STEAL_X
#define HPYAPI_L_CONV_FNL HPYAPI_L_CONV_X
#define HPYAPI_L_SSTEAL_FNL HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SARG_FNL HPYAPI_L_SARG_X
#define HPYAPI_L_ARG_FNL HPYAPI_L_ARG_X
#define HPYAPI_L_UNUSED_FNL HPYAPI_L_UNUSED_X
#define HPYAPI_L_SIG_FNL HPYAPI_L_SIG_X

/* Kind FNX, (HPyAPI_FN(type), f, x): a mistake -- user data, as an
 * HPyAPI_CB callback has, or a length not spelled HPyAPI_LEN_EXPR(e).
 * One error (CHECK); every other family is FN's, so that it is the only
 * one. */
#define HPYAPI_G_CHECK_FNX(NAME, pos, T, name, x)                              \
    HPYAPI_STATIC_ASSERT(0, #NAME ": parameter (" #T ", " #name ", " #x       \
                         "): a slot function takes no user data; declare "    \
                         "it (" #T ", " #name "), or with the length of its " \
                         "arrays (" #T ", " #name ", HPyAPI_LEN_EXPR(e))");
#define HPYAPI_G_HASX_FNX(X, pos, T, name, x)
#define HPYAPI_G_PROTO_FNX(X, pos, T, name, x)                                 \
    HPYAPI_G_PROTO_FN(X, pos, T, name)
#define HPYAPI_G_CPROTO_FNX(X, pos, T, name, x)                                \
    HPYAPI_G_CPROTO_FN(X, pos, T, name)
#define HPYAPI_G_UNUSED_FNX(X, pos, T, name, x)                                \
    HPYAPI_G_UNUSED_FN(X, pos, T, name)
#define HPYAPI_G_SIG_FNX(X, pos, T, name, x) HPYAPI_G_SIG_FN(X, pos, T, name)
#define HPYAPI_G_NSIG_FNX(X, pos, T, name, x) HPYAPI_G_NSIG_FN(X, pos, T, name)
#define HPYAPI_G_ARG_FNX(X, pos, T, name, x) HPYAPI_G_ARG_FN(X, pos, T, name)
#define HPYAPI_G_INIT_FNX(X, pos, T, name, x) HPYAPI_G_INIT_FN(X, pos, T, name)
#define HPYAPI_G_FARG_FNX(X, pos, T, name, x) HPYAPI_G_FARG_FN(X, pos, T, name)
#define HPYAPI_G_FIELD_FNX(X, pos, T, name, x)                                 \
    HPYAPI_G_FIELD_FN(X, pos, T, name)
#define HPYAPI_G_DESC_FNX(X, pos, T, name, x) HPYAPI_G_DESC_FN(X, pos, T, name)
#define HPYAPI_G_SMALL_FNX(X, pos, T, name, x)                                 \
    HPYAPI_G_SMALL_FN(X, pos, T, name)
#define HPYAPI_G_ABUF_FNX(X, pos, T, name, x) HPYAPI_G_ABUF_FN(X, pos, T, name)
#define HPYAPI_G_REBASE_FNX(X, pos, T, name, x)                                \
    HPYAPI_G_REBASE_FN(X, pos, T, name)
#define HPYAPI_G_OFIX_FNX(X, pos, T, name, x) HPYAPI_G_OFIX_FN(X, pos, T, name)
#define HPYAPI_G_COFIX_FNX(X, pos, T, name, x)                                 \
    HPYAPI_G_COFIX_FN(X, pos, T, name)
#define HPYAPI_G_CWRAP_FNX(X, pos, T, name, x)                                 \
    HPYAPI_G_CWRAP_FN(X, pos, T, name)
#define HPYAPI_G_CINIT_FNX(X, pos, T, name, x)                                 \
    HPYAPI_G_CINIT_FN(X, pos, T, name)
#define HPYAPI_G_LENCHECK_FNX(X, pos, T, name, x)
#define HPYAPI_G_LOCAL_FNX(X, pos, T, name, x)                                 \
    HPYAPI_G_LOCAL_FN(X, pos, T, name)
#define HPYAPI_G_HASCB_FNX(X, pos, T, name, x)                                 \
    HPYAPI_G_HASCB_FN(X, pos, T, name)
#define HPYAPI_G_CBDEF_FNX(X, pos, T, name, x)                                 \
    HPYAPI_G_CBDEF_FN(X, pos, T, name)
#define HPYAPI_G_CBARG_FNX(X, pos, T, name, x)                                 \
    HPYAPI_G_CBARG_FN(X, pos, T, name)
#define HPYAPI_L_CHECK_FNX HPYAPI_L_CHECK_FNL
#define HPYAPI_L_PROTO_FNX HPYAPI_L_PROTO_X
#define HPYAPI_L_CTYPE_FNX HPYAPI_L_CTYPE_X
#define HPYAPI_L_FARG_FNX HPYAPI_L_FARG_X
#define HPYAPI_L_STEAL_FNX HPYAPI_L_STEAL_X
#define HPYAPI_L_CONV_FNX HPYAPI_L_CONV_X
#define HPYAPI_L_SSTEAL_FNX HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SARG_FNX HPYAPI_L_SARG_X
#define HPYAPI_L_ARG_FNX HPYAPI_L_ARG_X
#define HPYAPI_L_UNUSED_FNX HPYAPI_L_UNUSED_X
#define HPYAPI_L_SIG_FNX HPYAPI_L_SIG_X

#endif /* HPYAPI_KINDS_FN_H */
