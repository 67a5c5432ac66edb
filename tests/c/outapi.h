/* outapi.h - out-handles and arrays the exporter fills, exported by the
 * test exporter next to testapi (two APIs in one file).  Include <hpy.h>
 * or <Python.h> first. */
#ifndef OUTAPI_H
#define OUTAPI_H
#include "hpyapi.h"

#define OUTAPI(FUNC, OBJECT, RETIRED)                                           \
    FUNC(0, 0, int,         Out_Parse, (HPy, obj), (HPy *, out))                \
    FUNC(1, 0, int,         Out_Split, (HPy, seq), (HPy *, first), (HPy *, rest)) \
    FUNC(2, 0, HPy_ssize_t, Out_Fill,  (HPy, seq), (HPy *, items, n))           \
    FUNC(3, 0, HPy,         Out_Both,  (HPy, a), (HPy *, out))
HPyAPI_DECLARE(outapi, OUTAPI, 1, 0)
/* Out_Parse fails with 0 (and the trampoline with -1): Cython callers check
 * for an exception after every call (python -m hpyapi pxd reads this) */
#define HPyAPI_CYTHON_EXCEPT_Out_Parse "except *"

#endif
