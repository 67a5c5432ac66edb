"""Cython consumers: tests/cython/cyconsumer.pyx calls every entry form of
the test APIs through .pxd files generated from their headers (python -m
hpyapi pxd / hpyapi.pxd.write_pxd), built with setuptools + cythonize
(tests/cython/setup.py) and with meson-python (tests/cython/meson.build,
.pxd files made by a custom_target), against exporters in every mode:
values, exception types and messages for every return type, refcounts,
imports."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import hpyapi
from compilecache import sync, wrapper_env
from conftest import (BUILD_DIR, C_DIR, EXTRA_LDFLAGS, MODES, REPO,
                      compile_args, runtime_args)
from hpyapi import testing
from hpyapi.pxd import PxdError, declaration, pxd_text

CY_DIR = Path(__file__).resolve().parent / "cython"
EX_DIR = REPO / "examples" / "cython"
HEADERS = ("testapi.h", "outapi.h", "formsapi.h", "cbapi.h")


def _fingerprint():
    """Everything the build reads, so that a change rebuilds it."""
    import hashlib

    import Cython
    h = hashlib.sha256((sys.version + Cython.__version__).encode())
    files = sorted(CY_DIR.iterdir()) + sorted(EX_DIR.iterdir())
    files += [C_DIR / n for n in HEADERS] + [EX_DIR.parent / "myarray_api.h"]
    inc = Path(hpyapi.get_include())
    files += sorted(inc.rglob("*.h")) + [Path(p) for p in hpyapi.get_sources()]
    files.append(Path(hpyapi.__file__).parent / "pxd.py")
    for f in files:
        if f.is_file():
            h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:16]


def build_setup_dir(src, out, env, n_modules):
    """{module name: .so}: `src`'s setup.py run (build_ext) in a copy of
    the directory under `out`, cached there; its .pxd files are kept."""
    done = out / "built.json"
    if done.exists():
        return json.loads(done.read_text())
    work = out / "work"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(src, work, ignore=shutil.ignore_patterns(
        "meson*", "pyproject.toml", "__pycache__", "build", "*.c", "*.pxd"))
    # compiles through the suite's cache, and the Cython translation
    # through Cython's own (tests/cython/setup.py): after a runtime edit,
    # the extensions relink against the new archive and nothing else runs
    env = wrapper_env(dict(os.environ, HPYAPI_TEST_CYTHON_CACHE=str(
        BUILD_DIR / "cython-cache"), **env))
    env.pop("LD_PRELOAD", None)
    proc = subprocess.run([sys.executable, "setup.py", "build_ext", "-j",
                           str(os.cpu_count() or 2)], cwd=work, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    sos = {p.name.split(".")[0]: p for p in (work / "build").glob("lib*/*.so")}
    if proc.returncode != 0 or len(sos) != n_modules:
        raise RuntimeError("building %s failed:\n%s" % (src, proc.stdout))
    built = {}
    for name, so in sos.items():
        shutil.copy(so, out / so.name)
        built[name] = str(out / so.name)
    for pxd in work.glob("*.pxd"):  # kept for the tests that read them
        shutil.copy(pxd, out / pxd.name)
    shutil.rmtree(work)
    done.write_text(json.dumps(built))
    return built


def build_cython(build_dir=BUILD_DIR):
    """tests/cython's modules built by its setup.py."""
    return build_setup_dir(CY_DIR, Path(build_dir) / "cython" / _fingerprint(),
                           {"HPYAPI_TEST_C": str(C_DIR)}, 2)


def build_cython_meson(build_dir=BUILD_DIR):
    """The same modules built by meson-python: tests/cython and the API
    headers copied to a fixed source directory and pip-installed into a
    target dir, with a fixed meson build directory kept between runs, as a
    meson user's: ninja rebuilds what changed (after a runtime edit, that
    file, then the links), not the whole project."""
    out = Path(build_dir) / "cython-meson" / _fingerprint()
    done = out / "built.json"
    if done.exists():
        return json.loads(done.read_text())
    shutil.rmtree(out, ignore_errors=True)
    project = Path(build_dir) / "cython-meson" / "project"
    src = project / "src"
    src.mkdir(parents=True, exist_ok=True)
    for f in CY_DIR.iterdir():
        if f.is_file() and f.name != "setup.py":
            sync(f, src / f.name)
    for h in HEADERS:
        sync(C_DIR / h, src / h)
    # meson, ninja and cython come from the same environment as this Python
    env = wrapper_env(dict(os.environ, PATH=os.path.dirname(sys.executable)
                           + os.pathsep + os.environ.get("PATH", "")))
    env.pop("LD_PRELOAD", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation",
         "--no-deps", "--disable-pip-version-check", "--target",
         str(out / "site"), "-Csetup-args=-Dbuildtype=debug",
         "-Cbuild-dir=" + str(project / "build"), str(src)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sos = {p.name.split(".")[0]: str(p) for p in (out / "site").glob("*.so")}
    if proc.returncode != 0 or len(sos) != 2:
        raise RuntimeError("the meson build of the Cython consumers failed:\n"
                           + proc.stdout)
    done.write_text(json.dumps(sos))
    return sos


@pytest.fixture(scope="session")
def st_built():
    return build_cython()


@pytest.fixture(scope="session", params=["setuptools", "meson"])
def cy_built(request, st_built):
    if request.param == "setuptools":
        return dict(st_built, builder="setuptools")
    return dict(build_cython_meson(), builder="meson")


@pytest.fixture(scope="session")
def cy(cy_built, modules, tmp_path_factory):
    """cyconsumer, loaded once; its module-level import_testapi() finds
    the exporter registered as testapi_exporter."""
    load_dir = tmp_path_factory.mktemp("cyloaded")
    old = sys.modules.get("testapi_exporter")
    sys.modules["testapi_exporter"] = modules.get("exporter", "universal")
    try:
        return testing.load_extension(
            "hpyapi_t_cy_%s.cyconsumer" % cy_built["builder"],
            cy_built["cyconsumer"], "cpython", load_dir)
    finally:
        if old is None:
            del sys.modules["testapi_exporter"]
        else:
            sys.modules["testapi_exporter"] = old


@pytest.fixture(scope="session")
def cy2(cy_built, tmp_path_factory):
    return testing.load_extension(
        "hpyapi_t_cy_%s.cysecond" % cy_built["builder"], cy_built["cysecond"],
        "cpython", tmp_path_factory.mktemp("cy2"))


@pytest.fixture(params=MODES)
def exp(request, modules, cy, leakcheck):
    """The test exporter in each mode, imported by cyconsumer."""
    e = modules.get("exporter", request.param)
    cy.setup(e.__name__)
    return e


# ---- testapi: values, every return type, refcounts ------------------------

def test_values_of_every_form(cy, exp):
    assert cy.add(40, 2) == 42 and cy.add("a", "b") == "ab"
    assert cy.as_long(-7) == -7 and cy.as_long(-1) == -1  # -1 is a value
    assert cy.sum_list(range(40)) == sum(range(40))  # beyond SMALL
    assert cy.sum_list([]) == 0
    assert cy.scale(1.5, 4) == 6.0 and cy.scale(-1.0, 1) == -1.0
    assert cy.callback(lambda x: x * 3, 5) == 15
    assert cy.concat("-", ["a", "b", "c"], "!") == "a-b-c!"
    assert cy.pick("x", "y", 1) == "y"
    assert cy.thing() is exp.Thing
    obj = object()
    assert cy.store(obj) is None and cy.load() is obj
    assert cy.exporter_ctx_name().startswith("HPy ")


def test_reentrant_calls(cy, exp):
    assert cy.callback(lambda x: cy.add(x, cy.callback(str, x)), "7") == "77"


@pytest.mark.parametrize("call,exc,msg", [
    (lambda c: c.add(1, "x"), TypeError, "unsupported operand"),  # object
    (lambda c: c.as_long("x"), TypeError, ""),                     # long
    (lambda c: c.raise_(KeyError, "from the exporter"), KeyError,  # int
     "from the exporter"),
    (lambda c: c.null_result(1), ValueError, "NullResult was asked to fail"),
    (lambda c: c.sum_list([1, "x"]), TypeError, ""),               # array
    (lambda c: c.concat("-", [1], "!"), TypeError, ""),
])
def test_exporter_exceptions_propagate(cy, exp, call, exc, msg):
    with pytest.raises(exc) as e:
        call(cy)
    assert msg in str(e.value)


def test_null_without_exception_is_a_system_error(cy, exp):
    # an object result of NULL means "error" to Cython, as to C callers
    with pytest.raises(SystemError, match=r"^%s: testapi API, NullResult\(\): "
                       r"returned NULL without setting an exception"
                       % exp.__name__):
        cy.null_result(0)


@pytest.mark.parametrize("entry,call", [
    ("Add", lambda c: c.add(1, 2)),                  # object
    ("AsLong", lambda c: c.as_long(5)),              # long: except? -1
    ("Scale", lambda c: c.scale(2.0, 3)),            # double: except? -1
    ("Raise", lambda c: c.raise_(KeyError, "x")),    # int
    ("Store", lambda c: c.store(1)),                 # void: except *
    ("CtxName", lambda c: c.exporter_ctx_name()),    # pointer: except? NULL
    ("Thing", lambda c: c.thing()),                  # exported object
])
def test_every_return_type_reports_failure(cy, exp, entry, call):
    """A refused call (hpyapi's hooks, the exporter's failure value and an
    exception) raises in the Cython caller, whatever the result type; the
    call works again once the hook is cleared."""
    h = hpyapi.hooks(exp, "testapi")
    h.refuse(entry, LookupError, "refused " + entry)
    try:
        with pytest.raises(LookupError, match="refused " + entry):
            call(cy)
    finally:
        h.clear()
    if entry == "Raise":  # raising is what Raise does
        with pytest.raises(KeyError):
            call(cy)
    else:
        call(cy)


def test_arguments_borrowed_results_new(cy, exp):
    items = [10 ** 20 + i for i in range(40)]
    before = [sys.getrefcount(x) for x in items[:3]]
    for _ in range(100):
        assert cy.sum_list(items) == sum(items)
    assert [sys.getrefcount(x) for x in items[:3]] == before
    obj = object()
    base = sys.getrefcount(obj)
    for _ in range(100):
        assert cy.identity(obj) is obj
    assert sys.getrefcount(obj) == base
    t = cy.thing()
    base = sys.getrefcount(t)
    extra = [cy.thing() for _ in range(10)]
    assert sys.getrefcount(t) == base + 10
    del extra
    assert sys.getrefcount(t) == base


# ---- imports ----------------------------------------------------------------

def test_import_errors_are_the_c_consumers(cy, modules):
    capi = modules.get("capi_consumer", "cpython")
    with pytest.raises(ImportError) as c_err:
        capi.setup("no_such_module_cy")
    with pytest.raises(ImportError) as cy_err:
        cy.setup("no_such_module_cy")
    assert str(cy_err.value) == str(c_err.value)
    assert str(cy_err.value).startswith(
        "hpyapi: cannot import the 'testapi' API (version 1.0) from module "
        "'no_such_module_cy': importing it raised ModuleNotFoundError")
    # a module exporting another API
    with pytest.raises(ImportError) as e:
        cy.setup(modules.get("cbexporter", "cpython").__name__)
    assert "testapi" in str(e.value)


def test_calls_before_import_raise_then_import_works(cy2, modules,
                                                     monkeypatch):
    """cysecond has not imported yet: every return type raises the C
    consumer's RuntimeError; then its own import (a module of the same
    package imports separately, from the same exporter)."""
    expected = ("hpyapi: %s() of the 'testapi' API was called before the API "
                "was imported; call import_testapi() in this module's PyInit "
                "function (it imports 'testapi_exporter') and check that it "
                "returned 0")
    for entry, call in [("Add", lambda: cy2.add(1, 2)),
                        ("AsLong", lambda: cy2.as_long(1)),
                        ("Scale", lambda: cy2.scale(1.0, 1)),
                        ("Store", lambda: cy2.store(1)),
                        ("CtxName", cy2.ctx_name),
                        ("Thing", cy2.thing)]:
        with pytest.raises(RuntimeError) as e:
            call()
        assert str(e.value) == expected % entry
    monkeypatch.setitem(sys.modules, "testapi_exporter",
                        modules.get("exporter", "debug"))
    first = cy2.do_import()
    assert cy2.do_import() == first
    assert cy2.add(20, 22) == 42 and cy2.scale(2.0, 2) == 4.0


def test_each_module_imports_cheaply(cy2, modules):
    """A second module's import: the sys.modules lookup and the checks,
    measured per import."""
    import time
    name = modules.get("exporter", "cpython").__name__
    cy2.import_loop(name, 10)
    t = time.process_time()
    cy2.import_loop(name, 2000)
    per = (time.process_time() - t) / 2000
    print("one import_testapi(): %.1f us CPU" % (per * 1e6))
    assert per < 1e-3


# ---- outapi: out-handles and filled arrays, "except *" from the header ----

@pytest.fixture(params=MODES)
def outexp(request, modules, cy, leakcheck):
    e = modules.get("outexporter", request.param)
    cy.setup_out(e.__name__)
    return e


def test_out_handles(cy, outexp, modules):
    capi = modules.get("capi_consumer", "cpython")
    capi.setup_out(outexp.__name__)
    marker = object()
    assert cy.out_parse(21, marker) == (1, 42)
    # fails with 0: the header's HPyAPI_CYTHON_EXCEPT_Out_Parse makes
    # Cython check for the exception; *out stays untouched
    with pytest.raises(TypeError, match="Out_Parse: not an int"):
        cy.out_parse("x", marker)
    assert cy.out_split([1, 2, 3]) == capi.out_split([1, 2, 3]) == (1, (2, 3))
    with pytest.raises(ValueError, match="Out_Split: empty"):
        cy.out_split([])
    assert cy.out_fill([5, 6, 7], 2) == capi.out_fill([5, 6, 7], 2) == \
        (2, [5, 6])
    assert cy.out_fill([5], 3) == (1, [5, None, None])
    with pytest.raises(TypeError):
        cy.out_fill(5, 2)
    assert cy.out_both(4) == capi.out_both(4)
    obj = 10 ** 30
    before = sys.getrefcount(obj)
    for _ in range(100):
        cy.out_fill([obj, obj], 2)
        cy.out_split([obj, obj])
    assert sys.getrefcount(obj) == before


# ---- formsapi: HPyAPI_LEN arrays and exported data --------------------------

@pytest.fixture(params=MODES)
def formsexp(request, modules, cy, leakcheck):
    e = modules.get("formsexporter", request.param)
    cy.setup_forms(e.__name__)
    return e


def test_len_arrays_and_data(cy, formsexp, modules):
    capi = modules.get("capi_consumer", "cpython")
    capi.setup_forms(formsexp.__name__)
    arrs, descrs = [object() for _ in range(20)], [object(), object()]
    r = cy.result_type(arrs, descrs)
    assert list(r) == arrs + descrs
    assert cy.fill_perm(3, 4) == (3, [4, 104, 204], [3, 2, 1, 0])
    for n in (0, 2, 17):
        src = list(range(n))
        assert cy.doubled(src) == capi.doubled(src)
        assert cy.copy_into(src) == capi.copy_into(src)
    for which in (64, 32, 8):
        assert cy.tuple_n(which, 2, ["a", "b"]) == \
            capi.tuple_n(which, 2, ["a", "b"])
    assert cy.add_ctx(40, 2) == capi.add_ctx(40, 2)
    n, version, name = cy.forms_data()
    c_n, c_version, _, _ = capi.forms_data(True)
    assert (n, version) == (c_n, c_version) and name == capi.build_name()
    assert cy.set_num_user_types(n + 5) == n + 5
    assert cy.forms_data()[0] == n + 5
    cy.set_num_user_types(n)
    before = [sys.getrefcount(a) for a in arrs]
    for _ in range(50):
        cy.result_type(arrs, descrs)
    assert [sys.getrefcount(a) for a in arrs] == before


# ---- cbapi: callbacks are cdef functions ------------------------------------

@pytest.fixture(params=MODES)
def cbexp(request, modules, cy, leakcheck):
    e = modules.get("cbexporter", request.param)
    cy.setup_cb(e.__name__)
    return e


def test_callbacks(cy, cbexp):
    assert cy.cb_map((1, 2), lambda x, i: (x, i)) == [(1, 0), (2, 1)]
    assert cy.cb_sum(4, lambda i: i * 10) == 60
    seen = []
    assert cy.cb_each((1, 2), lambda item, extra: seen.append((item, extra)),
                      "e") >= 0
    assert seen == [(1, "e"), (2, "e")]
    assert cy.cb_nullary(lambda: 41) == 41
    assert cy.cb_two(lambda x: x + 1, lambda x: x * 2, 5) == \
        cy.cb_two(lambda x: x + 1, lambda x: x * 2, 5)
    cy.cb_register(lambda x: ("kept", x))
    assert cbexp.fire(1) == ("kept", 1) and cy.cb_fire(2) == ("kept", 2)


def test_callback_exceptions_come_back(cy, cbexp):
    def boom(*args):
        raise ValueError("boom from the callback")

    for call in (lambda: cy.cb_map((1, 2), boom),
                 lambda: cy.cb_sum(3, boom),              # long callback
                 lambda: cy.cb_each((1,), boom, None),    # void callback
                 lambda: cy.cb_nullary(boom),
                 lambda: cy.cb_two(lambda x: x, boom, 1)):
        with pytest.raises(ValueError, match="boom from the callback"):
            call()
    with pytest.raises(TypeError):
        cy.cb_map(5, lambda x, i: x)
    obj = object()
    before = sys.getrefcount(obj)
    for _ in range(100):
        cy.cb_map((obj,), lambda x, i: x)
    assert sys.getrefcount(obj) == before


# ---- the generated .pxd -----------------------------------------------------

def test_pxd_has_no_retired_entry_and_refuses_unknown_types(st_built):
    pxd = (Path(st_built["cyconsumer"]).parent / "testapi.pxd").read_text()
    assert "OldEntry (slot 13) is retired" in pxd
    assert "(*OldEntry" not in pxd and "OldEntry__retired" not in pxd
    assert "int (*Out_Parse)(object obj, PyObject **out) except *" in (
        Path(st_built["cyconsumer"]).parent / "outapi.pxd").read_text()
    decl = declaration(C_DIR / "formsapi.h", "formsapi")
    with pytest.raises(PxdError) as e:
        pxd_text(decl, "formsapi.h")
    assert str(e.value) == (
        "hpyapi pxd: formsapi.h: entry ApiVersion of API 'formsapi' uses the "
        "type 'forms_version', which Cython does not know; declare it in a "
        "file given with --types (lines of a `cdef extern from` block, e.g. "
        "`ctypedef struct forms_version:` with its fields, or `ctypedef long "
        "forms_version` for an integer type)")


def test_calling_a_retired_entry_does_not_compile(st_built, tmp_path):
    pxd_dir = Path(st_built["cyconsumer"]).parent
    (tmp_path / "old.pyx").write_text(
        "from testapi cimport testapi_capi as T\n"
        "def f(a):\n    return T.OldEntry(a)\n")
    r = subprocess.run([sys.executable, "-m", "cython", "-3", "-I",
                        str(pxd_dir), "old.pyx"], cwd=tmp_path,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    assert r.returncode != 0
    assert "has no attribute 'OldEntry'" in r.stdout


def test_cli_writes_the_same_pxd(st_built, tmp_path):
    out = tmp_path / "cbapi.pxd"
    r = subprocess.run([sys.executable, "-m", "hpyapi", "pxd",
                        str(C_DIR / "cbapi.h"), "cbapi", "-o", str(out)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    assert r.returncode == 0, r.stdout
    assert out.read_text() == \
        (Path(st_built["cyconsumer"]).parent / "cbapi.pxd").read_text()
    r = subprocess.run([sys.executable, "-m", "hpyapi", "pxd",
                        str(C_DIR / "cbapi.h"), "testapi"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.strip() == ("hpyapi pxd: the header declares no API "
                                "'testapi' (it declares: cbapi)")


# ---- examples/cython: the reference's example -------------------------------

@pytest.fixture(scope="module")
def cystats_so():
    return build_setup_dir(
        EX_DIR, BUILD_DIR / "cython-example" / _fingerprint(),
        {"MYARRAY_API_DIR": str(EX_DIR.parent)}, 1)["cystats"]


@pytest.mark.parametrize("e_mode", MODES)
def test_example(cystats_so, e_mode, tmp_path, monkeypatch, leakcheck):
    so = testing.build_extension(
        "myarray", [EX_DIR.parent / "myarray.c"], testing.abi_for_mode(e_mode),
        BUILD_DIR / "examples", include_dirs=[EX_DIR.parent],
        extra_compile_args=compile_args(), extra_link_args=EXTRA_LDFLAGS,
        runtime_compile_args=runtime_args())
    myarray = testing.load_extension("cyex_%s.myarray" % e_mode, so, e_mode,
                                     tmp_path)
    monkeypatch.setitem(sys.modules, "myarray", myarray)
    cystats = testing.load_extension("cyex_%s.cystats" % e_mode, cystats_so,
                                     "cpython", tmp_path)
    a = cystats.linspace(0.0, 1.0, 5)
    assert type(a) is myarray.Array and cystats.is_array(a)
    assert [a[i] for i in range(5)] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert cystats.mean(a) == 0.5
    assert cystats.total(a, myarray.Array(3, 2.0), a) == 11.0
    with pytest.raises(TypeError):
        cystats.mean("x")
    with pytest.raises(TypeError):
        cystats.total(a, "x")


def test_check_reads_cython_modules(st_built, modules):
    """A Cython module carries the import record the C consumer's macros
    write, so `python -m hpyapi check` sees what it needs without loading
    it: every API it cimports, satisfied by the test exporters."""
    from hpyapi.check import check, inspect
    cy_so = st_built["cyconsumer"]
    imports = sorted(r.api for r in inspect(cy_so)["imports"]
                     if r.kind == "import-capi")
    assert imports == ["cbapi", "formsapi", "outapi", "testapi"]
    exporters = []
    for name in ("outexporter", "formsexporter", "cbexporter"):
        exporters.append(modules.so(name, "universal"))
    assert check([cy_so] + exporters)["ok"]
    assert not check([cy_so, exporters[0]])["ok"]  # no formsapi, no cbapi
