"""Reading an exporter's capsules from Python: a ctypes mirror of
include/hpyapi/abi.h (the binary contract) and the lookups built on it.

Used by hpyapi.describe(), hpyapi.hooks() and the tests that forge headers.
"""
import ctypes
from ctypes import (POINTER, Structure, c_char_p, c_int, c_int32, c_uint32,
                    c_uint64, c_void_p, py_object)

MAGIC = 0x49504148
TABLE_HPY, TABLE_CPYTHON = 1, 2
ENTRY_FUNC, ENTRY_OBJECT, ENTRY_RETIRED = 0, 1, 2
HOOK_COUNT, HOOK_TIME, HOOK_LOG, HOOK_REFUSE = 1, 2, 4, 8
KINDS = {0: "unknown", 1: "cpython", 2: "universal", 3: "debug", 4: "trace",
         5: "capi"}
ABIS = {1: "cpython", 2: "universal", 3: "hybrid"}


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
                ("control", POINTER(Control))]


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


def header(module, api, capi=False):
    """The HPyAPI_Header of `module`'s `api` (its CPython-API table's with
    capi=True), checked to be one hpyapi made."""
    attr = "_hpyapi_%s%s" % (api, "_capi" if capi else "")
    name = ("hpyapi.%s%s" % (api, ".capi" if capi else "")).encode()
    cap = getattr(module, attr, None)
    if cap is None or not _is_capsule(cap) or PyCapsule_GetName(cap) != name:
        raise LookupError("module %r does not export the %r API (no capsule "
                          "%r named %r)" % (module.__name__, api, attr,
                                           name.decode()))
    h = Header.from_address(PyCapsule_GetPointer(cap, name))
    if (h.magic != MAGIC or h.header_size < ctypes.sizeof(Header)
            or not h.entries or not h.api_name or not h.module_name
            or not h.token or not h.control):
        raise LookupError("module %r: capsule %r is not a header this "
                          "version of hpyapi can read" % (module.__name__,
                                                          attr))
    return h
