/*
 * test_term.c -- unit tests for core/term.c: what ng_text_escape and
 * ng__term_escape let through to a terminal and what they escape.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "newsgate.h"
#include "term.h"
#include "unit.h"

static void check_esc(const char *in, size_t len, int flags, const char *want)
{
    char *got = ng_text_escape(in, len, flags);

    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    ng_free(got);
}

#define ESC(in, want) check_esc(in, sizeof in - 1, 0, want)

START_TEST(controls)
{
    ESC("plain text, caf\xc3\xa9 \xe2\x82\xac", "plain text, caf\xc3\xa9 \xe2\x82\xac");
    ESC("a\x1b[2Jb", "a\\x1b[2Jb");                       /* CSI */
    ESC("\x1b]0;title\x07", "\\x1b]0;title\\x07");         /* OSC, BEL */
    ESC("line\nnext\r\ttab", "line\\nnext\\r\\ttab");
    ESC("nul\0x", "nul\\x00x");
    ESC("del\x7f", "del\\x7f");
    ESC("back\\slash", "back\\\\slash");
    ESC("c1 \xc2\x85 \xc2\x9b" "6n \xc2\x80", "c1 \\u0085 \\u009b6n \\u0080");
    ESC("\xc2\xa0nbsp stays", "\xc2\xa0nbsp stays");
}
END_TEST

START_TEST(bidi)
{
    ESC("\xe2\x80\xae" "rtl", "\\u202ertl");
    ESC("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
        "\\u202a\\u202b\\u202c\\u202d");
    ESC("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
        "\\u2066\\u2067\\u2068\\u2069");
    ESC("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c");
    ESC("\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029");
}
END_TEST

START_TEST(bad_utf8)
{
    ESC("\xff", "\\xff");
    ESC("\xc0\x9b", "\\xc0\\x9b");           /* overlong CSI */
    ESC("\xed\xa0\x80", "\\xed\\xa0\\x80");  /* surrogate */
    ESC("\xe2\x80", "\\xe2\\x80");           /* cut short */
    ESC("\x9b" "31m", "\\x9b31m");           /* bare 8-bit CSI */
    ESC("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
    ESC("\xf0\x9f\x98\x80 ok", "\xf0\x9f\x98\x80 ok");
}
END_TEST

START_TEST(flags_and_sizes)
{
    char small[6];
    size_t n;

    check_esc("a\nb\x1b", 4, NG_ESCAPE_KEEP_NEWLINES, "a\nb\\x1b");
    check_esc("\\S+\x1b", 4, NG_ESCAPE_KEEP_BACKSLASH, "\\S+\\x1b");
    check_esc("\\S+\x1b", 4, 0, "\\\\S+\\x1b");
    check_esc(NULL, 0, 0, "");
    /* snprintf-like: the full length is returned, the output is cut and
     * NUL-terminated. */
    n = ng__term_escape(small, sizeof small, "\x1b\x1b", 2, 0);
    ck_assert_uint_eq(n, 8);
    ck_assert_str_eq(small, "\\x1b\\");
    ck_assert_uint_eq(ng__term_escape(NULL, 0, "abc", 3, 0), 3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("term");
    TCase *tc = tcase_create("term");

    tcase_add_test(tc, controls);
    tcase_add_test(tc, bidi);
    tcase_add_test(tc, bad_utf8);
    tcase_add_test(tc, flags_and_sizes);
    suite_add_tcase(s, tc);
    return ng_unit_run(s);
}
