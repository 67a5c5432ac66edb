"""The bench's counts as JSON, for tests/test_fastpath.py, which runs this
file instead of importing the bench (tests stay apart from bench/).

    python bench/probe.py targets                  # bounds, pairs, entries
    python bench/probe.py ask QUESTIONS [--cache DIR]
                                                   # any of the three below,
                                                   # from one callgrind run
    python bench/probe.py counts N ENTRY[,ENTRY] HOW,CALLER,EXPORTER,HOOKS ...
                                                   # instructions per call
    python bench/probe.py cross N                  # the trivial entry of
                                                   # every cross pair, split
                                                   # by object group
    python bench/probe.py scale ROUNDS             # consumers in turn and
                                                   # the 400-entry import

HOW is raw, table or python; HOOKS is - or one of bench.py's hook words.
QUESTIONS is a JSON object of some of {"counts": [N, [ENTRY, ...], [SPEC,
...]], "cross": [N], "scale": [ROUNDS]}; the answer has the same keys.
Each prints one JSON object on its last line of output.  The modules are
built here, in this process, before callgrind runs the loops in a child
(hpyapi.testing compiles on worker threads, and callgrind's
zero-counters request would leave their counts in the first dump).  One
child for every question: each costs a valgrind start, CPython's and the
modules' loading under it (~2 CPU s), and the parent's cache checks.
With --cache DIR, answers are kept in DIR by everything they depend on
(fingerprint()), as test_fastpath asks: an unchanged tree measures once.
"""
import json
import os
import sys
from pathlib import Path

import bench
import cgrun
import report
import scale

HOWS = {"raw": bench.RAW, "table": bench.TABLE, "python": bench.PYTHON}


def targets():
    return {
        "same_family": scale.SAME_FAMILY,
        "same_private": report.SAME_PRIVATE,
        "cpy_universal": scale.CPY_UNIVERSAL,
        "import_400": scale.IMPORT_400,
        "debug_own": report.DEBUG_OWN,
        "cross_ratio": report.CROSS_RATIO,
        "cross_pairs": report.CROSS_PAIRS,
        "debug_pairs": report.DEBUG_PAIRS,
        "entries": sorted(bench.FUNCS),
    }


def variant(how, caller, exporter, hooks):
    hooks = None if hooks == "-" else hooks
    for v in bench.VARIANTS:
        if (v[3], v[1], v[2], v[4]) == (HOWS[how], caller, exporter, hooks):
            return v
    raise SystemExit("no such bench variant: %s %s->%s %s"
                     % (how, caller, exporter, hooks))


def counts_jobs(n, entries, specs, prefix):
    """The loops of `entries` in each variant of `specs`, n calls each,
    labelled `prefix` + variant id; and {(entry, spec): variant id}."""
    ids = {(fn, spec): bench.variant_id(variant(*spec.split(",")), fn)
           for fn in entries for spec in specs}
    jobs = [{"kind": "variant", "vid": vid, "n": n, "label": prefix + vid}
            for vid in dict.fromkeys(ids.values())]
    return jobs, ids


def per_call(dumps, n, prefix, ids):
    """{(entry, spec): (instructions per call, {object: per call})}."""
    missing = [k for k, vid in ids.items() if prefix + vid not in dumps]
    if missing:
        raise SystemExit("callgrind did not report %s" % missing)
    out = {}
    for key, vid in ids.items():
        total, objects = dumps[prefix + vid]
        out[key] = (total / n, {o: c / n for o, c in objects.items()})
    return out


def cross_specs():
    """The raw families and every cross pair (table and Python round
    trip)."""
    specs = ["raw,%s,%s,-" % (m, m) for m in ("universal", "debug", "cpython")]
    return specs + ["%s,%s,%s,-" % (how, c, e) for c, e in report.CROSS_PAIRS
                    for how in ("table", "python")]


SCALE_TURNS = [(exporter, [scale.CPY] * n)
               for exporter in ("cpython", "universal") for n in (3, 10)]


def ask(questions, cache_dir=None):
    """Answers every question (see the docstring) from one callgrind run,
    in the order counts, cross, scale; with `cache_dir`, the answers are
    kept there under fingerprint(), and a run whose every input is the same
    reads them instead of running callgrind again; the answer's "kept"
    then names the file."""
    jobs, answers = [], []
    if "counts" in questions:
        n, entries, specs = questions["counts"]
        j, ids = counts_jobs(int(n), entries, specs, "counts:")
        jobs += j

        def counts(dumps, n=int(n), ids=ids):
            out = {}
            for (fn, spec), (k, _) in per_call(dumps, n, "counts:",
                                               ids).items():
                out.setdefault(fn, {})[spec] = k
            return out
        answers.append(("counts", counts))
    if "cross" in questions:
        n = int(questions["cross"][0])
        j, ids = counts_jobs(n, ["trivial"], cross_specs(), "cross:")
        jobs += j

        def cross(dumps, n=n, ids=ids):
            out = {}
            for (_, spec), (k, objects) in per_call(dumps, n, "cross:",
                                                    ids).items():
                groups = {}
                for obj, c in objects.items():
                    g = report.object_group(obj)
                    groups[g] = groups.get(g, 0) + c
                out[spec] = [k, groups]
            return out
        answers.append(("cross", cross))
    if "scale" in questions:
        rounds = int(questions["scale"][0])
        j = [t for exporter, modes in SCALE_TURNS
             for t in scale.turn_jobs(exporter, modes, rounds)]
        j += scale.import_jobs((400,), 1)
        jobs += j

        def scaled(dumps, rounds=rounds, jobs=j):
            """Consumers in turn (CPython-ABI ones, 3 and 10 of them, of a
            CPython-ABI and a universal exporter) and one 400-entry
            import: {"turns": {exporter|n: [per call, average over raw,
            [each]]}, "import_400": instructions}."""
            ir = {label: total for label, (total, _) in dumps.items()}
            missing = [j["label"] for j in jobs if j["label"] not in ir]
            if missing:
                raise SystemExit("callgrind did not report %s" % missing)
            return {"turns": {"%s|%d" % (e, len(m)): scale.turn_costs(
                ir, e, m, rounds) for e, m in SCALE_TURNS},
                "import_400": ir["import|400"]}
        answers.append(("scale", scaled))
    # built here: under valgrind the cache checks would crawl
    sos = []
    if any(j["kind"] == "variant" for j in jobs):
        sos += bench.Setup().sos.values()
    if "scale" in questions:
        sos += scale.Scale(import_sizes=(400,)).sos.values()
    kept = None
    if cache_dir:
        kept = Path(cache_dir) / ("%s.json" % fingerprint(questions, sos))
        if kept.exists():
            return dict(json.loads(kept.read_text()), kept=str(kept))
    out = bench.BUILD / "callgrind-probe"
    out.mkdir(parents=True, exist_ok=True)
    (out / "jobs.json").write_text(json.dumps(jobs))
    dumps = cgrun.run(Path(__file__).resolve(),
                      ["--callgrind-child", out / "jobs.json"], out)
    got = {key: answer(dumps) for key, answer in answers}
    if kept:
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.with_suffix(".tmp").write_text(json.dumps(got))
        os.replace(kept.with_suffix(".tmp"), kept)
        got["kept"] = str(kept)
    return got


def fingerprint(questions, sos):
    """What ask()'s answers are a function of: the questions, every binary
    the child loads (the bench modules, hpyapi's runtime linked into each,
    hpy's own), the Python files it runs, the interpreter, valgrind, libc
    and the CPU's features.  Instruction counts are repeatable but for a
    few hundred in the 400-entry import (it hashes strings) and a couple
    per call in the debug mode's loops; the caller removes a sample it
    rejects (answer["kept"] names the file)."""
    import hashlib
    import platform
    import subprocess

    import hpy
    h = hashlib.sha256(json.dumps(questions, sort_keys=True).encode())
    files = sorted(str(p) for p in sos)
    files += sorted(str(p) for d in hpy.__path__  # a namespace package
                    for p in Path(d).rglob("*.so"))
    files += sorted(str(p) for p in Path(__file__).resolve().parent.glob(
        "*.py"))
    for f in files:
        h.update(f.encode() + b"\0" + Path(f).read_bytes())
    valgrind = subprocess.run(["valgrind", "--version"], check=True,
                              stdout=subprocess.PIPE, text=True).stdout
    with open("/proc/cpuinfo") as f:
        cpu = [ln for ln in f if ln.startswith(("model name", "flags"))][:2]
    h.update("\0".join([sys.version, sys.executable, valgrind,
                        " ".join(platform.libc_ver())] + cpu).encode())
    return h.hexdigest()[:16]


def callgrind_child(jobs_file):
    """Runs ask()'s loops in order, inside callgrind."""
    s = sc = None
    for j in json.loads(Path(jobs_file).read_text()):
        if j["kind"] == "variant":
            s = s or bench.Setup(prebuilt=True)
            bench.counted_run(s, j["vid"], j["n"], j["label"])
        else:
            sc = sc or scale.Scale(prebuilt=True)
            scale.run_job(sc, j)


def main(argv):
    what = argv[0] if argv else ""
    if what == "--callgrind-child" and len(argv) == 2:
        return callgrind_child(argv[1])
    if what == "targets":
        out = targets()
    elif what == "ask" and len(argv) == 2:
        out = ask(json.loads(argv[1]))
    elif what == "ask" and len(argv) == 4 and argv[2] == "--cache":
        out = ask(json.loads(argv[1]), argv[3])
    elif what == "counts" and len(argv) >= 4:
        out = ask({what: [argv[1], argv[2].split(","), argv[3:]]})[what]
    elif what in ("cross", "scale") and len(argv) == 2:
        out = ask({what: [argv[1]]})[what]
    else:
        raise SystemExit(__doc__)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
