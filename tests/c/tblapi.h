/* tblapi.h - a table of the exporter's functions returned to the caller
 * (HPyAPI_TABLE), modelled on NumPy's _PyDataType_GetArrFuncs and its
 * PyArray_ArrFuncs: slot functions of several shapes (one taking an
 * object, one returning one, an array of three of values, two handles in
 * and one out), a handle field and a value.  Include <hpy.h> or
 * <Python.h> first. */
#ifndef TBLAPI_H
#define TBLAPI_H
#include "hpyapi.h"

/* PyArray_GetItemFunc / SetItemFunc: data points to a long index into
 * the exporter's list of items; arr is a plain value */
HPyAPI_SLOT_TYPE(tbl_getitem, HPy, (void *, data), (void *, arr));
HPyAPI_SLOT_TYPE(tbl_setitem, int, (HPy, value), (void *, data),
                 (void *, arr));
/* PyArray_SortFunc: values only */
HPyAPI_SLOT_TYPE(tbl_sort, int, (void *, start), (long, num), (void *, arr));
HPyAPI_SLOT_TYPE(tbl_pair, HPy, (HPy, a), (HPy, b));
/* what a returned table may not hold: HPyAPI_SLOT_LEN arrays */
HPyAPI_SLOT_TYPE(tbl_resolve, int, (const HPy *, given, HPyAPI_SLOT_LEN));

#define TBL_FUNCS(F)                                                           \
    F(FN, tbl_getitem, getitem) F(FN, tbl_setitem, setitem)                    \
    F(FNS, (tbl_sort, 3), sort) F(HANDLE, HPy, castdict)                       \
    F(VALUE, int, elsize) F(FN, tbl_pair, combine)
HPyAPI_STRUCT_DECLARE(TblFuncs, TBL_FUNCS);
#define TBL_BAD(F) F(VALUE, int, n) F(FN, tbl_resolve, resolve)
HPyAPI_STRUCT_DECLARE(TblBad, TBL_BAD);

/* which: 0 the table, 1 another table with the same functions, 2 NULL
 * with the exporter's ValueError */
#ifndef TBL_PLAIN /* a consumer built without it: refused at import */
#define HPyAPI_RETURNS_Tbl_GetFuncs HPyAPI_TABLE(TblFuncs)
#endif
#define HPyAPI_RETURNS_Tbl_GetBad HPyAPI_TABLE(TblBad)
#define TBLAPI(FUNC, OBJECT, RETIRED)                                          \
    FUNC(0, 0, TblFuncs *, Tbl_GetFuncs, (int, which))                         \
    FUNC(1, 0, TblBad *, Tbl_GetBad, (void))                                   \
    FUNC(2, 0, int, Tbl_Twice, (int, x))
HPyAPI_DECLARE(tblapi, TBLAPI, 1, 0)

#ifdef HPy_H
#define TEST_MODINIT(name, def) HPy_MODINIT(name, def)
#endif
#endif
