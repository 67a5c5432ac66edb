"""Build an HPy extension once per ABI and load it in any mode.

For testing an exporter and its consumers across the mode matrix, the way
hpyapi's own tests, demo and benchmarks do::

    from hpyapi import testing
    so = testing.build_extension("mymod", ["mymod.c"], abi="universal",
                                 build_dir="build/ext")
    mod = testing.load_extension("pkg_debug.mymod", so, mode="debug",
                                 load_dir="build/loaded")

Modes: ``cpython`` (a CPython-ABI build), ``universal`` and ``hybrid``
(universal/hybrid builds in universal mode), ``debug`` and ``trace`` (the
universal build loaded in those modes).  HPy binds a mode to a loaded file,
so each (mode, name) gets its own copy of the .so.

Private contexts (``HPYAPI_TEST_PRIVATE_CONTEXTS=1`` in the environment,
:data:`PRIVATE_CONTEXTS_ENV`): hpy 0.9.0 has one universal context per
process, while a VM may give each extension its own instance.  With the
switch on, hpyapi's runtime gives every universal, hybrid and trace module
that exports or imports an API a private instance: a copy of its context,
installed as HPy's own ``HPyInitGlobalContext_<name>`` would, the first time
the module calls ``HPyAPI_Export``/``HPyAPI_Import``/``import_<api>`` (inside
its ``HPy_mod_exec``), so every later call into the module receives the
copy.  Exporters must then still run on their own instance and consumers'
callbacks on theirs; run any test suite with the switch on to check that.
Debug modules keep HPy's debug contexts (they are per call, not per
module), CPython-ABI ones their static context.  The switch is read when a
module exports or imports, so set it before loading modules, e.g. with
:func:`private_contexts`.
"""
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import hpyapi

MODES = ("cpython", "universal", "hybrid", "debug", "trace")

PRIVATE_CONTEXTS_ENV = "HPYAPI_TEST_PRIVATE_CONTEXTS"


def private_contexts(on=True):
    """Turns the private-contexts switch (see the module docstring) on or
    off for the modules loaded from now on in this process, and in child
    processes; returns whether it was on before."""
    was = os.environ.get(PRIVATE_CONTEXTS_ENV) == "1"
    if on:
        os.environ[PRIVATE_CONTEXTS_ENV] = "1"
    else:
        os.environ.pop(PRIVATE_CONTEXTS_ENV, None)
    return was

_ABI_OF_MODE = {
    "cpython": "cpython",
    "universal": "universal",
    "hybrid": "hybrid",
    "debug": "universal",
    "trace": "universal",
}

# Built and run by build_extension in a subprocess: setuptools commands
# are not meant to run twice in one process.
_SETUP_SCRIPT = r"""
import json, os, sys
import hpyapi
from setuptools import setup
cfg = json.loads(os.environ["HPYAPI_BUILD_CONFIG"])
make = hpyapi.capi_extension if cfg["abi"] == "capi" else hpyapi.extension
ext = make(
    cfg["name"], cfg["sources"], include_dirs=cfg["include_dirs"],
    define_macros=[tuple(m) for m in cfg["define_macros"]],
    extra_compile_args=cfg["extra_compile_args"],
    extra_link_args=cfg["extra_link_args"])
if cfg["abi"] == "capi":  # a plain C-API extension: no HPy build at all
    setup(name=cfg["name"], py_modules=[], packages=[], ext_modules=[ext])
else:
    setup(name=cfg["name"], py_modules=[], packages=[], hpy_ext_modules=[ext])
"""


def abi_for_mode(mode):
    """The HPy ABI a module must be built with to be loaded in `mode`."""
    try:
        return _ABI_OF_MODE[mode]
    except KeyError:
        raise ValueError("unknown mode %r; expected one of %s"
                         % (mode, ", ".join(MODES))) from None


def default_compile_args():
    """Warnings on, C11 with GNU extensions (hpy's headers need alloca).
    hpy's own headers are treated as system headers, and
    missing-field-initializers is off because hpy's HPyDef_* macros expand
    to code that trips it in every module (hpyapi's generated code uses
    designated initialisers and is checked without this exception by
    tests/test_build.py)."""
    import hpy.devel
    hpy_include = hpy.devel.HPyDevel().get_extra_include_dirs()[0]
    return ["-std=gnu11", "-O2", "-g", "-Wall", "-Wextra",
            "-Wno-missing-field-initializers", "-isystem", hpy_include]


def _fingerprint(cfg):
    h = hashlib.sha256(json.dumps(cfg, sort_keys=True).encode())
    h.update(sys.version.encode())
    files = list(cfg["sources"]) + hpyapi.get_sources()
    for d in list(cfg["include_dirs"]) + [hpyapi.get_include()]:
        for root, _, names in os.walk(d):
            files += [os.path.join(root, n) for n in names if n.endswith(".h")]
    for f in sorted(set(files)):
        h.update(f.encode())
        h.update(Path(f).read_bytes())
    return h.hexdigest()[:16]


def build_extension(name, sources, abi, build_dir, include_dirs=(),
                    define_macros=(), extra_compile_args=None,
                    extra_link_args=(), verbose=False):
    """Compile extension `name` for `abi` (cpython, universal or hybrid; or
    capi for a plain C-API extension built with hpyapi.capi_extension) and
    return the path of the .so.  Results are cached in `build_dir` by the
    content of every source and header involved.  A capi extension loads
    like a CPython-ABI one (mode "cpython")."""
    if abi not in ("cpython", "universal", "hybrid", "capi"):
        raise ValueError("unknown HPy ABI %r" % (abi,))
    if extra_compile_args is None:
        extra_compile_args = default_compile_args()
    cfg = {
        "name": name,
        "sources": [str(Path(s).resolve()) for s in sources],
        "include_dirs": [str(Path(d).resolve()) for d in include_dirs],
        "define_macros": [list(m) for m in define_macros],
        "extra_compile_args": list(extra_compile_args),
        "extra_link_args": list(extra_link_args),
        "abi": abi,
    }
    out = Path(build_dir) / abi / ("%s-%s" % (name, _fingerprint(cfg)))
    done = out / "built.json"
    if done.exists():
        return json.loads(done.read_text())["so"]
    work = out / "work"
    shutil.rmtree(out, ignore_errors=True)
    work.mkdir(parents=True)
    (work / "setup.py").write_text(_SETUP_SCRIPT)
    cmd = [sys.executable, "setup.py", "build_ext", "-j", str(os.cpu_count() or 2)]
    if abi != "capi":
        cmd[2:2] = ["--hpy-abi=" + abi, "--hpy-use-static-libs"]
    env = dict(os.environ, HPYAPI_BUILD_CONFIG=json.dumps(cfg))
    env.pop("LD_PRELOAD", None)  # a sanitizer runtime is for the tests only
    proc = subprocess.run(cmd, cwd=work, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    sos = [p for p in (work / "build").glob("lib*/**/*.so")]
    # hpy 0.9.0's stub writer fails under recent setuptools after the .so is
    # built; the stub is not needed here, so judge by the .so alone.
    if len(sos) != 1:
        raise RuntimeError("building %s (%s) failed:\n%s"
                           % (name, abi, proc.stdout))
    if verbose:
        sys.stderr.write(proc.stdout)
    so = out / sos[0].name
    shutil.copy(sos[0], so)
    shutil.rmtree(work)
    done.write_text(json.dumps({"so": str(so), "log": proc.stdout}))
    return str(so)


def _ensure_parents(fullname):
    parts = fullname.split(".")[:-1]
    for i in range(1, len(parts) + 1):
        pkg = ".".join(parts[:i])
        if pkg not in sys.modules:
            mod = types.ModuleType(pkg)
            mod.__path__ = []
            sys.modules[pkg] = mod


def load_extension(fullname, so_path, mode, load_dir):
    """Load the extension at `so_path` as module `fullname` in `mode` and
    register it in sys.modules (with empty parent packages as needed), so
    that HPyAPI_Import(ctx, ..., fullname) finds it.  The last component of
    `fullname` must be the extension's name."""
    abi = abi_for_mode(mode)
    so_path = Path(so_path)
    copy_dir = Path(load_dir) / fullname / mode
    copy_dir.mkdir(parents=True, exist_ok=True)
    copy = copy_dir / so_path.name
    # Never write into a file that may be mapped: copy, then rename.  The
    # dynamic loader reuses an already loaded path, so a (fullname, mode)
    # pair is loaded at most once per process.
    tmp = copy_dir / (so_path.name + ".tmp")
    shutil.copy(so_path, tmp)
    os.replace(tmp, copy)
    spec = importlib.util.spec_from_file_location(fullname, str(copy))
    if abi == "cpython":
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    else:
        import hpy.universal as U
        hpy_mode = {"debug": U.MODE_DEBUG, "trace": U.MODE_TRACE}.get(
            mode, U.MODE_UNIVERSAL)
        mod = U.load(fullname, str(copy), spec, mode=hpy_mode)
        mod.__file__ = str(copy)
    _ensure_parents(fullname)
    sys.modules[fullname] = mod
    return mod
