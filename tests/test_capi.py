"""What is particular to plain C-API consumers (the 25-pair behaviours run
for them in test_matrix.py as the "capi" caller)."""
import ctypes
import subprocess
import sys

import pytest

from conftest import MODES
from hpyapi.capsule import Header, PyCapsule_GetPointer
from forged import Forged

BUILDS = ["exporter", "capi_consumer"]  # built in advance (conftest)


@pytest.fixture
def capi(modules):
    return modules.get("capi_consumer", "cpython")


@pytest.mark.parametrize("e_mode", MODES)
def test_exporter_publishes_both_tables(modules, e_mode):
    exporter = modules.get("exporter", e_mode)
    hpy_h = Header.from_address(PyCapsule_GetPointer(
        exporter._hpyapi_testapi, b"hpyapi.testapi"))
    c_h = Header.from_address(PyCapsule_GetPointer(
        exporter._hpyapi_testapi_capi, b"hpyapi.testapi.capi"))
    assert (hpy_h.table_kind, c_h.table_kind) == (1, 2)
    for h in (hpy_h, c_h):
        assert h.api_name == b"testapi" and h.n_entries == 15
        assert h.module_name == exporter.__name__.encode()
        assert h.exporter_mode == {"cpython": 1, "debug": 3,
                                   "trace": 4}.get(e_mode, 2)
    # one token, two tables
    assert hpy_h.token == c_h.token and hpy_h.table != c_h.table


def test_built_without_hpy(modules, capi):
    so = modules.so("capi_consumer", "capi")
    assert so.endswith(".cpython-311-x86_64-linux-gnu.so") or ".cpython-" in so
    syms = subprocess.run(["nm", "-D", "--defined-only", so],
                          stdout=subprocess.PIPE, text=True).stdout
    assert "PyInit_capi_consumer" in syms
    assert "HPyInit" not in syms  # a plain extension module


def test_call_before_import_raises_then_import_works(modules, capi,
                                                     monkeypatch, leakcheck):
    with pytest.raises(RuntimeError) as e:
        capi.early_add(1, 2)
    assert str(e.value) == (
        "hpyapi: Add() of the 'testapi' API was called before the API was "
        "imported; call import_testapi() in this module's PyInit function "
        "(it imports 'testapi_exporter') and check that it returned 0")
    monkeypatch.setitem(sys.modules, "testapi_exporter",
                        modules.get("exporter", "debug"))
    first = capi.do_import()
    assert capi.do_import() == first
    assert capi.early_add(20, 22) == 42


def test_import_errors_are_the_same_checks(capi):
    with pytest.raises(ImportError) as e:
        capi.setup("no_such_module_capi")
    assert str(e.value).startswith(
        "hpyapi: cannot import the 'testapi' API (version 1.0) from module "
        "'no_such_module_capi': importing it raised ModuleNotFoundError")
    assert type(e.value.__cause__) is ModuleNotFoundError


def test_hpy_capsule_is_not_a_capi_capsule(modules, capi):
    forged = Forged(modules.get("exporter", "universal"))
    # the HPy table's capsule where the CPython-API one belongs
    name = forged.module(attr="_hpyapi_testapi_capi")
    with pytest.raises(ImportError) as e:
        capi.setup(name)
    assert str(e.value).endswith(
        "attribute '_hpyapi_testapi_capi' is a capsule named "
        "'hpyapi.testapi'; expected a capsule named 'hpyapi.testapi.capi' "
        "made by HPyAPI_Export")
    # the right capsule name on an HPy header: caught by the table kind
    name = forged.module(attr="_hpyapi_testapi_capi",
                         capsule_name=b"hpyapi.testapi.capi")
    with pytest.raises(ImportError) as e:
        capi.setup(name)
    assert str(e.value).endswith(
        "the capsule holds the HPy table, this extension expects the CPython "
        "C-API table")


@pytest.mark.parametrize("e_mode", MODES)
def test_results_are_new_references_and_args_borrowed(modules, capi, e_mode,
                                                       leakcheck):
    exporter = modules.get("exporter", e_mode)
    capi.setup(exporter.__name__)
    items = [10 ** 20 + i for i in range(40)]  # beyond the on-stack buffer
    before = [sys.getrefcount(x) for x in items[:3]]
    for _ in range(100):
        assert capi.sum_list(items) == sum(items)
    assert [sys.getrefcount(x) for x in items[:3]] == before
    t = capi.thing()
    assert t is exporter.Thing
    base = sys.getrefcount(t)
    extra = [capi.thing() for _ in range(10)]
    assert sys.getrefcount(t) == base + 10
    del extra
    assert sys.getrefcount(t) == base
