/* fhlegacy.c - imports legacytab's classic table (tests/c/legacytab.c)
 * through the legacy bridge in its HPy_mod_exec, from FH_FROM. */
#include "hpy.h"
#include "hpyapi.h"

#define FHTAB_LEGACY(FUNC, OBJECT, RETIRED)                                    \
    FUNC(0, 0, unsigned int, AbiVersion, (void))                               \
    FUNC(1, 0, unsigned int, FeatureVersion, (void))                           \
    FUNC(2, 2, HPyAPI_BORROWED, GetItem, (HPy, list), (HPy_ssize_t, i))
HPyAPI_LEGACY_DECLARE(fhtab, FHTAB_LEGACY);
HPyAPI_LEGACY_USE(fhtab, FHTAB_LEGACY, FH_FROM, "_C_API", "legacytab._C_API",
                  HPyAPI_LEGACY_VERSIONS(AbiVersion, 7, FeatureVersion, 1));

HPyDef_METH(get, "get", HPyFunc_VARARGS)
static HPy get_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    HPy list;
    HPy_ssize_t i;
    if (!HPyArg_Parse(ctx, NULL, args, n, "On", &list, &i))
        return HPy_NULL;
    return fhtab_api->GetItem(ctx, list, i);
}

HPyDef_SLOT(fhl_exec, HPy_mod_exec)
static int fhl_exec_impl(HPyContext *ctx, HPy module)
{
    return import_fhtab(ctx, module);
}

static HPyDef *defines[] = {&get, &fhl_exec, NULL};
static HPyModuleDef moddef = {.defines = defines};
/* MODNAME is a macro: expand it before HPy_MODINIT pastes it */
#define FH_MODINIT(name) HPy_MODINIT(name, moddef)
FH_MODINIT(MODNAME)
