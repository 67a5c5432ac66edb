"""The test suite's one build-and-load registry and its `pair` fixture.

Every C module a test loads is a *spec*: a name, its sources and flags, and
the ABIs it is built for.  The session-wide `modules` fixture builds each
(spec, ABI) once, through hpyapi.testing.build_extension (cached in
build/tests: objects by the content of sources and headers, links by
hpyapi's runtime archive, so editing a runtime .c file rebuilds three
archives and relinks, nothing else), on a pool of build threads (the CPUs,
shared among pytest-xdist's test processes), and loads each (name, mode) at
most once per session.

Using it from a new test file::

    from conftest import EXAMPLES, register

    # at import time: the module's specs (abis=("capi",) for a plain
    # C-API extension, loaded in mode "cpython")
    register("mything", [EXAMPLES / "mything.c"], include_dirs=[EXAMPLES])
    BUILDS = ["exporter"]   # shared specs this file uses, built in advance

    def test_it(modules):
        m = modules.get("mything", "debug")   # hpyapi_t_debug.mything

Specs registered by a collected file, and the names in its BUILDS, start
building in the background as soon as collection ends, in test order; any
other spec builds (all its ABIs at once) on first use.

The mode matrix: request `pair` and get an exporter and a consumer loaded
in every (exporter mode, caller mode) of PAIRS, the consumer already set
up against that exporter::

    def test_x(pair):
        exporter, consumer, e_mode, c_mode = pair

A file changes what `pair` gives with module-level names: `PAIRS` (a
subset of the pairs), `PAIR` (a dict: "exporter", "consumer", "capi" spec
names, "setup": the consumer's method called with the exporter's name, or
None, "fresh": True for new copies of both modules per test, e.g. when a
test changes per-module state).  To give its tests another shape, a file
overrides `pair` with a fixture that requests `pair` and `pair_modes`
(pytest 8, on Python 3.9, does not see the latter through the former).
"""
import os
import sys
from collections import namedtuple
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from hpyapi import testing

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
C_DIR = HERE / "c"
EXAMPLES = REPO / "examples"
BUILD_DIR = Path(os.environ.get("HPYAPI_TEST_BUILD", REPO / "build" / "tests"))
# One cache of runtime archives for the whole run: the registry, the
# examples, the bench modules test_fastpath builds and every setup.py,
# meson or Cython build a test runs in a temporary directory (they inherit
# the variable) link the same archive for the same ABI and flags, instead
# of each directory building its own (19 archives, 105 CPU s, before).
# Tests of where archives go by default remove it from their builds' env.
os.environ.setdefault("HPYAPI_CACHE_DIR", str(BUILD_DIR / "hpyapi-runtime"))
# and one cache of the runtime's objects, which archives elsewhere (tests of
# the default place, meson's build directories) are made of too: a runtime
# edit recompiles one file per (ABI, flags), not 16 per archive
os.environ.setdefault("HPYAPI_OBJECT_CACHE", str(BUILD_DIR / "hpyapi-objects"))

MODES = testing.MODES
ABIS = ("cpython", "universal", "hybrid")
# the mode matrix: every exporter mode x every caller mode, where the sixth
# caller, "capi", is a plain C-API extension calling through the
# CPython-API table
CALLERS = MODES + ("capi",)
PAIRS = [(e, c) for e in MODES for c in CALLERS]
CTX_NAME = {
    "cpython": "HPy CPython ABI",
    "universal": "HPy Universal ABI (CPython backend)",
    "hybrid": "HPy Universal ABI (CPython backend)",
    "debug": "HPy Debug Mode ABI",
    "trace": "HPy Trace Mode ABI",
    "capi": "CPython C-API (no context)",
}
# Modes whose handles mean the same thing (the transform passes them on).
FAMILY = {"cpython": "cpy", "universal": "uni", "hybrid": "uni",
          "trace": "uni", "debug": "dbg", "capi": "cpy"}

# What a caller's context is to the exporter's: the same instance (its
# table holds the implementations, nothing is converted or staged) for two
# modes of one kind, unless the switch gives every universal, hybrid and
# trace module a private copy of its context.
KIND = {"cpython": "cpy", "universal": "uni", "hybrid": "uni",
        "debug": "dbg", "trace": "trace", "capi": "capi"}
PRIVATE = os.environ.get(testing.PRIVATE_CONTEXTS_ENV) == "1"


def passes_through(pair):
    """The pair's caller runs on the exporter's own context instance."""
    return KIND[pair.e_mode] == KIND[pair.c_mode] and not (
        PRIVATE and KIND[pair.e_mode] in ("uni", "trace"))


class Thing:
    """A test object: hashable, compared by identity."""


EXTRA_CFLAGS = os.environ.get("HPYAPI_TEST_CFLAGS", "").split()
EXTRA_LDFLAGS = os.environ.get("HPYAPI_TEST_LDFLAGS", "").split()
# build workers per test process: the CPUs, shared among pytest-xdist's
# workers (`make test` runs one per CPU; each builds what its tests need,
# and a module another worker is compiling is waited for, not compiled
# twice: hpyapi.testing locks it)
WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
JOBS = max(1, (os.cpu_count() or 2) // WORKERS)


def pair_id(p):
    return "%s-exporter/%s-caller" % p


def compile_args():
    """Test modules' flags before OPT: -Werror on the defaults."""
    return testing.default_compile_args() + ["-Werror"] + EXTRA_CFLAGS


def runtime_args():
    """The runtime archive's flags: the defaults at -O2, as users build it
    and as bench/ does, so the archives are shared (the runtime's own
    warnings are test_build's test_runtime_builds_without_warnings)."""
    return testing.default_compile_args() + EXTRA_CFLAGS


# Test modules test behaviour, not code quality (tests/test_fastpath.py
# counts instructions of bench/'s -O2 builds; tests/test_build*.py check
# warnings at -O2): -O0 compiles them 2-4x faster.  HPYAPI_TEST_OPT=-O2
# builds them as users would.
OPT = os.environ.get("HPYAPI_TEST_OPT", "-O0")


def module_cflags():
    """A test module's own flags: compile_args() at OPT."""
    return [OPT if a == "-O2" else a for a in compile_args()]


Spec = namedtuple("Spec", "name sources include_dirs macros abis cflags "
                  "runtime_cflags origin")
SPECS = {}


def register(name, sources, include_dirs=(), macros=(), abis=ABIS,
             cflags=None, runtime_cflags=None):
    """Declares module `name` (its file name too) built from `sources` for
    each of `abis` ("capi": a plain C-API extension).  `cflags` default to
    module_cflags(); the runtime archive is always built with
    `runtime_cflags` (default runtime_args()), so that specs with their
    own -O level or -std share the three archives.  Returns `name`."""
    # the caller's file: inspect.stack() would read the source of every
    # frame of pytest's import machinery (1 CPU s of each collection)
    origin = sys._getframe(1).f_code.co_filename
    spec = Spec(name, [Path(s) for s in sources],
                [Path(d) for d in include_dirs], list(macros), tuple(abis),
                cflags, runtime_cflags, str(Path(origin).resolve()))
    if SPECS.get(name, spec)[:-1] != spec[:-1]:
        raise ValueError("module spec %r registered twice, differently "
                         "(%s and %s)" % (name, SPECS[name].origin, origin))
    SPECS[name] = spec
    return name


# tests/c: module name -> (source, macros).  Variants of one source get
# their own module name through MODNAME.
for _name, _src, _macros, _abis in [
    ("exporter", "exporter.c", [], ABIS),
    ("consumer", "consumer.c", [], ABIS),
    # exporter.c with a second API (outapi), for test_outhandles.py
    ("outexporter", "exporter.c", [("WITH_OUTAPI", "1")], ABIS),
    # exporter.c with formsapi (test_forms.py), and two that export it wrong
    ("formsexporter", "exporter.c", [("WITH_FORMSAPI", "1")], ABIS),
    ("badforms_empty", "exporter.c", [("WITH_FORMSAPI", "1"),
                                      ("BREAK_FORMS", "1")], ABIS),
    ("badforms_other", "exporter.c", [("WITH_FORMSAPI", "1"),
                                      ("BREAK_FORMS", "2")], ABIS),
    # C-API consumers built from stale copies of formsapi.h
    ("formsbad1", "formsbad.c", [("FORMS_VARIANT", "1")], ("capi",)),
    ("formsbad2", "formsbad.c", [("FORMS_VARIANT", "2")], ("capi",)),
    ("early", "early.c", [], ABIS),
    ("exporter11", "exporter.c", [("TESTAPI_MINOR", "1")], ABIS),
    ("consumer11", "consumer.c", [("TESTAPI_MINOR", "1")], ABIS),
    ("badexp_empty", "exporter.c", [("BREAK_EXPORT", "1")], ABIS),
    ("badexp_raw", "exporter.c", [("BREAK_EXPORT", "2")], ABIS),
    # NumPy's classic C-API through the legacy bridge (test_legacy_numpy.py)
    ("npyconsumer", "npyconsumer.c", [], ABIS),
    ("npyconsumer_new", "npyconsumer.c", [("NPY_FEATURE", "0x7fff"),
                                          ("LAZY_IMPORT", "1")], ABIS),
    ("npyconsumer_nomod", "npyconsumer.c", [
        ("NPY_MODULE", '"no_such_numpy_module"'), ("LAZY_IMPORT", "1")], ABIS),
    ("npyconsumer_noattr", "npyconsumer.c", [
        ("NPY_ATTR", '"__name__"'), ("LAZY_IMPORT", "1")], ABIS),
    # a classic C-API table of CPython's list functions, and its consumer
    ("legacytab", "legacytab.c", [], ("capi",)),
    ("tabconsumer", "tabconsumer.c", [], ABIS),
    ("tabconsumer_since", "tabconsumer.c", [("TAB_SETITEM_SINCE", "4")],
     ABIS),
    ("tabconsumer_abi", "tabconsumer.c", [("TAB_ABI", "8")], ABIS),
    # a plain C-API extension: built once ("capi"), loaded as "cpython"
    ("capi_consumer", "capi_consumer.c", [], ("capi",)),
    # callbacks (test_callbacks.py)
    ("cbexporter", "cbexporter.c", [], ABIS),
    ("cbconsumer", "cbconsumer.c", [], ABIS),
    ("cbconsumer_capi", "cbconsumer_capi.c", [], ("capi",)),
    # hostile calls (test_hostile_calls.py)
    ("hostile", "hostile.c", [], ABIS),
    ("capi_hostile", "capi_hostile.c", [], ("capi",)),
]:
    if _src[:-2] != _name:
        _macros = _macros + [("MODNAME", _name)]
    register(_name, [C_DIR / _src], [C_DIR, EXAMPLES], _macros, _abis)


class Modules:
    """Builds specs on a pool of JOBS workers, once per (name, ABI) and
    session; loads each (name, mode, tag) at most once per session."""

    def __init__(self, load_dir):
        self.load_dir = load_dir
        self.pool = ThreadPoolExecutor(max_workers=JOBS)
        self.futures = {}
        self.loaded = {}

    def prebuild(self, names):
        """Starts building every ABI of each spec in `names`, in order."""
        for name in names:
            for abi in SPECS[name].abis:
                if (name, abi) not in self.futures:
                    self.futures[name, abi] = self.pool.submit(
                        self._build, name, abi)

    def _build(self, name, abi):
        s = SPECS[name]
        return testing.build_extension(
            name, s.sources, abi, BUILD_DIR, include_dirs=s.include_dirs,
            define_macros=s.macros,
            extra_compile_args=s.cflags or module_cflags(),
            runtime_compile_args=s.runtime_cflags or runtime_args(),
            extra_link_args=EXTRA_LDFLAGS, jobs=1)

    def so(self, name, abi):
        """The built .so of spec `name` for `abi`: waits for its build, or
        if that has not started, builds it now in this thread (a test is
        waiting: it goes before the queue)."""
        if name not in SPECS:
            raise KeyError("no module spec %r: register() it (tests/"
                           "conftest.py)" % name)
        if abi not in SPECS[name].abis:
            raise ValueError("module %r is built for %s, not %r"
                             % (name, ", ".join(SPECS[name].abis), abi))
        self.prebuild([name])
        if self.futures[name, abi].cancel():
            done = Future()
            try:
                done.set_result(self._build(name, abi))
            except BaseException as e:
                done.set_exception(e)
            self.futures[name, abi] = done
        return self.futures[name, abi].result()

    def abi(self, name, mode):
        abis = SPECS[name].abis
        return "capi" if abis == ("capi",) else testing.abi_for_mode(mode)

    def get(self, name, mode, tag="", fullname=None):
        """Module `name` loaded in `mode` as `fullname` (default
        hpyapi_t_<mode><tag>.<name>); a capi spec loads in mode cpython."""
        key = (name, mode, tag, fullname)
        if key not in self.loaded:
            so = self.so(name, self.abi(name, mode))
            self.loaded[key] = testing.load_extension(
                fullname or "hpyapi_t_%s%s.%s" % (mode, tag, name), so,
                "cpython" if self.abi(name, mode) == "capi" else mode,
                self.load_dir)
        return self.loaded[key]

    def pair(self, e_mode, c_mode, exporter="exporter", consumer="consumer",
             capi="capi_consumer", setup="setup", tag="", alias=None):
        """(exporter in e_mode, consumer in c_mode: `capi` for "capi"),
        the consumer set up with `setup`(exporter's name) unless None.
        With `alias`, the exporter is also sys.modules[alias] while the
        consumer loads (a consumer that imports its exporter by its real
        name in mod_exec); each exporter mode then gets its own consumer
        copy."""
        import sys
        exp = self.get(exporter, e_mode, tag)
        ctag = tag + (e_mode if alias else "")
        if alias:
            sys.modules[alias] = exp
        if c_mode == "capi":
            con = self.get(capi, "cpython", ctag)
        else:
            con = self.get(consumer, c_mode, ctag)
        if setup:
            getattr(con, setup)(exp.__name__)
        return exp, con


@pytest.fixture(scope="session")
def modules(request, tmp_path_factory):
    mods = request.config._hpyapi_modules
    if mods.load_dir is None:
        mods.load_dir = tmp_path_factory.mktemp("loaded")
    return mods


def pytest_configure(config):
    config._hpyapi_modules = Modules(None)


# Files that spend long in builds of their own (setuptools, meson, Cython,
# callgrind, many compilers) run first, so that under pytest-xdist the
# longest files start at once and the processes finish together.
LONG_FIRST = ("test_fastpath.py", "test_cython.py", "test_build.py",
              "test_build_forms.py", "test_parallel_build.py",
              "test_meson.py", "test_cli.py")


def pytest_collection_modifyitems(session, config, items):
    def rank(item):
        name = Path(str(getattr(item, "fspath", ""))).name
        return LONG_FIRST.index(name) if name in LONG_FIRST else len(
            LONG_FIRST)
    items.sort(key=rank)  # stable: each file keeps its order


def pytest_collection_finish(session):
    """Starts the builds the collected tests need, in test order."""
    names, mods, uses_pair = [], {}, set()  # mods: a set in test order
    for item in session.items:  # one pass: 4600 items x 50 files took 0.5 s
        mod = getattr(item, "module", None)
        if mod is not None:
            mods.setdefault(mod)
        if "pair" in getattr(item, "fixturenames", ()):
            uses_pair.add(mod)
    for mod in mods:
        here = str(Path(mod.__file__).resolve())
        names += list(getattr(mod, "BUILDS", ()))
        pair = getattr(mod, "PAIR", {})
        if mod in uses_pair:
            names += [pair.get(k, d) for k, d in (
                ("exporter", "exporter"), ("consumer", "consumer"),
                ("capi", "capi_consumer"))]
        names += [n for n, s in SPECS.items() if s.origin == here]
    names = list(dict.fromkeys(names))
    # xdist hands out test files in turn: worker k of n builds every n-th
    # name from the k-th first, then the others (waiting on any that
    # another worker is building)
    k = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
    mine = names[k::WORKERS]
    session.config._hpyapi_modules.prebuild(
        mine + [n for n in names if n not in mine])


def pytest_unconfigure(config):
    config._hpyapi_modules.pool.shutdown(wait=True, cancel_futures=True)


def pytest_generate_tests(metafunc):
    if "pair_modes" in metafunc.fixturenames:
        pairs = getattr(metafunc.module, "PAIRS", PAIRS)
        metafunc.parametrize("pair_modes", pairs,
                             ids=[pair_id(p) for p in pairs])


Pair = namedtuple("Pair", "exporter consumer e_mode c_mode")


@pytest.fixture
def pair(request, pair_modes, modules, leakcheck):
    """An exporter and a consumer in one (exporter mode, caller mode) of
    the file's PAIRS, as the file's PAIR says (see above)."""
    e_mode, c_mode = pair_modes
    cfg = dict(getattr(request.module, "PAIR", {}))
    tag = "p%d" % id(request) if cfg.pop("fresh", False) else ""
    exp, con = modules.pair(e_mode, c_mode, tag=tag, **cfg)
    return Pair(exp, con, e_mode, c_mode)


@pytest.fixture
def drop_forged_modules():
    """Removes the modules a test forged from sys.modules afterwards, so
    that hpyapi.stats() in later tests does not meet (and warn about) the
    broken ones; their memory stays alive (forged._ALIVE)."""
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if name.startswith("forged_"):
            del sys.modules[name]


@pytest.fixture
def leakcheck():
    """Fails the test if it leaves debug-mode handles open."""
    from hpy.debug import LeakDetector
    with LeakDetector() as ld:
        yield ld


_CTX_REPORTS = {}  # module name -> (module, its foreign_ctx_calls or None)


@pytest.fixture(autouse=True)
def own_contexts():
    """Fails a test after which a test module reports calls that ran on
    another module's context (tests/c/ownctx.h: exporter functions and
    consumer callbacks check it on every call)."""
    yield
    for name, mod in list(sys.modules.items()):
        # looked up once per module object: a getattr on every module
        # after every test cost ms (Cython's shadow module imports on a
        # missing attribute)
        seen = _CTX_REPORTS.get(name)
        if seen is None or seen[0] is not mod:
            report = getattr(mod, "foreign_ctx_calls", None)
            seen = _CTX_REPORTS[name] = (
                mod, report if callable(report) else None)
        report = seen[1]
        if report is None:
            continue
        n, first = report()
        assert n == 0, ("%s: %d call(s) ran on a context that is not the "
                        "module's own, the first in %s()" % (name, n, first))
