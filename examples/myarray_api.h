/* myarray_api.h - the C API of the `myarray` example, shared by the
 * exporter (myarray.c) and every consumer (stats.c).  This one list is the
 * whole declaration: table type, trampolines and import checks come from
 * it.  Include <hpy.h> (or <Python.h> in a C-API extension) first. */
#ifndef MYARRAY_API_H
#define MYARRAY_API_H

#include "hpyapi.h"

/* idx  since  return       name               parameters */
#define MYARRAY_API(FUNC, OBJECT, RETIRED)                                     \
    OBJECT(0, 0, ArrayType)                                                    \
    FUNC  (1, 0, HPy,         Array_New,         (HPy_ssize_t, n),             \
                                                 (double, fill))               \
    FUNC  (2, 0, HPy,         Array_FromDoubles, (const double *, data),       \
                                                 (HPy_ssize_t, n))             \
    FUNC  (3, 0, HPy_ssize_t, Array_Length,      (HPy, a))                     \
    FUNC  (4, 0, double,      Array_GetItem,     (HPy, a), (HPy_ssize_t, i))   \
    FUNC  (5, 0, int,         Array_SetItem,     (HPy, a), (HPy_ssize_t, i),   \
                                                 (double, v))                  \
    FUNC  (6, 0, double,      Array_Sum,         (const HPy *, arrays, n))

HPyAPI_DECLARE(myarray, MYARRAY_API, 1, 0)

#endif
