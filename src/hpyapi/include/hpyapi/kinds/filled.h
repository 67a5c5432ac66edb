/* hpyapi/kinds/filled.h - kind W, (HPy *, p, n): an array the exporter
 * fills, and its length parameter.
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_W.  Not public: included by hpyapi/kinds.h.
 */
#ifndef HPYAPI_KINDS_FILLED_H
#define HPYAPI_KINDS_FILLED_H

#define HPYAPI_G_HASX_W(X, pos, T, name, len)
#define HPYAPI_G_PROTO_W(X, pos, T, name, len) , HPy *name, HPy_ssize_t len
#define HPYAPI_G_CPROTO_W(X, pos, T, name, len)                                \
    struct _object **name, HPy_ssize_t len HPYAPI_SEP_##pos
#define HPYAPI_G_UNUSED_W HPYAPI_G_UNUSED_A
/* "HPy *[]": an array (its length follows), not an out-handle and a size */
#define HPYAPI_G_SIG_W(X, pos, T, name, len)                                   \
    #T "[]," "HPy_ssize_t" HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_NSIG_W HPYAPI_G_NSIG_A
#define HPYAPI_G_CHECK_W(NAME, pos, T, name, len)                              \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_OUT_HANDLE_PTR(T),                          \
                   #NAME ": array parameter '" #name "' the exporter fills "   \
                   "must be declared as (HPy *, " #name ", " #len ")");
#define HPYAPI_G_ARG_W HPYAPI_G_ARG_A
#define HPYAPI_G_INIT_W(X, pos, T, name, len) , name, len
#define HPYAPI_G_FARG_W HPYAPI_G_FARG_A
#define HPYAPI_G_FIELD_W(X, pos, T, name, len)                                 \
    HPy *name;                                                                 \
    HPy_ssize_t len;
#define HPYAPI_G_DESC_W(X, pos, T, name, len)                                  \
    {HPYAPI_ARG_OUTARRAY, offsetof(X, name), offsetof(X, len), 0},
#define HPYAPI_G_SMALL_W(X, pos, T, name, len) && 0 /* the slow path's */
#define HPYAPI_G_ABUF_W(X, pos, T, name, len)
#define HPYAPI_G_REBASE_W(X, pos, T, name, len) , name, len
#define HPYAPI_G_OFIX_W(X, pos, T, name, len)
#define HPYAPI_G_COFIX_W HPYAPI_G_OFIX_W
#define HPYAPI_G_CWRAP_W(X, pos, T, name, len) , (HPy *)(void *)name, len
#define HPYAPI_G_CINIT_W(X, pos, T, name, len) , (HPy *)(void *)name, len
#define HPYAPI_G_LENCHECK_W(NAME, pos, T, name, len)
#define HPYAPI_G_LOCAL_W HPYAPI_G_LOCAL_A
#define HPYAPI_G_HASCB_W(X, pos, T, name, len)
#define HPYAPI_G_CBDEF_W HPYAPI_G_HASCB_W
#define HPYAPI_G_CBARG_W HPYAPI_G_HASCB_W

#endif /* HPYAPI_KINDS_FILLED_H */
