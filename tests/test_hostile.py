"""Hostile capsules (issue #12): a header that passes the identity checks
but whose token, control block, table slots, entry count or strings are
forged must fail the import with an ImportError that names the module, the
API and the field -- for HPy consumers in every mode and for plain C-API
consumers.  (Call arguments and hooks: test_hostile_calls.py.)

Every forgery starts from an intact copy of a real exporter's capsule
(test_bad_input.Forged), which imports and works: the control case.
"""
import ctypes

import pytest

from conftest import MODES
from hpyapi.capsule import Control
from forged import Forged, import_error

# built in advance (tests/conftest.py)
BUILDS = [
    "exporter", "consumer", "capi_consumer"]

pytestmark = pytest.mark.usefixtures("drop_forged_modules")

IMPORTERS = MODES + ("capi",)


@pytest.fixture(params=IMPORTERS)
def importer(request, modules, leakcheck):
    """(consumer module, Forged copy of the capsule it imports)."""
    capi = request.param == "capi"
    consumer = (modules.get("capi_consumer", "cpython") if capi
                else modules.get("consumer", request.param))
    return consumer, Forged(modules.get("exporter", "universal"), capi=capi)


def reason_of(consumer, modname):
    return import_error(consumer, modname)[0]


def test_intact_copy_imports(importer):
    consumer, forged = importer
    consumer.setup(forged.module())
    assert consumer.add(2, 3) == 5


@pytest.mark.parametrize("field", ["token", "control", "module_name"])
def test_null_header_pointer(importer, field):
    consumer, forged = importer
    setattr(forged.header, field, None)
    name = forged.module()
    assert reason_of(consumer, name) == (
        "the capsule's header field %s is NULL; HPyAPI_Export always sets "
        "it, so the capsule is corrupted or forged: reinstall '%s'"
        % (field, name))


def test_unterminated_module_name(importer):
    consumer, forged = importer
    long_name = ctypes.create_string_buffer(b"m" * 600)
    forged.keep = long_name
    forged.header.module_name = ctypes.addressof(long_name)
    name = forged.module()
    assert reason_of(consumer, name) == (
        "the capsule's header field module_name is not a string of fewer "
        "than 512 bytes; the capsule is corrupted or forged: reinstall '%s'"
        % name)


@pytest.mark.parametrize("version,size", [(0, ctypes.sizeof(Control)),
                                          (1, 8)])
def test_control_block_version_and_size(importer, version, size):
    consumer, forged = importer
    forged.control.version = version
    forged.control.size = size
    name = forged.module()
    assert reason_of(consumer, name) == (
        "the capsule's control block has version %d and size %d; this build "
        "of hpyapi reads version 1, size >= %d; the capsule is corrupted or "
        "forged: reinstall '%s'" % (version, size, ctypes.sizeof(Control),
                                    name))


@pytest.mark.parametrize("fn", [f for f, _ in Control._fields_[2:]])
def test_null_control_function(importer, fn):
    consumer, forged = importer
    setattr(forged.control, fn, type(getattr(forged.control, fn))())
    name = forged.module()
    if fn == "table_for" and forged.capsule_name.endswith(b".capi"):
        # only the HPy table is routed per consumer: a C-API one never
        # calls table_for
        consumer.setup(name)
        assert consumer.add(2, 3) == 5
        return
    assert reason_of(consumer, name) == (
        "the capsule's control function %s is NULL; HPyAPI_Export always "
        "sets it, so the capsule is corrupted or forged: reinstall '%s'"
        % (fn, name))


def test_control_function_outside_any_shared_object(importer):
    consumer, forged = importer
    junk = ctypes.create_string_buffer(64)  # heap memory, not code
    forged.keep = junk
    ctypes.memmove(ctypes.byref(forged.control, Control.register_importer.offset),
                   ctypes.byref(ctypes.c_void_p(ctypes.addressof(junk))),
                   ctypes.sizeof(ctypes.c_void_p))
    name = forged.module()
    reason = reason_of(consumer, name)
    assert reason.startswith("the capsule's control function "
                             "register_importer (0x"), reason
    assert reason.endswith(") is not code of any loaded shared object; the "
                           "capsule is corrupted or forged: reinstall '%s'"
                           % name)


@pytest.mark.parametrize("slot,entry", [(1, "Add"), (13, "OldEntry"),
                                        (14, "Concat")])
def test_null_table_slot(importer, slot, entry):
    consumer, forged = importer
    forged.table[slot + 1] = None
    name = forged.module()
    assert reason_of(consumer, name) == (
        "table slot %d ('%s') is NULL; HPyAPI_Export fills every slot, so "
        "the capsule is corrupted or forged: reinstall '%s'"
        % (slot, entry, name))


@pytest.mark.parametrize("n", [16, 1000, 2**32 - 1])
def test_entry_count_beyond_the_minor(importer, n):
    consumer, forged = importer
    forged.header.n_entries = n
    name = forged.module()
    assert reason_of(consumer, name) == (
        "the capsule's header field n_entries is %d, but testapi 1.0 has 15 "
        "entries; the header is corrupted or forged (a real '%s' never "
        "claims more entries than its version holds): reinstall '%s'"
        % (n, name, name))


def test_newer_minor_may_have_more_entries_within_a_bound(importer):
    consumer, forged = importer
    forged.header.api_minor = 3
    forged.header.n_entries = 70000
    name = forged.module()
    assert reason_of(consumer, name) == (
        "the capsule's header field n_entries is 70000, but testapi 1.3 has "
        "at most 65536 entries; the header is corrupted or forged (a real "
        "'%s' never claims more entries than its version holds): reinstall "
        "'%s'" % (name, name))


def test_non_utf8_signature_is_an_import_error(importer):
    consumer, forged = importer
    forged.entries[2].signature = b"long(\xff\xfe HPy)"
    name = forged.module()
    assert reason_of(consumer, name) == (
        "entry 2 'AsLong' has signature long(\\xff\\xfe HPy) in '%s' but "
        "long(HPy) in this extension's declaration; a changed signature "
        "needs a new entry (or a major version)" % name)


def test_non_utf8_entry_and_api_names(importer):
    consumer, forged = importer
    forged.entries[4].name = b"Sc\xe9le"
    name = forged.module()
    assert reason_of(consumer, name).startswith(
        "entry 4 is 'Sc\\xe9le' in '%s' but 'Scale'" % name)
    forged.entries[4].name = b"Scale"
    forged.header.api_name = b"test\x80api"
    assert reason_of(consumer, forged.module()) == (
        "the capsule is for the API 'test\\x80api', not 'testapi'")


def test_overlong_signature_is_shown_truncated(importer):
    consumer, forged = importer
    forged.entries[3].signature = b"HPy(" + b"x" * 5000 + b")"
    name = forged.module()
    reason = reason_of(consumer, name)
    assert reason.startswith("entry 3 'SumList' has signature HPy(xxx")
    assert "xxx... in '%s' but HPy(const HPy *,HPy_ssize_t)" % name in reason
    assert len(reason) < 600
