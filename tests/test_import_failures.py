"""A failed import never crashes, and `python -m hpyapi check` decides as
the import does (issue 18, items 1 and 2).

Item 1: a consumer that imports in HPy_mod_exec (HPyAPI_Import as the
README writes it, import_<api>(ctx) of HPyAPI_USE_DEFINE, the legacy
bridge) or in PyInit (a plain C-API consumer), while its exporter is
missing, gets its ImportError; then garbage collections, a second failed
attempt, the exporter appearing and a third attempt that succeeds and
calls through.  hpy 0.9.0 frees a universal module's definition when its
exec fails (see runtime/import.c), so before the fix the first collection
read freed memory.  Each scenario runs in a child process: a crash is a
failed test, not a dead test run.

Item 2 (below): for every bad-import case, `check` of the built exporter
and consumer gives the verdict the runtime import gives.

Sources: tests/c/firsthour/.
"""
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import BUILD_DIR, C_DIR, MODES, module_cflags, runtime_args
from hpyapi import testing
from hpyapi.check import check, format_report

SRC = C_DIR / "firsthour"
LATE = "fh_late"  # the package the late exporters appear in


def build(name, source, abi, macros=()):
    macros = list(macros) + [("MODNAME", name)]
    return testing.build_extension(
        name, [SRC / source], abi, BUILD_DIR, include_dirs=[SRC, C_DIR],
        define_macros=macros, extra_compile_args=module_cflags(),
        runtime_compile_args=runtime_args())


def build_many(jobs):
    """{key: so path} for jobs {key: (name, source, abi, macros)}."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        paths = pool.map(lambda j: build(*j), jobs.values())
        return dict(zip(jobs, paths))


# ---- item 1: failed imports in every consumer mode -----------------------------

FROM_FH = ("FH_FROM", '"%s.fhexp"' % LATE)
FROM_TAB = ("FH_FROM", '"%s.legacytab"' % LATE)
# consumer kind -> (source, extra macros); the name is the kind
KINDS = {
    "fhimport": ("fhcons.c", [("FH_STYLE", "1"), FROM_FH]),
    "fhuse": ("fhcons.c", [("FH_STYLE", "2"), FROM_FH]),
    "fhuse01": ("fhcons.c", [("FH_STYLE", "3"), FROM_FH]),  # 0.1's form
    "fhlegacy": ("fhlegacy.c", [FROM_TAB]),
}
CAPI_KINDS = {
    "fhcapi_import": ("fhcons_capi.c", [("FH_STYLE", "1"), FROM_FH]),
    "fhcapi_use": ("fhcons_capi.c", [("FH_STYLE", "2"), FROM_FH]),
    "fhcapi_use01": ("fhcons_capi.c", [("FH_STYLE", "3"), FROM_FH]),
}
HINT = ("; install the package that provides it, or fix the module name "
        "given to %s")


@pytest.fixture(scope="module")
def late_builds():
    jobs = {("fhexp", "universal"): ("fhexp", "fhexp.c", "universal", []),
            ("legacytab", "capi"): ("legacytab", "../legacytab.c", "capi",
                                    [])}
    for kind, (src, macros) in KINDS.items():
        for abi in ("cpython", "universal", "hybrid"):
            jobs[(kind, abi)] = (kind, src, abi, macros)
    for kind, (src, macros) in CAPI_KINDS.items():
        jobs[(kind, "capi")] = (kind, src, "capi", macros)
    return build_many(jobs)


# Run in a child: fail twice (collecting garbage and churning memory in
# between, so that freed memory is reused), then let the exporter appear
# and succeed.
CHILD = r"""
import gc, json, sys
from hpyapi import testing
cfg = json.loads(sys.argv[1])
out = {"errors": []}
def churn():
    # refill freed blocks of the definition's size class (a PyModuleDef is
    # 104 bytes) with non-zero bytes, then collect
    for _ in range(3):
        junk = [bytes([0xa5]) * n for n in range(60, 80) for _ in range(2000)]
        del junk
        gc.collect()
for attempt in range(2):
    try:
        testing.load_extension(cfg["fullname"], cfg["so"], cfg["mode"],
                               cfg["load_dir"])
    except ImportError as e:
        out["errors"].append(str(e))
    else:
        out["errors"].append(None)
    churn()
testing.load_extension(cfg["exp_fullname"], cfg["exp_so"], cfg["exp_mode"],
                       cfg["load_dir"])
m = testing.load_extension(cfg["fullname"], cfg["so"], cfg["mode"],
                           cfg["load_dir"])
churn()
out["call"] = (m.get([7, 8, 9], 1) if cfg["kind"] == "fhlegacy"
               else m.add(2, 40))
print(json.dumps(out))
"""


def run_child(cfg):
    proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(cfg)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=300)
    assert proc.returncode == 0, (
        "the process died (exit %d) after a failed import:\n%s"
        % (proc.returncode, proc.stderr[-3000:]))
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("mode", MODES)
def test_failed_import_in_exec_never_crashes(late_builds, kind, mode,
                                             tmp_path):
    legacy = kind == "fhlegacy"
    cfg = {"kind": kind, "mode": mode, "load_dir": str(tmp_path),
           "fullname": "fhc_%s.%s" % (mode, kind),
           "so": late_builds[(kind, testing.abi_for_mode(mode))],
           "exp_fullname": LATE + (".legacytab" if legacy else ".fhexp"),
           "exp_so": late_builds[("legacytab", "capi") if legacy
                                 else ("fhexp", "universal")],
           "exp_mode": "cpython" if legacy else "universal"}
    out = run_child(cfg)
    assert len(out["errors"]) == 2
    for err in out["errors"]:
        assert err is not None, "the consumer loaded without its exporter"
        if legacy:
            assert err.startswith("hpyapi: cannot import the legacy 'fhtab' "
                                  "API from module '%s.legacytab'" % LATE), err
        else:
            assert err.startswith(
                "hpyapi: cannot import the 'fhapi' API (version 1.0) from "
                "module '%s.fhexp': importing it raised ModuleNotFoundError"
                % LATE), err
            assert err.endswith(HINT % "HPyAPI_Import or HPyAPI_USE_DEFINE")
    assert out["call"] == (8 if legacy else 42)


@pytest.mark.parametrize("kind", sorted(CAPI_KINDS))
def test_failed_capi_import_never_crashes(late_builds, kind, tmp_path):
    cfg = {"kind": kind, "mode": "cpython", "load_dir": str(tmp_path),
           "fullname": "fhc_capi.%s" % kind,
           "so": late_builds[(kind, "capi")],
           "exp_fullname": LATE + ".fhexp",
           "exp_so": late_builds[("fhexp", "universal")],
           "exp_mode": "universal"}
    out = run_child(cfg)
    assert [e.split(":")[1] for e in out["errors"]] == [
        " cannot import the 'fhapi' API (version 1.0) from module '%s.fhexp'"
        % LATE] * 2, out["errors"]
    for err in out["errors"]:
        assert err.endswith(
            HINT % "HPyAPI_ImportCAPI or HPyAPI_USE_CAPI_DEFINE"), err
    assert out["call"] == 42


# ---- item 2: `check` decides as the import does ---------------------------------

CHK = "fh_chk"  # consumers import fhapi from CHK.fhexp
FROM_CHK = ("FH_FROM", '"%s.fhexp"' % CHK)
EXPORTERS = {"fhexp10": [], "fhexp11": [("FH_MINOR", "1")],
             "fhexp11short": [("FH_MINOR", "1"), ("FH_SHORT", "1")]}
VARIANTS = {"ok": [], "sig": [("FH_B", "double")], "major": [("FH_MAJOR", "2")],
            "minor": [("FH_MINOR", "1")]}
# consumer styles: (source, abi, macros); every variant for the first of
# each pair, two for the others
STYLES = {"import": ("fhcons.c", "universal", [("FH_STYLE", "1")]),
          "use": ("fhcons.c", "universal", [("FH_STYLE", "2")]),
          "capi_import": ("fhcons_capi.c", "capi", [("FH_STYLE", "1")]),
          "capi_use": ("fhcons_capi.c", "capi", [("FH_STYLE", "2")])}
CASES = [(style, variant) for style in STYLES for variant in VARIANTS
         if style in ("import", "capi_use") or variant in ("ok", "major")]
# (case name, consumer variant, exporter or None, what both must say)
PAIRS = [("ok", "ok", "fhexp10", None),
         ("newer exporter", "ok", "fhexp11", None),
         ("wrong signature", "sig", "fhexp10", "signature"),
         ("wrong major", "major", "fhexp10", "major"),
         ("older minor", "minor", "fhexp10", "1.1 or newer"),
         ("missing entry", "minor", "fhexp11short", "the first 3"),
         ("missing exporter", "ok", None, None)]


@pytest.fixture(scope="module")
def chk_builds():
    jobs = {name: (name, "fhexp.c", "universal", macros)
            for name, macros in EXPORTERS.items()}
    for style, variant in CASES:
        src, abi, macros = STYLES[style]
        name = "fhk_%s_%s" % (style, variant)
        jobs[(style, variant)] = (name, src, abi,
                                  macros + VARIANTS[variant] + [FROM_CHK])
    return build_many(jobs)


_loads = iter(range(10**6))


def runtime_verdict(builds, style, variant, exporter, load_dir):
    """(imported?, ImportError text) of loading the consumer while
    `exporter` (or nothing) is CHK.fhexp."""
    import types
    sys.modules.setdefault(CHK, types.ModuleType(CHK)).__path__ = []
    sys.modules.pop(CHK + ".fhexp", None)
    if exporter is not None:
        sys.modules[CHK + ".fhexp"] = testing.load_extension(
            "fhk_e_%s.%s" % (exporter, exporter), builds[exporter],
            "universal", load_dir)
    name = "fhk_%s_%s" % (style, variant)
    mode = "cpython" if STYLES[style][1] == "capi" else "universal"
    try:
        testing.load_extension("fhk_c%d.%s" % (next(_loads), name),
                               builds[(style, variant)], mode, load_dir)
    except ImportError as e:
        return False, str(e)
    finally:
        sys.modules.pop(CHK + ".fhexp", None)
    return True, ""


@pytest.mark.parametrize(
    "style,case,variant,exporter,says",
    [(s,) + p for s in STYLES for p in PAIRS if (s, p[1]) in CASES],
    ids=["%s-%s" % (s, p[0]) for s in STYLES for p in PAIRS
         if (s, p[1]) in CASES])
def test_check_verdict_equals_the_import(chk_builds, style, case, variant,
                                         exporter, says, tmp_path):
    consumer = chk_builds[(style, variant)]
    files = [consumer] + ([chk_builds[exporter]] if exporter else [])
    report = check(files)
    assert [len(f["imports"]) for f in report["files"]][0] == 1, (
        "check does not see the %s consumer's import" % style)
    (res,) = report["results"]
    assert res["kind"] == ("import-capi" if style.startswith("capi")
                           else "import")
    offline = res["satisfied"]
    online, error = runtime_verdict(chk_builds, style, variant, exporter,
                                    tmp_path)
    assert offline == online, (report, error)
    assert online == (case in ("ok", "newer exporter"))
    if says:
        assert says in error, error
        assert any(says in p for p in res["problems"]), res["problems"]


def test_check_sees_a_legacy_consumer(late_builds):
    report = check([late_builds[("fhlegacy", "universal")]])
    (f,) = report["files"]
    assert [r.api for r in f["legacy"]] == ["fhtab"]
    assert (f["exports"], f["imports"], report["results"], report["ok"]) == (
        [], [], [], True)
    text = format_report(report)
    assert ("uses (legacy)  fhtab (a classic C-API table, through the legacy "
            "bridge; not checked)") in text
    assert "no hpyapi records" not in text
