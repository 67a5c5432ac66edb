"""python -m hpyapi: build queries, describe a loaded module's API, and
check binaries' API records without importing them.  See docs/reference.md.
"""
import argparse
import json
import os
import sys

import hpyapi

ABIS = ("cpython", "universal", "hybrid")


def _devel():
    import hpy.devel
    return hpy.devel.HPyDevel()


def include_flags(abi):
    """-I flags for hpyapi's and hpy's headers.  A universal build gets
    hpy's forbid_python_h first, as hpy.devel does, so that an accidental
    #include <Python.h> fails at compile time."""
    dirs = [hpyapi.get_include()] + _devel().get_extra_include_dirs()
    if abi == "universal":
        dirs.insert(0, str(_devel().get_include_dir_forbid_python_h()))
    return ["-I" + d for d in dirs]


def sources(abi):
    """What an extension built for `abi` compiles besides its own files:
    hpyapi's runtime and hpy's helpers, plus hpy's context implementation
    for the CPython ABI (what `--hpy-use-static-libs` would link instead)."""
    devel = _devel()
    out = hpyapi.get_sources() + devel.get_extra_sources()
    if abi == "cpython":
        out += sorted(devel.get_ctx_sources())
    return out


def cflags(abi):
    return ["-DHPY", "-DHPY_ABI_" + abi.upper()]


def archive(abi, args):
    """What to link instead of compiling --sources: hpyapi's runtime
    archive for `abi` (built now unless cached: see hpyapi.archive) and
    hpy's static library of helpers (and, for cpython, its context)."""
    from hpyapi import archive as A
    try:
        return A.link_objects(abi, args.runtime_cflags.split(),
                              args.cache_dir)
    except (A.CompileError, RuntimeError) as e:
        sys.stderr.write("hpyapi: building the %s runtime archive failed: "
                         "%s\n" % (abi, e))
        raise SystemExit(1)


def ext_suffix(abi):
    """The file name ending hpy gives a module of `abi` (".hpy0.so" for
    universal), which a build system other than setuptools must use."""
    from hpy.devel.abitag import get_hpy_ext_suffix
    return [get_hpy_ext_suffix(abi)]


def _describe(args):
    from hpyapi.introspect import describe, format_description
    try:
        d = describe(args.module, args.api)
    except (ImportError, LookupError) as e:
        sys.stderr.write("hpyapi: %s\n" % e)
        return 1
    print(json.dumps(d, indent=2) if args.json else format_description(d))
    return 0


def _check(args):
    from hpyapi.check import as_json, check, format_report
    report = check(args.files)
    if args.json:
        print(json.dumps(as_json(report), indent=2))
    else:
        print(format_report(report, entries=args.entries))
    return 0 if report["ok"] else 1


def parser():
    p = argparse.ArgumentParser(
        prog="python -m hpyapi",
        description="Build flags for extensions that use hpyapi, and tools "
        "to look at the APIs modules export and need.",
        epilog="Build queries print one line, space-separated, like "
        "`python -m pybind11 --includes`; several may be combined.")
    q = p.add_argument_group("build queries")
    q.add_argument("--includes", action="store_true",
                   help="-I flags for hpyapi's and hpy's headers")
    q.add_argument("--sources", action="store_true",
                   help="C files to compile into every extension that "
                   "exports or imports an API (hpyapi's and hpy's runtime)")
    q.add_argument("--archive", action="store_true",
                   help="build (once, cached) and print the static archives "
                   "to link instead of compiling --sources: hpyapi's "
                   "runtime for the ABI, then hpy's helpers")
    q.add_argument("--runtime-cflags", default="", metavar="FLAGS",
                   help="compiler flags for the runtime archive, e.g. "
                   "--runtime-cflags=\"-O2 -g\" or sanitizer flags (part "
                   "of its cache key)")
    q.add_argument("--cache-dir", metavar="DIR", default=None,
                   help="where --archive keeps archives (default "
                   "$HPYAPI_CACHE_DIR, else build/hpyapi-runtime)")
    q.add_argument("--cflags", action="store_true",
                   help="the HPy ABI macros (-DHPY -DHPY_ABI_...)")
    q.add_argument("--ext-suffix", action="store_true",
                   help="the file name ending of a module built for the ABI "
                   "(.hpy0.so for universal)")
    q.add_argument("--abi", choices=ABIS, default="cpython",
                   help="the HPy ABI the queries are for (default cpython; "
                   "plain C-API consumers use cpython)")
    p.add_argument("--version", action="version",
                   version="hpyapi " + hpyapi.__version__)
    sub = p.add_subparsers(dest="command", title="subcommands",
                           metavar="COMMAND")
    d = sub.add_parser("describe", help="import MODULE and print the API it "
                       "exports", description="Import MODULE and print the "
                       "API it exports: version, exporter ABI and mode, and "
                       "every entry.")
    d.add_argument("module", metavar="MODULE")
    d.add_argument("api", metavar="API", nargs="?",
                   help="which API, if MODULE exports several")
    d.add_argument("--json", action="store_true",
                   help="print describe()'s result as JSON")
    d.set_defaults(func=_describe)
    c = sub.add_parser("check", help="without importing, list the APIs "
                       "binaries export and need and check they fit",
                       description="Read the .hpyapi records of each FILE "
                       "(without loading it), list the APIs it exports and "
                       "needs, and check that the exporters among the FILEs "
                       "satisfy every import.  Exit status: 0 if all imports "
                       "are satisfied, 1 if not (or a FILE is unreadable), "
                       "2 for usage errors.")
    c.add_argument("files", metavar="FILE", nargs="+")
    c.add_argument("--json", action="store_true",
                   help="machine-readable output")
    c.add_argument("-e", "--entries", action="store_true",
                   help="list every entry with its signature")
    c.set_defaults(func=_check)
    x = sub.add_parser("expand", help="print what a declaration becomes: "
                       "trampolines, tables and records",
                       description="Preprocess HEADER with the user's "
                       "compiler ($CC, else cc) and print, one statement per "
                       "line, what hpyapi's macros generate for API (or only "
                       "for its entry ENTRY) on one side of a call.")
    x.add_argument("header", metavar="HEADER")
    x.add_argument("api", metavar="API")
    x.add_argument("entry", metavar="ENTRY", nargs="?")
    x.add_argument("--side", choices=("exporter", "consumer", "capi"),
                   default="exporter",
                   help="HPyAPI_DEFINE (exporter, default), HPyAPI_USE_DEFINE "
                   "(consumer) or HPyAPI_USE_CAPI_DEFINE (capi)")
    x.add_argument("--list", dest="list_name", metavar="LIST",
                   help="the list macro, if HEADER's HPyAPI_DECLARE does not "
                   "name it literally")
    x.add_argument("-I", dest="includes", action="append", default=[],
                   metavar="DIR", help="more include directories")
    x.set_defaults(func=_expand)
    y = sub.add_parser("pxd", help="write a Cython .pxd for an API, from "
                       "its declaration in HEADER", description="Run the C "
                       "preprocessor on HEADER and write a Cython .pxd for "
                       "API: its CPython-API table with objects for handles, "
                       "callback types and import_API().  See the Cython "
                       "section of docs/reference.md.")
    y.add_argument("header", metavar="HEADER")
    y.add_argument("api", metavar="API")
    y.add_argument("-o", "--output", help="the .pxd to write (default "
                   "API.pxd)")
    y.add_argument("-m", "--module", help="the exporter's module, which "
                   "import_API() imports by default")
    y.add_argument("--include", help="how C code includes HEADER (default "
                   "its file name)")
    y.add_argument("--types", help="a file of `cdef extern` lines declaring "
                   "the header's own types")
    y.add_argument("-I", action="append", metavar="DIR",
                   help="include directory for the preprocessor")
    y.add_argument("-D", action="append", metavar="MACRO[=VALUE]",
                   help="macro for the preprocessor")
    y.set_defaults(func=_pxd)
    return p


def _expand(args):
    from hpyapi.expand import ExpandError, expand
    try:
        sys.stdout.write(expand(
            args.header, args.api, args.entry, side=args.side, abi=args.abi,
            list_name=args.list_name,
            extra_flags=["-I" + d for d in args.includes]))
    except ExpandError as e:
        sys.stderr.write("hpyapi expand: %s\n" % e)
        return 1
    return 0


def _pxd(args):
    from hpyapi.pxd import main as pxd_main
    return pxd_main(args)


def main(argv):
    p = parser()
    args = p.parse_args(argv)
    queries = [q for q in ("includes", "sources", "archive", "cflags",
                           "ext_suffix")
               if getattr(args, q)]
    if args.command and queries:
        p.error("build queries and a subcommand cannot be combined")
    if queries:
        words = []
        for q in queries:
            if q == "archive":
                words += archive(args.abi, args)
                continue
            words += {"includes": include_flags, "sources": sources,
                      "cflags": cflags, "ext_suffix": ext_suffix}[q](args.abi)
        print(" ".join(words))
        return 0
    if not args.command:
        p.print_usage(sys.stderr)
        sys.stderr.write("python -m hpyapi: error: give a subcommand or a "
                         "build query; see --help\n")
        return 2
    return args.func(args)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:  # `... | head`: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
