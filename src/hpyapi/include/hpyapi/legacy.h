/* hpyapi/legacy.h - the other direction: HPy code calling a classic C-API
 * table (NumPy's `_ARRAY_API`: a `void **` in a PyCapsule) with its own
 * context and handles, in any mode.
 *
 * Public, through <hpyapi.h> after <hpy.h>: HPyAPI_LEGACY_DECLARE,
 * HPyAPI_LEGACY_USE, HPyAPI_LEGACY_VERSIONS, HPyAPI_LEGACY_NO_VERSIONS and
 * the annotations HPyAPI_STEALS and HPyAPI_BORROWED.  The structs and
 * _HPyAPI_Legacy* functions are for the generated bridge only (the
 * runtime's own declarations are in runtime/internal.h).  A legacy table
 * is declared
 * with the declaration language of HPyAPI_DECLARE, but indices are the
 * legacy table's own slots (sparse, any order) and two annotations say
 * what the legacy function does with references:
 *
 *     #define NPY_LEGACY(FUNC, OBJECT, RETIRED)                               \
 *         FUNC  (0,   0, unsigned int, GetNDArrayCVersion, (void))            \
 *         OBJECT(2,   0, ArrayType)                                           \
 *         FUNC  (45,  0, HPy, DescrFromType, (int, type))                     \
 *         FUNC  (183, 0, HPy, Zeros, (int, nd), (const npy_intp *, dims),     \
 *                (HPyAPI_STEALS, descr), (int, fortran))
 *     HPyAPI_LEGACY_DECLARE(npy, NPY_LEGACY)
 *     HPyAPI_LEGACY_USE(npy, NPY_LEGACY, "numpy._core._multiarray_umath",
 *                       "_ARRAY_API", NULL,
 *                       HPyAPI_LEGACY_VERSIONS(GetNDArrayCVersion,
 *                           0x02000000, GetNDArrayCFeatureVersion, 0x12));
 *     ... in HPy_mod_exec:  if (import_npy(ctx, module) < 0) return -1;
 *     ... anywhere:         HPy a = npy_api->Zeros(ctx, 1, dims, d, 0);
 *
 * Parameters: (HPy, x) is a PyObject * the function borrows; (HPyAPI_STEALS,
 * x) one whose reference it steals (the bridge lends it a new reference:
 * the caller still owns and closes its handle); (T, x) anything else,
 * passed through.  Returns: HPy is a new reference, HPyAPI_BORROWED a
 * borrowed one (the bridge takes a reference); both become a new handle of
 * the caller's context.  OBJECT(i, since, NAME) is a data pointer to an
 * object at slot i (NumPy's PyArray_Type): NAME(ctx) returns a new handle.
 * `since` is the legacy feature version that added the entry (0 if it
 * predates versioning); the import refuses a table older than any of them.
 * Handle arrays and RETIRED entries have no meaning in a legacy table and
 * do not compile.  Member names must not be the legacy API's macro names
 * (PyArray_Zeros is a macro wherever numpy's headers are included).
 *
 * Each call classifies the caller's context by the first eight bytes of its
 * name (the pointer differs per CPython-ABI module): the family the table
 * was imported in takes the fast path, pointer arithmetic between handle
 * and PyObject * (0 for the CPython ABI, +1 for universal and trace,
 * checked on None at import).  Other contexts (debug) go through
 * runtime/legacy.c, which converts with the context's own
 * AsPyObject/FromPyObject.  NULL/-1 results and the legacy function's
 * exception come back unchanged.  Hooks (runtime/hooks.c, the engine of
 * exported APIs) clear the fast tag while any entry has one, so that every
 * call meets them there.
 */
#ifndef HPYAPI_LEGACY_H
#define HPYAPI_LEGACY_H

#include <stdint.h>
#include <string.h>
#include "hpyapi/pp.h"
#include "hpyapi/common.h"
#include "hpyapi/runtime.h"

/* The annotations.  Written where a type goes, recognised by the probes
 * below; defined as types so that a stray use outside a list still reads
 * sensibly to the compiler. */
typedef HPy HPyAPI_STEALS;
typedef HPy HPyAPI_BORROWED;

/* Reference counting of lent PyObject*s.  Universal builds may not include
 * Python.h: they reach the running interpreter's Py_IncRef through a weak
 * symbol (see runtime/cpython.h), checked non-NULL at import. */
#ifdef HPY_ABI_UNIVERSAL
extern void Py_IncRef(cpy_PyObject *) __attribute__((weak));
#define HPYAPI_L_XINCREF(o) Py_IncRef((cpy_PyObject *)(void *)(o))
#else
#define HPYAPI_L_XINCREF(o) Py_XINCREF((PyObject *)(o))
#endif

/* ---- runtime (runtime/legacy.c) ------------------------------------------- */

typedef struct HPyAPI_LegacyEntry {
    const char *name;
    uint32_t index; /* slot in the legacy table */
    uint32_t since; /* legacy feature version that added it */
    const char *ret, *params; /* "HPy", ",int,HPyAPI_STEALS": describe() */
    uint32_t flags;           /* HPYAPI_ENTRY_FUNC or _OBJECT */
} HPyAPI_LegacyEntry;

/* HPyAPI_Header.table_kind of the header a bridge publishes on its
 * consumer module, for describe() and hooks(); HPyAPI_Import refuses it. */
#define HPYAPI_TABLE_LEGACY 3u

/* One call's hooks, between _HPyAPI_HookBegin and _HPyAPI_HookEnd
 * (runtime/hooks.c, the engine exported APIs use too). */
typedef struct HPyAPI_HookCall {
    void *rec;      /* the caller's counters, or NULL: nothing to count */
    uint32_t flags; /* the entry's hooks when the call began */
    uint64_t t0;    /* start of a timed call */
} HPyAPI_HookCall;

/* A version check run through the legacy table's own entries, each an
 * `unsigned int (void)` at its slot; index -1 when there is none. */
typedef struct HPyAPI_LegacyVersions {
    int32_t abi_index;
    uint32_t abi; /* must be equal */
    int32_t feature_index;
    uint32_t feature; /* the runtime's must be >= */
    const char *abi_entry, *feature_entry;
} HPyAPI_LegacyVersions;

/* Per HPyAPI_LEGACY_USE (per C file).  `tag` and `offset` are the fast
 * path: contexts whose name starts with the eight bytes `tag` have handles
 * that are their PyObject* plus `offset`.  While any entry has a hook, tag
 * is 0 (no context name starts with eight zero bytes) and every call takes
 * the slow path, where the hooks run; `fast_tag` keeps the real one.  The
 * hooks are runtime/hooks.c's, as for an exported API. */
typedef struct HPyAPI_Legacy {
    uint64_t tag;
    intptr_t offset;
    const HPyAPI_Slot *funcs; /* the legacy table, read as functions */
    void *const *data;        /* the same, read as data pointers */
    const char *api, *module, *attr, *capsule_name;
    HPyAPI_LegacyVersions versions;
    const HPyAPI_LegacyEntry *entries;
    uint32_t n_entries;
    uint64_t fast_tag;
    uint32_t kind; /* HPYAPI_KIND_* of the context that imported */
    const void *bridged; /* the API##_API table, for the header */
    struct HPyAPI_Hooks *hooks; /* per entry in list order; NULL until
                                   published (runtime/hooks.c) */
    struct HPyAPI_LegacyPub *pub; /* header, names (legacy_hooks.c) */
} HPyAPI_Legacy;

#define HPYAPI_L_MAX_OWNED HPYAPI_MAX_PARAMS /* one per parameter at most */
/* One slow-path call: how the caller's handles convert, and the
 * references taken on the way that must be dropped after the call. */
typedef struct HPyAPI_LegacyCall {
    HPyContext *ctx;
    intptr_t conv; /* >= 0: offset; < 0: the context's AsPyObject */
    int failed;
    int n_owned;
    struct _object *owned[HPYAPI_L_MAX_OWNED];
    HPyAPI_Legacy *L;
    uint32_t pos;  /* the entry's position in the list */
    HPyAPI_HookCall hook;
} HPyAPI_LegacyCall;

/* Imports the table; with a module (not HPy_NULL), also publishes the
 * bridge's header on it as `_hpyapi_<api>` for describe() and hooks(). */
HPYAPI_INTERNAL int _HPyAPI_LegacyImport(HPyContext *ctx, HPyAPI_Legacy *L,
                                         HPy module);
/* After a failed import in HPy_mod_exec: keeps hpy from leaving a module
 * behind that crashes the next garbage collection (runtime/import.c). */
HPYAPI_INTERNAL void _HPyAPI_ForgetFailedModule(HPyContext *ctx);
/* Starts a slow-path call of entry `pos`: how to convert, and the hooks.
 * Returns -1, with an exception set, when a hook stops the call. */
HPYAPI_INTERNAL int _HPyAPI_LegacyBegin(HPyContext *ctx, HPyAPI_Legacy *L,
                                        uint32_t pos, HPyAPI_LegacyCall *c);
HPYAPI_INTERNAL struct _object *_HPyAPI_LegacyArg(HPyAPI_LegacyCall *c, HPy h);
HPYAPI_INTERNAL void _HPyAPI_LegacyEnd(HPyAPI_LegacyCall *c);
HPYAPI_INTERNAL HPy _HPyAPI_LegacyResult(HPyAPI_LegacyCall *c,
                                         struct _object *o, int borrowed);
HPYAPI_INTERNAL struct _object *_HPyAPI_LegacyBorrow(HPyContext *ctx,
                                                     const HPyAPI_Legacy *L,
                                                     HPy h);
/* hpyapi's own RuntimeError for a call before import (runtime/errors.c) */
HPYAPI_INTERNAL void _HPyAPI_RaiseUnimported(HPyContext *ctx,
                                             const HPyAPI_Use *use,
                                             const char *entry);

/* ---- probes: the annotations --------------------------------------------- */

/* HPYAPI_L_PKIND(T)(steals, other): steals for exactly HPyAPI_STEALS (see
 * HPYAPI_IS_HPY in pp.h: probes answer with selectors, never bare letters
 * a user's macro could replace). */
#define HPYAPI_L_PKIND(T)                                                      \
    HPYAPI_SECOND(HPYAPI_CAT_I(HPYAPI_L_PROBE_P_, T)(), HPYAPI_PICK2_2)
#define HPYAPI_L_PROBE_P_HPyAPI_STEALS HPYAPI_L_PROBE_S_TAIL
#define HPYAPI_L_PROBE_S_TAIL() ~, HPYAPI_PICK2_1

/* Return kinds: H (HPy: new reference), B (HPyAPI_BORROWED), N (void),
 * V (anything else, passed back unchanged); HPYAPI_L_RKIND(R)(h, b, n, v)
 * selects. */
#define HPYAPI_L_RKIND(R)                                                      \
    HPYAPI_SECOND(HPYAPI_CAT_I(HPYAPI_L_PROBE_R_, R)(), HPYAPI_PICK4_4)
#define HPYAPI_L_PROBE_R_HPy HPYAPI_L_PROBE_RH_TAIL
#define HPYAPI_L_PROBE_RH_TAIL() ~, HPYAPI_PICK4_1
#define HPYAPI_L_PROBE_R_HPyAPI_BORROWED HPYAPI_L_PROBE_RB_TAIL
#define HPYAPI_L_PROBE_RB_TAIL() ~, HPYAPI_PICK4_2
#define HPYAPI_L_PROBE_R_void HPYAPI_L_PROBE_RN_TAIL
#define HPYAPI_L_PROBE_RN_TAIL() ~, HPYAPI_PICK4_3
#define HPYAPI_L_RK(piece, R)                                                  \
    HPYAPI_L_RKIND(R)(HPYAPI_L_R_##piece##_H, HPYAPI_L_R_##piece##_B,          \
                      HPYAPI_L_R_##piece##_N, HPYAPI_L_R_##piece##_V)

/* ---- per-parameter generators, one block per parameter kind ---------------
 * Families: PROTO the bridge's prototype (after `HPyContext *ctx`), CTYPE
 * the legacy function's parameter types, FARG the fast call's arguments
 * (handles offset by X), STEAL a reference per stolen argument before the
 * fast call, CONV/SSTEAL/SARG the slow path (convert each handle into
 * hpyapi_p_<name>, take stolen references once all converted, pass them),
 * ARG the bridge's own arguments passed to its slow half, UNUSED the
 * stubs', SIG describe()'s signature.  HPYAPI_PARAMS dispatches on the
 * kinds of pp.h; every family has every kind (tests/test_map.py checks),
 * so a new kind is one block here. */
#define HPYAPI_L_SPLIT(G, X, pos, T, name)                                     \
    HPYAPI_L_PKIND(T)(G##S, G##V)(X, pos, T, name)

/* H: (HPy, x), a PyObject * the legacy function borrows */
#define HPYAPI_L_PROTO_H(X, pos, T, name) , HPy name
#define HPYAPI_L_CTYPE_H(X, pos, T, name) struct _object * HPYAPI_L_SEP(pos)
#define HPYAPI_L_FARG_H(X, pos, T, name) _HPyAPI_PyOfHandle(name, X) HPYAPI_L_SEP(pos)
#define HPYAPI_L_STEAL_H(X, pos, T, name)
#define HPYAPI_L_CONV_H(X, pos, T, name)                                       \
    struct _object *hpyapi_p_##name = _HPyAPI_LegacyArg(&X, name);
#define HPYAPI_L_SSTEAL_H(X, pos, T, name)
#define HPYAPI_L_SARG_H(X, pos, T, name) hpyapi_p_##name HPYAPI_L_SEP(pos)
#define HPYAPI_L_ARG_H(X, pos, T, name) , name
#define HPYAPI_L_UNUSED_H(X, pos, T, name) (void)name;
#define HPYAPI_L_SIG_H(X, pos, T, name) ",HPy"

/* V: (T, x) by value, split again by HPYAPI_L_PKIND into VS, (HPyAPI_STEALS,
 * x) whose reference the function steals (the bridge lends it a new one),
 * and VV, anything else, passed through */
#define HPYAPI_L_PROTO_V(X, pos, T, name) HPYAPI_L_SPLIT(HPYAPI_L_PROTO_V, X, pos, T, name)
#define HPYAPI_L_CTYPE_V(X, pos, T, name) HPYAPI_L_SPLIT(HPYAPI_L_CTYPE_V, X, pos, T, name)
#define HPYAPI_L_FARG_V(X, pos, T, name) HPYAPI_L_SPLIT(HPYAPI_L_FARG_V, X, pos, T, name)
#define HPYAPI_L_STEAL_V(X, pos, T, name) HPYAPI_L_SPLIT(HPYAPI_L_STEAL_V, X, pos, T, name)
#define HPYAPI_L_CONV_V(X, pos, T, name) HPYAPI_L_SPLIT(HPYAPI_L_CONV_V, X, pos, T, name)
#define HPYAPI_L_SSTEAL_V(X, pos, T, name) HPYAPI_L_SPLIT(HPYAPI_L_SSTEAL_V, X, pos, T, name)
#define HPYAPI_L_SARG_V(X, pos, T, name) HPYAPI_L_SPLIT(HPYAPI_L_SARG_V, X, pos, T, name)
#define HPYAPI_L_ARG_V(X, pos, T, name) , name
#define HPYAPI_L_UNUSED_V(X, pos, T, name) (void)name;
#define HPYAPI_L_SIG_V(X, pos, T, name) "," #T
#define HPYAPI_L_PROTO_VS(X, pos, T, name) , HPy name
#define HPYAPI_L_CTYPE_VS HPYAPI_L_CTYPE_H
#define HPYAPI_L_FARG_VS HPYAPI_L_FARG_H
#define HPYAPI_L_STEAL_VS(X, pos, T, name) HPYAPI_L_XINCREF(_HPyAPI_PyOfHandle(name, X));
#define HPYAPI_L_CONV_VS HPYAPI_L_CONV_H
#define HPYAPI_L_SSTEAL_VS(X, pos, T, name) HPYAPI_L_XINCREF(hpyapi_p_##name);
#define HPYAPI_L_SARG_VS HPYAPI_L_SARG_H
#define HPYAPI_L_PROTO_VV(X, pos, T, name) , T name
#define HPYAPI_L_CTYPE_VV(X, pos, T, name) T HPYAPI_L_SEP(pos)
#define HPYAPI_L_FARG_VV(X, pos, T, name) name HPYAPI_L_SEP(pos)
#define HPYAPI_L_STEAL_VV(X, pos, T, name)
#define HPYAPI_L_CONV_VV(X, pos, T, name)
#define HPYAPI_L_SSTEAL_VV(X, pos, T, name)
#define HPYAPI_L_SARG_VV HPYAPI_L_FARG_VV

/* N: (void) */
#define HPYAPI_L_PROTO_N(X, pos, T)
#define HPYAPI_L_CTYPE_N(X, pos, T) void
#define HPYAPI_L_FARG_N(X, pos, T)
#define HPYAPI_L_STEAL_N(X, pos, T)
#define HPYAPI_L_CONV_N(X, pos, T)
#define HPYAPI_L_SSTEAL_N(X, pos, T)
#define HPYAPI_L_SARG_N(X, pos, T)
#define HPYAPI_L_ARG_N(X, pos, T)
#define HPYAPI_L_UNUSED_N(X, pos, T)
#define HPYAPI_L_SIG_N(X, pos, T)

/* Refused: handle arrays (A, AL, AE), out-handles (O), in-out handles
 * (IO), arrays the exporter fills (W, WL, WE) and callbacks (C) have no meaning in a
 * classic C-API table, whose functions take PyObject * and PyObject ** of
 * one interpreter.  One static assertion in the table type (HPYAPI_L_CHECK) names the entry and
 * the parameter; every other family stands a `void *` in for the parameter
 * so that the rest of the expansion stays valid C and that assertion is
 * the only error.  The last element of the tuple names it, whatever the
 * kind's arity. */
#define HPYAPI_L_REFUSED(NAME, what, p)                                        \
    HPYAPI_STATIC_ASSERT(0, #NAME ": parameter '" #p "' is " what "; a "       \
                         "legacy table takes handles and values only (export " \
                         "a wrapper of this function through an hpyapi API "   \
                         "instead)");
#define HPYAPI_L_CHECK_H(NAME, pos, T, name)
#define HPYAPI_L_CHECK_V(NAME, pos, T, name)
#define HPYAPI_L_CHECK_N(NAME, pos, T)
#define HPYAPI_L_CHECK_A(NAME, pos, T, p, n) HPYAPI_L_REFUSED(NAME, "an array of handles", p)
#define HPYAPI_L_CHECK_AL HPYAPI_L_CHECK_A
#define HPYAPI_L_CHECK_W(NAME, pos, T, p, n) HPYAPI_L_REFUSED(NAME, "an array of handles the exporter fills", p)
#define HPYAPI_L_CHECK_WL HPYAPI_L_CHECK_W
#define HPYAPI_L_CHECK_O(NAME, pos, T, p) HPYAPI_L_REFUSED(NAME, "an out-handle", p)
#define HPYAPI_L_CHECK_C(NAME, pos, T, fn, ud) HPYAPI_L_REFUSED(NAME, "a callback", fn)
#define HPYAPI_L_PROTO_X(X, pos, ...) , void *HPYAPI_L_LAST(__VA_ARGS__)
#define HPYAPI_L_CTYPE_X(X, pos, ...) void * HPYAPI_L_SEP(pos)
#define HPYAPI_L_FARG_X(X, pos, ...) HPYAPI_L_LAST(__VA_ARGS__) HPYAPI_L_SEP(pos)
#define HPYAPI_L_STEAL_X(X, pos, ...)
#define HPYAPI_L_CONV_X(X, pos, ...)
#define HPYAPI_L_SSTEAL_X(X, pos, ...)
#define HPYAPI_L_SARG_X HPYAPI_L_FARG_X
#define HPYAPI_L_ARG_X(X, pos, ...) , HPYAPI_L_LAST(__VA_ARGS__)
#define HPYAPI_L_UNUSED_X(X, pos, ...) (void)HPYAPI_L_LAST(__VA_ARGS__);
#define HPYAPI_L_SIG_X(X, pos, ...)
/* the parameter's own name: the second element of (T, p), (T, p, n) and
 * (T, fn, ud) */
#define HPYAPI_L_LAST(...) HPYAPI_SECOND(__VA_ARGS__)
/* HPYAPI_L_<family>_<refused kind> are HPYAPI_L_<family>_X, spelled out so
 * that the dispatch of pp.h finds them (a macro cannot define macros) */
#define HPYAPI_L_PROTO_A HPYAPI_L_PROTO_X
#define HPYAPI_L_PROTO_AL HPYAPI_L_PROTO_X
#define HPYAPI_L_PROTO_W HPYAPI_L_PROTO_X
#define HPYAPI_L_PROTO_WL HPYAPI_L_PROTO_X
#define HPYAPI_L_PROTO_O HPYAPI_L_PROTO_X
#define HPYAPI_L_PROTO_C HPYAPI_L_PROTO_X
#define HPYAPI_L_CTYPE_A HPYAPI_L_CTYPE_X
#define HPYAPI_L_CTYPE_AL HPYAPI_L_CTYPE_X
#define HPYAPI_L_CTYPE_W HPYAPI_L_CTYPE_X
#define HPYAPI_L_CTYPE_WL HPYAPI_L_CTYPE_X
#define HPYAPI_L_CTYPE_O HPYAPI_L_CTYPE_X
#define HPYAPI_L_CTYPE_C HPYAPI_L_CTYPE_X
#define HPYAPI_L_FARG_A HPYAPI_L_FARG_X
#define HPYAPI_L_FARG_AL HPYAPI_L_FARG_X
#define HPYAPI_L_FARG_W HPYAPI_L_FARG_X
#define HPYAPI_L_FARG_WL HPYAPI_L_FARG_X
#define HPYAPI_L_FARG_O HPYAPI_L_FARG_X
#define HPYAPI_L_FARG_C HPYAPI_L_FARG_X
#define HPYAPI_L_STEAL_A HPYAPI_L_STEAL_X
#define HPYAPI_L_STEAL_AL HPYAPI_L_STEAL_X
#define HPYAPI_L_STEAL_W HPYAPI_L_STEAL_X
#define HPYAPI_L_STEAL_WL HPYAPI_L_STEAL_X
#define HPYAPI_L_STEAL_O HPYAPI_L_STEAL_X
#define HPYAPI_L_STEAL_C HPYAPI_L_STEAL_X
#define HPYAPI_L_CONV_A HPYAPI_L_CONV_X
#define HPYAPI_L_CONV_AL HPYAPI_L_CONV_X
#define HPYAPI_L_CONV_W HPYAPI_L_CONV_X
#define HPYAPI_L_CONV_WL HPYAPI_L_CONV_X
#define HPYAPI_L_CONV_O HPYAPI_L_CONV_X
#define HPYAPI_L_CONV_C HPYAPI_L_CONV_X
#define HPYAPI_L_SSTEAL_A HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SSTEAL_AL HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SSTEAL_W HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SSTEAL_WL HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SSTEAL_O HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SSTEAL_C HPYAPI_L_SSTEAL_X
#define HPYAPI_L_SARG_A HPYAPI_L_SARG_X
#define HPYAPI_L_SARG_AL HPYAPI_L_SARG_X
#define HPYAPI_L_SARG_W HPYAPI_L_SARG_X
#define HPYAPI_L_SARG_WL HPYAPI_L_SARG_X
#define HPYAPI_L_SARG_O HPYAPI_L_SARG_X
#define HPYAPI_L_SARG_C HPYAPI_L_SARG_X
#define HPYAPI_L_ARG_A HPYAPI_L_ARG_X
#define HPYAPI_L_ARG_AL HPYAPI_L_ARG_X
#define HPYAPI_L_ARG_W HPYAPI_L_ARG_X
#define HPYAPI_L_ARG_WL HPYAPI_L_ARG_X
#define HPYAPI_L_ARG_O HPYAPI_L_ARG_X
#define HPYAPI_L_ARG_C HPYAPI_L_ARG_X
#define HPYAPI_L_UNUSED_A HPYAPI_L_UNUSED_X
#define HPYAPI_L_UNUSED_AL HPYAPI_L_UNUSED_X
#define HPYAPI_L_UNUSED_W HPYAPI_L_UNUSED_X
#define HPYAPI_L_UNUSED_WL HPYAPI_L_UNUSED_X
#define HPYAPI_L_UNUSED_O HPYAPI_L_UNUSED_X
#define HPYAPI_L_UNUSED_C HPYAPI_L_UNUSED_X
#define HPYAPI_L_SIG_A HPYAPI_L_SIG_X
#define HPYAPI_L_SIG_AL HPYAPI_L_SIG_X
#define HPYAPI_L_SIG_W HPYAPI_L_SIG_X
#define HPYAPI_L_SIG_WL HPYAPI_L_SIG_X
#define HPYAPI_L_SIG_O HPYAPI_L_SIG_X
#define HPYAPI_L_SIG_C HPYAPI_L_SIG_X

/* a comma after every parameter but the last (pos counts down to 1) */
#define HPYAPI_L_SEP(pos) HPYAPI_CAT_I(HPYAPI_L_SEP_, pos)
#define HPYAPI_L_SEP_1
#define HPYAPI_L_SEP_2 ,
#define HPYAPI_L_SEP_3 ,
#define HPYAPI_L_SEP_4 ,
#define HPYAPI_L_SEP_5 ,
#define HPYAPI_L_SEP_6 ,
#define HPYAPI_L_SEP_7 ,
#define HPYAPI_L_SEP_8 ,
#define HPYAPI_L_SEP_9 ,
#define HPYAPI_L_SEP_10 ,
#define HPYAPI_L_SEP_11 ,
#define HPYAPI_L_SEP_12 ,
#define HPYAPI_L_SEP_13 ,
#define HPYAPI_L_SEP_14 ,
#define HPYAPI_L_SEP_15 ,
#define HPYAPI_L_SEP_16 ,
#define HPYAPI_L_SEP_17 ,
#define HPYAPI_L_SEP_18 ,
#define HPYAPI_L_SEP_19 ,
#define HPYAPI_L_SEP_20 ,
#define HPYAPI_L_SEP_21 ,
#define HPYAPI_L_SEP_22 ,
#define HPYAPI_L_SEP_23 ,
#define HPYAPI_L_SEP_24 ,
#define HPYAPI_L_SEP_25 ,
#define HPYAPI_L_SEP_26 ,
#define HPYAPI_L_SEP_27 ,
#define HPYAPI_L_SEP_28 ,
#define HPYAPI_L_SEP_29 ,
#define HPYAPI_L_SEP_30 ,
#define HPYAPI_L_SEP_31 ,
#define HPYAPI_L_SEP_32 ,

/* ---- per-result-kind pieces ------------------------------------------------ */
#define HPYAPI_L_R_RET_H(R) HPy
#define HPYAPI_L_R_RET_B(R) HPy
#define HPYAPI_L_R_RET_N(R) void
#define HPYAPI_L_R_RET_V(R) R
#define HPYAPI_L_R_CRET_H(R) struct _object *
#define HPYAPI_L_R_CRET_B(R) struct _object *
#define HPYAPI_L_R_CRET_N(R) void
#define HPYAPI_L_R_CRET_V(R) R
/* HPy_NULL is a compound literal, which C++ lacks (-Wpedantic) */
#define HPYAPI_L_R_FAIL_H(R) return _HPyAPI_HandleOfPy(NULL, 0)
#define HPYAPI_L_R_FAIL_B(R) return _HPyAPI_HandleOfPy(NULL, 0)
#define HPYAPI_L_R_FAIL_N(R) return
#define HPYAPI_L_R_FAIL_V(R) return HPYAPI_ERRVAL(R)
/* the fast call's result, k the handle offset */
#define HPYAPI_L_R_FTAIL_H(k, call) return _HPyAPI_HandleOfPy(call, k)
#define HPYAPI_L_R_FTAIL_B(k, call)                                            \
    do {                                                                       \
        struct _object *hpyapi_r = call;                                       \
        HPYAPI_L_XINCREF(hpyapi_r);                                            \
        return _HPyAPI_HandleOfPy(hpyapi_r, k);                                \
    } while (0)
#define HPYAPI_L_R_FTAIL_N(k, call)                                            \
    do {                                                                       \
        call;                                                                  \
        return;                                                                \
    } while (0)
#define HPYAPI_L_R_FTAIL_V(k, call) return call
/* the slow call's result, c the HPyAPI_LegacyCall */
#define HPYAPI_L_R_STAIL_H(c, R, call)                                         \
    struct _object *hpyapi_r = call;                                           \
    _HPyAPI_LegacyEnd(&c);                                                     \
    return _HPyAPI_LegacyResult(&c, hpyapi_r, 0)
#define HPYAPI_L_R_STAIL_B(c, R, call)                                         \
    struct _object *hpyapi_r = call;                                           \
    _HPyAPI_LegacyEnd(&c);                                                     \
    return _HPyAPI_LegacyResult(&c, hpyapi_r, 1)
#define HPYAPI_L_R_STAIL_N(c, R, call)                                         \
    call;                                                                      \
    _HPyAPI_LegacyEnd(&c)
#define HPYAPI_L_R_STAIL_V(c, R, call)                                         \
    R hpyapi_r = call;                                                         \
    _HPyAPI_LegacyEnd(&c);                                                     \
    return hpyapi_r
/* the bridge handing over to its slow half */
#define HPYAPI_L_R_TAIL_H(call) return call
#define HPYAPI_L_R_TAIL_B(call) return call
#define HPYAPI_L_R_TAIL_V(call) return call
#define HPYAPI_L_R_TAIL_N(call)                                                \
    do {                                                                       \
        call;                                                                  \
        return;                                                                \
    } while (0)

/* ---- declaration ------------------------------------------------------------ */

#define HPYAPI_L_MEMBER_FUNC(IDX, SINCE, R, NAME, ...)                         \
    HPYAPI_PARAMS(HPYAPI_L_CHECK, NAME, __VA_ARGS__)                           \
    HPYAPI_L_RK(RET, R)(R) (*NAME)(HPyContext *ctx                             \
                                   HPYAPI_PARAMS(HPYAPI_L_PROTO, ~, __VA_ARGS__));
#define HPYAPI_L_MEMBER_OBJECT(IDX, SINCE, NAME) HPy (*NAME)(HPyContext *ctx);
#define HPYAPI_L_MEMBER_RETIRED(IDX, SINCE, R, NAME, ...)                      \
    HPYAPI_STATIC_ASSERT(0, #NAME ": a legacy table has no RETIRED entries");

/* API##_API: the bridged table, one member per declared entry, each taking
 * the caller's context and handles. */
#define HPyAPI_LEGACY_DECLARE(API, LIST)                                       \
    typedef struct API##_API {                                                 \
        LIST(HPYAPI_L_MEMBER_FUNC, HPYAPI_L_MEMBER_OBJECT,                     \
             HPYAPI_L_MEMBER_RETIRED)                                          \
    } API##_API

/* HPyAPI_LEGACY_VERSIONS(ABI_ENTRY, abi, FEATURE_ENTRY, feature): at
 * import, call ABI_ENTRY() and FEATURE_ENTRY() (declared `unsigned int
 * (void)` entries) and require ABI_ENTRY() == abi (NumPy 2's import_array
 * refuses a newer ABI, an older one has other slots) and FEATURE_ENTRY()
 * >= feature.  HPyAPI_LEGACY_NO_VERSIONS skips the check. */
#define HPyAPI_LEGACY_VERSIONS(ABI_ENTRY, abi, FEATURE_ENTRY, feature)         \
    {hpyapi_lidx_##ABI_ENTRY, (abi), hpyapi_lidx_##FEATURE_ENTRY, (feature),   \
     #ABI_ENTRY, #FEATURE_ENTRY}
#define HPyAPI_LEGACY_NO_VERSIONS {-1, 0, -1, 0, NULL, NULL}

/* ---- HPyAPI_LEGACY_USE: the bridge functions of one C file ----------------- */

#define HPYAPI_L_DEF_FUNC(IDX, SINCE, R, NAME, ...)                            \
    HPYAPI_COLD static HPYAPI_L_RK(RET, R)(R) NAME##_hpyapi_lslow(             \
        HPyContext *ctx HPYAPI_PARAMS(HPYAPI_L_PROTO, ~, __VA_ARGS__))         \
    {                                                                          \
        HPyAPI_LegacyCall hpyapi_c;                                            \
        if (_HPyAPI_LegacyBegin(ctx, &hpyapi_legacy, hpyapi_lpos_##NAME,       \
                                &hpyapi_c) < 0)                                \
            HPYAPI_L_RK(FAIL, R)(R);                                           \
        HPYAPI_PARAMS(HPYAPI_L_CONV, hpyapi_c, __VA_ARGS__)                    \
        if (hpyapi_c.failed) {                                                 \
            _HPyAPI_LegacyEnd(&hpyapi_c);                                      \
            HPYAPI_L_RK(FAIL, R)(R);                                           \
        }                                                                      \
        HPYAPI_PARAMS(HPYAPI_L_SSTEAL, ~, __VA_ARGS__)                         \
        HPYAPI_L_RK(STAIL, R)                                                  \
        (hpyapi_c, R,                                                          \
         ((HPYAPI_L_RK(CRET, R)(R)(*)(HPYAPI_PARAMS(HPYAPI_L_CTYPE, ~,         \
                                                    __VA_ARGS__)))             \
              hpyapi_legacy.funcs[IDX])(                                       \
             HPYAPI_PARAMS(HPYAPI_L_SARG, ~, __VA_ARGS__)));                   \
    }                                                                          \
    static HPYAPI_L_RK(RET, R)(R) NAME##_hpyapi_legacy(                        \
        HPyContext *ctx HPYAPI_PARAMS(HPYAPI_L_PROTO, ~, __VA_ARGS__))         \
    {                                                                          \
        if (HPYAPI_LIKELY(_HPyAPI_CtxWord(ctx) == HPYAPI_L_TAG())) {           \
            intptr_t hpyapi_k = hpyapi_legacy.offset;                          \
            (void)hpyapi_k; /* unused without handles */                       \
            HPYAPI_PARAMS(HPYAPI_L_STEAL, hpyapi_k, __VA_ARGS__)               \
            HPYAPI_L_RK(FTAIL, R)                                              \
            (hpyapi_k,                                                         \
             ((HPYAPI_L_RK(CRET, R)(R)(*)(HPYAPI_PARAMS(HPYAPI_L_CTYPE, ~,     \
                                                        __VA_ARGS__)))         \
                  hpyapi_legacy.funcs[IDX])(                                   \
                 HPYAPI_PARAMS(HPYAPI_L_FARG, hpyapi_k, __VA_ARGS__)));        \
        }                                                                      \
        HPYAPI_L_RK(TAIL, R)                                                   \
        (NAME##_hpyapi_lslow(ctx HPYAPI_PARAMS(HPYAPI_L_ARG, ~, __VA_ARGS__))); \
    }
/* An exported object: a data pointer in the table, lent like a borrowed
 * result. */
#define HPYAPI_L_DEF_OBJECT(IDX, SINCE, NAME)                                  \
    static HPy NAME##_hpyapi_legacy(HPyContext *ctx)                           \
    {                                                                          \
        struct _object *hpyapi_o = (struct _object *)hpyapi_legacy.data[IDX];  \
        if (HPYAPI_LIKELY(_HPyAPI_CtxWord(ctx) == HPYAPI_L_TAG())) {           \
            HPYAPI_L_XINCREF(hpyapi_o);                                        \
            return _HPyAPI_HandleOfPy(hpyapi_o, hpyapi_legacy.offset);         \
        }                                                                      \
        HPyAPI_LegacyCall hpyapi_c;                                            \
        if (_HPyAPI_LegacyBegin(ctx, &hpyapi_legacy, hpyapi_lpos_##NAME,       \
                                &hpyapi_c) < 0)                                \
            return _HPyAPI_HandleOfPy(NULL, 0);                                \
        _HPyAPI_LegacyEnd(&hpyapi_c);                                          \
        return _HPyAPI_LegacyResult(&hpyapi_c, hpyapi_o, 1);                   \
    }
#define HPYAPI_L_DEF_RETIRED(IDX, SINCE, R, NAME, ...)

/* stubs until import_<api>(ctx) succeeds */
#define HPYAPI_L_STUB_FUNC(IDX, SINCE, R, NAME, ...)                           \
    HPYAPI_STUB static HPYAPI_L_RK(RET, R)(R) NAME##_hpyapi_lunimported(       \
        HPyContext *ctx HPYAPI_PARAMS(HPYAPI_L_PROTO, ~, __VA_ARGS__))         \
    {                                                                          \
        HPYAPI_PARAMS(HPYAPI_L_UNUSED, ~, __VA_ARGS__)                         \
        _HPyAPI_RaiseUnimported(ctx, &hpyapi_luse, #NAME);                     \
        HPYAPI_L_RK(FAIL, R)(R);                                               \
    }
#define HPYAPI_L_STUB_OBJECT(IDX, SINCE, NAME)                                 \
    HPYAPI_L_STUB_FUNC(IDX, SINCE, HPy, NAME, (void))
#define HPYAPI_L_STUB_RETIRED(IDX, SINCE, R, NAME, ...)

#define HPYAPI_L_SLOT_FUNC(IDX, SINCE, R, NAME, ...) NAME##_hpyapi_legacy,
#define HPYAPI_L_SLOT_OBJECT(IDX, SINCE, NAME) NAME##_hpyapi_legacy,
/* positional: the table's members are declared in list order */
#define HPYAPI_L_USLOT_FUNC(IDX, SINCE, R, NAME, ...) NAME##_hpyapi_lunimported,
#define HPYAPI_L_USLOT_OBJECT(IDX, SINCE, NAME) NAME##_hpyapi_lunimported,
#define HPYAPI_L_NOTHING(...)

#define HPYAPI_L_INFO_FUNC(IDX, SINCE, R, NAME, ...)                           \
    {#NAME, (IDX), (SINCE), #R,                                                \
     "" HPYAPI_PARAMS(HPYAPI_L_SIG, ~, __VA_ARGS__), HPYAPI_ENTRY_FUNC},
#define HPYAPI_L_INFO_OBJECT(IDX, SINCE, NAME)                                 \
    {#NAME, (IDX), (SINCE), "HPy", "", HPYAPI_ENTRY_OBJECT},
#define HPYAPI_L_POS_FUNC(IDX, SINCE, R, NAME, ...) hpyapi_lpos_##NAME,
#define HPYAPI_L_POS_OBJECT(IDX, SINCE, NAME) hpyapi_lpos_##NAME,
#define HPYAPI_L_LIDX_FUNC(IDX, SINCE, R, NAME, ...) HPYAPI_L_LIDX(NAME, IDX)
#define HPYAPI_L_LIDX_OBJECT(IDX, SINCE, NAME) HPYAPI_L_LIDX(NAME, IDX)
#define HPYAPI_L_LIDX(NAME, IDX) hpyapi_lidx_##NAME = (IDX),

#define HPYAPI_L_EACH(LIST, G) LIST(G##_FUNC, G##_OBJECT, HPYAPI_L_NOTHING)
/* The fast tag, read atomically: hooks clear it while other threads call
 * (a plain load on every common target; it only keeps the compiler from
 * caching the tag across calls). */
#define HPYAPI_L_TAG() __atomic_load_n(&hpyapi_legacy.tag, __ATOMIC_RELAXED)

/* HPyAPI_LEGACY_USE(API, LIST, "module", "attr", capsule_name, VERSIONS):
 * defines `static const API##_API *API##_api` (stubs raising RuntimeError
 * until imported) and `static int import_##API(HPyContext *ctx, HPy mod)`,
 * which imports `module`, reads the `void **` from capsule `attr` (named
 * capsule_name, or unnamed for NULL), runs VERSIONS and returns 0, or -1
 * with ImportError set.  Given this extension's module object `mod` (or
 * HPy_NULL), it publishes the bridge there for hpyapi.describe() and
 * hpyapi.hooks().  One per C file. */
#define HPyAPI_LEGACY_USE(API, LIST, MODULE, ATTR, CAPSULE_NAME, VERSIONS)     \
    enum { HPYAPI_L_EACH(LIST, HPYAPI_L_LIDX) hpyapi_lidx_end_ };              \
    enum { HPYAPI_L_EACH(LIST, HPYAPI_L_POS) hpyapi_lpos_end_ };               \
    static const HPyAPI_LegacyEntry hpyapi_lentries[] = {                      \
        HPYAPI_L_EACH(LIST, HPYAPI_L_INFO)};                                   \
    static const HPyAPI_LegacyVersions hpyapi_lversions = VERSIONS;            \
    static HPyAPI_Legacy hpyapi_legacy; /* filled by import_##API */           \
    static const HPyAPI_Use hpyapi_luse = {                                    \
        #API, MODULE, "call import_" #API "(ctx) in this module's HPy_mod_exec"}; \
    HPYAPI_L_EACH(LIST, HPYAPI_L_DEF)                                          \
    HPYAPI_L_EACH(LIST, HPYAPI_L_STUB)                                         \
    static const API##_API API##_hpyapi_ltable = {                             \
        HPYAPI_L_EACH(LIST, HPYAPI_L_SLOT)};                                   \
    static const API##_API API##_hpyapi_lunimported = {                        \
        HPYAPI_L_EACH(LIST, HPYAPI_L_USLOT)};                                  \
    static const API##_API *API##_api = &API##_hpyapi_lunimported;             \
    HPYAPI_META_MARK(API, legacy) /* for check: a classic table is used */     \
    HPYAPI_MAYBE_UNUSED static int import_##API(HPyContext *ctx, HPy module)   \
    {                                                                          \
        /* assigned, not designated: C++17 has no designated initialisers */   \
        hpyapi_legacy.api = #API;                                              \
        hpyapi_legacy.module = MODULE;                                         \
        hpyapi_legacy.attr = ATTR;                                             \
        hpyapi_legacy.capsule_name = CAPSULE_NAME;                             \
        hpyapi_legacy.versions = hpyapi_lversions;                             \
        hpyapi_legacy.entries = hpyapi_lentries;                               \
        hpyapi_legacy.n_entries = hpyapi_lpos_end_;                            \
        hpyapi_legacy.bridged = &API##_hpyapi_ltable;                          \
        if (_HPyAPI_LegacyImport(ctx, &hpyapi_legacy, module) < 0) {           \
            _HPyAPI_ForgetFailedModule(ctx);                                   \
            return -1;                                                         \
        }                                                                      \
        API##_api = &API##_hpyapi_ltable;                                      \
        return 0;                                                              \
    }                                                                          \
    /* the object behind a handle, borrowed while the handle is open */        \
    HPYAPI_MAYBE_UNUSED static inline struct _object *API##_borrow(            \
        HPyContext *ctx, HPy h)                                                \
    {                                                                          \
        if (HPYAPI_LIKELY(_HPyAPI_CtxWord(ctx) == HPYAPI_L_TAG()))             \
            return _HPyAPI_PyOfHandle(h, hpyapi_legacy.offset);                \
        return _HPyAPI_LegacyBorrow(ctx, &hpyapi_legacy, h);                   \
    }                                                                          \
    typedef int hpyapi_legacy_use_needs_a_semicolon

#endif /* HPYAPI_LEGACY_H */
