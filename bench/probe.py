"""The bench's counts as JSON, for tests/test_fastpath.py, which runs this
file instead of importing the bench (tests stay apart from bench/).

    python bench/probe.py targets                  # bounds, pairs, entries
    python bench/probe.py counts N ENTRY[,ENTRY] HOW,CALLER,EXPORTER,HOOKS ...
                                                   # instructions per call
    python bench/probe.py cross N                  # the trivial entry of
                                                   # every cross pair, split
                                                   # by object group
    python bench/probe.py scale ROUNDS             # consumers in turn and
                                                   # the 400-entry import

HOW is raw, table or python; HOOKS is - or one of bench.py's hook words.
Each prints one JSON object on its last line of output.  The modules are
built here, in this process, before callgrind runs the loops in a child
(hpyapi.testing compiles on worker threads, and callgrind's
zero-counters request would leave their counts in the first dump).
"""
import json
import sys

import bench
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


def counts(n, entries, specs, objects=None):
    """{entry: {spec: instructions per call}} of each entry in each
    variant, from one callgrind run."""
    bench.Setup()
    ids = {(fn, spec): bench.variant_id(variant(*spec.split(",")), fn)
           for fn in entries for spec in specs}
    got = bench.callgrind_counts(n, list(ids.values()), objects)
    missing = [k for k, vid in ids.items() if vid not in got]
    if missing:
        raise SystemExit("callgrind did not report %s" % missing)
    out = {}
    for (fn, spec), vid in ids.items():
        out.setdefault(fn, {})[spec] = got[vid]
    return out, ids


def cross(n):
    """The trivial entry of each raw family and cross pair (table and
    Python round trip): {spec: [instructions per call, {group: ...}]}."""
    specs = ["raw,%s,%s,-" % (m, m) for m in ("universal", "debug", "cpython")]
    specs += ["%s,%s,%s,-" % (how, c, e) for c, e in report.CROSS_PAIRS
              for how in ("table", "python")]
    objects = {}
    per_call, ids = counts(n, ["trivial"], specs, objects)
    per_call = per_call["trivial"]
    out = {}
    for (_, spec), vid in ids.items():
        groups = {}
        for obj, k in objects[vid].items():
            g = report.object_group(obj)
            groups[g] = groups.get(g, 0) + k
        out[spec] = [per_call[spec], groups]
    return out


def scaled(rounds):
    """Consumers in turn (CPython-ABI ones, 3 and 10 of them, of a
    CPython-ABI and a universal exporter) and one 400-entry import:
    {"turns": {exporter|n: [per call, average over raw, [each]]},
    "import_400": instructions}."""
    scale.Scale(import_sizes=(400,))
    turns = [(exporter, [scale.CPY] * n)
             for exporter in ("cpython", "universal") for n in (3, 10)]
    ir = scale.measure_instructions(turns, None, (400,), rounds, 1)
    return {"turns": {"%s|%d" % (e, len(m)): scale.turn_costs(ir, e, m, rounds)
                      for e, m in turns},
            "import_400": ir["import|400"]}


def main(argv):
    what = argv[0] if argv else ""
    if what == "targets":
        out = targets()
    elif what == "counts" and len(argv) >= 4:
        out = counts(int(argv[1]), argv[2].split(","), argv[3:])[0]
    elif what == "cross" and len(argv) == 2:
        out = cross(int(argv[1]))
    elif what == "scale" and len(argv) == 2:
        out = scaled(int(argv[1]))
    else:
        raise SystemExit(__doc__)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
