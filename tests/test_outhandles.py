"""Out-handles (HPy *) and arrays the exporter fills (HPy *, p, n), over the
whole mode matrix plus C-API callers (PyObject **): the caller receives new
handles of its own context that it owns; what the exporter did not write
stays as the caller left it; nothing leaks (LeakDetector, refcounts)."""
import sys

import pytest



PAIR = {"exporter": "outexporter", "setup": "setup_out"}


@pytest.fixture
def opair(pair):  # conftest's
    return pair.consumer


def test_out_handle_is_a_new_owned_handle(opair):
    n = 10 ** 30  # a fresh object each time: the exporter's own result
    r, out = opair.out_parse(n, "marker")
    assert (r, out) == (1, 2 * n)
    big = 12345678901234567890
    before = sys.getrefcount(big)
    for _ in range(300):
        assert opair.out_parse(big, "marker") == (1, 2 * big)
    assert sys.getrefcount(big) == before


def test_failure_leaves_the_out_handle_untouched(opair):
    marker = object()
    before = sys.getrefcount(marker)
    for _ in range(50):
        with pytest.raises(TypeError, match="Out_Parse: not an int"):
            opair.out_parse(None, marker)
    assert sys.getrefcount(marker) == before


def split_ok(opair, seq):
    first, rest = opair.out_split(seq)
    return first is seq[0] and rest == seq[1:]


def test_two_out_handles(opair):
    seq = (object(), 2, 3)
    assert split_ok(opair, seq)
    x = seq[0]
    before = sys.getrefcount(x)
    for _ in range(200):
        opair.out_split(seq)
    assert sys.getrefcount(x) == before
    with pytest.raises(ValueError, match="Out_Split: empty"):
        opair.out_split(())
    with pytest.raises(TypeError):
        opair.out_split(5)


@pytest.mark.parametrize("n", [0, 3, 5, 40])
def test_filled_array_is_converted_element_by_element(opair, n):
    items = [object() for _ in range(30)]
    got, out = opair.out_fill(items, n)
    assert got == min(n, 30)
    assert all(a is b for a, b in zip(out, items))
    assert out[got:] == [None] * (n - got)  # not written: left NULL
    x = items[0]
    before = sys.getrefcount(x)
    for _ in range(100):
        opair.out_fill(items, n)
    assert sys.getrefcount(x) == before


def test_filled_array_error_keeps_what_was_written(opair):
    with pytest.raises(TypeError):
        opair.out_fill(7, 3)


def test_result_and_out_handle_together(opair):
    assert opair.out_both(40) == (41, 42)
    with pytest.raises(TypeError):
        opair.out_both("x")
