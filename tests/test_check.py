"""python -m hpyapi check: API records read from binaries without loading
them.  The binaries are plain shared objects whose .hpyapi section holds
hand-written records, built with gcc; the generated code of hpyapi's macros
emits the same records."""
import json
import subprocess
import sys

import pytest

from hpyapi import binary
from hpyapi.check import check

EXPORT_12 = ("hpyapi 1 export demo 1.2 3\n"
             "0 0 func f HPy(HPy)\n"
             "1 1 object T HPy(void)\n"
             "2 2 func g double(const HPy *,HPy_ssize_t)\n")
# another spelling of the same signatures: equal after normalisation
IMPORT_11 = ("hpyapi 1 import demo 1.1 2\n"
             "0 0 func f HPy (HPy)\n"
             "1 1 object T HPy(void)\n")
IMPORT_12 = ("hpyapi 1 import demo 1.2 3\n"
             "0 0 func f HPy(HPy)\n"
             "1 1 object T HPy(void)\n"
             "2 2 func g double(HPy const*, Py_ssize_t)\n")


def so(tmp_path, name, *records):
    """A shared object with `records` (str, or bytes for raw section
    content) in its .hpyapi section, each as its own array."""
    src = ["int %s_marker(void) { return 1; }" % name]
    for i, rec in enumerate(records):
        if isinstance(rec, str):
            rec = rec.encode()
        body = "".join("\\x%02x" % b for b in rec)
        src.append('static const char rec%d[%d] __attribute__((section('
                   '".hpyapi"), used)) = "%s";' % (i, len(rec) + 1, body))
    c = tmp_path / (name + ".c")
    c.write_text("\n".join(src) + "\n")
    out = tmp_path / (name + ".so")
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(out), str(c)],
                   check=True)
    return str(out)


def cli(*args):
    return subprocess.run([sys.executable, "-m", "hpyapi"] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)


def problems(report):
    return [p for r in report["results"] for p in r["problems"]]


def test_reads_records_from_the_section(tmp_path):
    path = so(tmp_path, "exp", EXPORT_12, IMPORT_11)
    records, warnings = binary.read_records(path)
    assert warnings == []
    assert [(r.kind, r.api, r.version) for r in records] == [
        ("export", "demo", "1.2"), ("import", "demo", "1.1")]
    assert records[0].entries[2] == binary.Entry(
        2, 2, "func", "g", "double(const HPy *,HPy_ssize_t)")
    assert records[1].entries[0].signature == "HPy (HPy)"


def test_listing_and_satisfied(tmp_path):
    exp = so(tmp_path, "exporter", EXPORT_12)
    use = so(tmp_path, "consumer", IMPORT_11)
    capi = so(tmp_path, "legacy", IMPORT_12.replace(" import ",
                                                    " import-capi "))
    res = cli("check", exp, use, capi)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.splitlines() == [
        exp, "  exports        demo 1.2 (3 entries)",
        use, "  needs          demo 1.1 (2 entries)",
        capi, "  needs (C-API)  demo 1.2 (3 entries)",
        "",
        "ok       consumer.so needs demo 1.1: provided by exporter.so",
        "ok       legacy.so needs demo 1.2: provided by exporter.so",
        "",
        "2 of 2 imports satisfied"]


def test_entries_listing(tmp_path):
    exp = so(tmp_path, "exporter", EXPORT_12)
    res = cli("check", "--entries", exp)
    assert res.returncode == 0
    assert res.stdout.splitlines()[2:5] == [
        "        0  f  func     1.0  HPy(HPy)",
        "        1  T  object   1.1  HPy(void)",
        "        2  g  func     1.2  double(const HPy *,HPy_ssize_t)"]


def test_json_output(tmp_path):
    exp = so(tmp_path, "exporter", EXPORT_12)
    use = so(tmp_path, "consumer", IMPORT_11)
    res = cli("check", "--json", exp, use)
    assert res.returncode == 0
    out = json.loads(res.stdout)
    assert out["ok"] is True
    assert out["files"][0]["exports"][0]["entries"][1] == {
        "index": 1, "since": 1, "kind": "object", "name": "T",
        "signature": "HPy(void)"}
    assert out["files"][1]["imports"][0]["version"] == "1.1"
    assert out["results"] == [{
        "consumer": use, "api": "demo", "version": "1.1", "kind": "import",
        "satisfied": True, "by": [exp], "problems": [], "notes": []}]


# the import's messages (hpyapi.rules), with the exporter's file for its
# module; EXP stands for it
UNSATISFIED = {
    "missing API": (IMPORT_11.replace(" demo ", " other "),
                    "no file given exports the other API"),
    "major mismatch": (IMPORT_11.replace("demo 1.1", "demo 2.1"),
                       "'EXP' exports demo 1.2 but the consumer was built "
                       "against demo 2.1, and major versions must match; "
                       "rebuild the consumer against the demo 1.x headers, "
                       "or install a 'EXP' that exports demo 2.x"),
    "minor too old": (IMPORT_12.replace("1.2 3", "1.3 4") +
                      "3 3 func h int(void)\n",
                      "'EXP' exports demo 1.2 but the consumer needs demo "
                      "1.3 or newer: 'EXP' is too old; upgrade it (or, if "
                      "the consumer can do without the entries added since "
                      "1.2, import with HPyAPI_ImportMinor and that minor)"),
    "signature mismatch": (IMPORT_12.replace("HPy const*", "HPy *"),
                           "entry 2 'g' has signature double(const HPy *,"
                           "HPy_ssize_t) in 'EXP' but double(HPy *, "
                           "Py_ssize_t) in the consumer's declaration; a "
                           "changed signature needs a new entry (or a major "
                           "version)"),
    "entry renamed": (IMPORT_11.replace(" f ", " ff "),
                      "entry 0 is 'f' in 'EXP' but 'ff' in the consumer's "
                      "declaration; entries must keep their index, so one of "
                      "the two declarations was edited out of order"),
}


@pytest.mark.parametrize("case", sorted(UNSATISFIED))
def test_unsatisfied(tmp_path, case):
    record, message = UNSATISFIED[case]
    exp = so(tmp_path, "exporter", EXPORT_12)
    use = so(tmp_path, "consumer", record)
    message = message.replace("EXP", exp)
    assert problems(check([exp, use])) == [message]
    res = cli("check", exp, use)
    assert res.returncode == 1
    out = res.stdout.splitlines()
    assert out[-4].startswith("MISSING  consumer.so needs ")
    assert out[-3] == "         - " + message
    assert out[-1] == "0 of 1 imports satisfied"


def test_exporter_claiming_a_minor_without_its_entries(tmp_path):
    short = EXPORT_12.replace(" 3\n", " 1\n").split("1 1 object")[0]
    exp = so(tmp_path, "exporter", short)
    use = so(tmp_path, "consumer", IMPORT_11)
    assert problems(check([exp, use])) == [
        "'{0}' exports 1 entries but the consumer needs the first 2 (those "
        "of demo 1.1); '{0}' claims version 1.2 yet lacks some, so it was "
        "built from a modified declaration".format(exp)]


def test_newer_exporter_among_several_satisfies(tmp_path):
    old = so(tmp_path, "old", EXPORT_12.replace("1.2 3", "1.0 1").split(
        "1 1 object")[0])
    new = so(tmp_path, "new", EXPORT_12)
    use = so(tmp_path, "consumer", IMPORT_12)
    (res,) = check([old, new, use])["results"]
    assert res["satisfied"] and res["by"] == [new] and res["problems"] == []
    (res,) = check([old, use])["results"]
    assert not res["satisfied"]


def test_retired_entry_is_a_note(tmp_path):
    exp = so(tmp_path, "exporter", EXPORT_12.replace("func f", "retired f"))
    use = so(tmp_path, "consumer", IMPORT_11)
    (res,) = check([exp, use])["results"]
    assert res["satisfied"]
    assert res["notes"] == [exp + ": entry 0 'f' is retired in the "
                            "exporter: calling it raises"]


def test_garbage_is_reported_and_skipped(tmp_path):
    bad = so(tmp_path, "bad",
             "hpyapi 2 export demo 1.0 0\n",            # a future format
             "hello world",                             # not a record
             b"hpyapi 1 export \xff 1.0 0\n",           # not ASCII
             "hpyapi 1 export demo 1.0 2\n0 0 func f HPy(HPy)\n",
             "hpyapi 1 export demo 1.x 0\n",
             "hpyapi 1 export demo 1.0 1\n0 0 method f HPy(HPy)\n",
             "hpyapi 1 export demo 1.0 1\n1 0 func f HPy(HPy)\n",
             "hpyapi 1 export demo 1.0 1\n0 0 func f\n",
             # padding NULs, then a good record in the same array
             b"\0\0\0" + EXPORT_12.encode())
    records, warnings = binary.read_records(bad)
    assert [r.version for r in records] == ["1.2"]
    assert warnings == [
        "skipped a record: record format '2' is not one this hpyapi reads "
        "(1); a newer hpyapi wrote it",
        "skipped a record: not an hpyapi record: 'hello world'",
        "skipped a record: not ASCII",
        "skipped a record: export record for demo says 2 entries but has 1",
        "skipped a record: header line 'hpyapi 1 export demo 1.x 0': bad "
        "version or count",
        "skipped a record: entry line '0 0 method f HPy(HPy)': unknown kind "
        "'method'",
        "skipped a record: entry line '1 0 func f HPy(HPy)': index 1 at "
        "position 0",
        "skipped a record: entry line '0 0 func f' has fewer than 5 fields"]
    res = cli("check", bad)
    assert res.returncode == 0  # nothing imported, nothing missing
    assert res.stdout.count("  warning: skipped a record: ") == 8


def test_not_elf_and_unreadable(tmp_path):
    text = tmp_path / "notes.so"
    text.write_text("not a binary\n")
    real = so(tmp_path, "real", EXPORT_12)
    truncated = tmp_path / "truncated.so"
    truncated.write_bytes(open(real, "rb").read()[:200])
    missing = tmp_path / "missing.so"
    report = check([str(text), str(truncated), str(missing)])
    assert [f["error"] for f in report["files"]] == [
        "not an ELF file",
        "truncated ELF file (its %d section headers end at byte %d, the file "
        "has 200)" % _section_headers_end(real),
        "No such file or directory"]
    assert report["ok"] is False
    res = cli("check", str(text))
    assert res.returncode == 1
    assert res.stdout.splitlines()[:2] == [str(text),
                                           "  error: not an ELF file"]


def _section_headers_end(path):
    import struct
    data = open(path, "rb").read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    return shnum, shoff + shnum * shentsize


def test_binary_without_the_section(tmp_path):
    plain = so(tmp_path, "plain")
    assert binary.read_records(plain) == ([], [])
    res = cli("check", plain)
    assert res.returncode == 0
    assert res.stdout.splitlines()[1] == (
        "  no hpyapi records (not built with hpyapi, or with a version that "
        "wrote none)")


def test_consumer_without_its_exporter_fails(tmp_path):
    use = so(tmp_path, "consumer", IMPORT_11)
    res = cli("check", use)
    assert res.returncode == 1
    assert "no file given exports the demo API" in res.stdout


def test_usage_errors(tmp_path):
    res = cli("check")
    assert res.returncode == 2
    assert "the following arguments are required: FILE" in res.stderr
    res = cli("check", "--bogus", "x.so")
    assert res.returncode == 2


def test_damaged_binaries_never_crash_the_reader(tmp_path):
    import random
    data = bytearray(open(so(tmp_path, "real", EXPORT_12), "rb").read())
    rng = random.Random(9)
    header_end = _section_headers_end(str(tmp_path / "real.so"))[1]
    outcomes = set()
    for _ in range(400):
        d = bytearray(data)
        for _ in range(rng.randint(1, 8)):  # the headers, where it matters
            pos = rng.choice([rng.randrange(64),
                              rng.randrange(header_end - 64 * 25, header_end)])
            d[pos] = rng.randrange(256)
        if rng.random() < 0.2:
            d = d[:rng.randrange(len(d))]
        try:
            for section in binary.read_sections(bytes(d)):
                binary.parse_section(section)
            outcomes.add("read")
        except binary.BinaryError:
            outcomes.add("refused")
    assert outcomes == {"read", "refused"}


def test_reference_doc_shows_real_output(tmp_path):
    from conftest import REPO
    doc = (REPO / "docs" / "reference.md").read_text()
    cmd = "$ python -m hpyapi check myarray.so stats.so legacy.so\n"
    shown = doc.split(cmd)[1].split("```")[0]
    so(tmp_path, "myarray", EXPORT_12.replace("demo", "myarray"))
    so(tmp_path, "stats", IMPORT_11.replace("demo", "myarray"))
    so(tmp_path, "legacy", IMPORT_12.replace("demo", "myarray").replace(
        "1.2 3", "1.3 4").replace(" import ", " import-capi ") +
        "3 3 func h int(void)\n")
    res = subprocess.run([sys.executable, "-m", "hpyapi", "check",
                          "myarray.so", "stats.so", "legacy.so"],
                         cwd=tmp_path, stdout=subprocess.PIPE, text=True)
    assert res.returncode == 1
    assert res.stdout == shown
