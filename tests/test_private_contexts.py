"""Issue 17: the exporter runs on a context it owns, callbacks on the
consumer's -- also when a VM gives each extension its own context instance.

hpyapi.testing's switch (HPYAPI_TEST_PRIVATE_CONTEXTS=1) gives every
universal, hybrid and trace module a private copy of its context; the
exporter functions and consumer callbacks of the test modules check on
every call that they run on their own (tests/c/ownctx.h, enforced after
every test by conftest.py), with the switch off in this process.  Here,
the switch is turned on in a child process for a slice of the mode matrix
-- values, handle arrays, out-handles, in-out handles, length
expressions, returned arrays, callbacks, hooks, the legacy bridge -- and
the instances are shown to be private (run the whole suite with the
variable set for the full matrix).
"""
import os
import subprocess
import sys

import pytest

from hpyapi import testing
from conftest import HERE, SPECS

# one test per kind of call, every pair of modes each
SLICE = [
    "test_matrix.py::test_each_side_runs_in_its_own_context",
    "test_matrix.py::test_handle_arrays",
    "test_matrix.py::test_nested_and_reentrant_calls",
    "test_callbacks.py::test_values_and_handles",
    "test_outhandles.py::test_result_and_out_handle_together",
    "test_inout.py::test_two_in_out_handles_trade_places",
    "test_lenexpr.py::test_resolver_shape_nin_plus_nout",
    "test_retarrays.py::test_length_read_after_the_call",
    "test_direct.py::test_hooks_take_over_and_give_back",
    "test_hooks.py::test_count_per_caller_and_entry",
    "test_legacy_numpy.py::test_from_any_converts_and_passes_arrays_through",
]


def child_pytest(args, on):
    env = dict(os.environ)
    env.pop(testing.PRIVATE_CONTEXTS_ENV, None)
    if on:
        env[testing.PRIVATE_CONTEXTS_ENV] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
        + args, cwd=HERE, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)


def built(modules, names):
    """Every ABI of each spec built (by the registry, on disk) before a
    child process loads them from the same build directory."""
    for name in names:
        for abi in SPECS[name].abis:
            modules.so(name, abi)


@pytest.mark.parametrize("on", [True, False], ids=["private", "shared"])
def test_instances_are_private_only_with_the_switch(modules, on):
    # in a child: loading modules must see the switch from the start
    code = r"""
import sys
sys.path.insert(0, %r)
from conftest import Modules
import tempfile
m = Modules(tempfile.mkdtemp())
e = m.get("cbexporter", "universal")
c = m.get("cbconsumer", "universal")
t = m.get("cbexporter", "trace")
c.setup(e.__name__)
assert c.cb_sum(4, lambda i: i) == 6
c.setup(t.__name__)
assert c.cb_sum(4, lambda i: i) == 6
print(e.own_ctx_address() == c.own_ctx_address(),
      t.own_ctx_address() == c.own_ctx_address(),
      e.foreign_ctx_calls()[0] + c.foreign_ctx_calls()[0]
      + t.foreign_ctx_calls()[0])
""" % str(HERE)
    built(modules, ["cbexporter", "cbconsumer"])
    env = dict(os.environ)
    env.pop(testing.PRIVATE_CONTEXTS_ENV, None)
    if on:
        env[testing.PRIVATE_CONTEXTS_ENV] = "1"
    res = subprocess.run([sys.executable, "-c", code], env=env, cwd=HERE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    assert res.returncode == 0, res.stdout
    # shared: exporter and consumer run on hpy's one universal context;
    # private: each has its own, and neither ran on the other's
    same_universal, same_trace, foreign = res.stdout.split()
    assert same_universal == ("False" if on else "True")
    assert same_trace == "False"
    assert foreign == "0"


def test_matrix_slice_with_private_contexts(modules):
    built(modules, ["outexporter", "cbexporter", "cbconsumer",
                       "cbconsumer_capi", "npyconsumer"])
    res = child_pytest(SLICE, on=True)
    assert res.returncode == 0, res.stdout[-4000:]
    assert " passed" in res.stdout and "failed" not in res.stdout
