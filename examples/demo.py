"""make demo: the myarray exporter with its consumers -- stats (HPy) and
legacy (plain C-API) -- loaded in different HPy modes, calling each other
through hpyapi trampolines, and what crossed the boundary; cystats, a
Cython module calling the same API through the .pxd generated from
myarray_api.h (examples/cython); then npstats, an HPy module calling real
NumPy's C-API through the legacy bridge.

Each module is built once per HPy ABI (build/examples) and loaded per mode
with hpyapi.testing.  The consumers import "myarray"; for each pair we point
sys.modules["myarray"] at the exporter loaded in that pair's mode.  Every
exporter counts and times its calls (hpyapi.hooks), shown at the end.
"""
import os
import sys
from pathlib import Path

import hpyapi
from hpyapi import testing

HERE = Path(__file__).resolve().parent
BUILD = HERE.parent / "build" / "examples"
LOADED = BUILD / "loaded"

PAIRS = [  # (exporter mode, stats' mode)
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


def build_cython_example():
    """examples/cython/cystats, built by its own setup.py (cythonize, the
    .pxd generated from myarray_api.h) in a copy under build/examples."""
    import hashlib
    import shutil
    import subprocess
    src = HERE / "cython"
    h = hashlib.sha256(sys.version.encode())
    for f in [src / "cystats.pyx", src / "setup.py", HERE / "myarray_api.h",
              Path(hpyapi.__file__).parent / "pxd.py"] + [
                  Path(p) for p in hpyapi.get_sources()]:
        h.update(f.read_bytes())
    out = BUILD / "cython" / h.hexdigest()[:16]
    sos = list(out.glob("cystats*.so"))
    if not sos:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(src, out / "work", ignore=shutil.ignore_patterns(
            "build", "*.c", "*.pxd", "__pycache__"))
        subprocess.run([sys.executable, "setup.py", "build_ext", "-q"],
                       cwd=out / "work", check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, MYARRAY_API_DIR=str(HERE)))
        so = next((out / "work" / "build").glob("lib*/cystats*.so"))
        shutil.copy(so, out / so.name)
        shutil.rmtree(out / "work")
        sos = list(out.glob("cystats*.so"))
    return str(sos[0])


def show(call, result, note=""):
    print("    %-32s -> %-30s %s" % (call, result, note))


class Demo:
    def __init__(self):
        print("building myarray, stats and legacy (cached in build/examples)")
        self.sos = {"myarray": build("myarray"), "stats": build("stats"),
                    "legacy": build("legacy", abis=("capi",))}
        self.exporters = {}
        self.n = 0

    def exporter(self, mode):
        if mode not in self.exporters:
            mod = testing.load_extension(
                "demo_%s.myarray" % mode,
                self.sos["myarray"][testing.abi_for_mode(mode)], mode, LOADED)
            hpyapi.hooks(mod).time()  # count and time every entry
            self.exporters[mode] = mod
        sys.modules["myarray"] = self.exporters[mode]
        return self.exporters[mode]

    def consumer(self, name, mode, abi):
        self.n += 1
        so = self.sos[name] if abi is None else self.sos[name][abi]
        return testing.load_extension("demo_%s%d.%s" % (mode, self.n, name),
                                      so, mode, LOADED)

    def pair(self, e_mode, c_mode):
        myarray = self.exporter(e_mode)
        stats = self.consumer("stats", c_mode, testing.abi_for_mode(c_mode))
        print()
        print("  myarray in %s mode (%s)  <-  stats in %s mode (%s)"
              % (e_mode, myarray.mode(), c_mode, stats.mode()))
        a = stats.linspace(0.0, 1.0, 5)
        show("stats.linspace(0, 1, 5)", a, "made by myarray, handle in stats")
        show("stats.mean(a)", stats.mean(a))
        show("stats.total(a, Array(3, 2.0))",
             stats.total(a, myarray.Array(3, 2.0)), "a const HPy * array")
        show("stats.is_array(a)", stats.is_array(a), "the exported type")
        try:
            stats.total(a, "x")
        except TypeError as e:
            show("stats.total(a, 'x')", "TypeError: %s" % e, "raised in myarray")

    def legacy(self, e_mode):
        myarray = self.exporter(e_mode)
        legacy = self.consumer("legacy", "cpython", "capi")
        a = legacy.from_list([1.0, 3.0, 4.0])
        show("[%s] legacy.normalized(a)" % e_mode, legacy.normalized(a),
             "PyObject * in, new reference out")
        assert legacy.array_type() is myarray.Array

    def cython(self, e_mode):
        myarray = self.exporter(e_mode)
        if "cystats" not in self.sos:
            self.sos["cystats"] = build_cython_example()
        cystats = self.consumer("cystats", "cpython", None)
        a = cystats.linspace(0.0, 1.0, 5)
        show("[%s] cystats.mean(a)" % e_mode, cystats.mean(a),
             "object in, double out")
        show("[%s] cystats.total(a, a)" % e_mode, cystats.total(a, a),
             "a PyObject ** array")
        try:
            cystats.mean("x")
        except TypeError as e:
            show("[%s] cystats.mean('x')" % e_mode, "TypeError: %s" % e,
                 "raised in myarray")
        assert cystats.is_array(a) and type(a) is myarray.Array

    def call_table(self):
        print()
        print("calls between extensions, by exporter, caller and entry "
              "(hpyapi.stats()):")
        rows = sorted(s for s in hpyapi.stats()
                      if s.exporter.startswith("demo_"))
        print("  %-22s %-22s %-10s %-18s %5s %8s"
              % ("exporter", "caller", "caller ctx", "entry", "calls",
                 "ns/call"))
        for s in rows:
            print("  %-22s %-22s %-10s %-18s %5d %8.0f"
                  % (s.exporter, s.caller, s.caller_kind, s.entry, s.calls,
                     s.ns / s.calls if s.calls else 0))
        print("  (timing is on for every entry here, so every call takes the "
              "hooked path;\n   `make bench` measures calls without hooks)")


def main():
    demo = Demo()
    print()
    print("stats, an HPy extension, calls myarray's C API:")
    for e_mode, c_mode in PAIRS:
        demo.pair(e_mode, c_mode)
    print()
    print("legacy, a plain C-API extension, calls the same API through its "
          "CPython-API table:")
    for e_mode in ("debug", "universal", "cpython"):
        demo.legacy(e_mode)
    print()
    print("cystats, a Cython module, calls the same API through the .pxd "
          "generated from myarray_api.h:")
    for e_mode in ("debug", "universal", "cpython"):
        demo.cython(e_mode)
    demo.call_table()
    numpy_section(demo)


def numpy_section(demo):
    """npstats, a universal HPy module, computes with real NumPy arrays
    through NumPy's own C-API table (hpyapi's legacy bridge)."""
    import numpy as np
    sos = build("npstats", abis=("cpython", "universal"))
    print()
    print("npstats, an HPy extension, calls NumPy %s's classic C-API "
          "(_ARRAY_API) through the legacy bridge:" % np.__version__)
    x = np.array([[1.0, 2.0], [3.0, 6.0]])
    for mode in ("universal", "debug", "trace", "cpython"):
        demo.n += 1
        m = testing.load_extension(
            "demo_%s%d.npstats" % (mode, demo.n),
            sos[testing.abi_for_mode(mode)], mode, LOADED)
        print("  npstats in %s mode (%s):" % (mode, m.mode()))
        z = m.standardize(x)
        show("npstats.standardize(x)", np.array2string(z, precision=2)
             .replace("\n", ""), "a new ndarray, built via Zeros")
        assert np.allclose(z, (x - x.mean()) / x.std())
        show("npstats.summary([1, 2, 3])", m.summary([1, 2, 3]),
             "FromAny, Size, Sum")
        try:
            m.summary("abc")
        except ValueError as e:
            show("npstats.summary('abc')", "ValueError: %s" % e,
                 "raised by NumPy")


if __name__ == "__main__":
    main()
