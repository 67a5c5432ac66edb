"""hpyapi's runtime compiled once per HPy ABI into a static archive.

Every extension that exports or imports an API links the runtime.  Compiling
its sources into each extension cost about 1.4 s of CPU per module; here
they are compiled once per (ABI, flags, compiler, Python) into
``libhpyapi-<abi>-<key>.a`` and each extension links that archive.  Linking
a static archive still gives every ``.so`` its own copy of the runtime's
statics (the per-module state stays per module) and the runtime's symbols
are hidden (``HPYAPI_INTERNAL`` plus ``-fvisibility=hidden``), so two
modules never bind to each other's copy.

The key is a hash of everything the objects depend on: the runtime's
sources and every hpyapi header, hpy's headers, the ABI, the flags, the
compiler's command and ``--version``, and the Python version and include
directory.  An extension's own ``define_macros`` and ``include_dirs`` are
not part of it: the runtime reads no macro but the HPy ABI's.  Sanitizer or
debug builds pass their flags and so get archives of their own.

An archive is made of cached objects, one per runtime source, each keyed
by its source and everything else above, so editing one runtime file
recompiles that one file per archive (``object_cache_dir()``).

Concurrent builds (``build_ext -j``, meson, several test processes) wait
on a lock file per key and the archive appears by an atomic rename, so no
one ever links a half-written archive.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ABIS = ("cpython", "universal", "hybrid")

# Where archives go unless a caller says otherwise: next to the build, like
# setuptools' own build/ directory (relative to the current directory).
DEFAULT_CACHE_DIR = os.path.join("build", "hpyapi-runtime")
_HERE = Path(__file__).resolve().parent

_lock = threading.Lock()
_building = {}          # key -> threading.Lock, for threads of one process
_memo = {}              # (compiler words, abi, flags) -> archive path
_compiler_ids = {}


def cache_dir():
    """HPYAPI_CACHE_DIR if set, else build/hpyapi-runtime in the current
    directory."""
    return os.environ.get("HPYAPI_CACHE_DIR") or DEFAULT_CACHE_DIR


def _distutils():
    import setuptools  # noqa: F401  (makes `distutils` setuptools' copy)
    import distutils.ccompiler
    import distutils.errors
    import distutils.sysconfig
    return distutils


def __getattr__(name):
    if name == "CompileError":  # compile, link or archive step failed
        return _distutils().errors.CCompilerError
    raise AttributeError(name)


def _environ():
    """A copy of os.environ that is safe in a worker thread: copying
    iterates the keys, then reads each, and another thread may remove one
    in between (pytest sets and removes PYTEST_CURRENT_TEST around every
    test while the registry builds in the background)."""
    while True:
        try:
            return dict(os.environ)
        except (KeyError, RuntimeError):
            continue


def new_compiler():
    """The C compiler setuptools' build_ext would use, set up from
    sysconfig and CC/CFLAGS/... as setuptools does.  Its commands run with
    their output captured (it is in the error if one fails) and without
    LD_PRELOAD: a sanitizer runtime preloaded for tests is not the
    compiler's."""
    du = _distutils()
    cc = du.ccompiler.new_compiler()
    du.sysconfig.customize_compiler(cc)

    def spawn(cmd, **kwargs):
        env = _environ()
        env.pop("LD_PRELOAD", None)
        res = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        if res.returncode != 0:
            raise du.errors.DistutilsExecError(
                "%s\n%s" % (" ".join(cmd), res.stdout))
    cc.spawn = spawn
    return cc


def _devel():
    import hpy.devel
    return hpy.devel.HPyDevel()


def python_include_dirs():
    paths = sysconfig.get_paths()
    return list(dict.fromkeys([paths["include"], paths["platinclude"]]))


def include_dirs(abi):
    """Header directories for code built for `abi`, in hpy.devel's order:
    hpy's forbid_python_h first for universal, then hpyapi's and hpy's
    headers, then Python's (build_ext adds those to every extension)."""
    dirs = [str(_HERE / "include")] + _devel().get_extra_include_dirs()
    if abi == "universal":
        dirs.insert(0, str(_devel().get_include_dir_forbid_python_h()))
    return dirs + python_include_dirs()


def abi_macros(abi):
    return [("HPY", None), ("HPY_ABI_" + abi.upper(), None)]


def _check_abi(abi):
    if abi not in ABIS:
        raise ValueError("unknown HPy ABI %r; expected one of %s"
                         % (abi, ", ".join(ABIS)))


def runtime_sources():
    return sorted(str(p) for p in (_HERE / "runtime").glob("*.c"))


def _header_files():
    """Every header the runtime may include: hpyapi's and hpy's."""
    roots = [_HERE / "include", _HERE / "runtime"] + [
        Path(d) for d in _devel().get_extra_include_dirs()]
    out = []
    for root in roots:
        for dirpath, _, names in os.walk(root):
            out += [os.path.join(dirpath, n) for n in names
                    if n.endswith(".h")]
    return sorted(out)


def _compiler_id(words):
    """The compiler's --version banner, so that an upgraded compiler does
    not reuse objects of the old one."""
    key = tuple(words)
    if key not in _compiler_ids:
        try:
            out = subprocess.run([words[0], "--version"], stdout=subprocess.
                                 PIPE, stderr=subprocess.STDOUT, text=True,
                                 timeout=60).stdout
        except OSError as e:
            out = "unavailable: %s" % e
        _compiler_ids[key] = out
    return _compiler_ids[key]


def _common_key(abi, cflags, compiler_words):
    """What every object of an archive depends on besides its own source:
    the ABI, flags, compiler, Python and every header."""
    h = hashlib.sha256()
    for part in (abi, " ".join(cflags), " ".join(compiler_words),
                 _compiler_id(compiler_words), sys.version,
                 " ".join(python_include_dirs())):
        h.update(part.encode() + b"\0")
    for f in _header_files():
        h.update(f.encode() + b"\0")
        h.update(Path(f).read_bytes())
    return h


def _object_keys(abi, cflags, compiler_words):
    """{source: key of its object}: the common key and the source."""
    common = _common_key(abi, cflags, compiler_words)
    keys = {}
    for src in runtime_sources():
        h = common.copy()
        h.update(src.encode() + b"\0")
        h.update(Path(src).read_bytes())
        keys[src] = h.hexdigest()[:16]
    return keys


def archive_key(abi, cflags, compiler_words):
    h = hashlib.sha256()
    for src, key in _object_keys(abi, cflags, compiler_words).items():
        h.update(key.encode() + b"\0")
    return h.hexdigest()[:16]


def object_cache_dir(archive_dir):
    """Where the runtime's objects are kept between archive builds:
    $HPYAPI_OBJECT_CACHE if set (one place shared by every build dir, as
    ccache's), else objects/ next to the archives."""
    return Path(os.environ.get("HPYAPI_OBJECT_CACHE")
                or Path(archive_dir) / "objects")


def runtime_archive(abi, cflags=(), directory=None, jobs=None, verbose=False):
    """The path of hpyapi's runtime compiled for `abi` with `cflags` (the
    extension's extra_compile_args: optimisation, sanitizers, warnings),
    building it if no archive with the same key exists in `directory`
    (default: cache_dir()).  `jobs` compiles in parallel (default: the
    number of CPUs)."""
    _check_abi(abi)
    cc = new_compiler()
    cflags = list(cflags) + ["-fvisibility=hidden"]
    memo = (tuple(cc.compiler_so), abi, tuple(cflags),
            os.path.abspath(directory or cache_dir()))
    with _lock:
        if memo in _memo and os.path.exists(_memo[memo]):
            return _memo[memo]
    key = archive_key(abi, cflags, cc.compiler_so)
    out_dir = Path(memo[3])
    path = out_dir / ("libhpyapi-%s-%s.a" % (abi, key))
    with _lock:
        thread_lock = _building.setdefault(str(path), threading.Lock())
    with thread_lock:
        if not path.exists():
            out_dir.mkdir(parents=True, exist_ok=True)
            with _FileLock(str(path) + ".lock"):
                if not path.exists():  # another process may have built it
                    _build(cc, abi, cflags, path, jobs, verbose)
    with _lock:
        _memo[memo] = str(path)
    return str(path)


def _build(cc, abi, cflags, path, jobs, verbose):
    """Archives the runtime's objects, compiling only those not already in
    the object cache: editing one runtime file recompiles that file, once
    per (ABI, flags), and every archive is rebuilt from cached objects."""
    objdir = object_cache_dir(path.parent)
    objdir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=path.stem + ".", dir=path.parent))
    try:
        incs, macros = include_dirs(abi), abi_macros(abi)
        keys = _object_keys(abi, cflags, cc.compiler_so)

        def object_for(src):
            stem = Path(src).stem
            cached = objdir / ("%s-%s-%s.o" % (stem, abi, keys[src]))
            if not cached.exists():
                # one object directory per source: objects are named after
                # their source's path, and all runtime files share one
                out, = cc.compile([src], output_dir=str(tmp / stem),
                                  macros=macros, include_dirs=incs,
                                  extra_postargs=cflags)
                # a rename is atomic: a concurrent build that compiled the
                # same object replaces it with the same bytes
                part = objdir / ("%s.%d.%d.tmp" % (
                    cached.name, os.getpid(), threading.get_ident()))
                shutil.copyfile(out, part)
                os.replace(part, cached)
            # the archive's members keep their sources' names (call.o)
            member = tmp / (stem + ".o")
            shutil.copyfile(cached, member)
            return str(member)

        with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as p:
            objects = list(p.map(object_for, runtime_sources()))
        cc.create_static_lib(objects, "hpyapi", output_dir=str(tmp))
        built = tmp / cc.library_filename("hpyapi")
        os.replace(built, path)
        if verbose:
            sys.stderr.write("hpyapi: built %s\n" % path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class _FileLock:
    """An exclusive lock between processes (flock), a no-op where flock
    does not exist: the atomic rename alone keeps the archive whole."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        try:
            import fcntl
        except ImportError:
            self.fd = None
            return self
        self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock


def hpy_static_lib(abi):
    """hpy's own per-extension helpers (and for the CPython ABI its context)
    as the static library hpy ships, or None if this hpy ships none."""
    libs = _devel().get_static_libs(abi)
    return libs[0] if libs and len(libs) == 1 else None


def link_objects(abi, cflags=(), directory=None, jobs=None):
    """What an extension built for `abi` links besides its own objects:
    hpyapi's runtime archive and hpy's static helpers.  Raises if this hpy
    ships no static library for `abi` (then compile hpy's helper sources,
    `python -m hpyapi --hpy-sources`, into the extension instead)."""
    lib = hpy_static_lib(abi)
    if lib is None:
        raise RuntimeError(
            "hpy %s ships no static library for the %s ABI (%s); compile "
            "hpy's helper sources into the extension instead"
            % (_hpy_version(), abi, Path(_devel().base_dir) / "lib" / abi))
    return [runtime_archive(abi, cflags, directory, jobs), lib]


def _hpy_version():
    try:
        from hpy.devel.version import __version__
        return __version__
    except ImportError:
        return "(unknown version)"
