/*
 * test_diff.c -- unit tests for core/diff.c: the word-level diff shown by
 * `queue show` for duplicates.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "unit.h"

/* Renders a diff as "word [-gone-] {+new+}" for comparison. */
static void render(const ng__diff *d, char *out, size_t cap)
{
    size_t n = 0;

    out[0] = '\0';
    for (size_t i = 0; i < d->nops; i++) {
        const ng__diff_op *o = &d->ops[i];
        const ng__word *w = o->kind == '+' ? d->b : d->a;
        n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? " " : "",
                              o->kind == '-' ? "[-" : o->kind == '+' ? "{+" : "");
        for (size_t k = 0; k < o->count; k++)
            n += (size_t)snprintf(out + n, cap - n, "%s%.*s", k ? " " : "",
                                  (int)w[o->from + k].len, w[o->from + k].s);
        n += (size_t)snprintf(out + n, cap - n, "%s",
                              o->kind == '-' ? "-]" : o->kind == '+' ? "+}" : "");
    }
}

static void check_diff(const char *a, const char *b, size_t cells,
                       const char *want, int coarse)
{
    ng__diff *d;
    char got[1024];

    ck_assert_int_eq(ng__diff_words(a, b, cells, &d), 0);
    render(d, got, sizeof got);
    ck_assert_str_eq(got, want);
    ck_assert_int_eq(d->coarse, coarse);
    ng__diff_free(d);
}

START_TEST(words)
{
    check_diff("the cat sat on the mat", "the cat sat on the mat", 0,
               "the cat sat on the mat", 0);
    check_diff("voted on Tuesday to approve", "voted on Monday to approve", 0,
               "voted on [-Tuesday-] {+Monday+} to approve", 0);
    check_diff("a b c d", "a x c y d z", 0, "a [-b-] {+x+} c {+y+} d {+z+}", 0);
    check_diff("", "new words", 0, "{+new words+}", 0);
    check_diff("old words", "  ", 0, "[-old words-]", 0);
    check_diff("one  two\nthree", "one two three", 0, "one two three", 0);
}
END_TEST

START_TEST(bounded)
{
    /* Past the cell budget the changed middle is one removal and one
     * addition; the common ends are still kept. */
    check_diff("start a b c end", "start x y z end", 4,
               "start [-a b c-] {+x y z+} end", 1);
    check_diff("start a b c end", "start x b z end", 16,
               "start [-a-] {+x+} b [-c-] {+z+} end", 0);
}
END_TEST

START_TEST(long_texts)
{
    /* 20,000 words each, one changed in the middle: prefix and suffix
     * stripping keeps the table tiny. */
    size_t n = 20000, len = n * 6 + 1;
    char *a = malloc(len), *b = malloc(len);
    ng__diff *d;

    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    for (size_t i = 0; i < n; i++)
        snprintf(a + i * 6, 7, "w%04zu ", i % 10000);
    memcpy(b, a, len);
    b[6 * 10000 + 1] = 'X';
    ck_assert_int_eq(ng__diff_words(a, b, 0, &d), 0);
    ck_assert_uint_eq(d->nops, 4);
    ck_assert_int_eq(d->ops[1].kind, '-');
    ck_assert_int_eq(d->ops[2].kind, '+');
    ck_assert_uint_eq(d->ops[2].from, 10000);
    ng__diff_free(d);
    free(a);
    free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("diff");
    TCase *tc = tcase_create("diff");

    tcase_add_test(tc, words);
    tcase_add_test(tc, bounded);
    tcase_add_test(tc, long_texts);
    suite_add_tcase(s, tc);
    return ng_unit_run(s);
}
