"""The valgrind log filter used by `make valgrind` flags what it must."""
import subprocess
import sys
from pathlib import Path

CHECK = Path(__file__).resolve().parent / "valgrind_check.py"

CPYTHON_NOISE = """\
==1== Conditional jump or move depends on uninitialised value(s)
==1==    at 0x1: maybe_small_long (longobject.c:71)
==1==    by 0x2: int_from_bytes (longobject.c.h:389)
==1== 
"""
OURS = """\
==1== Invalid read of size 8
==1==    at 0x3: cross_call (transform.c:240)
==1==    by 0x4: _HPyAPI_Call (transform.c:330)
==1== 
"""
HPY_LEAK = """\
==1== 32 bytes in 1 blocks are definitely lost in loss record 1 of 9
==1==    at 0x5: calloc (vgpreload_memcheck-amd64-linux.so)
==1==    by 0x6: create_method_defs (ctx_type.c:385)
==1==    by 0x7: ctx_Type_FromSpec (ctx_type.c:1320)
==1==    by 0x8: exporter_exec_impl (/work/tests/c/exporter.c:103)
==1== 
"""
POSSIBLY = """\
==1== 64 bytes in 1 blocks are possibly lost in loss record 2 of 9
==1==    at 0x9: malloc (vgpreload_memcheck-amd64-linux.so)
==1==    by 0xa: _HPyAPI_Export (export.c:60)
==1== 
"""


def run(tmp_path, text):
    log = tmp_path / "vg.log"
    log.write_text(text)
    return subprocess.run([sys.executable, str(CHECK), str(log)],
                          stdout=subprocess.PIPE, text=True)


def test_only_reports_through_hpyapi_code_fail(tmp_path):
    res = run(tmp_path, CPYTHON_NOISE + HPY_LEAK + POSSIBLY)
    assert res.returncode == 0, res.stdout
    assert res.stdout.endswith(
        "valgrind: 2 error/leak reports in the log; 0 through hpyapi code; "
        "1 known hpy 0.9.0 leaks; the rest are CPython's\n")
    res = run(tmp_path, CPYTHON_NOISE + OURS + HPY_LEAK)
    assert res.returncode == 1
    assert "Invalid read of size 8" in res.stdout
    assert "; 1 through hpyapi code;" in res.stdout
