"""In-out handles in hpyapi's tools: the signature the import compares
(never an out-handle's), `python -m hpyapi pxd` (NumPy's C type,
PyObject **) and `python -m hpyapi expand`."""
import subprocess
import sys

from conftest import C_DIR, REPO
from hpyapi.pxd import declaration, pxd_text
from hpyapi.signature import normalize, same

IOAPI_H = C_DIR / "ioapi.h"


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
