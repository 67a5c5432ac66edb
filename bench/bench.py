"""make bench: what a call through hpyapi costs, next to the raw NumPy-style
table call (the limit) and the Python round trip a C API exists to avoid.

Every loop runs in C (bench/c): the caller calls an entry n times.  Each
variant is timed (median of repeats, ns per call) and, in one separate run
under callgrind, counted (instructions per call, repeatable on a noisy
machine).  bench/scale.py adds consumer modules in turn, imports of large
APIs and compile cost; bench/legacy.py the legacy bridge's rows (NumPy's
C-API from HPy code); bench/cybench.py a Cython caller's rows (the
generated .pxd next to a cimported cdef function); bench/report.py
writes bench/results.md, with verdicts from instruction counts only.

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
import cybench
import legacy
import report
import scale

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
    # each module on its own context instance (hpyapi.testing's switch)
    ("trampoline, same family, private instances", "universal", "universal",
     TABLE, "private"),
    ("trampoline, same family, private instances", "trace", "trace", TABLE,
     "private"),
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


MANIFEST = BUILD / "built.json"  # what Setup built (cgrun.save_manifest)


def variant_id(v, fn):
    group, caller, exporter, how, hooks = v
    return "%s|%s->%s|%s|%s" % (["raw", "table", "python"][how], caller,
                                exporter, hooks or "-", fn)


class Setup:
    """Builds the bench modules once per ABI and loads what a variant
    needs; each (caller, exporter) pair gets its own caller copy."""

    def __init__(self, prebuilt=False):
        from hpyapi import testing
        self.t = testing
        if prebuilt:  # the callgrind child: what the parent built
            self.sos = cgrun.load_manifest(MANIFEST)
        else:
            args = testing.default_compile_args()
            self.sos = {}
            for name in ("bexporter", "bconsumer"):
                for abi in ("cpython", "universal", "hybrid"):
                    self.sos[name, abi] = testing.build_extension(
                        name, [C / (name + ".c")], abi, BUILD,
                        include_dirs=[C], extra_compile_args=args)
            self.sos["bcapi", "capi"] = testing.build_extension(
                "bcapi", [C / "bcapi.c"], "capi", BUILD, include_dirs=[C],
                extra_compile_args=args)
            cgrun.save_manifest(MANIFEST, self.sos)
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
        # private instances: installed when the modules export and import
        was = self.t.private_contexts(hooks == "private")
        exporter = self.module("bexporter", exporter_mode, tag)
        if caller == "capi":
            consumer = self.module("bcapi", "cpython", exporter_mode + tag)
        else:
            consumer = self.module("bconsumer", caller, exporter_mode + tag)
        consumer.setup(exporter)
        self.t.private_contexts(was)
        if hooks == "private":
            return exporter, consumer
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
    return statistics.median(reps)


def callgrind_child(ids_file, n):
    """Runs each variant once, inside callgrind; the loops dump their own
    counts (bench/c/cg.h)."""
    s = Setup(prebuilt=True)
    ls = None  # imports numpy: only once the legacy rows come
    cs = None
    for vid in json.loads(Path(ids_file).read_text()):
        if cybench.is_cython(vid):
            cs = cs or cybench.Setup()
            cybench.callgrind_child(cs, vid, n)
            continue
        if legacy.is_legacy(vid):
            ls = ls or legacy.Setup()
            ls.run(vid, n)  # warm
            ls.run(vid, n, vid)
            continue
        counted_run(s, vid, n)


def counted_run(s, vid, n, label=None):
    """Runs variant `vid` (variant_id) n times, then n times more between
    callgrind's markers, dumped as `label` (default: `vid`)."""
    fn = vid.split("|")[3]
    v = [x for x in VARIANTS if variant_id(x, fn) == vid][0]
    s.run(v, fn, n)  # warm: learned routes, debug handle queues
    s.run(v, fn, n, label or vid)


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
    ap.add_argument("--no-scale", action="store_true",
                    help="skip bench/scale.py's rows (consumers in turn, "
                    "imports, compile cost)")
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
    lrows = legacy.measure(a.quick)
    crows = cybench.measure(a.quick)
    counts, objects = {}, {}
    if not a.no_callgrind:
        counts = callgrind_counts(500 if a.quick else 2000,
                                  [variant_id(v, fn) for v, fn, _ in rows]
                                  + [vid for vid, _ in lrows]
                                  + [vid for vid, _ in crows], objects)
    scaled = None if a.no_scale or a.no_callgrind else scale.measure(a.quick)
    d = report.Data(VARIANTS, variant_id, rows, counts, objects, scaled,
                    machine(), lrows)
    d.cython = crows
    text = report.render(d, FUNCS)
    Path(a.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
