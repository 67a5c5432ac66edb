"""A table of the exporter's functions returned to the caller
(`#define HPyAPI_RETURNS_<Entry> HPyAPI_TABLE(Name)`, runtime/tables.c),
modelled on NumPy's _PyDataType_GetArrFuncs, over the whole mode matrix
plus C-API callers: the consumer fetches the table and calls each function
with its own context and handles; the exporter's function runs on the
exporter's own context (OWNCTX, checked after every test) with its own
handles.  Values, identity, refcounts, exceptions raised inside the
exporter's functions, NULL functions, a handle field, a changed table, a
refused slot type, and leaked debug handles (LeakDetector through `pair`).
tests/c/tblapi.h, tblexporter.c, tblconsumer.c, tblconsumer_capi.c."""
import sys

import pytest

from conftest import C_DIR, EXAMPLES, Thing, passes_through, register

for _name in ("tblexporter", "tblconsumer"):
    register(_name, [C_DIR / (_name + ".c")], [C_DIR, EXAMPLES])
register("tblconsumer_capi", [C_DIR / "tblconsumer_capi.c"], [C_DIR, EXAMPLES],
         abis=("capi",))
# the same consumer, its declaration without HPyAPI_RETURNS_Tbl_GetFuncs
register("tblplain", [C_DIR / "tblconsumer.c"], [C_DIR, EXAMPLES],
         macros=[("TBL_PLAIN", "1"), ("MODNAME", "tblplain")])

PAIR = {"exporter": "tblexporter", "consumer": "tblconsumer",
        "capi": "tblconsumer_capi"}


@pytest.fixture
def tp(pair):  # conftest's
    pair.exporter.reset()
    pair.consumer.setup(pair.exporter.__name__)  # forgets its table
    return pair


def test_the_functions_take_and_return_the_callers_handles(tp):
    e, c = tp.exporter, tp.consumer
    c.get_funcs(0)
    items = e.items()
    assert c.t_getitem(2) == 20 and c.t_getitem(2) is items[2]
    del items
    value = Thing()
    refs = sys.getrefcount(value)
    assert c.t_setitem(1, value) == 0
    assert e.items()[1] is value and c.t_getitem(1) is value
    assert sys.getrefcount(value) == refs + 1  # the exporter's list holds it
    a, b = Thing(), Thing()
    ra, rb = sys.getrefcount(a), sys.getrefcount(b)
    r = c.t_combine(a, b)
    assert r == (b, a) and r[0] is b and r[1] is a
    del r
    assert (sys.getrefcount(a), sys.getrefcount(b)) == (ra, rb)
    for _ in range(50):  # nothing left behind per call
        c.t_getitem(1)
        c.t_combine(a, b)
    assert (sys.getrefcount(a), sys.getrefcount(b)) == (ra, rb)
    assert sys.getrefcount(value) == refs + 1
    e.reset()
    assert sys.getrefcount(value) == refs


def test_an_array_of_functions_and_a_null_one(tp):
    c = tp.consumer
    c.get_funcs(0)
    assert c.t_sort(0, 5, [3, 1, 4, 1, 5]) == [1, 1, 3, 4, 5]
    assert c.t_sort(1, 5, [3, 1, 4, 1, 5]) == [5, 4, 3, 1, 1]
    assert c.t_sort(1, 2, [3, 1, 4]) == [3, 1, 4]  # only the first two
    assert c.t_sort(2, 3, [3, 1, 4]) is None       # sort[2] is NULL


def test_exceptions_raised_inside_the_exporters_functions(tp):
    c = tp.consumer
    c.get_funcs(0)
    for _ in range(2):  # and again: nothing left behind
        with pytest.raises(IndexError):
            c.t_getitem(99)
        with pytest.raises(TypeError, match="set_item: not None"):
            c.t_setitem(0, None)
        with pytest.raises(ValueError, match="sort: negative length"):
            c.t_sort(0, -1, [1])
    assert c.t_getitem(0) == 0  # and the table still works


def test_the_exporters_own_error_and_the_same_table_again(tp):
    e, c = tp.exporter, tp.consumer
    with pytest.raises(ValueError, match="Tbl_GetFuncs: no such table"):
        c.get_funcs(2)
    first = c.get_funcs(0)
    assert c.get_funcs(0) == first      # the same copy every time
    other = c.get_funcs(1)
    assert other != first
    assert c.t_fields() == (True, 9)    # table 1: no handle field, elsize
    if passes_through(tp):              # the exporter's own context
        assert (first, other) == (e.address(0), e.address(1))
    else:
        assert e.address(0) not in (first, other)
        assert c.get_funcs(0) == first
        assert c.t_fields() == (True, 8)  # castdict: NULL in the copy


def test_a_changed_table_is_converted_again(tp):
    e, c = tp.exporter, tp.consumer
    first = c.get_funcs(0)
    e.swap_sorts()
    try:
        # a caller that kept the old copy sees it until it asks again,
        # as with NumPy's table; then the same copy, changed
        again = c.get_funcs(0)
        assert again == first
        assert c.t_sort(0, 3, [1, 3, 2]) == [3, 2, 1]
        assert c.t_sort(1, 3, [1, 3, 2]) == [1, 2, 3]
    finally:
        e.swap_sorts()
    c.get_funcs(0)
    assert c.t_sort(0, 3, [1, 3, 2]) == [1, 2, 3]


def test_a_table_of_a_slot_type_with_arrays_is_refused(tp):
    c = tp.consumer
    if passes_through(tp):
        assert c.get_bad() == 1  # the exporter's own pointer
        return
    with pytest.raises(TypeError) as ei:
        c.get_bad()
    assert str(ei.value) == (
        "%s: tblapi API, Tbl_GetBad(): the table it returned (struct "
        "TblBad), field resolve: its slot type tbl_resolve takes "
        "HPyAPI_SLOT_LEN arrays; a returned table's functions take handles "
        "and values only" % tp.exporter.__name__)


def test_other_entries_are_unaffected(tp):
    assert tp.consumer.twice(21) == 42


@pytest.fixture
def fresh(request, pair_modes, modules, leakcheck):
    """The pair, its exporter a copy of its own per (test, caller mode):
    the limits below are per exporter file, for good."""
    e_mode, c_mode = pair_modes
    tag = request.node.originalname.split("_")[3] + c_mode  # slot, table
    exp, con = modules.pair(e_mode, c_mode, tag=tag, **PAIR)
    exp.reset()
    con.setup(exp.__name__)
    from conftest import Pair
    return Pair(exp, con, e_mode, c_mode)


def limit(c, first, n):
    """get_funcs(first + k) for k < n until one raises: (k, error)."""
    for k in range(n):
        try:
            c.get_funcs(first + k)
        except RuntimeError as err:
            return k, str(err)
    return n, None


def test_a_full_slot_type_pool_is_a_clear_error(fresh):
    e, c = fresh.exporter, fresh.consumer
    c.get_funcs(0)  # the usual functions: cells of their own
    k, err = limit(c, 100, 20)  # 20 different tbl_pair functions
    if passes_through(fresh):
        assert (k, err) == (20, None)
        return
    # table 0's combine took one cell of 16
    assert k == 15 and err == (
        "%s: tblapi API, Tbl_GetFuncs(): the table it returned (struct "
        "TblFuncs), field combine: more than HPYAPI_SLOT_POOL (16) different "
        "functions of slot type tbl_pair crossed to or from other contexts; "
        "define HPYAPI_SLOT_POOL as 32 or 64 in the exporter's file"
        % e.__name__)
    for j in range(k):  # the tables converted before still work
        c.get_funcs(100 + j)
        assert c.t_combine(1, 2) == j
    with pytest.raises(RuntimeError, match="tbl_pair"):  # and again
        c.get_funcs(100 + k)
    c.get_funcs(0)
    assert c.t_combine(1, 2) == (2, 1) and c.t_getitem(3) == 30


def test_a_full_table_cache_is_a_clear_error(fresh):
    e, c = fresh.exporter, fresh.consumer
    first = c.get_funcs(0)
    k, err = limit(c, 200, 80)
    if passes_through(fresh):
        assert (k, err) == (80, None)
        return
    assert k == 63 and err == (  # table 0 is the first of 64
        "%s: tblapi API, Tbl_GetFuncs(): the table it returned (struct "
        "TblFuncs) would be the 65th different table this exporter file "
        "hands to other contexts; it keeps at most HPYAPI_MAX_TABLES (64), "
        "each for good" % e.__name__)
    assert c.get_funcs(0) == first and c.t_getitem(1) == 10
    c.get_funcs(200 + k - 1)
    assert c.t_sort(0, 2, [2, 1]) == [1, 2]


@pytest.mark.parametrize("e_mode", ["universal", "debug"])
def test_a_consumer_expecting_a_plain_pointer_is_refused(e_mode, modules):
    """The signature says the result is a table (HPyAPI_TABLE): a
    consumer declared without it would call the exporter's functions with
    its own context, so its import fails, naming the entry."""
    e = modules.get("tblexporter", e_mode)
    c = modules.get("tblplain", "universal")
    with pytest.raises(ImportError) as ei:
        c.setup(e.__name__)
    assert str(ei.value) == (
        "hpyapi: cannot import the 'tblapi' API (version 1.0) from module "
        "'%s': entry 0 'Tbl_GetFuncs' has signature HPyAPI_TABLE TblFuncs "
        "*(int) in '%s' but TblFuncs *(int) in this extension's "
        "declaration; a changed signature needs a new entry (or a major "
        "version)" % (e.__name__, e.__name__))
