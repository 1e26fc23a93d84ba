/*
 * verdict_json.c -- writes a verdict as one line of JSON (the schema is in
 * docs/verdict.md) straight into a growing buffer.
 *
 * Building a jansson tree for every verdict and dumping it cost about
 * 100,000 instructions per item, as much as a dozen rules: an object per
 * hit, a hash table per object, a copy and a UTF-8 check of every string,
 * then a second walk to print.  This writer produces the same bytes
 * jansson's json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) did: the same
 * escapes (\" \\ \b \f \n \r \t, other control characters as \u00XX with
 * upper-case hex), integers with %lld, reals with %.17g and jansson's
 * touches (".0" added when there is no dot or exponent; no '+' and no
 * leading zeros in the exponent), and a member or element left out where
 * jansson refused a string that is not valid UTF-8.  Object keys are
 * unique by construction (a rule set's names are, groups are merged), so
 * jansson's replacing of a repeated key never arises.  jansson stays the
 * reader (input.c, the store's verdict columns);
 * tests/unit/test_verdict_json.c checks the two agree.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "text.h"
#include "verdict.h"

/* The buffer and its writers are json_out.c's (shared with the item's
 * stored JSON); these short names keep this file readable. */
typedef ng__jbuf jbuf;

static void put(jbuf *b, const char *s, size_t n)
{
    ng__jbuf_put(b, s, n);
}

static void put_lit(jbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void putf(jbuf *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        b->failed = 1;
    else
        put(b, tmp, (size_t)n);
}

/* 1 when jansson would take s as a string (not NULL, valid UTF-8). */
static int ok(const char *s)
{
    return s != NULL && ng__utf8_valid(s, strlen(s), NULL);
}

/* A quoted, escaped string; s must be ok(). */
static void put_str(jbuf *b, const char *s)
{
    ng__jbuf_str(b, s);
}

/* Opens a member: a comma unless it is the object's first, the key. */
static void key(jbuf *b, int *first, const char *k)
{
    if (!*first)
        put(b, ",", 1);
    *first = 0;
    put_str(b, k);
    put(b, ":", 1);
}

/* "k":"s" or "k":null (s NULL); left out when s is not valid UTF-8. */
static void member_opt(jbuf *b, int *first, const char *k, const char *s)
{
    if (s && !ok(s))
        return;
    key(b, first, k);
    if (s)
        put_str(b, s);
    else
        put_lit(b, "null");
}

/* "k":"s"; left out when s is NULL or not valid UTF-8. */
static void member_str(jbuf *b, int *first, const char *k, const char *s)
{
    if (ok(s))
        member_opt(b, first, k, s);
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
        putf(b, "%lld", (long long)r);
    else
        put_real(b, r);
}

static void put_span(jbuf *b, long s, long e)
{
    putf(b, "[%ld,%ld]", s, e);
}

static void hit_json(jbuf *b, const ng_hit *h)
{
    int first = 1;

    put(b, "{", 1);
    member_str(b, &first, "rule", h->rule);
    member_str(b, &first, "group", h->group);
    key(b, &first, "score");
    put_num(b, h->score);
    member_str(b, &first, "description", h->description);
    member_opt(b, &first, "detail", h->detail);
    member_opt(b, &first, "field", h->field);
    key(b, &first, "span");
    if (h->span_start >= 0)
        put_span(b, h->span_start, h->span_end);
    else
        put_lit(b, "null");
    if (h->nspans > 1) {
        key(b, &first, "spans");
        put(b, "[", 1);
        for (size_t i = 0; i < h->nspans; i++) {
            if (i)
                put(b, ",", 1);
            put_span(b, h->spans[2 * i], h->spans[2 * i + 1]);
        }
        put(b, "]", 1);
    }
    if (h->shadow) {
        key(b, &first, "shadow");
        put_lit(b, "true");
    }
    member_str(b, &first, "forces", h->forced);
    if (h->ref > 0) {
        key(b, &first, "ref");
        putf(b, "%lld", (long long)h->ref);
    }
    if (h->braked) {
        key(b, &first, "braked");
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
        int first = 1;
        if (!ok(p[i].rule) || !ok(p[i].message))
            continue;
        if (!first_el)
            put(b, ",", 1);
        first_el = 0;
        put(b, "{", 1);
        member_str(b, &first, "rule", p[i].rule);
        member_str(b, &first, second, p[i].message);
        put(b, "}", 1);
    }
    put(b, "]", 1);
}

/* "groups":{...} and, under the profile option, "profile":{...}. */
static void groups_json(jbuf *b, int *first, const ng_verdict *v)
{
    int g = 1;

    key(b, first, "groups");
    put(b, "{", 1);
    for (size_t i = 0; i < v->ngroups; i++)
        if (ok(v->groups[i].group)) {
            key(b, &g, v->groups[i].group);
            put_num(b, v->groups[i].score);
        }
    put(b, "}", 1);
}

static void profile_json(jbuf *b, int *first, const ng_verdict *v)
{
    int r = 1;

    key(b, first, "profile");
    putf(b, "{\"analysis_us\":%lld,\"rules\":{", (long long)v->analysis_us);
    for (size_t i = 0; i < v->nruns; i++)
        if (ok(v->runs[i].rule)) {
            key(b, &r, v->runs[i].rule);
            putf(b, "%lld", (long long)v->runs[i].us);
        }
    put(b, "}}", 2);
}

static void head_json(jbuf *b, int *first, const ng_verdict *v, int64_t id)
{
    if (id > 0) {
        key(b, first, "id");
        putf(b, "%lld", (long long)id);
    }
    member_str(b, first, "input", v->origin);
    if (v->index) {
        key(b, first, "item");
        putf(b, "%lld", (long long)v->index);
    }
    member_str(b, first, "action", ng_action_name(v->action));
    key(b, first, "score");
    put_num(b, v->score);
    key(b, first, "thresholds");
    put_lit(b, "{\"review\":");
    put_num(b, v->th_review);
    put_lit(b, ",\"reject\":");
    put_num(b, v->th_reject);
    put(b, "}", 1);
    if (v->forced && ok(v->forced) && ok(v->forced_by)) {
        int f = 1;
        key(b, first, "forced");
        put(b, "{", 1);
        member_str(b, &f, "action", v->forced);
        member_str(b, &f, "rule", v->forced_by);
        put(b, "}", 1);
    }
}

char *ng__verdict_make_json(const ng_verdict *v, int64_t id)
{
    jbuf b = { NULL, 0, 0, 0 };
    int first = 1;

    put(&b, "{", 1);
    head_json(&b, &first, v, id);
    groups_json(&b, &first, v);
    key(&b, &first, "hits");
    put(&b, "[", 1);
    for (size_t i = 0; i < v->nhits; i++) {
        if (i)
            put(&b, ",", 1);
        hit_json(&b, &v->hits[i]);
    }
    put(&b, "]", 1);
    key(&b, &first, "errors");
    pairs_json(&b, v->errors, v->nerrors, "error");
    if (v->ndebug) {
        key(&b, &first, "debug");
        pairs_json(&b, v->debug, v->ndebug, "message");
    }
    key(&b, &first, "timings_us");
    putf(&b, "{\"total\":%lld}", (long long)v->total_us);
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
