/* vexp.h - what the exporter's files say to each other. */
#ifndef VEXP_H
#define VEXP_H
#include "hpy.h"
#include "vecapi.h"

/* existing functions exported under the entries' names */
#define HPyAPI_BIND_Vec_New HPyAPI_BIND(vexp_new_list)
#define HPyAPI_BIND_Vops_Dot HPyAPI_BIND(vexp_dot)
#define HPyAPI_BIND_VecError HPyAPI_BIND(vexp_error_type)

#ifdef __cplusplus
extern "C" {
#endif
HPyAPI_PROTOTYPES(VEC_API);
HPyAPI_PROTOTYPES(VOPS_API);
/* a helper shared between the implementation files */
int vexp_item(HPyContext *ctx, HPy v, HPy_ssize_t i, double *out);
#ifdef __cplusplus
}
#endif
#endif
