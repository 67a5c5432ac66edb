/* names.c - what hpyapi calls contexts and ABIs.  Pure C.
 *
 * A context is classified by its `name`, the one member every HPy ABI puts
 * first.  The strings are those of hpy 0.9.0 (CPython backend); PyPy and
 * GraalPy name their universal context "HPy Universal ABI (... backend)".
 */
#include <string.h>
#include "internal.h"

HPYAPI_INTERNAL uint32_t _HPyAPI_KindOfName(const char *name)
{
    if (name == NULL)
        return HPYAPI_KIND_UNKNOWN;
    if (strcmp(name, "HPy CPython ABI") == 0)
        return HPYAPI_KIND_CPYTHON;
    if (strncmp(name, "HPy Universal ABI", 17) == 0)
        return HPYAPI_KIND_UNIVERSAL;
    if (strcmp(name, "HPy Debug Mode ABI") == 0)
        return HPYAPI_KIND_DEBUG;
    if (strcmp(name, "HPy Trace Mode ABI") == 0)
        return HPYAPI_KIND_TRACE;
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
