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

#endif /* HPYAPI_RUNTIME_UCTX_H */
