# hpyapi - the two commands are `make demo` and `make test`.
# Everything is installed into .venv from the pins in requirements.txt.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.hpyapi-installed
SOURCES := $(shell find src -type f -not -path '*/__pycache__/*') pyproject.toml

# A PYTHONDONTWRITEBYTECODE=1 in the environment would make every test
# process rewrite every test file's asserts again at collection (pytest
# keeps the rewritten code as .pyc): 0.9 CPU s of the 1.9 of each
# process's collection.  __pycache__ is ignored by git.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: all demo test test-pythons test-private venv clean sanitize valgrind fuzz fuzz-capsule fuzz-calls bench

all: test

$(VENV)/.deps: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# a real (non-editable) install, so that tests see what users get
$(STAMP): $(VENV)/.deps $(SOURCES)
	$(PY) -m pip install --quiet --disable-pip-version-check \
	    --no-build-isolation --no-deps --force-reinstall .
	touch $@

venv: $(STAMP)

demo: $(STAMP)
	$(PY) examples/demo.py

# Test modules build in the background from the end of collection
# (tests/conftest.py), cached in build/tests; hpyapi's runtime is one
# archive per ABI and flags in build/tests/hpyapi-runtime, shared by every
# build a test runs (HPYAPI_CACHE_DIR, set by conftest), so editing a runtime file
# rebuilds three archives and relinks, nothing more.  pytest-xdist runs one
# test process per CPU, a test file per process at a time (--dist
# loadfile: module-scoped fixtures stay whole); the registry survives it:
# each process loads its own modules, and a module another process is
# compiling is waited for, never compiled twice (hpyapi.testing locks it).
# TESTJOBS=0 runs everything in this one process.
TESTJOBS ?= auto
test: $(STAMP)
	$(PY) -m pytest -q -n $(TESTJOBS) --dist loadfile tests

# The whole suite on each CPython in PYTHONS (noxfile.py: one virtualenv per
# version in .nox, test builds in build/tests-pyX.Y), then a table of
# version x passed/failed/skipped.  A version not installed is skipped.
# ARGS narrows the run: make test-pythons PYTHONS=3.13 ARGS=tests/test_capi.py
PYTHONS ?= 3.9 3.10 3.11 3.12 3.13
$(VENV)/.nox: $(VENV)/.deps requirements-nox.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-nox.txt
	touch $@

test-pythons: $(VENV)/.nox
	rm -rf build/pythons
	$(PY) -m nox -f noxfile.py -s $(foreach v,$(PYTHONS),tests-$(v)) table \
	    $(if $(ARGS),-- $(ARGS))

# The mode matrix again with every universal, hybrid and trace module on a
# private copy of its context (hpyapi.testing's switch), as a VM that gives
# each extension its own instance would: exporters must still run on their
# own context and callbacks on the consumer's (tests/c/ownctx.h checks each
# call).  CI runs it after `make test`.
PRIVATE_TESTS := tests/test_matrix.py tests/test_callbacks.py \
    tests/test_outhandles.py tests/test_direct.py tests/test_hooks.py \
    tests/test_hooks_engine.py tests/test_legacy_numpy.py tests/test_capi.py \
    tests/test_forms.py tests/test_multifile.py tests/test_const_params.py \
    tests/test_cython.py tests/test_inout.py tests/test_lenexpr.py \
    tests/test_structs.py tests/test_fnparam.py tests/test_tables.py \
    tests/test_retarrays.py
test-private: $(STAMP)
	HPYAPI_TEST_PRIVATE_CONTEXTS=1 $(PY) -m pytest -q $(PRIVATE_TESTS)

# Call costs next to the raw table call and the Python round trip, consumer
# modules in turn, imports and compile cost (bench/scale.py), the legacy
# bridge next to a direct NumPy C-API call (bench/legacy.py); writes
# bench/results.md (timings: median of repeats; instructions, which every
# verdict uses: callgrind), then README.md's tables from it.
bench: $(STAMP)
	$(PY) bench/bench.py
	$(PY) bench/readme.py

# The whole suite with every test module, example and the runtime built with
# AddressSanitizer and UBSan, run by a Python that preloads their runtimes.
# PYTHONMALLOC=malloc lets ASan see Python objects too; leak detection is
# off because CPython itself keeps memory until exit.
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all
sanitize: $(STAMP)
	HPYAPI_TEST_BUILD=build/tests-sanitize \
	HPYAPI_TEST_CFLAGS="$(SAN_FLAGS)" HPYAPI_TEST_LDFLAGS="$(SAN_FLAGS)" \
	LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	PYTHONMALLOC=malloc $(PY) -m pytest -q tests

# The mode matrix, the examples and the bad-input cases under valgrind's
# memcheck; tests/valgrind_check.py fails on any error or definite leak
# whose stack passes through hpyapi code (CPython's own noise is ignored).
VALGRIND_TESTS := tests/test_matrix.py tests/test_examples.py tests/test_bad_input.py
valgrind: $(STAMP)
	$(PY) -m pytest -q $(VALGRIND_TESTS) >/dev/null  # builds them natively
	mkdir -p build
	-PYTHONMALLOC=malloc valgrind --leak-check=full --num-callers=40 \
	    --log-file=build/valgrind.log $(PY) -m pytest -q -p no:cacheprovider \
	    $(VALGRIND_TESTS)
	$(PY) tests/valgrind_check.py build/valgrind.log

# Two fuzz targets, both under ASan and UBSan, FUZZ_RUNS inputs each:
#  - the capsule checks (tests/fuzz/fuzz_capsule.c, structure-aware):
#    libFuzzer when clang is installed (started from seeds the gcc build
#    writes), otherwise the gcc build's seeded mutation loop;
#  - hostile calls through real trampolines (tests/c/callfuzz.h), per
#    (exporter mode, caller) pair, in the sanitizer build of `make
#    sanitize`.
FUZZ_RUNS ?= 1000000
FUZZ_SRC := tests/fuzz/fuzz_capsule.c src/hpyapi/runtime/validate.c \
            src/hpyapi/runtime/signature.c src/hpyapi/runtime/names.c
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -DHPYAPI_INTERNAL= \
               -Isrc/hpyapi/include -Isrc/hpyapi/runtime $(SAN_FLAGS)
fuzz: fuzz-capsule fuzz-calls

fuzz-capsule:
	mkdir -p build/fuzz/corpus
	gcc $(FUZZ_CFLAGS) -DHPYAPI_FUZZ_STANDALONE $(FUZZ_SRC) \
	    -o build/fuzz/fuzz_capsule
	if command -v clang >/dev/null 2>&1; then \
	    build/fuzz/fuzz_capsule --seeds build/fuzz/corpus && \
	    clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SRC) \
	        -o build/fuzz/fuzz_capsule_libfuzzer && \
	    build/fuzz/fuzz_capsule_libfuzzer -runs=$(FUZZ_RUNS) \
	        -max_len=4096 build/fuzz/corpus; \
	else \
	    build/fuzz/fuzz_capsule $(FUZZ_RUNS); \
	fi

fuzz-calls: $(STAMP)
	HPYAPI_FUZZ_CALLS=$(FUZZ_RUNS) HPYAPI_TEST_BUILD=build/tests-sanitize \
	HPYAPI_TEST_CFLAGS="$(SAN_FLAGS)" HPYAPI_TEST_LDFLAGS="$(SAN_FLAGS)" \
	LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	PYTHONMALLOC=malloc $(PY) -m pytest -q tests/test_hostile_calls.py \
	    -k fuzzed_calls

clean:
	rm -rf build $(VENV) .nox src/*.egg-info
