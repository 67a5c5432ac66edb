"""python -m hpyapi check: which APIs binaries export and need, and whether
the exporters given satisfy the consumers given, without importing any.

The rules are HPyAPI_Import's: those of hpyapi.rules marked `offline`
(same major; the exporter's minor at least the consumer's; every entry up
to the last one the consumer's minor introduced; every entry both declare
with the same name, signature after hpyapi.signature's normalisation, and
data-ness), applied in the same order to the declared versions, with the
same messages.  A consumer that imports with HPyAPI_ImportMinor may accept
an older minor at run time; the record holds the minor it was built
against, so that is what is checked.
"""
import os

from hpyapi import binary, rules
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


def mismatches(imp, exp, exporter="the exporter"):
    """Why export record `exp` (of the file `exporter`) cannot serve import
    record `imp` ([] if it can): the messages of the offline rules of
    hpyapi.rules, in their order, as the import would say them."""
    facts = dict(module=exporter, api=imp.api, consumer="the consumer",
                 major=imp.major, minor=imp.minor, min_minor=imp.minor,
                 found_major=exp.major, found_minor=exp.minor,
                 n_entries=len(exp.entries), needed=_needed(imp))
    if exp.major != imp.major:
        return [rules.message("MAJOR", **facts)]
    if exp.minor < imp.minor:
        return [rules.message("MINOR", **facts)]
    if len(exp.entries) < facts["needed"]:
        return [rules.message("TOO_FEW", **facts)]
    out = []
    for mine, theirs in zip(imp.entries, exp.entries):
        facts.update(index=mine.index, name=mine.name)
        if mine.name != theirs.name:
            out.append(rules.message("ENTRY_NAME", found=theirs.name,
                                     **facts))
        elif not same(mine.signature, theirs.signature):
            out.append(rules.message("ENTRY_SIGNATURE",
                                     found=theirs.signature,
                                     signature=mine.signature, **facts))
        elif (mine.kind == "data") != (theirs.kind == "data"):
            out.append(rules.message("ENTRY_DATA", found_what=_what(theirs),
                                     what=_what(mine), **facts))
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
                why = mismatches(imp, exp, path)
                if why:
                    res["problems"] += why
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
