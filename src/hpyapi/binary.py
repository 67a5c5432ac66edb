"""Reading the API records hpyapi's generated code leaves in a binary.

Every module built with hpyapi carries, in an ELF section named
``.hpyapi``, one text record per API it exports or imports, so that
``python -m hpyapi check`` can tell what a .so provides and needs without
loading it (loading runs its init, needs its dependencies, and is what
fails in the first place when versions disagree).

Record format 1: NUL-terminated ASCII, NUL padding allowed between records.
What the generated code writes (see hpyapi/decl.h and
docs/reference.md): each C file that exports an API (HPyAPI_DEFINE) or
imports one (the import macros, HPyAPI_USE_DEFINE, HPyAPI_USE_CAPI_DEFINE)
carries the API's declaration and a one-line mark; a file that only
includes the header carries nothing::

    hpyapi 1 declare API MAJOR.MINOR
    INDEX SINCE func|object|retired|data NAME SIGNATURE (one per entry)

    hpyapi 1 export|import|import_capi API

A mark and the declaration of its API in the same binary make one record.
A legacy bridge (HPyAPI_LEGACY_USE) writes a lone mark, a record of its
own with no version or entries::

    hpyapi 1 legacy API

A self-contained record is read too (a count, then that many entries)::

    hpyapi 1 export|import|import-capi API MAJOR.MINOR N

SIGNATURE is the rest of the line and may contain spaces.  Nothing here
trusts the file: anything unreadable becomes a warning, never an exception
other than BinaryError for a file that is not ELF at all.
"""
import collections
import struct

SECTION = ".hpyapi"
FORMAT_VERSION = "1"
RECORD_KINDS = ("export", "import", "import-capi")
MARKS = {"export": "export", "import": "import", "import_capi": "import-capi",
         "legacy": "legacy"}
ENTRY_KINDS = ("func", "object", "retired", "data")

Entry = collections.namedtuple("Entry", "index since kind name signature")


class Record(collections.namedtuple(
        "Record", "kind api major minor entries")):
    """One export or import declaration found in a binary."""

    @property
    def version(self):
        if self.major is None:  # a legacy table: no hpyapi version
            return "-"
        return "%d.%d" % (self.major, self.minor)

    def as_dict(self):
        return {"kind": self.kind, "api": self.api, "version": self.version,
                "major": self.major, "minor": self.minor,
                "entries": [e._asdict() for e in self.entries]}


class BinaryError(Exception):
    """The file cannot be read as an ELF file."""


# (class, data) -> (header format, section header format)
_LAYOUT = {
    (1, "<"): ("<16sHHIIIIIHHHHHH", "<IIIIIIIIII"),
    (1, ">"): (">16sHHIIIIIHHHHHH", ">IIIIIIIIII"),
    (2, "<"): ("<16sHHIQQQIHHHHHH", "<IIQQQQIIQQ"),
    (2, ">"): (">16sHHIQQQIHHHHHH", ">IIQQQQIIQQ"),
}
_SHT_NOBITS = 8
_SHN_XINDEX = 0xFFFF


def _unpack(fmt, data, offset, what):
    size = struct.calcsize(fmt)
    if offset < 0 or offset + size > len(data):
        raise BinaryError("truncated ELF file (%s at offset %d is past the "
                          "end)" % (what, offset))
    return struct.unpack_from(fmt, data, offset)


def read_sections(data, name=SECTION):
    """The contents of every section called `name` in ELF image `data`
    (bytes); [] if there is none."""
    if data[:4] != b"\x7fELF":
        raise BinaryError("not an ELF file")
    if len(data) < 16:
        raise BinaryError("truncated ELF file")
    layout = _LAYOUT.get((data[4], {1: "<", 2: ">"}.get(data[5])))
    if layout is None:
        raise BinaryError("unknown ELF class %d / data encoding %d"
                          % (data[4], data[5]))
    ehdr_fmt, shdr_fmt = layout
    hdr = _unpack(ehdr_fmt, data, 0, "the ELF header")
    shoff, shentsize, shnum, shstrndx = hdr[6], hdr[11], hdr[12], hdr[13]
    if shoff == 0:
        return []  # no section headers (e.g. stripped of them)
    if shentsize < struct.calcsize(shdr_fmt):
        raise BinaryError("section header size %d is too small" % shentsize)

    def shdr(i):
        return _unpack(shdr_fmt, data, shoff + i * shentsize,
                       "section header %d" % i)

    # more than 0xff00 sections: the real counts live in section 0
    if shnum == 0:
        shnum = shdr(0)[5]
    if shstrndx == _SHN_XINDEX:
        shstrndx = shdr(0)[6]
    if shoff + shnum * shentsize > len(data):
        raise BinaryError("truncated ELF file (its %d section headers end at "
                          "byte %d, the file has %d)"
                          % (shnum, shoff + shnum * shentsize, len(data)))
    strtab = shdr(shstrndx)
    str_off, str_size = strtab[4], strtab[5]
    if str_off + str_size > len(data):
        raise BinaryError("the section name table is past the end of file")
    names = data[str_off:str_off + str_size]
    wanted = name.encode()
    out = []
    for i in range(shnum):
        sh_name, sh_type, _, _, off, size = shdr(i)[:6]
        end = names.find(b"\0", sh_name)
        if names[sh_name:end if end >= 0 else len(names)] != wanted:
            continue
        if sh_type == _SHT_NOBITS:
            continue
        if off + size > len(data):
            raise BinaryError("section %s is past the end of the file" % name)
        out.append(data[off:off + size])
    return out


def _parse_entry(line, position):
    parts = line.split(" ", 4)
    if len(parts) != 5:
        raise ValueError("entry line %r has fewer than 5 fields" % line)
    index, since, kind, name, sig = parts
    if not (index.isdigit() and since.isdigit()):
        raise ValueError("entry line %r: index and since must be numbers"
                         % line)
    if int(index) != position:
        raise ValueError("entry line %r: index %s at position %d"
                         % (line, index, position))
    if kind not in ENTRY_KINDS:
        raise ValueError("entry line %r: unknown kind %r" % (line, kind))
    if not name or not sig:
        raise ValueError("entry line %r: no name or signature" % line)
    return Entry(int(index), int(since), kind, name, sig)


def parse_record(text):
    """A Record from one record's text; ValueError says what is wrong."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    head = lines[0].split(" ") if lines else []
    if len(head) < 2 or head[0] != "hpyapi":
        raise ValueError("not an hpyapi record: %r" % text[:60])
    if head[1] != FORMAT_VERSION:
        raise ValueError("record format %r is not one this hpyapi reads "
                         "(%s); a newer hpyapi wrote it" % (head[1][:20],
                                                             FORMAT_VERSION))
    if len(head) == 4 and head[2] in MARKS and len(lines) == 1:
        return Record(head[2], head[3], None, None, ())  # a mark
    if len(head) == 5 and head[2] == "declare":
        head.append(str(len(lines) - 1))
    if len(head) != 6:
        raise ValueError("header line %r needs 6 fields" % lines[0])
    _, _, kind, api, version, count = head
    if kind not in RECORD_KINDS + ("declare",):
        raise ValueError("header line %r: unknown kind %r" % (lines[0], kind))
    major, dot, minor = version.partition(".")
    if not (dot and major.isdigit() and minor.isdigit() and count.isdigit()):
        raise ValueError("header line %r: bad version or count" % lines[0])
    if len(lines) - 1 != int(count):
        raise ValueError("%s record for %s says %s entries but has %d"
                         % (kind, api, count, len(lines) - 1))
    entries = tuple(_parse_entry(ln, i) for i, ln in enumerate(lines[1:]))
    return Record(kind, api, int(major), int(minor), entries)


def join_marks(records, warnings):
    """Marks joined with their API's declaration; self-contained records
    as they are."""
    decls = {}
    for r in records:
        if r.kind == "declare":
            decls.setdefault(r.api, []).append(r)
    out = []
    for r in records:
        if r.kind == "declare":
            continue
        if r.major is not None or r.kind == "legacy":
            rec = r
        elif len(decls.get(r.api, [])) == 1:
            d = decls[r.api][0]
            rec = Record(MARKS[r.kind], r.api, d.major, d.minor, d.entries)
        else:
            warnings.append("skipped a record: the %s mark of the %s API has "
                            "%s declaration of it in the same file"
                            % (r.kind, r.api, "no" if r.api not in decls
                               else "more than one"))
            continue
        if rec not in out:
            out.append(rec)
    return out


def parse_section(data):
    """(records, warnings) from a section's bytes, marks not joined."""
    records, warnings = [], []
    for chunk in data.split(b"\0"):
        if not chunk:
            continue  # padding between records
        try:
            text = chunk.decode("ascii")
            rec = parse_record(text)
        except (UnicodeDecodeError, ValueError) as e:
            reason = ("not ASCII" if isinstance(e, UnicodeDecodeError)
                      else str(e))
            warnings.append("skipped a record: %s" % reason)
            continue
        if rec not in records:  # each C file of a module may emit one
            records.append(rec)
    return records, warnings


def read_records(path):
    """(records, warnings) of the binary at `path`; raises BinaryError
    (or OSError) for a file that cannot be read as ELF."""
    with open(path, "rb") as f:
        data = f.read()
    records, warnings = [], []
    for section in read_sections(data):
        r, w = parse_section(section)
        records += [x for x in r if x not in records]
        warnings += w
    return join_marks(records, warnings), warnings
