/* testapi.h - the API the matrix tests export and call.
 * Each entry exercises one thing a user relies on; see test_matrix.py. */
#ifndef TESTAPI_H
#define TESTAPI_H
#include "hpy.h"
#include "hpyapi.h"

#define TESTAPI(FUNC, OBJECT, RETIRED)                                           \
    OBJECT (0,  0, Thing)                                                       \
    FUNC   (1,  0, HPy,          Add,        (HPy, a), (HPy, b))                \
    FUNC   (2,  0, long,         AsLong,     (HPy, a))                          \
    FUNC   (3,  0, HPy,          SumList,    (const HPy *, items, n))           \
    FUNC   (4,  0, double,       Scale,      (double, x), (int, k))             \
    FUNC   (5,  0, HPy,          CallBack,   (HPy, fn), (HPy, arg))             \
    FUNC   (6,  0, int,          Raise,      (HPy, type), (const char *, msg))  \
    FUNC   (7,  0, HPy,          NullResult, (int, set_error))                  \
    FUNC   (8,  0, void,         Store,      (HPy, obj))                        \
    FUNC   (9,  0, HPy,          Load,       (void))                            \
    FUNC   (10, 0, HPy,          Identity,   (HPy, a))                          \
    FUNC   (11, 0, const char *, CtxName,    (void))                            \
    FUNC   (12, 0, HPy,          Pick,       (HPy, a), (HPy, b), (int, which))  \
    RETIRED(13, 0, int,          OldEntry,   (HPy, a))                          \
    FUNC   (14, 0, HPy,          Concat,     (HPy, sep), (const HPy *, parts, n), (HPy, tail))

HPyAPI_DECLARE(testapi, TESTAPI, 1, 0)

#endif
