/* hpyapi/kinds/callback.h - kind C, (HPyAPI_CB(...) or HPyAPI_KEPT_CB(...),
 * f, data): a callback and its data.
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_C.  Not public: included by hpyapi/kinds.h.
 */
#ifndef HPYAPI_KINDS_CALLBACK_H
#define HPYAPI_KINDS_CALLBACK_H

#define HPYAPI_G_HASX_C(X, pos, T, fn, ud)
/* decl.h's */
#define HPYAPI_G_PROTO_C(X, pos, T, fn, ud) , HPYAPI_CB_DECL(T, fn), void *ud
#define HPYAPI_G_CPROTO_C(X, pos, T, fn, ud)                                   \
    HPYAPI_CB_CDECL(T, fn), void *ud HPYAPI_SEP_##pos
#define HPYAPI_G_UNUSED_C(X, pos, T, fn, ud) (void)fn; (void)ud;
#define HPYAPI_G_SIG_C(X, pos, T, fn, ud) HPYAPI_CB_SIG(T) HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_NSIG_C HPYAPI_G_SIG_C /* compared as written anyway */
#define HPYAPI_G_CHECK_C(NAME, pos, T, fn, ud)                                 \
    HPYAPI_CB_APPLY(HPYAPI_CB_CHECK, NAME, T)
/* trampoline.h's: a callback never takes the inline rebase or C-API
   direct paths (SMALL is false), so the runtime can wrap it */
#define HPYAPI_G_ARG_C(X, pos, T, fn, ud) , fn, ud
#define HPYAPI_G_INIT_C(X, pos, T, fn, ud) , fn, ud
#define HPYAPI_G_FARG_C(X, pos, T, fn, ud) , X->fn, X->ud
#define HPYAPI_G_FIELD_C(X, pos, T, fn, ud) HPYAPI_CB_DECL(T, fn); void *ud;
#define HPYAPI_G_DESC_C(X, pos, T, fn, ud)
#define HPYAPI_G_SMALL_C(X, pos, T, fn, ud) && 0
#define HPYAPI_G_ABUF_C(X, pos, T, fn, ud)
#define HPYAPI_G_REBASE_C HPYAPI_G_ARG_C
#define HPYAPI_G_OFIX_C(X, pos, T, fn, ud)
#define HPYAPI_G_COFIX_C HPYAPI_G_OFIX_C
#define HPYAPI_G_CWRAP_C(X, pos, T, fn, ud)                                    \
    , (HPYAPI_CB_TYPE(T))(void (*)(void))fn, ud
#define HPYAPI_G_CINIT_C(X, pos, T, fn, ud)                                    \
    , (HPYAPI_CB_TYPE(T))(void (*)(void))fn, ud
#define HPYAPI_G_LENCHECK_C(NAME, pos, T, fn, ud)
#define HPYAPI_G_LOCAL_C(X, pos, T, fn, ud)                                \
    HPYAPI_G_LOCAL_H(X, pos, T, fn) HPYAPI_G_LOCAL_H(X, pos, T, ud)
#define HPYAPI_G_HASCB_C(X, pos, T, fn, ud) +1
#define HPYAPI_G_CBDEF_C(NAME, pos, T, fn, ud)                                 \
    HPYAPI_CB_APPLY(HPYAPI_CB_DEFINE,                                          \
                    (NAME##_hpyapi_cb_##fn, #NAME "(" #fn ")",                 \
                     HPYAPI_CB_KEPT(T)), T)
#define HPYAPI_G_CBARG_C(NAME, pos, T, fn, ud)                                 \
    {offsetof(struct NAME##_hpyapi_frame, fn),                                 \
     offsetof(struct NAME##_hpyapi_frame, ud), &NAME##_hpyapi_cb_##fn##_info},

#endif /* HPYAPI_KINDS_CALLBACK_H */
