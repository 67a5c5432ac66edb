"""Looking at and into the APIs loaded modules export.

    hpyapi.describe("pkg.mod")           what the module exports
    h = hpyapi.hooks("pkg.mod")          hooks on its API's calls:
    h.count(); h.time(["Array_Sum"])     count / time calls per entry
    h.log(print)  or  h.log(sys.stderr)  report each call
    h.refuse("Array_New", MemoryError, "no arrays today")
    h.stats()                            the counters, per calling module
    hpyapi.stats()                       the counters of every exporter
    with hpyapi.counting("pkg.mod") as counts: ...

Hooks work the same for HPy callers in any mode and for plain C-API
callers, and on the legacy tables a module bridges (hooks(consumer,
"npy")): one engine serves both (src/hpyapi/runtime/hooks.c).  An entry
with no hook costs nothing extra: it keeps its fast paths.
"""
import collections
import contextlib
import importlib
import os
import sys
import warnings

from hpyapi import capsule as _c

CallStats = collections.namedtuple(
    "CallStats", "api exporter caller caller_kind entry calls refused ns")
CallLog = collections.namedtuple(
    "CallLog", "api exporter entry caller caller_kind exporter_kind")


def _module(module):
    return importlib.import_module(module) if isinstance(module, str) else module


def _one_api(mod, api):
    names = _c.api_names(mod)
    if api is not None:
        if api not in names:
            raise LookupError("module %r does not export the %r API (it "
                              "exports: %s)" % (mod.__name__, api,
                                                ", ".join(names) or "none"))
        return api
    if len(names) != 1:
        raise LookupError("module %r exports %s; say which API"
                          % (mod.__name__, "no API" if not names
                             else "the APIs " + ", ".join(names)))
    return names[0]


def describe(module, api=None):
    """Name, versions, the exporter's ABI and mode, and every entry of the
    API `module` exports (say which with `api` if it exports several)."""
    mod = _module(module)
    api = _one_api(mod, api)
    h = _c.header(mod, api)
    entries = []
    for i, (name, sig, since, flags) in enumerate(_c.entries(mod, api, h)):
        kind = {_c.ENTRY_OBJECT: "object", _c.ENTRY_RETIRED: "retired",
                _c.ENTRY_DATA: "data"}.get(flags, "function")
        entries.append({"index": i, "name": name, "signature": sig,
                        "since": "%d.%d" % (h.api_major, since),
                        "kind": kind, "retired": kind == "retired"})
    return {"module": h.module_name.decode(), "api": api,
            "version": "%d.%d" % (h.api_major, h.api_minor),
            "major": h.api_major, "minor": h.api_minor,
            "exporter_abi": _c.ABIS.get(h.hpy_abi, "unknown"),
            "exporter_mode": _c.KINDS.get(h.exporter_mode, "unknown"),
            "hpy_abi_version": "%d.%d" % (h.hpy_abi_version,
                                          h.hpy_abi_version_minor),
            "entries": entries}


def format_description(d):
    """describe()'s result as the table `python -m hpyapi describe` prints."""
    lines = ["%s %s, exported by %s (built for the %s ABI, loaded in %s "
             "mode, HPy ABI %s)" % (d["api"], d["version"], d["module"],
                                    d["exporter_abi"], d["exporter_mode"],
                                    d["hpy_abi_version"])]
    width = max([4] + [len(e["name"]) for e in d["entries"]])
    lines.append("  %3s  %-*s  %-8s  %-5s  %s" % ("idx", width, "name", "kind",
                                                 "since", "signature"))
    for e in d["entries"]:
        lines.append("  %3d  %-*s  %-8s  %-5s  %s" % (
            e["index"], width, e["name"], e["kind"], e["since"],
            e["signature"]))
    return "\n".join(lines)


def _caller_names():
    """Shared-object file -> module name, for the modules loaded now."""
    names = {}
    for name, mod in list(sys.modules.items()):
        # hpy.universal.load sets no __file__; its spec knows the origin
        spec = getattr(mod, "__spec__", None)
        for f in (getattr(mod, "__file__", None),
                  getattr(spec, "origin", None)):
            if isinstance(f, str) and not f.endswith((".py", ".pyc")):
                names.setdefault(os.path.realpath(f), name)
    return names


def _caller(file, names):
    """The module that imported from `file`; for a module no longer in
    sys.modules, the name its file gives (foo.hpy0.so -> foo), as the
    interpreter derives PyInit_foo from it."""
    if file in ("?", ""):
        return "?"
    found = names.get(os.path.realpath(file))
    return found if found else os.path.basename(file).split(".", 1)[0]


_NO_CALLS = {
    _c.ENTRY_RETIRED:
        "%s: %s API, %s(): the entry is retired; calling it raises "
        "NotImplementedError without reaching any hook, so a hook on it "
        "would never run; hook a live entry",
    _c.ENTRY_DATA:
        "%s: %s API, %s: the entry is exported data, which consumers read "
        "directly: there are no calls to count, time, log or refuse; hook a "
        "function entry"}


class Hooks:
    """The hooks of one API exported by one module."""

    def __init__(self, module, api=None):
        self.module = _module(module)
        self.api = _one_api(self.module, api)
        self._h = _c.header(self.module, self.api)
        self._ctl = self._h.control.contents
        self._tok = self._h.token
        info = _c.entries(self.module, self.api, self._h)
        self.entries = [name for name, _, _, _ in info]
        # entries whose slot is never called, so a hook on them never runs
        self._no_calls = {name: _NO_CALLS[flags] for name, _, _, flags in info
                          if flags in _NO_CALLS}

    def _indices(self, entries, hooking=False):
        if entries is None:
            return [-1]  # the exporter skips retired and data entries
        if isinstance(entries, str):
            entries = [entries]
        out = []
        for e in entries:
            if e not in self.entries:
                raise ValueError("the %r API has no entry %r (entries: %s)"
                                 % (self.api, e, ", ".join(self.entries)))
            if hooking and e in self._no_calls:
                raise ValueError(self._no_calls[e] % (self.module.__name__,
                                                      self.api, e))
            out.append(self.entries.index(e))
        return out

    def _set(self, entries, flag, on):
        for i in self._indices(entries, hooking=on):
            if self._ctl.set_flags(self._tok, i, flag if on else 0,
                                   0 if on else flag) < 0:
                raise MemoryError("hpyapi: could not set hooks")

    def count(self, entries=None, on=True):
        """Count calls per (calling module, entry) for `entries` (all if
        None); on=False stops."""
        self._set(entries, _c.HOOK_COUNT, on)

    def time(self, entries=None, on=True):
        """Accumulate the time spent in calls (and count them)."""
        self._set(entries, _c.HOOK_TIME, on)

    def log(self, target, entries=None):
        """Report each call of `entries` to `target`: a callable (given a
        CallLog), a file object or a path (a line per call), or None to
        stop.

        A file is written through the hooks' own duplicate of its
        descriptor (dup), taken now, for an exported API and a bridged
        legacy table alike: closing the file object later does not
        redirect the lines into whatever file reuses its number; they keep
        going to the same file until log() is called again.  A line reads
        "hpyapi: <module> <api>.<entry>() called from <caller's file>
        (<caller kind> caller, <exporter kind> exporter)"."""
        fd, fn, opened = -1, None, None
        if target is not None:
            self._indices(entries, hooking=True)  # before anything is set
        if target is None:
            self._set(entries, _c.HOOK_LOG, False)
        elif callable(target):
            exporter = self.module.__name__

            def fn(api, entry, caller_kind, exporter_kind, file):
                target(CallLog(api, exporter, entry,
                               _caller(file, _caller_names()), caller_kind,
                               exporter_kind))
        else:
            if isinstance(target, (str, os.PathLike)):
                target = opened = open(target, "a")
            try:
                target.flush()
                fd = target.fileno()
            except (AttributeError, OSError, ValueError) as e:
                raise TypeError(
                    "hpyapi: log() needs a callable, a path or a file with "
                    "a descriptor; %r has none (%s)" % (target, e)) from None
        self._log_fn = fn  # alive for as long as it is the target
        try:
            if self._ctl.set_log(self._tok, _c.obj_ptr(fn), fd) < 0:
                raise OSError(
                    "hpyapi: module %r, API %r: could not set the log "
                    "target (duplicating descriptor %d failed, or this "
                    "interpreter cannot keep a reference to a callable)"
                    % (self.module.__name__, self.api, fd))
        finally:
            if opened is not None:  # the exporter has its own duplicate
                opened.close()
        if target is not None:
            self._set(entries, _c.HOOK_LOG, True)

    def refuse(self, entry, exc_type=RuntimeError, message=None):
        """Make calls to `entry` raise exc_type(message) instead."""
        if not (isinstance(exc_type, type)
                and issubclass(exc_type, BaseException)):
            raise TypeError(
                "%s: %s API, %s(): refuse() needs an exception class to "
                "raise, got %r (of type %s); pass e.g. RuntimeError"
                % (self.module.__name__, self.api, entry, exc_type,
                   type(exc_type).__name__))
        (i,) = self._indices([entry], hooking=True)
        msg = (message if message is not None else
               "%s: %s API, %s(): call refused" % (self.module.__name__,
                                                   self.api, entry))
        if self._ctl.set_refusal(self._tok, i, _c.obj_ptr(exc_type),
                                 msg.encode()) < 0:
            raise RuntimeError("hpyapi: could not set the refusal")
        self._set([entry], _c.HOOK_REFUSE, True)

    def allow(self, entry):
        """Undo refuse()."""
        self._set([entry], _c.HOOK_REFUSE, False)

    def clear(self, entries=None):
        """Turn every hook of `entries` off (fast paths come back)."""
        self._set(entries, _c.HOOK_COUNT | _c.HOOK_TIME | _c.HOOK_LOG |
                  _c.HOOK_REFUSE, False)

    def flags(self, entry):
        """The hooks set on `entry`, as a set of names."""
        (i,) = self._indices([entry])
        f = self._ctl.get_flags(self._tok, i)
        return {n for n, bit in (("count", _c.HOOK_COUNT),
                                 ("time", _c.HOOK_TIME),
                                 ("log", _c.HOOK_LOG),
                                 ("refuse", _c.HOOK_REFUSE)) if f & bit}

    def stats(self, _names=None):
        """The counters, one CallStats per (calling module, entry)."""
        n = self._ctl.read_stats(self._tok, None, 0)
        recs = (_c.StatRecord * max(n, 1))()
        n = max(0, min(n, self._ctl.read_stats(self._tok, recs, n)))
        names = _names if _names is not None else _caller_names()
        out = []
        for r in recs[:n]:
            if r.entry >= len(self.entries) or not r.caller:
                raise RuntimeError(
                    "hpyapi: module %r, API %r: the exporter reported "
                    "counters for entry %d of %d (caller %s); its hook state "
                    "is corrupted" % (self.module.__name__, self.api,
                                      r.entry, len(self.entries),
                                      "NULL" if not r.caller else "set"))
            caller = r.caller.decode("utf-8", "backslashreplace")
            out.append(CallStats(self.api, self.module.__name__,
                                 _caller(caller, names),
                                 _c.KINDS.get(r.caller_kind, "unknown"),
                                 self.entries[r.entry], r.calls, r.refused,
                                 r.ns))
        return out

    def reset(self):
        """Zero the counters."""
        self._ctl.reset_stats(self._tok)


def hooks(module, api=None):
    """The hooks of the API `module` exports (say which with `api` if it
    exports several)."""
    return Hooks(module, api)


def stats():
    """The counters of every API exported by a loaded module."""
    out, seen = [], set()
    # one map of the loaded modules' files for every exporter: built per
    # exporter, it cost O(exporters x modules) realpath calls
    files = None
    for mod in list(sys.modules.values()):
        try:
            names = _c.api_names(mod)
        except Exception:  # lazy or broken modules: not exporters
            continue
        for api in names:
            try:
                h = Hooks(mod, api)
            except _c.CapsuleError as e:  # forged or corrupt: say so
                warnings.warn(str(e), RuntimeWarning, stacklevel=2)
                continue
            if h._tok not in seen:  # a module may sit under two names
                seen.add(h._tok)
                if files is None:
                    files = _caller_names()
                out.extend(h.stats(files))
    return out


class Counts(dict):
    """{(caller, entry): calls} of a `counting` block: filled when the block
    ends; counts.refresh() updates it inside the block."""


@contextlib.contextmanager
def counting(module, api=None, entries=None):
    """Counts calls to `module`'s API for the duration of the block:

        with hpyapi.counting(myarray) as counts:
            stats.mean(a)
        counts[("stats", "Array_Sum")]  ->  1
    """
    h = Hooks(module, api)
    idx = h._indices(entries)
    had = {i: h._ctl.get_flags(h._tok, i) for i in
           (range(len(h.entries)) if idx == [-1] else idx)}
    base = {(s.caller, s.entry): s.calls for s in h.stats()}
    counts = Counts()

    def refresh():
        counts.clear()
        for s in h.stats():
            n = s.calls - base.get((s.caller, s.entry), 0)
            if n:
                counts[(s.caller, s.entry)] = n

    counts.refresh = refresh
    h.count(entries)
    try:
        yield counts
    finally:
        refresh()
        for i, f in had.items():  # leave hooks as they were
            if not f & _c.HOOK_COUNT:
                h._ctl.set_flags(h._tok, i, 0, _c.HOOK_COUNT)
