"""Flags and helpers for the tests that run the compiler directly
(test_build*.py, test_map.py): hpyapi's own code must build without a
warning under these.  A helper module, not a test module: test files
import from here, never from each other."""
import shutil
import sysconfig

import hpy.devel

import hpyapi
from compilecache import run_compiler

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

C_COMPILERS = ["gcc"] + (["clang"] if shutil.which("clang") else [])
CXX_COMPILERS = ["g++"] + (["clang++"] if shutil.which("clang++") else [])
COMPILERS = C_COMPILERS + CXX_COMPILERS


def build(source, compiler, tmp_path, flags):
    cxx = compiler.endswith("++")
    path = tmp_path / ("snippet.cpp" if cxx else "snippet.c")
    path.write_text(source)
    cmd = [compiler, "-c", str(path), "-o", str(tmp_path / "out.o")]
    return run_compiler(cmd + (STRICT_CXX if cxx else STRICT) + flags)


def declaration(entries, impls=""):
    return """
#include "hpy.h"
#include "hpyapi.h"
typedef struct { int a; } S;
typedef union { int a; double d; } U;
typedef HPy MyHPy;
#define BAD_API(FUNC, OBJECT, RETIRED) %s
HPyAPI_DECLARE(bad, BAD_API, 1, 0)
%s
""" % (entries, impls or DEFINING)


# A declaration's mistakes are reported where its table is defined
# (docs/reference.md, "Where mistakes are reported"): a consumer's
# HPyAPI_USE_DEFINE, or the exporter's HPyAPI_DEFINE.
DEFINING = 'HPyAPI_USE_DEFINE(bad, BAD_API, "m");'
# ...not in a file that only includes the declaration and uses the table
INCLUDING = """
const HPyAPI_Spec *spec(void);
const HPyAPI_Spec *spec(void) { return bad_API_spec(); }
size_t size(void);
size_t size(void) { return sizeof(bad_API); }
/* HPy code has the CPython-API table's name, not its members */
const bad_CAPI *ctable(const bad_CAPI *t);
const bad_CAPI *ctable(const bad_CAPI *t) { return t; }
"""


def messages(out):
    # gcc prints a static assertion's string literal with escaped quotes
    return out.replace("\\'", "'").replace("\u2018", "'").replace(
        "\u2019", "'")


def error_lines(out):
    return [i for i, line in enumerate(out.splitlines()) if " error: " in line
            or line.startswith("error: ")]


# ---- legacy declarations (test_map.py and the forms' build tests) -----------

def compile_snippet(text, compiler, abi, tmp_path):
    cxx = compiler.endswith("++")
    path = tmp_path / ("snippet.cpp" if cxx else "snippet.c")
    path.write_text(text)
    cmd = [compiler, "-c", str(path), "-o", str(tmp_path / "out.o"),
           "-std=c++17" if cxx else "-std=gnu11", "-Wall", "-Wextra",
           "-Wpedantic", "-Werror", "-O0", "-DHPY", "-DHPY_ABI_%s" % abi.upper()]
    cmd += (["-I" + FORBID_PYTHON_H] if abi == "universal"
            else ["-isystem", PY_INCLUDE])
    cmd += ["-isystem", HPY_INCLUDE, "-I" + hpyapi.get_include()]
    res = run_compiler(cmd)
    # gcc prints a static assertion's string with escaped quotes
    return res.returncode, res.stdout.replace("\\'", "'")


LEGACY = r"""
#include "hpy.h"
#include "hpyapi.h"
#define LT(FUNC, OBJECT, RETIRED)                                          \
    FUNC  (0, 0, unsigned int, V, (void))                                  \
    OBJECT(1, 0, T)                                                        \
    FUNC  (2, 1, HPyAPI_BORROWED, B, (HPy, a), (long, i))                  \
    FUNC  (3, 0, int, S, (HPy, a), (HPyAPI_STEALS, b))                     \
    FUNC  (4, 0, void, N, (HPy, a))                                        \
    FUNC  (5, 0, double, D, (double, x), (const char *, s), (void *, p))   \
    %s
HPyAPI_LEGACY_DECLARE(lt, LT);
HPyAPI_LEGACY_USE(lt, LT, "m", "a", "m.a", HPyAPI_LEGACY_VERSIONS(V, 1, V, 0));
HPy use_all(HPyContext *ctx, HPy h);
HPy use_all(HPyContext *ctx, HPy h)
{
    if (import_lt(ctx, h) < 0) /* HPy_NULL: a compound literal, not C++ */
        return HPy_Dup(ctx, h);
    lt_api->N(ctx, h);
    (void)lt_api->D(ctx, 1.0, "x", NULL);
    (void)lt_api->S(ctx, h, h);
    (void)lt_borrow(ctx, h);
    HPy t = lt_api->T(ctx);
    HPy_Close(ctx, t);
    return lt_api->B(ctx, h, 0);
}
"""
