/* hpyapi/kinds/array.h - kind A, (const HPy *, p, n): a handle array and its
 * length parameter.
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_A.  Not public: included by hpyapi/kinds.h.
 */
#ifndef HPYAPI_KINDS_ARRAY_H
#define HPYAPI_KINDS_ARRAY_H

#define HPYAPI_G_HASX_A(X, pos, T, name, len)
#define HPYAPI_G_PROTO_A(X, pos, T, name, len)                                 \
    , const HPy *name, HPy_ssize_t len
#define HPYAPI_G_CPROTO_A(X, pos, T, name, len)                                \
    struct _object *const *name, HPy_ssize_t len HPYAPI_SEP_##pos
#define HPYAPI_G_UNUSED_A(X, pos, T, name, len) (void)name; (void)len;
#define HPYAPI_G_SIG_A(X, pos, T, name, len)                                   \
    #T "," "HPy_ssize_t" HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_NSIG_A(X, pos, T, name, len)                                  \
    #T " " #name "[" #len "],HPy_ssize_t " #len HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_CHECK_A(NAME, pos, T, name, len)                              \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_CONST_HANDLE_PTR(T),                        \
                   #NAME ": array parameter '" #name "' must be declared as "  \
                   "(const HPy *, " #name ", " #len ")");
#define HPYAPI_G_ARG_A(X, pos, T, name, len) , name, len
#define HPYAPI_G_INIT_A(X, pos, T, name, len) , name, len
#define HPYAPI_G_FARG_A(X, pos, T, name, len) , X->name, X->len
#define HPYAPI_G_FIELD_A(X, pos, T, name, len)                                 \
    const HPy *name;                                                           \
    HPy_ssize_t len;
#define HPYAPI_G_DESC_A(X, pos, T, name, len)                                  \
    {HPYAPI_ARG_ARRAY, offsetof(X, name), offsetof(X, len), 0},
#define HPYAPI_G_SMALL_A(X, pos, T, name, len)                                 \
    &&(len) >= 0 && (len) <= HPYAPI_SMALL_ARRAY && ((name) != NULL || (len) == 0)
#define HPYAPI_G_ABUF_A(X, pos, T, name, len)                                  \
    HPy hpyapi_b_##name[HPYAPI_SMALL_ARRAY];                                   \
    const HPy *hpyapi_a_##name =                                               \
        _HPyAPI_RebaseArray(hpyapi_b_##name, (const void *)name, len, X);
#define HPYAPI_G_REBASE_A(X, pos, T, name, len) , hpyapi_a_##name, len
#define HPYAPI_G_OFIX_A(X, pos, T, name, len)
#define HPYAPI_G_COFIX_A HPYAPI_G_OFIX_A
#define HPYAPI_G_CWRAP_A(X, pos, T, name, len) , hpyapi_a_##name, len
#define HPYAPI_G_CINIT_A(X, pos, T, name, len)                                 \
    , (const HPy *)(const void *)name, len
#define HPYAPI_G_LENCHECK_A(NAME, pos, T, name, len)
#define HPYAPI_G_LOCAL_A(X, pos, T, name, len)                                 \
    HPYAPI_G_LOCAL_H(X, pos, T, name) HPYAPI_G_LOCAL_H(X, pos, T, len)
#define HPYAPI_G_HASCB_A(X, pos, T, name, len)
#define HPYAPI_G_CBDEF_A HPYAPI_G_HASCB_A
#define HPYAPI_G_CBARG_A HPYAPI_G_HASCB_A

#endif /* HPYAPI_KINDS_ARRAY_H */
