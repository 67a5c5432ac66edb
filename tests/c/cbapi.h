/* cbapi.h - callbacks: entries that take a consumer's function and call
 * it, during the call or later (kept).  Include <hpy.h> or <Python.h>
 * first. */
#ifndef CBAPI_H
#define CBAPI_H
#include "hpyapi.h"

/* a NumPy-like callback spelled once, used by two entries */
#define CB_VISIT HPyAPI_CB(void, (HPy, item), (HPy, extra))
HPyAPI_CALLBACK_TYPES(cb_visit, CB_VISIT);

#define CBAPI(FUNC, OBJECT, RETIRED)                                            \
    FUNC(0, 0, HPy,  Cb_Map,      (HPy, seq),                                   \
         (HPyAPI_CB(HPy, (HPy, item), (long, i)), fn, ud))                      \
    FUNC(1, 0, long, Cb_Sum,      (long, n), (HPyAPI_CB(long, (long, i)), fn, ud)) \
    FUNC(2, 0, int,  Cb_Register, (HPyAPI_KEPT_CB(HPy, (HPy, arg)), fn, ud))    \
    FUNC(3, 0, HPy,  Cb_Fire,     (HPy, arg))                                   \
    FUNC(4, 0, int,  Cb_Each,     (HPy, seq), (CB_VISIT, fn, ud), (HPy, extra)) \
    FUNC(5, 0, int,  Cb_Stash,    (HPyAPI_CB(HPy, (HPy, arg)), fn, ud))         \
    FUNC(6, 0, long, Cb_Nullary,  (HPyAPI_CB(long, (void)), fn, ud))            \
    FUNC(7, 0, HPy,  Cb_Two,      (HPyAPI_CB(HPy, (HPy, a)), f, fdata),         \
         (HPyAPI_CB(HPy, (HPy, a)), g, gdata), (HPy, x))                        \
    RETIRED(8, 0, int, Cb_Old,    (CB_VISIT, fn, ud))
HPyAPI_DECLARE(cbapi, CBAPI, 1, 0)

#ifdef HPy_H
#define TEST_MODINIT(name, def) HPy_MODINIT(name, def)
#endif
#endif
