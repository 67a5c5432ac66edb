"""Flags for the tests that run the compiler directly (test_build*.py):
hpyapi's own code must build without a warning under these."""
import sysconfig

import hpy.devel

import hpyapi

ABIS = ("cpython", "universal", "hybrid")
HPY_INCLUDE = hpy.devel.HPyDevel().get_extra_include_dirs()[0]
FORBID_PYTHON_H = str(hpy.devel.HPyDevel().get_include_dir_forbid_python_h())
PY_INCLUDE = sysconfig.get_paths()["include"]
STRICT = ["-std=gnu11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-O2"]


def abi_flags(abi):
    flags = ["-DHPY", "-DHPY_ABI_%s" % abi.upper()]
    if abi == "universal":
        flags += ["-I" + FORBID_PYTHON_H]
    else:
        flags += ["-isystem", PY_INCLUDE]
    # hpy's headers are system headers: their warnings are not ours
    return flags + ["-isystem", HPY_INCLUDE, "-I" + hpyapi.get_include()]


STRICT_CXX = ["-std=c++17", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
              "-O2"]
