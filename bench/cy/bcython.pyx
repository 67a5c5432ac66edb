# bcython.pyx - the benchmark loops of a Cython caller: benchapi's entries
# through the generated benchapi.pxd, next to the cimported cdef functions
# of banchor (the anchor).  Same loops as bench/c/bcapi.c.
# cython: language_level=3
from cpython.object cimport PyObject
from benchapi cimport benchapi_capi as T, import_benchapi
cimport banchor

cdef extern from "Python.h":
    PyObject **PySequence_Fast_ITEMS(object)

cdef extern from "cg.h":
    void BENCH_CG_START()
    void BENCH_CG_STOP(const char *label)
    long long bench_now_ns()

cdef long sink


def setup(str exporter_name):
    import_benchapi(exporter_name)


def run(int anchor, int what, long n, tuple items, str label):
    """ns for n calls of Trivial (what 0) or Sum of the ten items (1),
    through the table or (anchor) banchor's cdef functions."""
    cdef bytes lab = label.encode()
    cdef PyObject **it = PySequence_Fast_ITEMS(items)
    cdef object a = items[0]
    cdef long acc = 0
    cdef long i
    cdef long long t0
    BENCH_CG_START()
    t0 = bench_now_ns()
    if what == 0:
        if anchor:
            for i in range(n):
                acc += banchor.trivial(a)
        else:
            for i in range(n):
                acc += T.Trivial(a)
    else:
        if anchor:
            for i in range(n):
                r = banchor.sum_(it, 10)
        else:
            for i in range(n):
                r = T.Sum(it, 10)
    t0 = bench_now_ns() - t0
    BENCH_CG_STOP(lab)
    global sink
    sink = acc
    return t0
