/* ioapi.h - in-out handles (HPyAPI_INOUT), NumPy's `PyObject **op` of
 * PyArray_AsCArray: the caller passes a handle it owns, the exporter may
 * replace it (closing it) or leave it.  Include <hpy.h> or <Python.h>
 * first. */
#ifndef IOAPI_H
#define IOAPI_H
#include "hpyapi.h"

#define IOAPI(FUNC, OBJECT, RETIRED)                                           \
    FUNC(0, 0, int, Io_Convert, (HPy *, op, HPyAPI_INOUT), (int, how))         \
    FUNC(1, 0, int, Io_Swap, (HPy *, a, HPyAPI_INOUT), (HPy *, b, HPyAPI_INOUT)) \
    FUNC(2, 0, HPy, Io_Both, (HPy, x), (HPy *, op, HPyAPI_INOUT), (HPy *, out))
HPyAPI_DECLARE(ioapi, IOAPI, 1, 0)

/* Io_Convert's `how` */
#define IO_KEEP 0  /* leave *op; returns 0 */
#define IO_WRAP 1  /* *op = (old,), the old handle closed; returns 1 */
#define IO_FAIL 2  /* ValueError, *op left; returns -1 */
#define IO_REDUP 3 /* *op = a new handle to the same object; returns 1 */
#define IO_FILL 4  /* HPy_NULL in *op becomes "filled"; returns 2, else 0 */

#endif
