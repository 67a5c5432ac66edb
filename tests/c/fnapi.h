/* fnapi.h - functions of a slot type passed by themselves,
 * (HPyAPI_FN(type), f), modelled on NumPy's PyArray_RegisterCastFunc and
 * PyUFunc_AddWrappingLoop: no user data, kept by the exporter and called
 * back later.  Include <hpy.h> or <Python.h> first. */
#ifndef FNAPI_H
#define FNAPI_H
#include "hpyapi.h"

/* PyArray_VectorUnaryFunc-like: a handle in, a new handle out */
HPyAPI_SLOT_TYPE(fn_cast, HPy, (HPy, value), (long, n));
/* PyArrayMethod_TranslateGivenDescriptors-like: a value result */
HPyAPI_SLOT_TYPE(fn_translate, int, (int, nin), (HPy, given));
/* for the pool's limit: 20 different functions */
HPyAPI_SLOT_TYPE(fn_many, HPy, (HPy, value));

#define FN_NCASTS 8
#define FNAPI(FUNC, OBJECT, RETIRED)                                           \
    FUNC(0, 0, int, Fn_RegisterCast, (HPy, descr), (int, totype),              \
         (HPyAPI_FN(fn_cast), castfunc))                                       \
    FUNC(1, 0, int, Fn_AddWrapping, (HPy, ufunc),                              \
         (HPyAPI_FN(fn_translate), given), (HPyAPI_FN(fn_cast), loop))         \
    FUNC(2, 0, int, Fn_Keep, (int, i), (HPyAPI_FN(fn_many), f))
HPyAPI_DECLARE(fnapi, FNAPI, 1, 0)

#ifdef HPy_H
#define TEST_MODINIT(name, def) HPy_MODINIT(name, def)
#endif
#endif
