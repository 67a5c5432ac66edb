"""By-value parameters with top-level qualifiers (`(const int, k)`,
`(double const, f)`, `(const char *const, s)`, `(volatile int, i)`)
compile in the exporter -- C and C++, gcc and clang -- and match a
consumer that leaves them out, online (import and calls on the paths that
build an argument frame) and offline (`python -m hpyapi check`).  Issue 18
item 3: the frame used to be filled by assignment, which a const member
refuses.  Sources: tests/c/firsthour/const*."""
import shutil
import sysconfig

import hpy.devel
import pytest

import hpyapi
from conftest import BUILD_DIR, C_DIR, compile_args, runtime_args
from hpyapi import testing
from hpyapi.check import check
from strict import run_compiler

SRC = C_DIR / "firsthour"
HPY_INCLUDE = hpy.devel.HPyDevel().get_extra_include_dirs()[0]
FORBID = str(hpy.devel.HPyDevel().get_include_dir_forbid_python_h())
PY_INCLUDE = sysconfig.get_paths()["include"]
COMPILERS = [(cc, lang) for cc, lang in
             (("gcc", "c"), ("clang", "c"), ("g++", "c++"), ("clang++", "c++"))
             if shutil.which(cc)]


@pytest.mark.parametrize("abi", ["universal", "cpython"])
@pytest.mark.parametrize("cc,lang", COMPILERS)
def test_the_exporter_compiles(cc, lang, abi, tmp_path):
    flags = (["-x", "c++", "-std=c++17"] if lang == "c++"
             else ["-std=gnu11"])
    flags += ["-Wall", "-Wextra", "-Werror", "-O2", "-DHPY",
              "-DHPY_ABI_%s" % abi.upper(), "-isystem", HPY_INCLUDE,
              "-I" + hpyapi.get_include(), "-I" + str(SRC)]
    flags += ["-I" + FORBID] if abi == "universal" else ["-isystem",
                                                         PY_INCLUDE]
    # hpy's HPyDef_* macros (not hpyapi's code) trip this one
    flags += ["-Wno-missing-field-initializers"]
    res = run_compiler([cc] + flags + ["-c", str(SRC / "constexp.c"),
                                       "-o", str(tmp_path / "out.o")])
    assert res.returncode == 0 and res.stdout == "", res.stdout[:3000]


def build(name, abi):
    return testing.build_extension(
        name, [SRC / (name + ".c")], abi, BUILD_DIR, include_dirs=[SRC],
        extra_compile_args=compile_args(),
        runtime_compile_args=runtime_args())


@pytest.fixture(scope="module")
def built():
    jobs = [("constexp", "universal"), ("constcons", "universal"),
            ("constcons", "cpython"), ("constcons_capi", "capi")]
    return {job: build(*job) for job in jobs}


# exporter mode x consumer: the debug exporter takes every call through an
# argument frame (the HPy and the C-API slow paths); the others the direct
# and rebase paths
PAIRS = [("debug", "universal"), ("debug", "capi"), ("universal", "cpython"),
         ("universal", "universal"), ("universal", "capi")]


@pytest.mark.parametrize("e_mode,c_mode", PAIRS)
def test_calls_with_const_parameters(built, e_mode, c_mode, tmp_path,
                                     leakcheck):
    exp = testing.load_extension("cq_e_%s.constexp" % e_mode,
                                 built[("constexp", "universal")], e_mode,
                                 tmp_path)
    name = "constcons_capi" if c_mode == "capi" else "constcons"
    abi = "capi" if c_mode == "capi" else testing.abi_for_mode(c_mode)
    cons = testing.load_extension(
        "cq_c_%s_%s.%s" % (e_mode, c_mode, name), built[(name, abi)],
        "cpython" if c_mode == "capi" else c_mode, tmp_path)
    cons.setup(exp.__name__)
    items = ("a", "b", "c")
    assert cons.run(7, 3, 0.5, items, 2) == (10, "c", "yz")
    assert cons.run(-4, 5, 2.0, items, 0) == (-40, "a", "yz")
    with pytest.raises(IndexError, match="Pick: index out of range"):
        cons.run(1, 1, 1.0, items, 3)


def test_check_normalises_the_qualifiers(built):
    report = check([built[("constexp", "universal")],
                    built[("constcons", "universal")],
                    built[("constcons_capi", "capi")]])
    assert [r["satisfied"] for r in report["results"]] == [True, True], report
    exp = report["files"][0]["exports"][0]
    assert [e.signature for e in exp.entries] == [
        "long(HPy,const int,double const)",
        "HPy(const HPy *,HPy_ssize_t,const HPy_ssize_t)",
        "const char *(volatile int,const char *const)"], exp.entries
