"""make bench, at scale (issue 11): many consumer modules calling one
exporter in turn, imports of large APIs, and (bench/compilecost.py) what hpyapi costs
the compiler.  bench/bench.py runs this after its own rows; every verdict here is
computed from callgrind instruction counts, never from a timer.

In turn: each consumer module is a fresh copy of bench/c/bturn.c (its own
statics, and in a CPython-ABI build its own static context with its own
`name` pointer); bench/c/bdriver.c calls them one after the other in a C
loop, each with its own context and handle.  A consumer's cost over the raw
call is measured inside the interleaving: the loop with every consumer
calling hpyapi's table, minus the same loop with that one consumer calling
the raw table instead.

    python bench/scale.py [--quick]      # prints the markdown section
"""
import json
import statistics
import subprocess
import sys
from pathlib import Path

import cgrun
import compilecost
import gen

HERE = Path(__file__).resolve().parent
BUILD = HERE.parent / "build" / "bench"
MANIFEST = BUILD / "built-scale.json"  # what Scale built (cgrun.save_manifest)
C = HERE / "c"
RAW, TABLE = 0, 1

CPY = "cpython"
# (exporter mode, consumer modes), in the order of the results table
TURN_SETS = [(CPY, [CPY]), (CPY, [CPY] * 3), (CPY, [CPY] * 10),
             ("universal", [CPY]), ("universal", [CPY] * 3),
             ("universal", [CPY] * 10)]
MIXED = ("universal", [CPY] * 3 + ["trace", "universal", "debug"])
IMPORT_SIZES = (2, 50, 400)

# issue 11's targets, in instructions
SAME_FAMILY = 1        # over the raw call, any number and mix of consumers
                       # (issue 17: the table holds the implementation)
CPY_UNIVERSAL = 12     # CPython-ABI <-> universal, over the raw call
IMPORT_400 = 60000     # HPyAPI_Import of an imported 400-entry API


def turn_label(exporter, modes, hows):
    return "turn|%s|%s|%s" % (exporter, ",".join(modes),
                              "".join(str(h) for h in hows))


def hows_for(n, raw_one=None, how=TABLE):
    """Everyone calls `how`; consumer `raw_one`, if given, the raw table."""
    return [RAW if i == raw_one else how for i in range(n)]


class Scale:
    """Builds the modules once (cached by content, like bench.Setup) and
    loads each consumer copy at most once per process."""

    def __init__(self, import_sizes=IMPORT_SIZES, prebuilt=False):
        from hpyapi import testing
        self.t = testing
        self.loaded = {}
        self.caps = {}
        self.arg = 7  # every consumer's one handle
        if prebuilt:  # the callgrind child (cgrun.save_manifest)
            self.sos = cgrun.load_manifest(MANIFEST)
            return
        args = testing.default_compile_args()
        b = testing.build_extension
        self.sos = {}
        for name in ("bexporter", "bturn"):
            for abi in (CPY, "universal"):
                self.sos[name, abi] = b(name, [C / (name + ".c")], abi, BUILD,
                                        include_dirs=[C],
                                        extra_compile_args=args)
        self.sos["bdriver", "capi"] = b("bdriver", [C / "bdriver.c"], "capi",
                                        BUILD, include_dirs=[C],
                                        extra_compile_args=args)
        # what an import costs is the consumer's and the runtime's code
        # (the archive, at -O2): the exporters' trampolines never run, so
        # they build at -O0, 3x quicker (the 400-entry one: 18 CPU s at -O2)
        gen_args = ["-O0" if a == "-O2" else a for a in args]
        for n in import_sizes:
            d = gen.write(n, BUILD / "gen" / str(n))
            self.sos["bgenexp", n] = b("bgenexp", [d / "bgenexp.c"],
                                       "universal", BUILD,
                                       include_dirs=[d, C],
                                       extra_compile_args=gen_args,
                                       runtime_compile_args=args)
            self.sos["bgencons", n] = b("bgencons", [C / "bgencons.c"],
                                        "universal", BUILD,
                                        include_dirs=[d, C],
                                        extra_compile_args=args)
        cgrun.save_manifest(MANIFEST, self.sos)

    def load(self, key, fullname, mode):
        if fullname not in self.loaded:
            self.loaded[fullname] = self.t.load_extension(
                fullname, self.sos[key], mode, BUILD / "loaded")
        return self.loaded[fullname]

    def driver(self):
        return self.load(("bdriver", "capi"), "bench_scale.bdriver", CPY)

    def consumers(self, exporter_mode, modes):
        """The capsules of consumer copies 0..len(modes)-1 of `exporter_mode`'s
        exporter; checks that the CPython-ABI copies really have distinct
        context names, or the rows would not measure what they claim."""
        exporter = self.load(("bexporter", self.t.abi_for_mode(exporter_mode)),
                             "bench_scale_%s.bexporter" % exporter_mode,
                             exporter_mode)
        caps, names = [], []
        for i, mode in enumerate(modes):
            full = "bench_turn_%s_%d_%s.bturn" % (exporter_mode, i, mode)
            mod = self.load(("bturn", self.t.abi_for_mode(mode)), full, mode)
            if full not in self.caps:
                self.caps[full] = mod.setup(exporter, self.arg)
            caps.append(self.caps[full])
            if mode == CPY:
                names.append(mod.name_address())
        if len(set(names)) != len(names):
            raise RuntimeError("CPython-ABI consumer copies share a context")
        return caps

    def turn(self, exporter_mode, modes, hows, rounds, label=""):
        caps = self.consumers(exporter_mode, modes)
        return self.driver().run(caps, list(hows), rounds, label)

    def import_n(self, n, count, label=""):
        exp = self.load(("bgenexp", n), "bench_gen%d.bgenexp" % n, "universal")
        cons = self.load(("bgencons", n), "bench_gen%d.bgencons" % n,
                         "universal")
        got = cons.import_n(exp.__name__, count, label)
        if got != n:
            raise RuntimeError("imported %d entries, expected %d" % (got, n))


def turn_jobs(exporter, modes, rounds):
    """The loops one in-turn row needs: all raw, all table, and each
    consumer alone on the raw table."""
    n = len(modes)
    hows = [hows_for(n, how=RAW), hows_for(n)]
    hows += [hows_for(n, raw_one=j) for j in range(n)] if n > 1 else []
    return [{"kind": "turn", "exporter": exporter, "modes": modes,
             "hows": h, "rounds": rounds,
             "label": turn_label(exporter, modes, h)} for h in hows]


def callgrind_child(jobs_file):
    jobs = json.loads(Path(jobs_file).read_text())
    s = Scale(prebuilt=True)
    for j in jobs:
        run_job(s, j)


def run_job(s, j):
    """One loop of turn_jobs() or import_jobs(), dumped as its label."""
    if j["kind"] == "turn":
        args = (j["exporter"], j["modes"], j["hows"], j["rounds"])
        s.turn(*args)  # warm: first calls, debug handle queues
        s.turn(*args, label=j["label"])
    else:
        s.import_n(j["n"], j["count"], j["label"])


def import_jobs(import_sizes, imports):
    return [{"kind": "import", "n": n, "count": imports,
             "label": "import|%d" % n} for n in import_sizes]


def measure_instructions(turn_sets, mixed, import_sizes, rounds, imports):
    """{label: total instructions} of every loop, from one callgrind run."""
    Scale(import_sizes)  # build here: under valgrind it would crawl
    jobs = []
    for exporter, modes in list(turn_sets) + ([mixed] if mixed else []):
        jobs += turn_jobs(exporter, modes, rounds)
    jobs += import_jobs(import_sizes, imports)
    out = BUILD / "callgrind-scale"
    out.mkdir(parents=True, exist_ok=True)
    (out / "jobs.json").write_text(json.dumps(jobs))
    dumps = cgrun.run(Path(__file__).resolve(),
                      ["--callgrind-child", out / "jobs.json"], out)
    missing = [j["label"] for j in jobs if j["label"] not in dumps]
    if missing:
        raise RuntimeError("callgrind did not report %s" % missing)
    return {label: total for label, (total, _) in dumps.items()}


def turn_costs(ir, exporter, modes, rounds):
    """(instructions per call through the table, its average over the raw
    call, [each consumer's own cost over the raw call]).  A call costs a
    whole number of instructions: a fraction is the loop's fixed cost (the
    timer, the markers) spread over the calls, hence round() in verdicts."""
    n = len(modes)
    table = ir[turn_label(exporter, modes, hows_for(n))]
    raw = ir[turn_label(exporter, modes, hows_for(n, how=RAW))]
    if n == 1:
        each = [(table - raw) / rounds]
    else:
        each = [(table - ir[turn_label(exporter, modes, hows_for(n, j))])
                / rounds for j in range(n)]
    return table / (rounds * n), (table - raw) / (rounds * n), each


def turn_ns(s, exporter, modes, quick):
    """Median ns per call with everyone on the table (information only)."""
    rounds = 2000 if quick else 20000
    s.turn(exporter, modes, hows_for(len(modes)), rounds)
    reps = [s.turn(exporter, modes, hows_for(len(modes)), rounds)
            / (rounds * len(modes)) for _ in range(3 if quick else 7)]
    return statistics.median(reps)


def measure(quick=False):
    """Everything the scale section reports, as plain data."""
    rounds = 300 if quick else 1000
    imports = 2 if quick else 5
    s = Scale()
    ir = measure_instructions(TURN_SETS, MIXED, IMPORT_SIZES, rounds,
                              imports)
    rows = []
    for exporter, modes in TURN_SETS + [MIXED]:
        per_call, over, each = turn_costs(ir, exporter, modes, rounds)
        rows.append({"exporter": exporter, "modes": modes,
                     "ir_call": per_call, "over": over, "each": each,
                     "ns": turn_ns(s, exporter, modes, quick)})
    return {"turns": rows,
            "imports": {n: ir["import|%d" % n] / imports
                        for n in IMPORT_SIZES},
            "compile": compilecost.measure()}


def describe(modes):
    if len(set(modes)) == 1:
        k = len(modes)
        return "%d %s consumer%s" % (k, modes[0], "s in turn" if k > 1 else "")
    return "in turn: " + ", ".join(modes)


def per_consumer(modes, each):
    """'3 x cpython +13, debug +373': runs of equal costs folded."""
    runs = []
    for m, e in zip(modes, each):
        key = (m, round(e))
        if runs and runs[-1][0] == key:
            runs[-1][1] += 1
        else:
            runs.append([key, 1])
    return ", ".join("%s%s %+d" % ("%d x " % k if k > 1 else "", m, e)
                     for (m, e), k in runs)


def render(data):
    """The markdown section of bench/results.md."""
    out = ["## At scale: consumer modules in turn, imports, compile cost", "",
           "Trivial entry, driver loop in C (bench/c/bdriver.c) calling each "
           "consumer module in turn with its own context. Ir/call: per call, "
           "loop included; +Ir: over the same loop on the raw table; per "
           "consumer: that consumer's call on hpyapi's table minus on the raw "
           "table, the others unchanged.", "",
           "| consumers | exporter | ns/call | Ir/call | +Ir | +Ir per "
           "consumer |", "|---|---|---:|---:|---:|---|"]
    for r in data["turns"]:
        out.append("| %s | %s | %.1f | %.1f | %+.1f | %s |" % (
            describe(r["modes"]), r["exporter"], r["ns"], r["ir_call"],
            r["over"], per_consumer(r["modes"], r["each"])))
    out += ["", "| `HPyAPI_Import` of an imported API | instructions |",
            "|---|---:|"]
    out += ["| %d entries | %.0f |" % (n, ir)
            for n, ir in sorted(data["imports"].items())]
    return out + [""] + compilecost.render(data["compile"])


def targets(data):
    """(target, measured, met) rows for the Targets table."""
    rows = []
    for r in data["turns"]:
        modes, e = r["modes"], r["exporter"]
        for mode in sorted(set(modes)):
            each = [x for m, x in zip(modes, r["each"]) if m == mode]
            if mode == e or (mode == "hybrid" and e == "universal"):
                bound, what = SAME_FAMILY, "same family"
            elif {mode, e} == {CPY, "universal"}:
                bound, what = CPY_UNIVERSAL, "CPython-ABI <-> universal"
            else:
                continue  # no target for this pair in a mix (reported above)
            rows.append(("%s, %s -> %s exporter (%s): <= +%d instructions "
                         "per call over raw, every consumer"
                         % (describe(modes), mode, e, what, bound),
                         "worst consumer %+.0f (average %+.1f)"
                         % (max(each), sum(each) / len(each)),
                         round(max(each)) <= bound))
    ir = data["imports"].get(400)
    if ir is not None:
        rows.append(("HPyAPI_Import of an imported 400-entry API: <= %d "
                     "instructions" % IMPORT_400, "%.0f" % ir,
                     ir <= IMPORT_400))
    return rows + compilecost.targets(data["compile"])


def main():
    if sys.argv[1:2] == ["--callgrind-child"]:
        return callgrind_child(sys.argv[2])
    data = measure("--quick" in sys.argv)
    print("\n".join(render(data)))
    for name, measured, ok in targets(data):
        print("%s: %s: %s" % ("met" if ok else "MISSED", name, measured))


if __name__ == "__main__":
    main()
