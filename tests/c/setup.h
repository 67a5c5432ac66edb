/* setup.h - the setup(modname) method of the test consumers: imports
 * their API from the exporter module `modname` (the `pair` fixture's)
 * into the module's table pointer.  Include after <hpy.h> and the API's
 * header. */
#ifndef TESTS_SETUP_H
#define TESTS_SETUP_H

/* `reset`: a statement run first (a cached pointer of the last import) */
#define CONSUMER_SETUP(var, API, reset)                                        \
    HPyDef_METH(setup, "setup", HPyFunc_O)                                     \
    static HPy setup_impl(HPyContext *ctx, HPy self, HPy modname)              \
    {                                                                          \
        (void)self;                                                            \
        const char *name = HPyUnicode_AsUTF8AndSize(ctx, modname, NULL);      \
        reset;                                                                 \
        if (name == NULL || (var = HPyAPI_Import(ctx, API, name)) == NULL)     \
            return HPy_NULL;                                                   \
        return HPy_Dup(ctx, ctx->h_None);                                      \
    }
#endif
