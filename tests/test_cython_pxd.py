"""python -m hpyapi pxd / hpyapi.pxd on its own (no Cython build): how each
declaration form, result type and per-entry exception clause comes out,
and the errors for what it cannot declare.  The generated files are
compiled and called in tests/test_cython.py."""
import pytest

from conftest import C_DIR
from hpyapi.pxd import PxdError, declaration, pxd_text, write_pxd

HEADER = r"""
#include <stdbool.h>
#include <stdint.h>
#include "hpyapi.h"
typedef struct { int x; } pt;
typedef long my_int;
#define ODD_ERR "except? 0"
#define KINDS(FUNC, OBJECT, RETIRED)                                        \
    FUNC(0, 0, bool, IsIt, (HPy, a))                                        \
    FUNC(1, 0, unsigned int, Flags, (uint64_t, mask), (int, lambda))        \
    FUNC(2, 0, float, Ratio, (const pt *, p))                               \
    FUNC(3, 0, my_int, Count, (void))                                       \
    FUNC(4, 0, void *, Buffer, (HPy, a))                                    \
    FUNC(5, 0, int, Quiet, (HPy, a))                                        \
    FUNC(6, 1, long, Odd, (HPyAPI_CB(double, (HPy, x), (int, k)), fn, ud))  \
    OBJECT(7, 0, Origin, pt)                                                \
    RETIRED(8, 0, int, Gone, (HPy, a))
HPyAPI_DECLARE(kinds, KINDS, 2, 1)
#define HPyAPI_CYTHON_EXCEPT_Quiet "noexcept"
#define HPyAPI_CYTHON_EXCEPT_Odd ODD_ERR
"""
TYPES = "ctypedef struct pt:\n    int x\nctypedef long my_int\n"


@pytest.fixture
def kinds_h(tmp_path):
    h = tmp_path / "kinds.h"
    h.write_text(HEADER)
    return h


def test_each_result_type_and_clause(kinds_h, tmp_path):
    types = tmp_path / "types.pxi"
    types.write_text(TYPES)
    out = tmp_path / "kinds.pxd"
    write_pxd(kinds_h, "kinds", out, module="pkg.kinds", types=types)
    text = out.read_text()
    table = text.split("    ctypedef struct kinds_CAPI:\n")[1]
    members = []
    for ln in table.splitlines():
        if not ln.startswith("        "):
            break
        members.append(ln.strip())
    assert members == [
        "bint (*IsIt)(object a) except? 0",
        "unsigned int (*Flags)(uint64_t mask, int lambda_) except? -1",
        "float (*Ratio)(const pt *p) except? -1",
        "my_int (*Count)() except *",      # a typedef: always checked
        "void *(*Buffer)(object a) except? NULL",
        "int (*Quiet)(object a) noexcept",  # from the header, after the list
        "long (*Odd)(kinds_Odd_fn fn, void *ud) except? 0",
        "const Origin_hpyapi_T *Origin",
        "# Gone (slot 8) is retired: not callable",
    ]
    assert "    ctypedef double (*kinds_Odd_fn)(object x, int k, void *ud) " \
           "except? -1\n" in text
    assert "    ctypedef pt Origin_hpyapi_T\n" in text
    assert "from libc.stdint cimport uint64_t\n" in text
    assert 'HPyAPI_USE_CAPI_DEFINE(kinds, KINDS, "pkg.kinds");' in text
    assert "the 'kinds' API, version 2.1" in text
    # unchanged text: the file is not rewritten (builds compare times)
    mtime = out.stat().st_mtime_ns
    write_pxd(kinds_h, "kinds", out, module="pkg.kinds", types=types)
    assert out.stat().st_mtime_ns == mtime


def test_defines_reach_the_preprocessor():
    d = declaration(C_DIR / "testapi.h", "testapi",
                    defines=["TESTAPI_MINOR=1"])
    assert (d["major"], d["minor"]) == (1, 1)
    assert d["entries"][-1]["name"] == "Version"
    assert "long (*Version)() except? -1" in pxd_text(d, "testapi.h")
    assert len(declaration(C_DIR / "testapi.h", "testapi")["entries"]) == 15


def test_unknown_type_names_entry_and_fix(kinds_h):
    with pytest.raises(PxdError) as e:
        pxd_text(declaration(kinds_h, "kinds"), "kinds.h")
    assert str(e.value).startswith(
        "hpyapi pxd: kinds.h: entry Ratio of API 'kinds' uses the type 'pt', "
        "which Cython does not know; declare it in a file given with --types")


def test_bad_clauses_are_refused(tmp_path):
    h = tmp_path / "bad.h"
    h.write_text(HEADER.replace('"noexcept"', "noexcept"))
    with pytest.raises(PxdError) as e:
        declaration(h, "kinds")
    assert str(e.value) == (
        'hpyapi pxd: HPyAPI_CYTHON_EXCEPT_Quiet must be a string holding a '
        'Cython exception clause, e.g. "except *"')
    h.write_text('#include "hpyapi.h"\n#define L(FUNC, OBJECT, RETIRED) '
                 'FUNC(0, 0, HPy, Get, (void))\nHPyAPI_DECLARE(one, L, 1, 0)\n'
                 '#define HPyAPI_CYTHON_EXCEPT_Get "except *"\n')
    with pytest.raises(PxdError) as e:
        pxd_text(declaration(h, "one"), "bad.h")
    assert str(e.value) == ("hpyapi pxd: bad.h: HPyAPI_CYTHON_EXCEPT_Get: an "
                            "HPy result always fails with NULL; remove it")


def test_header_errors(tmp_path, monkeypatch):
    with pytest.raises(PxdError) as e:
        declaration(tmp_path / "missing.h", "x")
    assert "preprocessing" in str(e.value) and "missing.h" in str(e.value)
    h = tmp_path / "none.h"
    h.write_text('#include "hpyapi.h"\n')
    with pytest.raises(PxdError) as e:
        declaration(h, "x")
    assert str(e.value) == ("hpyapi pxd: the header declares no API 'x' (it "
                            "declares: none: no HPyAPI_DECLARE reached the "
                            "preprocessor)")
    monkeypatch.setenv("CC", "no-such-cc")
    with pytest.raises(PxdError) as e:
        declaration(C_DIR / "testapi.h", "testapi")
    assert str(e.value) == ("hpyapi pxd: cannot run the C preprocessor "
                            "'no-such-cc' (No such file or directory); set CC "
                            "to a C compiler")
