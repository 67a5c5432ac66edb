/* hpyapi/kinds/filled_len.h - kind WL, (HPy *, p, HPyAPI_LEN(n)): a filled
 * array whose length is another parameter.
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_WL.  Not public: included by hpyapi/kinds.h.
 */
#ifndef HPYAPI_KINDS_FILLED_LEN_H
#define HPYAPI_KINDS_FILLED_LEN_H

#define HPYAPI_G_HASX_WL(X, pos, T, name, len)
#define HPYAPI_G_PROTO_WL(X, pos, T, name, len) , HPy *name
#define HPYAPI_G_CPROTO_WL(X, pos, T, name, len)                               \
    struct _object **name HPYAPI_SEP_##pos
#define HPYAPI_G_UNUSED_WL HPYAPI_G_UNUSED_AL
#define HPYAPI_G_SIG_WL HPYAPI_G_NSIG_AL
#define HPYAPI_G_NSIG_WL HPYAPI_G_NSIG_AL
#define HPYAPI_G_CHECK_WL(NAME, pos, T, name, len)                             \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_OUT_HANDLE_PTR(T),                          \
                   #NAME ": array parameter '" #name "' the exporter fills "   \
                   "must be declared as (HPy *, " #name ", HPyAPI_LEN(" #len   \
                   "))");                                                      \
    HPYAPI_LEN_CHECK(NAME, name, len)
#define HPYAPI_G_ARG_WL HPYAPI_G_ARG_AL
#define HPYAPI_G_INIT_WL HPYAPI_G_INIT_AL
#define HPYAPI_G_FARG_WL HPYAPI_G_FARG_AL
#define HPYAPI_G_FIELD_WL(X, pos, T, name, len) HPy *name;
#define HPYAPI_G_DESC_WL(X, pos, T, name, len)                                 \
    {HPYAPI_ARG_OUTARRAY, offsetof(X, name), offsetof(X, len),                 \
     HPYAPI_LEN_DESC(X, len)},
#define HPYAPI_G_SMALL_WL HPYAPI_G_SMALL_W
#define HPYAPI_G_ABUF_WL HPYAPI_G_ABUF_W
#define HPYAPI_G_REBASE_WL(X, pos, T, name, len) , name
#define HPYAPI_G_OFIX_WL HPYAPI_G_OFIX_AL
#define HPYAPI_G_COFIX_WL HPYAPI_G_OFIX_AL
#define HPYAPI_G_CWRAP_WL(X, pos, T, name, len) , (HPy *)(void *)name
#define HPYAPI_G_CINIT_WL(X, pos, T, name, len) , (HPy *)(void *)name
#define HPYAPI_G_LENCHECK_WL(NAME, pos, T, name, len)
#define HPYAPI_G_LOCAL_WL HPYAPI_G_LOCAL_AL
#define HPYAPI_G_HASCB_WL(X, pos, T, name, len)
#define HPYAPI_G_CBDEF_WL HPYAPI_G_HASCB_WL
#define HPYAPI_G_CBARG_WL HPYAPI_G_HASCB_WL

#endif /* HPYAPI_KINDS_FILLED_LEN_H */
