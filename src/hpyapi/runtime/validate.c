/* validate.c - is this capsule header one this consumer can use?  Pure C.
 *
 * Every message is one sentence a user can act on: what this build
 * expected, what the exporter provides, and what to change; the rules and
 * their words are src/hpyapi/rules.py's (through rules.h).  import.c
 * prefixes the message with the API and module names.
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
#include "rules.h"

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

/* The messages are the rules' (rules.h, generated from src/hpyapi/rules.py,
 * which `python -m hpyapi check` applies too); each check below fills the
 * facts its message names. */
#define FAIL(RULE) fail(msg, size, HPYAPI_RULE_##RULE(f))

/* Who the header says it is: magic, layout, table kind, API, versions. */
static int check_identity(const HPyAPI_Header *h, HPyAPI_RuleFacts *f,
                          uint32_t table_kind, char *msg, size_t size)
{
    char shown[SHOW];
    f->found_magic = h->magic;
    f->magic = HPYAPI_MAGIC;
    if (h->magic != HPYAPI_MAGIC)
        return FAIL(MAGIC);
    f->found_layout = h->layout_version;
    f->layout = HPYAPI_LAYOUT_VERSION;
    f->found_size = h->header_size;
    f->size = (unsigned)sizeof(HPyAPI_Header);
    if (h->layout_version != HPYAPI_LAYOUT_VERSION) {
        /* the hpyapi release of each layout: 1 was 0.1.x; a newer one
           names its own (hpyapi_version has been in the header since 2) */
        const char *theirs = h->layout_version < 2 ? "0.1"
                             : h->header_size >= sizeof(HPyAPI_Header) &&
                                       bounded(h->hpyapi_version)
                                   ? h->hpyapi_version
                                   : "(unknown)";
        f->found_release = _HPyAPI_Printable(theirs, shown, sizeof shown);
        f->release = HPYAPI_VERSION;
        return h->layout_version < HPYAPI_LAYOUT_VERSION ? FAIL(LAYOUT_OLDER)
                                                         : FAIL(LAYOUT_NEWER);
    }
    if (h->header_size < sizeof(HPyAPI_Header))
        return FAIL(HEADER_SIZE);
    f->found_table = table_label(h->table_kind);
    f->table = table_label(table_kind);
    if (h->table_kind != table_kind)
        return FAIL(TABLE_KIND);
    if (h->api_name == NULL || strcmp(h->api_name, f->api) != 0) {
        f->found = _HPyAPI_Printable(h->api_name, shown, sizeof shown);
        return FAIL(API_NAME);
    }
    f->found_major = h->api_major;
    f->found_minor = h->api_minor;
    if (h->api_major != f->major)
        return FAIL(MAJOR);
    if (h->api_minor < f->min_minor)
        return FAIL(MINOR);
    return 0;
}

/* n_entries against what the claimed minor can hold: minors only append,
 * so an exporter of a minor this consumer knows has exactly the entries
 * the declaration gives that minor; a newer one may have more, within a
 * sane bound. */
static int check_count(const HPyAPI_Header *h, const HPyAPI_Spec *spec,
                       HPyAPI_RuleFacts *f, char *msg, size_t size)
{
    f->n_entries = h->n_entries;
    f->needed = needed_entries(spec, f->min_minor);
    if (h->n_entries < f->needed)
        return FAIL(TOO_FEW);
    int newer = h->api_minor > spec->minor;
    f->most = newer ? HPYAPI_MAX_ENTRIES : needed_entries(spec, h->api_minor);
    f->at_most = newer ? "at most " : "";
    if (h->n_entries > f->most)
        return FAIL(TOO_MANY);
    return 0;
}

/* The pointers of the header and its control block: present, and the
 * table pointing back at this header. */
static int check_pointers(const HPyAPI_Header *h, HPyAPI_RuleFacts *f,
                          char *msg, size_t size)
{
    if (h->entries == NULL || h->table == NULL) {
        f->field = h->entries == NULL ? "entry list" : "table";
        return FAIL(NO_LIST);
    }
    if (*(const HPyAPI_Header *const *)h->table != h)
        return FAIL(BACK_POINTER);
    f->field = h->module_name == NULL ? "module_name"
               : h->token == NULL     ? "token"
               : h->control == NULL   ? "control"
                                      : NULL;
    if (f->field != NULL)
        return FAIL(FIELD_NULL);
    f->max_string = HPYAPI_MAX_STRING;
    if (!bounded(h->module_name))
        return FAIL(MODULE_NAME);
    const HPyAPI_Control *c = h->control;
    f->found_version = c->version;
    f->found_size = c->size;
    f->size = (unsigned)sizeof(HPyAPI_Control);
    if (c->version < 1 || c->size < sizeof(HPyAPI_Control))
        return FAIL(CONTROL);
    f->field = c->set_flags == NULL           ? "set_flags"
               : c->get_flags == NULL         ? "get_flags"
               : c->set_log == NULL           ? "set_log"
               : c->set_refusal == NULL       ? "set_refusal"
               : c->read_stats == NULL        ? "read_stats"
               : c->reset_stats == NULL       ? "reset_stats"
               : c->register_importer == NULL ? "register_importer"
               : h->table_kind == HPYAPI_TABLE_HPY && c->table_for == NULL
                   ? "table_for"
                   : NULL;
    if (f->field != NULL)
        return FAIL(CONTROL_NULL);
    return 0;
}

/* Entries both sides know must agree, and their slots must be filled;
 * HPyAPI_HAS tells a consumer whether a newer one is there. */
static int check_entries(const HPyAPI_Header *h, const HPyAPI_Spec *spec,
                         HPyAPI_RuleFacts *f, char *msg, size_t size)
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
        f->index = i;
        f->name = mine->name;
        if (theirs->name == NULL || strcmp(theirs->name, mine->name) != 0) {
            f->found = _HPyAPI_Printable(theirs->name, shown, sizeof shown);
            return FAIL(ENTRY_NAME);
        }
        if (!same_signature(theirs->signature, mine->signature)) {
            f->found = _HPyAPI_Printable(theirs->signature, shown,
                                         sizeof shown);
            f->signature = mine->signature;
            return FAIL(ENTRY_SIGNATURE);
        }
        /* data is read through its slot, never called: both sides must
           agree on what the slot holds (a data entry's signature is its
           type alone, so this only fails for a forged or corrupt header) */
        int data = mine->flags == HPYAPI_ENTRY_DATA;
        if (data != (theirs->flags == HPYAPI_ENTRY_DATA)) {
            f->found_what = data ? "callable" : "exported data";
            f->what = data ? "exported data" : "callable";
            return FAIL(ENTRY_DATA);
        }
        if (slots[i] == NULL)
            return FAIL(SLOT_NULL);
    }
    return 0;
}

HPYAPI_INTERNAL int _HPyAPI_CheckHeader(const HPyAPI_Header *h,
                                        const HPyAPI_Spec *spec,
                                        uint32_t min_minor, uint32_t table_kind,
                                        const char *module, char *msg,
                                        size_t size)
{
    HPyAPI_RuleFacts facts = {0}, *f = &facts;
    f->module = module;
    f->api = spec->api_name;
    f->consumer = "this extension";
    f->major = spec->major;
    f->minor = spec->minor;
    f->min_minor = min_minor;
    if (min_minor > spec->minor)
        return FAIL(MIN_MINOR);
    if (h == NULL)
        return FAIL(NULL_HEADER);
    if (check_identity(h, f, table_kind, msg, size) < 0 ||
        check_count(h, spec, f, msg, size) < 0 ||
        check_pointers(h, f, msg, size) < 0 ||
        check_entries(h, spec, f, msg, size) < 0)
        return -1;
    return 0;
}
