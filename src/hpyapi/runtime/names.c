/* names.c - what hpyapi calls contexts and ABIs.  Pure C.
 *
 * A context is classified by its `name`, the one member every HPy ABI puts
 * first.  The strings are those of hpy 0.9.0 (CPython backend); PyPy and
 * GraalPy name their universal context "HPy Universal ABI (... backend)".
 * The first eight bytes already tell the families apart (see
 * HPyAPI_Route in hpyapi/runtime.h); the rest is checked too, once, where
 * a kind is decided.
 */
#include <string.h>
#include "internal.h"

static const char *const family_names[] = {
    [HPYAPI_KIND_CPYTHON] = "HPy CPython ABI",
    [HPYAPI_KIND_UNIVERSAL] = "HPy Universal ABI",
    [HPYAPI_KIND_DEBUG] = "HPy Debug Mode ABI",
    [HPYAPI_KIND_TRACE] = "HPy Trace Mode ABI",
};

HPYAPI_INTERNAL uint32_t _HPyAPI_KindOfName(const char *name)
{
    if (name == NULL)
        return HPYAPI_KIND_UNKNOWN;
    if (strcmp(name, family_names[HPYAPI_KIND_CPYTHON]) == 0)
        return HPYAPI_KIND_CPYTHON;
    if (strncmp(name, family_names[HPYAPI_KIND_UNIVERSAL], 17) == 0)
        return HPYAPI_KIND_UNIVERSAL;
    if (strcmp(name, family_names[HPYAPI_KIND_DEBUG]) == 0)
        return HPYAPI_KIND_DEBUG;
    if (strcmp(name, family_names[HPYAPI_KIND_TRACE]) == 0)
        return HPYAPI_KIND_TRACE;
    return HPYAPI_KIND_UNKNOWN;
}

HPYAPI_INTERNAL uint64_t _HPyAPI_FamilyWord(uint32_t kind)
{
    uint64_t w;
    if (kind < HPYAPI_KIND_CPYTHON || kind > HPYAPI_KIND_TRACE)
        return HPYAPI_NO_ROUTE;
    memcpy(&w, family_names[kind], sizeof w);
    return w;
}

HPYAPI_INTERNAL uint32_t _HPyAPI_KindOfWord(uint64_t w)
{
    for (uint32_t k = HPYAPI_KIND_CPYTHON; k <= HPYAPI_KIND_TRACE; k++)
        if (w == _HPyAPI_FamilyWord(k))
            return k;
    return HPYAPI_KIND_UNKNOWN;
}

HPYAPI_INTERNAL const char *_HPyAPI_KindLabel(uint32_t kind)
{
    switch (kind) {
    case HPYAPI_KIND_CPYTHON: return "cpython";
    case HPYAPI_KIND_UNIVERSAL: return "universal";
    case HPYAPI_KIND_DEBUG: return "debug";
    case HPYAPI_KIND_TRACE: return "trace";
    case HPYAPI_KIND_CAPI: return "capi";
    default: return "unknown";
    }
}
