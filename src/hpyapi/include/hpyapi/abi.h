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
#define HPYAPI_LAYOUT_VERSION 1u

/* HPyAPI_EntryInfo.flags */
#define HPYAPI_ENTRY_FUNC 0u
#define HPYAPI_ENTRY_OBJECT 1u  /* returns a new handle to an exported object */
#define HPYAPI_ENTRY_RETIRED 2u /* slot kept; calling it raises */

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
} HPyAPI_Spec;

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
} HPyAPI_Header;

#endif /* HPYAPI_ABI_H */
