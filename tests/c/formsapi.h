/* formsapi.h - the declaration forms NumPy's C-API needs beyond testapi:
 * handle arrays whose length is another parameter (any integer type,
 * before or after, shared), arrays the exporter fills with such a length,
 * a parameter named ctx, and exported data.  Exported by the test
 * exporter's "formsexporter" variant next to testapi.  Include <hpy.h> or
 * <Python.h> first.
 *
 * FORMS_VARIANT (tests/c/formsbad.c) changes the declaration the way a
 * stale consumer would: 1 binds ResultType's lengths the other way round,
 * 2 reads NumUserTypes as a long. */
#ifndef FORMSAPI_H
#define FORMSAPI_H
#include <stdint.h>
#include "hpyapi.h"

/* NumPy's version words (a struct exported by address) */
typedef struct {
    unsigned int abi;
    unsigned int api;
    unsigned int feature;
} forms_version;

#ifndef FORMS_VARIANT
#define FORMS_VARIANT 0
#endif
#if FORMS_VARIANT == 1
#define FORMS_RT_ARRS HPyAPI_LEN(ndtypes)
#define FORMS_RT_DESCRS HPyAPI_LEN(narrs)
#else
#define FORMS_RT_ARRS HPyAPI_LEN(narrs)
#define FORMS_RT_DESCRS HPyAPI_LEN(ndtypes)
#endif
#if FORMS_VARIANT == 2
#define FORMS_NUT_TYPE long
#else
#define FORMS_NUT_TYPE int
#endif

/* PyArray_ResultType(npy_intp narrs, arrs, npy_intp ndtypes, descrs);
 * CreateMultiSortedStridePerm(int narrays, arrays, int ndim, int *perm). */
#define FORMSAPI(FUNC, OBJECT, RETIRED)                                        \
    FUNC(0, 0, HPy, ResultType, (intptr_t, narrs),                             \
         (const HPy *, arrs, FORMS_RT_ARRS), (intptr_t, ndtypes),              \
         (const HPy *, descrs, FORMS_RT_DESCRS))                               \
    FUNC(1, 0, int, FillPerm, (int, narrays),                                  \
         (HPy *, arrays, HPyAPI_LEN(narrays)), (int, ndim), (int *, perm))     \
    FUNC(2, 0, int, Doubled, (const HPy *, src, HPyAPI_LEN(n)),                \
         (HPy *, dst, HPyAPI_LEN(n)), (unsigned char, n))                      \
    FUNC(3, 0, HPy, TupleU64, (uint64_t, n), (const HPy *, items, HPyAPI_LEN(n))) \
    FUNC(4, 0, HPy, TupleU32, (const HPy *, items, HPyAPI_LEN(n)), (uint32_t, n)) \
    FUNC(5, 0, HPy, TupleI8, (int8_t, n), (const HPy *, items, HPyAPI_LEN(n)))  \
    FUNC(6, 0, HPy_ssize_t, CopyInto, (const HPy *, src, m),                   \
         (HPy *, dst, HPyAPI_LEN(m)))                                          \
    FUNC(7, 0, HPy, AddCtx, (HPy, ctx), (long, n))                             \
    OBJECT(8, 0, NumUserTypes, FORMS_NUT_TYPE)                                 \
    OBJECT(9, 0, ApiVersion, forms_version)                                    \
    OBJECT(10, 0, BuildName, const char *)                                     \
    FUNC(11, 0, void, SetNumUserTypes, (int, value))
HPyAPI_DECLARE(formsapi, FORMSAPI, 1, 0)

#endif
