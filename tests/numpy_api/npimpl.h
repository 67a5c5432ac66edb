/* npimpl.h - what every entry of the generated NumPy-sized test API does
 * (the implementations cgen.py writes call these).  expect.py computes the
 * same in Python; change both together.
 *
 * An entry folds its arguments, in order, into a 64-bit digest that starts
 * from its API id and index:
 *   acc = (api * 1000 + index + 1) * 0x9E3779B97F4A7C15
 *   acc = acc * 1000003 + v   (mod 2**64) for each argument value v:
 *     a handle: its hash; an integer: its value (two's complement);
 *     a double: (int64_t)(x * 4); a pointer: its address;
 *     an array: its length, then each element's hash;
 *     an in-out handle: the hash of *op;
 *     an array to fill: its length; an out-handle or a returned array's
 *     length pointer: nothing.
 * It then writes its out-handles and replaces its in-out handles (the
 * k-th of either: the int acc + k + 1), fills its arrays (the w-th,
 * element j: acc + 1000 * (w + 1) + j), writes a returned array's length
 * into its length pointer (np_len), and returns acc converted to its
 * return type, for an `HPy` result the tuple (acc, first handle argument
 * or None): a new object holding an argument, for an `HPy *` result an
 * array of n new ints, element j: acc + 1000 + j.
 * Failure: hashing an unhashable argument raises TypeError, and the entry
 * chosen with the exporter's fail_at(api, index) raises ValueError("NAME:
 * failing on request"); either way nothing is written and the entry
 * returns its error value (HPy_NULL, -1, NULL; void: the exception). */
#ifndef NPIMPL_H
#define NPIMPL_H
#include <stdint.h>
#include <stdio.h>

/* the entry that fails on request, set by the exporter's fail_at() */
extern int np_fail_api, np_fail_index;

typedef struct {
    HPyContext *ctx;
    uint64_t acc;
    HPy first;        /* the first handle argument (borrowed) */
    int failed;
    int api, index;
    const char *name;
} NpAcc;

static inline void np_begin(NpAcc *a, HPyContext *ctx, int api, int index,
                            const char *name)
{
    a->ctx = ctx;
    a->acc = (uint64_t)(api * 1000 + index + 1) * UINT64_C(0x9E3779B97F4A7C15);
    a->first = HPy_NULL;
    a->failed = 0;
    a->api = api;
    a->index = index;
    a->name = name;
}

static inline void np_fold(NpAcc *a, uint64_t v)
{
    a->acc = a->acc * UINT64_C(1000003) + v;
}

static inline void np_i(NpAcc *a, int64_t v) { np_fold(a, (uint64_t)v); }
static inline void np_u(NpAcc *a, uint64_t v) { np_fold(a, v); }
static inline void np_f(NpAcc *a, double v) { np_fold(a, (uint64_t)(int64_t)(v * 4)); }

static inline void np_hash(NpAcc *a, HPy h)
{
    if (a->failed)
        return;
    HPy_hash_t x = HPy_Hash(a->ctx, h);
    if (x == -1 && HPyErr_Occurred(a->ctx))
        a->failed = 1;
    else
        np_fold(a, (uint64_t)(int64_t)x);
}

static inline void np_h(NpAcc *a, HPy h)
{
    if (HPy_IsNull(a->first))
        a->first = h;
    np_hash(a, h);
}

static inline void np_arr(NpAcc *a, const HPy *p, int64_t n)
{
    np_fold(a, (uint64_t)n);
    for (int64_t i = 0; i < n; i++)
        np_hash(a, p[i]);
}

static inline void np_io(NpAcc *a, const HPy *op) { np_hash(a, *op); }

/* 0, or -1 when the entry must fail (an exception is then set) */
static inline int np_check(NpAcc *a)
{
    if (!a->failed && a->api == np_fail_api && a->index == np_fail_index) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s: failing on request", a->name);
        HPyErr_SetString(a->ctx, a->ctx->h_ValueError, msg);
        a->failed = 1;
    }
    return a->failed ? -1 : 0;
}

static inline void np_out(NpAcc *a, HPy *out, int k)
{
    *out = HPyLong_FromUInt64_t(a->ctx, a->acc + (uint64_t)k + 1);
}

/* an in-out handle: replaced, the handle found closed (its caller gave it) */
static inline void np_replace(NpAcc *a, HPy *op, int k)
{
    HPy h = HPyLong_FromUInt64_t(a->ctx, a->acc + (uint64_t)k + 1);
    if (HPy_IsNull(h))
        return;
    HPy_Close(a->ctx, *op);
    *op = h;
}

/* a returned array's length: 0..4, or 20 (past the on-stack buffers) */
static inline int np_len(NpAcc *a)
{
    return a->acc % 7 == 0 ? 20 : (int)(a->acc % 5);
}

static inline void np_fill(NpAcc *a, HPy *p, int64_t n, int w)
{
    for (int64_t j = 0; j < n; j++)
        p[j] = HPyLong_FromUInt64_t(a->ctx, a->acc + 1000 * (uint64_t)(w + 1) +
                                                (uint64_t)j);
}

static inline HPy np_ret_h(NpAcc *a)
{
    HPy items[2];
    items[0] = HPyLong_FromUInt64_t(a->ctx, a->acc);
    if (HPy_IsNull(items[0]))
        return HPy_NULL;
    items[1] = HPy_IsNull(a->first) ? a->ctx->h_None : a->first;
    HPy t = HPyTuple_FromArray(a->ctx, items, 2);
    HPy_Close(a->ctx, items[0]);
    return t;
}

static inline HPy *np_ret_arr(NpAcc *a, HPy_ssize_t n)
{
    HPy *arr = HPyAPI_NewHandles(n);
    for (HPy_ssize_t j = 0; arr != NULL && j < n; j++)
        if (HPy_IsNull(arr[j] = HPyLong_FromUInt64_t(a->ctx, a->acc + 1000 +
                                                              (uint64_t)j))) {
            HPyAPI_FreeHandles(a->ctx, arr, j);
            arr = NULL;
        }
    return arr;
}

static inline double np_ret_f(NpAcc *a) { return (double)(a->acc >> 11); }

#endif
