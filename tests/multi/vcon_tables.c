/* vcon_tables.c - the one file that holds the module's imported tables. */
#include "vcon.h"

HPyAPI_USE_DEFINE(vec, VEC_API, VEXP_MODULE);
HPyAPI_USE_DEFINE(vops, VOPS_API, VEXP_MODULE);
