"""A project the size NumPy's users have: an exporter split over four C
files exporting two APIs, an HPy consumer over three C files and one C++
file, a plain C-API consumer over a C and a C++ file; every file calls
through tables imported once per module.  The whole mode matrix."""
import sys

import pytest

from conftest import EXTRA_CFLAGS, MODES, REPO, register
from hpyapi import testing

M_DIR = REPO / "tests" / "multi"
EXPORTER = ["vexp_module.c", "vexp_vec.c", "vexp_ops.c", "vexp_util.c"]
CONSUMER = ["vcon_module.c", "vcon_tables.c", "vcon_calc.c", "vcon_cxx.cpp"]
CAPI = ["vcapi_module.c", "vcapi_cxx.cpp"]
VEXP = [("VEXP_MODULE", '"vexp"')]


def cflags():
    # C and C++ files share these, so no -std: gcc's defaults are gnu17
    # and gnu++17, which both hpy.h and hpyapi.h accept
    return [a for a in testing.default_compile_args()
            if not a.startswith("-std=")] + ["-Werror"] + EXTRA_CFLAGS


register("vexp", [M_DIR / f for f in EXPORTER], [M_DIR], VEXP, cflags=cflags())
register("vcon", [M_DIR / f for f in CONSUMER], [M_DIR], VEXP, cflags=cflags())
register("vcapi", [M_DIR / f for f in CAPI], [M_DIR], VEXP, abis=("capi",),
         cflags=cflags())


@pytest.fixture(scope="module")
def multi(modules):
    def pair(exp_mode, con_mode):
        """The consumer (con_mode, or "capi") loaded against the exporter
        loaded in exp_mode: consumers import "vexp" in mod_exec."""
        return modules.pair(exp_mode, con_mode, exporter="vexp",
                            consumer="vcon", capi="vcapi", setup=None,
                            alias="vexp")
    return pair


@pytest.mark.parametrize("exp_mode", MODES)
@pytest.mark.parametrize("con_mode", MODES)
def test_hpy_consumer_over_c_and_cxx_files(multi, leakcheck, exp_mode,
                                           con_mode):
    vexp, vcon = multi(exp_mode, con_mode)
    assert vcon.ramp(4) == [0.0, 1.0, 2.0, 3.0]      # vec + vops, C file
    assert vcon.norm2([1.0, 2.0, 2.0]) == 9.0        # vops, C file
    assert vcon.summary([3.0, 4.0]) == "n=2 first=3 dot=25"  # C++ file
    assert vcon.join([1.0], [2.0, 3.0]) == [2.0, 4.0, 6.0]   # C++ file
    # exceptions of the exporter's own type, raised in another file
    with pytest.raises(vexp.VecError, match="ramp: at most 8"):
        vcon.ramp(9)
    with pytest.raises(TypeError):  # HPy_Length of a float, in the exporter
        vcon.summary(1.5)
    with pytest.raises(ZeroDivisionError):  # Python code called by it
        vcon.apply(lambda v: 1 / 0, [1.0])
    # a callback into Python from inside the exporter, re-entering it
    assert vcon.apply(lambda v: vcon.norm2(v), [2.0]) == 4.0
    # refcounts: arguments stay borrowed, results are owned by the caller
    v = [1.0, 2.0]
    before = sys.getrefcount(v)
    for _ in range(200):
        vcon.summary(v)
        vcon.norm2(v)
    assert sys.getrefcount(v) == before


@pytest.mark.parametrize("exp_mode", MODES)
def test_capi_consumer_over_c_and_cxx_files(multi, exp_mode):
    vexp, vcapi = multi(exp_mode, "capi")
    assert vcapi.ramp(3) == [0.0, 1.0, 2.0]
    assert vcapi.scaled_dot([1.0, 2.0], [3.0, 4.0], 2.0) == 22.0  # C++
    assert vcapi.error_type() is vexp.VecError
    with pytest.raises(ValueError, match="lengths differ"):
        vcapi.scaled_dot([1.0], [1.0, 2.0], 1.0)
    a = [1.0, 2.0]
    before = sys.getrefcount(a)
    for _ in range(200):
        vcapi.scaled_dot(a, a, 1.0)
    assert sys.getrefcount(a) == before


def run_check(*paths):
    import subprocess
    return subprocess.run([sys.executable, "-m", "hpyapi", "check", "--json"]
                          + [str(p) for p in paths], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("abi", ["cpython", "universal"])
def test_check_reads_what_real_binaries_export_and_need(modules, abi):
    import json
    vexp = modules.so("vexp", abi)
    vcon = modules.so("vcon", abi)
    vcapi = modules.so("vcapi", "capi")
    res = run_check(vexp, vcon, vcapi)
    assert res.returncode == 0, res.stdout + res.stderr
    files = {f["path"]: f for f in json.loads(res.stdout)["files"]}
    exported = {(r["api"], r["version"], r["kind"], len(r["entries"]))
                for r in files[str(vexp)]["exports"]}
    assert exported == {("vec", "1.0", "export", 5),
                        ("vops", "1.0", "export", 3)}
    needed = {(r["api"], r["kind"]) for r in files[str(vcon)]["imports"]}
    assert needed == {("vec", "import"), ("vops", "import")}
    needed = {(r["api"], r["kind"]) for r in files[str(vcapi)]["imports"]}
    assert needed == {("vec", "import-capi"), ("vops", "import-capi")}
    vec = [r for r in files[str(vexp)]["exports"] if r["api"] == "vec"][0]
    assert vec["entries"][4]["name"] == "VecError"
    assert vec["entries"][0]["signature"] == "HPy(HPy_ssize_t,double)"
    # a consumer without its exporter is not satisfied
    res = run_check(vcon)
    assert res.returncode == 1
    assert "no file given exports the vec API" in res.stdout
