/* npcall.h - what the generated call wrappers (npcalls*.c, written by
 * cgen.py) use to turn Python arguments into an entry's C arguments and
 * its results back into Python objects.  One text for both consumers:
 * built with -DNP_CAPI it is a plain C-API extension (PyObject *, no
 * context), otherwise an HPy one; NP_OBJ is the handle type of either.
 *
 * Python calls consumer.call(api, index, *args), one argument per declared
 * parameter except out-handles, returned arrays' length pointers and
 * filled arrays of a fixed length: an object for a handle or an in-out
 * handle, an int or float for a value (an int for a pointer), a tuple for
 * an array (of exactly its length for an HPyAPI_LEN_EXPR one), an int (its
 * length) for an array the exporter fills.  The result is the tuple
 * (return value, one item per out-handle, in-out handle or filled array in
 * order): a filled array as a list (None where nothing was written), a
 * returned array as a list.  On failure the exception passes through,
 * after checking that the exporter wrote nothing and left in-out handles
 * as they were (otherwise AssertionError "written on error"). */
#ifndef NPCALL_H
#define NPCALL_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef NP_CAPI
#define PY_SSIZE_T_CLEAN
#include <Python.h>
typedef PyObject *NP_OBJ;
#define NP_NULL NULL
#define NP_IS_NULL(o) ((o) == NULL)
#define NP_SAME(a, b) ((a) == (b))
#define NP_TABLE(API) API##_capi
#define NP_INVOKE(API, NAME, ...) API##_capi->NAME(__VA_ARGS__)
#define NP_INVOKE0(API, NAME) API##_capi->NAME()
#define NP_TCALL(F, ...) (F)(__VA_ARGS__) /* a returned table's function */
#define NP_STRUCT(N) N##_CAPI
#else
#include "hpy.h"
typedef HPy NP_OBJ;
#define NP_NULL HPy_NULL
#define NP_IS_NULL(o) HPy_IsNull(o)
#define NP_SAME(a, b) ((a)._i == (b)._i)
#define NP_TABLE(API) API##_api
#define NP_INVOKE(API, NAME, ...) API##_api->NAME(c->ctx, __VA_ARGS__)
#define NP_INVOKE0(API, NAME) API##_api->NAME(c->ctx)
#define NP_TCALL(F, ...) (F)(c->ctx, __VA_ARGS__)
#define NP_STRUCT(N) N
#endif
#include "npapi.h"

/* npyma_api / npyma_capi ...: stubs that raise RuntimeError until setup()
 * imports the tables (npcons.c has the HPyAPI_USE_DEFINEs) */
#ifdef NP_CAPI
HPyAPI_USE_CAPI(npyma, NPYMA_API);
HPyAPI_USE_CAPI(npyuf, NPYUF_API);
#else
HPyAPI_USE(npyma, NPYMA_API);
HPyAPI_USE(npyuf, NPYUF_API);
#endif

#define NP_MAXRES 8 /* arrays and out-handles per entry */

typedef struct {
#ifndef NP_CAPI
    HPyContext *ctx;
#endif
    const NP_OBJ *args;
    size_t nargs, pos;
    int bad;
    int nres;                      /* out-handles and filled arrays */
    NP_OBJ outs[NP_MAXRES];        /* an out-handle, NP_NULL until written */
    NP_OBJ orig[NP_MAXRES];        /* an in-out handle as passed, or NP_NULL */
    NP_OBJ *fills[NP_MAXRES];      /* a filled array, or NULL */
    HPy_ssize_t nfill[NP_MAXRES];
    int narr;                      /* input arrays: items to close */
    NP_OBJ *arrs[NP_MAXRES];
    HPy_ssize_t narrlen[NP_MAXRES];
} NpCall;

typedef NP_OBJ (*NpCallFn)(NpCall *c);

/* Per API (0 npyma, 1 npyuf), generated in npdispatch.c: the wrapper of
 * each entry and the number of Python arguments it takes. */
extern const NpCallFn *const np_calls[2];
extern const unsigned char *const np_nargs[2];
extern const int np_nentries[2];

/* calls entry `index` of API `api` with c's arguments */
NP_OBJ np_dispatch(NpCall *c, int api, int index);

/* argument conversions: on failure they set c->bad (and an exception) */
NP_OBJ np_h(NpCall *c);
int64_t np_i(NpCall *c);
uint64_t np_u(NpCall *c);
double np_f(NpCall *c);
const NP_OBJ *np_a(NpCall *c, HPy_ssize_t *n);
NP_OBJ *np_w(NpCall *c, HPy_ssize_t *n);
NP_OBJ *np_o(NpCall *c);
NP_OBJ *np_io(NpCall *c);
const NP_OBJ *np_a_exactly(NpCall *c, HPy_ssize_t n);
NP_OBJ *np_w_exactly(NpCall *c, HPy_ssize_t n);
static inline int np_bad(NpCall *c) { return c->bad; }
/* what an (HPyAPI_FN(type), f) argument passes when Python says 1: a
 * function that crosses as any would (the exporter only checks it came;
 * tests/test_fnparam.py calls such functions), cast to the slot type */
static inline void np_fn_dummy(void) {}

/* results: NP_NULL when an exception is set */
NP_OBJ np_ri(NpCall *c, int64_t v);
NP_OBJ np_ru(NpCall *c, uint64_t v);
NP_OBJ np_rf(NpCall *c, double v);
NP_OBJ np_rv(NpCall *c);
/* a returned array of n new objects as a list, the array freed */
NP_OBJ np_rarr(NpCall *c, NP_OBJ *arr, HPy_ssize_t n);
/* the call's result tuple (ret, outs...), releasing what the call held */
NP_OBJ np_fin(NpCall *c, NP_OBJ ret);

#endif
