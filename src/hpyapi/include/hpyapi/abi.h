/* hpyapi/abi.h - what an exporter publishes in its capsule.
 *
 * This is the binary contract between an exporter and every consumer, built
 * at different times, with different HPy ABIs, maybe by different versions
 * of hpyapi.  It depends on nothing but <stdint.h> so that plain C-API
 * consumers can read it too.
 *
 * Evolution rules: HPyAPI_Header only grows at its end, and a reader checks
 * `layout_version` and `header_size` before touching a member added later.
 * HPYAPI_MAGIC never changes.
 */
#ifndef HPYAPI_ABI_H
#define HPYAPI_ABI_H

#include <stdint.h>

#define HPYAPI_MAGIC 0x49504148u /* "HAPI" read as little-endian bytes */
/* 2 (hpyapi 0.2): the header ends with `hpyapi_version` and the control
 * functions with `table_for`, through which a consumer gets the table for
 * the context its code calls with (see runtime/routes.c).  Layout 1 was
 * hpyapi 0.1.  A consumer refuses an exporter of another layout with an
 * ImportError naming both; an exporter's `table` (the one any caller may
 * use) still serves a consumer of layout 1. */
#define HPYAPI_LAYOUT_VERSION 2u
#define HPYAPI_VERSION "0.2.0" /* the hpyapi release of this layout */

/* HPyAPI_EntryInfo.flags */
#define HPYAPI_ENTRY_FUNC 0u
#define HPYAPI_ENTRY_OBJECT 1u  /* returns a new handle to an exported object */
#define HPYAPI_ENTRY_RETIRED 2u /* slot kept; calling it raises */
#define HPYAPI_ENTRY_DATA 3u    /* the slot is the address of exported data
                                   (a `const T *`, read directly) */

/* HPyAPI_Header.table_kind */
#define HPYAPI_TABLE_HPY 1u   /* entries take (HPyContext *, HPy ...) */
#define HPYAPI_TABLE_CPYTHON 2u /* entries take (PyObject * ...) */

/* HPyAPI_Header.hpy_abi: what the exporter was compiled for. */
#define HPYAPI_ABI_CPYTHON 1u
#define HPYAPI_ABI_UNIVERSAL 2u
#define HPYAPI_ABI_HYBRID 3u

/* HPyAPI_Header.exporter_mode: the context kind the exporter was loaded
 * with (the mode), see hpyapi/runtime.h for how it is classified. */
#define HPYAPI_KIND_UNKNOWN 0u
#define HPYAPI_KIND_CPYTHON 1u
#define HPYAPI_KIND_UNIVERSAL 2u
#define HPYAPI_KIND_DEBUG 3u
#define HPYAPI_KIND_TRACE 4u
#define HPYAPI_KIND_CAPI 5u /* a plain C-API caller: no context, PyObject* */

/* One per table slot, in slot order.  `signature` is derived from the
 * declaration by the preprocessor, e.g. "double(HPy,HPy_ssize_t)"; it is
 * compared after normalisation (see hpyapi/runtime/signature.c). */
typedef struct HPyAPI_EntryInfo {
    const char *name;
    const char *signature;
    uint32_t since_minor; /* API minor version that added the entry */
    uint32_t flags;       /* HPYAPI_ENTRY_* */
} HPyAPI_EntryInfo;

/* What a declaration (HPyAPI_DECLARE) knows at compile time. */
typedef struct HPyAPI_Spec {
    const char *api_name;
    uint32_t major;
    uint32_t minor;
    uint32_t n_entries;
    const HPyAPI_EntryInfo *entries;
    /* The declaration's ".hpyapi" record (decl.h), or NULL.  When given,
     * `entries` is a writable array whose signatures are NULL until the
     * runtime reads them from here (_HPyAPI_SpecSignatures): each
     * signature is spelled once per declaration, which is what a file
     * that only includes it pays the preprocessor for. */
    const char *record;
} HPyAPI_Spec;

/* ---- interception (see runtime/hooks.c) ------------------------------------
 * Hooks are set per entry; while an entry has any, its trampolines leave
 * their fast paths and every call goes through the hooks. */
#define HPYAPI_HOOK_COUNT 1u  /* count calls per (calling module, entry) */
#define HPYAPI_HOOK_TIME 2u   /* accumulate nanoseconds per entry */
#define HPYAPI_HOOK_LOG 4u    /* report each call to the log target */
#define HPYAPI_HOOK_REFUSE 8u /* raise the entry's refusal instead */

/* One (calling module, entry) pair that has counts. */
typedef struct HPyAPI_StatRecord {
    const char *caller;   /* file of the importing module that called, or "?" */
    uint32_t entry;
    uint32_t caller_kind; /* HPYAPI_KIND_* */
    uint64_t calls;       /* calls made */
    uint64_t refused;     /* calls refused by HPYAPI_HOOK_REFUSE */
    uint64_t ns;          /* time spent in made calls, with HPYAPI_HOOK_TIME */
} HPyAPI_StatRecord;

/* Functions an exporter provides to control its hooks; the GIL must be
 * held.  `token` is HPyAPI_Header.token; PyObject * is `struct _object`. */
struct _object;
typedef struct HPyAPI_Control {
    uint32_t version; /* 1 */
    uint32_t size;    /* sizeof(HPyAPI_Control) in the exporter */
    /* Turns the bits of `set` on and those of `clear` off for entry `index`
       (every live entry if index < 0).  Returns 0, -1 for a bad index or
       for setting hooks on a retired entry (they could never run). */
    int (*set_flags)(void *token, int32_t index, uint32_t set,
                     uint32_t clear);
    /* Reads entry `index`'s flags, or -1 for a bad index. */
    int (*get_flags)(void *token, int32_t index);
    /* The log target: a Python callable (called as f(api, entry,
       caller_kind, exporter_kind, caller_file); a reference is kept) or
       else a file descriptor (fd >= 0), of which the exporter keeps its
       own duplicate; NULL and -1 stop logging.  -1 if dup() fails. */
    int (*set_log)(void *token, struct _object *callable, int fd);
    /* What a refused call to entry `index` raises: an exception class (a
       reference is kept; NULL: RuntimeError) and a message.  -1 for
       anything else, or a retired entry. */
    int (*set_refusal)(void *token, int32_t index, struct _object *exc_type,
                       const char *message);
    /* Copies up to `max` records into `out`; returns how many there are. */
    int32_t (*read_stats)(void *token, HPyAPI_StatRecord *out, int32_t max);
    void (*reset_stats)(void *token);
    /* HPyAPI_Import tells the exporter which shared object imported it
       (its load address and file) and the kind of context it calls with,
       so that hooks can tell callers apart. */
    void (*register_importer)(void *token, const void *base,
                              const char *file, uint32_t kind);
    /* Layout 2: the table a consumer calls through, chosen once, at its
       import, for the context instance its code will call with
       (`call_ctx`, an HPyContext * of any ABI); `valid_ctx` is a context
       of the same family valid right now (the consumer's HPy_mod_exec
       one), with which the exporter learns how that family's handles
       encode.  NULL only if the header is not the HPy table's. */
    const void *(*table_for)(void *token, void *valid_ctx, void *call_ctx);
} HPyAPI_Control;

typedef struct HPyAPI_Header {
    uint32_t magic;          /* HPYAPI_MAGIC */
    uint32_t layout_version; /* HPYAPI_LAYOUT_VERSION of the exporter */
    uint32_t header_size;    /* sizeof(HPyAPI_Header) in the exporter */
    uint32_t table_kind;     /* HPYAPI_TABLE_* */
    const char *api_name;
    uint32_t api_major;
    uint32_t api_minor;
    uint32_t n_entries;
    uint32_t hpy_abi;        /* HPYAPI_ABI_* */
    uint32_t hpy_abi_version;       /* HPY_ABI_VERSION of the exporter build */
    uint32_t hpy_abi_version_minor; /* HPY_ABI_VERSION_MINOR likewise */
    uint32_t exporter_mode;  /* HPYAPI_KIND_* */
    uint32_t reserved;
    const HPyAPI_EntryInfo *entries; /* n_entries of them */
    const char *module_name;         /* the exporting module's __name__ */
    const void *table;               /* the table the consumer calls through */
    void *token;                     /* exporter-private runtime state */
    const HPyAPI_Control *control;   /* hooks on this API */
    const char *hpyapi_version;      /* layout 2: HPYAPI_VERSION */
} HPyAPI_Header;

#endif /* HPYAPI_ABI_H */
