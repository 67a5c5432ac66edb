"""The whole suite on every CPython from 3.9 to 3.13 (`make test-pythons`).

    nox -s tests table              # every version, then the table
    nox -s tests-3.12 table -- tests/test_matrix.py   # one version, a subset

Each version gets its own virtualenv (.nox/tests-3-12), installs
requirements.txt (whose markers pick that version's pins) and hpyapi itself
(non-editable, as `make test` does), and builds its test extensions into
build/tests-py3.12, apart from `make test`'s build/tests.  A version whose
interpreter is not installed is skipped with nox's message and shown as
such in the table, never a failure.  The table session reads the JUnit
files the test sessions leave in build/pythons and fails if any version
that ran did not pass.
"""
import json
import os
import re
import resource
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import nox

PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13"]
REPO = Path(__file__).resolve().parent
RESULTS = REPO / "build" / "pythons"

nox.options.sessions = ["tests", "table"]
# nox errors on a missing interpreter when CI is set; a machine without
# one of these Pythons skips that version instead.
nox.options.error_on_missing_interpreters = False
nox.options.reuse_venv = "yes"


def _expose_pyenv_versions():
    """pyenv's shims (python3.12 on PATH) only run the versions pyenv has
    made active, and nox finds interpreters the same way: make every
    installed 3.9-3.13 active for this run, after those already active."""
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    if not (root / "versions").is_dir():
        return
    os.environ.setdefault("PYENV_ROOT", str(root))
    active = [v for v in os.environ.get("PYENV_VERSION", "").split(":") if v]
    if not active and (root / "version").is_file():
        active = [v for v in (root / "version").read_text().split()
                  if not v.startswith("#")]
    newest = {}
    for d in (root / "versions").iterdir():
        m = re.fullmatch(r"(3\.\d+)\.(\d+)", d.name)
        if m and m.group(1) in PYTHONS and (
                (d / "bin" / ("python" + m.group(1))).exists()):
            best = newest.get(m.group(1))
            if best is None or int(m.group(2)) > int(best.split(".")[2]):
                newest[m.group(1)] = d.name
    extra = [v for v in newest.values() if v not in active]
    if extra:
        os.environ["PYENV_VERSION"] = ":".join(active + sorted(extra))


_expose_pyenv_versions()


def _cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


@nox.session(python=PYTHONS)
def tests(session):
    out = RESULTS / session.python
    out.mkdir(parents=True, exist_ok=True)
    status = out / "status.json"
    junit = out / "junit.xml"
    if junit.exists():
        junit.unlink()
    status.write_text(json.dumps({"stage": "install"}))
    t0, c0 = time.monotonic(), _cpu()
    # hpy's sdist (3.12+) is built in an isolated environment: pin it too
    session.env["PIP_CONSTRAINT"] = str(REPO / "requirements-build.txt")
    session.install("-r", str(REPO / "requirements.txt"))
    session.install("--no-build-isolation", "--no-deps", "--force-reinstall",
                    str(REPO))
    versions = session.run(
        "python", "-c", "import platform, numpy, hpy.devel, setuptools;"
        "print(platform.python_version(), numpy.__version__,"
        " setuptools.__version__)", silent=True).split()
    t1, c1 = time.monotonic(), _cpu()
    status.write_text(json.dumps({"stage": "test"}))
    args = session.posargs or ["tests"]
    session.run(
        "python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
        # one test process per CPU, as make test (TESTJOBS)
        "-n", os.environ.get("TESTJOBS", "auto"), "--dist", "loadfile",
        "--junitxml", str(junit), *args,
        env={"HPYAPI_TEST_BUILD": str(REPO / "build" /
                                      ("tests-py" + session.python))},
        success_codes=[0, 1])  # failures are counted from the JUnit file
    t2, c2 = time.monotonic(), _cpu()
    counts = _count(junit)
    status.write_text(json.dumps({
        "stage": "done", "python": versions[0], "numpy": versions[1],
        "setuptools": versions[2], "args": args, **counts,
        "install_wall": t1 - t0, "install_cpu": c1 - c0,
        "test_wall": t2 - t1, "test_cpu": c2 - c1}))
    if counts["failed"] or counts["errors"]:
        session.error("%(failed)d failed, %(errors)d errors" % counts)


def _count(junit):
    if not junit.exists():
        raise nox.command.CommandFailed("pytest wrote no %s" % junit)
    root = ET.parse(junit).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    n = {k: sum(int(s.get(k, 0)) for s in suites)
         for k in ("tests", "failures", "errors", "skipped")}
    return {"passed": n["tests"] - n["failures"] - n["errors"] - n["skipped"],
            "failed": n["failures"], "errors": n["errors"],
            "skipped": n["skipped"]}


def _runs(exe):
    try:
        return subprocess.run([exe, "-c", ""], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0
    except OSError:
        return False


@nox.session(python=False)
def table(session):
    """version x passed/failed/skipped, from the test sessions' results."""
    rows, bad = [], []
    total = {"passed": 0, "failed": 0, "skipped": 0}
    for v in PYTHONS:
        f = RESULTS / v / "status.json"
        if not f.exists():
            rows.append("%-6s  not run: %s" % (v, "not selected" if _runs(
                "python" + v) else "python%s not found, skipped" % v))
            continue
        st = json.loads(f.read_text())
        if st["stage"] != "done":
            bad.append(v)
            rows.append("%-6s  FAILED during %s (see the log above)"
                        % (v, st["stage"]))
            continue
        failed = st["failed"] + st["errors"]
        if failed:
            bad.append(v)
        for k in ("passed", "skipped"):
            total[k] += st[k]
        total["failed"] += failed
        rows.append("%-6s  %-7s %-6s %6d %6d %7d  %5.0fs %5.0fs  %5.0fs %5.0fs"
                    % (v, st["python"], st["numpy"], st["passed"], failed,
                       st["skipped"], st["install_wall"], st["install_cpu"],
                       st["test_wall"], st["test_cpu"]))
    print("\nversion python  numpy  passed failed skipped   install "
          "(wall cpu)  tests (wall cpu)")
    print("\n".join(rows))
    # the closing line CI reads, in pytest's words
    print("pythons: %(passed)d passed, %(failed)d failed, %(skipped)d skipped"
          % total)
    if bad:
        session.error("failed on " + ", ".join(bad))
