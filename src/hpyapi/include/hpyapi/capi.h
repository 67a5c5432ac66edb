/* hpyapi/capi.h - calling an HPy exporter's API from plain C-API code.
 *
 * Internal; include <hpyapi.h> after <Python.h> (and without <hpy.h>) in a
 * C-API extension, which then gets the CPython-API table of every API it
 * declares: handles are PyObject * (borrowed arguments, new-reference
 * results) and there is no context.
 *
 *     HPyAPI_USE_CAPI(myarray, MYARRAY_API, "myarray");
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

HPYAPI_INTERNAL void *_HPyAPI_ImportCAPI(const char *module,
                                         const HPyAPI_Spec *spec,
                                         uint32_t min_minor, const char *attr,
                                         const char *capsule_name);
HPYAPI_INTERNAL void _HPyAPI_RaiseUnimportedC(const HPyAPI_Use *use,
                                              const char *entry);

/* HPyAPI_ImportCAPI(API, "module"): the CPython-API table of `module`'s
 * API (a `const API##_CAPI *`), or NULL with ImportError set; the same
 * checks as HPyAPI_Import. */
#define HPyAPI_ImportCAPI(API, module)                                         \
    HPyAPI_ImportCAPIMinor(API, module, API##_API_spec()->minor)
#define HPyAPI_ImportCAPIMinor(API, module, min_minor)                         \
    ((const API##_CAPI *)_HPyAPI_ImportCAPI((module), API##_API_spec(),        \
                                            (min_minor), "_hpyapi_" #API "_capi", \
                                            "hpyapi." #API ".capi"))

/* ---- HPyAPI_USE_CAPI: like HPyAPI_USE, for C-API code -------------------- */

#define HPYAPI_UC_STUB_FUNC(IDX, SINCE, R, NAME, ...)                          \
    static HPYAPI_RK(CRET, R)(R) NAME##_hpyapi_cunimported(                    \
        HPYAPI_PARAMS(HPYAPI_G_CPROTO, ~, __VA_ARGS__))                        \
    {                                                                          \
        HPYAPI_PARAMS(HPYAPI_G_UNUSED, ~, __VA_ARGS__)                         \
        _HPyAPI_RaiseUnimportedC(&hpyapi_cuse, #NAME);                         \
        HPYAPI_RK(CFAIL, R)(R);                                                \
    }
#define HPYAPI_UC_STUB_OBJECT(IDX, SINCE, NAME)                                \
    HPYAPI_UC_STUB_FUNC(IDX, SINCE, HPy, NAME, (void))
#define HPYAPI_UC_STUB_RETIRED HPYAPI_UC_STUB_FUNC
#define HPYAPI_UC_SLOT_FUNC(IDX, SINCE, R, NAME, ...)                          \
    .NAME = NAME##_hpyapi_cunimported,
#define HPYAPI_UC_SLOT_OBJECT(IDX, SINCE, NAME) .NAME = NAME##_hpyapi_cunimported,
#define HPYAPI_UC_SLOT_RETIRED(IDX, SINCE, R, NAME, ...)                       \
    .NAME##__retired = NAME##_hpyapi_cunimported,

/* defines `static const API##_CAPI *API##_capi` (stubs that raise until
 * imported) and `static int import_##API(void)`.  One per C file. */
#define HPyAPI_USE_CAPI(API, LIST, MODULE)                                     \
    static const HPyAPI_Use hpyapi_cuse = {                                    \
        #API, MODULE,                                                          \
        "call import_" #API "() in this module's PyInit function"};            \
    HPYAPI_UNIMPORTED_TABLE(API, LIST, API##_CAPI, HPYAPI_UC, API##_capi)      \
    HPYAPI_MAYBE_UNUSED static int import_##API(void)                          \
    {                                                                          \
        const API##_CAPI *t = HPyAPI_ImportCAPI(API, MODULE);                  \
        if (t == NULL)                                                         \
            return -1;                                                         \
        API##_capi = t;                                                        \
        return 0;                                                              \
    }                                                                          \
    typedef int hpyapi_use_capi_needs_a_semicolon

#endif /* HPYAPI_CAPI_H */
