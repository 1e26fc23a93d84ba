/*
 * verdict_json.c -- writes a verdict as one line of JSON (the schema is in
 * docs/verdict.md) straight into a growing buffer.
 *
 * Building a jansson tree for every verdict and dumping it cost about
 * 100,000 instructions per item, as much as a dozen rules: an object per
 * hit, a hash table per object, a copy and a UTF-8 check of every string,
 * then a second walk to print.  This writer produces the bytes jansson's
 * json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) did: the same escapes
 * (\" \\ \b \f \n \r \t, other control characters as \u00XX with
 * upper-case hex), integers as %lld, reals with %.17g and jansson's
 * touches (".0" added when there is no dot or exponent; no '+' and no
 * leading zeros in the exponent), and a member or element left out where
 * jansson refused a string that is not valid UTF-8.  One difference, on
 * purpose: the C1 controls and the invisible direction and line controls
 * (U+0080..U+009F, U+061C, U+200E/F, U+2028..U+202E, U+2066..U+2069, the
 * list term.h keeps for the text output) are written as \uXXXX, so a
 * verdict shown raw or pasted into a page cannot be reordered or hide
 * text; JSON readers decode them to the same strings.  Object keys are
 * unique by construction (a rule set's names are, groups are merged), so
 * jansson's replacing of a repeated key never arises.  jansson stays the
 * reader (input.c, the store's verdict columns);
 * tests/unit/test_verdict_json.c checks the two agree.
 *
 * Each string is validated, escaped and copied in one pass by json_out.c's
 * escaper, the one the stored item uses too, with the flags for the
 * hidden code points and for UTF-8 (a member whose string turns out not
 * to be valid UTF-8 is taken back out); integers are written without
 * printf: the writer costs a few thousand instructions per verdict.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "verdict.h"

typedef ng__jbuf jbuf;

static void put(jbuf *b, const char *s, size_t n)
{
    ng__jbuf_put(b, s, n);
}

static void put_lit(jbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A signed integer in decimal (as %lld). */
static void put_int(jbuf *b, long long v)
{
    char tmp[24], *e = tmp + sizeof tmp, *d = e;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v
                                 : (unsigned long long)v;

    do {
        *--d = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--d = '-';
    put(b, d, (size_t)(e - d));
}

/* Appends s quoted and escaped, the hidden code points too (json_out.h).
 * Returns 0, or -1 when s is not valid UTF-8: then b is left as it was
 * (jansson refused such a string, so the caller leaves its member out). */
static int put_str(jbuf *b, const char *s)
{
    return ng__jbuf_strn(b, s, strlen(s), NG__JSON_HIDDEN | NG__JSON_STRICT);
}

/* Opens a member: a comma unless it is the object's first, the key.
 * Returns 0, or -1 when the key is not valid UTF-8 (b unchanged). */
static int key(jbuf *b, int *first, const char *k)
{
    size_t at = b->n;

    if (!*first)
        put(b, ",", 1);
    if (put_str(b, k) < 0) {
        b->n = at;
        return -1;
    }
    put(b, ":", 1);
    *first = 0;
    return 0;
}

/* Opens a member whose key is a literal of plain ASCII (nothing to
 * escape, short): written as it is, in one piece. */
static void name(jbuf *b, int *first, const char *k)
{
    char tmp[40];
    size_t n = strlen(k), o = 0;

    if (n > sizeof tmp - 4) {
        key(b, first, k);
        return;
    }
    if (!*first)
        tmp[o++] = ',';
    tmp[o++] = '"';
    memcpy(tmp + o, k, n);
    o += n;
    tmp[o++] = '"';
    tmp[o++] = ':';
    put(b, tmp, o);
    *first = 0;
}

/* "k":"s" or "k":null (s NULL; k a literal, see name()).  Returns 0, or
 * -1 when s is not valid UTF-8: then the member is left out (b and
 * *first unchanged). */
static int member_opt(jbuf *b, int *first, const char *k, const char *s)
{
    size_t at = b->n;
    int was = *first;

    name(b, first, k);
    if (s == NULL)
        put_lit(b, "null");
    else if (put_str(b, s) < 0) {
        b->n = at;
        *first = was;
        return -1;
    }
    return 0;
}

/* "k":"s"; left out when s is NULL or not valid UTF-8 (then -1). */
static int member_str(jbuf *b, int *first, const char *k, const char *s)
{
    return s ? member_opt(b, first, k, s) : -1;
}

/* A double as jansson's jsonp_dtostr writes it (precision 17). */
static void put_real(jbuf *b, double d)
{
    char tmp[40], *e;
    int n = snprintf(tmp, sizeof tmp, "%.17g", d);

    if (n < 0 || (size_t)n + 3 >= sizeof tmp) {
        b->failed = 1;
        return;
    }
    if (!strchr(tmp, '.') && !strchr(tmp, 'e')) {
        memcpy(tmp + n, ".0", 3);
        n += 2;
    }
    if ((e = strchr(tmp, 'e')) != NULL) {
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, (size_t)(tmp + n - end) + 1);
            n -= (int)(end - start);
        }
    }
    put(b, tmp, (size_t)n);
}

/* Scores are shown with at most 3 decimals; JSON numbers stay numbers:
 * an integer when the rounded score is whole. */
static void put_num(jbuf *b, double d)
{
    double r = (double)(long long)(d * 1000.0 + (d < 0 ? -0.5 : 0.5)) / 1000.0;

    if (r == (double)(long long)r)
        put_int(b, (long long)r);
    else
        put_real(b, r);
}

static void put_span(jbuf *b, long s, long e)
{
    put(b, "[", 1);
    put_int(b, s);
    put(b, ",", 1);
    put_int(b, e);
    put(b, "]", 1);
}

static void hit_json(jbuf *b, const ng_hit *h)
{
    int first = 1;

    put(b, "{", 1);
    member_str(b, &first, "rule", h->rule);
    member_str(b, &first, "group", h->group);
    name(b, &first, "score");
    put_num(b, h->score);
    member_str(b, &first, "description", h->description);
    member_opt(b, &first, "detail", h->detail);
    member_opt(b, &first, "field", h->field);
    name(b, &first, "span");
    if (h->span_start >= 0)
        put_span(b, h->span_start, h->span_end);
    else
        put_lit(b, "null");
    if (h->nspans > 1) {
        name(b, &first, "spans");
        put(b, "[", 1);
        for (size_t i = 0; i < h->nspans; i++) {
            if (i)
                put(b, ",", 1);
            put_span(b, h->spans[2 * i], h->spans[2 * i + 1]);
        }
        put(b, "]", 1);
    }
    if (h->shadow) {
        name(b, &first, "shadow");
        put_lit(b, "true");
    }
    member_str(b, &first, "forces", h->forced);
    if (h->ref > 0) {
        name(b, &first, "ref");
        put_int(b, (long long)h->ref);
    }
    if (h->braked) {
        name(b, &first, "braked");
        put_lit(b, "true");
    }
    put(b, "}", 1);
}

/* [{"rule":R,"<second>":M},...]: pairs with a string jansson would
 * refuse are left out, as json_pack failed on them. */
static void pairs_json(jbuf *b, const ng_rule_error *p, size_t n,
                       const char *second)
{
    int first_el = 1;

    put(b, "[", 1);
    for (size_t i = 0; i < n; i++) {
        size_t at = b->n;
        int first = 1;
        if (!first_el)
            put(b, ",", 1);
        put(b, "{", 1);
        if (member_str(b, &first, "rule", p[i].rule) < 0
            || member_str(b, &first, second, p[i].message) < 0) {
            b->n = at;
            continue;
        }
        put(b, "}", 1);
        first_el = 0;
    }
    put(b, "]", 1);
}

/* "groups":{...}: a group whose name is not valid UTF-8 is left out. */
static void groups_json(jbuf *b, int *first, const ng_verdict *v)
{
    int g = 1;

    name(b, first, "groups");
    put(b, "{", 1);
    for (size_t i = 0; i < v->ngroups; i++)
        if (key(b, &g, v->groups[i].group) == 0)
            put_num(b, v->groups[i].score);
    put(b, "}", 1);
}

/* Under the profile option, "profile":{...}. */
static void profile_json(jbuf *b, int *first, const ng_verdict *v)
{
    int r = 1;

    name(b, first, "profile");
    put_lit(b, "{\"analysis_us\":");
    put_int(b, (long long)v->analysis_us);
    put_lit(b, ",\"rules\":{");
    for (size_t i = 0; i < v->nruns; i++)
        if (key(b, &r, v->runs[i].rule) == 0)
            put_int(b, (long long)v->runs[i].us);
    put(b, "}}", 2);
}

/* "forced":{"action":A,"rule":R}, left out unless both are valid. */
static void forced_json(jbuf *b, int *first, const ng_verdict *v)
{
    size_t at = b->n;
    int was = *first, f = 1;

    name(b, first, "forced");
    put(b, "{", 1);
    if (member_str(b, &f, "action", v->forced) < 0
        || member_str(b, &f, "rule", v->forced_by) < 0) {
        b->n = at;
        *first = was;
        return;
    }
    put(b, "}", 1);
}

static void head_json(jbuf *b, int *first, const ng_verdict *v, int64_t id)
{
    if (id > 0) {
        name(b, first, "id");
        put_int(b, (long long)id);
    }
    member_str(b, first, "input", v->origin);
    if (v->index) {
        name(b, first, "item");
        put_int(b, (long long)v->index);
    }
    member_str(b, first, "action", ng_action_name(v->action));
    name(b, first, "score");
    put_num(b, v->score);
    name(b, first, "thresholds");
    put_lit(b, "{\"review\":");
    put_num(b, v->th_review);
    put_lit(b, ",\"reject\":");
    put_num(b, v->th_reject);
    put(b, "}", 1);
    if (v->forced)
        forced_json(b, first, v);
}

char *ng__verdict_make_json(const ng_verdict *v, int64_t id)
{
    jbuf b = { NULL, 0, 0, 0 };
    int first = 1;

    put(&b, "{", 1);
    head_json(&b, &first, v, id);
    groups_json(&b, &first, v);
    name(&b, &first, "hits");
    put(&b, "[", 1);
    for (size_t i = 0; i < v->nhits; i++) {
        if (i)
            put(&b, ",", 1);
        hit_json(&b, &v->hits[i]);
    }
    put(&b, "]", 1);
    name(&b, &first, "errors");
    pairs_json(&b, v->errors, v->nerrors, "error");
    if (v->ndebug) {
        name(&b, &first, "debug");
        pairs_json(&b, v->debug, v->ndebug, "message");
    }
    name(&b, &first, "timings_us");
    put_lit(&b, "{\"total\":");
    put_int(&b, (long long)v->total_us);
    put(&b, "}", 1);
    if (v->profiled)
        profile_json(&b, &first, v);
    member_opt(&b, &first, "rules_hash", v->rules_hash);
    member_str(&b, &first, "cleaned_body", v->cleaned);
    put(&b, "}", 1);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    b.p[b.n] = '\0';
    return b.p;
}
