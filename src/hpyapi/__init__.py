"""hpyapi: export a C API from one HPy extension to others, across HPy
contexts (HPy issue #446).

Build-time helpers live here; the C side is ``hpyapi.h`` (see
``get_include()``) plus the runtime sources from ``get_sources()``, which are
compiled into each extension with that extension's own HPy ABI.
"""
import os
from pathlib import Path

__version__ = "0.2.0"

from hpyapi.introspect import (CallLog, CallStats, counting, describe,  # noqa
                               hooks, stats)

_HERE = Path(__file__).resolve().parent


def get_include():
    """The directory holding ``hpyapi.h`` and ``hpyapi/*.h``."""
    return str(_HERE / "include")


def get_sources():
    """The runtime sources every HPy extension that exports or imports an
    API must compile (with its own HPy ABI)."""
    return sorted(str(p) for p in (_HERE / "runtime").glob("*.c"))


def _shared_source_dirs():
    """{directory: prefix} of the C files several extensions of one build
    compile (both directories are called "runtime")."""
    import hpy.devel
    return {_HERE / "runtime": "hpyapi_",
            Path(hpy.devel.HPyDevel().src_dir).resolve(): "hpy_"}


def _wrap_shared(name, sources, root):
    """Replaces each source that lives in a shared directory (hpyapi's or
    hpy's runtime) by a one-line file in `root`/<name>/ that #includes it.

    setuptools names an object after its source's path, so two extensions
    compiling /site-packages/hpyapi/runtime/export.c write the same .o;
    under `build_ext -j` one links the other's object, compiled with the
    other's ABI macros.  A wrapper per extension gives each its own .o,
    and the wrapper's text does not depend on the ABI, so it is shared
    between ABIs (their objects go to different build_temp dirs)."""
    shared = _shared_source_dirs()
    out = []
    for src in sources:
        path = Path(src)
        if not (path.is_absolute() and path.suffix == ".c" and
                path.resolve().parent in shared):
            out.append(src)
            continue
        wrapper = Path(root) / name / (shared[path.resolve().parent] +
                                       path.name)
        text = '#include "%s"\n' % path.resolve().as_posix()
        # rewriting an unchanged wrapper would make setuptools rebuild
        if not wrapper.exists() or wrapper.read_text() != text:
            wrapper.parent.mkdir(parents=True, exist_ok=True)
            wrapper.write_text(text)
        out.append(os.path.relpath(wrapper) if not Path(root).is_absolute()
                   else str(wrapper))
    return out


def _extension_class():
    from setuptools import Extension

    class HPyAPIExtension(Extension):
        """An Extension that compiles shared runtime sources through
        per-extension wrappers: hpyapi's, given here, and hpy's, which
        hpy.devel appends later (`ext.sources += ...`), hence the
        property."""

        def __init__(self, name, sources, *args, **kwargs):
            self._wrap_dir = name.replace(".", "/")  # before sources is set
            super().__init__(name, sources, *args, **kwargs)

        @property
        def sources(self):
            return self._sources

        @sources.setter
        def sources(self, value):
            self._sources = _wrap_shared(self._wrap_dir, value,
                                         RUNTIME_BUILD_DIR)

    return HPyAPIExtension


# Where the per-extension wrappers go, relative to the directory setup.py
# runs in (objects then land under build_temp/build/hpyapi-runtime/...).
RUNTIME_BUILD_DIR = os.path.join("build", "hpyapi-runtime")


def capi_extension(name, sources, **kwargs):
    """A plain setuptools ``Extension`` (for ``ext_modules``, no HPy build)
    for a C-API extension that calls an HPy exporter through its CPython-API
    table (``HPyAPI_USE_CAPI`` / ``HPyAPI_ImportCAPI``).  It compiles
    hpyapi's runtime for the CPython ABI, so the import runs the same checks
    as in HPy consumers; that needs hpy's headers, not an HPy build::

        setup(ext_modules=[hpyapi.capi_extension("legacy", ["legacy.c"])])

    The runtime is compiled through per-extension wrapper files under
    ``build/hpyapi-runtime/<name>/``, so ``build_ext -j`` is safe.
    """
    import hpy.devel

    devel = hpy.devel.HPyDevel()
    include_dirs = list(kwargs.pop("include_dirs", [])) + [
        get_include()] + devel.get_extra_include_dirs()
    macros = list(kwargs.pop("define_macros", [])) + [
        ("HPY", None), ("HPY_ABI_CPYTHON", None)]
    extra_objects = list(kwargs.pop("extra_objects", [])) + (
        devel.get_static_libs("cpython") or [])
    return _extension_class()(
        name,
        list(sources) + get_sources(),
        include_dirs=include_dirs,
        define_macros=macros,
        extra_objects=extra_objects,
        **kwargs,
    )


def extension(name, sources, **kwargs):
    """A setuptools ``Extension`` for ``hpy_ext_modules`` that also compiles
    hpyapi's runtime and sees its headers.  hpy.devel adds the HPy ABI
    macros and sources at build time, so the runtime is compiled with the
    ABI chosen by ``--hpy-abi`` like the extension's own files::

        setup(hpy_ext_modules=[hpyapi.extension("mypkg.mymod", ["mymod.c"])])

    hpyapi's and hpy's runtime sources are compiled through per-extension
    wrapper files under ``build/hpyapi-runtime/<name>/``, so that
    ``build_ext -j`` gives every extension its own objects.
    """
    include_dirs = list(kwargs.pop("include_dirs", [])) + [get_include()]
    extra = list(kwargs.pop("extra_compile_args", []))
    return _extension_class()(
        name,
        list(sources) + get_sources(),
        include_dirs=include_dirs,
        extra_compile_args=extra,
        **kwargs,
    )
