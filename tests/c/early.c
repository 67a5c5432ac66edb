/* early.c - a consumer using HPyAPI_USE: calls before the import raise,
 * importing twice is harmless, HPyAPI_HAS reports what the exporter has.
 * It imports the exporter the tests register as "testapi_exporter". */
#include "hpy.h"
#include "testapi.h"

HPyAPI_USE_DEFINE(testapi, TESTAPI, "testapi_exporter");

HPyDef_METH(do_import, "do_import", HPyFunc_NOARGS)
static HPy do_import_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    if (import_testapi(ctx) < 0)
        return HPy_NULL;
    return HPyLong_FromLong(ctx, (long)(intptr_t)testapi_api);
}

HPyDef_METH(add, "add", HPyFunc_VARARGS)
static HPy add_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    (void)self;
    if (nargs != 2)
        return HPy_NULL;
    return testapi_api->Add(ctx, args[0], args[1]);
}

HPyDef_METH(as_long, "as_long", HPyFunc_O)
static HPy as_long_impl(HPyContext *ctx, HPy self, HPy a)
{
    (void)self;
    long v = testapi_api->AsLong(ctx, a);
    if (v == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, v);
}

HPyDef_METH(thing, "thing", HPyFunc_NOARGS)
static HPy thing_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return testapi_api->Thing(ctx);
}

/* [has(Add), has(OldEntry), has(Concat), runtime minor] */
HPyDef_METH(has, "has", HPyFunc_NOARGS)
static HPy has_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return HPy_BuildValue(ctx, "iiii", HPyAPI_HAS(testapi_api, Add),
                          HPyAPI_HAS(testapi_api, OldEntry__retired),
                          HPyAPI_HAS(testapi_api, Concat),
                          (int)HPyAPI_RUNTIME_MINOR(testapi_api));
}

static HPyDef *module_defines[] = {&do_import, &add, &as_long, &thing, &has,
                                   NULL};
static HPyModuleDef moddef = {.doc = "HPyAPI_USE consumer",
                              .defines = module_defines};
HPy_MODINIT(early, moddef)
