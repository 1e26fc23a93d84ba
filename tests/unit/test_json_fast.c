/*
 * test_json_fast.c -- the fast path of the NDJSON reader (core/json_fast.c)
 * against jansson: on flat objects of strings it builds the same value;
 * on anything else it gives up (NULL), so jansson parses the line and
 * reports any error; it never accepts a line jansson refuses.
 */
#include <check.h>
#include <string.h>
#include <jansson.h>
#include "json_fast.h"
#include "unit.h"

/* The NDJSON fast path (json_fast.c) builds what jansson builds, or
 * gives up and leaves the line to jansson; it never accepts what jansson
 * refuses. */
START_TEST(json_fast_path_matches_jansson)
{
    static const char *const lines[] = {
        "{\"title\":\"t\",\"body\":\"b\"}",
        " { \"a\" : \"x\" ,\t\"b\":\"y\" } \r",
        "{}",
        "{\"e\":\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\"}",
        "{\"u\":\"\\u00e9\\u20ac\\u0041\"}",
        "{\"s\":\"\\ud83d\\ude00\"}",      /* surrogate pair: gives up */
        "{\"z\":\"a\\u0000b\"}",              /* jansson refuses */
        "{\"d\":\"1\",\"d\":\"2\"}",          /* duplicate key */
        "{\"n\":1}", "{\"o\":{\"a\":\"b\"}}", "{\"l\":[\"a\"]}",
        "{\"a\":\"b\"} x", "{\"a\":\"b\",}", "{\"a\" \"b\"}",
        "{\"a\":\"b", "{\"a\":\"tab\there\"}", "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12\"}", "[\"a\"]", "{\"k\\u00e9\":\"v\"}",
        "{\"\":\"\"}",
    };
    char buf[256];

    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        size_t n = strlen(lines[i]);
        json_error_t e;
        json_t *slow = json_loadb(lines[i], n, JSON_REJECT_DUPLICATES, &e);
        json_t *fast = ng__json_fast_object(lines[i], n, buf);
        if (fast)
            ck_assert_msg(slow && json_equal(fast, slow), "line %zu: %s", i,
                          lines[i]);
        json_decref(fast);
        json_decref(slow);
    }
    /* The common case does take the fast path. */
    json_t *v = ng__json_fast_object(lines[3], strlen(lines[3]), buf);
    ck_assert_ptr_nonnull(v);
    ck_assert_str_eq(json_string_value(json_object_get(v, "e")),
                     "q\"b\\s/n\nt\tr\rb\bf\f");
    json_decref(v);
    v = ng__json_fast_object(lines[4], strlen(lines[4]), buf);
    ck_assert_str_eq(json_string_value(json_object_get(v, "u")),
                     "\xc3\xa9\xe2\x82\xac" "A");
    json_decref(v);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("json_fast");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, json_fast_path_matches_jansson);
    suite_add_tcase(su, tc);
    return ng_unit_run(su);
}
