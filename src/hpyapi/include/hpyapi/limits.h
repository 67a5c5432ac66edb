/* hpyapi/limits.h - every limit of hpyapi, defined once.
 *
 * Public: these are the documented limits of a declaration (README,
 * hpyapi.h) and the bounds the runtime puts on what it reads from a
 * capsule.  Every other file derives from them; where C needs a literal
 * (the preprocessor counters of pp.h, HPYAPI_ROUTE_INIT) a static
 * assertion below ties that literal to its limit.  hpyapi/common.h
 * includes this after defining HPYAPI_STATIC_ASSERT, and this includes
 * common.h, so that either may come first.
 */
#ifndef HPYAPI_LIMITS_H
#define HPYAPI_LIMITS_H

#include "hpyapi/abi.h"
#include "hpyapi/common.h" /* HPYAPI_STATIC_ASSERT (it includes this file) */
#include "hpyapi/pp.h"

/* Parameters of one entry (pp.h's HPYAPI_MAP_* walk this many). */
#define HPYAPI_MAX_PARAMS 32
/* Parameters of one callback (pp.h's HPYAPI_MAP2_* walk this many). */
#define HPYAPI_MAX_CB_PARAMS 16
/* Callbacks of one entry: each takes two parameters (function, data). */
#define HPYAPI_MAX_CALLBACKS (HPYAPI_MAX_PARAMS / 2)
/* Reverse trampolines per slot type (hpyapi/structs.h): how many
 * different functions of one slot type consumers of other contexts may
 * register with one exporter file, for the life of the process.  An
 * exporter file may define it as 32 or 64 before including <hpyapi.h>
 * (each costs one small function per slot type and cell). */
#ifndef HPYAPI_SLOT_POOL
#define HPYAPI_SLOT_POOL 16
#endif
/* Tables of functions returned to other contexts (HPyAPI_TABLE,
 * runtime/tables.c): the converted copies one exporter file keeps, each
 * for the life of the process, per (table, HPy or C-API caller). */
#define HPYAPI_MAX_TABLES 64
/* Handles of one call's arrays staged on the stack; longer arrays are
 * allocated (slow paths) or left to the general path (direct paths). */
#define HPYAPI_SMALL_ARRAY 16
/* Context kinds, HPYAPI_KIND_UNKNOWN..HPYAPI_KIND_CAPI (abi.h): the size
 * of every per-caller-kind array. */
#define HPYAPI_N_KINDS (HPYAPI_KIND_CAPI + 1)

/* The most entries a header may claim when its exporter is newer than the
 * consumer (an older or equal minor is bounded by the consumer's own
 * declaration).  Far more than any real API; it bounds every walk of a
 * forged entry list. */
#define HPYAPI_MAX_ENTRIES 65536u
/* The longest name or signature string read from a capsule: a longer one
 * (or one without a NUL within this many bytes) is rejected unread. */
#define HPYAPI_MAX_STRING 512u

/* pp.h counts with literal argument lists: they must reach the limits
 * above, and one parameter more must count as too many. */
#define HPYAPI_LIMITS_8_ 0, 0, 0, 0, 0, 0, 0, 0
#define HPYAPI_LIMITS_16_ HPYAPI_LIMITS_8_, HPYAPI_LIMITS_8_
#define HPYAPI_LIMITS_32_ HPYAPI_LIMITS_16_, HPYAPI_LIMITS_16_
HPYAPI_STATIC_ASSERT(HPYAPI_NARGS(HPYAPI_LIMITS_32_) == HPYAPI_MAX_PARAMS &&
                         HPYAPI_TOO_MANY(HPYAPI_LIMITS_32_, 0) == 1,
                     "pp.h's HPYAPI_NARGS must count to HPYAPI_MAX_PARAMS");
HPYAPI_STATIC_ASSERT(HPYAPI_NARGS2(HPYAPI_LIMITS_16_) == HPYAPI_MAX_CB_PARAMS,
                     "pp.h's HPYAPI_NARGS2 must count to HPYAPI_MAX_CB_PARAMS");

#endif /* HPYAPI_LIMITS_H */
