"""Signature normalisation, and a short run of the capsule fuzzer (the long
one is `make fuzz`).  The pure-C runtime files are built on their own here,
as a plain shared library driven through ctypes."""
import ctypes
import subprocess
from pathlib import Path

import pytest

import hpyapi
from compilecache import run_compiler

HERE = Path(__file__).resolve().parent
RUNTIME = Path(hpyapi.get_include()).parent / "runtime"
PURE_C = [RUNTIME / f for f in ("validate.c", "signature.c", "names.c")]
FLAGS = ["-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
         "-DHPYAPI_INTERNAL=", "-I" + hpyapi.get_include(), "-I" + str(RUNTIME)]


def link(out, sources, cflags, ldflags):
    """`out` linked from `sources`, each compiled with `cflags` through the
    suite's compile cache (tests/compilecache.py): the two builds here
    took 1.8 CPU s of every run as one uncached gcc command each."""
    objs = []
    for i, src in enumerate(sources):
        obj = "%s.%d.o" % (out, i)
        res = run_compiler(["gcc", "-c", str(src), "-o", obj] + cflags)
        assert res.returncode == 0, res.stdout
        objs.append(obj)
    subprocess.run(["gcc", "-o", str(out)] + ldflags + objs, check=True)


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    out = tmp_path_factory.mktemp("purec") / "libhpyapi_purec.so"
    link(out, PURE_C, ["-fPIC"] + FLAGS, ["-shared"])
    lib = ctypes.CDLL(str(out))
    lib._HPyAPI_NormalizeSignature.argtypes = [ctypes.c_char_p,
                                               ctypes.c_char_p, ctypes.c_size_t]
    return lib


def normalize(lib, sig, size=512):
    buf = ctypes.create_string_buffer(size)
    if lib._HPyAPI_NormalizeSignature(sig.encode(), buf, size) < 0:
        return None
    return buf.value.decode()


SAME = [
    # the canonical spelling, then spellings of the same C ABI
    ("double(HPy,HPy_ssize_t)", ["double (HPy, HPy_ssize_t)",
                                 "double(HPy,Py_ssize_t)",
                                 "const double(HPy, const HPy_ssize_t)"]),
    ("HPy(const HPy*,HPy_ssize_t)", ["HPy(const HPy *,HPy_ssize_t)",
                                     "HPy(HPy const*, HPy_ssize_t)",
                                     "HPy(const HPy * const, HPy_ssize_t)",
                                     "HPy(const HPy *restrict, HPy_ssize_t)"]),
    ("int(void)", ["int()", "int( void )", "signed(void)", "signed int()"]),
    ("unsigned int(unsigned int)", ["unsigned(unsigned)",
                                    "unsigned int(int unsigned)"]),
    ("long(long long,unsigned long long)",
     ["long int(long long int, long unsigned long int)",
      "signed long(signed long long, unsigned long long)"]),
    ("const char*(char*const*)", ["char const *(char * const * const)"]),
    ("_Bool(_Bool)", ["bool(bool)"]),
    ("void(signed char,char,unsigned char)",
     ["void(char signed, char, char unsigned)"]),
    ("long double(short)", ["long double(short int)"]),
    ("void*(volatile int*)", ["void *(int volatile *)"]),
    # data entries: a type, no parentheses
    ("const char*", ["char const *", "const char *const"]),
    ("unsigned int", ["unsigned", "const unsigned int"]),
    # named signatures (HPyAPI_LEN): names go, lengths become positions
    ("HPy(long,const HPy*[#1],long,HPy*[#3])",
     ["HPy(long narrs,const HPy * arrs[narrs],long ndtypes,HPy * d[ndtypes])",
      "HPy(long int n, HPy const *p[ n ], long m, HPy *q[m])"]),
    ("void(const HPy*[#2],unsigned char,HPy*[#2])",
     ["void(const HPy * a[n],unsigned char n,HPy * b[n])"]),
    # ... the HPy_ssize_t right after an array is spelled as without them
    ("double(const HPy*,HPy_ssize_t)", ["double(const HPy * xs[n],Py_ssize_t n)"]),
    ("int(HPy,HPy*[],HPy_ssize_t)", ["int(HPy seq,HPy * items[n],HPy_ssize_t n)",
                                    "int(HPy, HPy *[], Py_ssize_t)"]),
]

DIFFERENT = [
    ("long(HPy)", "int(HPy)"),
    ("long(HPy)", "int64_t(HPy)"),      # the same size here, not everywhere
    ("char(void)", "signed char(void)"),  # distinct types in C
    ("const char*(void)", "char*(void)"),  # pointee qualifiers matter
    ("double(HPy,HPy)", "double(HPy)"),
    ("HPy(const HPy*,HPy_ssize_t)", "HPy(HPy*,HPy_ssize_t)"),
    # an out-handle and a size are not an array the exporter fills
    ("int(HPy*,HPy_ssize_t)", "int(HPy*[],HPy_ssize_t)"),
    # the same parameters, lengths bound the other way round
    ("HPy(long a,const HPy * p[a],long b,HPy * q[b])",
     "HPy(long a,const HPy * p[b],long b,HPy * q[a])"),
    # a length before or after the array, of another type
    ("int(int n,const HPy * p[n])", "int(const HPy * p[n],int n)"),
    ("int(int n,const HPy * p[n])", "int(unsigned n,const HPy * p[n])"),
    ("int", "long"),
]


@pytest.mark.parametrize("canonical,spellings", SAME, ids=[c for c, _ in SAME])
def test_same_abi_spellings_normalise_alike(lib, canonical, spellings):
    assert normalize(lib, canonical) == canonical
    for s in spellings:
        assert normalize(lib, s) == canonical, s


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_different_abis_stay_different(lib, a, b):
    assert normalize(lib, a) is not None and normalize(lib, b) is not None
    assert normalize(lib, a) != normalize(lib, b)


@pytest.mark.parametrize("bad", ["", "double(HPy", "double)HPy(",
                                 "int(HPy) trailing", "int(int x[3])",
                                 "int(void (*)(void))", "int(short long)",
                                 "int(signed unsigned)", "(HPy)",
                                 "int(" + "long " * 30 + ")",
                                 # named: every parameter has a name, and
                                 # every length names another parameter
                                 "int(int,const HPy * p[n])",
                                 "int(int n,const HPy * p[m])",
                                 "int(int n,const HPy * p[p])",
                                 "int(HPy *[])",
                                 "int(int n,const HPy * p[n)", "const",
                                 # an expression (HPyAPI_LEN_EXPR) of what
                                 # is no other parameter, or on no array
                                 "int(int n,const HPy * p[m-1])",
                                 "int(int n,int p[n-1])"])
def test_unparsable_signatures_are_refused(lib, bad):
    assert normalize(lib, bad) is None


def test_output_that_does_not_fit_is_refused(lib):
    assert normalize(lib, "double(HPy,HPy_ssize_t)", size=10) is None
    assert normalize(lib, "double(HPy,HPy_ssize_t)", size=24) is not None


def test_fuzz_capsule_short_run(tmp_path):
    exe = tmp_path / "fuzz_capsule"
    sanitize = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
    link(exe, [HERE / "fuzz" / "fuzz_capsule.c"] + PURE_C,
         ["-DHPYAPI_FUZZ_STANDALONE"] + sanitize + FLAGS, sanitize)
    res = subprocess.run([str(exe), "20000", "12345"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    assert res.returncode == 0, res.stdout
    last = res.stdout.strip().splitlines()[-1]
    assert last.startswith("fuzz_capsule: 20000 inputs, ") and \
        last.endswith(" accepted, no failure"), res.stdout
    accepted = int(last.split(", ")[1].split()[0])
    assert 0 < accepted < 20000  # both the accept and reject paths ran


# The Python normaliser (hpyapi.signature, used by `python -m hpyapi check`)
# must agree with the C one on every case above and on random token soups.
def py_normalize(sig):
    from hpyapi.signature import SignatureError, normalize as pynorm
    try:
        return pynorm(sig)
    except SignatureError:
        return None


PY_CASES = ([c for c, _ in SAME] + [s for _, ss in SAME for s in ss] +
            [x for pair in DIFFERENT for x in pair] +
            ["", "double", "double(HPy", "double)HPy(", "int(HPy) trailing",
             "int(int x[3])", "int(void (*)(void))", "int(short long)",
             "int(signed unsigned)", "(HPy)", "int(" + "long " * 30 + ")",
             "int(HPy,)", "int(,)", " int ( void ) \t", "int(\vint)",
             "x" * 63 + "(void)", "x" * 64 + "(void)",
             "int(" + "const " * 23 + "int)", "int(" + "const " * 24 + "int)",
             "char*const volatile*(void)", "long double*(long double)",
             "unsigned char(char unsigned)", "int(int*x)", "HPy(const HPy)",
             "int(int,const HPy * p[n])", "int(int n,const HPy * p[m])",
             "int(int n,const HPy * p[p])", "int(HPy *[],int)",
             "int(HPy *[])", "int(int n,const HPy * p[n)", "const",
             "int(int n,const HPy * p[n-1])", "int(int n,HPy * p[ n ] )",
             "int(int 3n,HPy * p[3n])", "int(int n,HPy * p[n],HPy *[])"])


@pytest.mark.parametrize("sig", PY_CASES)
def test_python_normaliser_agrees_with_c(lib, sig):
    assert py_normalize(sig) == normalize(lib, sig)


def test_python_normaliser_agrees_on_random_spellings(lib):
    import random
    rng = random.Random(446)
    words = ["int", "long", "short", "char", "signed", "unsigned", "const",
             "volatile", "restrict", "double", "HPy", "Py_ssize_t", "bool",
             "*", "*", ",", "(", ")", "void", " ", "  "]
    agreed = parsed = 0
    for _ in range(3000):
        ret = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))
        par = " ".join(rng.choice(words) for _ in range(rng.randint(0, 8)))
        sig = "%s(%s)" % (ret, par)
        c = normalize(lib, sig)
        assert py_normalize(sig) == c, sig
        agreed += 1
        parsed += c is not None
    assert agreed == 3000 and 100 < parsed < 3000  # both paths exercised
