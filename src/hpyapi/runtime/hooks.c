/* hooks.c - intercepting calls between extensions: count, time, log, refuse.
 *
 * Compiled with the exporter's HPy ABI.  Hooks are set per entry through
 * the HPyAPI_Control functions published in the capsule header (Python's
 * hpyapi.hooks() calls them through ctypes; C code through
 * HPyAPI_SetHooks).  An entry with any hook loses its fast paths (see
 * routes.c): its trampolines match no caller and come to
 * _HPyAPI_CallKind, which sends them here.  With no hook set nothing here
 * runs, so the cost of hooks that are off is zero.
 *
 * State is only ever added to, never freed while the module lives: a log
 * callback may change hooks or reset counters while the call it reports is
 * still running, and every pointer a running call holds stays valid.
 */
#define _GNU_SOURCE 1 /* dladdr */
#include <dlfcn.h>
#include <execinfo.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"
#include "cpython.h"

#define ALL_HOOKS                                                              \
    (HPYAPI_HOOK_COUNT | HPYAPI_HOOK_TIME | HPYAPI_HOOK_LOG | HPYAPI_HOOK_REFUSE)
#define PC_CACHE 64

/* Counters of one calling module (shared object) and caller kind. */
typedef struct {
    char *file;
    uint32_t kind;
    uint64_t *calls, *refused, *ns; /* per entry */
} caller_rec;

struct HPyAPI_Hooks {
    unsigned char *flags;        /* per entry, HPYAPI_HOOK_* */
    cpy_PyObject **refuse_type;  /* per entry, or NULL: RuntimeError */
    char **refuse_msg;           /* per entry, or NULL: a default message */
    cpy_PyObject *log_callable;
    int log_fd;
    caller_rec **callers;
    uint32_t n_callers, cap_callers;
    struct {
        const void *base;
        char *file;
        uint32_t kind;
    } *importers;
    uint32_t n_importers;
    struct {
        const void *pc;
        uint32_t kind, rec;
    } pc_cache[PC_CACHE];
};

static int ensure_hooks(HPyAPI_Token *tok)
{
    if (tok->hooks != NULL)
        return 0;
    struct HPyAPI_Hooks *h = (struct HPyAPI_Hooks *)calloc(1, sizeof *h);
    if (h == NULL)
        return -1;
    h->flags = (unsigned char *)calloc(tok->n_entries, 1);
    h->refuse_type = (cpy_PyObject **)calloc(tok->n_entries, sizeof(void *));
    h->refuse_msg = (char **)calloc(tok->n_entries, sizeof(char *));
    if (h->flags == NULL || h->refuse_type == NULL || h->refuse_msg == NULL) {
        free(h->flags);
        free(h->refuse_type);
        free(h->refuse_msg);
        free(h);
        return -1;
    }
    h->log_fd = -1;
    tok->hooks = h;
    tok->hook_flags = h->flags; /* what routes.c and call.c read */
    return 0;
}

/* ---- who called --------------------------------------------------------------
 * Every HPyAPI_Import registers the importing shared object.  A call is
 * attributed to the importer whose code it returns to: first the
 * trampoline's return address (cached per address: call sites are few),
 * else -- when the caller tail-called the trampoline, so that its frame is
 * gone -- the nearest frame of an importer further up the C stack, else
 * the only importer calling with that kind of context.  A C-API function
 * the interpreter called directly that tail-calls an entry leaves no frame
 * at all; if several C-API modules imported the API, such calls count
 * under the caller "?". */

static caller_rec *new_caller(HPyAPI_Token *tok, const char *file,
                              uint32_t kind)
{
    struct HPyAPI_Hooks *h = tok->hooks;
    if (h->n_callers == h->cap_callers) {
        uint32_t cap = h->cap_callers ? 2 * h->cap_callers : 8;
        size_t bytes;
        if (cap <= h->cap_callers ||
            _HPyAPI_MulOverflow(cap, sizeof(caller_rec *), &bytes) < 0)
            return NULL;
        caller_rec **c = (caller_rec **)realloc(h->callers, bytes);
        if (c == NULL)
            return NULL;
        h->callers = c;
        h->cap_callers = cap;
    }
    caller_rec *r = (caller_rec *)calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->file = strdup(file);
    r->kind = kind;
    r->calls = (uint64_t *)calloc(tok->n_entries, sizeof(uint64_t));
    r->refused = (uint64_t *)calloc(tok->n_entries, sizeof(uint64_t));
    r->ns = (uint64_t *)calloc(tok->n_entries, sizeof(uint64_t));
    if (!r->file || !r->calls || !r->refused || !r->ns) {
        free(r->file);
        free(r->calls);
        free(r->refused);
        free(r->ns);
        free(r);
        return NULL;
    }
    h->callers[h->n_callers++] = r;
    return r;
}

/* The importer containing code address pc, or NULL. */
static const char *importer_of(struct HPyAPI_Hooks *h, const void *pc)
{
    Dl_info info;
    if (pc == NULL || !dladdr(pc, &info))
        return NULL;
    for (uint32_t i = 0; i < h->n_importers; i++)
        if (h->importers[i].base == info.dli_fbase)
            return h->importers[i].file;
    return NULL;
}

static const char *importer_on_stack(struct HPyAPI_Hooks *h)
{
    void *frames[32];
    int n = backtrace(frames, 32);
    for (int i = 0; i < n; i++) {
        const char *file = importer_of(h, frames[i]);
        if (file != NULL)
            return file;
    }
    return NULL;
}

static const char *only_importer_of_kind(struct HPyAPI_Hooks *h,
                                         uint32_t kind)
{
    const char *file = NULL;
    for (uint32_t i = 0; i < h->n_importers; i++) {
        if (h->importers[i].kind != kind)
            continue;
        if (file != NULL)
            return NULL;
        file = h->importers[i].file;
    }
    return file;
}

/* The index of the caller's record, or -1 (out of memory). */
static int64_t caller_index(HPyAPI_Token *tok, const void *pc, uint32_t kind)
{
    struct HPyAPI_Hooks *h = tok->hooks;
    unsigned slot = (unsigned)(((uintptr_t)pc >> 2) % PC_CACHE);
    if (pc != NULL && h->pc_cache[slot].pc == pc &&
        h->pc_cache[slot].kind == kind)
        return h->pc_cache[slot].rec;
    const char *file = importer_of(h, pc);
    int cacheable = file != NULL;
    if (file == NULL)
        file = importer_on_stack(h);
    if (file == NULL)
        file = only_importer_of_kind(h, kind);
    if (file == NULL)
        file = "?";
    uint32_t i = 0;
    while (i < h->n_callers &&
           (h->callers[i]->kind != kind || strcmp(h->callers[i]->file, file)))
        i++;
    if (i == h->n_callers && new_caller(tok, file, kind) == NULL)
        return -1;
    if (cacheable) {
        h->pc_cache[slot].pc = pc;
        h->pc_cache[slot].kind = kind;
        h->pc_cache[slot].rec = i;
    }
    return i;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- log and refuse: both run in the exporter's context --------------------- */

typedef struct {
    HPyAPI_Token *tok;
    uint32_t index, kind;
    const char *file;
    cpy_PyObject *obj; /* the log callable, or the refusal's type */
    const char *msg;
    int status;
} hook_call;

static void log_in_exporter(HPyContext *ctx, void *arg)
{
    hook_call *c = (hook_call *)arg;
    const HPyAPI_Spec *spec = c->tok->get_spec();
    HPy fn = EXP_FROM_PY(ctx, c->obj);
    HPy args[5] = {
        HPyUnicode_FromString(ctx, spec->api_name),
        HPyUnicode_FromString(ctx, spec->entries[c->index].name),
        HPyUnicode_FromString(ctx, _HPyAPI_KindLabel(c->kind)),
        HPyUnicode_FromString(ctx, _HPyAPI_KindLabel(c->tok->kind)),
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
static int log_call(HPyAPI_Token *tok, uint32_t index, uint32_t kind,
                    const char *file)
{
    struct HPyAPI_Hooks *h = tok->hooks;
    const HPyAPI_Spec *spec = tok->get_spec();
    if (h->log_callable != NULL) {
        /* our own reference: the callable may replace itself meanwhile */
        hook_call c = {tok, index, kind, file, h->log_callable, NULL, -1};
        Py_IncRef(c.obj);
        _HPyAPI_Enter(tok, log_in_exporter, &c);
        HPYAPI_PY_DECREF(c.obj);
        return c.status;
    }
    if (h->log_fd >= 0)
        dprintf(h->log_fd, "hpyapi: %s %s.%s() called from %s (%s caller, "
                "%s exporter)\n", tok->header->module_name, spec->api_name,
                spec->entries[index].name, file, _HPyAPI_KindLabel(kind),
                _HPyAPI_KindLabel(tok->kind));
    return 0;
}

static void refuse_in_exporter(HPyContext *ctx, void *arg)
{
    hook_call *c = (hook_call *)arg;
    HPy type = EXP_FROM_PY(ctx, c->obj);
    HPyErr_SetString(ctx, type, c->msg);
    HPy_Close(ctx, type);
}

static void refuse(HPyAPI_Token *tok, uint32_t index)
{
    struct HPyAPI_Hooks *h = tok->hooks;
    if (h->refuse_type[index] == NULL) {
        _HPyAPI_RaiseCall(tok, index, HPYAPI_EXC_RUNTIME,
                          "call refused by an hpyapi hook (HPYAPI_HOOK_REFUSE "
                          "is set for this entry)");
        return;
    }
    hook_call c = {tok, index, 0, NULL, h->refuse_type[index],
                   h->refuse_msg[index] ? h->refuse_msg[index] : "", 0};
    Py_IncRef(c.obj);
    _HPyAPI_Enter(tok, refuse_in_exporter, &c);
    HPYAPI_PY_DECREF(c.obj);
}

/* ---- the hooked call ---------------------------------------------------------- */

HPYAPI_INTERNAL int _HPyAPI_HookedCall(HPyContext *ctx, uint32_t kind,
                                       HPyAPI_Token *tok,
                                       const HPyAPI_EntryDesc *d, void *frame,
                                       const void *pc)
{
    struct HPyAPI_Hooks *h = tok->hooks;
    uint32_t i = d->index;
    unsigned flags = h->flags[i]; /* hooks may change during the call */
    int64_t rec = caller_index(tok, pc, kind);
    if (rec < 0) {
        _HPyAPI_RaiseCall(tok, i, HPYAPI_EXC_MEMORY,
                          "no memory for the counters of a new caller");
        return -1;
    }
    if ((flags & HPYAPI_HOOK_LOG) &&
        log_call(tok, i, kind, h->callers[rec]->file) < 0)
        return -1;
    if (flags & HPYAPI_HOOK_REFUSE) {
        h->callers[rec]->refused[i]++;
        refuse(tok, i);
        return -1;
    }
    uint64_t t0 = (flags & HPYAPI_HOOK_TIME) ? now_ns() : 0;
    int res = _HPyAPI_Dispatch(ctx, kind, tok, d, frame);
    if (flags & HPYAPI_HOOK_TIME)
        h->callers[rec]->ns[i] += now_ns() - t0;
    if (flags & (HPYAPI_HOOK_COUNT | HPYAPI_HOOK_TIME))
        h->callers[rec]->calls[i]++;
    return res;
}

/* ---- HPyAPI_Control ------------------------------------------------------------ */

static int bad_index(HPyAPI_Token *tok, int32_t index)
{
    return index >= 0 && (uint32_t)index >= tok->n_entries;
}

/* A retired entry's slot is a stub that raises without reaching the
 * hooks, and a data entry's is read, never called: a hook set on either
 * would be accepted and never run. */
static int retired(HPyAPI_Token *tok, uint32_t index)
{
    uint32_t flags = tok->get_spec()->entries[index].flags;
    return flags == HPYAPI_ENTRY_RETIRED || flags == HPYAPI_ENTRY_DATA;
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

static int ctl_set_flags(void *token, int32_t index, uint32_t set,
                         uint32_t clear)
{
    HPyAPI_Token *tok = (HPyAPI_Token *)token;
    if (bad_index(tok, index) ||
        (index >= 0 && set != 0 && retired(tok, (uint32_t)index)) ||
        ensure_hooks(tok) < 0)
        return -1;
    for (uint32_t i = 0; i < tok->n_entries; i++)
        if ((index < 0 && !retired(tok, i)) || (uint32_t)index == i)
            tok->hooks->flags[i] =
                (unsigned char)((tok->hooks->flags[i] | set) & ~clear &
                                ALL_HOOKS);
    _HPyAPI_RefreshFastPaths(tok);
    return 0;
}

static int ctl_get_flags(void *token, int32_t index)
{
    HPyAPI_Token *tok = (HPyAPI_Token *)token;
    if (index < 0 || bad_index(tok, index))
        return -1;
    return tok->hooks ? tok->hooks->flags[index] : 0;
}

/* The control interface names PyObject `struct _object`; universal builds
 * call it cpy_PyObject, an incomplete type of another name. */
#define PYOBJ(o) ((cpy_PyObject *)(void *)(o))

static int ctl_set_log(void *token, struct _object *callable_, int fd)
{
    HPyAPI_Token *tok = (HPyAPI_Token *)token;
    cpy_PyObject *callable = PYOBJ(callable_);
    if (!HPYAPI_HAVE_CHAINING() || ensure_hooks(tok) < 0)
        return -1;
    /* Our own duplicate: the caller may close its descriptor (Python
       closes it with the file object), and the number may then be reused
       by an unrelated file that must not receive our lines. */
    int own_fd = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (fd >= 0 && own_fd < 0)
        return -1;
    cpy_PyObject *old = tok->hooks->log_callable;
    int old_fd = tok->hooks->log_fd;
    if (callable != NULL)
        Py_IncRef(callable);
    tok->hooks->log_callable = callable;
    tok->hooks->log_fd = own_fd;
    if (old_fd >= 0)
        close(old_fd);
    HPYAPI_PY_XDECREF(old);
    return 0;
}

static int ctl_set_refusal(void *token, int32_t index,
                           struct _object *exc_type_, const char *message)
{
    HPyAPI_Token *tok = (HPyAPI_Token *)token;
    cpy_PyObject *exc_type = PYOBJ(exc_type_);
    if (index < 0 || bad_index(tok, index) || retired(tok, (uint32_t)index) ||
        !HPYAPI_HAVE_CHAINING() ||
        (exc_type != NULL && !is_exception_class(exc_type)) ||
        ensure_hooks(tok) < 0)
        return -1;
    char *msg = message ? strdup(message) : NULL;
    if (message != NULL && msg == NULL)
        return -1;
    cpy_PyObject *old = tok->hooks->refuse_type[index];
    if (exc_type != NULL)
        Py_IncRef(exc_type);
    tok->hooks->refuse_type[index] = exc_type;
    free(tok->hooks->refuse_msg[index]);
    tok->hooks->refuse_msg[index] = msg;
    HPYAPI_PY_XDECREF(old);
    return 0;
}

static int32_t ctl_read_stats(void *token, HPyAPI_StatRecord *out,
                              int32_t max)
{
    HPyAPI_Token *tok = (HPyAPI_Token *)token;
    int32_t n = 0;
    for (uint32_t c = 0; tok->hooks && c < tok->hooks->n_callers; c++) {
        caller_rec *r = tok->hooks->callers[c];
        for (uint32_t i = 0; i < tok->n_entries; i++) {
            if (!r->calls[i] && !r->refused[i] && !r->ns[i])
                continue;
            if (n < max) {
                HPyAPI_StatRecord s = {r->file, i, r->kind, r->calls[i],
                                       r->refused[i], r->ns[i]};
                out[n] = s;
            }
            n++;
        }
    }
    return n;
}

static void ctl_reset_stats(void *token)
{
    HPyAPI_Token *tok = (HPyAPI_Token *)token;
    for (uint32_t c = 0; tok->hooks && c < tok->hooks->n_callers; c++) {
        caller_rec *r = tok->hooks->callers[c];
        memset(r->calls, 0, tok->n_entries * sizeof(uint64_t));
        memset(r->refused, 0, tok->n_entries * sizeof(uint64_t));
        memset(r->ns, 0, tok->n_entries * sizeof(uint64_t));
    }
}

static void ctl_register_importer(void *token, const void *base,
                                  const char *file, uint32_t kind)
{
    HPyAPI_Token *tok = (HPyAPI_Token *)token;
    if (base == NULL || file == NULL || ensure_hooks(tok) < 0)
        return;
    struct HPyAPI_Hooks *h = tok->hooks;
    for (uint32_t i = 0; i < h->n_importers; i++)
        if (h->importers[i].base == base)
            return;
    size_t bytes;
    if (h->n_importers == UINT32_MAX ||
        _HPyAPI_MulOverflow((size_t)h->n_importers + 1,
                            sizeof *h->importers, &bytes) < 0)
        return; /* the importer's calls will count under "?" */
    void *grown = realloc(h->importers, bytes);
    char *copy = strdup(file);
    if (grown == NULL || copy == NULL) {
        free(copy);
        if (grown != NULL)
            h->importers = grown;
        return; /* the importer's calls will count under "?" */
    }
    h->importers = grown;
    h->importers[h->n_importers].base = base;
    h->importers[h->n_importers].file = copy;
    h->importers[h->n_importers].kind = kind;
    h->n_importers++;
}

static const HPyAPI_Control control = {
    1,
    sizeof(HPyAPI_Control),
    ctl_set_flags,
    ctl_get_flags,
    ctl_set_log,
    ctl_set_refusal,
    ctl_read_stats,
    ctl_reset_stats,
    ctl_register_importer,
    _HPyAPI_TableFor, /* routes.c */
};

HPYAPI_INTERNAL const HPyAPI_Control *_HPyAPI_Control(void) { return &control; }
