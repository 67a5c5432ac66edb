/* lenapi.h - handle arrays whose length is fixed or implied
 * (HPyAPI_LEN_EXPR): a constant, or an expression of other parameters
 * such as a type resolver's nin + nout.  Include <hpy.h> or <Python.h>
 * first. */
#ifndef LENAPI_H
#define LENAPI_H
#include "hpyapi.h"

#define LENAPI(FUNC, OBJECT, RETIRED)                                          \
    FUNC(0, 0, HPy, Len_Three, (const HPy *, xs, HPyAPI_LEN_EXPR(3)))          \
    FUNC(1, 0, int, Len_Split3, (HPy, seq), (HPy *, out, HPyAPI_LEN_EXPR(3)))  \
    FUNC(2, 0, int, Len_Resolve, (int, nin), (int, nout),                      \
         (const HPy *, dtypes, HPyAPI_LEN_EXPR(nin + nout)),                   \
         (HPy *, out_dtypes, HPyAPI_LEN_EXPR(nin + nout)))                     \
    FUNC(3, 0, HPy, Len_Pairs, (const HPy *, flat, HPyAPI_LEN_EXPR(2 * n)),    \
         (unsigned char, n))
HPyAPI_DECLARE(lenapi, LENAPI, 1, 0)

#endif
