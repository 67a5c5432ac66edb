/* hpyapi/capi.h - calling an HPy exporter's API from plain C-API code.
 *
 * Public, through <hpyapi.h> after <Python.h> (and without <hpy.h>):
 * HPyAPI_ImportCAPI, HPyAPI_ImportCAPIMinor, HPyAPI_USE_CAPI and
 * HPyAPI_USE_CAPI_DEFINE; the rest is what they expand to.  A
 * C-API extension which then gets the CPython-API table of every API it
 * declares: handles are PyObject * (borrowed arguments, new-reference
 * results) and there is no context.
 *
 *     HPyAPI_USE_CAPI_DEFINE(myarray, MYARRAY_API, "myarray");
 *     ...  in PyInit_xxx:  if (import_myarray() < 0) return NULL;
 *     ...  anywhere:       PyObject *a = myarray_capi->Array_New(3, 0.0);
 *
 * Build such an extension with hpyapi.capi_extension(), which compiles
 * hpyapi's runtime (the same import checks HPy consumers run) for the
 * CPython ABI.
 */
#ifndef HPYAPI_CAPI_H
#define HPYAPI_CAPI_H

#include "hpyapi/decl.h"

#if !defined(HPy_H) && defined(Py_PYTHON_H)
/* by-value types a declaration may use, as C-API code spells them */
typedef Py_ssize_t HPy_ssize_t;
typedef Py_hash_t HPy_hash_t;
typedef Py_UCS4 HPy_UCS4;
#endif

#if !defined(HPy_H) && defined(Py_PYTHON_H)
/* A returned array of handles (HPyAPI_RETURNS_<Entry>) from the CPython-API
 * table: n new references in a malloc'd array, both the caller's. */
#include <stdlib.h>
static inline void HPyAPI_FreeObjects(PyObject **arr, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; arr != NULL && i < n; i++)
        Py_XDECREF(arr[i]);
    free(arr);
}
#endif

HPYAPI_BEGIN_C
HPYAPI_INTERNAL void *_HPyAPI_ImportCAPI(const char *module,
                                         const HPyAPI_Spec *spec,
                                         uint32_t min_minor, const char *attr,
                                         const char *capsule_name);
HPYAPI_INTERNAL void _HPyAPI_RaiseUnimportedC(const HPyAPI_Use *use,
                                              const char *entry);
HPYAPI_END_C

/* HPyAPI_ImportCAPI(API, "module"): the CPython-API table of `module`'s
 * API (a `const API##_CAPI *`), or NULL with ImportError set; the same
 * checks as HPyAPI_Import. */
#define HPyAPI_ImportCAPI(API, module)                                         \
    HPyAPI_ImportCAPIMinor(API, module, API##_API_spec()->minor)
#define HPyAPI_ImportCAPIMinor(API, module, min_minor)                         \
    ((const API##_CAPI *)_HPyAPI_ImportCAPI((module),                          \
                                            API##_hpyapi_import_capi_spec(),   \
                                            (min_minor), "_hpyapi_" #API "_capi", \
                                            "hpyapi." #API ".capi"))

/* ---- HPyAPI_USE_CAPI / HPyAPI_USE_CAPI_DEFINE -----------------------------
 * Like HPyAPI_USE / HPyAPI_USE_DEFINE (hpyapi/consumer.h), for C-API code:
 * `const API##_CAPI *API##_capi` and `int import_##API(void)`. */

#define HPYAPI_UC_STUB_FUNC(IDX, SINCE, R, NAME, ...)                          \
    HPYAPI_STUB static HPYAPI_TCRET(NAME, R) NAME##_hpyapi_cunimported(       \
        HPYAPI_PARAMS(HPYAPI_G_CPROTO, ~, __VA_ARGS__))                        \
    {                                                                          \
        HPYAPI_PARAMS(HPYAPI_G_UNUSED, ~, __VA_ARGS__)                         \
        _HPyAPI_RaiseUnimportedC(&HPYAPI_CUSE_OBJ, #NAME);                     \
        HPYAPI_TCFAIL(NAME, R);                                                \
    }
#define HPYAPI_CUSE_OBJ HPYAPI_CAT(hpyapi_cuse_, __LINE__)
#define HPYAPI_UC_STUB_OBJECT(IDX, SINCE, NAME)                                \
    HPYAPI_UC_STUB_FUNC(IDX, SINCE, HPy, NAME, (void))
#define HPYAPI_UC_STUB_RETIRED HPYAPI_UC_STUB_FUNC
#define HPYAPI_UC_SLOT_FUNC(IDX, SINCE, R, NAME, ...) NAME##_hpyapi_cunimported,
#define HPYAPI_UC_SLOT_OBJECT(IDX, SINCE, NAME) NAME##_hpyapi_cunimported,
#define HPYAPI_UC_SLOT_RETIRED HPYAPI_UC_SLOT_FUNC
#define HPYAPI_UC_STUB_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_UC_STUB, __VA_ARGS__)
#define HPYAPI_UC_STUB_DATA(IDX, SINCE, NAME, T)                               \
    static NAME##_hpyapi_T NAME##_hpyapi_cunimported;
#define HPYAPI_UC_SLOT_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_UC_SLOT, __VA_ARGS__)
#define HPYAPI_UC_SLOT_DATA(IDX, SINCE, NAME, T) &NAME##_hpyapi_cunimported,

/* HPyAPI_USE_CAPI(API, LIST, "module"), 0.1's form: see HPyAPI_USE */
#define HPyAPI_USE_CAPI(...)                                                   \
    HPYAPI_USE_SEL(__VA_ARGS__, HPyAPI_USE_CAPI_DEFINE, HPYAPI_USE_CAPI_2,     \
                   ~)(__VA_ARGS__)
#define HPYAPI_USE_CAPI_2(API, LIST)                                           \
    HPYAPI_EXTERN_C HPYAPI_INTERNAL const API##_CAPI *API##_capi               \
        HPYAPI_LINK_NAME(API##_capi, HPyAPI_USE_CAPI_DEFINE);                  \
    HPYAPI_EXTERN_C HPYAPI_INTERNAL int import_##API(void)                     \
        HPYAPI_LINK_NAME(import_##API, HPyAPI_USE_CAPI_DEFINE);                \
    HPYAPI_NEEDS_DEFINITION(API##_capi)                                        \
    typedef int hpyapi_use_capi_needs_a_semicolon

#define HPyAPI_USE_CAPI_DEFINE(API, LIST, MODULE)                              \
    HPYAPI_D_CTABLE_IN_HPY(API, LIST)                                          \
    HPYAPI_D_CHECKS(API, LIST)                                                 \
    HPYAPI_MAYBE_UNUSED static const HPyAPI_Use HPYAPI_CUSE_OBJ = {            \
        #API, MODULE,                                                          \
        "call import_" #API "() in this module's PyInit function"};            \
    HPYAPI_USE_CAPI_2(API, LIST);                                              \
    HPYAPI_UNIMPORTED_TABLE(API, LIST, API##_CAPI, HPYAPI_UC, API##_capi)      \
    int import_##API(void)                                                     \
    {                                                                          \
        const API##_CAPI *t = HPyAPI_ImportCAPI(API, MODULE);                  \
        if (t == NULL)                                                         \
            return -1;                                                         \
        API##_capi = t;                                                        \
        return 0;                                                              \
    }                                                                          \
    typedef int hpyapi_use_capi_define_needs_a_semicolon

#endif /* HPYAPI_CAPI_H */
