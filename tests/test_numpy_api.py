"""A NumPy-sized API: every slot of NumPy's classic multiarray (369) and
ufunc (48) tables, translated from the installed numpy's headers by
tests/numpy_api/translate.py, exported by one module whose implementations
span eight C files, called from an HPy consumer and a plain C-API consumer
(one generated wrapper per entry) and checked against expect.py.

Every entry (value, out-handles, filled arrays, the identity of a handle
it returns, its error path, retired slots raising) in the five pairs of
FULL_PAIRS; a sample covering every form in all 30 pairs, with refcounts;
all under LeakDetector.  Also: the 417-entry import, describe(), `python
-m hpyapi check` on the built binaries, and docs/numpy-coverage.md being
what translate.py makes of the installed headers.

Build time: the exporter's 417 trampolines are most of it (one universal
exporter: 22 s CPU at -O2, 17 at -O1, 10 at -O0; a consumer 8.5 / 6 / 5.5),
so these modules build at NPAPI_OPT (default -O0) instead of -O2; the
generated code is the same, and NPAPI_OPT=-O2 runs them as shipped.
"""
import json
import os
import re
import subprocess
import sys

import pytest

import hpyapi
from conftest import BUILD_DIR, CTX_NAME, PAIRS, compile_args, register
from numpy_api import cgen, expect, report, translate

API_ID = cgen.API_IDS
OPT = os.environ.get("NPAPI_OPT", "-O0")
# (exporter mode, caller mode) as conftest.PAIRS spells them: every
# entry runs in these (the universal->cpython, cpython->debug and
# C-API->universal read caller->exporter; both orders are here)
FULL_PAIRS = [("cpython", "universal"), ("universal", "cpython"),
              ("debug", "cpython"), ("cpython", "debug"), ("universal", "capi")]
SAMPLE = [
    ("npyma", "PyArray_GetNDArrayCVersion"),   # (void), unsigned int
    ("npyma", "PyArray_Type"),                 # OBJECT
    ("npyma", "Unused1"),                      # RETIRED (a hole)
    ("npyma", "NPY_NUMUSERTYPES"),             # data, as a function today
    ("npyma", "PyArray_DescrFromType"),        # int -> HPy
    ("npyma", "PyArray_EquivTypes"),           # HPy, HPy -> unsigned char
    ("npyma", "PyArray_CanCastTo"),            # -> npy_bool
    ("npyma", "PyArray_Size"),                 # -> npy_intp
    ("npyma", "PyArray_GetPriority"),          # double in and out
    ("npyma", "PyArray_Zeros"),                # pointer value, HPy
    ("npyma", "PyArray_DescrConverter"),       # out-handle
    ("npyma", "PyArray_AsCArray"),             # in-out handle
    ("npyma", "PyArray_ConvertToCommonType"),  # returned array, length *retn
    ("npyma", "PyArray_BufferConverter"),      # a struct: values, OUT base
    ("npyma", "PyArray_ResultType"),           # two arrays (len form)
    ("npyma", "NpyIter_GetOperandArray"),      # returned array, past 16
    ("npyma", "NpyIter_GetIterNext"),          # returns a function pointer
    ("npyma", "PyArray_InitArrFuncs"),         # -> void; PyArray_ArrFuncs
    ("npyma", "_PyDataType_GetArrFuncs"),      # a returned table, called
    ("npyma", "PyArray_MultiIterNew"),         # varargs as an array
    ("npyma", "PyArray_DescrNewByteorder"),    # char
    ("npyma", "PyArray_Byteswap"),             # npy_bool argument
    ("npyma", "PyArray_IntDType"),             # a DType class slot
    ("npyuf", "PyUFunc_FromFuncAndDataAndSignatureAndIdentity"),  # 12
    ("npyuf", "PyUFunc_DefaultTypeResolver"),  # LEN_EXPR array + filled one
    ("npyuf", "PyUFunc_RegisterLoopForType"),  # function pointer value
    ("npyuf", "PyUFunc_AddLoopsFromSpecs"),    # a spec struct list (STRUCTS)
    ("npyuf", "PyUFunc_AddWrappingLoop"),      # HPyAPI_FN, LEN_EXPR lengths
]


def all_entries(apis):
    return [e for _, es in apis.values() for e in es]


# The exact sizes asserted below and docs/numpy-coverage.md are numpy
# 2.4.6's, the pin of `make test`'s Python (3.11).  The other Pythons run
# their own newest NumPy (requirements.txt): there the sizes come from that
# numpy's headers (SLOT_RE), read apart from translate.py.
PINNED_NUMPY = "2.4.6"
ON_PIN = translate.numpy_version() == PINNED_NUMPY
SLOT_RE = re.compile(r"\b(PyArray_API|PyUFunc_API)\[(\d+)\]")


def header_slots():
    """{header: {(table, index)}}: the slots numpy's headers define."""
    inc = translate.numpy_include()
    out = {}
    for name in ("__multiarray_api.h", "_public_dtype_api_table.h",
                 "__ufunc_api.h"):
        with open(os.path.join(inc, name)) as f:
            out[name] = {(t, int(i)) for t, i in SLOT_RE.findall(f.read())}
    return out


def header_sizes():
    """{api: table size}: the highest slot index any header uses, plus 1."""
    every = set().union(*header_slots().values())
    return {api: 1 + max(i for t, i in every if t == table)
            for api, table in (("npyma", "PyArray_API"),
                               ("npyuf", "PyUFunc_API"))}


SIZES = ({"npyma": 369, "npyuf": 48} if ON_PIN else header_sizes())


def translated(**kw):
    try:
        return translate.translate(**kw)
    except ValueError as e:
        if ON_PIN:
            raise
        # a newer NumPy's new slot shapes need translate.py rules first
        pytest.skip("translate.py covers numpy %s's tables (and those "
                    "before); numpy %s adds a slot it cannot translate yet: "
                    "%s" % (PINNED_NUMPY, translate.numpy_version(), e))


# translated and generated at collection, so that the builds (the
# suite's largest) start with the others as soon as collection ends
try:
    APIS = translate.translate()
except ValueError as e:
    if ON_PIN:
        raise
    # a newer NumPy's new slot shapes need translate.py rules first
    pytest.skip("translate.py covers numpy %s's tables (and those before); "
                "numpy %s adds a slot it cannot translate yet: %s"
                % (PINNED_NUMPY, translate.numpy_version(), e),
                allow_module_level=True)
PATHS = cgen.write(str(BUILD_DIR / "npapi-src"), APIS)
NP_CFLAGS = [OPT if a == "-O2" else a for a in compile_args()]
register("npexp", PATHS["exporter"], PATHS["include_dirs"],
         cflags=NP_CFLAGS)
register("npcons", PATHS["consumer"], PATHS["include_dirs"],
         cflags=NP_CFLAGS)
register("npcapi", PATHS["consumer"], PATHS["include_dirs"],
         macros=[("NP_CAPI", "1")], abis=("capi",), cflags=NP_CFLAGS)


@pytest.fixture(scope="session")
def apis():
    return APIS


class NpModules:
    """The exporter and HPy consumer for each ABI and the C-API consumer,
    from conftest's registry (built in the background from collection on,
    cached like every test module), loaded per mode."""

    def __init__(self, modules):
        self.modules = modules

    def so(self, name, abi):
        return self.modules.so(name, abi)

    def get(self, name, mode, tag=""):
        return self.modules.get(name, mode, tag)

    def pair(self, e_mode, c_mode):
        return self.modules.pair(e_mode, c_mode, exporter="npexp",
                                 consumer="npcons", capi="npcapi")


@pytest.fixture(scope="session")
def npmods(modules):
    return NpModules(modules)


def call(consumer, e, args):
    return consumer.call(API_ID[e.api], e.index, *args)


def check_call(consumer, e, variant):
    """None, or what is wrong with one successful call of e."""
    if e.kind == "retired":
        return None
    args = expect.arguments(e, variant)
    try:
        got = call(consumer, e, args)
    except Exception as exc:
        return "raised %r" % exc
    want = expect.expected(e, args)
    if got != want:
        return "returned %r, expected %r" % (got, want)
    if e.ret is not None and e.ret.kind == "H" and \
            got[0][1] is not expect.first_handle(e, args):
        return "the result does not hold the argument object itself"
    if e.kind == "object" and call(consumer, e, args)[0] is not got[0]:
        return "an exported object is not the same object twice"
    return None


def check_failures(exporter, consumer, e):
    """None, or what is wrong with e's error paths."""
    args = expect.arguments(e)
    if e.kind == "retired":
        with pytest.raises(NotImplementedError, match="retired"):
            call(consumer, e, args)
        return None
    if e.kind != "func":
        return None
    exporter.fail_at(API_ID[e.api], e.index)
    try:
        with pytest.raises(ValueError) as info:
            call(consumer, e, args)
    finally:
        exporter.fail_at(-1, -1)
    if str(info.value) != "%s: failing on request" % e.name:
        return "raised %r" % info.value
    inputs = [p for p in translate.flat(e.params)   # one per argument
              if expect.takes_arg(p)]
    handles = [i for i, p in enumerate(inputs) if p.kind == "H"]
    if handles:   # an unhashable argument: TypeError before any result
        bad = list(args)
        bad[handles[-1]] = []
        with pytest.raises(TypeError, match="unhashable"):
            call(consumer, e, bad)
    return None


def run_entries(exporter, consumer, entries, variants=(0, 1)):
    problems = []
    for e in entries:
        for v in variants:
            p = check_call(consumer, e, v)
            if p:
                problems.append("%s %d %s (variant %d): %s"
                                % (e.api, e.index, e.name, v, p))
        p = check_failures(exporter, consumer, e)
        if p:
            problems.append("%s %d %s: %s" % (e.api, e.index, e.name, p))
    assert not problems, "%d problems:\n%s" % (len(problems),
                                               "\n".join(problems[:20]))


@pytest.mark.parametrize("e_mode,c_mode", FULL_PAIRS,
                         ids=["%s-exporter/%s-caller" % p for p in FULL_PAIRS])
def test_every_entry(npmods, apis, leakcheck, e_mode, c_mode):
    exporter, consumer = npmods.pair(e_mode, c_mode)
    run_entries(exporter, consumer, all_entries(apis))


def sample_entries(apis):
    by_name = {(e.api, e.name): e for e in all_entries(apis)}
    # an older NumPy (3.9's 2.0.2) lacks newer entries, e.g.
    # PyUFunc_AddLoopsFromSpecs (2.1): its API has none of them to sample,
    # and the sample still has to cover every form its entries use
    return [by_name[k] for k in SAMPLE if k in by_name]


def features(e):
    f = {e.kind}
    if e.ret is not None:
        f.add("ret:%s%s%d" % (e.ret.kind, e.ret.vkind, e.ret.size))
    f |= {"param:%s%s" % (p.kind, p.vkind) for p in e.params}
    return f


def test_the_sample_covers_every_form(apis):
    used = set().union(*map(features, all_entries(apis)))
    covered = set().union(*map(features, sample_entries(apis)))
    # return types differing only in size are covered by the 1/4/8 bytes
    missing = {f for f in used - covered
               if not (f.startswith("ret:V") and f[5:-1] in ("i", "u"))}
    assert not missing
    assert len(SAMPLE) <= 28  # one entry per form, roughly


@pytest.mark.parametrize("e_mode,c_mode", PAIRS,
                         ids=["%s-exporter/%s-caller" % p for p in PAIRS])
def test_sample_in_every_pair(npmods, apis, leakcheck, e_mode, c_mode):
    exporter, consumer = npmods.pair(e_mode, c_mode)
    assert (exporter.ctx_name(), consumer.ctx_name()) == (CTX_NAME[e_mode],
                                                          CTX_NAME[c_mode])
    sample = sample_entries(apis)
    run_entries(exporter, consumer, sample, variants=(0, 1, 2))
    # refcounts: arguments and results neither leak nor vanish
    for e in [e for e in sample if e.kind != "retired"][:12]:
        args = expect.arguments(e)
        objs = [a for a in args if not isinstance(a, (int, float))]
        objs += [x for a in args if isinstance(a, tuple) for x in a]
        first = call(consumer, e, args)
        before = [sys.getrefcount(o) for o in objs + [first[0]]]
        for _ in range(100):
            call(consumer, e, args)
        assert [sys.getrefcount(o) for o in objs + [first[0]]] == before, \
            e.name


def test_import_and_describe(npmods, apis):
    exporter, consumer = npmods.pair("universal", "debug")
    for api, (minor, entries) in apis.items():
        d = hpyapi.describe(exporter, api)
        assert (d["api"], d["major"], d["minor"]) == (api, 1, minor)
        assert len(d["entries"]) == len(entries) == SIZES[api]
        kinds = {"func": "function", "object": "object",
                 "retired": "retired", "data": "data"}
        assert [(x["index"], x["name"], x["kind"]) for x in d["entries"]] == \
            [(e.index, e.name, kinds[e.kind]) for e in entries]
    by = {x["name"]: x for x in hpyapi.describe(exporter, "npyma")["entries"]}
    # NumPy's own shape: two arrays, each with an npy_intp length before it
    assert by["PyArray_ResultType"]["signature"] == (
        "HPy(npy_intp a1,const HPy * a2[a1],npy_intp a3,const HPy * a4[a3])")
    assert by["NPY_NUMUSERTYPES"]["kind"] == "data"
    assert by["PyArray_DescrConverter"]["signature"] == "int(HPy,HPy *)"


@pytest.mark.parametrize("name,mode", [("npcons", "debug"),
                                       ("npcons", "cpython"),
                                       ("npcapi", "cpython")])
def test_calls_before_the_import_raise(npmods, apis, leakcheck, name, mode):
    consumer = npmods.get(name, mode, tag="_fresh")  # setup() never called
    # data entries read a zero until the import instead (no call to make
    # raise; tests/test_forms.py checks that)
    for e in [e for e in sample_entries(apis) if e.kind != "data"]:
        with pytest.raises(RuntimeError, match=r"hpyapi: %s\(\) of the '%s' "
                           r"API was called before the API was imported"
                           % (e.name, e.api)):
            call(consumer, e, expect.arguments(e))


def test_check_reads_the_binaries(npmods):
    sos = [npmods.so("npexp", "universal"), npmods.so("npcons", "cpython"),
           npmods.so("npcapi", "capi")]
    proc = subprocess.run([sys.executable, "-m", "hpyapi", "check", "--json"]
                          + sos, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = json.loads(proc.stdout)
    assert out["ok"] and len(out["results"]) == 4
    assert all(r["satisfied"] for r in out["results"])
    exports = {r["api"]: len(r["entries"]) for r in out["files"][0]["exports"]}
    assert exports == SIZES


def test_counts(apis):
    entries = report.classic(apis)
    cats = [e.category for _, es in apis.values() for e in es]
    if ON_PIN:
        assert len(entries) == 336
        assert (cats.count("function"), cats.count("data")) == (291, 45)
    else:  # a classic entry per slot of __multiarray_api.h, __ufunc_api.h
        slots = header_slots()
        assert len(entries) == len(slots["__multiarray_api.h"]) + \
            len(slots["__ufunc_api.h"])
    for e in entries:
        status = e.status()
        assert status == "today" or status == "unsupported" or \
            status.startswith("needs ")
        assert e.needs <= set(translate.FORMS)
        assert set(e.unsupported) <= set(translate.UNSUPPORTED)
        # callbacks count as expressible; the test API still passes their
        # pointers as plain values (translate.RENDERED)
        assert e.faithful == (status == "today" and
                              e.needs <= translate.RENDERED)
    today = sum(e.status() == "today" for e in entries)
    assert today >= 300


def test_switching_a_form_on_translates_faithfully():
    forms = dict(translate.FORMS, len=(True, ""), data=(True, ""))
    apis = translated(forms=forms)
    by = {e.name: e for e in all_entries(apis)}
    assert by["PyArray_ResultType"].decl() == (
        "FUNC(273, 0, HPy, PyArray_ResultType, (npy_intp, a1), "
        "(const HPy *, a2, HPyAPI_LEN(a1)), (npy_intp, a3), "
        "(const HPy *, a4, HPyAPI_LEN(a3)))")
    assert by["NPY_NUMUSERTYPES"].decl() == "OBJECT(7, 0, NPY_NUMUSERTYPES, int)"
    assert by["PyArray_ResultType"].status(forms) == "today"
    # the generator writes the new forms too (compiled once they exist)
    files = cgen.sources(apis, "x")
    assert "HPyAPI_LEN(a1)" in files["npapi.h"]
    assert re.search(r"int NPY_NUMUSERTYPES = \(int\)\d+U;",
                     files["npexp_data.h"])


@pytest.mark.skipif(not ON_PIN, reason="docs/numpy-coverage.md is made "
                    "from numpy %s's headers (3.11's pin), not numpy %s's"
                    % (PINNED_NUMPY, translate.numpy_version()))
def test_coverage_report_is_current(apis):
    with open(report.DOC) as f:
        assert f.read() == report.render(apis), (
            "docs/numpy-coverage.md is stale: run "
            "`.venv/bin/python tests/numpy_api/translate.py report`")


def test_the_translator_refuses_what_it_cannot_decide():
    """A NumPy upgrade that brings a new shape fails here, naming the entry
    and what to add, rather than translating it wrongly."""
    def one(define):
        slot, = translate.parse(define)
        return translate.translate_slot(slot, translate.FORMS, {})
    with pytest.raises(ValueError, match=r"npyma\.PyArray_Foo: PyObject \*\* "
                       r"a2 needs a ROLES entry"):
        one("#define PyArray_Foo \\\n  (*(int (*)(int, PyObject **)) \\\n"
            "  PyArray_API[400])")
    with pytest.raises(ValueError, match=r"npyma\.PyArray_Foo: no rule for "
                       r"the C type 'npy_half'; add it to SCALARS"):
        one("#define PyArray_Foo (*(int (*)(npy_half)) PyArray_API[400])")
    with pytest.raises(ValueError, match="a table slot this script cannot "
                       "read"):
        translate.parse("#define PyArray_Foo ((void)PyArray_API[400])")
    e = one("#define PyArray_Foo (*(PyObject * (*)(npy_intp const*, "
            "PyArrayObject*, char *names[], NPY_ORDER NPY_UNUSED(o))) "
            "PyArray_API[400])")
    assert e.decl() == ("FUNC(400, 0, HPy, PyArray_Foo, (npy_intp const *, "
                        "a1), (HPy, a2), (char **, a3), (NPY_ORDER, a4))")
