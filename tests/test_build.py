"""Compile-time guarantees, checked with the compiler directly.

- The runtime and the code the macros generate build without a single
  warning (-Wall -Wextra -Wpedantic -Werror) for every HPy ABI.
- Each mistake the declaration can catch is a compile error whose message
  names the entry and the fix.
"""
import os
import shutil
import subprocess
import textwrap

import pytest

import hpyapi
from strict import (ABIS, DEFINING, INCLUDING, PY_INCLUDE, STRICT, STRICT_CXX,
                    abi_flags, run_compiler)

CXX = ["g++"] + (["clang++"] if shutil.which("clang++") else [])


def compile_c(source, abi, tmp_path, extra=(), path=None, cxx=None):
    """Compiles `path`, or else the C text `source`; as C++17 with the
    compiler `cxx` if given."""
    if path is None:
        path = tmp_path / ("snippet.cpp" if cxx else "snippet.c")
        path.write_text(source)
    cmd = [cxx or "gcc", "-c", str(path), "-o", str(tmp_path / "out.o")]
    cmd += (STRICT_CXX if cxx else STRICT) + abi_flags(abi) + list(extra)
    return run_compiler(cmd)


@pytest.mark.parametrize("abi", ABIS)
@pytest.mark.parametrize("source", [p.split("/")[-1] for p in hpyapi.get_sources()])
def test_runtime_builds_without_warnings(abi, source, tmp_path):
    path = [p for p in hpyapi.get_sources() if p.endswith("/" + source)][0]
    res = compile_c(None, abi, tmp_path, path=path)
    assert res.returncode == 0 and res.stdout == "", res.stdout


# An exporter and a consumer using every kind of entry and parameter, with
# no HPyDef_* macros (whose hpy-generated code is not warning-free).
EVERYTHING = """
#include "hpy.h"
#include "hpyapi.h"

#define ALL_API(FUNC, OBJECT, RETIRED)                                   \\
    OBJECT (0, 0, Obj)                                                  \\
    FUNC   (1, 0, HPy,          H,    (HPy, a))                          \\
    FUNC   (2, 0, void,         V,    (void))                            \\
    FUNC   (3, 1, double,       D,    (double, x), (float, y), (int, i)) \\
    FUNC   (4, 1, const char *, S,    (const char *, s))                 \\
    FUNC   (5, 1, void *,       P,    (void *, p), (HPy_ssize_t, n))     \\
    FUNC   (6, 1, HPy,          A,    (HPy, f), (const HPy *, xs, n), (HPy, l)) \\
    RETIRED(7, 1, int,          Gone, (HPy, a), (long, b))               \\
    FUNC   (8, 2, unsigned char, U,   (unsigned long long, u), (char, c)) \\
    FUNC   (9, 2, int,          O,    (HPy, a), (HPy *, out), (HPy *, xs, n)) \\
    FUNC   (10, 2, HPy,         C,    (HPy, a),                          \\
            (HPyAPI_CB(HPy, (HPy, item), (long, i)), fn, ud))            \\
    FUNC   (11, 2, void,        K,    (HPyAPI_KEPT_CB(void, (void)), fn, ud), \\
            (HPyAPI_CB(double, (double, x), (HPy, h)), g, gd)) \\
    FUNC   (12, 2, int,         L,    (const HPy *, xs, HPyAPI_LEN(n)), \\
            (HPyAPI_CB(int, (HPy, x)), fn, ud), (int, n))
HPyAPI_DECLARE(all, ALL_API, 3, 2)

static HPyGlobal Obj;
static HPy H(HPyContext *ctx, HPy a) { return HPy_Dup(ctx, a); }
static void V(HPyContext *ctx) { (void)ctx; }
static double D(HPyContext *ctx, double x, float y, int i)
{ (void)ctx; return x + y + i; }
static const char *S(HPyContext *ctx, const char *s) { (void)ctx; return s; }
static void *P(HPyContext *ctx, void *p, HPy_ssize_t n)
{ (void)ctx; return (char *)p + n; }
static HPy A(HPyContext *ctx, HPy f, const HPy *xs, HPy_ssize_t n, HPy l)
{ (void)xs; (void)n; (void)l; return HPy_Dup(ctx, f); }
static unsigned char U(HPyContext *ctx, unsigned long long u, char c)
{ (void)ctx; return (unsigned char)(u + (unsigned long long)c); }
static int O(HPyContext *ctx, HPy a, HPy *out, HPy *xs, HPy_ssize_t n)
{ *out = HPy_Dup(ctx, a); if (n > 0) xs[0] = HPy_Dup(ctx, a); return 0; }
static HPy C(HPyContext *ctx, HPy a,
             HPy (*fn)(HPyContext *, HPy, long, void *), void *ud)
{ return fn(ctx, a, 1, ud); }
static void K(HPyContext *ctx, void (*fn)(HPyContext *, void *), void *ud,
              double (*g)(HPyContext *, double, HPy, void *), void *gd)
{ fn(ctx, ud); (void)g(ctx, 1.0, ctx->h_None, gd); }
static int L(HPyContext *ctx, const HPy *xs, int (*fn)(HPyContext *, HPy, void *),
             void *ud, int n)
{ return n > 0 ? fn(ctx, xs[0], ud) : 0; }

HPyAPI_DEFINE(all, ALL_API);
static all_API table;

int export_all(HPyContext *ctx, HPy module);
int export_all(HPyContext *ctx, HPy module)
{
    table.Obj = HPy_AsAPI(ctx, Obj);
    table.H = HPy_AsAPI(ctx, H);
    table.V = HPy_AsAPI(ctx, V);
    table.D = HPy_AsAPI(ctx, D);
    table.S = HPy_AsAPI(ctx, S);
    table.P = HPy_AsAPI(ctx, P);
    table.A = HPy_AsAPI(ctx, A);
    table.U = HPy_AsAPI(ctx, U);
    table.O = HPy_AsAPI(ctx, O);
    table.C = HPy_AsAPI(ctx, C);
    table.K = HPy_AsAPI(ctx, K);
    table.L = HPy_AsAPI(ctx, L);
    return HPyAPI_Export(ctx, module, all, &table);
}
"""

CONSUMER = """
HPyAPI_USE_DEFINE(all, ALL_API, "all_exporter");

static HPy item_cb(HPyContext *ctx, HPy item, long i, void *ud)
{ (void)i; (void)ud; return HPy_Dup(ctx, item); }
static void kept_cb(HPyContext *ctx, void *ud) { (void)ctx; (void)ud; }
static double value_cb(HPyContext *ctx, double x, HPy h, void *ud)
{ (void)ctx; (void)h; (void)ud; return x; }

double use_all(HPyContext *ctx, HPy x);
double use_all(HPyContext *ctx, HPy x)
{
    if (import_all(ctx) < 0)
        return -1;
    const all_API *t = HPyAPI_ImportMinor(ctx, all, "all_exporter", 1);
    if (t == NULL || !HPyAPI_HAS(t, U))
        return -1;
    HPy h = all_api->A(ctx, x, &x, 1, x);
    HPy_Close(ctx, h);
    h = all_api->C(ctx, x, item_cb, NULL);
    HPy_Close(ctx, h);
    all_api->K(ctx, kept_cb, NULL, value_cb, NULL);
    all_api->V(ctx);
    return all_api->D(ctx, 1.0, 2.0f, 3) + t->U(ctx, 1, 'a') +
           HPyAPI_RUNTIME_MINOR(t);
}
"""


@pytest.mark.parametrize("abi", ABIS)
def test_generated_code_builds_without_warnings(abi, tmp_path):
    res = compile_c(EVERYTHING, abi, tmp_path)
    assert res.returncode == 0 and res.stdout == "", res.stdout
    # a consumer of the same declaration in the same file
    src = EVERYTHING.split("static HPyGlobal Obj;")[0] + CONSUMER
    res = compile_c(src, abi, tmp_path)
    assert res.returncode == 0 and res.stdout == "", res.stdout


CAPI_CONSUMER = """
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "hpyapi.h"
""" + EVERYTHING.split('#include "hpyapi.h"')[1].split("static HPyGlobal Obj;")[0] + """
HPyAPI_USE_CAPI_DEFINE(all, ALL_API, "all_exporter");

static PyObject *item_cb(PyObject *item, long i, void *ud)
{ (void)i; (void)ud; Py_INCREF(item); return item; }
static void kept_cb(void *ud) { (void)ud; }
static double value_cb(double x, PyObject *h, void *ud)
{ (void)h; (void)ud; return x; }

PyObject *use_all_capi(PyObject *x);
PyObject *use_all_capi(PyObject *x)
{
    if (import_all() < 0)
        return NULL;
    const all_CAPI *t = HPyAPI_ImportCAPIMinor(all, "all_exporter", 1);
    if (t == NULL || !HPyAPI_HAS(t, U))
        return NULL;
    all_capi->V();
    double d = all_capi->D(1.0, 2.0f, 3) + t->U(1, 'a');
    PyObject *r = all_capi->A(x, &x, 1, x);
    Py_XDECREF(r);
    Py_XDECREF(all_capi->C(x, item_cb, NULL));
    all_capi->K(kept_cb, NULL, value_cb, NULL);
    return d > 0 ? all_capi->H(x) : all_capi->Obj();
}
"""


def test_capi_consumer_needs_no_hpy_headers(tmp_path):
    # a C-API extension's own code sees Python.h and hpyapi only
    path = tmp_path / "capi.c"
    path.write_text(CAPI_CONSUMER)
    cmd = ["gcc", "-c", str(path), "-o", str(tmp_path / "capi.o")] + STRICT + [
        "-isystem", PY_INCLUDE, "-I" + hpyapi.get_include()]
    res = run_compiler(cmd)
    assert res.returncode == 0 and res.stdout == "", res.stdout


def api(entries, minor=0, impls=""):
    return textwrap.dedent("""
        #include "hpy.h"
        #include "hpyapi.h"
        #define BAD_API(FUNC, OBJECT, RETIRED) %s
        HPyAPI_DECLARE(bad, BAD_API, 1, %d)
        %s
        """) % (entries, minor, impls or DEFINING)


MISTAKES = {
    "indices out of order": (
        api("FUNC(0, 0, int, F0, (void)) FUNC(2, 0, int, F2, (void))"),
        "F2: index 2 is not its position in the list; indices must start at "
        "0 and grow by one, in order"),
    "since newer than the minor": (
        api("FUNC(0, 3, int, F0, (void))", minor=2),
        "F0: 'since' minor 3 is newer than the API minor version"),
    "handle pointer by value": (
        api("FUNC(0, 0, int, F, (const HPy *, out))"),
        "F: parameter 'out' is a handle pointer; declare handle arrays as "
        "(const HPy *, out, length) and out-handles as (HPy *, out)"),
    "out-handle of the wrong type": (
        api("FUNC(0, 0, int, F, (HPy **, out))"),
        "F: out-handle parameter 'out' must be declared as (HPy *, out)"),
    "filled array of the wrong type": (
        api("FUNC(0, 0, int, F, (HPy **, xs, n))"),
        "F: array parameter 'xs' the exporter fills must be declared as "
        "(HPy *, xs, n)"),
    "array of the wrong type": (
        api("FUNC(0, 0, int, F, (double *, xs, n))"),
        "F: array parameter 'xs' must be declared as (const HPy *, xs, n)"),
    "implementation does not match": (
        api("FUNC(0, 0, int, F, (HPy, a), (double, x))", impls="""
            static int F(HPyContext *ctx, HPy a, float x)
            { (void)ctx; (void)a; return (int)x; }
            HPyAPI_DEFINE(bad, BAD_API);"""),
        "the implementation of F does not match its declaration "
        "int(HPy,double)"),
    "object is not an HPyGlobal": (
        api("OBJECT(0, 0, Obj)", impls="""
            static HPy Obj;
            HPyAPI_DEFINE(bad, BAD_API);"""),
        "exported object Obj must be an HPyGlobal"),
    "retired entry called by its name": (
        api("RETIRED(0, 0, int, Old, (HPy, a))", impls="""
            int call(HPyContext *ctx, const bad_API *t, HPy a);
            int call(HPyContext *ctx, const bad_API *t, HPy a)
            { return t->Old(ctx, a); }"""),
        "no member named 'Old'"),
    "array in a callback": (
        api("FUNC(0, 0, int, F, (HPyAPI_CB(int, (const HPy *, xs, n)), fn, ud))"),
        "F: a callback's parameters are handles (HPy, xs) or values (T, xs); "
        "pass arrays through user data"),
    "exporting a table of another type": (
        api("FUNC(0, 0, int, F, (void))", impls="""
            static int F(HPyContext *ctx) { (void)ctx; return 0; }
            HPyAPI_DEFINE(bad, BAD_API);
            static int other_table[4];
            int ex(HPyContext *ctx, HPy m);
            int ex(HPyContext *ctx, HPy m)
            { return HPyAPI_Export(ctx, m, bad, &other_table); }"""),
        "not compatible with any association"),
}


# what C++ says where C's wording comes from _Generic or the C front end
CXX_MESSAGES = {
    "exporting a table of another type": "static_cast",
}


@pytest.mark.parametrize("lang", ["c"] + CXX)
@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_declaration_mistake_is_a_compile_error(case, lang, tmp_path):
    source, message = MISTAKES[case]
    cxx = None if lang == "c" else lang
    if cxx:
        message = CXX_MESSAGES.get(case, message)
    res = compile_c(source, "universal", tmp_path, cxx=cxx)
    assert res.returncode != 0
    # gcc prints a static assertion's string literal with escaped quotes
    out = res.stdout.replace("\\'", "'").replace("\u2018", "'").replace(
        "\u2019", "'")
    assert message in out, res.stdout


# the mistakes of the declaration itself (no implementation involved)
DECLARATION_MISTAKES = {
    "indices out of order": (
        "FUNC(0, 0, int, F0, (void)) FUNC(2, 0, int, F2, (void))", 0),
    "since newer than the minor": ("FUNC(0, 3, int, F0, (void))", 2),
    "handle pointer by value": ("FUNC(0, 0, int, F, (const HPy *, out))", 0),
    "array in a callback": (
        "FUNC(0, 0, int, F, (HPyAPI_CB(int, (const HPy *, xs, n)), fn, ud))",
        0),
}


@pytest.mark.parametrize("lang", ["c"] + CXX)
@pytest.mark.parametrize("case", sorted(DECLARATION_MISTAKES))
def test_declaration_mistake_is_not_reported_where_only_included(
        case, lang, tmp_path):
    # reported where the table is defined (above), not in every file that
    # includes the declaration and uses its table
    entries, minor = DECLARATION_MISTAKES[case]
    res = compile_c(api(entries, minor, INCLUDING), "universal", tmp_path,
                    cxx=None if lang == "c" else lang)
    assert res.returncode == 0 and res.stdout == "", res.stdout
    # and the exporter's own file reports it too
    res = compile_c(api(entries, minor, "HPyAPI_DEFINE(bad, BAD_API);"),
                    "universal", tmp_path, cxx=None if lang == "c" else lang)
    assert res.returncode != 0
    assert MISTAKES[case][1] in res.stdout.replace("\\'", "'"), res.stdout


@pytest.mark.parametrize("cxx", CXX)
@pytest.mark.parametrize("abi", ABIS)
def test_generated_code_builds_as_cxx17(abi, cxx, tmp_path):
    res = compile_c(EVERYTHING, abi, tmp_path, cxx=cxx)
    assert res.returncode == 0 and res.stdout == "", res.stdout
    src = EVERYTHING.split("static HPyGlobal Obj;")[0] + CONSUMER
    res = compile_c(src, abi, tmp_path, cxx=cxx)
    assert res.returncode == 0 and res.stdout == "", res.stdout


@pytest.mark.parametrize("cxx", CXX)
def test_capi_consumer_builds_as_cxx17(cxx, tmp_path):
    path = tmp_path / "capi.cpp"
    path.write_text(CAPI_CONSUMER)
    cmd = [cxx, "-c", str(path), "-o", str(tmp_path / "capi.o")] + \
        STRICT_CXX + ["-isystem", PY_INCLUDE, "-I" + hpyapi.get_include()]
    res = run_compiler(cmd)
    assert res.returncode == 0 and res.stdout == "", res.stdout


# Two files of one module: the header says HPyAPI_USE; how many of them
# say HPyAPI_USE_DEFINE decides whether the module links.
USE_FILE = """
#include "hpy.h"
#include "hpyapi.h"
#define ONE_API(FUNC, OBJECT, RETIRED) FUNC(0, 0, int, F, (HPy, a))
HPyAPI_DECLARE(one, ONE_API, 1, 0)
HPyAPI_USE(one, ONE_API);
%s
int call_%s(HPyContext *ctx, HPy a);
int call_%s(HPyContext *ctx, HPy a) { return one_api->F(ctx, a); }
"""
DEFINE_LINE = 'HPyAPI_USE_DEFINE(one, ONE_API, "one_exporter");'


# what the rest of the runtime would provide
RUNTIME_STUBS = """
#include "hpy.h"
#include "hpyapi.h"
void *_HPyAPI_Import(HPyContext *c, const char *m, const HPyAPI_Spec *s,
                     uint32_t a, uint32_t b, const char *d, const char *e)
{ (void)c; (void)m; (void)s; (void)a; (void)b; (void)d; (void)e; return 0; }
void _HPyAPI_RaiseUnimported(HPyContext *c, const HPyAPI_Use *u, const char *e)
{ (void)c; (void)u; (void)e; }
"""


def link_module(tmp_path, defines):
    stubs = tmp_path / "stubs.c"
    stubs.write_text(RUNTIME_STUBS)
    res = compile_c(None, "universal", tmp_path, path=stubs, extra=["-fPIC"])
    assert res.returncode == 0, res.stdout
    objs = [str(tmp_path / "stubs.o")]
    os.replace(tmp_path / "out.o", objs[0])
    for i, d in enumerate(defines):
        src = tmp_path / ("f%d.c" % i)
        src.write_text(USE_FILE % (DEFINE_LINE if d else "", i, i))
        obj = tmp_path / ("f%d.o" % i)
        res = compile_c(None, "universal", tmp_path, path=src, extra=["-fPIC"])
        assert res.returncode == 0, res.stdout
        os.replace(tmp_path / "out.o", obj)
        objs.append(str(obj))
    return subprocess.run(["gcc", "-shared", "-o", str(tmp_path / "m.so")] +
                          objs, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True,
                          env=dict(os.environ, LC_ALL="C"))


def test_module_with_one_table_definition_links(tmp_path):
    res = link_module(tmp_path, [True, False])
    assert res.returncode == 0, res.stdout


@pytest.mark.parametrize("defines", [[False, False], [True, True]],
                         ids=["none", "two"])
def test_table_defined_in_no_file_or_two_is_a_link_error(tmp_path, defines):
    res = link_module(tmp_path, defines)
    assert res.returncode != 0
    assert ("one_api__HPyAPI_USE_DEFINE_must_be_in_exactly_one_C_file_of_"
            "the_module" in res.stdout), res.stdout
    assert ("undefined" if defines == [False, False] else "multiple definition"
            ) in res.stdout


def test_correct_snippet_compiles(tmp_path):
    # the MISTAKES harness itself is sound: a fixed version compiles
    source = api("FUNC(0, 0, int, F, (HPy, a), (double, x))", impls="""
        static int F(HPyContext *ctx, HPy a, double x)
        { (void)ctx; (void)a; return (int)x; }
        HPyAPI_DEFINE(bad, BAD_API);""")
    res = compile_c(source, "universal", tmp_path)
    assert res.returncode == 0 and res.stdout == "", res.stdout


def test_compile_cache_replays_only_unchanged_inputs(tmp_path):
    """strict.run_compiler, which every compile test here goes through,
    must not replay a verdict after a header the compile read changed."""
    (tmp_path / "dep.h").write_text("#define VALUE 1\n")
    src = tmp_path / "s.c"
    src.write_text('#include "dep.h"\nint v(void);\nint v(void) '
                   '{ return VALUE; }\n')
    cmd = ["gcc", "-c", str(src), "-o", str(tmp_path / "s.o")] + STRICT
    first = run_compiler(cmd)
    assert first.returncode == 0 and first.stdout == "", first.stdout
    (tmp_path / "dep.h").write_text('#error "dep.h changed"\n')
    changed = run_compiler(cmd)
    assert changed.returncode != 0 and "dep.h changed" in changed.stdout
    assert str(src) in changed.stdout  # the real path, not a placeholder
    (tmp_path / "dep.h").write_text("#define VALUE 1\n")
    os.remove(tmp_path / "s.o")
    again = run_compiler(cmd)
    assert again.returncode == 0 and (tmp_path / "s.o").exists()


def test_compile_cache_reads_headers_beside_this_source(tmp_path):
    """The same source and command in another directory (a later run's
    tmp_path) is checked against the headers beside it, not against the
    first directory's, which still exist and still match."""
    for d, body in (("a", "#define VALUE 1\n"), ("b", '#error "b/dep.h"\n')):
        (tmp_path / d).mkdir()
        (tmp_path / d / "dep.h").write_text(body)
        (tmp_path / d / "s.c").write_text(
            '#include "dep.h"\nint v(void);\nint v(void) { return VALUE; }\n')
    runs = [run_compiler(["gcc", "-c", str(tmp_path / d / "s.c"), "-o",
                          str(tmp_path / d / "s.o")] + STRICT)
            for d in ("a", "b")]
    assert runs[0].returncode == 0, runs[0].stdout
    assert runs[1].returncode != 0 and "b/dep.h" in runs[1].stdout


TABLES = "FUNC(0, 0, int, F0, (HPy, a), (long, n)) FUNC(1, 0, HPy, F1, (void))"


@pytest.mark.parametrize("role", ["including", "import", "import_capi",
                                  "exporter"])
def test_hpy_code_completes_the_c_api_table_only_where_defined(role,
                                                               tmp_path):
    """In HPy code the CPython-API table's members (a quarter of what
    including a NumPy-sized declaration cost) are expanded by the macros
    that need them -- HPyAPI_DEFINE, HPyAPI_USE_CAPI_DEFINE -- and a file
    that only includes the declaration, or imports the HPy table, has the
    struct's name alone; the HPy table is always complete."""
    impls = {"including": INCLUDING,
             "import": 'HPyAPI_USE_DEFINE(bad, BAD_API, "m");',
             "import_capi": 'HPyAPI_USE_CAPI_DEFINE(bad, BAD_API, "m");',
             "exporter": "static int F0(HPyContext *c, HPy a, long n) "
                         "{ (void)c; (void)a; return (int)n; }\n"
                         "static HPy F1(HPyContext *c) { return HPy_Dup(c, "
                         "c->h_None); }\nHPyAPI_DEFINE(bad, BAD_API);"}[role]
    res = compile_c(api(TABLES, 0, impls), "universal", tmp_path,
                    extra=["-E", "-P"])
    assert res.returncode == 0, res.stdout
    text = (tmp_path / "out.o").read_text()
    assert "typedef struct bad_CAPI bad_CAPI;" in " ".join(text.split())
    assert " ".join(text.split()).count("struct bad_API {") == 1
    complete = " ".join(text.split()).count("struct bad_CAPI {")
    assert complete == (1 if role in ("import_capi", "exporter") else 0)
    # and they compile, with the entries where their members say
    res = compile_c(api(TABLES, 0, impls + "\n_Static_assert(sizeof(bad_API)"
                        " == 3 * sizeof(void *), \"members\");"),
                    "universal", tmp_path)
    assert res.returncode == 0 and res.stdout == "", res.stdout
