/*
 * test_json_out.c -- the one JSON string escaper (core/json_out.c) in its
 * three uses: the stored item's strings (no flags: jansson's bytes), the
 * verdict's (NG__JSON_HIDDEN | NG__JSON_STRICT: the hidden code points
 * as \uXXXX, strings that are not UTF-8 refused) and ng__json_hide over
 * jansson's text.  Random strings of plain ASCII, quotes, backslashes,
 * controls, multi-byte and hidden code points, at every offset around
 * the eight-byte steps, are compared with jansson's dump and with a
 * plain byte-at-a-time specification of the hidden escapes.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hide_spec.h"
#include "json_out.h"
#include "unit.h"

/* Pieces random strings are made of (the last one is not UTF-8). */
static const char *const pieces[] = {
    "a", "Zq", "plain text ", "\"", "\\", "\n", "\t", "\x01", "\x1f",
    "\x7f", "/", "\xc3\xa9", "\xc2\xa0", "\xc2\x85", "\xe2\x80\xae",
    "\xe2\x81\xa6", "\xe2\x80\xa7", "\xe2\x80\xaf", "\xd8\x9c", "\xd8\x9b",
    "\xf0\x9f\x98\x80", "\xe2\x80\x8e", "\xe2\x80\xa8", "\xff"
};
#define NPIECES (sizeof pieces / sizeof *pieces)

/* A random string of up to 12 pieces into buf; 1 when it is UTF-8. */
static int random_string(char *buf, unsigned *seed, int utf8_only)
{
    size_t n = (size_t)(rand_r(seed) % 13), len = 0;
    int valid = 1;

    for (size_t i = 0; i < n; i++) {
        size_t p = (size_t)rand_r(seed) % (NPIECES - (size_t)utf8_only);
        valid &= p != NPIECES - 1;
        memcpy(buf + len, pieces[p], strlen(pieces[p]));
        len += strlen(pieces[p]);
    }
    buf[len] = '\0';
    return valid;
}

/* What the escaper writes for s under flags, after a prefix (the
 * buffer's own bytes stay); NULL when it refused s. */
static char *escaped(const char *s, int flags)
{
    ng__jbuf b = { NULL, 0, 0, 0 };
    char *r;

    ng__jbuf_put(&b, "<", 1);
    if (ng__jbuf_strn(&b, s, strlen(s), flags) < 0) {
        ck_assert_uint_eq(b.n, 1);
        ck_assert_str_eq(b.p, "<");
        free(b.p);
        return NULL;
    }
    ck_assert(!b.failed);
    ck_assert_uint_eq(strlen(b.p), b.n);
    r = strdup(b.p + 1);
    free(b.p);
    return r;
}

START_TEST(same_as_jansson)
{
    unsigned seed = 7;
    char s[256];

    for (int round = 0; round < 20000; round++) {
        json_t *j;
        char *want, *got;
        if (!random_string(s, &seed, 0)) {
            /* Not UTF-8: refused when strict, copied as it is when not. */
            ck_assert_ptr_null(escaped(s, NG__JSON_HIDDEN | NG__JSON_STRICT));
            ck_assert_ptr_null(escaped(s, NG__JSON_STRICT));
            got = escaped(s, 0);
            ck_assert_ptr_nonnull(strstr(got, "\xff"));
            free(got);
            continue;
        }
        j = json_string(s);
        want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
        got = escaped(s, 0);
        ck_assert_str_eq(got, want);
        free(got);
        got = escaped(s, NG__JSON_STRICT);
        ck_assert_str_eq(got, want);
        free(got);
        want = hide(want);
        got = escaped(s, NG__JSON_HIDDEN | NG__JSON_STRICT);
        ck_assert_str_eq(got, want);
        free(got);
        got = escaped(s, NG__JSON_HIDDEN);
        ck_assert_str_eq(got, want);
        free(got);
        free(want);
        json_decref(j);
    }
}
END_TEST

/* One special piece at every offset of a run of plain bytes, so each
 * falls in every lane of the eight-byte steps and in the tail. */
START_TEST(every_offset)
{
    static const char *const special[] = { "\"", "\\", "\x01", "\xc2\x85",
                                           "\xe2\x80\xae", "\xc3\xa9" };
    char s[64];

    for (size_t k = 0; k < sizeof special / sizeof *special; k++)
        for (size_t at = 0; at < 24; at++)
            for (size_t len = at; len < at + 18; len++) {
                json_t *j;
                char *want, *got;
                memset(s, 'x', len);
                strcpy(s + at, special[k]);
                memset(s + at + strlen(special[k]), 'y', len - at);
                s[len + strlen(special[k])] = '\0';
                j = json_string(s);
                want = hide(json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY));
                got = escaped(s, NG__JSON_HIDDEN | NG__JSON_STRICT);
                ck_assert_str_eq(got, want);
                free(got);
                free(want);
                json_decref(j);
            }
}
END_TEST

START_TEST(hide_jansson_text)
{
    unsigned seed = 11;
    char s[256];

    ck_assert_ptr_null(ng__json_hide(NULL));
    for (int round = 0; round < 5000; round++) {
        json_t *o;
        char *plain, *want, *got;
        random_string(s, &seed, 1);
        o = json_pack("{s:s,s:[s,i]}", "k\xe2\x80\xaey", s, "a", s, round);
        plain = json_dumps(o, JSON_COMPACT);
        want = hide(strdup(plain));
        got = ng__json_hide(plain);
        ck_assert_ptr_nonnull(got);
        ck_assert_str_eq(got, want);
        free(got);
        free(want);
        json_decref(o);
    }
}
END_TEST

START_TEST(fixed_cases)
{
    char *got = escaped("a\"b\\c\n\x01\x7f\xc2\x85\xe2\x80\xae\xc3\xa9", NG__JSON_HIDDEN);

    ck_assert_str_eq(got, "\"a\\\"b\\\\c\\n\\u0001\x7f\\u0085\\u202E\xc3\xa9\"");
    free(got);
    got = escaped("\xc2\x85\xe2\x80\xae", 0);
    ck_assert_str_eq(got, "\"\xc2\x85\xe2\x80\xae\"");
    free(got);
    got = escaped("", NG__JSON_HIDDEN | NG__JSON_STRICT);
    ck_assert_str_eq(got, "\"\"");
    free(got);
    /* A truncated sequence at the end is not UTF-8. */
    ck_assert_ptr_null(escaped("abc\xe2\x80", NG__JSON_STRICT));
    got = escaped("abc\xe2\x80", NG__JSON_HIDDEN);
    ck_assert_str_eq(got, "\"abc\xe2\x80\"");
    free(got);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("json_out");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, fixed_cases);
    tcase_add_test(tc, every_offset);
    tcase_add_test(tc, same_as_jansson);
    tcase_add_test(tc, hide_jansson_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ng_unit_run(suite());
}
