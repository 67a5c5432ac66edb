"""The direct path between a debug side and an offset side.

Entries whose parameters are plain handles and values convert in place
(runtime/transform.c): the first such call goes the general way, the next
ones are routed straight there (HPyAPI_Route.direct, learned per entry and
caller kind), and a debug exporter is entered with HPy opening the first
handle.  These tests repeat every call so that each one runs through the
learned route too, with handles in every position, NULL handles, handle and
value results, errors, hooks set and cleared, and reentrant calls; the
LeakDetector fails any test that leaves a debug handle open on either side.
"""
import sys

import pytest

import hpyapi

# one side debug, the other an offset family (CPython ABI, universal, trace)
OFFSET = ("cpython", "universal", "hybrid", "trace")
PAIRS = [("debug", c) for c in OFFSET + ("capi",)] + \
        [(e, "debug") for e in OFFSET]
REPEAT = 5  # the first calls learn the route; the rest take it


# fresh copies: the routes these tests watch start unlearned
PAIR = {"fresh": True}


@pytest.fixture
def pair(pair, pair_modes):  # conftest's, in this file's PAIRS
    # pair_modes named here too: pytest < 9 leaves a fixture that an
    # overriding fixture of the same name requests out of the closure
    yield pair.exporter, pair.consumer
    hpyapi.hooks(pair.exporter).clear()


class MyError(Exception):
    pass


def test_values_identity_and_results(pair):
    _, consumer = pair
    o, p = object(), object()
    for _ in range(REPEAT):
        assert consumer.add(2, 3) == 5               # two handles -> handle
        assert consumer.add("ab", "cd") == "abcd"
        assert consumer.identity(o) is o             # one handle -> handle
        assert consumer.pick(o, p, 0) is o           # handles and a value
        assert consumer.pick(o, p, 1) is p
        assert consumer.as_long(7) == 7              # handle -> value
        assert consumer.scale(1.5, 2) == 3.0         # values only
        assert consumer.thing() is consumer.thing()  # no argument -> handle
        consumer.store(o)                            # handle -> void
        assert consumer.load() is o


def test_null_handles_in_every_position(pair):
    _, consumer = pair
    o = object()
    for _ in range(REPEAT):
        assert consumer.pick(None, o, 0) == "<NULL handle>"
        assert consumer.pick(None, o, 1) is o
        assert consumer.pick(o, None, 1) == "<NULL handle>"
        assert consumer.pick(o, None, 0) is o
        assert consumer.pick(None, None, 1) == "<NULL handle>"


def test_errors_keep_type_and_message(pair):
    _, consumer = pair
    for _ in range(REPEAT):
        with pytest.raises(TypeError, match=r"unsupported operand type\(s\) "
                           r"for \+: 'int' and 'str'"):
            consumer.add(1, "x")
        with pytest.raises(MyError, match="^custom message$"):
            consumer.raise_(MyError, "custom message")
        with pytest.raises(ValueError, match="^NullResult was asked to fail$"):
            consumer.null_result(1)
        assert consumer.add(1, 1) == 2  # and the next call is fine


def test_refcounts_balanced(pair):
    _, consumer = pair
    o = object()
    s = "".join(["refcount", "-probe"])  # a fresh, non-interned string
    before = [sys.getrefcount(x) for x in (o, s)]
    for _ in range(300):
        consumer.identity(o)
        consumer.pick(o, s, 1)
        consumer.pick(None, o, 1)
        consumer.add(s, s)
    # results are new references the caller drops: a borrowed one would
    # have lowered the counts, a leaked one raised them
    assert [sys.getrefcount(x) for x in (o, s)] == before


def test_reentrant_calls(pair):
    _, consumer = pair

    def rec(n):
        if n == 0:
            return consumer.add(0, 0)
        return consumer.add(consumer.callback(rec, n - 1), 1)

    for _ in range(REPEAT):
        assert rec(4) == 4
        assert consumer.callback(
            lambda x: consumer.callback(lambda y: consumer.add(y, 1), x),
            1) == 2


def test_hooks_take_over_and_give_back(pair):
    exporter, consumer = pair
    for _ in range(REPEAT):  # learn the direct route first
        assert consumer.pick(1, 2, 1) == 2
    h = hpyapi.hooks(exporter)
    h.count(["Pick"])
    for _ in range(REPEAT):
        assert consumer.pick(1, 2, 1) == 2
        assert consumer.pick(None, 3, 1) == 3
    (rec,) = h.stats()
    assert (rec.entry, rec.calls) == ("Pick", 2 * REPEAT)
    h.clear()
    for _ in range(REPEAT):  # back on the direct route, uncounted
        assert consumer.pick(1, 2, 0) == 1
    assert [s.calls for s in h.stats()] == [2 * REPEAT]
