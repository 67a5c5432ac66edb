"""Callbacks (HPyAPI_CB / HPyAPI_KEPT_CB parameters) over the whole mode
matrix plus C-API callers: the exporter calls the consumer's function with
its own context and handles; the consumer's function runs with a context of
its own family and handles it may use, its result and its exceptions come
back to the exporter; references and debug handles balance (LeakDetector,
refcounts).  tests/c/cbexporter.c, cbconsumer.c, cbconsumer_capi.c."""
import os
import sys

import pytest

from hpyapi import testing

# the family a context of each mode belongs to: callbacks pass unchanged
# only between equal families (a C-API caller's are always wrapped)
KIND = {"cpython": "cpy", "universal": "uni", "hybrid": "uni",
        "debug": "dbg", "trace": "trace", "capi": "capi"}


# with hpyapi.testing's private contexts, universal and trace modules each
# have their own instance: callbacks then pass only where the caller's
# context is the exporter's own, i.e. between CPython-ABI or debug modules
PRIVATE = os.environ.get(testing.PRIVATE_CONTEXTS_ENV) == "1"


class Pair:
    def __init__(self, exporter, consumer, e_mode, c_mode):
        self.exporter, self.c = exporter, consumer
        self.passes_through = KIND[e_mode] == KIND[c_mode] and not (
            PRIVATE and KIND[e_mode] in ("uni", "trace"))


PAIR = {"exporter": "cbexporter", "consumer": "cbconsumer",
        "capi": "cbconsumer_capi"}


@pytest.fixture
def cpair(pair):  # conftest's
    yield Pair(*pair)
    # every callback ran with a context of the consumer's own family
    assert pair.consumer.bad_contexts() == 0


def test_values_and_handles(cpair):
    c = cpair.c
    assert c.cb_map((10, 20, 30), lambda x, i: x + i) == [10, 21, 32]
    assert c.cb_map((), lambda x, i: 1 / 0) == []
    assert c.cb_sum(5, lambda i: i * i) == 30
    assert c.cb_nullary(lambda: 42) == 42
    seen = []
    assert c.cb_each("abc", lambda item, extra: seen.append((item, extra)),
                     "x") == 3
    assert seen == [("a", "x"), ("b", "x"), ("c", "x")]
    assert c.cb_two(lambda x: x * 2, lambda y: y + 1, 20) == 41


def test_identity_and_refcounts(cpair):
    c = cpair.c
    obj = object()
    assert all(r is obj for r in c.cb_map([obj] * 3, lambda x, i: x))
    before = sys.getrefcount(obj)
    for _ in range(200):
        c.cb_map((obj, obj), lambda x, i: x)
        c.cb_two(lambda x: x, lambda y: y, obj)
        c.cb_each((obj,), lambda item, extra: None, obj)
    assert sys.getrefcount(obj) == before


def test_exceptions_come_back(cpair):
    c = cpair.c

    def boom(*args):
        raise ValueError("boom from the callback")

    with pytest.raises(ValueError, match="boom from the callback"):
        c.cb_map((1, 2), boom)
    with pytest.raises(ValueError, match="boom from the callback"):
        c.cb_sum(3, boom)
    with pytest.raises(ValueError, match="boom from the callback"):
        c.cb_each((1,), boom, None)
    with pytest.raises(ValueError, match="boom from the callback"):
        c.cb_nullary(boom)
    with pytest.raises(ValueError, match="boom from the callback"):
        c.cb_two(lambda x: x, boom, 1)
    # the exporter's own errors still come through
    with pytest.raises(TypeError):
        c.cb_map(5, lambda x, i: x)
    assert c.cb_map((1,), lambda x, i: x) == [1]


def test_nested_and_reentrant(cpair):
    c = cpair.c

    def outer(x, i):
        return c.cb_map(x, lambda y, j: (y, i, j))

    assert c.cb_map(((1, 2), (3,)), outer) == [[(1, 0, 0), (2, 0, 1)],
                                               [(3, 1, 0)]]

    def deep(n):
        return n if n == 0 else c.cb_two(lambda x: x - 1, deep, n)

    assert deep(5) == 0


def test_kept_callback_called_later(cpair):
    c, e = cpair.c, cpair.exporter
    c.cb_register(lambda x: ("first", x))
    # from the exporter's own Python method, outside any hpyapi call
    assert e.fire(1) == ("first", 1)
    # and through the API again
    assert c.cb_fire(2) == ("first", 2)
    c.cb_register(lambda x: ("second", x))
    obj = object()
    before = sys.getrefcount(obj)
    for _ in range(100):
        assert e.fire(obj)[1] is obj
    assert sys.getrefcount(obj) == before

    def fail(x):
        raise KeyError("kept failure")

    c.cb_register(fail)
    with pytest.raises(KeyError, match="kept failure"):
        e.fire(3)


def test_callback_kept_against_its_declaration(cpair):
    """An exporter that keeps an HPyAPI_CB callback and calls it later: a
    SystemError naming the callback where hpyapi wrapped it, the consumer's
    own function where it passed unchanged (same family)."""
    c, e = cpair.c, cpair.exporter
    c.cb_stash(lambda x: ("stashed", x))
    if cpair.passes_through:
        assert e.fire_stashed(7) == ("stashed", 7)
    else:
        with pytest.raises(SystemError,
                           match=r"Cb_Stash\(fn\) was called .* after that "
                                 r"call returned.*HPyAPI_KEPT_CB"):
            e.fire_stashed(7)


def test_hooks_wrap_calls_with_callbacks(cpair):
    """Hooks see calls whose callbacks hpyapi wrapped; refusing a call means
    the callback is never run; the calls work again once hooks are off."""
    import hpyapi
    c, e = cpair.c, cpair.exporter
    with hpyapi.counting(e, entries=["Cb_Map", "Cb_Two"]) as counts:
        assert c.cb_map((1, 2), lambda x, i: x * 10) == [10, 20]
        assert c.cb_two(lambda x: x, lambda y: -y, 4) == -4
        assert c.cb_two(lambda x: x, lambda y: y, 5) == 5
    assert counts == {(c.__name__, "Cb_Map"): 1, (c.__name__, "Cb_Two"): 2}
    h = hpyapi.hooks(e)
    ran = []
    h.refuse("Cb_Map", PermissionError, "no mapping today")
    try:
        with pytest.raises(PermissionError, match="no mapping today"):
            c.cb_map((1,), lambda x, i: ran.append(x))
    finally:
        h.clear()
    assert ran == []
    assert c.cb_map((3,), lambda x, i: x) == [3]
