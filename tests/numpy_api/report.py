"""docs/numpy-coverage.md from translate.py's classification.

    python tests/numpy_api/translate.py report   # rewrite it
    python tests/numpy_api/translate.py check    # exit 1 if it is stale
"""
import os
import sys

from . import translate as T

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
DOC = os.path.join(REPO, "docs", "numpy-coverage.md")
TABLES = {"npyma": "multiarray `_ARRAY_API` (`PyArray_API[i]`)",
          "npyuf": "ufunc `_UFUNC_API` (`PyUFunc_API[i]`)"}
PENDING = [f for f, (avail, _) in T.FORMS.items() if not avail]

RULES = """\
## Translation rules

- `PyObject *`, `PyArrayObject *`, `PyArray_Descr *`, `PyTypeObject *`,
  `PyUFuncObject *`, `PyArray_DTypeMeta *` and NumPy's other object types
  become `(HPy, x)`, results `HPy` (a new handle the caller owns).  NumPy
  *steals* some arguments (`NPY_STEALS_REF_TO_ARG`); an hpyapi argument is
  always borrowed, as in HPy's own API, so the HPy translation borrows and
  the exporter takes its own reference where NumPy keeps one.
- A `X **` parameter of an object type is decided per entry (`ROLES` in
  translate.py): an out-handle `(HPy *, x)` (`PyArray_DescrConverter`), a
  pointer to one input object `(HPy, x)` (`PyArray_ScalarKind`), an
  in-out handle `(HPy *, x, HPyAPI_INOUT)` (`PyArray_AsCArray`), an input
  array or an array the exporter fills, whose length is another parameter
  (`HPyAPI_LEN(n)`) or the ufunc's `nin + nout`
  (`HPyAPI_LEN_EXPR(NP_UFUNC_NARGS)`: a length expression sees parameters,
  not objects, so the test API's ufuncs are binary and it is 3).
- A returned `X **` of an object type is an array of new handles the caller
  frees (`FUNC(i, s, HPy *, ...)` with `HPyAPI_RETURNS_<Entry>`): its
  length is `*retn` (`PyArray_ConvertToCommonType`) or the iterator's
  operand count (`NpyIter_GetNOp(iter)`, `NP_ITER_NOP(iter)` in the test
  API).  NumPy's iterator arrays are borrowed; hpyapi's rule is new
  handles, so a port returns a copy.
- Other pointers (`npy_intp const *`, `char **`, `NpyIter *`, `FILE *`,
  NumPy's plain C structs such as `PyArray_Dims *`) and scalars (`int`,
  `npy_intp`, `npy_bool`, `double`, NumPy's enums) are `(T, x)` values that
  pass unchanged; plain C callbacks (`PyUFuncGenericFunction`, the
  `NpyIter_IterNextFunc *` NumPy returns) are values too, since they never
  see an object.  A struct NumPy's headers declare with objects is
  `(HPyAPI_STRUCT(Name) *, x)`, declared field by field as its header has
  it (`STRUCTS` in translate.py: `PyArray_Chunk`, the DType API's spec
  structs `PyArrayMethod_Spec`, `PyArrayDTypeMeta_Spec`,
  `PyUFunc_LoopSlot` -- an array ending with `{NULL, NULL}`,
  `(HPyAPI_STRUCTS(Name) *, x)` -- and the legacy `PyArray_DescrProto`,
  `PyArray_ArrayDescr`, `PyArray_ArrFuncs`).  Their function fields and
  `PyType_Slot` arrays are of NumPy's slot function types (`SLOT_TYPES`,
  `HPyAPI_SLOT_TYPE`, ids in `SLOT_LISTS`): `resolve_descriptors`' arrays
  have the `nin + nout` its spec's `SLOTS_N` field says
  (`HPyAPI_SLOT_LEN`, also the length of a `PyArrayMethod_Context`'s
  descriptors), `get_loop`'s loop comes back through `HPyAPI_FN_OUT`,
  `PyArray_ArrFuncs.cast[21]` is an `FNS` field, `_NPY_METH_static_data`
  an `HPyAPI_SLOT_DATA` slot; a `void *` that NumPy's legacy functions
  receive the array through stays a value, as its type says.  In the
  test API's calls the spec structs' pointer fields are NULL and the
  lengths 0 (the slot forms run in tests/test_structs.py).  A function
  of such a type passed on its own (`PyArray_VectorUnaryFunc *` of
  `PyArray_RegisterCastFunc`) is `(HPyAPI_FN(type), f)`, kept by the
  exporter and converted as a slot function; `PyUFunc_AddWrappingLoop`'s
  translators, whose arrays hold the ufunc's `nin + nout` descriptors,
  are `(HPyAPI_FN(type), f, HPyAPI_LEN_EXPR(NP_UFUNC_NARGS))` (the
  function types' arrays are `HPyAPI_SLOT_LEN`).  In the test API's
  calls a non-zero argument passes a function the exporter only checks
  arrived (tests/test_fnparam.py calls them).
- A table of such functions NumPy returns (`_PyDataType_GetArrFuncs`'s
  `PyArray_ArrFuncs *`) is `FUNC(i, s, PyArray_ArrFuncs *, ...)` with
  `#define HPyAPI_RETURNS_<Entry> HPyAPI_TABLE(PyArray_ArrFuncs)`: a caller
  whose context is not the exporter's gets a copy whose functions convert
  and call the exporter's on its own context (`PyArray_ArrFuncs_CAPI *`
  for C-API callers; `RETURNED_TABLES` in translate.py).  In the test
  API's calls the wrapper calls the table's `getitem`, which returns the
  call's digest.
- Type objects, DType classes and object variables (`PyArray_Type`,
  `PyDataMem_DefaultHandler`) are `OBJECT` entries, functions returning
  the object; an array of objects in one slot (`_PyArrayScalar_BoolValues`,
  False and True) is a function returning them, an array of new handles
  (`OBJECT_ARRAYS` in translate.py); C variables (`NPY_NUMUSERTYPES`) are
  exported data, `OBJECT(i, since, NAME, T)`.
- Holes (slots NumPy retired) are `RETIRED` entries, so every entry keeps
  NumPy's index.  `since` minors: hpyapi minors only append entries, but
  NumPy filled old holes in later versions (multiarray slot 65 in 2.0, 223
  in 2.3), so the multiarray table declares every entry `since` 0; the
  ufunc table's feature versions grow with the index and become minors.

## What the translation found about hpyapi

- A by-value `const` parameter (`const int unused` of
  `PyUFunc_FromFuncAndDataAndSignatureAndIdentity`) does not compile: the
  trampolines store arguments in a frame and assign them (`error:
  assignment of read-only member`).  Top-level qualifiers are not part of a
  function's type (hpyapi's signature comparison already ignores them), so
  the translation declares `int`.
- Minors only append: NumPy's reuse of holes has no hpyapi counterpart (a
  retired slot stays retired), see `since` above.

The test API (tests/test_numpy_api.py) declares every slot: faithfully when
the forms it needs exist, else as the nearest form today's language
expresses (marked ~ below); `FORMS` in translate.py switches a form on.
"""


def pct(n, total):
    return "%.1f%%" % (100.0 * n / total)


def reasons(e):
    return sorted(set(e.unsupported))


def classic(apis):
    return [e for _, es in apis.values() for e in es
            if e.category in ("function", "data")]


def counts_table(apis):
    rows = ["| table | slots | functions | data | classic entries | holes "
            "| DType class slots |", "|---|---:|---:|---:|---:|---:|---:|"]
    tot = [0] * 6
    for api, (_, es) in apis.items():
        c = [len(es)] + [sum(e.category == k for e in es) for k in (
            "function", "data")]
        c += [c[1] + c[2]] + [sum(e.category == k for e in es)
                              for k in ("unused", "dtype")]
        tot = [a + b for a, b in zip(tot, c)]
        rows.append("| %s | %s |" % (TABLES[api], " | ".join(map(str, c))))
    rows.append("| **total** | %s |" % " | ".join("**%d**" % n for n in tot))
    return "\n".join(rows), tot[3]


def expressible(entries):
    total = len(entries)
    forms = dict(T.FORMS)
    rows = ["| with | expressible | share | added |", "|---|---:|---:|---:|"]
    prev = None
    for step in ["today"] + PENDING:
        if step != "today":
            forms[step] = (True, forms[step][1])
        n = sum(e.status(forms) == "today" for e in entries)
        label = "today's forms" if step == "today" else "+ `%s`" % step
        rows.append("| %s | %d | %s | %s |" % (
            label, n, pct(n, total), "" if prev is None else "+%d" % (n - prev)))
        prev = n
    rows.append("| unsupported (no planned form) | %d | %s | |" % (
        total - prev, pct(total - prev, total)))
    return "\n".join(rows)


def pending_section(entries, later):
    if not PENDING:
        return []
    out = ["## Waiting for a pending form", ""]
    for form in PENDING:
        es = [e for e in entries if form in e.needs and not e.unsupported]
        out += ["### `%s`: %s" % (form, T.FORMS[form][1]), ""]
        for e in es:
            other = sorted(e.needs - {form})
            also = " (also needs %s)" % ", ".join(other) if other else ""
            if form in T.RENDERED:
                then = "once available: `%s`" % later[(e.api, e.index)].decl()
            else:
                then = ("the test API passes the pointer as a plain value "
                        "until translate.py renders this form: `%s`" % e.decl())
            out.append("- %s `%s`%s: NumPy `%s`; %s" % (e.api, e.name, also,
                                                       e.numpy, then))
        out.append("")
    return out


def unsupported_section(entries):
    out = ["## Unsupported (no planned form)", ""]
    for key, (why, instead) in T.UNSUPPORTED.items():
        es = [e for e in entries if key in e.unsupported]
        if not es:
            continue
        out += ["### %s" % why, "", "The test API declares instead: %s." %
                instead, ""]
        for e in es:
            more = sorted(e.needs)
            also = " (also needs %s)" % ", ".join(more) if more else ""
            out.append("- %s %d `%s`%s: NumPy `%s`; test API `%s`" % (
                e.api, e.index, e.name, also, e.numpy, e.decl()))
        out.append("")
    return out


def entry_rows(apis):
    rows = ["| table | slot | name | NumPy | status | hpyapi declaration "
            "(test API) | notes |", "|---|---:|---|---|---|---|---|"]
    for api, (_, es) in apis.items():
        for e in es:
            st = e.status()
            if st == "unsupported":
                st = "unsupported: " + ", ".join(reasons(e))
            decl = ("~ " if not e.faithful else "") + "`%s`" % e.decl()
            rows.append("| %s | %d | %s | %s | %s | %s | %s |" % (
                api, e.index, e.name, "`%s`" % e.numpy if e.numpy else "",
                st, decl, "; ".join(e.notes)))
    return rows


def render(apis=None, version=None):
    apis = apis or T.translate()
    version = version or T.numpy_version()
    later_forms = {f: (True, d) for f, (_, d) in T.FORMS.items()}
    later = {(e.api, e.index): e
             for _, es in T.translate(forms=later_forms).values() for e in es}
    entries = classic(apis)
    table, total = counts_table(apis)
    today = sum(e.status() == "today" for e in entries)
    faithful = sum(e.faithful for e in entries)
    out = [
        "# NumPy's classic C-API in hpyapi's declaration language", "",
        "<!-- generated by tests/numpy_api/translate.py from the installed "
        "numpy's headers: do not edit.  Regenerate with `.venv/bin/python "
        "tests/numpy_api/translate.py report`; tests/test_numpy_api.py fails "
        "when this file is stale. -->", "",
        "Source: numpy %s (pinned in requirements.txt), its "
        "`numpy/_core/include/numpy/__multiarray_api.h` and `__ufunc_api.h` "
        "(every `#define` of a table slot), and `_public_dtype_api_table.h` "
        "for the DType class slots 320-368 of the multiarray table." % version,
        "", "**%d of NumPy's %d classic entries (%s) are expressible with "
        "today's forms.**  %d (%s) are declared in the test API with "
        "NumPy's exact information (types, roles, lengths); the others are "
        "marked ~ below." % (today, total, pct(today, total), faithful,
                              pct(faithful, total)), "",
        "## Counts", "", table, "",
        "Classic entries are what numpy's `numpy_api.py` lists: functions, "
        "type objects and variables of the two tables.  The DType class slots "
        "(`_public_dtype_api_table.h`, filled outside NumPy's generator) are "
        "not counted; they are exported objects, expressible today, and the "
        "test API declares them too.  Holes are slots NumPy retired."]
    if total == 336:
        out += ["", "The issue counts 337: numpy's main branch adds "
                "`PyUFunc_AddDTypeBasedPromoter` (ufunc slot 48, for NumPy "
                "2.5), which numpy %s does not have." % version]
    out += ["", "## Expressible", "", expressible(entries), ""]
    out += pending_section(entries, later) + unsupported_section(entries)
    out += [RULES, "## Every slot", ""] + entry_rows(apis)
    return "\n".join(out) + "\n"


def main(argv):
    if argv not in (["report"], ["check"]):
        sys.stderr.write("usage: translate.py report|check\n")
        return 2
    text = render()
    if argv == ["report"]:
        with open(DOC, "w") as f:
            f.write(text)
        print("wrote %s" % DOC)
        return 0
    with open(DOC) as f:
        current = f.read() == text
    print("%s is %s" % (DOC, "current" if current else "stale: run "
                        "`python tests/numpy_api/translate.py report`"))
    return 0 if current else 1
