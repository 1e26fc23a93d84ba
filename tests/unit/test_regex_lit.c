/*
 * test_regex_lit.c -- unit tests of the literal prefilter
 * (core/regex_lit.c): which patterns get one, what it reports, and that a
 * pattern searched with it (ng__regex_search_valid) matches exactly where
 * it does without it (ng__regex_search, which never uses it) over random
 * subjects built from the phrases' pieces, capitals, the Kelvin sign and
 * the long s.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regex.h"
#include "regex_lit.h"
#include "unit.h"

#define CLICKBAIT "\\b(you won'?t believe|what happened next|doctors hate" \
                  "|one weird trick|shocking truth)\\b"

static int built(const char *pat, int caseless)
{
    ng__relit *f = ng__relit_new(pat, strlen(pat), caseless);
    ng__relit_free(f);
    return f != NULL;
}

static int may(const char *pat, int caseless, const char *s)
{
    ng__relit *f = ng__relit_new(pat, strlen(pat), caseless);
    ck_assert_ptr_nonnull(f);
    int r = ng__relit_may_match(f, s, strlen(s));
    ng__relit_free(f);
    return r;
}

START_TEST(shapes_handled)
{
    ck_assert(built(CLICKBAIT, 1));
    ck_assert(built("(?:free money|cash prize)", 1));
    ck_assert(built("buying\\s+now|order today", 0));
    ck_assert(built("\\bclick here\\b", 1));
    /* Not handled: classes, lookarounds, nested groups, counted
     * repeats, a group with a quantifier, literals under 4 bytes. */
    ck_assert(!built("[a-z]+ here", 1));
    ck_assert(!built("(?<!x)click here", 1));
    ck_assert(!built("(?:click (?:here|now))", 1));
    ck_assert(!built("click{2} here", 1));
    ck_assert(!built("(click here)?", 1));
    ck_assert(!built("\\b(win|cash)\\b", 1));
    ck_assert(!built("click.here", 1));
    ck_assert(!built("", 1));
    /* Caseless, "s" and "k" end a literal: "is ok" leaves nothing. */
    ck_assert(!built("is ok", 1));
    ck_assert(built("is ok ok", 0));   /* case-sensitive: all 8 bytes */
}
END_TEST

START_TEST(reports_literals)
{
    ck_assert(may(CLICKBAIT, 1, "Doctors HATE this"));
    ck_assert(may(CLICKBAIT, 1, "WHAT HAPPENED NEXT?"));
    ck_assert(!may(CLICKBAIT, 1, "the council approved the budget"));
    ck_assert(!may(CLICKBAIT, 1, ""));
    ck_assert(!may(CLICKBAIT, 1, "abc"));
    /* Case-sensitive patterns compare bytes as they are. */
    ck_assert(!may("order today|buy now please", 0, "ORDER TODAY"));
    ck_assert(may("order today|buy now please", 0, "x order today"));
}
END_TEST

static const char *const pieces[] = {
    "you ", "won't ", "wont ", "believe", "what ", "happened ", "next",
    "doctors ", "hate", "one ", "weird ", "trick", "shocking ", "truth",
    "SHOCKING ", "Truth", "\xe2\x84\xaa", /* U+212A KELVIN SIGN */
    "\xc5\xbf",                             /* U+017F LONG S */
    "doctor", "\xc3\xa9", " ", "x", "'", "-", "\n", "Doctors Hate",
    "truth\xcc\x81",                        /* a combining acute accent */
};

/* A random subject of n pieces, seeded by `seed`. */
static void subject(char *out, size_t cap, unsigned *seed, int n)
{
    size_t len = 0, np = sizeof pieces / sizeof *pieces;

    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        const char *p = pieces[rand_r(seed) % np];
        size_t pl = strlen(p);
        if (len + pl + 1 > cap)
            break;
        memcpy(out + len, p, pl + 1);
        len += pl;
    }
}

START_TEST(same_matches_as_without)
{
    static const char *const pats[] = {
        CLICKBAIT, "shocking truth|doctors hate", "\\bweird\\s+trick\\b",
    };
    ng__regex_cache *c = ng__regex_cache_new(0, 0);
    char err[256], s[512];
    unsigned seed = 12345;
    int hits = 0;

    ck_assert_ptr_nonnull(c);
    for (int round = 0; round < 20000; round++) {
        const char *pat = pats[round % 3];
        ng__regex *re = ng__regex_get(c, pat, round % 2 ? "i" : "", err,
                                      sizeof err);
        ck_assert_ptr_nonnull(re);
        subject(s, sizeof s, &seed, 1 + round % 12);
        size_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
        int a = ng__regex_search(re, s, strlen(s), 0, &a0, &a1, err,
                                 sizeof err);
        int b = ng__regex_search_valid(re, s, strlen(s), 0, &b0, &b1, err,
                                       sizeof err);
        ck_assert_msg(a == b, "%s on \"%s\": %d without, %d with", pat, s,
                      a, b);
        if (a == 1) {
            ck_assert(a0 == b0 && a1 == b1);
            hits++;
        }
    }
    /* The subjects do match sometimes: the comparison is not vacuous. */
    ck_assert_int_gt(hits, 500);
    ng__regex_cache_free(c);
}
END_TEST

START_TEST(kelvin_and_long_s_still_match)
{
    ng__regex_cache *c = ng__regex_cache_new(0, 0);
    char err[256];
    const char *s = "\xc5\xbfhoc\xe2\x84\xaaing truth";   /* ſhocKing */
    ng__regex *re = ng__regex_get(c, CLICKBAIT, "i", err, sizeof err);

    ck_assert_ptr_nonnull(re);
    ck_assert_int_eq(ng__regex_search_valid(re, s, strlen(s), 0, NULL, NULL,
                                            err, sizeof err), 1);
    ng__regex_cache_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("regex_lit");
    TCase *t = tcase_create("core");

    tcase_add_test(t, shapes_handled);
    tcase_add_test(t, reports_literals);
    tcase_add_test(t, same_matches_as_without);
    tcase_add_test(t, kelvin_and_long_s_still_match);
    suite_add_tcase(s, t);
    return ng_unit_run(s);
}
