"""In-out handles, HPyAPI_LEN_EXPR arrays and returned arrays in hpyapi's
tools: the signature the import compares (an in-out handle never an
out-handle's, a length expression by parameter positions), `python -m
hpyapi pxd` (NumPy's C types, PyObject **) and `python -m hpyapi
expand`."""
import subprocess
import sys

from conftest import C_DIR, REPO
from hpyapi.pxd import declaration, pxd_text
from hpyapi.signature import normalize, same

IOAPI_H = C_DIR / "ioapi.h"
LENAPI_H = C_DIR / "lenapi.h"


def test_signature_tells_inout_from_out_handles_and_values():
    assert normalize("int(inout HPy *,int)") == "int(inout HPy*,int)"
    assert same("int(inout HPy *,int)", "int(inout  HPy*, int)")
    assert not same("int(inout HPy *,int)", "int(HPy *,int)")
    assert not same("int(inout HPy *,int)", "int(void *,int)")
    # named signatures (entries with HPyAPI_LEN arrays) as well
    assert same("HPy(inout HPy * a,int n,const HPy * xs[n])",
                "HPy(inout HPy * b,int m,const HPy * ys[m])")
    assert not same("HPy(inout HPy * a,int n,const HPy * xs[n])",
                    "HPy(HPy * a,int n,const HPy * xs[n])")


def test_pxd_keeps_numpys_pyobject_pointer():
    text = pxd_text(declaration(IOAPI_H, "ioapi"), "ioapi.h")
    table = text.split("    ctypedef struct ioapi_CAPI:\n")[1]
    members = [ln.strip() for ln in table.splitlines()[:3]]
    assert members == [
        "int (*Io_Convert)(PyObject **op, int how) except? -1",
        "int (*Io_Swap)(PyObject **a, PyObject **b) except? -1",
        "object (*Io_Both)(object x, PyObject **op, PyObject **out)",
    ]


def expand(*args):
    res = subprocess.run([sys.executable, "-m", "hpyapi", "expand"]
                         + list(args), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, cwd=str(REPO))
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_expand_shows_the_inout_conversion():
    out = expand(str(IOAPI_H), "ioapi", "Io_Convert")
    # the direct path reads the caller's handle and writes it back
    assert "HPy hpyapi_o_op = _HPyAPI_InOutIn((const void *)op, hpyapi_k);" \
        in out
    assert "*op = _HPyAPI_Rebase(hpyapi_o_op, -(hpyapi_k));" in out
    assert "\"inout HPy *\"" in out  # the signature, in the type check
    capi = expand("--side", "capi", str(IOAPI_H), "ioapi", "Io_Convert")
    assert "Io_Convert_hpyapi_cunimported( struct _object **op , int how )" \
        in capi


def test_signature_of_length_expressions_is_by_position():
    resolver = ("int(int nin,int nout,const HPy * dt[nin + nout],"
                "HPy * out[nin + nout])")
    assert normalize(resolver) == "int(int,int,const HPy*[=#1+#2],HPy*[=#1+#2])"
    # renaming is free, spacing too; the canonical form reads back as itself
    assert same(resolver, "int(int a,int b,const HPy * x[a+b],HPy * y[ a + b ])")
    assert same(resolver, normalize(resolver))
    # another expression, or a constant where it was a parameter, is not
    assert not same(resolver, resolver.replace("[nin + nout]", "[nin]", 1))
    assert not same("int(const HPy * p[3])", "int(int n,const HPy * p[n])")
    assert normalize("int(const HPy * p[3])") == "int(const HPy*[=3])"


def test_pxd_declares_expression_arrays_without_length():
    text = pxd_text(declaration(LENAPI_H, "lenapi"), "lenapi.h")
    table = text.split("    ctypedef struct lenapi_CAPI:\n")[1]
    members = [ln.strip() for ln in table.splitlines()[:4]]
    assert members == [
        "object (*Len_Three)(PyObject **xs)",
        "int (*Len_Split3)(object seq, PyObject **out) except? -1",
        "int (*Len_Resolve)(int nin, int nout, PyObject **dtypes, "
        "PyObject **out_dtypes) except? -1",
        "object (*Len_Pairs)(PyObject **flat, unsigned char n)",
    ]


def test_expand_shows_the_length_evaluated_into_the_frame():
    out = expand(str(LENAPI_H), "lenapi", "Len_Resolve")
    assert "HPy_ssize_t hpyapi_len_out_dtypes;" in out
    assert "(HPy_ssize_t)(nin + nout)" in out


def test_pxd_returns_pyobject_pointer_for_returned_arrays():
    text = pxd_text(declaration(C_DIR / "retapi.h", "retapi"), "retapi.h")
    table = text.split("    ctypedef struct retapi_CAPI:\n")[1]
    assert [ln.strip() for ln in table.splitlines()[:2]] == [
        "PyObject **(*Ret_Items)(object seq, int *retn) except? NULL",
        "PyObject **(*Ret_Twice)(object a) except? NULL",
    ]
