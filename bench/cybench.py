"""make bench, Cython consumers (issue 21): a Cython module calling
benchapi through the .pxd generated from bench/c/benchapi.h (the
CPython-API table), next to the anchor Cython users compare with: a
`cdef` function cimported from another Cython module (bench/cy).  Both
loops check `except? -1` the same way; the C-API consumer's rows of the
main tables (bench/c/bcapi.c) are repeated for comparison.  bench.py times
these rows and counts them in its callgrind run.

Named cybench, not cython: bench/ is on sys.path and Cython's compiler
imports `cython`."""
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUILD = HERE.parent / "build" / "bench"
C = HERE / "c"
CY = HERE / "cy"

FUNCS = {"trivial": 0, "sum10": 1}
EXPORTERS = ("cpython", "universal", "hybrid", "trace", "debug")
# issue 21's targets, for these exporters' Trivial: a Cython call through
# the table costs what the C-API consumer's does, plus at most this many
# instructions (the `except? -1` test Cython adds after the call, which
# bench/c/bcapi.c's loop leaves out)...
OVER_CAPI = 1
# ...and at most this many over the cimported cdef function: the load of
# the table pointer (which every table, NumPy's PyArray_API included,
# pays against a function Cython binds at import) and the trampoline's
# check
OVER_ANCHOR = 3
TARGET_EXPORTERS = ("cpython", "universal")


def ids():
    return ["cython|%s|%s" % (e, fn) for fn in FUNCS
            for e in ("anchor",) + EXPORTERS]


def is_cython(vid):
    return vid.startswith("cython|")


def _fingerprint():
    import Cython

    import hpyapi
    h = hashlib.sha256((sys.version + Cython.__version__).encode())
    files = sorted(CY.glob("*.p*")) + [CY / "setup.py", C / "benchapi.h",
                                       C / "cg.h"]
    files += sorted(Path(hpyapi.get_include()).rglob("*.h"))
    files += [Path(p) for p in hpyapi.get_sources()]
    files.append(Path(hpyapi.__file__).parent / "pxd.py")
    for f in files:
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:16]


def build():
    """{module: .so} of bench/cy, built (cached) by its setup.py."""
    out = BUILD / "cython" / _fingerprint()
    done = out / "built.json"
    if done.exists():
        return json.loads(done.read_text())
    work = out / "work"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(CY, work, ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(os.environ, HPYAPI_BENCH_C=str(C))
    env.pop("LD_PRELOAD", None)
    proc = subprocess.run([sys.executable, "setup.py", "build_ext", "-j",
                           str(os.cpu_count() or 2)], cwd=work, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    sos = {p.name.split(".")[0]: p for p in (work / "build").glob("lib*/*.so")}
    if proc.returncode != 0 or len(sos) != 2:
        raise RuntimeError("building bench/cy failed:\n" + proc.stdout)
    built = {}
    for name, so in sos.items():
        shutil.copy(so, out / so.name)
        built[name] = str(out / so.name)
    shutil.rmtree(work)
    done.write_text(json.dumps(built))
    return built


class Setup:
    """bcython loaded once (it cimports banchor, loaded first under its
    own name), the exporter once per mode; setup() re-imports the table
    from the exporter a row needs."""

    def __init__(self):
        from hpyapi import testing
        self.t = testing
        sos = build()
        loaded = BUILD / "loaded"
        testing.load_extension("banchor", sos["banchor"], "cpython", loaded)
        self.cy = testing.load_extension("bench_cy.bcython", sos["bcython"],
                                         "cpython", loaded)
        args = testing.default_compile_args()
        self.sos = {abi: testing.build_extension(
            "bexporter", [C / "bexporter.c"], abi, BUILD, include_dirs=[C],
            extra_compile_args=args) for abi in ("cpython", "universal",
                                                 "hybrid")}
        self.exporters = {}
        self.items = tuple(range(1, 11))

    def run(self, vid, n, label=""):
        _, exporter, fn = vid.split("|")
        if exporter != "anchor":
            if exporter not in self.exporters:
                self.exporters[exporter] = self.t.load_extension(
                    "bench_cy_%s.bexporter" % exporter,
                    self.sos[self.t.abi_for_mode(exporter)], exporter,
                    BUILD / "loaded")
            self.cy.setup(self.exporters[exporter].__name__)
        return self.cy.run(exporter == "anchor", FUNCS[fn], n, self.items,
                           label)


def time_row(s, vid, quick):
    """ns per call: median of repeats (information only)."""
    s.run(vid, 2000)  # warm up, and estimate
    est = max(s.run(vid, 2000) / 2000, 1.0)
    n = max(1000, int((0.004 if quick else 0.02) * 1e9 / est))
    return statistics.median(s.run(vid, n) / n
                             for _ in range(3 if quick else 9))


def measure(quick):
    """[(variant id, ns per call)] of every Cython row."""
    s = Setup()
    return [(vid, time_row(s, vid, quick)) for vid in ids()]


def callgrind_child(s, vid, n):
    """One row inside bench.py's callgrind run: warm, then counted."""
    s.run(vid, n)
    s.run(vid, n, vid)


def render(rows, counts):
    """The results.md section: one table per function."""
    out = ["## Cython consumers", "",
           "A Cython module (bench/cy/bcython.pyx) calling benchapi through "
           "the .pxd that `python -m hpyapi pxd` generates from "
           "bench/c/benchapi.h: the CPython-API table, `except? -1` on "
           "Trivial.  anchor: the same work as a `cdef` function cimported "
           "from another Cython module (bench/cy/banchor.pyx), what Cython "
           "users compare with; it checks `except? -1` too.  +Ir: over the "
           "anchor.  C-API: the plain C consumer's row of the tables above "
           "(bench/c/bcapi.c, whose Trivial loop checks no error).", ""]
    for fn in FUNCS:
        out += ["### %s" % fn, "",
                "| caller -> exporter | ns/call | Ir/call | +Ir | C-API "
                "Ir/call |", "|---|---:|---:|---:|---:|"]
        base = counts.get("cython|anchor|%s" % fn)
        for vid, ns in rows:
            _, exporter, f = vid.split("|")
            if f != fn:
                continue
            ir = counts.get(vid)
            capi = counts.get("table|capi->%s|-|%s" % (exporter, fn))
            out.append("| %s | %.1f | %s | %s | %s |" % (
                "cython, cimported cdef function (anchor)"
                if exporter == "anchor" else "cython -> %s" % exporter, ns,
                "%.0f" % ir if ir is not None else "-",
                "%+.0f" % (ir - base) if None not in (ir, base) and
                exporter != "anchor" else "",
                "%.0f" % capi if capi is not None else ""))
        out.append("")
    return out


def targets(rows, counts):
    """(target, measured, verdict: True/False/None) rows."""
    ns = dict(rows)
    out = []
    for exporter in TARGET_EXPORTERS if rows else ():
        vid = "cython|%s|trivial" % exporter
        for ref, what, limit in [
                ("table|capi->%s|-|trivial" % exporter,
                 "the C-API consumer's call", OVER_CAPI),
                ("cython|anchor|trivial", "a cimported cdef function",
                 OVER_ANCHOR)]:
            name = ("Cython -> %s exporter, Trivial: <= +%d instruction%s "
                    "over %s" % (exporter, limit, "s"[:limit != 1], what))
            ir, base = counts.get(vid), counts.get(ref)
            if None in (ir, base):
                out.append((name, "%.2f ns/call" % ns[vid], None))
                continue
            # whole instructions per call; the fraction is the loop's own
            extra = round(ir - base)
            out.append((name, "%+d" % extra, extra <= limit))
    return out


def main():
    """python bench/cybench.py: the Cython rows alone, with callgrind."""
    sys.path.insert(0, str(HERE))
    import cgrun
    if len(sys.argv) == 4 and sys.argv[1] == "--callgrind-child":
        s = Setup()
        for vid in json.loads(Path(sys.argv[2]).read_text()):
            callgrind_child(s, vid, int(sys.argv[3]))
        return
    quick = "--quick" in sys.argv
    rows = measure(quick)
    out = BUILD / "callgrind-cython"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ids.json").write_text(json.dumps(ids()))
    n = 500 if quick else 2000
    dumps = cgrun.run(Path(__file__).resolve(),
                      ["--callgrind-child", out / "ids.json", n], out)
    counts = {label: total / n for label, (total, _) in dumps.items()}
    print("\n".join(render(rows, counts)))
    for name, measured, ok in targets(rows, counts):
        print("%s: %s (%s)" % (name, measured,
                               {True: "met", False: "NOT met"}.get(ok, "-")))


if __name__ == "__main__":
    main()
