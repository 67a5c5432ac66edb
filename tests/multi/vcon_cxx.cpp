// vcon_cxx.cpp - the same tables, called from C++.
#include <string>
#include "vcon.h"

namespace {
// owns one handle of the calling context
struct Handle {
    HPyContext *ctx;
    HPy h;
    Handle(HPyContext *c, HPy x) : ctx(c), h(x) {}
    ~Handle() { HPy_Close(ctx, h); }
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
    bool null() const { return HPy_IsNull(h); }
};
} // namespace

// "n=<len> first=<v[0]> dot=<v.v>"
extern "C" HPy vcon_cxx_summary(HPyContext *ctx, HPy v)
{
    HPy_ssize_t n = vec_api->Vec_Len(ctx, v);
    if (n < 0)
        return HPy_NULL;
    double first = n ? vec_api->Vec_Get(ctx, v, 0) : 0.0;
    if (first == -1.0 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    double dot = vops_api->Vops_Dot(ctx, v, v);
    if (dot == -1.0 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    std::string s = "n=" + std::to_string(n) + " first=" +
                    std::to_string((long)first) + " dot=" +
                    std::to_string((long)dot);
    return HPyUnicode_FromString(ctx, s.c_str());
}

// a + b through Vec_Concat, then scaled by 2
extern "C" HPy vcon_cxx_join(HPyContext *ctx, HPy a, HPy b)
{
    HPy parts[2] = {a, b};
    Handle joined(ctx, vec_api->Vec_Concat(ctx, parts, 2));
    if (joined.null())
        return HPy_NULL;
    return vops_api->Vops_Scale(ctx, joined.h, 2.0);
}
