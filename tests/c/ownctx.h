/* ownctx.h - the invariant of issue 17: an exporter's functions run on a
 * context of their own module, a consumer's callbacks on the consumer's.
 * Every exporter function and consumer callback of the test modules calls
 * OWNCTX(ctx); foreign_ctx_calls() (OWNCTX_METHOD) reports, and resets,
 * how many calls did not, and the first of them; tests/conftest.py fails
 * any test after which a module reports one.  bad_contexts() counts the
 * calls on a context of another ABI family (its name's first 8 bytes).
 *
 * Own means: universal, hybrid and trace builds, exactly the module's
 * _ctx_for_trampolines (the instance HPy calls the module with, a private
 * one under HPYAPI_TEST_PRIVATE_CONTEXTS=1); debug, a copy of the module's
 * debug context (the same HPyDebugInfo; each copy's _private is its own
 * HPyDebugCtxInfo) that is valid now -- an invalid
 * one makes HPy abort in the Dup below; CPython ABI, any CPython-ABI
 * context (stateless static copies, one per C file).  Include after
 * <hpy.h>. */
#ifndef OWNCTX_H
#define OWNCTX_H
#include <string.h>

/* hpy 0.9.0's HPyDebugCtxInfo (debug_internal.h): per copy of the debug
   context, pointing at the HPyDebugInfo all copies of one family share */
typedef struct {
    long magic_number;
    _Bool is_valid;
    void *info;
} ownctx_debug_info;

/* the instance HPy calls this module with (0: CPython ABI, any serves) */
#ifdef HPY_ABI_CPYTHON
#define OWNCTX_SELF 0
#else
#define OWNCTX_SELF _ctx_for_trampolines
#endif

static long ownctx_foreign;
static const char *ownctx_first;
/* the weaker check bad_contexts() reports (what test_callbacks,
   test_structs and test_fnparam assert besides this one): the context's
   name starts as the module's own context's does, its ABI family */
static long ownctx_bad_family;

static int ownctx_same_family(HPyContext *ctx)
{
#ifdef HPY_ABI_CPYTHON
    const char *own = "HPy CPython";
#else
    const char *own = _ctx_for_trampolines ? _ctx_for_trampolines->name : "";
#endif
    return strncmp(ctx->name, own, 8) == 0;
}

static void ownctx_check(HPyContext *ctx, const char *where)
{
    int ok;
#ifdef HPY_ABI_CPYTHON
    ok = strncmp(ctx->name, "HPy CPython", 11) == 0;
#else
    if (strncmp(ctx->name, "HPy Debug", 9) == 0) {
        ok = _ctx_for_trampolines != NULL &&
             ((ownctx_debug_info *)ctx->_private)->info ==
                 ((ownctx_debug_info *)_ctx_for_trampolines->_private)->info;
        if (ok)
            HPy_Close(ctx, HPy_Dup(ctx, ctx->h_None));
    } else {
        ok = ctx == _ctx_for_trampolines;
    }
#endif
    if (!ok && ownctx_foreign++ == 0)
        ownctx_first = where;
    if (!ownctx_same_family(ctx))
        ownctx_bad_family++;
}
#define OWNCTX(ctx) ownctx_check((ctx), __func__)

#define OWNCTX_METHOD                                                          \
    HPyDef_METH(foreign_ctx_calls, "foreign_ctx_calls", HPyFunc_NOARGS)        \
    static HPy foreign_ctx_calls_impl(HPyContext *ctx, HPy self)               \
    {                                                                          \
        (void)self;                                                            \
        HPy r = HPy_BuildValue(ctx, "ls", ownctx_foreign,                      \
                               ownctx_first ? ownctx_first : "");              \
        ownctx_foreign = 0;                                                    \
        ownctx_first = NULL;                                                   \
        return r;                                                              \
    }                                                                          \
    HPyDef_METH(own_ctx_address, "own_ctx_address", HPyFunc_NOARGS)            \
    static HPy own_ctx_address_impl(HPyContext *ctx, HPy self)                 \
    {                                                                          \
        (void)self;                                                            \
        return HPyLong_FromSsize_t(ctx, (HPy_ssize_t)(intptr_t)OWNCTX_SELF);   \
    }                                                                          \
    HPyDef_METH(bad_ctx, "bad_contexts", HPyFunc_NOARGS)                       \
    static HPy bad_ctx_impl(HPyContext *ctx, HPy self)                         \
    {                                                                          \
        (void)self;                                                            \
        return HPyLong_FromLong(ctx, ownctx_bad_family);                       \
    }
#endif
