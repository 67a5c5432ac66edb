/* hpyapi/decl.h - HPyAPI_DECLARE: from a declaration list to table types.
 *
 * Internal; include <hpyapi.h>.  The list format is documented there.  This
 * file generates what exporter and consumers share: the HPy table struct
 * (API##_API, only when <hpy.h> is included), the CPython-API table struct
 * (API##_CAPI, always), the entry names and signature strings, and
 * compile-time checks of the list.  The exporter half (trampolines) is in
 * hpyapi/trampoline.h.
 */
#ifndef HPYAPI_DECL_H
#define HPYAPI_DECL_H

#include <stddef.h>
#include "hpyapi/pp.h"
#include "hpyapi/common.h"
#include "hpyapi/callback.h"

/* ---- per-parameter generators (see HPYAPI_PARAM in pp.h) ----------------- */

/* Prototype fragment, after the leading `HPyContext *ctx`. */
#define HPYAPI_G_PROTO_H(X, pos, T, name) , HPy name
#define HPYAPI_G_PROTO_V(X, pos, T, name) , T name
#define HPYAPI_G_PROTO_A(X, pos, T, name, len)                                 \
    , const HPy *name, HPy_ssize_t len
#define HPYAPI_G_PROTO_O(X, pos, T, name) , HPy *name
#define HPYAPI_G_PROTO_W(X, pos, T, name, len) , HPy *name, HPy_ssize_t len
#define HPYAPI_G_PROTO_N(X, pos, T)

/* CPython-API prototype fragment: no context, handles become PyObject *
 * (`struct _object`, so that no Python.h is needed to declare it). */
#define HPYAPI_G_CPROTO_H(X, pos, T, name) struct _object *name HPYAPI_SEP_##pos
#define HPYAPI_G_CPROTO_V(X, pos, T, name) T name HPYAPI_SEP_##pos
#define HPYAPI_G_CPROTO_A(X, pos, T, name, len)                                \
    struct _object *const *name, HPy_ssize_t len HPYAPI_SEP_##pos
#define HPYAPI_G_CPROTO_O(X, pos, T, name) struct _object **name HPYAPI_SEP_##pos
#define HPYAPI_G_CPROTO_W(X, pos, T, name, len)                                \
    struct _object **name, HPy_ssize_t len HPYAPI_SEP_##pos
#define HPYAPI_G_CPROTO_N(X, pos, T) void
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

/* silence unused parameters (retired and unimported stubs) */
#define HPYAPI_G_UNUSED_H(X, pos, T, name) (void)name;
#define HPYAPI_G_UNUSED_V(X, pos, T, name) (void)name;
#define HPYAPI_G_UNUSED_A(X, pos, T, name, len) (void)name; (void)len;
#define HPYAPI_G_UNUSED_O HPYAPI_G_UNUSED_H
#define HPYAPI_G_UNUSED_W HPYAPI_G_UNUSED_A
#define HPYAPI_G_UNUSED_N(X, pos, T)

/* What a CPython-API entry returns when the call could not be made. */
#define HPYAPI_R_CFAIL_H(R) return NULL
#define HPYAPI_R_CFAIL_V(R) return HPYAPI_ERRVAL(R)
#define HPYAPI_R_CFAIL_N(R) return

/* Signature string fragment: C types only, parameter names left out since
 * renaming a parameter does not change the ABI. */
#define HPYAPI_G_SIG_H(X, pos, T, name) "HPy" HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_SIG_V(X, pos, T, name) #T HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_SIG_A(X, pos, T, name, len)                                   \
    #T "," "HPy_ssize_t" HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_SIG_O(X, pos, T, name) #T HPYAPI_SIG_SEP_##pos
#define HPYAPI_G_SIG_W HPYAPI_G_SIG_A
#define HPYAPI_G_SIG_N(X, pos, T) #T
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
#elif !defined(__cplusplus)
#define HPYAPI_IS_HANDLE_PTR(T) _Generic((T)0, HPy *: 1, const HPy *: 1, default: 0)
#define HPYAPI_IS_CONST_HANDLE_PTR(T) _Generic((T)0, const HPy *: 1, default: 0)
#define HPYAPI_IS_OUT_HANDLE_PTR(T) _Generic((T)0, HPy *: 1, default: 0)
#endif
#define HPYAPI_G_CHECK_H(NAME, pos, T, name)
#define HPYAPI_G_CHECK_V(NAME, pos, T, name)                                   \
    HPYAPI_STATIC_ASSERT(!HPYAPI_IS_HANDLE_PTR(T),                             \
                   #NAME ": parameter '" #name "' is a handle pointer; declare"\
                   " handle arrays as (const HPy *, " #name ", length) and "   \
                   "out-handles as (HPy *, " #name ")");
#define HPYAPI_G_CHECK_A(NAME, pos, T, name, len)                              \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_CONST_HANDLE_PTR(T),                        \
                   #NAME ": array parameter '" #name "' must be declared as "  \
                   "(const HPy *, " #name ", " #len ")");
#define HPYAPI_G_CHECK_O(NAME, pos, T, name)                                   \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_OUT_HANDLE_PTR(T),                          \
                   #NAME ": out-handle parameter '" #name "' must be declared "\
                   "as (HPy *, " #name ")");
#define HPYAPI_G_CHECK_W(NAME, pos, T, name, len)                              \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_OUT_HANDLE_PTR(T),                          \
                   #NAME ": array parameter '" #name "' the exporter fills "   \
                   "must be declared as (HPy *, " #name ", " #len ")");
#define HPYAPI_G_CHECK_N(NAME, pos, T)

/* ---- per-entry generators ---------------------------------------------------
 * The list calls FUNC(idx, since, R, name, params...), OBJECT(idx, since,
 * name) and RETIRED(idx, since, R, name, params...).  OBJECT is a FUNC of
 * type HPy(void) whose body hpyapi writes; everything below treats it so. */

/* Table member.  A retired slot keeps its type but changes its name, so new
 * code cannot call it while old binaries still find it at its index. */
#define HPYAPI_D_MEMBER_FUNC(IDX, SINCE, R, NAME, ...)                         \
    R (*NAME)(HPyContext *hpyapi_ctx                                           \
              HPYAPI_PARAMS(HPYAPI_G_PROTO, ~, __VA_ARGS__));
#define HPYAPI_D_MEMBER_OBJECT(IDX, SINCE, NAME)                               \
    HPy (*NAME)(HPyContext *hpyapi_ctx);
#define HPYAPI_D_MEMBER_RETIRED(IDX, SINCE, R, NAME, ...)                      \
    R (*NAME##__retired)(HPyContext *hpyapi_ctx                                \
                         HPYAPI_PARAMS(HPYAPI_G_PROTO, ~, __VA_ARGS__));

/* CPython-API table member: the same entry with PyObject * for handles. */
#define HPYAPI_D_CMEMBER_FUNC(IDX, SINCE, R, NAME, ...)                        \
    HPYAPI_RK(CRET, R)(R) (*NAME)(HPYAPI_PARAMS(HPYAPI_G_CPROTO, ~, __VA_ARGS__));
#define HPYAPI_D_CMEMBER_OBJECT(IDX, SINCE, NAME) struct _object *(*NAME)(void);
#define HPYAPI_D_CMEMBER_RETIRED(IDX, SINCE, R, NAME, ...)                     \
    HPYAPI_RK(CRET, R)(R) (*NAME##__retired)(                                  \
        HPYAPI_PARAMS(HPYAPI_G_CPROTO, ~, __VA_ARGS__));

/* Entry info: name, signature, since, flags. */
#define HPYAPI_SIGNATURE(R, ...)                                               \
    #R "(" HPYAPI_PARAMS(HPYAPI_G_SIG, ~, __VA_ARGS__) ")"
#define HPYAPI_D_INFO_FUNC(IDX, SINCE, R, NAME, ...)                           \
    {#NAME, HPYAPI_SIGNATURE(R, __VA_ARGS__), SINCE, HPYAPI_ENTRY_FUNC},
#define HPYAPI_D_INFO_OBJECT(IDX, SINCE, NAME)                                 \
    {#NAME, "HPy(void)", SINCE, HPYAPI_ENTRY_OBJECT},
#define HPYAPI_D_INFO_RETIRED(IDX, SINCE, R, NAME, ...)                        \
    {#NAME, HPYAPI_SIGNATURE(R, __VA_ARGS__), SINCE, HPYAPI_ENTRY_RETIRED},

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
    HPYAPI_D_CHECK_SLOT(IDX, SINCE, NAME, NAME)                                \
    HPYAPI_D_CHECK_PARAMS(NAME, __VA_ARGS__)
#define HPYAPI_D_CHECK_OBJECT(IDX, SINCE, NAME)                                \
    HPYAPI_D_CHECK_SLOT(IDX, SINCE, NAME, NAME)
#define HPYAPI_D_CHECK_RETIRED(IDX, SINCE, R, NAME, ...)                       \
    HPYAPI_D_CHECK_SLOT(IDX, SINCE, NAME, NAME##__retired)

#define HPYAPI_EACH(LIST, G) LIST(G##_FUNC, G##_OBJECT, G##_RETIRED)

/* The number of entries of a declared API, as a constant expression. */
#define HPYAPI_N_ENTRIES(API)                                                  \
    (sizeof(API##_CAPI) / sizeof(void (*)(void)) - 1)

/* The HPy table and the parameter checks need <hpy.h>; a plain C-API
 * consumer (hpyapi/capi.h) gets the CPython-API table alone. */
#ifdef HPy_H
#define HPYAPI_D_HPY_TABLE(API, LIST)                                          \
    typedef struct API##_API {                                                 \
        const HPyAPI_Header *hpyapi_header;                                    \
        HPYAPI_EACH(LIST, HPYAPI_D_MEMBER)                                     \
    } API##_API;
#define HPYAPI_D_CHECK_PARAMS(NAME, ...)                                       \
    HPYAPI_PARAMS(HPYAPI_G_CHECK, NAME, __VA_ARGS__)
#else
#define HPYAPI_D_HPY_TABLE(API, LIST)
#define HPYAPI_D_CHECK_PARAMS(NAME, ...)
#endif

/* ---- metadata for `python -m hpyapi check` ----------------------------------
 * Every C file that includes a declaration carries it as text in the ELF
 * section ".hpyapi", so that a tool can read, without loading a binary,
 * which APIs it declares (name, version, entry signatures); HPyAPI_DEFINE
 * and HPyAPI_USE_DEFINE add one-line records saying it exports or imports
 * them.  Records are NUL-terminated; the format is in docs/reference.md. */
#if defined(__ELF__) && defined(__GNUC__)
#define HPYAPI_META_ATTR __attribute__((used, section(".hpyapi"), aligned(1)))
#else
#define HPYAPI_META_ATTR HPYAPI_MAYBE_UNUSED
#endif
#define HPYAPI_D_META_FUNC(IDX, SINCE, R, NAME, ...)                           \
    #IDX " " #SINCE " func " #NAME " " HPYAPI_SIGNATURE(R, __VA_ARGS__) "\n"
#define HPYAPI_D_META_OBJECT(IDX, SINCE, NAME)                                 \
    #IDX " " #SINCE " object " #NAME " HPy(void)\n"
#define HPYAPI_D_META_RETIRED(IDX, SINCE, R, NAME, ...)                        \
    #IDX " " #SINCE " retired " #NAME " " HPYAPI_SIGNATURE(R, __VA_ARGS__) "\n"
/* a record `hpyapi 1 WHAT API`: WHAT is export, import or import-capi */
#define HPYAPI_META_MARK(API, WHAT)                                            \
    HPYAPI_META_ATTR static const char API##_hpyapi_meta_##WHAT[] =            \
        "hpyapi 1 " HPYAPI_STR(WHAT) " " #API "\n";

/* Generates, for API `API`:
 *   API##_API          the HPy table struct (with <hpy.h> only)
 *   API##_CAPI         the CPython-API table struct
 *   API##_API_spec()   name, versions and per-entry info (HPyAPI_Spec)
 *   a ".hpyapi" metadata record (see above)
 * Member 0 of both tables is `hpyapi_header`; entry i is member i + 1.
 * The checks live inside API##_API_spec so that they can name the table
 * through a local typedef; the function is static inline, so a file that
 * never calls it pays nothing. */
#define HPyAPI_DECLARE(API, LIST, MAJOR, MINOR)                                \
    HPYAPI_D_HPY_TABLE(API, LIST)                                              \
    HPYAPI_META_ATTR static const char API##_hpyapi_meta_declare[] =           \
        "hpyapi 1 declare " #API " " HPYAPI_STR(MAJOR) "." HPYAPI_STR(MINOR)   \
        "\n" HPYAPI_EACH(LIST, HPYAPI_D_META);                                 \
    typedef struct API##_CAPI {                                                \
        const HPyAPI_Header *hpyapi_header;                                    \
        HPYAPI_EACH(LIST, HPYAPI_D_CMEMBER)                                    \
    } API##_CAPI;                                                              \
    static inline const HPyAPI_Spec *API##_API_spec(void)                      \
    {                                                                          \
        typedef API##_CAPI HPYAPI_TABLE;                                       \
        enum { HPYAPI_MINOR = (MINOR) };                                       \
        HPYAPI_EACH(LIST, HPYAPI_D_CHECK)                                      \
        static const HPyAPI_EntryInfo entries[] = {                            \
            HPYAPI_EACH(LIST, HPYAPI_D_INFO)};                                 \
        HPYAPI_STATIC_ASSERT(sizeof(entries) / sizeof(entries[0]) ==           \
                           HPYAPI_N_ENTRIES(API),                              \
                       #API ": table and entry list disagree");                \
        static const HPyAPI_Spec spec = {                                      \
            #API, (MAJOR), (MINOR), HPYAPI_N_ENTRIES(API), entries};           \
        return &spec;                                                          \
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
        NULL, NULL, NULL, NULL, NULL};                                         \
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
#else
#define HPYAPI_LINK_NAME(NAME, WHAT)
#endif

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
