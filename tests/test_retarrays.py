"""Returned arrays of handles, `HPy *` with `#define HPyAPI_RETURNS_<Entry>
HPyAPI_HANDLES(n)` -- NumPy's PyArray_ConvertToCommonType(op, &n) -- over
the whole mode matrix plus C-API callers: n new handles of the caller's
own context in an array the caller owns and frees with HPyAPI_FreeHandles
(C-API: new references, HPyAPI_FreeObjects); the length read after the
call (`*retn`) or fixed; NULL and the exception on error; nothing leaks
(LeakDetector through `pair`, refcounts)."""
import sys

import pytest

import hpyapi
from conftest import C_DIR, EXAMPLES, register

for _name in ("retexporter", "retconsumer"):
    register(_name, [C_DIR / (_name + ".c")], [C_DIR, EXAMPLES])
register("retconsumer_capi", [C_DIR / "retconsumer_capi.c"],
         [C_DIR, EXAMPLES], abis=("capi",))

PAIR = {"exporter": "retexporter", "consumer": "retconsumer",
        "capi": "retconsumer_capi"}


@pytest.fixture
def rc(pair):  # conftest's
    return pair.consumer


def steady(fn, *objs, n=100):
    before = [sys.getrefcount(o) for o in objs]
    for _ in range(n):
        fn()
    assert [sys.getrefcount(o) for o in objs] == before


@pytest.mark.parametrize("n", [0, 1, 3, 20])  # 20: past any 16-slot buffer
def test_length_read_after_the_call(rc, n):
    items = [object() for _ in range(n)]
    got = rc.ret_items(tuple(items))
    assert len(got) == n and all(a is b for a, b in zip(got, items))
    if n:
        steady(lambda: rc.ret_items(tuple(items)), items[0], items[-1])


def test_fixed_length(rc):
    a = object()
    got = rc.ret_twice(a)
    assert len(got) == 2 and got[0] is a and got[1] is a
    steady(lambda: rc.ret_twice(a), a)


def test_error_is_null_and_the_exception(rc):
    with pytest.raises(TypeError):
        rc.ret_items(5)
    with pytest.raises(ValueError, match="Ret_Items: too long"):
        rc.ret_items(tuple(range(65)))
    x = object()
    steady(lambda: pytest.raises(IndexError, rc.ret_items, _Broken(x)), x,
           n=30)


class _Broken:
    """a sequence whose third item fails: the exporter frees what it had"""

    def __init__(self, x):
        self.x = x

    def __len__(self):
        return 3

    def __getitem__(self, i):
        if i == 2:
            raise IndexError("broken")
        return self.x


def test_describe_shows_the_signature(pair):
    d = hpyapi.describe(pair.exporter)
    assert [e["signature"] for e in d["entries"]] == ["HPy *(HPy,int *)",
                                                      "HPy *(HPy)"]
