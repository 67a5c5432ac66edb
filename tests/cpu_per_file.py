"""CPU seconds (user + sys, this process and the children it waited for)
per test file: where `make test`'s time goes, on a machine whose wall
clock is too noisy to compare runs by.  A pytest plugin, off unless asked:

    HPYAPI_CPU_REPORT=/tmp/cpu PYTHONPATH=tests .venv/bin/python -m pytest \\
        -p cpu_per_file -n 2 --dist loadfile tests
    python tests/cpu_per_file.py /tmp/cpu          # the table, costliest first

Each test process (pytest-xdist worker) writes its own JSON file into the
directory; the table sums them.  A test's seconds include what the
background build threads (conftest.Modules) spent while it ran, and
"(outside tests)" is collection, session fixtures' teardown and the rest.
"""
import json
import os
import resource
import sys
from pathlib import Path

import pytest

ENV = "HPYAPI_CPU_REPORT"


def cpu(children=True):
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + (c.ru_utime + c.ru_stime
                                      if children else 0.0)


_per_file = {}
_start = cpu()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    before = cpu()
    yield
    name = Path(str(item.fspath)).name
    _per_file[name] = _per_file.get(name, 0.0) + cpu() - before


def pytest_unconfigure(config):
    out = os.environ.get(ENV)
    if not out:
        return
    # pytest-xdist's controller: its children are the workers, which count
    # themselves
    controller = not hasattr(config, "workerinput") and bool(
        getattr(config.option, "numprocesses", 0))
    total = cpu(not controller) - _start
    per = dict(_per_file)
    per["(outside tests)"] = total - sum(_per_file.values())
    worker = os.environ.get("PYTEST_XDIST_WORKER",
                            "controller" if controller else "main")
    Path(out).mkdir(parents=True, exist_ok=True)
    (Path(out) / ("%s-%d.json" % (worker, os.getpid()))).write_text(
        json.dumps(per))


def table(directory):
    """Rows 'seconds  file', costliest first, then the total."""
    per = {}
    for f in sorted(Path(directory).glob("*.json")):
        for name, s in json.loads(f.read_text()).items():
            per[name] = per.get(name, 0.0) + s
    rows = ["%7.1f  %s" % (s, name)
            for name, s in sorted(per.items(), key=lambda x: -x[1])]
    return rows + ["%7.1f  total (test processes)" % sum(per.values())]


if __name__ == "__main__":
    print("\n".join(table(sys.argv[1])))
