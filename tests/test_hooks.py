"""Interception and introspection: count, time, log and refuse calls
between extensions, from Python and from C, for HPy and C-API callers."""
import io
import subprocess
import sys
import threading

import pytest

import hpyapi
from conftest import MODES

# built in advance (tests/conftest.py)
BUILDS = [
    "exporter", "consumer", "capi_consumer", "exporter11"]

# (exporter mode, caller): a spread of pairs, both families, both tables
PAIRS = [("universal", "universal"), ("debug", "universal"),
         ("cpython", "trace"), ("trace", "debug"), ("hybrid", "cpython"),
         ("debug", "capi"), ("cpython", "capi"), ("universal", "capi")]

KIND = {"cpython": "cpython", "universal": "universal", "hybrid": "universal",
        "debug": "debug", "trace": "trace", "capi": "capi"}


# a fresh exporter copy per test: hooks and counters live in it
PAIR = {"fresh": True}


@pytest.fixture
def pair(pair, pair_modes):  # conftest's, in this file's PAIRS
    # pair_modes named here too: pytest < 9 leaves a fixture that an
    # overriding fixture of the same name requests out of the closure
    h = hpyapi.hooks(pair.exporter)
    yield pair.exporter, pair.consumer, h, pair.e_mode, pair.c_mode
    h.clear()


def calls(h, entry=None):
    return {(s.caller, s.entry): s.calls for s in h.stats()
            if entry is None or s.entry == entry}


def test_describe(modules):
    exporter = modules.get("exporter", "debug")
    d = hpyapi.describe(exporter)
    assert {k: d[k] for k in ("module", "api", "version", "major", "minor",
                              "exporter_abi", "exporter_mode",
                              "hpy_abi_version")} == {
        "module": exporter.__name__, "api": "testapi", "version": "1.0",
        "major": 1, "minor": 0, "exporter_abi": "universal",
        "exporter_mode": "debug", "hpy_abi_version": "0.0"}
    assert len(d["entries"]) == 15
    assert d["entries"][0] == {"index": 0, "name": "Thing",
                               "signature": "HPy(void)", "since": "1.0",
                               "kind": "object", "retired": False}
    assert d["entries"][13]["name"] == "OldEntry"
    assert d["entries"][13]["retired"] is True
    assert d["entries"][14]["signature"] == \
        "HPy(HPy,const HPy *,HPy_ssize_t,HPy)"
    assert hpyapi.describe(modules.get("exporter11", "cpython"))[
        "entries"][15]["since"] == "1.1"
    with pytest.raises(LookupError, match="does not export the 'nope' API"):
        hpyapi.describe(exporter, "nope")
    with pytest.raises(LookupError, match="exports no API"):
        hpyapi.describe(sys)


def test_describe_command_line(modules, tmp_path):
    import shutil
    pkg = tmp_path / "climod"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    so = modules.so("exporter", "cpython")
    shutil.copy(so, pkg / so.split("/")[-1])
    import os
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    res = subprocess.run([sys.executable, "-m", "hpyapi", "describe",
                          "climod.exporter"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == ("testapi 1.0, exported by climod.exporter (built for "
                        "the cpython ABI, loaded in cpython mode, HPy ABI 0.0)")
    assert lines[1].split() == ["idx", "name", "kind", "since", "signature"]
    assert lines[3].split() == ["1", "Add", "function", "1.0", "HPy(HPy,HPy)"]
    assert lines[15].split() == ["13", "OldEntry", "retired", "1.0", "int(HPy)"]
    res = subprocess.run([sys.executable, "-m", "hpyapi", "describe",
                          "no_such_mod_cli"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
    assert res.returncode == 1
    assert res.stderr == "hpyapi: No module named 'no_such_mod_cli'\n"


def test_count_per_caller_and_entry(pair):
    exporter, consumer, h, e_mode, c_mode = pair
    consumer.add(1, 2)  # before counting: not counted
    h.count(["Add", "SumList"])
    for _ in range(7):
        consumer.add(1, 2)
    consumer.sum_list([1, 2, 3])
    consumer.identity(1)  # not hooked
    assert calls(h) == {(consumer.__name__, "Add"): 7,
                        (consumer.__name__, "SumList"): 1}
    (rec,) = [s for s in h.stats() if s.entry == "Add"]
    assert (rec.api, rec.exporter, rec.caller_kind, rec.refused, rec.ns) == (
        "testapi", exporter.__name__, KIND[c_mode], 0, 0)
    h.count(["Add"], on=False)
    consumer.add(1, 2)
    assert calls(h, "Add") == {(consumer.__name__, "Add"): 7}
    h.reset()
    assert h.stats() == []


def test_time(pair):
    _, consumer, h, _, _ = pair
    h.time(["CallBack"])
    for _ in range(3):
        consumer.callback(lambda x: sum(range(2000)), 0)
    (rec,) = h.stats()
    assert rec.entry == "CallBack" and rec.calls == 3
    assert rec.ns > 0
    assert h.flags("CallBack") == {"time"}


def test_log_to_callable(pair):
    exporter, consumer, h, e_mode, c_mode = pair
    seen = []
    h.log(seen.append, ["Identity", "Scale"])
    consumer.identity("x")
    consumer.scale(1.0, 2)
    consumer.add(1, 2)
    assert seen == [
        hpyapi.CallLog("testapi", exporter.__name__, "Identity",
                       consumer.__name__, KIND[c_mode], KIND[e_mode]),
        hpyapi.CallLog("testapi", exporter.__name__, "Scale",
                       consumer.__name__, KIND[c_mode], KIND[e_mode])]
    h.log(None)
    consumer.identity("y")
    assert len(seen) == 2


def test_log_to_file(pair, tmp_path):
    exporter, consumer, h, e_mode, c_mode = pair
    path = tmp_path / "calls.log"
    h.log(str(path), ["AsLong"])
    consumer.as_long(5)
    consumer.as_long(6)
    h.log(None)
    consumer.as_long(7)
    lines = path.read_text().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("hpyapi: %s testapi.AsLong() called from "
                               % exporter.__name__)
    assert lines[0].endswith("(%s caller, %s exporter)"
                             % (KIND[c_mode], KIND[e_mode]))


def test_refuse(pair):
    exporter, consumer, h, e_mode, c_mode = pair
    consumer.store("before")
    h.refuse("Store", PermissionError, "no storing in this test")
    with pytest.raises(PermissionError, match="^no storing in this test$"):
        consumer.store("after")
    assert consumer.load() == "before"  # the call was not made
    h.refuse("AsLong")  # default: RuntimeError naming the call
    with pytest.raises(RuntimeError) as e:
        consumer.as_long(1)
    assert str(e.value) == ("%s: testapi API, AsLong(): call refused"
                            % exporter.__name__)
    assert sorted((s.entry, s.refused, s.calls) for s in h.stats()) == [
        ("AsLong", 1, 0), ("Store", 1, 0)]
    h.allow("Store")
    consumer.store("after")
    assert consumer.load() == "after"


def test_hooks_from_c(pair):
    _, consumer, h, _, _ = pair
    COUNT = 1
    assert consumer.set_hooks(1, COUNT, 0) == 0  # entry 1 is Add
    assert h.flags("Add") == {"count"}
    consumer.add(2, 2)
    consumer.add(2, 2)
    assert calls(h) == {(consumer.__name__, "Add"): 2}
    assert consumer.set_hooks(-1, 0, COUNT) == 0
    assert h.flags("Add") == set()
    assert consumer.set_hooks(99, COUNT, 0) == -1  # no such entry


def test_toggling_during_a_call_is_safe(pair):
    """A log callback changes hooks, resets counters, replaces itself and
    calls the API again while the call it reports is running."""
    exporter, consumer, h, _, _ = pair
    events = []

    def noisy(rec):
        events.append(rec.entry)
        h.reset()
        h.count()
        h.time(["Identity"])
        h.log(lambda r: events.append("second " + r.entry), ["Add"])
        h.refuse("Scale")
        assert consumer.add(1, 1) == 2  # re-entrant, through the new hooks
        h.clear(["Identity"])

    h.count()
    h.log(noisy, ["Identity"])
    assert consumer.identity("kept") == "kept"  # completes normally
    assert events == ["Identity", "second Add"]
    with pytest.raises(RuntimeError, match="Scale\\(\\): call refused"):
        consumer.scale(1.0, 1)
    h.clear()
    assert consumer.scale(1.0, 1) == 1.0


def test_log_callback_error_fails_the_call(pair):
    _, consumer, h, _, _ = pair

    def broken(rec):
        raise ValueError("logger is broken")

    consumer.store(1)
    h.log(broken, ["Store"])
    with pytest.raises(ValueError, match="^logger is broken$"):
        consumer.store(2)
    h.log(None)
    assert consumer.load() == 1


def test_counting_context_manager(pair):
    _, consumer, h, _, _ = pair
    h.time(["Add"])  # a hook that was on before must stay on
    with hpyapi.counting(pair[0], entries=["Add", "AsLong"]) as counts:
        consumer.add(1, 1)
        consumer.as_long(3)
        consumer.as_long(4)
        consumer.identity(0)
    assert counts == {(consumer.__name__, "Add"): 1,
                      (consumer.__name__, "AsLong"): 2}
    assert h.flags("Add") == {"time"}
    assert h.flags("AsLong") == set()


def test_threads_count_consistently(modules, leakcheck):
    exporter = modules.get("exporter", "universal", tag="threads")
    consumer = modules.get("consumer", "debug", tag="threads")
    capi = modules.get("capi_consumer", "cpython", tag="threads")
    consumer.setup(exporter.__name__)
    capi.setup(exporter.__name__)
    h = hpyapi.hooks(exporter)
    h.count(["Add"])

    def work(c):
        for _ in range(2000):
            c.add(1, 1)

    threads = [threading.Thread(target=work, args=(c,))
               for c in (consumer, capi, consumer, capi)]
    for t in threads:
        t.start()
    toggles = 0
    while any(t.is_alive() for t in threads):  # toggle other hooks meanwhile
        h.time(["Add"], on=toggles % 2 == 0)
        toggles += 1
    for t in threads:
        t.join()
    assert calls(h) == {(consumer.__name__, "Add"): 4000,
                        (capi.__name__, "Add"): 4000}
    h.clear()


def test_global_stats(modules):
    e1 = modules.get("exporter", "trace", tag="gs1")
    e2 = modules.get("exporter", "cpython", tag="gs2")
    c = modules.get("consumer", "universal", tag="gs")
    for e in (e1, e2):
        c.setup(e.__name__)
        hpyapi.hooks(e).count(["Scale"])
        c.scale(1.0, 1)
    mine = [s for s in hpyapi.stats() if s.exporter in (e1.__name__,
                                                         e2.__name__)]
    assert sorted((s.exporter, s.caller, s.entry, s.calls) for s in mine) == \
        sorted([(e1.__name__, c.__name__, "Scale", 1),
                (e2.__name__, c.__name__, "Scale", 1)])
    for e in (e1, e2):
        hpyapi.hooks(e).clear()


def test_caller_names_are_module_names_without___file__(tmp_path):
    import importlib.machinery
    import types
    from hpyapi import introspect
    so = tmp_path / "vecuse.hpy0.so"
    so.write_bytes(b"")
    mod = types.ModuleType("pkg.vecuse")  # as hpy.universal.load leaves it
    mod.__spec__ = importlib.machinery.ModuleSpec("pkg.vecuse", None,
                                                  origin=str(so))
    sys.modules["pkg.vecuse"] = mod
    try:
        names = introspect._caller_names()
        assert introspect._caller(str(so), names) == "pkg.vecuse"
    finally:
        del sys.modules["pkg.vecuse"]
    # a module gone from sys.modules: the name its file gives
    gone = tmp_path / "gone.hpy0-cp311.so"
    assert introspect._caller(str(gone), {}) == "gone"
    assert introspect._caller("?", {}) == "?"
