/* legacy_hooks.c - hooks (count, time, log, refuse) and describe() for the
 * bridges of hpyapi/legacy.h.
 *
 * A bridge lives in its consumer, so the consumer publishes it: the same
 * versioned header an exporter publishes (abi.h), with table_kind
 * HPYAPI_TABLE_LEGACY, as `_hpyapi_<api>` on the consumer's module.
 * hpyapi.describe(), hpyapi.hooks() and hpyapi.stats() read it unchanged;
 * HPyAPI_Import refuses it (wrong table kind).  While any entry has a hook
 * the bridge's fast tag is 0, so every call takes the slow path, which runs
 * the hooks: entries without hooks pay nothing.
 */
#define _GNU_SOURCE 1 /* dladdr */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "hpyapi/legacy.h"
#include "internal.h"
#include "cpython.h"
#include "legacy_py.h"

typedef struct HPyAPI_LegacyHooks {
    HPyAPI_Header header;
    HPyAPI_EntryInfo *infos;
    char *module_name, *capsule, *attr, *file;
    struct _object *log_callable; /* a reference, or NULL */
    int log_fd;
    struct {
        struct _object *type; /* a reference, or NULL */
        char *message;
    } *refusals;
} HPyAPI_LegacyHooks;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- on the call path ------------------------------------------------------ */

static int log_call(HPyAPI_LegacyCall *c)
{
    HPyAPI_Legacy *L = c->L;
    HPyAPI_LegacyHooks *k = L->hooks;
    const char *entry = L->entries[c->pos].name;
    const char *kind = _HPyAPI_KindLabel(_HPyAPI_KindOf(c->ctx));
    if (k->log_fd >= 0)
        dprintf(k->log_fd, "hpyapi: %s %s() called from %s (%s caller, "
                "legacy table)\n", L->api, entry, k->file, kind);
    if (k->log_callable == NULL)
        return 0;
    /* the callback may change the log target: keep this one alive */
    struct _object *fn = k->log_callable;
    PY_INCREF(fn);
    HPy f = CTX_FROM_PY(c->ctx, fn);
    HPy args = HPy_BuildValue(c->ctx, "(sssss)", L->api, entry, kind,
                              "legacy", k->file);
    HPy r = HPy_IsNull(args) ? HPy_NULL
                             : HPy_CallTupleDict(c->ctx, f, args, HPy_NULL);
    HPy_Close(c->ctx, args);
    HPy_Close(c->ctx, f);
    PY_DECREF(fn);
    if (HPy_IsNull(r))
        return -1; /* the callback raised: the call is not made */
    HPy_Close(c->ctx, r);
    return 0;
}

HPYAPI_INTERNAL int _HPyAPI_LegacyHookBegin(HPyAPI_LegacyCall *c, uint32_t f)
{
    HPyAPI_Legacy *L = c->L;
    HPyAPI_LegacyStat *st = &L->stats[c->pos];
    if ((f & HPYAPI_HOOK_LOG) && L->hooks != NULL && log_call(c) < 0)
        return -1;
    if ((f & HPYAPI_HOOK_REFUSE) && L->hooks != NULL &&
        L->hooks->refusals != NULL) {
        st->refused++;
        HPy type = L->hooks->refusals[c->pos].type
                       ? CTX_FROM_PY(c->ctx, L->hooks->refusals[c->pos].type)
                       : HPy_Dup(c->ctx, c->ctx->h_RuntimeError);
        const char *msg = L->hooks->refusals[c->pos].message;
        HPyErr_SetString(c->ctx, type, msg ? msg : "call refused");
        HPy_Close(c->ctx, type);
        return -1;
    }
    if (f & (HPYAPI_HOOK_COUNT | HPYAPI_HOOK_TIME))
        st->calls++;
    if (f & HPYAPI_HOOK_TIME)
        c->t0 = now_ns();
    return 0;
}

HPYAPI_INTERNAL void _HPyAPI_LegacyHookEnd(HPyAPI_LegacyCall *c)
{
    c->L->stats[c->pos].ns += (uint64_t)(now_ns() - c->t0);
    c->t0 = 0;
}

/* ---- the control interface (abi.h), token = the HPyAPI_Legacy ---------------- */

static void refresh_tag(HPyAPI_Legacy *L)
{
    int hooked = 0;
    for (uint32_t i = 0; i < L->n_entries; i++)
        hooked |= L->flags[i] != 0;
    L->tag = hooked ? 0 : L->fast_tag;
}

static int ctl_set_flags(void *token, int32_t index, uint32_t set,
                         uint32_t clear)
{
    HPyAPI_Legacy *L = (HPyAPI_Legacy *)token;
    if (index >= (int32_t)L->n_entries)
        return -1;
    for (uint32_t i = 0; i < L->n_entries; i++)
        if (index < 0 || i == (uint32_t)index)
            L->flags[i] = (L->flags[i] | set) & ~clear;
    refresh_tag(L);
    return 0;
}

static int ctl_get_flags(void *token, int32_t index)
{
    HPyAPI_Legacy *L = (HPyAPI_Legacy *)token;
    if (index < 0 || index >= (int32_t)L->n_entries)
        return -1;
    return (int)L->flags[index];
}

static int ctl_set_log(void *token, struct _object *callable, int fd)
{
    HPyAPI_LegacyHooks *k = ((HPyAPI_Legacy *)token)->hooks;
    if (callable != NULL)
        PY_INCREF(callable);
    if (k->log_callable != NULL)
        PY_DECREF(k->log_callable);
    k->log_callable = callable;
    k->log_fd = fd;
    return 0;
}

static int ctl_set_refusal(void *token, int32_t index,
                           struct _object *exc_type, const char *message)
{
    HPyAPI_Legacy *L = (HPyAPI_Legacy *)token;
    HPyAPI_LegacyHooks *k = L->hooks;
    if (index < 0 || index >= (int32_t)L->n_entries)
        return -1;
    if (k->refusals == NULL &&
        (k->refusals = calloc(L->n_entries, sizeof *k->refusals)) == NULL)
        return -1;
    char *msg = message ? strdup(message) : NULL;
    if (message != NULL && msg == NULL)
        return -1;
    if (exc_type != NULL)
        PY_INCREF(exc_type);
    if (k->refusals[index].type != NULL)
        PY_DECREF(k->refusals[index].type);
    free(k->refusals[index].message);
    k->refusals[index].type = exc_type;
    k->refusals[index].message = msg;
    return 0;
}

static int32_t ctl_read_stats(void *token, HPyAPI_StatRecord *out,
                              int32_t max)
{
    HPyAPI_Legacy *L = (HPyAPI_Legacy *)token;
    int32_t n = 0;
    for (uint32_t i = 0; i < L->n_entries; i++) {
        const HPyAPI_LegacyStat *st = &L->stats[i];
        if (st->calls == 0 && st->refused == 0)
            continue;
        if (n < max && out != NULL)
            out[n] = (HPyAPI_StatRecord){L->hooks->file, i, L->kind,
                                         st->calls, st->refused, st->ns};
        n++;
    }
    return n;
}

static void ctl_reset_stats(void *token)
{
    HPyAPI_Legacy *L = (HPyAPI_Legacy *)token;
    memset(L->stats, 0, L->n_entries * sizeof *L->stats);
}

/* the bridge is its own only importer */
static void ctl_register_importer(void *token, const void *base,
                                  const char *file, uint32_t kind)
{
    (void)token, (void)base, (void)file, (void)kind;
}

static const HPyAPI_Control legacy_control = {
    1, sizeof(HPyAPI_Control), ctl_set_flags, ctl_get_flags, ctl_set_log,
    ctl_set_refusal, ctl_read_stats, ctl_reset_stats, ctl_register_importer,
    NULL /* table_for: a bridge's table is the legacy one */};

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
static HPyAPI_LegacyHooks *make_hooks(HPyContext *ctx, HPyAPI_Legacy *L,
                                      HPy module)
{
    HPyAPI_LegacyHooks *k = calloc(1, sizeof *k);
    if (k == NULL)
        return NULL;
    k->log_fd = -1;
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
    if (!ok) { /* out of memory at import: leave the pieces, say so */
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
        .control = &legacy_control, .hpyapi_version = HPYAPI_VERSION};
    return k;
}

HPYAPI_INTERNAL int _HPyAPI_LegacyPublish(HPyContext *ctx, HPyAPI_Legacy *L,
                                          HPy module)
{
    if (L->hooks == NULL && (L->hooks = make_hooks(ctx, L, module)) == NULL)
        return -1;
    HPy cap = HPyCapsule_New(ctx, &L->hooks->header, L->hooks->capsule, NULL);
    if (HPy_IsNull(cap))
        return -1;
    int r = HPy_SetAttr_s(ctx, module, L->hooks->attr, cap);
    HPy_Close(ctx, cap);
    return r;
}
