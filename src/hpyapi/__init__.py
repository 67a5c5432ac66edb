"""hpyapi: export a C API from one HPy extension to others, across HPy
contexts (HPy issue #446).

Build-time helpers live here; the C side is ``hpyapi.h`` (see
``get_include()``) plus the runtime sources from ``get_sources()``, which are
compiled into each extension with that extension's own HPy ABI.
"""
from pathlib import Path

__version__ = "0.1.0"

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


def capi_extension(name, sources, **kwargs):
    """A plain setuptools ``Extension`` (for ``ext_modules``, no HPy build)
    for a C-API extension that calls an HPy exporter through its CPython-API
    table (``HPyAPI_USE_CAPI`` / ``HPyAPI_ImportCAPI``).  It compiles
    hpyapi's runtime for the CPython ABI, so the import runs the same checks
    as in HPy consumers; that needs hpy's headers, not an HPy build::

        setup(ext_modules=[hpyapi.capi_extension("legacy", ["legacy.c"])])
    """
    import hpy.devel
    from setuptools import Extension

    devel = hpy.devel.HPyDevel()
    include_dirs = list(kwargs.pop("include_dirs", [])) + [
        get_include()] + devel.get_extra_include_dirs()
    macros = list(kwargs.pop("define_macros", [])) + [
        ("HPY", None), ("HPY_ABI_CPYTHON", None)]
    extra_objects = list(kwargs.pop("extra_objects", [])) + (
        devel.get_static_libs("cpython") or [])
    return Extension(
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
    """
    from setuptools import Extension

    include_dirs = list(kwargs.pop("include_dirs", [])) + [get_include()]
    extra = list(kwargs.pop("extra_compile_args", []))
    return Extension(
        name,
        list(sources) + get_sources(),
        include_dirs=include_dirs,
        extra_compile_args=extra,
        **kwargs,
    )
