/* hpyapi/kinds/inout.h - kind IO, (HPy *, x, HPyAPI_INOUT): a caller-owned
 * handle the exporter may replace.
 *
 * Every generator family's macro for this kind, in the order of
 * hpyapi/kinds.h's list of families; pp.h's dispatch pastes
 * HPYAPI_G_<family>_IO.  Not public: included by hpyapi/kinds.h.
 */
#ifndef HPYAPI_KINDS_INOUT_H
#define HPYAPI_KINDS_INOUT_H

#define HPYAPI_G_HASX_IO(X, pos, T, name)
/* prototypes: `HPy *op`; arrays without a length parameter */
#define HPYAPI_G_PROTO_IO(X, pos, T, name) , HPy *name
/* the CPython-API table keeps NumPy's own types: PyObject **op */
#define HPYAPI_G_CPROTO_IO HPYAPI_G_CPROTO_O
#define HPYAPI_G_UNUSED_IO HPYAPI_G_UNUSED_H
/* signatures: "inout HPy *" is no C type's spelling, so an in-out handle
   never matches an out-handle or a value; a length expression is carried
   as written ("const HPy * p[nin + nout]"), its names resolved to
   positions by the normaliser (runtime/signature.c) */
#define HPYAPI_G_SIG_IO(X, pos, T, name) "inout HPy *" HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_NSIG_IO(X, pos, T, name)                                      \
    "inout HPy * " #name HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_CHECK_IO(NAME, pos, T, name)                                  \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_OUT_HANDLE_PTR(T),                          \
                   #NAME ": in-out handle parameter '" #name "' must be "      \
                   "declared as (HPy *, " #name ", HPyAPI_INOUT)");
#define HPYAPI_G_ARG_IO HPYAPI_G_ARG_H
/* an HPyAPI_LEN_EXPR length is evaluated here, where the parameters are
   in scope, into the frame field the runtime reads */
#define HPYAPI_G_INIT_IO HPYAPI_G_INIT_H
#define HPYAPI_G_FARG_IO HPYAPI_G_FARG_H
#define HPYAPI_G_FIELD_IO(X, pos, T, name) HPy *name;
/* an in-out handle; an array whose length the trampoline evaluated */
#define HPYAPI_G_DESC_IO(X, pos, T, name)                                      \
    {HPYAPI_ARG_INOUT, offsetof(X, name), 0, 0},
#define HPYAPI_G_SMALL_IO HPYAPI_G_SMALL_O
/* an in-out handle: the caller's, offset by X (HPy * or PyObject **) */
#define HPYAPI_G_ABUF_IO(X, pos, T, name)                                      \
    HPy hpyapi_o_##name = _HPyAPI_InOutIn((const void *)name, X);
#define HPYAPI_G_REBASE_IO(X, pos, T, name)                                    \
    , name != NULL ? &hpyapi_o_##name : NULL
/* ... an in-out handle, whatever it holds now: the one the caller passed
   (the same reference) or the exporter's replacement */
#define HPYAPI_G_OFIX_IO(X, pos, T, name)                                      \
    if (name != NULL)                                                          \
        *name = _HPyAPI_Rebase(hpyapi_o_##name, -(X));
#define HPYAPI_G_COFIX_IO(X, pos, T, name)                                     \
    if (name != NULL)                                                          \
        *name = _HPyAPI_PyOfHandle(hpyapi_o_##name, X);
#define HPYAPI_G_CWRAP_IO HPYAPI_G_REBASE_IO
#define HPYAPI_G_CINIT_IO HPYAPI_G_CINIT_O
#define HPYAPI_G_LENCHECK_IO(NAME, pos, T, name)
#define HPYAPI_G_LOCAL_IO HPYAPI_G_LOCAL_H
/* callbacks: none among these kinds */
#define HPYAPI_G_HASCB_IO(X, pos, T, name)
#define HPYAPI_G_CBDEF_IO HPYAPI_G_HASCB_IO
#define HPYAPI_G_CBARG_IO HPYAPI_G_HASCB_IO

#endif /* HPYAPI_KINDS_INOUT_H */
