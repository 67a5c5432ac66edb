"""`build_ext -j2` with HPy exporter and consumer extensions and a plain
C-API consumer in one setup(): every extension compiles hpyapi's (and
hpy's) runtime through its own wrapper files, so no two extensions share
an object file.  Before that, the universal build failed to link every
time (the C-API consumer linked the exporter's universal-ABI objects)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

EXAMPLES = REPO / "examples"

SETUP = """
import hpyapi
from setuptools import setup
EX = {examples!r}
setup(name="pardemo", py_modules=[], packages=[],
      hpy_ext_modules=[
          hpyapi.extension("myarray", [EX + "/myarray.c"], include_dirs=[EX]),
          hpyapi.extension("stats", [EX + "/stats.c"], include_dirs=[EX])],
      ext_modules=[
          hpyapi.capi_extension("legacy", [EX + "/legacy.c"],
                                include_dirs=[EX])])
"""

# Runs in build/lib*: the modules load through their usual import paths
# (for universal, the stubs hpy writes).
CHECK = """
import myarray, stats, legacy
a = stats.linspace(0.0, 1.0, 5)
assert type(a) is myarray.Array
assert stats.mean(a) == 0.5, stats.mean(a)
r = legacy.normalized(legacy.from_list([1.0, 3.0, 4.0]))
assert [r[i] for i in range(3)] == [0.125, 0.375, 0.5]
print(stats.mode())
"""

CTX_NAME = {"cpython": "HPy CPython ABI",
            "universal": "HPy Universal ABI (CPython backend)"}


def build(project, abi):
    # -O0: what is tested is which objects get linked, not the code
    env = dict(os.environ, CFLAGS="-O0")
    env.pop("LD_PRELOAD", None)
    # hpy's CPython-ABI context sources are 16 more files per extension;
    # the universal build covers the wrapping of hpy's sources
    static = ["--hpy-use-static-libs"] if abi == "cpython" else []
    return subprocess.run(
        [sys.executable, "setup.py", "--hpy-abi=" + abi] + static +
        ["build_ext", "-j2"],
        cwd=project, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)


@pytest.mark.parametrize("abi,runs", [("universal", 3), ("cpython", 2)])
def test_build_ext_j2_links_and_runs(abi, runs, tmp_path):
    (tmp_path / "setup.py").write_text(SETUP.format(examples=str(EXAMPLES)))
    for _ in range(runs):  # from clean each time: a race shows as a failure
        shutil.rmtree(tmp_path / "build", ignore_errors=True)
        res = build(tmp_path, abi)
        assert res.returncode == 0, res.stdout
        (lib,) = (tmp_path / "build").glob("lib*")
        run = subprocess.run([sys.executable, "-c", CHECK], cwd=lib,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == CTX_NAME[abi]
    wrappers = tmp_path / "build" / "hpyapi-runtime"
    assert sorted(p.name for p in wrappers.iterdir()) == [
        "legacy", "myarray", "stats"]
    assert (wrappers / "legacy" / "hpyapi_import.c").read_text() == (
        '#include "%s"\n' % (Path(hpyapi_runtime()) / "import.c"))
    # hpy's own runtime sources get wrapped too (they would race as well)
    assert (wrappers / "stats" / "hpy_argparse.c").exists() == (
        abi == "universal")
    # unchanged wrappers are not rewritten, so nothing is rebuilt
    res = build(tmp_path, abi)
    assert res.returncode == 0, res.stdout
    assert [ln for ln in res.stdout.splitlines() if " -c " in ln] == []
    assert res.stdout.startswith("running build_ext\n")


def hpyapi_runtime():
    import hpyapi
    return Path(hpyapi.get_sources()[0]).parent
