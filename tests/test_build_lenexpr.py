"""Compile-time side of HPyAPI_LEN_EXPR arrays (the run-time side:
test_lenexpr.py): they build warning-free as C and C++ with gcc and clang
for every ABI and in C-API consumers, with NumPy's own C types (no length
parameter); a mistake is one short error naming the entry; a legacy table
refuses them."""
import pytest

import hpyapi
from strict import ABIS, PY_INCLUDE, abi_flags
from strict import (COMPILERS, build, declaration, error_lines,
                              messages)
from strict import LEGACY, compile_snippet

DECL = """
#define LX_API(FUNC, OBJECT, RETIRED)                                         \\
    FUNC(0, 0, int, TypeResolver, (HPy, ufunc), (int, casting),               \\
         (const HPy *, operands, HPyAPI_LEN_EXPR(nin + nout)), (int, nin),    \\
         (unsigned char, nout),                                               \\
         (HPy *, out_dtypes, HPyAPI_LEN_EXPR(nin + nout)))                    \\
    FUNC(1, 0, HPy, Three, (const HPy *, xs, HPyAPI_LEN_EXPR(3)))             \\
    FUNC(2, 0, void, Fill, (long long, n), (HPy *, out, HPyAPI_LEN_EXPR(2 * n)))\\
    RETIRED(3, 0, int, Old, (const HPy *, xs, HPyAPI_LEN_EXPR(4)))
HPyAPI_DECLARE(lx, LX_API, 1, 0)
"""

EXPORTER = """
#include "hpy.h"
#include "hpyapi.h"
""" + DECL + """
static int TypeResolver(HPyContext *ctx, HPy ufunc, int casting,
                        const HPy *operands, int nin, unsigned char nout,
                        HPy *out_dtypes)
{
    (void)ufunc; (void)casting;
    for (int i = 0; i < nin + nout; i++)
        out_dtypes[i] = HPy_Dup(ctx, operands[i]);
    return 0;
}
static HPy Three(HPyContext *ctx, const HPy *xs)
{ return HPyTuple_FromArray(ctx, (HPy *)xs, 3); }
static void Fill(HPyContext *ctx, long long n, HPy *out)
{ for (long long i = 0; i < 2 * n; i++) out[i] = HPy_Dup(ctx, ctx->h_None); }
HPyAPI_DEFINE(lx, LX_API);
static lx_API table;
int export_lx(HPyContext *ctx, HPy module);
int export_lx(HPyContext *ctx, HPy module)
{
    table.TypeResolver = HPy_AsAPI(ctx, TypeResolver);
    table.Three = HPy_AsAPI(ctx, Three);
    table.Fill = HPy_AsAPI(ctx, Fill);
    return HPyAPI_Export(ctx, module, lx, &table);
}
"""

CONSUMER = """
#include "hpy.h"
#include "hpyapi.h"
""" + DECL + """
HPyAPI_USE_DEFINE(lx, LX_API, "lx_exporter");
int use_lx(HPyContext *ctx, HPy x);
int use_lx(HPyContext *ctx, HPy x)
{
    if (import_lx(ctx) < 0)
        return -1;
    HPy in[3] = {x, x, x}, out[4];
    int r = lx_api->TypeResolver(ctx, x, 0, in, 2, 1, out);
    HPy t = lx_api->Three(ctx, in);
    HPy_Close(ctx, t);
    lx_api->Fill(ctx, 2, out);
    return r;
}
"""

CAPI_CONSUMER = """
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "hpyapi.h"
""" + DECL + """
HPyAPI_USE_CAPI_DEFINE(lx, LX_API, "lx_exporter");
int use_lx(PyObject *x);
int use_lx(PyObject *x)
{
    if (import_lx() < 0)
        return -1;
    /* a legacy type resolver's own types: no length parameter */
    int (*resolve)(PyObject *, int, PyObject *const *, int, unsigned char,
                   PyObject **) = lx_capi->TypeResolver;
    PyObject *in[3] = {x, x, x}, *out[3] = {NULL, NULL, NULL};
    int r = resolve(x, 0, in, 2, 1, out);
    for (int i = 0; i < 3; i++)
        Py_XDECREF(out[i]);
    Py_XDECREF(lx_capi->Three(in));
    return r;
}
"""



@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("abi", ABIS)
def test_lenexpr_builds_without_warnings(abi, compiler, tmp_path):
    for source in (EXPORTER, CONSUMER):
        res = build(source, compiler, tmp_path,
                    abi_flags(abi) + ["-Wtype-limits", "-Wsign-compare"])
        assert res.returncode == 0 and res.stdout == "", res.stdout


@pytest.mark.parametrize("compiler", COMPILERS)
def test_capi_table_has_no_length_parameter(compiler, tmp_path):
    res = build(CAPI_CONSUMER, compiler, tmp_path,
                ["-isystem", PY_INCLUDE, "-I" + hpyapi.get_include()])
    assert res.returncode == 0 and res.stdout == "", res.stdout


MISTAKES = {
    "floating expression": (
        "FUNC(0, 0, int, F, (double, d), (const HPy *, p, HPyAPI_LEN_EXPR(d * 2)))",
        "F: HPyAPI_LEN_EXPR(d * 2) of array 'p' must be an integer expression"
        " (any integer type but bool) of F's parameters and constants"),
    "a handle in the expression": (
        "FUNC(0, 0, int, F, (HPy, h), (HPy *, p, HPyAPI_LEN_EXPR(h)))",
        "F: HPyAPI_LEN_EXPR(h) of array 'p' must be an integer expression"),
    "read array of the wrong type": (
        "FUNC(0, 0, int, F, (int, n), (HPy *const *, p, HPyAPI_LEN_EXPR(n + 1)))",
        "F: array parameter 'p' the exporter fills must be declared as "
        "(HPy *, p, HPyAPI_LEN_EXPR(n + 1))"),
    "value array": (
        "FUNC(0, 0, int, F, (int, n), (double *, p, HPyAPI_LEN_EXPR(3)))",
        "F: array parameter 'p' must be declared as (const HPy *, p, "
        "HPyAPI_LEN_EXPR(3))"),
}


@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_lenexpr_mistake_is_one_short_error(case, compiler, tmp_path):
    entries, message = MISTAKES[case]
    res = build(declaration(entries), compiler, tmp_path,
                abi_flags("universal"))
    assert res.returncode != 0
    out = messages(res.stdout)
    errors = error_lines(out)
    lines = out.splitlines()
    assert message in lines[errors[0]], out
    assert len(errors) == 1 and len(lines) < 80, out


@pytest.mark.parametrize("compiler", COMPILERS)
def test_misspelt_name_is_the_compilers_error_in_the_entrys_check(
        compiler, tmp_path):
    entries = ("FUNC(0, 0, int, TypeResolver, (int, nin), (int, nout), "
               "(HPy *, out_dtypes, HPyAPI_LEN_EXPR(nin + nuot)))")
    res = build(declaration(entries), compiler, tmp_path,
                abi_flags("universal"))
    assert res.returncode != 0
    out = messages(res.stdout)
    lines = out.splitlines()
    errors = error_lines(out)
    first = lines[errors[0]]
    assert "nuot" in first and ("undeclared" in first or
                                "not declared" in first), out
    # gcc names the function the error is in, TypeResolver_hpyapi_lens
    # (and repeats the macro trace: ~100 lines); clang says only the name
    # and its fix, at the HPyAPI_DECLARE line
    assert "did you mean 'nout'?" in first, out
    if compiler.startswith("g"):
        assert "In function" in out and "TypeResolver_hpyapi_lens" in out
    assert len(errors) == 1 and len(lines) < 120, out


@pytest.mark.parametrize("compiler", COMPILERS)
def test_legacy_table_refuses_lenexpr(compiler, tmp_path):
    entry = "FUNC(6, 0, int, Three, (const HPy *, xs, HPyAPI_LEN_EXPR(3)))"
    rc, out = compile_snippet(LEGACY % entry, compiler, "universal", tmp_path)
    assert rc != 0
    errors = [l for l in out.splitlines()
              if " error: " in l or l.startswith("error: ")]
    assert len(errors) == 1 and "Three: parameter 'xs' is an array of " \
        "handles; a legacy table takes handles and values only" in errors[0]
