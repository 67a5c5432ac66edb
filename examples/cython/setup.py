"""Builds cystats, a Cython consumer of myarray:

    python setup.py build_ext --inplace

The .pxd comes from the API's one declaration (../myarray_api.h) each
build; import_myarray() imports the module "myarray" by default.  The
command line does the same:

    python -m hpyapi pxd ../myarray_api.h myarray -o myarray_api.pxd \\
        --module myarray
"""
import os

from Cython.Build import cythonize
from setuptools import setup

import hpyapi
from hpyapi.pxd import write_pxd

HERE = os.path.dirname(os.path.abspath(__file__))
API_DIR = os.environ.get("MYARRAY_API_DIR", os.path.join(HERE, ".."))

write_pxd(os.path.join(API_DIR, "myarray_api.h"), "myarray",
          os.path.join(HERE, "myarray_api.pxd"), module="myarray")
# a Cython module is a plain C-API extension: capi_extension compiles
# hpyapi's runtime for it, so the import runs the same checks as in C
setup(name="cystats", ext_modules=cythonize(
    [hpyapi.capi_extension("cystats", ["cystats.pyx"],
                           include_dirs=[API_DIR])]))
