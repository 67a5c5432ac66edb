/* fuzz_capsule.c - fuzz the checks a consumer runs on an exporter's whole
 * capsule (_HPyAPI_CheckHeader: header, control block, token, table slots,
 * entry list, strings), the message quoting and the signature normaliser.
 *
 * Structure-aware: the input is read as a recipe for a capsule, not as its
 * bytes.  Numeric fields come verbatim (so counts can be anything up to
 * 0xffffffff), strings are arbitrary bytes (non-UTF-8 included, or longer
 * than any bound, or unterminated within it), and flag bits make any
 * pointer NULL: the token, the control block, any of its functions, any
 * table slot, any string.  Every object the harness builds is a heap
 * block of exactly its size, so a check that reads one byte too far -- an
 * entry past n_entries, a slot past the table, a byte past a string's NUL
 * -- is an ASan report.  Pointers themselves are always to such blocks: a
 * capsule is trusted to point at readable memory (docs/threat-model.md).
 *
 * Properties checked beyond "no crash, no sanitizer report":
 *   - a rejection comes with a non-empty, NUL-terminated, printable-ASCII
 *     message (so that it becomes an ImportError, not a
 *     UnicodeDecodeError);
 *   - an acceptance implies every invariant the consumer and its calls
 *     rely on (see accepted_ok);
 *   - normalising a signature is idempotent.
 *
 * Build with libFuzzer (clang -fsanitize=fuzzer,address,undefined) or, with
 * -DHPYAPI_FUZZ_STANDALONE, as a seeded random-mutation loop:
 *     fuzz_capsule ITERATIONS [SEED]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_ENTRIES 24 /* entries actually built; n_entries may say more */
#define MAX_STR 700     /* > HPYAPI_MAX_STRING: overlong strings happen */

/* Recipe flag bits (the first u32 of an input) */
#define F_MAGIC 1u          /* magic from the input */
#define F_SIZE 2u           /* header_size from the input */
#define F_RAW_COUNT 4u      /* n_entries verbatim, not modulo */
#define F_NO_API 8u         /* api_name NULL */
#define F_NO_MODULE 16u     /* module_name NULL */
#define F_NO_ENTRIES 32u    /* entries NULL */
#define F_NO_TABLE 64u      /* table NULL */
#define F_BAD_BACK 128u     /* table[0] not the header */
#define F_NO_TOKEN 256u     /* token NULL */
#define F_NO_CONTROL 512u   /* control NULL */
#define F_NULL_FN 1024u     /* one control function NULL (which: input) */
#define F_NULL_SLOT 2048u   /* one slot NULL (which: input) */
#define F_NULL_NAME 4096u   /* one entry name NULL */
#define F_NULL_SIG 8192u    /* one signature NULL */
#define F_CTL_RAW 16384u    /* control version and size from the input */

/* The consumer side: what a build of this declaration expects. */
static const HPyAPI_EntryInfo consumer_entries[] = {
    {"Thing", "HPy(void)", 0, HPYAPI_ENTRY_OBJECT},
    {"Add", "HPy(HPy,HPy)", 0, HPYAPI_ENTRY_FUNC},
    {"Sum", "double(const HPy *,HPy_ssize_t)", 0, HPYAPI_ENTRY_FUNC},
    {"Name", "const char *(void)", 1, HPYAPI_ENTRY_FUNC},
    {"Old", "int(HPy)", 1, HPYAPI_ENTRY_RETIRED},
    {"Count", "int", 1, HPYAPI_ENTRY_DATA},
    {"Pick", "HPy(unsigned char n,const HPy * p[n])", 1, HPYAPI_ENTRY_FUNC},
};
#define N_CONSUMER 7
static const HPyAPI_Spec consumer_spec = {"fuzzapi", 2, 1, N_CONSUMER,
                                          consumer_entries, NULL};

typedef struct {
    const uint8_t *p;
    size_t left;
} reader;

static uint32_t take_u32(reader *r)
{
    uint32_t v = 0;
    size_t n = r->left < 4 ? r->left : 4;
    memcpy(&v, r->p, n);
    r->p += n;
    r->left -= n;
    return v;
}

/* Everything one input allocates, freed after the check. */
typedef struct {
    void *blocks[4 * MAX_ENTRIES + 16];
    int n;
} arena;

static void *keep(arena *a, void *p)
{
    if (p == NULL || a->n == (int)(sizeof a->blocks / sizeof a->blocks[0])) {
        free(p);
        fprintf(stderr, "fuzz harness out of blocks\n");
        abort();
    }
    a->blocks[a->n++] = p;
    return p;
}

/* A string of the input's bytes up to a NUL (at most MAX_STR), in a block
 * of exactly its size.  A 0xff length byte makes an overlong string. */
static const char *take_str(reader *r, arena *a)
{
    size_t n = 0;
    if (r->left && r->p[0] == 0xff) { /* overlong: repeat the next byte */
        uint8_t fill = r->left > 1 && r->p[1] ? r->p[1] : 'x';
        size_t len = HPYAPI_MAX_STRING - 2 + (r->left > 2 ? r->p[2] % 8 : 0);
        char *s = (char *)keep(a, malloc(len + 1));
        memset(s, fill, len);
        s[len] = '\0';
        size_t used = r->left < 3 ? r->left : 3;
        r->p += used;
        r->left -= used;
        return s;
    }
    while (n < r->left && r->p[n] != 0 && n < MAX_STR)
        n++;
    char *s = (char *)keep(a, malloc(n + 1));
    memcpy(s, r->p, n);
    s[n] = '\0';
    size_t consumed = n < r->left ? n + 1 : n;
    r->p += consumed;
    r->left -= consumed;
    return s;
}

/* Control functions that must never be called by the checks. */
static int never_set_flags(void *t, int32_t i, uint32_t s, uint32_t c)
{
    (void)t, (void)i, (void)s, (void)c;
    abort();
}
static int never_get_flags(void *t, int32_t i) { (void)t, (void)i; abort(); }
static int never_set_log(void *t, struct _object *o, int fd)
{
    (void)t, (void)o, (void)fd;
    abort();
}
static int never_set_refusal(void *t, int32_t i, struct _object *o,
                             const char *m)
{
    (void)t, (void)i, (void)o, (void)m;
    abort();
}
static int32_t never_read_stats(void *t, HPyAPI_StatRecord *o, int32_t m)
{
    (void)t, (void)o, (void)m;
    abort();
}
static void never_reset_stats(void *t) { (void)t; abort(); }
static void never_register(void *t, const void *b, const char *f, uint32_t k)
{
    (void)t, (void)b, (void)f, (void)k;
    abort();
}
static const void *never_table_for(void *t, void *v, void *c)
{
    (void)t, (void)v, (void)c;
    abort();
}
static void any_slot(void) { abort(); }

static long accepted; /* how often the accept path ran */

static void check_message(int res, const char *msg, size_t size)
{
    if (res == 0)
        return;
    const char *end = memchr(msg, '\0', size);
    int printable = end != NULL;
    for (const char *c = msg; printable && c < end; c++)
        printable = *c >= 0x20 && *c < 0x7f;
    if (res != -1 || msg[0] == '\0' || !printable) {
        fprintf(stderr, "bad rejection: res=%d msg=%.100s\n", res, msg);
        abort();
    }
}

static void check_signature(const char *s)
{
    char a[HPYAPI_MAX_STRING], b[HPYAPI_MAX_STRING];
    if (s == NULL || strnlen(s, HPYAPI_MAX_STRING) >= HPYAPI_MAX_STRING ||
        _HPyAPI_NormalizeSignature(s, a, sizeof a) < 0)
        return;
    if (_HPyAPI_NormalizeSignature(a, b, sizeof b) < 0 || strcmp(a, b) != 0) {
        fprintf(stderr, "normalising is not idempotent: '%s' -> '%s' -> '%s'\n",
                s, a, b);
        abort();
    }
}

/* Printable() must give printable ASCII within its buffer, whatever the
 * input and buffer size. */
static void check_printable(const char *s, uint32_t size_byte)
{
    char out[200];
    size_t size = size_byte % sizeof out;
    memset(out, 0x7f, sizeof out);
    _HPyAPI_Printable(s, out, size);
    if (size == 0)
        return;
    const char *end = memchr(out, '\0', size);
    for (const char *c = out; end != NULL && c < end; c++)
        if (*c < 0x20 || *c >= 0x7f)
            end = NULL;
    if (end == NULL) {
        fprintf(stderr, "_HPyAPI_Printable wrote past %zu or a raw byte\n",
                size);
        abort();
    }
}

static int same_sig(const char *a, const char *b)
{
    char na[HPYAPI_MAX_STRING], nb[HPYAPI_MAX_STRING];
    if (_HPyAPI_NormalizeSignature(a, na, sizeof na) < 0 ||
        _HPyAPI_NormalizeSignature(b, nb, sizeof nb) < 0)
        return strcmp(a, b) == 0;
    return strcmp(na, nb) == 0;
}

/* Everything an accepted capsule guarantees to HPyAPI_Import's caller. */
static int accepted_ok(const HPyAPI_Header *h, uint32_t min_minor)
{
    const HPyAPI_Spec *s = &consumer_spec;
    uint32_t needed = 0, at_minor = 0;
    for (uint32_t i = 0; i < s->n_entries; i++) {
        if (s->entries[i].since_minor <= min_minor)
            needed = i + 1;
        if (s->entries[i].since_minor <= h->api_minor)
            at_minor = i + 1;
    }
    if (h->magic != HPYAPI_MAGIC || h->api_major != s->major ||
        h->layout_version != HPYAPI_LAYOUT_VERSION ||
        h->api_minor < min_minor || h->header_size < sizeof *h ||
        h->table == NULL || h->entries == NULL || h->token == NULL ||
        h->control == NULL || h->module_name == NULL ||
        *(const HPyAPI_Header *const *)h->table != h || h->api_name == NULL ||
        strcmp(h->api_name, s->api_name) != 0 || h->n_entries < needed ||
        h->n_entries > (h->api_minor > s->minor ? HPYAPI_MAX_ENTRIES
                                                : at_minor))
        return 0;
    const HPyAPI_Control *c = h->control;
    if (c->version < 1 || c->size < sizeof *c || !c->set_flags ||
        !c->get_flags || !c->set_log || !c->set_refusal || !c->read_stats ||
        !c->reset_stats || !c->register_importer ||
        (h->table_kind == HPYAPI_TABLE_HPY && !c->table_for))
        return 0;
    uint32_t common = h->n_entries < s->n_entries ? h->n_entries
                                                  : s->n_entries;
    for (uint32_t i = 0; i < common; i++)
        if (((const void *const *)h->table)[i + 1] == NULL ||
            h->entries[i].name == NULL ||
            strcmp(h->entries[i].name, s->entries[i].name) != 0 ||
            h->entries[i].signature == NULL ||
            !same_sig(h->entries[i].signature, s->entries[i].signature) ||
            (h->entries[i].flags == HPYAPI_ENTRY_DATA) !=
                (s->entries[i].flags == HPYAPI_ENTRY_DATA))
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size};
    arena a = {{0}, 0};
    HPyAPI_Header *h = (HPyAPI_Header *)keep(&a, calloc(1, sizeof *h));
    HPyAPI_Control *c = (HPyAPI_Control *)keep(&a, calloc(1, sizeof *c));
    uint32_t flags = take_u32(&r);
    h->magic = (flags & F_MAGIC) ? take_u32(&r) : HPYAPI_MAGIC;
    h->layout_version = take_u32(&r) % 4;
    h->header_size = (flags & F_SIZE) ? take_u32(&r) : (uint32_t)sizeof *h;
    h->table_kind = take_u32(&r) % 4;
    h->api_major = take_u32(&r) % 4;
    h->api_minor = take_u32(&r) % 4;
    h->n_entries = (flags & F_RAW_COUNT) ? take_u32(&r)
                                         : take_u32(&r) % (MAX_ENTRIES + 1);
    h->hpy_abi = take_u32(&r);
    h->exporter_mode = take_u32(&r);
    uint32_t min_minor = take_u32(&r) % 4;
    uint32_t which = take_u32(&r); /* the NULL function / slot / string */
    c->version = (flags & F_CTL_RAW) ? take_u32(&r) : 1;
    c->size = (flags & F_CTL_RAW) ? take_u32(&r) : (uint32_t)sizeof *c;
    c->set_flags = never_set_flags;
    c->get_flags = never_get_flags;
    c->set_log = never_set_log;
    c->set_refusal = never_set_refusal;
    c->read_stats = never_read_stats;
    c->reset_stats = never_reset_stats;
    c->register_importer = never_register;
    c->table_for = never_table_for;
    if (flags & F_NULL_FN) {
        void **fns = (void **)((char *)c + offsetof(HPyAPI_Control, set_flags));
        fns[which % 8] = NULL;
    }
    h->api_name = (flags & F_NO_API) ? NULL : take_str(&r, &a);
    h->module_name = (flags & F_NO_MODULE) ? NULL : take_str(&r, &a);
    /* entries and table as long as the count says, up to MAX_ENTRIES:
       a check that walks further reads past the block */
    uint32_t built = h->n_entries < MAX_ENTRIES ? h->n_entries : MAX_ENTRIES;
    HPyAPI_EntryInfo *entries = (HPyAPI_EntryInfo *)keep(
        &a, malloc((built ? built : 1) * sizeof *entries));
    const void **table =
        (const void **)keep(&a, malloc((built + 1) * sizeof(void *)));
    for (uint32_t i = 0; i < built; i++) {
        entries[i].name = (flags & F_NULL_NAME) && i == which % (built + 1)
                              ? NULL
                              : take_str(&r, &a);
        entries[i].signature = (flags & F_NULL_SIG) && i == which % (built + 1)
                                   ? NULL
                                   : take_str(&r, &a);
        entries[i].since_minor = take_u32(&r) % 4;
        entries[i].flags = take_u32(&r) % 5; /* 4: unknown */
        table[i + 1] = (flags & F_NULL_SLOT) && i == (which >> 8) % (built + 1)
                           ? NULL
                           : (const void *)(uintptr_t)any_slot;
        check_signature(entries[i].signature);
        check_printable(entries[i].name, which + i);
    }
    check_printable(h->api_name, which >> 16);
    table[0] = (flags & F_BAD_BACK) ? (const void *)entries : (const void *)h;
    h->entries = (flags & F_NO_ENTRIES) ? NULL : entries;
    h->table = (flags & F_NO_TABLE) ? NULL : table;
    h->token = (flags & F_NO_TOKEN) ? NULL : (void *)&a;
    h->control = (flags & F_NO_CONTROL) ? NULL : c;

    char msg[1024];
    memset(msg, 'x', sizeof msg);
    int res = _HPyAPI_CheckHeader(h, &consumer_spec, min_minor,
                                  HPYAPI_TABLE_HPY, "fuzzmod", msg, sizeof msg);
    check_message(res, msg, sizeof msg);
    if (res == 0 && !accepted_ok(h, min_minor)) {
        fprintf(stderr, "accepted a header that breaks an invariant\n");
        abort();
    }
    accepted += res == 0;
    for (int i = 0; i < a.n; i++)
        free(a.blocks[i]);
    /* the raw input as a signature, too */
    char sig[256];
    size_t n = size < sizeof sig - 1 ? size : sizeof sig - 1;
    memcpy(sig, data, n);
    sig[n] = '\0';
    check_signature(sig);
    return 0;
}

#ifdef HPYAPI_FUZZ_STANDALONE
/* A seeded mutation loop for machines without libFuzzer: start from valid
 * encodings of accepted headers and flip, insert and splice bytes. */
static uint64_t rng_state;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

static size_t put_u32(uint8_t *buf, size_t at, uint32_t v)
{
    memcpy(buf + at, &v, 4);
    return at + 4;
}

static size_t put_str(uint8_t *buf, size_t at, const char *s)
{
    size_t n = strlen(s) + 1;
    memcpy(buf + at, s, n);
    return at + n;
}

/* An input that _HPyAPI_CheckHeader accepts (for minor 1 with 7 entries
 * or minor 2 with any count). */
static size_t seed(uint8_t *buf, uint32_t n_entries, uint32_t minor)
{
    size_t at = 0;
    at = put_u32(buf, at, 0);               /* flags */
    at = put_u32(buf, at, HPYAPI_LAYOUT_VERSION); /* layout_version */
    at = put_u32(buf, at, HPYAPI_TABLE_HPY);
    at = put_u32(buf, at, 2);               /* major */
    at = put_u32(buf, at, minor);
    at = put_u32(buf, at, n_entries);
    at = put_u32(buf, at, HPYAPI_ABI_UNIVERSAL);
    at = put_u32(buf, at, HPYAPI_KIND_DEBUG);
    at = put_u32(buf, at, 0);               /* min_minor */
    at = put_u32(buf, at, rnd());           /* which */
    at = put_str(buf, at, "fuzzapi");
    at = put_str(buf, at, "fuzzmod");
    for (uint32_t i = 0; i < n_entries; i++) {
        const HPyAPI_EntryInfo *e = &consumer_entries[i % N_CONSUMER];
        at = put_str(buf, at, e->name);
        at = put_str(buf, at, e->signature);
        at = put_u32(buf, at, e->since_minor);
        at = put_u32(buf, at, e->flags);
    }
    return at;
}

/* fuzz_capsule --seeds DIR: writes accepted inputs as a starting corpus
 * for libFuzzer (`make fuzz`), which otherwise spends its first minutes
 * finding the magic and the API name. */
static int write_seeds(const char *dir)
{
    uint8_t buf[4096];
    for (uint32_t k = 0; k < 6; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/seed-%u", dir, (unsigned)k);
        size_t size = seed(buf, k < 3 ? N_CONSUMER : N_CONSUMER + k,
                           k < 3 ? 1 : 2);
        FILE *f = fopen(path, "wb");
        if (f == NULL || fwrite(buf, 1, size, f) != size || fclose(f) != 0) {
            perror(path);
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--seeds") == 0)
        return write_seeds(argv[2]);
    long iterations = argc > 1 ? atol(argv[1]) : 100000;
    rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 0x9e3779b97f4a7c15ull;
    if (rng_state == 0)
        rng_state = 1;
    uint8_t buf[4096];
    for (long it = 0; it < iterations; it++) {
        size_t size = seed(buf, N_CONSUMER + rnd() % 3, 1 + rnd() % 2);
        int mutations = (int)(rnd() % 8); /* 0: the seed itself */
        for (int m = 0; m < mutations; m++) {
            uint32_t op = rnd() % 5;
            size_t at = size ? rnd() % size : 0;
            if (op == 0 && size) { /* flip bits */
                buf[at] ^= (uint8_t)(1u << (rnd() % 8));
            } else if (op == 4 && size >= 4) { /* a recipe flag: a NULL */
                buf[rnd() % 2] ^= (uint8_t)(1u << (rnd() % 8));
            } else if (op == 1 && size) { /* random byte */
                buf[at] = (uint8_t)rnd();
            } else if (op == 2 && size + 8 < sizeof buf) { /* insert */
                size_t n = 1 + rnd() % 8;
                memmove(buf + at + n, buf + at, size - at);
                for (size_t k = 0; k < n; k++)
                    buf[at + k] = (uint8_t)rnd();
                size += n;
            } else if (size > 1) { /* truncate */
                size = at ? at : size - 1;
            }
        }
        LLVMFuzzerTestOneInput(buf, size);
    }
    printf("fuzz_capsule: %ld inputs, %ld accepted, no failure\n", iterations,
           accepted);
    return 0;
}
#endif
