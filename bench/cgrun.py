"""Runs a Python child under callgrind and reads the dumps it triggers.

The C loops delimit what they measure with client requests (bench/c/cg.h):
zero the counters, run, dump with a label.  Each dump gives the total
instructions of the loop, and, parsed from the profile itself, the
instructions executed in each shared object (self cost): enough to tell
hpyapi's code from HPy's and CPython's without trusting a timer."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path


def save_manifest(path, sos):
    """Writes {key tuple: built .so} for a callgrind child to load: checking
    the build cache (hashing sources, importing setuptools and hpy.devel)
    runs ~50x slower under valgrind, ~25 s a child, so children never
    build."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([[list(k), str(v)] for k, v in sos.items()]))


def load_manifest(path):
    return {tuple(k): Path(v) for k, v in json.loads(path.read_text())}


def run(script, args, out_dir):
    """Runs `python script *args` under callgrind; returns {label: (total
    instructions, {object path: self instructions})} for every labelled
    dump."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for f in out_dir.glob("cg.out*"):
        f.unlink()
    # names and positions uncompressed: every dump file then reads on its
    # own (compressed ids are defined once per run, in whichever file first
    # used them)
    # instrumentation only inside the loops (bench/c/cg.h)
    cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
           "--dump-instr=no",
           "--compress-strings=no", "--compress-pos=no",
           "--callgrind-out-file=%s" % (out_dir / "cg.out"), sys.executable,
           str(script)] + [str(a) for a in args]
    # numpy's OpenBLAS (the legacy rows import numpy) starts worker threads
    # on import; their instructions would land in whichever dump comes next
    env = dict(os.environ, PYTHONMALLOC="malloc", OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1")
    env.pop("LD_PRELOAD", None)  # no sanitizer runtime under valgrind
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=env)
    dumps = {}
    for f in out_dir.glob("cg.out*"):
        parsed = parse(f.read_text(errors="replace"))
        if parsed:
            dumps[parsed[0]] = parsed[1:]
    return dumps


_COST = re.compile(r"^\d+\s+(\d+)\s*$")  # "line Ir"


def parse(text):
    """(label, total, {object: self cost}) of one callgrind dump, or None
    for a dump that is not a labelled loop.  Self cost: the cost lines
    under each ob=, except the line after calls=, which is the inclusive
    cost of a call (counted again in the callee)."""
    m = re.search(r"^desc: Trigger: Client Request: (.*)$", text, re.M)
    t = re.search(r"^(?:totals|summary): (\d+)", text, re.M)
    if not (m and t):
        return None
    objects, ob, after_call = {}, None, False
    for line in text.splitlines():
        if line.startswith("ob="):
            ob = line[3:].strip()
            continue
        if line.startswith("calls="):
            after_call = True
            continue
        c = _COST.match(line)
        if c:
            if not after_call:
                objects[ob] = objects.get(ob, 0) + int(c.group(1))
            after_call = False
    return m.group(1).strip(), int(t.group(1)), objects

