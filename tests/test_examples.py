"""The examples compile and do what the README says, in every mode pair;
the README shows the minimal example's files verbatim."""
import re
import sys

import pytest

from conftest import BUILD_DIR, EXTRA_LDFLAGS, MODES, REPO, compile_args
from hpyapi import testing

EXAMPLES = REPO / "examples"
PAIRS = [(e, c) for e in MODES for c in MODES]
IDS = ["%s-exporter/%s-caller" % p for p in PAIRS]


class Example:
    """Builds an example's modules per ABI and loads exporter/consumer pairs
    the way a user would: the consumer imports the exporter by its real
    name, which we point at the copy loaded in the wanted mode."""

    def __init__(self, subdir, exporter, consumer, load_dir):
        self.dir = EXAMPLES / subdir
        self.exporter, self.consumer = exporter, consumer
        self.load_dir = load_dir
        self.loaded = {}

    def so(self, name, mode):
        abi = "capi" if name == "legacy" else testing.abi_for_mode(mode)
        return testing.build_extension(
            name, [self.dir / (name + ".c")], abi,
            BUILD_DIR / "examples", include_dirs=[self.dir],
            extra_compile_args=compile_args(), extra_link_args=EXTRA_LDFLAGS)

    def pair(self, e_mode, c_mode):
        key = ("e", e_mode)
        if key not in self.loaded:
            self.loaded[key] = testing.load_extension(
                "ex_%s.%s" % (e_mode, self.exporter),
                self.so(self.exporter, e_mode), e_mode, self.load_dir)
        exp = sys.modules[self.exporter] = self.loaded[key]
        key = ("c", e_mode, c_mode)
        if key not in self.loaded:
            self.loaded[key] = testing.load_extension(
                "ex_%s_%s.%s" % (e_mode, c_mode, self.consumer),
                self.so(self.consumer, c_mode), c_mode, self.load_dir)
        return exp, self.loaded[key]


@pytest.fixture(scope="module")
def myarray(tmp_path_factory):
    return Example(".", "myarray", "stats", tmp_path_factory.mktemp("ex"))


@pytest.fixture(scope="module")
def legacy(tmp_path_factory):
    return Example(".", "myarray", "legacy", tmp_path_factory.mktemp("ex"))


@pytest.fixture(scope="module")
def greet(tmp_path_factory):
    return Example("minimal", "greet", "greeter", tmp_path_factory.mktemp("ex"))


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
