"""hpyapi: export a C API from one HPy extension to others, across HPy
contexts (HPy issue #446).

Build-time helpers live here; the C side is ``hpyapi.h`` (see
``get_include()``) plus the runtime, compiled once per HPy ABI into a static
archive that each extension links (``hpyapi.archive``; its sources are
``get_sources()``).
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
    API needs, for a build system that compiles them itself (with the
    extension's HPy ABI).  ``extension()`` and ``capi_extension()`` link
    them from an archive instead: ``hpyapi.archive.runtime_archive()``."""
    from hpyapi.archive import runtime_sources
    return runtime_sources()


def _hpy_source_dir():
    import hpy.devel
    return Path(hpy.devel.HPyDevel().src_dir).resolve()


def _wrap_hpy_sources(name, sources, root):
    """Replaces each of hpy's helper sources by a one-line file in
    `root`/<name>/ that #includes it (only when this hpy ships no static
    library to link instead).

    setuptools names an object after its source's path, so two extensions
    compiling /site-packages/hpy/devel/src/runtime/argparse.c write the
    same .o; under `build_ext -j` one links the other's object, compiled
    with the other's ABI macros.  A wrapper per extension gives each its
    own .o."""
    shared = _hpy_source_dir()
    out = []
    for src in sources:
        path = Path(src)
        if not (path.is_absolute() and path.suffix == ".c" and
                path.resolve().parent == shared):
            out.append(src)
            continue
        wrapper = Path(root) / name / ("hpy_" + path.name)
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
        """An Extension that links hpyapi's runtime archive for its ABI
        (built on first use, see hpyapi.archive) and hpy's static helper
        library instead of compiling either.

        The ABI is known only once hpy.devel has finalized the extension
        (``--hpy-abi`` sets ``hpy_abi``; a C-API extension is "cpython"),
        so the archive is added when setuptools reads ``depends`` and
        ``extra_objects`` at build time, hence the properties.  hpy.devel
        appends its helper sources (``ext.sources += ...``) when not given
        ``--hpy-use-static-libs``; they are swapped for hpy's static
        library of the same ABI."""

        def __init__(self, name, sources, *args, hpyapi_abi=None,
                     **kwargs):
            self._wrap_dir = name.replace(".", "/")  # before sources is set
            self._hpyapi_abi = hpyapi_abi
            self._hpy_lib = None
            self._added = set()
            super().__init__(name, sources, *args, **kwargs)

        def _abi(self):
            return self._hpyapi_abi or getattr(self, "hpy_abi", None)

        def _linked(self):
            abi = self._abi()
            if abi is None:
                return [], []
            from hpyapi import archive
            first = [archive.runtime_archive(abi, self.extra_compile_args)]
            last = [self._hpy_lib] if self._hpy_lib else []
            self._added.update(first + last)
            return first, last

        @property
        def sources(self):
            return self._sources

        @sources.setter
        def sources(self, value):
            from hpyapi import archive
            abi = self._abi()
            lib = archive.hpy_static_lib(abi) if abi else None
            shared = _hpy_source_dir()
            if lib and any(Path(s).resolve().parent == shared
                           for s in value):
                self._hpy_lib = lib
                value = [s for s in value
                         if Path(s).resolve().parent != shared]
            self._sources = _wrap_hpy_sources(self._wrap_dir, value,
                                              RUNTIME_BUILD_DIR)

        # the archive comes before the extension's own extra objects and
        # hpy's library last: a static archive only satisfies references
        # from what precedes it on the link line
        @property
        def extra_objects(self):
            first, last = self._linked()
            return first + self._extra_objects + last

        @extra_objects.setter
        def extra_objects(self, value):
            self._extra_objects = [o for o in value if o not in self._added]

        # so that setuptools relinks the extension when the archive changes
        @property
        def depends(self):
            return self._depends + self._linked()[0]

        @depends.setter
        def depends(self, value):
            self._depends = [o for o in value if o not in self._added]

    return HPyAPIExtension


# Where the runtime archives (and, with an hpy that ships no static
# libraries, per-extension wrappers of hpy's helpers) go, relative to the
# directory setup.py runs in; HPYAPI_CACHE_DIR overrides it for archives.
RUNTIME_BUILD_DIR = os.path.join("build", "hpyapi-runtime")


def capi_extension(name, sources, **kwargs):
    """A plain setuptools ``Extension`` (for ``ext_modules``, no HPy build)
    for a C-API extension that calls an HPy exporter through its CPython-API
    table (``HPyAPI_USE_CAPI`` / ``HPyAPI_ImportCAPI``).  It links hpyapi's
    runtime archive for the CPython ABI (the same one CPython-ABI HPy
    extensions link), so the import runs the same checks as in HPy
    consumers, and hpy's CPython-ABI static library; that needs hpy's
    headers, not an HPy build::

        setup(ext_modules=[hpyapi.capi_extension("legacy", ["legacy.c"])])
    """
    from hpyapi import archive

    lib = archive.hpy_static_lib("cpython")
    include_dirs = list(kwargs.pop("include_dirs", [])) + [
        get_include()] + archive._devel().get_extra_include_dirs()
    macros = list(kwargs.pop("define_macros", [])) + archive.abi_macros(
        "cpython")
    sources = list(sources)
    if lib is None:  # compile hpy's context and helpers into the extension
        devel = archive._devel()
        sources += devel.get_extra_sources() + sorted(devel.get_ctx_sources())
    ext = _extension_class()(
        name, sources, include_dirs=include_dirs, define_macros=macros,
        hpyapi_abi="cpython", **kwargs)
    ext._hpy_lib = lib
    return ext


def extension(name, sources, **kwargs):
    """A setuptools ``Extension`` for ``hpy_ext_modules`` that sees hpyapi's
    headers and links its runtime, compiled once per HPy ABI and set of
    ``extra_compile_args`` into a cached static archive
    (``build/hpyapi-runtime/libhpyapi-<abi>-<key>.a``, see
    ``hpyapi.archive``).  hpy.devel adds the HPy ABI macros at build time,
    so the archive is chosen by ``--hpy-abi`` like the extension's own
    compilation::

        setup(hpy_ext_modules=[hpyapi.extension("mypkg.mymod", ["mymod.c"])])

    Each extension links its own copy of the runtime (its own statics), and
    ``build_ext -j`` is safe: concurrent builds of one archive wait for
    each other and it appears by an atomic rename.
    """
    include_dirs = list(kwargs.pop("include_dirs", [])) + [get_include()]
    return _extension_class()(name, list(sources),
                              include_dirs=include_dirs, **kwargs)
