"""Flags and helpers for the tests that run the compiler directly
(test_build*.py, test_map.py): hpyapi's own code must build without a
warning under these.  A helper module, not a test module: test files
import from here, never from each other."""
import hashlib
import json
import os
import shutil
import subprocess
import sysconfig
from pathlib import Path
from types import SimpleNamespace

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

C_COMPILERS = ["gcc"] + (["clang"] if shutil.which("clang") else [])
CXX_COMPILERS = ["g++"] + (["clang++"] if shutil.which("clang++") else [])
COMPILERS = C_COMPILERS + CXX_COMPILERS


# ---- the compiler, run once per input -------------------------------------
#
# A compile test's verdict is a function of its command and of the files
# the compiler read.  Like ccache's direct mode, a compile is kept in
# build/tests/compiles under a key of the command and its file arguments'
# texts, with the list of every file the compiler read (its -MD output)
# and their hashes; a later identical compile whose files all still hash
# the same replays the exit status, output and object.  An edit of a
# runtime .c file, which no snippet includes, so recompiles nothing here;
# an edit of any header a snippet read recompiles that snippet.
CACHE = Path(os.environ.get("HPYAPI_TEST_BUILD", Path(__file__).resolve()
                            .parent.parent / "build" / "tests")) / "compiles"
_file_hashes = {}


def _file_hash(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    memo = (path, st.st_mtime_ns, st.st_size)
    if memo not in _file_hashes:
        _file_hashes[memo] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return _file_hashes[memo]


def _depfile_paths(text):
    words = text.replace("\\\n", " ").split()
    return [w for w in words[1:] if not w.endswith(":")]


def run_compiler(cmd):
    """subprocess.run(cmd) of one compile (`-c` or `-E`, no link), stdout
    and stderr together, LC_ALL=C (plain quotes in messages), kept and
    replayed as the comment above says.  The source's and the object's
    paths are placeholders in the key and the kept output, so a test's
    tmp_path does not defeat the cache."""
    cmd = [str(c) for c in cmd]
    out = cmd[cmd.index("-o") + 1] if "-o" in cmd else None
    files = [c for c in cmd[1:] if c != out and os.path.isfile(c)]
    subst = [(out, "@OUT@")] if out else []
    subst += [(f, "@FILE%d@" % i) for i, f in enumerate(files)]

    def hide(text):
        for real, mark in subst:
            text = text.replace(real, mark)
        return text

    h = hashlib.sha256(_compiler_id(cmd[0]).encode())
    h.update(json.dumps([hide(c) for c in cmd]).encode())
    for f in files:
        h.update(b"\0" + _file_hash(f).encode())
    key = CACHE / h.hexdigest()[:24]
    try:
        kept = json.loads(key.with_suffix(".json").read_text())
    except (OSError, ValueError):
        kept = None
    if kept is not None and all(_file_hash(d) == hd
                                for d, hd in kept["deps"].items()):
        if kept["returncode"] == 0 and out:
            shutil.copyfile(key.with_suffix(".o"), out)
        text = kept["stdout"]
        for real, mark in subst:
            text = text.replace(mark, real)
        return SimpleNamespace(returncode=kept["returncode"], stdout=text,
                               args=cmd)
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = "%s.%d" % (key, os.getpid())
    res = subprocess.run(cmd + ["-MD", "-MF", tmp + ".d"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, env=dict(os.environ, LC_ALL="C"))
    res.args = cmd
    try:
        deps = _depfile_paths(Path(tmp + ".d").read_text())
        os.remove(tmp + ".d")
    except OSError:  # a missing #include stops before writing it
        return res
    args = set(map(os.path.abspath, files))
    deps = {d: _file_hash(d) for d in map(os.path.abspath, deps)
            if d not in args}
    if res.returncode == 0 and out:
        shutil.copyfile(out, tmp + ".o")
        os.replace(tmp + ".o", key.with_suffix(".o"))
    Path(tmp + ".json").write_text(json.dumps(
        {"returncode": res.returncode, "stdout": hide(res.stdout),
         "deps": deps}))
    os.replace(tmp + ".json", key.with_suffix(".json"))
    return res


def _compiler_id(cc):
    from hpyapi import archive
    return archive._compiler_id([cc])


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
size_t size(void) { return sizeof(bad_API) + sizeof(bad_CAPI); }
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
