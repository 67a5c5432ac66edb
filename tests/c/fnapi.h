/* fnapi.h - functions of a slot type passed by themselves,
 * (HPyAPI_FN(type), f), modelled on NumPy's PyArray_RegisterCastFunc and
 * PyUFunc_AddWrappingLoop: no user data, kept by the exporter and called
 * back later.  Include <hpy.h> or <Python.h> first. */
#ifndef FNAPI_H
#define FNAPI_H
#include "hpyapi.h"

/* PyArray_VectorUnaryFunc-like: a handle in, a new handle out */
HPyAPI_SLOT_TYPE(fn_cast, HPy, (HPy, value), (long, n));
/* the wrapped loop: another slot type of the same shape, so that each
 * pool stays within its 16 cells over every caller mode of one exporter
 * (private contexts make each mode a family) */
HPyAPI_SLOT_TYPE(fn_wloop, HPy, (HPy, value), (long, n));
/* PyArrayMethod_TranslateGivenDescriptors-like: a value result */
HPyAPI_SLOT_TYPE(fn_translate, int, (int, nin), (HPy, given));
/* for the pool's limit: 20 different functions */
HPyAPI_SLOT_TYPE(fn_many, HPy, (HPy, value));

/* PyArrayMethod_TranslateLoopDescriptors-like: arrays of nin + nout, the
 * length the entry passed (HPyAPI_LEN_EXPR), lent and filled */
HPyAPI_SLOT_TYPE(fn_loop_descrs, int, (int, nin), (int, nout),
                 (const HPy *, given, HPyAPI_SLOT_LEN),
                 (HPy *, loop_descrs, HPyAPI_SLOT_LEN));

#define FN_NCASTS 8
#define FNAPI(FUNC, OBJECT, RETIRED)                                           \
    FUNC(0, 0, int, Fn_RegisterCast, (HPy, descr), (int, totype),              \
         (HPyAPI_FN(fn_cast), castfunc))                                       \
    FUNC(1, 0, int, Fn_AddWrapping, (HPy, ufunc),                              \
         (HPyAPI_FN(fn_translate), given),                                    \
         (HPyAPI_FN(fn_wloop), loop))                                         \
    FUNC(2, 0, int, Fn_Keep, (int, i), (HPyAPI_FN(fn_many), f))               \
    FUNC(3, 0, int, Fn_AddTranslator, (int, nin), (int, nout),                 \
         (HPyAPI_FN(fn_loop_descrs), translate, HPyAPI_LEN_EXPR(nin + nout)))
HPyAPI_DECLARE(fnapi, FNAPI, 1, 0)

#ifdef HPy_H
#define TEST_MODINIT(name, def) HPy_MODINIT(name, def)
#endif
#endif
