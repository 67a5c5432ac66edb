"""The map stays true: one block per parameter kind, and docs that name
only what exists.

- Every generator family (the `HPYAPI_G_<FAMILY>_<KIND>` and legacy
  `HPYAPI_L_<FAMILY>_<KIND>` macros the parameter dispatch of pp.h pastes
  together) defines every parameter kind: a kind missing from one family is
  otherwise a page of preprocessor errors for whoever first uses it there.
- Legacy declarations refuse the forms a classic C-API table cannot take
  with one short error naming the entry, the parameter and the way out; the
  legacy header is pedantic-clean C++17.
- The README's layout lists every file of the library, one line each, and
  every file, function and macro that the docs and the file-header
  comments name exists.
"""
import os
import re
from pathlib import Path

import pytest

from strict import C_COMPILERS, CXX_COMPILERS, LEGACY, compile_snippet

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "hpyapi"
INCLUDE = SRC / "include"
HEADERS = sorted((INCLUDE / "hpyapi").glob("*.h")) + sorted(
    (INCLUDE / "hpyapi" / "kinds").glob("*.h"))


# ---- parameter kinds --------------------------------------------------------

def kinds():
    """The kinds pp.h dispatches parameters to: the dispatchers
    HPYAPI_KD_<kind> its HPYAPI_NORM_* classification answers with (BAD
    being none)."""
    pp = (INCLUDE / "hpyapi" / "pp.h").read_text()
    norm = pp[pp.index("#define HPYAPI_NORM("):pp.index("/* the kinds:")]
    found = set(re.findall(r"HPYAPI_KD_(\w+)", norm)) - {"BAD"}
    assert {"H", "V", "A", "O", "W", "AL", "WL", "C", "N"} <= found, found
    return found


def families(prefix):
    """family -> kinds defined, over every public header."""
    out = {}
    pattern = re.compile(r"#define %s_([A-Z0-9]+)_([A-Z]+)\b" % prefix)
    for h in HEADERS:
        for fam, kind in pattern.findall(h.read_text()):
            out.setdefault(fam, set()).add(kind)
    return out


@pytest.mark.parametrize("prefix", ["HPYAPI_G", "HPYAPI_L"])
def test_every_generator_family_has_every_kind(prefix):
    want = kinds()
    # a family is a set of per-parameter generators: it defines some kind
    fams = {f: ks for f, ks in families(prefix).items() if ks & want}
    # HPYAPI_L_CHECK etc. are families too; helpers that are not a family
    # (no kind suffix) never match the pattern
    assert len(fams) >= 10, fams
    missing = {fam: sorted(want - ks) for fam, ks in fams.items()
               if want - ks}
    assert missing == {}, (
        "generator families lacking a parameter kind (define each kind's "
        "generator in that kind's block): %s" % missing)


def test_each_kind_lives_in_its_own_header():
    """Every HPYAPI_G_<family>_<kind> is defined in the kind's header
    (hpyapi/kinds.h lists them), and nowhere else: adding a kind is one
    new header, not an edit of every family's file."""
    table = (INCLUDE / "hpyapi" / "kinds.h").read_text()
    home = dict(re.findall(r"^ \*   ([A-Z]+)\s+kinds/(\w+\.h)", table, re.M))
    assert set(home) == kinds(), (sorted(home), sorted(kinds()))
    pattern = re.compile(r"#define HPYAPI_G_([A-Z0-9]+)_([A-Z]+)\b")
    misplaced = []
    for h in HEADERS:
        for fam, kind in pattern.findall(h.read_text()):
            if kind in home and h.name != home[kind] or \
                    kind in home and h.parent.name != "kinds":
                misplaced.append("HPYAPI_G_%s_%s in %s" % (fam, kind, h.name))
    assert misplaced == []


def test_test_files_import_no_test_file_and_no_bench():
    """Test files share code through helper modules (conftest.py,
    strict.py, forged.py), never by importing each other or bench/: the
    bench is run (bench/probe.py), not imported."""
    tests = REPO / "tests"
    names = {p.stem for p in tests.glob("test_*.py")}
    bench = {p.stem for p in (REPO / "bench").glob("*.py")}
    bad = []
    for p in sorted(tests.glob("*.py")):
        for m in re.finditer(r"^\s*(?:from|import)\s+([\w.]+)",
                             p.read_text(), re.M):
            mod = m.group(1).split(".")[0]
            if mod in names or mod in bench or mod == "bench":
                bad.append("%s imports %s" % (p.name, mod))
        if re.search(r"sys\.path\.\w+\([^)]*bench", p.read_text()):
            bad.append("%s puts bench/ on sys.path" % p.name)
    assert bad == []


# ---- legacy declarations ------------------------------------------------------

@pytest.mark.parametrize("compiler", C_COMPILERS + CXX_COMPILERS)
@pytest.mark.parametrize("abi", ["cpython", "universal", "hybrid"])
def test_legacy_header_is_warning_free(abi, compiler, tmp_path):
    rc, out = compile_snippet(LEGACY % "", compiler, abi, tmp_path)
    assert rc == 0 and out == "", out


REFUSED = {
    "out-handle": ("(long, k), (HPy *, result), (int, z)",
                   "result", "an out-handle"),
    "filled array": ("(HPy *, items, n)", "items",
                     "an array of handles the exporter fills"),
    "filled array, named length": (
        "(int, n), (HPy *, items, HPyAPI_LEN(n))", "items",
        "an array of handles the exporter fills"),
    "array": ("(HPy, a), (const HPy *, items, n)", "items",
              "an array of handles"),
    "array, named length": ("(const HPy *, items, HPyAPI_LEN(n)), (int, n)",
                            "items", "an array of handles"),
    "callback": ("(HPyAPI_CB(HPy, (HPy, x)), fn, ud), (HPy, a)", "fn",
                 "a callback"),
}


@pytest.mark.parametrize("compiler", C_COMPILERS + CXX_COMPILERS)
def test_legacy_table_has_no_retired_entries(compiler, tmp_path):
    rc, out = compile_snippet(LEGACY % "RETIRED(6, 0, int, Old, (HPy, a))",
                              compiler, "universal", tmp_path)
    assert rc != 0 and "Old: a legacy table has no RETIRED entries" in out


@pytest.mark.parametrize("compiler", C_COMPILERS + CXX_COMPILERS)
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_legacy_refuses_a_form_with_one_short_error(case, compiler, tmp_path):
    params, pname, what = REFUSED[case]
    entry = "FUNC(6, 0, int, Op, %s)" % params
    rc, out = compile_snippet(LEGACY % entry, compiler, "universal", tmp_path)
    assert rc != 0
    lines = out.splitlines()
    errors = [l for l in lines if " error: " in l or l.startswith("error: ")]
    expected = ("Op: parameter '%s' is %s; a legacy table takes handles and "
                "values only (export a wrapper of this function through an "
                "hpyapi API instead)" % (pname, what))
    assert len(errors) == 1 and expected in errors[0], out
    assert len(lines) < 80, out


# ---- the docs' map ------------------------------------------------------------

def library_files():
    """Every file of the library and its tooling that the layout lists."""
    files = set()
    for p in SRC.rglob("*"):
        if p.is_file() and "__pycache__" not in p.parts:
            files.add(p.relative_to(REPO).as_posix())
    return files


def layout_block():
    readme = (REPO / "README.md").read_text()
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    return [l for l in block.splitlines()[1:] if l.strip()]


def test_readme_layout_lists_every_file_once():
    listed = []
    for line in layout_block():
        path = line.split()[0]
        listed.append(path)
        assert len(line.split(None, 1)) == 2, "no description: %r" % line
    dupes = sorted({p for p in listed if listed.count(p) > 1})
    assert dupes == []
    files = [p for p in listed if not p.endswith("/")]
    dirs = [p for p in listed if p.endswith("/")]
    missing = sorted(library_files() - set(files))
    assert missing == [], "files the README layout does not list: %s" % missing
    absent = sorted(p for p in files if not (REPO / p).is_file())
    absent += sorted(p for p in dirs if not (REPO / p).is_dir())
    assert absent == [], "listed but absent: %s" % absent
    # every top-level directory of the repository has its line (but
    # ignored ones: Python's bytecode, e.g. noxfile.py's under nox)
    tops = sorted(p.name + "/" for p in REPO.iterdir()
                  if p.is_dir() and not p.name.startswith(".")
                  and p.name not in ("build", "src", "__pycache__") and not
                  p.name.endswith(".egg-info"))
    assert sorted(set(tops) - set(dirs)) == [], "unlisted directories"


DOCS = [REPO / "README.md"] + sorted((REPO / "docs").glob("*.md"))
# where a bare file name in the docs or a comment may live
SEARCH_DIRS = [REPO, SRC, INCLUDE, INCLUDE / "hpyapi", SRC / "runtime",
               REPO / "tests", REPO / "tests" / "c", REPO / "bench",
               REPO / "examples", REPO / "docs"]
FILE_RE = re.compile(
    r"(?<![\w./-])((?:[\w.-]+/)*[\w-]+\.(?:c|h|py|md|txt|toml))\b(?!\.\w)")
# files of hpy, CPython, NumPy, the C library and the user's own project
EXTERNAL = {"hpy.h", "Python.h", "stdint.h", "stddef.h", "string.h",
            "setup.py", "NAME.py", "numpy_api.py", "__ufunc_api.h",
            "__multiarray_api.h", "_public_dtype_api_table.h",
            "arrayobject.h", "ufuncobject.h", "pyproject.toml", "_numpyconfig.h",
            "HPY_FACTS.md",  # the team's notes on hpy 0.9.0
            "hpymodule.c", "debug_internal.h",  # hpy's own sources
            # the reference's compiled blocks, by the file they form
            # (tests/test_reference_examples.py)
            "silent.c", "silent_capi.c"}
NAME_RE = re.compile(r"\b(_?HPy(?:API|_AsAPI)\w*|HPYAPI_[A-Z0-9_]*[A-Z0-9])\b(?!\*)")


def all_sources():
    out = []
    for d in ("src", "tests", "bench", "examples"):
        for p in (REPO / d).rglob("*"):
            if p.suffix in (".c", ".h", ".py", ".cpp", ".pyx", ".pxd", ".build") \
                    and "__pycache__" not in p.parts:
                out.append(p)
    return out


def code_of(path):
    """A source file without its comments (and docstrings): a name that is
    only mentioned in a comment is not defined anywhere."""
    text = path.read_text(errors="replace")
    if path.suffix == ".py":
        text = re.sub(r'""".*?"""', "", text, flags=re.S)
        return re.sub(r"#[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def defined_names():
    text = "\n".join(code_of(p) for p in all_sources())
    text += (REPO / "Makefile").read_text()
    return set(NAME_RE.findall(text))


_TREE = []


def repo_files():
    """Every path in the repository, as a relative posix path, outside the
    build trees (which other test processes change under a walk)."""
    if not _TREE:
        skip = {"build", ".venv", ".nox", ".git", "__pycache__"}
        for root, dirs, files in os.walk(REPO):
            dirs[:] = [d for d in dirs if d not in skip]
            rel = Path(root).relative_to(REPO)
            _TREE.extend((rel / n).as_posix() for n in dirs + files)
    return _TREE


def file_exists(name):
    if (REPO / name).exists():
        return True
    return any((d / name).exists() for d in SEARCH_DIRS) or any(
        p == name or p.endswith("/" + name) for p in repo_files())


def comments(path):
    """The C comments of a C file; a Python file's docstrings."""
    text = path.read_text(errors="replace")
    if path.suffix == ".py":
        return "\n".join(re.findall(r'""".*?"""', text, re.S))
    return "\n".join(re.findall(r"/\*.*?\*/", text, re.S))


def named_things():
    """(where, kind, name) for each file or hpyapi name in the docs and in
    the comments of each library file."""
    out = []
    for doc in DOCS:
        for block in re.findall(r"`([^`\n]+)`", doc.read_text()):
            out += [(doc.name, "file", f) for f in FILE_RE.findall(block)]
            out += [(doc.name, "name", n) for n in NAME_RE.findall(block)]
    for p in sorted(SRC.rglob("*")):
        if p.suffix in (".c", ".h", ".py"):
            c = comments(p)
            where = p.relative_to(REPO).as_posix()
            out += [(where, "file", f) for f in FILE_RE.findall(c)]
            out += [(where, "name", n) for n in NAME_RE.findall(c)]
    return out


# names that are the user's own, spelled as placeholders in the docs
PLACEHOLDER = re.compile(
    r"(API|NAME|Name|LIST|MOD|ENTRY|X)$|_$|^HPyAPI_BIND_|^HPyAPI_RETURNS_")


def test_every_named_file_and_name_exists():
    names = defined_names()
    bad = set()
    for where, kind, thing in named_things():
        if kind == "file":
            if (not file_exists(thing) and thing.split("/")[-1] not in EXTERNAL
                    and not thing.startswith(("my", "mod", "numpy/"))):
                bad.add("%s: file %s" % (where, thing))
        elif thing not in names and not PLACEHOLDER.search(thing):
            bad.add("%s: %s" % (where, thing))
    assert sorted(bad) == [], "named in docs or comments but nowhere defined"
