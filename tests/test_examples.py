"""The examples compile and do what the README says, in every mode pair;
the README shows the minimal example's files verbatim."""
import re
import sys

import pytest

from conftest import EXAMPLES, MODES, REPO, register

PAIRS = [(e, c) for e in MODES for c in MODES]
IDS = ["%s-exporter/%s-caller" % p for p in PAIRS]


for _dir, _names, _capi in [(EXAMPLES, ("myarray", "stats"), ("legacy",)),
                             (EXAMPLES / "minimal", ("greet", "greeter"), ())]:
    for _name in _names:
        register(_name, [_dir / (_name + ".c")], include_dirs=[_dir])
    for _name in _capi:
        register(_name, [_dir / (_name + ".c")], include_dirs=[_dir],
                 abis=("capi",))


class Example:
    """Loads an example's exporter/consumer pairs the way a user would:
    the consumer imports the exporter by its real name, which is pointed at
    the copy loaded in the wanted mode."""

    def __init__(self, modules, exporter, consumer):
        self.modules, self.exporter, self.consumer = modules, exporter, consumer

    def pair(self, e_mode, c_mode):
        return self.modules.pair(e_mode, c_mode, exporter=self.exporter,
                                 consumer=self.consumer, setup=None,
                                 alias=self.exporter)


@pytest.fixture(scope="module")
def myarray(modules):
    return Example(modules, "myarray", "stats")


@pytest.fixture(scope="module")
def legacy(modules):
    return Example(modules, "myarray", "legacy")


@pytest.fixture(scope="module")
def greet(modules):
    return Example(modules, "greet", "greeter")


@pytest.mark.parametrize("e_mode,c_mode", PAIRS, ids=IDS)
def test_myarray_and_stats(myarray, e_mode, c_mode, leakcheck):
    exp, stats = myarray.pair(e_mode, c_mode)
    a = stats.linspace(0.0, 1.0, 5)
    assert type(a) is exp.Array
    assert [a[i] for i in range(len(a))] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert stats.mean(a) == 0.5
    assert stats.total(a, exp.Array(3, 2.0), a) == 11.0
    assert stats.total() == 0.0
    assert stats.is_array(a) is True
    assert stats.is_array([1.0]) is False
    with pytest.raises(TypeError, match="^expected a myarray.Array$"):
        stats.total(a, "not an array")
    with pytest.raises(ValueError, match="^negative array length$"):
        stats.linspace(0.0, 1.0, -1)


@pytest.mark.parametrize("e_mode", MODES)
def test_legacy_capi_consumer(legacy, e_mode, leakcheck):
    exp, leg = legacy.pair(e_mode, "cpython")
    a = leg.from_list([1.0, 3.0, 4.0])
    assert type(a) is exp.Array
    r = leg.normalized(a)
    assert [r[i] for i in range(3)] == [0.125, 0.375, 0.5]
    assert leg.array_type() is exp.Array
    with pytest.raises(TypeError, match="^expected a myarray.Array$"):
        leg.normalized([1.0])
    base = sys.getrefcount(a)
    for _ in range(50):
        leg.normalized(a)
    assert sys.getrefcount(a) == base


@pytest.mark.parametrize("e_mode,c_mode", PAIRS, ids=IDS)
def test_minimal_greet(greet, e_mode, c_mode, leakcheck):
    _, greeter = greet.pair(e_mode, c_mode)
    assert greeter.welcome("world") == "hello, world"
    assert greeter.twice(21) == 42
    with pytest.raises(TypeError):
        greeter.welcome(3)


def test_readme_shows_the_minimal_example_verbatim():
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```c\n(.*?)```", readme, re.S)
    for name in ("greet_api.h", "greet.c", "greeter.c"):
        text = (EXAMPLES / "minimal" / name).read_text()
        assert text in blocks, "README.md must show examples/minimal/%s" % name
