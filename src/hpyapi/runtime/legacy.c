/* legacy.c - the runtime half of hpyapi/legacy.h: importing a classic
 * C-API table (a `void **` in a PyCapsule, as NumPy's `_ARRAY_API`) and
 * the slow path of its bridge functions.
 *
 * Compiled with the consumer's HPy ABI; the caller's context is always the
 * consumer's own (valid, since it is calling).  Handles become PyObject*
 * by the offset of their encoding where it is known (CPython ABI: 0;
 * universal and trace on CPython: +1, checked once on None by convert.c)
 * and through the context's own AsPyObject/FromPyObject otherwise, which is
 * what a debug context needs: the objects it returns are new references,
 * dropped after the call, and the handles it opens for results are the
 * caller's to close, so hpy's LeakDetector sees them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "hpyapi/legacy.h"
#include "internal.h"
#include "cpython.h"
#include "legacy_py.h"
#include "hooks.h"

/* How the handles of the importing module's family become PyObject*
 * (convert.c): an offset, the debug API, or the context's
 * AsPyObject/FromPyObject.  Learned once at import (the module's calls all
 * come with contexts of that family); calls only read it. */
static intptr_t conv_of(const HPyAPI_Legacy *L)
{
    return _HPyAPI_ConvNow(NULL, L->kind);
}

/* ---- import ----------------------------------------------------------------- */

static int import_error(HPyContext *ctx, const HPyAPI_Legacy *L,
                        const char *fmt, ...)
{
    char prefix[512];
    snprintf(prefix, sizeof prefix,
             "hpyapi: cannot import the legacy '%s' API from module '%s' "
             "(attribute '%s'): ", L->api, L->module, L->attr);
    va_list ap;
    va_start(ap, fmt);
    _HPyAPI_SetErrorV(ctx, HPYAPI_EXC_IMPORT, prefix, fmt, ap);
    va_end(ap);
    return -1;
}

typedef unsigned int (*version_fn)(void);

/* The legacy API's own version check, through its own entries, as its
 * import function (NumPy's import_array) would run it. */
static int check_versions(HPyContext *ctx, const HPyAPI_Legacy *L,
                          const HPyAPI_Slot *funcs)
{
    const HPyAPI_LegacyVersions *v = &L->versions;
    uint32_t need = v->feature;
    const char *needed_by = NULL;
    for (uint32_t i = 0; i < L->n_entries; i++)
        if (L->entries[i].since > need) {
            need = L->entries[i].since;
            needed_by = L->entries[i].name;
        }
    if (v->abi_index >= 0) {
        unsigned int abi = ((version_fn)funcs[v->abi_index])();
        if (abi != v->abi)
            return import_error(
                ctx, L, "its ABI version is 0x%x (%s()) but this extension "
                "was built for ABI version 0x%x; %s", abi, v->abi_entry,
                v->abi, abi > v->abi ? "rebuild it against the installed "
                "version" : "upgrade the module");
    }
    if (v->feature_index < 0)
        return 0;
    unsigned int feature = ((version_fn)funcs[v->feature_index])();
    if (feature < need)
        return import_error(
            ctx, L, "its feature version is 0x%x (%s()) but this extension "
            "needs 0x%x or newer%s%s%s; upgrade the module", feature,
            v->feature_entry, need, needed_by ? " (for " : "",
            needed_by ? needed_by : "", needed_by ? ")" : "");
    return 0;
}

HPYAPI_INTERNAL int _HPyAPI_LegacyImport(HPyContext *ctx, HPyAPI_Legacy *L,
                                         HPy module)
{
    if (!HAVE_REFCOUNTS())
        return import_error(ctx, L, "lending objects to a C-API table needs "
                            "Py_IncRef and Py_DecRef, which this interpreter "
                            "does not export");
    HPy mod = HPyImport_ImportModule(ctx, L->module);
    if (HPy_IsNull(mod)) {
        char prefix[512];
        snprintf(prefix, sizeof prefix, "hpyapi: cannot import the legacy "
                 "'%s' API from module '%s': ", L->api, L->module);
        /* chained to the module's own error; where chaining is not
           available that error stays, unchanged */
        _HPyAPI_WrapPendingError(ctx, HPYAPI_EXC_IMPORT, prefix,
                                 "importing it raised", "");
        return -1;
    }
    HPy cap = HPy_GetAttr_s(ctx, mod, L->attr);
    HPy_Close(ctx, mod);
    if (HPy_IsNull(cap)) {
        HPyErr_Clear(ctx);
        return import_error(ctx, L, "the module has no such attribute");
    }
    int valid = HPyCapsule_IsValid(ctx, cap, L->capsule_name);
    void *table = valid ? HPyCapsule_GetPointer(ctx, cap, L->capsule_name)
                        : NULL;
    HPy_Close(ctx, cap);
    if (!valid)
        return import_error(ctx, L, "the attribute is not %s%s%s",
                            L->capsule_name ? "a PyCapsule named '"
                                            : "an unnamed PyCapsule",
                            L->capsule_name ? L->capsule_name : "",
                            L->capsule_name ? "'" : "");
    if (table == NULL)
        return import_error(ctx, L, "the capsule holds NULL");
    const HPyAPI_Slot *funcs = (const HPyAPI_Slot *)table;
    if (check_versions(ctx, L, funcs) < 0)
        return -1;
    L->funcs = funcs;
    L->data = (void *const *)table;
    /* the fast path serves the family this module runs in, when its
       handles are pointer arithmetic away from their objects */
    L->kind = _HPyAPI_KindOf(ctx);
    _HPyAPI_LearnConv(ctx, L->kind);
    intptr_t off = conv_of(L);
    if (off >= 0) {
        L->offset = off;
        L->fast_tag = _HPyAPI_CtxWord(ctx);
    }
    _HPyAPI_LegacyRefresh(L); /* hooks set before a re-import stay on */
    return HPy_IsNull(module) ? 0 : _HPyAPI_LegacyPublish(ctx, L, module);
}

/* ---- the slow path ------------------------------------------------------------ */

HPYAPI_INTERNAL int _HPyAPI_LegacyBegin(HPyContext *ctx, HPyAPI_Legacy *L,
                                        uint32_t pos, HPyAPI_LegacyCall *c)
{
    c->ctx = ctx;
    c->conv = conv_of(L);
    c->failed = 0;
    c->n_owned = 0;
    c->L = L;
    c->pos = pos;
    c->hook.rec = NULL;
    struct HPyAPI_Hooks *h = __atomic_load_n(&L->hooks, __ATOMIC_ACQUIRE);
    if (h == NULL || _HPyAPI_HookFlags(h, pos) == 0) /* the common case */
        return 0;
    /* the caller is the code of this module that called the bridge */
    return _HPyAPI_HookBegin(h, ctx, _HPyAPI_KindOf(ctx), pos,
                             __builtin_return_address(0), &c->hook);
}

/* A handle argument as a PyObject* borrowed for the call: directly, or a
 * new reference kept in `c` and dropped by _HPyAPI_LegacyEnd. */
HPYAPI_INTERNAL struct _object *_HPyAPI_LegacyArg(HPyAPI_LegacyCall *c, HPy h)
{
    if (c->failed || HPy_IsNull(h))
        return NULL;
    if (c->conv != HPYAPI_CONV_CTX) /* borrowed as it is */
        return (struct _object *)_HPyAPI_CallerToPy(c->ctx, c->conv, h);
    struct _object *o = CTX_AS_PY(c->ctx, h);
    if (o == NULL || c->n_owned == HPYAPI_L_MAX_OWNED) {
        c->failed = 1; /* AsPyObject raised (the list cannot overflow:
                          a call has fewer parameters) */
        if (o != NULL)
            PY_DECREF(o);
        return NULL;
    }
    c->owned[c->n_owned++] = o;
    return o;
}

HPYAPI_INTERNAL void _HPyAPI_LegacyEnd(HPyAPI_LegacyCall *c)
{
    for (int i = 0; i < c->n_owned; i++)
        PY_DECREF(c->owned[i]);
    c->n_owned = 0;
    if (c->hook.rec != NULL && !c->failed) /* failed: the call was not made */
        _HPyAPI_HookEnd(c->L->hooks, c->pos, &c->hook);
}

/* A result as a new handle of the caller's context; a new reference `o`
 * passes to it, a borrowed one is taken first.  NULL stays NULL, with the
 * legacy function's exception left as it is. */
HPYAPI_INTERNAL HPy _HPyAPI_LegacyResult(HPyAPI_LegacyCall *c,
                                         struct _object *o, int borrowed)
{
    if (o == NULL)
        return HPy_NULL;
    if (borrowed)
        PY_INCREF(o);
    /* consumes the reference */
    return _HPyAPI_CallerFromPy(c->ctx, c->conv, (cpy_PyObject *)(void *)o);
}

HPYAPI_INTERNAL struct _object *_HPyAPI_LegacyBorrow(HPyContext *ctx,
                                                     const HPyAPI_Legacy *L,
                                                     HPy h)
{
    if (HPy_IsNull(h))
        return NULL;
    intptr_t conv = conv_of(L);
    if (conv != HPYAPI_CONV_CTX) /* borrowed as it is */
        return (struct _object *)_HPyAPI_CallerToPy(ctx, conv, h);
    /* the open handle keeps the object alive: lend it without the
       reference AsPyObject took */
    struct _object *o = CTX_AS_PY(ctx, h);
    if (o != NULL)
        PY_DECREF(o);
    return o;
}
