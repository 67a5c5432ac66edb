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
import sys
import sysconfig
import tempfile
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import hpyapi
from hpyapi import archive

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


def _fingerprint(cfg, cc):
    """What a module's objects depend on: its sources, the headers in its
    include directories and hpyapi's (not the runtime's .c files: those
    are in the archive, which only changes what is linked), the flags and
    the compiler."""
    h = hashlib.sha256(json.dumps(cfg, sort_keys=True).encode())
    h.update(sys.version.encode())
    h.update(" ".join(cc.compiler_so).encode())
    h.update(archive._compiler_id(cc.compiler_so).encode())
    files = list(cfg["sources"])
    for d in list(cfg["include_dirs"]) + [hpyapi.get_include()]:
        for root, _, names in os.walk(d):
            files += [os.path.join(root, n) for n in names
                      if n.endswith((".h", ".hpp"))]
    for f in sorted(set(files)):
        h.update(f.encode())
        h.update(Path(f).read_bytes())
    return h.hexdigest()[:16]


def _ext_filename(name, abi):
    if abi in ("universal", "hybrid"):
        from hpy.devel.abitag import get_hpy_ext_suffix
        return name + get_hpy_ext_suffix(abi)
    return name + sysconfig.get_config_var("EXT_SUFFIX")


def build_extension(name, sources, abi, build_dir, include_dirs=(),
                    define_macros=(), extra_compile_args=None,
                    extra_link_args=(), verbose=False,
                    runtime_compile_args=None, jobs=None):
    """Compile extension `name` for `abi` (cpython, universal or hybrid; or
    capi for a plain C-API extension, as hpyapi.capi_extension builds it)
    and return the path of the .so.  A capi extension loads like a
    CPython-ABI one (mode "cpython").

    It compiles and links the way setuptools and hpy.devel do
    (hpyapi.extension with ``--hpy-use-static-libs``), with the same
    compiler, include order and macros, but in this process and cached in
    two steps under `build_dir`: the module's objects, by the content of
    its sources and every header it can include; the link, by those and
    hpyapi's runtime archive (built with `runtime_compile_args`, default
    `extra_compile_args`, into $HPYAPI_CACHE_DIR, else `build_dir`/runtime).
    Editing a runtime .c
    file thus rebuilds one archive per ABI and relinks modules, nothing
    more."""
    if abi not in ("cpython", "universal", "hybrid", "capi"):
        raise ValueError("unknown HPy ABI %r" % (abi,))
    if extra_compile_args is None:
        extra_compile_args = default_compile_args()
    if runtime_compile_args is None:
        runtime_compile_args = extra_compile_args
    cc = archive.new_compiler()
    cfg = {
        "name": name,
        "sources": [str(Path(s).resolve()) for s in sources],
        "include_dirs": [str(Path(d).resolve()) for d in include_dirs],
        "define_macros": [list(m) for m in define_macros],
        "extra_compile_args": list(extra_compile_args),
        "abi": abi,
    }
    out = Path(build_dir) / abi / ("%s-%s" % (name, _fingerprint(cfg, cc)))
    # another process (a pytest-xdist worker, a parallel build) may be
    # building the same module: wait for it instead of building it again
    out.parent.mkdir(parents=True, exist_ok=True)
    with archive._FileLock(str(out) + ".lock"):
        return _build(name, abi, cc, cfg, out, jobs, verbose,
                      runtime_compile_args, build_dir, extra_link_args)


def _build(name, abi, cc, cfg, out, jobs, verbose, runtime_compile_args,
           build_dir, extra_link_args):
    objects = _compile(cc, cfg, out, jobs, verbose)
    link_abi = "cpython" if abi == "capi" else abi
    libs = [archive.runtime_archive(link_abi, runtime_compile_args,
                                    _runtime_dir(build_dir), jobs)]
    libs.append(archive.hpy_static_lib(link_abi))
    if libs[-1] is None:
        raise RuntimeError("hpy ships no static library for the %s ABI; "
                           "hpyapi.testing needs one" % link_abi)
    link = hashlib.sha256(json.dumps([libs, list(extra_link_args)]).encode())
    so = out / ("link-" + link.hexdigest()[:16]) / _ext_filename(name, abi)
    if not so.exists():
        for old in out.glob("link-*"):  # an older runtime archive's links
            if old != so.parent:
                shutil.rmtree(old, ignore_errors=True)
        so.parent.mkdir(parents=True, exist_ok=True)
        tmp = so.parent / ("tmp%d-%s" % (os.getpid(), so.name))
        lang = "c++" if any(s.endswith((".cpp", ".cc", ".cxx"))
                            for s in cfg["sources"]) else "c"
        _run(name, abi, lambda: cc.link_shared_object(
            objects + libs, str(tmp), extra_postargs=list(extra_link_args),
            target_lang=lang))
        os.replace(tmp, so)
    return str(so)


def _runtime_dir(build_dir):
    """HPYAPI_CACHE_DIR if set (one cache shared with every other build
    that sets it), else `build_dir`/runtime."""
    return os.environ.get("HPYAPI_CACHE_DIR") or Path(build_dir) / "runtime"


def _run(name, abi, step):
    """Runs a compile or link step, turning a compiler failure into an
    error that carries the compiler's output."""
    try:
        step()
    except archive.CompileError as e:
        raise RuntimeError("building %s (%s) failed:\n%s"
                           % (name, abi, e)) from None


def _compile(cc, cfg, out, jobs, verbose):
    done = out / "objects.json"
    if done.exists():
        return json.loads(done.read_text())
    abi = "cpython" if cfg["abi"] == "capi" else cfg["abi"]
    incs = cfg["include_dirs"] + archive.include_dirs(abi)
    macros = [tuple(m) for m in cfg["define_macros"]] + archive.abi_macros(
        abi)
    tmp = Path(tempfile.mkdtemp(prefix="objects.", dir=_mkdir(out)))

    def one(i_src):
        i, src = i_src
        # a directory per source: objects are named after their source
        return cc.compile([src], output_dir=str(tmp / str(i)), macros=macros,
                          include_dirs=incs,
                          extra_postargs=cfg["extra_compile_args"])

    srcs = list(enumerate(cfg["sources"]))
    if len(srcs) == 1 or jobs == 1:  # no worker threads when they buy nothing
        objs = [o for os_ in _run_all(cfg, map(one, srcs)) for o in os_]
    else:
        with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as p:
            objs = [o for os_ in _run_all(cfg, p.map(one, srcs)) for o in os_]
    # the objects stay in their fresh directory; a concurrent build of the
    # same module writes another and the list that wins is whole either way
    part = done.with_name("objects.json.%d" % os.getpid())
    part.write_text(json.dumps(objs))
    os.replace(part, done)
    if verbose:
        sys.stderr.write("hpyapi: compiled %s\n" % " ".join(objs))
    return objs


def _run_all(cfg, results):
    out = []
    _run(cfg["name"], cfg["abi"], lambda: out.extend(results))
    return out


def _mkdir(path):
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


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
