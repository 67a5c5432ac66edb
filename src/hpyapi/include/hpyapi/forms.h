/* hpyapi/forms.h - the parameter and result forms NumPy's API needs beyond
 * handles, values and HPyAPI_LEN arrays: in-out handles (kind IO), arrays
 * whose length is an expression (AE, WE) and returned arrays of handles
 * (result kind P): what they need beyond their generators, which live
 * with every other kind's in hpyapi/kinds/ (inout.h, array_expr.h,
 * filled_expr.h).
 *
 * Internal; included by hpyapi/decl.h.  pp.h dispatches the kinds; the
 * runtime reads HPYAPI_ARG_INOUT and HPYAPI_RES_HANDLES (runtime.h).  The
 * forms, their ownership rules and their errors: docs/reference.md
 * ("In-out handles", "Fixed and implied lengths", "Returned arrays of
 * handles").
 */
#ifndef HPYAPI_FORMS_H
#define HPYAPI_FORMS_H

/* ---- declaration side (decl.h's families) ------------------------------- */

/* HPyAPI_LEN_EXPR(len) of array `name`: an integer expression of entry
 * NAME's parameters, checked in a function whose parameters are the
 * entry's (HPYAPI_D_LENX_FUNC), so that a misspelt name is the compiler's
 * own "undeclared" error inside NAME_hpyapi_lens_<line>; the expression is named
 * once, in a typedef, so that no second error follows. */
#define HPYAPI_LENX_MSG(NAME, name, len)                                       \
    #NAME ": HPyAPI_LEN_EXPR(" #len ") of array '" #name "' must be an "      \
    "integer expression (any integer type but bool) of " #NAME "'s "          \
    "parameters and constants"
/* Per entry with HPyAPI_LEN_EXPR arrays (HPYAPI_D_CHECKS): never called,
 * never emitted (static inline); its parameters are the entry's, so the
 * expressions mean there what they mean in the trampolines. */
#define HPYAPI_D_LENX_FUNC(IDX, SINCE, R, NAME, ...)                           \
    HPYAPI_CAT(HPYAPI_D_LENXF_, HPYAPI_HAS_LEN_EXPR(__VA_ARGS__))(NAME,         \
                                                                 __VA_ARGS__)
#define HPYAPI_D_LENXF_0(NAME, ...)
#ifndef HPy_H
#define HPYAPI_D_LENXF_1(NAME, ...) /* checked where <hpy.h> is included */
#else
#define HPYAPI_D_LENXF_1(NAME, ...)                                            \
    HPYAPI_MAYBE_UNUSED static inline void HPYAPI_CAT(NAME##_hpyapi_lens_,     \
                                                      __LINE__)(               \
        HPyContext *hpyapi_ctx HPYAPI_PARAMS(HPYAPI_G_PROTO, ~, __VA_ARGS__))  \
    {                                                                          \
        (void)hpyapi_ctx;                                                      \
        HPYAPI_PARAMS(HPYAPI_G_UNUSED, ~, __VA_ARGS__)                         \
        HPYAPI_PARAMS(HPYAPI_G_LENCHECK, NAME, __VA_ARGS__)                    \
    }
#endif
#define HPYAPI_D_LENX_OBJECT(IDX, SINCE, NAME)
#define HPYAPI_D_LENX_RETIRED HPYAPI_D_LENX_FUNC
#define HPYAPI_D_LENX_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_D_LENX, __VA_ARGS__)
#define HPYAPI_D_LENX_DATA(IDX, SINCE, NAME, T)

/* Results of kind P, a returned array of handles: the C-API table's type,
 * its failure, and the check (exactly `HPy *`, its length given). */
#define HPYAPI_R_CRET_P(R) struct _object **
#define HPYAPI_R_CFAIL_P(R) return NULL
#define HPYAPI_R_RCHECK_P(NAME, R)                                             \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_OUT_HANDLE_PTR(R),                          \
                   #NAME ": returns " #R "; an array of handles is returned "  \
                   "as HPy *");                                                \
    HPYAPI_STATIC_ASSERT(!HPYAPI_IS_OUT_HANDLE_PTR(R) || HPYAPI_HAS_RETLEN(NAME), \
                   #NAME ": returns HPy *, an array of handles: say how many " \
                   "with #define HPyAPI_RETURNS_" #NAME                        \
                   " HPyAPI_HANDLES(length) (an expression of its "            \
                   "parameters, read after the call)");
#ifdef HPy_H
/* The exporter allocates a returned array with HPyAPI_NewHandles and fills
 * it with new handles; the caller owns the array and every handle in it
 * and releases both with HPyAPI_FreeHandles (C-API callers:
 * HPyAPI_FreeObjects, hpyapi/capi.h). */
#include <stdlib.h>
static inline HPy *HPyAPI_NewHandles(HPy_ssize_t n)
{
    return (HPy *)calloc(n > 0 ? (size_t)n : 1, sizeof(HPy));
}
static inline void HPyAPI_FreeHandles(HPyContext *ctx, HPy *arr,
                                      HPy_ssize_t n)
{
    for (HPy_ssize_t i = 0; arr != NULL && i < n; i++)
        if (!HPy_IsNull(arr[i]))
            HPy_Close(ctx, arr[i]);
    free(arr);
}
#endif

/* ---- exporter side (trampoline.h's families) ---------------------------- */

/* A frame X's parameters as locals of the same names (HPYAPI_R_RLENFN_P) */
#ifdef __cplusplus
#define HPYAPI_TYPEOF(e) decltype(e)
#else
#define HPYAPI_TYPEOF(e) __typeof__(e)
#endif

/* Results of kind P (HPyAPI_RETURNS_<Entry>).  Its rebase slot is the
 * generic trampoline and its CPython-API route has no fast path
 * (routes.c): only same-handle callers get the array unconverted, so RCALL
 * and CCALL below never meet another encoding. */
#define HPYAPI_R_FIELD_P(R) HPy *hpyapi_result;
#define HPYAPI_R_FINIT_P , NULL
#define HPYAPI_R_KIND_P HPYAPI_RES_HANDLES
#define HPYAPI_R_OFF_P HPYAPI_R_OFF_H
#define HPYAPI_R_STORE_P HPYAPI_R_STORE_H
#define HPYAPI_R_TAIL_P HPYAPI_R_TAIL_H
#define HPYAPI_R_FAIL_P(R) return NULL
#define HPYAPI_R_RETURN_P HPYAPI_R_RETURN_H
#define HPYAPI_R_RCALL_P(R, k, call) HPy *hpyapi_res = call;
#define HPYAPI_R_RRET_P return hpyapi_res
#define HPYAPI_R_CCALL_P(R, k, call)                                           \
    struct _object **hpyapi_res = (struct _object **)(void *)(call);
#define HPYAPI_R_CSLOW_P(call, NAME, IDX)                                      \
    return (struct _object **)(void *)(call)
#define HPYAPI_R_CRRET_P(NAME, IDX) return hpyapi_res
/* ... per result kind: the entry's length function (EntryDesc.result_len)
   reading the length from a frame after the call, and its rebase slot */
#define HPYAPI_R_RLEN_H(NAME) NULL
#define HPYAPI_R_RLEN_V HPYAPI_R_RLEN_H
#define HPYAPI_R_RLEN_N HPYAPI_R_RLEN_H
#define HPYAPI_R_RLEN_P(NAME) &NAME##_hpyapi_retlen
#define HPYAPI_R_RLENFN_H(NAME, ...)
#define HPYAPI_R_RLENFN_V HPYAPI_R_RLENFN_H
#define HPYAPI_R_RLENFN_N HPYAPI_R_RLENFN_H
#define HPYAPI_R_RLENFN_P(NAME, ...)                                           \
    static HPy_ssize_t NAME##_hpyapi_retlen(const void *hpyapi_frame)          \
    {                                                                          \
        const struct NAME##_hpyapi_frame *hpyapi_f =                           \
            (const struct NAME##_hpyapi_frame *)hpyapi_frame;                  \
        (void)hpyapi_f; /* a constant length, (void) parameters */            \
        HPYAPI_PARAMS(HPYAPI_G_LOCAL, hpyapi_f, __VA_ARGS__)                   \
        return (HPy_ssize_t)(HPYAPI_RETLEN(NAME));                             \
    }
#define HPYAPI_R_RSLOT_H(NAME) NAME##_hpyapi_rtramp
#define HPYAPI_R_RSLOT_V HPYAPI_R_RSLOT_H
#define HPYAPI_R_RSLOT_N HPYAPI_R_RSLOT_H
#define HPYAPI_R_RSLOT_P(NAME) NAME##_hpyapi_tramp

/* ---- legacy tables (legacy.h) refuse all three, one error each ------------ */
#define HPYAPI_L_CHECK_AE HPYAPI_L_CHECK_A
#define HPYAPI_L_CHECK_WE HPYAPI_L_CHECK_W
#define HPYAPI_L_CHECK_IO(NAME, pos, T, p) HPYAPI_L_REFUSED(NAME, "an in-out handle", p)
#define HPYAPI_L_PROTO_IO HPYAPI_L_PROTO_X
#define HPYAPI_L_PROTO_AE HPYAPI_L_PROTO_X
#define HPYAPI_L_PROTO_WE HPYAPI_L_PROTO_X
#define HPYAPI_L_CTYPE_IO HPYAPI_L_CTYPE_X
#define HPYAPI_L_CTYPE_AE HPYAPI_L_CTYPE_X
#define HPYAPI_L_CTYPE_WE HPYAPI_L_CTYPE_X
#define HPYAPI_L_FARG_IO HPYAPI_L_FARG_X
#define HPYAPI_L_FARG_AE HPYAPI_L_FARG_X
#define HPYAPI_L_FARG_WE HPYAPI_L_FARG_X
#define HPYAPI_L_STEAL_IO HPYAPI_L_STEAL_X
#define HPYAPI_L_STEAL_AE HPYAPI_L_STEAL_X
#define HPYAPI_L_STEAL_WE HPYAPI_L_STEAL_X
#define HPYAPI_L_CONV_IO HPYAPI_L_CONV_X
#define HPYAPI_L_CONV_AE HPYAPI_L_CONV_X
#define HPYAPI_L_CONV_WE HPYAPI_L_CONV_X
#define HPYAPI_L_SSTEAL_IO HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SSTEAL_AE HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SSTEAL_WE HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SARG_IO HPYAPI_L_SARG_X
#define HPYAPI_L_SARG_AE HPYAPI_L_SARG_X
#define HPYAPI_L_SARG_WE HPYAPI_L_SARG_X
#define HPYAPI_L_ARG_IO HPYAPI_L_ARG_X
#define HPYAPI_L_ARG_AE HPYAPI_L_ARG_X
#define HPYAPI_L_ARG_WE HPYAPI_L_ARG_X
#define HPYAPI_L_UNUSED_IO HPYAPI_L_UNUSED_X
#define HPYAPI_L_UNUSED_AE HPYAPI_L_UNUSED_X
#define HPYAPI_L_UNUSED_WE HPYAPI_L_UNUSED_X
#define HPYAPI_L_SIG_IO HPYAPI_L_SIG_X
#define HPYAPI_L_SIG_AE HPYAPI_L_SIG_X
#define HPYAPI_L_SIG_WE HPYAPI_L_SIG_X

#endif /* HPYAPI_FORMS_H */
