# cystats.pyx - stats.c's functions in Cython: a Cython consumer of the
# myarray API (../myarray.c) through myarray_api.pxd, which setup.py
# generates from ../myarray_api.h (python -m hpyapi pxd does the same).
# cython: language_level=3
from cpython.object cimport PyObject
from myarray_api cimport myarray_capi as ma, import_myarray

cdef extern from "Python.h":
    PyObject **PySequence_Fast_ITEMS(object)  # a tuple's items, borrowed

# at module level, like NumPy's import_array(): ImportError names the
# module, the API and what did not match; calls before it raise RuntimeError
import_myarray()


def linspace(double lo, double hi, Py_ssize_t n):
    """n evenly spaced values from lo to hi, as a myarray.Array."""
    a = ma.Array_New(n, 0.0)  # an object: Cython owns the new reference
    for i in range(n):
        ma.Array_SetItem(a, i, lo + (hi - lo) * i / (n - 1) if n > 1 else lo)
    return a


def mean(a):
    """mean(array); TypeError (from myarray) for anything else."""
    cdef Py_ssize_t n = ma.Array_Length(a)  # except? -1: errors propagate
    cdef PyObject *arrays[1]
    arrays[0] = <PyObject *>a  # a handle array: borrowed PyObject *
    return ma.Array_Sum(arrays, 1) / n if n else 0.0


def total(*arrays):
    """The sum of every element of every array."""
    return ma.Array_Sum(PySequence_Fast_ITEMS(arrays), len(arrays))


def is_array(x):
    return isinstance(x, ma.ArrayType())  # the exported type object
