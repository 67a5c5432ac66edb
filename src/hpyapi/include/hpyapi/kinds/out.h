/* hpyapi/kinds/out.h - kind O, (HPy *, x): an out-handle the exporter writes
 * (new, caller-owned).
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_O.  Not public: included by hpyapi/kinds.h.
 */
#ifndef HPYAPI_KINDS_OUT_H
#define HPYAPI_KINDS_OUT_H

#define HPYAPI_G_HASX_O(X, pos, T, name)
#define HPYAPI_G_PROTO_O(X, pos, T, name) , HPy *name
#define HPYAPI_G_CPROTO_O(X, pos, T, name) struct _object **name HPYAPI_SEP_##pos
#define HPYAPI_G_UNUSED_O HPYAPI_G_UNUSED_H
#define HPYAPI_G_SIG_O(X, pos, T, name) #T HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_NSIG_O HPYAPI_G_NSIG_V
#define HPYAPI_G_CHECK_O(NAME, pos, T, name)                                   \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_OUT_HANDLE_PTR(T),                          \
                   #NAME ": out-handle parameter '" #name "' must be declared "\
                   "as (HPy *, " #name ")");
#define HPYAPI_G_ARG_O HPYAPI_G_ARG_H
#define HPYAPI_G_INIT_O HPYAPI_G_INIT_H
#define HPYAPI_G_FARG_O HPYAPI_G_FARG_H
#define HPYAPI_G_FIELD_O(X, pos, T, name) HPy *name;
#define HPYAPI_G_DESC_O(X, pos, T, name)                                       \
    {HPYAPI_ARG_OUT, offsetof(X, name), 0, 0},
#define HPYAPI_G_SMALL_O(X, pos, T, name)
#define HPYAPI_G_ABUF_O(X, pos, T, name)                                       \
    HPy hpyapi_o_##name = _HPyAPI_HandleOfPy(NULL, 0);
#define HPYAPI_G_REBASE_O(X, pos, T, name) , &hpyapi_o_##name
#define HPYAPI_G_OFIX_O(X, pos, T, name)                                       \
    if (name != NULL && !HPy_IsNull(hpyapi_o_##name))                          \
        *name = _HPyAPI_Rebase(hpyapi_o_##name, -(X));
#define HPYAPI_G_COFIX_O(X, pos, T, name)                                      \
    if (name != NULL && !HPy_IsNull(hpyapi_o_##name))                          \
        *name = _HPyAPI_PyOfHandle(hpyapi_o_##name, X);
#define HPYAPI_G_CWRAP_O(X, pos, T, name) , &hpyapi_o_##name
#define HPYAPI_G_CINIT_O(X, pos, T, name) , (HPy *)(void *)name
#define HPYAPI_G_LENCHECK_O(NAME, pos, T, name)
#define HPYAPI_G_LOCAL_O HPYAPI_G_LOCAL_H
#define HPYAPI_G_HASCB_O(X, pos, T, name)
#define HPYAPI_G_CBDEF_O HPYAPI_G_HASCB_O
#define HPYAPI_G_CBARG_O HPYAPI_G_HASCB_O

#endif /* HPYAPI_KINDS_OUT_H */
