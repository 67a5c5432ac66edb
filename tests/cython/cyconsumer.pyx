# cyconsumer.pyx - a Cython consumer of the test APIs (testapi, outapi,
# formsapi, cbapi) through .pxd files generated from their headers: the
# Cython twin of tests/c/capi_consumer.c and cbconsumer_capi.c.
# cython: language_level=3
from cpython.object cimport PyObject
from cpython.ref cimport Py_DECREF
from testapi cimport testapi_capi as T, import_testapi
from outapi cimport outapi_capi as O, import_outapi
from formsapi cimport formsapi_capi as F, import_formsapi
from cbapi cimport cbapi_capi as C, import_cbapi

cdef extern from "Python.h":
    PyObject **PySequence_Fast_ITEMS(object)

# one import at module level, as a Cython module would (tests register the
# exporter as "testapi_exporter" first); setup*() re-import from others
import_testapi()


cdef object steal(PyObject *p):
    """A new reference from the table as an object (None for NULL)."""
    if p == NULL:
        return None
    o = <object>p
    Py_DECREF(o)
    return o


cdef list steal_all(PyObject **p, Py_ssize_t n):
    return [steal(p[i]) for i in range(n)]


def setup(str modname):
    import_testapi(modname)


def table_address():
    return <size_t>T


# ---- testapi: every return type, arrays, objects --------------------------
def add(a, b):
    return T.Add(a, b)


def as_long(a):
    return T.AsLong(a)


def sum_list(seq):
    cdef tuple items = tuple(seq)
    return T.SumList(PySequence_Fast_ITEMS(items), len(items))


def scale(double x, int k):
    return T.Scale(x, k)


def callback(fn, arg):
    return T.CallBack(fn, arg)


def raise_(exc_type, str msg):
    cdef bytes m = msg.encode()
    return T.Raise(exc_type, m)


def null_result(int flag):
    return T.NullResult(flag)


def store(obj):
    T.Store(obj)


def load():
    return T.Load()


def identity(a):
    return T.Identity(a)


def exporter_ctx_name():
    return T.CtxName().decode()


def pick(a, b, int which):
    return T.Pick(a, b, which)


def concat(sep, seq, tail):
    cdef tuple parts = tuple(seq)
    return T.Concat(sep, PySequence_Fast_ITEMS(parts), len(parts), tail)


def thing():
    return T.Thing()


# ---- outapi: out-handles and filled arrays (PyObject **) -------------------
def setup_out(str modname):
    import_outapi(modname)


def out_parse(obj, marker):
    cdef PyObject *out = <PyObject *>marker  # borrowed: kept on failure
    try:
        r = O.Out_Parse(obj, &out)  # fails with 0: "except *" in outapi.h
    except BaseException:
        if out != <PyObject *>marker:
            steal(out)
            raise AssertionError("written on error")
        raise
    if out == <PyObject *>marker:
        return r, "untouched"
    return r, steal(out)


def out_split(seq):
    cdef PyObject *first = NULL
    cdef PyObject *rest = NULL
    try:
        O.Out_Split(seq, &first, &rest)
    except BaseException:
        if first != NULL or rest != NULL:
            raise AssertionError("written on error")
        raise
    return steal(first), steal(rest)


def out_fill(seq, Py_ssize_t n):
    cdef PyObject *items[64]
    cdef Py_ssize_t got = -1
    if not 0 <= n <= 64:
        raise ValueError("0 to 64 items")
    for i in range(n):
        items[i] = NULL
    try:
        got = O.Out_Fill(seq, items, n)
    finally:  # what was filled is ours even when the call fails
        filled = steal_all(items, n)
    return got, filled


def out_both(a):
    cdef PyObject *out = NULL
    r = O.Out_Both(a, &out)
    return r, steal(out)


# ---- formsapi: HPyAPI_LEN arrays, exported data ---------------------------
def setup_forms(str modname):
    import_formsapi(modname)


def result_type(arrs, descrs):
    cdef tuple a = tuple(arrs), d = tuple(descrs)
    return F.ResultType(len(a), PySequence_Fast_ITEMS(a),
                        len(d), PySequence_Fast_ITEMS(d))


def fill_perm(int narrays, int ndim):
    cdef PyObject *arrays[64]
    cdef int perm[64]
    for i in range(64):
        arrays[i] = NULL
        perm[i] = -1
    try:
        r = F.FillPerm(narrays, arrays, ndim, perm)
    finally:
        filled = steal_all(arrays, min(max(narrays, 0), 64))
    return r, filled, [perm[j] for j in range(min(ndim, 64))]


def doubled(src):
    cdef tuple s = tuple(src)
    cdef PyObject *dst[64]
    for i in range(64):
        dst[i] = NULL
    try:
        r = F.Doubled(PySequence_Fast_ITEMS(s), dst, len(s))
    finally:
        filled = steal_all(dst, len(s))
    return r, filled


def copy_into(src):
    cdef tuple s = tuple(src)
    cdef PyObject *dst[64]
    for i in range(64):
        dst[i] = NULL
    try:
        r = F.CopyInto(PySequence_Fast_ITEMS(s), len(s), dst)
    finally:
        filled = steal_all(dst, len(s))
    return r, filled


def tuple_n(int which, unsigned long long n, items):
    cdef tuple t = tuple(items)
    if which == 64:
        return F.TupleU64(n, PySequence_Fast_ITEMS(t))
    if which == 32:
        return F.TupleU32(PySequence_Fast_ITEMS(t), <unsigned int>n)
    return F.TupleI8(<signed char>n, PySequence_Fast_ITEMS(t))


def add_ctx(obj, long n):
    return F.AddCtx(obj, n)


def forms_data():
    v = F.ApiVersion[0]
    return (F.NumUserTypes[0], (v.abi, v.api, v.feature),
            F.BuildName[0].decode() if F.BuildName[0] != NULL else None)


def set_num_user_types(int value):
    F.SetNumUserTypes(value)
    return F.NumUserTypes[0]


# ---- cbapi: callbacks are cdef functions ----------------------------------
cdef object registered = None, stashed = None
cdef int kept_token, stash_token


def setup_cb(str modname):
    import_cbapi(modname)


cdef object map_cb(object item, long i, void *ud):
    return (<object>ud)(item, i)


cdef long sum_cb(long i, void *ud) except? -1:
    return (<object>ud)(i)


cdef object one_cb(object arg, void *ud):
    return (<object>ud)(arg)


cdef object global_cb(object arg, void *ud):
    return (registered if ud == &kept_token else stashed)(arg)


cdef void each_cb(object item, object extra, void *ud) except *:
    (<object>ud)(item, extra)


cdef long nullary_cb(void *ud) except? -1:
    return (<object>ud)()


def cb_map(seq, func):
    return C.Cb_Map(seq, map_cb, <void *>func)


def cb_sum(long n, func):
    return C.Cb_Sum(n, sum_cb, <void *>func)


def cb_register(func):
    global registered
    registered = func
    C.Cb_Register(global_cb, &kept_token)


def cb_fire(arg):
    return C.Cb_Fire(arg)


def cb_each(seq, func, extra):
    return C.Cb_Each(seq, each_cb, <void *>func, extra)


def cb_stash(func):
    global stashed
    stashed = func
    C.Cb_Stash(global_cb, &stash_token)


def cb_nullary(func):
    return C.Cb_Nullary(nullary_cb, <void *>func)


def cb_two(f, g, x):
    return C.Cb_Two(one_cb, <void *>f, one_cb, <void *>g, x)
