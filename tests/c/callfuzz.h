/* callfuzz.h - a seeded loop of hostile calls through testapi's table,
 * shared by hostile.c (HPy, any mode) and capi_hostile.c (plain C-API).
 *
 * The includer defines OBJ (its object type), the operations below on it,
 * and CALL_SUM/CALL_CONCAT/CALL_IDENTITY/CALL_PICK through its table.
 * Each iteration makes one call with arguments drawn from the classes
 * hpyapi promises to handle; see docs/threat-model.md for which are
 * checked on which path:
 *   - always: valid arrays, NULL handles (passed through as NULL to
 *     Pick, which the test exporter accepts);
 *   - FUZZ_CHECKED (the pair converts handles, so its calls reach the
 *     conversion, which checks): negative lengths and NULL arrays with a
 *     length beyond the trampolines' small-array buffer must raise
 *     ValueError;
 *   - FUZZ_HUGE: lengths whose buffer size overflows must raise
 *     MemoryError or ValueError, never be believed.
 * Returns 0, or -1 after storing what went wrong in `why`. */
#ifndef TESTS_CALLFUZZ_H
#define TESTS_CALLFUZZ_H

#include <stdint.h>
#include <stdio.h>

#define FUZZ_CHECKED 1
#define FUZZ_HUGE 2
#define FUZZ_BEYOND_SMALL 17 /* > HPYAPI_SMALL_ARRAY: never rebased inline */

static uint64_t fz_state;

static uint32_t fz_rnd(void)
{
    fz_state ^= fz_state << 13;
    fz_state ^= fz_state >> 7;
    fz_state ^= fz_state << 17;
    return (uint32_t)fz_state;
}

static long long fz_huge(void)
{
    static const long long huge[] = {
        INT64_MAX, INT64_MAX - 1, (long long)(SIZE_MAX / 8 + 1),
        (long long)(SIZE_MAX / 16 + 1), 1LL << 60, (1LL << 62) + 3,
        (long long)(SIZE_MAX / 8)};
    return huge[fz_rnd() % (sizeof huge / sizeof huge[0])];
}

/* counts[0]: calls that succeeded, counts[1]: calls refused as expected */
static int fuzz_calls(uint64_t seed, long n, int flags, long counts[2],
                      char *why, size_t whysize)
{
    OBJ items[4], strs[4];
    for (int i = 0; i < 4; i++) {
        items[i] = MAKE_INT(i + 1);
        strs[i] = MAKE_STR("s");
    }
    OBJ sep = MAKE_STR(","), tail = MAKE_STR("!");
    fz_state = seed ? seed : 1;
    int status = 0;
    for (long it = 0; it < n && status == 0; it++) {
        uint32_t op = fz_rnd() % 4, k = fz_rnd() % 5;
        int mode = (int)(fz_rnd() % 4); /* 0 valid, 1 negative, 2 NULL, 3 huge */
        if ((mode == 1 || mode == 2) && !(flags & FUZZ_CHECKED))
            mode = 0;
        if (mode == 3 && !(flags & FUZZ_HUGE))
            mode = 0;
        long long len = mode == 0   ? (long long)k
                        : mode == 1 ? -(long long)(1 + fz_rnd() % 100000)
                        : mode == 2 ? FUZZ_BEYOND_SMALL + fz_rnd() % 1000
                                    : fz_huge();
        const OBJ *arr = mode == 2 ? NULL : op == 0 ? items : strs;
        OBJ r;
        switch (op) {
        case 0: r = CALL_SUM(arr, len); break;
        case 1: r = CALL_CONCAT(sep, arr, len, tail); break;
        case 2: r = CALL_IDENTITY(items[k % 4]); break;
        default:
            r = CALL_PICK(fz_rnd() % 2 ? items[0] : NULL_OBJ,
                          fz_rnd() % 2 ? items[1] : NULL_OBJ, (int)(k % 3));
        }
        int bad_args = (op == 0 || op == 1) && mode != 0;
        if (bad_args) {
            if (!IS_NULL(r) || !ERR_EXPECTED())
                snprintf(why, whysize, "iteration %ld: op %u, length %lld, "
                         "array %s: %s", it, op, len, arr ? "set" : "NULL",
                         IS_NULL(r) ? "wrong or no exception" : "accepted");
            status = IS_NULL(r) && ERR_EXPECTED() ? 0 : -1;
            if (status == 0)
                counts[1]++;
        } else if (IS_NULL(r)) {
            snprintf(why, whysize, "iteration %ld: op %u, length %lld: a "
                     "valid call failed", it, op, len);
            status = -1;
        } else if (op == 0 && AS_LONG(r) != (long)(k * (k + 1) / 2)) {
            snprintf(why, whysize, "iteration %ld: SumList of 1..%u gave %ld",
                     it, k, AS_LONG(r));
            status = -1;
        } else {
            counts[0]++;
        }
        if (status == 0)
            ERR_CLEAR();
        CLOSE(r);
    }
    for (int i = 0; i < 4; i++) {
        CLOSE(items[i]);
        CLOSE(strs[i]);
    }
    CLOSE(sep);
    CLOSE(tail);
    return status;
}

#endif
