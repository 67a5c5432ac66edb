"""python -m hpyapi expand: what a declaration becomes.

Runs the user's C preprocessor (``$CC``, else cc) over a one-line file that
includes the API header and expands one of hpyapi's definition macros --
the exporter's ``HPyAPI_DEFINE``, the consumer's ``HPyAPI_USE_DEFINE`` or
the C-API consumer's ``HPyAPI_USE_CAPI_DEFINE`` -- and prints the result
laid out one declaration or statement per line: the trampolines, tables,
descriptors and ``.hpyapi`` records of every entry, or of one.  What is
printed is exactly what the compiler compiles, with the flags of the ABI
asked for, so it also shows what an entry's mistake expanded to.
"""
import os
import re
import shlex
import subprocess
import tempfile
from pathlib import Path

SIDES = {
    "exporter": "HPyAPI_DEFINE({api}, {list});",
    "consumer": 'HPyAPI_USE_DEFINE({api}, {list}, "{module}");',
    "capi": 'HPyAPI_USE_CAPI_DEFINE({api}, {list}, "{module}");',
}
_BEGIN, _END = "hpyapi_expand_begin_", "hpyapi_expand_end_"


class ExpandError(Exception):
    """A header, API or entry that cannot be expanded; the message says
    which and why."""


def find_list(header_text, api):
    """The list macro that `HPyAPI_DECLARE(api, LIST, ...)` names."""
    m = re.search(r"HPyAPI_DECLARE\s*\(\s*%s\s*,\s*(\w+)" % re.escape(api),
                  header_text)
    return m.group(1) if m else None


def preprocess(header, api, side="exporter", abi="universal", list_name=None,
               module="module", cc=None, extra_flags=()):
    """The preprocessed text of the definition macro of `side`, one line."""
    from hpyapi.__main__ import cflags, include_flags
    header = Path(header).resolve()
    if not header.is_file():
        raise ExpandError("%s: no such header" % header)
    list_name = list_name or find_list(header.read_text(errors="replace"), api)
    if list_name is None:
        raise ExpandError(
            "%s does not declare API %r with HPyAPI_DECLARE(%s, LIST, major, "
            "minor); give the list macro with --list" % (header, api, api))
    lead = '#include "Python.h"\n' if side == "capi" else '#include "hpy.h"\n'
    if side == "exporter":  # as the exporter's file (hpyapi/structs.h)
        lead += "#define HPYAPI_EXPORTER 1\n"
    text = (lead + '#include "%s"\n%s;\n%s\n%s;\n' % (
        header, _BEGIN, SIDES[side].format(api=api, list=list_name,
                                           module=module), _END))
    cc = shlex.split(cc or os.environ.get("CC") or "cc")
    flags = cflags("cpython" if side == "capi" else abi) + include_flags(
        "cpython" if side == "capi" else abi)
    if side == "capi" or abi != "universal":
        import sysconfig
        flags += ["-I" + sysconfig.get_paths()["include"]]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "expand.c"
        src.write_text(text)
        res = subprocess.run(
            cc + ["-E", "-P", "-I" + str(header.parent)] + flags +
            list(extra_flags) + [str(src)], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
    if res.returncode != 0:
        raise ExpandError("the preprocessor failed:\n" + res.stderr.strip())
    out = res.stdout
    try:
        body = out.split(_BEGIN + ";", 1)[1].split(_END + ";", 1)[0]
    except IndexError:
        raise ExpandError("the expansion markers are missing from the "
                          "preprocessor's output") from None
    return " ".join(body.split())


def _string_end(code, i):
    """Just past the string or character literal that starts at code[i]."""
    j = i + 1
    while j < len(code) and code[j] != code[i]:
        j += 2 if code[j] == "\\" else 1
    return j + 1


def split_top(code):
    """Top-level declarations and definitions: split after `;` or a closing
    `}` at brace depth 0 (outside strings and parentheses)."""
    out, depth, paren, start, i = [], 0, 0, 0, 0
    while i < len(code):
        c = code[i]
        if c in "\"'":
            i = _string_end(code, i) - 1
        elif c == "(":
            paren += 1
        elif c == ")":
            paren -= 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            # a function body ends here; an initialiser goes on to its `;`
            if depth == 0 and paren == 0 and not re.match(r"\s*[;,]",
                                                          code[i + 1:]):
                out.append(code[start:i + 1])
                start = i + 1
        elif c == ";" and depth == 0 and paren == 0:
            out.append(code[start:i + 1])
            start = i + 1
        i += 1
    if code[start:].strip():
        out.append(code[start:])
    return [d.strip() for d in out if d.strip() and d.strip() != ";"]


def layout(decl, indent="    "):
    """One statement per line, blocks indented: enough to read generated
    code, not a pretty-printer."""
    lines, depth, cur, paren, i = [], 0, "", 0, 0

    def flush():
        nonlocal cur
        if cur.strip():
            lines.append(indent * depth + cur.strip())
        cur = ""
    while i < len(decl):
        c = decl[i]
        if c in "\"'":
            j = _string_end(decl, i)
            cur += decl[i:j]
            i = j
            continue
        if c == "(":
            paren += 1
        elif c == ")":
            paren -= 1
        if c == "{" and paren == 0:
            cur += "{"
            flush()
            depth += 1
        elif c == "}" and paren == 0:
            flush()
            depth = max(depth - 1, 0)
            cur = "}"
            if not re.match(r"\s*([;,)]|else\b|while\b)", decl[i + 1:]):
                flush()
        elif c == ";" and paren == 0:
            cur += ";"
            flush()
        else:
            cur += c
        i += 1
    flush()
    return "\n".join(lines)


def expand(header, api, entry=None, **kw):
    """The laid-out expansion, or only the declarations naming `entry`."""
    decls = split_top(preprocess(header, api, **kw))
    if entry:
        word = re.compile(r"\b%s(\b|_hpyapi)" % re.escape(entry))
        decls = [d for d in decls if word.search(d)]
        if not decls:
            raise ExpandError("API %r has no entry %r (the expansion never "
                              "names it)" % (api, entry))
    return "\n\n".join(layout(d) for d in decls) + "\n"
