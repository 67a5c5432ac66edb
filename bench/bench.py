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
import statistics
import subprocess
import sys
import time
from pathlib import Path

import cgrun

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
    for vid in json.loads(Path(ids_file).read_text()):
        how, pair, hooks, fn = vid.split("|")
        v = [x for x in VARIANTS if variant_id(x, fn) == vid][0]
        s.run(v, fn, n)  # warm: learned routes, debug handle queues
        s.run(v, fn, n, vid)


def callgrind_counts(n, ids, objects=None):
    """Instructions per call of every variant, from one callgrind run; fills
    `objects` (if given) with {variant id: {object: instructions per call}}."""
    out = BUILD / "callgrind"
    out.mkdir(parents=True, exist_ok=True)
    ids_file = out / "ids.json"
    ids_file.write_text(json.dumps(ids))
    dumps = cgrun.run(Path(__file__).resolve(),
                      ["--callgrind-child", ids_file, n], out)
    counts = {}
    for label, (total, objs) in dumps.items():
        counts[label] = total / n
        if objects is not None:
            objects[label] = {o: c / n for o, c in objs.items()}
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
    counts = {}
    if not a.no_callgrind:
        counts = callgrind_counts(500 if a.quick else 2000,
                                  [variant_id(v, fn) for v, fn, _ in rows])
    imp = import_time(s)
    report = render(rows, counts, imp)
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


if __name__ == "__main__":
    main()
