"""Reading an exporter's capsules from Python: a ctypes mirror of
include/hpyapi/abi.h (the binary contract) and the lookups built on it.

Used by hpyapi.describe(), hpyapi.hooks() and the tests that forge headers.
"""
import ctypes
from ctypes import (POINTER, Structure, c_char_p, c_int, c_int32, c_uint32,
                    c_uint64, c_void_p, py_object)

from hpyapi import rules
from hpyapi.rules import c_constant, c_constants

# abi.h's, read from it: the magic number, and the layout (2 since hpyapi
# 0.2: table_for, and the header's hpyapi_version); consumers refuse
# exporters of another layout
MAGIC = c_constant("HPYAPI_MAGIC")
LAYOUT_VERSION = c_constant("HPYAPI_LAYOUT_VERSION")
TABLE_HPY = c_constant("HPYAPI_TABLE_HPY")
TABLE_CPYTHON = c_constant("HPYAPI_TABLE_CPYTHON")
# a legacy bridge's header on its consumer
TABLE_LEGACY = c_constant("HPYAPI_TABLE_LEGACY", "legacy.h")
ENTRY_FUNC, ENTRY_OBJECT, ENTRY_RETIRED, ENTRY_DATA = (
    c_constant("HPYAPI_ENTRY_" + k) for k in ("FUNC", "OBJECT", "RETIRED",
                                              "DATA"))
HOOK_COUNT, HOOK_TIME, HOOK_LOG, HOOK_REFUSE = (
    c_constant("HPYAPI_HOOK_" + k) for k in ("COUNT", "TIME", "LOG",
                                             "REFUSE"))
# {HPYAPI_KIND_*: "cpython", ...} and {HPYAPI_ABI_*: ...}, as abi.h names them
KINDS = {v: k.lower() for k, v in c_constants("HPYAPI_KIND_").items()}
ABIS = {v: k.lower() for k, v in c_constants("HPYAPI_ABI_").items()}


class EntryInfo(Structure):
    _fields_ = [("name", c_char_p), ("signature", c_char_p),
                ("since_minor", c_uint32), ("flags", c_uint32)]


class StatRecord(Structure):
    _fields_ = [("caller", c_char_p), ("entry", c_uint32),
                ("caller_kind", c_uint32), ("calls", c_uint64),
                ("refused", c_uint64), ("ns", c_uint64)]


# The control functions need the GIL: ctypes releases it around CFUNCTYPE
# calls, PYFUNCTYPE ones keep it.
_PF = ctypes.PYFUNCTYPE


class Control(Structure):
    _fields_ = [
        ("version", c_uint32), ("size", c_uint32),
        ("set_flags", _PF(c_int, c_void_p, c_int32, c_uint32, c_uint32)),
        ("get_flags", _PF(c_int, c_void_p, c_int32)),
        # PyObject * arguments as addresses (obj_ptr), so that None can
        # mean NULL; the exporter takes its own reference
        ("set_log", _PF(c_int, c_void_p, c_void_p, c_int)),
        ("set_refusal", _PF(c_int, c_void_p, c_int32, c_void_p, c_char_p)),
        ("read_stats", _PF(c_int32, c_void_p, POINTER(StatRecord), c_int32)),
        ("reset_stats", _PF(None, c_void_p)),
        ("register_importer", _PF(None, c_void_p, c_void_p, c_char_p,
                                  c_uint32)),
        ("table_for", _PF(c_void_p, c_void_p, c_void_p, c_void_p)),
    ]


class Header(Structure):
    _fields_ = [("magic", c_uint32), ("layout_version", c_uint32),
                ("header_size", c_uint32), ("table_kind", c_uint32),
                ("api_name", c_char_p), ("api_major", c_uint32),
                ("api_minor", c_uint32), ("n_entries", c_uint32),
                ("hpy_abi", c_uint32), ("hpy_abi_version", c_uint32),
                ("hpy_abi_version_minor", c_uint32),
                ("exporter_mode", c_uint32), ("reserved", c_uint32),
                ("entries", POINTER(EntryInfo)), ("module_name", c_char_p),
                ("table", c_void_p), ("token", c_void_p),
                ("control", POINTER(Control)),
                ("hpyapi_version", c_char_p)]


def obj_ptr(obj):
    """The PyObject * of `obj` (NULL for None) for the control functions."""
    return None if obj is None else id(obj)


PyCapsule_New = ctypes.pythonapi.PyCapsule_New
PyCapsule_New.argtypes = [c_void_p, c_char_p, c_void_p]
PyCapsule_New.restype = py_object
PyCapsule_GetPointer = ctypes.pythonapi.PyCapsule_GetPointer
PyCapsule_GetPointer.argtypes = [py_object, c_char_p]
PyCapsule_GetPointer.restype = c_void_p
PyCapsule_GetName = ctypes.pythonapi.PyCapsule_GetName
PyCapsule_GetName.argtypes = [py_object]
PyCapsule_GetName.restype = c_char_p


def _is_capsule(obj):
    return type(obj).__name__ == "PyCapsule"


def api_names(module):
    """The APIs `module` exports (from its `_hpyapi_<api>` attributes)."""
    return sorted(name[len("_hpyapi_"):] for name in dir(module)
                  if name.startswith("_hpyapi_") and not name.endswith("_capi")
                  and _is_capsule(getattr(module, name)))


MAX_ENTRIES = c_constant("HPYAPI_MAX_ENTRIES", "limits.h")
MAX_STRING = c_constant("HPYAPI_MAX_STRING", "limits.h")


class CapsuleError(ImportError, LookupError):
    """A capsule that is not an intact hpyapi header: corrupt, forged or
    from an incompatible build.  An ImportError (the API cannot be used)
    and, as before, a LookupError (it is not a header hpyapi can read)."""


_libc = ctypes.CDLL(None)
_libc.strnlen.argtypes = [c_void_p, ctypes.c_size_t]
_libc.strnlen.restype = ctypes.c_size_t


class _DlInfo(Structure):
    _fields_ = [("dli_fname", c_char_p), ("dli_fbase", c_void_p),
                ("dli_sname", c_char_p), ("dli_saddr", c_void_p)]


_libc.dladdr.argtypes = [c_void_p, POINTER(_DlInfo)]
_libc.dladdr.restype = c_int


def _is_code(address):
    """Whether `address` lies in a loaded shared object (or the program):
    a function pointer anywhere else is forged."""
    return bool(address) and _libc.dladdr(address, ctypes.byref(_DlInfo()))


def _ptr(struct, field):
    """The raw pointer in `struct.field`, without following it (ctypes
    would read a c_char_p up to a NUL that may never come)."""
    off = getattr(type(struct), field).offset
    return c_void_p.from_address(ctypes.addressof(struct) + off).value


def _string(address, what, fail):
    """The NUL-terminated string at `address`, read at most MAX_STRING
    bytes far and decoded as UTF-8; fail(message) otherwise."""
    if not address:
        fail("%s is NULL" % what)
    n = _libc.strnlen(address, MAX_STRING)
    if n >= MAX_STRING:
        fail("%s is not a string of fewer than %d bytes" % (what, MAX_STRING))
    raw = ctypes.string_at(address, n)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        fail("%s is not UTF-8: %s (%s)" % (
            what, raw.decode("utf-8", "backslashreplace"), e.reason))


def _failer(module, api, attr):
    def fail(problem):
        raise CapsuleError(
            "hpyapi: module %r, API %r: capsule %r: %s; HPyAPI_Export never "
            "makes such a capsule, so it is corrupted or forged: reinstall "
            "%r" % (module, api, attr, problem, module))
    return fail


def _version():
    import hpyapi
    return hpyapi.__version__


def _check(h, address, table_kind, fail):
    """What runtime/validate.c checks (the rules of hpyapi.rules, in their
    short form), minus the comparison with a consumer's declaration (there
    is none here); instead the entry count is checked against the
    exporter's own, through get_flags."""
    def rule(rule_id, **facts):
        fail(rules.problem(rule_id, **facts))
    if h.magic != MAGIC:
        rule("MAGIC", found_magic=h.magic, magic=MAGIC)
    if h.layout_version != LAYOUT_VERSION:
        rule("LAYOUT_OLDER", found_layout=h.layout_version,
             found_release="0.1" if h.layout_version < 2 else ">= 0.2",
             release=_version(), layout=LAYOUT_VERSION)
    if h.header_size < ctypes.sizeof(Header):
        rule("HEADER_SIZE", found_layout=h.layout_version,
             found_size=h.header_size, layout=LAYOUT_VERSION,
             size=ctypes.sizeof(Header))
    if h.table_kind not in table_kind:
        rule("TABLE_KIND", found_table=h.table_kind,
             table=" or ".join(str(k) for k in table_kind))
    for field in ("entries", "table", "token", "control"):
        if not _ptr(h, field):
            rule("FIELD_NULL", field=field)
    # a bridge's table is the legacy one, which knows nothing of hpyapi
    if (h.table_kind != TABLE_LEGACY and
            c_void_p.from_address(h.table).value != address):
        rule("BACK_POINTER")
    if h.n_entries > MAX_ENTRIES:
        rule("TOO_MANY", n_entries=h.n_entries, most=MAX_ENTRIES)
    ctl = h.control.contents
    if ctl.version < 1 or ctl.size < ctypes.sizeof(Control):
        rule("CONTROL", found_version=ctl.version, found_size=ctl.size,
             size=ctypes.sizeof(Control))
    for field, _ in Control._fields_[2:]:
        if field == "table_for" and h.table_kind != TABLE_HPY:
            continue  # only the HPy table is routed per consumer
        fn = _ptr(ctl, field)
        if not _is_code(fn):
            rule("CONTROL_NULL", field=field, found="NULL" if not fn else
                 "0x%x, not code of any loaded shared object" % fn)
    # the exporter knows how many entries it has: get_flags answers -1
    # past the last one (a check of its own: a consumer compares with its
    # declaration instead)
    n, tok = h.n_entries, h.token
    if (n and ctl.get_flags(tok, n - 1) < 0) or ctl.get_flags(tok, n) >= 0:
        fail("header field n_entries is %d, but its exporter does not have "
             "that many entries" % n)


def header(module, api, capi=False):
    """The HPyAPI_Header of `module`'s `api` (its CPython-API table's with
    capi=True), checked to be an intact header hpyapi made: CapsuleError
    (an ImportError and a LookupError) names the field that is not."""
    attr = "_hpyapi_%s%s" % (api, "_capi" if capi else "")
    name = ("hpyapi.%s%s" % (api, ".capi" if capi else "")).encode()
    cap = getattr(module, attr, None)
    if cap is None or not _is_capsule(cap) or PyCapsule_GetName(cap) != name:
        raise LookupError("module %r does not export the %r API (no capsule "
                          "%r named %r)" % (module.__name__, api, attr,
                                           name.decode()))
    fail = _failer(module.__name__, api, attr)
    address = PyCapsule_GetPointer(cap, name)
    if not address:
        fail(rules.problem("NULL_HEADER"))
    h = Header.from_address(address)
    _check(h, address, (TABLE_CPYTHON,) if capi else (TABLE_HPY, TABLE_LEGACY),
           fail)
    found = _string(_ptr(h, "api_name"), "header field api_name", fail)
    if found != api:
        fail(rules.problem("API_NAME", found=found, api=api))
    _string(_ptr(h, "module_name"), "header field module_name", fail)
    return h


def entries(module, api, h):
    """[(name, signature, since_minor, flags)] of header `h` (from
    header()), every string bounded and decoded; CapsuleError if one is
    not a string."""
    fail = _failer(module.__name__, api, "_hpyapi_%s%s" % (
        api, "_capi" if h.table_kind == TABLE_CPYTHON else ""))
    base = _ptr(h, "entries")
    out = []
    for i in range(h.n_entries):
        e = EntryInfo.from_address(base + i * ctypes.sizeof(EntryInfo))
        out.append((_string(_ptr(e, "name"), "entry %d's name" % i, fail),
                    _string(_ptr(e, "signature"), "entry %d's signature" % i,
                            fail),
                    e.since_minor, e.flags))
        # data is read through its slot: the exporter's variable
        if (e.flags == ENTRY_DATA and h.table_kind != TABLE_LEGACY and
                not c_void_p.from_address(
                    h.table + (i + 1) * ctypes.sizeof(c_void_p)).value):
            fail(rules.problem("SLOT_NULL", index=i, name=out[-1][0]))
    return out
