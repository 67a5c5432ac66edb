/* thrapi.h - a small API for tests/test_hooks_engine.py: value-only
 * entries that threads may call without the GIL, and one of handles. */
#include "hpyapi.h"

#define THR_API(FUNC, OBJECT, RETIRED)                                         \
    FUNC(0, 0, long, Twice, (long, x))                                         \
    FUNC(1, 0, long, Thrice, (long, x))                                        \
    FUNC(2, 0, HPy, Echo, (HPy, a))
HPyAPI_DECLARE(thr, THR_API, 1, 0)
