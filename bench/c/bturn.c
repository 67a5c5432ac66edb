/* bturn.c - one of several consumer modules calling the same exporter in
 * turn (bench/scale.py).  Loaded many times from copies of one .so, so each
 * copy has its own statics: its own imported table and, in a CPython-ABI
 * build, its own static context whose `name` pointer differs from every
 * other copy's -- the situation that used to defeat the routes.  It calls
 * nothing itself: it hands bdriver.c two functions that make one call of
 * Trivial, through the raw table and through hpyapi's, with this module's
 * own context and handle, so that the driver can interleave the modules
 * call by call in a C loop. */
#include "hpy.h"
#include "benchapi.h"

static const benchapi_API *api;
static const benchapi_raw *raw;
static HPyContext *my_ctx;
static HPy my_arg; /* kept open for the life of the process */

static long call_raw(void) { return raw->Trivial(my_ctx, my_arg); }
static long call_table(void) { return api->Trivial(my_ctx, my_arg); }

/* the layout bdriver.c reads from the "bench.turn" capsule */
typedef struct {
    long (*call[2])(void); /* BENCH_RAW, BENCH_TABLE */
} bench_turn;
static const bench_turn turn = {{call_raw, call_table}};

/* setup(exporter, arg): import the exporter's table; returns the capsule */
HPyDef_METH(setup, "setup", HPyFunc_VARARGS)
static HPy setup_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    (void)self;
    HPy exporter, arg;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "OO", &exporter, &arg))
        return HPy_NULL;
    if (bench_import(ctx, exporter, &api, &raw) < 0)
        return HPy_NULL;
#ifdef HPY_ABI_CPYTHON
    my_ctx = ctx; /* this file's static context */
#else
    /* The context this module was loaded with.  The one setup received may
     * be a short-lived debug copy; the root is valid whenever no debug-mode
     * function is running, as is the case while the driver loops (see
     * HPY_FACTS.md, "The debug context's validity flag"). */
    my_ctx = _ctx_for_trampolines;
#endif
    if (!HPy_IsNull(my_arg))
        HPy_Close(ctx, my_arg);
    my_arg = HPy_Dup(ctx, arg);
    return HPyCapsule_New(ctx, (void *)&turn, "bench.turn", NULL);
}

/* the address of this copy's ctx->name, to check that copies differ */
HPyDef_METH(name_address, "name_address", HPyFunc_NOARGS)
static HPy name_address_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPyLong_FromSize_t(ctx, (size_t)my_ctx->name);
}

static HPyDef *defines[] = {&setup, &name_address, NULL};
static HPyModuleDef moddef = {.defines = defines};
HPy_MODINIT(bturn, moddef)
