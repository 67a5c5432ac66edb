/* errors.c - how hpyapi raises.  The wording of each message lives next to
 * the check that raises it (validate.c, export.c, import.c, transform.c);
 * this file decides which context raises it and how it is prefixed.
 */
#include <stdarg.h>
#include <stdio.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"
#include "cpython.h"

static HPy exc_type(HPyContext *ctx, int exc)
{
    switch (exc) {
    case HPYAPI_EXC_TYPE: return ctx->h_TypeError;
    case HPYAPI_EXC_VALUE: return ctx->h_ValueError;
    case HPYAPI_EXC_RUNTIME: return ctx->h_RuntimeError;
    case HPYAPI_EXC_MEMORY: return ctx->h_MemoryError;
    case HPYAPI_EXC_IMPORT: return ctx->h_ImportError;
    case HPYAPI_EXC_NOTIMPL: return ctx->h_NotImplementedError;
    default: return ctx->h_SystemError;
    }
}

/* With a context the caller holds (export and import run in the module's
 * own HPy_mod_exec): prefix + formatted reason. */
HPYAPI_INTERNAL void _HPyAPI_SetErrorV(HPyContext *ctx, int exc,
                                       const char *prefix, const char *fmt,
                                       va_list ap)
{
    char reason[1024], msg[1536];
    vsnprintf(reason, sizeof reason, fmt, ap);
    snprintf(msg, sizeof msg, "%s%s", prefix, reason);
    HPyErr_SetString(ctx, exc_type(ctx, exc), msg);
}

/* Replaces the pending exception with exc("<prefix><what> <Type>: <message>
 * of the original><hint>"), chained from the original (its __cause__), so
 * that the user sees both.  Returns 0, or -1 (original left in place) where
 * the CPython C-API is not reachable. */
HPYAPI_INTERNAL int _HPyAPI_WrapPendingError(HPyContext *ctx, int exc,
                                             const char *prefix,
                                             const char *what,
                                             const char *hint)
{
    if (!HPYAPI_HAVE_CHAINING())
        return -1;
    cpy_PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    if (t == NULL || v == NULL) {
        PyErr_Restore(t, v, tb);
        return -1;
    }
    cpy_PyObject *tname = PyObject_GetAttrString(t, "__name__");
    cpy_PyObject *text = PyObject_Str(v);
    const char *tname_s = tname ? PyUnicode_AsUTF8(tname) : NULL;
    const char *text_s = text ? PyUnicode_AsUTF8(text) : NULL;
    PyErr_Clear(); /* a failed description must not replace the error */
    char msg[1536];
    snprintf(msg, sizeof msg, "%s%s %s: %s%s", prefix, what,
             tname_s ? tname_s : "an exception", text_s ? text_s : "",
             hint);
    HPYAPI_PY_XDECREF(tname);
    HPYAPI_PY_XDECREF(text);
    if (tb != NULL)
        PyException_SetTraceback(v, tb);

    HPyErr_SetString(ctx, exc_type(ctx, exc), msg);
    cpy_PyObject *t2, *v2, *tb2;
    PyErr_Fetch(&t2, &v2, &tb2);
    PyErr_NormalizeException(&t2, &v2, &tb2);
    Py_IncRef(v);
    PyException_SetCause(v2, v);   /* steals a reference */
    PyException_SetContext(v2, v); /* steals the other */
    PyErr_Restore(t2, v2, tb2);
    HPYAPI_PY_XDECREF(t);
    HPYAPI_PY_XDECREF(tb);
    return 0;
}

/* On the call path the caller's context may be of any family, so errors
 * are raised through the exporter's: it is the one context hpyapi can
 * always make valid, and the error indicator is per thread, shared by all
 * contexts. */
typedef struct {
    int exc;
    const char *msg;
} raise_args;

static void raise_in_exporter(HPyContext *ctx, void *arg)
{
    raise_args *r = (raise_args *)arg;
    HPyErr_SetString(ctx, exc_type(ctx, r->exc), r->msg);
}

/* Errors of one call start with "<module>: <api> API, <entry>(): ". */
HPYAPI_INTERNAL void _HPyAPI_RaiseCall(HPyAPI_Token *tok, uint32_t idx, int exc,
                                       const char *fmt, ...)
{
    const HPyAPI_Spec *spec = tok->get_spec();
    char reason[1024], msg[1536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "%s: %s API, %s(): %s",
             tok->header->module_name ? tok->header->module_name
                                      : "(module not exported yet)",
             spec->api_name,
             idx < spec->n_entries ? spec->entries[idx].name : "?", reason);
    raise_args r = {exc, msg};
    _HPyAPI_Enter(tok, raise_in_exporter, &r);
}

/* A trampoline of a table that was never exported has no exporter to
 * raise through; the caller may be of any family, so this goes through
 * CPython's C-API directly. */
HPYAPI_INTERNAL void _HPyAPI_RaiseUnbound(HPyContext *ctx, uint32_t kind,
                                          uint32_t idx)
{
    (void)ctx;
    char msg[400];
    snprintf(msg, sizeof msg,
             "hpyapi: entry %u of an API table was called (by a %s caller) "
             "before its exporter published the table; call "
             "HPyAPI_Export(ctx, module, API, &table) in the exporter's "
             "HPy_mod_exec before calling through the table",
             (unsigned)idx, _HPyAPI_KindLabel(kind));
    HPYAPI_PY_RUNTIME_ERROR(msg);
}

HPYAPI_INTERNAL void _HPyAPI_RaiseRetired(const HPyAPI_Route *r, uint32_t idx)
{
    HPyAPI_Token *tok = r->tok;
    if (tok == NULL) {
        _HPyAPI_RaiseUnbound(NULL, HPYAPI_KIND_UNKNOWN, idx);
        return;
    }
    const HPyAPI_Spec *spec = tok->get_spec();
    _HPyAPI_RaiseCall(tok, idx, HPYAPI_EXC_NOTIMPL,
                      "this entry is retired in %s %u.%u (its slot is kept "
                      "only so that old binaries still load); stop calling "
                      "it and rebuild against the current declaration",
                      spec->api_name, spec->major, spec->minor);
}

static void null_result(HPyContext *ctx, void *arg)
{
    *(int *)arg = HPyErr_Occurred(ctx);
}

/* The exporter returned HPy_NULL to a CPython-API caller: its C code (and
 * Cython's, which crashes on CPython 3.12+ otherwise) expects an exception
 * with NULL, as CPython itself does of a function's result. */
HPYAPI_INTERNAL struct _object *_HPyAPI_NullResultC(const HPyAPI_Route *r,
                                                    uint32_t idx)
{
    int occurred = 1;
    if (r->tok != NULL)
        _HPyAPI_Enter(r->tok, null_result, &occurred);
    if (!occurred)
        _HPyAPI_RaiseCall(r->tok, idx, HPYAPI_EXC_SYSTEM,
                          "returned NULL without setting an exception; an "
                          "entry that fails must set one (HPyErr_SetString) "
                          "before returning HPy_NULL");
    return NULL;
}

/* A stub of HPyAPI_USE's table: runs in the consumer's own context. */
HPYAPI_INTERNAL void _HPyAPI_RaiseUnimported(HPyContext *ctx,
                                             const HPyAPI_Use *use,
                                             const char *entry)
{
    char msg[512];
    snprintf(msg, sizeof msg,
             "hpyapi: %s() of the '%s' API was called before the API was "
             "imported; %s (it imports '%s') and check that it returned 0",
             entry, use->api, use->fix, use->module);
    HPyErr_SetString(ctx, ctx->h_RuntimeError, msg);
}

#ifdef HPY_ABI_CPYTHON
/* The same, for HPyAPI_USE_CAPI's stubs in a plain C-API consumer. */
HPYAPI_INTERNAL void _HPyAPI_RaiseUnimportedC(const HPyAPI_Use *use,
                                              const char *entry)
{
    _HPyAPI_RaiseUnimported(_HPyGetContext(), use, entry);
}
#endif
