"""Bad input: every case is a Python exception that names the module, the
API, what was expected and what was found -- never a crash.

Capsules are forged with ctypes from a real exporter's header (through
hpyapi.capsule, the ctypes mirror of include/hpyapi/abi.h), so a forged copy that is left intact imports
and works: that is the control every mutation is measured against.
"""
import ctypes
import sys
from ctypes import POINTER, c_void_p

import pytest

import hpyapi

from conftest import MODES
from forged import Forged, import_error, new_name
from hpyapi.capsule import (Control, EntryInfo, Header,
                            PyCapsule_GetPointer, PyCapsule_New)

# built in advance (tests/conftest.py)
BUILDS = [
    "exporter", "consumer", "badexp_empty", "badexp_raw", "consumer11",
    "early", "exporter11"]

pytestmark = pytest.mark.usefixtures("drop_forged_modules")


@pytest.fixture(params=MODES)
def consumer(request, modules, leakcheck):
    return modules.get("consumer", request.param)


@pytest.fixture
def forged(modules):
    return Forged(modules.get("exporter", "universal"))


# ---- finding the capsule ------------------------------------------------------


def test_intact_forgery_imports_and_works(consumer, forged):
    consumer.setup(forged.module())
    assert consumer.add(1, 2) == 3
    assert consumer.concat("+", ["a", "b"], "=") == "a+b="


def test_exporter_module_missing(consumer):
    reason, exc = import_error(consumer, "no_such_module_hpyapi")
    assert reason == (
        "importing it raised ModuleNotFoundError: No module named "
        "'no_such_module_hpyapi'; install the package that provides it, or "
        "fix the module name given to HPyAPI_Import or HPyAPI_USE_DEFINE")
    assert type(exc.__cause__) is ModuleNotFoundError


def test_exporter_import_raises(consumer, tmp_path, monkeypatch):
    name = new_name("raising_exporter")
    (tmp_path / (name + ".py")).write_text(
        "raise RuntimeError('exporter failed to initialise')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    reason, exc = import_error(consumer, name)
    assert reason == ("importing it raised RuntimeError: exporter failed to "
                      "initialise")
    assert type(exc.__cause__) is RuntimeError
    assert exc.__cause__.__traceback__ is not None


def test_attribute_missing(consumer, forged):
    reason, _ = import_error(consumer, forged.module(attr=None))
    assert reason == (
        "the module has no attribute '_hpyapi_testapi', so it does not "
        "export this API; its HPy_mod_exec must call HPyAPI_Export(ctx, "
        "module, testapi, &table)")


def test_attribute_not_a_capsule(consumer, forged):
    reason, _ = import_error(consumer, forged.module(value=42))
    assert reason == (
        "attribute '_hpyapi_testapi' is an object of type 'int'; expected a "
        "capsule named 'hpyapi.testapi' made by HPyAPI_Export")


def test_wrong_capsule_name(consumer, forged):
    reason, _ = import_error(consumer, forged.module(capsule_name=b"numpy.core"))
    assert reason == (
        "attribute '_hpyapi_testapi' is a capsule named 'numpy.core'; "
        "expected a capsule named 'hpyapi.testapi' made by HPyAPI_Export")


# ---- the header -----------------------------------------------------------------


def test_bad_magic(consumer, forged):
    forged.header.magic = 0xDEADBEEF
    reason, _ = import_error(consumer, forged.module())
    assert reason == (
        "the capsule's header starts with 0xdeadbeef, not hpyapi's magic "
        "0x49504148: it was not made by HPyAPI_Export or its memory is "
        "corrupted")


def test_layout_1_exporter_is_refused_naming_both_versions(consumer, forged):
    # an exporter built with hpyapi 0.1 (capsule layout 1: no table_for)
    forged.header.layout_version = 1
    name = forged.module()
    reason, _ = import_error(consumer, name)
    assert reason == (
        "'%s' was built with hpyapi 0.1 (capsule layout 1) and this "
        "extension with hpyapi %s (layout 2), which cannot call each "
        "other's tables; rebuild the exporter with this hpyapi (or newer)"
        % (name, hpyapi.__version__))


def test_newer_layout_is_refused_naming_its_version(consumer, forged):
    forged.header.layout_version = 3
    forged.header.hpyapi_version = b"9.1.0"
    name = forged.module()
    reason, _ = import_error(consumer, name)
    assert reason == (
        "'%s' was built with hpyapi 9.1.0 (capsule layout 3) and this "
        "extension with hpyapi %s (layout 2), which cannot call each "
        "other's tables; rebuild this extension with the exporter's hpyapi"
        % (name, hpyapi.__version__))


def test_unknown_layout_version(consumer, forged):
    forged.header.layout_version = 0
    name = forged.module()
    reason, _ = import_error(consumer, name)
    assert reason.startswith("'%s' was built with hpyapi 0.1 (capsule "
                             "layout 0)" % name)


def test_header_too_small(consumer, forged):
    forged.header.header_size = 40
    reason, _ = import_error(consumer, forged.module())
    assert "size 40" in reason and "size >= %d" % ctypes.sizeof(
        Header) in reason


def test_other_hpy_abi_minor_is_accepted(consumer, forged):
    # the exporter's HPy ABI version is information, not a constraint:
    # contexts never cross between the two sides
    forged.header.hpy_abi_version_minor = 7
    consumer.setup(forged.module())
    assert consumer.as_long(7) == 7


def test_api_name_mismatch(consumer, forged):
    forged.header.api_name = b"otherapi"
    reason, _ = import_error(consumer, forged.module())
    assert reason == "the capsule is for the API 'otherapi', not 'testapi'"


def test_major_mismatch(consumer, forged):
    forged.header.api_major = 2
    name = forged.module()
    reason, _ = import_error(consumer, name)
    assert reason == (
        "'%s' exports testapi 2.0 but this extension was built against "
        "testapi 1.0, and major versions must match; rebuild this extension "
        "against the testapi 2.x headers, or install a '%s' that exports "
        "testapi 1.x" % (name, name))


def test_entry_count_too_small(consumer, forged):
    forged.header.n_entries = 10
    name = forged.module()
    reason, _ = import_error(consumer, name)
    assert reason == (
        "'%s' exports 10 entries but this extension needs the first 15 "
        "(those of testapi 1.0); '%s' claims version 1.0 yet lacks some, so "
        "it was built from a modified declaration" % (name, name))


def test_null_table(consumer, forged):
    forged.header.table = None
    reason, _ = import_error(consumer, forged.module())
    assert reason == "the capsule's header has no table"


def test_null_entry_list(consumer, forged):
    forged.header.entries = POINTER(EntryInfo)()
    reason, _ = import_error(consumer, forged.module())
    assert reason == "the capsule's header has no entry list"


def test_table_not_pointing_back(consumer, forged):
    forged.table[0] = None
    reason, _ = import_error(consumer, forged.module())
    assert reason == ("the capsule's table does not point back to its "
                      "header; the capsule memory is corrupted")


def test_wrong_table_kind(consumer, forged):
    forged.header.table_kind = 2
    reason, _ = import_error(consumer, forged.module())
    assert reason == ("the capsule holds the CPython C-API table, this "
                      "extension expects the HPy table")


# ---- entries ----------------------------------------------------------------------


def test_signature_mismatch(consumer, forged):
    forged.entries[2].signature = b"long(double)"
    name = forged.module()
    reason, _ = import_error(consumer, name)
    assert reason == (
        "entry 2 'AsLong' has signature long(double) in '%s' but long(HPy) "
        "in this extension's declaration; a changed signature needs a new "
        "entry (or a major version)" % name)


def test_equivalent_signature_spellings_match(consumer, forged):
    # whitespace, qualifier placement, top-level const and integer keyword
    # forms are the same C ABI
    forged.entries[2].signature = b"signed long int ( HPy )"
    forged.entries[3].signature = b"HPy(HPy const*, Py_ssize_t)"
    forged.entries[4].signature = b"double(const double,signed)"
    forged.entries[6].signature = b"int(HPy,char const *const)"
    consumer.setup(forged.module())
    assert consumer.sum_list([1, 2]) == 3


def test_entry_renamed_or_reordered(consumer, forged):
    forged.entries[4].name = b"Rescale"
    name = forged.module()
    reason, _ = import_error(consumer, name)
    assert reason == (
        "entry 4 is 'Rescale' in '%s' but 'Scale' in this extension's "
        "declaration; entries must keep their index, so one of the two "
        "declarations was edited out of order" % name)


# ---- versions (1.0 and 1.1 builds of the test API) ---------------------------


def test_minor_too_low(modules, leakcheck):
    exporter = modules.get("exporter", "universal")
    consumer11 = modules.get("consumer11", "universal")
    with pytest.raises(ImportError) as e:
        consumer11.setup(exporter.__name__)
    assert str(e.value) == (
        "hpyapi: cannot import the 'testapi' API (version 1.1) from module "
        "'{0}': '{0}' exports testapi 1.0 but this extension needs testapi "
        "1.1 or newer: '{0}' is too old; upgrade it (or, if this extension "
        "can do without the entries added since 1.0, import with "
        "HPyAPI_ImportMinor and that minor)".format(exporter.__name__))


@pytest.mark.parametrize("c_mode", MODES)
def test_older_exporter_with_lower_minimum(modules, c_mode, leakcheck):
    exporter = modules.get("exporter", "debug")
    consumer11 = modules.get("consumer11", c_mode)
    consumer11.setup_min(exporter.__name__, 0)
    assert consumer11.version() == -1  # HPyAPI_HAS: not there
    assert consumer11.add(20, 22) == 42


@pytest.mark.parametrize("e_mode", MODES)
def test_newer_exporter(modules, e_mode, leakcheck):
    exporter11 = modules.get("exporter11", e_mode)
    consumer = modules.get("consumer", "universal")
    consumer.setup(exporter11.__name__)  # 1.0 consumer, 1.1 exporter
    assert consumer.add(1, 1) == 2
    consumer11 = modules.get("consumer11", "trace")
    consumer11.setup(exporter11.__name__)
    assert consumer11.version() == 11


def test_minimum_newer_than_the_header(modules, leakcheck):
    exporter11 = modules.get("exporter11", "universal")
    consumer11 = modules.get("consumer11", "cpython")
    with pytest.raises(ImportError) as e:
        consumer11.setup_min(exporter11.__name__, 2)
    assert str(e.value).endswith(
        "this extension asks for testapi 1.2 at least, but was built against "
        "testapi 1.1, whose header does not know that version; lower the "
        "minimum minor it passes to HPyAPI_ImportMinor")


# ---- using the API ------------------------------------------------------------------


@pytest.mark.parametrize("c_mode", MODES)
def test_call_before_import_raises(modules, c_mode, leakcheck):
    early = modules.get("early", c_mode)
    for call in (lambda: early.add(1, 2), lambda: early.as_long(3),
                 early.thing):
        with pytest.raises(RuntimeError) as e:
            call()
        assert str(e.value).endswith(
            "of the 'testapi' API was called before the API was imported; "
            "call import_testapi(ctx) in this module's HPy_mod_exec (it "
            "imports 'testapi_exporter') and check that it returned 0")
    assert str(e.value).startswith("hpyapi: Thing() of the 'testapi' API")
    assert early.has() == (0, 0, 0, 0)


@pytest.mark.parametrize("c_mode", MODES)
def test_same_api_imported_twice(modules, c_mode, monkeypatch, leakcheck):
    monkeypatch.setitem(sys.modules, "testapi_exporter",
                        modules.get("exporter", "trace"))
    early = modules.get("early", c_mode, tag="twice")
    first = early.do_import()
    assert early.do_import() == first  # the same table, no harm done
    assert early.add(40, 2) == 42
    # Add is there; the retired slot and newer entries are not "available"
    assert early.has() == (1, 0, 1, 0)


# A universal consumer's table: universal and hybrid exporters share its
# context instance, so it calls the implementation itself (as through a
# raw table, a consumer must call with its own context); trace and CPython-
# ABI exporters' routed slots run the exporter on its own context and
# never read the caller's; a debug exporter's generic trampoline tells the
# caller's context apart and refuses one it does not know.
@pytest.mark.parametrize("e_mode", ["debug"])
def test_unknown_caller_context(modules, e_mode, leakcheck):
    exporter = modules.get("exporter", e_mode)
    consumer = modules.get("consumer", "universal")
    consumer.setup(exporter.__name__)
    with pytest.raises(SystemError) as e:
        consumer.call_with_unknown_ctx(5)
    assert str(e.value) == (
        "%s: testapi API, AsLong(): called with an HPy context named 'HPy "
        "Bogus ABI (not a real context)', whose handles hpyapi cannot "
        "convert (it knows the CPython ABI, universal, debug and trace "
        "contexts)" % exporter.__name__)


@pytest.mark.parametrize("e_mode", ["cpython", "trace"])
def test_routed_slot_runs_on_the_exporters_context(modules, e_mode):
    exporter = modules.get("exporter", e_mode)
    consumer = modules.get("consumer", "universal")
    consumer.setup(exporter.__name__)
    assert consumer.call_with_unknown_ctx(5) == 5


@pytest.mark.parametrize("mode", ["cpython", "universal", "debug"])
def test_export_with_empty_slot(modules, mode):
    import gc
    with pytest.raises(SystemError) as e:
        modules.get("badexp_empty", mode)
    # hpy 0.9.0 frees a failed universal module's definition while the
    # module may live on; HPyAPI_Export breaks the module's cycles so that
    # collecting it is safe (make sanitize runs this with PYTHONMALLOC=debug)
    gc.collect()
    assert str(e.value) == (
        "hpyapi: module 'hpyapi_t_%s.badexp_empty' cannot export the "
        "'testapi' API: table slot 1 ('Add') is empty; fill every slot with "
        "table.Add = HPy_AsAPI(ctx, Add) before calling HPyAPI_Export" % mode)


@pytest.mark.parametrize("mode", ["cpython", "universal", "debug"])
def test_export_with_raw_function_in_slot(modules, mode):
    with pytest.raises(SystemError) as e:
        modules.get("badexp_raw", mode)
    assert "table slot 10 ('Identity') holds something other than the " \
        "trampoline HPy_AsAPI returns for it" in str(e.value)


@pytest.mark.parametrize("abi", ["cpython", "universal"])
def test_exporter_reimported_after_del_sys_modules(modules, abi, tmp_path,
                                                   monkeypatch, leakcheck):
    """A real package on sys.path: import, drop from sys.modules, import
    again (HPy_mod_exec runs twice); old and new tables both work."""
    import shutil
    pkg = tmp_path / ("reimp_%s" % abi)
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    so = modules.so("exporter", abi)
    target = pkg / so.split("/")[-1]
    shutil.copy(so, target)
    if abi == "universal":  # the loader stub hpy would generate
        (pkg / "exporter.py").write_text(
            "import importlib.util, sys, hpy.universal\n"
            "_path = %r\n"
            "_spec = importlib.util.spec_from_file_location(__name__, _path)\n"
            "sys.modules[__name__] = hpy.universal.load(\n"
            "    __name__, _path, _spec, mode=hpy.universal.MODE_UNIVERSAL)\n"
            % str(target))
    monkeypatch.syspath_prepend(str(tmp_path))
    name = "reimp_%s.exporter" % abi
    monkeypatch.delitem(sys.modules, name, raising=False)
    consumer = modules.get("consumer", "debug")
    consumer.setup(name)
    first = sys.modules[name]
    assert consumer.add(1, 2) == 3
    del sys.modules[name]
    consumer.setup(name)
    assert sys.modules[name] is not first
    assert consumer.add(3, 4) == 7
    assert consumer.thing() is sys.modules[name].Thing
