"""Builds the test extensions once per ABI (cached in build/tests) and
loads them per mode.  See hpyapi.testing for the mechanics."""
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from hpyapi import testing

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
C_DIR = HERE / "c"
BUILD_DIR = Path(os.environ.get("HPYAPI_TEST_BUILD", REPO / "build" / "tests"))

MODES = testing.MODES
ABIS = ("cpython", "universal", "hybrid")

EXTRA_CFLAGS = os.environ.get("HPYAPI_TEST_CFLAGS", "").split()
EXTRA_LDFLAGS = os.environ.get("HPYAPI_TEST_LDFLAGS", "").split()


def compile_args():
    return testing.default_compile_args() + ["-Werror"] + EXTRA_CFLAGS


# module name -> (source in tests/c, macros).  Variants of one source get
# their own module name through MODNAME.
SOURCES = {
    "exporter": ("exporter.c", []),
    "consumer": ("consumer.c", []),
    # exporter.c with a second API (outapi), for test_outhandles.py
    "outexporter": ("exporter.c", [("WITH_OUTAPI", "1"),
                                   ("MODNAME", "outexporter")]),
    # exporter.c with formsapi (test_forms.py), and two that export it wrong
    "formsexporter": ("exporter.c", [("WITH_FORMSAPI", "1"),
                                     ("MODNAME", "formsexporter")]),
    "badforms_empty": ("exporter.c", [("WITH_FORMSAPI", "1"),
                                      ("BREAK_FORMS", "1"),
                                      ("MODNAME", "badforms_empty")]),
    "badforms_other": ("exporter.c", [("WITH_FORMSAPI", "1"),
                                      ("BREAK_FORMS", "2"),
                                      ("MODNAME", "badforms_other")]),
    # C-API consumers built from stale copies of formsapi.h
    "formsbad1": ("formsbad.c", [("FORMS_VARIANT", "1"),
                                 ("MODNAME", "formsbad1")]),
    "formsbad2": ("formsbad.c", [("FORMS_VARIANT", "2"),
                                 ("MODNAME", "formsbad2")]),
    "early": ("early.c", []),
    "exporter11": ("exporter.c", [("TESTAPI_MINOR", "1"),
                                  ("MODNAME", "exporter11")]),
    "consumer11": ("consumer.c", [("TESTAPI_MINOR", "1"),
                                  ("MODNAME", "consumer11")]),
    "badexp_empty": ("exporter.c", [("BREAK_EXPORT", "1"),
                                    ("MODNAME", "badexp_empty")]),
    "badexp_raw": ("exporter.c", [("BREAK_EXPORT", "2"),
                                  ("MODNAME", "badexp_raw")]),
    # NumPy's classic C-API through the legacy bridge (test_legacy_numpy.py)
    "npyconsumer": ("npyconsumer.c", []),
    "npyconsumer_new": ("npyconsumer.c", [("NPY_FEATURE", "0x7fff"),
                                          ("LAZY_IMPORT", "1"),
                                          ("MODNAME", "npyconsumer_new")]),
    "npyconsumer_nomod": ("npyconsumer.c", [
        ("NPY_MODULE", '"no_such_numpy_module"'), ("LAZY_IMPORT", "1"),
        ("MODNAME", "npyconsumer_nomod")]),
    "npyconsumer_noattr": ("npyconsumer.c", [
        ("NPY_ATTR", '"__name__"'), ("LAZY_IMPORT", "1"),
        ("MODNAME", "npyconsumer_noattr")]),
    # a classic C-API table of CPython's list functions, and its consumer
    "legacytab": ("legacytab.c", []),
    "tabconsumer": ("tabconsumer.c", []),
    "tabconsumer_since": ("tabconsumer.c", [("TAB_SETITEM_SINCE", "4"),
                                            ("MODNAME", "tabconsumer_since")]),
    "tabconsumer_abi": ("tabconsumer.c", [("TAB_ABI", "8"),
                                          ("MODNAME", "tabconsumer_abi")]),
    # a plain C-API extension: built once ("capi"), loaded as "cpython"
    "capi_consumer": ("capi_consumer.c", []),
    # callbacks (test_callbacks.py)
    "cbexporter": ("cbexporter.c", []),
    "cbconsumer": ("cbconsumer.c", []),
    "cbconsumer_capi": ("cbconsumer_capi.c", []),
    # hostile calls (test_hostile_calls.py)
    "hostile": ("hostile.c", []),
    "capi_hostile": ("capi_hostile.c", []),
}
ONE_BUILD = {"capi_consumer": "capi", "capi_hostile": "capi",
             "legacytab": "capi", "cbconsumer_capi": "capi",
             "formsbad1": "capi", "formsbad2": "capi"}


class Modules:
    """Builds (name -> sources) for every ABI on first use; loads each
    (name, mode) at most once per session."""

    def __init__(self, load_dir):
        self.load_dir = load_dir
        self.built = {}
        self.loaded = {}

    def build_all(self, names):
        todo = [(n, abi) for n in names
                for abi in ([ONE_BUILD[n]] if n in ONE_BUILD else ABIS)
                if (n, abi) not in self.built]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            paths = pool.map(lambda job: self._build(*job), todo)
            for job, path in zip(todo, paths):
                self.built[job] = path

    def _build(self, name, abi):
        source, macros = SOURCES[name]
        return testing.build_extension(
            name, [C_DIR / source], abi, BUILD_DIR,
            include_dirs=[C_DIR, REPO / "examples"],
            define_macros=macros, extra_compile_args=compile_args(),
            extra_link_args=EXTRA_LDFLAGS)

    def get(self, name, mode, tag=""):
        key = (name, mode, tag)
        if key not in self.loaded:
            abi = ONE_BUILD.get(name) or testing.abi_for_mode(mode)
            if (name, abi) not in self.built:
                self.built[(name, abi)] = self._build(name, abi)
            fullname = "hpyapi_t_%s%s.%s" % (mode, tag, name)
            self.loaded[key] = testing.load_extension(
                fullname, self.built[(name, abi)], mode, self.load_dir)
        return self.loaded[key]


@pytest.fixture(scope="session")
def modules(tmp_path_factory):
    mods = Modules(tmp_path_factory.mktemp("loaded"))
    mods.build_all(["exporter", "consumer"])
    return mods


@pytest.fixture
def leakcheck():
    """Fails the test if it leaves debug-mode handles open."""
    from hpy.debug import LeakDetector
    with LeakDetector() as ld:
        yield ld


@pytest.fixture(autouse=True)
def own_contexts():
    """Fails a test after which a test module reports calls that ran on
    another module's context (tests/c/ownctx.h: exporter functions and
    consumer callbacks check it on every call)."""
    yield
    for name, mod in list(sys.modules.items()):
        report = getattr(mod, "foreign_ctx_calls", None)
        if report is None or not callable(report):
            continue
        n, first = report()
        assert n == 0, ("%s: %d call(s) ran on a context that is not the "
                        "module's own, the first in %s()" % (name, n, first))
