/* signature.c - one canonical spelling per C signature.  Pure C.
 *
 * Signature strings come from the preprocessor (`#T` of each declared type),
 * so two builds may spell the same ABI differently.  Spellings that are the
 * same C ABI compare equal after normalisation:
 *
 *   - whitespace:                 "const HPy *"   == "const  HPy*"
 *   - qualifier placement:        "char const *"  == "const char *"
 *   - top-level qualifiers (they do not exist for a by-value parameter or a
 *     return value):             "const double"  == "double",
 *                                 "char *const"   == "char *"
 *   - `restrict` anywhere, and integer keyword forms:
 *                                 "unsigned" == "unsigned int",
 *                                 "long int" == "signed long" == "long"
 *   - documented typedef pairs that are the same type in every HPy ABI:
 *       Py_ssize_t == HPy_ssize_t, Py_hash_t == HPy_hash_t,
 *       Py_UCS4 == HPy_UCS4, bool == _Bool
 *   - an empty parameter list == "(void)".
 *
 * Everything else is compared as written: `long` and `int64_t` differ, as
 * they do on some platforms.  Canonical form: "R(P1,P2)", pointers as
 * "const char*", "char*const*".
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

#define MAX_TOKENS 24
#define MAX_TOKEN 64

typedef struct {
    char *p;
    size_t left;
    int overflow;
} out_t;

static void put(out_t *o, const char *s)
{
    size_t n = strlen(s);
    if (n + 1 > o->left) {
        o->overflow = 1;
        return;
    }
    memcpy(o->p, s, n);
    o->p += n;
    o->left -= n;
    *o->p = '\0';
}

static int is_ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident(char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_qualifier(const char *t)
{
    return strcmp(t, "const") == 0 || strcmp(t, "volatile") == 0 ||
           strcmp(t, "restrict") == 0;
}

static const char *alias(const char *t)
{
    static const char *const pairs[][2] = {
        {"Py_ssize_t", "HPy_ssize_t"}, {"Py_hash_t", "HPy_hash_t"},
        {"Py_UCS4", "HPy_UCS4"},       {"bool", "_Bool"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (strcmp(t, pairs[i][0]) == 0)
            return pairs[i][1];
    return t;
}

/* Integer keywords in any order -> the canonical name; NULL if the words
 * are not all integer keywords; "" if they are but no type is spelled so
 * ("short long"). */
static const char *integer_name(char tok[][MAX_TOKEN], int n)
{
    int sign = 0, chr = 0, shrt = 0, lng = 0, integer = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(tok[i], "signed") == 0)
            sign = sign ? 3 : 1;
        else if (strcmp(tok[i], "unsigned") == 0)
            sign = sign ? 3 : 2;
        else if (strcmp(tok[i], "char") == 0)
            chr++;
        else if (strcmp(tok[i], "short") == 0)
            shrt++;
        else if (strcmp(tok[i], "long") == 0)
            lng++;
        else if (strcmp(tok[i], "int") == 0)
            integer++;
        else
            return NULL;
    }
    if (sign == 3 || chr > 1 || shrt > 1 || lng > 2 || integer > 1 ||
        (chr && (shrt || lng || integer)) || (shrt && lng))
        return "";
    int u = sign == 2;
    if (chr)
        return sign == 1 ? "signed char" : u ? "unsigned char" : "char";
    if (shrt)
        return u ? "unsigned short" : "short";
    if (lng == 2)
        return u ? "unsigned long long" : "long long";
    if (lng == 1)
        return u ? "unsigned long" : "long";
    return u ? "unsigned int" : "int";
}

/* Normalises one type spelling [s, e). */
static int norm_type(const char *s, const char *e, out_t *o)
{
    char tok[MAX_TOKENS][MAX_TOKEN];
    int ntok = 0;
    while (s < e) {
        if (is_space(*s)) {
            s++;
            continue;
        }
        if (ntok == MAX_TOKENS)
            return -1;
        if (*s == '*') {
            strcpy(tok[ntok++], "*");
            s++;
            continue;
        }
        if (!is_ident_start(*s))
            return -1;
        size_t n = 0;
        while (s < e && is_ident(*s)) {
            if (n + 1 >= MAX_TOKEN)
                return -1;
            tok[ntok][n++] = *s++;
        }
        tok[ntok++][n] = '\0';
    }

    /* base: the words before the first '*' */
    char words[MAX_TOKENS][MAX_TOKEN];
    int nwords = 0, base_const = 0, base_volatile = 0, i = 0;
    for (; i < ntok && strcmp(tok[i], "*") != 0; i++) {
        if (strcmp(tok[i], "const") == 0)
            base_const = 1;
        else if (strcmp(tok[i], "volatile") == 0)
            base_volatile = 1;
        else if (strcmp(tok[i], "restrict") != 0)
            strcpy(words[nwords++], tok[i]);
    }
    if (nwords == 0)
        return -1;

    /* pointer levels and their qualifiers */
    int nptr = 0, pconst[MAX_TOKENS] = {0}, pvolatile[MAX_TOKENS] = {0};
    for (; i < ntok; i++) {
        if (strcmp(tok[i], "*") == 0) {
            nptr++;
            continue;
        }
        if (!is_qualifier(tok[i]))
            return -1; /* a name after a '*': not a type we can compare */
        if (strcmp(tok[i], "const") == 0)
            pconst[nptr - 1] = 1;
        else if (strcmp(tok[i], "volatile") == 0)
            pvolatile[nptr - 1] = 1;
    }
    if (nptr == 0)
        base_const = base_volatile = 0; /* top level: no ABI meaning */
    else
        pconst[nptr - 1] = pvolatile[nptr - 1] = 0;

    if (base_const)
        put(o, "const ");
    if (base_volatile)
        put(o, "volatile ");
    const char *iname = integer_name(words, nwords);
    if (iname != NULL && *iname == '\0')
        return -1;
    if (iname != NULL) {
        put(o, iname);
    } else if (nwords == 2 && strcmp(words[0], "long") == 0 &&
               strcmp(words[1], "double") == 0) {
        put(o, "long double");
    } else {
        for (int w = 0; w < nwords; w++) {
            if (w)
                put(o, " ");
            put(o, alias(words[w]));
        }
    }
    for (int p = 0; p < nptr; p++) {
        put(o, "*");
        if (pconst[p])
            put(o, "const");
        if (pconst[p] && pvolatile[p])
            put(o, " ");
        if (pvolatile[p])
            put(o, "volatile");
    }
    return 0;
}

static int only_void(const char *s, const char *e)
{
    while (s < e && is_space(*s))
        s++;
    while (e > s && is_space(e[-1]))
        e--;
    return s == e || (e - s == 4 && memcmp(s, "void", 4) == 0);
}

HPYAPI_INTERNAL int _HPyAPI_NormalizeSignature(const char *sig, char *out,
                                               size_t outsize)
{
    if (sig == NULL || out == NULL || outsize == 0)
        return -1;
    out_t o = {out, outsize, 0};
    *out = '\0';
    const char *lp = strchr(sig, '(');
    const char *rp = strrchr(sig, ')');
    if (lp == NULL || rp == NULL || rp < lp)
        return -1;
    for (const char *t = rp + 1; *t; t++)
        if (!is_space(*t))
            return -1;
    if (norm_type(sig, lp, &o) < 0)
        return -1;
    put(&o, "(");
    if (only_void(lp + 1, rp)) {
        put(&o, "void");
    } else {
        const char *s = lp + 1;
        for (;;) {
            const char *comma = s;
            while (comma < rp && *comma != ',')
                comma++;
            if (norm_type(s, comma, &o) < 0)
                return -1;
            if (comma == rp)
                break;
            put(&o, ",");
            s = comma + 1;
        }
    }
    put(&o, ")");
    return o.overflow ? -1 : 0;
}
