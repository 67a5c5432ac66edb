"""python -m hpyapi: help, build queries and usage errors (describe is
tested in test_hooks.py, check in test_check.py)."""
import os
import subprocess
import sys
from types import SimpleNamespace

import hpy.devel
import pytest

import hpyapi
from hpyapi.__main__ import main
from conftest import runtime_args

BUILDS = ["exporter"]  # built in advance (conftest)

DEVEL = hpy.devel.HPyDevel()


def cli_process(*args):
    return subprocess.run([sys.executable, "-m", "hpyapi"] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)


@pytest.fixture
def cli(capfd):
    """python -m hpyapi ARGS run in this process: its exit status and what
    it wrote to stdout and stderr, descriptors included (a compiler's).  A
    child process per call cost 0.2 CPU s, mostly importing hpy.devel
    (setuptools, Cython), 4 CPU s for this file; cli_process() runs the
    real `python -m hpyapi`."""
    def run(*args):
        capfd.readouterr()
        try:
            code = main(list(args))
        except SystemExit as e:
            code = e.code
        out, err = capfd.readouterr()
        return SimpleNamespace(returncode=code or 0, stdout=out, stderr=err)
    return run


def test_help_lists_subcommands_and_queries(cli):
    res = cli_process("--help")  # the real entry point, once
    assert res.returncode == 0, res.stderr
    for word in ("describe", "check", "--includes", "--sources", "--archive",
                 "--cflags", "--abi"):
        assert word in res.stdout
    for sub in ("describe", "check"):
        res = cli(sub, "--help")
        assert res.returncode == 0
        assert res.stdout.startswith("usage: python -m hpyapi %s " % sub)


def test_no_arguments_is_a_usage_error(cli):
    res = cli()
    assert res.returncode == 2
    assert res.stdout == ""
    assert "give a subcommand or a build query" in res.stderr


def test_includes(cli):
    res = cli("--includes")
    assert res.returncode == 0
    assert res.stdout == "-I%s -I%s\n" % (hpyapi.get_include(),
                                          DEVEL.get_extra_include_dirs()[0])
    first = cli("--includes", "--abi", "universal").stdout.split()[0]
    assert first == "-I%s" % DEVEL.get_include_dir_forbid_python_h()


@pytest.mark.parametrize("abi", ["cpython", "universal", "hybrid"])
def test_sources_and_cflags(cli, abi):
    res = cli("--sources", "--abi", abi)
    assert res.returncode == 0
    got = res.stdout.split()
    assert got[:len(hpyapi.get_sources())] == hpyapi.get_sources()
    hpy_files = {p.rsplit("/", 1)[1] for p in got if "/hpy/devel/" in p}
    assert {"argparse.c", "buildvalue.c", "helpers.c"} <= hpy_files
    # the context implementation only for the CPython ABI
    assert ("ctx_call.c" in hpy_files) == (abi == "cpython")
    assert cli("--cflags", "--abi", abi).stdout == \
        "-DHPY -DHPY_ABI_%s\n" % abi.upper()


# the registry's flags: the archive is made of objects the suite compiled
# once (HPYAPI_OBJECT_CACHE), as what a build links is what is tested here
RUNTIME_CFLAGS = "--runtime-cflags=" + " ".join(runtime_args())


def test_archive_is_built_once_and_cached(cli, tmp_path):
    res = cli("--archive", "--abi", "universal", "--cache-dir",
              str(tmp_path), RUNTIME_CFLAGS)
    assert res.returncode == 0, res.stderr
    ours, hpys = res.stdout.split()
    assert ours.startswith(str(tmp_path) + "/libhpyapi-universal-")
    assert ours.endswith(".a")
    assert hpys == DEVEL.get_static_libs("universal")[0]
    # one object per runtime file, all of them hidden from other modules
    members = subprocess.run(["ar", "t", ours], stdout=subprocess.PIPE,
                             text=True, check=True).stdout.split()
    assert sorted(members) == sorted(
        p.rsplit("/", 1)[1][:-2] + ".o" for p in hpyapi.get_sources())
    mtime = os.stat(ours).st_mtime_ns
    again = cli("--archive", "--abi", "universal", "--cache-dir",
                str(tmp_path), RUNTIME_CFLAGS)
    assert again.stdout == res.stdout
    assert os.stat(ours).st_mtime_ns == mtime  # not rebuilt
    # the flags, the ABI and the runtime's text are part of the key
    from hpyapi import archive
    cc = archive.new_compiler().compiler_so
    key = archive.archive_key("universal",
                              runtime_args() + ["-fvisibility=hidden"], cc)
    assert ours.endswith("-%s.a" % key)
    assert key != archive.archive_key("hybrid", ["-O0"], cc)
    assert key != archive.archive_key("universal", ["-O2"], cc)



def test_runtime_edit_recompiles_that_file_only(tmp_path, monkeypatch):
    """Archives are made of cached objects keyed by their own source: after
    an edit of one runtime file, a new archive (for the same ABI and
    flags) compiles that file alone and reuses the other objects."""
    from hpyapi import archive
    compiled = []
    real = archive.new_compiler

    def counting():
        cc = real()
        compile_ = cc.compile
        cc.compile = lambda srcs, **kw: compiled.extend(srcs) or compile_(
            srcs, **kw)
        return cc
    monkeypatch.setattr(archive, "new_compiler", counting)
    # the objects come from the suite's cache (HPYAPI_OBJECT_CACHE), or
    # are compiled into it now
    first = archive.runtime_archive("hybrid", runtime_args(),
                                    str(tmp_path / "a"))
    assert set(compiled) <= set(archive.runtime_sources())
    # "edit" names.c: a file of a new text that compiles to the same code
    sources = archive.runtime_sources()
    names = [s for s in sources if s.endswith("/names.c")][0]
    edited = tmp_path / "names.c"
    edited.write_text('#include "%s"\n/* edited in %s */\n'
                      % (names, tmp_path))
    monkeypatch.setattr(archive, "runtime_sources", lambda: sorted(
        str(edited) if s == names else s for s in sources))
    del compiled[:]
    second = archive.runtime_archive("hybrid", runtime_args(),
                                     str(tmp_path / "b"))
    assert compiled == [str(edited)]
    assert second != first and os.path.basename(second) != \
        os.path.basename(first)  # a new key: the runtime's text changed
    members = subprocess.run(["ar", "t", second], stdout=subprocess.PIPE,
                             text=True, check=True).stdout.split()
    assert sorted(members) == sorted(
        os.path.basename(s)[:-2] + ".o" for s in sources)

def test_archive_reports_a_failing_build(cli, tmp_path):
    res = cli("--archive", "--abi", "cpython", "--cache-dir", str(tmp_path),
              "--runtime-cflags=-fno-such-flag")
    assert res.returncode == 1
    assert res.stderr.startswith(
        "hpyapi: building the cpython runtime archive failed:")
    assert "-fno-such-flag" in res.stderr
    assert list(tmp_path.glob("*.a")) == []


def test_ext_suffix(cli):
    import sysconfig
    assert cli("--ext-suffix", "--abi", "universal").stdout == ".hpy0.so\n"
    assert cli("--ext-suffix", "--abi", "hybrid").stdout == \
        ".hpy0-cp%d%d.so\n" % sys.version_info[:2]
    assert cli("--ext-suffix").stdout == \
        sysconfig.get_config_var("EXT_SUFFIX") + "\n"


def test_queries_combine_on_one_line(cli):
    res = cli("--cflags", "--includes", "--abi", "hybrid")
    assert res.stdout.split() == (cli("--includes").stdout.split() +
                                  ["-DHPY", "-DHPY_ABI_HYBRID"])


def test_query_usage_errors(cli):
    res = cli("--sources", "--abi", "pypy")
    assert res.returncode == 2
    assert "invalid choice: 'pypy'" in res.stderr
    res = cli("--includes", "describe", "os")
    assert res.returncode == 2
    assert "cannot be combined" in res.stderr
    assert cli("describe").returncode == 2


def test_describe_json(modules, tmp_path):
    import json
    import shutil
    so = modules.so("exporter", "cpython")
    shutil.copy(so, tmp_path / so.split("/")[-1])
    res = subprocess.run([sys.executable, "-m", "hpyapi", "describe",
                          "--json", "exporter"], cwd=tmp_path,
                         env=dict(os.environ, PYTHONPATH=str(tmp_path)),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    assert (d["module"], d["api"], d["version"], d["exporter_abi"]) == (
        "exporter", "testapi", "1.0", "cpython")
    assert d["entries"][13] == {"index": 13, "name": "OldEntry",
                                "signature": "int(HPy)", "since": "1.0",
                                "kind": "retired", "retired": True}
