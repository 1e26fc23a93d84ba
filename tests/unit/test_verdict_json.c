/*
 * test_verdict_json.c -- the verdict's JSON writer (core/verdict_json.c)
 * gives the bytes jansson's compact dump gave.  The oracle below builds
 * the jansson tree the way verdict.c did before the writer replaced it
 * and dumps it; random verdicts (strings with quotes, backslashes,
 * control characters, multi-byte and invalid UTF-8, scores with and
 * without fractions, spans, errors, log lines, profiles) must come out
 * byte for byte the same, and a few hand-written cases pin the format.
 * One change is wanted: the writer escapes the C1 controls and the
 * invisible direction and line controls (term.h) that jansson writes
 * raw, so the oracle's dump is passed through hide() (hide_spec.h).
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hide_spec.h"
#include "unit.h"
#include "verdict.h"

/* ---- the oracle: jansson, as verdict.c used it ------------------------ */

static json_t *num(double d)
{
    double r = (double)(long long)(d * 1000.0 + (d < 0 ? -0.5 : 0.5)) / 1000.0;
    if (r == (double)(long long)r)
        return json_integer((json_int_t)r);
    return json_real(r);
}

static json_t *opt_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *hit_json(const ng_hit *h)
{
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(h->rule));
    json_object_set_new(o, "group", json_string(h->group));
    json_object_set_new(o, "score", num(h->score));
    json_object_set_new(o, "description", json_string(h->description));
    json_object_set_new(o, "detail", opt_str(h->detail));
    json_object_set_new(o, "field", opt_str(h->field));
    json_object_set_new(o, "span", h->span_start >= 0
                        ? json_pack("[II]", (json_int_t)h->span_start,
                                    (json_int_t)h->span_end)
                        : json_null());
    if (h->nspans > 1) {
        json_t *all = json_array();
        for (size_t i = 0; i < h->nspans; i++)
            json_array_append_new(all, json_pack("[II]", (json_int_t)h->spans[2 * i],
                                                 (json_int_t)h->spans[2 * i + 1]));
        json_object_set_new(o, "spans", all);
    }
    if (h->shadow)
        json_object_set_new(o, "shadow", json_true());
    if (h->forced)
        json_object_set_new(o, "forces", json_string(h->forced));
    if (h->ref > 0)
        json_object_set_new(o, "ref", json_integer((json_int_t)h->ref));
    if (h->braked)
        json_object_set_new(o, "braked", json_true());
    return o;
}

static json_t *pairs_json(const ng_rule_error *p, size_t n, const char *k)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "rule", p[i].rule, k,
                                           p[i].message));
    return a;
}

static char *oracle(const ng_verdict *v, int64_t id)
{
    json_t *o = json_object(), *hits = json_array(), *groups = json_object();
    char *s;

    if (id > 0)
        json_object_set_new(o, "id", json_integer(id));
    if (v->origin)
        json_object_set_new(o, "input", json_string(v->origin));
    if (v->index)
        json_object_set_new(o, "item", json_integer((json_int_t)v->index));
    json_object_set_new(o, "action", json_string(ng_action_name(v->action)));
    json_object_set_new(o, "score", num(v->score));
    json_object_set_new(o, "thresholds", json_pack("{s:o,s:o}", "review",
                        num(v->th_review), "reject", num(v->th_reject)));
    if (v->forced)
        json_object_set_new(o, "forced", json_pack("{s:s,s:s}", "action",
                            v->forced, "rule", v->forced_by));
    for (size_t i = 0; i < v->ngroups; i++)
        json_object_set_new(groups, v->groups[i].group, num(v->groups[i].score));
    json_object_set_new(o, "groups", groups);
    for (size_t i = 0; i < v->nhits; i++)
        json_array_append_new(hits, hit_json(&v->hits[i]));
    json_object_set_new(o, "hits", hits);
    json_object_set_new(o, "errors", pairs_json(v->errors, v->nerrors, "error"));
    if (v->ndebug)
        json_object_set_new(o, "debug", pairs_json(v->debug, v->ndebug, "message"));
    json_object_set_new(o, "timings_us", json_pack("{s:I}", "total",
                                                   (json_int_t)v->total_us));
    if (v->profiled) {
        json_t *rules = json_object();
        for (size_t i = 0; i < v->nruns; i++)
            json_object_set_new(rules, v->runs[i].rule, json_integer(v->runs[i].us));
        json_object_set_new(o, "profile", json_pack("{s:I,s:o}", "analysis_us",
                            (json_int_t)v->analysis_us, "rules", rules));
    }
    json_object_set_new(o, "rules_hash", opt_str(v->rules_hash));
    if (v->cleaned)
        json_object_set_new(o, "cleaned_body", json_pack("s?", v->cleaned));
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return hide(s);
}

/* ---- random verdicts ----------------------------------------------------- */

static unsigned rnd(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* A pooled string of pieces that need escaping, multi-byte characters
 * and now and then a byte that is not UTF-8. */
static const char *rstr(ng_verdict *v, unsigned *seed)
{
    static const char *const piece[] = {
        "a", "Word ", "\"", "\\", "\n", "\t", "\r", "\b", "\f", "\x01", "\x1f",
        "/", "\xc3\xa9", "\xe2\x80\x99", "\xf0\x9f\x98\x80", "\x7f",
        "\xc2\x85", "\xc2\xa0", "\xd8\x9c", "\xe2\x80\x8e", "\xe2\x80\xa8",
        "\xe2\x80\xae", "\xe2\x80\xaf", "\xe2\x81\xa9", "\xe2\x81\xaa",
        "\xff",
    };
    char buf[64];
    size_t len = 0;
    int n = (int)(rnd(seed) % 6);
    for (int i = 0; i < n; i++) {
        size_t k = rnd(seed) % (sizeof piece / sizeof *piece);
        if (k == sizeof piece / sizeof *piece - 1 && rnd(seed) % 4)
            k = 0; /* invalid UTF-8 now and then only */
        memcpy(buf + len, piece[k], strlen(piece[k]));  /* 6 x 4 < 64 */
        len += strlen(piece[k]);
    }
    buf[len] = '\0';
    return ng__verdict_str(v, buf);
}

static double rscore(unsigned *seed)
{
    static const double s[] = { 0, 1, 2.5, -1.5, 1.0 / 3, 1e20, 0.001,
                                12345.678, -0.0004, 7.25, 3 };
    return s[rnd(seed) % (sizeof s / sizeof *s)];
}

static void add_hit(ng_verdict *v, unsigned *seed)
{
    ng_hit h;
    long spans[6] = { 1, 5, 9, 12, 20, 31 };

    memset(&h, 0, sizeof h);
    h.rule = rstr(v, seed);
    h.group = rstr(v, seed);
    h.description = rstr(v, seed);
    h.detail = rnd(seed) % 3 ? rstr(v, seed) : NULL;
    h.field = rnd(seed) % 2 ? ng__verdict_str(v, "body") : NULL;
    h.score = rscore(seed);
    h.span_start = h.span_end = -1;
    if (rnd(seed) % 2) {
        h.nspans = 1 + rnd(seed) % 3;
        h.spans = ng__verdict_spans(v, spans, h.nspans);
        h.span_start = h.spans[0];
        h.span_end = h.spans[1];
    }
    h.shadow = rnd(seed) % 3 == 0;
    h.braked = h.shadow && rnd(seed) % 2;
    h.forced = rnd(seed) % 4 == 0 ? "reject" : NULL;
    h.ref = rnd(seed) % 3 == 0 ? (int64_t)rnd(seed) : 0;
    ck_assert_int_eq(ng__verdict_add_hit(v, &h), 0);
}

static ng_verdict *random_verdict(unsigned *seed)
{
    ng_verdict *v = ng__verdict_new();

    v->action = (ng_action)(rnd(seed) % 3);
    v->score = rscore(seed);
    v->th_review = 5;
    v->th_reject = rnd(seed) % 2 ? 10 : 9.5;
    v->origin = rnd(seed) % 5 ? strdup(rstr(v, seed)) : NULL;
    v->index = rnd(seed) % 4;
    v->total_us = rnd(seed);
    v->rules_hash = rnd(seed) % 4 ? strdup("0123abcd0123abcd") : NULL;
    if (rnd(seed) % 4 == 0) {
        v->forced = "reject";
        v->forced_by = rstr(v, seed);
    }
    for (unsigned i = rnd(seed) % 3; i > 0; i--)
        ck_assert_int_eq(ng__verdict_add_group(v, rstr(v, seed), rscore(seed)), 0);
    for (unsigned i = rnd(seed) % 4; i > 0; i--)
        add_hit(v, seed);
    for (unsigned i = rnd(seed) % 3; i > 0; i--)
        ck_assert_int_eq(ng__verdict_add_error(v, rstr(v, seed), rstr(v, seed)), 0);
    for (unsigned i = rnd(seed) % 2; i > 0; i--)
        ck_assert_int_eq(ng__verdict_add_debug(v, rstr(v, seed), rstr(v, seed)), 0);
    if (rnd(seed) % 3 == 0) {
        v->profiled = 1;
        v->analysis_us = rnd(seed);
        /* Runs name distinct rules (a rule set's names are unique). */
        static const char *const names[] = { "A", "B\"", "\xc3\xa9" };
        for (unsigned i = rnd(seed) % 3; i > 0; i--) {
            ng__rule_run r = { .rule = names[i - 1], .us = rnd(seed) };
            ck_assert_int_eq(ng__verdict_add_run(v, &r), 0);
        }
    }
    if (rnd(seed) % 4 == 0)
        v->cleaned = strdup(rstr(v, seed));
    return v;
}

START_TEST(same_as_jansson)
{
    unsigned seed = 20261128;

    for (int i = 0; i < 3000; i++) {
        ng_verdict *v = random_verdict(&seed);
        for (int64_t id = 0; id <= 7; id += 7) {
            char *want = oracle(v, id), *got = ng_verdict_json(v, id);
            ck_assert_ptr_nonnull(want);
            ck_assert_ptr_nonnull(got);
            ck_assert_str_eq(got, want);
            free(want);
            free(got);
        }
        ng_verdict_free(v);
    }
}
END_TEST

START_TEST(fixed_cases)
{
    ng_verdict *v = ng__verdict_new();
    ng_hit h;
    char *s;

    v->action = NG_REVIEW;
    v->score = 7.5;
    v->th_review = 5;
    v->th_reject = 10;
    v->total_us = 85;
    memset(&h, 0, sizeof h);
    h.rule = ng__verdict_str(v, "R");
    h.group = ng__verdict_str(v, "g");
    h.description = ng__verdict_str(v, "d");
    h.detail = ng__verdict_str(v, "\"q\" \\ \x01\n caf\xc3\xa9");
    h.score = 1.0 / 3;
    h.span_start = 2;
    h.span_end = 4;
    ck_assert_int_eq(ng__verdict_add_hit(v, &h), 0);
    h.detail = ng__verdict_str(v, "bad \xff byte");   /* left out */
    h.score = 2;
    h.span_start = h.span_end = -1;
    ck_assert_int_eq(ng__verdict_add_hit(v, &h), 0);
    s = ng_verdict_json(v, 3);
    ck_assert_str_eq(s, "{\"id\":3,\"action\":\"review\",\"score\":7.5,"
        "\"thresholds\":{\"review\":5,\"reject\":10},\"groups\":{},\"hits\":["
        "{\"rule\":\"R\",\"group\":\"g\",\"score\":0.33300000000000002,"
        "\"description\":\"d\",\"detail\":\"\\\"q\\\" \\\\ \\u0001\\n caf\xc3\xa9\","
        "\"field\":null,\"span\":[2,4]},"
        "{\"rule\":\"R\",\"group\":\"g\",\"score\":2,\"description\":\"d\","
        "\"field\":null,\"span\":null}],\"errors\":[],"
        "\"timings_us\":{\"total\":85},\"rules_hash\":null}");
    free(s);
    ng_verdict_free(v);
}
END_TEST

/* The hidden code points come out as \uXXXX, their neighbours raw, and
 * jansson reads the line back to the same strings. */
START_TEST(hidden_escaped)
{
    static const char detail[] = "a\xc2\x80\xc2\x9f\xc2\xa0 \xd8\x9c\xd8\x9b"
        " \xe2\x80\x8e\xe2\x80\x8f\xe2\x80\xa7\xe2\x80\xa8\xe2\x80\xae"
        "\xe2\x80\xaf \xe2\x81\xa5\xe2\x81\xa6\xe2\x81\xa9\xe2\x81\xaa z";
    ng_verdict *v = ng__verdict_new();
    ng_hit h;
    json_t *j;
    char *s;

    memset(&h, 0, sizeof h);
    h.rule = ng__verdict_str(v, "R\xe2\x80\xae");
    h.group = ng__verdict_str(v, "g");
    h.description = ng__verdict_str(v, "d");
    h.detail = ng__verdict_str(v, detail);
    h.span_start = h.span_end = -1;
    ck_assert_int_eq(ng__verdict_add_hit(v, &h), 0);
    s = ng_verdict_json(v, 0);
    ck_assert_ptr_nonnull(strstr(s, "\"rule\":\"R\\u202E\""));
    ck_assert_ptr_nonnull(strstr(s, "\"detail\":\"a\\u0080\\u009F\xc2\xa0 \\u061C"
        "\xd8\x9b \\u200E\\u200F\xe2\x80\xa7\\u2028\\u202E\xe2\x80\xaf "
        "\xe2\x81\xa5\\u2066\\u2069\xe2\x81\xaa z\""));
    j = json_loads(s, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(
        json_array_get(json_object_get(j, "hits"), 0), "detail")), detail);
    json_decref(j);
    free(s);
    ng_verdict_free(v);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("verdict_json");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, fixed_cases);
    tcase_add_test(tc, hidden_escaped);
    tcase_add_test(tc, same_as_jansson);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ng_unit_run(suite());
}
