"""Compile-time side of struct parameters (hpyapi/structs.h; the run-time
side: test_structs.py): a declaration with every field kind builds
warning-free as C and C++ with gcc and clang for every ABI and in C-API
consumers, whose struct is NumPy's layout with PyObject *; a mistake in a
struct's declaration is one short error naming the field (in the function
the compiler names after the struct), and a legacy table refuses a struct
parameter.  The same for a slot function passed by itself,
(HPyAPI_FN(type), f) (hpyapi/kinds/fn.h; run-time side: test_fnparam.py)."""
import pytest

import hpyapi
from strict import ABIS, PY_INCLUDE, abi_flags
from strict import COMPILERS, build, error_lines, messages
from strict import LEGACY, compile_snippet

DECL = r"""
#define T_CONTEXT(F) F(HANDLE, HPy, caller) F(VALUE, int, n)                \
    F(HANDLES, n, descriptors)
HPyAPI_STRUCT_DECLARE(TContext, T_CONTEXT);
HPyAPI_SLOT_TYPE(t_resolve, HPy, (HPy, method), (HPy, given));
HPyAPI_SLOT_TYPE(t_loop, int, (HPyAPI_STRUCT(TContext) *, context),
                 (long, n), (double, x));
#define T_SLOTS(SLOT) SLOT(1, t_resolve) SLOT(2, t_loop)
#define T_SPEC(F)                                                          \
    F(VALUE, const char *, name)                                           \
    F(VALUE, int, nin)                                                     \
    F(VALUE, unsigned char, nout)                                          \
    F(HANDLE, HPy, method)                                                 \
    F(OUT, HPy, result)                                                    \
    F(HANDLES, nin + nout, dtypes)                                         \
    F(HANDLES, 2, pair)                                                    \
    F(FN, t_resolve, fallback)                                             \
    F(SLOTS, T_SLOTS, slots)
HPyAPI_STRUCT_DECLARE(TSpec, T_SPEC);
#define T_OUTER(F) F(STRUCT, TSpec, one) F(STRUCTS, TSpec, many)
HPyAPI_STRUCT_DECLARE(TOuter, T_OUTER);
/* NumPy's DType-API slot forms */
#define T_MCONTEXT(F) F(HANDLE, HPy, caller)                               \
    F(HANDLES, HPyAPI_SLOT_LEN, descriptors) F(VALUE, unsigned long, flags)
HPyAPI_STRUCT_DECLARE(TMContext, T_MCONTEXT);
HPyAPI_SLOT_TYPE(t_resolve_descrs, int, (HPy, method),
                 (const HPy *, dtypes, HPyAPI_SLOT_LEN),
                 (HPy *, loop_descrs, HPyAPI_SLOT_LEN), (long *, view));
HPyAPI_SLOT_TYPE(t_strided, int, (HPyAPI_STRUCT(TMContext) *, context),
                 (const long *, dims));
HPyAPI_SLOT_TYPE(t_get_loop, int, (HPyAPI_STRUCT(TMContext) *, context),
                 (HPyAPI_FN_OUT(t_strided), out_loop), (int *, flags));
#define T_MSLOTS(SLOT)                                                     \
    SLOT(2, t_resolve_descrs) SLOT(3, t_get_loop) SLOT(5, t_strided)       \
    SLOT(10, HPyAPI_SLOT_DATA)
#define T_MSPEC(F) F(VALUE, int, nin) F(VALUE, short, nout)                \
    F(SLOTS_N, (T_MSLOTS, nin + nout), slots) F(FNS, (t_resolve, 3), sort)
HPyAPI_STRUCT_DECLARE(TMSpec, T_MSPEC);
/* a returned table (NumPy's _PyDataType_GetArrFuncs) */
#define T_FUNCS(F) F(FNS, (t_resolve, 2), sort) F(VALUE, int, n)           \
    F(HANDLE, HPy, castdict)
HPyAPI_STRUCT_DECLARE(TFuncs, T_FUNCS);
#define HPyAPI_RETURNS_Funcs HPyAPI_TABLE(TFuncs)
#define T_API(FUNC, OBJECT, RETIRED)                                       \
    FUNC(0, 0, int, Add, (HPy, ufunc), (HPyAPI_STRUCT(TSpec) *, spec))     \
    FUNC(1, 0, HPy, Many, (HPyAPI_STRUCT(TOuter) *, o), (int, n))         \
    FUNC(2, 0, int, List, (HPyAPI_STRUCTS(TSpec) *, specs))               \
    FUNC(3, 0, int, AddMethod, (HPyAPI_STRUCT(TMSpec) *, spec))          \
    FUNC(4, 0, int, RegisterCast, (HPy, descr), (int, totype),             \
         (HPyAPI_FN(t_resolve), castfunc))                                 \
    FUNC(5, 0, int, Wrap, (int, nin),                                      \
         (HPyAPI_FN(t_resolve_descrs), tr, HPyAPI_LEN_EXPR(nin + 1)))     \
    FUNC(6, 0, TFuncs *, Funcs, (HPy, descr))
HPyAPI_DECLARE(tapi, T_API, 1, 0)
"""

EXPORTER = """
#include <string.h>
#include "hpy.h"
#include "hpyapi.h"
#define HPYAPI_TABLE_POOLS 1 /* 0.2's name for HPYAPI_EXPORTER, still accepted */
""" + DECL + """
static int Add(HPyContext *ctx, HPy ufunc, TSpec *spec)
{
    (void)ufunc;
    spec->result = HPy_Dup(ctx, spec->method);
    return spec->nin + spec->nout;
}
static HPy Many(HPyContext *ctx, TOuter *o, int n)
{
    (void)n;
    return o->one->fallback(ctx, o->one->method, o->many[0]->dtypes[0]);
}
static int List(HPyContext *ctx, TSpec *specs)
{
    (void)ctx;
    int n = 0;
    while (specs[n].name != NULL)
        n++;
    return n;
}
static int AddMethod(HPyContext *ctx, TMSpec *spec)
{
    HPy d[2] = {HPy_NULL, HPy_NULL}, loop[2];
    long view = 0;
    int flags = 0;
    t_strided got = NULL;
    t_resolve_descrs r;
    t_get_loop g;
    TMContext c = {HPy_NULL, d, 0};
    memcpy(&r, &spec->slots[0].pfunc, sizeof r);
    memcpy(&g, &spec->slots[1].pfunc, sizeof g);
    return r(ctx, HPy_NULL, d, loop, &view) + g(ctx, &c, &got, &flags) +
           got(ctx, &c, &view) + HPy_IsNull(spec->sort[2](ctx, d[0], d[1]));
}
static t_resolve kept_cast; /* NumPy keeps a cast function */
static int RegisterCast(HPyContext *ctx, HPy descr, int totype,
                        t_resolve castfunc)
{
    kept_cast = castfunc;
    return totype + HPy_IsNull(castfunc(ctx, descr, descr));
}
static int Wrap(HPyContext *ctx, int nin, t_resolve_descrs tr)
{
    HPy d[2] = {HPy_NULL, HPy_NULL}, loop[2];
    long view = 0;
    return nin + tr(ctx, HPy_NULL, d, loop, &view);
}
static TFuncs funcs;
static TFuncs *Funcs(HPyContext *ctx, HPy descr)
{
    funcs.castdict = ctx->h_None;
    return HPy_IsNull(descr) ? NULL : &funcs;
}
HPyAPI_DEFINE(tapi, T_API);
"""

CONSUMER = """
#include <string.h>
#include "hpy.h"
#include "hpyapi.h"
""" + DECL + """
HPyAPI_USE_DEFINE(tapi, T_API, "t_exporter");
static HPy same(HPyContext *ctx, HPy method, HPy given)
{
    (void)method;
    return HPy_Dup(ctx, given);
}
int use(HPyContext *ctx, HPy x);
int use(HPyContext *ctx, HPy x)
{
    HPy d[3] = {x, x, x};
    HPyAPI_TypeSlot slots[2] = {{0, NULL}, {0, NULL}};
    TSpec spec = {"s", 2, 1, x, x, d, d, same, slots}; /* result: written */
    if (import_tapi(ctx) < 0)
        return -1;
    int r = tapi_api->Add(ctx, x, &spec);
    HPy_Close(ctx, spec.result);
    return r;
}
static int strided(HPyContext *ctx, TMContext *c, const long *dims)
{
    return (int)dims[0] + (HPy_IsNull(c->descriptors[0]) ? 0 : 1) +
           (ctx == NULL);
}
static int resolve(HPyContext *ctx, HPy m, const HPy *dtypes, HPy *loop,
                   long *view)
{
    (void)m;
    loop[0] = HPy_Dup(ctx, dtypes[0]);
    *view = 0;
    return 0;
}
static int get_loop(HPyContext *ctx, TMContext *c, t_strided *out,
                    int *flags)
{
    (void)ctx;
    (void)c;
    *out = strided;
    *flags = 1;
    return 0;
}
int use_method(HPyContext *ctx);
int use_method(HPyContext *ctx)
{
    t_resolve_descrs r = resolve;
    t_get_loop g = get_loop;
    HPyAPI_TypeSlot slots[] = {{2, NULL}, {3, NULL}, {0, NULL}};
    memcpy(&slots[0].pfunc, &r, sizeof r); /* ISO C: no (void *)r */
    memcpy(&slots[1].pfunc, &g, sizeof g);
    TMSpec spec = {2, 1, slots, {NULL, NULL, NULL}};
    TFuncs *f = tapi_api->Funcs(ctx, HPy_NULL);
    return tapi_api->AddMethod(ctx, &spec) +
           tapi_api->RegisterCast(ctx, HPy_NULL, 3, same) +
           tapi_api->Wrap(ctx, 1, resolve) +
           HPy_IsNull(f->sort[0](ctx, f->castdict, f->castdict)) + f->n;
}
"""

CAPI_CONSUMER = """
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "hpyapi.h"
""" + DECL + """
HPyAPI_USE_CAPI_DEFINE(tapi, T_API, "t_exporter");
static PyObject *same(PyObject *method, PyObject *given)
{
    (void)method;
    Py_INCREF(given);
    return given;
}
int use(PyObject *x);
int use(PyObject *x)
{
    PyObject *d[3] = {x, x, x};
    /* NumPy's layout: PyObject * members, C-API slot functions */
    TSpec_CAPI spec = {"s", 2, 1, x, NULL, d, d, same, NULL};
    t_resolve_CAPI f = spec.fallback;
    if (import_tapi() < 0 || f == NULL)
        return -1;
    int r = tapi_capi->Add(x, &spec);
    Py_XDECREF(spec.result);
    return r;
}
/* NumPy's own signatures: PyObject *const *, PyObject **, a function out */
static int strided(TMContext_CAPI *c, const long *dims)
{
    return (int)dims[0] + (c->descriptors[0] != NULL);
}
static int resolve(PyObject *m, PyObject *const *dtypes, PyObject **loop,
                   long *view)
{
    (void)m;
    Py_INCREF(dtypes[0]);
    loop[0] = dtypes[0];
    *view = 0;
    return 0;
}
static int get_loop(TMContext_CAPI *c, t_strided_CAPI *out, int *flags)
{
    (void)c;
    *out = strided;
    *flags = 1;
    return 0;
}
int use_method(void);
int use_method(void)
{
    t_resolve_descrs_CAPI r = resolve;
    t_get_loop_CAPI g = get_loop;
    HPyAPI_TypeSlot slots[] = {{2, NULL}, {3, NULL}, {0, NULL}};
    memcpy(&slots[0].pfunc, &r, sizeof r); /* ISO C: no (void *)r */
    memcpy(&slots[1].pfunc, &g, sizeof g);
    TMSpec_CAPI spec = {2, 1, slots, {NULL, NULL, NULL}};
    TFuncs_CAPI *f = tapi_capi->Funcs(NULL); /* NumPy's layout */
    t_resolve_CAPI sort0 = f->sort[0];
    PyObject *castdict = f->castdict;
    return tapi_capi->AddMethod(&spec) +
           tapi_capi->RegisterCast(NULL, 3, same) +
           tapi_capi->Wrap(1, resolve) + (sort0(castdict, NULL) != NULL);
}
"""


@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("abi", ABIS)
def test_structs_build_without_warnings(abi, compiler, tmp_path):
    for source in (EXPORTER, CONSUMER):
        res = build(source, compiler, tmp_path, abi_flags(abi))
        assert res.returncode == 0 and res.stdout == "", res.stdout[:3000]


@pytest.mark.parametrize("compiler", COMPILERS)
def test_capi_struct_is_numpys_layout(compiler, tmp_path):
    res = build(CAPI_CONSUMER, compiler, tmp_path,
                ["-isystem", PY_INCLUDE, "-I" + hpyapi.get_include()])
    assert res.returncode == 0 and res.stdout == "", res.stdout[:3000]


MISTAKES = {
    "a handle declared as a value": (
        "F(VALUE, HPy, h) F(VALUE, int, n)",
        "VALUE(HPy, h): a handle field is F(HANDLE, HPy, h), an array of "
        "handles F(HANDLES, length, h)"),
    "a handle of another type": (
        "F(VALUE, int, n) F(HANDLE, int, base)",
        "HANDLE(int, base): a handle field is declared F(HANDLE, HPy, base)"),
    "an out-handle of another type": (
        "F(OUT, void *, base)",
        "OUT(void *, base): a handle the exporter writes is declared "
        "F(OUT, HPy, base)"),
    "a length that is no integer": (
        "F(VALUE, double, x) F(HANDLES, x * 2, d)",
        "HANDLES(x * 2, d): the length must be an integer expression (any "
        "integer type but bool) of the struct's VALUE fields and "
        "constants"),
    "a struct in an HPyAPI_CB callback": (
        None,
        "F: a callback's parameters are handles (HPy, c) or values (T, c); "
        "a struct is a parameter of a slot type (HPyAPI_SLOT_TYPE)"),
    "two structs in a slot function": (
        None,
        "t2: a slot function takes at most one struct"),
    "an array of values as an HPyAPI_SLOT_LEN array": (
        None,
        "t2: (const int *, a, HPyAPI_SLOT_LEN): an array of lent handles is "
        "(const HPy *, a, HPyAPI_SLOT_LEN)"),
    "an HPyAPI_SLOT_LEN array in an HPyAPI_CB callback": (
        None,
        "F: a callback's parameters are handles (HPy, a) or values (T, a); "
        "HPyAPI_SLOT_LEN arrays are parameters of a slot type "
        "(HPyAPI_SLOT_TYPE)"),
    "an array of another length in a slot function": (
        None,
        "t4: a slot function's parameters are handles (HPy, a), values (T, "
        "a), arrays (const HPy *, a, HPyAPI_SLOT_LEN) or (HPy *, a, "
        "HPyAPI_SLOT_LEN), one function out-parameter (HPyAPI_FN_OUT(type), "
        "a) and one struct (HPyAPI_STRUCT(Name) *, a)"),
    "two function out-parameters": (
        None,
        "t3: a slot function takes at most one HPyAPI_FN_OUT parameter"),
    "a SLOTS_N length that is no integer": (
        "F(VALUE, double, x) F(SLOTS_N, (NO_SLOTS, x * 2), s)",
        "SLOTS_N((list, x * 2), s): the length must be an integer expression "
        "(any integer type but bool) of the struct's VALUE fields and "
        "constants"),
    "a slot type with HPyAPI_SLOT_LEN arrays as a parameter": (
        None,
        "F: parameter 'f' is HPyAPI_FN(t5), whose HPyAPI_SLOT_LEN arrays "
        "need a length: declare it (HPyAPI_FN(t5), f, "
        "HPyAPI_LEN_EXPR(length))"),
    "user data with a slot function": (
        None,
        "F: parameter (HPyAPI_FN(t1), f, ud): a slot function takes no user "
        "data; declare it (HPyAPI_FN(t1), f), or with the length of its "
        "arrays (HPyAPI_FN(t1), f, HPyAPI_LEN_EXPR(e))"),
    "a table entry of another result type": (
        None,
        "F: returns int *, but HPyAPI_RETURNS_F says a table "
        "HPyAPI_TABLE(Bad): its result type is Bad *"),
    "a table returned without HPYAPI_EXPORTER": (
        None,
        "F: returns a table (HPyAPI_TABLE): define HPYAPI_EXPORTER as 1 "
        "before including the API's header in the file with HPyAPI_DEFINE, "
        "which then compiles the slot types' trampolines and the structs' "
        "descriptors"),
    "a slot function parameter without HPYAPI_EXPORTER": (
        None,
        "F: parameter 'f' is HPyAPI_FN(t1): define HPYAPI_EXPORTER as 1 "
        "before including the API's header in the file with HPyAPI_DEFINE"),
    "a struct parameter without HPYAPI_EXPORTER": (
        None,
        "F: parameter 's' is HPyAPI_STRUCT(Bad) *: define HPYAPI_EXPORTER as "
        "1 before including the API's header in the file with "
        "HPyAPI_DEFINE"),
    "a misspelt length": (
        "F(VALUE, int, nin) F(VALUE, int, nout) F(HANDLES, nin + nuot, d)",
        "'nuot' undeclared"),
}


@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_struct_mistake_is_one_short_error(case, compiler, tmp_path):
    fields, message = MISTAKES[case]
    # the checks are the exporter's file's (HPYAPI_EXPORTER), which its
    # author always compiles
    src = ('#include "hpy.h"\n#include "hpyapi.h"\n#define NO_SLOTS(SLOT)\n'
           "%s#define BAD(F) %s\nHPyAPI_STRUCT_DECLARE(Bad, BAD);\n" % (
               "" if "without HPYAPI_EXPORTER" in case else
               "#define HPYAPI_EXPORTER 1\n", fields or "F(HANDLE, HPy, h)"))
    if case == "an array of values as an HPyAPI_SLOT_LEN array":
        src += ("HPyAPI_SLOT_TYPE(t2, int, (HPy, m), "
                "(const int *, a, HPyAPI_SLOT_LEN));\n")
    if case == "an HPyAPI_SLOT_LEN array in an HPyAPI_CB callback":
        src += ("#define B_API(FUNC, OBJECT, RETIRED) FUNC(0, 0, int, F, "
                "(HPyAPI_CB(int, (const HPy *, a, HPyAPI_SLOT_LEN)), fn, ud))"
                "\nHPyAPI_DECLARE(b, B_API, 1, 0)\n"
                'HPyAPI_USE_DEFINE(b, B_API, "m");\n')
    if case == "an array of another length in a slot function":
        src += ("HPyAPI_SLOT_TYPE(t4, int, (HPy, m), "
                "(const HPy *, a, n));\n")
    if case == "a slot type with HPyAPI_SLOT_LEN arrays as a parameter":
        src += ("HPyAPI_SLOT_TYPE(t5, int, (const HPy *, a, HPyAPI_SLOT_LEN));"
                "\n#define B_API(FUNC, OBJECT, RETIRED) FUNC(0, 0, int, F, "
                "(HPy, x), (HPyAPI_FN(t5), f))\n"
                "HPyAPI_DECLARE(b, B_API, 1, 0)\n"
                'HPyAPI_USE_DEFINE(b, B_API, "m");\n')
    if case == "user data with a slot function":
        src += ("HPyAPI_SLOT_TYPE(t1, int, (HPy, m));\n"
                "#define B_API(FUNC, OBJECT, RETIRED) FUNC(0, 0, int, F, "
                "(HPy, x), (HPyAPI_FN(t1), f, ud))\n"
                "HPyAPI_DECLARE(b, B_API, 1, 0)\n"
                'HPyAPI_USE_DEFINE(b, B_API, "m");\n')
    if case == "two function out-parameters":
        src += ("HPyAPI_SLOT_TYPE(t1, int, (HPy, m));\n"
                "HPyAPI_SLOT_TYPE(t3, int, (HPyAPI_FN_OUT(t1), a), "
                "(HPyAPI_FN_OUT(t1), b));\n")
    if case == "a struct in an HPyAPI_CB callback":
        src += ("#define B_API(FUNC, OBJECT, RETIRED) FUNC(0, 0, int, F, "
                "(HPyAPI_CB(int, (HPyAPI_STRUCT(Bad) *, c)), fn, ud))\n"
                "HPyAPI_DECLARE(b, B_API, 1, 0)\n"
                # reported where the table is defined
                'HPyAPI_USE_DEFINE(b, B_API, "m");\n')
    if case == "a table entry of another result type":
        src += ("#define HPyAPI_RETURNS_F HPyAPI_TABLE(Bad)\n"
                "#define B_API(FUNC, OBJECT, RETIRED) FUNC(0, 0, int *, F, "
                "(HPy, x))\nHPyAPI_DECLARE(b, B_API, 1, 0)\n"
                'HPyAPI_USE_DEFINE(b, B_API, "m");\n')
    if case == "a slot function parameter without HPYAPI_EXPORTER":
        src += ("HPyAPI_SLOT_TYPE(t1, int, (HPy, m));\n"
                "#define B_API(FUNC, OBJECT, RETIRED) FUNC(0, 0, int, F, "
                "(HPy, x), (HPyAPI_FN(t1), f))\n"
                "HPyAPI_DECLARE(b, B_API, 1, 0)\n"
                "static int F(HPyContext *c, HPy x, t1 f) { (void)c; "
                "(void)x; (void)f; return 0; }\nHPyAPI_DEFINE(b, B_API);\n")
    if case == "a struct parameter without HPYAPI_EXPORTER":
        src += ("#define B_API(FUNC, OBJECT, RETIRED) FUNC(0, 0, int, F, "
                "(HPy, x), (HPyAPI_STRUCT(Bad) *, s))\n"
                "HPyAPI_DECLARE(b, B_API, 1, 0)\n"
                "static int F(HPyContext *c, HPy x, Bad *s) { (void)c; "
                "(void)x; (void)s; return 0; }\nHPyAPI_DEFINE(b, B_API);\n")
    if case == "a table returned without HPYAPI_EXPORTER":
        src += ("#define HPyAPI_RETURNS_F HPyAPI_TABLE(Bad)\n"
                "#define B_API(FUNC, OBJECT, RETIRED) FUNC(0, 0, Bad *, F, "
                "(HPy, x))\nHPyAPI_DECLARE(b, B_API, 1, 0)\n"
                "static Bad *F(HPyContext *c, HPy x) { (void)c; (void)x; "
                "return NULL; }\nHPyAPI_DEFINE(b, B_API);\n")
    if case == "two structs in a slot function":
        src += ("HPyAPI_SLOT_TYPE(t2, int, (HPyAPI_STRUCT(Bad) *, a), "
                "(HPyAPI_STRUCT(Bad) *, b));\n")
    res = build(src, compiler, tmp_path, abi_flags("universal"))
    assert res.returncode != 0
    out = messages(res.stdout)
    errors = error_lines(out)
    lines = out.splitlines()
    if case == "a misspelt length":  # the compiler's own, with its fix;
        # clang reports the name where the length is checked and evaluated
        assert all("nuot" in lines[i] and "did you mean 'nout'?" in lines[i]
                   for i in errors), out
        assert len(errors) == (2 if compiler.startswith("clang") else 1), out
    else:
        assert len(errors) == 1 and message in lines[errors[0]], out
    # the struct: its declaration's line (and gcc names Bad_hpyapi_len)
    assert fields is None or "HPyAPI_STRUCT_DECLARE(Bad, BAD)" in out, out
    # gcc's trace through HPyAPI_DECLARE's walkers is long for a callback
    assert len(lines) < (200 if "HPyAPI_CB" in case else 80), out
    assert "HPyAPI_STRUCT_DECLARE(Bad, BAD)" in out or fields is None


LEGACY_REFUSED = {
    "struct": ("#define S_F(F) F(HANDLE, HPy, h)\n"
               "HPyAPI_STRUCT_DECLARE(S1, S_F);\n",
               "FUNC(6, 0, int, Op, (HPyAPI_STRUCT(S1) *, spec))",
               "Op: parameter 'spec' is a struct"),
    "slot function": ("", "FUNC(6, 0, int, Op, (HPy, d), "
                      "(HPyAPI_FN(t_r), castfunc))",
                      "Op: parameter 'castfunc' is a slot function"),
}


@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("what", sorted(LEGACY_REFUSED))
def test_a_legacy_table_refuses_a_struct(what, compiler, tmp_path):
    decl, entry, message = LEGACY_REFUSED[what]
    decl = "HPyAPI_SLOT_TYPE(t_r, HPy, (HPy, m));\n" + decl
    text = LEGACY.replace('#include "hpyapi.h"\n',
                          '#include "hpyapi.h"\n' + decl, 1) % entry
    rc, out = compile_snippet(text, compiler, "universal", tmp_path)
    assert rc != 0
    errors = [l for l in out.splitlines() if " error: " in l]
    assert len(errors) == 1 and (
        message + "; a legacy table takes handles and values only") in \
        errors[0], out


def test_pxd_declares_struct_parameters_opaque_unless_given():
    """python -m hpyapi pxd: a struct parameter is its C-API struct, NumPy's
    layout; opaque unless --types declares its fields."""
    from hpyapi.pxd import declaration, pxd_text
    from conftest import C_DIR
    d = declaration(C_DIR / "specapi.h", "specapi", include_dirs=[C_DIR])
    text = pxd_text(d, "specapi.h")
    assert "int (*Sp_AddLoop)(object ufunc, SpMethodSpec_CAPI *spec)" in text
    assert "int (*Sp_AddLoopsFromSpecs)(SpLoopSlot_CAPI *slots)" in text
    assert "    ctypedef struct SpMethodSpec_CAPI:\n        pass" in text
    given = pxd_text(d, "specapi.h", types="ctypedef struct SpChunk_CAPI:\n"
                     "    PyObject *base\n    long len")
    assert "ctypedef struct SpChunk_CAPI:\n        pass" not in given
    assert "    ctypedef struct SpChunk_CAPI:\n        PyObject *base" in given


def test_pxd_declares_a_returned_table_as_its_c_api_struct():
    """A returned table (HPyAPI_TABLE) is the C-API table's Name_CAPI *:
    opaque unless --types declares it, NULL with an exception."""
    from hpyapi.pxd import declaration, pxd_text
    from conftest import C_DIR
    d = declaration(C_DIR / "tblapi.h", "tblapi", include_dirs=[C_DIR])
    text = pxd_text(d, "tblapi.h")
    assert ("TblFuncs_CAPI *(*Tbl_GetFuncs)(int which) except? NULL"
            in text), text
    assert "    ctypedef struct TblFuncs_CAPI:\n        pass" in text
    given = pxd_text(d, "tblapi.h", types="ctypedef struct TblFuncs_CAPI:\n"
                     "    int elsize")
    assert "    ctypedef struct TblFuncs_CAPI:\n        int elsize" in given


def test_pxd_declares_slot_function_parameters():
    from hpyapi.pxd import declaration, pxd_text
    from conftest import C_DIR
    d = declaration(C_DIR / "fnapi.h", "fnapi", include_dirs=[C_DIR])
    text = pxd_text(d, "fnapi.h")
    assert ("int (*Fn_RegisterCast)(object descr, int totype, "
            "fn_cast_CAPI castfunc)") in text, text
    assert "    ctypedef void *fn_cast_CAPI\n" in text
    assert text.count("ctypedef void *fn_translate_CAPI") == 1


@pytest.mark.parametrize("pool", [16, 64])
def test_an_exporter_file_chooses_its_pool(pool, tmp_path):
    """HPYAPI_SLOT_POOL before <hpyapi.h>: that many reverse trampolines
    per slot type in this file (nm counts them); another value is one
    error."""
    import subprocess
    src = "#define HPYAPI_SLOT_POOL %d\n" % pool + EXPORTER
    # -O0: -O2 drops what this snippet does not export
    res = build(src, "gcc", tmp_path, abi_flags("universal") + ["-O0"])
    assert res.returncode == 0 and res.stdout == "", res.stdout[:2000]
    names = subprocess.run(["nm", str(tmp_path / "out.o")],
                           stdout=subprocess.PIPE, text=True).stdout
    for slot_type in ("t_resolve", "t_loop"):
        cells = {line.split()[-1] for line in names.splitlines()
                 if line.split()[-1].startswith(slot_type + "_hpyapi_pool")
                 and line.split()[-1][-1].isdigit()}
        assert len(cells) == pool, sorted(cells)


def test_a_pool_size_of_another_value_is_one_error(tmp_path):
    res = build("#define HPYAPI_SLOT_POOL 20\n" + EXPORTER, "gcc", tmp_path,
                abi_flags("universal"))
    errors = error_lines(messages(res.stdout))
    assert res.returncode != 0 and len(errors) == 1, res.stdout[:3000]
    assert "HPYAPI_SLOT_POOL is 16, 32 or 64" in res.stdout


INCLUDING = """
#include "hpy.h"
#include "hpyapi.h"
""" + DECL + """
int size(void);
int size(void) { return (int)sizeof(TMSpec); }
"""


@pytest.mark.parametrize("source", ["including", "consumer"])
def test_a_file_that_defines_no_entry_emits_no_pool(source, tmp_path):
    """A slot type's pool, trampolines and invokers and a struct's
    descriptor are static inline, reached from HPyAPI_DEFINE's entries:
    at -O0, where gcc emits every plain static, a file that only includes
    the declaration or only uses the API emits none of them (the exporter
    does: test_an_exporter_file_chooses_its_pool)."""
    import subprocess
    src = INCLUDING if source == "including" else CONSUMER
    res = build(src, "gcc", tmp_path, abi_flags("universal") + ["-O0"])
    assert res.returncode == 0 and res.stdout == "", res.stdout[:2000]
    names = subprocess.run(["nm", str(tmp_path / "out.o")],
                           stdout=subprocess.PIPE, text=True).stdout.split()
    emitted = [n for n in names if n.startswith(
        ("t_", "TSpec_", "TOuter_", "TContext_", "TMContext_", "TMSpec_",
         "HPyAPI_SLOT_DATA"))]
    assert emitted == [], emitted
    exporter = build(EXPORTER, "gcc", tmp_path,
                     abi_flags("universal") + ["-O0"])
    assert exporter.returncode == 0, exporter.stdout[:2000]
    names = subprocess.run(["nm", str(tmp_path / "out.o")],
                           stdout=subprocess.PIPE, text=True).stdout.split()
    for kept in ("t_get_loop_hpyapi_pool", "t_strided_hpyapi_pool15",
                 "TMSpec_hpyapi_sdesc", "TMSpec_hpyapi_len",
                 "t_loop_hpyapi_sinvoke", "HPyAPI_SLOT_DATA_hpyapi_pool"):
        assert any(n.startswith(kept) for n in names), (kept, names)


@pytest.mark.parametrize("source", ["including", "consumer", "exporter"])
def test_only_the_exporter_file_expands_pools_and_descriptors(source,
                                                              tmp_path):
    """HPYAPI_EXPORTER: the preprocessor expands slot types' pools, their
    checks and structs' descriptors in the exporter's file only; every
    other file that includes the declaration gets the types alone (what
    including a NumPy-sized declaration cost, docs/reference.md)."""
    src = {"including": INCLUDING, "consumer": CONSUMER,
           "exporter": EXPORTER.replace("#define HPYAPI_TABLE_POOLS 1",
                                        "#define HPYAPI_EXPORTER 1")}[source]
    assert source != "exporter" or "HPYAPI_EXPORTER 1" in src
    res = build(src, "gcc", tmp_path, abi_flags("universal") + ["-E", "-P"])
    assert res.returncode == 0, res.stdout[:2000]
    text = (tmp_path / "out.o").read_text()
    # the types every file needs
    assert "t_loop_CAPI" in text and "} TSpec_CAPI;" in text
    assert text.count("(*t_resolve)(HPyContext *") == 1, text[:2000]
    generated = ("t_loop_hpyapi_srun", "t_loop_hpyapi_pool15",
                 "TSpec_hpyapi_sdesc", "TSpec_hpyapi_len",
                 "t_resolve_hpyapi_cpool0")
    found = [g for g in generated if g in text]
    assert found == (list(generated) if source == "exporter" else []), found
