"""Builds bench/cy's modules (run by bench/cybench.py in a copy of this
directory): benchapi.pxd generated from bench/c/benchapi.h, then cythonize
over hpyapi.capi_extension, -O2 like the C benchmark modules."""
import os

from Cython.Build import cythonize
from setuptools import Extension, setup

import hpyapi
from hpyapi.pxd import write_pxd

C_DIR = os.environ["HPYAPI_BENCH_C"]
write_pxd(os.path.join(C_DIR, "benchapi.h"), "benchapi", "benchapi.pxd")
args = ["-O2", "-g"]
exts = [hpyapi.capi_extension("bcython", ["bcython.pyx"], include_dirs=[C_DIR],
                              extra_compile_args=args),
        Extension("banchor", ["banchor.pyx"], extra_compile_args=args)]
setup(name="bench-cython", ext_modules=cythonize(exts, quiet=True))
