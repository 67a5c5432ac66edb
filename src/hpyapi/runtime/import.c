/* import.c - HPyAPI_Import: find an exporter's capsule and check it.
 * Compiled with the consumer's HPy ABI; runs with the consumer's own
 * (valid) context.  The checks themselves are pure C, in validate.c.
 */
#define _GNU_SOURCE 1 /* dladdr */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"

static void import_prefix(char *prefix, size_t size, const char *module,
                          const HPyAPI_Spec *spec)
{
    snprintf(prefix, size,
             "hpyapi: cannot import the '%s' API (version %u.%u) from module "
             "'%s': ", spec->api_name, spec->major, spec->minor, module);
}

static void *import_error(HPyContext *ctx, const char *module,
                          const HPyAPI_Spec *spec, const char *fmt, ...)
{
    char prefix[512];
    import_prefix(prefix, sizeof prefix, module, spec);
    va_list ap;
    va_start(ap, fmt);
    _HPyAPI_SetErrorV(ctx, HPYAPI_EXC_IMPORT, prefix, fmt, ap);
    va_end(ap);
    return NULL;
}

/* "a capsule named 'x'" or "an object of type 'T'", for messages. */
static void describe_object(HPyContext *ctx, HPy obj, char *out, size_t size)
{
    const char *cap_name = HPyCapsule_GetName(ctx, obj);
    if (!HPyErr_Occurred(ctx)) {
        snprintf(out, size, "a capsule named '%s'",
                 cap_name ? cap_name : "(NULL)");
        return;
    }
    HPyErr_Clear(ctx);
    snprintf(out, size, "an object of unknown type");
    HPy type = HPy_Type(ctx, obj);
    HPy name = HPy_IsNull(type) ? HPy_NULL
                                : HPy_GetAttr_s(ctx, type, "__name__");
    HPy_ssize_t len;
    const char *s = HPy_IsNull(name) ? NULL
                                     : HPyUnicode_AsUTF8AndSize(ctx, name, &len);
    if (s != NULL)
        snprintf(out, size, "an object of type '%s'", s);
    HPyErr_Clear(ctx);
    HPy_Close(ctx, name);
    HPy_Close(ctx, type);
}

HPYAPI_INTERNAL void *_HPyAPI_Import(HPyContext *ctx, const char *module,
                                     const HPyAPI_Spec *spec,
                                     uint32_t min_minor, uint32_t table_kind,
                                     const char *attr,
                                     const char *capsule_name)
{
    /* the context this module's code calls with (with the test switch,
       its private instance is installed here, before anything runs) */
    HPyContext *call_ctx = _HPyAPI_ModuleCtx(ctx);
    HPy mod = HPyImport_ImportModule(ctx, module);
    if (HPy_IsNull(mod)) {
        int missing = HPyErr_ExceptionMatches(ctx, ctx->h_ModuleNotFoundError);
        const char *hint = missing ? "; install the package that provides "
                                     "it, or fix the module name passed to "
                                     "HPyAPI_Import"
                                   : "";
        char prefix[512];
        import_prefix(prefix, sizeof prefix, module, spec);
        if (_HPyAPI_WrapPendingError(ctx, HPYAPI_EXC_IMPORT, prefix,
                                     "importing it raised", hint) == 0)
            return NULL;
        if (!missing)
            return NULL; /* the exporter's own error, unchanged */
        HPyErr_Clear(ctx);
        return import_error(ctx, module, spec, "no module named '%s' was "
                            "found%s", module, hint);
    }
    HPy cap = HPy_GetAttr_s(ctx, mod, attr);
    HPy_Close(ctx, mod);
    if (HPy_IsNull(cap)) {
        if (!HPyErr_ExceptionMatches(ctx, ctx->h_AttributeError))
            return NULL;
        HPyErr_Clear(ctx);
        return import_error(ctx, module, spec,
                            "the module has no attribute '%s', so it does "
                            "not export this API; its HPy_mod_exec must call "
                            "HPyAPI_Export(ctx, module, %s, &table)",
                            attr, spec->api_name);
    }
    if (!HPyCapsule_IsValid(ctx, cap, capsule_name)) {
        char found[300];
        describe_object(ctx, cap, found, sizeof found);
        HPy_Close(ctx, cap);
        return import_error(ctx, module, spec,
                            "attribute '%s' is %s; expected a capsule named "
                            "'%s' made by HPyAPI_Export",
                            attr, found, capsule_name);
    }
    const HPyAPI_Header *h =
        (const HPyAPI_Header *)HPyCapsule_GetPointer(ctx, cap, capsule_name);
    HPy_Close(ctx, cap);
    if (h == NULL && HPyErr_Occurred(ctx))
        return NULL;

    char reason[1024];
    if (_HPyAPI_CheckHeader(h, spec, min_minor, table_kind, module, reason,
                            sizeof reason) < 0)
        return import_error(ctx, module, spec, "%s", reason);
    /* Tell the exporter who we are, for hooks that count per caller.  This
       is the one exporter function an import calls: it must at least lie
       in a loaded shared object (a forged pointer elsewhere would crash
       here, not in the exporter). */
    static const char here; /* any object of this shared object */
    Dl_info me, fn;
    if (!dladdr((const void *)(uintptr_t)h->control->register_importer, &fn))
        return import_error(ctx, module, spec,
                            "the capsule's control function register_importer "
                            "(%p) is not code of any loaded shared object; the "
                            "capsule is corrupted or forged: reinstall '%s'",
                            (void *)(uintptr_t)h->control->register_importer,
                            module);
    if (dladdr(&here, &me) && me.dli_fname != NULL)
        h->control->register_importer(
            h->token, me.dli_fbase, me.dli_fname,
            table_kind == HPYAPI_TABLE_CPYTHON ? HPYAPI_KIND_CAPI
                                               : _HPyAPI_KindOf(ctx));
    if (table_kind != HPYAPI_TABLE_HPY)
        return (void *)h->table;
    /* the table routed for the context instance this module's code calls
       with, chosen by the exporter now, once (runtime/routes.c) */
    const void *t = h->control->table_for(h->token, ctx, call_ctx);
    return (void *)(t != NULL ? t : h->table);
}

#ifdef HPY_ABI_CPYTHON
/* A plain C-API consumer compiles this file for the CPython ABI (see
 * hpyapi.capi_extension), so it runs exactly the checks above, with the
 * CPython-ABI context every such file has. */
HPYAPI_INTERNAL void *_HPyAPI_ImportCAPI(const char *module,
                                         const HPyAPI_Spec *spec,
                                         uint32_t min_minor, const char *attr,
                                         const char *capsule_name)
{
    return _HPyAPI_Import(_HPyGetContext(), module, spec, min_minor,
                          HPYAPI_TABLE_CPYTHON, attr, capsule_name);
}
#endif
