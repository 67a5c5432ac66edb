"""Functions of a slot type passed by themselves, `(HPyAPI_FN(type), f)`
(hpyapi/kinds/fn.h), modelled on NumPy's PyArray_RegisterCastFunc and
PyUFunc_AddWrappingLoop, over the whole mode matrix plus C-API callers: a
consumer passes a function with no user data; the exporter keeps it and
calls it later, from its own Python methods, with its own context and
handles; the function runs on a context of the consumer's family and its
result comes back as the exporter's.  Refcounts, leaked debug handles
(LeakDetector through `pair`), exceptions both ways, NULL, and the pool's
limit.  tests/c/fnapi.h, fnexporter.c, fnconsumer.c, fnconsumer_capi.c."""
import sys

import pytest

from conftest import C_DIR, EXAMPLES, Thing, passes_through, register

for _name in ("fnexporter", "fnconsumer"):
    register(_name, [C_DIR / (_name + ".c")], [C_DIR, EXAMPLES])
register("fnconsumer_capi", [C_DIR / "fnconsumer_capi.c"], [C_DIR, EXAMPLES],
         abis=("capi",))

PAIR = {"exporter": "fnexporter", "consumer": "fnconsumer",
        "capi": "fnconsumer_capi"}


@pytest.fixture
def fp(pair):  # conftest's
    pair.exporter.reset()
    yield pair
    assert pair.consumer.bad_contexts() == 0


def test_a_cast_function_is_kept_and_called_back_later(fp):
    e, c = fp.exporter, fp.consumer
    descr, value, out = Thing(), Thing(), Thing()
    seen = []

    def cast(v, n):
        seen.append((v, n))
        return (v, n * 2, out)

    refs = sys.getrefcount(value), sys.getrefcount(out)
    assert c.register_cast(descr, 3, "a", cast) == 0
    assert e.kept_descr(3) is descr  # the handle argument, converted
    r = e.fire_cast(3, value, 21)    # later: the exporter's own call
    assert r == (value, 42, out) and r[0] is value and r[2] is out
    assert len(seen) == 1 and seen[0][0] is value and seen[0][1] == 21
    del r, seen[:]
    assert (sys.getrefcount(value), sys.getrefcount(out)) == refs
    # a second function of the same slot type, then the first again
    assert c.register_cast(descr, 4, "b", lambda v, n: "b%d" % n) == 0
    assert e.fire_cast(4, value, 1) == "b1"
    assert e.fire_cast(3, value, 1)[1] == 2
    del seen[:]
    assert sys.getrefcount(value) == refs[0]


def test_an_exception_from_the_kept_function_reaches_the_exporter(fp):
    e, c = fp.exporter, fp.consumer
    value = Thing()
    refs = sys.getrefcount(value)

    def cast(v, n):
        raise KeyError("boom %d" % n)

    assert c.register_cast(Thing(), 1, "a", cast) == 0
    for n in (5, 6):  # and again: nothing left behind
        with pytest.raises(KeyError, match="boom %d" % n):
            e.fire_cast(1, value, n)
    assert sys.getrefcount(value) == refs
    assert c.register_cast(Thing(), 1, "a", lambda v, n: n + 1) == 0
    assert e.fire_cast(1, value, 6) == 7


def test_null_passes_as_null_and_the_exporters_errors_pass_back(fp):
    e, c = fp.exporter, fp.consumer
    assert c.register_cast(Thing(), 2, None, None) == 0
    with pytest.raises(LookupError, match="no cast function kept"):
        e.fire_cast(2, Thing(), 1)
    with pytest.raises(ValueError, match="Fn_RegisterCast: bad totype"):
        c.register_cast(Thing(), 99, "a", lambda v, n: v)


def test_two_functions_called_during_the_call_and_later(fp):
    """PyUFunc_AddWrappingLoop's shape: two functions of two slot types
    in one call; the exporter calls one before returning, both later."""
    e, c = fp.exporter, fp.consumer
    ufunc, given, value = Thing(), Thing(), Thing()
    calls = []

    def translate(nin, g):
        calls.append((nin, g))
        return nin * 10

    refs = sys.getrefcount(ufunc), sys.getrefcount(given)
    assert c.add_wrapping(ufunc, translate, lambda v, n: [v, n]) == 20
    assert calls[0][0] == 2 and calls[0][1] is ufunc
    assert e.fire_wrapping(given, value, 7) == (30, [value, 7])
    assert calls[1][0] == 3 and calls[1][1] is given
    del calls[:]
    assert (sys.getrefcount(ufunc), sys.getrefcount(given)) == refs

    def bad(nin, g):
        raise OverflowError("no translation for %d" % nin)

    with pytest.raises(OverflowError, match="no translation for 2"):
        c.add_wrapping(ufunc, bad, lambda v, n: v)
    with pytest.raises(OverflowError, match="no translation for 3"):
        e.fire_wrapping(given, value, 1)  # kept: the failing one
    assert (sys.getrefcount(ufunc), sys.getrefcount(given)) == refs


def test_a_functions_arrays_have_the_length_the_entry_gave(fp):
    """(HPyAPI_FN(type), f, HPyAPI_LEN_EXPR(nin + nout)): NumPy's
    translate_loop_descrs takes arrays of the ufunc's nin + nout; the
    exporter calls it later with its own handles, lent and filled."""
    e, c = fp.exporter, fp.consumer
    given = (Thing(), Thing(), Thing())
    made = (Thing(), Thing(), Thing())
    seen = []

    def translate(nin, nout, g):
        seen.append((nin, nout, g))
        return made

    refs = [sys.getrefcount(x) for x in given + made]
    assert c.add_translator(2, 1, translate) == 0
    r = e.fire_translator(given)
    assert r == made and all(a is b for a, b in zip(r, made))
    assert seen[0][:2] == (2, 1) and all(
        a is b for a, b in zip(seen[0][2], given))
    del r, seen[:]
    assert [sys.getrefcount(x) for x in given + made] == refs

    def bad(nin, nout, g):
        raise ArithmeticError("bad %d" % (nin + nout))

    assert c.add_translator(2, 1, bad) == 0
    with pytest.raises(ArithmeticError, match="bad 3"):
        e.fire_translator(given)
    assert [sys.getrefcount(x) for x in given + made] == refs


def test_a_length_out_of_range_is_an_error_at_the_call(fp):
    e, c = fp.exporter, fp.consumer
    if passes_through(fp):  # unchanged: the exporter's to check
        assert c.add_translator(-3, 1, lambda *a: ()) == 0
        return
    with pytest.raises(ValueError, match=(
            r"fnexporter\w*: fnapi API, Fn_AddTranslator\(\): parameter "
            r"translate: its function would take arrays of -2 handles "
            r"\(HPyAPI_LEN_EXPR's length must be 0 to 1024\)")):
        c.add_translator(-3, 1, lambda *a: ())


POOL_PAIRS = [("universal", "debug"), ("debug", "universal"),
              ("cpython", "capi"), ("universal", "universal")]


@pytest.mark.parametrize("e_mode,c_mode", POOL_PAIRS,
                         ids=["%s-exporter/%s-caller" % p for p in POOL_PAIRS])
def test_the_pool_of_a_parameters_slot_type_has_a_limit(modules, leakcheck,
                                                       e_mode, c_mode):
    e, c = modules.pair(e_mode, c_mode, tag="_pool_" + c_mode, **PAIR)
    e.reset()
    pair = type("P", (), {"e_mode": e_mode, "c_mode": c_mode})
    x = Thing()
    if passes_through(pair):  # no cell taken: any number
        for i in range(20):
            assert c.keep_many(i) == 0
        assert e.fire_many(19, x) is x
        return
    done = 0
    with pytest.raises(RuntimeError, match=(
            r"fnexporter\w*: fnapi API, Fn_Keep\(\): parameter f: more than "
            r"HPYAPI_SLOT_POOL \(16\) different functions of slot type "
            r"fn_many were passed from other contexts")):
        for i in range(20):
            c.keep_many(i)
            done += 1
    assert done == 16  # a fresh exporter: 16 cells
    # those kept still work, and passing one again takes no cell
    assert e.fire_many(15, x) is x
    assert c.keep_many(3) == 0
    assert e.fire_many(3, x) is x
    assert c.bad_contexts() == 0


def test_describe_shows_the_parameter(fp):
    import hpyapi
    d = hpyapi.describe(fp.exporter, "fnapi")
    sigs = {f["name"]: f["signature"] for f in d["entries"]}
    assert sigs["Fn_RegisterCast"] == "int(HPy,int,HPyAPI_FN(fn_cast))"
    assert sigs["Fn_AddWrapping"] == (
        "int(HPy,HPyAPI_FN(fn_translate),HPyAPI_FN(fn_wloop))")
    assert sigs["Fn_AddTranslator"] == (
        "int(int nin,int nout,HPyAPI_FN(fn_loop_descrs) translate"
        "[nin + nout])")
