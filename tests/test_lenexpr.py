"""Handle arrays whose length is fixed or implied, `HPyAPI_LEN_EXPR(e)`:
a constant (3) or an expression of other parameters (a type resolver's
`nin + nout`, `2 * n` of an unsigned char), read and filled, over the whole
mode matrix plus C-API callers; past the stack paths' 16 handles too;
nothing leaks (LeakDetector through `pair`, refcounts)."""
import sys

import pytest

from conftest import C_DIR, EXAMPLES, register

for _name in ("lenexporter", "lenconsumer"):
    register(_name, [C_DIR / (_name + ".c")], [C_DIR, EXAMPLES])
register("lenconsumer_capi", [C_DIR / "lenconsumer_capi.c"],
         [C_DIR, EXAMPLES], abis=("capi",))

PAIR = {"exporter": "lenexporter", "consumer": "lenconsumer",
        "capi": "lenconsumer_capi"}


@pytest.fixture
def lc(pair):  # conftest's
    return pair.consumer


def steady(fn, *objs, n=100):
    before = [sys.getrefcount(o) for o in objs]
    for _ in range(n):
        fn()
    assert [sys.getrefcount(o) for o in objs] == before


def test_fixed_length_read_array(lc):
    a, b, c = object(), object(), object()
    t = lc.len_three([a, b, c, object()])  # the fourth is not passed
    assert len(t) == 3 and t[0] is a and t[1] is b and t[2] is c
    steady(lambda: lc.len_three([a, b, c]), a, b, c)


def test_fixed_length_filled_array(lc):
    a = object()
    out = lc.len_split3((a, 2, 3, 4))
    assert out[0] is a and out[1:] == [2, 3]
    steady(lambda: lc.len_split3((a, 2, 3)), a)
    with pytest.raises(IndexError):
        lc.len_split3((1, 2))  # nothing written on error: no leak


@pytest.mark.parametrize("nin,nout", [(0, 0), (2, 1), (3, 2), (12, 8)])
def test_resolver_shape_nin_plus_nout(lc, nin, nout):
    dt = [object() if i % 3 else None for i in range(nin + nout)]
    r, out = lc.len_resolve(dt + [object()] * 3, nin, nout)
    assert r == nin + nout and len(out) == nin + nout
    assert all(o is (float if d is None else d) for o, d in zip(out, dt))
    steady(lambda: lc.len_resolve(dt, nin, nout), *[d for d in dt if d])


def test_negative_implied_length_raises(lc):
    # the runtime refuses it where it converts handles; the exporter
    # itself where the call goes straight through
    with pytest.raises(ValueError):
        lc.len_resolve([None] * 4, -3, 1)


@pytest.mark.parametrize("n", [0, 1, 8, 20])  # 40 handles: past 16
def test_expression_of_an_unsigned_char(lc, n):
    flat = [object() for _ in range(2 * n)]
    pairs = lc.len_pairs(flat, n)
    assert len(pairs) == n
    assert all(p[0] is flat[2 * i] and p[1] is flat[2 * i + 1]
               for i, p in enumerate(pairs))
    steady(lambda: lc.len_pairs(flat, n), *flat[:2], n=30)
