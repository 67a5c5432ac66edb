/* legacy_hooks.c - publishing the bridges of hpyapi/legacy.h, for
 * describe() and hooks().
 *
 * A bridge lives in its consumer, so the consumer publishes it: the same
 * versioned header an exporter publishes (abi.h), with table_kind
 * HPYAPI_TABLE_LEGACY, as `_hpyapi_<api>` on the consumer's module.
 * hpyapi.describe(), hpyapi.hooks() and hpyapi.stats() read it unchanged;
 * HPyAPI_Import refuses it (wrong table kind).  The hooks behind its
 * control interface are the engine of exported APIs (runtime/hooks.c):
 * while any entry has one the bridge's fast tag is 0, so every call takes
 * the slow path (legacy.c), which runs them; entries without hooks pay
 * nothing.
 */
#define _GNU_SOURCE 1 /* dladdr */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "hpyapi/legacy.h"
#include "internal.h"

/* What a bridge publishes; its hooks are runtime/hooks.c's (L->hooks). */
typedef struct HPyAPI_LegacyPub {
    HPyAPI_Header header;
    HPyAPI_EntryInfo *infos;
    char *module_name, *capsule, *attr, *file;
} HPyAPI_LegacyPub;

HPYAPI_INTERNAL const char *_HPyAPI_LegacyModuleName(const HPyAPI_Legacy *L)
{
    return L->pub != NULL ? L->pub->module_name : NULL;
}

/* ---- publishing ------------------------------------------------------------------ */

static char *joined(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

/* The header and entry infos, built once per bridge and kept for the life
 * of the process (the module may be loaded under more than one name). */
static HPyAPI_LegacyPub *make_pub(HPyContext *ctx, HPyAPI_Legacy *L,
                                   HPy module)
{
    HPyAPI_LegacyPub *k = calloc(1, sizeof *k);
    if (k == NULL) {
        HPyErr_NoMemory(ctx);
        return NULL;
    }
    HPy name = HPy_GetAttr_s(ctx, module, "__name__");
    HPy_ssize_t len;
    const char *s = HPy_IsNull(name) ? NULL
                                     : HPyUnicode_AsUTF8AndSize(ctx, name, &len);
    Dl_info me;
    k->module_name = strdup(s ? s : "?");
    HPyErr_Clear(ctx);
    HPy_Close(ctx, name);
    k->file = strdup(dladdr((const void *)L, &me) && me.dli_fname
                         ? me.dli_fname : "?");
    k->capsule = joined("hpyapi.", L->api, "");
    k->attr = joined("_hpyapi_", L->api, "");
    k->infos = calloc(L->n_entries, sizeof *k->infos);
    int ok = k->module_name && k->file && k->capsule && k->attr && k->infos;
    for (uint32_t i = 0; ok && i < L->n_entries; i++) {
        const HPyAPI_LegacyEntry *e = &L->entries[i];
        char *sig = joined(e->ret, "(", e->params[0] ? e->params + 1 : "void");
        char *full = sig ? joined(sig, ")", "") : NULL;
        free(sig);
        k->infos[i] = (HPyAPI_EntryInfo){e->name, full, e->since, e->flags};
        ok = full != NULL;
    }
    const HPyAPI_Control *control = ok ? _HPyAPI_LegacyHooks(L, k->file)
                                       : NULL;
    if (control == NULL) { /* out of memory at import: leave the pieces */
        HPyErr_NoMemory(ctx);
        return NULL;
    }
    k->header = (HPyAPI_Header){
        .magic = HPYAPI_MAGIC, .layout_version = HPYAPI_LAYOUT_VERSION,
        .header_size = sizeof(HPyAPI_Header),
        .table_kind = HPYAPI_TABLE_LEGACY, .api_name = L->api,
        .api_major = L->versions.abi, .api_minor = L->versions.feature,
        .n_entries = L->n_entries, .hpy_abi = HPYAPI_BUILD_ABI,
        .hpy_abi_version = HPY_ABI_VERSION,
        .hpy_abi_version_minor = HPY_ABI_VERSION_MINOR,
        .exporter_mode = L->kind, .entries = k->infos,
        .module_name = k->module_name, .table = L->bridged, .token = L,
        .control = control, .hpyapi_version = HPYAPI_VERSION};
    return k;
}

HPYAPI_INTERNAL int _HPyAPI_LegacyPublish(HPyContext *ctx, HPyAPI_Legacy *L,
                                          HPy module)
{
    if (L->pub == NULL && (L->pub = make_pub(ctx, L, module)) == NULL)
        return -1;
    HPy cap = HPyCapsule_New(ctx, &L->pub->header, L->pub->capsule, NULL);
    if (HPy_IsNull(cap))
        return -1;
    int r = HPy_SetAttr_s(ctx, module, L->pub->attr, cap);
    HPy_Close(ctx, cap);
    return r;
}
