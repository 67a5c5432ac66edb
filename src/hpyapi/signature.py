"""Signature normalisation, the same rules as runtime/signature.c (see its
header comment): `python -m hpyapi check` compares signatures read from
binaries without loading them, and must agree with what HPyAPI_Import
accepts at run time.  tests/test_signature.py runs both on the same cases.
"""
import re

_ALIASES = {"Py_ssize_t": "HPy_ssize_t", "Py_hash_t": "HPy_hash_t",
            "Py_UCS4": "HPy_UCS4", "bool": "_Bool"}
_QUALIFIERS = ("const", "volatile", "restrict")
_INT_WORDS = ("signed", "unsigned", "char", "short", "long", "int")
# the C side's fixed buffers: longer types are refused there, so here too
_MAX_TOKENS = 24
_MAX_TOKEN = 63
# C's isspace() would be locale-dependent; signature.c uses these four
_SPACE = " \t\n\r"
_TOKEN = re.compile(r"[ \t\n\r]*(?:(\*)|([A-Za-z_][A-Za-z0-9_]*)|([^ \t\n\r]))")


class SignatureError(ValueError):
    """A signature the normaliser cannot read."""


def _integer_name(words):
    """Integer keywords in any order -> the canonical name; None if the
    words are not all integer keywords."""
    if not all(w in _INT_WORDS for w in words):
        return None
    n = {w: words.count(w) for w in _INT_WORDS}
    signed, unsigned = n["signed"], n["unsigned"]
    chr_, shrt, lng, integer = n["char"], n["short"], n["long"], n["int"]
    if (signed + unsigned > 1 or chr_ > 1 or shrt > 1 or lng > 2 or
            integer > 1 or (chr_ and (shrt or lng or integer)) or
            (shrt and lng)):
        raise SignatureError("no integer type is spelled %r" % " ".join(words))
    u = "unsigned " if unsigned else ""
    if chr_:
        return "signed char" if signed else u + "char"
    if shrt:
        return u + "short"
    if lng == 2:
        return u + "long long"
    if lng == 1:
        return u + "long"
    return u + "int"


def _tokens(text):
    toks = []
    for m in _TOKEN.finditer(text):
        star, ident, other = m.groups()
        if other is not None:
            raise SignatureError("unexpected %r" % other)
        if ident is not None and len(ident) > _MAX_TOKEN:
            raise SignatureError("name too long")
        toks.append(star or ident)
    if len(toks) > _MAX_TOKENS:
        raise SignatureError("type too long")
    return toks


def _norm_type(text):
    toks = _tokens(text)
    i = 0
    words, base_const, base_volatile = [], False, False
    while i < len(toks) and toks[i] != "*":
        t = toks[i]
        if t == "const":
            base_const = True
        elif t == "volatile":
            base_volatile = True
        elif t != "restrict":
            words.append(t)
        i += 1
    if not words:
        raise SignatureError("no type in %r" % text)
    ptrs = []  # [const, volatile] per pointer level
    for t in toks[i:]:
        if t == "*":
            ptrs.append([False, False])
        elif t not in _QUALIFIERS:
            raise SignatureError("%r after a '*'" % t)
        elif t != "restrict":
            ptrs[-1][t == "volatile"] = True
    # top-level qualifiers have no ABI meaning
    if not ptrs:
        base_const = base_volatile = False
    else:
        ptrs[-1] = [False, False]
    out = ("const " if base_const else "") + (
        "volatile " if base_volatile else "")
    iname = _integer_name(words)
    if iname is not None:
        out += iname
    elif words == ["long", "double"]:
        out += "long double"
    else:
        out += " ".join(_ALIASES.get(w, w) for w in words)
    for const, volatile in ptrs:
        out += "*" + " ".join(q for q, on in (("const", const),
                                              ("volatile", volatile)) if on)
    return out


# named: some [] holds a name or an HPyAPI_LEN_EXPR expression as written
# (anything but the canonical "[]", "[#k]" and "[=...]")
_NAMED = re.compile(r"\[[ \t\n\r]*[^ \t\n\r\]#=]")
_EXPR_TOKEN = re.compile(r"[ \t\n\r]*([A-Za-z_]\w*|[0-9]+|#[0-9]+|[-+*/%()])")
_MAX_PARAMS = 128  # as MAX_PARAMS in signature.c


def _parse_param(text, named):
    """(type text, name, ref) of one parameter: ref is the text inside an
    array's [] (None for no brackets); name is cut off in named
    signatures."""
    text = text.strip(_SPACE)
    ref = None
    if text.endswith("]"):
        lb = text.rfind("[")
        if lb < 0:
            raise SignatureError("unmatched ']' in %r" % text)
        ref = text[lb + 1:-1].strip(_SPACE)
        # named: a name or an expression of names and numbers; plain:
        # "[]" or, canonical, "[#position]" or "[=expression of #positions]"
        ok = (re.match(r"[A-Za-z0-9_ \t\n\r+*/%()-]+\Z", ref) if named else
              ref == "" or re.match(r"#[0-9]+\Z", ref) or
              re.match(r"=[0-9#+*/%() \t\n\r-]+\Z", ref))
        if not ok:
            raise SignatureError("bad array length %r" % text)
        text = text[:lb].rstrip(_SPACE)
    name = None
    if named:
        m = re.search(r"[A-Za-z0-9_]*\Z", text)
        name = m.group(0)
        if not name or not (name[0].isalpha() or name[0] == "_"):
            raise SignatureError("no parameter name in %r" % text)
        text = text[:m.start()].rstrip(_SPACE)
    if not text:
        raise SignatureError("no type in a parameter")
    return text, name, ref


def _norm_params(text):
    """The canonical parameter list (see signature.c's norm_params)."""
    named = bool(_NAMED.search(text))
    params = [_parse_param(p, named) for p in text.split(",")]
    if len(params) > _MAX_PARAMS:
        raise SignatureError("too many parameters")
    names = [name for _, name, _ in params]
    out = []
    for i, (typ, name, ref) in enumerate(params):
        t = _norm_type(typ)
        if ref is not None and (ref.startswith("=") or (
                named and not re.match(r"[A-Za-z_]\w*\Z", ref))):
            if t not in ("const HPy*", "HPy*"):
                raise SignatureError("a length expression on %r, not a "
                                     "handle array" % t)
            out.append(t + "[=%s]" % _norm_expr(ref.lstrip("="), names, i))
            continue
        if ref is not None:
            k = i + 1
            if ref.startswith("#"):
                k = int(ref[1:]) - 1
                if k < 0 or k == i:
                    raise SignatureError("bad length position %r" % ref)
            elif named:
                if ref not in names or names.index(ref) == i:
                    raise SignatureError("length %r names no other "
                                         "parameter" % ref)
                k = names.index(ref)
            if k >= len(params):
                raise SignatureError("no length after an array")
            nxt = _norm_type(params[k][0])
            if k == i + 1 and nxt == "HPy_ssize_t":
                t += "" if t == "const HPy*" else "[]"
            else:
                t += "[#%d]" % (k + 1)
        out.append(t)
    return out


def _norm_expr(expr, names, i):
    """An HPyAPI_LEN_EXPR length: tokens without spaces, each name of a
    parameter (but array i's own) replaced by its position "#k"."""
    out, pos = [], 0
    expr = expr.strip(_SPACE)
    while pos < len(expr):
        m = _EXPR_TOKEN.match(expr, pos)
        if not m:
            raise SignatureError("bad length expression %r" % expr)
        tok = m.group(1)
        pos = m.end()
        if tok[0].isalpha() or tok[0] == "_":
            if tok not in names or names.index(tok) == i:
                raise SignatureError("length %r names no other parameter"
                                     % tok)
            tok = "#%d" % (names.index(tok) + 1)
        elif tok[0] == "#" and not 0 <= int(tok[1:]) - 1 < len(names) \
                or tok[0] == "#" and int(tok[1:]) - 1 == i:
            raise SignatureError("bad length position %r" % tok)
        out.append(tok)
    if not out:
        raise SignatureError("empty length expression")
    return "".join(out)


def normalize(sig):
    """The canonical spelling of C signature `sig` ("R(P1,P2)", or a data
    entry's type); raises SignatureError for what runtime/signature.c
    refuses."""
    lp = sig.find("(")
    if lp < 0:
        return _norm_type(sig)
    rp = sig.rfind(")")
    if rp < lp or sig[rp + 1:].strip(_SPACE):
        raise SignatureError("not a signature: %r" % sig)
    params = sig[lp + 1:rp]
    if params.strip(_SPACE) in ("", "void"):
        norm = ["void"]
    else:
        norm = _norm_params(params)
    return "%s(%s)" % (_norm_type(sig[:lp]), ",".join(norm))


def same(a, b):
    """Do signatures `a` and `b` spell the same C ABI?  Unreadable ones
    compare as written."""
    try:
        return normalize(a) == normalize(b)
    except SignatureError:
        return a == b
