/* tabconsumer.c - calls legacytab's table (tests/c/legacytab.c) through
 * the legacy bridge: a borrowed result, a stolen argument with an int
 * error return, an exported object, a named capsule. */
#include "hpy.h"
#include "hpyapi.h"

/* variants: -DTAB_SETITEM_SINCE=4 (newer than the table's feature version
   3), -DTAB_ABI=8 (another ABI) */
#ifndef TAB_SETITEM_SINCE
#define TAB_SETITEM_SINCE 3
#endif
#ifndef TAB_ABI
#define TAB_ABI 7
#endif

#define TAB_LEGACY(FUNC, OBJECT, RETIRED)                                      \
    FUNC  (0, 0, unsigned int, AbiVersion, (void))                             \
    FUNC  (1, 0, unsigned int, FeatureVersion, (void))                         \
    FUNC  (2, 2, HPyAPI_BORROWED, GetItem, (HPy, list), (HPy_ssize_t, i))      \
    FUNC  (3, TAB_SETITEM_SINCE, int, SetItem, (HPy, list), (HPy_ssize_t, i),                  \
           (HPyAPI_STEALS, item))                                              \
    OBJECT(4, 0, ListType)
HPyAPI_LEGACY_DECLARE(tab, TAB_LEGACY);

#ifndef MODNAME
#define MODNAME tabconsumer
#endif

HPyAPI_LEGACY_USE(tab, TAB_LEGACY, "hpyapi_t_cpython.legacytab", "_C_API",
                  "legacytab._C_API",
                  HPyAPI_LEGACY_VERSIONS(AbiVersion, TAB_ABI, FeatureVersion, 1));

HPyDef_METH(do_import, "do_import", HPyFunc_NOARGS)
static HPy do_import_impl(HPyContext *ctx, HPy self)
{
    /* a module-level function's self is its module */
    if (import_tab(ctx, self) < 0)
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

/* get(list, i): PyList_GetItem, borrowed, as a new handle */
HPyDef_METH(get, "get", HPyFunc_VARARGS)
static HPy get_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    HPy list;
    HPy_ssize_t i;
    if (!HPyArg_Parse(ctx, NULL, args, n, "On", &list, &i))
        return HPy_NULL;
    return tab_api->GetItem(ctx, list, i);
}

/* set(list, i, item): PyList_SetItem, which steals item (the handle stays
 * ours) and returns -1 with IndexError for a bad index */
HPyDef_METH(set, "set", HPyFunc_VARARGS)
static HPy set_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    (void)self;
    HPy list, item;
    HPy_ssize_t i;
    if (!HPyArg_Parse(ctx, NULL, args, n, "OnO", &list, &i, &item))
        return HPy_NULL;
    if (tab_api->SetItem(ctx, list, i, item) < 0)
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(list_type, "list_type", HPyFunc_NOARGS)
static HPy list_type_impl(HPyContext *ctx, HPy self)
{
    (void)self;
    return tab_api->ListType(ctx);
}

static HPyDef *defines[] = {&do_import, &get, &set, &list_type, NULL};
static HPyModuleDef moddef = {.defines = defines};
#define TAB_MODINIT(name, def) HPy_MODINIT(name, def)
TAB_MODINIT(MODNAME, moddef)
