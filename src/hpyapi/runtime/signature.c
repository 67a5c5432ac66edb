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
 *   - parameter names, in the named signatures of entries whose arrays
 *     name their length (HPyAPI_LEN): "HPy(int n,const HPy * p[n])" ==
 *     "HPy(int count,const HPy * items[count])" == "HPy(int,const HPy*[#1])",
 *     while binding the length to another parameter is another signature.
 *     An array whose length is the HPy_ssize_t right after it is spelled as
 *     without HPyAPI_LEN: "const HPy*,HPy_ssize_t" (read), "HPy*[],
 *     HPy_ssize_t" (filled by the exporter).
 *
 * Everything else is compared as written: `long` and `int64_t` differ, as
 * they do on some platforms.  Canonical form: "R(P1,P2)", pointers as
 * "const char*", "char*const*"; a data entry's signature (no parentheses)
 * is its type, "const char*".
 */
#include <stdio.h>
#include <stdlib.h>
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

/* One parameter of a signature: its type text, and for an array of
 * handles `[len]` the text between the brackets; in named signatures the
 * trailing name, cut off the type. */
typedef struct {
    const char *s, *e;       /* type */
    const char *name, *name_e;
    const char *ref, *ref_e; /* inside [], or NULL */
} param_t;

/* ours have at most 2 * HPYAPI_MAX_PARAMS (arrays and their lengths);
   a forged one may have more, up to this */
#define MAX_PARAMS (4 * HPYAPI_MAX_PARAMS)

static const char *skip_space(const char *s, const char *e)
{
    while (s < e && is_space(*s))
        s++;
    return s;
}

static const char *trim_end(const char *s, const char *e)
{
    while (e > s && is_space(e[-1]))
        e--;
    return e;
}

/* Named signatures (decl.h, entries with HPyAPI_LEN or HPyAPI_LEN_EXPR
 * arrays) have a `[` followed by a name or an expression as written:
 * anything but the canonical "[]", "[#k]" and "[=...]". */
static int is_named(const char *s, const char *e)
{
    for (; s < e; s++) {
        const char *c = skip_space(s + 1, e);
        if (*s == '[' && c < e && *c != ']' && *c != '#' && *c != '=')
            return 1;
    }
    return 0;
}

static int only_ident(const char *s, const char *e)
{
    if (s == e || !is_ident_start(*s))
        return 0;
    while (s < e && is_ident(*s))
        s++;
    return s == e;
}

/* Characters of an HPyAPI_LEN_EXPR length besides names and numbers. */
static int is_expr_char(char c)
{
    return c == '+' || c == '-' || c == '*' || c == '/' || c == '%' ||
           c == '(' || c == ')' || is_space(c);
}

/* Splits [s, e) into p; in a named signature cuts each parameter's name.
 * Returns -1 for what is not a parameter. */
static int parse_param(const char *s, const char *e, int named, param_t *p)
{
    s = skip_space(s, e);
    e = trim_end(s, e);
    p->ref = NULL;
    if (e > s && e[-1] == ']') {
        const char *lb = e - 1;
        while (lb > s && *lb != '[')
            lb--;
        if (*lb != '[')
            return -1;
        p->ref = skip_space(lb + 1, e - 1);
        p->ref_e = trim_end(p->ref, e - 1);
        /* named: a name or an expression of names and numbers; plain: "[]"
           or, canonical, "[#position]" or "[=expression of #positions]" */
        int hash = !named && p->ref < p->ref_e && *p->ref == '#';
        int expr = !named && p->ref < p->ref_e && *p->ref == '=';
        const char *c = p->ref + hash + expr;
        if ((named || hash || expr) ? c == p->ref_e : c != p->ref_e)
            return -1;
        for (; c < p->ref_e; c++)
            if (named ? !is_ident(*c) && !is_expr_char(*c)
                      : expr ? !is_expr_char(*c) && *c != '#' &&
                                   (*c < '0' || *c > '9')
                             : *c < '0' || *c > '9')
                return -1;
        e = trim_end(s, lb);
    }
    if (named) {
        p->name_e = e;
        while (e > s && is_ident(e[-1]))
            e--;
        p->name = e;
        if (p->name == p->name_e || !is_ident_start(*p->name))
            return -1;
        e = trim_end(s, e);
    }
    p->s = s;
    p->e = e;
    return s < e ? 0 : -1;
}

/* The canonical spelling of parameter i's type into buf. */
static int norm_param(const param_t *p, char *buf, size_t size)
{
    out_t t = {buf, size, 0};
    *buf = '\0';
    return norm_type(p->s, p->e, &t) < 0 || t.overflow ? -1 : 0;
}

/* An HPyAPI_LEN_EXPR length [s, e) of parameter i, canonical: tokens
 * without spaces, each name of another parameter replaced by its position
 * "#k"; "[=...]" around it. */
static int norm_expr(const char *s, const char *e, const param_t *p, int n,
                     int i, out_t *o)
{
    put(o, "[=");
    int any = 0;
    while ((s = skip_space(s, e)) < e) {
        const char *t = s;
        if (is_ident_start(*s)) {
            while (s < e && is_ident(*s))
                s++;
            int k = 0;
            size_t len = (size_t)(s - t);
            while (k < n && ((size_t)(p[k].name_e - p[k].name) != len ||
                             memcmp(p[k].name, t, len) != 0))
                k++;
            if (k == n || k == i)
                return -1; /* names no (other) parameter */
            char pos[16];
            snprintf(pos, sizeof pos, "#%d", k + 1);
            put(o, pos);
        } else if (*s == '#' || (*s >= '0' && *s <= '9')) {
            int k = 0;
            for (s += *s == '#'; s < e && *s >= '0' && *s <= '9'; s++)
                k = k < 100000 ? k * 10 + (*s - '0') : k;
            if (*t == '#' && (s == t + 1 || k < 1 || k - 1 == i || k > n))
                return -1;
            char tok[MAX_TOKEN];
            size_t len = (size_t)(s - t);
            if (len >= sizeof tok)
                return -1;
            memcpy(tok, t, len);
            tok[len] = '\0';
            put(o, tok);
        } else if (is_expr_char(*s)) {
            char tok[2] = {*s++, '\0'};
            put(o, tok);
        } else {
            return -1;
        }
        any = 1;
    }
    put(o, "]");
    return any ? 0 : -1;
}

/* The parameter list between the parentheses.  An array's length is the
 * position of the parameter it names, `[#k]` (1-based), except where it
 * is the HPy_ssize_t right after the array: then it is written as a
 * declaration without HPyAPI_LEN spells it, "const HPy*" for a read
 * array and "HPy*[]" for one the exporter fills. */
static int norm_params(const char *s, const char *e, out_t *o)
{
    param_t p[MAX_PARAMS];
    int n = 0, named = is_named(s, e);
    for (;;) {
        const char *comma = s;
        while (comma < e && *comma != ',')
            comma++;
        if (n == MAX_PARAMS || parse_param(s, comma, named, &p[n++]) < 0)
            return -1;
        if (comma == e)
            break;
        s = comma + 1;
    }
    char type[MAX_TOKENS * MAX_TOKEN], next[MAX_TOKENS * MAX_TOKEN];
    for (int i = 0; i < n; i++) {
        if (norm_param(&p[i], type, sizeof type) < 0)
            return -1;
        if (i)
            put(o, ",");
        put(o, type);
        if (p[i].ref == NULL)
            continue;
        if (p[i].ref < p[i].ref_e &&
            (*p[i].ref == '=' || (named && !only_ident(p[i].ref, p[i].ref_e)))) {
            /* only handle arrays have expression lengths */
            if ((strcmp(type, "const HPy*") != 0 && strcmp(type, "HPy*") != 0) ||
                norm_expr(p[i].ref + (*p[i].ref == '='), p[i].ref_e, p, n, i,
                          o) < 0)
                return -1;
            continue;
        }
        int k = i + 1; /* plain "[]": the next one */
        if (p[i].ref < p[i].ref_e && *p[i].ref == '#') {
            k = 0;
            for (const char *c = p[i].ref + 1; c < p[i].ref_e && k <= n; c++)
                k = k * 10 + (*c - '0');
            if (--k < 0 || k == i)
                return -1;
        } else if (named) {
            size_t len = (size_t)(p[i].ref_e - p[i].ref);
            for (k = 0; k < n; k++)
                if ((size_t)(p[k].name_e - p[k].name) == len &&
                    memcmp(p[k].name, p[i].ref, len) == 0)
                    break;
            if (k == n || k == i)
                return -1; /* names no (other) parameter */
        }
        if (k >= n || norm_param(&p[k], next, sizeof next) < 0)
            return -1;
        if (k == i + 1 && strcmp(next, "HPy_ssize_t") == 0) {
            if (strcmp(type, "const HPy*") != 0)
                put(o, "[]");
        } else {
            char pos[16];
            snprintf(pos, sizeof pos, "[#%d]", k + 1);
            put(o, pos);
        }
    }
    return 0;
}

HPYAPI_INTERNAL int _HPyAPI_NormalizeSignature(const char *sig, char *out,
                                               size_t outsize)
{
    if (sig == NULL || out == NULL || outsize == 0)
        return -1;
    out_t o = {out, outsize, 0};
    *out = '\0';
    const char *lp = strchr(sig, '(');
    if (lp == NULL) { /* a data entry: its type */
        if (norm_type(sig, sig + strlen(sig), &o) < 0)
            return -1;
        return o.overflow ? -1 : 0;
    }
    const char *rp = strrchr(sig, ')');
    if (rp < lp)
        return -1;
    for (const char *t = rp + 1; *t; t++)
        if (!is_space(*t))
            return -1;
    if (norm_type(sig, lp, &o) < 0)
        return -1;
    put(&o, "(");
    if (only_void(lp + 1, rp))
        put(&o, "void");
    else if (norm_params(lp + 1, rp, &o) < 0)
        return -1;
    put(&o, ")");
    return o.overflow ? -1 : 0;
}

/* ---- signatures from a declaration's record ------------------------------
 * Line i + 1 of the record is "<index> <since> <kind> <name> <signature>"
 * (decl.h's HPYAPI_D_META); index and since are the declaration's own
 * tokens, so the signature is found after " <kind> <name> ", which the
 * entry's info states.  The strings live as long as the module: one copy
 * of the record per declaration, kept. */
static const char *const record_kind[] = {"func", "object", "retired", "data"};

HPYAPI_INTERNAL int _HPyAPI_SpecSignatures(const HPyAPI_Spec *spec)
{
    HPyAPI_EntryInfo *e = (HPyAPI_EntryInfo *)(uintptr_t)spec->entries;
    uint32_t n = spec->n_entries;
    if (spec->record == NULL || n == 0 || e[0].signature != NULL)
        return 0;
    size_t size = strlen(spec->record) + 1;
    char *copy = (char *)malloc(size);
    if (copy == NULL)
        return -1;
    memcpy(copy, spec->record, size);
    char *line = strchr(copy, '\n'); /* after the "declare" line */
    for (uint32_t i = 0; i < n; i++) {
        char *end = line != NULL ? strchr(++line, '\n') : NULL;
        char needle[HPYAPI_MAX_STRING + 16];
        const char *sig = NULL;
        if (end != NULL && e[i].flags < 4 &&
            snprintf(needle, sizeof needle, " %s %s ", record_kind[e[i].flags],
                     e[i].name) < (int)sizeof needle) {
            *end = '\0';
            sig = strstr(line, needle);
        }
        if (sig == NULL) {
            for (uint32_t j = 0; j < i; j++)
                e[j].signature = NULL;
            free(copy);
            return -2;
        }
        e[i].signature = sig + strlen(needle);
        line = end;
    }
    return 0;
}
