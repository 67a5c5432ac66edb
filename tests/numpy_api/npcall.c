/* npcall.c - the conversions npcall.h declares, for the HPy consumer and
 * (-DNP_CAPI) the plain C-API one.  The few calls that differ between the
 * two are the NPC_* macros below; everything else is one text. */
#include "npcall.h"

#ifdef NP_CAPI
#define NPC_CLOSE(c, o) Py_DECREF(o)
#define NPC_ERR_OCCURRED(c) ((void)(c), PyErr_Occurred() != NULL)
#define NPC_TYPE_ERROR(c, msg) PyErr_SetString(PyExc_TypeError, msg)
#define NPC_ASSERT_ERROR(c, msg) PyErr_SetString(PyExc_AssertionError, msg)
#define NPC_AS_I64(c, o) PyLong_AsLongLong(o)
#define NPC_AS_U64(c, o) PyLong_AsUnsignedLongLongMask(o)
#define NPC_AS_F(c, o) PyFloat_AsDouble(o)
#define NPC_FROM_I64(c, v) PyLong_FromLongLong(v)
#define NPC_FROM_U64(c, v) PyLong_FromUnsignedLongLong(v)
#define NPC_FROM_F(c, v) PyFloat_FromDouble(v)
#define NPC_NONE(c) (Py_INCREF(Py_None), Py_None)
#define NPC_IS_TUPLE(c, o) PyTuple_Check(o)
#define NPC_LEN(c, o) PyTuple_Size(o)
#define NPC_ITEM(c, o, i) (Py_INCREF(PyTuple_GET_ITEM(o, i)), PyTuple_GET_ITEM(o, i))
#define NPC_TUPLE(c, items, n) np_tuple(items, n)
#define NPC_LIST(c) PyList_New(0)
#define NPC_APPEND(c, l, o) PyList_Append(l, o)
#define NPC_NONE_BORROWED(c) Py_None
#define NPC_DUP(c, o) (Py_INCREF(o), (o))
#define NPC_FREE_ARRAY(c, arr, n) ((void)(c), HPyAPI_FreeObjects(arr, n))
static PyObject *np_tuple(PyObject **items, HPy_ssize_t n)
{
    PyObject *t = PyTuple_New(n);
    for (HPy_ssize_t i = 0; t != NULL && i < n; i++) {
        Py_INCREF(items[i]);
        PyTuple_SET_ITEM(t, i, items[i]);
    }
    return t;
}
#else
#define NPC_CLOSE(c, o) HPy_Close((c)->ctx, o)
#define NPC_ERR_OCCURRED(c) HPyErr_Occurred((c)->ctx)
#define NPC_TYPE_ERROR(c, msg) HPyErr_SetString((c)->ctx, (c)->ctx->h_TypeError, msg)
#define NPC_ASSERT_ERROR(c, msg)                                               \
    HPyErr_SetString((c)->ctx, (c)->ctx->h_AssertionError, msg)
#define NPC_AS_I64(c, o) HPyLong_AsInt64_t((c)->ctx, o)
#define NPC_AS_U64(c, o) HPyLong_AsUInt64_tMask((c)->ctx, o)
#define NPC_AS_F(c, o) HPyFloat_AsDouble((c)->ctx, o)
#define NPC_FROM_I64(c, v) HPyLong_FromInt64_t((c)->ctx, v)
#define NPC_FROM_U64(c, v) HPyLong_FromUInt64_t((c)->ctx, v)
#define NPC_FROM_F(c, v) HPyFloat_FromDouble((c)->ctx, v)
#define NPC_NONE(c) HPy_Dup((c)->ctx, (c)->ctx->h_None)
#define NPC_IS_TUPLE(c, o) HPyTuple_Check((c)->ctx, o)
#define NPC_LEN(c, o) HPy_Length((c)->ctx, o)
#define NPC_ITEM(c, o, i) HPy_GetItem_i((c)->ctx, o, i)
#define NPC_TUPLE(c, items, n) HPyTuple_FromArray((c)->ctx, items, n)
#define NPC_LIST(c) HPyList_New((c)->ctx, 0)
#define NPC_APPEND(c, l, o) HPyList_Append((c)->ctx, l, o)
#define NPC_NONE_BORROWED(c) ((c)->ctx->h_None)
#define NPC_DUP(c, o) HPy_Dup((c)->ctx, o)
#define NPC_FREE_ARRAY(c, arr, n) HPyAPI_FreeHandles((c)->ctx, arr, n)
#endif

NP_OBJ np_dispatch(NpCall *c, int api, int index)
{
    if (api < 0 || api > 1 || index < 0 || index >= np_nentries[api]) {
        NPC_TYPE_ERROR(c, "npcall: no such entry");
        return NP_NULL;
    }
    if (c->nargs != np_nargs[api][index]) {
        NPC_TYPE_ERROR(c, "npcall: wrong number of arguments for this entry");
        return NP_NULL;
    }
    return np_calls[api][index](c);
}

static NP_OBJ next_arg(NpCall *c)
{
    if (c->bad)
        return NP_NULL;
    if (c->pos >= c->nargs) {
        NPC_TYPE_ERROR(c, "npcall: too few arguments for this entry");
        c->bad = 1;
        return NP_NULL;
    }
    return c->args[c->pos++];
}

NP_OBJ np_h(NpCall *c) { return next_arg(c); }

#define NP_NUMBER(NAME, T, CONV)                                               \
    T NAME(NpCall *c)                                                          \
    {                                                                          \
        NP_OBJ o = next_arg(c);                                                \
        if (NP_IS_NULL(o))                                                     \
            return 0;                                                          \
        T v = CONV(c, o);                                                      \
        if (v == (T)-1 && NPC_ERR_OCCURRED(c))                                 \
            c->bad = 1;                                                        \
        return v;                                                              \
    }
NP_NUMBER(np_i, int64_t, NPC_AS_I64)
NP_NUMBER(np_u, uint64_t, NPC_AS_U64)
NP_NUMBER(np_f, double, NPC_AS_F)

static int too_many(NpCall *c)
{
    if (c->nres < NP_MAXRES && c->narr < NP_MAXRES)
        return 0;
    NPC_TYPE_ERROR(c, "npcall: more arrays than NP_MAXRES");
    c->bad = 1;
    return 1;
}

/* A tuple's items as an array of new handles, closed by np_fin.  The
 * buffer has at least one element: an empty array is not a NULL one. */
const NP_OBJ *np_a(NpCall *c, HPy_ssize_t *n)
{
    NP_OBJ t = next_arg(c);
    if (NP_IS_NULL(t) || too_many(c))
        return NULL;
    if (!NPC_IS_TUPLE(c, t)) {
        NPC_TYPE_ERROR(c, "npcall: an array argument must be a tuple");
        c->bad = 1;
        return NULL;
    }
    HPy_ssize_t len = NPC_LEN(c, t);
    NP_OBJ *items = (NP_OBJ *)calloc((size_t)len + 1, sizeof(NP_OBJ));
    for (HPy_ssize_t i = 0; i < len; i++)
        items[i] = NPC_ITEM(c, t, i);
    c->arrs[c->narr] = items;
    c->narrlen[c->narr++] = len;
    if (n != NULL)
        *n = len;
    return items;
}

/* an array of an HPyAPI_LEN_EXPR length: the tuple must have n items */
const NP_OBJ *np_a_exactly(NpCall *c, HPy_ssize_t n)
{
    HPy_ssize_t len = 0;
    const NP_OBJ *items = np_a(c, &len);
    if (items != NULL && len != n) {
        NPC_TYPE_ERROR(c, "npcall: this array has a fixed length");
        c->bad = 1;
    }
    return items;
}

static NP_OBJ *new_fill(NpCall *c, HPy_ssize_t len)
{
    NP_OBJ *items = (NP_OBJ *)calloc((size_t)len + 1, sizeof(NP_OBJ));
    for (HPy_ssize_t i = 0; i < len; i++)
        items[i] = NP_NULL;
    c->fills[c->nres] = items;
    c->nfill[c->nres] = len;
    c->orig[c->nres] = NP_NULL;
    c->outs[c->nres++] = NP_NULL;
    return items;
}

NP_OBJ *np_w_exactly(NpCall *c, HPy_ssize_t n)
{
    return c->bad || too_many(c) ? NULL : new_fill(c, n);
}

NP_OBJ *np_w(NpCall *c, HPy_ssize_t *n)
{
    int64_t len = np_i(c);
    if (c->bad || too_many(c))
        return NULL;
    if (len < 0 || len > 1000) {
        NPC_TYPE_ERROR(c, "npcall: a filled array's length must be 0..1000");
        c->bad = 1;
        return NULL;
    }
    NP_OBJ *items = new_fill(c, (HPy_ssize_t)len);
    if (n != NULL)
        *n = (HPy_ssize_t)len;
    return items;
}

NP_OBJ *np_o(NpCall *c)
{
    if (too_many(c))
        return NULL;
    c->fills[c->nres] = NULL;
    c->orig[c->nres] = NP_NULL;
    c->outs[c->nres] = NP_NULL;
    return &c->outs[c->nres++];
}

/* an in-out handle: a new handle of ours, which the exporter may replace */
NP_OBJ *np_io(NpCall *c)
{
    NP_OBJ o = next_arg(c);
    if (NP_IS_NULL(o) || too_many(c))
        return NULL;
    c->fills[c->nres] = NULL;
    c->orig[c->nres] = c->outs[c->nres] = NPC_DUP(c, o);
    return &c->outs[c->nres++];
}

NP_OBJ np_ri(NpCall *c, int64_t v)
{
    return NPC_ERR_OCCURRED(c) ? NP_NULL : NPC_FROM_I64(c, v);
}

NP_OBJ np_ru(NpCall *c, uint64_t v)
{
    return NPC_ERR_OCCURRED(c) ? NP_NULL : NPC_FROM_U64(c, v);
}

NP_OBJ np_rf(NpCall *c, double v)
{
    return NPC_ERR_OCCURRED(c) ? NP_NULL : NPC_FROM_F(c, v);
}

NP_OBJ np_rv(NpCall *c) { return NPC_ERR_OCCURRED(c) ? NP_NULL : NPC_NONE(c); }

NP_OBJ np_rarr(NpCall *c, NP_OBJ *arr, HPy_ssize_t n)
{
    if (arr == NULL)
        return NP_NULL;
    NP_OBJ lst = NPC_LIST(c);
    for (HPy_ssize_t j = 0; j < n; j++)
        if (!NP_IS_NULL(lst) && NPC_APPEND(c, lst, arr[j]) < 0) {
            NPC_CLOSE(c, lst);
            lst = NP_NULL;
        }
    NPC_FREE_ARRAY(c, arr, n);
    return lst;
}

/* result k as a new object: the out-handle itself, or a list */
static NP_OBJ take_result(NpCall *c, int k)
{
    if (c->fills[k] == NULL) {
        NP_OBJ o = c->outs[k];
        c->outs[k] = NP_NULL;
        return NP_IS_NULL(o) ? NPC_NONE(c) : o;
    }
    NP_OBJ lst = NPC_LIST(c);
    for (HPy_ssize_t j = 0; j < c->nfill[k]; j++) {
        NP_OBJ x = c->fills[k][j];
        if (!NP_IS_NULL(lst) &&
            NPC_APPEND(c, lst, NP_IS_NULL(x) ? NPC_NONE_BORROWED(c) : x) < 0) {
            NPC_CLOSE(c, lst);
            lst = NP_NULL;
        }
    }
    return lst;
}

/* Closes out-handles and filled items; returns whether any was written. */
static int release(NpCall *c)
{
    int written = 0;
    for (int k = 0; k < c->nres; k++) {
        if (!NP_IS_NULL(c->outs[k])) {
            written |= !NP_SAME(c->outs[k], c->orig[k]);
            NPC_CLOSE(c, c->outs[k]);
        }
        for (HPy_ssize_t j = 0; c->fills[k] && j < c->nfill[k]; j++)
            if (!NP_IS_NULL(c->fills[k][j])) {
                written = 1;
                NPC_CLOSE(c, c->fills[k][j]);
            }
        free(c->fills[k]);
    }
    for (int k = 0; k < c->narr; k++) {
        for (HPy_ssize_t j = 0; j < c->narrlen[k]; j++)
            NPC_CLOSE(c, c->arrs[k][j]);
        free(c->arrs[k]);
    }
    c->nres = c->narr = 0;
    return written;
}

NP_OBJ np_fin(NpCall *c, NP_OBJ ret)
{
    if (NP_IS_NULL(ret)) {
        if (release(c))
            NPC_ASSERT_ERROR(c, "npcall: the exporter wrote results on error");
        return NP_NULL;
    }
    NP_OBJ items[NP_MAXRES + 1];
    int n = 0, ok = 1;
    items[n++] = ret;
    for (int k = 0; k < c->nres; k++) {
        items[n] = take_result(c, k);
        ok = ok && !NP_IS_NULL(items[n]);
        n += !NP_IS_NULL(items[n]);
    }
    NP_OBJ t = ok ? NPC_TUPLE(c, items, n) : NP_NULL;
    for (int k = 0; k < n; k++)
        NPC_CLOSE(c, items[k]);
    release(c);
    return t;
}
