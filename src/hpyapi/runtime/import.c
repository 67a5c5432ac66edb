/* import.c - HPyAPI_Import: find an exporter's capsule and check it.
 * Compiled with the consumer's HPy ABI; runs with the consumer's own
 * (valid) context.  The checks themselves are pure C, in validate.c.
 */
#define _GNU_SOURCE 1 /* dladdr */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"
#include "cpython.h"
#include "rules.h"

static void import_prefix(char *prefix, size_t size, const char *module,
                          const HPyAPI_Spec *spec)
{
    snprintf(prefix, size,
             "hpyapi: cannot import the '%s' API (version %u.%u) from module "
             "'%s': ", spec->api_name, spec->major, spec->minor, module);
}

static void *import_error(HPyContext *ctx, const char *module,
                          const HPyAPI_Spec *spec, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

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

static void *import_table(HPyContext *ctx, const char *module,
                          const HPyAPI_Spec *spec, uint32_t min_minor,
                          uint32_t table_kind, const char *attr,
                          const char *capsule_name)
{
    /* the context this module's code calls with (with the test switch,
       its private instance is installed here, before anything runs) */
    HPyContext *call_ctx = _HPyAPI_ModuleCtx(ctx);
    HPy mod = HPyImport_ImportModule(ctx, module);
    if (HPy_IsNull(mod)) {
        int missing = HPyErr_ExceptionMatches(ctx, ctx->h_ModuleNotFoundError);
        /* the macro that named the module: one of two, per table kind */
        const char *hint =
            !missing ? ""
            : table_kind == HPYAPI_TABLE_CPYTHON
                ? "; install the package that provides it, or fix the module "
                  "name given to HPyAPI_ImportCAPI or HPyAPI_USE_CAPI_DEFINE"
                : "; install the package that provides it, or fix the module "
                  "name given to HPyAPI_Import or HPyAPI_USE_DEFINE";
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
    HPyAPI_RuleFacts facts = {0}, *f = &facts;
    f->field = "register_importer";
    f->address = (const void *)(uintptr_t)h->control->register_importer;
    f->module = module;
    if (!dladdr(f->address, &fn))
        return import_error(ctx, module, spec, HPYAPI_RULE_CONTROL_CODE(f));
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

/* ---- a failed import must not crash the process later ----------------------
 *
 * hpy 0.9.0's loader (hpy/universal/src/hpymodule.c, do_load) runs a
 * universal or hybrid module's HPy_mod_exec; when it fails it drops its
 * reference to the module and then PyMem_Free()s the PyModuleDef it made.
 * The module object outlives that whenever it is in a cycle -- and it
 * always is once it has methods: module -> __dict__ -> builtin function
 * -> __self__ = module -- so the next garbage collection traverses the
 * module and reads the freed definition (module_traverse, module_clear,
 * module_dealloc all read md_def).  A consumer that imports in its
 * HPy_mod_exec and returns -1 on failure, as the README teaches, walks
 * straight into it.  CPython-ABI HPy modules (the definition is never
 * freed) and plain C-API modules (a static one) are not exposed.
 *
 * The import does not know its module (HPyAPI_Import takes none), so on
 * failure it looks for it: a module object, not in sys.modules under its
 * name, without __file__ (importlib and hpy's stub set both once the load
 * succeeded), whose name's last component N has `HPyInit_N` in this very
 * shared object.  Clearing its dict breaks the cycles, so the module dies
 * when the loader drops it, before its definition is freed.  A module
 * that failed in its exec is never used again, so nothing is lost; a
 * module already loaded is not touched (one loaded by hand with
 * hpy.universal.load and kept outside sys.modules without __file__ would
 * look the same: hpy's stub, importlib and hpyapi.testing all set it). */
#ifndef HPY_ABI_CPYTHON
#ifdef HPY_ABI_UNIVERSAL
#define HPYAPI_HAVE_FETCH() (PyErr_Fetch && PyErr_Restore)
#else
#define HPYAPI_HAVE_FETCH() 1
#endif

/* Does `name`'s last component name a module this shared object inits? */
static int inits_here(const char *name)
{
    static const char here;
    Dl_info me, found;
    if (!dladdr(&here, &me) || me.dli_fname == NULL)
        return 0;
    const char *dot = strrchr(name, '.');
    char sym[256];
    if (snprintf(sym, sizeof sym, "HPyInit_%s", dot ? dot + 1 : name) >=
        (int)sizeof sym)
        return 0;
    void *so = dlopen(me.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
    if (so == NULL)
        return 0;
    void *init = dlsym(so, sym);
    int ours = init != NULL && dladdr(init, &found) &&
               found.dli_fbase == me.dli_fbase;
    dlclose(so);
    return ours;
}

static int is_failed_module_of_ours(HPyContext *ctx, HPy m, HPy modtype,
                                    HPy sys_modules)
{
    HPy type = HPy_Type(ctx, m);
    int is_module = HPy_Is(ctx, type, modtype);
    HPy_Close(ctx, type);
    if (!is_module || HPy_HasAttr_s(ctx, m, "__file__"))
        return 0;
    HPy name = HPy_GetAttr_s(ctx, m, "__name__");
    HPy_ssize_t len;
    const char *s = HPy_IsNull(name) ? NULL
                                     : HPyUnicode_AsUTF8AndSize(ctx, name, &len);
    int ours = s != NULL && inits_here(s);
    if (ours && HPy_Contains(ctx, sys_modules, name) == 1) {
        HPy known = HPy_GetItem(ctx, sys_modules, name);
        ours = !HPy_Is(ctx, known, m);
        HPy_Close(ctx, known);
    }
    HPyErr_Clear(ctx);
    HPy_Close(ctx, name);
    return ours;
}

/* Clears the failed modules of ours among gc.get_objects(gen) (every
 * object when gen is HPy_NULL); returns how many it found. */
static int forget_among(HPyContext *ctx, HPy get, HPy gen, HPy modtype,
                        HPy mods)
{
    HPy all = HPy_IsNull(gen) ? HPy_Call(ctx, get, NULL, 0, HPy_NULL)
                              : HPy_Call(ctx, get, &gen, 1, HPy_NULL);
    HPy_ssize_t n = HPy_IsNull(all) ? 0 : HPy_Length(ctx, all);
    int found = 0;
    for (HPy_ssize_t i = 0; i < n; i++) {
        HPy m = HPy_GetItem_i(ctx, all, i);
        if (!HPy_IsNull(m) && is_failed_module_of_ours(ctx, m, modtype, mods)) {
            _HPyAPI_BreakModuleCycles(ctx, m);
            found++;
        }
        HPy_Close(ctx, m);
    }
    HPyErr_Clear(ctx);
    HPy_Close(ctx, all);
    return found;
}

/* Is a module of this very shared object loaded (in sys.modules, with
 * __file__ naming this file)?  Then the failed import runs in one of its
 * functions, not in a module exec of this file: hpy loads a file once. */
static int loaded_from_here(HPyContext *ctx, HPy mods)
{
    static const char here;
    Dl_info me;
    char *mine = dladdr(&here, &me) && me.dli_fname != NULL
                     ? realpath(me.dli_fname, NULL) : NULL;
    HPy names = mine != NULL ? HPyDict_Keys(ctx, mods) : HPy_NULL;
    HPy_ssize_t n = HPy_IsNull(names) ? 0 : HPy_Length(ctx, names);
    int loaded = 0;
    for (HPy_ssize_t i = 0; i < n && !loaded; i++) {
        HPy name = HPy_GetItem_i(ctx, names, i);
        HPy m = HPy_IsNull(name) ? HPy_NULL : HPy_GetItem(ctx, mods, name);
        HPy_Close(ctx, name);
        HPy file = HPy_IsNull(m) ? HPy_NULL : HPy_GetAttr_s(ctx, m, "__file__");
        HPy_ssize_t flen;
        const char *f = HPy_IsNull(file) || !HPyUnicode_Check(ctx, file)
                            ? NULL : HPyUnicode_AsUTF8AndSize(ctx, file, &flen);
        /* realpath (a system call per path component) only for a file
         * of the same name as ours */
        const char *base = f != NULL ? strrchr(f, '/') : NULL;
        char *real = base != NULL && strcmp(base, strrchr(mine, '/')) == 0
                         ? realpath(f, NULL) : NULL;
        loaded = real != NULL && strcmp(real, mine) == 0;
        free(real);
        HPyErr_Clear(ctx);
        HPy_Close(ctx, file);
        HPy_Close(ctx, m);
    }
    HPy_Close(ctx, names);
    free(mine);
    return loaded;
}

/* A module whose exec failed was created when that exec began, so it is
 * almost always in one of the young generations, a few hundred objects;
 * the whole heap (tens of ms in a large process, on every failed import)
 * is walked only when none is found there and no module of this file is
 * loaded.  What remains unguarded: the same file loaded again under a
 * second name, failing in that exec after a collection aged its module. */
static void forget_failed_modules(HPyContext *ctx)
{
    HPy gc = HPyImport_ImportModule(ctx, "gc");
    HPy sys = HPyImport_ImportModule(ctx, "sys");
    HPy get = HPy_IsNull(gc) ? HPy_NULL : HPy_GetAttr_s(ctx, gc, "get_objects");
    HPy mods = HPy_IsNull(sys) ? HPy_NULL : HPy_GetAttr_s(ctx, sys, "modules");
    HPy modtype = HPy_IsNull(gc) ? HPy_NULL : HPy_Type(ctx, gc);
    if (!HPy_IsNull(get) && !HPy_IsNull(mods) && !HPy_IsNull(modtype)) {
        int found = 0;
        for (long gen = 0; gen <= 1; gen++) {
            HPy g = HPyLong_FromLong(ctx, gen);
            found += forget_among(ctx, get, g, modtype, mods);
            HPy_Close(ctx, g);
        }
        if (!found && !loaded_from_here(ctx, mods))
            forget_among(ctx, get, HPy_NULL, modtype, mods);
    }
    HPyErr_Clear(ctx);
    HPy_Close(ctx, modtype);
    HPy_Close(ctx, mods);
    HPy_Close(ctx, get);
    HPy_Close(ctx, sys);
    HPy_Close(ctx, gc);
}
#endif

/* Called with the import's error set; keeps it. */
HPYAPI_INTERNAL void _HPyAPI_ForgetFailedModule(HPyContext *ctx)
{
#ifndef HPY_ABI_CPYTHON
    if (!HPYAPI_HAVE_FETCH())
        return;
    cpy_PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    forget_failed_modules(ctx);
    PyErr_Restore(type, value, tb);
#else
    (void)ctx;
#endif
}

HPYAPI_INTERNAL int _HPyAPI_SpecReady(HPyContext *ctx, const HPyAPI_Spec *spec)
{
    int rc = _HPyAPI_SpecSignatures(spec);
    if (rc == -1)
        HPyErr_NoMemory(ctx);
    else if (rc < 0)
        HPyErr_SetString(ctx, ctx->h_SystemError,
                         "hpyapi: a declaration's .hpyapi record does not "
                         "list its entries in order (a corrupt build)");
    return rc < 0 ? -1 : 0;
}

HPYAPI_INTERNAL void *_HPyAPI_Import(HPyContext *ctx, const char *module,
                                     const HPyAPI_Spec *spec,
                                     uint32_t min_minor, uint32_t table_kind,
                                     const char *attr,
                                     const char *capsule_name)
{
    if (_HPyAPI_SpecReady(ctx, spec) < 0)
        return NULL;
    void *t = import_table(ctx, module, spec, min_minor, table_kind, attr,
                           capsule_name);
    if (t == NULL)
        _HPyAPI_ForgetFailedModule(ctx);
    return t;
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
