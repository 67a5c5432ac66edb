/* constapi.h - top-level qualifiers on by-value parameters.  The exporter
 * declares them (CONST_SPELLING 1); a consumer may leave them out (0):
 * the signatures are the same C ABI and compare equal after
 * normalisation. */
#include "hpyapi.h"

#if CONST_SPELLING
#define CONSTAPI(FUNC, OBJECT, RETIRED)                                        \
    FUNC(0, 0, long, Scale, (HPy, o), (const int, k), (double const, f))       \
    FUNC(1, 0, HPy, Pick, (const HPy *, xs, n), (const HPy_ssize_t, i))        \
    FUNC(2, 0, const char *, Word, (volatile int, i), (const char *const, s))
#else
#define CONSTAPI(FUNC, OBJECT, RETIRED)                                        \
    FUNC(0, 0, long, Scale, (HPy, o), (int, k), (double, f))                   \
    FUNC(1, 0, HPy, Pick, (const HPy *, xs, n), (HPy_ssize_t, i))              \
    FUNC(2, 0, const char *, Word, (int, i), (const char *, s))
#endif
HPyAPI_DECLARE(constapi, CONSTAPI, 1, 0)
