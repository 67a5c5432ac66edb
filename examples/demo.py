"""make demo: the myarray exporter and the stats consumer, loaded in
different HPy modes, calling each other through hpyapi trampolines.

Each module is built once per HPy ABI (build/examples) and loaded per mode
with hpyapi.testing.  stats imports "myarray"; for each pair we point
sys.modules["myarray"] at the exporter loaded in that pair's mode.
"""
import sys
from pathlib import Path

from hpyapi import testing

HERE = Path(__file__).resolve().parent
BUILD = HERE.parent / "build" / "examples"

PAIRS = [  # (exporter mode, consumer mode)
    ("debug", "universal"),
    ("cpython", "trace"),
    ("universal", "debug"),
    ("hybrid", "cpython"),
    ("trace", "hybrid"),
    ("universal", "universal"),
]


def build(name, abis=("cpython", "universal", "hybrid")):
    return {abi: testing.build_extension(name, [HERE / (name + ".c")], abi,
                                         BUILD, include_dirs=[HERE])
            for abi in abis}


def main():
    print("building myarray and stats for the cpython, universal and hybrid "
          "ABIs (cached in build/examples) ...")
    sos = {"myarray": build("myarray"), "stats": build("stats"),
           "legacy": build("legacy", abis=("capi",))}
    load_dir = BUILD / "loaded"
    exporters = {}
    for n, (e_mode, c_mode) in enumerate(PAIRS):
        if e_mode not in exporters:
            exporters[e_mode] = testing.load_extension(
                "demo_%s.myarray" % e_mode,
                sos["myarray"][testing.abi_for_mode(e_mode)], e_mode, load_dir)
        myarray = sys.modules["myarray"] = exporters[e_mode]
        stats = testing.load_extension(
            "demo_pair%d.stats" % n, sos["stats"][testing.abi_for_mode(c_mode)],
            c_mode, load_dir)

        print()
        print("myarray loaded as %-9s (context %r)" % (e_mode, myarray.mode()))
        print("stats   loaded as %-9s (context %r)" % (c_mode, stats.mode()))
        a = stats.linspace(0.0, 1.0, 5)
        b = myarray.Array(3, 2.0)
        show("stats.linspace(0, 1, 5)", a,
             "Array_New + 5 x Array_SetItem: the array is made by myarray, "
             "the handle comes back in stats' context")
        show("stats.mean(a)", stats.mean(a),
             "Array_Length + Array_Sum with a 1-handle array")
        show("stats.total(a, b, a)", stats.total(a, b, a),
             "stats' own argument handles passed on as a const HPy * array")
        show("stats.is_array(a)", stats.is_array(a),
             "the exported type object, as a new handle in stats' context")
        try:
            stats.total(a, "not an array")
        except TypeError as e:
            show("stats.total(a, 'x')", "TypeError: %s" % e,
                 "raised in myarray, seen by stats' caller unchanged")

    print()
    print("legacy: a plain C-API extension, calling myarray through its "
          "CPython-API table")
    for n, e_mode in enumerate(("debug", "universal", "cpython")):
        sys.modules["myarray"] = exporters[e_mode]
        legacy = testing.load_extension("demo_legacy%d.legacy" % n,
                                        sos["legacy"]["capi"], "cpython",
                                        load_dir)
        a = legacy.from_list([1.0, 3.0, 4.0])
        show("[myarray %s] legacy.normalized(a)" % e_mode, legacy.normalized(a),
             "PyObject * in, new reference out")


def show(call, result, what):
    print("  %-24s -> %-40s %s" % (call, result, what))


if __name__ == "__main__":
    main()
