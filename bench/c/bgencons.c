/* bgencons.c - imports a generated API of N entries (bench/gen.py writes
 * genapi.h) and counts what HPyAPI_Import of an already imported exporter
 * costs: the case of every consumer module after the first. */
#include "hpy.h"
#include "genapi.h"
#include "cg.h"

/* import_n(exporter_name, n, label): n imports between callgrind markers;
 * returns the entry count of the table it got, as a sanity check. */
HPyDef_METH(import_n, "import_n", HPyFunc_VARARGS)
static HPy import_n_impl(HPyContext *ctx, HPy self, const HPy *args,
                         size_t nargs)
{
    (void)self;
    const char *name, *label;
    long n;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "sls", &name, &n, &label))
        return HPy_NULL;
    const genapi_API *api = HPyAPI_Import(ctx, genapi, name); /* warm */
    if (api == NULL)
        return HPy_NULL;
    BENCH_CG_START();
    for (long i = 0; i < n; i++)
        if (HPyAPI_Import(ctx, genapi, name) != api)
            return HPy_NULL;
    BENCH_CG_STOP(label);
    return HPyLong_FromLong(ctx, (long)GENAPI_N_ENTRIES);
}

static HPyDef *defines[] = {&import_n, NULL};
static HPyModuleDef moddef = {.defines = defines};
HPy_MODINIT(bgencons, moddef)
