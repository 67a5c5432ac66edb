/* hooks_callers.c - who called a hooked entry, and the counters per
 * caller, for runtime/hooks.c's engine.
 *
 * Runs on the call path of hooked entries, maybe in several threads at
 * once and without the GIL: the lists it walks only grow, by nodes that
 * never change once published (release stores, acquire loads), and
 * adding one takes this file's lock.
 */
#define _GNU_SOURCE 1 /* dladdr */
#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hpy.h"
#include "hpyapi/runtime.h"
#include "internal.h"
#include "hooks.h"

#define LOAD HPYAPI_LOAD
#define STORE HPYAPI_STORE
#define PC_SLOTS HPYAPI_PC_SLOTS
typedef HPyAPI_CallerRec caller_rec;
typedef HPyAPI_Importer importer;
typedef HPyAPI_PcNode pc_node;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Every importer registers its shared object (HPyAPI_Import for an
 * exported API; a bridge registers its own consumer).  A call is
 * attributed to the importer whose code it returns to: first the return
 * address (cached per address: call sites are few), else -- when the
 * caller tail-called the trampoline, so that its frame is gone -- the
 * nearest frame of an importer further up the C stack, else the only
 * importer calling with that kind of context.  A C-API function the
 * interpreter called directly that tail-calls an entry leaves no frame at
 * all; if several C-API modules imported the API, such calls count under
 * the caller "?". */

static caller_rec *find_caller(struct HPyAPI_Hooks *h, const char *file,
                               uint32_t kind)
{
    for (caller_rec *r = LOAD(&h->callers); r != NULL; r = r->next)
        if (r->kind == kind && strcmp(r->file, file) == 0)
            return r;
    return NULL;
}

static caller_rec *new_caller(struct HPyAPI_Hooks *h, const char *file,
                              uint32_t kind)
{
    caller_rec *r = (caller_rec *)calloc(1, sizeof *r);
    size_t n = h->n_entries ? h->n_entries : 1;
    if (r == NULL)
        return NULL;
    r->file = strdup(file);
    r->kind = kind;
    r->calls = (uint64_t *)calloc(n, sizeof(uint64_t));
    r->refused = (uint64_t *)calloc(n, sizeof(uint64_t));
    r->ns = (uint64_t *)calloc(n, sizeof(uint64_t));
    if (!r->file || !r->calls || !r->refused || !r->ns) {
        free(r->file);
        free(r->calls);
        free(r->refused);
        free(r->ns);
        free(r);
        return NULL;
    }
    return r;
}

/* The record of (file, kind), made if new; NULL when out of memory. */
static caller_rec *caller_of(struct HPyAPI_Hooks *h, const char *file,
                             uint32_t kind)
{
    caller_rec *r = find_caller(h, file, kind);
    if (r != NULL)
        return r;
    pthread_mutex_lock(&lock);
    r = find_caller(h, file, kind); /* another thread may have added it */
    if (r == NULL && (r = new_caller(h, file, kind)) != NULL) {
        r->next = h->callers;
        STORE(&h->callers, r);
    }
    pthread_mutex_unlock(&lock);
    return r;
}

/* The importer containing code address pc, or NULL. */
static const char *importer_of(struct HPyAPI_Hooks *h, const void *pc)
{
    Dl_info info;
    if (pc == NULL || !dladdr(pc, &info))
        return NULL;
    for (importer *m = LOAD(&h->importers); m != NULL; m = m->next)
        if (m->base == info.dli_fbase)
            return m->file;
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
    for (importer *m = LOAD(&h->importers); m != NULL; m = m->next) {
        if (m->kind != kind)
            continue;
        if (file != NULL)
            return NULL;
        file = m->file;
    }
    return file;
}

static unsigned pc_slot(const void *pc, uint32_t kind)
{
    return (unsigned)((((uintptr_t)pc >> 2) ^ kind) % PC_SLOTS);
}

/* Remembers pc; a full cache just leaves it to be looked up each time. */
static void cache_pc(struct HPyAPI_Hooks *h, const void *pc, uint32_t kind,
                     caller_rec *rec)
{
    pc_node *n = (pc_node *)malloc(sizeof *n);
    if (n == NULL)
        return;
    n->pc = pc;
    n->kind = kind;
    n->rec = rec;
    unsigned s = pc_slot(pc, kind);
    for (unsigned k = 0; k < PC_SLOTS; k++, s = (s + 1) % PC_SLOTS) {
        pc_node *expected = NULL;
        if (__atomic_compare_exchange_n(&h->pc_cache[s], &expected, n, 0,
                                        __ATOMIC_RELEASE, __ATOMIC_ACQUIRE))
            return;
        if (expected->pc == pc && expected->kind == kind)
            break; /* another thread was first */
    }
    free(n);
}

/* The caller's record, or NULL (out of memory). */
HPYAPI_INTERNAL caller_rec *_HPyAPI_HooksCaller(struct HPyAPI_Hooks *h,
                                                const void *pc, uint32_t kind)
{
    unsigned s = pc_slot(pc, kind);
    for (unsigned k = 0; pc != NULL && k < PC_SLOTS;
         k++, s = (s + 1) % PC_SLOTS) {
        pc_node *n = LOAD(&h->pc_cache[s]);
        if (n == NULL)
            break;
        if (n->pc == pc && n->kind == kind)
            return n->rec;
    }
    const char *file = importer_of(h, pc);
    int cacheable = file != NULL;
    if (file == NULL)
        file = importer_on_stack(h);
    if (file == NULL)
        file = only_importer_of_kind(h, kind);
    caller_rec *r = caller_of(h, file != NULL ? file : "?", kind);
    if (r != NULL && cacheable)
        cache_pc(h, pc, kind, r);
    return r;
}

HPYAPI_INTERNAL void _HPyAPI_HooksRegister(struct HPyAPI_Hooks *h,
                                           const void *base, const char *file,
                                           uint32_t kind)
{
    if (base == NULL || file == NULL)
        return;
    pthread_mutex_lock(&lock);
    importer *m = h->importers;
    while (m != NULL && m->base != base)
        m = m->next;
    if (m == NULL && (m = (importer *)calloc(1, sizeof *m)) != NULL) {
        m->base = base;
        m->kind = kind;
        m->file = strdup(file);
        m->next = h->importers;
        if (m->file != NULL)
            STORE(&h->importers, m);
        else
            free(m); /* the importer's calls will count under "?" */
    }
    pthread_mutex_unlock(&lock);
}

/* ---- the counters, for HPyAPI_Control ---------------------------------------- */

HPYAPI_INTERNAL int32_t _HPyAPI_HooksReadStats(struct HPyAPI_Hooks *h,
                                               HPyAPI_StatRecord *out,
                                               int32_t max)
{
    int32_t n = 0;
    for (caller_rec *r = h ? LOAD(&h->callers) : NULL; r; r = r->next) {
        for (uint32_t i = 0; i < h->n_entries; i++) {
            HPyAPI_StatRecord s = {r->file, i, r->kind, LOAD(&r->calls[i]),
                                   LOAD(&r->refused[i]), LOAD(&r->ns[i])};
            if (!s.calls && !s.refused && !s.ns)
                continue;
            if (n < max && out != NULL)
                out[n] = s;
            n++;
        }
    }
    return n;
}

HPYAPI_INTERNAL void _HPyAPI_HooksResetStats(struct HPyAPI_Hooks *h)
{
    for (caller_rec *r = h ? LOAD(&h->callers) : NULL; r; r = r->next)
        for (uint32_t i = 0; i < h->n_entries; i++) {
            STORE(&r->calls[i], 0);
            STORE(&r->refused[i], 0);
            STORE(&r->ns[i], 0);
        }
}

