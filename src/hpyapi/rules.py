"""The import compatibility rules and their messages, in one place.

HPyAPI_Import (runtime/validate.c) refuses an exporter's capsule by the
first rule below that fails, and `python -m hpyapi check` (hpyapi.check)
applies the rules marked `offline` to the records of binaries, in the same
order and with the same words.  From this table come:

- src/hpyapi/runtime/rules.h, checked in: per rule a macro
  HPYAPI_RULE_<ID>(f) that expands to the printf format and its arguments
  taken from an HPyAPI_RuleFacts `f` (`python -m hpyapi.rules` prints it;
  tests/test_rules.py fails when the file differs);
- message(), which check.py uses;
- problem(), the short forms hpyapi.capsule reports when a module's own
  capsule breaks a rule (describe(), hooks(), stats());
- doc_list(), the list of rules in docs/reference.md (between the
  `rules:` markers; tests/test_rules.py compares).

A template is a str.format string over FIELDS; `{consumer}` is "this
extension" at run time and "the consumer" offline, `{module}` the
exporting module (its file, offline).  The numbers the Python side needs
from the C headers (magic, layout, limits) are read from them by
c_constant(), so that they too are written once.
"""
import os
import re
import string

# field -> printf conversion ("s": a string, "u": an unsigned number, "p":
# an address; Python passes its text)
FIELDS = {
    "module": "s", "api": "s", "consumer": "s", "found": "s", "field": "s",
    "name": "s", "signature": "s", "what": "s", "found_what": "s",
    "found_release": "s", "release": "s", "table": "s", "found_table": "s",
    "at_most": "s",
    "found_magic": "u", "magic": "u", "found_layout": "u", "layout": "u",
    "found_size": "u", "size": "u", "major": "u", "minor": "u",
    "found_major": "u", "found_minor": "u", "min_minor": "u",
    "n_entries": "u", "needed": "u", "most": "u", "index": "u",
    "max_string": "u", "found_version": "u", "address": "p",
}


class Rule:
    def __init__(self, id, doc, template, offline=False, short=None):
        self.id, self.doc, self.template, self.offline = (id, doc, template,
                                                          offline)
        # what hpyapi.capsule (describe(), hooks(), stats()) says when a
        # module's own capsule breaks the rule: the problem alone, to which
        # it adds that the capsule is corrupted or forged
        self.short = short


def _short(**shorts):
    for rule_id, text in shorts.items():
        BY_ID[rule_id].short = text


# In the order HPyAPI_Import applies them (validate.c); `doc` is the line
# of docs/reference.md.
RULES = [
    Rule("MIN_MINOR",
         "the minimum minor a consumer asks for (HPyAPI_ImportMinor) is one "
         "its own declaration knows",
         "{consumer} asks for {api} {major}.{min_minor} at least, but was "
         "built against {api} {major}.{minor}, whose header does not know "
         "that version; lower the minimum minor it passes to "
         "HPyAPI_ImportMinor"),
    Rule("NULL_HEADER", "the capsule holds a header",
         "the capsule holds a NULL pointer; the module must publish its "
         "table with HPyAPI_Export"),
    Rule("MAGIC", "the header starts with hpyapi's magic number",
         "the capsule's header starts with 0x{found_magic:08x}, not "
         "hpyapi's magic 0x{magic:08x}: it was not made by HPyAPI_Export or "
         "its memory is corrupted"),
    Rule("LAYOUT_OLDER",
         "both sides were built with an hpyapi of the same capsule layout "
         "(`HPYAPI_LAYOUT_VERSION`)",
         "'{module}' was built with hpyapi {found_release} (capsule layout "
         "{found_layout}) and {consumer} with hpyapi {release} (layout "
         "{layout}), which cannot call each other's tables; rebuild the "
         "exporter with this hpyapi (or newer)"),
    Rule("LAYOUT_NEWER", None,
         "'{module}' was built with hpyapi {found_release} (capsule layout "
         "{found_layout}) and {consumer} with hpyapi {release} (layout "
         "{layout}), which cannot call each other's tables; rebuild "
         "{consumer} with the exporter's hpyapi"),
    Rule("HEADER_SIZE", "the header is at least as large as this layout's",
         "the capsule's header has layout version {found_layout} and size "
         "{found_size}; this build of hpyapi reads layout {layout}, size >= "
         "{size}; rebuild '{module}' with a current hpyapi"),
    Rule("TABLE_KIND",
         "it holds the table kind asked for (HPy or CPython C-API)",
         "the capsule holds the {found_table} table, {consumer} expects the "
         "{table} table"),
    Rule("API_NAME", "it is for the API of that name",
         "the capsule is for the API '{found}', not '{api}'"),
    Rule("MAJOR", "same major version", offline=True,
         template="'{module}' exports {api} {found_major}.{found_minor} but "
         "{consumer} was built against {api} {major}.{minor}, and major "
         "versions must match; rebuild {consumer} against the {api} "
         "{found_major}.x headers, or install a '{module}' that exports "
         "{api} {major}.x"),
    Rule("MINOR",
         "the exporter's minor is at least the consumer's (a consumer that "
         "imports with `HPyAPI_ImportMinor` may accept an older minor at "
         "run time; `check` reads the minor it was compiled against)",
         offline=True,
         template="'{module}' exports {api} {found_major}.{found_minor} but "
         "{consumer} needs {api} {major}.{min_minor} or newer: '{module}' is "
         "too old; upgrade it (or, if {consumer} can do without the entries "
         "added since {found_major}.{found_minor}, import with "
         "HPyAPI_ImportMinor and that minor)"),
    Rule("TOO_FEW",
         "it has every entry up to the last one added in the consumer's "
         "minor", offline=True,
         template="'{module}' exports {n_entries} entries but {consumer} "
         "needs the first {needed} (those of {api} {major}.{min_minor}); "
         "'{module}' claims version {found_major}.{found_minor} yet lacks "
         "some, so it was built from a modified declaration"),
    Rule("TOO_MANY",
         "and no more than its minor holds (at most `HPYAPI_MAX_ENTRIES` "
         "for a minor newer than the consumer's)",
         "the capsule's header field n_entries is {n_entries}, but {api} "
         "{found_major}.{found_minor} has {at_most}{most} entries; the "
         "header is corrupted or forged (a real '{module}' never claims "
         "more entries than its version holds): reinstall '{module}'"),
    Rule("NO_LIST", "the header has an entry list and a table",
         "the capsule's header has no {field}"),
    Rule("BACK_POINTER", "the table points back to its header",
         "the capsule's table does not point back to its header; the "
         "capsule memory is corrupted"),
    Rule("FIELD_NULL", "module_name, token and control are set",
         "the capsule's header field {field} is NULL; HPyAPI_Export always "
         "sets it, so the capsule is corrupted or forged: reinstall "
         "'{module}'"),
    Rule("MODULE_NAME", "module_name is a string shorter than "
         "`HPYAPI_MAX_STRING`",
         "the capsule's header field module_name is not a string of fewer "
         "than {max_string} bytes; the capsule is corrupted or forged: "
         "reinstall '{module}'"),
    Rule("CONTROL", "the control block is of a version and size this "
         "hpyapi reads",
         "the capsule's control block has version {found_version} and size "
         "{found_size}; this build of hpyapi reads version 1, size >= "
         "{size}; the capsule is corrupted or forged: reinstall '{module}'"),
    Rule("CONTROL_NULL", "every control function is set (`table_for` for "
         "the HPy table)",
         "the capsule's control function {field} is NULL; HPyAPI_Export "
         "always sets it, so the capsule is corrupted or forged: reinstall "
         "'{module}'"),
    Rule("ENTRY_NAME", "every entry both declare has the same name at the "
         "same index", offline=True,
         template="entry {index} is '{found}' in '{module}' but '{name}' in "
         "{consumer}'s declaration; entries must keep their index, so one "
         "of the two declarations was edited out of order"),
    Rule("ENTRY_SIGNATURE",
         "and the same signature after normalisation (`hpyapi.signature`, "
         "the same rules as the C normaliser: `HPy (HPy)` and `HPy(HPy)` "
         "agree, `long` and `int64_t` do not)", offline=True,
         template="entry {index} '{name}' has signature {found} in "
         "'{module}' but {signature} in {consumer}'s declaration; a changed "
         "signature needs a new entry (or a major version)"),
    Rule("ENTRY_DATA", "and is exported data on both sides or on neither",
         offline=True,
         template="entry {index} '{name}' is {found_what} in '{module}' but "
         "{what} in {consumer}'s declaration; the slot cannot be read both "
         "ways"),
    Rule("SLOT_NULL", "every table slot is filled",
         "table slot {index} ('{name}') is NULL; HPyAPI_Export fills every "
         "slot, so the capsule is corrupted or forged: reinstall "
         "'{module}'"),
    # runtime/import.c, before it calls the exporter for the first time
    Rule("CONTROL_CODE", "the control function an import calls "
         "(register_importer) lies in a loaded shared object",
         "the capsule's control function {field} ({address}) is not code "
         "of any loaded shared object; the capsule is corrupted or forged: "
         "reinstall '{module}'"),
]
BY_ID = {r.id: r for r in RULES}

# The rules hpyapi.capsule applies to a module's capsule on its own (there
# is no consumer's declaration to compare with).
_short(
    NULL_HEADER="it holds a NULL pointer",
    MAGIC="the header starts with 0x{found_magic:08x}, not the magic "
          "0x{magic:08x}",
    LAYOUT_OLDER="the header has layout version {found_layout} (hpyapi "
                 "{found_release}); this hpyapi ({release}) reads layout "
                 "{layout}: rebuild the exporter with this hpyapi, or use the "
                 "hpyapi it was built with",
    HEADER_SIZE="the header has layout version {found_layout} and size "
                "{found_size}; expected layout {layout} and size >= {size}",
    TABLE_KIND="header field table_kind is {found_table}, expected {table}",
    API_NAME="header field api_name is {found!r}, not {api!r}",
    TOO_MANY="header field n_entries is {n_entries}, more than the {most} "
             "any API may have",
    FIELD_NULL="header field {field} is NULL",
    BACK_POINTER="the table does not point back to its header",
    CONTROL="the control block has version {found_version} and size "
            "{found_size}; expected version >= 1 and size >= {size}",
    CONTROL_NULL="control function {field} is {found}",
    SLOT_NULL="entry {index} ({name}) is exported data but its table slot "
              "is NULL")
BY_ID["LAYOUT_NEWER"].short = BY_ID["LAYOUT_OLDER"].short
BY_ID["NO_LIST"].short = BY_ID["FIELD_NULL"].short


def _fields(template):
    return [(f, spec) for _, f, spec, _ in string.Formatter().parse(template)
            if f is not None]


def message(rule_id, **facts):
    """Rule `rule_id`'s message with `facts` (every field it names)."""
    return BY_ID[rule_id].template.format(**facts)


def problem(rule_id, **facts):
    """Rule `rule_id`'s short form (what hpyapi.capsule reports)."""
    return BY_ID[rule_id].short.format(**facts)


def _c_format(template):
    out = []
    for text, f, spec, _ in string.Formatter().parse(template):
        out.append(text.replace("%", "%%").replace("\\", "\\\\")
                   .replace('"', '\\"'))
        if f is not None:
            out.append("%" + (spec or FIELDS[f]))
    return "".join(out)


def _c_string(s, indent):
    """`s` as C string literals of at most 79 columns, one per line."""
    words, lines, cur = re.findall(r"\S+\s*", s), [], ""
    for w in words:
        if cur and indent + len(cur) + len(w) + 4 > 77:
            lines.append(cur)
            cur = ""
        cur += w
    lines.append(cur)
    return (" \\\n" + " " * indent).join('"%s"' % line for line in lines)


def c_header():
    """The text of src/hpyapi/runtime/rules.h."""
    out = ["/* rules.h - generated by `python -m hpyapi.rules` from "
           "src/hpyapi/rules.py;",
           " * do not edit (tests/test_rules.py compares).  Per "
           "compatibility rule, the",
           " * printf format of its message and the arguments, read from "
           "an",
           " * HPyAPI_RuleFacts; used by runtime/validate.c and import.c. */",
           "#ifndef HPYAPI_RUNTIME_RULES_H",
           "#define HPYAPI_RUNTIME_RULES_H", "",
           "typedef struct HPyAPI_RuleFacts {"]
    for f, kind in FIELDS.items():
        out.append("    %s%s;" % ({"s": "const char *", "u": "unsigned ",
                                   "p": "const void *"}[kind], f))
    out.append("} HPyAPI_RuleFacts;")
    for r in RULES:
        out.append("")
        out.append("#define HPYAPI_RULE_%s(f) \\" % r.id)
        args = ["(f)->%s" % f for f, _ in _fields(r.template)]
        out.append("    " + _c_string(_c_format(r.template), 4) +
                   (", \\" if args else ""))
        if not args:
            continue
        line = "   "
        for i, a in enumerate(args):
            a = " " + a + ("," if i + 1 < len(args) else "")
            if len(line) + len(a) > 77:
                out.append(line + " \\")
                line = "   "
            line += a
        out.append(line)
    out += ["", "#endif /* HPYAPI_RUNTIME_RULES_H */", ""]
    return "\n".join(out)


def doc_list():
    """The rules as docs/reference.md lists them (markdown)."""
    items = [r.doc + (" *(check)*" if r.offline else "")
             for r in RULES if r.doc]
    return "\n".join("%d. %s;" % (i + 1, d) if i + 1 < len(items)
                     else "%d. %s." % (i + 1, d)
                     for i, d in enumerate(items))


_HERE = os.path.dirname(os.path.abspath(__file__))


def c_constants(prefix, header="abi.h"):
    """{name without `prefix`: value} of every `#define <prefix>...` in
    include/hpyapi/<header> whose value is an integer or a string, so that
    Python and C share one definition."""
    path = os.path.join(_HERE, "include", "hpyapi", header)
    with open(path) as f:
        found = re.findall(r"^#define %s(\w*)\s+(\S+)" % re.escape(prefix),
                           f.read(), re.M)
    out = {}
    for name, v in found:
        if v.startswith('"'):
            out[name] = v.strip('"')
        elif re.match(r"^(0x[0-9a-fA-F]+|\d+)[uUlL]*$", v):
            out[name] = int(v.rstrip("uUlL"), 0)
    return out


def c_constant(name, header="abi.h"):
    """The value of `#define name` in include/hpyapi/<header>."""
    try:
        return c_constants(name, header)[""]
    except KeyError:
        raise LookupError("include/hpyapi/%s defines no %s" % (header, name))


if __name__ == "__main__":
    print(c_header(), end="")
