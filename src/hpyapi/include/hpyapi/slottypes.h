/* hpyapi/slottypes.h - slot function types (HPyAPI_SLOT_TYPE): a
 * function type of NumPy's spec structs, its C-API twin, and in HPy code
 * its pool of reverse trampolines; and the slot function parameters
 * NumPy's DType API needs (HPyAPI_SLOT_LEN arrays, HPyAPI_FN_OUT).
 * Included by hpyapi/structs.h, after the descriptors it fills; see there
 * and docs/reference.md ("Structs that carry handles and callbacks"). */
#ifndef HPYAPI_SLOTTYPES_H
#define HPYAPI_SLOTTYPES_H

/* ---- slot types -------------------------------------------------------- */

/* the first element of a list dropped: HPYAPI_SF_DROP1(~ , a, b) is a, b */
#define HPYAPI_SF_DROP1(...) HPYAPI_SF_DROP1_I(__VA_ARGS__)
#define HPYAPI_SF_DROP1_I(first, ...) __VA_ARGS__

/* a slot function's own parameters, leading commas (HPYAPI_PARAMS2) */
#define HPYAPI_G3_CPROTO_H(X, pos, T, name) , struct _object *name
#define HPYAPI_G3_CPROTO_V(X, pos, T, name) , T name
#define HPYAPI_G3_CPROTO_N(X, pos, T) , void
#define HPYAPI_G3_CPROTO_X(X, pos, T, name)
#define HPYAPI_G3_CFARG_H(X, pos, T, name) , _HPyAPI_PyOfHandle(X->name, 0)
#define HPYAPI_G3_CFARG_V(X, pos, T, name) , X->name
#define HPYAPI_G3_CFARG_N(X, pos, T)
#define HPYAPI_G3_CFARG_X(X, pos, T, name)

/* A struct parameter of a slot function, `(HPyAPI_STRUCT(N) *, p)`:
 * kind S of the callback walker (pp.h), at most one per slot type; its
 * handles are converted for the consumer (runtime/structs.c, RevIn).  An
 * HPyAPI_CB callback's parameters stay handles and values. */
#define HPYAPI_PROBE2_HPyAPI_STRUCT(N) ~, HPYAPI_KD_S, ~
#define HPYAPI_PROBE2_HPyAPI_STRUCTS(N) ~, HPYAPI_KD_X, ~ /* refused */
#define HPYAPI_G2_PROTO_S(X, pos, T, name) , HPYAPI_STYPE(T) name
#define HPYAPI_G2_CPROTO_S(X, pos, T, name) HPYAPI_SCTYPE(T) name,
#define HPYAPI_G2_SIG_S(X, pos, T, name)                                       \
    "struct " HPYAPI_STR(HPYAPI_SNAME(T)) " *,"
#define HPYAPI_G2_FIELD_S(X, pos, T, name) HPYAPI_STYPE(T) name;
#define HPYAPI_G2_INIT_S(X, pos, T, name) X.name = name;
#define HPYAPI_G2_FARG_S(X, pos, T, name) , X->name
#define HPYAPI_G2_CFARG_S(X, pos, T, name) (HPYAPI_SCTYPE(T))(void *)X->name,
#define HPYAPI_G2_DESC_S(X, pos, T, name)
#define HPYAPI_G2_CHECK_S(X, pos, T, name)                                     \
    HPYAPI_STATIC_ASSERT(0, #X ": a callback's parameters are handles (HPy, "  \
                         #name ") or values (T, " #name "); a struct is a "    \
                         "parameter of a slot type (HPyAPI_SLOT_TYPE)");
#define HPYAPI_G3_CPROTO_S(X, pos, T, name) , HPYAPI_SCTYPE(T) name
#define HPYAPI_G3_CFARG_S(X, pos, T, name) , (HPYAPI_SCTYPE(T))(void *)X->name
#define HPYAPI_G3_DESC_H HPYAPI_G2_DESC_H
#define HPYAPI_G3_DESC_V(X, pos, T, name)
#define HPYAPI_G3_DESC_N(X, pos, T)
#define HPYAPI_G3_DESC_X(X, pos, T, name)
#define HPYAPI_G3_DESC_S(X, pos, T, name)                                      \
    {HPYAPI_ARG_STRUCTP, offsetof(X, name), 0, 0},
#define HPYAPI_G3_CHECK_H(X, pos, T, name)
#define HPYAPI_G3_CHECK_V(X, pos, T, name)
#define HPYAPI_G3_CHECK_N(X, pos, T)
#define HPYAPI_G3_CHECK_X(X, pos, T, name)                                     \
    HPYAPI_STATIC_ASSERT(0, #X ": a slot function's parameters are handles "   \
                         "(HPy, " #name "), values (T, " #name "), arrays "    \
                         "(const HPy *, " #name ", HPyAPI_SLOT_LEN) or "       \
                         "(HPy *, " #name ", HPyAPI_SLOT_LEN), one function "  \
                         "out-parameter (HPyAPI_FN_OUT(type), " #name ") and " \
                         "one struct (HPyAPI_STRUCT(Name) *, " #name ")");
#define HPYAPI_G3_CHECK_S(X, pos, T, name)
#define HPYAPI_G3_NS_H(X, pos, T, name)
#define HPYAPI_G3_NS_V(X, pos, T, name)
#define HPYAPI_G3_NS_N(X, pos, T)
#define HPYAPI_G3_NS_X(X, pos, T, name)
#define HPYAPI_G3_NS_S(X, pos, T, name) +1
#define HPYAPI_G3_SDESC_H(X, pos, T, name)
#define HPYAPI_G3_SDESC_V(X, pos, T, name)
#define HPYAPI_G3_SDESC_N(X, pos, T)
#define HPYAPI_G3_SDESC_X(X, pos, T, name)
#define HPYAPI_G3_SDESC_S(X, pos, T, name)                                     \
    , HPYAPI_CAT(HPYAPI_SNAME(T), _hpyapi_sdesc)

/* Slot function parameters NumPy's DType API needs (kinds A, W, F of the
 * callback walker; an HPyAPI_CB callback refuses them):
 *   (const HPy *, p, HPyAPI_SLOT_LEN)  lent handles, HPyAPI_SLOT_LEN of
 *                    them (resolve_descriptors' dtypes, given_descrs)
 *   (HPy *, p, HPyAPI_SLOT_LEN)        an array the consumer fills with
 *                    new handles (loop_descrs), the exporter's to own
 *   (HPyAPI_FN_OUT(type), p)           `type *p`: the consumer writes a
 *                    function of slot type `type` (get_loop's out_loop),
 *                    which the exporter receives as a pool trampoline
 * runtime/slots.c converts them (SlotArgs*).  pp.h's HPYAPI_PARAM2_N3
 * reads the third element; these read const-ness and the type. */
#define HPYAPI_PROBE3_HPyAPI_SLOT_LEN(T) HPYAPI_SLK_##T
#define HPYAPI_SLK_const ~, HPYAPI_KD_A, ~
#define HPYAPI_SLK_HPy ~, HPYAPI_KD_W, ~
#define HPYAPI_PROBE2_HPyAPI_FN_OUT(t) ~, HPYAPI_KD_F, ~
#define HPYAPI_FNOUT_T(T) HPYAPI_FNOUT_##T
#define HPYAPI_FNOUT_HPyAPI_FN_OUT(t) t
#define HPYAPI_FNOUTC(T) HPYAPI_FNOUTC_##T
#define HPYAPI_FNOUTC_HPyAPI_FN_OUT(t) t##_CAPI
#define HPYAPI_FNOUTP(T) HPYAPI_FNOUTP_##T
#define HPYAPI_FNOUTP_HPyAPI_FN_OUT(t) t##_hpyapi_pool
#define HPYAPI_G2_PROTO_A(X, pos, T, name) , T name
#define HPYAPI_G2_PROTO_W HPYAPI_G2_PROTO_A
#define HPYAPI_G2_PROTO_F(X, pos, T, name) , HPYAPI_FNOUT_T(T) *name
#define HPYAPI_G2_FIELD_A(X, pos, T, name) T name;
#define HPYAPI_G2_FIELD_W HPYAPI_G2_FIELD_A
#define HPYAPI_G2_FIELD_F(X, pos, T, name) HPYAPI_FNOUT_T(T) *name;
#define HPYAPI_G2_INIT_A HPYAPI_G2_INIT_H
#define HPYAPI_G2_INIT_W HPYAPI_G2_INIT_H
#define HPYAPI_G2_INIT_F HPYAPI_G2_INIT_H
#define HPYAPI_G2_FARG_A HPYAPI_G2_FARG_H
#define HPYAPI_G2_FARG_W HPYAPI_G2_FARG_H
#define HPYAPI_G2_FARG_F HPYAPI_G2_FARG_H
#define HPYAPI_G2_CHECK_A(X, pos, T, name)                                     \
    HPYAPI_STATIC_ASSERT(0, #X ": a callback's parameters are handles (HPy, "  \
                         #name ") or values (T, " #name "); HPyAPI_SLOT_LEN "  \
                         "arrays are parameters of a slot type "               \
                         "(HPyAPI_SLOT_TYPE)");
#define HPYAPI_G2_CHECK_W HPYAPI_G2_CHECK_A
#define HPYAPI_G2_CHECK_F(X, pos, T, name)                                     \
    HPYAPI_STATIC_ASSERT(0, #X ": a callback's parameters are handles (HPy, "  \
                         #name ") or values (T, " #name "); HPyAPI_FN_OUT is " \
                         "a parameter of a slot type (HPyAPI_SLOT_TYPE)");
/* the callback-only generators: refused above, so nothing */
#define HPYAPI_G2_CPROTO_A HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_CPROTO_W HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_CPROTO_F HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_CFARG_A HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_CFARG_W HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_CFARG_F HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_SIG_A HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_SIG_W HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_SIG_F HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_DESC_A HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_DESC_W HPYAPI_G2_EMPTY_X
#define HPYAPI_G2_DESC_F HPYAPI_G2_EMPTY_X
/* a C-API consumer's: its handles are PyObject *, one word as HPy */
#define HPYAPI_G3_CPROTO_A(X, pos, T, name) , struct _object *const *name
#define HPYAPI_G3_CPROTO_W(X, pos, T, name) , struct _object **name
#define HPYAPI_G3_CPROTO_F(X, pos, T, name) , HPYAPI_FNOUTC(T) *name
#define HPYAPI_G3_CFARG_A(X, pos, T, name)                                     \
    , (struct _object *const *)(const void *)X->name
#define HPYAPI_G3_CFARG_W(X, pos, T, name) , (struct _object **)(void *)X->name
#define HPYAPI_G3_CFARG_F(X, pos, T, name) , (HPYAPI_FNOUTC(T) *)(void *)X->name
#define HPYAPI_G3_DESC_A(X, pos, T, name)                                      \
    {HPYAPI_ARG_ARRAY, offsetof(X, name), 0, HPYAPI_LEN_SLOT},
#define HPYAPI_G3_DESC_W(X, pos, T, name)                                      \
    {HPYAPI_ARG_OUTARRAY, offsetof(X, name), 0, HPYAPI_LEN_SLOT},
#define HPYAPI_G3_DESC_F(X, pos, T, name)                                      \
    {HPYAPI_ARG_FNOUT, offsetof(X, name), 0, 0},
#ifdef HPy_H /* `const int *` probes as kind A too */
#define HPYAPI_G3_CHECK_A(X, pos, T, name)                                     \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_CONST_HANDLE_PTR(T),                        \
                         #X ": (" #T ", " #name ", HPyAPI_SLOT_LEN): an array " \
                         "of lent handles is (const HPy *, " #name             \
                         ", HPyAPI_SLOT_LEN)");
#define HPYAPI_G3_CHECK_W(X, pos, T, name)                                     \
    HPYAPI_STATIC_ASSERT(HPYAPI_IS_OUT_HANDLE_PTR(T),                          \
                         #X ": (" #T ", " #name ", HPyAPI_SLOT_LEN): an array " \
                         "the function fills is (HPy *, " #name                \
                         ", HPyAPI_SLOT_LEN)");
#else
#define HPYAPI_G3_CHECK_A(X, pos, T, name)
#define HPYAPI_G3_CHECK_W(X, pos, T, name)
#endif
#define HPYAPI_G3_CHECK_F(X, pos, T, name)
#define HPYAPI_G3_NS_A(X, pos, T, name)
#define HPYAPI_G3_NS_W(X, pos, T, name)
#define HPYAPI_G3_NS_F(X, pos, T, name)
#define HPYAPI_G3_SDESC_A(X, pos, T, name)
#define HPYAPI_G3_SDESC_W(X, pos, T, name)
#define HPYAPI_G3_SDESC_F(X, pos, T, name)
/* how many HPyAPI_FN_OUT (at most one), the pool of its type; needs a
 * registration length (A, W) */
#define HPYAPI_G3_NF_H(X, pos, T, name)
#define HPYAPI_G3_NF_V(X, pos, T, name)
#define HPYAPI_G3_NF_N(X, pos, T)
#define HPYAPI_G3_NF_X(X, pos, T, name)
#define HPYAPI_G3_NF_S(X, pos, T, name)
#define HPYAPI_G3_NF_A(X, pos, T, name)
#define HPYAPI_G3_NF_W(X, pos, T, name)
#define HPYAPI_G3_NF_F(X, pos, T, name) +1
#define HPYAPI_G3_FNOUT_H(X, pos, T, name)
#define HPYAPI_G3_FNOUT_V(X, pos, T, name)
#define HPYAPI_G3_FNOUT_N(X, pos, T)
#define HPYAPI_G3_FNOUT_X(X, pos, T, name)
#define HPYAPI_G3_FNOUT_S(X, pos, T, name)
#define HPYAPI_G3_FNOUT_A(X, pos, T, name)
#define HPYAPI_G3_FNOUT_W(X, pos, T, name)
#define HPYAPI_G3_FNOUT_F(X, pos, T, name) , HPYAPI_FNOUTP(T)
#define HPYAPI_G3_NL_H(X, pos, T, name)
#define HPYAPI_G3_NL_V(X, pos, T, name)
#define HPYAPI_G3_NL_N(X, pos, T)
#define HPYAPI_G3_NL_X(X, pos, T, name)
#define HPYAPI_G3_NL_S(X, pos, T, name)
#define HPYAPI_G3_NL_A(X, pos, T, name) +1
#define HPYAPI_G3_NL_W(X, pos, T, name) +1
#define HPYAPI_G3_NL_F(X, pos, T, name)
/* a trampoline's arguments to the function all of them share: the names */
#define HPYAPI_G3_ARG_H(X, pos, T, name) , name
#define HPYAPI_G3_ARG_V HPYAPI_G3_ARG_H
#define HPYAPI_G3_ARG_N(X, pos, T)
#define HPYAPI_G3_ARG_X(X, pos, T, name)
#define HPYAPI_G3_ARG_S HPYAPI_G3_ARG_H
#define HPYAPI_G3_ARG_A HPYAPI_G3_ARG_H
#define HPYAPI_G3_ARG_W HPYAPI_G3_ARG_H
#define HPYAPI_G3_ARG_F HPYAPI_G3_ARG_H

/* Each parameter of a slot type is classified once, as (K, pos, T, name)
 * with K its kind's caller HPYAPI_SFK_<kind> (a name, never a bare letter
 * a user's macro could replace): the walker's probes (pp.h) are most of
 * the preprocessor's work, and a slot type walks its list 16 times;
 * HPYAPI_SF_MAP then only calls G_<kind> through K. */
#define HPYAPI_G3_K_H(X, pos, T, name) , (HPYAPI_SFK_H, pos, T, name)
#define HPYAPI_G3_K_V(X, pos, T, name) , (HPYAPI_SFK_V, pos, T, name)
#define HPYAPI_G3_K_N(X, pos, T) , (HPYAPI_SFK_N, pos, T, ~)
#define HPYAPI_G3_K_X(C, pos, T, name) , (HPYAPI_SFK_X, pos, T, name)
#define HPYAPI_G3_K_S(X, pos, T, name) , (HPYAPI_SFK_S, pos, T, name)
#define HPYAPI_G3_K_A(X, pos, T, name) , (HPYAPI_SFK_A, pos, T, name)
#define HPYAPI_G3_K_W(X, pos, T, name) , (HPYAPI_SFK_W, pos, T, name)
#define HPYAPI_G3_K_F(X, pos, T, name) , (HPYAPI_SFK_F, pos, T, name)
/* kind N's generators take no name */
#define HPYAPI_SFK_N(G, X, pos, T, name) G##_N(X, pos, T)
#define HPYAPI_SFK_H(G, X, pos, T, name) G##_H(X, pos, T, name)
#define HPYAPI_SFK_V(G, X, pos, T, name) G##_V(X, pos, T, name)
#define HPYAPI_SFK_X(G, X, pos, T, name) G##_X(X, pos, T, name)
#define HPYAPI_SFK_S(G, X, pos, T, name) G##_S(X, pos, T, name)
#define HPYAPI_SFK_A(G, X, pos, T, name) G##_A(X, pos, T, name)
#define HPYAPI_SFK_W(G, X, pos, T, name) G##_W(X, pos, T, name)
#define HPYAPI_SFK_F(G, X, pos, T, name) G##_F(X, pos, T, name)
#define HPYAPI_SF_MAP(G, X, ...)                                               \
    HPYAPI_CAT2(HPYAPI_SF_MAP_, HPYAPI_NARGS2(__VA_ARGS__))(G, X, __VA_ARGS__)
#define HPYAPI_SF_MAP_1(G, X, e1) \
    HPYAPI_SF_E(G, X, e1)
#define HPYAPI_SF_MAP_2(G, X, e1, e2) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2)
#define HPYAPI_SF_MAP_3(G, X, e1, e2, e3) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3)
#define HPYAPI_SF_MAP_4(G, X, e1, e2, e3, e4) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4)
#define HPYAPI_SF_MAP_5(G, X, e1, e2, e3, e4, e5) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4) HPYAPI_SF_E(G, X, e5)
#define HPYAPI_SF_MAP_6(G, X, e1, e2, e3, e4, e5, e6) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4) HPYAPI_SF_E(G, X, e5) HPYAPI_SF_E(G, X, e6)
#define HPYAPI_SF_MAP_7(G, X, e1, e2, e3, e4, e5, e6, e7) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4) HPYAPI_SF_E(G, X, e5) HPYAPI_SF_E(G, X, e6) HPYAPI_SF_E(G, X, e7)
#define HPYAPI_SF_MAP_8(G, X, e1, e2, e3, e4, e5, e6, e7, e8) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4) HPYAPI_SF_E(G, X, e5) HPYAPI_SF_E(G, X, e6) HPYAPI_SF_E(G, X, e7) HPYAPI_SF_E(G, X, e8)
#define HPYAPI_SF_MAP_9(G, X, e1, e2, e3, e4, e5, e6, e7, e8, e9) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4) HPYAPI_SF_E(G, X, e5) HPYAPI_SF_E(G, X, e6) HPYAPI_SF_E(G, X, e7) HPYAPI_SF_E(G, X, e8) HPYAPI_SF_E(G, X, e9)
#define HPYAPI_SF_MAP_10(G, X, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4) HPYAPI_SF_E(G, X, e5) HPYAPI_SF_E(G, X, e6) HPYAPI_SF_E(G, X, e7) HPYAPI_SF_E(G, X, e8) HPYAPI_SF_E(G, X, e9) HPYAPI_SF_E(G, X, e10)
#define HPYAPI_SF_MAP_11(G, X, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4) HPYAPI_SF_E(G, X, e5) HPYAPI_SF_E(G, X, e6) HPYAPI_SF_E(G, X, e7) HPYAPI_SF_E(G, X, e8) HPYAPI_SF_E(G, X, e9) HPYAPI_SF_E(G, X, e10) HPYAPI_SF_E(G, X, e11)
#define HPYAPI_SF_MAP_12(G, X, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4) HPYAPI_SF_E(G, X, e5) HPYAPI_SF_E(G, X, e6) HPYAPI_SF_E(G, X, e7) HPYAPI_SF_E(G, X, e8) HPYAPI_SF_E(G, X, e9) HPYAPI_SF_E(G, X, e10) HPYAPI_SF_E(G, X, e11) HPYAPI_SF_E(G, X, e12)
#define HPYAPI_SF_MAP_13(G, X, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4) HPYAPI_SF_E(G, X, e5) HPYAPI_SF_E(G, X, e6) HPYAPI_SF_E(G, X, e7) HPYAPI_SF_E(G, X, e8) HPYAPI_SF_E(G, X, e9) HPYAPI_SF_E(G, X, e10) HPYAPI_SF_E(G, X, e11) HPYAPI_SF_E(G, X, e12) HPYAPI_SF_E(G, X, e13)
#define HPYAPI_SF_MAP_14(G, X, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13, e14) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4) HPYAPI_SF_E(G, X, e5) HPYAPI_SF_E(G, X, e6) HPYAPI_SF_E(G, X, e7) HPYAPI_SF_E(G, X, e8) HPYAPI_SF_E(G, X, e9) HPYAPI_SF_E(G, X, e10) HPYAPI_SF_E(G, X, e11) HPYAPI_SF_E(G, X, e12) HPYAPI_SF_E(G, X, e13) HPYAPI_SF_E(G, X, e14)
#define HPYAPI_SF_MAP_15(G, X, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13, e14, e15) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4) HPYAPI_SF_E(G, X, e5) HPYAPI_SF_E(G, X, e6) HPYAPI_SF_E(G, X, e7) HPYAPI_SF_E(G, X, e8) HPYAPI_SF_E(G, X, e9) HPYAPI_SF_E(G, X, e10) HPYAPI_SF_E(G, X, e11) HPYAPI_SF_E(G, X, e12) HPYAPI_SF_E(G, X, e13) HPYAPI_SF_E(G, X, e14) HPYAPI_SF_E(G, X, e15)
#define HPYAPI_SF_MAP_16(G, X, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13, e14, e15, e16) \
    HPYAPI_SF_E(G, X, e1) HPYAPI_SF_E(G, X, e2) HPYAPI_SF_E(G, X, e3) HPYAPI_SF_E(G, X, e4) HPYAPI_SF_E(G, X, e5) HPYAPI_SF_E(G, X, e6) HPYAPI_SF_E(G, X, e7) HPYAPI_SF_E(G, X, e8) HPYAPI_SF_E(G, X, e9) HPYAPI_SF_E(G, X, e10) HPYAPI_SF_E(G, X, e11) HPYAPI_SF_E(G, X, e12) HPYAPI_SF_E(G, X, e13) HPYAPI_SF_E(G, X, e14) HPYAPI_SF_E(G, X, e15) HPYAPI_SF_E(G, X, e16)
#define HPYAPI_SF_E(G, X, e) HPYAPI_SF_E_I(G, X, HPYAPI_UNPAREN2 e)
#define HPYAPI_SF_E_I(G, X, ...) HPYAPI_SF_E_II(G, X, __VA_ARGS__)
#define HPYAPI_SF_E_II(G, X, K, pos, T, name) K(G, X, pos, T, name)

/* HPyAPI_SLOT_TYPE(Name, R, params...): a slot function type, `Name` =
 * R (*)(HPyContext *, params...) (with <hpy.h>), `Name_CAPI` its
 * PyObject * twin, and in HPy code its pool of reverse trampolines. */
#define HPyAPI_SLOT_TYPE(Name, R, ...)                                         \
    HPYAPI_SF_TYPE(Name, R, HPYAPI_PARAMS2(HPYAPI_G3_K, ~, __VA_ARGS__))       \
    typedef int Name##_hpyapi_slot_type_needs_a_semicolon
/* the classified list starts with a comma: the first argument is empty */
#define HPYAPI_SF_TYPE(Name, R, list) HPYAPI_SF_TYPE_I(Name, R, list)
#define HPYAPI_SF_TYPE_I(Name, R, empty, ...)                                  \
    HPYAPI_CAT(HPYAPI_SF_CHECKS_, HPYAPI_EXPORTER_ON)(Name, __VA_ARGS__)       \
    typedef HPYAPI_RK2(CRET, R)(R) (*Name##_CAPI)(HPYAPI_SF_DROP1(             \
        ~ HPYAPI_SF_MAP(HPYAPI_G3_CPROTO, ~, __VA_ARGS__)));                   \
    /* a constant for (HPyAPI_FN(Name), f)'s check (hpyapi/kinds/fn.h) */      \
    enum { Name##_hpyapi_needs_len =                                           \
               (0 HPYAPI_SF_MAP(HPYAPI_G3_NL, ~, __VA_ARGS__)) > 0 };          \
    HPYAPI_SF_POOL(Name, R, HPYAPI_SF_MAP(HPYAPI_G2_PROTO, ~, __VA_ARGS__),    \
                   __VA_ARGS__)

/* the checks, in the exporter's file (HPYAPI_EXPORTER, structs.h), which
   its author always compiles: every other file is spared them */
#define HPYAPI_SF_CHECKS_0(Name, ...)
#define HPYAPI_SF_CHECKS_1(Name, ...)                                          \
    HPYAPI_SF_MAP(HPYAPI_G3_CHECK, Name, __VA_ARGS__)                          \
    HPYAPI_STATIC_ASSERT(0 HPYAPI_SF_MAP(HPYAPI_G3_NS, ~, __VA_ARGS__) <= 1,   \
                         #Name ": a slot function takes at most one struct");  \
    HPYAPI_STATIC_ASSERT(0 HPYAPI_SF_MAP(HPYAPI_G3_NF, ~, __VA_ARGS__) <= 1,   \
                         #Name ": a slot function takes at most one "          \
                         "HPyAPI_FN_OUT parameter");

/* In HPy code, a slot type's pool: its frame, the functions the runtime
 * calls, its HPYAPI_SLOT_POOL trampolines and their cells, in the
 * exporter's file only (HPYAPI_EXPORTER, structs.h): elsewhere the type
 * alone.  All of it is static inline functions and statics inside them,
 * reached only through Name_hpyapi_pool(): an exporter file that never
 * names the pool emits none of it at any -O level, where gcc emits every
 * plain static function and variable at -O0.  The preprocessor's work is
 * what remains, so a trampoline is as few tokens as can be, its parameter
 * list expanded once per slot type: it passes its arguments and its
 * cell's index to Name_hpyapi_srun. */
#ifdef HPy_H
#define HPYAPI_SF_POOL(Name, R, proto, ...)                                    \
    typedef R (*Name)(HPyContext * proto);                                     \
    HPYAPI_CAT(HPYAPI_SF_POOL_, HPYAPI_EXPORTER_ON)(Name, R, (proto),         \
                                                    __VA_ARGS__)
#define HPYAPI_SF_POOL_0(Name, R, pproto, ...)
#define HPYAPI_SF_POOL_1(Name, R, pproto, ...)                                 \
    struct Name##_hpyapi_sframe {                                              \
        HPyAPI_CallbackHead hpyapi_head;                                       \
        HPYAPI_SF_MAP(HPYAPI_G2_FIELD, ~, __VA_ARGS__)                         \
        HPYAPI_RK2(FIELD, R)(R)                                                \
    };                                                                         \
    static inline const HPyAPI_SlotFn *Name##_hpyapi_pool(void);               \
    static inline R Name##_hpyapi_srun(                                        \
        HPyContext *hpyapi_ctx,                                                \
        unsigned hpyapi_j HPYAPI_UNPAREN pproto)                               \
    {                                                                          \
        const HPyAPI_SlotFn *hpyapi_p = Name##_hpyapi_pool();                  \
        struct Name##_hpyapi_sframe hpyapi_f;                                  \
        HPYAPI_SF_MAP(HPYAPI_G2_INIT, hpyapi_f, __VA_ARGS__)                   \
        if (_HPyAPI_CallBack(hpyapi_ctx, hpyapi_p->cells[hpyapi_j],            \
                             hpyapi_p->info, &hpyapi_f) < 0)                   \
            HPYAPI_RK2(FAIL, R)(R);                                            \
        HPYAPI_RK2(RETURN, R)(hpyapi_f);                                       \
    }                                                                          \
    HPYAPI_SF_EACH_CELL(HPYAPI_SF_POOL_FN, Name, R, HPYAPI_RK2(SRET, R),       \
                        pproto,                                                \
                        (HPYAPI_SF_MAP(HPYAPI_G3_ARG, ~, __VA_ARGS__)))        \
    HPYAPI_SF_CPOOLS(Name, R, __VA_ARGS__)                                     \
    static inline void Name##_hpyapi_sinvoke(HPyContext *hpyapi_ctx,           \
                                             void *hpyapi_frame)               \
    {                                                                          \
        struct Name##_hpyapi_sframe *hpyapi_f =                                \
            (struct Name##_hpyapi_sframe *)hpyapi_frame;                       \
        HPYAPI_RK2(STORE, R)                                                   \
        (hpyapi_f, ((Name)hpyapi_f->hpyapi_head.fn)(                           \
                       hpyapi_ctx HPYAPI_SF_MAP(HPYAPI_G2_FARG, hpyapi_f,      \
                                                 __VA_ARGS__)));               \
    }                                                                          \
    static inline void Name##_hpyapi_scinvoke(HPyContext *hpyapi_ctx,          \
                                              void *hpyapi_frame)              \
    {                                                                          \
        struct Name##_hpyapi_sframe *hpyapi_f =                                \
            (struct Name##_hpyapi_sframe *)hpyapi_frame;                       \
        (void)hpyapi_ctx; /* a C-API consumer has none */                      \
        HPYAPI_RK2(CSTORE, R)                                                  \
        (hpyapi_f, ((Name##_CAPI)hpyapi_f->hpyapi_head.fn)(HPYAPI_SF_DROP1(    \
                       ~ HPYAPI_SF_MAP(HPYAPI_G3_CFARG, hpyapi_f,              \
                                        __VA_ARGS__))));                       \
    }                                                                          \
    static inline const HPyAPI_SlotFn *Name##_hpyapi_pool(void)                \
    {                                                                          \
        static const HPyAPI_ArgDesc hpyapi_args[] = {                          \
            HPYAPI_SF_MAP(HPYAPI_G3_DESC, struct Name##_hpyapi_sframe,         \
                           __VA_ARGS__){HPYAPI_ARG_END, 0, 0, 0}};             \
        static const HPyAPI_CallbackInfo hpyapi_info = {                       \
            #Name, NULL, Name##_hpyapi_sinvoke, Name##_hpyapi_scinvoke,        \
            HPYAPI_RK2(KIND, R),                                               \
            HPYAPI_RK2(OFF, R)(struct Name##_hpyapi_sframe), hpyapi_args, 1,   \
            HPYAPI_SECOND(~ HPYAPI_SF_MAP(HPYAPI_G3_SDESC, ~, __VA_ARGS__),    \
                          NULL)};                                              \
        static void *hpyapi_cells[HPYAPI_SLOT_POOL];                           \
        static const HPyAPI_Slot hpyapi_tramps[HPYAPI_SLOT_POOL] = {           \
            HPYAPI_SF_EACH_CELL(HPYAPI_SF_POOL_REF, Name, ~, ~, ~, ~)};        \
        HPYAPI_SF_CTRAMPS(Name)                                                \
        static const HPyAPI_SlotFn hpyapi_pool = {                             \
            &hpyapi_info, HPYAPI_SLOT_POOL, hpyapi_tramps, hpyapi_cells,       \
            HPYAPI_SECOND(~ HPYAPI_SF_MAP(HPYAPI_G3_FNOUT, ~, __VA_ARGS__),    \
                          NULL),                                               \
            (0 HPYAPI_SF_MAP(HPYAPI_G3_NL, ~, __VA_ARGS__)) > 0,               \
            hpyapi_ctramps};                                                   \
        return &hpyapi_pool;                                                   \
    }
/* a trampoline hands the result on: nothing to hand for void */
#define HPYAPI_R_SRET_H return
#define HPYAPI_R_SRET_V return
#define HPYAPI_R_SRET_N
/* A cell as a C-API function (type_CAPI), for a returned table's forward
 * records only (runtime/tables.c): its PyObject * arguments are
 * CPython-ABI handles, its "context" NULL, which the record's caller side
 * reads as a C-API caller. */
#define HPYAPI_SF_CPOOLS(Name, R, ...)                                         \
    HPYAPI_SF_EACH_CELL(HPYAPI_SF_CPOOL_FN, Name, HPYAPI_RK2(CRET, R)(R),      \
                        HPYAPI_RK2(CFWD, R),                                   \
                        (HPYAPI_SF_DROP1(~ HPYAPI_SF_MAP(HPYAPI_G3_CPROTO, ~,  \
                                                          __VA_ARGS__))),      \
                        (HPYAPI_SF_MAP(HPYAPI_G3_FWD, ~, __VA_ARGS__)))
#define HPYAPI_SF_CTRAMPS(Name)                                                \
    static const HPyAPI_Slot hpyapi_ctramps[HPYAPI_SLOT_POOL] = {              \
        HPYAPI_SF_EACH_CELL(HPYAPI_SF_CPOOL_REF, Name, ~, ~, ~, ~)};
#define HPYAPI_G3_FWD_H(X, pos, T, name) , _HPyAPI_HandleOfPy(name, 0)
#define HPYAPI_G3_FWD_V(X, pos, T, name) , name
#define HPYAPI_G3_FWD_N(X, pos, T)
#define HPYAPI_G3_FWD_X(X, pos, T, name)
#define HPYAPI_G3_FWD_S(X, pos, T, name) , (HPYAPI_STYPE(T))(void *)name
#define HPYAPI_G3_FWD_A(X, pos, T, name) , (T)(const void *)name
#define HPYAPI_G3_FWD_W(X, pos, T, name) , (T)(void *)name
#define HPYAPI_G3_FWD_F(X, pos, T, name) , (HPYAPI_FNOUT_T(T) *)(void *)name
#define HPYAPI_R_CFWD_H(call) return _HPyAPI_PyOfHandle(call, 0)
#define HPYAPI_R_CFWD_V(call) return call
#define HPYAPI_R_CFWD_N(call) call
#define HPYAPI_SF_CPOOL_FN(j, Name, CR, fwd, cproto, args)                     \
    HPYAPI_GENERATED static inline CR Name##_hpyapi_cpool##j(                  \
        HPYAPI_UNPAREN cproto)                                                 \
    {                                                                          \
        fwd(Name##_hpyapi_srun(NULL, j HPYAPI_UNPAREN args));                  \
    }
#define HPYAPI_SF_CPOOL_REF(j, Name, R, r, p, a)                               \
    (HPyAPI_Slot)&Name##_hpyapi_cpool##j,
#else
#define HPYAPI_SF_POOL(Name, R, proto, ...)
#endif

/* one trampoline per cell: HPYAPI_SLOT_POOL (16, 32 or 64) of them, M(j,
 * Name, R, return-or-nothing, (parameters), (arguments)) each.  Cells are
 * HPYAPI_GENERATED (-O1 with sibling calls): a jump to Name_hpyapi_srun,
 * where -O2 inlined srun into each of them, a quarter of what an exporter
 * file with NumPy's 35 slot types cost gcc (8.0 -> 6.2 CPU s). */
#define HPYAPI_SF_CELLS_16(M, N, R, r, p, a)                                   \
    M(0, N, R, r, p, a) M(1, N, R, r, p, a) M(2, N, R, r, p, a)                \
    M(3, N, R, r, p, a) M(4, N, R, r, p, a) M(5, N, R, r, p, a)                \
    M(6, N, R, r, p, a) M(7, N, R, r, p, a) M(8, N, R, r, p, a)                \
    M(9, N, R, r, p, a) M(10, N, R, r, p, a) M(11, N, R, r, p, a)              \
    M(12, N, R, r, p, a) M(13, N, R, r, p, a) M(14, N, R, r, p, a)             \
    M(15, N, R, r, p, a)
#define HPYAPI_SF_CELLS_32(M, N, R, r, p, a)                                   \
    HPYAPI_SF_CELLS_16(M, N, R, r, p, a)                                       \
    M(16, N, R, r, p, a) M(17, N, R, r, p, a) M(18, N, R, r, p, a)             \
    M(19, N, R, r, p, a) M(20, N, R, r, p, a) M(21, N, R, r, p, a)             \
    M(22, N, R, r, p, a) M(23, N, R, r, p, a) M(24, N, R, r, p, a)             \
    M(25, N, R, r, p, a) M(26, N, R, r, p, a) M(27, N, R, r, p, a)             \
    M(28, N, R, r, p, a) M(29, N, R, r, p, a) M(30, N, R, r, p, a)             \
    M(31, N, R, r, p, a)
#define HPYAPI_SF_CELLS_64(M, N, R, r, p, a)                                   \
    HPYAPI_SF_CELLS_32(M, N, R, r, p, a)                                       \
    M(32, N, R, r, p, a) M(33, N, R, r, p, a) M(34, N, R, r, p, a)             \
    M(35, N, R, r, p, a) M(36, N, R, r, p, a) M(37, N, R, r, p, a)             \
    M(38, N, R, r, p, a) M(39, N, R, r, p, a) M(40, N, R, r, p, a)             \
    M(41, N, R, r, p, a) M(42, N, R, r, p, a) M(43, N, R, r, p, a)             \
    M(44, N, R, r, p, a) M(45, N, R, r, p, a) M(46, N, R, r, p, a)             \
    M(47, N, R, r, p, a) M(48, N, R, r, p, a) M(49, N, R, r, p, a)             \
    M(50, N, R, r, p, a) M(51, N, R, r, p, a) M(52, N, R, r, p, a)             \
    M(53, N, R, r, p, a) M(54, N, R, r, p, a) M(55, N, R, r, p, a)             \
    M(56, N, R, r, p, a) M(57, N, R, r, p, a) M(58, N, R, r, p, a)             \
    M(59, N, R, r, p, a) M(60, N, R, r, p, a) M(61, N, R, r, p, a)             \
    M(62, N, R, r, p, a) M(63, N, R, r, p, a)
#if HPYAPI_SLOT_POOL == 64
#define HPYAPI_SF_EACH_CELL HPYAPI_SF_CELLS_64
#elif HPYAPI_SLOT_POOL == 32
#define HPYAPI_SF_EACH_CELL HPYAPI_SF_CELLS_32
#else /* 16, or a value the assertion below refuses */
#define HPYAPI_SF_EACH_CELL HPYAPI_SF_CELLS_16
#endif
HPYAPI_STATIC_ASSERT(HPYAPI_SLOT_POOL == 16 || HPYAPI_SLOT_POOL == 32 ||
                         HPYAPI_SLOT_POOL == 64,
                     "HPYAPI_SLOT_POOL is 16, 32 or 64");
#define HPYAPI_SF_POOL_REF(j, Name, R, r, p, a)                                \
    (HPyAPI_Slot)&Name##_hpyapi_pool##j,
#define HPYAPI_SF_POOL_FN(j, Name, R, ret, proto, args)                        \
    HPYAPI_GENERATED static inline R Name##_hpyapi_pool##j(                    \
        HPyContext *hpyapi_ctx HPYAPI_UNPAREN proto)                           \
    {                                                                          \
        ret Name##_hpyapi_srun(hpyapi_ctx, j HPYAPI_UNPAREN args);             \
    }

#endif /* HPYAPI_SLOTTYPES_H */
