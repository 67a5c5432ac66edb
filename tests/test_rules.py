"""One source for the import compatibility rules (src/hpyapi/rules.py):
the C import's messages (runtime/rules.h), `check` and the docs' list all
come from it, and the constants the Python side needs are the C headers'."""
import re

from conftest import REPO
from hpyapi import capsule, rules

SRC = REPO / "src" / "hpyapi"


def test_generated_header_is_current():
    # regenerate with: python -m hpyapi.rules > src/hpyapi/runtime/rules.h
    assert (SRC / "runtime" / "rules.h").read_text() == rules.c_header()


def test_docs_list_is_the_table():
    doc = (REPO / "docs" / "reference.md").read_text()
    listed = doc.split("<!-- rules: begin")[1].split("-->\n", 1)[1]
    assert listed.split("\n<!-- rules: end -->")[0] == rules.doc_list()


def test_the_c_import_applies_every_rule():
    used = set(re.findall(r"FAIL\((\w+)\);", (SRC / "runtime" / "validate.c")
                          .read_text()))
    used |= set(re.findall(r"HPYAPI_RULE_(\w+)\(f\)", (SRC / "runtime" /
                                                      "import.c").read_text()))
    used |= set(re.findall(r"FAIL\((\w+)\)\s*:\s*FAIL\((\w+)\)",
                           (SRC / "runtime" / "validate.c").read_text())[0])
    assert sorted(used) == sorted(r.id for r in rules.RULES)


def test_check_applies_the_offline_rules():
    used = re.findall(r'rules\.message\(\s*"(\w+)"',
                      (SRC / "check.py").read_text())
    assert used == [r.id for r in rules.RULES if r.offline]


def test_every_field_is_typed_and_used():
    seen = {f for r in rules.RULES for f, _ in rules._fields(r.template)}
    assert seen == set(rules.FIELDS)


def test_message_and_c_format_say_the_same():
    facts = {f: ("<%s>" % f if k in "sp" else 7)
             for f, k in rules.FIELDS.items()}
    for r in rules.RULES:
        fmt = rules._c_format(r.template).replace("%%", "%").replace("%p",
                                                                    "%s")
        args = [facts[f] for f, _ in rules._fields(r.template)]
        fmt = fmt.replace("%u", "%d")
        assert fmt % tuple(args) == rules.message(r.id, **facts), r.id


def test_python_constants_are_the_headers():
    abi = (SRC / "include" / "hpyapi" / "abi.h").read_text()
    limits = (SRC / "include" / "hpyapi" / "limits.h").read_text()
    assert "#define HPYAPI_MAGIC 0x%08xu" % capsule.MAGIC in abi
    assert "#define HPYAPI_LAYOUT_VERSION %du" % capsule.LAYOUT_VERSION in abi
    assert "#define HPYAPI_MAX_ENTRIES %du" % capsule.MAX_ENTRIES in limits
    assert "#define HPYAPI_MAX_STRING %du" % capsule.MAX_STRING in limits


def test_capsule_checks_apply_the_short_forms():
    text = (SRC / "capsule.py").read_text()
    used = set(re.findall(r'rule\(\s*"(\w+)"', text) +
               re.findall(r'rules\.problem\(\s*"(\w+)"', text))
    with_short = {r.id for r in rules.RULES if r.short}
    # LAYOUT_NEWER and NO_LIST share the short form of LAYOUT_OLDER and
    # FIELD_NULL, which capsule.py reports for both
    assert used == with_short - {"LAYOUT_NEWER", "NO_LIST"}
