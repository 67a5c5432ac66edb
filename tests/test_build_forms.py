"""Compile-time side of the declaration forms (see tests/c/formsapi.h for
the run-time side): HPyAPI_LEN arrays and exported data build warning-free
as C and C++ with gcc and clang, for every ABI and for C-API consumers;
what hpyapi cannot carry is one short compile error that names the entry
and what to write instead."""

import pytest

import hpyapi
from strict import (ABIS, C_COMPILERS, COMPILERS, INCLUDING, PY_INCLUDE,
                    abi_flags, build, declaration, error_lines, messages)

DECL = """
typedef struct { unsigned int abi, api; } ver_t;
#define F_API(FUNC, OBJECT, RETIRED)                                          \\
    OBJECT(0, 0, Obj)                                                         \\
    FUNC(1, 0, HPy, ResultType, (intptr_t, narrs),                            \\
         (const HPy *, arrs, HPyAPI_LEN(narrs)), (intptr_t, ndtypes),         \\
         (const HPy *, descrs, HPyAPI_LEN(ndtypes)))                          \\
    FUNC(2, 0, void, StridePerm, (int, narrays),                              \\
         (HPy *, arrays, HPyAPI_LEN(narrays)), (int, ndim), (int *, perm))    \\
    FUNC(3, 0, int, After, (const HPy *, a, HPyAPI_LEN(n)),                   \\
         (unsigned char, n), (HPy *, b, HPyAPI_LEN(n)))                       \\
    FUNC(4, 0, int, Ctx, (HPy, ctx), (unsigned long long, u),                 \\
         (const HPy *, p, HPyAPI_LEN(u)), (const HPy *, q, m))                \\
    OBJECT(5, 0, NumUser, int)                                                \\
    OBJECT(6, 0, Version, ver_t)                                              \\
    OBJECT(7, 0, Name, const char *)                                          \\
    FUNC(8, 0, int, Shared, (const HPy *, a, m), (HPy *, b, HPyAPI_LEN(m)))   \\
    RETIRED(9, 0, int, Old, (short, k), (const HPy *, xs, HPyAPI_LEN(k)))
HPyAPI_DECLARE(f, F_API, 1, 0)
"""

EXPORTER = """
#include "hpy.h"
#include "hpyapi.h"
""" + DECL + """
static HPyGlobal Obj;
static HPy ResultType(HPyContext *ctx, intptr_t narrs, const HPy *arrs,
                      intptr_t ndtypes, const HPy *descrs)
{ (void)narrs; (void)ndtypes; (void)descrs; return HPy_Dup(ctx, arrs[0]); }
static void StridePerm(HPyContext *ctx, int narrays, HPy *arrays, int ndim,
                       int *perm)
{ (void)ctx; (void)narrays; (void)arrays; (void)ndim; (void)perm; }
static int After(HPyContext *ctx, const HPy *a, unsigned char n, HPy *b)
{ (void)ctx; (void)a; (void)b; return n; }
static int Ctx(HPyContext *hctx, HPy ctx, unsigned long long u, const HPy *p,
               const HPy *q, HPy_ssize_t m)
{ (void)hctx; (void)ctx; (void)p; (void)q; return (int)(u + (unsigned)m); }
static int Shared(HPyContext *ctx, const HPy *a, HPy_ssize_t m, HPy *b)
{ (void)ctx; (void)a; (void)b; return (int)m; }
int NumUser = 3;
static const ver_t Version = {1, 2};
const char *Name = "x";
HPyAPI_DEFINE(f, F_API);
static f_API table;
int export_f(HPyContext *ctx, HPy module);
int export_f(HPyContext *ctx, HPy module)
{
    table.Obj = HPy_AsAPI(ctx, Obj);
    table.ResultType = HPy_AsAPI(ctx, ResultType);
    table.StridePerm = HPy_AsAPI(ctx, StridePerm);
    table.After = HPy_AsAPI(ctx, After);
    table.Ctx = HPy_AsAPI(ctx, Ctx);
    table.NumUser = HPy_AsAPI(ctx, NumUser);
    table.Version = HPy_AsAPI(ctx, Version);
    table.Name = HPy_AsAPI(ctx, Name);
    table.Shared = HPy_AsAPI(ctx, Shared);
    return HPyAPI_Export(ctx, module, f, &table);
}
"""

CONSUMER = """
#include "hpy.h"
#include "hpyapi.h"
""" + DECL + """
HPyAPI_USE_DEFINE(f, F_API, "f_exporter");
int use_f(HPyContext *ctx, HPy x);
int use_f(HPyContext *ctx, HPy x)
{
    if (import_f(ctx) < 0)
        return -1;
    HPy h = f_api->ResultType(ctx, 1, &x, 1, &x);
    HPy_Close(ctx, h);
    HPy out[2];
    int perm[1];
    f_api->StridePerm(ctx, 2, out, 1, perm);
    return *f_api->NumUser + (int)f_api->Version->api + (*f_api->Name)[0] +
           f_api->After(ctx, &x, 1, out) + f_api->Ctx(ctx, x, 1, &x, &x, 1) +
           HPyAPI_HAS(f_api, Version);
}
"""

CAPI_CONSUMER = """
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "hpyapi.h"
""" + DECL + """
HPyAPI_USE_CAPI_DEFINE(f, F_API, "f_exporter");
int use_f(PyObject *x);
int use_f(PyObject *x)
{
    if (import_f() < 0)
        return -1;
    PyObject *r = f_capi->ResultType(1, &x, 1, &x);
    Py_XDECREF(r);
    PyObject *out[2] = {NULL, NULL};
    f_capi->StridePerm(2, out, 1, NULL);
    return *f_capi->NumUser + (int)f_capi->Version->api + (*f_capi->Name)[0] +
           f_capi->After(&x, 1, out) + f_capi->Shared(&x, 1, out);
}
"""


# unsigned lengths (unsigned char, unsigned long long) in the inline paths:
# no comparison that is always true or false, none of mixed signedness
SIGN_WARNINGS = ["-Wtype-limits", "-Wsign-compare"]


@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("abi", ABIS)
def test_forms_build_without_warnings(abi, compiler, tmp_path):
    extra = SIGN_WARNINGS + (["-Wtautological-unsigned-zero-compare"]
                             if "clang" in compiler else [])
    for source in (EXPORTER, CONSUMER):
        res = build(source, compiler, tmp_path, abi_flags(abi) + extra)
        assert res.returncode == 0 and res.stdout == "", res.stdout


@pytest.mark.parametrize("compiler", COMPILERS)
def test_forms_in_a_capi_consumer(compiler, tmp_path):
    res = build(CAPI_CONSUMER, compiler, tmp_path,
                ["-isystem", PY_INCLUDE, "-I" + hpyapi.get_include()])
    assert res.returncode == 0 and res.stdout == "", res.stdout


MANY = ", ".join("(int, a%d)" % i for i in range(33))

# case -> (entries, what every compiler says; or {compiler family: ...})
UNSUPPORTED = {
    "varargs": (
        "FUNC(0, 0, HPy, MultiIterNew, (int, n), (...))",
        "MultiIterNew: parameter (...) is not supported: parameters are (void) "
        "or (T, name); instead of varargs (...) use an array form "
        "(const HPy *, args, n)"),
    "struct by value": (
        "FUNC(0, 0, int, F, (HPy, a), (S, s))",
        "F: parameter 's' passes a struct or union (S) by value; pass a "
        "pointer: (const S *, s)"),
    "union by value": (
        "FUNC(0, 0, int, F, (U, u))",
        "F: parameter 'u' passes a struct or union (U) by value; pass a "
        "pointer: (const U *, u)"),
    "const HPy": (
        "FUNC(0, 0, int, F, (const HPy, h))",
        "F: parameter 'h' is a handle declared as const HPy, which would "
        "cross contexts unconverted; write (HPy, h)"),
    "typedef of HPy": (
        "FUNC(0, 0, int, F, (MyHPy, h))",
        "F: parameter 'h' is a handle declared as MyHPy, which would cross "
        "contexts unconverted; write (HPy, h)"),
    "struct result": (
        "FUNC(0, 0, S, F, (int, a))",
        "F: returns a struct or union (S) by value; return it through a "
        "pointer parameter (S *, out)"),
    "const HPy result": (
        "FUNC(0, 0, const HPy, F, (int, a))",
        "F: returns a handle declared as const HPy, which would cross "
        "contexts unconverted; write the return type HPy"),
    "array of handles result without its length": (
        "FUNC(0, 0, HPy *, ConvertToCommonType, (HPy, op), (int *, n))",
        "ConvertToCommonType: returns HPy *, an array of handles: say how "
        "many with #define HPyAPI_RETURNS_ConvertToCommonType "
        "HPyAPI_HANDLES(length) (an expression of its parameters, read "
        "after the call)"),
    "const array of handles result": (
        "FUNC(0, 0, const HPy *, F, (void))",
        "F: returns const HPy *; an array of handles is returned as HPy *, "
        "with #define HPyAPI_RETURNS_F HPyAPI_HANDLES(length)"),
    "array of handles result of another type": (
        "FUNC(0, 0, HPy **, F, (void))",
        "F: returns HPy **; an array of handles is returned as HPy *"),
    "more than 32 parameters": (
        "FUNC(0, 0, int, Big, %s)" % MANY,
        "Big: more than 32 parameters; an entry takes at most 32 (gather the "
        "rest in a struct passed by pointer)"),
    "length names no parameter": (
        "FUNC(0, 0, HPy, ResultType, (long, narrs), (const HPy *, arrs, "
        "HPyAPI_LEN(narrs)), (long, ndtypes), (const HPy *, descrs, "
        "HPyAPI_LEN(ndtyps)))",
        # C: the compiler's own words (gcc and clang differ) about a struct
        # whose name says what is wrong
        {"c": ("ResultType__HPyAPI_LEN_must_name_a_parameter'",
               "member named 'ndtyps'", "did you mean 'ndtypes'?"),
         "c++": "ResultType: HPyAPI_LEN(ndtyps) of array 'descrs' must name "
                "an integer parameter of ResultType (any integer type but "
                "bool, declared before or after the array)"}),
    "length of a floating type": (
        "FUNC(0, 0, int, F, (double, d), (const HPy *, p, HPyAPI_LEN(d)))",
        "F: HPyAPI_LEN(d) of array 'p' must name an integer parameter of F"),
    "length is a handle": (
        "FUNC(0, 0, int, F, (HPy, h), (HPy *, p, HPyAPI_LEN(h)))",
        "F: HPyAPI_LEN(h) of array 'p' must name an integer parameter of F"),
    "length array of the wrong type": (
        "FUNC(0, 0, int, F, (int, n), (HPy **, p, HPyAPI_LEN(n)))",
        "F: array parameter 'p' the exporter fills must be declared as "
        "(HPy *, p, HPyAPI_LEN(n))"),
    "read array of the wrong type": (
        "FUNC(0, 0, int, F, (int, n), (double *, p, HPyAPI_LEN(n)))",
        "F: array parameter 'p' must be declared as (const HPy *, p, "
        "HPyAPI_LEN(n))"),
    "data of handle type": (
        "OBJECT(0, 0, Type, HPy)",
        "Type: a handle is not data; export an object as OBJECT(index, "
        "since, Type)"),
}


@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("case", sorted(UNSUPPORTED))
def test_unsupported_form_is_one_short_error(case, compiler, tmp_path):
    entries, message = UNSUPPORTED[case]
    if isinstance(message, dict):
        message = message["c++" if compiler.endswith("++") else "c"]
    res = build(declaration(entries), compiler, tmp_path,
                abi_flags("universal"))
    assert res.returncode != 0
    out = messages(res.stdout)
    lines = out.splitlines()
    # -Werror makes the compiler's own warning about a const return type,
    # in the declaration every including file sees, an error too
    errors = [i for i in error_lines(out) if "qualifier" not in lines[i]]
    for fragment in (message,) if isinstance(message, str) else message:
        assert fragment in lines[errors[0]], out
    # one error, told early, and not pages of notes (gcc repeats the macro
    # expansion trace: about 50 lines; clang about 20)
    assert len(errors) == 1, out
    # (each of those warnings comes with its macro trace: ~20 lines)
    warned = len(error_lines(out)) - 1
    assert errors[0] < 10 + 20 * warned, out
    assert len(lines) < 80 + 20 * warned, out


@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("case", sorted(set(UNSUPPORTED) - {
    "const HPy result", "more than 32 parameters"}))
def test_unsupported_form_is_not_reported_where_only_included(case, compiler,
                                                               tmp_path):
    # a file that includes the declaration and uses its table compiles:
    # the mistake is reported where the table is defined (HPyAPI_DEFINE,
    # HPyAPI_USE_DEFINE), not in every file of every consumer
    if case == "varargs" and not compiler.endswith("++"):
        pytest.skip("R (*)(...) is not C11: see the test below")
    entries, _ = UNSUPPORTED[case]
    res = build(declaration(entries, INCLUDING), compiler, tmp_path,
                abi_flags("universal"))
    assert res.returncode == 0 and res.stdout == "", res.stdout


def test_varargs_is_reported_where_defined(tmp_path):
    # the C-API prototype `R (*)(...)` is not C11: the compiler refuses it
    # in every file that includes the declaration; the defining file also
    # says what to write instead
    for compiler in C_COMPILERS:
        res = build(declaration("FUNC(0, 0, int, F, (...))"), compiler,
                    tmp_path, abi_flags("universal"))
        out = messages(res.stdout)
        lines = out.splitlines()
        assert res.returncode != 0
        assert any("F: parameter (...) is not supported" in lines[i]
                   for i in error_lines(out)), out


@pytest.mark.parametrize("compiler", COMPILERS)
def test_misspelt_length_in_the_exporter(compiler, tmp_path):
    # the exporter's own file: the trampolines use the length too, so a few
    # errors follow the first, which is the one that names the fix
    source = declaration(
        "FUNC(0, 0, int, F, (long, n), (const HPy *, p, HPyAPI_LEN(m)))", """
        static int F(HPyContext *ctx, long n, const HPy *p)
        { (void)ctx; (void)p; return (int)n; }
        HPyAPI_DEFINE(bad, BAD_API);""")
    res = build(source, compiler, tmp_path, abi_flags("universal"))
    out = messages(res.stdout)
    errors = error_lines(out)
    assert res.returncode != 0
    first = out.splitlines()[errors[0]]
    assert ("F__HPyAPI_LEN_must_name_a_parameter" in first or
            "F: HPyAPI_LEN(m) of array 'p' must name an integer" in first), out
    assert errors[0] < 10 and len(errors) <= 8, out


@pytest.mark.parametrize("compiler", COMPILERS)
def test_data_variable_of_another_type(compiler, tmp_path):
    source = declaration("OBJECT(0, 0, NumUser, int)", """
        static long NumUser;
        HPyAPI_DEFINE(bad, BAD_API);""")
    res = build(source, compiler, tmp_path, abi_flags("universal"))
    assert res.returncode != 0
    assert ("exported data NumUser must be a variable of type int (or const "
            "int)") in messages(res.stdout), res.stdout


@pytest.mark.parametrize("compiler", COMPILERS)
def test_parameter_named_ctx_and_hpyapi(compiler, tmp_path):
    source = declaration("FUNC(0, 0, int, F, (HPy, ctx), (int, hpyapi))", """
        static int F(HPyContext *c, HPy ctx, int hpyapi)
        { (void)c; (void)ctx; return hpyapi; }
        HPyAPI_DEFINE(bad, BAD_API);""")
    res = build(source, compiler, tmp_path, abi_flags("universal"))
    assert res.returncode == 0 and res.stdout == "", res.stdout
