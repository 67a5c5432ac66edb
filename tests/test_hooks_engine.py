"""One hooks engine (runtime/hooks.c) for exported APIs and for bridged
legacy tables: the same log file handling, log line, refusal checks and
per-caller counters through the same control interface, and exact counts
while hooks change under eight threads, some calling without the GIL.

Each test runs on both sides: "exported" hooks thr's Twice/Thrice, which
tests/c/threxporter.c exports and tests/c/thrconsumer.c calls; "legacy"
hooks the same consumer's bridge to thrtab's classic table
(tests/c/thrtab.c)."""
import os
import re
import sys
import threading

import pytest

import hpyapi
from hpyapi import capsule as _c
from hpyapi import introspect, testing
from conftest import (BUILD_DIR, C_DIR, EXTRA_LDFLAGS, module_cflags,
                      runtime_args)

KIND = {"cpython": "cpython", "universal": "universal", "debug": "debug",
        "trace": "trace"}
# what a log line and a CallLog say, one format for both sides
LINE = re.compile(r"^hpyapi: (?P<module>\S+) (?P<api>\w+)\.(?P<entry>\w+)\(\) "
                  r"called from (?P<file>\S+) \((?P<caller_kind>\w+) caller, "
                  r"(?P<exporter_kind>\w+) exporter\)$")
SIDES = ["exported", "legacy"]


class Loaded:
    """Builds tests/c/thr*.c once per ABI and loads fresh copies: hooks and
    counters live in the loaded module, so each test gets its own."""

    def __init__(self, load_dir):
        self.load_dir = load_dir
        self.n = 0
        self.tab = self.load("thrtab", "capi", "cpython", "hpyapi_he_capi")

    def load(self, name, abi, mode, package):
        so = testing.build_extension(
            name, [C_DIR / (name + ".c")], abi, BUILD_DIR,
            include_dirs=[C_DIR], extra_compile_args=module_cflags(),
            runtime_compile_args=runtime_args(),
            extra_link_args=EXTRA_LDFLAGS)
        return testing.load_extension("%s.%s" % (package, name), so, mode,
                                      self.load_dir)

    def pair(self, c_mode, e_mode="universal"):
        self.n += 1
        pkg = "hpyapi_he%d" % self.n
        exporter = self.load("threxporter", testing.abi_for_mode(e_mode),
                             e_mode, pkg + "e")
        consumer = self.load("thrconsumer", testing.abi_for_mode(c_mode),
                             c_mode, pkg + "c")
        consumer.setup(exporter.__name__)
        return exporter, consumer


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    return Loaded(tmp_path_factory.mktemp("hooks_engine"))


class Side:
    """One side's hooks and calls, and what its logs must say."""

    def __init__(self, side, exporter, consumer, e_mode, c_mode):
        self.consumer, self.c_mode = consumer, c_mode
        if side == "exported":
            self.h = hpyapi.hooks(exporter)
            self.api, self.first = "thr", 0
            self.module, self.exporter_kind = exporter.__name__, KIND[e_mode]
        else:
            self.h = hpyapi.hooks(consumer, "thrtab")
            self.api, self.first = "thrtab", 2
            self.module, self.exporter_kind = consumer.__name__, "legacy"

    def call(self, entry, x):
        return self.consumer.call(self.first + ("Twice", "Thrice").index(entry),
                                  x)


def make_side(loaded, side, c_mode, e_mode="universal"):
    exporter, consumer = loaded.pair(c_mode, e_mode)
    return Side(side, exporter, consumer, e_mode, c_mode)


@pytest.fixture(params=[(s, m) for s in SIDES
                        for m in ("universal", "cpython", "debug")],
                ids=lambda p: "%s-%s-caller" % p)
def side(request, loaded, leakcheck):
    s = make_side(loaded, *request.param)
    yield s
    s.h.clear()
    s.h.log(None)


def open_fds():
    return len(os.listdir("/proc/self/fd"))


def test_log_to_a_path_keeps_its_file_when_descriptors_are_reused(side,
                                                                  tmp_path):
    before = open_fds()
    path = tmp_path / "calls.log"
    side.h.log(str(path), ["Twice"])
    # introspect.py closed its file; these take the lowest free numbers,
    # the one it had among them
    others = [open(tmp_path / ("other%d" % i), "w") for i in range(4)]
    assert side.call("Twice", 5) == 10
    for f in others:
        f.close()
    assert side.call("Twice", 6) == 12
    side.h.log(None)
    assert side.call("Twice", 7) == 14
    lines = path.read_text().splitlines()
    assert [LINE.match(l).group("entry") for l in lines] == ["Twice", "Twice"]
    for i in range(4):
        assert (tmp_path / ("other%d" % i)).read_text() == ""
    assert open_fds() == before  # log(None) closed the engine's duplicate


def test_one_log_format_for_lines_and_callables(side, tmp_path):
    path = tmp_path / "calls.log"
    side.h.log(str(path), ["Thrice"])
    side.call("Thrice", 1)
    seen = []
    side.h.log(seen.append, ["Thrice"])
    side.call("Thrice", 2)
    side.h.log(None)
    (line,) = path.read_text().splitlines()
    m = LINE.match(line)
    assert m, line
    caller = introspect._caller(m.group("file"), introspect._caller_names())
    parsed = hpyapi.CallLog(m.group("api"), m.group("module"),
                            m.group("entry"), caller, m.group("caller_kind"),
                            m.group("exporter_kind"))
    expected = hpyapi.CallLog(side.api, side.module, "Thrice",
                              side.consumer.__name__, KIND[side.c_mode],
                              side.exporter_kind)
    assert parsed == expected
    assert seen == [expected]


def test_refuse_needs_an_exception_class(side):
    h = side.h
    for bad in (42, ValueError("an instance"), int):
        with pytest.raises(TypeError) as e:
            h.refuse("Twice", bad)
        assert str(e.value) == (
            "%s: %s API, Twice(): refuse() needs an exception class to "
            "raise, got %r (of type %s); pass e.g. RuntimeError"
            % (h.module.__name__, side.api, bad, type(bad).__name__))
    assert h.flags("Twice") == set()
    assert side.call("Twice", 4) == 8
    # the control interface itself checks too (C callers of set_refusal)
    h.refuse("Twice", PermissionError, "not now")
    for bad in (42, int, "RuntimeError"):
        assert h._ctl.set_refusal(h._tok, h.entries.index("Twice"),
                                  _c.obj_ptr(bad), b"bad") == -1
    with pytest.raises(PermissionError, match="^not now$"):
        side.call("Twice", 4)  # the refusal set before stays
    h.allow("Twice")
    assert side.call("Twice", 4) == 8


def test_default_refusal_names_module_api_and_entry(side):
    # a refusal flag set from C with no refusal given
    i = side.h.entries.index("Thrice")
    assert side.h._ctl.set_flags(side.h._tok, i, _c.HOOK_REFUSE, 0) == 0
    with pytest.raises(RuntimeError) as e:
        side.call("Thrice", 1)
    assert str(e.value) == (
        "%s: %s API, Thrice(): call refused by an hpyapi hook "
        "(HPYAPI_HOOK_REFUSE is set for this entry)" % (side.module, side.api))


def test_counters_per_caller(side):
    h = side.h
    side.call("Twice", 1)  # before counting: not counted
    h.count(["Twice"])
    h.time(["Thrice"])
    for k in range(5):
        assert side.call("Twice", k) == 2 * k
    assert side.call("Thrice", 3) == 9
    h.refuse("Thrice", PermissionError, "not now")
    with pytest.raises(PermissionError, match="^not now$"):
        side.call("Thrice", 3)
    stats = sorted(h.stats(), key=lambda s: s.entry)
    assert [s._replace(ns=0) for s in stats] == [
        hpyapi.CallStats(side.api, h.module.__name__, side.consumer.__name__,
                         KIND[side.c_mode], "Thrice", 1, 1, 0),
        hpyapi.CallStats(side.api, h.module.__name__, side.consumer.__name__,
                         KIND[side.c_mode], "Twice", 5, 0, 0)]
    assert stats[0].ns > 0 and stats[1].ns == 0
    mine = [s for s in hpyapi.stats() if s.exporter == h.module.__name__
            and s.api == side.api]
    assert sorted(mine) == sorted(stats)
    h.reset()
    assert h.stats() == []


# ---- threads -------------------------------------------------------------------

C_THREADS, PY_THREADS = 4, 4
C_CALLS, PY_CALLS = 200000, 10000
MIN_TOGGLES = 16


@pytest.mark.parametrize("side_name", SIDES)
@pytest.mark.parametrize("e_mode, c_mode", [
    ("universal", "universal"), ("universal", "cpython"),
    ("cpython", "universal")])
def test_hooks_change_while_eight_threads_call(loaded, tmp_path, side_name,
                                               e_mode, c_mode):
    """Twice keeps its count hook while time is toggled on it and every
    hook is set and cleared on Thrice (so Thrice flips between its fast
    path and the hooks), by the main thread, while four threads of the
    consumer call both without the GIL and four Python threads call both
    with it.  Twice's count must be exact; every result right; every log
    line whole.  The Python threads call until the main thread has
    toggled MIN_TOGGLES times, so the toggling always overlaps calls."""
    s = make_side(loaded, side_name, c_mode, e_mode)
    s.call("Twice", 1), s.call("Thrice", 1)  # encodings learned, with the GIL
    s.h.count(["Twice"])
    results, errors = [], []
    go = threading.Event()  # the workers start once toggling has
    enough = threading.Event()  # set after MIN_TOGGLES toggles
    py_calls = []

    def c_threads():
        go.wait()
        try:
            results.append(s.consumer.hammer(s.first, C_THREADS, C_CALLS))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    def py_thread():
        go.wait()
        try:
            wrong = k = 0
            while k < PY_CALLS or not enough.is_set():
                wrong += s.call("Twice", k) != 2 * k
                wrong += s.call("Thrice", k) != 3 * k
                k += 1
            results.append(wrong)
            py_calls.append(k)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=c_threads)] + [
        threading.Thread(target=py_thread) for _ in range(PY_THREADS)]
    for t in threads:
        t.start()
    path = tmp_path / "thrice.log"
    toggles = 0
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # Python threads interleave finely
    try:
        while any(t.is_alive() for t in threads):
            on = toggles % 2 == 0
            s.h.time(["Twice"], on=on)
            if on:
                s.h.count(["Thrice"])
                s.h.log(str(path), ["Thrice"])
            else:
                s.h.clear(["Thrice"])
                s.h.log(None)
            toggles += 1
            go.set()
            if toggles >= MIN_TOGGLES:
                enough.set()
    finally:
        sys.setswitchinterval(interval)
    for t in threads:
        t.join()
    s.h.clear()
    s.h.log(None)
    assert errors == [] and results == [0] * (1 + PY_THREADS)
    assert toggles >= MIN_TOGGLES and len(py_calls) == PY_THREADS
    by_entry = {}
    for r in s.h.stats():
        assert (r.caller, r.caller_kind) == (s.consumer.__name__,
                                             KIND[c_mode])
        by_entry[r.entry] = r.calls
    total = C_THREADS * C_CALLS + sum(py_calls)
    assert by_entry["Twice"] == total
    assert by_entry.get("Thrice", 0) <= total
    lines = path.read_text().splitlines() if path.exists() else []
    assert all(LINE.match(l).group("entry") == "Thrice" for l in lines)
