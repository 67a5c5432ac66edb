"""make bench: what a call through hpyapi costs, next to the raw NumPy-style
table call (the limit) and the Python round trip a C API exists to avoid.

Every loop runs in C (bench/c): the caller calls an entry n times.  Each
variant is timed (median of repeats, ns per call) and, in one separate run
under callgrind, counted (instructions per call, repeatable on a noisy
machine).  Results go to bench/results.md.

    python bench/bench.py [--quick] [--no-callgrind] [--out FILE]
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUILD = REPO / "build" / "bench"
C = HERE / "c"

RAW, TABLE, PYTHON = 0, 1, 2
FUNCS = {"trivial": 0, "sum10": 1}

# (group, caller mode, exporter mode, how, hooks)
VARIANTS = [
    ("raw table (today's NumPy scheme)", "universal", "universal", RAW, None),
    ("raw table (today's NumPy scheme)", "cpython", "cpython", RAW, None),
    ("raw table (today's NumPy scheme)", "debug", "debug", RAW, None),
    ("raw table (today's NumPy scheme)", "trace", "trace", RAW, None),
    ("trampoline, same family", "universal", "universal", TABLE, None),
    ("trampoline, same family", "hybrid", "universal", TABLE, None),
    ("trampoline, same family", "cpython", "cpython", TABLE, None),
    ("trampoline, same family", "debug", "debug", TABLE, None),
    ("trampoline, same family", "trace", "trace", TABLE, None),
    ("trampoline, cross family", "trace", "universal", TABLE, None),
    ("trampoline, cross family", "universal", "debug", TABLE, None),
    ("trampoline, cross family", "debug", "universal", TABLE, None),
    ("trampoline, cross family", "cpython", "universal", TABLE, None),
    ("trampoline, cross family", "universal", "cpython", TABLE, None),
    ("trampoline, cross family", "debug", "cpython", TABLE, None),
    ("CPython-API trampoline", "capi", "cpython", TABLE, None),
    ("CPython-API trampoline", "capi", "universal", TABLE, None),
    ("CPython-API trampoline", "capi", "hybrid", TABLE, None),
    ("CPython-API trampoline", "capi", "trace", TABLE, None),
    ("CPython-API trampoline", "capi", "debug", TABLE, None),
    ("Python round trip (vectorcall)", "universal", "universal", PYTHON, None),
    ("Python round trip (vectorcall)", "cpython", "cpython", PYTHON, None),
    ("Python round trip (vectorcall)", "universal", "debug", PYTHON, None),
    ("Python round trip (vectorcall)", "debug", "universal", PYTHON, None),
    ("Python round trip (vectorcall)", "cpython", "universal", PYTHON, None),
    ("Python round trip (vectorcall)", "universal", "cpython", PYTHON, None),
    ("Python round trip (vectorcall)", "debug", "cpython", PYTHON, None),
    ("Python round trip (vectorcall)", "capi", "universal", PYTHON, None),
    ("Python round trip (vectorcall)", "capi", "debug", PYTHON, None),
    ("hooks: counting on", "universal", "universal", TABLE, "count"),
    ("hooks: counting on", "capi", "universal", TABLE, "count"),
    ("hooks: on, then cleared", "universal", "universal", TABLE, "cleared"),
]


def variant_id(v, fn):
    group, caller, exporter, how, hooks = v
    return "%s|%s->%s|%s|%s" % (["raw", "table", "python"][how], caller,
                                exporter, hooks or "-", fn)


class Setup:
    """Builds the bench modules once per ABI and loads what a variant
    needs; each (caller, exporter) pair gets its own caller copy."""

    def __init__(self):
        from hpyapi import testing
        self.t = testing
        args = testing.default_compile_args()
        self.sos = {}
        for name in ("bexporter", "bconsumer"):
            for abi in ("cpython", "universal", "hybrid"):
                self.sos[name, abi] = testing.build_extension(
                    name, [C / (name + ".c")], abi, BUILD, include_dirs=[C],
                    extra_compile_args=args)
        self.sos["bcapi", "capi"] = testing.build_extension(
            "bcapi", [C / "bcapi.c"], "capi", BUILD, include_dirs=[C],
            extra_compile_args=args)
        self.loaded = {}
        self.items = tuple(range(1, 11))

    def module(self, name, mode, tag):
        key = (name, mode, tag)
        if key not in self.loaded:
            abi = "capi" if name == "bcapi" else self.t.abi_for_mode(mode)
            self.loaded[key] = self.t.load_extension(
                "bench_%s_%s.%s" % (mode, tag, name), self.sos[name, abi],
                "cpython" if name == "bcapi" else mode, BUILD / "loaded")
        return self.loaded[key]

    def pair(self, v):
        group, caller, exporter_mode, how, hooks = v
        tag = "h" + hooks if hooks else "plain"
        exporter = self.module("bexporter", exporter_mode, tag)
        if caller == "capi":
            consumer = self.module("bcapi", "cpython", exporter_mode + tag)
        else:
            consumer = self.module("bconsumer", caller, exporter_mode + tag)
        consumer.setup(exporter)
        if hooks:
            import hpyapi
            h = hpyapi.hooks(exporter)
            h.count()
            if hooks == "cleared":
                h.clear()
        return exporter, consumer

    def run(self, v, fn, n, label=""):
        exporter, consumer = self.pair(v)
        pyfn = exporter.trivial if fn == "trivial" else exporter.sum
        return consumer.run(v[3], FUNCS[fn], n, self.items, pyfn, label)


def time_variant(s, v, fn, quick):
    s.run(v, fn, 2000)  # warm up, and estimate
    est = max(s.run(v, fn, 2000) / 2000, 1.0)
    n = max(1000, int((0.004 if quick else 0.02) * 1e9 / est))
    reps = sorted(s.run(v, fn, n) / n for _ in range(3 if quick else 9))
    q = statistics.quantiles(reps, n=4) if len(reps) >= 4 else [reps[0], 0,
                                                                  reps[-1]]
    NOISE[variant_id(v, fn)] = q[2] - q[0]  # interquartile range
    return statistics.median(reps)


NOISE = {}  # variant id -> interquartile range of its repeats (ns)


def callgrind_child(ids_file, n):
    """Runs each variant once, inside callgrind; the loops dump their own
    counts (bench/c/benchapi.h)."""
    s = Setup()
    ls = None  # imports numpy: only once the legacy rows come
    for vid in json.loads(Path(ids_file).read_text()):
        if vid.startswith("legacy|"):
            ls = ls or LegacySetup()
            ls.run(vid, n)  # warm
            ls.run(vid, n, vid)
            continue
        how, pair, hooks, fn = vid.split("|")
        v = [x for x in VARIANTS if variant_id(x, fn) == vid][0]
        s.run(v, fn, n)  # warm: learned routes, debug handle queues
        s.run(v, fn, n, vid)


def callgrind_counts(n, ids):
    """Instructions per call of every variant, from one callgrind run."""
    out = BUILD / "callgrind"
    out.mkdir(parents=True, exist_ok=True)
    for f in out.glob("cg.out*"):
        f.unlink()
    ids_file = out / "ids.json"
    ids_file.write_text(json.dumps(ids))
    cmd = ["valgrind", "--tool=callgrind", "--dump-instr=no",
           "--callgrind-out-file=%s" % (out / "cg.out"), sys.executable,
           str(Path(__file__).resolve()), "--callgrind-child", str(ids_file),
           str(n)]
    # numpy's OpenBLAS starts worker threads on import; their instructions
    # would land in whichever dump comes next
    env = dict(os.environ, PYTHONMALLOC="malloc", OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1")
    env.pop("LD_PRELOAD", None)  # no sanitizer runtime under valgrind
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=env)
    counts = {}
    for f in out.glob("cg.out*"):
        text = f.read_text(errors="replace")
        m = re.search(r"^desc: Trigger: Client Request: (.*)$", text, re.M)
        t = re.search(r"^(?:totals|summary): (\d+)", text, re.M)
        if m and t:
            counts[m.group(1).strip()] = int(t.group(1)) / n
    return counts


def import_time(s):
    exporter = s.module("bexporter", "universal", "plain")
    consumer = s.module("bconsumer", "universal", "imp")
    consumer.setup(exporter)
    n = 20000
    return statistics.median(consumer.import_time(exporter.__name__, n) / n
                             for _ in range(5))


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    gcc = subprocess.run(["gcc", "-dumpfullversion"], stdout=subprocess.PIPE,
                         text=True).stdout.strip()
    return ("%s, %d cores; %s; CPython %s; gcc %s; hpy 0.9.0; -O2"
            % (cpu, os.cpu_count() or 0, platform.platform(),
               platform.python_version(), gcc))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-callgrind", action="store_true")
    ap.add_argument("--out", default=str(HERE / "results.md"))
    ap.add_argument("--callgrind-child", nargs=2)
    a = ap.parse_args()
    if a.callgrind_child:
        return callgrind_child(a.callgrind_child[0], int(a.callgrind_child[1]))

    s = Setup()
    rows = []
    for fn in FUNCS:
        for v in VARIANTS:
            rows.append((v, fn, time_variant(s, v, fn, a.quick)))
    ls = LegacySetup()
    lrows = [(vid, legacy_time(ls, vid, a.quick)) for vid in legacy_ids()]
    counts = {}
    if not a.no_callgrind:
        counts = callgrind_counts(500 if a.quick else 2000,
                                  [variant_id(v, fn) for v, fn, _ in rows]
                                  + legacy_ids())
    imp = import_time(s)
    report = render(rows, counts, imp) + render_legacy(lrows, counts)
    Path(a.out).write_text(report)
    print(report)


def render(rows, counts, imp):
    def find(fn, how, caller, exporter, hooks=None):
        for v, f, ns in rows:
            if f == fn and v[1:] == (caller, exporter, how, hooks):
                return ns, counts.get(variant_id(v, f))
        raise KeyError((fn, how, caller, exporter))

    base = {fn: find(fn, RAW, "universal", "universal") for fn in FUNCS}
    raw_of = {("universal", "universal"): "universal", ("hybrid", "universal"):
              "universal", ("trace", "universal"): "universal",
              ("cpython", "cpython"): "cpython", ("debug", "debug"): "debug",
              ("trace", "trace"): "trace"}
    out = ["# hpyapi benchmark results", "",
           "Machine: %s  " % machine(),
           "Run: %s, `make bench` (bench/bench.py)." % time.strftime(
               "%Y-%m-%d %H:%M UTC", time.gmtime()), "",
           "ns/call: median of repeats, one run, loops in C. "
           "x raw: against the universal raw table call. "
           "Ir/call: instructions per call under callgrind "
           "(deterministic); +Ir: over the raw call of the same family "
           "(same-family rows) or the universal raw call.", ""]
    for fn in FUNCS:
        out += ["## %s" % ("trivial entry: `long Trivial(HPy a)`" if fn ==
                           "trivial" else "realistic entry: `HPy Sum(const "
                           "HPy *items, 10)` (ten HPy_Add)"), "",
                "| variant | caller -> exporter | ns/call | x raw | Ir/call "
                "| +Ir |", "|---|---|---:|---:|---:|---:|"]
        for v, f, ns in rows:
            if f != fn:
                continue
            group, caller, exporter, how, hooks = v
            ir = counts.get(variant_id(v, f))
            ref = raw_of.get((caller, exporter)) if how != RAW else None
            ref_ir = (find(fn, RAW, ref, ref)[1] if ref and how == TABLE
                      and not hooks else base[fn][1])
            out.append("| %s | %s -> %s | %.1f | %.2f | %s | %s |" % (
                group, caller, exporter, ns, ns / base[fn][0],
                "%.0f" % ir if ir is not None else "-",
                "%+.0f" % (ir - ref_ir) if ir is not None and ref_ir
                is not None and how != RAW else ""))
        out.append("")
    out += targets(find, imp)
    return "\n".join(out) + "\n"


def targets(find, imp):
    lines = ["## Targets", "",
             "| target | measured | verdict |", "|---|---|---|"]

    def row(name, measured, ok, why=""):
        lines.append("| %s | %s | %s |" % (
            name, measured, ("met" + (" (%s)" % why if why else "")) if ok
            else "**missed**" + (" (%s)" % why if why else "")))

    def noise(fn, how, caller, exporter):
        for v in VARIANTS:
            if v[1:4] == (caller, exporter, how) and v[4] is None:
                return NOISE.get(variant_id(v, fn), 0.0)
        return 0.0

    for caller, exporter in [("universal", "universal"), ("cpython", "cpython"),
                             ("debug", "debug"), ("trace", "trace")]:
        for fn in FUNCS:
            ns, ir = find(fn, TABLE, caller, exporter)
            rns, rir = find(fn, RAW, caller, exporter)
            dns = ns - rns
            dir_ = (ir - rir) if ir is not None and rir is not None else None
            band = max(noise(fn, TABLE, caller, exporter),
                       noise(fn, RAW, caller, exporter))
            ok_ir = dir_ is None or dir_ <= 6
            row("same family %s->%s, %s: <= 1 ns and <= 6 instructions over raw"
                % (caller, exporter, fn),
                "%+.2f ns (run-to-run spread %.2f ns), %s instructions"
                % (dns, band, "%+.0f" % dir_ if dir_ is not None else "?"),
                ok_ir and dns <= 1.0 + band,
                "" if dns <= 1.0 else "the ns difference is within the "
                "spread; instructions are the reliable measure")
    for caller, exporter in [("universal", "debug"), ("debug", "universal"),
                             ("cpython", "universal"),
                             ("universal", "cpython"), ("debug", "cpython"),
                             ("capi", "universal"), ("capi", "debug")]:
        for fn in FUNCS:
            ns, ir = find(fn, TABLE, caller, exporter)
            py, pir = find(fn, PYTHON, caller, exporter)
            # the work itself, as the exporter's own family runs it raw
            fam = {"debug": "debug", "cpython": "cpython"}.get(exporter,
                                                               "universal")
            work = find(fn, RAW, fam, fam)[1]
            over = ("; call overhead %+.0f vs %+.0f instructions = %.2fx"
                    % (ir - work, pir - work, (ir - work) / (pir - work))
                    if None not in (ir, pir, work) and pir > work else "")
            why = ""
            if ns > 0.5 * py and "debug" in (caller, exporter):
                why = "debug handles dominate both paths"
            elif ns > 0.5 * py:
                why = "the entry's own work bounds the ratio"
            row("cross %s->%s, %s: <= 0.5x the Python round trip"
                % (caller, exporter, fn), "%.1f / %.1f ns = %.2fx%s"
                % (ns, py, ns / py, over), ns <= 0.5 * py, why)
    for fn in FUNCS:
        ns, ir = find(fn, TABLE, "capi", "universal")
        rns, rir = find(fn, RAW, "universal", "universal")
        band = max(noise(fn, TABLE, "capi", "universal"),
                   noise(fn, RAW, "universal", "universal"))
        row("plain C-API -> universal, %s: <= 3 ns over raw" % fn,
            "%+.2f ns (run-to-run spread %.2f ns)%s" % (
                ns - rns, band, ", %+.0f instructions" % (ir - rir)
                if None not in (ir, rir) else ""),
            ns - rns <= 3.0 + band,
            "" if ns - rns <= 3.0 else "within the spread"
            if ns - rns <= 3.0 + band else "each handle of the array is "
            "rebased into a stack buffer")
    row("HPyAPI_Import of an imported module: <= 10 us", "%.2f us"
        % (imp / 1000), imp <= 10000)
    return lines + [""]


# ---- the legacy bridge: NumPy's own C-API called from HPy code ----------------
# bnpy.c (an HPy caller, through examples/npy_api.h) and bnpyc.c (a plain
# C-API extension compiled against numpy's headers: the direct call).
LEGACY_WHAT = {"Size": 0, "FromAny": 1}
LEGACY_CALLERS = [("capi", "direct"), ("cpython", "bridge"),
                  ("universal", "bridge"), ("hybrid", "bridge"),
                  ("trace", "bridge"), ("debug", "bridge"),
                  ("capi", "python"), ("universal", "python")]


def legacy_ids():
    return ["legacy|%s|%s|%s" % (c, how, w) for w in LEGACY_WHAT
            for c, how in LEGACY_CALLERS]


class LegacySetup:
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
            BENCH_CALL if how != "python" else BENCH_PY, LEGACY_WHAT[what], n,
            self.array, extra, label)


BENCH_CALL, BENCH_PY = 1, 2  # bench/c/benchapi.h: BENCH_TABLE, BENCH_PYTHON


def legacy_time(ls, vid, quick):
    ls.run(vid, 2000)
    est = max(ls.run(vid, 2000) / 2000, 1.0)
    n = max(1000, int((0.004 if quick else 0.02) * 1e9 / est))
    return statistics.median(ls.run(vid, n) / n
                             for _ in range(3 if quick else 9))


def render_legacy(lrows, counts):
    out = ["## Legacy bridge: NumPy's C-API from HPy code", "",
           "`PyArray_Size(a)` (one handle in, `npy_intp` out) and "
           "`PyArray_FromAny(a, NULL, 0, 0, 0, NULL)` (one handle in and a "
           "NULL stolen descr, a new handle out, closed by the loop) on a "
           "3x4 float64 array.  direct: a C-API extension compiled against "
           "numpy's headers; bridge: an HPy module through "
           "examples/npy_api.h in the caller's mode; python: the same "
           "information through Python (`a.size`, `numpy.asarray(a)`).  "
           "+Ir: over the direct call.", ""]
    for what in LEGACY_WHAT:
        out += ["### %s" % what, "",
                "| caller | path | ns/call | Ir/call | +Ir |",
                "|---|---|---:|---:|---:|"]
        base = counts.get("legacy|capi|direct|%s" % what)
        for vid, ns in lrows:
            _, caller, how, w = vid.split("|")
            if w != what:
                continue
            ir = counts.get(vid)
            out.append("| %s | %s | %.1f | %s | %s |" % (
                caller, how, ns, "%.0f" % ir if ir is not None else "-",
                "%+.0f" % (ir - base) if None not in (ir, base) and
                how != "direct" else ""))
        out.append("")
    out += ["| target | measured | verdict |", "|---|---|---|"]
    base = counts.get("legacy|capi|direct|Size")
    for caller in ("universal", "cpython"):
        ir = counts.get("legacy|%s|bridge|Size" % caller)
        if None in (ir, base):
            out.append("| bridge %s, Size: <= +15 instructions over the "
                       "direct call | not measured (no callgrind) | ? |"
                       % caller)
            continue
        out.append("| bridge %s, Size: <= +15 instructions over the direct "
                   "call | %+.0f | %s |" % (caller, ir - base, "met" if
                                             ir - base <= 15 else
                                             "**missed**"))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
