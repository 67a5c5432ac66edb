/* hpyapi/kinds/array_len.h - kind AL, (const HPy *, p, HPyAPI_LEN(n)): a
 * handle array whose length is another parameter.
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_AL.  Not public: included by hpyapi/kinds.h.
 */
#ifndef HPYAPI_KINDS_ARRAY_LEN_H
#define HPYAPI_KINDS_ARRAY_LEN_H

#define HPYAPI_G_HASX_AL(X, pos, T, name, len)
#define HPYAPI_G_PROTO_AL(X, pos, T, name, len) , const HPy *name
#define HPYAPI_G_CPROTO_AL(X, pos, T, name, len)                               \
    struct _object *const *name HPYAPI_SEP_##pos
#define HPYAPI_G_UNUSED_AL(X, pos, T, name, len) (void)name;
#define HPYAPI_G_SIG_AL HPYAPI_G_NSIG_AL /* only in named signatures */
#define HPYAPI_G_NSIG_AL(X, pos, T, name, len)                                 \
    #T " " #name "[" #len "]" HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_CHECK_AL(NAME, pos, T, name, len)                             \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_CONST_HANDLE_PTR(T),                        \
                   #NAME ": array parameter '" #name "' must be declared as "  \
                   "(const HPy *, " #name ", HPyAPI_LEN(" #len "))");          \
    HPYAPI_LEN_CHECK(NAME, name, len)
#define HPYAPI_G_ARG_AL(X, pos, T, name, len) , name
#define HPYAPI_G_INIT_AL(X, pos, T, name, len) , name
#define HPYAPI_G_FARG_AL(X, pos, T, name, len) , X->name
#define HPYAPI_G_FIELD_AL(X, pos, T, name, len) const HPy *name;
/* ... an array whose length is another parameter's field, of its type */
#define HPYAPI_G_DESC_AL(X, pos, T, name, len)                                 \
    {HPYAPI_ARG_ARRAY, offsetof(X, name), offsetof(X, len),                    \
     HPYAPI_LEN_DESC(X, len)},
/* a length of any integer type: negative ones wrap far above the bound,
   and no comparison is always true or false for an unsigned one */
#define HPYAPI_G_SMALL_AL(X, pos, T, name, len)                                \
    &&_HPyAPI_SmallArray((uint64_t)(len), name)
#define HPYAPI_G_ABUF_AL(X, pos, T, name, len)                                 \
    HPy hpyapi_b_##name[HPYAPI_SMALL_ARRAY];                                   \
    const HPy *hpyapi_a_##name = _HPyAPI_RebaseArray(                          \
        hpyapi_b_##name, (const void *)name, (HPy_ssize_t)(len), X);
#define HPYAPI_G_REBASE_AL(X, pos, T, name, len) , hpyapi_a_##name
#define HPYAPI_G_OFIX_AL(X, pos, T, name, len)
#define HPYAPI_G_COFIX_AL HPYAPI_G_OFIX_AL
#define HPYAPI_G_CWRAP_AL(X, pos, T, name, len) , hpyapi_a_##name
#define HPYAPI_G_CINIT_AL(X, pos, T, name, len)                                \
    , (const HPy *)(const void *)name
#define HPYAPI_G_LENCHECK_AL(NAME, pos, T, name, len)
#define HPYAPI_G_LOCAL_AL(X, pos, T, name, len) HPYAPI_G_LOCAL_H(X, pos, T, name)
#define HPYAPI_G_HASCB_AL(X, pos, T, name, len)
#define HPYAPI_G_CBDEF_AL HPYAPI_G_HASCB_AL
#define HPYAPI_G_CBARG_AL HPYAPI_G_HASCB_AL

#endif /* HPYAPI_KINDS_ARRAY_LEN_H */
