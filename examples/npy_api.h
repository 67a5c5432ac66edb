/* npy_api.h - the part of NumPy's classic C-API (`_ARRAY_API`, NumPy 2.x)
 * that the examples and tests call from HPy code, declared for hpyapi's
 * legacy bridge (see README, "Calling legacy C-API tables").  Include
 * <hpy.h> first.
 *
 * Indices are NumPy's slots (numpy/_core/include/numpy/__multiarray_api.h
 * of the wheel); member names drop the PyArray_ prefix because those names
 * are macros wherever numpy's own headers are included.  npy_intp is
 * HPy_ssize_t on every platform NumPy supports with HPy.
 */
#ifndef NPY_API_H
#define NPY_API_H
#include "hpyapi.h"

#define NPY_LEGACY(FUNC, OBJECT, RETIRED)                                      \
    FUNC  (0,   0, unsigned int, GetNDArrayCVersion, (void))                   \
    OBJECT(2,   0, ArrayType)                                                  \
    FUNC  (45,  0, HPy, DescrFromType, (int, type))                            \
    FUNC  (59,  0, HPy_ssize_t, Size, (HPy, op))                               \
    FUNC  (69,  0, HPy, FromAny, (HPy, op), (HPyAPI_STEALS, dtype),            \
           (int, min_depth), (int, max_depth), (int, requirements),            \
           (HPy, context))                                                     \
    FUNC  (76,  0, HPy, Return, (HPyAPI_STEALS, arr))                          \
    FUNC  (93,  0, HPy, New, (HPy, subtype), (int, nd),                        \
           (const HPy_ssize_t *, dims), (int, type_num),                       \
           (const HPy_ssize_t *, strides), (void *, data), (int, itemsize),    \
           (int, flags), (HPy, obj))                                           \
    FUNC  (149, 0, HPy, Sum, (HPy, arr), (int, axis), (int, rtype), (HPy, out)) \
    FUNC  (160, 0, void *, GetPtr, (HPy, arr), (const HPy_ssize_t *, ind))     \
    FUNC  (183, 0, HPy, Zeros, (int, nd), (const HPy_ssize_t *, dims),         \
           (HPyAPI_STEALS, descr), (int, fortran))                             \
    FUNC  (211, 0, unsigned int, GetNDArrayCFeatureVersion, (void))
HPyAPI_LEGACY_DECLARE(npy, NPY_LEGACY);

/* NumPy's constants that these entries take (ndarraytypes.h) */
#define NPY_LONG_NUM 7    /* int64 on LP64 */
#define NPY_DOUBLE_NUM 12
#define NPY_NOTYPE_NUM 25
#define NPY_RAVEL_AXIS_2 (-2147483647 - 1) /* NumPy 2's "all axes" */
#define NPY_ARRAY_CARRAY_FLAGS 0x0501      /* C-contiguous, aligned, writeable */
#define NPY_ABI_2 0x02000000u
#define NPY_FEATURE_2_0 0x12u

/* The first members of every ndarray.  NumPy's PyArray_DATA, PyArray_NDIM
 * and PyArray_DIMS are inline functions that read these at fixed offsets
 * in every extension compiled against NumPy, so the layout is NumPy's ABI.
 * They follow a release build's PyObject header (reference count, type).
 * Read them through npy_fields(ctx, h) only for a handle h that passed
 * HPy_TypeCheck(ctx, h, ArrayType): the pointer is borrowed while h is
 * open. */
typedef struct {
    HPy_ssize_t ob_refcnt;
    void *ob_type;
    char *data;
    int nd;
    const HPy_ssize_t *dimensions;
    const HPy_ssize_t *strides;
} npy_array_fields;
#define npy_fields(ctx, h) ((const npy_array_fields *)(const void *)npy_borrow((ctx), (h)))

/* obj as a C-contiguous array of type `type_num` (PyArray_FromAny with a
 * descr from DescrFromType: FromAny steals the descr, the bridge lends it a
 * reference of its own, so the handle is still ours to close). */
static inline HPy npy_as_carray(HPyContext *ctx, const npy_API *api, HPy obj,
                                int type_num)
{
    HPy descr = api->DescrFromType(ctx, type_num);
    if (HPy_IsNull(descr))
        return HPy_NULL;
    HPy a = api->FromAny(ctx, obj, descr, 0, 0, NPY_ARRAY_CARRAY_FLAGS,
                         HPy_NULL);
    HPy_Close(ctx, descr);
    return a;
}

#endif /* NPY_API_H */
