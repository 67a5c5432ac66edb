/* hooks.h - the state of runtime/hooks.c's engine, shared with
 * hooks_callers.c (who called, and the counters per caller). */
#ifndef HPYAPI_RUNTIME_HOOKS_H
#define HPYAPI_RUNTIME_HOOKS_H

#include <stdint.h>

#define HPYAPI_PC_SLOTS 64
#define HPYAPI_LOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define HPYAPI_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* Counters of one calling module (shared object) and caller kind. */
typedef struct HPyAPI_CallerRec {
    char *file;
    uint32_t kind;
    uint64_t *calls, *refused, *ns; /* per entry, atomic */
    struct HPyAPI_CallerRec *next;
} HPyAPI_CallerRec;

typedef struct HPyAPI_Importer {
    const void *base;
    char *file;
    uint32_t kind;
    struct HPyAPI_Importer *next;
} HPyAPI_Importer;

typedef struct HPyAPI_PcNode { /* a return address known to be a caller's */
    const void *pc;
    uint32_t kind;
    HPyAPI_CallerRec *rec;
} HPyAPI_PcNode;

/* Lists only grow, by nodes that never change once published. */
struct HPyAPI_Hooks {
    void *owner; /* HPyAPI_Token, or HPyAPI_Legacy when `legacy` */
    int legacy;
    uint32_t n_entries;
    unsigned char *flags;        /* per entry, HPYAPI_HOOK_*, atomic */
    cpy_PyObject **refuse_type;  /* per entry, or NULL: RuntimeError */
    char **refuse_msg;           /* per entry, or NULL: a default message */
    cpy_PyObject *log_callable;  /* with the GIL held */
    int log_fd;                  /* our own duplicate, or -1; under a lock */
    HPyAPI_CallerRec *callers;   /* newest first */
    HPyAPI_Importer *importers;
    HPyAPI_PcNode *pc_cache[HPYAPI_PC_SLOTS]; /* open addressing, slots
                                                 are only ever filled */
};

/* Entry i's hooks now (0: none), for a call path to skip the engine. */
static inline unsigned _HPyAPI_HookFlags(struct HPyAPI_Hooks *h, uint32_t i)
{
    return __atomic_load_n(&h->flags[i], __ATOMIC_ACQUIRE);
}

/* hooks_callers.c.  The caller's record (made if new; NULL when out of
 * memory) from where the call returns to and the caller's kind. */
HPYAPI_INTERNAL HPyAPI_CallerRec *_HPyAPI_HooksCaller(struct HPyAPI_Hooks *h,
                                                      const void *pc,
                                                      uint32_t kind);
HPYAPI_INTERNAL void _HPyAPI_HooksRegister(struct HPyAPI_Hooks *h,
                                           const void *base, const char *file,
                                           uint32_t kind);
HPYAPI_INTERNAL int32_t _HPyAPI_HooksReadStats(struct HPyAPI_Hooks *h,
                                               HPyAPI_StatRecord *out,
                                               int32_t max);
HPYAPI_INTERNAL void _HPyAPI_HooksResetStats(struct HPyAPI_Hooks *h);

#endif /* HPYAPI_RUNTIME_HOOKS_H */
