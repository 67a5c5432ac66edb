/* hpyapi/kinds/void.h - kind N, (void): no parameters.
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_N.  Not public: included by hpyapi/kinds.h.
 */
#ifndef HPYAPI_KINDS_VOID_H
#define HPYAPI_KINDS_VOID_H

#define HPYAPI_G_HASX_N(X, pos, T)
#define HPYAPI_G_PROTO_N(X, pos, T)
/* T: `void`, or `...` (refused by HPYAPI_G_CHECK_N; spelled out here so that
   the refusal is the only error) */
#define HPYAPI_G_CPROTO_N(X, pos, T) T
#define HPYAPI_G_UNUSED_N(X, pos, T)
#define HPYAPI_G_SIG_N(X, pos, T) #T
#define HPYAPI_G_NSIG_N(X, pos, T) #T
/* `void` is the only one-element tuple: `(...)` would be varargs */
#define HPYAPI_G_CHECK_N(NAME, pos, T)                                         \
    HPYAPI_STATIC_ASSERT(sizeof(#T) == sizeof("void"),                         \
                   #NAME ": parameter (" #T ") is not supported: parameters "  \
                   "are (void) or (T, name); instead of varargs (...) use an " \
                   "array form (const HPy *, args, n)");
#define HPYAPI_G_ARG_N(X, pos, T)
#define HPYAPI_G_INIT_N(X, pos, T)
#define HPYAPI_G_FARG_N(X, pos, T)
#define HPYAPI_G_FIELD_N(X, pos, T)
#define HPYAPI_G_DESC_N(X, pos, T)
#define HPYAPI_G_SMALL_N(X, pos, T)
#define HPYAPI_G_ABUF_N(X, pos, T)
#define HPYAPI_G_REBASE_N(X, pos, T)
#define HPYAPI_G_OFIX_N(X, pos, T)
#define HPYAPI_G_COFIX_N HPYAPI_G_OFIX_N
#define HPYAPI_G_CWRAP_N(X, pos, T)
#define HPYAPI_G_CINIT_N(X, pos, T)
#define HPYAPI_G_LENCHECK_N(NAME, pos, T)
#define HPYAPI_G_LOCAL_N(X, pos, T)
#define HPYAPI_G_HASCB_N(X, pos, T)
#define HPYAPI_G_CBDEF_N HPYAPI_G_HASCB_N
#define HPYAPI_G_CBARG_N HPYAPI_G_HASCB_N

#endif /* HPYAPI_KINDS_VOID_H */
