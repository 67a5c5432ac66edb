"""Structs that carry handles and callbacks (hpyapi/structs.h), modelled
on NumPy's PyArrayMethod_Spec + PyUFunc_AddLoopFromSpec, PyUFunc_LoopSlot
and PyArray_BufferConverter's PyArray_Chunk, over the whole mode matrix
plus C-API callers: a consumer registers a loop from a spec and returns;
the exporter keeps the spec's objects and slot functions and calls them
later, from its own Python methods, with its own context and handles;
each slot function runs on a context of the consumer's family.  A struct
the exporter writes (`base`, values) comes back converted.  Nothing leaks
(LeakDetector through `pair`, refcounts).  tests/c/specexporter.c,
specconsumer.c, specconsumer_capi.c."""
import sys

import pytest

from conftest import (C_DIR, EXAMPLES, FAMILY, Thing, passes_through,
                      register)

for _name in ("specexporter", "specconsumer"):
    register(_name, [C_DIR / (_name + ".c")], [C_DIR, EXAMPLES])
register("specconsumer_capi", [C_DIR / "specconsumer_capi.c"],
         [C_DIR, EXAMPLES], abis=("capi",))

PAIR = {"exporter": "specexporter", "consumer": "specconsumer",
        "capi": "specconsumer_capi"}
# the family of each mode's contexts: structs pass unchanged only where
RESOLVE, LOOP = 1, 2


@pytest.fixture
def sp(pair):  # conftest's
    pair.exporter.reset()
    yield pair
    assert pair.consumer.bad_contexts() == 0


def register_loop(c, name, resolve, loop, dtypes=None, ufunc=None, extra=0):
    ufunc = ufunc if ufunc is not None else Thing()
    dtypes = dtypes if dtypes is not None else (Thing(), Thing(), Thing())
    return c.add_loop(ufunc, name, 2, 1, 3, 5, dtypes, resolve, loop, extra)


def test_a_loop_is_kept_and_called_back_later(sp):
    e, c = sp.exporter, sp.consumer
    ufunc, dtypes, given = Thing(), (Thing(), Thing(), Thing()), Thing()
    calls = []

    def resolve(g):
        calls.append(g)
        return (g, "resolved")

    contexts = []

    def loop(context, n):
        contexts.append(context)
        return n * 10

    assert c.add_loop(ufunc, "add", 2, 1, 3, 5, dtypes, resolve, loop, 0) == 0
    # what the exporter kept: the very objects, NumPy's nin + nout of them
    kept = e.describe("add")
    assert kept == (ufunc, 2, 1, 3, 5, dtypes, [RESOLVE, LOOP])
    assert kept[0] is ufunc and all(a is b for a, b in zip(kept[5], dtypes))
    # later, from the exporter's own Python method: its own context
    r = e.fire_resolve("add", given)
    assert r == (given, "resolved") and r[0] is given and calls == [given]
    # a strided loop: a PyArrayMethod_Context-like struct of the
    # exporter's handles arrives as the consumer's
    assert e.fire_loop("add", 7) == 70
    (caller, method, descrs), = contexts
    assert (caller, method, descrs) == (ufunc, "add", dtypes)
    assert caller is ufunc and all(a is b for a, b in zip(descrs, dtypes))
    # and during a call of the consumer's
    assert c.resolve(ufunc, "add", given)[0] is given


def test_exceptions_of_slot_functions_reach_the_exporter(sp):
    e, c = sp.exporter, sp.consumer

    def boom(*args):
        raise ValueError("boom from a slot")

    register_loop(c, "bad", boom, boom)  # loop(context, n) raises too
    with pytest.raises(ValueError, match="boom from a slot"):
        e.fire_resolve("bad", 1)
    with pytest.raises(ValueError, match="boom from a slot"):
        e.fire_loop("bad", 1)


def test_references_balance(sp):
    e, c = sp.exporter, sp.consumer
    ufunc, dtypes, given = Thing(), (Thing(), Thing(), Thing()), Thing()
    objs = (ufunc, given) + dtypes
    register_loop(c, "steady", lambda g: g, lambda c, n: n, dtypes, ufunc)
    before = [sys.getrefcount(o) for o in objs]
    for _ in range(100):   # re-registering replaces: the same records
        register_loop(c, "steady", lambda g: g, lambda c, n: n, dtypes, ufunc)
        assert e.fire_resolve("steady", given) is given
        assert e.fire_loop("steady", 3) == 3
        assert c.resolve(ufunc, "steady", given) is given
    assert [sys.getrefcount(o) for o in objs] == before


def test_loops_from_specs_nested_and_null_terminated(sp):
    """PyUFunc_AddLoopsFromSpecs: NULL-terminated pointers to structs that
    point to specs, and a function field (the fallback resolver)."""
    e, c = sp.exporter, sp.consumer
    d = [Thing() for _ in range(5)]
    seen = []
    loops = [("uf1", "l1", 1, 1, 0, 0, (d[0], d[1]), None,
              lambda c, n: n + len(c[2]), 0),
             ("uf2", "l2", 2, 1, 1, 2, (d[2], d[3], d[4]), None,
              lambda c, n: n + len(c[2]), 0)]
    assert c.add_loops(7, lambda m, g: seen.append((m, g)) or g, loops) == 207
    assert e.describe("l1") == ("uf1", 1, 1, 0, 0, (d[0], d[1]), [LOOP])
    kept = e.describe("l2")
    assert kept[5] == (d[2], d[3], d[4]) and kept[5][2] is d[4]
    assert e.fire_loop("l1", 1) == 3 and e.fire_loop("l2", 1) == 4
    x = Thing()
    assert e.fire_resolve("l2", x) is x and seen == [("l2", x)]
    assert c.add_loops(1, None, []) == 1


def test_loops_from_an_array_ending_with_null(sp):
    """PyUFunc_AddLoopsFromSpecs's own shape: PyUFunc_LoopSlot[] ending
    with {NULL, NULL} (HPyAPI_STRUCTS), each pointing to a spec."""
    e, c = sp.exporter, sp.consumer
    d = [Thing() for _ in range(6)]
    loops = [("uf%d" % i, "s%d" % i, 2, 1, 0, 0, tuple(d[3 * i:3 * i + 3]),
              lambda g: g, lambda ctx, n, i=i: n * 10 + i, 0)
             for i in range(2)]
    assert c.add_loops(None, None, loops) == 2
    kept = e.describe("s1")
    assert kept[0] == "uf1" and kept[5] == tuple(d[3:]) and kept[5][0] is d[3]
    assert e.fire_loop("s0", 4) == 40 and e.fire_loop("s1", 4) == 41
    x = Thing()
    assert e.fire_resolve("s1", x) is x
    assert c.add_loops(None, None, []) == 0   # just the end


def test_an_unknown_slot_id_is_a_clear_error(sp):
    c = sp.consumer
    if passes_through(sp):  # the exporter sees NumPy's raw spec
        match = "^Sp_AddLoop: unknown slot id$"
    else:
        match = (r"specexporter: specapi API, Sp_AddLoop\(\): struct "
                 r"SpMethodSpec, field slots: unknown slot id 99 \(the "
                 r"declaration's SLOTS list has no such id\)")
    with pytest.raises(ValueError, match=match):
        register_loop(c, "odd", lambda g: g, None, extra=99)


def test_a_struct_the_exporter_writes_comes_back(sp):
    """PyArray_BufferConverter: `base` a new handle of the caller's
    context it owns, the values as the exporter wrote them."""
    c = sp.consumer
    obj, hint = (1, 2, 3), Thing()
    rc, base, ptr, n, flags = c.buffer(obj, hint, 4)
    assert (rc, base, ptr, n, flags) == (1, (obj, hint), 0x5003, 3, 9)
    assert base[0] is obj and base[1] is hint
    before = [sys.getrefcount(o) for o in (obj, hint)]
    for _ in range(100):
        c.buffer(obj, hint, 4)
    assert [sys.getrefcount(o) for o in (obj, hint)] == before
    # on error nothing is written (the consumer checks `base`)
    with pytest.raises(ValueError, match="no buffer in None"):
        c.buffer(None, hint, 4)


def test_a_bad_length_is_a_clear_error(sp):
    """nin + nout < 0: where hpyapi converts the array, ValueError naming
    the entry (as for a parameter's array); else the exporter's check."""
    c = sp.consumer
    if FAMILY[sp.e_mode] == FAMILY[sp.c_mode]:  # the same handles
        match = "^Sp_AddLoop: a spec with a name, nin, nout$"
    else:
        match = (r"specexporter: specapi API, Sp_AddLoop\(\): got a handle "
                 r"array of length -2 at")
    with pytest.raises(ValueError, match=match):
        c.add_loop(Thing(), "neg", -3, 1, 0, 0, (), None, None, 0)


# fresh modules: the pool's cells are the exporter instance's for good
POOL_PAIRS = [("universal", "debug"), ("debug", "cpython"),
              ("cpython", "capi"), ("universal", "universal")]


@pytest.mark.parametrize("e_mode,c_mode", POOL_PAIRS,
                         ids=["%s-exporter/%s-caller" % p for p in POOL_PAIRS])
def test_the_pool_of_a_slot_type_has_a_limit(modules, leakcheck, e_mode,
                                              c_mode):
    e, c = modules.pair(e_mode, c_mode, tag="_pool_" + c_mode, **PAIR)
    e.reset()
    pair = type("P", (), {"e_mode": e_mode, "c_mode": c_mode})
    ufunc, x = Thing(), Thing()
    done = 0
    if passes_through(pair):  # no cell taken: any number
        for i in range(20):
            assert c.add_many(ufunc, i) == 0
        assert e.fire_resolve("many19", x) is x
        return
    with pytest.raises(RuntimeError, match=(
            r"specexporter: specapi API, Sp_AddLoop\(\): struct "
            r"SpMethodSpec, field slots: more than HPYAPI_SLOT_POOL \(16\) "
            r"different functions of slot type sp_resolve were passed from "
            r"other contexts")):
        for i in range(20):
            c.add_many(ufunc, i)
            done += 1
    assert done == 16   # a fresh exporter: 16 cells
    # those kept still work, and registering one again takes no cell
    assert e.fire_resolve("many15", x) is x
    assert c.add_many(ufunc, 3) == 0


def test_describe_shows_the_struct(sp):
    import hpyapi
    sigs = {x["name"]: x["signature"]
            for x in hpyapi.describe(sp.exporter, "specapi")["entries"]}
    assert sigs["Sp_AddLoop"] == "int(HPy,struct SpMethodSpec *)"
    assert sigs["Sp_BufferConverter"] == "int(HPy,struct SpChunk *)"
    assert sigs["Sp_AddLoopsFromSpecs"] == "int(struct SpLoopSlot_list *)"


# ---- NumPy's DType-API slot forms (SpDTypeSpec in tests/c/specapi.h) ----
# Each (function, consumer module, length) that crosses takes one of the
# 16 cells of its slot type's pool for the process: these tests pass two
# sp_strided functions of length 3 per consumer module (12 cells of 16).

def add_method(c, name, resolve, loop, dtypes=None, ufunc=None, strided=1,
               nin=2, nout=1):
    ufunc = ufunc if ufunc is not None else Thing()
    dtypes = dtypes if dtypes is not None else tuple(
        Thing() for _ in range(nin + nout))
    return c.add_method(ufunc, name, nin, nout, dtypes, resolve, loop,
                        strided)


def test_resolve_descriptors_gets_arrays_of_the_registered_length(sp):
    """HPyAPI_SLOT_LEN: resolve_descriptors' arrays have nin + nout
    handles, the length its spec's SLOTS_N said; the array it fills comes
    back as new handles of the exporter's, kept and called later."""
    e, c = sp.exporter, sp.consumer
    dtypes, given, made = (Thing(), Thing(), Thing()), (Thing(), Thing()), Thing()
    seen = []

    def resolve(dts, giv):
        seen.append((dts, giv))
        return (giv[0], giv[1], made), 16

    assert add_method(c, "m", resolve, None, dtypes) == 0
    rc, loop_descrs, view = e.fire_resolve_descrs("m", given + (None,))
    assert (rc, loop_descrs, view) == (0, given + (made,), 16)
    assert loop_descrs[2] is made and loop_descrs[0] is given[0]
    (dts, giv), = seen
    assert dts == dtypes and all(a is b for a, b in zip(dts, dtypes))
    assert giv == given + (None,)   # NULL stays NULL
    # a 1-in 1-out method: arrays of 2, in the same pool cell's function
    d2 = (Thing(), Thing())
    assert add_method(c, "u", lambda d, g: ((g[0], d[1]), 0), None, d2,
                      strided=0, nin=1, nout=1) == 0
    x = Thing()
    rc, loop_descrs, view = e.fire_resolve_descrs("u", (x, None))
    assert loop_descrs == (x, d2[1]) and loop_descrs[1] is d2[1]


def test_get_loop_returns_a_loop_called_later(sp):
    """HPyAPI_FN_OUT: get_loop writes a strided loop, which the exporter
    keeps and calls later with a PyArrayMethod_Context whose descriptors
    (HANDLES of HPyAPI_SLOT_LEN) are the consumer's handles."""
    e, c = sp.exporter, sp.consumer
    ufunc, dtypes = Thing(), (Thing(), Thing(), Thing())
    contexts = []

    def loop(context, n):
        contexts.append(context)
        return n * 3

    assert add_method(c, "g", None, loop, dtypes, ufunc) == 0
    # flags and auxdata pass as values: 0x1000 + nargs * 16 + strides[0]
    assert e.fire_get_loop("g", 1) == (0, 17, 0x1000 + 3 * 16 + 8, True)
    assert e.fire_strided("g", 5, 1) == 1015      # the loop get_loop gave
    assert e.fire_strided("g", 5, 0) == 15        # the spec's own
    for caller, method, descrs, flags, aux in contexts:
        assert caller is ufunc and method == "g" and flags == 42
        assert descrs == dtypes and all(a is b for a, b in zip(descrs, dtypes))
    # the auxdata get_loop wrote, which the exporter passes to both
    assert [x[4] for x in contexts] == [0x1000 + 3 * 16 + 8] * 2
    with pytest.raises(ValueError, match="get_loop: unaligned"):
        e.fire_get_loop("g", -1)


def test_dtype_slots_references_balance(sp):
    e, c = sp.exporter, sp.consumer
    ufunc, dtypes, given, made = Thing(), (Thing(), Thing(), Thing()), \
        (Thing(), Thing(), Thing()), Thing()
    objs = (ufunc, made) + dtypes + given

    def resolve(d, g):
        return (g[0], d[1], made), 0

    add_method(c, "r", resolve, lambda ctx, n: n, dtypes, ufunc)
    before = [sys.getrefcount(o) for o in objs]
    for _ in range(100):   # re-registering takes no new cell
        add_method(c, "r", resolve, lambda ctx, n: n, dtypes, ufunc)
        r = e.fire_resolve_descrs("r", given)
        assert r[1][2] is made
        del r
        assert e.fire_get_loop("r", 0)[0] == 0
        assert e.fire_strided("r", 2, 1) == 1002
        assert e.fire_strided("r", 2, 0) == 2
    assert [sys.getrefcount(o) for o in objs] == before


def test_dtype_slot_errors_reach_the_exporter(sp):
    e, c = sp.exporter, sp.consumer

    def boom(*args):
        raise KeyError("boom from resolve_descriptors")

    add_method(c, "b", boom, boom)
    with pytest.raises(KeyError, match="boom from resolve_descriptors"):
        e.fire_resolve_descrs("b", (1, 2, 3))
    assert e.fire_get_loop("b", 1)[0] == 0
    with pytest.raises(KeyError, match="boom from resolve"):
        e.fire_strided("b", 1, 1)


def test_a_bad_slot_length_is_a_clear_error(sp):
    """SLOTS_N's length must be 0..1024: refused where hpyapi converts
    (naming the entry, struct and field), else the exporter's check."""
    c = sp.consumer
    if passes_through(sp):
        match = "^Sp_AddMethod: a spec with a name, nin, nout$"
    else:
        match = (r"specexporter: specapi API, Sp_AddMethod\(\): struct "
                 r"SpDTypeSpec, field slots: its functions would take arrays "
                 r"of -1 handles \(SLOTS_N's length must be 0 to 1024\)")
    with pytest.raises(ValueError, match=match):
        c.add_method(Thing(), "neg", -2, 1, (), None, None, 1)


def test_static_data_and_a_fixed_array_of_functions(sp):
    """SLOT(id, HPyAPI_SLOT_DATA): the pointer passes unchanged (NumPy's
    _NPY_METH_static_data); F(FNS, (type, n), f): each function of a
    fixed array (PyArray_ArrFuncs.cast[21]) is converted as an FN, and
    one the exporter clears is cleared in the caller's struct (add_method
    raises AssertionError "more[0] not cleared" otherwise)."""
    e, c = sp.exporter, sp.consumer
    ufunc, dtypes = Thing(), (Thing(), Thing(), Thing())
    contexts = []

    def loop(context, n):
        contexts.append(context)
        return n + 1

    assert add_method(c, "d", None, loop, dtypes, ufunc, strided=2) == 0
    assert e.fire_loop("d", 4) == 5          # the FNS field's sp_loop
    assert e.fire_strided("d", 4, 0) == 5    # the SLOTS_N field's
    (caller, method, descrs), (_, _, _, _, aux) = contexts
    assert caller is ufunc and descrs == dtypes and descrs[1] is dtypes[1]
    assert aux == 0x5678                     # the static data, as given


def test_slot_len_arrays_need_a_registered_length(sp):
    """A slot type taking HPyAPI_SLOT_LEN arrays, in a SLOTS field (no
    length): where hpyapi converts, TypeError naming the entry, struct,
    field and the fix; the exporter's own context passes it unchanged."""
    c = sp.consumer
    if passes_through(sp):
        assert c.add_plain() == 11
        return
    with pytest.raises(TypeError, match=(
            r"specexporter: specapi API, Sp_AddPlain\(\): struct "
            r"SpPlainSpec, field slots: slot type sp_resolve_descrs takes "
            r"HPyAPI_SLOT_LEN arrays; declare the field "
            r"F\(SLOTS_N, \(list, length\), slots\)")):
        c.add_plain()


@pytest.mark.parametrize("e_mode,c_mode", POOL_PAIRS,
                         ids=["%s-exporter/%s-caller" % p for p in POOL_PAIRS])
def test_functions_get_loop_returns_share_the_pool(modules, leakcheck, e_mode,
                                                   c_mode):
    """HPyAPI_FN_OUT: each different loop get_loop returns takes a cell of
    its slot type's pool; the 17th is a RuntimeError for the exporter's
    call, which finds NULL; loops returned before still run."""
    e, c = modules.pair(e_mode, c_mode, tag="_fnout_" + c_mode, **PAIR)
    e.reset()
    pair = type("P", (), {"e_mode": e_mode, "c_mode": c_mode})
    assert add_method(c, "p", None, None, strided=0) == 0
    try:
        if passes_through(pair):  # no cell taken: any number
            for i in range(20):
                c.set_next_loop(i)
                assert e.fire_get_loop("p", 1)[3] is True
                assert e.fire_strided("p", 100, 1) == 100 + i
            return
        for i in range(16):
            c.set_next_loop(i)
            assert e.fire_get_loop("p", 1)[3] is True
            assert e.fire_strided("p", 100, 1) == 100 + i
        c.set_next_loop(16)
        with pytest.raises(RuntimeError, match=(
                r"sp_get_loop: the function it returned needs a reverse "
                r"trampoline, and more than HPYAPI_SLOT_POOL \(16\) different "
                r"functions of slot type sp_strided came from other "
                r"contexts")):
            e.fire_get_loop("p", 1)
        assert e.fire_strided("p", 1, 1) == -2   # got NULL
        c.set_next_loop(15)                       # kept: no new cell
        assert e.fire_get_loop("p", 1)[3] is True
        assert e.fire_strided("p", 100, 1) == 115
    finally:
        c.set_next_loop(-1)
