# banchor.pxd - the anchor: cdef functions another Cython module cimports
# (called through the function pointer Cython imports with the module),
# doing what bench/c/bexporter.c's Trivial and Sum do.
from cpython.object cimport PyObject

cdef long trivial(object a) except? -1
cdef object sum_(PyObject **items, Py_ssize_t n)
