/* hpyapi/consumer.h - importing a table and calling through it.
 *
 * Internal; include <hpyapi.h>.
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
    ((const API##_API *)_HPyAPI_Import((ctx), (module), API##_API_spec(),      \
                                       (min_minor), HPYAPI_TABLE_HPY,          \
                                       "_hpyapi_" #API, "hpyapi." #API))

/* ---- HPyAPI_USE: a table pointer that is safe before import ----------------
 *
 *     HPyAPI_USE(myarray, MYARRAY_API, "myarray");
 *     ...  in HPy_mod_exec:   if (import_myarray(ctx) < 0) return -1;
 *     ...  anywhere:          myarray_api->Array_New(ctx, 3, 0.0);
 *
 * defines `static const myarray_API *myarray_api` and
 * `static int import_myarray(HPyContext *ctx)`.  Until the import succeeds
 * the pointer holds stubs that raise RuntimeError naming the entry and the
 * fix, instead of a NULL table that crashes.  One per C file. */

#define HPYAPI_U_STUB_FUNC(IDX, SINCE, R, NAME, ...)                           \
    static R NAME##_hpyapi_unimported(                                         \
        HPyContext *ctx HPYAPI_PARAMS(HPYAPI_G_PROTO, ~, __VA_ARGS__))         \
    {                                                                          \
        HPYAPI_PARAMS(HPYAPI_G_UNUSED, ~, __VA_ARGS__)                         \
        _HPyAPI_RaiseUnimported(ctx, &hpyapi_use, #NAME);                      \
        HPYAPI_RK(FAIL, R)(R);                                                 \
    }
#define HPYAPI_U_STUB_OBJECT(IDX, SINCE, NAME)                                 \
    HPYAPI_U_STUB_FUNC(IDX, SINCE, HPy, NAME, (void))
#define HPYAPI_U_STUB_RETIRED HPYAPI_U_STUB_FUNC
#define HPYAPI_U_SLOT_FUNC(IDX, SINCE, R, NAME, ...)                           \
    .NAME = NAME##_hpyapi_unimported,
#define HPYAPI_U_SLOT_OBJECT(IDX, SINCE, NAME) .NAME = NAME##_hpyapi_unimported,
#define HPYAPI_U_SLOT_RETIRED(IDX, SINCE, R, NAME, ...)                        \
    .NAME##__retired = NAME##_hpyapi_unimported,

#define HPyAPI_USE(API, LIST, MODULE)                                          \
    static const HPyAPI_Use hpyapi_use = {                                     \
        #API, MODULE,                                                          \
        "call import_" #API "(ctx) in this module's HPy_mod_exec"};            \
    HPYAPI_UNIMPORTED_TABLE(API, LIST, API##_API, HPYAPI_U, API##_api)         \
    HPYAPI_MAYBE_UNUSED static int import_##API(HPyContext *ctx)               \
    {                                                                          \
        const API##_API *t = HPyAPI_Import(ctx, API, MODULE);                  \
        if (t == NULL)                                                         \
            return -1;                                                         \
        API##_api = t;                                                         \
        return 0;                                                              \
    }                                                                          \
    typedef int hpyapi_use_needs_a_semicolon

#endif /* HPYAPI_CONSUMER_H */
