"""Builds the Cython test consumers the way a user's setup.py would: the
.pxd files generated from the API headers (hpyapi.pxd.write_pxd), then
cythonize over hpyapi.capi_extension.  HPYAPI_TEST_C names tests/c."""
import os

from Cython.Build import cythonize
from setuptools import setup

import hpyapi
from hpyapi.pxd import write_pxd

C_DIR = os.environ["HPYAPI_TEST_C"]
for api in ("testapi", "outapi", "formsapi", "cbapi"):
    write_pxd(os.path.join(C_DIR, api + ".h"), api, api + ".pxd",
              module="testapi_exporter" if api == "testapi" else None,
              types="forms_types.pxi" if api == "formsapi" else None)

exts = [hpyapi.capi_extension(name, [name + ".pyx"], include_dirs=[C_DIR],
                              extra_compile_args=["-Wall", "-Werror"])
        for name in ("cyconsumer", "cysecond")]
# the test suite keeps Cython's translations between runs (Cython's cache)
cache = os.environ.get("HPYAPI_TEST_CYTHON_CACHE") or False
setup(name="cyconsumers", ext_modules=cythonize(exts, quiet=True, cache=cache))
