# cysecond.pyx - a second Cython module of the same package: it cimports
# the same .pxd and has its own table pointer, imported on demand here so
# that the tests can call it before (stubs raise) and after the import.
# cython: language_level=3
from testapi cimport testapi_capi as T, import_testapi


def do_import(modname=None):
    import_testapi(modname)
    return <size_t>T


def add(a, b):
    return T.Add(a, b)


def as_long(a):
    return T.AsLong(a)


def scale(double x, int k):
    return T.Scale(x, k)


def store(obj):
    T.Store(obj)


def ctx_name():
    return T.CtxName()


def thing():
    return T.Thing()


def import_loop(modname, long n):
    """n imports, for the cost of each (a module's import runs once)."""
    for _ in range(n):
        import_testapi(modname)
