"""A meson-python build of an exporter (examples/myarray.c), an HPy
consumer (stats.c) and a plain C-API consumer (legacy.c), with everything
hpyapi-specific from `python -m hpyapi --includes/--sources/--cflags/
--ext-suffix` (tests/meson_project/meson.build), pip-installed into a
target directory and imported from there.  The install is kept while
nothing it reads changes (install())."""
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from compilecache import _compiler_id, sync
from conftest import BUILD_DIR, REPO

PROJECT = Path(__file__).resolve().parent / "meson_project"
EXAMPLES = REPO / "examples"

CHECK = """
import myarray, stats, legacy
a = stats.linspace(0.0, 1.0, 5)
assert type(a) is myarray.Array
assert stats.mean(a) == 0.5, stats.mean(a)
assert stats.total(a, myarray.Array(3, 2.0), a) == 11.0
r = legacy.normalized(legacy.from_list([1.0, 3.0, 4.0]))
assert [r[i] for i in range(3)] == [0.125, 0.375, 0.5]
assert legacy.array_type() is myarray.Array
print(myarray.mode())
print(stats.mode())
"""

CTX_NAME = {"cpython": "HPy CPython ABI",
            "universal": "HPy Universal ABI (CPython backend)"}
# a CPython-ABI module carries the running interpreter's suffix
# (.cpython-312-x86_64-linux-gnu.so); a universal one is .hpy0.so everywhere
EXT = sysconfig.get_config_var("EXT_SUFFIX")
FILES = {"cpython": ["legacy" + EXT, "myarray" + EXT, "stats" + EXT],
         "universal": sorted(["legacy" + EXT, "myarray.hpy0.so", "myarray.py",
                              "stats.hpy0.so", "stats.py"])}


SOURCES = ("myarray.c", "stats.c", "legacy.c", "myarray_api.h")


def fingerprint(abi):
    """Everything the build reads but the compiler and the installed
    tools' own files: this directory, the examples it copies, hpyapi as
    installed (its queries, headers and runtime sources), hpy's headers."""
    import hashlib

    import hpy.devel
    import mesonbuild.coredata
    import mesonpy

    import hpyapi
    cc = os.environ.get("CC", "cc")  # "ccache gcc": gcc's banner
    h = hashlib.sha256("\0".join([
        abi, sys.version, mesonpy.__version__, mesonbuild.coredata.version,
        cc, _compiler_id(cc.split()[-1]), os.environ.get("CFLAGS", ""),
        os.environ.get("LDFLAGS", "")]).encode())
    roots = [PROJECT, Path(hpyapi.__file__).parent,
             Path(hpy.devel.__file__).parent / "include"]
    files = [f for r in roots for f in sorted(r.rglob("*"))
             if "__pycache__" not in f.parts]
    files += [EXAMPLES / n for n in SOURCES]
    for f in files:
        if f.is_file():
            h.update(str(f).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def install(abi):
    """(pip's exit status, its output, the target directory) of the
    project pip-installed for `abi`.  A successful install is kept under
    its inputs' fingerprint, and the source and meson build directories
    are fixed per ABI, as a meson user's: an unchanged tree installs
    nothing again (the two installs took 7 CPU s of every run), an edited
    one reconfigures and ninja rebuilds what changed.  A fresh clone (CI)
    configures from scratch."""
    out = BUILD_DIR / "meson" / abi
    target = out / fingerprint(abi)
    if (target / "installed").exists():
        return 0, "", target / "site"
    shutil.rmtree(target, ignore_errors=True)
    src = out / "src"
    src.mkdir(parents=True, exist_ok=True)
    for f in PROJECT.iterdir():
        sync(f, src / f.name)
    for name in SOURCES:
        sync(EXAMPLES / name, src / name)
    # meson and ninja come from the same environment as this Python
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep
               + os.environ.get("PATH", ""))
    env.pop("LD_PRELOAD", None)
    res = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation",
         "--no-deps", "--disable-pip-version-check", "--target",
         str(target / "site"), "-Csetup-args=-Dhpy_abi=" + abi,
         "-Csetup-args=-Dbuildtype=debug",  # -O0: quicker; what links matters
         "-Cbuild-dir=" + str(out / "build"), str(src)], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if res.returncode == 0:
        (target / "installed").write_text(res.stdout)
    return res.returncode, res.stdout, target / "site"


@pytest.mark.parametrize("abi", ["cpython", "universal"])
def test_meson_python_build(abi):
    returncode, output, target = install(abi)
    assert returncode == 0, output
    assert sorted(p.name for p in target.iterdir()
                  if not p.name.endswith((".dist-info", "__pycache__"))) == \
        FILES[abi]
    run = subprocess.run([sys.executable, "-c", CHECK], cwd=target,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [CTX_NAME[abi]] * 2
    if abi == "universal":
        # no hard dependency on the CPython C-API (hpyapi's runtime does
        # reach a few Py* functions, as weak symbols, on purpose)
        nm = subprocess.run(["nm", "-D", "--undefined-only",
                             str(target / "myarray.hpy0.so")],
                            stdout=subprocess.PIPE, text=True, check=True)
        strong = [ln.split()[1].split("@")[0] for ln in nm.stdout.splitlines()
                  if ln.split()[0] == "U"]
        assert "abort" in strong  # nm did list the symbols
        assert [s for s in strong if s.startswith(("Py", "_Py"))] == []
