"""python -m hpyapi check: which APIs binaries export and need, and whether
the exporters given satisfy the consumers given, without importing any.

The rules are HPyAPI_Import's (runtime/validate.c), applied to the declared
versions: same API name and major; the exporter's minor at least the
consumer's; the exporter has every entry up to the last one the consumer's
minor introduced; and every entry both declare has the same name and
signature (after hpyapi.signature's normalisation).  A consumer that
imports with HPyAPI_ImportMinor may accept an older minor at run time; the
record holds the minor it was built against, so that is what is checked.
"""
import os

from hpyapi import binary
from hpyapi.signature import same


def inspect(path):
    """What the binary at `path` exports and imports, as a dict."""
    out = {"path": str(path), "error": None, "warnings": [],
           "exports": [], "imports": [], "legacy": []}
    try:
        records, out["warnings"] = binary.read_records(path)
    except (OSError, binary.BinaryError) as e:
        out["error"] = (e.strerror if isinstance(e, OSError) and e.strerror
                        else str(e))
        return out
    for r in records:
        out[{"export": "exports", "legacy": "legacy"}.get(r.kind,
                                                         "imports")].append(r)
    return out


def _needed(rec):
    """How many leading entries a consumer of `rec` cannot do without."""
    n = 0
    for e in rec.entries:
        if e.since <= rec.minor:
            n = e.index + 1
    return n


def mismatches(imp, exp):
    """Why export record `exp` cannot serve import record `imp` ([] if it
    can)."""
    name = imp.api
    if exp.major != imp.major:
        return ["exports %s %s but the consumer was built against %s %s; "
                "major versions must match" % (name, exp.version, name,
                                               imp.version)]
    if exp.minor < imp.minor:
        return ["exports %s %s but the consumer needs %s %s or newer"
                % (name, exp.version, name, imp.version)]
    if len(exp.entries) < _needed(imp):
        return ["exports %d entries but the consumer needs the first %d "
                "(those of %s %s)" % (len(exp.entries), _needed(imp), name,
                                      imp.version)]
    out = []
    for mine, theirs in zip(imp.entries, exp.entries):
        if mine.name != theirs.name:
            out.append("entry %d is '%s' in the exporter but '%s' in the "
                       "consumer" % (mine.index, theirs.name, mine.name))
        elif (mine.kind == "data") != (theirs.kind == "data"):
            out.append("entry %d '%s' is %s in the exporter but %s in the "
                       "consumer" % (mine.index, mine.name,
                                     _what(theirs), _what(mine)))
        elif not same(mine.signature, theirs.signature):
            out.append("entry %d '%s' has signature %s in the exporter but "
                       "%s in the consumer" % (mine.index, mine.name,
                                               theirs.signature,
                                               mine.signature))
    return out


def _what(entry):
    return "exported data" if entry.kind == "data" else "callable"


def _retired_notes(imp, exp):
    return ["entry %d '%s' is retired in the exporter: calling it raises"
            % (t.index, t.name) for m, t in zip(imp.entries, exp.entries)
            if t.kind == "retired" and m.kind != "retired"]


def check(paths):
    """The report `python -m hpyapi check` prints, as a dict: "files" (one
    inspect() per path), "results" (one per import record) and "ok"."""
    files = [inspect(p) for p in paths]
    exporters = [(f["path"], r) for f in files for r in f["exports"]]
    results = []
    for f in files:
        for imp in f["imports"]:
            res = {"consumer": f["path"], "api": imp.api,
                   "version": imp.version, "kind": imp.kind,
                   "satisfied": False, "by": [], "problems": [], "notes": []}
            candidates = [(p, e) for p, e in exporters if e.api == imp.api]
            if not candidates:
                res["problems"].append("no file given exports the %s API"
                                       % imp.api)
            for path, exp in candidates:
                why = mismatches(imp, exp)
                if why:
                    res["problems"] += ["%s %s" % (path, w) for w in why]
                else:
                    res["by"].append(path)
                    res["notes"] += ["%s: %s" % (path, n)
                                     for n in _retired_notes(imp, exp)]
            res["satisfied"] = bool(res["by"])
            if res["satisfied"]:
                res["problems"] = []  # the other candidates do not matter
            results.append(res)
    ok = all(r["satisfied"] for r in results) and not any(
        f["error"] for f in files)
    return {"files": files, "results": results, "ok": ok}


def as_json(report):
    """The report with records turned into plain dicts."""
    files = [dict(f, exports=[r.as_dict() for r in f["exports"]],
                  imports=[r.as_dict() for r in f["imports"]],
                  legacy=[r.api for r in f["legacy"]])
             for f in report["files"]]
    return dict(report, files=files)


_VERB = {"export": "exports", "import": "needs",
         "import-capi": "needs (C-API)"}


def format_report(report, entries=False):
    """The report as text; with `entries`, every entry's signature too."""
    lines = []
    for f in report["files"]:
        lines.append(f["path"])
        if f["error"]:
            lines.append("  error: %s" % f["error"])
        for w in f["warnings"]:
            lines.append("  warning: %s" % w)
        recs = f["exports"] + f["imports"]
        if not recs and not f["legacy"] and not f["error"]:
            lines.append("  no hpyapi records (not built with hpyapi, or "
                         "with a version that wrote none)")
        for r in recs:
            lines.append("  %-14s %s %s (%d entries)" % (
                _VERB[r.kind], r.api, r.version, len(r.entries)))
            if entries:
                width = max(len(e.name) for e in r.entries) if r.entries else 0
                for e in r.entries:
                    lines.append("      %3d  %-*s  %-7s  %d.%d  %s" % (
                        e.index, width, e.name, e.kind, r.major, e.since,
                        e.signature))
        for r in f["legacy"]:
            lines.append("  %-14s %s (a classic C-API table, through the "
                         "legacy bridge; not checked)" % ("uses (legacy)",
                                                          r.api))
    if report["results"]:
        lines.append("")
    for r in report["results"]:
        who = "%s needs %s %s" % (os.path.basename(r["consumer"]), r["api"],
                                  r["version"])
        if r["satisfied"]:
            lines.append("ok       %s: provided by %s" % (
                who, ", ".join(os.path.basename(p) for p in r["by"])))
        else:
            lines.append("MISSING  %s" % who)
        for p in r["problems"]:
            lines.append("         - %s" % p)
        for n in r["notes"]:
            lines.append("         note: %s" % n)
    n_bad = sum(not r["satisfied"] for r in report["results"])
    lines.append("")
    lines.append("%d of %d imports satisfied" % (
        len(report["results"]) - n_bad, len(report["results"])))
    return "\n".join(lines)
