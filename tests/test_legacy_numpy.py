"""HPy code calling NumPy's classic C-API (`_ARRAY_API`) through hpyapi's
legacy bridge, against the real NumPy wheel pinned in requirements.txt, in
every mode (tests/c/npyconsumer.c, examples/npy_api.h)."""
import os
import re
import sys

import numpy as np
import pytest

from conftest import EXAMPLES, MODES, register

# built in advance (tests/conftest.py)
BUILDS = [
    "npyconsumer", "npyconsumer_new", "npyconsumer_nomod",
    "npyconsumer_noattr", "legacytab", "tabconsumer", "tabconsumer_since",
    "tabconsumer_abi"]

CTX_NAMES = {
    "cpython": "HPy CPython ABI",
    "universal": "HPy Universal ABI (CPython backend)",
    "hybrid": "HPy Universal ABI (CPython backend)",
    "debug": "HPy Debug Mode ABI",
    "trace": "HPy Trace Mode ABI",
}
# NumPy's NPY_ABI_VERSION (0x02000000 for every numpy 2) and
# NPY_API_VERSION, the feature version, which each numpy 2.x raises (0x12
# in 2.0, 0x15 in 2.4, the pin of `make test`): read from the installed
# numpy's own header, as the C code never does.


def _numpyconfig(name):
    path = os.path.join(np.get_include(), "numpy", "_numpyconfig.h")
    with open(path) as f:
        m = re.search(r"#define\s+%s\s+(0x[0-9a-fA-F]+)" % name, f.read())
    return int(m.group(1), 16)


NUMPY_ABI = _numpyconfig("NPY_ABI_VERSION")
NUMPY_FEATURE = _numpyconfig("NPY_API_VERSION")
NUMPY_MODULE = "numpy._core._multiarray_umath"

# every mode, each test under hpy's LeakDetector (it watches debug handles;
# in other modes it has nothing to see and the refcount checks do the work)
pytestmark = pytest.mark.usefixtures("leakcheck")


@pytest.fixture(params=MODES)
def npc(request, modules):
    return modules.get("npyconsumer", request.param)


def mode_of(npc):
    return npc.__name__.split(".")[0][len("hpyapi_t_"):]


def test_runs_in_its_mode_and_sees_numpys_versions(npc):
    assert npc.ctx_name() == CTX_NAMES[mode_of(npc)]
    assert npc.versions() == (NUMPY_ABI, NUMPY_FEATURE)
    assert np.__version__.startswith("2.")


@pytest.mark.parametrize("shape", [(), (0,), (5,), (2, 3), (2, 1, 4)])
def test_zeros_steals_a_descr_and_the_fields_read_back(npc, shape):
    a = npc.zeros(*shape)
    assert type(a) is np.ndarray and a.dtype == np.float64
    assert a.shape == shape and not a.any()
    assert npc.size(a) == a.size
    assert npc.info(a) == (a.ndim, shape, a.ctypes.data)
    assert npc.data_ptr(a) == a.ctypes.data


def test_new_array_filled_through_its_data_pointer(npc):
    a = npc.arange(7)
    assert a.dtype == np.int64
    assert a.tolist() == list(range(7))
    assert int(npc.total(a)) == 21
    assert npc.size(a) == 7


def test_size_of_a_non_array_is_zero_without_error(npc):
    # PyArray_Size's own convention: 0 for anything that is not an array
    assert npc.size([1, 2, 3]) == 0


def test_from_any_converts_and_passes_arrays_through(npc):
    a = npc.asarray([[1, 2], [3, 4]])
    assert type(a) is np.ndarray and a.tolist() == [[1, 2], [3, 4]]
    b = np.arange(3.0)
    assert npc.asarray(b) is b  # no dtype, no flags: the same array
    d = npc.asdouble([1, 2, 3])
    assert d.dtype == np.float64 and d.tolist() == [1.0, 2.0, 3.0]
    assert npc.asdouble(d) is d  # already float64 and C-contiguous


def test_return_steals_its_argument(npc):
    s = npc.as_scalar(np.array(2.5))
    assert type(s) is np.float64 and s == 2.5
    a = np.arange(4)
    assert npc.as_scalar(a) is a  # n-d arrays come back as they are


def test_exported_type_object_is_ndarray(npc):
    assert npc.array_type() is np.ndarray
    assert npc.is_array_type(np.ndarray)
    assert not npc.is_array_type(np.generic)
    for call in (npc.info, npc.total):
        with pytest.raises(TypeError, match="expected an ndarray"):
            call([1, 2])


@pytest.mark.parametrize("call, exc, message", [
    (lambda m: m.zeros(-1), ValueError,
     "negative dimensions are not allowed"),
    (lambda m: m.asdouble("abc"), ValueError,
     "could not convert string to float: 'abc'"),
    # NumPy's own message for max_depth, changed in 2.4 (numpy PR 29745)
    (lambda m: m.asarray([[1, 2]], 1), ValueError,
     "setting an array element with a sequence. The requested array would "
     "exceed the maximum number of dimension of 1."
     if tuple(map(int, np.__version__.split(".")[:2])) >= (2, 4) else
     "object too deep for desired array"),
    (lambda m: m.arange(-3), ValueError,
     "negative dimensions are not allowed"),
])
def test_numpys_exceptions_come_back_unchanged(npc, call, exc, message):
    with pytest.raises(Exception) as e:
        call(npc)
    assert type(e.value) is exc and str(e.value) == message


def test_refcounts_balance_over_many_calls(npc):
    a = np.arange(6.0).reshape(2, 3)
    lst = [1.0, 2.0]
    f64 = np.dtype(np.float64)  # the builtin descr DescrFromType returns
    watched = (a, lst, f64, np.ndarray)

    def counts():
        return [sys.getrefcount(o) for o in watched]

    def calls():
        npc.zeros(3)                     # DescrFromType + Zeros (steals)
        npc.asdouble(lst)                # FromAny stealing a descr
        npc.asarray(a)                   # FromAny returning its argument
        npc.as_scalar(a)                 # Return stealing its argument
        npc.size(a), npc.info(a), npc.data_ptr(a)
        npc.total(a)
        npc.array_type(), npc.is_array_type(np.ndarray)
        npc.arange(4)                    # New with the type object
        try:
            npc.asdouble("abc")          # failing FromAny (descr stolen)
        except ValueError:
            pass

    calls()  # warm up caches
    before = counts()
    for _ in range(300):
        calls()
    assert counts() == before


@pytest.mark.parametrize("mode", MODES)
def test_newer_feature_target_refuses_to_import(modules, mode):
    m = modules.get("npyconsumer_new", mode)
    with pytest.raises(RuntimeError) as e:
        m.versions()  # calling before the import raises, not crashes
    assert "before the API was imported; call import_npy(ctx)" in str(e.value)
    with pytest.raises(ImportError) as e:
        m.do_import()
    assert str(e.value) == (
        "hpyapi: cannot import the legacy 'npy' API from module '%s' "
        "(attribute '_ARRAY_API'): its feature version is 0x%x "
        "(GetNDArrayCFeatureVersion()) but this extension needs 0x7fff or "
        "newer; upgrade the module" % (NUMPY_MODULE, NUMPY_FEATURE))
    with pytest.raises(RuntimeError):
        m.zeros(1)  # still the stubs after a failed import


@pytest.mark.parametrize("mode", ["cpython", "universal", "debug"])
def test_import_errors_name_module_and_api(modules, mode):
    m = modules.get("npyconsumer_nomod", mode)
    with pytest.raises(ImportError) as e:
        m.do_import()
    assert str(e.value).startswith(
        "hpyapi: cannot import the legacy 'npy' API from module "
        "'no_such_numpy_module': importing it raised ModuleNotFoundError")
    assert type(e.value.__cause__) is ModuleNotFoundError
    m = modules.get("npyconsumer_noattr", mode)
    with pytest.raises(ImportError) as e:
        m.do_import()
    assert str(e.value) == (
        "hpyapi: cannot import the legacy 'npy' API from module '%s' "
        "(attribute '__name__'): the attribute is not an unnamed PyCapsule"
        % NUMPY_MODULE)


register("npstats", [EXAMPLES / "npstats.c"], include_dirs=[EXAMPLES],
         abis=("cpython", "universal"))


@pytest.mark.parametrize("mode", ["universal", "debug", "trace", "cpython"])
def test_readme_example_computes_with_numpy(modules, mode):
    """examples/npstats.c, the README's example: one universal binary in
    three modes, and the same source built for the CPython ABI."""
    m = modules.get("npstats", mode, tag="_ex")
    assert m.mode() == CTX_NAMES[mode]
    x = np.array([[1.0, 2.0], [3.0, 6.0]])
    z = m.standardize(x)
    assert z.shape == x.shape and np.allclose(z, (x - x.mean()) / x.std())
    assert m.summary([1, 2, 3]) == (1, 3, 6.0)
    with pytest.raises(ValueError, match="not all equal"):
        m.standardize([2, 2])
    before = sys.getrefcount(x)
    for _ in range(200):
        m.standardize(x), m.summary(x)
    assert sys.getrefcount(x) == before


# ---- reference conventions NumPy's table does not have ------------------------
# tests/c/legacytab.c publishes CPython's PyList_GetItem (borrowed result)
# and PyList_SetItem (steals its item, -1 on error) in a named capsule.

@pytest.fixture(params=MODES)
def tab(request, modules):
    modules.get("legacytab", "cpython")  # hpyapi_t_cpython.legacytab
    m = modules.get("tabconsumer", request.param)
    m.do_import()
    return m


def test_borrowed_result_becomes_a_new_handle(tab):
    item = object()
    lst = [item]
    before = sys.getrefcount(item)
    for _ in range(300):
        assert tab.get(lst, 0) is item
    assert sys.getrefcount(item) == before
    with pytest.raises(IndexError, match="^list index out of range$"):
        tab.get(lst, 5)


def test_stolen_argument_stays_the_callers(tab):
    lst = [None]
    item = object()
    before = sys.getrefcount(item)
    for _ in range(300):
        tab.set(lst, 0, item)
    assert lst[0] is item
    assert sys.getrefcount(item) == before + 1  # held by lst, once
    lst[0] = None
    assert sys.getrefcount(item) == before
    # PyList_SetItem steals even when it fails; the -1 comes back as is
    for _ in range(100):
        with pytest.raises(IndexError,
                           match="^list assignment index out of range$"):
            tab.set(lst, 9, item)
    assert sys.getrefcount(item) == before
    assert tab.list_type() is list


def test_since_and_abi_are_checked(modules):
    modules.get("legacytab", "cpython")
    m = modules.get("tabconsumer_since", "universal")
    with pytest.raises(RuntimeError, match="call import_tab"):
        m.get([1], 0)
    with pytest.raises(ImportError) as e:
        m.do_import()
    assert str(e.value) == (
        "hpyapi: cannot import the legacy 'tab' API from module "
        "'hpyapi_t_cpython.legacytab' (attribute '_C_API'): its feature "
        "version is 0x3 (FeatureVersion()) but this extension needs 0x4 or "
        "newer (for SetItem); upgrade the module")
    m = modules.get("tabconsumer_abi", "debug")
    with pytest.raises(ImportError) as e:
        m.do_import()
    assert str(e.value).endswith(
        "its ABI version is 0x7 (AbiVersion()) but this extension was built "
        "for ABI version 0x8; upgrade the module")


# ---- describe() and hooks on a bridge ------------------------------------------

KIND_OF_MODE = {"cpython": "cpython", "universal": "universal",
                "hybrid": "universal", "debug": "debug", "trace": "trace"}


def test_describe_shows_the_bridge(npc):
    import hpyapi
    d = hpyapi.describe(npc, "npy")
    assert (d["api"], d["module"]) == ("npy", npc.__name__)
    assert d["exporter_mode"] == KIND_OF_MODE[mode_of(npc)]
    sigs = {e["name"]: (e["kind"], e["signature"]) for e in d["entries"]}
    assert list(sigs) == [
        "GetNDArrayCVersion", "ArrayType", "DescrFromType", "Size", "FromAny",
        "Return", "New", "Sum", "GetPtr", "Zeros",
        "GetNDArrayCFeatureVersion"]
    assert sigs["Zeros"] == ("function", "HPy(int,const HPy_ssize_t *,"
                                         "HPyAPI_STEALS,int)")
    assert sigs["ArrayType"] == ("object", "HPy(void)")
    assert sigs["GetNDArrayCVersion"] == ("function", "unsigned int(void)")


def test_hooks_count_log_refuse_on_a_bridge(npc):
    import hpyapi
    a = np.zeros((2, 2))
    with hpyapi.counting(npc, "npy") as counts:
        npc.zeros(3)
        npc.size(a), npc.size(a)
    assert counts == {(npc.__name__, "DescrFromType"): 1,
                      (npc.__name__, "Zeros"): 1,
                      (npc.__name__, "Size"): 2}
    h = hpyapi.hooks(npc, "npy")
    log = []
    h.log(log.append, ["Zeros"])
    npc.zeros(1)
    h.log(None)
    npc.zeros(1)
    assert [(c.entry, c.caller, c.caller_kind, c.exporter_kind)
            for c in log] == [("Zeros", npc.__name__,
                               KIND_OF_MODE[mode_of(npc)], "legacy")]
    h.refuse("Size", MemoryError, "no sizes today")
    with pytest.raises(MemoryError, match="^no sizes today$"):
        npc.size(a)
    assert npc.zeros(2).shape == (2,)  # other entries still run
    h.allow("Size")
    assert npc.size(a) == 4
    h.clear()
    assert h.flags("Size") == set()

# What the legacy declaration language accepts and refuses, and that it is
# warning-free C and C++17: tests/test_map.py.
