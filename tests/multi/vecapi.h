/* vecapi.h - two APIs of one exporter (like NumPy's array and ufunc
 * APIs), shared by the exporter's and the consumers' files.  Include
 * <hpy.h> or <Python.h> first. */
#ifndef VECAPI_H
#define VECAPI_H
#include "hpyapi.h"

/* vec: make and read Python lists of floats */
#define VEC_API(FUNC, OBJECT, RETIRED)                                         \
    FUNC(0, 0, HPy,         Vec_New,    (HPy_ssize_t, n), (double, fill))     \
    FUNC(1, 0, HPy_ssize_t, Vec_Len,    (HPy, v))                             \
    FUNC(2, 0, double,      Vec_Get,    (HPy, v), (HPy_ssize_t, i))           \
    FUNC(3, 0, HPy,         Vec_Concat, (const HPy *, parts, n))              \
    OBJECT(4, 0, VecError)
HPyAPI_DECLARE(vec, VEC_API, 1, 0)

/* vops: arithmetic over them; `ctx` as a parameter name is fine */
#define VOPS_API(FUNC, OBJECT, RETIRED)                                        \
    FUNC(0, 0, HPy,    Vops_Scale, (HPy, v), (double, ctx))                   \
    FUNC(1, 0, double, Vops_Dot,   (HPy, a), (HPy, b))                        \
    FUNC(2, 0, HPy,    Vops_Apply, (HPy, fn), (HPy, v))
HPyAPI_DECLARE(vops, VOPS_API, 1, 0)

#endif
