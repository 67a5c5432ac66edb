/* vexp_module.c - the exporter's module: both tables, HPy_AsAPI and
 * HPyAPI_Export live here; the implementations in the other files. */
#include "vexp.h"

HPyAPI_DEFINE(vec, VEC_API);
HPyAPI_DEFINE(vops, VOPS_API);

static vec_API vec_table;
static vops_API vops_table;
HPyGlobal vexp_error_type;

HPyDef_SLOT(vexp_exec, HPy_mod_exec)
static int vexp_exec_impl(HPyContext *ctx, HPy m)
{
    HPy err = HPyErr_NewException(ctx, "vexp.VecError", HPy_NULL, HPy_NULL);
    if (HPy_IsNull(err))
        return -1;
    HPyGlobal_Store(ctx, &vexp_error_type, err);
    int res = HPy_SetAttr_s(ctx, m, "VecError", err);
    HPy_Close(ctx, err);
    if (res < 0)
        return -1;
    vec_table.Vec_New = HPy_AsAPI(ctx, Vec_New);
    vec_table.Vec_Len = HPy_AsAPI(ctx, Vec_Len);
    vec_table.Vec_Get = HPy_AsAPI(ctx, Vec_Get);
    vec_table.Vec_Concat = HPy_AsAPI(ctx, Vec_Concat);
    vec_table.VecError = HPy_AsAPI(ctx, VecError);
    vops_table.Vops_Scale = HPy_AsAPI(ctx, Vops_Scale);
    vops_table.Vops_Dot = HPy_AsAPI(ctx, Vops_Dot);
    vops_table.Vops_Apply = HPy_AsAPI(ctx, Vops_Apply);
    if (HPyAPI_Export(ctx, m, vec, &vec_table) < 0)
        return -1;
    return HPyAPI_Export(ctx, m, vops, &vops_table);
}

static HPyDef *defines[] = {&vexp_exec, NULL};
static HPyGlobal *globals[] = {&vexp_error_type, NULL};
static HPyModuleDef moddef = {.doc = "multi-file exporter of vec and vops",
                              .defines = defines, .globals = globals};
HPy_MODINIT(vexp, moddef)
