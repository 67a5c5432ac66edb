/* testapi.h - the API the matrix tests export and call.
 * Each entry exercises one thing a user relies on; see test_matrix.py.
 * Include <hpy.h>, or <Python.h> in the C-API consumer, first. */
#ifndef TESTAPI_H
#define TESTAPI_H
#include "hpyapi.h"

/* Built with -DTESTAPI_MINOR=1 the API is version 1.1 and has one more
 * entry: the version tests pair 1.0 and 1.1 builds both ways. */
#ifndef TESTAPI_MINOR
#define TESTAPI_MINOR 0
#endif
#if TESTAPI_MINOR >= 1
#define TESTAPI_ADDED_IN_1_1(FUNC) FUNC(15, 1, long, Version, (void))
#else
#define TESTAPI_ADDED_IN_1_1(FUNC)
#endif

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
    FUNC   (14, 0, HPy,          Concat,     (HPy, sep), (const HPy *, parts, n), (HPy, tail)) \
    TESTAPI_ADDED_IN_1_1(FUNC)

HPyAPI_DECLARE(testapi, TESTAPI, 1, TESTAPI_MINOR)

/* Variants of one source are built under other module names
 * (-DMODNAME=...); HPy_MODINIT pastes its argument, so expand it first. */
#ifdef HPy_H
#define TEST_MODINIT(name, def) HPy_MODINIT(name, def)
#endif

#endif
