/* vcon.h - included by every file of the HPy consumer module. */
#ifndef VCON_H
#define VCON_H
#include "hpy.h"
#include "vecapi.h"

HPyAPI_USE(vec, VEC_API);
HPyAPI_USE(vops, VOPS_API);

#ifdef __cplusplus
extern "C" {
#endif
HPy vcon_norm2(HPyContext *ctx, HPy v);          /* vcon_calc.c */
HPy vcon_ramp(HPyContext *ctx, HPy_ssize_t n);   /* vcon_calc.c */
HPy vcon_cxx_summary(HPyContext *ctx, HPy v);    /* vcon_cxx.cpp */
HPy vcon_cxx_join(HPyContext *ctx, HPy a, HPy b); /* vcon_cxx.cpp */
#ifdef __cplusplus
}
#endif
#endif
