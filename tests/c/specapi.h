/* specapi.h - structs carrying handles and callbacks, modelled on NumPy's
 * PyArrayMethod_Spec + PyUFunc_AddLoopFromSpec, PyUFunc_LoopSlot and
 * PyArray_BufferConverter's PyArray_Chunk.  Include <hpy.h> or <Python.h>
 * first. */
#ifndef SPECAPI_H
#define SPECAPI_H
#include "hpyapi.h"

/* PyArrayMethod_Context: what a strided loop is called with */
#define SP_LOOP_CONTEXT(F)                                                     \
    F(HANDLE, HPy, caller)                                                     \
    F(HANDLE, HPy, method)                                                     \
    F(VALUE, int, nargs)                                                       \
    F(HANDLES, nargs, descriptors)                                             \
    F(VALUE, void *, reserved)
HPyAPI_STRUCT_DECLARE(SpLoopContext, SP_LOOP_CONTEXT);

/* resolve_descriptors-like: handles in, a new handle out */
HPyAPI_SLOT_TYPE(sp_resolve, HPy, (HPy, method), (HPy, given));
/* strided-loop-like: a context struct carrying handles, and a value */
HPyAPI_SLOT_TYPE(sp_loop, long, (HPyAPI_STRUCT(SpLoopContext) *, context),
                 (long, n));

/* PyArrayMethod_Spec's slots: {id, function}, function type by id */
#define SP_RESOLVE_SLOT 1
#define SP_LOOP_SLOT 2
#define SP_METHOD_SLOTS(SLOT)                                                  \
    SLOT(SP_RESOLVE_SLOT, sp_resolve) SLOT(SP_LOOP_SLOT, sp_loop)

#define SP_METHOD_SPEC(F)                                                      \
    F(VALUE, const char *, name)                                               \
    F(VALUE, int, nin)                                                         \
    F(VALUE, int, nout)                                                        \
    F(VALUE, int, casting)                                                     \
    F(VALUE, int, flags)                                                       \
    F(HANDLES, nin + nout, dtypes)                                             \
    F(SLOTS, SP_METHOD_SLOTS, slots)
HPyAPI_STRUCT_DECLARE(SpMethodSpec, SP_METHOD_SPEC);

/* PyUFunc_LoopSlot: a ufunc's name and a spec; PyUFunc_AddLoopsFromSpecs
 * takes an array of them ending with {NULL, NULL} (HPyAPI_STRUCTS) */
#define SP_LOOP_SLOT_FIELDS(F)                                                 \
    F(VALUE, const char *, name)                                               \
    F(STRUCT, SpMethodSpec, spec)
HPyAPI_STRUCT_DECLARE(SpLoopSlot, SP_LOOP_SLOT_FIELDS);

/* several at once: a NULL-terminated array of struct pointers, and a
 * default resolver in a function field */
#define SP_LOOP_SET(F)                                                         \
    F(VALUE, int, tag)                                                         \
    F(FN, sp_resolve, fallback)                                                \
    F(STRUCTS, SpLoopSlot, loops)
HPyAPI_STRUCT_DECLARE(SpLoopSet, SP_LOOP_SET);

/* PyArray_Chunk: the exporter writes `base`, the caller owns it */
#define SP_CHUNK(F)                                                            \
    F(OUT, HPy, base)                                                          \
    F(VALUE, void *, ptr)                                                      \
    F(VALUE, long, len)                                                        \
    F(HANDLE, HPy, hint)                                                       \
    F(VALUE, int, flags)
HPyAPI_STRUCT_DECLARE(SpChunk, SP_CHUNK);

/* NumPy's DType API shapes: a PyArrayMethod_Context whose nin + nout
 * descriptors it does not count (the length the loop was registered
 * with, HPyAPI_SLOT_LEN), resolve_descriptors taking and filling arrays
 * of that length, get_loop returning a strided loop through an
 * out-parameter, and a spec whose SLOTS_N say the length */
#define SP_METHOD_CONTEXT(F)                                                   \
    F(HANDLE, HPy, caller)                                                     \
    F(HANDLE, HPy, method)                                                     \
    F(HANDLES, HPyAPI_SLOT_LEN, descriptors)                                   \
    F(VALUE, void *, reserved)                                                 \
    F(VALUE, uint64_t, flags)                                                  \
    F(VALUE, void *, parameters)
HPyAPI_STRUCT_DECLARE(SpMethodContext, SP_METHOD_CONTEXT);
HPyAPI_SLOT_TYPE(sp_resolve_descrs, int, (HPy, method),
                 (const HPy *, dtypes, HPyAPI_SLOT_LEN),
                 (const HPy *, given, HPyAPI_SLOT_LEN),
                 (HPy *, loop_descrs, HPyAPI_SLOT_LEN), (long *, view_offset));
HPyAPI_SLOT_TYPE(sp_strided, int,
                 (HPyAPI_STRUCT(SpMethodContext) *, context),
                 (char *const *, data), (const long *, dimensions),
                 (const long *, strides), (void *, auxdata));
HPyAPI_SLOT_TYPE(sp_get_loop, int,
                 (HPyAPI_STRUCT(SpMethodContext) *, context), (int, aligned),
                 (int, move_references), (const long *, strides),
                 (HPyAPI_FN_OUT(sp_strided), out_loop),
                 (void **, out_auxdata), (int *, flags));
#define SP_DT_RESOLVE 2
#define SP_DT_GET_LOOP 3
#define SP_DT_STRIDED 5
#define SP_DT_STATIC_DATA 10
#define SP_DT_SLOTS(SLOT)                                                      \
    SLOT(SP_DT_RESOLVE, sp_resolve_descrs)                                     \
    SLOT(SP_DT_GET_LOOP, sp_get_loop) SLOT(SP_DT_STRIDED, sp_strided)          \
    SLOT(SP_DT_STATIC_DATA, HPyAPI_SLOT_DATA)
#define SP_DT_SPEC(F)                                                          \
    F(VALUE, const char *, name)                                               \
    F(VALUE, int, nin)                                                         \
    F(VALUE, int, nout)                                                        \
    F(HANDLES, nin + nout, dtypes)                                             \
    F(SLOTS_N, (SP_DT_SLOTS, nin + nout), slots)                                \
    F(FNS, (sp_loop, 2), more) /* PyArray_ArrFuncs.sort[3]-like */
HPyAPI_STRUCT_DECLARE(SpDTypeSpec, SP_DT_SPEC);

/* the same slots in a field that gives no length: refused where it
 * crosses (resolve_descriptors' arrays would have none) */
#define SP_PLAIN_SPEC(F) F(VALUE, int, n) F(SLOTS, SP_DT_SLOTS, slots)
HPyAPI_STRUCT_DECLARE(SpPlainSpec, SP_PLAIN_SPEC);

#define SPECAPI(FUNC, OBJECT, RETIRED)                                         \
    FUNC(0, 0, int, Sp_AddLoop, (HPy, ufunc),                                  \
         (HPyAPI_STRUCT(SpMethodSpec) *, spec))                                \
    FUNC(1, 0, int, Sp_AddLoops, (HPyAPI_STRUCT(SpLoopSet) *, set))            \
    FUNC(2, 0, int, Sp_BufferConverter, (HPy, obj),                            \
         (HPyAPI_STRUCT(SpChunk) *, chunk))                                    \
    FUNC(3, 0, HPy, Sp_Resolve, (HPy, ufunc), (const char *, name),            \
         (HPy, given))                                                         \
    FUNC(4, 0, int, Sp_AddLoopsFromSpecs,                                      \
         (HPyAPI_STRUCTS(SpLoopSlot) *, slots))                                \
    FUNC(5, 0, int, Sp_AddMethod, (HPy, ufunc),                                \
         (HPyAPI_STRUCT(SpDTypeSpec) *, spec))                                 \
    FUNC(6, 0, int, Sp_AddPlain, (HPyAPI_STRUCT(SpPlainSpec) *, spec))
HPyAPI_DECLARE(specapi, SPECAPI, 1, 0)

#ifdef HPy_H
#define TEST_MODINIT(name, def) HPy_MODINIT(name, def)
#endif
#endif
