"""Declaration forms NumPy's C-API needs (tests/c/formsapi.h), over the whole
mode matrix plus C-API callers:

- handle arrays whose length is another parameter, named by HPyAPI_LEN:
  of any integer type, before or after the array, shared by two arrays
  (ResultType's two, Doubled's read and filled one), or the HPy_ssize_t of
  another array (CopyInto); arrays the exporter fills with an int length
  (FillPerm, NumPy's CreateMultiSortedStridePerm);
- bad lengths (negative, too large, an unsigned wrap, NULL with a nonzero
  length): refused with ValueError/MemoryError naming the entry wherever
  hpyapi converts handles, handed on unchanged where the families agree
  (as a raw table call would, and the exporter refuses them itself);
- a parameter named ctx;
- exported data (OBJECT with a type): an int the exporter changes, a
  struct of version words, a pointer; read directly, zero before import.
"""
import sys

import pytest

import hpyapi
from hpyapi import capsule, check
from forged import Forged
from conftest import FAMILY

# built in advance (tests/conftest.py)
BUILDS = [
    "formsexporter", "consumer", "capi_consumer", "formsbad1", "formsbad2",
    "badforms_empty", "badforms_other"]

SMALL = 16  # HPYAPI_SMALL_ARRAY: longer arrays take the runtime's path


PAIR = {"exporter": "formsexporter", "setup": "setup_forms"}


@pytest.fixture
def fpair(pair):  # conftest's
    return (pair.exporter, pair.consumer,
            FAMILY[pair.e_mode] != FAMILY[pair.c_mode])


def refcounts(objs):
    return [sys.getrefcount(o) for o in objs]


def assert_no_references_kept(call, objs, rounds=100, raises=None):
    """`rounds` calls leave the reference counts of `objs` as they were."""
    before = refcounts(objs)
    for _ in range(rounds):
        if raises is None:
            call()
        else:
            with pytest.raises(raises):
                call()
    assert refcounts(objs) == before


@pytest.mark.parametrize("na,nd", [(0, 0), (3, 5), (1, 0), (SMALL + 4, 2)])
def test_two_lengths_bind_by_name(fpair, na, nd):
    _, consumer, _ = fpair
    arrs = [object() for _ in range(na)]
    descrs = [object() for _ in range(nd)]
    r = consumer.result_type(arrs, descrs)
    assert len(r) == na + nd
    assert all(a is b for a, b in zip(r, arrs + descrs))
    del r
    assert_no_references_kept(lambda: consumer.result_type(arrs, descrs),
                              arrs + descrs, rounds=200)


@pytest.mark.parametrize("n", [0, 3, SMALL + 1])
def test_filled_array_with_an_int_length(fpair, n):
    _, consumer, _ = fpair
    r, arrays, perm = consumer.fill_perm(n, 4)
    assert r == n and arrays == [100 * i + 4 for i in range(n)]
    assert perm == [3, 2, 1, 0]
    for _ in range(100):  # each a new handle the caller owns: LeakDetector
        assert consumer.fill_perm(n, 0) == (n, [100 * i for i in range(n)], [])


@pytest.mark.parametrize("n", [0, 2, SMALL, SMALL + 3])
def test_length_after_both_arrays_shared(fpair, n):
    _, consumer, _ = fpair
    src = [10 ** 20 + i for i in range(n)]
    r, dst = consumer.doubled(src)
    assert r == n and dst == [2 * x for x in src]
    assert_no_references_kept(lambda: consumer.doubled(src), src)


def test_filled_array_sharing_another_arrays_length(fpair):
    _, consumer, _ = fpair
    src = [object() for _ in range(SMALL + 2)]
    r, dst = consumer.copy_into(src)
    assert r == len(src) and all(a is b for a, b in zip(dst, src))
    before = refcounts(src)
    del dst
    assert refcounts(src) == [b - 1 for b in before]
    assert_no_references_kept(lambda: consumer.copy_into(src), src)


def test_exception_in_a_filled_array_keeps_what_was_written(fpair):
    _, consumer, _ = fpair
    # no small ints: other threads (xdist's) move their counts on 3.9-3.11
    bad = [10 ** 20 + 1, 10 ** 20 + 2, object(), 10 ** 20 + 4]
    with pytest.raises(TypeError, match="unsupported operand"):
        consumer.doubled(bad)
    assert_no_references_kept(lambda: consumer.doubled(bad), bad,
                              raises=TypeError)


@pytest.mark.parametrize("bits", [64, 32, 8])
def test_lengths_of_other_integer_types(fpair, bits):
    _, consumer, _ = fpair
    items = [object() for _ in range(5)]
    assert consumer.tuple_n(bits, 5, items) == tuple(items)
    assert consumer.tuple_n(bits, 2, items) == tuple(items[:2])
    assert consumer.tuple_n(bits, 0, None) == ()


def test_parameter_named_ctx(fpair):
    _, consumer, _ = fpair
    assert consumer.add_ctx(40, 2) == 42
    with pytest.raises(TypeError):
        consumer.add_ctx("x", 2)


# ---- bad lengths ----------------------------------------------------------------

def test_negative_signed_lengths(fpair):
    # hpyapi's refusal where it converts, else the exporter's own check
    _, consumer, converted = fpair
    x = object()
    before = sys.getrefcount(x)
    with pytest.raises(ValueError) as e:
        consumer.tuple_n(8, 0xfe, [x])  # int8_t -2
    assert ("TupleI8(): got a handle array of length -2 at 0x" if converted
            else "TupleI8: length -2 refused by the exporter") in str(e.value)
    with pytest.raises(ValueError) as e:
        consumer.result_type(None, [x], 3)  # narrs 3, arrs NULL
    assert ("ResultType(): got a handle array of length 3 at (nil)"
            if converted else "ResultType: length 3 refused") in str(e.value)
    with pytest.raises(ValueError) as e:
        consumer.result_type([x], None, -1, -7)
    assert ("ResultType(): got a handle array of length -7 at (nil)"
            if converted else "ResultType: length -7 refused") in str(e.value)
    with pytest.raises(ValueError) as e:
        consumer.fill_perm(-5, 0)
    assert ("FillPerm(): got a handle array of length -5 at 0x"
            if converted else "FillPerm: length -5 refused") in str(e.value)
    assert sys.getrefcount(x) == before


def test_unsigned_wrap_and_null_arrays(fpair):
    _, consumer, converted = fpair
    x = object()
    before = sys.getrefcount(x)
    # a uint64_t length computed as 0 - 1: more than memory holds
    with pytest.raises((MemoryError, ValueError)) as e:
        consumer.tuple_n(64, 2 ** 64 - 1, [x])
    if converted:
        assert e.type is MemoryError
        assert str(e.value).endswith(
            "TupleU64(): cannot convert 18446744073709551615 handles: more "
            "than fit in memory")
    else:
        assert str(e.value) == "TupleU64: length -1 refused by the exporter"
    # a uint32_t one, with no array at all
    with pytest.raises(ValueError) as e:
        consumer.tuple_n(32, 2 ** 32 - 1, None)
    assert ("TupleU32(): got a handle array of length 4294967295 at (nil)"
            if converted else "TupleU32: length 4294967295 refused"
            ) in str(e.value)
    # an unsigned char length shared by a read and a filled array: the
    # consumer passes n = 0 with arrays, then a NULL with n > 0 is refused
    assert consumer.doubled([]) == (0, [])
    assert sys.getrefcount(x) == before


def test_bad_lengths_leak_nothing(fpair):
    _, consumer, _ = fpair
    items = [object() for _ in range(3)]
    for call in (lambda: consumer.tuple_n(8, 0x80, items),
                 lambda: consumer.tuple_n(64, 2 ** 63, items),
                 lambda: consumer.result_type(items, None, 3, 9)):
        assert_no_references_kept(call, items,
                                  raises=(ValueError, MemoryError))


# ---- exported data --------------------------------------------------------------

def test_data_is_read_directly_and_follows_the_exporter(fpair):
    exporter, consumer, _ = fpair
    assert consumer.forms_data(True) == (3, (0x02000000, 0x12, 0x13), True, 1)
    assert consumer.build_name() == "formsexporter"
    try:
        # the exporter changes its variable; the consumer sees the change
        assert consumer.set_num_user_types(7) == 7
        assert consumer.forms_data(True)[0] == 7
    finally:
        consumer.set_num_user_types(3)


def test_data_before_the_import_is_zero(modules, leakcheck):
    for consumer in (modules.get("consumer", "universal"),
                     modules.get("consumer", "debug"),
                     modules.get("capi_consumer", "cpython")):
        # HPyAPI_USE_DEFINE's table: a zero T, and HPyAPI_HAS is false
        assert consumer.forms_data(False) == (0, (0, 0, 0), None, 0)


# ---- the rest of hpyapi knows the forms -----------------------------------------

def test_describe_shows_named_signatures_and_data(modules):
    exp = modules.get("formsexporter", "universal")
    d = {e["name"]: e for e in hpyapi.describe(exp, "formsapi")["entries"]}
    assert d["ResultType"]["signature"] == (
        "HPy(intptr_t narrs,const HPy * arrs[narrs],intptr_t ndtypes,"
        "const HPy * descrs[ndtypes])")
    assert d["FillPerm"]["signature"] == (
        "int(int narrays,HPy * arrays[narrays],int ndim,int * perm)")
    assert d["CopyInto"]["signature"] == (
        "HPy_ssize_t(const HPy * src[m],HPy_ssize_t m,HPy * dst[m])")
    assert d["AddCtx"]["signature"] == "HPy(HPy,long)"
    for name, t in [("NumUserTypes", "int"), ("ApiVersion", "forms_version"),
                    ("BuildName", "const char *")]:
        assert (d[name]["kind"], d[name]["signature"]) == ("data", t)
    assert hpyapi.signature.normalize(d["ResultType"]["signature"]) == (
        "HPy(intptr_t,const HPy*[#1],intptr_t,const HPy*[#3])")


def test_hooks_count_len_entries_and_refuse_data(modules, leakcheck):
    exp = modules.get("formsexporter", "universal")
    consumer = modules.get("consumer", "cpython")
    consumer.setup_forms(exp.__name__)
    h = hpyapi.hooks(exp, "formsapi")
    with pytest.raises(ValueError) as e:
        h.count(["NumUserTypes"])
    assert str(e.value) == (
        "%s: formsapi API, NumUserTypes: the entry is exported data, which "
        "consumers read directly: there are no calls to count, time, log or "
        "refuse; hook a function entry" % exp.__name__)
    # and the exporter itself refuses, for HPyAPI_SetHooks from C
    idx = h.entries.index("NumUserTypes")
    assert h._ctl.set_flags(h._tok, idx, capsule.HOOK_COUNT, 0) == -1
    assert h.flags("NumUserTypes") == set()
    logged = []
    try:
        h.count()  # every entry that has calls; data is skipped
        h.log(logged.append, ["ResultType", "FillPerm"])
        with hpyapi.counting(exp, "formsapi") as counts:
            consumer.result_type([1, 2], [3])
            consumer.fill_perm(2, 1)
            consumer.forms_data(True)
            h.refuse("TupleI8", OverflowError, "no")
            with pytest.raises(OverflowError):
                consumer.tuple_n(8, 1, [1])
        assert counts == {(consumer.__name__, "ResultType"): 1,
                          (consumer.__name__, "FillPerm"): 1}
        assert [l.entry for l in logged] == ["ResultType", "FillPerm"]
        assert h.flags("NumUserTypes") == set()
    finally:
        h.clear()


def test_check_reads_the_records(modules):
    exp = modules.so("formsexporter", "universal")
    con = modules.so("consumer", "universal")
    report = check.check([exp, con])
    forms = [r for r in report["results"] if r["api"] == "formsapi"]
    assert forms and all(r["satisfied"] for r in forms), forms
    records = check.inspect(exp)["exports"]
    entries = {e.name: e for r in records if r.api == "formsapi"
               for e in r.entries}
    assert (entries["ApiVersion"].kind, entries["ApiVersion"].signature) == (
        "data", "forms_version")
    assert entries["ResultType"].kind == "func"


@pytest.mark.parametrize("variant,problem", [
    ("formsbad1", "entry 0 'ResultType' has signature HPy(intptr_t narrs,"
     "const HPy * arrs[narrs],intptr_t ndtypes,const HPy * descrs[ndtypes])"
     " in '%s' but HPy(intptr_t narrs,const HPy * arrs[ndtypes],intptr_t "
     "ndtypes,const HPy * descrs[narrs]) in this extension's declaration"),
    ("formsbad2", "entry 8 'NumUserTypes' has signature int in '%s' but long "
     "in this extension's declaration")])
def test_stale_consumer_fails_import(modules, variant, problem):
    exp = modules.get("formsexporter", "universal")
    bad = modules.get(variant, "cpython")
    with pytest.raises(ImportError) as e:
        bad.setup_forms(exp.__name__)
    assert (problem % exp.__name__) in str(e.value)
    # the same verdict without loading anything
    report = check.check([modules.so("formsexporter", "universal"),
                          modules.so(variant, "capi")])
    (res,) = [r for r in report["results"] if r["api"] == "formsapi"]
    assert not res["satisfied"]
    # the import's words (hpyapi.rules), naming the file for the module
    assert res["problems"] == [
        (problem % modules.so("formsexporter", "universal")).replace(
            "this extension", "the consumer") +
        "; a changed signature needs a new entry (or a major version)"]


@pytest.mark.parametrize("variant,what", [
    ("badforms_empty", "is empty"),
    ("badforms_other", "is not the address of the exported variable")])
def test_export_checks_data_slots(modules, variant, what):
    with pytest.raises(SystemError) as e:
        modules.get(variant, "universal")
    assert str(e.value) == (
        "hpyapi: module 'hpyapi_t_universal.%s' cannot export the 'formsapi' "
        "API: table slot 9 ('ApiVersion') %s; fill it with table.ApiVersion "
        "= HPy_AsAPI(ctx, ApiVersion) before calling HPyAPI_Export"
        % (variant, what))


@pytest.mark.usefixtures("drop_forged_modules")
def test_forged_data_entries_are_refused(modules, leakcheck):
    exp = modules.get("formsexporter", "universal")
    consumer = modules.get("consumer", "universal")
    # the exporter says the slot is callable where the consumer reads data
    forged = Forged(exp, api="formsapi")
    forged.entries[8].flags = capsule.ENTRY_FUNC
    name = forged.module()
    with pytest.raises(ImportError) as e:
        consumer.setup_forms(name)
    assert str(e.value).endswith(
        "entry 8 'NumUserTypes' is callable in '%s' but exported data in "
        "this extension's declaration; the slot cannot be read both ways"
        % name)
    # a data slot that points nowhere
    forged = Forged(exp, api="formsapi")
    forged.table[9 + 1] = None
    name = forged.module()
    with pytest.raises(capsule.CapsuleError) as e:
        hpyapi.describe(sys.modules[name], "formsapi")
    assert "entry 9 (ApiVersion) is exported data but its table slot is " \
        "NULL" in str(e.value)
    with pytest.raises(ImportError) as e:
        consumer.setup_forms(name)
    assert "table slot 9 ('ApiVersion') is NULL" in str(e.value)
