/* hpyapi/kinds/array_expr.h - kind AE, (const HPy *, p, HPyAPI_LEN_EXPR(e)):
 * a handle array of a fixed or implied length.
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_AE.  Not public: included by hpyapi/kinds.h.
 */
#ifndef HPYAPI_KINDS_ARRAY_EXPR_H
#define HPYAPI_KINDS_ARRAY_EXPR_H

#define HPYAPI_G_HASX_AE(X, pos, T, name, len) , 1
#define HPYAPI_G_PROTO_AE HPYAPI_G_PROTO_AL
#define HPYAPI_G_CPROTO_AE HPYAPI_G_CPROTO_AL
#define HPYAPI_G_UNUSED_AE HPYAPI_G_UNUSED_AL
#define HPYAPI_G_SIG_AE HPYAPI_G_NSIG_AL
#define HPYAPI_G_NSIG_AE HPYAPI_G_NSIG_AL
#define HPYAPI_G_CHECK_AE(NAME, pos, T, name, len)                             \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_CONST_HANDLE_PTR(T),                        \
                   #NAME ": array parameter '" #name "' must be declared as "  \
                   "(const HPy *, " #name ", HPyAPI_LEN_EXPR(" #len "))");
#define HPYAPI_G_ARG_AE HPYAPI_G_ARG_AL
#define HPYAPI_G_INIT_AE(X, pos, T, name, len) , name, (HPy_ssize_t)(len)
#define HPYAPI_G_FARG_AE HPYAPI_G_FARG_AL
#define HPYAPI_G_FIELD_AE(X, pos, T, name, len)                                \
    const HPy *name;                                                           \
    HPy_ssize_t hpyapi_len_##name;
#define HPYAPI_G_DESC_AE(X, pos, T, name, len)                                 \
    {HPYAPI_ARG_ARRAY, offsetof(X, name), offsetof(X, hpyapi_len_##name), 0},
#define HPYAPI_G_SMALL_AE(X, pos, T, name, len)                                \
    &&_HPyAPI_SmallArray((uint64_t)(HPy_ssize_t)(len), name)
#define HPYAPI_G_ABUF_AE HPYAPI_G_ABUF_AL
#define HPYAPI_G_REBASE_AE HPYAPI_G_REBASE_AL
#define HPYAPI_G_OFIX_AE HPYAPI_G_OFIX_AL
#define HPYAPI_G_COFIX_AE HPYAPI_G_OFIX_AL
#define HPYAPI_G_CWRAP_AE HPYAPI_G_CWRAP_AL
#define HPYAPI_G_CINIT_AE HPYAPI_G_CINIT_AL /* the trampoline evaluates len */
#ifdef __cplusplus
#define HPYAPI_G_LENCHECK_AE(NAME, pos, T, name, len)                          \
    typedef decltype(len) hpyapi_lenx_##name;                                  \
    static_assert(std::is_integral<hpyapi_lenx_##name>::value &&               \
                      !std::is_same<hpyapi_lenx_##name, bool>::value,          \
                  HPYAPI_LENX_MSG(NAME, name, len));
#else
#define HPYAPI_G_LENCHECK_AE(NAME, pos, T, name, len)                          \
    typedef __typeof__(len) hpyapi_lenx_##name;                                \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_LEN_TYPE(*(hpyapi_lenx_##name *)0),         \
                         HPYAPI_LENX_MSG(NAME, name, len));
#endif
#define HPYAPI_G_LOCAL_AE HPYAPI_G_LOCAL_AL
#define HPYAPI_G_HASCB_AE(X, pos, T, name, len)
#define HPYAPI_G_CBDEF_AE HPYAPI_G_HASCB_AE
#define HPYAPI_G_CBARG_AE HPYAPI_G_HASCB_AE

#endif /* HPYAPI_KINDS_ARRAY_EXPR_H */
