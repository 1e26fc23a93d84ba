/*
 * test_learn.c -- the spam learner in C: an item's tokens are unique and
 * stable, the classifier has no opinion below the minimum of each class,
 * leans to the class whose tokens an item shares, and the store keeps
 * learning idempotent (same class twice counts once, the other class
 * moves the counts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"
#include "newsgate.h"
#include "learn.h"

static ng_item *make(const char *title, const char *body)
{
    ng_item *it = NULL;

    ck_assert_int_eq(ng_item_new(&it), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_TITLE, title), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_BODY, body), NG_OK);
    ck_assert_int_eq(ng_item_validate(it, NULL, NULL, 0), NG_OK);
    return it;
}

START_TEST(tokens_unique_and_stable)
{
    ng_item *a = make("Free pills", "free free free pills at http://x.example.com/a");
    ng_item *b = make("Free pills", "free free free pills at http://x.example.com/a");
    ng__tokens ta = { 0 }, tb = { 0 };

    ck_assert_int_eq(ng__learn_tokens(a, &ta), NG_OK);
    ck_assert_int_eq(ng__learn_tokens(b, &tb), NG_OK);
    ck_assert_uint_eq(ta.n, tb.n);
    for (size_t i = 0; i < ta.n; i++)
        for (size_t j = i + 1; j < ta.n; j++)
            ck_assert(ta.v[i] != ta.v[j]);
    ck_assert_int_eq(memcmp(ta.v, tb.v, ta.n * sizeof *ta.v), 0);
    ng__tokens_free(&ta);
    ng__tokens_free(&tb);
    ng_item_free(a);
    ng_item_free(b);
}
END_TEST

/* Learns `n` items of one kind into the table (counts only). */
static void teach(ng__toktable *t, const char *body, int spam, int n)
{
    ng_item *it = make("x", body);
    ng__tokens tok = { 0 };

    ck_assert_int_eq(ng__learn_tokens(it, &tok), NG_OK);
    for (int k = 0; k < n; k++)
        for (size_t i = 0; i < tok.n; i++)
            ng__toktable_add(t, tok.v[i], spam ? 1 : 0, spam ? 0 : 1);
    ng__tokens_free(&tok);
    ng_item_free(it);
}

static double classify(ng__toktable *t, const char *body)
{
    ng_item *it = make("x", body);
    ng__tokens tok = { 0 };
    double p;

    ck_assert_int_eq(ng__learn_tokens(it, &tok), NG_OK);
    p = ng__toktable_classify(t, &tok);
    ng__tokens_free(&tok);
    ng_item_free(it);
    return p;
}

START_TEST(no_opinion_then_leans)
{
    ng__toktable *t = ng__toktable_new();

    teach(t, "cheap casino bonus jackpot", 1, 12);
    teach(t, "council budget hospital railway", 0, 12);
    ng__toktable_set_totals(t, 12, NG__LEARN_MIN - 1);
    ck_assert(classify(t, "cheap casino bonus") < 0);
    ng__toktable_set_totals(t, 12, 12);
    double p = classify(t, "cheap casino bonus");
    ck_assert_msg(p > 0.9, "p = %f", p);
    ck_assert(classify(t, "council budget hospital") < 0.1);
    ck_assert(classify(t, "words never seen before") == 0.5);
    ng__toktable_free(t);
}
END_TEST

START_TEST(store_learning_is_idempotent)
{
    char path[] = "/tmp/test_learn_XXXXXX";
    int fd = mkstemp(path);
    char db[64], side[80], err[256];
    ng_store *s = NULL;
    ng__learn_state st;
    int changed;

    ck_assert_int_ge(fd, 0);
    close(fd);
    unlink(path);
    snprintf(db, sizeof db, "%s.db", path);
    ck_assert_int_eq(ng_store_open(&s, db, NG_STORE_NOSYNC, err, sizeof err),
                     NG_OK);
    ng_item *it = make("Offer", "cheap casino bonus jackpot tonight");
    ck_assert_int_eq(ng_learn(s, it, 1, &changed), NG_OK);
    ck_assert_int_eq(changed, 1);
    ck_assert_int_eq(ng_learn(s, it, 1, &changed), NG_OK);
    ck_assert_int_eq(changed, 0);
    ck_assert_int_eq(ng__learn_state_of(s, &st), NG_OK);
    ck_assert_int_eq(st.nspam, 1);
    ck_assert_int_eq(st.nham, 0);
    ck_assert_int_eq(ng_learn(s, it, 0, &changed), NG_OK);
    ck_assert_int_eq(changed, 2);
    ck_assert_int_eq(ng__learn_state_of(s, &st), NG_OK);
    ck_assert_int_eq(st.nspam, 0);
    ck_assert_int_eq(st.nham, 1);

    ng__toktable *t = ng__toktable_new();
    ck_assert_int_eq(ng__toktable_load(t, s, &st), NG_OK);
    ng__tokens tok = { 0 };
    ck_assert_int_eq(ng__learn_tokens(it, &tok), NG_OK);
    ck_assert_uint_eq(ng__toktable_size(t), tok.n);
    ng__tokens_free(&tok);
    ng__toktable_free(t);
    ng_item_free(it);
    ng_store_close(s);
    unlink(db);
    snprintf(side, sizeof side, "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db);
    unlink(side);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("learn");
    TCase *tc = tcase_create("learn");

    tcase_add_test(tc, tokens_unique_and_stable);
    tcase_add_test(tc, no_opinion_then_leans);
    tcase_add_test(tc, store_learning_is_idempotent);
    suite_add_tcase(s, tc);
    return ng_unit_run(s);
}
