"""The mode matrix: every exporter mode x every caller mode.

Exporter and consumer are built once per ABI (cpython, universal, hybrid)
and loaded per mode; `pair` gives a consumer whose table points at an
exporter of another (or the same) mode.  The sixth caller, "capi", is a
plain C-API extension (tests/c/capi_consumer.c) calling through the
CPython-API table with the same Python-level functions.  Every test runs
under hpy's LeakDetector, so a debug-mode handle left open on either side
fails it.
"""
import sys

import pytest

from conftest import CTX_NAME, FAMILY

# `pair` (tests/conftest.py): exporter.c and consumer.c (capi_consumer.c
# for the "capi" caller) in every pair of conftest.PAIRS


class MyError(Exception):
    pass


def test_each_side_runs_in_its_own_context(pair):
    exporter, consumer, e_mode, c_mode = pair
    assert consumer.ctx_name() == CTX_NAME[c_mode]
    assert exporter.ctx_name() == CTX_NAME[e_mode]
    # the exporter's implementation ran with a context of its own family,
    # whoever called it
    assert consumer.exporter_ctx_name() == CTX_NAME[e_mode]


def test_handles_cross_and_keep_identity(pair):
    exporter, consumer, _, _ = pair
    assert consumer.add(2, 3) == 5
    assert consumer.add("ab", "cd") == "abcd"
    o = object()
    assert consumer.identity(o) is o
    assert consumer.thing() is exporter.Thing
    consumer.store(o)
    assert consumer.load() is o


def test_null_handles_pass_as_null(pair):
    _, consumer, _, _ = pair
    o = object()
    assert consumer.pick(None, o, 0) == "<NULL handle>"
    assert consumer.pick(None, o, 1) is o
    assert consumer.pick(o, None, 1) == "<NULL handle>"


def test_values_pass_unchanged(pair):
    _, consumer, _, _ = pair
    assert consumer.as_long(41) == 41
    assert consumer.as_long(-(2 ** 62)) == -(2 ** 62)
    assert consumer.scale(1.5, 4) == 6.0
    assert consumer.scale(-0.25, -8) == 2.0


def test_handle_arrays(pair):
    _, consumer, _, _ = pair
    assert consumer.sum_list([]) == 0
    assert consumer.sum_list([1, 2, 3]) == 6
    # more handles than the transform's on-stack buffer (16), and around it
    assert consumer.sum_list(list(range(100))) == 4950
    for n in (15, 16, 17):
        items = [10 ** 20 + i for i in range(n)]
        assert consumer.sum_list(items) == sum(items)
    assert consumer.concat("-", ["a", "b", "c"], "!") == "a-b-c!"
    assert consumer.concat("", [], "tail") == "tail"


def test_exceptions_keep_type_and_message(pair):
    _, consumer, _, _ = pair
    with pytest.raises(KeyError) as e:
        consumer.raise_(KeyError, "boom")
    assert e.value.args == ("boom",)
    with pytest.raises(MyError, match="^custom message$"):
        consumer.raise_(MyError, "custom message")
    with pytest.raises(ValueError, match="^NullResult was asked to fail$"):
        consumer.null_result(1)
    with pytest.raises(TypeError,
                       match=r"unsupported operand type\(s\) for \+: 'int' and 'str'"):
        consumer.add(1, "x")
    with pytest.raises(TypeError):
        consumer.as_long("not a number")


def test_return_conventions_kept(pair):
    exporter, consumer, _, c_mode = pair
    if c_mode == "capi":
        # C's NULL means "failed, exception set": a C (or Cython) caller
        # would report or crash on NULL without one, so the C-API table
        # raises SystemError naming the module, API and entry
        with pytest.raises(SystemError) as e:
            consumer.null_result(0)
        assert str(e.value) == (
            "%s: testapi API, NullResult(): returned NULL without setting "
            "an exception; an entry that fails must set one "
            "(HPyErr_SetString) before returning HPy_NULL" % exporter.__name__)
    else:
        # HPy_NULL without an exception comes back as HPy_NULL, no error
        # invented
        assert consumer.null_result(0) == "NULL, no error"
    # -1 with an exception: the consumer sees -1 and the exception
    with pytest.raises(OverflowError):
        consumer.as_long(2 ** 80)


def test_nested_and_reentrant_calls(pair):
    _, consumer, _, _ = pair
    assert consumer.callback(lambda x: x * 2, 21) == 42
    # exporter -> Python -> consumer -> exporter -> Python -> consumer -> ...
    assert consumer.callback(
        lambda x: consumer.callback(lambda y: consumer.add(y, 1), x), 1) == 2

    def rec(n):
        if n == 0:
            return consumer.add(0, 0)
        return consumer.add(consumer.callback(rec, n - 1), 1)

    assert rec(5) == 5
    # an exception deep inside unwinds through every trampoline
    with pytest.raises(MyError, match="^inner$"):
        consumer.callback(
            lambda x: consumer.callback(
                lambda y: consumer.raise_(MyError, "inner"), x), 0)


def test_retired_entry_raises(pair):
    exporter, consumer, _, _ = pair
    with pytest.raises(NotImplementedError) as e:
        consumer.old_entry(1)
    msg = str(e.value)
    assert msg.startswith("%s: testapi API, OldEntry(): " % exporter.__name__)
    assert "retired in testapi 1.0" in msg


def test_refcounts_balanced(pair):
    _, consumer, _, _ = pair
    o = object()
    s = "".join(["refcount", "-probe"])  # a fresh, non-interned string
    big = 10 ** 30
    before = [sys.getrefcount(x) for x in (o, s, big)]
    for _ in range(200):
        consumer.identity(o)
        consumer.pick(o, o, 1)
        consumer.concat(s, [s, s], s)
        consumer.sum_list([big, big])
        consumer.callback(lambda x: x, o)
    assert [sys.getrefcount(x) for x in (o, s, big)] == before
    # a result is a new reference owned by the caller
    base = sys.getrefcount(o)
    r = consumer.identity(o)
    assert sys.getrefcount(o) == base + 1
    del r
    assert sys.getrefcount(o) == base


def test_inconsistent_array_is_refused_where_converted(pair):
    exporter, consumer, e_mode, c_mode = pair
    if FAMILY[e_mode] == FAMILY[c_mode]:
        # same family: the call goes straight through, as a raw table call
        # would, and the exporter sees n = -1 (an empty loop)
        assert consumer.sum_list_bad(-1) == 0
    else:
        with pytest.raises(ValueError) as e:
            consumer.sum_list_bad(-1)
        assert str(e.value) == (
            "%s: testapi API, SumList(): got a handle array of length -1 at "
            "(nil); expected a length >= 0 and, unless it is 0, a non-NULL "
            "array" % exporter.__name__)
