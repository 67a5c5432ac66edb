/* hpyapi/kinds/filled_expr.h - kind WE, (HPy *, p, HPyAPI_LEN_EXPR(e)): a
 * filled array of a fixed or implied length.
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_WE.  Not public: included by hpyapi/kinds.h.
 */
#ifndef HPYAPI_KINDS_FILLED_EXPR_H
#define HPYAPI_KINDS_FILLED_EXPR_H

#define HPYAPI_G_HASX_WE(X, pos, T, name, len) , 1
#define HPYAPI_G_PROTO_WE HPYAPI_G_PROTO_WL
#define HPYAPI_G_CPROTO_WE HPYAPI_G_CPROTO_WL
#define HPYAPI_G_UNUSED_WE HPYAPI_G_UNUSED_AL
#define HPYAPI_G_SIG_WE HPYAPI_G_NSIG_AL
#define HPYAPI_G_NSIG_WE HPYAPI_G_NSIG_AL
#define HPYAPI_G_CHECK_WE(NAME, pos, T, name, len)                             \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_OUT_HANDLE_PTR(T),                          \
                   #NAME ": array parameter '" #name "' the exporter fills "   \
                   "must be declared as (HPy *, " #name ", HPyAPI_LEN_EXPR("   \
                   #len "))");
#define HPYAPI_G_ARG_WE HPYAPI_G_ARG_AL
#define HPYAPI_G_INIT_WE HPYAPI_G_INIT_AE
#define HPYAPI_G_FARG_WE HPYAPI_G_FARG_AL
#define HPYAPI_G_FIELD_WE(X, pos, T, name, len)                                \
    HPy *name;                                                                 \
    HPy_ssize_t hpyapi_len_##name;
#define HPYAPI_G_DESC_WE(X, pos, T, name, len)                                 \
    {HPYAPI_ARG_OUTARRAY, offsetof(X, name),                                   \
     offsetof(X, hpyapi_len_##name), 0},
#define HPYAPI_G_SMALL_WE HPYAPI_G_SMALL_W
#define HPYAPI_G_ABUF_WE HPYAPI_G_ABUF_W
#define HPYAPI_G_REBASE_WE HPYAPI_G_REBASE_WL
#define HPYAPI_G_OFIX_WE HPYAPI_G_OFIX_AL
#define HPYAPI_G_COFIX_WE HPYAPI_G_OFIX_AL
#define HPYAPI_G_CWRAP_WE HPYAPI_G_CWRAP_WL
#define HPYAPI_G_CINIT_WE HPYAPI_G_CINIT_WL /* the trampoline evaluates len */
#define HPYAPI_G_LENCHECK_WE HPYAPI_G_LENCHECK_AE
#define HPYAPI_G_LOCAL_WE HPYAPI_G_LOCAL_AL
#define HPYAPI_G_HASCB_WE(X, pos, T, name, len)
#define HPYAPI_G_CBDEF_WE HPYAPI_G_HASCB_WE
#define HPYAPI_G_CBARG_WE HPYAPI_G_HASCB_WE

#endif /* HPYAPI_KINDS_FILLED_EXPR_H */
