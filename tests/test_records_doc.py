"""docs/reference.md describes exactly the records binaries hold: the
documented records of the README's minimal consumer are those of the
built binary, and a file that only includes an API header holds none
(issue 18 item 2, issue 22 item 2)."""
import re
import subprocess

import hpy.devel
import pytest

import hpyapi
from conftest import BUILD_DIR, REPO, compile_args, runtime_args
from hpyapi import binary, testing

MINIMAL = REPO / "examples" / "minimal"


def documented(source):
    text = (REPO / "docs" / "reference.md").read_text()
    m = re.search(r"<!-- records: %s -->\n```\n(.*?)```" % re.escape(source),
                  text, re.S)
    assert m, "no records block for %s in docs/reference.md" % source
    return sorted(r.strip("\n") + "\n" for r in m.group(1).split("\n\n"))


def held(path):
    data = open(path, "rb").read()
    return sorted(c.decode() for sec in binary.read_sections(data)
                  for c in sec.split(b"\0") if c)


@pytest.mark.parametrize("abi", ["universal", "cpython"])
def test_documented_records_are_what_the_binary_holds(abi):
    so = testing.build_extension("greeter", [MINIMAL / "greeter.c"], abi,
                                 BUILD_DIR, include_dirs=[MINIMAL],
                                 extra_compile_args=compile_args(),
                                 runtime_compile_args=runtime_args())
    assert held(so) == documented("examples/minimal/greeter.c")
    (rec,) = binary.read_records(so)[0]
    assert (rec.kind, rec.api, rec.version, len(rec.entries)) == (
        "import", "greet", "1.0", 2)


def test_a_file_that_only_includes_the_header_holds_no_record(tmp_path):
    c = tmp_path / "user.c"
    c.write_text('#include "hpy.h"\n#include "greet_api.h"\n'
                 "HPyAPI_USE(greet, GREET_API);\n"
                 "long twice(HPyContext *ctx, long x)\n"
                 "{ return greet_api->Twice(ctx, x); }\n")
    dev = hpy.devel.HPyDevel()
    obj = tmp_path / "user.o"
    subprocess.run(["gcc", "-c", "-fPIC", "-O2", "-DHPY",
                    "-DHPY_ABI_UNIVERSAL",
                    "-I" + str(dev.get_include_dir_forbid_python_h()),
                    "-I" + dev.get_extra_include_dirs()[0],
                    "-I" + hpyapi.get_include(), "-I" + str(MINIMAL),
                    str(c), "-o", str(obj)], check=True)
    assert held(obj) == []
