/* uctx.h - a view of any universal-layout context (universal, debug,
 * trace), whatever ABI the including file is compiled for: HPy's own struct
 * definition, renamed.  The members are pointer-sized in every ABI, so the
 * layout is the same.  Also the bit-level handle helpers the runtime
 * shares.  Include after hpy.h. */
#ifndef HPYAPI_RUNTIME_UCTX_H
#define HPYAPI_RUNTIME_UCTX_H

#ifdef HPY_ABI_CPYTHON
typedef int _HPyCapsule_key; /* only declared for universal builds */
#endif
#define _HPyContext_s hpyapi_uctx_s
#include "hpy/universal/autogen_ctx.h"
#undef _HPyContext_s
typedef struct hpyapi_uctx_s hpyapi_uctx;
#define UCTX(ctx) ((hpyapi_uctx *)(void *)(ctx))

static inline intptr_t hbits(HPy h)
{
    intptr_t b;
    memcpy(&b, &h, sizeof b);
    return b;
}

static inline HPy hfrom(intptr_t b)
{
    HPy h;
    memcpy(&h, &b, sizeof h);
    return h;
}

/* Which debug family a debug context belongs to: hpy's debug mode gives
 * each copy of its context its own HPyDebugCtxInfo (`_private`: a magic
 * number, the copy's validity, the HPyDebugInfo all copies of one family
 * share), and that shared HPyDebugInfo is the family's identity.  Mirrors
 * hpy 0.9.0's debug_internal.h; NULL when the magic number differs (an
 * hpy whose layout this does not know: then no two contexts compare
 * equal, and every debug pair takes the path that is always right). */
typedef struct {
    long magic_number;
    _Bool is_valid;
    void *info;
} hpyapi_debug_ctx_info;
#define HPYAPI_DEBUG_CTX_INFO_MAGIC 0xDDA003F
static inline void *_HPyAPI_DebugFamily(HPyContext *dctx)
{
    const hpyapi_debug_ctx_info *i =
        (const hpyapi_debug_ctx_info *)UCTX(dctx)->_private;
    return i != NULL && i->magic_number == HPYAPI_DEBUG_CTX_INFO_MAGIC
               ? i->info
               : NULL;
}

/* Two debug contexts of the same family (see above). */
static inline int _HPyAPI_SameDebugFamily(HPyContext *a, HPyContext *b)
{
    void *fa = _HPyAPI_DebugFamily(a);
    return fa != NULL && fa == _HPyAPI_DebugFamily(b);
}

#endif /* HPYAPI_RUNTIME_UCTX_H */
