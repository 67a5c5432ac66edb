"""Arguments for, and the expected results of, every entry of the generated
test API: npimpl.h's rules (read them there) computed in Python.

    args = arguments(entry, variant)      # what consumer.call(...) takes
    ret_and_outs = expected(entry, args)  # what it must return
"""
from . import translate
from .cgen import API_IDS

M = 1 << 64
ARRAY_LENGTHS = (1, 3, 0, 20)   # 20: beyond hpyapi's on-stack buffers
FILL_LENGTHS = (2, 0, 5)


class Thing:
    """A hashable object whose handle the exporter returns in its result:
    identity, not equality, proves it is the caller's own object."""


def pool_object(k):
    kind = k % 4
    if kind == 0:
        return 7000 + k
    if kind == 1:
        return "s%d" % k
    if kind == 2:
        return (k, "t")
    return Thing()


def value_arg(p, k):
    if p.vkind == "i":
        return (k * 7) % 100 - 20
    if p.vkind == "u":
        return (k * 7) % 200 + 1
    if p.vkind == "f":
        return k % 10 + 0.25
    return 0x10000 + 16 * k      # a pointer: never dereferenced


UFUNC_NARGS = 3   # NP_UFUNC_NARGS in npapi.h (cgen.py)


def takes_arg(p):
    """Whether parameter p takes a Python argument (npcall.h)."""
    return p.kind not in ("O", "R", "EW", "Z")


def np_len(acc):
    """npimpl.h's np_len: a returned array's length from the digest."""
    return 20 if acc % 7 == 0 else acc % 5


def length(expr, named, acc):
    """The value of a length expression translate.py writes."""
    if expr == translate.NARGS:
        return UFUNC_NARGS
    if expr.isdigit():
        return int(expr)
    if expr.startswith("*"):               # written by the exporter
        return np_len(acc)
    if expr.startswith("NP_ITER_NOP("):
        return (named[expr[12:-1]] >> 4) % 4 * 6
    raise ValueError("no rule for the length %r" % expr)


def arguments(e, variant=0):
    """One Python argument per declared parameter except out-handles.  A
    NumPy length parameter gets the length of the arrays that refer to it
    (arrays sharing one get the same length)."""
    base = e.index * 8 + variant * 3
    lengths = {}                 # NumPy length parameter -> its value
    args, by_name = [], {}
    for pos, p in enumerate(translate.flat(e.params)):
        k = base + pos
        if p.kind in ("A", "LA", "W", "LW"):
            choices = ARRAY_LENGTHS if "A" in p.kind else FILL_LENGTHS
            n = choices[(k + variant) % len(choices)]
            n = lengths.setdefault(p.ref, n) if p.ref else n
        if p.kind == "H":
            a = pool_object(k)
        elif p.kind == "V":
            a = value_arg(p, k)
        elif p.kind in ("A", "LA"):
            a = tuple(pool_object(k + 1 + j) for j in range(n))
        elif p.kind in ("W", "LW"):
            a = n
        elif p.kind == "IO":
            a = pool_object(k)
        elif p.kind == "F":  # a function (1) or NULL (0)
            a = (k + variant) % 2
        elif p.kind == "EA":
            a = tuple(pool_object(k + 1 + j)
                      for j in range(length(p.length, {}, 0)))
        else:
            continue
        by_name[p.name] = len(args)
        args.append(a)
    for ref, n in lengths.items():
        args[by_name[ref]] = n
    return args


def fold(acc, v):
    return (acc * 1000003 + (v % M)) % M


def to_c(v, p):
    """acc converted to the integer type of p, as C does (modulo)."""
    bits = 8 * p.size
    v %= 1 << bits
    if p.vkind == "i" and v >= 1 << (bits - 1):
        v -= 1 << bits
    return v


def pairs(e, args):
    """(parameter, its Python argument or None for an out-handle)"""
    it = iter(args)
    return [(p, next(it) if takes_arg(p) else None)
            for p in translate.flat(e.params)]


def expected(e, args):
    """(return value, outs...) for a successful call of entry e."""
    if e.kind == "object":
        return ("%s.%s" % (e.api, e.name),)
    if e.kind == "data":
        return (to_c((API_IDS[e.api] * 1000 + e.index + 1) % 997, e.ret),)
    acc = ((API_IDS[e.api] * 1000 + e.index + 1) * 0x9E3779B97F4A7C15) % M
    for p, a in pairs(e, args):
        if p.kind in ("H", "IO"):
            acc = fold(acc, hash(a))
        elif p.kind == "V":
            acc = fold(acc, int(a * 4) if p.vkind == "f" else a)
        elif p.kind == "F":
            acc = fold(acc, 1 if a else 0)
        elif p.kind in ("A", "LA", "EA"):
            acc = fold(acc, len(a))
            for x in a:
                acc = fold(acc, hash(x))
        elif p.kind == "EW":
            acc = fold(acc, length(p.length, {}, 0))
        elif p.kind in ("W", "LW"):
            acc = fold(acc, a)
    r = e.ret
    if r.kind == "H":
        ret = (acc, first_handle(e, args))
    elif r.kind == "T":  # what the table's function returns (cgen.py)
        ret = acc
    elif r.kind == "N":
        ret = None
    elif r.kind == "P":
        named = {p.name: a for p, a in pairs(e, args)}
        ret = [(acc + 1000 + j) % M for j in range(length(e.retlen, named,
                                                          acc))]
    elif r.vkind == "f":
        ret = float(acc >> 11)
    elif r.vkind == "p":
        ret = acc
    else:
        ret = to_c(acc, r)
    outs, k, w = [], 0, 0
    for p, a in pairs(e, args):
        if p.kind in ("O", "IO"):
            outs.append((acc + k + 1) % M)
            k += 1
        elif p.kind in ("W", "LW", "EW"):
            n = a if p.kind != "EW" else length(p.length, {}, 0)
            outs.append([(acc + 1000 * (w + 1) + j) % M for j in range(n)])
            w += 1
    return (ret, *outs)


def first_handle(e, args):
    """The object an HPy result must hold (identity), or None."""
    return next((a for p, a in pairs(e, args) if p.kind == "H"), None)
