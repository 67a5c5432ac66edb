/* hpyapi/decl.h - HPyAPI_DECLARE: from a declaration list to table types.
 *
 * Public, through <hpyapi.h> (not included directly): HPyAPI_DECLARE,
 * HPyAPI_HAS and HPyAPI_RUNTIME_MINOR; the rest is what they expand to.
 * The list format is documented in hpyapi.h.  This file generates what exporter and consumers share: the HPy table struct
 * (API##_API, only when <hpy.h> is included), the CPython-API table struct
 * (API##_CAPI: complete in C-API code, declared in HPy code, where the
 * macros that need its members complete it), the entry names and signature strings, and
 * compile-time checks of the list.  The exporter half (trampolines) is in
 * hpyapi/trampoline.h.
 */
#ifndef HPYAPI_DECL_H
#define HPYAPI_DECL_H

#include <stddef.h>
#include "hpyapi/pp.h"
#include "hpyapi/common.h"
#include "hpyapi/callback.h"
#include "hpyapi/forms.h"
#include "hpyapi/structs.h"

/* ---- what the per-parameter generators share ------------------------------
 * (the generators themselves: one header per kind, hpyapi/kinds.h) */

#define HPYAPI_SEP_1
#define HPYAPI_SEP_2 ,
#define HPYAPI_SEP_3 ,
#define HPYAPI_SEP_4 ,
#define HPYAPI_SEP_5 ,
#define HPYAPI_SEP_6 ,
#define HPYAPI_SEP_7 ,
#define HPYAPI_SEP_8 ,
#define HPYAPI_SEP_9 ,
#define HPYAPI_SEP_10 ,
#define HPYAPI_SEP_11 ,
#define HPYAPI_SEP_12 ,
#define HPYAPI_SEP_13 ,
#define HPYAPI_SEP_14 ,
#define HPYAPI_SEP_15 ,
#define HPYAPI_SEP_16 ,
#define HPYAPI_SEP_17 ,
#define HPYAPI_SEP_18 ,
#define HPYAPI_SEP_19 ,
#define HPYAPI_SEP_20 ,
#define HPYAPI_SEP_21 ,
#define HPYAPI_SEP_22 ,
#define HPYAPI_SEP_23 ,
#define HPYAPI_SEP_24 ,
#define HPYAPI_SEP_25 ,
#define HPYAPI_SEP_26 ,
#define HPYAPI_SEP_27 ,
#define HPYAPI_SEP_28 ,
#define HPYAPI_SEP_29 ,
#define HPYAPI_SEP_30 ,
#define HPYAPI_SEP_31 ,
#define HPYAPI_SEP_32 ,
/* ...and its return type */
#define HPYAPI_R_CRET_H(R) struct _object *
#define HPYAPI_R_CRET_V(R) R
#define HPYAPI_R_CRET_N(R) void

/* What a CPython-API entry returns when the call could not be made. */
#define HPYAPI_R_CFAIL_H(R) return NULL
#define HPYAPI_R_CFAIL_V(R) return HPYAPI_ERRVAL(R)
#define HPYAPI_R_CFAIL_N(R) return

#define HPYAPI_SIGFORM_0 HPYAPI_G_SIG
#define HPYAPI_SIGFORM_1 HPYAPI_G_NSIG
#define HPYAPI_SIG_SEP_1
#define HPYAPI_SIG_SEP_2 ","
#define HPYAPI_SIG_SEP_3 ","
#define HPYAPI_SIG_SEP_4 ","
#define HPYAPI_SIG_SEP_5 ","
#define HPYAPI_SIG_SEP_6 ","
#define HPYAPI_SIG_SEP_7 ","
#define HPYAPI_SIG_SEP_8 ","
#define HPYAPI_SIG_SEP_9 ","
#define HPYAPI_SIG_SEP_10 ","
#define HPYAPI_SIG_SEP_11 ","
#define HPYAPI_SIG_SEP_12 ","
#define HPYAPI_SIG_SEP_13 ","
#define HPYAPI_SIG_SEP_14 ","
#define HPYAPI_SIG_SEP_15 ","
#define HPYAPI_SIG_SEP_16 ","
#define HPYAPI_SIG_SEP_17 ","
#define HPYAPI_SIG_SEP_18 ","
#define HPYAPI_SIG_SEP_19 ","
#define HPYAPI_SIG_SEP_20 ","
#define HPYAPI_SIG_SEP_21 ","
#define HPYAPI_SIG_SEP_22 ","
#define HPYAPI_SIG_SEP_23 ","
#define HPYAPI_SIG_SEP_24 ","
#define HPYAPI_SIG_SEP_25 ","
#define HPYAPI_SIG_SEP_26 ","
#define HPYAPI_SIG_SEP_27 ","
#define HPYAPI_SIG_SEP_28 ","
#define HPYAPI_SIG_SEP_29 ","
#define HPYAPI_SIG_SEP_30 ","
#define HPYAPI_SIG_SEP_31 ","
#define HPYAPI_SIG_SEP_32 ","

/* Compile-time checks on each parameter's declared type.  A raw handle
 * pointer passed by value would cross contexts unconverted, so it is
 * refused with a message that names the fix. */
#if defined(__cplusplus) && defined(HPy_H)
template <typename T> struct _HPyAPI_IsHandlePtr
    : std::integral_constant<bool, std::is_same<T, HPy *>::value ||
                                       std::is_same<T, const HPy *>::value> {};
#define HPYAPI_IS_HANDLE_PTR(T) (_HPyAPI_IsHandlePtr<T>::value)
#define HPYAPI_IS_CONST_HANDLE_PTR(T) (std::is_same<T, const HPy *>::value)
#define HPYAPI_IS_OUT_HANDLE_PTR(T) (std::is_same<T, HPy *>::value)
/* a handle by value under another spelling (`const HPy`, a typedef) */
#define HPYAPI_IS_HANDLE_VALUE(T)                                              \
    (std::is_same<typename std::remove_cv<T>::type, HPy>::value)
#define HPYAPI_IS_RECORD(T) (std::is_class<T>::value || std::is_union<T>::value)
#elif !defined(__cplusplus)
/* `*(T *)0`, never evaluated, is an lvalue of type T for any object type
 * (a cast `(T)0` is not valid for a struct); _Generic drops its top-level
 * qualifiers. */
#define HPYAPI_IS_HANDLE_PTR(T)                                                \
    _Generic(*(T *)0, HPy *: 1, const HPy *: 1, default: 0)
#define HPYAPI_IS_CONST_HANDLE_PTR(T) _Generic((T)0, const HPy *: 1, default: 0)
#define HPYAPI_IS_OUT_HANDLE_PTR(T) _Generic((T)0, HPy *: 1, default: 0)
#define HPYAPI_IS_HANDLE_VALUE(T) _Generic(*(T *)0, HPy: 1, default: 0)
/* gcc's and clang's type classes 12 and 13: struct and union */
#define HPYAPI_IS_RECORD(T)                                                    \
    (__builtin_classify_type(*(T *)0) == 12 ||                                 \
     __builtin_classify_type(*(T *)0) == 13)
#endif
/* Lengths named by HPyAPI_LEN: any integer type but bool (C cannot tell an
 * enum from its integer type, so C accepts enums; C++ does not), read by
 * the runtime through HPYAPI_LEN_DESC: its size, and 0x80 when signed. */
#ifdef __cplusplus
#include <utility>
template <class F, class S, class = void> struct _HPyAPI_LenOf {
    static constexpr bool integer = false; /* no such member */
};
template <class F, class S>
struct _HPyAPI_LenOf<F, S, std::void_t<decltype(std::declval<F &>()(
                                static_cast<S *>(nullptr)))>> {
    typedef decltype(std::declval<F &>()(static_cast<S *>(nullptr))) T;
    static constexpr bool integer =
        std::is_integral<T>::value && !std::is_same<T, bool>::value;
};
template <class T> struct _HPyAPI_LenCode {
    static constexpr uint8_t value =
        (uint8_t)(sizeof(T) | (std::is_signed<T>::value ? 0x80u : 0u));
};
#define HPYAPI_LEN_DESC(S, len) (_HPyAPI_LenCode<decltype(((S *)0)->len)>::value)
#else
#define HPYAPI_IS_LEN_TYPE(e)                                                  \
    _Generic((e), char: 1, signed char: 1, unsigned char: 1, short: 1,         \
             unsigned short: 1, int: 1, unsigned int: 1, long: 1,              \
             unsigned long: 1, long long: 1, unsigned long long: 1,            \
             default: 0)
/* one mention of the member, so that a misspelt one is one error */
#define HPYAPI_LEN_DESC(S, len)                                                \
    _Generic(((S *)0)->len, char: sizeof(char) | ((char)-1 < 0 ? 0x80u : 0u), \
             signed char: 0x81u, unsigned char: 1u,                            \
             short: sizeof(short) | 0x80u,                                     \
             unsigned short: sizeof(short),                                    \
             int: sizeof(int) | 0x80u, unsigned int: sizeof(int),              \
             long: sizeof(long) | 0x80u, unsigned long: sizeof(long),          \
             long long: sizeof(long long) | 0x80u,                             \
             unsigned long long: sizeof(long long), default: 0u)
#endif

/* HPyAPI_LEN(len) of array `name` must name an integer parameter of entry
 * NAME.  The entry's parameters are the members of a local struct (see
 * HPYAPI_D_LENS_1), so a misspelt name is one error: in C the compiler's
 * "'struct NAME__HPyAPI_LEN_must_name_a_parameter' has no member named
 * 'len'" (usually with "did you mean"), in C++ a static assertion (a
 * generic lambda probes for the member without a hard error). */
#define HPYAPI_LENS_OF(NAME) struct NAME##__HPyAPI_LEN_must_name_a_parameter
#define HPYAPI_LEN_MSG(NAME, name, len)                                        \
    #NAME ": HPyAPI_LEN(" #len ") of array '" #name "' must name an integer "  \
    "parameter of " #NAME " (any integer type but bool, declared before or "   \
    "after the array)"
#ifdef __cplusplus
#define HPYAPI_LEN_CHECK(NAME, name, len)                                      \
    auto hpyapi_probe_##name = [](auto *p) -> decltype(p->len) {               \
        return p->len;                                                         \
    };                                                                         \
    (void)hpyapi_probe_##name;                                                 \
    static_assert(_HPyAPI_LenOf<decltype(hpyapi_probe_##name),                 \
                                HPYAPI_LENS_OF(NAME)>::integer,                \
                  HPYAPI_LEN_MSG(NAME, name, len));
#else
/* the member is named once, in a typedef: a misspelt one is one error */
#define HPYAPI_LEN_CHECK(NAME, name, len)                                      \
    typedef __typeof__(((HPYAPI_LENS_OF(NAME) *)0)->len) hpyapi_len_##name;    \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_LEN_TYPE(*(hpyapi_len_##name *)0),          \
                         HPYAPI_LEN_MSG(NAME, name, len));
#endif

/* ---- per-entry generators ---------------------------------------------------
 * The list calls FUNC(idx, since, R, name, params...), OBJECT(idx, since,
 * name) and RETIRED(idx, since, R, name, params...).  OBJECT is a FUNC of
 * type HPy(void) whose body hpyapi writes; everything below treats it so.
 *
 * OBJECT(idx, since, name, T) is exported data instead: the exporter's
 * variable `name` of type T, published by address; both tables hold a
 * `const T *name` (through the typedef name##_hpyapi_T, so that T may be
 * any type, `const char *` included) that consumers read directly, with no
 * call and nothing to convert.  HPYAPI_EACH hands a list G##_OBJECTS,
 * which sends three arguments to G##_OBJECT and four to G##_DATA: every
 * generator G defines both. */
#define HPYAPI_OBJECT_FORM(G, ...)                                             \
    HPYAPI_CAT(HPYAPI_OBJF_, HPYAPI_NARGS(__VA_ARGS__))(G, __VA_ARGS__)
#define HPYAPI_OBJF_3(G, IDX, SINCE, NAME) G##_OBJECT(IDX, SINCE, NAME)
#define HPYAPI_OBJF_4(G, IDX, SINCE, NAME, T) G##_DATA(IDX, SINCE, NAME, T)

/* Each function entry's type, NAME##_hpyapi_ftype: R (HPyContext *,
 * params...), the parameter list walked once for what names it -- the HPy
 * table's member, the implementation's prototype (HPyAPI_PROTOTYPES), the
 * exporter's check of it -- as every file of every module spells the
 * first, and each of a NumPy-sized exporter's files the second. */
#define HPYAPI_D_FTYPE_FUNC(IDX, SINCE, R, NAME, ...)                          \
    typedef R NAME##_hpyapi_ftype(HPyContext *hpyapi_ctx HPYAPI_PARAMS(        \
        HPYAPI_G_PROTO, ~, __VA_ARGS__));
#define HPYAPI_D_FTYPE_OBJECT(IDX, SINCE, NAME)
#define HPYAPI_D_FTYPE_RETIRED HPYAPI_D_FTYPE_FUNC
#define HPYAPI_D_FTYPE_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_D_FTYPE, __VA_ARGS__)
#define HPYAPI_D_FTYPE_DATA(IDX, SINCE, NAME, T)

/* Table member.  A retired slot keeps its type but changes its name, so new
 * code cannot call it while old binaries still find it at its index. */
#define HPYAPI_D_MEMBER_FUNC(IDX, SINCE, R, NAME, ...)                         \
    NAME##_hpyapi_ftype *NAME;
#define HPYAPI_D_MEMBER_OBJECT(IDX, SINCE, NAME)                               \
    HPy (*NAME)(HPyContext *hpyapi_ctx);
#define HPYAPI_D_MEMBER_RETIRED(IDX, SINCE, R, NAME, ...)                      \
    NAME##_hpyapi_ftype *NAME##__retired;
#define HPYAPI_D_MEMBER_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_D_MEMBER, __VA_ARGS__)
#define HPYAPI_D_MEMBER_DATA(IDX, SINCE, NAME, T) const NAME##_hpyapi_T *NAME;

/* CPython-API table member: the same entry with PyObject * for handles. */
#define HPYAPI_D_CMEMBER_FUNC(IDX, SINCE, R, NAME, ...)                        \
    HPYAPI_TCRET(NAME, R) (*NAME)(HPYAPI_PARAMS(HPYAPI_G_CPROTO, ~, __VA_ARGS__));
#define HPYAPI_D_CMEMBER_OBJECT(IDX, SINCE, NAME) struct _object *(*NAME)(void);
#define HPYAPI_D_CMEMBER_RETIRED(IDX, SINCE, R, NAME, ...)                     \
    HPYAPI_RK(CRET, R)(R) (*NAME##__retired)(                                  \
        HPYAPI_PARAMS(HPYAPI_G_CPROTO, ~, __VA_ARGS__));
#define HPYAPI_D_CMEMBER_OBJECTS(...)                                          \
    HPYAPI_OBJECT_FORM(HPYAPI_D_CMEMBER, __VA_ARGS__)
#define HPYAPI_D_CMEMBER_DATA HPYAPI_D_MEMBER_DATA

/* Entry info: name, signature, since, flags.  The signature is spelled
 * only in the ".hpyapi" record (HPYAPI_D_META), from which the runtime
 * fills it in (HPyAPI_Spec.record); a data entry's is its type T alone:
 * no parentheses, so never a function's. */
#define HPYAPI_SIGNATURE(R, ...)                                               \
    HPYAPI_SIGNATURE_I(HPYAPI_NARGS(__VA_ARGS__), R, __VA_ARGS__)
/* the list counted once for both walks (HPYAPI_HAS_LEN's and the
   signature's): every file that includes the declaration spells it */
#define HPYAPI_SIGNATURE_I(n, R, ...) HPYAPI_SIGNATURE_II(n, R, __VA_ARGS__)
#define HPYAPI_SIGNATURE_II(n, R, ...)                                         \
    #R "(" HPYAPI_MAP_##n(HPYAPI_PARAM,                                        \
                          HPYAPI_CAT(HPYAPI_SIGFORM_,                          \
                                     HPYAPI_HAS_LEN_N(n, __VA_ARGS__)),        \
                          ~, __VA_ARGS__) ")"
#define HPYAPI_D_INFO_FUNC(IDX, SINCE, R, NAME, ...)                           \
    {#NAME, NULL, SINCE, HPYAPI_ENTRY_FUNC},
#define HPYAPI_D_INFO_OBJECT(IDX, SINCE, NAME)                                 \
    {#NAME, NULL, SINCE, HPYAPI_ENTRY_OBJECT},
#define HPYAPI_D_INFO_RETIRED(IDX, SINCE, R, NAME, ...)                        \
    {#NAME, NULL, SINCE, HPYAPI_ENTRY_RETIRED},
#define HPYAPI_D_INFO_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_D_INFO, __VA_ARGS__)
#define HPYAPI_D_INFO_DATA(IDX, SINCE, NAME, T)                                \
    {#NAME, NULL, SINCE, HPYAPI_ENTRY_DATA},

/* Checks.  Slot IDX must be member IDX + 1 (member 0 is the header
 * pointer): this proves indices are unique, dense and in list order. */
#define HPYAPI_D_CHECK_SLOT(IDX, SINCE, NAME, MEMBER)                          \
    HPYAPI_STATIC_ASSERT(offsetof(HPYAPI_TABLE, MEMBER) ==                     \
                       ((IDX) + 1) * sizeof(void (*)(void)),                   \
                   #NAME ": index " #IDX " is not its position in the list; "  \
                   "indices must start at 0 and grow by one, in order");       \
    HPYAPI_STATIC_ASSERT((SINCE) <= HPYAPI_MINOR,                              \
                   #NAME ": 'since' minor " #SINCE " is newer than the API "   \
                   "minor version");
#define HPYAPI_D_CHECK_FUNC(IDX, SINCE, R, NAME, ...)                          \
    HPYAPI_D_CHECK_SLOT(IDX, SINCE, NAME, NAME)
#define HPYAPI_D_CHECK_OBJECT(IDX, SINCE, NAME)                                \
    HPYAPI_D_CHECK_SLOT(IDX, SINCE, NAME, NAME)
#define HPYAPI_D_CHECK_RETIRED(IDX, SINCE, R, NAME, ...)                       \
    HPYAPI_D_CHECK_SLOT(IDX, SINCE, NAME, NAME##__retired)
#define HPYAPI_D_CHECK_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_D_CHECK, __VA_ARGS__)
#define HPYAPI_D_CHECK_DATA(IDX, SINCE, NAME, T)                               \
    HPYAPI_D_CHECK_SLOT(IDX, SINCE, NAME, NAME)

/* Checks of each entry's form (parameters, result, data type), expanded
 * before anything else the declaration generates so that a form hpyapi
 * cannot carry is reported first, by one assertion naming the entry and
 * what to write instead, not by what it would break further down. */
#define HPYAPI_D_FORM_FUNC(IDX, SINCE, R, NAME, ...)                           \
    {                                                                          \
        HPYAPI_STATIC_ASSERT(!HPYAPI_TOO_MANY(__VA_ARGS__),                    \
                   #NAME ": more than " HPYAPI_STR(HPYAPI_MAX_PARAMS)          \
                   " parameters; an entry takes at most "                      \
                   HPYAPI_STR(HPYAPI_MAX_PARAMS)                               \
                   " (gather the rest in a struct passed by pointer)");        \
        HPYAPI_D_CHECK_PARAMS(NAME, __VA_ARGS__)                               \
        HPYAPI_D_CHECK_RESULT(NAME, R)                                         \
    }
#define HPYAPI_D_FORM_OBJECT(IDX, SINCE, NAME)
#define HPYAPI_D_FORM_RETIRED HPYAPI_D_FORM_FUNC
#define HPYAPI_D_FORM_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_D_FORM, __VA_ARGS__)
#define HPYAPI_D_FORM_DATA(IDX, SINCE, NAME, T) HPYAPI_D_CHECK_DATATYPE(NAME, T)
/* ... the types of data entries, before the tables that use them */
#define HPYAPI_D_TYPE_FUNC(IDX, SINCE, R, NAME, ...)
#define HPYAPI_D_TYPE_OBJECT(IDX, SINCE, NAME)
#define HPYAPI_D_TYPE_RETIRED HPYAPI_D_TYPE_FUNC
#define HPYAPI_D_TYPE_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_D_TYPE, __VA_ARGS__)
#define HPYAPI_D_TYPE_DATA(IDX, SINCE, NAME, T) typedef T NAME##_hpyapi_T;

#define HPYAPI_EACH(LIST, G) LIST(G##_FUNC, G##_OBJECTS, G##_RETIRED)

/* The number of entries of a declared API, as a constant expression. */
#define HPYAPI_N_ENTRIES(API)                                                  \
    (sizeof(HPYAPI_D_TABLE_T(API)) / sizeof(void (*)(void)) - 1)

/* The CPython-API table struct, complete.  C-API code gets it from
 * HPyAPI_DECLARE; HPy code, whose calls go through the HPy table, from the
 * macros that need its members -- HPyAPI_DEFINE (the exporter's C-API
 * table) and HPyAPI_USE_CAPI_DEFINE -- and elsewhere only its name
 * (`API##_CAPI *` pointers still pass): its members were a quarter of
 * what a file that only includes a NumPy-sized declaration cost. */
#define HPYAPI_D_CTABLE(API, LIST)                                             \
    struct API##_CAPI {                                                        \
        const HPyAPI_Header *hpyapi_header;                                    \
        HPYAPI_EACH(LIST, HPYAPI_D_CMEMBER)                                    \
    };

/* The HPy table and the parameter checks need <hpy.h>; a plain C-API
 * consumer (hpyapi/capi.h) gets the CPython-API table alone. */
#ifdef HPy_H
#define HPYAPI_D_HPY_TABLE(API, LIST)                                          \
    HPYAPI_EACH(LIST, HPYAPI_D_FTYPE)                                          \
    typedef struct API##_API {                                                 \
        const HPyAPI_Header *hpyapi_header;                                    \
        HPYAPI_EACH(LIST, HPYAPI_D_MEMBER)                                     \
    } API##_API;
#define HPYAPI_D_DECLARED_CTABLE(API, LIST)
#define HPYAPI_D_CTABLE_IN_HPY HPYAPI_D_CTABLE
/* the table a file always has complete: slot checks and the entry count */
#define HPYAPI_D_TABLE_T(API) API##_API
#define HPYAPI_D_CHECK_PARAMS(NAME, ...)                                       \
    HPYAPI_CAT(HPYAPI_D_LENS_, HPYAPI_HAS_LEN(__VA_ARGS__))(NAME, __VA_ARGS__)  \
    HPYAPI_PARAMS(HPYAPI_G_CHECK, NAME, __VA_ARGS__)
/* the struct HPYAPI_LEN_CHECK looks lengths up in: a member per parameter
   (the frame fields of trampoline.h) */
#define HPYAPI_D_LENS_0(NAME, ...)
#define HPYAPI_D_LENS_1(NAME, ...)                                             \
    HPYAPI_LENS_OF(NAME) {                                                     \
        char hpyapi_first;                                                     \
        HPYAPI_PARAMS(HPYAPI_G_FIELD, ~, __VA_ARGS__)                          \
    };
/* Results: an HPy is converted; an array of handles, a handle under
 * another spelling or a struct by value could not be. */
#define HPYAPI_D_CHECK_RESULT(NAME, R)                                         \
    HPYAPI_RK(RCHECK, R)(NAME, R) HPYAPI_TCHECK(NAME, R)
#define HPYAPI_R_RCHECK_H(NAME, R)
#define HPYAPI_R_RCHECK_N(NAME, R)
#define HPYAPI_R_RCHECK_V(NAME, R)                                             \
    HPYAPI_STATIC_ASSERT(!HPYAPI_IS_HANDLE_PTR(R),                             \
                   #NAME ": returns " #R "; an array of handles is returned "  \
                   "as HPy *, with #define HPyAPI_RETURNS_" #NAME              \
                   " HPyAPI_HANDLES(length)");                                 \
    HPYAPI_STATIC_ASSERT(!HPYAPI_IS_HANDLE_VALUE(R),                           \
                   #NAME ": returns a handle declared as " #R ", which would " \
                   "cross contexts unconverted; write the return type HPy");   \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_HANDLE_VALUE(R) || !HPYAPI_IS_RECORD(R),    \
                   #NAME ": returns a struct or union (" #R ") by value; "     \
                   "return it through a pointer parameter (" #R " *, out)");
#define HPYAPI_D_CHECK_DATATYPE(NAME, T)                                       \
    HPYAPI_STATIC_ASSERT(!HPYAPI_IS_HANDLE_VALUE(T),                           \
                   #NAME ": a handle is not data; export an object as "        \
                   "OBJECT(index, since, " #NAME ")");
#else
#define HPYAPI_D_HPY_TABLE(API, LIST)
#define HPYAPI_D_DECLARED_CTABLE HPYAPI_D_CTABLE
#define HPYAPI_D_CTABLE_IN_HPY(API, LIST)
#define HPYAPI_D_TABLE_T(API) API##_CAPI
#define HPYAPI_D_CHECK_PARAMS(NAME, ...)
#define HPYAPI_D_CHECK_RESULT(NAME, R)
#define HPYAPI_D_CHECK_DATATYPE(NAME, T)
#endif

/* ---- metadata for `python -m hpyapi check` ----------------------------------
 * A C file that exports an API (HPyAPI_DEFINE) or imports one (any of the
 * import macros, HPyAPI_USE_DEFINE and HPyAPI_USE_CAPI_DEFINE included)
 * carries, as text in the ELF section ".hpyapi", the API's declaration
 * (name, version, entry signatures) and a one-line mark saying it exports
 * or imports it, so that a tool can read them without loading the
 * binary.  A file that only includes the header carries nothing.
 * Records are NUL-terminated; the format is in docs/reference.md. */
#if defined(__ELF__) && defined(__GNUC__)
#define HPYAPI_META_ATTR __attribute__((used, section(".hpyapi"), aligned(1)))
#else
#define HPYAPI_META_ATTR HPYAPI_MAYBE_UNUSED
#endif
#define HPYAPI_D_META_FUNC(IDX, SINCE, R, NAME, ...)                           \
    #IDX " " #SINCE " func " #NAME " " HPYAPI_TSIG(NAME)                       \
    HPYAPI_SIGNATURE(R, __VA_ARGS__) "\n"
#define HPYAPI_D_META_OBJECT(IDX, SINCE, NAME)                                 \
    #IDX " " #SINCE " object " #NAME " HPy(void)\n"
#define HPYAPI_D_META_RETIRED(IDX, SINCE, R, NAME, ...)                        \
    #IDX " " #SINCE " retired " #NAME " " HPYAPI_TSIG(NAME)                    \
    HPYAPI_SIGNATURE(R, __VA_ARGS__) "\n"
#define HPYAPI_D_META_OBJECTS(...) HPYAPI_OBJECT_FORM(HPYAPI_D_META, __VA_ARGS__)
#define HPYAPI_D_META_DATA(IDX, SINCE, NAME, T)                                \
    #IDX " " #SINCE " data " #NAME " " #T "\n"
/* a record `hpyapi 1 WHAT API`: WHAT is export, import or import_capi */
#define HPYAPI_META_MARK(API, WHAT)                                            \
    HPYAPI_META_ATTR static const char API##_hpyapi_meta_##WHAT[] =            \
        "hpyapi 1 " HPYAPI_STR(WHAT) " " #API "\n";
/* API##_hpyapi_import_spec() and ..._import_capi_spec(): the spec, for the
 * import macros.  The mark lives inside, so only a file that compiles an
 * import (a call of the function) carries it, and the declaration record
 * (inside API##_API_spec) with it; a file that only includes the header
 * carries no record at all. */
#define HPYAPI_META_USE(API, WHAT)                                             \
    HPYAPI_MAYBE_UNUSED static inline const HPyAPI_Spec *                      \
        API##_hpyapi_##WHAT##_spec(void)                                       \
    {                                                                          \
        HPYAPI_META_ATTR static const char mark[] =                            \
            "hpyapi 1 " #WHAT " " #API "\n";                                   \
        (void)mark;                                                            \
        return API##_API_spec();                                               \
    }

/* Generates, for API `API`:
 *   API##_API          the HPy table struct (with <hpy.h> only)
 *   API##_CAPI         the CPython-API table struct (in HPy code its
 *                      name only: HPYAPI_D_CTABLE)
 *   API##_API_spec()   name, versions and per-entry info (HPyAPI_Spec)
 *   a ".hpyapi" metadata record (see above)
 *   NAME##_hpyapi_T    the type of each data entry
 * Member 0 of both tables is `hpyapi_header`; entry i is member i + 1.
 * Nothing here checks the list: every file of every module that uses the
 * API includes this, so the checks (HPYAPI_D_CHECKS) are expanded only
 * where the API is defined -- the exporter's HPyAPI_DEFINE and a
 * consumer's HPyAPI_USE_DEFINE / HPyAPI_USE_CAPI_DEFINE -- which the
 * exporter's author always compiles.  API##_API_spec is static inline, so
 * a file that never calls it pays nothing but parsing it. */
#define HPyAPI_DECLARE(API, LIST, MAJOR, MINOR)                                \
    HPYAPI_EACH(LIST, HPYAPI_D_TYPE)                                           \
    HPYAPI_D_HPY_TABLE(API, LIST)                                              \
    typedef struct API##_CAPI API##_CAPI;                                      \
    HPYAPI_D_DECLARED_CTABLE(API, LIST)                                        \
    enum { API##_hpyapi_minor = (MINOR) };                                     \
    static inline const HPyAPI_Spec *API##_API_spec(void)                      \
    {                                                                          \
        static HPyAPI_EntryInfo entries[] = {                                  \
            HPYAPI_EACH(LIST, HPYAPI_D_INFO)};                                 \
        HPYAPI_META_ATTR static const char declared[] =                        \
            "hpyapi 1 declare " #API " " HPYAPI_STR(MAJOR) "."                 \
            HPYAPI_STR(MINOR) "\n" HPYAPI_EACH(LIST, HPYAPI_D_META);           \
        static const HPyAPI_Spec spec = {#API,    (MAJOR),                     \
                                         (MINOR), HPYAPI_N_ENTRIES(API),       \
                                         entries, declared};                   \
        return &spec;                                                          \
    }                                                                          \
    HPYAPI_META_USE(API, import)                                               \
    HPYAPI_META_USE(API, import_capi)

/* The checks of a declaration, first in every macro that defines an API's
 * table (so that a form hpyapi cannot carry is reported before what it
 * would break further down, by one assertion naming the entry and what to
 * write instead): each entry's form (HPYAPI_D_FORM), its HPyAPI_LEN_EXPR
 * lengths (HPYAPI_D_LENX, forms.h), then each slot's index and `since`
 * (HPYAPI_D_CHECK) through a local typedef of the table.  Never called;
 * named after the line so that one file may define an API twice (export
 * and import). */
#define HPYAPI_D_CHECKS(API, LIST)                                             \
    HPYAPI_MAYBE_UNUSED static inline void HPYAPI_CAT(                         \
        API##_hpyapi_forms_, __LINE__)(void)                                   \
    {                                                                          \
        HPYAPI_EACH(LIST, HPYAPI_D_FORM)                                       \
    }                                                                          \
    HPYAPI_EACH(LIST, HPYAPI_D_LENX)                                           \
    HPYAPI_MAYBE_UNUSED static inline void HPYAPI_CAT(                         \
        API##_hpyapi_slots_, __LINE__)(void)                                   \
    {                                                                          \
        typedef HPYAPI_D_TABLE_T(API) HPYAPI_TABLE;                            \
        enum { HPYAPI_MINOR = API##_hpyapi_minor };                            \
        HPYAPI_EACH(LIST, HPYAPI_D_CHECK)                                      \
    }

/* What HPyAPI_USE_DEFINE and HPyAPI_USE_CAPI_DEFINE start from: `POINTER`
 * (declared by HPyAPI_USE / HPyAPI_USE_CAPI) points at a TABLE whose
 * header reports no entry (HPyAPI_HAS is false for all) and whose slots
 * hold the stubs G##_STUB_* generates, which raise.  Positional
 * initialisers: C++17 has no designated ones. */
#define HPYAPI_UNIMPORTED_TABLE(API, LIST, TABLE, G, POINTER)                  \
    HPYAPI_EACH(LIST, G##_STUB)                                                \
    static const HPyAPI_Header POINTER##_unimported_header = {                 \
        HPYAPI_MAGIC, 0, 0, 0, #API, 0, 0, 0, 0, 0, 0, 0, 0,                   \
        NULL, NULL, NULL, NULL, NULL, NULL};                                   \
    static const TABLE POINTER##_unimported = {                                \
        &POINTER##_unimported_header, HPYAPI_EACH(LIST, G##_SLOT)};            \
    const TABLE *POINTER = &POINTER##_unimported;

/* The linker's name for what HPyAPI_USE declares and HPyAPI_USE_DEFINE
 * defines, e.g. `myarray_api__HPyAPI_USE_DEFINE_must_be_in_exactly_one_C_
 * file_of_the_module`: a module where no file or two files define it fails
 * to link with a message that says what to do (a hidden symbol cannot stay
 * undefined in a shared object). */
#if defined(__ELF__) && defined(__GNUC__)
#define HPYAPI_LINK_NAME(NAME, WHAT)                                           \
    __asm__(HPYAPI_STR(NAME##__##WHAT##_must_be_in_exactly_one_C_file_of_the_module))
/* A shared object may keep an undefined symbol that only calls reach (the
 * PLT): a module calling import_<api> without HPyAPI_USE_DEFINE linked and
 * failed at import time.  A PC-relative use of the table pointer cannot
 * stay undefined, so every file with HPyAPI_USE carries one (a few bytes;
 * named per line, as HPyAPI_USE may expand twice in a file). */
#define HPYAPI_NEEDS_DEFINITION(POINTER)                                       \
    __attribute__((used)) static const void *HPYAPI_CAT(                       \
        POINTER##_hpyapi_needs_define_, __LINE__)(void)                        \
    {                                                                          \
        return &POINTER;                                                       \
    }
#else
#define HPYAPI_LINK_NAME(NAME, WHAT)
#define HPYAPI_NEEDS_DEFINITION(POINTER)
#endif

/* HPyAPI_USE / HPyAPI_USE_CAPI: the two-argument form, or 0.1's three */
#define HPYAPI_USE_SEL(a, b, c, NAME, ...) NAME

/* HPyAPI_HAS(table, NAME): does the exporter behind `table` provide entry
 * NAME (present and not retired)?  Needed before calling an entry newer
 * than the minimum minor the table was imported with.  Computes the index
 * from the member's address, so it never reads past an older table. */
#define HPyAPI_HAS(table, NAME)                                                \
    _HPyAPI_Has((table)->hpyapi_header,                                        \
                (uint32_t)(((const char *)&(table)->NAME -                     \
                            (const char *)(table)) /                           \
                               sizeof(void (*)(void)) -                        \
                           1))

/* HPyAPI_RUNTIME_MINOR(table): the API minor the exporter provides. */
#define HPyAPI_RUNTIME_MINOR(table) ((table)->hpyapi_header->api_minor)

static inline int _HPyAPI_Has(const HPyAPI_Header *h, uint32_t index)
{
    return index < h->n_entries && h->entries[index].flags != HPYAPI_ENTRY_RETIRED;
}

#endif /* HPYAPI_DECL_H */
