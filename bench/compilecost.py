"""make bench: what hpyapi costs the compiler at NumPy scale (issue 22).

Every number is CPU seconds of the compiler processes (user + sys, from
getrusage of the children: the machine may be shared, so never wall time),
median of REPEATS, for one C file at -O2 with the flags the test suite and
hpyapi.extension use, for the universal ABI:

- the exporter of a generated 500-entry API (bench/gen.py), and of 2
  entries: the difference is the per-entry cost, also in object bytes;
- the NumPy-sized exporter (tests/numpy_api: 417 entries, every file);
- a file with only HPyAPI_USE_DEFINE of the NumPy-sized APIs;
- a file that only includes the NumPy-sized API's header, next to one that
  includes NumPy's own arrayobject.h + ufuncobject.h (and Python.h);
- hpyapi's runtime archive, built once per ABI;
- `.hpyapi` record bytes per object of each kind.

    python bench/compilecost.py        # prints the markdown section
    python bench/compilecost.py --splice   # ... and puts it, with its
                                           # Targets rows, in results.md
"""
import os
import resource
import statistics
import subprocess
import sys
import sysconfig
from pathlib import Path

import gen

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUILD = REPO / "build" / "bench" / "compile"
NPAPI = REPO / "tests" / "numpy_api"
REPEATS = int(os.environ.get("HPYAPI_BENCH_REPEATS", "3"))

# issue 22's targets, CPU seconds at -O2
EXPORTER_500 = 10.0
USE_DEFINE = 1.0
INCLUDE_RATIO = 2.0


def _flags(abi="universal"):
    from hpyapi import archive, testing
    cc = archive.new_compiler()
    incs = archive.include_dirs(abi)
    return (list(cc.compiler_so) + testing.default_compile_args() +
            ["-DHPY", "-DHPY_ABI_" + abi.upper()] +
            ["-I" + d for d in incs])


def cpu(cmd):
    """CPU seconds (user + sys) of running `cmd` to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime -
                                                 before.ru_stime)


def compile_cpu(sources, extra=(), flags=None, out=None):
    """Median over REPEATS of the CPU seconds to compile each of `sources`
    (summed), and the last objects."""
    flags = _flags() if flags is None else flags
    out = out or BUILD / "obj"
    out.mkdir(parents=True, exist_ok=True)
    runs, objs = [], []
    for _ in range(REPEATS):
        total, objs = 0.0, []
        for src in sources:
            obj = out / (Path(src).stem + ".o")
            total += cpu(flags + list(extra) + ["-c", str(src), "-o",
                                                str(obj)])
            objs.append(obj)
        runs.append(total)
    return statistics.median(runs), objs


def preprocessed_bytes(src, extra=(), flags=None):
    flags = _flags() if flags is None else flags
    res = subprocess.run(flags + list(extra) + ["-E", "-P", str(src)],
                         stdout=subprocess.PIPE, check=True)
    return len(res.stdout)


def sections(obj):
    """{section: bytes} of an object or shared library."""
    out = subprocess.run(["size", "-A", str(obj)], stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    res = {}
    for ln in out.splitlines():
        parts = ln.split()
        if len(parts) >= 2 and parts[0].startswith(".") and \
                parts[1].isdigit():
            res[parts[0]] = int(parts[1])
    return res


def code_bytes(obj):
    s = sections(obj)
    return sum(v for k, v in s.items() if k.startswith(".text"))


def numpy_sources():
    """The NumPy-sized API's generated files (as tests/numpy_api makes
    them): {role: [paths]} plus include_dirs."""
    sys.path.insert(0, str(REPO / "tests"))
    try:
        from numpy_api import cgen, translate
    finally:
        sys.path.pop(0)
    return cgen.write(str(BUILD / "npapi-src"), translate.translate())


def numpy_header_flags():
    import numpy
    paths = sysconfig.get_paths()
    from hpyapi import archive
    return list(archive.new_compiler().compiler_so) + [
        "-std=gnu11", "-O2", "-g", "-I" + numpy.get_include(),
        "-I" + paths["include"], "-I" + paths["platinclude"]]


def measure():
    BUILD.mkdir(parents=True, exist_ok=True)
    res = {}
    # generated exporters: 2 and 500 entries
    for n in (2, 500):
        d = gen.write(n, BUILD / "gen" / str(n))
        t, (obj,) = compile_cpu([d / "bgenexp.c"], ["-I" + str(d),
                                                    "-I" + str(HERE / "c")])
        res["gen%d" % n] = {"cpu": t, "code": code_bytes(obj),
                            "records": sections(obj).get(".hpyapi", 0)}
    # the NumPy-sized API
    np = numpy_sources()
    inc = ["-I" + str(d) for d in np["include_dirs"]]
    t, objs = compile_cpu(np["exporter"], inc, out=BUILD / "npexp")
    main = [o for o in objs if o.stem == "npexp"]
    res["npexp"] = {"cpu": t, "files": len(objs),
                    "records": sum(sections(o).get(".hpyapi", 0)
                                   for o in objs),
                    "main_cpu": compile_cpu([NPAPI / "npexp.c"], inc,
                                            out=BUILD / "npexp1")[0],
                    "main_records": sections(main[0]).get(".hpyapi", 0)
                    if main else 0}
    t, objs = compile_cpu(np["consumer"], inc, out=BUILD / "npcons")
    res["npcons"] = {"cpu": t, "files": len(objs),
                     "records": sum(sections(o).get(".hpyapi", 0)
                                    for o in objs)}
    header = Path(np["include_dirs"][0]) / "npapi.h"
    only = BUILD / "include_only.c"
    only.write_text('#include "hpy.h"\n#include "%s"\n'
                    'int f(void) { return 0; }\n' % header)
    use = BUILD / "use_define.c"
    use.write_text('#include "hpy.h"\n#include "%s"\n'
                   'HPyAPI_USE_DEFINE(npyma, NPYMA_API, "npexp");\n'
                   'HPyAPI_USE_DEFINE(npyuf, NPYUF_API, "npexp");\n' % header)
    theirs = BUILD / "numpy_include_only.c"
    theirs.write_text("#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n"
                      "#include <numpy/arrayobject.h>\n"
                      "#include <numpy/ufuncobject.h>\n"
                      "int f(void) { return 0; }\n")
    for key, src, flags in (("include", only, None),
                            ("use_define", use, None),
                            ("numpy_include", theirs, numpy_header_flags())):
        t, (obj,) = compile_cpu([src], inc if flags is None else (),
                                flags=flags, out=BUILD / key)
        res[key] = {"cpu": t, "records": sections(obj).get(".hpyapi", 0),
                    "bytes": preprocessed_bytes(
                        src, inc if flags is None else (), flags)}
    # the runtime archive, once per ABI (cached afterwards)
    from hpyapi import archive, testing
    scratch = BUILD / "archive"
    import shutil
    shutil.rmtree(scratch, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    archive.runtime_archive("universal", testing.default_compile_args(),
                            scratch, jobs=1)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    res["archive"] = {"cpu": after.ru_utime - before.ru_utime +
                      after.ru_stime - before.ru_stime,
                      "files": len(archive.runtime_sources())}
    shutil.rmtree(scratch, ignore_errors=True)
    return res


def render(r):
    g2, g5 = r["gen2"], r["gen500"]
    per = (g5["code"] - g2["code"]) / 498
    out = ["## Compile cost at NumPy scale", "",
           "CPU seconds (user + sys of the compiler, median of %d) at -O2, "
           "universal ABI, one object per C file; hpyapi's runtime is not in "
           "these: it is compiled once per ABI into an archive that modules "
           "link (last row)." % REPEATS, "",
           "| what | CPU s | preprocessed | `.hpyapi` bytes |",
           "|---|---:|---:|---:|",
           "| exporter of a generated 500-entry API (one file) | %.2f | | %d |"
           % (g5["cpu"], g5["records"]),
           "| exporter of a generated 2-entry API | %.2f | | %d |"
           % (g2["cpu"], g2["records"]),
           "| NumPy-sized exporter, 417 entries (%d files) | %.2f | | %d |"
           % (r["npexp"]["files"], r["npexp"]["cpu"], r["npexp"]["records"]),
           "| ... its file with the trampolines (npexp.c) | %.2f | | %d |"
           % (r["npexp"]["main_cpu"], r["npexp"]["main_records"]),
           "| NumPy-sized consumer (%d files, a wrapper per entry) | %.2f | "
           "| %d |" % (r["npcons"]["files"], r["npcons"]["cpu"],
                       r["npcons"]["records"]),
           "| a file with only `HPyAPI_USE_DEFINE` of both NumPy-sized APIs "
           "| %.2f | %d | %d |" % (r["use_define"]["cpu"],
                                   r["use_define"]["bytes"],
                                   r["use_define"]["records"]),
           "| a file that only includes the NumPy-sized API's header "
           "| %.2f | %d | %d |" % (r["include"]["cpu"], r["include"]["bytes"],
                                   r["include"]["records"]),
           "| a file that only includes NumPy's arrayobject.h + ufuncobject.h "
           "| %.2f | %d | |" % (r["numpy_include"]["cpu"],
                                r["numpy_include"]["bytes"]),
           "| hpyapi's runtime archive, once per ABI (%d files) | %.2f | | |"
           % (r["archive"]["files"], r["archive"]["cpu"]),
           "", "Per entry of the generated API: %.4f CPU s, %.0f bytes of "
           "code.  Including the NumPy-sized API's header costs %.1fx "
           "including NumPy's own headers." % (
               (g5["cpu"] - g2["cpu"]) / 498, per, include_ratio(r)), ""]
    return out


def include_ratio(r):
    return r["include"]["cpu"] / max(r["numpy_include"]["cpu"], 1e-9)


def targets(r):
    ratio = include_ratio(r)
    return [
        ("exporter of a generated 500-entry API: <= %.0f CPU s at -O2"
         % EXPORTER_500, "%.2f" % r["gen500"]["cpu"],
         r["gen500"]["cpu"] <= EXPORTER_500),
        ("NumPy-sized exporter (417 entries): <= %.0f CPU s at -O2"
         % EXPORTER_500, "%.2f" % r["npexp"]["cpu"],
         r["npexp"]["cpu"] <= EXPORTER_500),
        ("a file with HPyAPI_USE_DEFINE: <= %.0f CPU s" % USE_DEFINE,
         "%.2f" % r["use_define"]["cpu"], r["use_define"]["cpu"] <= USE_DEFINE),
        ("a file that only includes the header: <= %.0fx including NumPy's "
         "own headers, and no records" % INCLUDE_RATIO,
         "%.1fx, %d record bytes" % (ratio, r["include"]["records"]),
         ratio <= INCLUDE_RATIO and r["include"]["records"] == 0),
    ]


def splice(results, r):
    """results.md's text with this file's section and its rows of the
    Targets table replaced by those of `r` (the rest of `make bench`
    unchanged: bench.py writes the whole file and merges nothing)."""
    lines = results.split("\n")
    head = render(r)[0]
    start = lines.index(head)
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith("## ")), len(lines))
    lines[start:end] = render(r)
    for name, measured, ok in targets(r):
        row = "| %s | %s | %s |" % (name, measured,
                                    "met" if ok else "**missed**")
        at = [i for i, ln in enumerate(lines)
              if ln.startswith("| %s | " % name)]
        if len(at) != 1:
            raise SystemExit("results.md: no single Targets row for " + name)
        lines[at[0]] = row
    return "\n".join(lines)


def main():
    r = measure()
    print("\n".join(render(r)))
    for name, measured, ok in targets(r):
        print("%s: %s: %s" % ("met" if ok else "MISSED", name, measured))
    if sys.argv[1:2] == ["--splice"]:
        out = HERE / "results.md"
        out.write_text(splice(out.read_text(), r))


if __name__ == "__main__":
    main()
