"""Guards the fast paths with instruction counts from callgrind, which are
deterministic, unlike timings (never asserted here).  Uses the benchmark's
own loops (bench/c) with few iterations; skipped without valgrind."""
import shutil
import sys

import pytest

from conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("valgrind") is None,
                                reason="valgrind is not installed")

sys.path.insert(0, str(REPO / "bench"))
import bench  # noqa: E402

RAW, TABLE = bench.RAW, bench.TABLE

# (how, caller, exporter, hooks) whose counts the assertions use
WANTED = [
    (RAW, "universal", "universal", None), (RAW, "cpython", "cpython", None),
    (RAW, "debug", "debug", None), (RAW, "trace", "trace", None),
    (TABLE, "universal", "universal", None), (TABLE, "cpython", "cpython", None),
    (TABLE, "debug", "debug", None), (TABLE, "trace", "trace", None),
    (TABLE, "trace", "universal", None), (TABLE, "cpython", "universal", None),
    (TABLE, "universal", "cpython", None), (TABLE, "capi", "universal", None),
    (TABLE, "capi", "cpython", None), (TABLE, "universal", "universal",
                                       "cleared"),
]


@pytest.fixture(scope="module")
def ir():
    ids, index = [], {}
    for v in bench.VARIANTS:
        key = (v[3], v[1], v[2], v[4])
        if key in WANTED:
            for fn in bench.FUNCS:
                vid = bench.variant_id(v, fn)
                ids.append(vid)
                index[key + (fn,)] = vid
    counts = bench.callgrind_counts(400, ids)
    assert set(counts) == set(ids), "callgrind did not report every loop"
    return lambda how, caller, exporter, fn, hooks=None: counts[
        index[(how, caller, exporter, hooks, fn)]]


@pytest.mark.parametrize("fn", sorted(bench.FUNCS))
@pytest.mark.parametrize("mode", ["universal", "cpython", "debug", "trace"])
def test_same_family_costs_at_most_six_instructions(ir, mode, fn):
    extra = ir(TABLE, mode, mode, fn) - ir(RAW, mode, mode, fn)
    assert 0 < extra <= 6, extra


@pytest.mark.parametrize("fn", sorted(bench.FUNCS))
def test_learned_paths_stay_cheap(ir, fn):
    # trace caller -> universal exporter: the trampoline's second compare
    assert ir(TABLE, "trace", "universal", "trivial") - \
        ir(RAW, "universal", "universal", "trivial") <= 8
    # CPython-ABI <-> universal: the slow function's rebase, no refcounts
    for caller, exporter in (("cpython", "universal"), ("universal", "cpython")):
        assert ir(TABLE, caller, exporter, "trivial") - \
            ir(RAW, "universal", "universal", "trivial") <= 16


def test_capi_direct_path(ir):
    for exporter in ("universal", "cpython"):
        assert ir(TABLE, "capi", exporter, "trivial") - \
            ir(RAW, "universal", "universal", "trivial") <= 3


@pytest.mark.parametrize("fn", sorted(bench.FUNCS))
def test_cleared_hooks_cost_nothing(ir, fn):
    assert ir(TABLE, "universal", "universal", fn, "cleared") == \
        ir(TABLE, "universal", "universal", fn)


# ---- many consumer modules in turn, and imports (bench/scale.py) ---------
import scale  # noqa: E402

TURNS = [(exporter, [scale.CPY] * n) for exporter in ("cpython", "universal")
         for n in (3, 10)]
ROUNDS = 100


@pytest.fixture(scope="module")
def scaled():
    return scale.measure_instructions(TURNS, None, (400,), ROUNDS, 1)


@pytest.mark.parametrize("n", [3, 10])
def test_cpython_abi_consumers_in_turn_stay_on_the_fast_path(scaled, n):
    # each copy has its own context (name pointer); every one of them must
    # still cost at most the same-family bound over the raw call
    modes = [scale.CPY] * n
    per_call, over, each = scale.turn_costs(scaled, "cpython", modes, ROUNDS)
    assert 0 < round(max(each)) <= scale.SAME_FAMILY, each
    assert abs(sum(each) / n - over) < 0.5  # the parts add up to the whole


@pytest.mark.parametrize("n", [3, 10])
def test_cpython_abi_consumers_in_turn_of_a_universal_exporter(scaled, n):
    modes = [scale.CPY] * n
    each = scale.turn_costs(scaled, "universal", modes, ROUNDS)[2]
    assert 0 < round(max(each)) <= scale.CPY_UNIVERSAL, each


def test_import_of_a_400_entry_api(scaled):
    per_import = scaled["import|400"] / 1  # the fixture counts one import
    assert per_import <= scale.IMPORT_400, per_import
