"""A module that forgets HPyAPI_USE_DEFINE, or has it in two files, fails
to link, and the linker's message names the fix (issue 18 item 4).  Before,
a module that only called import_<api> linked (a shared object may keep an
undefined symbol reached through the PLT) and failed at import time inside
hpy's `RuntimeError ... undefined symbol`.  Sources:
tests/c/firsthour/usedef*.c."""
import pytest

from conftest import BUILD_DIR, C_DIR, compile_args, runtime_args
from hpyapi import testing

SRC = C_DIR / "firsthour"
SYMBOL = "fhapi_api__HPyAPI_USE_DEFINE_must_be_in_exactly_one_C_file_of_the_module"


def build(name, macros, abi):
    return testing.build_extension(
        name, [SRC / "usedef_main.c", SRC / "usedef.c"], abi, BUILD_DIR,
        include_dirs=[SRC], define_macros=macros + [("MODNAME", name)],
        extra_compile_args=compile_args(),
        runtime_compile_args=runtime_args())


@pytest.mark.parametrize("abi", ["universal", "cpython"])
def test_one_define_links(abi):
    assert build("usedef_ok", [], abi).endswith(".so")


@pytest.mark.parametrize("opt", ["-O0", "-O2"])
def test_no_define_fails_to_link_naming_the_fix(opt):
    with pytest.raises(RuntimeError) as e:
        testing.build_extension(
            "usedef_none", [SRC / "usedef_main.c", SRC / "usedef.c"],
            "universal", BUILD_DIR, include_dirs=[SRC],
            define_macros=[("NO_DEFINE", "1"), ("MODNAME", "usedef_none")],
            extra_compile_args=compile_args() + [opt],
            runtime_compile_args=runtime_args())
    log = str(e.value)
    assert "undefined symbol `%s'" % SYMBOL in log, log[-2000:]


def test_two_defines_fail_to_link_naming_the_fix():
    with pytest.raises(RuntimeError) as e:
        build("usedef_two", [("TWO_DEFINES", "1")], "universal")
    log = str(e.value)
    assert "multiple definition of `%s'" % SYMBOL in log, log[-2000:]
