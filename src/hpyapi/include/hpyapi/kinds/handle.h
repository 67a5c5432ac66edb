/* hpyapi/kinds/handle.h - kind H, (HPy, x): a handle argument, borrowed from
 * the caller.
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_H.  Not public: included by hpyapi/kinds.h.
 */
#ifndef HPYAPI_KINDS_HANDLE_H
#define HPYAPI_KINDS_HANDLE_H

#define HPYAPI_G_HASX_H(X, pos, T, name)
#define HPYAPI_G_PROTO_H(X, pos, T, name) , HPy name
#define HPYAPI_G_CPROTO_H(X, pos, T, name) struct _object *name HPYAPI_SEP_##pos
#define HPYAPI_G_UNUSED_H(X, pos, T, name) (void)name;
#define HPYAPI_G_SIG_H(X, pos, T, name) "HPy" HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_NSIG_H(X, pos, T, name) "HPy " #name HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_CHECK_H(NAME, pos, T, name)
#define HPYAPI_G_ARG_H(X, pos, T, name) , name
#define HPYAPI_G_INIT_H(X, pos, T, name) , name
#define HPYAPI_G_FARG_H(X, pos, T, name) , X->name
#define HPYAPI_G_FIELD_H(X, pos, T, name) HPy name;
#define HPYAPI_G_DESC_H(X, pos, T, name)                                       \
    {HPYAPI_ARG_HANDLE, offsetof(X, name), 0, 0},
#define HPYAPI_G_SMALL_H(X, pos, T, name)
#define HPYAPI_G_ABUF_H(X, pos, T, name)
#define HPYAPI_G_REBASE_H(X, pos, T, name) , _HPyAPI_Rebase(name, X)
#define HPYAPI_G_OFIX_H(X, pos, T, name)
#define HPYAPI_G_COFIX_H HPYAPI_G_OFIX_H
#define HPYAPI_G_CWRAP_H(X, pos, T, name) , _HPyAPI_HandleOfPy(name, X)
#define HPYAPI_G_CINIT_H(X, pos, T, name) , _HPyAPI_HandleOfPy(name, 0)
#define HPYAPI_G_LENCHECK_H(NAME, pos, T, name)
#define HPYAPI_G_LOCAL_H(X, pos, T, name)                                      \
    HPYAPI_TYPEOF(X->name) name = X->name;                                     \
    (void)name;
#define HPYAPI_G_HASCB_H(X, pos, T, name)
#define HPYAPI_G_CBDEF_H HPYAPI_G_HASCB_H
#define HPYAPI_G_CBARG_H HPYAPI_G_HASCB_H

#endif /* HPYAPI_KINDS_HANDLE_H */
