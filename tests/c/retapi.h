/* retapi.h - returned arrays of handles (HPyAPI_RETURNS_<Entry>), NumPy's
 * PyArray_ConvertToCommonType(op, &n): n new handles in an array the
 * caller owns and frees with HPyAPI_FreeHandles (C-API:
 * HPyAPI_FreeObjects).  Include <hpy.h> or <Python.h> first. */
#ifndef RETAPI_H
#define RETAPI_H
#include "hpyapi.h"

#define RETAPI(FUNC, OBJECT, RETIRED)                                          \
    FUNC(0, 0, HPy *, Ret_Items, (HPy, seq), (int *, retn))                    \
    FUNC(1, 0, HPy *, Ret_Twice, (HPy, a))
/* before HPyAPI_DECLARE, which checks that they are there */
#define HPyAPI_RETURNS_Ret_Items HPyAPI_HANDLES(*retn)
#define HPyAPI_RETURNS_Ret_Twice HPyAPI_HANDLES(2)
HPyAPI_DECLARE(retapi, RETAPI, 1, 0)

#endif
