"""Hostile calls and hooks (issue #12): handle-array lengths and NULL
arrays the conversion must refuse, a seeded loop of such calls through
real trampolines of every pair, the Python introspection of forged
capsules, and the hooks fixes (log descriptor, refusal type, retired
entries)."""
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import hpyapi
from conftest import MODES
from hpyapi import capsule
from forged import Forged

BUILDS = ["exporter", "hostile", "capi_hostile"]  # built in advance (conftest)

pytestmark = pytest.mark.usefixtures("drop_forged_modules")

FAMILY = {"cpython": "C", "capi": "C", "universal": "U", "hybrid": "U",
          "trace": "U", "debug": "D"}
CALLERS = MODES + ("capi",)
ALL_PAIRS = [(e, c) for e in MODES for c in CALLERS]
CROSS = [(e, c) for e, c in ALL_PAIRS if FAMILY[e] != FAMILY[c]]

SSIZE_MAX = sys.maxsize
HPY_SIZE = 8  # sizeof(HPy) on the 64-bit machines hpyapi supports
HUGE = [SSIZE_MAX, (2 ** 64 - 1) // HPY_SIZE + 1, 2 ** 60]

# A huge length must not wrap the conversion buffers' size (see
# count_handles in runtime/transform.c); the calls run in a subprocess so
# that a regression shows as a failure, not a crash of the suite.


def load_pair(modules, e_mode, c_mode, tag):
    exporter = modules.get("exporter", e_mode, tag=tag)
    consumer = (modules.get("capi_hostile", "cpython", tag=tag)
                if c_mode == "capi" else modules.get("hostile", c_mode, tag=tag))
    consumer.setup(exporter.__name__)
    return exporter, consumer


# ---- lengths whose buffer size overflows (subprocess: may crash) -------------

_HUGE_SCRIPT = r"""
import json, os, sys
from hpyapi import testing
cfg = json.loads(os.environ["HPYAPI_HUGE"])
exp = testing.load_extension("huge_e.exporter", cfg["exporter"], cfg["e_mode"],
                             cfg["load_dir"])
con = testing.load_extension("huge_c." + cfg["consumer_name"],
                             cfg["consumer"], cfg["c_mode"], cfg["load_dir"])
con.setup(exp.__name__)
for fn in ("sum_huge", "concat_huge"):
    for n in cfg["lengths"]:
        print(json.dumps([fn, n, "started"]), flush=True)
        try:
            r = getattr(con, fn)(n)
            out = ["returned", repr(r)]
        except BaseException as e:
            out = [type(e).__name__, str(e)]
        print(json.dumps([fn, n] + out), flush=True)
"""


@pytest.mark.parametrize("e_mode,c_mode", CROSS,
                         ids=["%s-exporter/%s-caller" % p for p in CROSS])
def test_huge_array_length_across_families(modules, e_mode, c_mode, tmp_path):
    so = modules.so
    from hpyapi.testing import abi_for_mode
    cfg = {"exporter": str(so("exporter", abi_for_mode(e_mode))),
           "consumer": str(so("capi_hostile", "capi") if c_mode == "capi"
                           else so("hostile", abi_for_mode(c_mode))),
           "consumer_name": "capi_hostile" if c_mode == "capi" else "hostile",
           "e_mode": e_mode,
           "c_mode": "cpython" if c_mode == "capi" else c_mode,
           "load_dir": str(tmp_path), "lengths": HUGE}
    res = subprocess.run([sys.executable, "-c", _HUGE_SCRIPT],
                         env=dict(os.environ, HPYAPI_HUGE=json.dumps(cfg)),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=120)
    lines = [json.loads(l) for l in res.stdout.splitlines()]
    assert res.returncode == 0, "crashed after %s:\n%s" % (
        lines[-1] if lines else "nothing", res.stderr[-2000:])
    results = [l for l in lines if l[2] != "started"]
    assert len(results) == 2 * len(HUGE)
    for fn, n, kind, msg in results:
        entry = "SumList" if fn == "sum_huge" else "Concat"
        assert kind in ("MemoryError", "ValueError"), (fn, n, kind, msg)
        assert msg.startswith("huge_e.exporter: testapi API, %s(): " % entry), \
            msg


# ---- a seeded loop of hostile calls through every pair -------------------------

# `make fuzz` runs 1,000,000 per pair under ASan and UBSan
FUZZ_CALLS = int(os.environ.get("HPYAPI_FUZZ_CALLS", "3000"))


@pytest.mark.parametrize("e_mode,c_mode", ALL_PAIRS,
                         ids=["%s-exporter/%s-caller" % p for p in ALL_PAIRS])
def test_fuzzed_calls(modules, e_mode, c_mode, leakcheck):
    _, consumer = load_pair(modules, e_mode, c_mode, "fz")
    cross = FAMILY[e_mode] != FAMILY[c_mode]
    flags = 1 if cross else 0  # FUZZ_CHECKED, see tests/c/callfuzz.h
    n = FUZZ_CALLS
    made, refused = consumer.fuzz(20240 + len(e_mode), n, flags)
    assert made + refused == n
    if cross:  # half the calls are SumList/Concat, a half of those bad
        assert n // 10 < refused < n // 2, refused
    else:
        assert refused == 0


def test_negative_length_names_the_call(modules, leakcheck):
    exporter, consumer = load_pair(modules, "debug", "universal", "neg")
    with pytest.raises(ValueError) as e:
        consumer.sum_huge(-5)
    assert str(e.value).startswith(
        "%s: testapi API, SumList(): got a handle array of length -5 at "
        % exporter.__name__)


# ---- the Python introspection of forged capsules --------------------------------

@pytest.fixture
def forged(modules):
    return Forged(modules.get("exporter", "universal"))


def forged_module(forged):
    return sys.modules[forged.module()]


def capsule_error(forged, call=hpyapi.describe):
    mod = forged_module(forged)
    with pytest.raises(capsule.CapsuleError) as e:
        call(mod)
    msg = str(e.value)
    assert msg.startswith("hpyapi: module %r, API 'testapi': capsule "
                          "'_hpyapi_testapi': " % mod.__name__), msg
    assert msg.endswith("; HPyAPI_Export never makes such a capsule, so it is "
                        "corrupted or forged: reinstall %r" % mod.__name__)
    assert isinstance(e.value, ImportError) and isinstance(e.value,
                                                           LookupError)
    return msg.split(": ", 3)[3].rsplit("; HPyAPI_Export", 1)[0]


def test_intact_forgery_is_described(forged):
    d = hpyapi.describe(forged_module(forged))
    assert len(d["entries"]) == 15 and d["entries"][3]["name"] == "SumList"


@pytest.mark.parametrize("call", [hpyapi.describe, hpyapi.hooks])
@pytest.mark.parametrize("n", [16, 70000, 2 ** 32 - 1])
def test_entry_count_beyond_the_list(forged, n, call):
    forged.header.n_entries = n
    problem = capsule_error(forged, call)
    if n > capsule.MAX_ENTRIES:
        assert problem == ("header field n_entries is %d, more than the "
                           "65536 any API may have" % n)
    else:
        assert problem == ("header field n_entries is 16, but its exporter "
                           "does not have that many entries")


def test_stats_skips_a_forged_exporter_with_a_warning(forged):
    forged.header.n_entries = 1000
    mod = forged_module(forged)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        hpyapi.stats()
    assert any("module %r, API 'testapi'" % mod.__name__ in str(x.message)
               and "n_entries is 1000" in str(x.message) for x in w)


@pytest.mark.parametrize("field", ["token", "control", "entries", "table"])
def test_null_pointer_fields(forged, field):
    setattr(forged.header, field, None)
    assert capsule_error(forged) == "header field %s is NULL" % field


def test_null_control_function(forged):
    forged.control.read_stats = type(forged.control.read_stats)()
    assert capsule_error(forged, hpyapi.hooks) == (
        "control function read_stats is NULL")


def test_non_utf8_strings(forged):
    forged.entries[2].signature = b"long(\xff)"
    assert capsule_error(forged) == (
        "entry 2's signature is not UTF-8: long(\\xff) (invalid start byte)")
    forged.entries[2].signature = b"long(HPy)"
    forged.entries[5].name = b"Call\xc3"
    assert capsule_error(forged, hpyapi.hooks) == (
        "entry 5's name is not UTF-8: Call\\xc3 (unexpected end of data)")


def test_unterminated_string(forged):
    import ctypes
    buf = ctypes.create_string_buffer(b"x" * 4096)
    forged.keep = buf
    forged.header.module_name = ctypes.addressof(buf)
    assert capsule_error(forged) == (
        "header field module_name is not a string of fewer than 512 bytes")


def test_table_not_pointing_back(forged):
    forged.table[0] = None
    assert capsule_error(forged) == ("the table does not point back to its "
                                     "header")


# ---- hooks: log descriptor, refusal type, retired entries -------------------------

@pytest.fixture
def hooked(modules, request, leakcheck):
    exporter, consumer = load_pair(modules, "debug", "universal",
                                   "k%d" % id(request))
    h = hpyapi.hooks(exporter)
    yield exporter, consumer, h
    h.clear()
    h.log(None)


def test_log_survives_closing_the_file(hooked, tmp_path):
    exporter, consumer, h = hooked
    first = open(tmp_path / "first.log", "w")
    h.log(first, ["SumList"])
    consumer.sum_huge(1)
    first.close()  # its descriptor number is free now ...
    with open(tmp_path / "other.log", "w") as other:  # ... and likely reused
        consumer.sum_huge(1)
    assert (tmp_path / "other.log").read_text() == ""
    lines = (tmp_path / "first.log").read_text().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("hpyapi: %s testapi.SumList() called from "
                               % exporter.__name__)
    h.log(None)
    consumer.sum_huge(1)
    assert len((tmp_path / "first.log").read_text().splitlines()) == 2


def test_log_path_is_closed_by_python_and_kept_by_the_exporter(hooked,
                                                               tmp_path):
    _, consumer, h = hooked
    fds = len(os.listdir("/proc/self/fd"))
    h.log(str(tmp_path / "p.log"), ["SumList"])
    assert len(os.listdir("/proc/self/fd")) == fds + 1  # the exporter's dup
    consumer.sum_huge(1)
    h.log(None)
    assert len(os.listdir("/proc/self/fd")) == fds  # and closed again
    assert "testapi.SumList() called" in (tmp_path / "p.log").read_text()


def test_log_to_a_file_without_descriptor(hooked):
    import io
    _, _, h = hooked
    with pytest.raises(TypeError) as e:
        h.log(io.StringIO())
    assert str(e.value).startswith("hpyapi: log() needs a callable, a path "
                                   "or a file with a descriptor; ")


@pytest.mark.parametrize("bad", [42, "ValueError", int, ValueError("x")])
def test_refuse_needs_an_exception_class(hooked, bad):
    exporter, consumer, h = hooked
    with pytest.raises(TypeError) as e:
        h.refuse("SumList", bad)
    assert str(e.value) == (
        "%s: testapi API, SumList(): refuse() needs an exception class to "
        "raise, got %r (of type %s); pass e.g. RuntimeError"
        % (exporter.__name__, bad, type(bad).__name__))
    assert h.flags("SumList") == set()
    assert consumer.sum_huge(1) == 1  # nothing was set


def test_refusal_type_is_checked_by_the_exporter_too(hooked):
    exporter, _, h = hooked
    # what a C caller of the control block would do, bypassing refuse()
    assert h._ctl.set_refusal(h._tok, 3, capsule.obj_ptr(42), b"x") == -1
    assert h._ctl.set_refusal(h._tok, 3, capsule.obj_ptr(KeyError), b"x") == 0


@pytest.mark.parametrize("method", ["count", "time", "refuse", "log"])
def test_hooks_on_a_retired_entry_are_refused(hooked, method):
    exporter, consumer, h = hooked
    args = {"count": (["OldEntry"],), "time": (["OldEntry"],),
            "refuse": ("OldEntry",), "log": (print, ["OldEntry"])}[method]
    with pytest.raises(ValueError) as e:
        getattr(h, method)(*args)
    assert str(e.value) == (
        "%s: testapi API, OldEntry(): the entry is retired; calling it "
        "raises NotImplementedError without reaching any hook, so a hook on "
        "it would never run; hook a live entry" % exporter.__name__)
    assert h.flags("OldEntry") == set()


def test_hooks_on_every_entry_skip_the_retired_one(hooked):
    _, _, h = hooked
    h.count()
    assert h.flags("OldEntry") == set()
    assert h.flags("SumList") == {"count"}
    assert h._ctl.set_flags(h._tok, 13, capsule.HOOK_COUNT, 0) == -1
    assert h._ctl.set_flags(h._tok, 13, 0, capsule.HOOK_COUNT) == 0
