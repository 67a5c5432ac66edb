"""python -m hpyapi expand: what a declaration becomes, from the user's
own preprocessor, laid out one statement per line."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hpyapi.__main__ import cflags, include_flags

REPO = Path(__file__).resolve().parent.parent
GREET = REPO / "examples" / "minimal" / "greet_api.h"


def run(*args):
    return subprocess.run([sys.executable, "-m", "hpyapi"] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, cwd=str(REPO))


def test_exporter_side_shows_each_entrys_trampoline():
    res = run("expand", str(GREET), "greet")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    for name in ("Greet_hpyapi_tramp", "Twice_hpyapi_tramp",
                 "Greet_hpyapi_desc", "Twice_hpyapi_bind"):
        assert name in out
    # laid out: no line holds two statements of a block
    assert max(len(l) for l in out.splitlines()) < 2000
    assert "\n    " in out


def test_one_entry_only():
    out = run("expand", str(GREET), "greet", "Twice").stdout
    assert "Twice_hpyapi_tramp(" in out
    # the tables name every entry; only Twice's own code is defined
    assert "Greet_hpyapi_tramp(" not in out
    assert "Greet_hpyapi_desc =" not in out
    assert "&Greet_hpyapi_tramp" in out


def test_consumer_side_expansion_compiles_as_printed(tmp_path):
    res = run("--abi", "universal", "expand", str(GREET), "greet",
              "--side", "consumer")
    assert res.returncode == 0, res.stderr
    assert "Greet_hpyapi_unimported" in res.stdout
    src = tmp_path / "c.c"
    src.write_text('#include "hpy.h"\n#include "greet_api.h"\n' + res.stdout)
    cc = subprocess.run(
        ["gcc", "-c", "-std=gnu11", "-Wall", "-Werror", "-Wno-unused-function",
         "-I" + str(GREET.parent), str(src), "-o", str(tmp_path / "c.o")]
        + cflags("universal") + include_flags("universal"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert cc.returncode == 0, cc.stdout


@pytest.mark.parametrize("args, message", [
    (("greet", "Nope"), "API 'greet' has no entry 'Nope'"),
    (("nosuchapi",), "does not declare API 'nosuchapi' with HPyAPI_DECLARE"),
])
def test_mistakes_are_one_line(args, message):
    res = run("expand", str(GREET), *args)
    assert res.returncode == 1
    assert res.stderr.startswith("hpyapi expand: ") and message in res.stderr
    assert res.stdout == ""


def test_missing_header():
    res = run("expand", "no/such.h", "greet")
    assert res.returncode == 1 and "no such header" in res.stderr


def test_exporter_side_is_expanded_as_the_exporters_file():
    """The exporter's file defines HPYAPI_EXPORTER (hpyapi/structs.h), so
    that its slot-function parameters name their slot type's pool; expand
    shows that, not the NULL a file without it would hold."""
    res = run("expand", str(REPO / "tests" / "c" / "fnapi.h"), "fnapi",
              "Fn_RegisterCast")
    assert res.returncode == 0, res.stderr
    assert "fn_cast_hpyapi_pool" in res.stdout, res.stdout[:3000]
