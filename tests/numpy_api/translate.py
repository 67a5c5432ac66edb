"""NumPy's classic C-API, read from the installed numpy headers, translated
into hpyapi's declaration language.

Every slot of `__multiarray_api.h` (`PyArray_API[i]`) and `__ufunc_api.h`
(`PyUFunc_API[i]`) is classified -- function, data (a type object, an
object variable, a C variable, an array of objects), or a hole (a slot NumPy
retired) -- and translated: `PyObject *`, `PyArrayObject *`,
`PyArray_Descr *`, `PyTypeObject *`, ... become `HPy`; `X **` parameters are
out-handles, handle arrays or arrays the exporter fills, as ROLES says per
entry (the type alone cannot tell); other pointers and scalars stay C values.

FORMS is the one table to change when a pending form lands (the forms and
callbacks branches): set its `available` to True and every entry that
needed only available forms is translated faithfully and counted as
expressible.  Entries needing a form not available are declared in the test
API by the nearest translation today's forms express (a `Piece`'s `approx`)
and reported with the form they wait for; UNSUPPORTED lists what no planned
form covers, with the reshaping the test API uses instead.

    python tests/numpy_api/translate.py report   # rewrite docs/numpy-coverage.md
    python tests/numpy_api/translate.py check    # exit 1 if it is stale
"""
import os
import re
import sys
from dataclasses import dataclass, field

# form -> (available today, what it is)
FORMS = {
    "handle": (True, "`(HPy, x)`: a borrowed handle"),
    "value": (True, "`(T, x)`: an integer, floating or pointer value"),
    "out": (True, "`(HPy *, x)`: an out-handle the exporter writes"),
    "object": (True, "`OBJECT(i, since, Name)`: an exported object"),
    "len": (True, "a handle array whose length is another integer "
                   "parameter: `(const HPy *, p, HPyAPI_LEN(n))`"),
    "data": (True, "exported C data: `OBJECT(i, since, NAME, T)`"),
    "callback": (True, "a callback parameter taking `HPyContext *` and "
                        "handles"),
    "inout": (True, "`(HPy *, x, HPyAPI_INOUT)`: an in-out handle (`*op` "
                    "is read, then may be replaced by a new one)"),
    "len_expr": (True, "a handle array of a fixed or implied length: "
                       "`(const HPy *, p, HPyAPI_LEN_EXPR(e))`"),
    "struct": (True, "a struct carrying handles: `(HPyAPI_STRUCT(Name) *, "
                     "p)` with `HPyAPI_STRUCT_DECLARE` (STRUCTS)"),
    "returned": (True, "returns an array of new handles the caller frees "
                       "with `HPyAPI_FreeHandles`: `FUNC(i, s, HPy *, ...)` "
                       "and `HPyAPI_RETURNS_<Entry>`"),
    "callback_struct": (True, "NumPy's spec structs with their slot "
                              "functions: `HPyAPI_STRUCT_DECLARE` with "
                              "`SLOTS_N` (slot functions taking "
                              "`HPyAPI_SLOT_LEN` arrays of `nin + nout`), "
                              "`HPyAPI_FN_OUT` (`get_loop`'s loop), `FNS` "
                              "(`PyArray_ArrFuncs.cast[21]`) and "
                              "`HPyAPI_SLOT_DATA`"),
    "returned_table": (True, "returns a table of NumPy functions taking "
                             "objects (`PyArray_ArrFuncs`): `FUNC(i, s, "
                             "Name *, ...)` and `HPyAPI_RETURNS_<Entry> "
                             "HPyAPI_TABLE(Name)`; a caller in another "
                             "context gets a copy whose functions convert "
                             "and call the exporter's"),
    "fn_param": (True, "a function of a slot type passed by itself, kept by "
                       "the exporter: `(HPyAPI_FN(type), f)`, or `(HPyAPI_FN("
                       "type), f, HPyAPI_LEN_EXPR(e))` when its "
                       "`HPyAPI_SLOT_LEN` arrays have `e` handles"),
}

# what no planned form expresses -> (why, what the test API declares instead)
UNSUPPORTED = {
    "varargs": ("C varargs (`...`): a trampoline cannot forward them",
                "an array of handles `(const HPy *, rest, nrest)`"),
    "struct_handle": ("writes a handle into a struct field "
                      "(`PyArray_Chunk.base`)",
                      "the struct pointer passed as a plain C value"),
}

HANDLE_TYPES = {
    "PyObject", "PyArrayObject", "PyArray_Descr", "PyTypeObject",
    "PyUFuncObject", "PyArray_DTypeMeta", "PyArrayMultiIterObject",
    "PyArrayIterObject", "PyArray_StringDTypeObject",
}
# NumPy's function types passed by themselves (`T *f`, a slot type of
# SLOT_TYPES): `(HPyAPI_FN(T), f)`, with the length of the function's
# HPyAPI_SLOT_LEN arrays where it has some (the ufunc's nin + nout)
CALLBACK_TYPES = {"PyArray_VectorUnaryFunc": "",
                  "PyArrayMethod_TranslateGivenDescriptors": "NARGS",
                  "PyArrayMethod_TranslateLoopDescriptors": "NARGS"}
CALLBACK_STRUCTS = {"PyArray_ArrFuncs", "PyArrayDTypeMeta_Spec",
                    "PyArrayMethod_Spec", "PyUFunc_LoopSlot",
                    "PyArray_DescrProto"}
# Tables of functions NumPy returns (`PyArray_ArrFuncs *`, HPyAPI_TABLE):
# the field whose function the test API's call wrapper calls through the
# table it got (a slot type returning HPy and taking values only; the
# exporter's returns the call's digest)
RETURNED_TABLES = {"PyArray_ArrFuncs": "getitem"}

# C scalar types -> (kind: i signed, u unsigned, f floating, p pointer-valued
# typedef; size in bytes on LP64)
SCALARS = {
    "int": ("i", 4), "unsigned int": ("u", 4), "char": ("i", 1),
    "unsigned char": ("u", 1), "double": ("f", 8), "size_t": ("u", 8),
    "Py_ssize_t": ("i", 8), "npy_intp": ("i", 8), "npy_bool": ("u", 1),
    "npy_uint32": ("u", 4), "npy_datetime": ("i", 8),
    "PyUFuncGenericFunction": ("p", 8), "npy_hash_t": ("i", 8),
}
ENUMS = ("NPY_CASTING", "NPY_CLIPMODE", "NPY_DATETIMEUNIT", "NPY_ORDER",
         "NPY_SCALARKIND", "NPY_SEARCHSIDE", "NPY_SELECTKIND", "NPY_SORTKIND",
         "NPY_ARRAYMETHOD_FLAGS")
SCALARS.update({e: ("i", 4) for e in ENUMS})

# What each `X **` parameter (handle type X) of an entry is, in order:
# "out" an out-handle; "one" a pointer to one input handle (NULL: none);
# "inout"; ("in", j) / ("fill", j) an input array / an array the exporter
# fills, whose length is parameter j, or NARGS: the ufunc's nin + nout.
ROLES = {
    "PyArray_ScalarKind": ["one"],
    "PyArray_AsCArray": ["inout"],
    "PyArray_Converter": ["out"],
    "PyArray_DescrConverter": ["out"],
    "PyArray_DescrConverter2": ["out"],
    "PyArray_DescrAlignConverter": ["out"],
    "PyArray_DescrAlignConverter2": ["out"],
    "PyArray_OutputConverter": ["out"],
    "PyArray_MultiIterFromObjects": [("in", 1)],
    "NpyIter_MultiNew": [("in", 0), ("in", 0)],
    "NpyIter_AdvancedNew": [("in", 0), ("in", 0)],
    "PyArray_ResultType": [("in", 0), ("in", 2)],
    "PyArray_EinsteinSum": [("in", 1)],
    "PyArray_PromoteDTypeSequence": [("in", 0)],
    "NpyString_acquire_allocators": [("in", 0)],
    "PyUFunc_DefaultTypeResolver": [("in", "NARGS"), ("fill", "NARGS")],
    "PyUFunc_ValidateCasting": [("in", "NARGS"), ("in", "NARGS")],
    "PyUFunc_RegisterLoopForDescr": [("in", "NARGS")],
    "PyUFunc_AddWrappingLoop": [("in", "NARGS"), ("in", "NARGS")],
}
# A length expression sees the entry's parameters, not the objects they
# are: NumPy's `ufunc->nargs` cannot be read from a handle there.  The test
# API's ufuncs are binary (nin 2 + nout 1): NP_UFUNC_NARGS (npapi.h) is 3.
NARGS = "NP_UFUNC_NARGS"
# Entries returning `X **` of an object type: the length of the array
# (HPyAPI_RETURNS_<Entry>), and which `int *` parameter the exporter writes
# it into.  NumPy's NpyIter_GetNOp(iter) is NP_ITER_NOP(iter) in the test
# API, whose iterators are addresses that encode their operand count.
RETURNS = {
    "PyArray_ConvertToCommonType": ("*a2", "a2"),
    "NpyIter_GetDescrArray": ("NP_ITER_NOP(a1)", None),
    "NpyIter_GetOperandArray": ("NP_ITER_NOP(a1)", None),
}
# NumPy's structs that carry objects, field by field as its headers have
# them (hpyapi/structs.h's F(KIND, what, name)): PyArray_Chunk starts with
# PyObject_HEAD (ob_refcnt, ob_type); BufferConverter writes `base`.
STRUCTS = {
    "PyArray_Chunk": [("VALUE", "Py_ssize_t", "ob_refcnt"),
                      ("VALUE", "void *", "ob_type"),
                      ("OUT", "HPy", "base"), ("VALUE", "void *", "ptr"),
                      ("VALUE", "npy_intp", "len"), ("VALUE", "int", "flags")],
}
# NumPy's spec structs and the structs their slot functions receive
# (dtype_api.h, ndarraytypes.h; numpy 2.4's layouts), and the
# functions they carry: SLOTS_N gives a spec's slot functions the
# length of their HPyAPI_SLOT_LEN arrays (nin + nout); FNS is a fixed array
# (NPY_NTYPES_ABI_COMPATIBLE casts, NPY_NSORTS sorts).  PyArray_DescrProto
# starts with PyObject_HEAD, as PyArray_Chunk.
STRUCTS.update({
    # with NPY_FEATURE_VERSION > NPY_2_3_API_VERSION (2.4's fields)
    "PyArrayMethod_Context": [
        ("HANDLE", "HPy", "caller"), ("HANDLE", "HPy", "method"),
        ("HANDLES", "HPyAPI_SLOT_LEN", "descriptors"),
        ("VALUE", "void *", "_reserved"), ("VALUE", "npy_uint64", "flags"),
        ("VALUE", "void *", "parameters")],
    "PyArrayMethod_Spec": [
        ("VALUE", "const char *", "name"), ("VALUE", "int", "nin"),
        ("VALUE", "int", "nout"), ("VALUE", "NPY_CASTING", "casting"),
        ("VALUE", "NPY_ARRAYMETHOD_FLAGS", "flags"),
        ("HANDLES", "nin + nout", "dtypes"),
        ("SLOTS_N", "(NP_METH_SLOTS, nin + nout)", "slots")],
    "PyUFunc_LoopSlot": [
        ("VALUE", "const char *", "name"),
        ("STRUCT", "PyArrayMethod_Spec", "spec")],
    "PyArrayDTypeMeta_Spec": [
        ("HANDLE", "HPy", "typeobj"), ("VALUE", "int", "flags"),
        ("STRUCTS", "PyArrayMethod_Spec", "casts"),
        ("SLOTS", "NP_DT_SLOTS", "slots"), ("HANDLE", "HPy", "baseclass")],
    "PyArray_ArrayDescr": [
        ("HANDLE", "HPy", "base"), ("HANDLE", "HPy", "shape")],
    "PyArray_ArrFuncs": [
        ("FNS", "(PyArray_VectorUnaryFunc, 21)", "cast"),
        ("FN", "PyArray_GetItemFunc", "getitem"),
        ("FN", "PyArray_SetItemFunc", "setitem"),
        ("FN", "PyArray_CopySwapNFunc", "copyswapn"),
        ("FN", "PyArray_CopySwapFunc", "copyswap"),
        ("FN", "PyArray_CompareFunc", "compare"),
        ("FN", "PyArray_ArgFunc", "argmax"),
        ("FN", "PyArray_DotFunc", "dotfunc"),
        ("FN", "PyArray_ScanFunc", "scanfunc"),
        ("FN", "PyArray_FromStrFunc", "fromstr"),
        ("FN", "PyArray_NonzeroFunc", "nonzero"),
        ("FN", "PyArray_FillFunc", "fill"),
        ("FN", "PyArray_FillWithScalarFunc", "fillwithscalar"),
        ("FNS", "(PyArray_SortFunc, 3)", "sort"),
        ("FNS", "(PyArray_ArgSortFunc, 3)", "argsort"),
        ("HANDLE", "HPy", "castdict"),
        ("FN", "PyArray_ScalarKindFunc", "scalarkind"),
        ("VALUE", "int **", "cancastscalarkindto"),
        ("VALUE", "int *", "cancastto"), ("VALUE", "void *", "_unused1"),
        ("VALUE", "void *", "_unused2"), ("VALUE", "void *", "_unused3"),
        ("FN", "PyArray_ArgFunc", "argmin")],
    "PyArray_DescrProto": [
        ("VALUE", "Py_ssize_t", "ob_refcnt"), ("VALUE", "void *", "ob_type"),
        ("HANDLE", "HPy", "typeobj"), ("VALUE", "char", "kind"),
        ("VALUE", "char", "type"), ("VALUE", "char", "byteorder"),
        ("VALUE", "char", "flags"), ("VALUE", "int", "type_num"),
        ("VALUE", "int", "elsize"), ("VALUE", "int", "alignment"),
        ("STRUCT", "PyArray_ArrayDescr", "subarray"),
        ("HANDLE", "HPy", "fields"), ("HANDLE", "HPy", "names"),
        ("STRUCT", "PyArray_ArrFuncs", "f"), ("HANDLE", "HPy", "metadata"),
        ("VALUE", "NpyAuxData *", "c_metadata"),
        ("VALUE", "npy_hash_t", "hash")],
})
# the order of their declarations (a struct after what it names)
STRUCT_ORDER = ["PyArray_Chunk", "PyArrayMethod_Context", "PyArrayMethod_Spec",
                "PyUFunc_LoopSlot", "PyArrayDTypeMeta_Spec",
                "PyArray_ArrayDescr", "PyArray_ArrFuncs", "PyArray_DescrProto"]
# entries taking a NULL-terminated array of structs (HPyAPI_STRUCTS)
STRUCT_LISTS = {"PyUFunc_AddLoopsFromSpecs"}
# NumPy's slot function types, as HPyAPI_SLOT_TYPE(name, R, params...)
# declares them (before the structs that hold them): handles for its object
# pointers, HPyAPI_SLOT_LEN arrays of nin + nout, HPyAPI_FN_OUT for a
# function returned through an out-parameter; `void *` stays a value
# (NumPy's legacy functions receive the array as `void *`).
_CTX = "(HPyAPI_STRUCT(PyArrayMethod_Context) *, context)"
_RESOLVE = ["(HPy, method)", "(const HPy *, dtypes, HPyAPI_SLOT_LEN)",
            "(const HPy *, given_descrs, HPyAPI_SLOT_LEN)"]
_LOOP_DESCRS = ["(HPy *, loop_descrs, HPyAPI_SLOT_LEN)",
                "(npy_intp *, view_offset)"]
_TRAVERSE = ["(void *, traverse_context)", "(HPy, descr)"]
SLOT_TYPES = [
    ("PyArrayMethod_StridedLoop", "int", [
        _CTX, "(char *const *, data)", "(const npy_intp *, dimensions)",
        "(const npy_intp *, strides)", "(NpyAuxData *, transferdata)"]),
    ("PyArrayMethod_ResolveDescriptors", "NPY_CASTING",
     _RESOLVE + _LOOP_DESCRS),
    ("PyArrayMethod_ResolveDescriptorsWithScalar", "NPY_CASTING", _RESOLVE + [
        "(const HPy *, input_scalars, HPyAPI_SLOT_LEN)"] + _LOOP_DESCRS),
    ("PyArrayMethod_GetLoop", "int", [
        _CTX, "(int, aligned)", "(int, move_references)",
        "(const npy_intp *, strides)",
        "(HPyAPI_FN_OUT(PyArrayMethod_StridedLoop), out_loop)",
        "(NpyAuxData **, out_transferdata)",
        "(NPY_ARRAYMETHOD_FLAGS *, flags)"]),
    ("PyArrayMethod_GetReductionInitial", "int", [
        _CTX, "(npy_bool, reduction_is_empty)", "(void *, initial)"]),
    ("PyArrayMethod_TraverseLoop", "int", _TRAVERSE + [
        "(char *, data)", "(npy_intp, size)", "(npy_intp, stride)",
        "(NpyAuxData *, auxdata)"]),
    ("PyArrayMethod_GetTraverseLoop", "int", _TRAVERSE + [
        "(int, aligned)", "(npy_intp, fixed_stride)",
        "(HPyAPI_FN_OUT(PyArrayMethod_TraverseLoop), out_loop)",
        "(NpyAuxData **, out_auxdata)", "(NPY_ARRAYMETHOD_FLAGS *, flags)"]),
    ("PyArrayDTypeMeta_DiscoverDescrFromPyobject", "HPy",
     ["(HPy, cls)", "(HPy, obj)"]),
    ("PyArrayDTypeMeta_IsKnownScalarType", "int",
     ["(HPy, cls)", "(HPy, obj)"]),
    ("PyArrayDTypeMeta_DefaultDescriptor", "HPy", ["(HPy, cls)"]),
    ("PyArrayDTypeMeta_CommonDType", "HPy", ["(HPy, dtype1)", "(HPy, dtype2)"]),
    ("PyArrayDTypeMeta_CommonInstance", "HPy",
     ["(HPy, dtype1)", "(HPy, dtype2)"]),
    ("PyArrayDTypeMeta_EnsureCanonical", "HPy", ["(HPy, dtype)"]),
    ("PyArrayDTypeMeta_FinalizeDescriptor", "HPy", ["(HPy, dtype)"]),
    ("PyArrayDTypeMeta_GetConstant", "int",
     ["(HPy, descr)", "(int, ID)", "(void *, data)"]),
    ("PyArrayDTypeMeta_SetItem", "int",
     ["(HPy, descr)", "(HPy, value)", "(char *, data)"]),
    ("PyArrayDTypeMeta_GetItem", "HPy", ["(HPy, descr)", "(char *, data)"]),
    ("PyArray_GetItemFunc", "HPy", ["(void *, data)", "(void *, arr)"]),
    ("PyArray_SetItemFunc", "int",
     ["(HPy, value)", "(void *, data)", "(void *, arr)"]),
    ("PyArray_CopySwapNFunc", "void", [
        "(void *, dst)", "(npy_intp, dstride)", "(void *, src)",
        "(npy_intp, sstride)", "(npy_intp, n)", "(int, swap)",
        "(void *, arr)"]),
    ("PyArray_CopySwapFunc", "void", [
        "(void *, dst)", "(void *, src)", "(int, swap)", "(void *, arr)"]),
    ("PyArray_CompareFunc", "int",
     ["(const void *, a)", "(const void *, b)", "(void *, arr)"]),
    ("PyArray_ArgFunc", "int", [
        "(void *, data)", "(npy_intp, n)", "(npy_intp *, max_ind)",
        "(void *, arr)"]),
    ("PyArray_DotFunc", "void", [
        "(void *, ip1)", "(npy_intp, is1)", "(void *, ip2)",
        "(npy_intp, is2)", "(void *, op)", "(npy_intp, n)", "(void *, arr)"]),
    ("PyArray_VectorUnaryFunc", "void", [
        "(void *, from)", "(void *, to)", "(npy_intp, n)", "(void *, fromarr)",
        "(void *, toarr)"]),
    ("PyArray_ScanFunc", "int", [
        "(FILE *, fp)", "(void *, dptr)", "(char *, ignore)", "(HPy, descr)"]),
    ("PyArray_FromStrFunc", "int", [
        "(char *, s)", "(void *, dptr)", "(char **, endptr)", "(HPy, descr)"]),
    ("PyArray_NonzeroFunc", "npy_bool", ["(void *, data)", "(void *, arr)"]),
    ("PyArray_FillFunc", "int",
     ["(void *, data)", "(npy_intp, length)", "(void *, arr)"]),
    ("PyArray_FillWithScalarFunc", "int", [
        "(void *, buffer)", "(npy_intp, length)", "(void *, value)",
        "(void *, arr)"]),
    ("PyArray_SortFunc", "int",
     ["(void *, start)", "(npy_intp, num)", "(void *, arr)"]),
    ("PyArray_ArgSortFunc", "int", [
        "(void *, start)", "(npy_intp *, tosort)", "(npy_intp, num)",
        "(void *, arr)"]),
    ("PyArray_ScalarKindFunc", "int", ["(void *, arr)"]),
    # PyUFunc_AddWrappingLoop's: arrays of nin + nout (the entry says it)
    ("PyArrayMethod_TranslateGivenDescriptors", "int", [
        "(int, nin)", "(int, nout)",
        "(const HPy *, wrapped_dtypes, HPyAPI_SLOT_LEN)",
        "(const HPy *, given_descrs, HPyAPI_SLOT_LEN)",
        "(HPy *, new_descrs, HPyAPI_SLOT_LEN)"]),
    ("PyArrayMethod_TranslateLoopDescriptors", "int", [
        "(int, nin)", "(int, nout)",
        "(const HPy *, new_dtypes, HPyAPI_SLOT_LEN)",
        "(const HPy *, given_descrs, HPyAPI_SLOT_LEN)",
        "(const HPy *, original_descrs, HPyAPI_SLOT_LEN)",
        "(HPy *, loop_descrs, HPyAPI_SLOT_LEN)"]),
]
# the ids of the slots specs list (NPY_METH_*, NPY_DT_*; the DType slots
# of PyArray_ArrFuncs at _NPY_DT_ARRFUNCS_OFFSET + k)
_ARRF = 1 << 11
SLOT_LISTS = {
    "NP_METH_SLOTS": [
        (1, "PyArrayMethod_ResolveDescriptorsWithScalar"),
        (2, "PyArrayMethod_ResolveDescriptors"), (3, "PyArrayMethod_GetLoop"),
        (4, "PyArrayMethod_GetReductionInitial")] + [
        (i, "PyArrayMethod_StridedLoop") for i in (5, 6, 7, 8, 9)] + [
        (10, "HPyAPI_SLOT_DATA")],   # _NPY_METH_static_data
    "NP_DT_SLOTS": [
        (1, "PyArrayDTypeMeta_DiscoverDescrFromPyobject"),
        (2, "PyArrayDTypeMeta_IsKnownScalarType"),
        (3, "PyArrayDTypeMeta_DefaultDescriptor"),
        (4, "PyArrayDTypeMeta_CommonDType"),
        (5, "PyArrayDTypeMeta_CommonInstance"),
        (6, "PyArrayDTypeMeta_EnsureCanonical"),
        (7, "PyArrayDTypeMeta_SetItem"), (8, "PyArrayDTypeMeta_GetItem"),
        (9, "PyArrayMethod_GetTraverseLoop"),
        (10, "PyArrayMethod_GetTraverseLoop"),
        (11, "PyArrayDTypeMeta_FinalizeDescriptor"),
        (12, "PyArrayDTypeMeta_GetConstant"),
        (_ARRF + 1, "PyArray_GetItemFunc"), (_ARRF + 2, "PyArray_SetItemFunc"),
        (_ARRF + 5, "PyArray_CompareFunc"), (_ARRF + 6, "PyArray_ArgFunc"),
        (_ARRF + 7, "PyArray_DotFunc"), (_ARRF + 8, "PyArray_ScanFunc"),
        (_ARRF + 9, "PyArray_FromStrFunc"),
        (_ARRF + 10, "PyArray_NonzeroFunc"), (_ARRF + 11, "PyArray_FillFunc"),
        (_ARRF + 12, "PyArray_FillWithScalarFunc"),
        (_ARRF + 13, "PyArray_SortFunc"), (_ARRF + 14, "PyArray_ArgSortFunc"),
        (_ARRF + 22, "PyArray_ArgFunc")],
}
# Data slots holding an array of objects (`PyBoolScalarObject[]`): how many
# (NumPy's PyArrayScalar_False and PyArrayScalar_True, `[0]` and `[1]`).
# An OBJECT entry is a function returning its object; such a slot is a
# function returning its objects, an array of new handles (`returned`).
OBJECT_ARRAYS = {"_PyArrayScalar_BoolValues": "2"}
# Notes on entries the rules translate but a reader should know about.
NOTES = {
    "PyArray_ScalarKind": "`PyArrayObject **arr` (NULL or one array) becomes "
                          "`(HPy, arr)`, `HPy_NULL` for none",
    "NpyIter_GetDescrArray": "NumPy's array is borrowed from the iterator; "
                             "here it holds new handles the caller frees "
                             "(`HPyAPI_FreeHandles`)",
    "NpyIter_GetOperandArray": "NumPy's array is borrowed from the iterator; "
                               "here it holds new handles the caller frees "
                               "(`HPyAPI_FreeHandles`)",
    "PyArray_BufferConverter": "NumPy stores `base` borrowed; here it is a "
                               "new handle the caller owns (an `OUT` field)",
    "PyUFunc_AddPromoter": "the promoter is a capsule wrapping a C function "
                           "that receives objects: passed through as an "
                           "object, its function is not converted",
}
# entries where a by-value `const T` parameter was declared `T`
CONST_DROPPED = set()
O_LOOP = re.compile(r"PyUFunc_O.*_O")

API_OF_TABLE = {"PyArray_API": "npyma", "PyUFunc_API": "npyuf"}
HEADERS = {"npyma": "__multiarray_api.h", "npyuf": "__ufunc_api.h"}
DTYPE_HEADER = "_public_dtype_api_table.h"


# ---- C types ---------------------------------------------------------------

@dataclass(frozen=True)
class CType:
    text: str       # normalised spelling, e.g. "npy_intp const *"
    base: str       # the words without const, e.g. "npy_intp"
    stars: int

    @property
    def handle(self):
        return self.base in HANDLE_TYPES


def ctype(text):
    text = re.sub(r"NPY_UNUSED\(\w+\)", "", text)
    text = re.sub(r"\w*\s*\[\]\s*$", "*", text.strip())  # `T *name[]` -> T **
    toks = re.findall(r"\w+|\*", text)
    if toks and toks[-1] not in ("*", "const") and sum(
            t not in ("const", "*", "unsigned") for t in toks) > 1:
        toks = toks[:-1]                                  # a parameter name
    out = ""
    for t in toks:  # a space before each token except after a star
        if out and out[-1] != "*":
            out += " "
        out += t
    words = [t for t in toks if t not in ("const", "*")]
    return CType(out, " ".join(words), toks.count("*"))


# ---- reading the headers ---------------------------------------------------

@dataclass
class Slot:
    api: str
    index: int
    kind: str                 # func, data, array, unused
    name: str = ""
    ret: CType = None
    params: list = field(default_factory=list)   # CTypes; None for `...`
    numpy: str = ""           # the C type as NumPy's header spells it
    min_version: tuple = (0, 0)
    extra: bool = False       # a DType class slot (not a classic entry)


FUNC_RE = re.compile(r"#define\s+(\w+)\s+\(\*\((.+?)\s*\(\*\)\s*\((.*?)\)\)"
                     r"\s*(PyArray_API|PyUFunc_API)\[(\d+)\]\)")
DATA_RE = re.compile(r"#define\s+(\w+)\s+\(\*\((.+?)\s*\*\)\s*"
                     r"(?:\((PyArray_API) \+ (\d+)\)|(PyArray_API|PyUFunc_API))"
                     r"\[(\d+)\]\)")
ARRAY_RE = re.compile(r"#define\s+(\w+)\s+\(\((.+?)\s*\*\)\s*"
                      r"(PyArray_API|PyUFunc_API)\[(\d+)\]\)")
GUARD_RE = re.compile(r"#if\s+NPY_FEATURE_VERSION\s*>=\s*NPY_(\d+)_(\d+)_API")


def numpy_include():
    import numpy
    return os.path.join(numpy.get_include(), "numpy")


def numpy_version():
    import numpy
    return numpy.__version__


def parse(text, extra=False):
    """The slots a header defines, with the feature version guarding each."""
    text = text.replace("\\\n", " ")
    stack, slots = [], []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("#if"):
            g = GUARD_RE.match(s)
            stack.append((int(g.group(1)), int(g.group(2))) if g else (0, 0))
        elif s.startswith(("#else", "#elif")):
            stack[-1] = (0, 0)
        elif s.startswith("#endif"):
            stack.pop()
        if not s.startswith("#define"):
            continue
        ver = max(stack, default=(0, 0))
        m = FUNC_RE.match(s)
        if m:
            name, ret, args, table, i = m.groups()
            params = [None if a.strip() == "..." else ctype(a)
                      for a in args.split(",")] if args.strip() != "void" else []
            slots.append(Slot(API_OF_TABLE[table], int(i), "func", name,
                              ctype(ret), params,
                              "%s (%s)" % (ret.strip(), args.strip()), ver,
                              extra))
            continue
        m = DATA_RE.match(s)
        if m:
            name, t, t1, base, t2, i = m.groups()
            slots.append(Slot(API_OF_TABLE[t1 or t2], int(base or 0) + int(i),
                              "data", name, ctype(t), numpy=t.strip(),
                              min_version=ver, extra=extra))
            continue
        m = ARRAY_RE.match(s)
        if m:
            name, t, table, i = m.groups()
            slots.append(Slot(API_OF_TABLE[table], int(i), "array", name,
                              ctype(t), numpy=t.strip() + "[]",
                              min_version=ver, extra=extra))
        elif re.search(r"_API(?: \+ \d+\))?\[\d+\]", s):
            raise ValueError("a table slot this script cannot read; extend "
                             "FUNC_RE/DATA_RE/ARRAY_RE: %s" % s)
    return slots


def read_slots(include=None):
    """{api: [Slot per index 0..max]}, holes as kind "unused"."""
    include = include or numpy_include()
    found = {}
    for api, header in HEADERS.items():
        with open(os.path.join(include, header)) as f:
            found[api] = parse(f.read())
    with open(os.path.join(include, DTYPE_HEADER)) as f:
        found["npyma"] += parse(f.read(), extra=True)
    tables = {}
    for api, slots in found.items():
        by_index = {}
        for s in slots:
            if s.index in by_index:
                raise ValueError("%s: slot %d defined twice" % (api, s.index))
            by_index[s.index] = s
        top = max(by_index)
        tables[api] = [by_index.get(i) or Slot(api, i, "unused", "Unused%d" % i)
                       for i in range(top + 1)]
    return tables


STEALS_RE = re.compile(r"NPY_STEALS_REF_TO_ARG\((\d+)\)[^(]*?(\w+)\s*\(")


def read_steals(include=None):
    """{function: argument number} for NumPy's NPY_STEALS_REF_TO_ARG."""
    include = include or numpy_include()
    with open(os.path.join(include, HEADERS["npyma"])) as f:
        text = f.read().replace("\\\n", " ")
    return {name: int(n) for n, name in STEALS_RE.findall(text)}


# ---- translation -----------------------------------------------------------

@dataclass
class Param:
    """One parameter as the test API declares it.  kind: H handle, V value,
    A `(const HPy *, p, n)`, W `(HPy *, p, n)` (n a new HPy_ssize_t: `length`
    names it), O out-handle, LA / LW the same arrays with `length` naming
    another parameter, EA / EW with `length` an HPyAPI_LEN_EXPR expression,
    IO an in-out handle, R an `int *` the exporter writes a returned array's
    length into (declared as a value), S a struct of STRUCTS (`ctype` its
    name), F a function of slot type `ctype` (`length`: its arrays')."""
    kind: str
    name: str
    ctype: str = "HPy"
    vkind: str = ""           # V: i, u, f or p (see SCALARS)
    size: int = 0
    length: str = ""
    ref: str = ""             # A/W/LA/LW: NumPy's own length parameter

    def decl(self):
        if self.kind == "H":
            return "(HPy, %s)" % self.name
        if self.kind in ("V", "R"):
            return "(%s, %s)" % (self.ctype, self.name)
        if self.kind == "IO":
            return "(HPy *, %s, HPyAPI_INOUT)" % self.name
        if self.kind == "S":
            return "(HPyAPI_STRUCT(%s) *, %s)" % (self.ctype, self.name)
        if self.kind == "SL":
            return "(HPyAPI_STRUCTS(%s) *, %s)" % (self.ctype, self.name)
        if self.kind == "O":
            return "(HPy *, %s)" % self.name
        if self.kind == "F":
            return "(HPyAPI_FN(%s), %s%s)" % (
                self.ctype, self.name, ", HPyAPI_LEN_EXPR(%s)" % self.length
                if self.length else "")
        if self.kind in ("A", "W"):
            return "(%s, %s, %s)" % ("const HPy *" if self.kind == "A"
                                     else "HPy *", self.name, self.length)
        return "(%s, %s, HPyAPI_LEN%s(%s))" % (
            "const HPy *" if self.kind[1] == "A" else "HPy *", self.name,
            "_EXPR" if self.kind[0] == "E" else "", self.length)


@dataclass
class Entry:
    api: str
    index: int
    name: str
    kind: str                 # func, object, retired, data
    category: str             # function, data, unused, dtype (the report's)
    numpy: str = ""
    ret: Param = None         # kind H, V, P (HPy *), T (a table: `ref` its
                              # struct) or N; None for objects
    params: list = field(default_factory=list)
    needs: set = field(default_factory=set)       # pending forms
    unsupported: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    since: int = 0
    faithful: bool = True     # declared as NumPy has it (not reshaped)
    retlen: str = ""          # ret kind P: HPyAPI_RETURNS_<Entry>'s length

    def status(self, forms=FORMS):
        if self.category in ("unused", "dtype"):
            return self.category
        if self.unsupported:
            return "unsupported"
        missing = sorted(f for f in self.needs if not forms[f][0])
        return "needs " + ", ".join(missing) if missing else "today"

    def decl(self):
        if self.kind == "object":
            return "OBJECT(%d, %d, %s)" % (self.index, self.since, self.name)
        if self.kind == "data":
            return "OBJECT(%d, %d, %s, %s)" % (self.index, self.since,
                                               self.name, self.ret.ctype)
        what = "RETIRED" if self.kind == "retired" else "FUNC"
        ps = ", ".join(p.decl() for p in self.params) or "(void)"
        return "%s(%d, %d, %s, %s, %s)" % (what, self.index, self.since,
                                           self.ret.ctype, self.name, ps)


# pending forms whose faithful declaration this script writes; the others
# stay approximated in the test API even once available
RENDERED = {"len", "data", "inout", "len_expr", "returned", "struct",
            "callback_struct", "fn_param", "returned_table"}


def available(form, forms):
    return forms[form][0]


def value(ct, name, where):
    if ct.stars:
        return Param("V", name, ct.text, "p", 8)
    if ct.base == "Py_ssize_t":  # HPy code has no Python.h; the same ABI
        ct = CType("HPy_ssize_t", "Py_ssize_t", 0)
    if ct.text.startswith("const "):
        # not part of the function's type; hpyapi's trampoline frames
        # cannot hold a const member ("assignment of read-only member")
        ct = CType(ct.base, ct.base, 0)
        CONST_DROPPED.add(where)
    if ct.base not in SCALARS:
        raise ValueError("%s: no rule for the C type %r; add it to SCALARS"
                         % (where, ct.text))
    kind, size = SCALARS[ct.base]
    return Param("V", name, ct.text, kind, size)


def translate_param(e, ct, name, names, roles, forms):
    """The test API's parameters for NumPy's parameter `ct`."""
    where = "%s.%s" % (e.api, e.name)
    use = lambda form: available(form, forms) and form in RENDERED
    if ct is None:
        e.unsupported.append("varargs")
        return [Param("A", "rest", length="nrest")]
    if ct.handle and ct.stars == 1:
        return [Param("H", name)]
    if ct.handle and ct.stars == 2:
        if not roles:
            raise ValueError("%s: %s %s needs a ROLES entry (out, one, inout, "
                             "in or fill)" % (where, ct.text, name))
        role = roles.pop(0)
        if role == "out":
            return [Param("O", name)]
        if role == "one":
            return [Param("H", name)]
        if role == "inout":
            e.needs.add("inout")
            if use("inout"):
                return [Param("IO", name)]
            return [Param("H", name), Param("O", name + "_out")]
        what, j = role
        kind = "A" if what == "in" else "W"
        if j == "NARGS":
            e.needs.add("len_expr")
            if use("len_expr"):
                return [Param("E" + kind, name, length=NARGS)]
            j = None
        else:
            e.needs.add("len")
            if use("len"):
                return [Param("L" + kind, name, length=names[j],
                              ref=names[j])]
        return [Param(kind, name, length=name + "_n",
                      ref=names[j] if j is not None else "")]
    if ct.stars > 2 and ct.handle:
        raise ValueError("%s: no rule for %s" % (where, ct.text))
    if ct.base in CALLBACK_TYPES and ct.stars == 1:
        e.needs.add("fn_param")
        if use("fn_param"):
            n = CALLBACK_TYPES[ct.base]
            return [Param("F", name, ct.base, length=NARGS if n else "")]
    elif ct.base in CALLBACK_STRUCTS and ct.stars == 1:
        e.needs.add("callback_struct")
        if use("callback_struct"):
            return [Param("SL" if e.name in STRUCT_LISTS else "S", name,
                          ct.base)]
    elif ct.base in STRUCTS and ct.stars == 1:
        e.needs.add("struct")
        if use("struct"):
            return [Param("S", name, ct.base)]
        e.unsupported.append("struct_handle")
    return [value(ct, name, where)]


def length_names(fields):
    """The VALUE fields a struct's lengths name (HANDLES, SLOTS_N)."""
    return {w for kind, t, f in fields if kind in ("HANDLES", "SLOTS_N")
            for w in re.findall(r"\b[a-z_]\w*\b", t.split(",")[-1])}


def flat(params):
    """The parameters with each struct's fields in their place: what the
    test API's Python calls take (VALUE, HANDLE fields) and return (OUT
    fields), named `p->field`; for an HPyAPI_STRUCTS list, its first
    element's.  Pointer fields (arrays, slots, nested structs, functions)
    and the VALUE fields a length names are zero there (kind Z): the test
    API passes NULL arrays of length 0; the slot forms themselves run in
    tests/test_structs.py."""
    out = []
    for p in params:
        if p.kind not in ("S", "SL"):
            out.append(p)
            continue
        zero = length_names(STRUCTS[p.ctype])
        for kind, t, f in STRUCTS[p.ctype]:
            name = "%s->%s" % (p.name, f)
            if kind == "OUT":
                out.append(Param("O", name))
            elif kind == "HANDLE":
                out.append(Param("H", name))
            elif kind == "VALUE" and f not in zero:
                out.append(value(ctype(t), name, p.ctype))
            else:
                out.append(Param("Z", name))
    return out


def translate_func(slot, forms, steals):
    e = Entry(slot.api, slot.index, slot.name, "func", "function", slot.numpy)
    roles = list(ROLES.get(slot.name, []))
    names = ["a%d" % (i + 1) for i in range(len(slot.params))]
    for ct, name in zip(slot.params, names):
        e.params += translate_param(e, ct, name, names, roles, forms)
    if roles:
        raise ValueError("%s: ROLES lists more X ** parameters than it has"
                         % slot.name)
    r = slot.ret
    if r.base == "void" and not r.stars:
        e.ret = Param("N", "", "void")
    elif r.handle and r.stars == 1:
        e.ret = Param("H", "", "HPy")
    elif r.handle:
        e.needs.add("returned")
        if available("returned", forms):
            e.retlen, written = RETURNS[slot.name]
            e.ret = Param("P", "", "HPy *")
            for p in e.params:
                if p.name == written:
                    p.kind = "R"
        else:
            e.ret = Param("V", "", "int", "i", 4)
            e.params.append(Param("W", "result", length="result_n"))
    elif r.base in RETURNED_TABLES and r.stars == 1:
        e.needs.add("returned_table")
        if available("returned_table", forms):
            e.ret = Param("T", "", "%s *" % r.base, ref=r.base)
            e.notes.append("with `#define HPyAPI_RETURNS_%s HPyAPI_TABLE(%s)`"
                           % (slot.name, r.base))
        else:
            e.ret = value(r, "", slot.name)
    else:
        if r.base in CALLBACK_STRUCTS:
            raise ValueError("%s: returns %s; add it to RETURNED_TABLES"
                             % (slot.name, r.text))
        e.ret = value(r, "", slot.name)
    if slot.name in NOTES:
        e.notes.append(NOTES[slot.name])
    if slot.name in steals:
        e.notes.append("NumPy steals argument %d; borrowed here, as every "
                       "hpyapi argument" % steals[slot.name])
    if "%s.%s" % (e.api, e.name) in CONST_DROPPED:
        e.notes.append("a by-value `const int` parameter is declared `int` "
                       "(the same function type): hpyapi's trampolines do not "
                       "compile a `const` by-value parameter today")
    if O_LOOP.match(slot.name):
        e.notes.append("an object-dtype loop: the `PyObject *` it finds in "
                       "the data buffers are NumPy's business, not converted")
    return e


def translate_slot(slot, forms, steals):
    if slot.kind == "func":
        e = translate_func(slot, forms, steals)
    elif slot.kind == "unused":
        e = Entry(slot.api, slot.index, slot.name, "retired", "unused",
                  ret=Param("N", "", "void"))
    elif slot.kind == "array":
        e = Entry(slot.api, slot.index, slot.name, "func", "data",
                  slot.numpy, ret=Param("P", "", "HPy *"), needs={"returned"},
                  retlen=OBJECT_ARRAYS[slot.name])
        e.notes.append("NumPy's %s objects in one data slot: a function "
                       "returning them, new handles the caller frees "
                       "(`HPyAPI_FreeHandles`), as an `OBJECT` entry returns "
                       "its one object" % e.retlen)
    elif slot.ret.handle and slot.ret.stars <= 1:
        e = Entry(slot.api, slot.index, slot.name, "object", "data",
                  slot.numpy)
    else:
        e = Entry(slot.api, slot.index, slot.name, "func", "data", slot.numpy,
                  ret=value(slot.ret, "", slot.name), needs={"data"})
        if available("data", forms):
            e.kind = "data"
    if slot.extra and slot.kind != "unused":
        e.category = "dtype"
    e.faithful = not e.unsupported and all(
        available(f, forms) and f in RENDERED for f in e.needs)
    return e


def assign_since(slots):
    """hpyapi minors only append entries.  NumPy's feature versions become
    `since` minors when they grow with the index; NumPy also fills old holes
    (slot 65 in 2.0, 223 in 2.3), which an appending scheme cannot say, and
    then every entry is `since` 0.  Returns (sinces, minor)."""
    versions = sorted({s.min_version for s in slots})
    rank = {v: i for i, v in enumerate(versions)}
    sinces, top = [], 0
    for s in slots:
        if s.kind != "unused":
            if rank[s.min_version] < top:
                return [0] * len(slots), 0
            top = rank[s.min_version]
        sinces.append(top)
    return sinces, top


def translate(include=None, forms=FORMS):
    """{api: (minor, [Entry per slot])} for npyma (multiarray) and npyuf."""
    out = {}
    steals = read_steals(include)
    for api, slots in read_slots(include).items():
        sinces, minor = assign_since(slots)
        entries = [translate_slot(s, forms, steals) for s in slots]
        for e, since in zip(entries, sinces):
            e.since = since
        out[api] = (minor, entries)
    return out


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
        __file__))))
    from numpy_api import report
    sys.exit(report.main(sys.argv[1:]))
