"""Compile-time side of returned arrays of handles (the run-time side:
test_retarrays.py): `HPy *` results with HPyAPI_RETURNS_<Entry> build
warning-free as C and C++ with gcc and clang for every ABI, and in C-API
consumers with NumPy's own `PyObject **` result; the refusals are in
test_build_forms.py's UNSUPPORTED."""
import pytest

import hpyapi
from strict import ABIS, PY_INCLUDE, abi_flags
from strict import COMPILERS, build

DECL = """
#define RA_API(FUNC, OBJECT, RETIRED)                                         \\
    FUNC(0, 0, HPy *, ConvertToCommonType, (HPy, op), (int *, retn))         \\
    FUNC(1, 0, HPy *, Pair, (HPy, a), (const HPy *, xs, HPyAPI_LEN(n)),       \\
         (short, n), (HPyAPI_CB(int, (HPy, x)), fn, ud))
#define HPyAPI_RETURNS_ConvertToCommonType HPyAPI_HANDLES(*retn)
#define HPyAPI_RETURNS_Pair HPyAPI_HANDLES(n + 1)
HPyAPI_DECLARE(ra, RA_API, 1, 0)
"""

EXPORTER = """
#include "hpy.h"
#include "hpyapi.h"
""" + DECL + """
static HPy *ConvertToCommonType(HPyContext *ctx, HPy op, int *retn)
{
    HPy *arr = HPyAPI_NewHandles(1);
    if (arr == NULL)
        return NULL;
    arr[0] = HPy_Dup(ctx, op);
    *retn = 1;
    return arr;
}
static HPy *Pair(HPyContext *ctx, HPy a, const HPy *xs, short n,
                 int (*fn)(HPyContext *, HPy, void *), void *ud)
{
    HPy *arr = HPyAPI_NewHandles(n + 1);
    (void)fn; (void)ud;
    for (short i = 0; arr != NULL && i < n; i++)
        arr[i] = HPy_Dup(ctx, xs[i]);
    if (arr != NULL)
        arr[n] = HPy_Dup(ctx, a);
    return arr;
}
HPyAPI_DEFINE(ra, RA_API);
static ra_API table;
int export_ra(HPyContext *ctx, HPy module);
int export_ra(HPyContext *ctx, HPy module)
{
    table.ConvertToCommonType = HPy_AsAPI(ctx, ConvertToCommonType);
    table.Pair = HPy_AsAPI(ctx, Pair);
    return HPyAPI_Export(ctx, module, ra, &table);
}
"""

CONSUMER = """
#include "hpy.h"
#include "hpyapi.h"
""" + DECL + """
HPyAPI_USE_DEFINE(ra, RA_API, "ra_exporter");
int use_ra(HPyContext *ctx, HPy x);
int use_ra(HPyContext *ctx, HPy x)
{
    if (import_ra(ctx) < 0)
        return -1;
    int n = 0;
    HPy *arr = ra_api->ConvertToCommonType(ctx, x, &n);
    if (arr == NULL)
        return -1;
    HPyAPI_FreeHandles(ctx, arr, n);
    return n;
}
"""

CAPI_CONSUMER = """
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "hpyapi.h"
""" + DECL + """
HPyAPI_USE_CAPI_DEFINE(ra, RA_API, "ra_exporter");
int use_ra(PyObject *x);
int use_ra(PyObject *x)
{
    if (import_ra() < 0)
        return -1;
    /* PyArrayObject **PyArray_ConvertToCommonType(PyObject *, int *) */
    PyObject **(*convert)(PyObject *, int *) = ra_capi->ConvertToCommonType;
    int n = 0;
    PyObject **arr = convert(x, &n);
    if (arr == NULL)
        return -1;
    HPyAPI_FreeObjects(arr, n);
    return n;
}
"""


@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("abi", ABIS)
def test_returned_arrays_build_without_warnings(abi, compiler, tmp_path):
    for source in (EXPORTER, CONSUMER):
        res = build(source, compiler, tmp_path, abi_flags(abi))
        assert res.returncode == 0 and res.stdout == "", res.stdout


@pytest.mark.parametrize("compiler", COMPILERS)
def test_capi_table_returns_numpys_type(compiler, tmp_path):
    res = build(CAPI_CONSUMER, compiler, tmp_path,
                ["-isystem", PY_INCLUDE, "-I" + hpyapi.get_include()])
    assert res.returncode == 0 and res.stdout == "", res.stdout
