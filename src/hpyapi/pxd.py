"""A Cython ``.pxd`` for an API, generated from its one declaration.

Cython modules are plain C-API extensions, so they call an exporter through
the CPython-API table (``API##_CAPI``) that ``HPyAPI_DECLARE`` generates.
The ``.pxd`` says the same in Cython: handles are ``object`` (borrowed
arguments, new-reference results that Cython owns), arrays, out-handles and
in-out handles keep their C-API form (``PyObject **``), callbacks are typed
function pointers a ``cdef`` function fills, exported data is a pointer,
retired entries are absent.  Its verbatim C part instantiates
``HPyAPI_USE_CAPI_DEFINE`` in every module that cimports it, so the import
runs the same checks (and raises the same ``ImportError`` texts) as a C
consumer's, and calls before the import raise ``RuntimeError``.

Nothing is retyped: the user's C preprocessor expands the API header with
``HPyAPI_DECLARE`` redefined to walk the list and print one record per
entry (with every macro the header uses already expanded), and the records
are turned into Cython.  So what Cython sees is what the C header declares.

Errors of value results: Cython must be told which result may mean "an
exception is set".  The default is what hpyapi's own trampolines return
when a call fails (``except? -1`` for numbers, ``except? NULL`` for
pointers, ``except *`` for ``void`` and for types it cannot classify).  An
exporter whose entry fails with another value says so once, in the API
header, next to the list::

    #define HPyAPI_CYTHON_EXCEPT_Out_Parse "except *"   /* fails with 0 */

(any Cython exception clause, ``noexcept`` included).  See the Cython
section of docs/reference.md.
"""
import keyword
import os
import re
import shlex
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import hpyapi

# The driver the preprocessor expands, twice.  First with HPyAPI_DECLARE
# printing its arguments (the header's own #include "hpyapi.h" is then a
# no-op): which list macro declares the API, and its version.  Then with
# HPyAPI_DECLARE silent and that list walked after the whole header, so
# that HPyAPI_CYTHON_EXCEPT_* defined anywhere in it count, with
# record-making FUNC/OBJECT/RETIRED.
_DRIVER = r"""
#include <Python.h>
#include "hpyapi.h"
#undef HPyAPI_DECLARE
#define HPyAPI_DECLARE(API, LIST, MAJOR, MINOR) %s
#define HPYAPI_PXD_FUNC(IDX, SINCE, R, NAME, ...)                             \
    hpyapi_pxd_func(IDX, SINCE, hpyapi_pxd_ret(NAME, R), NAME,                \
                    HPYAPI_CAT(HPyAPI_CYTHON_EXCEPT_, NAME), __VA_ARGS__)
#define hpyapi_pxd_ret(NAME, R)                                               \
    HPYAPI_TPICK(NAME)(hpyapi_pxd_ret_1, hpyapi_pxd_ret_0)(NAME, R)
#define hpyapi_pxd_ret_0(NAME, R) R
#define hpyapi_pxd_ret_1(NAME, R) hpyapi_pxd_table HPYAPI_TAB_OF(NAME)
#define HPYAPI_PXD_OBJECT(...) hpyapi_pxd_object(__VA_ARGS__)
#define HPYAPI_PXD_RETIRED(IDX, SINCE, R, NAME, ...)                          \
    hpyapi_pxd_retired(IDX, SINCE, R, NAME)
#include "%s"
%s
"""
_FIND = "hpyapi_pxd_api(API, LIST, MAJOR, MINOR)"
_WALK = ("hpyapi_pxd_api(%s, %s, %s, %s) "
         "%s(HPYAPI_PXD_FUNC, HPYAPI_PXD_OBJECT, HPYAPI_PXD_RETIRED) "
         "hpyapi_pxd_end()")

# C type words Cython knows as they are; other identifiers need a
# declaration (from libc.stdint, or ctypedef'd below, or the user's --types)
_C_WORDS = {"const", "volatile", "signed", "unsigned", "short", "long", "int",
            "char", "float", "double", "void", "size_t", "Py_ssize_t",
            "Py_hash_t", "Py_UCS4"}
_STDINT = {"int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t",
           "uint32_t", "uint64_t", "intptr_t", "uintptr_t", "intmax_t",
           "uintmax_t"}
# hpyapi's C-API spellings (hpyapi/capi.h typedefs them)
_HPY_TYPEDEFS = {"HPy_ssize_t": "Py_ssize_t", "HPy_hash_t": "Py_hash_t",
                 "HPy_UCS4": "Py_UCS4"}
_RESERVED = set(keyword.kwlist) | {
    "cdef", "cpdef", "ctypedef", "struct", "union", "enum", "extern",
    "include", "cimport", "inline", "public", "api", "readonly", "nogil",
    "gil", "except", "noexcept", "sizeof", "NULL", "new", "const",
    "volatile", "signed", "unsigned", "long", "short", "int", "char",
    "double", "float", "void", "object", "bint", "print", "exec"}


class PxdError(Exception):
    """A header the generator cannot turn into a .pxd (the message names
    the header, the API, the entry and what to do)."""


def _compiler():
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    return shlex.split(cc)


def preprocess(header, include_dirs=(), defines=(), declare=_FIND,
               tail=""):
    """The API header expanded by the C preprocessor as a C-API consumer
    sees it (after <Python.h>), with HPyAPI_DECLARE(API, LIST, MAJOR,
    MINOR) expanding to `declare` and `tail` after the header."""
    header = Path(header).resolve()
    incs = [str(header.parent)]
    incs += [str(Path(d).resolve()) for d in include_dirs]
    incs += [hpyapi.get_include(), sysconfig.get_paths()["include"]]
    with tempfile.TemporaryDirectory() as tmp:
        driver = Path(tmp) / "hpyapi_pxd_driver.c"
        driver.write_text(_DRIVER % (declare, header.as_posix(), tail))
        cmd = _compiler() + ["-E", "-P"] + ["-I" + d for d in incs]
        cmd += ["-D" + d for d in defines] + [str(driver)]
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        except OSError as e:
            raise PxdError("hpyapi pxd: cannot run the C preprocessor %r "
                           "(%s); set CC to a C compiler"
                           % (cmd[0], e.strerror or e)) from None
    if proc.returncode != 0:
        raise PxdError("hpyapi pxd: preprocessing %s failed (%s):\n%s"
                       % (header, " ".join(cmd), proc.stderr.rstrip()))
    return proc.stdout


def declaration(header, api, include_dirs=(), defines=()):
    """The declaration of `api` in `header`, as parse() gives it."""
    found = _find(preprocess(header, include_dirs, defines), api)
    return parse(preprocess(header, include_dirs, defines, declare="",
                            tail=_WALK % tuple(found[:4] + found[1:2])), api)


def _split(text, i):
    """text[i] is '('; returns (top-level comma-separated args, index after
    the matching ')')."""
    depth, start, args, quote = 0, i + 1, [], None
    for j in range(i, len(text)):
        c = text[j]
        if quote:
            if c == "\\":
                continue
            if c == quote and text[j - 1] != "\\":
                quote = None
        elif c in "\"'":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(text[start:j].strip())
                return [a for a in args if a or len(args) > 1], j + 1
        elif c == "," and depth == 1:
            args.append(text[start:j].strip())
            start = j + 1
    raise PxdError("hpyapi pxd: unbalanced parentheses in the expansion")


def _norm_type(t):
    """`const char*` -> `const char *`, `int * *` -> `int **`."""
    out = ""
    for tok in re.findall(r"[A-Za-z_]\w*|\S", t):
        if tok in ("restrict", "__restrict", "__restrict__"):
            continue
        if tok == "*":
            out += "*" if out.endswith("*") else " *"
        else:
            out += " " + tok
    return out.strip()


def _find(text, api):
    """The arguments of the hpyapi_pxd_api marker of `api`, and where its
    list starts."""
    names = []
    for m in re.finditer(r"\bhpyapi_pxd_api\s*\(", text):
        args, end = _split(text, m.end() - 1)
        if args[0] == api:
            return args + [end]
        names.append(args[0])
    raise PxdError("hpyapi pxd: the header declares no API %r (it declares: "
                   "%s)" % (api, ", ".join(names) or "none: no "
                            "HPyAPI_DECLARE reached the preprocessor"))


def parse(text, api):
    """The declaration of `api` in preprocessed text: {"name", "list",
    "major", "minor", "entries": [...]}; each entry a dict with "kind"
    (func, object, data, retired), "index", "name" and, for functions,
    "ret", "params" and "exc"."""
    name, lst, major, minor, pos = _find(text, api)
    decl = {"name": name, "list": lst, "major": int(major),
            "minor": int(minor), "entries": []}
    rec = re.compile(r"\s*hpyapi_pxd_(func|object|retired|end)\s*\(")
    while True:
        m = rec.match(text, pos)
        if m is None:
            raise PxdError("hpyapi pxd: cannot read the list of %r near: %s"
                           % (api, text[pos:pos + 80]))
        args, pos = _split(text, m.end() - 1)
        kind = m.group(1)
        if kind == "end":
            return decl
        e = {"index": int(args[0]), "since": int(args[1])}
        if kind == "object":
            e.update(kind="data" if len(args) == 4 else "object",
                     name=args[2])
            if len(args) == 4:
                e["type"] = _norm_type(args[3])
        elif kind == "retired":
            e.update(kind="retired", ret=_norm_type(args[2]), name=args[3])
        else:
            exc = args[4]
            table = re.match(r"hpyapi_pxd_table\s+(\w+)$", args[2].strip())
            if table:  # HPyAPI_TABLE: the C-API table returns Name_CAPI *
                e["table"] = table.group(1) + "_CAPI"
                args[2] = e["table"] + " *"
            e.update(kind="func", ret=_norm_type(args[2]), name=args[3],
                     exc=None if exc.startswith("HPyAPI_CYTHON_EXCEPT_")
                     else _unquote(exc, args[3]),
                     params=[_param(p, args[3]) for p in args[5:]])
            e["params"] = [p for p in e["params"] if p is not None]
        decl["entries"].append(e)


def _unquote(s, entry):
    if not (s.startswith('"') and s.endswith('"')):
        raise PxdError('hpyapi pxd: HPyAPI_CYTHON_EXCEPT_%s must be a string '
                       'holding a Cython exception clause, e.g. "except *"'
                       % entry)
    return s[1:-1]


def _tuple(p):
    if not p.startswith("("):
        raise PxdError("hpyapi pxd: parameter %s is not a tuple" % p)
    return _split(p, 0)[0]


def _param(p, entry):
    """One parameter tuple -> {"kind", ...} (the kinds of hpyapi/pp.h)."""
    t = _tuple(p)
    first = t[0]
    if len(t) == 1:
        return None  # (void)
    cb = re.match(r"HPyAPI_(KEPT_)?CB\s*\(", first)
    if cb:
        spec = _split(first, cb.end() - 1)[0]
        cparams = []
        for q in spec[1:]:
            qt = _tuple(q)
            if len(qt) == 2:
                cparams.append((_norm_type(qt[0]), qt[1]))
        return {"kind": "C", "fn": t[1], "ud": t[2],
                "ret": _norm_type(spec[0]), "params": cparams}
    st = re.match(r"HPyAPI_STRUCTS?\s*\(\s*(\w+)\s*\)\s*\*$", first.strip())
    if st:  # hpyapi/structs.h: the C-API table takes Name_CAPI * (an array
        # ending with an all-zero element for HPyAPI_STRUCTS)
        return {"kind": "S", "name": t[1], "struct": st.group(1) + "_CAPI"}
    fn = re.match(r"HPyAPI_FN\s*\(\s*(\w+)\s*\)$", first.strip())
    if fn:  # hpyapi/kinds/fn.h: the C-API table takes the type's _CAPI twin
        return {"kind": "FN", "name": t[1], "fntype": fn.group(1) + "_CAPI"}
    ty = _norm_type(first)
    handle = ty.split()[0] == "HPy"
    if len(t) == 2:
        if ty == "HPy":
            return {"kind": "H", "name": t[1]}
        return {"kind": "O" if handle else "V", "name": t[1], "type": ty}
    if len(t) == 3:
        return {"kind": "W" if handle else "A", "name": t[1], "len": t[2]}
    if t[2].strip() == "HPYAPI_INOUT_IS":  # what HPyAPI_INOUT expands to
        return {"kind": "IO", "name": t[1]}
    if t[2].strip() == "HPYAPI_LENEXPR_IS":  # HPyAPI_LEN_EXPR(e): no length
        return {"kind": "WE" if handle else "AE", "name": t[1], "len": t[3]}
    return {"kind": "WL" if handle else "AL", "name": t[1], "len": t[3]}


# ---- Cython text ------------------------------------------------------------

def _id(name):
    return name + "_" if name in _RESERVED else name


def _words(ctype):
    return re.findall(r"[A-Za-z_]\w*", ctype)


def _default_exc(ctype):
    """hpyapi's failure value for a value result, as Cython's clause."""
    if ctype == "void":
        return "except *"
    if "*" in ctype:
        return "except? NULL"
    words = set(_words(ctype)) - {"const", "volatile"}
    if words & {"_Bool", "bool"}:
        return "except? 0"
    if words <= (_C_WORDS | _STDINT | set(_HPY_TYPEDEFS)) - {"void"}:
        # -1, not -1.0, for floating types too: the same test, and what
        # Cython gives a cdef function, so callbacks' types match
        return "except? -1"
    return "except *"  # a typedef we cannot classify: always check


def _cy_type(ctype):
    return re.sub(r"\b(_Bool|bool)\b", "bint", ctype)


def _decl(ctype, name):
    """A Cython declarator: `const char *name`."""
    ctype = _cy_type(ctype)
    return ctype + name if ctype.endswith("*") else "%s %s" % (ctype, name)


def _cb_typedef(api, entry, p):
    params = ", ".join(("object " + _id(n)) if t == "HPy" else _decl(t, _id(n))
                       for t, n in p["params"])
    params = (params + ", " if params else "") + "void *ud"
    tname = "%s_%s_%s" % (api, entry, p["fn"])
    if p["ret"] == "HPy":
        return tname, "ctypedef object (*%s)(%s)" % (tname, params)
    return tname, "ctypedef %s %s" % (
        _decl(p["ret"], "(*%s)(%s)" % (tname, params)),
        _default_exc(p["ret"]))


def _params(api, e, typedefs):
    out = []
    for p in e["params"]:
        k = p["kind"]
        if k == "H":
            out.append("object " + _id(p["name"]))
        elif k == "V":
            out.append(_decl(p["type"], _id(p["name"])))
        elif k in ("O", "IO"):  # IO: NumPy's in-out `PyObject **op`
            out.append("PyObject **" + _id(p["name"]))
        elif k in ("A", "W"):
            out += ["PyObject **" + _id(p["name"]),
                    "Py_ssize_t " + _id(p["len"])]
        elif k in ("AL", "WL", "AE", "WE"):
            out.append("PyObject **" + _id(p["name"]))
        elif k == "S":
            out.append("%s *%s" % (p["struct"], _id(p["name"])))
        elif k == "FN":
            out.append("%s %s" % (p["fntype"], _id(p["name"])))
        else:  # C
            tname, td = _cb_typedef(api, e["name"], p)
            typedefs.append(td)
            out += ["%s %s" % (tname, _id(p["fn"])), "void *" + _id(p["ud"])]
    return ", ".join(out)


def _types_used(decl):
    for e in decl["entries"]:
        if e["kind"] == "data":
            yield e["name"], e["type"]
        if e["kind"] != "func":
            continue
        yield e["name"], e["ret"]
        for p in e["params"]:
            if p["kind"] == "V":
                yield e["name"], p["type"]
            elif p["kind"] == "C":
                yield e["name"], p["ret"]
                for t, _ in p["params"]:
                    yield e["name"], t


def _declared_in(fragment):
    """Type names a --types fragment declares."""
    names = set(re.findall(
        r"\bctypedef\b[^\n:]*?\b([A-Za-z_]\w*)\s*(?::|$|\()", fragment, re.M))
    names |= set(re.findall(r"\b(?:struct|union|enum)\s+([A-Za-z_]\w*)",
                            fragment))
    return names


def _structs(decl, declared):
    """Struct parameters' and returned tables' C-API types that `types`
    does not declare: opaque here (pointers pass; fields need a --types
    declaration)."""
    funcs = [e for e in decl["entries"] if e["kind"] == "func"]
    return sorted(({p["struct"] for e in funcs for p in e["params"]
                    if p["kind"] == "S"} |
                   {e["table"] for e in funcs if "table" in e}) - declared)


def _slot_types(decl, declared):
    """Slot types of (HPyAPI_FN(type), f) parameters that `types` does not
    declare: opaque pointers here (a cdef function passes with a cast,
    <type_CAPI>f; the C compiler sees the header's typedef)."""
    return sorted({p["fntype"] for e in decl["entries"] if e["kind"] == "func"
                   for p in e["params"] if p["kind"] == "FN"} - declared)


def pxd_text(decl, include, module=None, types=""):
    """The .pxd for `decl` (see parse()), whose header C code includes as
    `include`; `module` is the exporter import_<api>() imports by
    default; `types` are extra lines for the extern block."""
    api = decl["name"]
    known = _C_WORDS | _STDINT | set(_HPY_TYPEDEFS) | {"HPy", "_Bool", "bool"}
    known |= _declared_in(types)
    opaque = _structs(decl, known)
    known |= set(opaque)
    stdint, hpyt = set(), set()
    for entry, t in _types_used(decl):
        for w in _words(t):
            if w in _STDINT:
                stdint.add(w)
            elif w in _HPY_TYPEDEFS:
                hpyt.add(w)
            elif w not in known:
                raise PxdError(
                    "hpyapi pxd: %s: entry %s of API %r uses the type %r, "
                    "which Cython does not know; declare it in a file given "
                    "with --types (lines of a `cdef extern from` block, e.g. "
                    "`ctypedef struct %s:` with its fields, or `ctypedef long "
                    "%s` for an integer type)"
                    % (include, entry, api, w, w, w))
    typedefs, members, data = [], [], []
    for e in decl["entries"]:
        if e["kind"] == "retired":
            members.append("# %s (slot %d) is retired: not callable"
                           % (e["name"], e["index"]))
        elif e["kind"] == "object":
            members.append("object (*%s)()" % e["name"])
        elif e["kind"] == "data":
            data.append("ctypedef %s" % _decl(e["type"],
                                              e["name"] + "_hpyapi_T"))
            members.append("const %s_hpyapi_T *%s" % (e["name"], e["name"]))
        else:
            params = _params(api, e, typedefs)
            if e["ret"] == "HPy":
                if e["exc"] is not None:
                    raise PxdError("hpyapi pxd: %s: HPyAPI_CYTHON_EXCEPT_%s: "
                                   "an HPy result always fails with NULL; "
                                   "remove it" % (include, e["name"]))
                members.append("object (*%s)(%s)" % (e["name"], params))
            else:
                # a returned array of handles (HPyAPI_RETURNS_<Entry>): the
                # C-API table's PyObject **, freed with HPyAPI_FreeObjects
                ret = "PyObject **" if e["ret"] == "HPy *" else e["ret"]
                exc = e["exc"] if e["exc"] is not None else \
                    _default_exc(ret)
                members.append("%s %s" % (_decl(ret, "(*%s)(%s)" % (
                    e["name"], params)), exc))
    mod = module or ""
    lines = [
        "# Generated by hpyapi %s (python -m hpyapi pxd) from %s: the %r "
        "API, version %d.%d." % (hpyapi.__version__, include, api,
                                 decl["major"], decl["minor"]),
        "# Do not edit; regenerate it when the header changes.",
        "# cython: language_level=3",
        "from cpython.object cimport PyObject",
    ]
    if stdint:
        lines.append("from libc.stdint cimport " + ", ".join(sorted(stdint)))
    lines += [
        "",
        "cdef extern from *:",
        '    """',
        '    #include "%s"' % include,
        "    /* %s_capi (stubs that raise until the import) and "
        "import_%s() */" % (api, api),
        '    HPyAPI_USE_CAPI_DEFINE(%s, %s, "%s");' % (api, decl["list"],
                                                    _c_str(mod)),
        "    static int hpyapi_import_%s_from(const char *module)" % api,
        "    {",
        "        const %s_CAPI *t = HPyAPI_ImportCAPI(%s, module);"
        % (api, api),
        "        if (t == NULL)",
        "            return -1;",
        "        %s_capi = t;" % api,
        "        return 0;",
        "    }",
        '    """',
    ]
    for t in sorted(hpyt):
        lines.append("    ctypedef %s %s" % (_HPY_TYPEDEFS[t], t))
    lines += ["    " + ln for ln in types.strip("\n").splitlines()]
    for t in opaque:  # declared by HPyAPI_STRUCT_DECLARE in the header
        lines += ["    ctypedef struct %s:" % t, "        pass"]
    for t in _slot_types(decl, known):  # HPyAPI_SLOT_TYPE's C-API twin
        lines.append("    ctypedef void *%s" % t)
    lines += ["    " + d for d in data + typedefs]
    lines.append("    # the CPython-API table: handles are objects")
    lines.append("    ctypedef struct %s_CAPI:" % api)
    lines += ["        " + m for m in members]
    lines += [
        "    const %s_CAPI *%s_capi" % (api, api),
        "    int hpyapi_import_%s \"import_%s\"() except -1" % (api, api),
        "    int hpyapi_import_%s_from(const char *module) except -1" % api,
        "",
        "",
        "cdef inline int import_%s(module=None) except -1:" % api,
        '    """Imports the %r API from `module` (default %r) into %s_capi;'
        % (api, mod or None, api),
        "    ImportError says what did not match.  Call it at module level."
        '"""',
        "    cdef bytes name",
        "    if module is not None:",
        "        name = module.encode()",
        "        return hpyapi_import_%s_from(name)" % api,
    ]
    if mod:
        lines.append("    return hpyapi_import_%s()" % api)
    else:
        lines.append("    raise TypeError(\"import_%s() needs the exporter's "
                     "module name: this .pxd was generated without --module\")"
                     % api)
    return "\n".join(lines) + "\n"


def _c_str(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def write_pxd(header, api, output, module=None, include=None,
              include_dirs=(), defines=(), types=None):
    """Generate the .pxd of `api` (declared in `header`) at `output`, for
    use from setup.py (before cythonize) or any build.  `module`: the
    exporter import_<api>() imports by default; `include`: how C code
    includes the header (default: its file name); `types`: a file of
    extern declarations for types of the header's own.  Returns the
    path.  The file is only rewritten when its text changes, so that
    builds that compare times do not redo work."""
    decl = declaration(header, api, include_dirs, defines)
    text = pxd_text(decl, include or Path(header).name, module,
                    Path(types).read_text() if types else "")
    out = Path(output)
    if not out.exists() or out.read_text() != text:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    return str(out)


def main(args):
    """`python -m hpyapi pxd HEADER API -o OUT.pxd`."""
    try:
        write_pxd(args.header, args.api, args.output or args.api + ".pxd",
                  module=args.module, include=args.include,
                  include_dirs=args.I or (), defines=args.D or (),
                  types=args.types)
    except (PxdError, OSError) as e:
        sys.stderr.write("%s\n" % e)
        return 1
    return 0
