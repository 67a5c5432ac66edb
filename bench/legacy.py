"""make bench, the legacy bridge (issue 13): NumPy's own C-API called from
HPy code through `HPyAPI_LEGACY_*` (examples/npy_api.h), next to the same
call from a C-API extension compiled against numpy's headers and the Python
round trip.  bench/bench.py times these rows and counts them in its
callgrind run; bench/report.py renders them, with verdicts from instruction
counts only.

bench/c/bnpy.c is the HPy caller (built per ABI, loaded in each caller
mode); bench/c/bnpyc.c the plain C-API extension (the direct call)."""
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUILD = REPO / "build" / "bench"
C = HERE / "c"

BENCH_CALL, BENCH_PY = 1, 2  # bench/c/benchapi.h: BENCH_TABLE, BENCH_PYTHON

WHAT = {"Size": 0, "FromAny": 1}
CALLERS = [("capi", "direct"), ("cpython", "bridge"), ("universal", "bridge"),
           ("hybrid", "bridge"), ("trace", "bridge"), ("debug", "bridge"),
           ("capi", "python"), ("universal", "python")]

# issue 13's target, in instructions: a bridged call with one handle
# argument (Size) over the direct C-API call, universal and CPython-ABI
# callers
BRIDGE_OVER_DIRECT = 15
TARGET_CALLERS = ("universal", "cpython")


def ids():
    return ["legacy|%s|%s|%s" % (c, how, w) for w in WHAT
            for c, how in CALLERS]


def is_legacy(vid):
    return vid.startswith("legacy|")


class Setup:
    """Builds bnpy (per ABI) and bnpyc once, loads one copy per caller
    mode.  Imports numpy: create it only when the legacy rows come."""

    def __init__(self):
        import numpy
        from hpyapi import testing
        self.t = testing
        args = testing.default_compile_args()
        inc = [C, REPO / "examples"]
        self.sos = {abi: testing.build_extension(
            "bnpy", [C / "bnpy.c"], abi, BUILD, include_dirs=inc,
            extra_compile_args=args)
            for abi in ("cpython", "universal", "hybrid")}
        self.sos["capi"] = testing.build_extension(
            "bnpyc", [C / "bnpyc.c"], "capi", BUILD,
            include_dirs=[C, numpy.get_include()], extra_compile_args=args)
        self.mods = {}
        self.array = numpy.arange(12.0).reshape(3, 4)
        self.asarray = numpy.asarray
        self.size = sys.intern("size")

    def run(self, vid, n, label=""):
        _, caller, how, what = vid.split("|")
        if caller not in self.mods:
            name = "bnpyc" if caller == "capi" else "bnpy"
            so = self.sos["capi" if caller == "capi"
                          else self.t.abi_for_mode(caller)]
            self.mods[caller] = self.t.load_extension(
                "bench_legacy_%s.%s" % (caller, name), so,
                "cpython" if caller == "capi" else caller, BUILD / "loaded")
        extra = self.size if what == "Size" else self.asarray
        return self.mods[caller].run(
            BENCH_CALL if how != "python" else BENCH_PY, WHAT[what], n,
            self.array, extra, label)


def time_row(s, vid, quick):
    """ns per call: median of repeats (information only)."""
    s.run(vid, 2000)  # warm up, and estimate
    est = max(s.run(vid, 2000) / 2000, 1.0)
    n = max(1000, int((0.004 if quick else 0.02) * 1e9 / est))
    return statistics.median(s.run(vid, n) / n
                             for _ in range(3 if quick else 9))


def measure(quick):
    """[(variant id, ns per call)] of every legacy row."""
    s = Setup()
    return [(vid, time_row(s, vid, quick)) for vid in ids()]


def render(rows, counts):
    """The results.md section: one table per function."""
    out = ["## Legacy bridge: NumPy's C-API from HPy code", "",
           "`PyArray_Size(a)` (one handle in, `npy_intp` out) and "
           "`PyArray_FromAny(a, NULL, 0, 0, 0, NULL)` (one handle in and a "
           "NULL stolen descr, a new handle out, closed by the loop) on a "
           "3x4 float64 array.  direct: a C-API extension compiled against "
           "numpy's headers (bench/c/bnpyc.c); bridge: an HPy module "
           "through examples/npy_api.h in the caller's mode "
           "(bench/c/bnpy.c); python: the same information through Python "
           "(`a.size`, `numpy.asarray(a)`).  +Ir: over the direct call.  "
           "Callgrind runs with OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=1 "
           "(numpy's BLAS threads would otherwise add to the counts).", ""]
    for what in WHAT:
        out += ["### %s" % what, "",
                "| caller | path | ns/call | Ir/call | +Ir |",
                "|---|---|---:|---:|---:|"]
        base = counts.get("legacy|capi|direct|%s" % what)
        for vid, ns in rows:
            _, caller, how, w = vid.split("|")
            if w != what:
                continue
            ir = counts.get(vid)
            out.append("| %s | %s | %.1f | %s | %s |" % (
                caller, how, ns, "%.0f" % ir if ir is not None else "-",
                "%+.0f" % (ir - base) if None not in (ir, base) and
                how != "direct" else ""))
        out.append("")
    return out


def targets(rows, counts):
    """(target, measured, verdict: True/False/None) rows for results.md's
    Targets table."""
    ns = dict(rows)
    direct = "legacy|capi|direct|Size"
    out = []
    for caller in TARGET_CALLERS:
        vid = "legacy|%s|bridge|Size" % caller
        name = ("legacy bridge %s, Size (one handle): <= +%d instructions "
                "over the direct C-API call" % (caller, BRIDGE_OVER_DIRECT))
        ir, base = counts.get(vid), counts.get(direct)
        if None in (ir, base):
            out.append((name, "%+.2f ns" % (ns[vid] - ns[direct]), None))
            continue
        # whole instructions per call; the fraction is the loop's fixed cost
        extra = round(ir - base)
        out.append((name, "%+d instructions (%+.2f ns)" % (
            extra, ns[vid] - ns[direct]), extra <= BRIDGE_OVER_DIRECT))
    return out
