/* names.c - what hpyapi calls contexts and ABIs in messages and stats.
 * Pure C.  How a context's kind is decided: _HPyAPI_KindOf (internal.h).
 */
#include "internal.h"

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
