"""Forged capsules for the bad-input and hostile tests: a private, mutable
copy of a real exporter's header, entry list, table and control block,
made with ctypes through hpyapi.capsule (the mirror of abi.h).  A forgery
left intact imports and works, the control every mutation is measured
against.  Modules it puts in sys.modules are named forged_N; conftest's
drop_forged_modules fixture removes them after a test."""
import ctypes
import itertools
import sys
import types
from ctypes import POINTER, c_void_p

import pytest

from hpyapi.capsule import (Control, EntryInfo, Header,
                            PyCapsule_GetPointer, PyCapsule_New)

_names = itertools.count()


def new_name(prefix):
    """A module name no other test uses."""
    return "%s_%d" % (prefix, next(_names))


_DEFAULT = object()
_ALIVE = []  # consumers may keep pointers into any forgery


class Forged:
    """A private copy of an exporter's header, entry list, table and
    control block (of its CPython-API table with capi=True)."""

    def __init__(self, exporter, capi=False, api="testapi"):
        self.attr = "_hpyapi_%s%s" % (api, "_capi" if capi else "")
        self.capsule_name = ("hpyapi.%s%s" % (api, ".capi" if capi else "")
                             ).encode()
        cap = getattr(exporter, self.attr)
        real = Header.from_address(PyCapsule_GetPointer(cap,
                                                        self.capsule_name))
        assert real.header_size == ctypes.sizeof(Header)
        self.header = Header.from_buffer_copy(real)
        n = real.n_entries
        self.entries = (EntryInfo * n).from_buffer_copy(
            (EntryInfo * n).from_address(ctypes.addressof(real.entries.contents)))
        self.table = (c_void_p * (n + 1)).from_buffer_copy(
            (c_void_p * (n + 1)).from_address(real.table))
        self.control = Control.from_buffer_copy(real.control.contents)
        self.table[0] = ctypes.addressof(self.header)
        self.header.entries = ctypes.cast(self.entries, POINTER(EntryInfo))
        self.header.table = ctypes.addressof(self.table)
        self.header.control = ctypes.pointer(self.control)

    def module(self, capsule_name=None, value=None, attr=_DEFAULT):
        """A module in sys.modules whose attribute holds the capsule."""
        name = new_name("forged")
        mod = types.ModuleType(name)
        mod._forged = self  # keeps the memory alive ...
        _ALIVE.append(self)  # ... even once the module is dropped
        if value is None:
            value = PyCapsule_New(ctypes.addressof(self.header),
                                  capsule_name or self.capsule_name, None)
        attr = self.attr if attr is _DEFAULT else attr
        if attr is not None:
            setattr(mod, attr, value)
        sys.modules[name] = mod
        return name


def import_error(consumer, modname):
    with pytest.raises(ImportError) as e:
        consumer.setup(modname)
    prefix = ("hpyapi: cannot import the 'testapi' API (version 1.0) from "
              "module '%s': " % modname)
    msg = str(e.value)
    assert msg.startswith(prefix), msg
    return msg[len(prefix):], e.value
