"""`build_ext -j2` with HPy exporter and consumer extensions and a plain
C-API consumer in one setup(): each extension links hpyapi's runtime
archive of its own ABI (built once per ABI, by whichever extension gets
there first) and hpy's static helpers, and compiles nothing of either.
Once every extension compiled the runtime itself, and setuptools put the
objects of one source path in one place: the universal build failed to
link every time (the C-API consumer linked the exporter's universal-ABI
objects)."""
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
    env.pop("HPYAPI_CACHE_DIR", None)  # the default place is tested
    # hpy's CPython-ABI context sources are 16 more files per extension;
    # the universal build covers the wrapping of hpy's sources
    static = ["--hpy-use-static-libs"] if abi == "cpython" else []
    return subprocess.run(
        [sys.executable, "setup.py", "--hpy-abi=" + abi] + static +
        ["build_ext", "-j2"],
        cwd=project, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)


@pytest.mark.parametrize("abi,runs", [("universal", 2), ("cpython", 1)])
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
    # one archive per ABI: the C-API consumer links the CPython-ABI one
    archives = sorted(p.name.split("-")[1] for p in
                      (tmp_path / "build" / "hpyapi-runtime").glob("*.a"))
    assert archives == sorted({abi, "cpython"})
    compiled = [ln for ln in res.stdout.splitlines() if " -c " in ln]
    assert len(compiled) == 3, compiled  # myarray.c, stats.c, legacy.c
    # each module has its own copy of the runtime, none of it exported
    runtime = set()
    for a in (tmp_path / "build" / "hpyapi-runtime").glob("*.a"):
        runtime.update(symbols(a, "--defined-only", "--extern-only"))
    for so in lib.glob("*.so"):
        assert runtime & set(symbols(so, "--defined-only")), so
        assert runtime.isdisjoint(symbols(so, "-D", "--defined-only")), so
    # nothing is rebuilt or relinked the second time
    res = build(tmp_path, abi)
    assert res.returncode == 0, res.stdout
    assert [ln for ln in res.stdout.splitlines()
            if " -c " in ln or " -shared " in ln] == []
    assert res.stdout.startswith("running build_ext\n")


def symbols(so, *flags):
    out = subprocess.run(["nm", *flags, str(so)], stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    return [ln.split()[-1] for ln in out.splitlines()
            if len(ln.split()) >= 2]  # not "file.o:" headers of an archive
