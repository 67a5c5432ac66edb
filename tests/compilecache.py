"""The test suite's compile cache: a compile runs once per input.

A compile's verdict, output and object are a function of its command and
of the files the compiler read.  Like ccache's direct mode, a compile is
kept in build/tests/compiles under a key of the command and its file
arguments' texts, with the list of every file the compiler read (its -MD
output) and their hashes; a later identical compile whose files all still
hash the same replays the exit status, output, object and dependency file.
An edit of a runtime .c file, which no test source includes, so recompiles
nothing but that file; an edit of a header recompiles what read it.

Used in-process by the compile tests (strict.py, run_compiler) and as a
compiler wrapper, `python compilecache.py gcc ARGS...`, by the setuptools
and meson builds of the Cython consumers (tests/test_cython.py): links
and anything else that is not one compile (`-c`) run unchanged.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

CACHE = Path(os.environ.get("HPYAPI_TEST_BUILD", Path(__file__).resolve()
                            .parent.parent / "build" / "tests")) / "compiles"
# part of every key: a change to what is kept, or to how, never meets
# entries kept the old way
FORMAT = b"hpyapi-compilecache-2\0"
_file_hashes = {}


def _file_hash(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    memo = (path, st.st_mtime_ns, st.st_size)
    if memo not in _file_hashes:
        _file_hashes[memo] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return _file_hashes[memo]


def _compiler_id(cc):
    """The compiler's --version banner (hpyapi's archive keys use it too):
    an upgrade misses the cache."""
    from hpyapi import archive
    return archive._compiler_id([cc])


def _depfile_paths(text):
    words = text.replace("\\\n", " ").split()
    return [w for w in words[1:] if not w.endswith(":")]


def _arg_after(cmd, flag):
    return cmd[cmd.index(flag) + 1] if flag in cmd[:-1] else None


def run_compiler(cmd, env=None):
    """subprocess.run(cmd) of one compile (`-c` or `-E`, no link), stdout
    and stderr together, LC_ALL=C (plain quotes in messages), kept and
    replayed as the module says.  The paths of the files it names, of the
    object and of its dependency file are placeholders in the key and the
    kept output, so a test's tmp_path does not defeat the cache."""
    cmd = [str(c) for c in cmd]
    out, depfile = _arg_after(cmd, "-o"), _arg_after(cmd, "-MF")
    files = [c for c in cmd[1:] if c not in (out, depfile)
             and os.path.isfile(c)]
    subst = [(p, m) for p, m in ((out, "@OUT@"), (depfile, "@DEP@")) if p]
    subst += [(f, "@FILE%d@" % i) for i, f in enumerate(files)]
    # and their directories, after them: a header next to the source (a
    # test's tmp_path) is read at the same place relative to it, and must
    # be checked there, not at an earlier run's path that may still exist
    dirs = dict.fromkeys(os.path.dirname(os.path.abspath(f)) for f in files)
    subst += [(d, "@DIR%d@" % i) for i, d in enumerate(dirs) if len(d) > 1]

    def hide(text):
        for real, mark in subst:
            text = text.replace(real, mark)
        return text

    def show(text):
        for real, mark in subst:
            text = text.replace(mark, real)
        return text

    h = hashlib.sha256(FORMAT + _compiler_id(cmd[0]).encode())
    h.update(json.dumps([hide(c) for c in cmd]).encode())
    for f in files:
        h.update(b"\0" + _file_hash(f).encode())
    key = CACHE / h.hexdigest()[:24]
    try:
        kept = json.loads(key.with_suffix(".json").read_text())
    except (OSError, ValueError):
        kept = None
    if kept is not None and all(_file_hash(show(d)) == hd
                                for d, hd in kept["deps"].items()):
        if kept["returncode"] == 0 and out:
            shutil.copyfile(key.with_suffix(".o"), out)
        if depfile:
            Path(depfile).write_text(show(kept["depfile"]))
        return SimpleNamespace(returncode=kept["returncode"],
                               stdout=show(kept["stdout"]), args=cmd)
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = "%s.%d" % (key, os.getpid())
    run = cmd if depfile else cmd + ["-MD", "-MF", tmp + ".d"]
    res = subprocess.run(run, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, env=dict(env or os.environ, LC_ALL="C"))
    res.args = cmd
    try:
        deptext = Path(depfile or tmp + ".d").read_text()
        if not depfile:
            os.remove(tmp + ".d")
    except OSError:  # a missing #include stops before writing it
        return res
    args = set(map(os.path.abspath, files))
    deps = {hide(d): _file_hash(d) for d in map(os.path.abspath,
                                                _depfile_paths(deptext))
            if d not in args}
    if res.returncode == 0 and out:
        shutil.copyfile(out, tmp + ".o")
        os.replace(tmp + ".o", key.with_suffix(".o"))
    Path(tmp + ".json").write_text(json.dumps(
        {"returncode": res.returncode, "stdout": hide(res.stdout),
         "deps": deps, "depfile": hide(deptext) if depfile else ""}))
    os.replace(tmp + ".json", key.with_suffix(".json"))
    return res


def sync(src, dst):
    """Copies `src` to `dst` unless `dst` already holds the same bytes,
    so that an unchanged file keeps its time and ninja rebuilds nothing
    from it (the meson builds' fixed source directories)."""
    if not (dst.exists() and dst.read_bytes() == src.read_bytes()):
        shutil.copy2(src, dst)


def wrapper_env(env):
    """`env` with CC and CXX going through this cache (for a setuptools or
    meson build in a subprocess); LDSHARED follows CC in setuptools."""
    me = "%s %s" % (sys.executable, os.path.abspath(__file__))
    return dict(env, CC="%s gcc" % me, CXX="%s g++" % me)


def main(argv):
    if "-c" not in argv:
        os.execvp(argv[0], argv)
    res = run_compiler(argv, env=os.environ)
    sys.stdout.write(res.stdout)
    return res.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
