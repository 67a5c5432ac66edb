/* hpyapi/kinds/value.h - kind V, (T, x): any other type, passed by value.
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_V.  Not public: included by hpyapi/kinds.h.
 */
#ifndef HPYAPI_KINDS_VALUE_H
#define HPYAPI_KINDS_VALUE_H

#define HPYAPI_G_HASX_V(X, pos, T, name)
#define HPYAPI_G_PROTO_V(X, pos, T, name) , T name
#define HPYAPI_G_CPROTO_V(X, pos, T, name) T name HPYAPI_SEP_##pos
#define HPYAPI_G_UNUSED_V(X, pos, T, name) (void)name;
#define HPYAPI_G_SIG_V(X, pos, T, name) #T HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_NSIG_V(X, pos, T, name) #T " " #name HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_CHECK_V(NAME, pos, T, name)                                   \
    HPYAPI_STATIC_ASSERT(!HPYAPI_IS_HANDLE_PTR(T),                             \
                   #NAME ": parameter '" #name "' is a handle pointer; declare"\
                   " handle arrays as (const HPy *, " #name ", length) and "   \
                   "out-handles as (HPy *, " #name ")");                       \
    HPYAPI_STATIC_ASSERT(!HPYAPI_IS_HANDLE_VALUE(T),                           \
                   #NAME ": parameter '" #name "' is a handle declared as "    \
                   #T ", which would cross contexts unconverted; write "       \
                   "(HPy, " #name ")");                                        \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_HANDLE_VALUE(T) || !HPYAPI_IS_RECORD(T),    \
                   #NAME ": parameter '" #name "' passes a struct or union ("  \
                   #T ") by value; pass a pointer: (const " #T " *, " #name ")");
#define HPYAPI_G_ARG_V(X, pos, T, name) , name
#define HPYAPI_G_INIT_V(X, pos, T, name) , name
#define HPYAPI_G_FARG_V(X, pos, T, name) , X->name
#define HPYAPI_G_FIELD_V(X, pos, T, name) T name;
#define HPYAPI_G_DESC_V(X, pos, T, name)
#define HPYAPI_G_SMALL_V(X, pos, T, name)
#define HPYAPI_G_ABUF_V(X, pos, T, name)
#define HPYAPI_G_REBASE_V(X, pos, T, name) , name
#define HPYAPI_G_OFIX_V(X, pos, T, name)
#define HPYAPI_G_COFIX_V HPYAPI_G_OFIX_V
#define HPYAPI_G_CWRAP_V(X, pos, T, name) , name
#define HPYAPI_G_CINIT_V(X, pos, T, name) , name
#define HPYAPI_G_LENCHECK_V(NAME, pos, T, name)
#define HPYAPI_G_LOCAL_V HPYAPI_G_LOCAL_H
#define HPYAPI_G_HASCB_V(X, pos, T, name)
#define HPYAPI_G_CBDEF_V HPYAPI_G_HASCB_V
#define HPYAPI_G_CBARG_V HPYAPI_G_HASCB_V

#endif /* HPYAPI_KINDS_VALUE_H */
