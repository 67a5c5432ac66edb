/* hpyapi/kinds/struct.h - kind S, (HPyAPI_STRUCT(Name) *, p): a struct
 * declared with HPyAPI_STRUCT_DECLARE (hpyapi/structs.h), whose handles,
 * arrays and functions the runtime converts (runtime/structs.c); and
 * (HPyAPI_STRUCTS(Name) *, p), an array of them ending with an all-zero
 * one.
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_S.  Not public: included by hpyapi/kinds.h.  The
 * frame holds the pointer; the entry's callback list holds where, and the
 * struct's descriptor (CBARG), so that call.c stages it for a caller
 * whose context is not the exporter's own, and no fast path takes it.
 */
#ifndef HPYAPI_KINDS_STRUCT_H
#define HPYAPI_KINDS_STRUCT_H

#define HPYAPI_G_HASX_S(X, pos, T, name)
#define HPYAPI_G_PROTO_S(X, pos, T, name) , HPYAPI_STYPE(T) name
#define HPYAPI_G_CPROTO_S(X, pos, T, name)                                     \
    HPYAPI_SCTYPE(T) name HPYAPI_SEP_##pos
#define HPYAPI_G_UNUSED_S(X, pos, T, name) (void)name;
#define HPYAPI_G_SIG_S(X, pos, T, name) HPYAPI_SSIG(T) HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_NSIG_S(X, pos, T, name)                                       \
    HPYAPI_SSIG(T) " " #name HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_CHECK_S(NAME, pos, T, name)
#define HPYAPI_G_ARG_S(X, pos, T, name) , name
#define HPYAPI_G_INIT_S(X, pos, T, name) , name
#define HPYAPI_G_FARG_S(X, pos, T, name) , X->name
#define HPYAPI_G_FIELD_S(X, pos, T, name) HPYAPI_STYPE(T) name;
#define HPYAPI_G_DESC_S(X, pos, T, name)
#define HPYAPI_G_SMALL_S(X, pos, T, name) && 0
#define HPYAPI_G_ABUF_S(X, pos, T, name)
#define HPYAPI_G_REBASE_S(X, pos, T, name) , name
#define HPYAPI_G_OFIX_S(X, pos, T, name)
#define HPYAPI_G_COFIX_S HPYAPI_G_OFIX_S
/* the C-API struct is the HPy one, handles being PyObject* (offset 0) */
#define HPYAPI_G_CWRAP_S(X, pos, T, name) , (HPYAPI_STYPE(T))(void *)name
#define HPYAPI_G_CINIT_S HPYAPI_G_CWRAP_S
#define HPYAPI_G_LENCHECK_S(NAME, pos, T, name)
#define HPYAPI_G_LOCAL_S HPYAPI_G_LOCAL_H
#define HPYAPI_G_HASCB_S(X, pos, T, name) +1
/* what the runtime reads of the struct, the entry's own: a file that
 * defines no entry taking it emits no descriptor (hpyapi/structs.h) */
#define HPYAPI_G_CBDEF_S(NAME, pos, T, name)                                   \
    HPYAPI_NEEDS_EXPORTER(#NAME ": parameter '" #name "' is " #T)             \
    HPYAPI_SF_INFO(NAME##_hpyapi_s_##name, HPYAPI_SNAME(T), HPYAPI_SKIND(T))
#define HPYAPI_SF_INFO(var, N, K) HPYAPI_SF_INFO_I(var, N, K)
#define HPYAPI_SF_INFO_I(var, N, K)                                            \
    static const HPyAPI_CallbackInfo var = {                                   \
        "struct " #N K("", "[]"), NULL, NULL, NULL, 0, 0, NULL,                \
        K(0, HPYAPI_SF_LIST), HPYAPI_EXPORTED(N##_hpyapi_sdesc)};
/* {where the pointer is, the frame's size, the struct}: see runtime.h */
#define HPYAPI_G_CBARG_S(NAME, pos, T, name)                                   \
    {offsetof(struct NAME##_hpyapi_frame, name),                               \
     sizeof(struct NAME##_hpyapi_frame), &NAME##_hpyapi_s_##name},

/* legacy tables (legacy.h) refuse it, one error */
#define HPYAPI_L_CHECK_S(NAME, pos, T, p) HPYAPI_L_REFUSED(NAME, "a struct", p)
#define HPYAPI_L_PROTO_S HPYAPI_L_PROTO_X
#define HPYAPI_L_CTYPE_S HPYAPI_L_CTYPE_X
#define HPYAPI_L_FARG_S HPYAPI_L_FARG_X
#define HPYAPI_L_STEAL_S HPYAPI_L_STEAL_X
#define HPYAPI_L_CONV_S HPYAPI_L_CONV_X
#define HPYAPI_L_SSTEAL_S HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SARG_S HPYAPI_L_SARG_X
#define HPYAPI_L_ARG_S HPYAPI_L_ARG_X
#define HPYAPI_L_UNUSED_S HPYAPI_L_UNUSED_X
#define HPYAPI_L_SIG_S HPYAPI_L_SIG_X

#endif /* HPYAPI_KINDS_STRUCT_H */
