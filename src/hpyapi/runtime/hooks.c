/* hooks.c - the one hooks engine: count, time, log, refuse, for exported
 * APIs and for the bridges of hpyapi/legacy.h alike.
 *
 * Compiled with the module's HPy ABI.  Hooks are set per entry through the
 * HPyAPI_Control functions published in a capsule header (Python's
 * hpyapi.hooks() calls them through ctypes; C code through
 * HPyAPI_SetHooks).  The owner of a set of hooks is an exported API (an
 * HPyAPI_Token) or a bridge (an HPyAPI_Legacy); the two differ only in
 * where their names come from, how their fast paths are switched off
 * while an entry is hooked (routes.c rewrites routes; a bridge clears its
 * fast tag), and the context in which a log callable runs or a refusal is
 * raised (an exporter's own; a bridge's caller, who is its consumer).
 * With no hook set nothing here runs, so hooks that are off cost nothing.
 *
 * Threads.  Hooked entries may be called from several threads at once,
 * some without the GIL (value-only entries): counting, timing and logging
 * to a descriptor work there; a log callable and a refusal run Python code
 * and need the caller to hold the GIL, as any Python call does.  So: the
 * counters are atomic; flags are read once per call, atomically; callers,
 * importers and the caller cache (hooks_callers.c: who called) are
 * append-only lists of immutable nodes published with release stores;
 * control changes are serialised by a lock, which the call path takes
 * only to add a caller or write a log line.  Nothing is freed while the
 * module lives: a log callback may change hooks or reset counters while
 * the call it reports is running, and every pointer a running call holds
 * stays valid.
 */
#define _GNU_SOURCE 1 /* dladdr */
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "hpyapi/legacy.h"
#include "internal.h"
#include "cpython.h"
#include "hooks.h"

#define ALL_HOOKS                                                              \
    (HPYAPI_HOOK_COUNT | HPYAPI_HOOK_TIME | HPYAPI_HOOK_LOG | HPYAPI_HOOK_REFUSE)
#define LOAD HPYAPI_LOAD
#define STORE HPYAPI_STORE
#define ADD(p, v) ((void)__atomic_fetch_add((p), (v), __ATOMIC_RELAXED))

/* Control changes and log lines, for every owner in this module: both
 * rare, neither calls out while holding it. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct HPyAPI_Hooks *hooks_new(void *owner, int legacy, uint32_t n)
{
    struct HPyAPI_Hooks *h = (struct HPyAPI_Hooks *)calloc(1, sizeof *h);
    if (h == NULL)
        return NULL;
    h->flags = (unsigned char *)calloc(n ? n : 1, 1);
    h->refuse_type = (cpy_PyObject **)calloc(n ? n : 1, sizeof(void *));
    h->refuse_msg = (char **)calloc(n ? n : 1, sizeof(char *));
    if (h->flags == NULL || h->refuse_type == NULL || h->refuse_msg == NULL) {
        free(h->flags);
        free(h->refuse_type);
        free(h->refuse_msg);
        free(h);
        return NULL;
    }
    h->owner = owner;
    h->legacy = legacy;
    h->n_entries = n;
    h->log_fd = -1;
    return h;
}

/* ---- what differs between the owners ------------------------------------------ */

#define TOK(h) ((HPyAPI_Token *)(h)->owner)
#define LEG(h) ((HPyAPI_Legacy *)(h)->owner)

static const char *module_name(struct HPyAPI_Hooks *h)
{
    const char *m = h->legacy ? _HPyAPI_LegacyModuleName(LEG(h))
                              : TOK(h)->header->module_name;
    return m ? m : "?";
}

static const char *api_name(struct HPyAPI_Hooks *h)
{
    return h->legacy ? LEG(h)->api : TOK(h)->get_spec()->api_name;
}

static const char *entry_name(struct HPyAPI_Hooks *h, uint32_t i)
{
    return h->legacy ? LEG(h)->entries[i].name
                     : TOK(h)->get_spec()->entries[i].name;
}

/* The exporter's kind as logs name it: a bridge calls a C-API table. */
static const char *exporter_label(struct HPyAPI_Hooks *h)
{
    return h->legacy ? "legacy" : _HPyAPI_KindLabel(TOK(h)->kind);
}

/* A retired entry's slot is a stub that raises without reaching the
 * hooks, and a data entry's is read, never called: a hook set on either
 * would be accepted and never run.  Every bridged entry is called. */
static int never_called(struct HPyAPI_Hooks *h, uint32_t i)
{
    if (h->legacy)
        return 0;
    uint32_t flags = TOK(h)->get_spec()->entries[i].flags;
    return flags == HPYAPI_ENTRY_RETIRED || flags == HPYAPI_ENTRY_DATA;
}

static int any_hooked(struct HPyAPI_Hooks *h)
{
    for (uint32_t i = 0; i < h->n_entries; i++)
        if (LOAD(&h->flags[i]))
            return 1;
    return 0;
}

/* A bridge with any hook clears its fast tag (no context name starts with
 * eight zero bytes), so that every call takes the slow path to the hooks. */
HPYAPI_INTERNAL void _HPyAPI_LegacyRefresh(HPyAPI_Legacy *L)
{
    STORE(&L->tag, L->hooks != NULL && any_hooked(L->hooks) ? 0 : L->fast_tag);
}

static void refresh(struct HPyAPI_Hooks *h)
{
    if (h->legacy)
        _HPyAPI_LegacyRefresh(LEG(h));
    else
        _HPyAPI_RefreshFastPaths(TOK(h));
}

/* Runs fn in a context valid now: an exporter's own (it may be debug, and
 * the caller's context may be of any family); a bridge's caller's, which
 * is its consumer's own and valid since it is calling. */
static void run(struct HPyAPI_Hooks *h, HPyContext *caller_ctx,
                void (*fn)(HPyContext *ctx, void *arg), void *arg)
{
    if (h->legacy)
        fn(caller_ctx, arg);
    else
        _HPyAPI_Enter(TOK(h), fn, arg);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- log and refuse ----------------------------------------------------------- */

typedef struct {
    struct HPyAPI_Hooks *h;
    uint32_t index, kind;
    const char *file;
    cpy_PyObject *obj; /* the log callable, or the refusal's type */
    const char *msg;
    int status;
} hook_call;

static void log_in_context(HPyContext *ctx, void *arg)
{
    hook_call *c = (hook_call *)arg;
    HPy fn = EXP_FROM_PY(ctx, c->obj);
    HPy args[5] = {
        HPyUnicode_FromString(ctx, api_name(c->h)),
        HPyUnicode_FromString(ctx, entry_name(c->h, c->index)),
        HPyUnicode_FromString(ctx, _HPyAPI_KindLabel(c->kind)),
        HPyUnicode_FromString(ctx, exporter_label(c->h)),
        HPyUnicode_FromString(ctx, c->file)};
    HPy res = HPy_NULL;
    if (!HPy_IsNull(fn) && !HPy_IsNull(args[0]) && !HPy_IsNull(args[1]) &&
        !HPy_IsNull(args[2]) && !HPy_IsNull(args[3]) && !HPy_IsNull(args[4]))
        res = HPy_Call(ctx, fn, args, 5, HPy_NULL);
    c->status = HPy_IsNull(res) ? -1 : 0;
    HPy_Close(ctx, res);
    for (int i = 0; i < 5; i++)
        HPy_Close(ctx, args[i]);
    HPy_Close(ctx, fn);
}

/* Reports the call; -1 (and the call is not made) when the callable
 * raised, so that a logging bug is not silently lost. */
static int log_call(struct HPyAPI_Hooks *h, HPyContext *ctx, uint32_t index,
                    uint32_t kind, const char *file)
{
    cpy_PyObject *fn = h->log_callable; /* set and read with the GIL held */
    if (fn != NULL) {
        /* our own reference: the callable may replace itself meanwhile */
        hook_call c = {h, index, kind, file, fn, NULL, -1};
        Py_IncRef(fn);
        run(h, ctx, log_in_context, &c);
        HPYAPI_PY_DECREF(fn);
        return c.status;
    }
    /* under the lock: set_log may be closing this descriptor right now */
    pthread_mutex_lock(&lock);
    if (h->log_fd >= 0)
        dprintf(h->log_fd, "hpyapi: %s %s.%s() called from %s (%s caller, "
                "%s exporter)\n", module_name(h), api_name(h),
                entry_name(h, index), file, _HPyAPI_KindLabel(kind),
                exporter_label(h));
    pthread_mutex_unlock(&lock);
    return 0;
}

static void refuse_in_context(HPyContext *ctx, void *arg)
{
    hook_call *c = (hook_call *)arg;
    HPy type = c->obj != NULL ? EXP_FROM_PY(ctx, c->obj)
               : HPy_Dup(ctx, c->status ? ctx->h_MemoryError
                                        : ctx->h_RuntimeError);
    HPyErr_SetString(ctx, type, c->msg);
    HPy_Close(ctx, type);
}

/* Raises the refusal of entry `index`, or MemoryError (no_memory). */
static void refuse(struct HPyAPI_Hooks *h, HPyContext *ctx, uint32_t index,
                   int no_memory)
{
    char msg[2048];
    hook_call c = {h, index, 0, NULL, no_memory ? NULL : h->refuse_type[index],
                   no_memory ? NULL : h->refuse_msg[index], no_memory};
    if (c.msg != NULL) { /* a copy: set_refusal frees the old message */
        snprintf(msg, sizeof msg, "%s", c.msg);
    } else { /* "<module>: <api> API, <entry>(): ", as errors.c says it */
        snprintf(msg, sizeof msg, "%s: %s API, %s(): %s", module_name(h),
                 api_name(h), entry_name(h, index), no_memory
                 ? "no memory for the counters of a new caller"
                 : "call refused by an hpyapi hook (HPYAPI_HOOK_REFUSE is "
                   "set for this entry)");
    }
    c.msg = msg;
    /* our own reference: the refusal may be replaced while it is raised */
    if (c.obj != NULL)
        Py_IncRef(c.obj);
    run(h, ctx, refuse_in_context, &c);
    if (c.obj != NULL)
        HPYAPI_PY_DECREF(c.obj);
}

/* ---- the hooked call ---------------------------------------------------------- */

/* Before a call of entry i by a caller of `kind` (ctx: the caller's
 * context; pc: where the call returns to).  Returns -1 with an exception
 * set when a hook stops the call; else the call is to be made and
 * hook_end called after it. */
HPYAPI_INTERNAL int _HPyAPI_HookBegin(struct HPyAPI_Hooks *h, HPyContext *ctx,
                                      uint32_t kind, uint32_t i,
                                      const void *pc, HPyAPI_HookCall *hc)
{
    /* read once: hooks may change during the call */
    unsigned flags = __atomic_load_n(&h->flags[i], __ATOMIC_ACQUIRE);
    hc->flags = flags;
    hc->rec = NULL;
    hc->t0 = 0;
    if (flags == 0)
        return 0;
    HPyAPI_CallerRec *rec = _HPyAPI_HooksCaller(h, pc, kind);
    if (rec == NULL) {
        refuse(h, ctx, i, 1);
        return -1;
    }
    hc->rec = rec;
    if ((flags & HPYAPI_HOOK_LOG) && log_call(h, ctx, i, kind, rec->file) < 0)
        return -1;
    if (flags & HPYAPI_HOOK_REFUSE) {
        ADD(&rec->refused[i], 1);
        refuse(h, ctx, i, 0);
        return -1;
    }
    if (flags & HPYAPI_HOOK_TIME)
        hc->t0 = now_ns();
    return 0;
}

/* After a call that was made: count it, and its time. */
HPYAPI_INTERNAL void _HPyAPI_HookEnd(struct HPyAPI_Hooks *h, uint32_t i,
                                     const HPyAPI_HookCall *hc)
{
    (void)h;
    HPyAPI_CallerRec *rec = (HPyAPI_CallerRec *)hc->rec;
    if (rec == NULL)
        return;
    if (hc->flags & HPYAPI_HOOK_TIME)
        ADD(&rec->ns[i], now_ns() - hc->t0);
    if (hc->flags & (HPYAPI_HOOK_COUNT | HPYAPI_HOOK_TIME))
        ADD(&rec->calls[i], 1);
}

HPYAPI_INTERNAL int _HPyAPI_HookedCall(HPyContext *ctx, uint32_t kind,
                                       HPyAPI_Token *tok,
                                       const HPyAPI_EntryDesc *d, void *frame,
                                       const void *pc)
{
    struct HPyAPI_Hooks *h = LOAD(&tok->hooks); /* set: the entry is hooked */
    HPyAPI_HookCall hc;
    if (_HPyAPI_HookBegin(h, ctx, kind, d->index, pc, &hc) < 0)
        return -1;
    int res = _HPyAPI_Dispatch(ctx, kind, tok, d, frame);
    _HPyAPI_HookEnd(h, d->index, &hc);
    return res;
}

/* ---- HPyAPI_Control ------------------------------------------------------------ */

static int bad_index(struct HPyAPI_Hooks *h, int32_t index)
{
    return index >= 0 && (uint32_t)index >= h->n_entries;
}

#ifdef HPY_ABI_UNIVERSAL
extern int PyObject_IsSubclass(cpy_PyObject *, cpy_PyObject *) HPYAPI_WEAK;
extern cpy_PyObject *PyExc_BaseException HPYAPI_WEAK;
#endif

/* A refusal must be an exception class: anything else would only fail
 * when a refused call tries to raise it. */
static int is_exception_class(cpy_PyObject *o)
{
#ifdef HPY_ABI_UNIVERSAL
    if (PyObject_IsSubclass == NULL || &PyExc_BaseException == NULL)
        return 0;
    int r = PyObject_IsSubclass(o, PyExc_BaseException);
    if (r < 0) /* not a class at all: a refusal to set, not an error */
        PyErr_Clear();
    return r == 1;
#else
    return PyExceptionClass_Check(o);
#endif
}

static int set_flags(struct HPyAPI_Hooks *h, int32_t index, uint32_t set,
                     uint32_t clear)
{
    if (h == NULL || bad_index(h, index) ||
        (index >= 0 && set != 0 && never_called(h, (uint32_t)index)))
        return -1;
    pthread_mutex_lock(&lock);
    for (uint32_t i = 0; i < h->n_entries; i++)
        if ((index < 0 && !never_called(h, i)) || (uint32_t)index == i)
            STORE(&h->flags[i], (unsigned char)((h->flags[i] | set) & ~clear &
                                                ALL_HOOKS));
    refresh(h); /* under the lock: two changes refresh in their order */
    pthread_mutex_unlock(&lock);
    return 0;
}

static int get_flags(struct HPyAPI_Hooks *h, int32_t index)
{
    if (h == NULL || index < 0 || bad_index(h, index))
        return -1;
    return LOAD(&h->flags[index]);
}

/* The control interface names PyObject `struct _object`; universal builds
 * call it cpy_PyObject, an incomplete type of another name. */
#define PYOBJ(o) ((cpy_PyObject *)(void *)(o))

static int set_log(struct HPyAPI_Hooks *h, struct _object *callable_, int fd)
{
    cpy_PyObject *callable = PYOBJ(callable_);
    if (h == NULL || !HPYAPI_HAVE_CHAINING())
        return -1;
    /* Our own duplicate: the caller may close its descriptor (Python
       closes it with the file object), and the number may then be reused
       by an unrelated file that must not receive our lines. */
    int own_fd = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (fd >= 0 && own_fd < 0)
        return -1;
    if (callable != NULL)
        Py_IncRef(callable);
    pthread_mutex_lock(&lock);
    cpy_PyObject *old = h->log_callable;
    int old_fd = h->log_fd;
    h->log_callable = callable;
    h->log_fd = own_fd;
    pthread_mutex_unlock(&lock);
    if (old_fd >= 0)
        close(old_fd);
    HPYAPI_PY_XDECREF(old);
    return 0;
}

static int set_refusal(struct HPyAPI_Hooks *h, int32_t index,
                       struct _object *exc_type_, const char *message)
{
    cpy_PyObject *exc_type = PYOBJ(exc_type_);
    if (h == NULL || index < 0 || bad_index(h, index) ||
        never_called(h, (uint32_t)index) || !HPYAPI_HAVE_CHAINING() ||
        (exc_type != NULL && !is_exception_class(exc_type)))
        return -1;
    char *msg = message ? strdup(message) : NULL;
    if (message != NULL && msg == NULL)
        return -1;
    if (exc_type != NULL)
        Py_IncRef(exc_type);
    /* a refusal being raised holds its own references (the GIL is held) */
    cpy_PyObject *old = h->refuse_type[index];
    h->refuse_type[index] = exc_type;
    free(h->refuse_msg[index]);
    h->refuse_msg[index] = msg;
    HPYAPI_PY_XDECREF(old);
    return 0;
}

/* An exported API's hooks, made when first needed and published for the
 * call path (tok->hook_flags last: it is what _HPyAPI_EntryHooked reads). */
static struct HPyAPI_Hooks *tok_hooks(void *token)
{
    HPyAPI_Token *tok = (HPyAPI_Token *)token;
    struct HPyAPI_Hooks *h = LOAD(&tok->hooks);
    if (h != NULL)
        return h;
    pthread_mutex_lock(&lock);
    h = tok->hooks;
    if (h == NULL && (h = hooks_new(tok, 0, tok->n_entries)) != NULL) {
        STORE(&tok->hooks, h);
        STORE(&tok->hook_flags, (const unsigned char *)h->flags);
    }
    pthread_mutex_unlock(&lock);
    return h;
}

static struct HPyAPI_Hooks *legacy_hooks(void *token)
{
    return ((HPyAPI_Legacy *)token)->hooks;
}

/* One HPyAPI_Control per kind of owner, over the same functions. */
#define CONTROL(NAME, HOOKS, TABLE_FOR)                                                   \
    static int NAME##_set_flags(void *t, int32_t i, uint32_t s, uint32_t c)    \
    {                                                                          \
        return set_flags(HOOKS(t), i, s, c);                                   \
    }                                                                          \
    static int NAME##_get_flags(void *t, int32_t i)                            \
    {                                                                          \
        return get_flags(HOOKS(t), i);                                         \
    }                                                                          \
    static int NAME##_set_log(void *t, struct _object *f, int fd)              \
    {                                                                          \
        return set_log(HOOKS(t), f, fd);                                       \
    }                                                                          \
    static int NAME##_set_refusal(void *t, int32_t i, struct _object *e,       \
                                  const char *m)                               \
    {                                                                          \
        return set_refusal(HOOKS(t), i, e, m);                                 \
    }                                                                          \
    static int32_t NAME##_read_stats(void *t, HPyAPI_StatRecord *o, int32_t m) \
    {                                                                          \
        return _HPyAPI_HooksReadStats(HOOKS(t), o, m);                                     \
    }                                                                          \
    static void NAME##_reset_stats(void *t)                                    \
    {                                                                          \
        _HPyAPI_HooksResetStats(HOOKS(t));                                     \
    }                                                                          \
    static void NAME##_register_importer(void *t, const void *b,               \
                                         const char *f, uint32_t k)            \
    {                                                                          \
        struct HPyAPI_Hooks *h = HOOKS(t);                                     \
        if (h != NULL)                                                         \
            _HPyAPI_HooksRegister(h, b, f, k);                                     \
    }                                                                          \
    static const HPyAPI_Control NAME = {                                       \
        1, sizeof(HPyAPI_Control), NAME##_set_flags, NAME##_get_flags,         \
        NAME##_set_log, NAME##_set_refusal, NAME##_read_stats,                 \
        NAME##_reset_stats, NAME##_register_importer, TABLE_FOR};

/* table_for: an exported API routes each consumer to its table (routes.c);
 * a bridge's table is the legacy one */
CONTROL(exported_control, tok_hooks, _HPyAPI_TableFor)
CONTROL(legacy_control, legacy_hooks, NULL)

HPYAPI_INTERNAL const HPyAPI_Control *_HPyAPI_Control(void)
{
    return &exported_control;
}

/* A bridge's hooks: made when it is first published, with its consumer
 * (the shared object holding L) as its one importer. */
HPYAPI_INTERNAL const HPyAPI_Control *_HPyAPI_LegacyHooks(HPyAPI_Legacy *L,
                                                          const char *file)
{
    if (L->hooks == NULL) {
        struct HPyAPI_Hooks *h = hooks_new(L, 1, L->n_entries);
        if (h == NULL)
            return NULL;
        STORE(&L->hooks, h);
    }
    Dl_info me;
    if (dladdr((const void *)L, &me))
        _HPyAPI_HooksRegister(L->hooks, me.dli_fbase, file, L->kind);
    return &legacy_control;
}
