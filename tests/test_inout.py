"""In-out handles, `(HPy *, op, HPyAPI_INOUT)` -- NumPy's `PyObject **op`
(PyArray_AsCArray) -- over the whole mode matrix plus C-API callers: the
caller passes a handle it owns; left as it was, the caller still holds the
very handle it passed; replaced, the exporter closed it and the caller
holds a new handle of its own context for the new object; on error it is
left.  Nothing leaks (LeakDetector through `pair`, refcounts)."""
import sys

import pytest

import hpyapi
from conftest import C_DIR, EXAMPLES, register

for _name in ("ioexporter", "ioconsumer"):
    register(_name, [C_DIR / (_name + ".c")], [C_DIR, EXAMPLES])
register("ioconsumer_capi", [C_DIR / "ioconsumer_capi.c"], [C_DIR, EXAMPLES],
         abis=("capi",))

PAIR = {"exporter": "ioexporter", "consumer": "ioconsumer",
        "capi": "ioconsumer_capi"}
KEEP, WRAP, FAIL, REDUP, FILL = range(5)


@pytest.fixture
def io(pair):  # conftest's
    return pair.consumer


def steady(fn, *objs, n=200):
    """fn() n times leaves the refcount of each of objs as it was"""
    before = [sys.getrefcount(o) for o in objs]
    for _ in range(n):
        fn()
    assert [sys.getrefcount(o) for o in objs] == before


def test_left_in_place_is_the_callers_own_handle(io):
    obj = object()
    assert io.io_convert(obj, KEEP) == (0, obj, "same")
    steady(lambda: io.io_convert(obj, KEEP), obj)


def test_replaced_closes_the_old_and_gives_a_new_handle(io):
    obj = object()
    r, now, which = io.io_convert(obj, WRAP)
    assert (r, now, which) == (1, (obj,), "new")
    assert now[0] is obj
    steady(lambda: io.io_convert(obj, WRAP), obj)


def test_replaced_by_the_same_object(io, pair):
    obj = object()
    r, now, which = io.io_convert(obj, REDUP)
    assert (r, now) == (1, obj)
    # a new handle of a debug side; an offset encoding's is the same bits
    if "debug" not in (pair.e_mode, pair.c_mode):
        assert which == "same"
    steady(lambda: io.io_convert(obj, REDUP), obj)


def test_error_leaves_it(io):
    obj = object()
    with pytest.raises(ValueError, match="Io_Convert: refused"):
        io.io_convert(obj, FAIL)
    steady(lambda: pytest.raises(ValueError, io.io_convert, obj, FAIL), obj,
           n=50)


def test_null_in_and_null_pointer(io):
    assert io.io_convert(None, FILL) == (2, "filled", "new")
    assert io.io_convert(None, KEEP) == (0, None, "same")
    obj = object()
    assert io.io_convert(obj, FILL) == (0, obj, "same")
    assert io.io_nullptr() == -2  # the exporter sees the NULL it was given


def test_two_in_out_handles_trade_places(io):
    a, b = object(), object()
    got = io.io_swap(a, b)
    assert got[0] is b and got[1] is a
    steady(lambda: io.io_swap(a, b), a, b)


def test_with_a_result_and_an_out_handle(io):
    x, obj = object(), object()
    r, op, out = io.io_both(x, obj)
    assert r is x and op == (obj, x) and out is obj
    steady(lambda: io.io_both(x, obj), x, obj)


def test_hooks_take_the_call_and_keep_the_rule(pair, io):
    # hooks swap every table's slot to the generic trampoline: the same
    # rule there, counted per caller
    h = hpyapi.hooks(pair.exporter)
    obj = object()
    h.reset()  # the exporter is shared by every caller mode
    try:
        h.count(["Io_Convert", "Io_Swap"])
        for _ in range(5):
            r, now, which = io.io_convert(obj, WRAP)
            assert (r, now[0], which) == (1, obj, "new")
        assert io.io_convert(obj, KEEP) == (0, obj, "same")
        got = io.io_swap(obj, 7)
        assert got[0] == 7 and got[1] is obj
        assert {(s.caller, s.entry): s.calls for s in h.stats()} == {
            (io.__name__, "Io_Convert"): 6, (io.__name__, "Io_Swap"): 1}
        steady(lambda: io.io_convert(obj, WRAP), obj, n=50)
    finally:
        h.clear()
        h.reset()
    assert io.io_convert(obj, KEEP) == (0, obj, "same")


def test_describe_shows_the_signature(pair):
    d = hpyapi.describe(pair.exporter)
    assert [e["signature"] for e in d["entries"]] == [
        "int(inout HPy *,int)", "int(inout HPy *,inout HPy *)",
        "HPy(HPy,inout HPy *,HPy *)"]
