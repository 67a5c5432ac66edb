"""A user's own macros never change what hpyapi's macros generate.

hpyapi classifies parameters and results in the preprocessor; an answer
that were a bare token such as `N`, `V` or `LIST` would be replaced by a
user's `#define N 10` on its way (a real failure: `#define H 1` before a
declaration broke HPyAPI_DECLARE).  Here every test API of the suite --
between them every parameter form, callbacks, structs, slot types, returned
arrays and data -- is declared, defined by an exporter, used by an HPy
consumer and by a C-API consumer, after the user has defined every short
name the probes could produce (each as an identifier nothing declares, so
any expansion is a compile error), with gcc and g++ at -O2 -Werror.
"""
from pathlib import Path

import pytest

import hpyapi
from strict import COMPILERS, PY_INCLUDE, abi_flags, build

TESTS_C = Path(__file__).resolve().parent / "c"

USER_MACROS = ([chr(c) for c in range(ord("A"), ord("Z") + 1)] +
               "FN FNL FNX FNS AL WL IO AE WE BAD ONE LIST HANDLE HANDLES "
               "VALUE SLOTS SLOTS_N STRUCT STRUCTS KEPT OUT LEN OF SN DATA".split())

# (header, API, list, the data entries' declarations an exporter needs)
APIS = [
    ("testapi.h", "testapi", "TESTAPI", ""),
    ("outapi.h", "outapi", "OUTAPI", ""),
    ("cbapi.h", "cbapi", "CBAPI", ""),
    ("ioapi.h", "ioapi", "IOAPI", ""),
    ("lenapi.h", "lenapi", "LENAPI", ""),
    ("retapi.h", "retapi", "RETAPI", ""),
    ("formsapi.h", "formsapi", "FORMSAPI",
     "extern FORMS_NUT_TYPE NumUserTypes; extern forms_version ApiVersion; "
     "extern const char *BuildName;"),
    ("specapi.h", "specapi", "SPECAPI", ""),
    ("fnapi.h", "fnapi", "FNAPI", ""),
    ("tblapi.h", "tblapi", "TBLAPI", ""),
    ("thrapi.h", "thr", "THR_API", ""),
]


def user_macros():
    return "".join("#define %s user_macro_%s_was_expanded\n" % (m, m)
                   for m in USER_MACROS)


def translation_unit(role):
    head = {"exporter": '#include <string.h>\n#include "hpy.h"\n'
                        '#include "hpyapi.h"\n#define HPYAPI_EXPORTER 1\n',
            "consumer": '#include <string.h>\n#include "hpy.h"\n'
                        '#include "hpyapi.h"\n',
            "capi": "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n"
                    '#include <string.h>\n#include "hpyapi.h"\n'}[role]
    parts = [head, user_macros()]
    for header, api, lst, data in APIS:
        parts.append('#include "%s"\n' % header)
        if role == "exporter":
            parts.append("HPyAPI_PROTOTYPES(%s);\n%s\nHPyAPI_DEFINE(%s, %s);\n"
                         % (lst, data, api, lst))
        elif role == "consumer":
            parts.append('HPyAPI_USE_DEFINE(%s, %s, "m_%s");\n'
                         % (api, lst, api))
        else:
            parts.append('HPyAPI_USE_CAPI_DEFINE(%s, %s, "m_%s");\n'
                         % (api, lst, api))
    return "".join(parts)


def test_every_test_api_is_covered():
    declared = {p.name for p in TESTS_C.glob("*.h")
                if "HPyAPI_DECLARE(" in p.read_text()}
    assert declared == {h for h, _, _, _ in APIS}


@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("role", ["exporter", "consumer", "capi"])
def test_user_macros_with_short_names(role, compiler, tmp_path):
    src = translation_unit(role)
    if role == "capi":
        flags = ["-isystem", PY_INCLUDE, "-I" + hpyapi.get_include()]
    else:
        flags = abi_flags("universal")
    res = build(src, compiler, tmp_path, flags + ["-I" + str(TESTS_C)])
    assert res.returncode == 0 and res.stdout == "", res.stdout[:3000]
    assert "was_expanded" not in res.stdout
