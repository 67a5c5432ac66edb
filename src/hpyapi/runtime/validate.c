/* validate.c - is this capsule header one this consumer can use?  Pure C.
 *
 * Every message is one sentence a user can act on: what this build
 * expected, what the exporter provides, and what to change.  import.c
 * prefixes it with the API and module names.
 *
 * The header may be forged or corrupt (see docs/threat-model.md): every
 * pointer is checked before it is followed, every count against what the
 * consumer's declaration allows before anything is walked, and every
 * string read from the capsule is bounded (HPYAPI_MAX_STRING) and shown
 * in messages as printable ASCII, so that a hostile byte can neither run
 * a read off the end of a buffer nor turn the ImportError into a
 * UnicodeDecodeError.  What cannot be checked is whether memory is
 * mapped: a capsule is trusted to point at readable memory, as HPy trusts
 * a handle.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

#define SIG_MAX HPYAPI_MAX_STRING
#define SHOW 160 /* bytes of a found string shown in a message */

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

HPYAPI_INTERNAL const char *_HPyAPI_Printable(const char *s, char *out,
                                              size_t outsize)
{
    static const char hex[] = "0123456789abcdef";
    if (outsize < 8) /* room for "(NULL)" or "\xNN..." */
        return outsize ? (out[0] = '\0', out) : out;
    if (s == NULL) {
        strcpy(out, "(NULL)");
        return out;
    }
    size_t o = 0;
    for (size_t i = 0; s[i] != '\0'; i++) {
        unsigned char c = (unsigned char)s[i];
        size_t need = c >= 0x20 && c < 0x7f && c != '\\' ? 1 : 4;
        if (i >= HPYAPI_MAX_STRING || o + need + 4 > outsize) {
            strcpy(out + o, "...");
            return out;
        }
        if (need == 1) {
            out[o++] = (char)c;
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = '\0';
    return out;
}

/* A string from the capsule that is short enough to be read whole. */
static int bounded(const char *s)
{
    return s != NULL && strnlen(s, HPYAPI_MAX_STRING) < HPYAPI_MAX_STRING;
}

static int same_signature(const char *a, const char *b)
{
    char na[SIG_MAX], nb[SIG_MAX];
    if (a == NULL || b == NULL)
        return 0;
    /* the usual case: both built from one header; strcmp stops at the end
       of our own (bounded) string, so theirs needs no length check */
    if (strcmp(a, b) == 0)
        return 1;
    if (!bounded(a))
        return 0;
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

/* Who the header says it is: magic, layout, table kind, API, versions. */
static int check_identity(const HPyAPI_Header *h, const HPyAPI_Spec *spec,
                          uint32_t min_minor, uint32_t table_kind,
                          const char *module, char *msg, size_t size)
{
    char shown[SHOW];
    if (h->magic != HPYAPI_MAGIC)
        return fail(msg, size, "the capsule's header starts with 0x%08x, not "
                    "hpyapi's magic 0x%08x: it was not made by HPyAPI_Export "
                    "or its memory is corrupted", (unsigned)h->magic,
                    (unsigned)HPYAPI_MAGIC);
    if (h->layout_version != HPYAPI_LAYOUT_VERSION) {
        /* the hpyapi release of each layout: 1 was 0.1.x; a newer one
           names its own (hpyapi_version has been in the header since 2) */
        const char *theirs = h->layout_version < 2 ? "0.1"
                             : h->header_size >= sizeof(HPyAPI_Header) &&
                                       bounded(h->hpyapi_version)
                                   ? h->hpyapi_version
                                   : "(unknown)";
        int older = h->layout_version < HPYAPI_LAYOUT_VERSION;
        return fail(msg, size, "'%s' was built with hpyapi %s (capsule "
                    "layout %u) and this extension with hpyapi %s (layout "
                    "%u), which cannot call each other's tables; %s",
                    module, _HPyAPI_Printable(theirs, shown, sizeof shown),
                    (unsigned)h->layout_version, HPYAPI_VERSION,
                    (unsigned)HPYAPI_LAYOUT_VERSION,
                    older ? "rebuild the exporter with this hpyapi (or newer)"
                          : "rebuild this extension with the exporter's "
                            "hpyapi");
    }
    if (h->header_size < sizeof(HPyAPI_Header))
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
                    _HPyAPI_Printable(h->api_name, shown, sizeof shown),
                    spec->api_name);
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
    return 0;
}

/* n_entries against what the claimed minor can hold: minors only append,
 * so an exporter of a minor this consumer knows has exactly the entries
 * the declaration gives that minor; a newer one may have more, within a
 * sane bound. */
static int check_count(const HPyAPI_Header *h, const HPyAPI_Spec *spec,
                       uint32_t min_minor, const char *module, char *msg,
                       size_t size)
{
    uint32_t needed = needed_entries(spec, min_minor);
    if (h->n_entries < needed)
        return fail(msg, size, "'%s' exports %u entries but this extension "
                    "needs the first %u (those of %s %u.%u); '%s' claims "
                    "version %u.%u yet lacks some, so it was built from a "
                    "modified declaration", module, (unsigned)h->n_entries,
                    (unsigned)needed, spec->api_name, (unsigned)spec->major,
                    (unsigned)min_minor, module, (unsigned)h->api_major,
                    (unsigned)h->api_minor);
    uint32_t most = h->api_minor > spec->minor
                        ? HPYAPI_MAX_ENTRIES
                        : needed_entries(spec, h->api_minor);
    if (h->n_entries > most)
        return fail(msg, size, "the capsule's header field n_entries is %u, "
                    "but %s %u.%u has %s%u entries; the header is corrupted "
                    "or forged (a real '%s' never claims more entries than "
                    "its version holds): reinstall '%s'",
                    (unsigned)h->n_entries, spec->api_name,
                    (unsigned)h->api_major, (unsigned)h->api_minor,
                    h->api_minor > spec->minor ? "at most " : "",
                    (unsigned)most, module, module);
    return 0;
}

/* The pointers of the header and its control block: present, and the
 * table pointing back at this header. */
static int check_pointers(const HPyAPI_Header *h, const char *module,
                          char *msg, size_t size)
{
    if (h->entries == NULL || h->table == NULL)
        return fail(msg, size, "the capsule's header has no %s",
                    h->entries == NULL ? "entry list" : "table");
    if (*(const HPyAPI_Header *const *)h->table != h)
        return fail(msg, size, "the capsule's table does not point back to "
                    "its header; the capsule memory is corrupted");
    const char *field = h->module_name == NULL ? "module_name"
                        : h->token == NULL       ? "token"
                        : h->control == NULL     ? "control"
                                                 : NULL;
    if (field != NULL)
        return fail(msg, size, "the capsule's header field %s is NULL; "
                    "HPyAPI_Export always sets it, so the capsule is corrupted "
                    "or forged: reinstall '%s'", field, module);
    if (!bounded(h->module_name))
        return fail(msg, size, "the capsule's header field module_name is "
                    "not a string of fewer than %u bytes; the capsule is "
                    "corrupted or forged: reinstall '%s'",
                    (unsigned)HPYAPI_MAX_STRING, module);
    const HPyAPI_Control *c = h->control;
    if (c->version < 1 || c->size < sizeof(HPyAPI_Control))
        return fail(msg, size, "the capsule's control block has version %u "
                    "and size %u; this build of hpyapi reads version 1, size "
                    ">= %u; the capsule is corrupted or forged: reinstall '%s'",
                    (unsigned)c->version, (unsigned)c->size,
                    (unsigned)sizeof(HPyAPI_Control), module);
    field = c->set_flags == NULL           ? "set_flags"
            : c->get_flags == NULL         ? "get_flags"
            : c->set_log == NULL           ? "set_log"
            : c->set_refusal == NULL       ? "set_refusal"
            : c->read_stats == NULL        ? "read_stats"
            : c->reset_stats == NULL       ? "reset_stats"
            : c->register_importer == NULL ? "register_importer"
            : h->table_kind == HPYAPI_TABLE_HPY && c->table_for == NULL
                ? "table_for"
                : NULL;
    if (field != NULL)
        return fail(msg, size, "the capsule's control function %s is NULL; "
                    "HPyAPI_Export always sets it, so the capsule is corrupted "
                    "or forged: reinstall '%s'", field, module);
    return 0;
}

/* Entries both sides know must agree, and their slots must be filled;
 * HPyAPI_HAS tells a consumer whether a newer one is there. */
static int check_entries(const HPyAPI_Header *h, const HPyAPI_Spec *spec,
                         const char *module, char *msg, size_t size)
{
    char shown[SHOW];
    /* slot i is table member i + 1, a function pointer stored as such;
       hpyapi/common.h asserts it has the size of a data pointer */
    const void *const *slots = (const void *const *)h->table + 1;
    uint32_t common = h->n_entries < spec->n_entries ? h->n_entries
                                                     : spec->n_entries;
    for (uint32_t i = 0; i < common; i++) {
        const HPyAPI_EntryInfo *mine = &spec->entries[i];
        const HPyAPI_EntryInfo *theirs = &h->entries[i];
        if (theirs->name == NULL || strcmp(theirs->name, mine->name) != 0)
            return fail(msg, size, "entry %u is '%s' in '%s' but '%s' in this "
                        "extension's declaration; entries must keep their "
                        "index, so one of the two declarations was edited "
                        "out of order", (unsigned)i,
                        _HPyAPI_Printable(theirs->name, shown, sizeof shown),
                        module, mine->name);
        if (!same_signature(theirs->signature, mine->signature))
            return fail(msg, size, "entry %u '%s' has signature %s in '%s' "
                        "but %s in this extension's declaration; a changed "
                        "signature needs a new entry (or a major version)",
                        (unsigned)i, mine->name,
                        _HPyAPI_Printable(theirs->signature, shown,
                                          sizeof shown),
                        module, mine->signature);
        /* data is read through its slot, never called: both sides must
           agree on what the slot holds (a data entry's signature is its
           type alone, so this only fails for a forged or corrupt header) */
        if ((mine->flags == HPYAPI_ENTRY_DATA) !=
            (theirs->flags == HPYAPI_ENTRY_DATA))
            return fail(msg, size, "entry %u '%s' is %s in '%s' but %s in "
                        "this extension's declaration; the slot cannot be "
                        "read both ways", (unsigned)i, mine->name,
                        theirs->flags == HPYAPI_ENTRY_DATA ? "exported data"
                                                           : "callable",
                        module, mine->flags == HPYAPI_ENTRY_DATA
                                    ? "exported data"
                                    : "callable");
        if (slots[i] == NULL)
            return fail(msg, size, "table slot %u ('%s') is NULL; "
                        "HPyAPI_Export fills every slot, so the capsule is "
                        "corrupted or forged: reinstall '%s'", (unsigned)i,
                        mine->name, module);
    }
    return 0;
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
    if (check_identity(h, spec, min_minor, table_kind, module, msg, size) < 0 ||
        check_count(h, spec, min_minor, module, msg, size) < 0 ||
        check_pointers(h, module, msg, size) < 0 ||
        check_entries(h, spec, module, msg, size) < 0)
        return -1;
    return 0;
}
