/* fuzz_capsule.c - fuzz the checks a consumer runs on an exporter's capsule
 * (_HPyAPI_CheckHeader) and the signature normaliser.
 *
 * The input describes a header: its numeric fields verbatim, its strings
 * and entry list carved out of the remaining bytes, and a few flag bits
 * that make pointers NULL or break the table's back-pointer.  Pointers are
 * always made valid by this harness: a capsule from HPyAPI_Export is
 * memory the exporter owns, so the checks must survive any *content*, not
 * arbitrary addresses.
 *
 * Properties checked beyond "no crash, no sanitizer report":
 *   - a rejection comes with a non-empty, NUL-terminated message;
 *   - an acceptance implies the invariants the consumer relies on;
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

#define MAX_ENTRIES 24
#define STRINGS 4096

/* The consumer side: what a build of this declaration expects. */
static const HPyAPI_EntryInfo consumer_entries[] = {
    {"Thing", "HPy(void)", 0, HPYAPI_ENTRY_OBJECT},
    {"Add", "HPy(HPy,HPy)", 0, HPYAPI_ENTRY_FUNC},
    {"Sum", "double(const HPy *,HPy_ssize_t)", 0, HPYAPI_ENTRY_FUNC},
    {"Name", "const char *(void)", 1, HPYAPI_ENTRY_FUNC},
    {"Old", "int(HPy)", 1, HPYAPI_ENTRY_RETIRED},
};
static const HPyAPI_Spec consumer_spec = {"fuzzapi", 2, 1, 5,
                                          consumer_entries};

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

/* Copies a NUL-terminated string out of the input into `pool`. */
static const char *take_str(reader *r, char *pool, size_t *used)
{
    size_t n = 0;
    while (n < r->left && r->p[n] != 0 && n < 200)
        n++;
    if (*used + n + 1 > STRINGS)
        n = 0;
    char *s = pool + *used;
    memcpy(s, r->p, n);
    s[n] = '\0';
    *used += n + 1;
    size_t consumed = n < r->left ? n + 1 : n;
    r->p += consumed;
    r->left -= consumed;
    return s;
}

static long accepted; /* how often the accept path ran */

static void check_message(int res, const char *msg)
{
    if (res == 0)
        return;
    if (res != -1 || msg[0] == '\0' || memchr(msg, '\0', 1024) == NULL) {
        fprintf(stderr, "bad rejection: res=%d msg=%.100s\n", res, msg);
        abort();
    }
}

static void check_signature(const char *s)
{
    char a[512], b[512];
    if (_HPyAPI_NormalizeSignature(s, a, sizeof a) < 0)
        return;
    if (_HPyAPI_NormalizeSignature(a, b, sizeof b) < 0 || strcmp(a, b) != 0) {
        fprintf(stderr, "normalising is not idempotent: '%s' -> '%s' -> '%s'\n",
                s, a, b);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size};
    char pool[STRINGS];
    size_t used = 0;
    HPyAPI_Header h;
    HPyAPI_EntryInfo entries[MAX_ENTRIES];
    const void *table[MAX_ENTRIES + 1];

    memset(&h, 0, sizeof h);
    uint32_t flags = take_u32(&r);
    h.magic = (flags & 1) ? take_u32(&r) : HPYAPI_MAGIC;
    h.layout_version = take_u32(&r) % 4;
    h.header_size = (flags & 2) ? take_u32(&r) : (uint32_t)sizeof h;
    h.table_kind = take_u32(&r) % 4;
    h.api_major = take_u32(&r) % 4;
    h.api_minor = take_u32(&r) % 4;
    h.n_entries = take_u32(&r) % (MAX_ENTRIES + 1);
    h.hpy_abi = take_u32(&r);
    h.hpy_abi_version = take_u32(&r);
    h.hpy_abi_version_minor = take_u32(&r);
    h.exporter_mode = take_u32(&r);
    uint32_t min_minor = take_u32(&r) % 4;
    h.api_name = (flags & 4) ? NULL : take_str(&r, pool, &used);
    h.module_name = take_str(&r, pool, &used);
    for (uint32_t i = 0; i < h.n_entries; i++) {
        entries[i].name = (flags & 8) && i == 1 ? NULL
                                                : take_str(&r, pool, &used);
        entries[i].signature = take_str(&r, pool, &used);
        entries[i].since_minor = take_u32(&r) % 4;
        entries[i].flags = take_u32(&r) % 4;
        check_signature(entries[i].signature);
    }
    h.entries = (flags & 16) ? NULL : entries;
    table[0] = (flags & 32) ? (const void *)entries : (const void *)&h;
    h.table = (flags & 64) ? NULL : table;

    char msg[1024];
    memset(msg, 'x', sizeof msg);
    int res = _HPyAPI_CheckHeader(&h, &consumer_spec, min_minor,
                                  HPYAPI_TABLE_HPY, "fuzzmod", msg, sizeof msg);
    check_message(res, msg);
    if (res == 0 &&
        (h.magic != HPYAPI_MAGIC || h.api_major != consumer_spec.major ||
         h.api_minor < min_minor || h.table == NULL || h.entries == NULL ||
         table[0] != &h || h.api_name == NULL ||
         strcmp(h.api_name, consumer_spec.api_name) != 0)) {
        fprintf(stderr, "accepted a header that breaks an invariant\n");
        abort();
    }
    accepted += res == 0;
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

/* An input that _HPyAPI_CheckHeader accepts. */
static size_t seed(uint8_t *buf, uint32_t n_entries, uint32_t minor)
{
    size_t at = 0;
    at = put_u32(buf, at, 0);               /* flags */
    at = put_u32(buf, at, 1);               /* layout_version */
    at = put_u32(buf, at, HPYAPI_TABLE_HPY);
    at = put_u32(buf, at, 2);               /* major */
    at = put_u32(buf, at, minor);
    at = put_u32(buf, at, n_entries);
    at = put_u32(buf, at, HPYAPI_ABI_UNIVERSAL);
    at = put_u32(buf, at, 0);
    at = put_u32(buf, at, 0);
    at = put_u32(buf, at, HPYAPI_KIND_DEBUG);
    at = put_u32(buf, at, 0);               /* min_minor */
    at = put_str(buf, at, "fuzzapi");
    at = put_str(buf, at, "fuzzmod");
    for (uint32_t i = 0; i < n_entries; i++) {
        const HPyAPI_EntryInfo *e = &consumer_entries[i % 5];
        at = put_str(buf, at, e->name);
        at = put_str(buf, at, e->signature);
        at = put_u32(buf, at, e->since_minor);
        at = put_u32(buf, at, e->flags);
    }
    return at;
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 100000;
    rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 0x9e3779b97f4a7c15ull;
    if (rng_state == 0)
        rng_state = 1;
    uint8_t buf[4096];
    for (long it = 0; it < iterations; it++) {
        size_t size = seed(buf, 5 + rnd() % 3, 1 + rnd() % 2);
        int mutations = (int)(rnd() % 8); /* 0: the seed itself */
        for (int m = 0; m < mutations; m++) {
            uint32_t op = rnd() % 4;
            size_t at = size ? rnd() % size : 0;
            if (op == 0 && size) { /* flip bits */
                buf[at] ^= (uint8_t)(1u << (rnd() % 8));
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
