/* greet_api.h - shared by the exporter and its consumers,
 * which include <hpy.h> (or <Python.h> for C-API code) first */
#include "hpyapi.h"

#define GREET_API(FUNC, OBJECT, RETIRED)                                       \
    FUNC(0, 0, HPy, Greet, (HPy, name))                                        \
    FUNC(1, 0, long, Twice, (long, x))
HPyAPI_DECLARE(greet, GREET_API, 1, 0) /* API "greet", version 1.0 */
