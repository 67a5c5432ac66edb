/* hpyapi/kinds.h - the parameter kinds, one header each.
 *
 * pp.h reads a declaration's parameter, `(T, name ...)`, and names its
 * kind; a generator family -- one thing generated per parameter, such
 * as a prototype's parameter or a frame's field -- is one macro per
 * kind, HPYAPI_G_<family>_<kind>, and every kind's macros live
 * together in its own header.  A new kind is one new header here (a
 * macro for every family: tests/test_map.py fails on a missing one),
 * its line in pp.h's dispatch, its runtime conversion and its docs.
 *
 * Kinds:
 *   H   kinds/handle.h        (HPy, x): a handle argument, borrowed from the
 *                             caller
 *   V   kinds/value.h         (T, x): any other type, passed by value
 *   N   kinds/void.h          (void): no parameters
 *   O   kinds/out.h           (HPy *, x): an out-handle the exporter writes
 *                             (new, caller-owned)
 *   IO  kinds/inout.h         (HPy *, x, HPyAPI_INOUT): a caller-owned handle
 *                             the exporter may replace
 *   A   kinds/array.h         (const HPy *, p, n): a handle array and its
 *                             length parameter
 *   AL  kinds/array_len.h     (const HPy *, p, HPyAPI_LEN(n)): a handle array
 *                             whose length is another parameter
 *   AE  kinds/array_expr.h    (const HPy *, p, HPyAPI_LEN_EXPR(e)): a handle
 *                             array of a fixed or implied length
 *   W   kinds/filled.h        (HPy *, p, n): an array the exporter fills, and
 *                             its length parameter
 *   WL  kinds/filled_len.h    (HPy *, p, HPyAPI_LEN(n)): a filled array whose
 *                             length is another parameter
 *   WE  kinds/filled_expr.h   (HPy *, p, HPyAPI_LEN_EXPR(e)): a filled array
 *                             of a fixed or implied length
 *   C   kinds/callback.h      (HPyAPI_CB(...) or HPyAPI_KEPT_CB(...), f,
 *                             data): a callback and its data
 *   S   kinds/struct.h        (HPyAPI_STRUCT(Name) *, p): a struct carrying
 *                             handles and functions (hpyapi/structs.h)
 *   FN  kinds/fn.h            (HPyAPI_FN(type), f): a function of a slot
 *                             type (HPyAPI_SLOT_TYPE), no user data
 *   FNL kinds/fn.h            (HPyAPI_FN(type), f, HPyAPI_LEN_EXPR(e)): the
 *                             same, its HPyAPI_SLOT_LEN arrays of e handles
 *   FNX kinds/fn.h            (HPyAPI_FN(type), f, x): refused, one error
 *
 * Families: what each kind's macro generates [the headers using it]
 *   HASX      `, 1` for an HPyAPI_LEN_EXPR length (AE, WE): the entry's
 *             length-check function [pp.h]
 *   PROTO     the parameter in an HPy prototype, after `HPyContext *ctx`
 *             [consumer.h, decl.h, forms.h, trampoline.h]
 *   CPROTO    the parameter in the CPython-API table's prototype (handles
 *             are PyObject *) [capi.h, decl.h, trampoline.h]
 *   UNUSED    silences the parameter in stubs (retired, unimported) [capi.h,
 *             consumer.h, forms.h, trampoline.h]
 *   SIG       the parameter's C type in the signature string (names left
 *             out) [decl.h]
 *   NSIG      the same, named, for entries with named lengths (pp.h's
 *             HPYAPI_HAS_LEN)
 *             [decl.h]
 *   CHECK     the static assertion that the parameter's type fits its kind
 *             [decl.h]
 *   ARG       the parameter as a call argument [trampoline.h]
 *   INIT      the parameter in a frame's brace initialiser [trampoline.h]
 *   FARG      the call argument read from frame X [trampoline.h]
 *   FIELD     the parameter's frame field(s) [decl.h, trampoline.h]
 *   DESC      the parameter's descriptor for the runtime (HPyAPI_ArgDesc),
 *             frame type X [trampoline.h]
 *   SMALL     `&& cond`: the rebased fast paths can take this argument now
 *             [trampoline.h]
 *   ABUF      the on-stack buffer of a rebased array (X: the delta)
 *             [trampoline.h]
 *   REBASE    the argument of the rebased direct call (X: the delta)
 *             [trampoline.h]
 *   OFIX      after the rebased call: out- and in-out handles back in the
 *             caller's encoding [trampoline.h]
 *   COFIX     the same for the CPython-API trampoline [trampoline.h]
 *   CWRAP     the argument of the CPython-API direct call, handles offset by
 *             X [trampoline.h]
 *   CINIT     the CPython-API slow path's argument to the generic
 *             trampoline (a PyObject * is a CPython-ABI handle) [trampoline.h]
 *   LENCHECK  the check of an HPyAPI_LEN_EXPR length, in the entry's check
 *             function [forms.h]
 *   LOCAL     the parameter as a local of the callback trampolines [forms.h]
 *   HASCB     `, 1` for a callback parameter: the entry needs callback.c [?]
 *   CBDEF     a callback parameter's reverse trampolines (X: the entry)
 *             [trampoline.h]
 *   CBARG     a callback parameter's record for the runtime
 *             (HPyAPI_CallbackArg) [trampoline.h]
 */
#ifndef HPYAPI_KINDS_H
#define HPYAPI_KINDS_H

#include "hpyapi/kinds/handle.h"
#include "hpyapi/kinds/value.h"
#include "hpyapi/kinds/void.h"
#include "hpyapi/kinds/out.h"
#include "hpyapi/kinds/inout.h"
#include "hpyapi/kinds/array.h"
#include "hpyapi/kinds/array_len.h"
#include "hpyapi/kinds/array_expr.h"
#include "hpyapi/kinds/filled.h"
#include "hpyapi/kinds/filled_len.h"
#include "hpyapi/kinds/filled_expr.h"
#include "hpyapi/kinds/callback.h"
#include "hpyapi/kinds/struct.h"
#include "hpyapi/kinds/fn.h"

#endif /* HPYAPI_KINDS_H */
