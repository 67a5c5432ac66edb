/* validate.c - is this capsule header one this consumer can use?  Pure C.
 *
 * Every message is one sentence a user can act on: what this build
 * expected, what the exporter provides, and what to change.  import.c
 * prefixes it with the API and module names.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

#define SIG_MAX 512

static int fail(char *msg, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *msg, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
    return -1;
}

static int same_signature(const char *a, const char *b)
{
    char na[SIG_MAX], nb[SIG_MAX];
    if (a == NULL || b == NULL)
        return 0;
    if (strcmp(a, b) == 0) /* the usual case: both built from one header */
        return 1;
    if (_HPyAPI_NormalizeSignature(a, na, sizeof na) < 0 ||
        _HPyAPI_NormalizeSignature(b, nb, sizeof nb) < 0)
        return strcmp(a, b) == 0; /* unparsable: only identical text */
    return strcmp(na, nb) == 0;
}

static const char *table_label(uint32_t kind)
{
    return kind == HPYAPI_TABLE_HPY       ? "HPy"
           : kind == HPYAPI_TABLE_CPYTHON ? "CPython C-API"
                                          : "unknown";
}

/* The entries a consumer that needs `min_minor` cannot do without: those
 * up to the last one added in min_minor or before. */
static uint32_t needed_entries(const HPyAPI_Spec *spec, uint32_t min_minor)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < spec->n_entries; i++)
        if (spec->entries[i].since_minor <= min_minor)
            n = i + 1;
    return n;
}

HPYAPI_INTERNAL int _HPyAPI_CheckHeader(const HPyAPI_Header *h,
                                        const HPyAPI_Spec *spec,
                                        uint32_t min_minor, uint32_t table_kind,
                                        const char *module, char *msg,
                                        size_t size)
{
    if (min_minor > spec->minor)
        return fail(msg, size, "this extension asks for %s %u.%u at least, "
                    "but was built against %s %u.%u, whose header does not "
                    "know that version; lower the minimum minor it passes "
                    "to HPyAPI_ImportMinor", spec->api_name,
                    (unsigned)spec->major, (unsigned)min_minor,
                    spec->api_name, (unsigned)spec->major,
                    (unsigned)spec->minor);
    if (h == NULL)
        return fail(msg, size, "the capsule holds a NULL pointer; the module "
                    "must publish its table with HPyAPI_Export");
    if (h->magic != HPYAPI_MAGIC)
        return fail(msg, size, "the capsule's header starts with 0x%08x, not "
                    "hpyapi's magic 0x%08x: it was not made by HPyAPI_Export "
                    "or its memory is corrupted", (unsigned)h->magic,
                    (unsigned)HPYAPI_MAGIC);
    if (h->layout_version < 1 || h->header_size < sizeof(HPyAPI_Header))
        return fail(msg, size, "the capsule's header has layout version %u "
                    "and size %u; this build of hpyapi reads layout %u, size "
                    ">= %u; rebuild '%s' with a current hpyapi",
                    (unsigned)h->layout_version, (unsigned)h->header_size,
                    (unsigned)HPYAPI_LAYOUT_VERSION,
                    (unsigned)sizeof(HPyAPI_Header), module);
    if (h->table_kind != table_kind)
        return fail(msg, size, "the capsule holds the %s table, this "
                    "extension expects the %s table",
                    table_label(h->table_kind), table_label(table_kind));
    if (h->api_name == NULL || strcmp(h->api_name, spec->api_name) != 0)
        return fail(msg, size, "the capsule is for the API '%s', not '%s'",
                    h->api_name ? h->api_name : "(NULL)", spec->api_name);
    if (h->api_major != spec->major)
        return fail(msg, size, "'%s' exports %s %u.%u but this extension was "
                    "built against %s %u.%u, and major versions must match; "
                    "rebuild this extension against the %s %u.x headers, or "
                    "install a '%s' that exports %s %u.x",
                    module, spec->api_name, (unsigned)h->api_major,
                    (unsigned)h->api_minor, spec->api_name,
                    (unsigned)spec->major, (unsigned)spec->minor,
                    spec->api_name, (unsigned)h->api_major, module,
                    spec->api_name, (unsigned)spec->major);
    if (h->api_minor < min_minor)
        return fail(msg, size, "'%s' exports %s %u.%u but this extension "
                    "needs %s %u.%u or newer: '%s' is too old; upgrade it "
                    "(or, if this extension can do without the entries added "
                    "since %u.%u, import with HPyAPI_ImportMinor and that "
                    "minor)", module, spec->api_name, (unsigned)h->api_major,
                    (unsigned)h->api_minor, spec->api_name,
                    (unsigned)spec->major, (unsigned)min_minor, module,
                    (unsigned)h->api_major, (unsigned)h->api_minor);
    uint32_t needed = needed_entries(spec, min_minor);
    if (h->n_entries < needed)
        return fail(msg, size, "'%s' exports %u entries but this extension "
                    "needs the first %u (those of %s %u.%u); '%s' claims "
                    "version %u.%u yet lacks some, so it was built from a "
                    "modified declaration", module, (unsigned)h->n_entries,
                    (unsigned)needed, spec->api_name, (unsigned)spec->major,
                    (unsigned)min_minor, module, (unsigned)h->api_major,
                    (unsigned)h->api_minor);
    if (h->entries == NULL || h->table == NULL)
        return fail(msg, size, "the capsule's header has no %s",
                    h->entries == NULL ? "entry list" : "table");
    if (*(const HPyAPI_Header *const *)h->table != h)
        return fail(msg, size, "the capsule's table does not point back to "
                    "its header; the capsule memory is corrupted");
    /* entries both sides know must agree; HPyAPI_HAS tells a consumer
       whether a newer one is there */
    uint32_t common = h->n_entries < spec->n_entries ? h->n_entries
                                                     : spec->n_entries;
    for (uint32_t i = 0; i < common; i++) {
        const HPyAPI_EntryInfo *mine = &spec->entries[i];
        const HPyAPI_EntryInfo *theirs = &h->entries[i];
        if (theirs->name == NULL || strcmp(theirs->name, mine->name) != 0)
            return fail(msg, size, "entry %u is '%s' in '%s' but '%s' in this "
                        "extension's declaration; entries must keep their "
                        "index, so one of the two declarations was edited "
                        "out of order",
                        (unsigned)i, theirs->name ? theirs->name : "(NULL)",
                        module, mine->name);
        if (!same_signature(theirs->signature, mine->signature))
            return fail(msg, size, "entry %u '%s' has signature %s in '%s' "
                        "but %s in this extension's declaration; a changed "
                        "signature needs a new entry (or a major version)",
                        (unsigned)i, mine->name,
                        theirs->signature ? theirs->signature : "(NULL)",
                        module, mine->signature);
    }
    return 0;
}
