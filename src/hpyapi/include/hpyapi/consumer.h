/* hpyapi/consumer.h - importing a table and calling through it.
 *
 * Public, through <hpyapi.h>: HPyAPI_Import, HPyAPI_ImportMinor, HPyAPI_USE
 * and HPyAPI_USE_DEFINE; the rest is what they expand to.
 */
#ifndef HPYAPI_CONSUMER_H
#define HPYAPI_CONSUMER_H

#include "hpyapi/decl.h"
#include "hpyapi/runtime.h"

/* HPyAPI_Import(ctx, API, "module"): import `module`, find the `API`
 * capsule, check it against this build's declaration and return the table
 * (a `const API##_API *`), or NULL with ImportError set.  The exporter must
 * provide at least the minor version this build was declared with. */
#define HPyAPI_Import(ctx, API, module)                                        \
    HPyAPI_ImportMinor(ctx, API, module, API##_API_spec()->minor)

/* Like HPyAPI_Import, but accepts any exporter of minor >= min_minor.
 * Entries added after min_minor may then be missing: test them with
 * HPyAPI_HAS before calling (their slots lie beyond an older table). */
#define HPyAPI_ImportMinor(ctx, API, module, min_minor)                        \
    ((const API##_API *)_HPyAPI_Import((ctx), (module),                        \
                                       API##_hpyapi_import_spec(),             \
                                       (min_minor), HPYAPI_TABLE_HPY,          \
                                       "_hpyapi_" #API, "hpyapi." #API))

/* ---- one imported table per module, for every C and C++ file ----------------
 *
 *     // in a header that every file of the module includes:
 *     HPyAPI_USE(myarray, MYARRAY_API);
 *     // in exactly one file of the module:
 *     HPyAPI_USE_DEFINE(myarray, MYARRAY_API, "pkg.myarray");
 *     // in HPy_mod_exec:
 *     if (import_myarray(ctx) < 0) return -1;
 *     // anywhere in the module:
 *     HPy a = myarray_api->Array_New(ctx, 3);
 *
 * HPyAPI_USE declares `const myarray_API *myarray_api` and
 * `int import_myarray(HPyContext *)` (hidden symbols with C linkage, so C
 * and C++ files share them; they never clash with another module's).
 * HPyAPI_USE_DEFINE defines them; it may stand alone in a one-file module.
 * Until the import succeeds the pointer holds stubs that raise RuntimeError
 * naming the entry and the fix, never a NULL table that crashes.  A module
 * that forgets HPyAPI_USE_DEFINE, or has it in two files, fails to link
 * with the symbol `myarray_api__HPyAPI_USE_DEFINE_must_be_in_exactly_one_
 * C_file_of_the_module` undefined or defined twice (the linker's name for
 * myarray_api).  Several APIs may be used per file (their
 * entry names must differ, as the stubs are named after them). */

/* The stubs are generated inside one expansion of HPyAPI_USE_DEFINE, so
 * __LINE__ names that expansion's HPyAPI_Use for them: the entry macros
 * cannot be told which API they belong to. */
#define HPYAPI_USE_OBJ HPYAPI_CAT(hpyapi_use_, __LINE__)
#define HPYAPI_U_STUB_FUNC(IDX, SINCE, R, NAME, ...)                           \
    HPYAPI_STUB static R NAME##_hpyapi_unimported(                                         \
        HPyContext *hpyapi_ctx HPYAPI_PARAMS(HPYAPI_G_PROTO, ~, __VA_ARGS__))  \
    {                                                                          \
        HPYAPI_PARAMS(HPYAPI_G_UNUSED, ~, __VA_ARGS__)                         \
        _HPyAPI_RaiseUnimported(hpyapi_ctx, &HPYAPI_USE_OBJ, #NAME);           \
        HPYAPI_RK(FAIL, R)(R);                                                 \
    }
#define HPYAPI_U_STUB_OBJECT(IDX, SINCE, NAME)                                 \
    HPYAPI_U_STUB_FUNC(IDX, SINCE, HPy, NAME, (void))
#define HPYAPI_U_STUB_RETIRED HPYAPI_U_STUB_FUNC
#define HPYAPI_U_SLOT_FUNC(IDX, SINCE, R, NAME, ...) NAME##_hpyapi_unimported,
#define HPYAPI_U_SLOT_OBJECT(IDX, SINCE, NAME) NAME##_hpyapi_unimported,
#define HPYAPI_U_SLOT_RETIRED HPYAPI_U_SLOT_FUNC
/* data before the import: a zero T (HPyAPI_HAS says it is not there) */
#define HPYAPI_U_STUB_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_U_STUB, __VA_ARGS__)
#define HPYAPI_U_STUB_DATA(IDX, SINCE, NAME, T)                                \
    static NAME##_hpyapi_T NAME##_hpyapi_unimported;
#define HPYAPI_U_SLOT_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_U_SLOT, __VA_ARGS__)
#define HPYAPI_U_SLOT_DATA(IDX, SINCE, NAME, T) &NAME##_hpyapi_unimported,

/* HPyAPI_USE(API, LIST, "module") is hpyapi 0.1's one-per-file form (a
 * static table pointer and import function): it means HPyAPI_USE_DEFINE,
 * so a one-file module builds unchanged, and one that has it in several
 * files fails to link with the symbol that names the fix. */
#define HPyAPI_USE(...)                                                        \
    HPYAPI_USE_SEL(__VA_ARGS__, HPyAPI_USE_DEFINE, HPYAPI_USE_2, ~)(__VA_ARGS__)
#define HPYAPI_USE_2(API, LIST)                                                \
    HPYAPI_EXTERN_C HPYAPI_INTERNAL const API##_API *API##_api                 \
        HPYAPI_LINK_NAME(API##_api, HPyAPI_USE_DEFINE);                        \
    HPYAPI_EXTERN_C HPYAPI_INTERNAL int import_##API(HPyContext *ctx)          \
        HPYAPI_LINK_NAME(import_##API, HPyAPI_USE_DEFINE);                     \
    HPYAPI_NEEDS_DEFINITION(API##_api)                                         \
    typedef int hpyapi_use_needs_a_semicolon

#define HPyAPI_USE_DEFINE(API, LIST, MODULE)                                   \
    HPYAPI_D_CHECKS(API, LIST)                                                 \
    HPYAPI_MAYBE_UNUSED static const HPyAPI_Use HPYAPI_USE_OBJ = {             \
        #API, MODULE,                                                          \
        "call import_" #API "(ctx) in this module's HPy_mod_exec"};            \
    HPYAPI_USE_2(API, LIST);                                                   \
    HPYAPI_UNIMPORTED_TABLE(API, LIST, API##_API, HPYAPI_U, API##_api)         \
    int import_##API(HPyContext *ctx)                                          \
    {                                                                          \
        const API##_API *t = HPyAPI_Import(ctx, API, MODULE);                  \
        if (t == NULL)                                                         \
            return -1;                                                         \
        API##_api = t;                                                         \
        return 0;                                                              \
    }                                                                          \
    typedef int hpyapi_use_define_needs_a_semicolon

#endif /* HPYAPI_CONSUMER_H */
