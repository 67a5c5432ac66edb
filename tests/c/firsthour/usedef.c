/* usedef.c - a module of two files using fhapi through HPyAPI_USE:
 * usedef_a.c has HPyAPI_USE_DEFINE unless NO_DEFINE, usedef_b.c only
 * reaches it through import_fhapi (a call, which alone would link) unless
 * TWO_DEFINES gives it its own definition too. */
#include "hpy.h"
#include "fhapi.h"
HPyAPI_USE(fhapi, FHAPI);
#if defined(TWO_DEFINES)
HPyAPI_USE_DEFINE(fhapi, FHAPI, "fh_late.fhexp");
#endif

int usedef_import(HPyContext *ctx) { return import_fhapi(ctx); }
