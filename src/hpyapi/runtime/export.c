/* export.c - binding trampolines to the exporter (HPy_AsAPI) and publishing
 * the table (HPyAPI_Export).  Compiled with the exporter's HPy ABI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"

/* The import of a module whose HPy_mod_exec fails is over; in universal
 * mode hpy 0.9.0 then frees the module's PyModuleDef while the module
 * object can live on through cycles (module -> dict -> its methods ->
 * module), and the next GC traverses freed memory.  Clearing the dict
 * breaks those cycles so the module dies with its definition.  A failed
 * export clears its own module; a failed import the one import.c finds. */
HPYAPI_INTERNAL void _HPyAPI_BreakModuleCycles(HPyContext *ctx, HPy module)
{
    HPy dict = HPy_GetAttr_s(ctx, module, "__dict__");
    HPy clear = HPy_IsNull(dict) ? HPy_NULL : HPy_GetAttr_s(ctx, dict, "clear");
    HPy res = HPy_IsNull(clear) ? HPy_NULL
                                : HPy_Call(ctx, clear, NULL, 0, HPy_NULL);
    HPyErr_Clear(ctx);
    HPy_Close(ctx, res);
    HPy_Close(ctx, clear);
    HPy_Close(ctx, dict);
}

static int export_error(HPyContext *ctx, HPy module, const char *modname,
                        const HPyAPI_Spec *spec, const char *fmt, ...)
{
    _HPyAPI_BreakModuleCycles(ctx, module);
    char prefix[512];
    snprintf(prefix, sizeof prefix,
             "hpyapi: module '%s' cannot export the '%s' API: ", modname,
             spec->api_name);
    va_list ap;
    va_start(ap, fmt);
    _HPyAPI_SetErrorV(ctx, HPYAPI_EXC_SYSTEM, prefix, fmt, ap);
    va_end(ap);
    return -1;
}

/* The module's __name__, copied: it outlives the module object. */
static const char *module_name(HPyContext *ctx, HPy module, const char *old)
{
    HPy h = HPy_GetAttr_s(ctx, module, "__name__");
    if (HPy_IsNull(h))
        return NULL;
    HPy_ssize_t size;
    const char *s = HPyUnicode_AsUTF8AndSize(ctx, h, &size);
    char *copy = NULL;
    if (s != NULL && old != NULL && strcmp(s, old) == 0)
        copy = (char *)old;
    else if (s != NULL && (copy = (char *)malloc((size_t)size + 1)) != NULL)
        memcpy(copy, s, (size_t)size + 1);
    else if (s != NULL)
        HPyErr_NoMemory(ctx);
    HPy_Close(ctx, h);
    return copy;
}

static void fill_header(HPyAPI_Header *h, HPyAPI_Token *tok,
                        const HPyAPI_Spec *spec, uint32_t table_kind,
                        void *table)
{
    h->magic = HPYAPI_MAGIC;
    h->layout_version = HPYAPI_LAYOUT_VERSION;
    h->header_size = (uint32_t)sizeof(HPyAPI_Header);
    h->table_kind = table_kind;
    h->api_name = spec->api_name;
    h->api_major = spec->major;
    h->api_minor = spec->minor;
    h->n_entries = spec->n_entries;
    h->hpy_abi = HPYAPI_BUILD_ABI;
    h->hpy_abi_version = HPY_ABI_VERSION;
    h->hpy_abi_version_minor = HPY_ABI_VERSION_MINOR;
    h->exporter_mode = tok->kind;
    h->entries = spec->entries;
    h->table = table;
    h->token = tok;
    h->control = _HPyAPI_Control();
    h->hpyapi_version = HPYAPI_VERSION;
}

static int publish(HPyContext *ctx, HPy module, HPyAPI_Header *h,
                   const char *attr, const char *capsule_name)
{
    HPy capsule = HPyCapsule_New(ctx, h, capsule_name, NULL);
    if (HPy_IsNull(capsule))
        return -1;
    int res = HPy_SetAttr_s(ctx, module, attr, capsule);
    HPy_Close(ctx, capsule);
    return res;
}

HPYAPI_INTERNAL int _HPyAPI_Export(HPyContext *ctx, HPyContext *load_ctx,
                                   HPy module, HPyAPI_Token *tok, void *table)
{
    const HPyAPI_Spec *spec = tok->get_spec();
    HPyAPI_Header *h = tok->header;
    if (_HPyAPI_SpecReady(ctx, spec) < 0)
        return -1;
    /* the context this module's code is called with (HPYAPI_LOAD_CTX read
       it before a test's private instance may have been installed) */
    load_ctx = _HPyAPI_ModuleCtx(load_ctx);

    const char *name = module_name(ctx, module, h->module_name);
    if (name == NULL)
        return -1;
    h->module_name = name;

    /* Every slot must be exactly its entry's trampoline: a raw function
       pointer would receive foreign contexts, an empty slot would crash. */
    HPyAPI_Slot *slots = (HPyAPI_Slot *)((char *)table + sizeof(void *));
    for (uint32_t i = 0; i < spec->n_entries; i++) {
        const HPyAPI_EntryInfo *e = &spec->entries[i];
        if (e->flags == HPYAPI_ENTRY_RETIRED) {
            slots[i] = tok->slots[i].any;
            continue;
        }
        if (e->flags == HPYAPI_ENTRY_DATA) {
            /* the variable's address, which the CPython-API table holds
               from its static initialiser */
            const char *want =
                (const char *)tok->ctable + (i + 1) * sizeof(void *);
            if (memcmp(&slots[i], want, sizeof(void *)) == 0 &&
                slots[i] != NULL)
                continue;
            return export_error(
                ctx, module, name, spec,
                "table slot %u ('%s') %s; fill it with table.%s = "
                "HPy_AsAPI(ctx, %s) before calling HPyAPI_Export", i, e->name,
                slots[i] == NULL ? "is empty"
                                 : "is not the address of the exported "
                                   "variable",
                e->name, e->name);
        }
        if (slots[i] == tok->slots[i].any)
            continue;
        return export_error(
            ctx, module, name, spec,
            "table slot %u ('%s') %s; fill every slot with "
            "table.%s = HPy_AsAPI(ctx, %s) before calling HPyAPI_Export",
            i, e->name,
            slots[i] == NULL ? "is empty"
                             : "holds something other than the trampoline "
                               "HPy_AsAPI returns for it",
            e->name, e->name);
    }

    tok->table = table;
    _HPyAPI_Bind(tok, ctx, load_ctx);
    fill_header(h, tok, spec, HPYAPI_TABLE_HPY, table);
    *(const HPyAPI_Header **)table = h;
    fill_header(tok->cheader, tok, spec, HPYAPI_TABLE_CPYTHON, tok->ctable);
    tok->cheader->module_name = name;
    if (publish(ctx, module, tok->header, tok->attr, tok->capsule) < 0 ||
        publish(ctx, module, tok->cheader, tok->cattr, tok->ccapsule) < 0)
        return -1;
    return 0;
}
