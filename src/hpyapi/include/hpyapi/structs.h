/* hpyapi/structs.h - structs that carry handles and callbacks (NumPy's
 * spec structs), declared once, converted across contexts like
 * parameters.
 *
 * Public, through <hpyapi.h>: HPyAPI_SLOT_TYPE, HPyAPI_STRUCT_DECLARE and
 * the parameter forms `(HPyAPI_STRUCT(Name) *, p)` and, for an array
 * ending with an all-zero element, `(HPyAPI_STRUCTS(Name) *, p)`;
 * HPyAPI_TypeSlot.  The
 * form is documented in docs/reference.md ("Structs that carry handles").
 *
 *     HPyAPI_SLOT_TYPE(sp_resolve, HPy, (HPy, method), (HPy, given));
 *     #define SP_SLOTS(SLOT) SLOT(1, sp_resolve) SLOT(2, sp_loop)
 *     #define SP_SPEC(F)                                                      \
 *         F(VALUE, const char *, name) F(VALUE, int, nin)                     \
 *         F(VALUE, int, nout) F(HANDLES, nin + nout, dtypes)                  \
 *         F(SLOTS, SP_SLOTS, slots)
 *     HPyAPI_STRUCT_DECLARE(SpSpec, SP_SPEC);
 *
 * Fields, F(KIND, what, name):
 *   VALUE(T, f)        a C value, copied
 *   HANDLE(HPy, f)     a handle the caller lends
 *   OUT(HPy, f)        a handle the exporter writes (new, the caller's)
 *   HANDLES(e, f)      `const HPy *f`: e handles, e an integer expression of
 *                      the struct's VALUE fields and constants
 *   FN(type, f)        a function of a slot type (HPyAPI_SLOT_TYPE)
 *   FNS((type, n), f)  `type f[n]`: a fixed array of such functions
 *                      (PyArray_ArrFuncs.cast[21]), NULL ones allowed
 *   SLOTS(LIST, f)     `HPyAPI_TypeSlot *f`: {id, function} pairs ending
 *                      with {0, NULL}; LIST(SLOT) says SLOT(id, type) per id
 *   SLOTS_N((LIST, e), f)  the same, and each function registered takes
 *                      arrays of e handles (HPyAPI_SLOT_LEN), e as for
 *                      HANDLES: NumPy's nin + nout
 *   STRUCT(N, f)       `N *f`: a struct declared with HPyAPI_STRUCT_DECLARE
 *   STRUCTS(N, f)      `N **f`: NULL-terminated pointers to such structs
 * HPyAPI_STRUCT_DECLARE gives `Name` (HPy handles, with <hpy.h>) and
 * `Name_CAPI` (PyObject *, always), of one layout: HPy is a struct of one
 * intptr_t, PyObject * a pointer, both one word, and the declaration's
 * static assertions check every offset.
 *
 * Slot functions take no user data (NumPy's do not), so the reverse
 * trampolines of a slot type are a pool: HPYAPI_SLOT_POOL functions per
 * slot type (limits.h), each reading the record of the function it stands
 * for from its own static cell (hpyapi/slottypes.h).  runtime/slots.c
 * hands them out, one per (function, caller family, exporter, length),
 * for the life of the process.
 */
#ifndef HPYAPI_STRUCTS_H
#define HPYAPI_STRUCTS_H

#include <stddef.h>
#include "hpyapi/pp.h"
#include "hpyapi/common.h"
#include "hpyapi/callback.h"
#ifdef HPy_H
#include "hpyapi/runtime.h"
#endif

/* HPYAPI_EXPORTER: the file with HPyAPI_DEFINE of an API whose entries
 * take slot functions or structs, or return tables, defines it as 1
 * before including the API's header:
 *
 *     #define HPYAPI_EXPORTER 1
 *     #include "myapi.h"
 *     HPyAPI_DEFINE(myapi, MYAPI, ...);
 *
 * Only there do HPyAPI_SLOT_TYPE and HPyAPI_STRUCT_DECLARE expand what the
 * runtime reads of them -- each slot type's pool of trampolines, each
 * struct's descriptor -- and their checks: every other file that includes
 * the header (an implementation file, a consumer) is spared preprocessing
 * them, most of what including a NumPy-sized declaration cost.  A
 * definition that needs them without it is one compile error naming the
 * entry and this fix.  HPYAPI_TABLE_POOLS (hpyapi 0.2's name, for
 * returned tables) means the same. */
#define HPYAPI_EXPORTER_ON                                                     \
    HPYAPI_SECOND(HPYAPI_CAT(HPYAPI_EXPON_, HPYAPI_EXPORTER),                  \
                  HPYAPI_SECOND(HPYAPI_CAT(HPYAPI_EXPON_, HPYAPI_TABLE_POOLS), \
                                0))
#define HPYAPI_EXPON_1 ~, 1
/* what a definition refers to of them, NULL where they are not, so that
   the assertion naming the fix is its one error */
#define HPYAPI_EXPORTED(x) HPYAPI_CAT(HPYAPI_EXPORTED_, HPYAPI_EXPORTER_ON)(x)
#define HPYAPI_EXPORTED_0(x) NULL
#define HPYAPI_EXPORTED_1(x) x
/* that error, `what` saying which entry needs them and why */
#define HPYAPI_NEEDS_EXPORTER(what)                                            \
    HPYAPI_STATIC_ASSERT(HPYAPI_EXPORTER_ON,                                   \
                         what ": define HPYAPI_EXPORTER as 1 before "         \
                         "including the API's header in the file with "       \
                         "HPyAPI_DEFINE, which then compiles the slot "       \
                         "types' trampolines and the structs' descriptors");

/* Name_hpyapi_len of a field without a length (a SLOTS field) */
#define HPYAPI_SF_NO_LEN (-0x7fffffffL)

/* HPyAPI_CallbackInfo.kept of an HPyAPI_STRUCTS parameter's info */
#define HPYAPI_SF_LIST 2
/* ... and of an (HPyAPI_FN(type), f) parameter's (hpyapi/kinds/fn.h) */
#define HPYAPI_SF_FNPARAM 3
/* ... with HPyAPI_LEN_EXPR(e): e in the frame right after the function */
#define HPYAPI_SF_FNPARAM_LEN 4

/* NumPy's PyType_Slot, the element of a SLOTS field */
typedef struct HPyAPI_TypeSlot {
    int slot;
    void *pfunc;
} HPyAPI_TypeSlot;

/* HPyAPI_SLOT_LEN: the length a slot function's handle arrays have, the
 * one its SLOTS_N field said when it was registered (NumPy's nin + nout,
 * which a resolve_descriptors or a PyArrayMethod_Context does not carry).
 * Not a macro, so that pp.h's probe sees it in `(const HPy *, p,
 * HPyAPI_SLOT_LEN)`; as a struct's HANDLES length it is a marker the
 * runtime replaces by that length. */
#ifdef __cplusplus
static constexpr int HPyAPI_SLOT_LEN = -2;
#else
enum { HPyAPI_SLOT_LEN = -2 };
#endif

/* what the runtime reads of a struct (runtime/structs.c) */
#define HPYAPI_FIELD_END 0u
#define HPYAPI_FIELD_HANDLE 1u
#define HPYAPI_FIELD_OUT 2u
#define HPYAPI_FIELD_HANDLES 3u
#define HPYAPI_FIELD_FN 4u
#define HPYAPI_FIELD_SLOTS 5u
#define HPYAPI_FIELD_STRUCT 6u
#define HPYAPI_FIELD_STRUCTS 7u
#define HPYAPI_FIELD_VALUE 8u
#define HPYAPI_FIELD_FNS 9u

#ifdef HPy_H
/* A slot type's pool of reverse trampolines is reached through its
 * getter, Name_hpyapi_pool (hpyapi/slottypes.h): descriptors hold the
 * getter, never the pool, so that a file that does not use a slot type
 * emits none of it. */
typedef const struct HPyAPI_SlotFn *(*HPyAPI_SlotPoolFn)(void);
typedef struct HPyAPI_SlotFn {
    const HPyAPI_CallbackInfo *info;
    uint32_t n;
    const HPyAPI_Slot *tramps;
    void **cells; /* the record trampoline j calls through; NULL: free */
    /* the slot type of its HPyAPI_FN_OUT parameter, or NULL */
    HPyAPI_SlotPoolFn fnout;
    /* takes HPyAPI_SLOT_LEN arrays: registered with a length (SLOTS_N) */
    uint8_t needs_len;
    /* the same cells as C-API functions (type_CAPI): a returned table's
       forward trampolines for C-API callers (runtime/tables.c) */
    const HPyAPI_Slot *ctramps;
} HPyAPI_SlotFn;
typedef struct HPyAPI_SlotId {
    int id;
    HPyAPI_SlotPoolFn fn; /* NULL ends the list */
} HPyAPI_SlotId;
typedef struct HPyAPI_FieldDesc {
    uint8_t kind;
    uint16_t off;
    const char *name;
    const HPyAPI_SlotId *ids;                        /* SLOTS(_N) */
    const struct HPyAPI_StructDesc *(*nested)(void); /* STRUCT(S) */
    uint16_t size; /* VALUE: what the exporter may write back */
    HPyAPI_SlotPoolFn pool;                          /* FN, FNS */
} HPyAPI_FieldDesc;
typedef struct HPyAPI_StructDesc {
    const char *name;
    uint32_t size;
    const HPyAPI_FieldDesc *fields; /* ends with HPYAPI_FIELD_END */
    /* a HANDLES field's length, by its offset, read from a struct */
    HPy_ssize_t (*len)(const void *s, size_t off);
} HPyAPI_StructDesc;
#endif

/* HPyAPI_SLOT_DATA in a SLOTS list, SLOT(id, HPyAPI_SLOT_DATA): the slot
 * holds data, not a function (NumPy's _NPY_METH_static_data), and its
 * pointer passes unchanged; its "pool" has no trampolines. */
#ifdef HPy_H
static inline const HPyAPI_SlotFn *HPyAPI_SLOT_DATA_hpyapi_pool(void)
{
    static const HPyAPI_SlotFn hpyapi_none = {NULL, 0, NULL, NULL, NULL, 0,
                                               NULL};
    return &hpyapi_none;
}
#endif

#include "hpyapi/slottypes.h"

/* ---- structs ------------------------------------------------------------- */

/* members: the HPy struct's, the C-API struct's */
#define HPYAPI_SF_MEMBER(K, W, f) HPYAPI_SF_MEMBER_##K(W, f)
#define HPYAPI_SF_MEMBER_VALUE(T, f) T f;
#define HPYAPI_SF_MEMBER_HANDLE(T, f) HPy f;
#define HPYAPI_SF_MEMBER_OUT(T, f) HPy f;
#define HPYAPI_SF_MEMBER_HANDLES(e, f) const HPy *f;
#define HPYAPI_SF_MEMBER_FN(type, f) type f;
#define HPYAPI_SF_MEMBER_FNS(W, f) HPYAPI_SF_FNS_T W f[HPYAPI_SF_FNS_N W];
#define HPYAPI_SF_MEMBER_SLOTS(L, f) HPyAPI_TypeSlot *f;
#define HPYAPI_SF_MEMBER_SLOTS_N(W, f) HPyAPI_TypeSlot *f;
#define HPYAPI_SF_MEMBER_STRUCT(N, f) struct N *f;
#define HPYAPI_SF_MEMBER_STRUCTS(N, f) struct N **f;
#define HPYAPI_SF_CMEMBER(K, W, f) HPYAPI_SF_CMEMBER_##K(W, f)
#define HPYAPI_SF_CMEMBER_VALUE(T, f) T f;
#define HPYAPI_SF_CMEMBER_HANDLE(T, f) struct _object *f;
#define HPYAPI_SF_CMEMBER_OUT(T, f) struct _object *f;
#define HPYAPI_SF_CMEMBER_HANDLES(e, f) struct _object *const *f;
#define HPYAPI_SF_CMEMBER_FN(type, f) type##_CAPI f;
#define HPYAPI_SF_CMEMBER_FNS(W, f) HPYAPI_SF_FNS_C W f[HPYAPI_SF_FNS_N W];
#define HPYAPI_SF_CMEMBER_SLOTS(L, f) HPyAPI_TypeSlot *f;
#define HPYAPI_SF_CMEMBER_SLOTS_N(W, f) HPyAPI_TypeSlot *f;
#define HPYAPI_SF_CMEMBER_STRUCT(N, f) struct N##_CAPI *f;
#define HPYAPI_SF_CMEMBER_STRUCTS(N, f) struct N##_CAPI **f;

/* a length's type, checked: one mention of e there, one in the return,
 * so that a misspelt name is the compiler's one error (clang repeats it) */
#define HPYAPI_SF_LENMSG(e, f)                                                 \
    "HANDLES(" #e ", " #f "): the length must be an integer expression (any "  \
    "integer type but bool) of the struct's VALUE fields and constants"
#define HPYAPI_SF_SNMSG(e, f)                                                  \
    "SLOTS_N((list, " #e "), " #f "): the length must be an integer "          \
    "expression (any integer type but bool) of the struct's VALUE fields "     \
    "and constants"
#ifdef __cplusplus
#define HPYAPI_SF_LENOK(e, f, msg)                                             \
    typedef decltype(e) hpyapi_lt_##f;                                         \
    static_assert(std::is_integral<hpyapi_lt_##f>::value &&                    \
                      !std::is_same<hpyapi_lt_##f, bool>::value,               \
                  msg);
#else
#define HPYAPI_SF_LENOK(e, f, msg)                                             \
    typedef __typeof__(e) hpyapi_lt_##f;                                       \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_LEN_TYPE(*(hpyapi_lt_##f *)0), msg);
#endif

/* in Name_hpyapi_len: each VALUE field as a local, for length expressions */
#define HPYAPI_SF_LOCAL(K, W, f) HPYAPI_SF_LOCAL_##K(W, f)
#define HPYAPI_SF_LOCAL_VALUE(T, f) T f = hpyapi_p->f; (void)f;
#define HPYAPI_SF_LOCAL_HANDLE(T, f)
#define HPYAPI_SF_LOCAL_OUT(T, f)
#define HPYAPI_SF_LOCAL_HANDLES(e, f)
#define HPYAPI_SF_LOCAL_FN(type, f)
#define HPYAPI_SF_LOCAL_FNS(W, f)
#define HPYAPI_SF_LOCAL_SLOTS(L, f)
#define HPYAPI_SF_LOCAL_SLOTS_N(W, f)
#define HPYAPI_SF_LOCAL_STRUCT(N, f)
#define HPYAPI_SF_LOCAL_STRUCTS(N, f)
#define HPYAPI_SF_LEN(K, W, f) HPYAPI_SF_LEN_##K(W, f)
#define HPYAPI_SF_LEN_VALUE(T, f)
#define HPYAPI_SF_LEN_HANDLE(T, f)
#define HPYAPI_SF_LEN_OUT(T, f)
#define HPYAPI_SF_LEN_HANDLES(e, f) HPYAPI_SF_LEN_OF(e, f, HPYAPI_SF_LENMSG(e, f))
#define HPYAPI_SF_LEN_OF(e, f, msg)                                            \
    if (hpyapi_off == offsetof(hpyapi_S, f)) {                                 \
        HPYAPI_SF_LENOK(e, f, msg)                                             \
        return (HPy_ssize_t)(e);                                               \
    }
#define HPYAPI_SF_LEN_FN(type, f)
#define HPYAPI_SF_LEN_FNS(W, f)
#define HPYAPI_SF_LEN_SLOTS(L, f)
#define HPYAPI_SF_LEN_SLOTS_N(W, f) HPYAPI_SF_LEN_SN(HPYAPI_SF_SN_LEN W, f)
#define HPYAPI_SF_LEN_SN(e, f) HPYAPI_SF_LEN_OF(e, f, HPYAPI_SF_SNMSG(e, f))
#define HPYAPI_SF_LEN_STRUCT(N, f)
#define HPYAPI_SF_LEN_STRUCTS(N, f)

/* in Name_hpyapi_len too: the declaration's checks, one per field */
#define HPYAPI_SF_CHECK(K, W, f) HPYAPI_SF_CHECK_##K(W, f)
#define HPYAPI_SF_CHECK_VALUE(T, f)                                            \
    HPYAPI_STATIC_ASSERT(!HPYAPI_IS_HANDLE_VALUE(T) &&                         \
                             !HPYAPI_IS_HANDLE_PTR(T),                         \
                         "VALUE(" #T ", " #f "): a handle field is "           \
                         "F(HANDLE, HPy, " #f "), an array of handles "        \
                         "F(HANDLES, length, " #f ")");
#define HPYAPI_SF_CHECK_HANDLE(T, f)                                           \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_HANDLE_VALUE(T),                            \
                         "HANDLE(" #T ", " #f "): a handle field is declared " \
                         "F(HANDLE, HPy, " #f ")");
#define HPYAPI_SF_CHECK_OUT(T, f)                                              \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_HANDLE_VALUE(T),                            \
                         "OUT(" #T ", " #f "): a handle the exporter writes "  \
                         "is declared F(OUT, HPy, " #f ")");
#define HPYAPI_SF_CHECK_HANDLES(e, f)
#define HPYAPI_SF_CHECK_FN(type, f)
#define HPYAPI_SF_CHECK_FNS(W, f)
#define HPYAPI_SF_CHECK_SLOTS(L, f)
#define HPYAPI_SF_CHECK_SLOTS_N(W, f)
#define HPYAPI_SF_CHECK_STRUCT(N, f)
#define HPYAPI_SF_CHECK_STRUCTS(N, f)
/* ... and that both structs have one layout */
#define HPYAPI_SF_SAME(K, W, f)                                                \
    HPYAPI_STATIC_ASSERT(offsetof(hpyapi_S, f) == offsetof(hpyapi_C, f) &&     \
                             sizeof(((hpyapi_S *)0)->f) ==                     \
                                 sizeof(((hpyapi_C *)0)->f),                   \
                         "field " #f ": the HPy and C-API layouts differ");

/* FNS's (type, count): its element types and its slot type's pool */
#define HPYAPI_SF_FNS_T(type, n) type
#define HPYAPI_SF_FNS_C(type, n) type##_CAPI
#define HPYAPI_SF_FNS_N(type, n) n
#define HPYAPI_SF_FNS_P(type, n) type##_hpyapi_pool

/* SLOTS_N's (list, length) */
#define HPYAPI_SF_SN_LIST(L, e) L
#define HPYAPI_SF_SN_LEN(L, e) e

/* the runtime's descriptors */
#define HPYAPI_SF_IDS(K, W, f) HPYAPI_SF_IDS_##K(W, f)
#define HPYAPI_SF_IDS_VALUE(T, f)
#define HPYAPI_SF_IDS_HANDLE(T, f)
#define HPYAPI_SF_IDS_OUT(T, f)
#define HPYAPI_SF_IDS_HANDLES(e, f)
#define HPYAPI_SF_IDS_FN(type, f)
#define HPYAPI_SF_IDS_FNS(W, f)
#define HPYAPI_SF_IDS_SLOTS(L, f)                                              \
    static const HPyAPI_SlotId hpyapi_ids_##f[] = {L(HPYAPI_SF_SLOTID){0, NULL}};
#define HPYAPI_SF_IDS_STRUCT(N, f)
#define HPYAPI_SF_IDS_SLOTS_N(W, f) HPYAPI_SF_IDS_SN(HPYAPI_SF_SN_LIST W, f)
#define HPYAPI_SF_IDS_SN(L, f) HPYAPI_SF_IDS_SLOTS(L, f)
#define HPYAPI_SF_IDS_STRUCTS(N, f)
#define HPYAPI_SF_SLOTID(id, type) {(id), type##_hpyapi_pool},
#define HPYAPI_SF_DESC(K, W, f) HPYAPI_SF_DESC_##K(W, f)
#define HPYAPI_SF_DESC_VALUE(T, f)                                             \
    {HPYAPI_FIELD_VALUE, offsetof(hpyapi_S, f), #f, NULL, NULL,                \
     sizeof(((hpyapi_S *)0)->f), NULL},
#define HPYAPI_SF_DESC_HANDLE(T, f)                                            \
    {HPYAPI_FIELD_HANDLE, offsetof(hpyapi_S, f), #f, NULL, NULL, 0, NULL},
#define HPYAPI_SF_DESC_OUT(T, f)                                               \
    {HPYAPI_FIELD_OUT, offsetof(hpyapi_S, f), #f, NULL, NULL, 0, NULL},
#define HPYAPI_SF_DESC_HANDLES(e, f)                                           \
    {HPYAPI_FIELD_HANDLES, offsetof(hpyapi_S, f), #f, NULL, NULL, 0, NULL},
#define HPYAPI_SF_DESC_FN(type, f)                                             \
    {HPYAPI_FIELD_FN, offsetof(hpyapi_S, f), #f, NULL, NULL, 0,                \
     type##_hpyapi_pool},
#define HPYAPI_SF_DESC_FNS(W, f)                                               \
    {HPYAPI_FIELD_FNS, offsetof(hpyapi_S, f), #f, NULL, NULL,                  \
     sizeof(((hpyapi_S *)0)->f), HPYAPI_SF_FNS_P W},
#define HPYAPI_SF_DESC_SLOTS(L, f)                                             \
    {HPYAPI_FIELD_SLOTS, offsetof(hpyapi_S, f), #f, hpyapi_ids_##f, NULL, 0,   \
     NULL},
#define HPYAPI_SF_DESC_SLOTS_N(W, f) HPYAPI_SF_DESC_SLOTS(~, f)
#define HPYAPI_SF_DESC_STRUCT(N, f)                                            \
    {HPYAPI_FIELD_STRUCT, offsetof(hpyapi_S, f), #f, NULL, N##_hpyapi_sdesc,   \
     0, NULL},
#define HPYAPI_SF_DESC_STRUCTS(N, f)                                           \
    {HPYAPI_FIELD_STRUCTS, offsetof(hpyapi_S, f), #f, NULL,                    \
     N##_hpyapi_sdesc, 0, NULL},

/* HPyAPI_STRUCT_DECLARE(Name, LIST): the structs Name and Name_CAPI (see
 * above) and, in HPy code, what the runtime reads of them. */
#define HPyAPI_STRUCT_DECLARE(Name, LIST)                                      \
    HPYAPI_SF_HPY_STRUCT(Name, LIST)                                           \
    typedef struct Name##_CAPI {                                               \
        LIST(HPYAPI_SF_CMEMBER)                                                \
    } Name##_CAPI;                                                             \
    HPYAPI_SF_DESCRIBE(Name, LIST)                                             \
    typedef int Name##_hpyapi_struct_needs_a_semicolon

#ifdef HPy_H
#define HPYAPI_SF_HPY_STRUCT(Name, LIST)                                       \
    typedef struct Name {                                                      \
        LIST(HPYAPI_SF_MEMBER)                                                 \
    } Name;
/* Name_hpyapi_len holds the checks (they name the field; the compiler
 * names this function, hence the struct), Name_hpyapi_sdesc the
 * descriptors, in the exporter's file only (HPYAPI_EXPORTER).  Both are
 * static inline, as a slot type's pool: an exporter file where no entry
 * takes the struct emits neither, nor the pools its fields name; what an
 * entry's parameter points to is the entry's own (HPYAPI_G_CBDEF_S,
 * hpyapi/kinds/struct.h). */
#define HPYAPI_SF_DESCRIBE(Name, LIST)                                         \
    HPYAPI_CAT(HPYAPI_SF_DESCRIBE_, HPYAPI_EXPORTER_ON)(Name, LIST)
#define HPYAPI_SF_DESCRIBE_0(Name, LIST)
#define HPYAPI_SF_DESCRIBE_1(Name, LIST)                                       \
    static inline HPy_ssize_t Name##_hpyapi_len(const void *hpyapi_s,          \
                                                size_t hpyapi_off)             \
    {                                                                          \
        typedef Name hpyapi_S;                                                 \
        typedef Name##_CAPI hpyapi_C;                                          \
        const hpyapi_S *hpyapi_p = (const hpyapi_S *)hpyapi_s;                 \
        (void)hpyapi_p;                                                        \
        (void)hpyapi_off;                                                      \
        LIST(HPYAPI_SF_CHECK)                                                  \
        LIST(HPYAPI_SF_SAME)                                                   \
        HPYAPI_STATIC_ASSERT(sizeof(hpyapi_S) == sizeof(hpyapi_C),             \
                             "the HPy and C-API layouts differ");              \
        LIST(HPYAPI_SF_LOCAL)                                                  \
        LIST(HPYAPI_SF_LEN)                                                    \
        return HPYAPI_SF_NO_LEN;                                               \
    }                                                                          \
    static inline const HPyAPI_StructDesc *Name##_hpyapi_sdesc(void)           \
    {                                                                          \
        typedef Name hpyapi_S;                                                 \
        LIST(HPYAPI_SF_IDS)                                                    \
        static const HPyAPI_FieldDesc hpyapi_fields[] = {                      \
            LIST(HPYAPI_SF_DESC){HPYAPI_FIELD_END, 0, NULL, NULL, NULL, 0,     \
                                 NULL}};                                       \
        static const HPyAPI_StructDesc hpyapi_d = {                            \
            #Name, sizeof(hpyapi_S), hpyapi_fields, Name##_hpyapi_len};        \
        return &hpyapi_d;                                                      \
    }
#else
/* C-API code sees the name only, so that an entry returning `Name *` (a
 * table, below) declares its HPy table's type there too */
#define HPYAPI_SF_HPY_STRUCT(Name, LIST) typedef struct Name Name;
#define HPYAPI_SF_DESCRIBE(Name, LIST)
#endif

/* The parameter form `(HPyAPI_STRUCT(Name) *, p)` (kind S, generators in
 * hpyapi/kinds/struct.h): pp.h's probe sees HPyAPI_STRUCT, which is
 * therefore no macro; these read Name out of the type. */
#define HPYAPI_SNAME(T) HPYAPI_SECOND(HPYAPI_CAT_I(HPYAPI_SNAME_, T))
#define HPYAPI_SNAME_HPyAPI_STRUCT(N) ~, N,
#define HPYAPI_SNAME_HPyAPI_STRUCTS(N) ~, N,
#define HPYAPI_STYPE(T) HPYAPI_CAT_I(HPYAPI_STYPE_, T)
#define HPYAPI_STYPE_HPyAPI_STRUCT(N) N
#define HPYAPI_STYPE_HPyAPI_STRUCTS(N) N
#define HPYAPI_SCTYPE(T) HPYAPI_CAT_I(HPYAPI_SCTYPE_, T)
#define HPYAPI_SCTYPE_HPyAPI_STRUCT(N) N##_CAPI
#define HPYAPI_SCTYPE_HPyAPI_STRUCTS(N) N##_CAPI
/* what the runtime reads (one struct, or a list: HPyAPI_CallbackInfo's
 * label and kept; HPYAPI_SKIND(T)(one, list) selects) and the signature's
 * spelling of the type */
#define HPYAPI_SKIND(T) HPYAPI_SECOND(HPYAPI_CAT_I(HPYAPI_SKIND_, T))
#define HPYAPI_SKIND_HPyAPI_STRUCT(N) ~, HPYAPI_PICK2_1,
#define HPYAPI_SKIND_HPyAPI_STRUCTS(N) ~, HPYAPI_PICK2_2,
#define HPYAPI_SSIG(T) HPYAPI_SECOND(HPYAPI_CAT_I(HPYAPI_SSIG_, T))
#define HPYAPI_SSIG_HPyAPI_STRUCT(N) ~, "struct " #N " *",
#define HPYAPI_SSIG_HPyAPI_STRUCTS(N) ~, "struct " #N "_list *",

/* ---- a returned table of functions ---------------------------------------
 * `FUNC(i, s, Name *, Entry, ...)` with `#define HPyAPI_RETURNS_Entry
 * HPyAPI_TABLE(Name)`: the exporter returns a struct of its own slot
 * functions (NumPy's _PyDataType_GetArrFuncs); a caller whose context is
 * not the exporter's gets a copy whose functions are forward trampolines
 * (runtime/tables.c), a C-API caller `Name_CAPI *`.  Result kind T
 * (HPYAPI_TRKIND, instead of HPYAPI_RKIND's V): V's pieces, but its own
 * descriptor kind and struct, and the CPython-API side's type, which
 * needs the entry's name (HPYAPI_TCRET, HPYAPI_TCRETK). */
/* HPYAPI_TPICK(NAME)(t, o) is t for an entry returning a table, o
 * otherwise (an HPyAPI_HANDLES define or none): one paste and one pick,
 * as every entry of every declaration asks (the C-API member's type, the
 * signature's mark); HPYAPI_TAB_OF(NAME) is the struct, for a table. */
#define HPyAPI_TABLE(N) ~, 0, 0, N, HPYAPI_PICK2_1
#define HPYAPI_TPICK(NAME)                                                     \
    HPYAPI_TPICK_I(HPyAPI_RETURNS_##NAME, HPYAPI_PICK2_2, HPYAPI_PICK2_2,     \
                   HPYAPI_PICK2_2, HPYAPI_PICK2_2, ~)
#define HPYAPI_TPICK_I(...) HPYAPI_TPICK_II(__VA_ARGS__)
#define HPYAPI_TPICK_II(a, b, c, d, e, ...) e
#define HPYAPI_TAB_OF(NAME) HPYAPI_TAB_OF_I(HPYAPI_CAT(HPyAPI_RETURNS_, NAME))
#define HPYAPI_TAB_OF_I(...) HPYAPI_TAB_OF_II(__VA_ARGS__)
#define HPYAPI_TAB_OF_II(a, b, c, d, ...) d
/* the result's kind dispatcher (pp.h's HPYAPI_KD_*) */
#define HPYAPI_TRKIND(NAME, R)                                                 \
    HPYAPI_TPICK(NAME)(HPYAPI_TRKIND_1, HPYAPI_RKIND)(R)
#define HPYAPI_TRKIND_1(R) HPYAPI_KD_T
#define HPYAPI_KD_T(M) M##_T
/* the CPython-API table's result type, from R or from its kind */
#define HPYAPI_TCRET(NAME, R)                                                  \
    HPYAPI_TPICK(NAME)(HPYAPI_TCRET_1, HPYAPI_TCRET_R)(NAME, R, R)
#define HPYAPI_TCRETK(NAME, RK, R)                                             \
    HPYAPI_TPICK(NAME)(HPYAPI_TCRET_1, HPYAPI_TCRET_0)(NAME, RK, R)
#define HPYAPI_TCRET_R(NAME, R, R2) HPYAPI_RK(CRET, R)(R)
#define HPYAPI_TCRET_0(NAME, RK, R) HPYAPI_RKK(CRET, RK)(R)
#define HPYAPI_TCRET_1(NAME, RK, R) HPYAPI_CAT(HPYAPI_TAB_OF(NAME), _CAPI) *
#define HPYAPI_TCFAIL(NAME, R)                                                 \
    HPYAPI_TPICK(NAME)(HPYAPI_TCFAIL_1, HPYAPI_TCFAIL_0)(R)
#define HPYAPI_TCFAIL_0(R) HPYAPI_RK(CFAIL, R)(R)
#define HPYAPI_TCFAIL_1(R) return NULL
/* kind T's pieces (trampoline.h's families) */
#define HPYAPI_R_FIELD_T HPYAPI_R_FIELD_V
#define HPYAPI_R_FINIT_T HPYAPI_R_FINIT_V
#define HPYAPI_R_KIND_T HPYAPI_RES_TABLE
#define HPYAPI_R_OFF_T HPYAPI_R_OFF_V
#define HPYAPI_R_STORE_T HPYAPI_R_STORE_V
#define HPYAPI_R_TAIL_T HPYAPI_R_TAIL_V
#define HPYAPI_R_FAIL_T HPYAPI_R_FAIL_V
#define HPYAPI_R_RETURN_T HPYAPI_R_RETURN_V
#define HPYAPI_R_RCALL_T HPYAPI_R_RCALL_V
#define HPYAPI_R_RRET_T HPYAPI_R_RRET_V
/* in the exporter's file: its pools have C-API trampolines (slottypes.h) */
#define HPYAPI_R_RLENFN_T(NAME, ...)                                           \
    HPYAPI_NEEDS_EXPORTER(#NAME ": returns a table (HPyAPI_TABLE)")
#define HPYAPI_R_RLEN_T HPYAPI_R_RLEN_V
/* EntryDesc's result_sdesc, for every result kind */
#define HPYAPI_R_RSDESC_H(NAME) NULL
#define HPYAPI_R_RSDESC_V HPYAPI_R_RSDESC_H
#define HPYAPI_R_RSDESC_N HPYAPI_R_RSDESC_H
#define HPYAPI_R_RSDESC_P HPYAPI_R_RSDESC_H
#define HPYAPI_R_RSDESC_T(NAME)                                                \
    HPYAPI_EXPORTED(HPYAPI_CAT(HPYAPI_TAB_OF(NAME), _hpyapi_sdesc))
/* never taken: a table's route has no CPython-API fast path (routes.c) */
#define HPYAPI_R_CCALL_T(R, k, call) void *hpyapi_res = (void *)(call);
#define HPYAPI_R_CRRET_T(NAME, IDX)                                            \
    return (HPYAPI_TCRET_1(NAME, ~, ~))hpyapi_res
#define HPYAPI_R_CSLOW_T(call, NAME, IDX)                                      \
    return (HPYAPI_TCRET_1(NAME, ~, ~))(void *)(call)
/* the signature says it (decl.h's record): an exporter returning a table
 * and a consumer expecting the plain pointer (or the other way round)
 * differ, and the import refuses them, as HPyAPI_KEPT callbacks */
#define HPYAPI_TSIG(NAME) HPYAPI_TPICK(NAME)("HPyAPI_TABLE ", )
/* the check, with the others of the result (decl.h) */
#define HPYAPI_TCHECK(NAME, R)                                                 \
    HPYAPI_TPICK(NAME)(HPYAPI_TCHECK_1, HPYAPI_TCHECK_0)(NAME, R)
#define HPYAPI_TCHECK_0(NAME, R)
#ifdef __cplusplus
#define HPYAPI_TCHECK_1(NAME, R)                                               \
    HPYAPI_STATIC_ASSERT((std::is_same<R, HPYAPI_TAB_OF(NAME) *>::value),      \
                         HPYAPI_TCHECK_MSG(NAME, R));
#else
#define HPYAPI_TCHECK_1(NAME, R)                                               \
    HPYAPI_STATIC_ASSERT(_Generic((R)0, HPYAPI_TAB_OF(NAME) *: 1, default: 0), \
                         HPYAPI_TCHECK_MSG(NAME, R));
#endif
#define HPYAPI_TCHECK_MSG(NAME, R)                                             \
    #NAME ": returns " #R ", but HPyAPI_RETURNS_" #NAME " says a table "       \
    "HPyAPI_TABLE(" HPYAPI_STR(HPYAPI_TAB_OF(NAME)) "): its result type is "  \
    HPYAPI_STR(HPYAPI_TAB_OF(NAME)) " *"

#endif /* HPYAPI_STRUCTS_H */
