/*
 * test_regex.c -- unit tests of the PCRE2 pattern cache (core/regex.c):
 * UTF and UCP semantics, flags, error messages, match limits, counting
 * with empty matches, and the cache itself.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regex.h"
#include "unit.h"

static ng__regex_cache *c;
static char err[256];

static void setup(void)
{
    c = ng__regex_cache_new(0, 0);
    ck_assert_ptr_nonnull(c);
    err[0] = '\0';
}

static void teardown(void)
{
    ng__regex_cache_free(c);
    c = NULL;
}

/* Returns 1/0/-1 from a search from 0, with the span. */
static int search(const char *pat, const char *flags, const char *s,
                  size_t *ms, size_t *me)
{
    ng__regex *re = ng__regex_get(c, pat, flags, err, sizeof err);
    ck_assert_msg(re != NULL, "compile %s: %s", pat, err);
    return ng__regex_search(re, s, strlen(s), 0, ms, me, err, sizeof err);
}

static long count(const char *pat, const char *s, long max)
{
    ng__regex *re = ng__regex_get(c, pat, NULL, err, sizeof err);
    ck_assert_msg(re != NULL, "compile %s: %s", pat, err);
    return ng__regex_count(re, s, strlen(s), max, err, sizeof err);
}

START_TEST(ucp_word_covers_accents)
{
    size_t ms = 9, me = 9;
    ck_assert_int_eq(search("\\w+", NULL, "café!", &ms, &me), 1);
    ck_assert_uint_eq(ms, 0);
    ck_assert_uint_eq(me, 5); /* "café" is 5 bytes: é is two */
    ck_assert_int_eq(search("\\bcafé\\b", NULL, "un café noir", &ms, &me),
                     1);
    ck_assert_uint_eq(ms, 3);
    ck_assert_uint_eq(me, 8);
    /* A dot is one character, not one byte. */
    ck_assert_int_eq(search("^caf.$", NULL, "café", &ms, &me), 1);
}
END_TEST

START_TEST(case_insensitive_flag)
{
    size_t ms, me;
    ck_assert_int_eq(search("CAFÉ", NULL, "café", &ms, &me), 0);
    ck_assert_int_eq(search("CAFÉ", "i", "le café", &ms, &me), 1);
    ck_assert_uint_eq(ms, 3);
    ck_assert_uint_eq(me, 8);
    ck_assert_int_eq(search("ΣΟΦΙΑ", "i", "σοφια", &ms, &me), 1);
}
END_TEST

START_TEST(other_flags)
{
    size_t ms, me;
    ck_assert_int_eq(search("^b", NULL, "a\nb", &ms, &me), 0);
    ck_assert_int_eq(search("^b", "m", "a\nb", &ms, &me), 1);
    ck_assert_uint_eq(ms, 2);
    ck_assert_int_eq(search("a.b", NULL, "a\nb", &ms, &me), 0);
    ck_assert_int_eq(search("a.b", "s", "a\nb", &ms, &me), 1);
    ck_assert_int_eq(search("a b  # comment", "x", "ab", &ms, &me), 1);
    ck_assert_int_eq(search("A.B", "ims", "x\na\nb", &ms, &me), 1);
}
END_TEST

START_TEST(unknown_flag_is_an_error)
{
    ck_assert_ptr_null(ng__regex_get(c, "a", "iq", err, sizeof err));
    ck_assert_str_eq(err, "unknown pattern flag 'q'");
}
END_TEST

START_TEST(bad_pattern_reports_offset)
{
    ck_assert_ptr_null(ng__regex_get(c, "ab(cd", NULL, err, sizeof err));
    ck_assert_msg(strncmp(err, "offset 5: ", 10) == 0, "got '%s'", err);
    ck_assert_msg(strstr(err, "missing closing parenthesis") != NULL,
                  "got '%s'", err);
    ck_assert_ptr_null(ng__regex_get(c, "x{2,1}", NULL, err, sizeof err));
    ck_assert_msg(strncmp(err, "offset ", 7) == 0, "got '%s'", err);
    /* A bad pattern is not cached: asking again fails again. */
    ck_assert_ptr_null(ng__regex_get(c, "ab(cd", NULL, err, sizeof err));
}
END_TEST

START_TEST(catastrophic_pattern_hits_limit)
{
    char s[64];
    size_t ms, me;
    ng__regex *re;

    memset(s, 'a', 40);
    s[40] = 'b';
    s[41] = '\0';
    re = ng__regex_get(c, "(a+)+$", NULL, err, sizeof err);
    ck_assert_ptr_nonnull(re);
    ck_assert_int_eq(ng__regex_search(re, s, strlen(s), 0, &ms, &me, err,
                                      sizeof err), -1);
    ck_assert_str_eq(err, "pattern match limit exceeded");
    ck_assert_int_eq(ng__regex_count(re, s, strlen(s), 0, err, sizeof err),
                     -1);
    ck_assert_str_eq(err, "pattern match limit exceeded");
    /* The cache still works after a limit was hit. */
    ck_assert_int_eq(search("a+b", NULL, s, &ms, &me), 1);
}
END_TEST

START_TEST(small_limits_are_honoured)
{
    ng__regex_cache *tiny = ng__regex_cache_new(100, 10);
    ng__regex *re = ng__regex_get(tiny, "(\\w+\\s?)*x", NULL, err,
                                  sizeof err);
    const char *s = "one two three four five six seven eight nine ten";
    size_t ms, me;

    ck_assert_ptr_nonnull(re);
    ck_assert_int_eq(ng__regex_search(re, s, strlen(s), 0, &ms, &me, err,
                                      sizeof err), -1);
    ck_assert_str_eq(err, "pattern match limit exceeded");
    ng__regex_cache_free(tiny);
}
END_TEST

START_TEST(count_matches)
{
    ck_assert_int_eq(count("\\w+", "one two, three", 0), 3);
    ck_assert_int_eq(count("\\w+", "one two, three", 2), 2);
    ck_assert_int_eq(count("o", "no match here", 0), 1);
    ck_assert_int_eq(count("z", "no match here", 0), 0);
    ck_assert_int_eq(count("aa", "aaaaa", 0), 2); /* non-overlapping */
    ck_assert_int_eq(count("x", "", 0), 0);
}
END_TEST

START_TEST(count_empty_matches)
{
    ck_assert_int_eq(count("a*", "baaa", 0), 3);   /* "", "aaa", "" */
    ck_assert_int_eq(count("x*", "ab", 0), 3);     /* at 0, 1, 2 */
    ck_assert_int_eq(count("x*", "éé", 0), 3);     /* per character */
    ck_assert_int_eq(count("x*", "", 0), 1);
    ck_assert_int_eq(count("\\b", "hi there", 0), 4);
}
END_TEST

START_TEST(search_from_offset)
{
    ng__regex *re = ng__regex_get(c, "ab", NULL, err, sizeof err);
    size_t ms, me;

    ck_assert_int_eq(ng__regex_search(re, "ab ab", 5, 1, &ms, &me, err,
                                      sizeof err), 1);
    ck_assert_uint_eq(ms, 3);
    ck_assert_uint_eq(me, 5);
    ck_assert_int_eq(ng__regex_search(re, "ab ab", 5, 4, &ms, &me, err,
                                      sizeof err), 0);
    ck_assert_int_eq(ng__regex_search(re, "ab ab", 5, 9, &ms, &me, err,
                                      sizeof err), 0);
}
END_TEST

START_TEST(invalid_utf8_subject_is_an_error)
{
    ng__regex *re = ng__regex_get(c, "a", NULL, err, sizeof err);
    size_t ms, me;

    ck_assert_int_eq(ng__regex_search(re, "\xff" "a", 2, 0, &ms, &me, err,
                                      sizeof err), -1);
    ck_assert_msg(strstr(err, "UTF-8") != NULL, "got '%s'", err);
    ck_assert_int_eq(ng__regex_count(re, "a\xc3", 2, 0, err, sizeof err),
                     -1);
}
END_TEST

START_TEST(cache_returns_same_object)
{
    ng__regex *a = ng__regex_get(c, "spam+", NULL, err, sizeof err);
    ng__regex *b = ng__regex_get(c, "spam+", NULL, err, sizeof err);
    ng__regex *ai = ng__regex_get(c, "spam+", "i", err, sizeof err);
    ng__regex *a2 = ng__regex_get(c, "spam+", "", err, sizeof err);
    ng__regex *v[300];
    char pat[32];
    int i;

    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_eq(a, b);
    ck_assert_ptr_eq(a, a2);
    ck_assert_ptr_ne(a, ai);
    /* Enough patterns to grow the table several times. */
    for (i = 0; i < 300; i++) {
        snprintf(pat, sizeof pat, "w%d(x)(y)?", i);
        v[i] = ng__regex_get(c, pat, NULL, err, sizeof err);
        ck_assert_ptr_nonnull(v[i]);
    }
    for (i = 0; i < 300; i++) {
        snprintf(pat, sizeof pat, "w%d(x)(y)?", i);
        ck_assert_ptr_eq(ng__regex_get(c, pat, NULL, err, sizeof err), v[i]);
    }
    ck_assert_ptr_eq(ng__regex_get(c, "spam+", NULL, err, sizeof err), a);
}
END_TEST

START_TEST(many_captures)
{
    size_t ms, me;
    ck_assert_int_eq(search("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)", NULL,
                            "xxabcdefghijklxx", &ms, &me), 1);
    ck_assert_uint_eq(ms, 2);
    ck_assert_uint_eq(me, 14);
}
END_TEST

START_TEST(free_null)
{
    ng__regex_cache_free(NULL);
    ck_assert_ptr_null(ng__regex_get(NULL, "a", NULL, err, sizeof err));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("regex");
    TCase *t = tcase_create("core");

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, ucp_word_covers_accents);
    tcase_add_test(t, case_insensitive_flag);
    tcase_add_test(t, other_flags);
    tcase_add_test(t, unknown_flag_is_an_error);
    tcase_add_test(t, bad_pattern_reports_offset);
    tcase_add_test(t, catastrophic_pattern_hits_limit);
    tcase_add_test(t, small_limits_are_honoured);
    tcase_add_test(t, count_matches);
    tcase_add_test(t, count_empty_matches);
    tcase_add_test(t, search_from_offset);
    tcase_add_test(t, invalid_utf8_subject_is_an_error);
    tcase_add_test(t, cache_returns_same_object);
    tcase_add_test(t, many_captures);
    tcase_add_test(t, free_null);
    suite_add_tcase(s, t);
    return ng_unit_run(s);
}
