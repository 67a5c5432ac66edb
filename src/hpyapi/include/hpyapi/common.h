/* hpyapi/common.h - what every part of hpyapi needs, without <hpy.h>.
 *
 * Public: HPyAPI_SetHooks and the slot type HPyAPI_Slot; the rest serves
 * the other headers.  Kept free of HPy types so that a plain C-API consumer can
 * include the declaration of an API (see hpyapi/capi.h).
 */
#ifndef HPYAPI_COMMON_H
#define HPYAPI_COMMON_H

#include <stdint.h>
#include <string.h>
#include "hpyapi/abi.h"

/* PyObject, as CPython's headers name its struct; declared here so that
 * CPython-API prototypes need no Python.h (universal builds forbid it). */
struct _object;

#if defined(__GNUC__)
#define HPYAPI_CALLER_PC() __builtin_extract_return_addr(__builtin_return_address(0))
#ifndef HPYAPI_INTERNAL
#define HPYAPI_INTERNAL __attribute__((visibility("hidden")))
#endif
#define HPYAPI_LIKELY(x) __builtin_expect(!!(x), 1)
#define HPYAPI_COLD __attribute__((noinline, cold))
#define HPYAPI_NOINLINE __attribute__((noinline))
#define HPYAPI_MAYBE_UNUSED __attribute__((unused))
/* Stubs that only raise (not imported yet, retired): one per entry, so
 * hundreds in a NumPy-sized module, and no call through them is ever
 * fast.  The optimiser's fixed cost per function is most of what such a
 * stub costs to compile at -O2 (measured: 417 stubs, 0.4 of the 1.2 CPU s
 * of a file with HPyAPI_USE_DEFINE, 0.04 s unoptimised), so they are not
 * optimised. */
#if defined(__clang__)
#define HPYAPI_STUB __attribute__((noinline, cold, optnone))
#else
#define HPYAPI_STUB __attribute__((noinline, cold, optimize("O0")))
#endif
/* The per-entry trampolines (trampoline.h): five small functions per
 * entry, so thousands in a NumPy-sized exporter, each a few loads, adds
 * and one call.  -O1 with sibling calls gives them the instructions -O2
 * gives (bench/results.md's counts) for about two thirds of the compiler's
 * work per entry (callgrind of cc1: 82.7M -> 55.5M instructions); variable
 * tracking is off in them, as there is nothing to step through.  Small
 * implementations in the same file are still inlined, as at -O2 (without,
 * a Cython or C-API call of a one-line entry took one instruction more,
 * at no measurable saving: callgrind of cc1, 60 entries).  Not when
 * the file is unoptimised (that would raise it) or optimised for size. */
#if defined(__clang__) || !defined(__OPTIMIZE__) || defined(__OPTIMIZE_SIZE__)
#define HPYAPI_GENERATED
#else
#define HPYAPI_GENERATED                                                       \
    __attribute__((optimize("O1", "optimize-sibling-calls",                   \
                            "inline-small-functions", "no-var-tracking",       \
                            "no-var-tracking-assignments")))
#endif
#else
#define HPYAPI_CALLER_PC() ((const void *)0)
#define HPYAPI_GENERATED
#define HPYAPI_COLD
#define HPYAPI_NOINLINE
#define HPYAPI_MAYBE_UNUSED
#define HPYAPI_STUB
#ifndef HPYAPI_INTERNAL
#define HPYAPI_INTERNAL
#endif
#define HPYAPI_LIKELY(x) (x)
#endif

/* C++: the same headers compile as C++17 (g++/clang++ -Wall -Wextra).
 * HPYAPI_EXTERN_C gives hpyapi's runtime functions and the symbols one C
 * file of a module defines for the others (HPyAPI_USE_DEFINE) C linkage,
 * so that C and C++ files of one module share them. */
#ifdef __cplusplus
#include <type_traits>
#define HPYAPI_EXTERN_C extern "C"
#define HPYAPI_BEGIN_C extern "C" {
#define HPYAPI_END_C }
/* `? :` keeps g++ from repeating the whole macro expansion trace to show
   what a failed comparison reduced to */
#define HPYAPI_STATIC_ASSERT(cond, msg) static_assert((cond) ? true : false, msg)
#else
#define HPYAPI_EXTERN_C extern
#define HPYAPI_BEGIN_C
#define HPYAPI_END_C
#define HPYAPI_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#include "hpyapi/limits.h"

/* A table slot as stored: any function pointer type round-trips through
 * this one.  The table struct is read as an array of them after member 0. */
typedef void (*HPyAPI_Slot)(void);
HPYAPI_STATIC_ASSERT(sizeof(HPyAPI_Slot) == sizeof(void *),
                     "hpyapi needs function and data pointers of the same size");

/* What the stubs of HPyAPI_USE_DEFINE say before the import. */
typedef struct {
    const char *api;
    const char *module;
    const char *fix; /* "call import_x(ctx) in ..." */
} HPyAPI_Use;

/* The value a trampoline returns when the call could not be made: -1 for
 * arithmetic and enum types (HPy's convention), NULL for pointers. */
#ifdef __cplusplus
template <typename T> static inline T _HPyAPI_ErrVal()
{
    if constexpr ((std::is_arithmetic<T>::value &&
                   !std::is_same<T, bool>::value) ||
                  std::is_enum<T>::value)
        return (T)-1;
    else
        return T();
}
#define HPYAPI_ERRVAL(T) _HPyAPI_ErrVal<T>()
#else
/* Each association is a constant of its own type, never a cast to T, and
 * the default a compound literal: valid for any T, so that a form refused
 * by a static assertion (a struct returned by value) is that one error. */
#define HPYAPI_ERRVAL(T)                                                       \
    _Generic(*(T *)0, _Bool: (_Bool)0, char: (char)-1,                         \
             signed char: (signed char)-1, unsigned char: (unsigned char)-1,   \
             short: (short)-1, unsigned short: (unsigned short)-1, int: -1,    \
             unsigned int: (unsigned int)-1, long: -1L,                        \
             unsigned long: (unsigned long)-1, long long: -1LL,                \
             unsigned long long: (unsigned long long)-1, float: -1.0f,         \
             double: -1.0, long double: -1.0L, default: (T){0})
#endif

/* HPyAPI_SetHooks(table, index, set, clear): turn hooks of entry `index`
 * (every entry if index < 0) on and off from C, through any table (HPy or
 * CPython-API) of the API; flags are HPYAPI_HOOK_*.  Returns 0, or -1 for a
 * bad index or a table that was not imported. */
static inline int HPyAPI_SetHooks(const void *table, int32_t index,
                                  uint32_t set, uint32_t clear)
{
    const HPyAPI_Header *h = *(const HPyAPI_Header *const *)table;
    if (h == NULL || h->control == NULL)
        return -1;
    return h->control->set_flags(h->token, index, set, clear);
}

#endif /* HPYAPI_COMMON_H */
