/* hpyapi.h - export a C API from one HPy extension to others, safely across
 * HPy contexts (HPy issue #446).
 *
 * Include after <hpy.h>.  Three steps:
 *
 * 1. Declare the API once, in a header shared by exporter and consumers:
 *
 *        #define MYARRAY_API(FUNC, OBJECT, RETIRED)                          \
 *            OBJECT(0, 0, ArrayType)                                         \
 *            FUNC  (1, 0, HPy,         Array_New,    (HPy_ssize_t, n))       \
 *            FUNC  (2, 0, HPy_ssize_t, Array_Length, (HPy, a))               \
 *            FUNC  (3, 0, double,      Array_Sum,    (const HPy *, items, n))
 *        HPyAPI_DECLARE(myarray, MYARRAY_API, 1, 0)   // major 1, minor 0
 *
 *    Entries: FUNC(index, since_minor, return_type, name, params...),
 *    OBJECT(index, since_minor, name) and RETIRED(index, since_minor,
 *    return_type, name, params...).  Indices start at 0, grow by one and
 *    never change; `since_minor` is the API minor that added the entry.
 *    Parameters: (T, name) by value, where T is HPy or any integer,
 *    floating or pointer type; (const HPy *, name, len) for an array of
 *    handles with an HPy_ssize_t length; (const HPy *, name, HPyAPI_LEN(n))
 *    for one whose length is parameter n (any integer type); (HPy *, name)
 *    for an out-handle, (HPy *, name, len or HPyAPI_LEN(n)) for an array
 *    the exporter fills; (void) for none.  Returns: HPy, void or any such
 *    T.  At most 32 parameters.  OBJECT(index, since_minor, name, T)
 *    exports the variable `name` of type T (read as *api->name).  This
 *    generates the table type `myarray_API` and `myarray_API_spec()`.
 *
 * 2. Export, in the C file that implements the entries (one API per file):
 *
 *        static HPyGlobal ArrayType;          // OBJECT entries are HPyGlobals
 *        static HPy Array_New(HPyContext *ctx, HPy_ssize_t n) { ... }
 *        ...
 *        HPyAPI_DEFINE(myarray, MYARRAY_API);  // trampolines
 *        static myarray_API table;
 *        // in HPy_mod_exec:
 *        table.Array_New = HPy_AsAPI(ctx, Array_New);  ... one per entry
 *        if (HPyAPI_Export(ctx, module, myarray, &table) < 0) return -1;
 *
 * 3. Import, in a consumer's HPy_mod_exec:
 *
 *        const myarray_API *api = HPyAPI_Import(ctx, myarray, "pkg.mod");
 *        if (api == NULL) return -1;         // ImportError says why
 *        HPy a = api->Array_New(ctx, 10);    // caller's ctx and handles
 *
 * Every call goes through a trampoline that hands the exporter a valid
 * context of its own family and its own handles; a result handle comes back
 * in the caller's context, owned by the caller.  Argument handles stay
 * borrowed.  See README.md for the mode matrix.
 */
#ifndef HPYAPI_H
#define HPYAPI_H

#if defined(HPy_H) /* an HPy extension: exporter or consumer */
#include "hpyapi/decl.h"
#include "hpyapi/trampoline.h"
#include "hpyapi/consumer.h"
#include "hpyapi/capi.h"
#include "hpyapi/legacy.h"
#elif defined(Py_PYTHON_H) /* a C-API extension: consumer only */
#include "hpyapi/capi.h"
#else
#error "include <hpy.h> (HPy extension) or <Python.h> (C-API extension) before <hpyapi.h>"
#endif

/* HPYAPI_VERSION: hpyapi/abi.h (the release, next to its capsule layout) */

#endif /* HPYAPI_H */
