"""README.md's performance tables are generated from bench/results.md
(bench/readme.py); this fails when someone edits one without the other."""
import subprocess
import sys

from conftest import REPO


def test_readme_tables_match_bench_results():
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "readme.py"), "--check"],
        stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 0, proc.stderr
