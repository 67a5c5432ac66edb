/* fhapi.h - a small API whose variants are the mistakes a new user makes
 * (tests/test_failed_import.py, tests/test_check_verdict.py):
 *   FH_MAJOR=2              another major
 *   FH_MINOR=1              a newer minor, with entry 2 (Fh_Neg)
 *   FH_MINOR=1 FH_SHORT=1   says 1.1 but lacks entry 2 (a missing entry)
 *   FH_B=double             Fh_Add's second parameter changed type */
#include "hpyapi.h"

#ifndef FH_MAJOR
#define FH_MAJOR 1
#endif
#ifndef FH_MINOR
#define FH_MINOR 0
#endif
#ifndef FH_B
#define FH_B long
#endif
#if FH_MINOR >= 1 && !defined(FH_SHORT)
#define FH_NEWER(FUNC) FUNC(2, 1, long, Fh_Neg, (long, a))
#else
#define FH_NEWER(FUNC)
#endif

#define FHAPI(FUNC, OBJECT, RETIRED)                                           \
    FUNC(0, 0, long, Fh_Add, (long, a), (FH_B, b))                             \
    FUNC(1, 0, HPy, Fh_Echo, (HPy, o))                                         \
    FH_NEWER(FUNC)
HPyAPI_DECLARE(fhapi, FHAPI, FH_MAJOR, FH_MINOR)
