"""Compile-time side of in-out handles, `(HPy *, op, HPyAPI_INOUT)` (the
run-time side: test_inout.py): they build warning-free as C and C++ with
gcc and clang for every ABI and in C-API consumers, where the table keeps
NumPy's `PyObject **`; a mistake is one short error naming the entry, and
a legacy table refuses them the same way."""
import pytest

import hpyapi
from strict import ABIS, PY_INCLUDE, abi_flags
from strict import (COMPILERS, build, declaration, error_lines,
                              messages)
from strict import LEGACY, compile_snippet

DECL = """
#define IO_API(FUNC, OBJECT, RETIRED)                                         \\
    FUNC(0, 0, int, AsCArray, (HPy *, op, HPyAPI_INOUT), (void *, ptr),       \\
         (intptr_t *, dims), (int, nd), (HPy, descr))                         \\
    FUNC(1, 0, HPy, Both, (HPy *, a, HPyAPI_INOUT), (int, n),                 \\
         (const HPy *, xs, HPyAPI_LEN(n)), (HPy *, b, HPyAPI_INOUT))
HPyAPI_DECLARE(io, IO_API, 1, 0)
"""

EXPORTER = """
#include "hpy.h"
#include "hpyapi.h"
""" + DECL + """
static int AsCArray(HPyContext *ctx, HPy *op, void *ptr, intptr_t *dims,
                    int nd, HPy descr)
{
    (void)ptr; (void)dims; (void)nd; (void)descr;
    HPy t = HPyTuple_Pack(ctx, 1, *op);
    HPy_Close(ctx, *op);
    *op = t;
    return 0;
}
static HPy Both(HPyContext *ctx, HPy *a, int n, const HPy *xs, HPy *b)
{ (void)a; (void)b; return n ? HPy_Dup(ctx, xs[0]) : HPy_Dup(ctx, ctx->h_None); }
HPyAPI_DEFINE(io, IO_API);
static io_API table;
int export_io(HPyContext *ctx, HPy module);
int export_io(HPyContext *ctx, HPy module)
{
    table.AsCArray = HPy_AsAPI(ctx, AsCArray);
    table.Both = HPy_AsAPI(ctx, Both);
    return HPyAPI_Export(ctx, module, io, &table);
}
"""

CONSUMER = """
#include "hpy.h"
#include "hpyapi.h"
""" + DECL + """
HPyAPI_USE_DEFINE(io, IO_API, "io_exporter");
int use_io(HPyContext *ctx, HPy x);
int use_io(HPyContext *ctx, HPy x)
{
    if (import_io(ctx) < 0)
        return -1;
    HPy op = HPy_Dup(ctx, x), b = HPy_Dup(ctx, x);
    int r = io_api->AsCArray(ctx, &op, NULL, NULL, 0, x);
    HPy h = io_api->Both(ctx, &op, 1, &x, &b);
    HPy_Close(ctx, h);
    HPy_Close(ctx, op);
    HPy_Close(ctx, b);
    return r;
}
"""

CAPI_CONSUMER = """
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "hpyapi.h"
""" + DECL + """
HPyAPI_USE_CAPI_DEFINE(io, IO_API, "io_exporter");
/* NumPy's own signature: int PyArray_AsCArray(PyObject **op, ...) */
static int (*const as_c_array)(PyObject **, void *, intptr_t *, int,
                               PyObject *) = NULL;
int use_io(PyObject *x);
int use_io(PyObject *x)
{
    (void)as_c_array;
    if (import_io() < 0)
        return -1;
    int (*f)(PyObject **, void *, intptr_t *, int, PyObject *) =
        io_capi->AsCArray;
    PyObject *op = x;
    Py_INCREF(op);
    int r = f(&op, NULL, NULL, 0, x);
    Py_DECREF(op);
    return r;
}
"""


@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("abi", ABIS)
def test_inout_builds_without_warnings(abi, compiler, tmp_path):
    for source in (EXPORTER, CONSUMER):
        res = build(source, compiler, tmp_path, abi_flags(abi))
        assert res.returncode == 0 and res.stdout == "", res.stdout


@pytest.mark.parametrize("compiler", COMPILERS)
def test_capi_table_keeps_numpys_signature(compiler, tmp_path):
    res = build(CAPI_CONSUMER, compiler, tmp_path,
                ["-isystem", PY_INCLUDE, "-I" + hpyapi.get_include()])
    assert res.returncode == 0 and res.stdout == "", res.stdout


MISTAKES = {
    "const HPy *": (
        "FUNC(0, 0, int, AsCArray, (const HPy *, op, HPyAPI_INOUT), (int, n))",
        "AsCArray: in-out handle parameter 'op' must be declared as "
        "(HPy *, op, HPyAPI_INOUT)"),
    "HPy **": (
        "FUNC(0, 0, int, AsCArray, (int, n), (HPy **, op, HPyAPI_INOUT))",
        "AsCArray: in-out handle parameter 'op' must be declared as "
        "(HPy *, op, HPyAPI_INOUT)"),
    "a value type": (
        "FUNC(0, 0, int, F, (void **, op, HPyAPI_INOUT))",
        "F: in-out handle parameter 'op' must be declared as "
        "(HPy *, op, HPyAPI_INOUT)"),
    "in a callback": (
        "FUNC(0, 0, int, F, (HPyAPI_CB(int, (HPy *, op, HPyAPI_INOUT)), fn, "
        "ud))",
        "F: a callback's parameters are handles (HPy, op) or values "
        "(T, op); pass arrays through user data"),
}


@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_inout_mistake_is_one_short_error(case, compiler, tmp_path):
    entries, message = MISTAKES[case]
    res = build(declaration(entries), compiler, tmp_path,
                abi_flags("universal"))
    assert res.returncode != 0
    out = messages(res.stdout)
    errors = error_lines(out)
    lines = out.splitlines()
    assert message in lines[errors[0]], out
    # gcc's trace of the callback's nested parameter walk is a little longer
    assert len(errors) == 1 and len(lines) < (100 if "callback" in case
                                              else 80), out


@pytest.mark.parametrize("compiler", COMPILERS)
def test_legacy_table_refuses_inout(compiler, tmp_path):
    entry = "FUNC(6, 0, int, AsCArray, (HPy *, op, HPyAPI_INOUT), (int, nd))"
    rc, out = compile_snippet(LEGACY % entry, compiler, "universal", tmp_path)
    assert rc != 0
    lines = out.splitlines()
    errors = [l for l in lines if " error: " in l or l.startswith("error: ")]
    expected = ("AsCArray: parameter 'op' is an in-out handle; a legacy table "
                "takes handles and values only (export a wrapper of this "
                "function through an hpyapi API instead)")
    assert len(errors) == 1 and expected in errors[0], out
    assert len(lines) < 80, out
