/* hpyapi/pp.h - the preprocessor toolkit behind the declaration macros.
 *
 * Public only through HPyAPI_LEN (a parameter form, see hpyapi.h); nothing
 * else here is for users.  Everything here exists so that decl.h, trampoline.h, callback.h and legacy.h can walk a
 * parameter list such as `(HPy, a), (const HPy *, items, n)` and emit, per
 * parameter, a prototype fragment, a call argument, a frame field or an
 * argument descriptor.  Nothing here knows about HPy semantics except the
 * two probes at the bottom, which recognise the types `HPy` and `void`.
 *
 * Limits: at most 32 parameters per API function (33 to 40 are recognised
 * and refused by one assertion, see HPYAPI_TOO_MANY).  Needs a C11 preprocessor
 * with conforming __VA_ARGS__ handling (gcc, clang; MSVC with
 * /Zc:preprocessor).
 */
#ifndef HPYAPI_PP_H
#define HPYAPI_PP_H

#define HPYAPI_CAT(a, b) HPYAPI_CAT_I(a, b)
#define HPYAPI_CAT_I(a, b) a##b
#define HPYAPI_STR(x) HPYAPI_STR_I(x)
#define HPYAPI_STR_I(x) #x

/* Number of arguments, 1..32; `X` for 33..40 (too many parameters: see
 * HPYAPI_TOO_MANY), so that a list a little too long yields one clear
 * error instead of pages of failed token pastes.  Beyond 40 the
 * compiler's own errors: every walk of every entry counts its list, and
 * each argument this collects costs (a window up to 64 was 5% of what
 * including a NumPy-sized declaration cost). */
#define HPYAPI_NARGS(...)                                                      \
    HPYAPI_NARGS_I(__VA_ARGS__, X, X, X, X, X, X, X, X, 32, 31, 30, 29, 28,   \
                   27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, \
                   12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define HPYAPI_NARGS_I(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, \
                       _33, _34, _35, _36, _37, _38, _39, _40, N, ...) N

/* HPYAPI_PARAMS(G, X, p1, ..., pn) expands HPYAPI_PARAM(G, X, pos, p) for
 * each parameter tuple, with pos counting down from n to 1 so that a
 * generator can tell the last parameter (pos 1) from the others, which is
 * what separators in signature strings need.  HPYAPI_MAP_n names its n
 * parameters rather than recursing on `...`: each tuple is substituted
 * once, where a recursive walk rescans the rest of the list at every
 * step (9% of what including the NumPy-sized declaration costs, with the
 * callback and slot-type walkers' own MAPs made flat the same way). */
#define HPYAPI_PARAMS(G, X, ...)                                               \
    HPYAPI_CAT(HPYAPI_MAP_, HPYAPI_NARGS(__VA_ARGS__))                         \
    (HPYAPI_PARAM, G, X, __VA_ARGS__)
#define HPYAPI_MAP_1(P, G, X, p1) \
    P(G, X, 1, p1)
#define HPYAPI_MAP_2(P, G, X, p1, p2) \
    P(G, X, 2, p1) P(G, X, 1, p2)
#define HPYAPI_MAP_3(P, G, X, p1, p2, p3) \
    P(G, X, 3, p1) P(G, X, 2, p2) P(G, X, 1, p3)
#define HPYAPI_MAP_4(P, G, X, p1, p2, p3, p4) \
    P(G, X, 4, p1) P(G, X, 3, p2) P(G, X, 2, p3) P(G, X, 1, p4)
#define HPYAPI_MAP_5(P, G, X, p1, p2, p3, p4, p5) \
    P(G, X, 5, p1) P(G, X, 4, p2) P(G, X, 3, p3) P(G, X, 2, p4) P(G, X, 1, p5)
#define HPYAPI_MAP_6(P, G, X, p1, p2, p3, p4, p5, p6) \
    P(G, X, 6, p1) P(G, X, 5, p2) P(G, X, 4, p3) P(G, X, 3, p4) P(G, X, 2, p5) P(G, X, 1, p6)
#define HPYAPI_MAP_7(P, G, X, p1, p2, p3, p4, p5, p6, p7) \
    P(G, X, 7, p1) P(G, X, 6, p2) P(G, X, 5, p3) P(G, X, 4, p4) P(G, X, 3, p5) P(G, X, 2, p6) P(G, X, 1, p7)
#define HPYAPI_MAP_8(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8) \
    P(G, X, 8, p1) P(G, X, 7, p2) P(G, X, 6, p3) P(G, X, 5, p4) P(G, X, 4, p5) P(G, X, 3, p6) P(G, X, 2, p7) P(G, X, 1, p8)
#define HPYAPI_MAP_9(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9) \
    P(G, X, 9, p1) P(G, X, 8, p2) P(G, X, 7, p3) P(G, X, 6, p4) P(G, X, 5, p5) P(G, X, 4, p6) P(G, X, 3, p7) P(G, X, 2, p8) P(G, X, 1, p9)
#define HPYAPI_MAP_10(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10) \
    P(G, X, 10, p1) P(G, X, 9, p2) P(G, X, 8, p3) P(G, X, 7, p4) P(G, X, 6, p5) P(G, X, 5, p6) P(G, X, 4, p7) P(G, X, 3, p8) P(G, X, 2, p9) P(G, X, 1, p10)
#define HPYAPI_MAP_11(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11) \
    P(G, X, 11, p1) P(G, X, 10, p2) P(G, X, 9, p3) P(G, X, 8, p4) P(G, X, 7, p5) P(G, X, 6, p6) P(G, X, 5, p7) P(G, X, 4, p8) P(G, X, 3, p9) P(G, X, 2, p10) P(G, X, 1, p11)
#define HPYAPI_MAP_12(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12) \
    P(G, X, 12, p1) P(G, X, 11, p2) P(G, X, 10, p3) P(G, X, 9, p4) P(G, X, 8, p5) P(G, X, 7, p6) P(G, X, 6, p7) P(G, X, 5, p8) P(G, X, 4, p9) P(G, X, 3, p10) P(G, X, 2, p11) P(G, X, 1, p12)
#define HPYAPI_MAP_13(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13) \
    P(G, X, 13, p1) P(G, X, 12, p2) P(G, X, 11, p3) P(G, X, 10, p4) P(G, X, 9, p5) P(G, X, 8, p6) P(G, X, 7, p7) P(G, X, 6, p8) P(G, X, 5, p9) P(G, X, 4, p10) P(G, X, 3, p11) P(G, X, 2, p12) P(G, X, 1, p13)
#define HPYAPI_MAP_14(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14) \
    P(G, X, 14, p1) P(G, X, 13, p2) P(G, X, 12, p3) P(G, X, 11, p4) P(G, X, 10, p5) P(G, X, 9, p6) P(G, X, 8, p7) P(G, X, 7, p8) P(G, X, 6, p9) P(G, X, 5, p10) P(G, X, 4, p11) P(G, X, 3, p12) P(G, X, 2, p13) P(G, X, 1, p14)
#define HPYAPI_MAP_15(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15) \
    P(G, X, 15, p1) P(G, X, 14, p2) P(G, X, 13, p3) P(G, X, 12, p4) P(G, X, 11, p5) P(G, X, 10, p6) P(G, X, 9, p7) P(G, X, 8, p8) P(G, X, 7, p9) P(G, X, 6, p10) P(G, X, 5, p11) P(G, X, 4, p12) P(G, X, 3, p13) P(G, X, 2, p14) P(G, X, 1, p15)
#define HPYAPI_MAP_16(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16) \
    P(G, X, 16, p1) P(G, X, 15, p2) P(G, X, 14, p3) P(G, X, 13, p4) P(G, X, 12, p5) P(G, X, 11, p6) P(G, X, 10, p7) P(G, X, 9, p8) P(G, X, 8, p9) P(G, X, 7, p10) P(G, X, 6, p11) P(G, X, 5, p12) P(G, X, 4, p13) P(G, X, 3, p14) P(G, X, 2, p15) P(G, X, 1, p16)
#define HPYAPI_MAP_17(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17) \
    P(G, X, 17, p1) P(G, X, 16, p2) P(G, X, 15, p3) P(G, X, 14, p4) P(G, X, 13, p5) P(G, X, 12, p6) P(G, X, 11, p7) P(G, X, 10, p8) P(G, X, 9, p9) P(G, X, 8, p10) P(G, X, 7, p11) P(G, X, 6, p12) P(G, X, 5, p13) P(G, X, 4, p14) P(G, X, 3, p15) P(G, X, 2, p16) P(G, X, 1, p17)
#define HPYAPI_MAP_18(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18) \
    P(G, X, 18, p1) P(G, X, 17, p2) P(G, X, 16, p3) P(G, X, 15, p4) P(G, X, 14, p5) P(G, X, 13, p6) P(G, X, 12, p7) P(G, X, 11, p8) P(G, X, 10, p9) P(G, X, 9, p10) P(G, X, 8, p11) P(G, X, 7, p12) P(G, X, 6, p13) P(G, X, 5, p14) P(G, X, 4, p15) P(G, X, 3, p16) P(G, X, 2, p17) P(G, X, 1, p18)
#define HPYAPI_MAP_19(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19) \
    P(G, X, 19, p1) P(G, X, 18, p2) P(G, X, 17, p3) P(G, X, 16, p4) P(G, X, 15, p5) P(G, X, 14, p6) P(G, X, 13, p7) P(G, X, 12, p8) P(G, X, 11, p9) P(G, X, 10, p10) P(G, X, 9, p11) P(G, X, 8, p12) P(G, X, 7, p13) P(G, X, 6, p14) P(G, X, 5, p15) P(G, X, 4, p16) P(G, X, 3, p17) P(G, X, 2, p18) P(G, X, 1, p19)
#define HPYAPI_MAP_20(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20) \
    P(G, X, 20, p1) P(G, X, 19, p2) P(G, X, 18, p3) P(G, X, 17, p4) P(G, X, 16, p5) P(G, X, 15, p6) P(G, X, 14, p7) P(G, X, 13, p8) P(G, X, 12, p9) P(G, X, 11, p10) P(G, X, 10, p11) P(G, X, 9, p12) P(G, X, 8, p13) P(G, X, 7, p14) P(G, X, 6, p15) P(G, X, 5, p16) P(G, X, 4, p17) P(G, X, 3, p18) P(G, X, 2, p19) P(G, X, 1, p20)
#define HPYAPI_MAP_21(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21) \
    P(G, X, 21, p1) P(G, X, 20, p2) P(G, X, 19, p3) P(G, X, 18, p4) P(G, X, 17, p5) P(G, X, 16, p6) P(G, X, 15, p7) P(G, X, 14, p8) P(G, X, 13, p9) P(G, X, 12, p10) P(G, X, 11, p11) P(G, X, 10, p12) P(G, X, 9, p13) P(G, X, 8, p14) P(G, X, 7, p15) P(G, X, 6, p16) P(G, X, 5, p17) P(G, X, 4, p18) P(G, X, 3, p19) P(G, X, 2, p20) P(G, X, 1, p21)
#define HPYAPI_MAP_22(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22) \
    P(G, X, 22, p1) P(G, X, 21, p2) P(G, X, 20, p3) P(G, X, 19, p4) P(G, X, 18, p5) P(G, X, 17, p6) P(G, X, 16, p7) P(G, X, 15, p8) P(G, X, 14, p9) P(G, X, 13, p10) P(G, X, 12, p11) P(G, X, 11, p12) P(G, X, 10, p13) P(G, X, 9, p14) P(G, X, 8, p15) P(G, X, 7, p16) P(G, X, 6, p17) P(G, X, 5, p18) P(G, X, 4, p19) P(G, X, 3, p20) P(G, X, 2, p21) P(G, X, 1, p22)
#define HPYAPI_MAP_23(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23) \
    P(G, X, 23, p1) P(G, X, 22, p2) P(G, X, 21, p3) P(G, X, 20, p4) P(G, X, 19, p5) P(G, X, 18, p6) P(G, X, 17, p7) P(G, X, 16, p8) P(G, X, 15, p9) P(G, X, 14, p10) P(G, X, 13, p11) P(G, X, 12, p12) P(G, X, 11, p13) P(G, X, 10, p14) P(G, X, 9, p15) P(G, X, 8, p16) P(G, X, 7, p17) P(G, X, 6, p18) P(G, X, 5, p19) P(G, X, 4, p20) P(G, X, 3, p21) P(G, X, 2, p22) P(G, X, 1, p23)
#define HPYAPI_MAP_24(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24) \
    P(G, X, 24, p1) P(G, X, 23, p2) P(G, X, 22, p3) P(G, X, 21, p4) P(G, X, 20, p5) P(G, X, 19, p6) P(G, X, 18, p7) P(G, X, 17, p8) P(G, X, 16, p9) P(G, X, 15, p10) P(G, X, 14, p11) P(G, X, 13, p12) P(G, X, 12, p13) P(G, X, 11, p14) P(G, X, 10, p15) P(G, X, 9, p16) P(G, X, 8, p17) P(G, X, 7, p18) P(G, X, 6, p19) P(G, X, 5, p20) P(G, X, 4, p21) P(G, X, 3, p22) P(G, X, 2, p23) P(G, X, 1, p24)
#define HPYAPI_MAP_25(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25) \
    P(G, X, 25, p1) P(G, X, 24, p2) P(G, X, 23, p3) P(G, X, 22, p4) P(G, X, 21, p5) P(G, X, 20, p6) P(G, X, 19, p7) P(G, X, 18, p8) P(G, X, 17, p9) P(G, X, 16, p10) P(G, X, 15, p11) P(G, X, 14, p12) P(G, X, 13, p13) P(G, X, 12, p14) P(G, X, 11, p15) P(G, X, 10, p16) P(G, X, 9, p17) P(G, X, 8, p18) P(G, X, 7, p19) P(G, X, 6, p20) P(G, X, 5, p21) P(G, X, 4, p22) P(G, X, 3, p23) P(G, X, 2, p24) P(G, X, 1, p25)
#define HPYAPI_MAP_26(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26) \
    P(G, X, 26, p1) P(G, X, 25, p2) P(G, X, 24, p3) P(G, X, 23, p4) P(G, X, 22, p5) P(G, X, 21, p6) P(G, X, 20, p7) P(G, X, 19, p8) P(G, X, 18, p9) P(G, X, 17, p10) P(G, X, 16, p11) P(G, X, 15, p12) P(G, X, 14, p13) P(G, X, 13, p14) P(G, X, 12, p15) P(G, X, 11, p16) P(G, X, 10, p17) P(G, X, 9, p18) P(G, X, 8, p19) P(G, X, 7, p20) P(G, X, 6, p21) P(G, X, 5, p22) P(G, X, 4, p23) P(G, X, 3, p24) P(G, X, 2, p25) P(G, X, 1, p26)
#define HPYAPI_MAP_27(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27) \
    P(G, X, 27, p1) P(G, X, 26, p2) P(G, X, 25, p3) P(G, X, 24, p4) P(G, X, 23, p5) P(G, X, 22, p6) P(G, X, 21, p7) P(G, X, 20, p8) P(G, X, 19, p9) P(G, X, 18, p10) P(G, X, 17, p11) P(G, X, 16, p12) P(G, X, 15, p13) P(G, X, 14, p14) P(G, X, 13, p15) P(G, X, 12, p16) P(G, X, 11, p17) P(G, X, 10, p18) P(G, X, 9, p19) P(G, X, 8, p20) P(G, X, 7, p21) P(G, X, 6, p22) P(G, X, 5, p23) P(G, X, 4, p24) P(G, X, 3, p25) P(G, X, 2, p26) P(G, X, 1, p27)
#define HPYAPI_MAP_28(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28) \
    P(G, X, 28, p1) P(G, X, 27, p2) P(G, X, 26, p3) P(G, X, 25, p4) P(G, X, 24, p5) P(G, X, 23, p6) P(G, X, 22, p7) P(G, X, 21, p8) P(G, X, 20, p9) P(G, X, 19, p10) P(G, X, 18, p11) P(G, X, 17, p12) P(G, X, 16, p13) P(G, X, 15, p14) P(G, X, 14, p15) P(G, X, 13, p16) P(G, X, 12, p17) P(G, X, 11, p18) P(G, X, 10, p19) P(G, X, 9, p20) P(G, X, 8, p21) P(G, X, 7, p22) P(G, X, 6, p23) P(G, X, 5, p24) P(G, X, 4, p25) P(G, X, 3, p26) P(G, X, 2, p27) P(G, X, 1, p28)
#define HPYAPI_MAP_29(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29) \
    P(G, X, 29, p1) P(G, X, 28, p2) P(G, X, 27, p3) P(G, X, 26, p4) P(G, X, 25, p5) P(G, X, 24, p6) P(G, X, 23, p7) P(G, X, 22, p8) P(G, X, 21, p9) P(G, X, 20, p10) P(G, X, 19, p11) P(G, X, 18, p12) P(G, X, 17, p13) P(G, X, 16, p14) P(G, X, 15, p15) P(G, X, 14, p16) P(G, X, 13, p17) P(G, X, 12, p18) P(G, X, 11, p19) P(G, X, 10, p20) P(G, X, 9, p21) P(G, X, 8, p22) P(G, X, 7, p23) P(G, X, 6, p24) P(G, X, 5, p25) P(G, X, 4, p26) P(G, X, 3, p27) P(G, X, 2, p28) P(G, X, 1, p29)
#define HPYAPI_MAP_30(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30) \
    P(G, X, 30, p1) P(G, X, 29, p2) P(G, X, 28, p3) P(G, X, 27, p4) P(G, X, 26, p5) P(G, X, 25, p6) P(G, X, 24, p7) P(G, X, 23, p8) P(G, X, 22, p9) P(G, X, 21, p10) P(G, X, 20, p11) P(G, X, 19, p12) P(G, X, 18, p13) P(G, X, 17, p14) P(G, X, 16, p15) P(G, X, 15, p16) P(G, X, 14, p17) P(G, X, 13, p18) P(G, X, 12, p19) P(G, X, 11, p20) P(G, X, 10, p21) P(G, X, 9, p22) P(G, X, 8, p23) P(G, X, 7, p24) P(G, X, 6, p25) P(G, X, 5, p26) P(G, X, 4, p27) P(G, X, 3, p28) P(G, X, 2, p29) P(G, X, 1, p30)
#define HPYAPI_MAP_31(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31) \
    P(G, X, 31, p1) P(G, X, 30, p2) P(G, X, 29, p3) P(G, X, 28, p4) P(G, X, 27, p5) P(G, X, 26, p6) P(G, X, 25, p7) P(G, X, 24, p8) P(G, X, 23, p9) P(G, X, 22, p10) P(G, X, 21, p11) P(G, X, 20, p12) P(G, X, 19, p13) P(G, X, 18, p14) P(G, X, 17, p15) P(G, X, 16, p16) P(G, X, 15, p17) P(G, X, 14, p18) P(G, X, 13, p19) P(G, X, 12, p20) P(G, X, 11, p21) P(G, X, 10, p22) P(G, X, 9, p23) P(G, X, 8, p24) P(G, X, 7, p25) P(G, X, 6, p26) P(G, X, 5, p27) P(G, X, 4, p28) P(G, X, 3, p29) P(G, X, 2, p30) P(G, X, 1, p31)
#define HPYAPI_MAP_32(P, G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32) \
    P(G, X, 32, p1) P(G, X, 31, p2) P(G, X, 30, p3) P(G, X, 29, p4) P(G, X, 28, p5) P(G, X, 27, p6) P(G, X, 26, p7) P(G, X, 25, p8) P(G, X, 24, p9) P(G, X, 23, p10) P(G, X, 22, p11) P(G, X, 21, p12) P(G, X, 20, p13) P(G, X, 19, p14) P(G, X, 18, p15) P(G, X, 17, p16) P(G, X, 16, p17) P(G, X, 15, p18) P(G, X, 14, p19) P(G, X, 13, p20) P(G, X, 12, p21) P(G, X, 11, p22) P(G, X, 10, p23) P(G, X, 9, p24) P(G, X, 8, p25) P(G, X, 7, p26) P(G, X, 6, p27) P(G, X, 5, p28) P(G, X, 4, p29) P(G, X, 3, p30) P(G, X, 2, p31) P(G, X, 1, p32)

/* More than 32 parameters: nothing is generated for them (every context a
 * parameter list appears in stays valid), and HPYAPI_TOO_MANY(params...)
 * is 1, which decl.h turns into one static assertion stating the limit. */
#define HPYAPI_MAP_X(P, G, X, ...)
#define HPYAPI_TOO_MANY(...)                                                   \
    HPYAPI_SECOND(HPYAPI_CAT(HPYAPI_PROBE_MANY_, HPYAPI_NARGS(__VA_ARGS__)), 0)
#define HPYAPI_PROBE_MANY_X ~, 1

#define HPYAPI_SECOND(...) HPYAPI_SECOND_I(__VA_ARGS__, )
#define HPYAPI_SECOND_I(a, b, ...) b

/* ---- parameter kinds ------------------------------------------------------
 * A parameter is written as a parenthesised tuple:
 *     (T, name)               by value: kind V, or kind H when T is `HPy`
 *     (HPy *, name)           an out-handle the exporter writes: kind O
 *     (const HPy *, p, n)     handle array p with HPy_ssize_t length n: kind A
 *     (HPy *, p, n)           a handle array the exporter fills: kind W
 *     (HPyAPI_CB(R, params...), fn, ud)
 *                             a callback and its user data: kind C (see
 *                             hpyapi/callback.h)
 *     (void)                  no parameters at all: kind N
 *     (const HPy *, p, HPyAPI_LEN(n))   handle array p whose length is n,
 *                             another (integer) parameter of the entry,
 *                             before or after p, maybe shared: kind AL
 *     (HPy *, p, HPyAPI_LEN(n))         the same, filled by the exporter:
 *                             kind WL
 *     (HPy *, op, HPyAPI_INOUT)         an in-out handle: *op is a handle
 *                             the caller owns, which the exporter may
 *                             replace (closing it): kind IO
 *     (const HPy *, p, HPyAPI_LEN_EXPR(e))  handle array p whose length is
 *                             the integer expression e of the entry's
 *                             parameters (a constant, `nin + nout`): kind AE
 *     (HPy *, p, HPyAPI_LEN_EXPR(e))    the same, filled: kind WE
 *     (HPyAPI_STRUCT(Name) *, p)        a struct declared with
 *                             HPyAPI_STRUCT_DECLARE (hpyapi/structs.h): S
 *     (HPyAPI_STRUCTS(Name) *, p)       an array of them ending with an
 *                             all-zero one (NumPy's PyUFunc_LoopSlot[]): S
 *     (HPyAPI_FN(type), f)    a function of slot type `type`, no user
 *                             data (hpyapi/kinds/fn.h): FN
 *     (HPyAPI_FN(type), f, HPyAPI_LEN_EXPR(e))  the same, its
 *                             HPyAPI_SLOT_LEN arrays of e handles: FNL
 * HPYAPI_PARAM(M, X, pos, p) dispatches to M##_H / _V / _O / _A / _W / _N /
 * _AL / _WL / _IO / _AE / _WE with the tuple's elements (AL, WL, AE and WE
 * get (T, p, n), IO (T, op)), so each generator is a set of small macros.
 * O, W, WL and WE are told by a type whose first token is `HPy`, IO, AE
 * and WE by their markers (the checks in decl.h then insist on exactly
 * `HPy *` or `const HPy *`). */
#define HPYAPI_PARAM(M, X, pos, p) HPYAPI_APPLY(M, X, pos, HPYAPI_NORM p)
#define HPYAPI_APPLY(M, X, pos, ...) HPYAPI_APPLY_I(M, X, pos, __VA_ARGS__)
#define HPYAPI_APPLY_I(M, X, pos, kd, ...) kd(M)(X, pos, __VA_ARGS__)
/* a tuple has 1 to 4 elements: a short count, as this runs for every
   parameter of every entry in every generator (HPYAPI_NARGS's 65 arguments
   made it most of what the preprocessor spent on a declaration) */
#define HPYAPI_TUPLE_N(...) HPYAPI_TUPLE_N_I(__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)
#define HPYAPI_TUPLE_N_I(_1, _2, _3, _4, _5, _6, N, ...) N
#define HPYAPI_UNPAREN(...) __VA_ARGS__

/* HPYAPI_NORM(tuple elements): the parameter's kind, as its dispatcher
 * HPYAPI_KD_<kind>, then the elements its generators take (markers
 * dropped).  The kind's letters are never a token of their own: pasted
 * onto the dispatcher's name at once, as the preprocessor would replace a
 * bare `N` or `V` by a user's `#define N 10` on the way (the probes below
 * answer with selectors, HPYAPI_PICKn_i, for the same reason). */
#define HPYAPI_NORM(...) HPYAPI_CAT(HPYAPI_NORM_, HPYAPI_TUPLE_N(__VA_ARGS__))(__VA_ARGS__)
#define HPYAPI_NORM_1(T) HPYAPI_KD_N, T
#define HPYAPI_NORM_2(T, name)                                                 \
    HPYAPI_IS_HPY(T)(HPYAPI_KD_H,                                              \
                     HPYAPI_STARTS_HPY(T)(HPYAPI_KD_O, HPYAPI_KD_V,            \
                                          HPYAPI_KD_BAD, HPYAPI_KD_S,          \
                                          HPYAPI_KD_FN)), T, name
#define HPYAPI_NORM_3(T, name, len)                                            \
    HPYAPI_STARTS_HPY(T)(HPYAPI_KD_W, HPYAPI_KD_A, HPYAPI_KD_C, HPYAPI_KD_BAD, \
                         HPYAPI_KD_FNX), T, name, len
#define HPYAPI_NORM_4(T, name, mark, len) HPYAPI_CAT(HPYAPI_NORM4_, mark)(T, name, len)
#define HPYAPI_NORM4_HPYAPI_LENGTH_IS(T, name, len)                            \
    HPYAPI_STARTS_HPY(T)(HPYAPI_KD_WL, HPYAPI_KD_AL, HPYAPI_KD_BAD,            \
                         HPYAPI_KD_BAD, HPYAPI_KD_BAD), T, name, len
#define HPYAPI_NORM4_HPYAPI_INOUT_IS(T, name, unused) HPYAPI_KD_IO, T, name
#define HPYAPI_NORM4_HPYAPI_LENEXPR_IS(T, name, len)                           \
    HPYAPI_STARTS_HPY(T)(HPYAPI_KD_WE, HPYAPI_KD_AE, HPYAPI_KD_BAD,            \
                         HPYAPI_KD_BAD, HPYAPI_KD_FNL), T, name, len
/* the kinds: HPYAPI_KD_<kind>(family) is that family's macro for it.  A
   form no kind has gets HPYAPI_G_<family>_BAD, which no header defines:
   a compile error at the entry (decl.h's checks word the usual ones). */
#define HPYAPI_KD_H(M) M##_H
#define HPYAPI_KD_V(M) M##_V
#define HPYAPI_KD_N(M) M##_N
#define HPYAPI_KD_O(M) M##_O
#define HPYAPI_KD_A(M) M##_A
#define HPYAPI_KD_W(M) M##_W
#define HPYAPI_KD_C(M) M##_C
#define HPYAPI_KD_S(M) M##_S
#define HPYAPI_KD_AL(M) M##_AL
#define HPYAPI_KD_WL(M) M##_WL
#define HPYAPI_KD_IO(M) M##_IO
#define HPYAPI_KD_AE(M) M##_AE
#define HPYAPI_KD_WE(M) M##_WE
#define HPYAPI_KD_FN(M) M##_FN
#define HPYAPI_KD_FNL(M) M##_FNL
#define HPYAPI_KD_FNX(M) M##_FNX
#define HPYAPI_KD_P(M) M##_P
#define HPYAPI_KD_BAD(M) M##_BAD
/* ... and the callback and slot-type walkers' own kinds */
#define HPYAPI_KD_X(M) M##_X
#define HPYAPI_KD_F(M) M##_F
/* selectors, what the probes answer: HPYAPI_PICKn_i picks the i-th of n
   (fixed arities: C++ -Wpedantic refuses an empty `...`) */
#define HPYAPI_PICK2_1(a, b) a
#define HPYAPI_PICK2_2(a, b) b
#define HPYAPI_PICK3_1(a, b, c) a
#define HPYAPI_PICK3_2(a, b, c) b
#define HPYAPI_PICK3_3(a, b, c) c
#define HPYAPI_PICK4_1(a, b, c, d) a
#define HPYAPI_PICK4_2(a, b, c, d) b
#define HPYAPI_PICK4_3(a, b, c, d) c
#define HPYAPI_PICK4_4(a, b, c, d) d
#define HPYAPI_PICK5_1(a, b, c, d, e) a
#define HPYAPI_PICK5_2(a, b, c, d, e) b
#define HPYAPI_PICK5_3(a, b, c, d, e) c
#define HPYAPI_PICK5_4(a, b, c, d, e) d
#define HPYAPI_PICK5_5(a, b, c, d, e) e

/* ---- a parameter list classified once --------------------------------------
 * HPYAPI_PARAMS classifies every parameter again in every walk; an
 * exporter's trampolines walk each entry's list about twenty times (most
 * of what the preprocessor spent on HPyAPI_DEFINE).  HPYAPI_TAGGED(params)
 * is the list classified once -- (count, (HPYAPI_KD_<kind>, elements...),
 * ...) -- and HPYAPI_TPARAMS(G, X, tagged) walks it like HPYAPI_PARAMS
 * walks the raw one, with the same generators. */
#define HPYAPI_TAGGED(...)                                                     \
    (HPYAPI_NARGS(__VA_ARGS__)                                                 \
         HPYAPI_CAT(HPYAPI_MAP_, HPYAPI_NARGS(__VA_ARGS__))(HPYAPI_TAG, ~, ~,  \
                                                            __VA_ARGS__))
#define HPYAPI_TAG(G, X, pos, p) , (HPYAPI_NORM p)
#define HPYAPI_TPARAMS(G, X, tagged) HPYAPI_TPARAMS_I(G, X, HPYAPI_UNPAREN tagged)
#define HPYAPI_TPARAMS_I(G, X, ...) HPYAPI_TPARAMS_II(G, X, __VA_ARGS__)
#define HPYAPI_TPARAMS_II(G, X, n, ...)                                        \
    HPYAPI_MAP_##n(HPYAPI_TPARAM, G, X, __VA_ARGS__)
#define HPYAPI_TPARAM(M, X, pos, tp) HPYAPI_APPLY(M, X, pos, HPYAPI_UNPAREN tp)

/* HPyAPI_LEN(n): "the length is parameter n" (of the same entry).  It
 * expands as soon as the list does, so `(T, p, HPyAPI_LEN(n))` reaches
 * HPYAPI_PARAM as the 4-tuple `(T, p, HPYAPI_LENGTH_IS, n)`, told apart by
 * its size; `(T, p, n)` keeps meaning "declare an HPy_ssize_t n".  By name,
 * not position: inserting a parameter cannot silently rebind a length.
 * decl.h checks the name (an integer parameter of the entry); signatures of
 * such entries carry parameter names so that the import compares which
 * parameter each length is (runtime/signature.c). */
#define HPyAPI_LEN(n) HPYAPI_LENGTH_IS, n

/* HPyAPI_INOUT: "this HPy * is in-out" -- `(HPy *, op, HPyAPI_INOUT)`
 * reaches HPYAPI_PARAM as the 4-tuple `(HPy *, op, HPYAPI_INOUT_IS, ~)`,
 * told from an HPyAPI_LEN array by its marker. */
#define HPyAPI_INOUT HPYAPI_INOUT_IS, ~

/* HPyAPI_LEN_EXPR(e): "the length is the value of e", an integer
 * expression of the entry's parameters and constants -- `3`, `nin + nout`,
 * `2 * n` -- evaluated by the caller's trampoline, so the runtime reads it
 * from the frame like any HPy_ssize_t length.  Without commas: a tuple
 * element ends at one.  Signatures carry e with parameter names replaced
 * by positions (runtime/signature.c). */
#define HPyAPI_LEN_EXPR(e) HPYAPI_LENEXPR_IS, e

/* HPYAPI_HAS_LEN(params...) is 1 when some parameter is an AL, WL, AE or
 * WE array (its length named by HPyAPI_LEN or HPyAPI_LEN_EXPR), 0
 * otherwise: such entries get named signatures.  Every signature asks, in
 * every file that includes a declaration, so this walk looks only at each
 * tuple's size and marker -- a 4-tuple marked HPYAPI_LENGTH_IS or
 * HPYAPI_LENEXPR_IS -- without the kind probes HPYAPI_PARAM makes (which
 * made it a fifth of what including a NumPy-sized declaration cost). */
#define HPYAPI_HAS_LEN(...)                                                    \
    HPYAPI_HAS_LEN_I(HPYAPI_NARGS(__VA_ARGS__), __VA_ARGS__)
#define HPYAPI_HAS_LEN_I(n, ...) HPYAPI_HAS_LEN_N(n, __VA_ARGS__)
/* ... for a list already counted (n, HPYAPI_NARGS's answer) */
#define HPYAPI_HAS_LEN_N(n, ...)                                               \
    HPYAPI_SECOND(~ HPYAPI_LMAP_##n(__VA_ARGS__), 0)
#define HPYAPI_NAMED(...)                                                      \
    HPYAPI_CAT(HPYAPI_NAMED_, HPYAPI_TUPLE_N(__VA_ARGS__))(__VA_ARGS__)
#define HPYAPI_NAMED_1(T)
#define HPYAPI_NAMED_2(T, name)
#define HPYAPI_NAMED_3(T, name, len)
#define HPYAPI_NAMED_4(T, name, mark, len) HPYAPI_CAT(HPYAPI_NAMED_, mark)
#define HPYAPI_NAMED_HPYAPI_LENGTH_IS , 1
#define HPYAPI_NAMED_HPYAPI_LENEXPR_IS , 1
#define HPYAPI_NAMED_HPYAPI_INOUT_IS
#define HPYAPI_LMAP_X(...)
#define HPYAPI_LMAP_1(p1) \
    HPYAPI_NAMED p1
#define HPYAPI_LMAP_2(p1, p2) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2
#define HPYAPI_LMAP_3(p1, p2, p3) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3
#define HPYAPI_LMAP_4(p1, p2, p3, p4) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4
#define HPYAPI_LMAP_5(p1, p2, p3, p4, p5) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5
#define HPYAPI_LMAP_6(p1, p2, p3, p4, p5, p6) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6
#define HPYAPI_LMAP_7(p1, p2, p3, p4, p5, p6, p7) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7
#define HPYAPI_LMAP_8(p1, p2, p3, p4, p5, p6, p7, p8) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8
#define HPYAPI_LMAP_9(p1, p2, p3, p4, p5, p6, p7, p8, p9) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9
#define HPYAPI_LMAP_10(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10
#define HPYAPI_LMAP_11(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11
#define HPYAPI_LMAP_12(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12
#define HPYAPI_LMAP_13(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13
#define HPYAPI_LMAP_14(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14
#define HPYAPI_LMAP_15(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15
#define HPYAPI_LMAP_16(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16
#define HPYAPI_LMAP_17(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17
#define HPYAPI_LMAP_18(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18
#define HPYAPI_LMAP_19(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19
#define HPYAPI_LMAP_20(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20
#define HPYAPI_LMAP_21(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20 HPYAPI_NAMED p21
#define HPYAPI_LMAP_22(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20 HPYAPI_NAMED p21 HPYAPI_NAMED p22
#define HPYAPI_LMAP_23(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20 HPYAPI_NAMED p21 HPYAPI_NAMED p22 HPYAPI_NAMED p23
#define HPYAPI_LMAP_24(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20 HPYAPI_NAMED p21 HPYAPI_NAMED p22 HPYAPI_NAMED p23 HPYAPI_NAMED p24
#define HPYAPI_LMAP_25(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20 HPYAPI_NAMED p21 HPYAPI_NAMED p22 HPYAPI_NAMED p23 HPYAPI_NAMED p24 HPYAPI_NAMED p25
#define HPYAPI_LMAP_26(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20 HPYAPI_NAMED p21 HPYAPI_NAMED p22 HPYAPI_NAMED p23 HPYAPI_NAMED p24 HPYAPI_NAMED p25 HPYAPI_NAMED p26
#define HPYAPI_LMAP_27(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20 HPYAPI_NAMED p21 HPYAPI_NAMED p22 HPYAPI_NAMED p23 HPYAPI_NAMED p24 HPYAPI_NAMED p25 HPYAPI_NAMED p26 HPYAPI_NAMED p27
#define HPYAPI_LMAP_28(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20 HPYAPI_NAMED p21 HPYAPI_NAMED p22 HPYAPI_NAMED p23 HPYAPI_NAMED p24 HPYAPI_NAMED p25 HPYAPI_NAMED p26 HPYAPI_NAMED p27 HPYAPI_NAMED p28
#define HPYAPI_LMAP_29(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20 HPYAPI_NAMED p21 HPYAPI_NAMED p22 HPYAPI_NAMED p23 HPYAPI_NAMED p24 HPYAPI_NAMED p25 HPYAPI_NAMED p26 HPYAPI_NAMED p27 HPYAPI_NAMED p28 HPYAPI_NAMED p29
#define HPYAPI_LMAP_30(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20 HPYAPI_NAMED p21 HPYAPI_NAMED p22 HPYAPI_NAMED p23 HPYAPI_NAMED p24 HPYAPI_NAMED p25 HPYAPI_NAMED p26 HPYAPI_NAMED p27 HPYAPI_NAMED p28 HPYAPI_NAMED p29 HPYAPI_NAMED p30
#define HPYAPI_LMAP_31(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20 HPYAPI_NAMED p21 HPYAPI_NAMED p22 HPYAPI_NAMED p23 HPYAPI_NAMED p24 HPYAPI_NAMED p25 HPYAPI_NAMED p26 HPYAPI_NAMED p27 HPYAPI_NAMED p28 HPYAPI_NAMED p29 HPYAPI_NAMED p30 HPYAPI_NAMED p31
#define HPYAPI_LMAP_32(p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32) \
    HPYAPI_NAMED p1 HPYAPI_NAMED p2 HPYAPI_NAMED p3 HPYAPI_NAMED p4 HPYAPI_NAMED p5 HPYAPI_NAMED p6 HPYAPI_NAMED p7 HPYAPI_NAMED p8 HPYAPI_NAMED p9 HPYAPI_NAMED p10 HPYAPI_NAMED p11 HPYAPI_NAMED p12 HPYAPI_NAMED p13 HPYAPI_NAMED p14 HPYAPI_NAMED p15 HPYAPI_NAMED p16 HPYAPI_NAMED p17 HPYAPI_NAMED p18 HPYAPI_NAMED p19 HPYAPI_NAMED p20 HPYAPI_NAMED p21 HPYAPI_NAMED p22 HPYAPI_NAMED p23 HPYAPI_NAMED p24 HPYAPI_NAMED p25 HPYAPI_NAMED p26 HPYAPI_NAMED p27 HPYAPI_NAMED p28 HPYAPI_NAMED p29 HPYAPI_NAMED p30 HPYAPI_NAMED p31 HPYAPI_NAMED p32

/* HPYAPI_HAS_LEN_EXPR(params...): 1 when some array's length is an
 * HPyAPI_LEN_EXPR (such entries get a checking function, decl.h). */
#define HPYAPI_HAS_LEN_EXPR(...)                                               \
    HPYAPI_SECOND(~ HPYAPI_PARAMS(HPYAPI_G_HASX, ~, __VA_ARGS__), 0)

/* HPYAPI_STARTS_HPY(T)(y, n, c, s, f) is y when T's first token is `HPy`,
 * c for a callback type, s for a struct, f for a slot function, n
 * otherwise: the probe swallows whatever follows into an argument SECOND
 * drops. */
#define HPYAPI_STARTS_HPY(T)                                                   \
    HPYAPI_SECOND(HPYAPI_CAT_I(HPYAPI_PROBE_START_, T), HPYAPI_PICK5_2)
#define HPYAPI_PROBE_START_HPy ~, HPYAPI_PICK5_1,
#define HPYAPI_PROBE_START_HPyAPI_CB(...) ~, HPYAPI_PICK5_3,
#define HPYAPI_PROBE_START_HPyAPI_KEPT_CB(...) ~, HPYAPI_PICK5_3,
#define HPYAPI_PROBE_START_HPyAPI_STRUCT(...) ~, HPYAPI_PICK5_4,
#define HPYAPI_PROBE_START_HPyAPI_STRUCTS(...) ~, HPYAPI_PICK5_4,
#define HPYAPI_PROBE_START_HPyAPI_FN(...) ~, HPYAPI_PICK5_5,

/* HPYAPI_IS_HPY(T)(yes, no) is yes when T is exactly the token `HPy` (not
 * `HPy *`).  A type is told from the same type followed by more tokens by
 * letting the probe become a function-like macro name that is invoked
 * only when nothing follows it. */
#define HPYAPI_IS_HPY(T)                                                       \
    HPYAPI_SECOND(HPYAPI_CAT_I(HPYAPI_PROBE_HPY_, T)(), HPYAPI_PICK2_2)
#define HPYAPI_PROBE_HPY_HPy HPYAPI_PROBE_HPY_TAIL
#define HPYAPI_PROBE_HPY_TAIL() ~, HPYAPI_PICK2_1

/* HPYAPI_RKIND(R): return kind, as its dispatcher (HPYAPI_KD_*): H for
 * exactly `HPy`, N for exactly `void`, P for a type starting with `HPy`
 * that is not `HPy` (an array of handles, `HPy *` with
 * HPyAPI_RETURNS_<Entry>: decl.h refuses every other), V for anything
 * else (`void *` included), by the same trick. */
#define HPYAPI_RKIND(R)                                                        \
    HPYAPI_SECOND(HPYAPI_CAT_I(HPYAPI_PROBE_R_, R)(), HPYAPI_PICK3_3)          \
    (HPYAPI_KD_H, HPYAPI_KD_N,                                                 \
     HPYAPI_STARTS_HPY(R)(HPYAPI_KD_P, HPYAPI_KD_V, HPYAPI_KD_V, HPYAPI_KD_V,  \
                          HPYAPI_KD_V))

/* HPyAPI_HANDLES(n), in `#define HPyAPI_RETURNS_<Entry> HPyAPI_HANDLES(n)`:
 * entry <Entry> returns an array of n handles (n an expression of its
 * parameters, evaluated after the call: `*retn`).  HPYAPI_RETLEN(NAME) is
 * n, HPYAPI_HAS_RETLEN(NAME) 1 when it is given. */
#define HPyAPI_HANDLES(n) ~, n, 1
#define HPYAPI_RETLEN(NAME) HPYAPI_SECOND(HPYAPI_CAT(HPyAPI_RETURNS_, NAME), 0)
#define HPYAPI_HAS_RETLEN(NAME)                                                \
    HPYAPI_THIRD(HPYAPI_CAT(HPyAPI_RETURNS_, NAME), 0, 0)
#define HPYAPI_THIRD(...) HPYAPI_THIRD_I(__VA_ARGS__, , )
#define HPYAPI_THIRD_I(a, b, c, ...) c
#define HPYAPI_PROBE_R_HPy HPYAPI_PROBE_RH_TAIL
#define HPYAPI_PROBE_RH_TAIL() ~, HPYAPI_PICK3_1
#define HPYAPI_PROBE_R_void HPYAPI_PROBE_VOID_TAIL
#define HPYAPI_PROBE_VOID_TAIL() ~, HPYAPI_PICK3_2

/* HPYAPI_RK(piece, R): the macro HPYAPI_R_<piece>_<kind of R>, so that a
 * generator can say "the result field / the return statement / ... for a
 * function returning R" once per kind. */
#define HPYAPI_RK(piece, R) HPYAPI_KCALL(HPYAPI_RKIND(R), HPYAPI_R_##piece)
/* the same with the kind already known (RK: HPYAPI_RKIND's answer) */
#define HPYAPI_RKK(piece, RK) RK(HPYAPI_R_##piece)
#define HPYAPI_KCALL(kd, M) kd(M)

/* ---- a second walker, for the parameter list of a callback ------------------
 * A callback's own parameters are a list nested in one parameter of an
 * entry, walked while HPYAPI_PARAMS is being expanded; the preprocessor
 * never expands a macro inside its own expansion, so the nested walk needs
 * macros of its own.  Kinds: H (`HPy`), V (any other type), N (`(void)`);
 * anything else is kind X, which hpyapi/callback.h refuses. */
#define HPYAPI_CAT2(a, b) HPYAPI_CAT2_I(a, b)
#define HPYAPI_CAT2_I(a, b) a##b
#define HPYAPI_SECOND2(...) HPYAPI_SECOND2_I(__VA_ARGS__, )
#define HPYAPI_SECOND2_I(a, b, ...) b
#define HPYAPI_NARGS2(...)                                                     \
    HPYAPI_NARGS2_I(__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define HPYAPI_NARGS2_I(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, N, ...) N
#define HPYAPI_PARAMS2(G, X, ...)                                              \
    HPYAPI_CAT2(HPYAPI_MAP2_, HPYAPI_NARGS2(__VA_ARGS__))(G, X, __VA_ARGS__)
#define HPYAPI_MAP2_1(G, X, p1) \
    HPYAPI_PARAM2(G, X, 1, p1)
#define HPYAPI_MAP2_2(G, X, p1, p2) \
    HPYAPI_PARAM2(G, X, 2, p1) HPYAPI_PARAM2(G, X, 1, p2)
#define HPYAPI_MAP2_3(G, X, p1, p2, p3) \
    HPYAPI_PARAM2(G, X, 3, p1) HPYAPI_PARAM2(G, X, 2, p2) HPYAPI_PARAM2(G, X, 1, p3)
#define HPYAPI_MAP2_4(G, X, p1, p2, p3, p4) \
    HPYAPI_PARAM2(G, X, 4, p1) HPYAPI_PARAM2(G, X, 3, p2) HPYAPI_PARAM2(G, X, 2, p3) HPYAPI_PARAM2(G, X, 1, p4)
#define HPYAPI_MAP2_5(G, X, p1, p2, p3, p4, p5) \
    HPYAPI_PARAM2(G, X, 5, p1) HPYAPI_PARAM2(G, X, 4, p2) HPYAPI_PARAM2(G, X, 3, p3) HPYAPI_PARAM2(G, X, 2, p4) HPYAPI_PARAM2(G, X, 1, p5)
#define HPYAPI_MAP2_6(G, X, p1, p2, p3, p4, p5, p6) \
    HPYAPI_PARAM2(G, X, 6, p1) HPYAPI_PARAM2(G, X, 5, p2) HPYAPI_PARAM2(G, X, 4, p3) HPYAPI_PARAM2(G, X, 3, p4) HPYAPI_PARAM2(G, X, 2, p5) HPYAPI_PARAM2(G, X, 1, p6)
#define HPYAPI_MAP2_7(G, X, p1, p2, p3, p4, p5, p6, p7) \
    HPYAPI_PARAM2(G, X, 7, p1) HPYAPI_PARAM2(G, X, 6, p2) HPYAPI_PARAM2(G, X, 5, p3) HPYAPI_PARAM2(G, X, 4, p4) HPYAPI_PARAM2(G, X, 3, p5) HPYAPI_PARAM2(G, X, 2, p6) HPYAPI_PARAM2(G, X, 1, p7)
#define HPYAPI_MAP2_8(G, X, p1, p2, p3, p4, p5, p6, p7, p8) \
    HPYAPI_PARAM2(G, X, 8, p1) HPYAPI_PARAM2(G, X, 7, p2) HPYAPI_PARAM2(G, X, 6, p3) HPYAPI_PARAM2(G, X, 5, p4) HPYAPI_PARAM2(G, X, 4, p5) HPYAPI_PARAM2(G, X, 3, p6) HPYAPI_PARAM2(G, X, 2, p7) HPYAPI_PARAM2(G, X, 1, p8)
#define HPYAPI_MAP2_9(G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9) \
    HPYAPI_PARAM2(G, X, 9, p1) HPYAPI_PARAM2(G, X, 8, p2) HPYAPI_PARAM2(G, X, 7, p3) HPYAPI_PARAM2(G, X, 6, p4) HPYAPI_PARAM2(G, X, 5, p5) HPYAPI_PARAM2(G, X, 4, p6) HPYAPI_PARAM2(G, X, 3, p7) HPYAPI_PARAM2(G, X, 2, p8) HPYAPI_PARAM2(G, X, 1, p9)
#define HPYAPI_MAP2_10(G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10) \
    HPYAPI_PARAM2(G, X, 10, p1) HPYAPI_PARAM2(G, X, 9, p2) HPYAPI_PARAM2(G, X, 8, p3) HPYAPI_PARAM2(G, X, 7, p4) HPYAPI_PARAM2(G, X, 6, p5) HPYAPI_PARAM2(G, X, 5, p6) HPYAPI_PARAM2(G, X, 4, p7) HPYAPI_PARAM2(G, X, 3, p8) HPYAPI_PARAM2(G, X, 2, p9) HPYAPI_PARAM2(G, X, 1, p10)
#define HPYAPI_MAP2_11(G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11) \
    HPYAPI_PARAM2(G, X, 11, p1) HPYAPI_PARAM2(G, X, 10, p2) HPYAPI_PARAM2(G, X, 9, p3) HPYAPI_PARAM2(G, X, 8, p4) HPYAPI_PARAM2(G, X, 7, p5) HPYAPI_PARAM2(G, X, 6, p6) HPYAPI_PARAM2(G, X, 5, p7) HPYAPI_PARAM2(G, X, 4, p8) HPYAPI_PARAM2(G, X, 3, p9) HPYAPI_PARAM2(G, X, 2, p10) HPYAPI_PARAM2(G, X, 1, p11)
#define HPYAPI_MAP2_12(G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12) \
    HPYAPI_PARAM2(G, X, 12, p1) HPYAPI_PARAM2(G, X, 11, p2) HPYAPI_PARAM2(G, X, 10, p3) HPYAPI_PARAM2(G, X, 9, p4) HPYAPI_PARAM2(G, X, 8, p5) HPYAPI_PARAM2(G, X, 7, p6) HPYAPI_PARAM2(G, X, 6, p7) HPYAPI_PARAM2(G, X, 5, p8) HPYAPI_PARAM2(G, X, 4, p9) HPYAPI_PARAM2(G, X, 3, p10) HPYAPI_PARAM2(G, X, 2, p11) HPYAPI_PARAM2(G, X, 1, p12)
#define HPYAPI_MAP2_13(G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13) \
    HPYAPI_PARAM2(G, X, 13, p1) HPYAPI_PARAM2(G, X, 12, p2) HPYAPI_PARAM2(G, X, 11, p3) HPYAPI_PARAM2(G, X, 10, p4) HPYAPI_PARAM2(G, X, 9, p5) HPYAPI_PARAM2(G, X, 8, p6) HPYAPI_PARAM2(G, X, 7, p7) HPYAPI_PARAM2(G, X, 6, p8) HPYAPI_PARAM2(G, X, 5, p9) HPYAPI_PARAM2(G, X, 4, p10) HPYAPI_PARAM2(G, X, 3, p11) HPYAPI_PARAM2(G, X, 2, p12) HPYAPI_PARAM2(G, X, 1, p13)
#define HPYAPI_MAP2_14(G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14) \
    HPYAPI_PARAM2(G, X, 14, p1) HPYAPI_PARAM2(G, X, 13, p2) HPYAPI_PARAM2(G, X, 12, p3) HPYAPI_PARAM2(G, X, 11, p4) HPYAPI_PARAM2(G, X, 10, p5) HPYAPI_PARAM2(G, X, 9, p6) HPYAPI_PARAM2(G, X, 8, p7) HPYAPI_PARAM2(G, X, 7, p8) HPYAPI_PARAM2(G, X, 6, p9) HPYAPI_PARAM2(G, X, 5, p10) HPYAPI_PARAM2(G, X, 4, p11) HPYAPI_PARAM2(G, X, 3, p12) HPYAPI_PARAM2(G, X, 2, p13) HPYAPI_PARAM2(G, X, 1, p14)
#define HPYAPI_MAP2_15(G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15) \
    HPYAPI_PARAM2(G, X, 15, p1) HPYAPI_PARAM2(G, X, 14, p2) HPYAPI_PARAM2(G, X, 13, p3) HPYAPI_PARAM2(G, X, 12, p4) HPYAPI_PARAM2(G, X, 11, p5) HPYAPI_PARAM2(G, X, 10, p6) HPYAPI_PARAM2(G, X, 9, p7) HPYAPI_PARAM2(G, X, 8, p8) HPYAPI_PARAM2(G, X, 7, p9) HPYAPI_PARAM2(G, X, 6, p10) HPYAPI_PARAM2(G, X, 5, p11) HPYAPI_PARAM2(G, X, 4, p12) HPYAPI_PARAM2(G, X, 3, p13) HPYAPI_PARAM2(G, X, 2, p14) HPYAPI_PARAM2(G, X, 1, p15)
#define HPYAPI_MAP2_16(G, X, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16) \
    HPYAPI_PARAM2(G, X, 16, p1) HPYAPI_PARAM2(G, X, 15, p2) HPYAPI_PARAM2(G, X, 14, p3) HPYAPI_PARAM2(G, X, 13, p4) HPYAPI_PARAM2(G, X, 12, p5) HPYAPI_PARAM2(G, X, 11, p6) HPYAPI_PARAM2(G, X, 10, p7) HPYAPI_PARAM2(G, X, 9, p8) HPYAPI_PARAM2(G, X, 8, p9) HPYAPI_PARAM2(G, X, 7, p10) HPYAPI_PARAM2(G, X, 6, p11) HPYAPI_PARAM2(G, X, 5, p12) HPYAPI_PARAM2(G, X, 4, p13) HPYAPI_PARAM2(G, X, 3, p14) HPYAPI_PARAM2(G, X, 2, p15) HPYAPI_PARAM2(G, X, 1, p16)
#define HPYAPI_PARAM2(M, X, pos, p) HPYAPI_PARAM2_I(M, X, pos, HPYAPI_UNPAREN2 p)
#define HPYAPI_UNPAREN2(...) __VA_ARGS__
#define HPYAPI_PARAM2_I(M, X, pos, ...) HPYAPI_PARAM2_II(M, X, pos, __VA_ARGS__)
#define HPYAPI_PARAM2_II(M, X, pos, ...)                                       \
    HPYAPI_CAT2(HPYAPI_PARAM2_N, HPYAPI_NARGS2(__VA_ARGS__))(M, X, pos, __VA_ARGS__)
#define HPYAPI_PARAM2_N1(M, X, pos, T) M##_N(X, pos, T)
#define HPYAPI_PARAM2_N2(M, X, pos, T, name)                                   \
    HPYAPI_SECOND2(HPYAPI_CAT2_I(HPYAPI_PROBE2_, T)(), HPYAPI_KD_V)(M)         \
    (X, pos, T, name)
/* (T, name, HPyAPI_SLOT_LEN): an array of a slot function, kind A or W by
 * T (hpyapi/slottypes.h); any other third element is kind X */
#define HPYAPI_PARAM2_N3(M, C, pos, T, name, more)                             \
    HPYAPI_SECOND2(HPYAPI_CAT2_I(HPYAPI_PROBE3_, more)(T), HPYAPI_KD_X)(M)     \
    (C, pos, T, name)
#define HPYAPI_PARAM2_N4(M, X, pos, T, name, is, n) M##_X(X, pos, T, name)
#define HPYAPI_PROBE2_HPy HPYAPI_PROBE2_TAIL
#define HPYAPI_PROBE2_TAIL() ~, HPYAPI_KD_H

/* every kind's generators (HPYAPI_G_<family>_<kind>), one header per kind */
#include "hpyapi/kinds.h"

#endif /* HPYAPI_PP_H */
