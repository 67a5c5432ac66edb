"""The C examples of docs/reference.md ("In-out handles", "Fixed and
implied lengths", "Returned arrays of handles", "Structs that carry
handles and callbacks", "Slot functions passed by themselves", "Tables of functions returned to
the caller", "Questions the rest leaves open") compile as written: blocks marked `<!-- compile: FILE... -->` are
joined per FILE, after the includes FILE needs, and compiled with gcc and
clang (-Wall -Wextra -Werror) for the ABIs FILE is for."""
import re
import shutil
import sysconfig

import hpy.devel
import pytest

import hpyapi
from conftest import REPO
from strict import run_compiler

DEV = hpy.devel.HPyDevel()
HPY_INCLUDE = DEV.get_extra_include_dirs()[0]
PY_INCLUDE = sysconfig.get_paths()["include"]
PRELUDE = {"silent.c": '#include "hpy.h"\n#include "hpyapi.h"\n',
           "silent_capi.c": "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n"
                            '#include "hpyapi.h"\n'}
# file -> ABIs (None: a plain C-API file)
ABIS = {"silent.c": ("universal", "cpython", "hybrid"),
        "silent_capi.c": (None,)}
COMPILERS = [cc for cc in ("gcc", "clang") if shutil.which(cc)]


def blocks():
    text = (REPO / "docs" / "reference.md").read_text()
    out = {}
    for files, code in re.findall(
            r"<!-- compile: ([^>]*?) -->\n```c\n(.*?)```", text, re.S):
        for f in files.split():
            out.setdefault(f, []).append(code)
    return out


def test_the_reference_has_the_examples():
    assert sorted(blocks()) == sorted(PRELUDE)
    assert len(blocks()["silent.c"]) == 18


@pytest.mark.parametrize("cc", COMPILERS)
@pytest.mark.parametrize("name,abi", [(n, a) for n in ABIS for a in ABIS[n]])
def test_reference_example_compiles(name, abi, cc, tmp_path):
    src = tmp_path / name
    src.write_text(PRELUDE[name] + "\n".join(blocks()[name]))
    flags = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O2",
             # hpy's HPyDef_* macros trip this one, not hpyapi's code
             "-Wno-missing-field-initializers",
             # the examples are fragments: their helpers have no callers
             "-Wno-unused-function",
             "-I" + hpyapi.get_include(), "-isystem", HPY_INCLUDE]
    if abi is not None:
        flags += ["-DHPY", "-DHPY_ABI_%s" % abi.upper()]
    flags += (["-I" + str(DEV.get_include_dir_forbid_python_h())]
              if abi == "universal" else ["-isystem", PY_INCLUDE])
    res = run_compiler([cc] + flags + ["-c", str(src), "-o",
                                       str(tmp_path / "out.o")])
    assert res.returncode == 0 and res.stdout == "", res.stdout[:3000]
