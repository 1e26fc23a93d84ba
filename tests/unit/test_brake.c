/*
 * test_brake.c -- unit tests for core/brake.c: when the emergency brake
 * trips and when it must not.
 */
#include <check.h>
#include <string.h>

#include "brake.h"
#include "unit.h"

static const ng__brake_opts small = { 10, 50, 0.5, 5 };

/* Feeds `n` outcomes (every `every`-th a hit; 1 = all) and returns the
 * 1-based observation that tripped, or 0. */
static int feed(ng__brake *b, const char *rule, int n, int every)
{
    char why[128];
    for (int i = 1; i <= n; i++)
        if (ng__brake_observe(b, rule, i % every == 0, why, sizeof why) == 1)
            return i;
    return 0;
}

START_TEST(runaway_rule_trips)
{
    ng__brake *b = ng__brake_new(&small);
    char why[128];
    int at;

    ck_assert_int_eq(feed(b, "RARE", 60, 10), 0);      /* 10% for a while */
    at = feed(b, "RARE", 20, 1);                       /* then everything */
    ck_assert_msg(at >= 4 && at <= 5, "tripped after %d", at);
    /* Once tripped it stays quiet until reset. */
    ck_assert_int_eq(ng__brake_observe(b, "RARE", 1, why, sizeof why), 0);
    ng__brake_free(b);
}
END_TEST

START_TEST(steady_rule_never_trips)
{
    ng__brake *b = ng__brake_new(&small);
    char why[128];
    int tripped = 0;

    ck_assert_int_eq(feed(b, "QUIET", 300, 7), 0);
    /* From 1 in 7 to 3 in 5: above `share`, but under `factor` times the
     * history, so not a runaway. */
    ck_assert_int_eq(feed(b, "RISING", 60, 7), 0);
    for (int i = 0; i < 200; i++)
        tripped |= ng__brake_observe(b, "RISING", i % 5 < 3, why, sizeof why) == 1;
    ck_assert_int_eq(tripped, 0);
    ng__brake_free(b);
}
END_TEST

START_TEST(new_rule_without_history)
{
    ng__brake *b = ng__brake_new(&small);
    char why[128] = "";

    /* Hitting everything from the start is what the rule does: no
     * history says otherwise, so it is never "sudden". */
    ck_assert_int_eq(feed(b, "NEW", 200, 1), 0);
    ng__brake_free(b);
    b = ng__brake_new(&small);
    /* Quiet for two windows, then everything: the third window trips. */
    ck_assert_int_eq(feed(b, "LATE", 20, 1000), 0);
    for (int i = 1; i <= 10; i++)
        ck_assert_int_eq(ng__brake_observe(b, "LATE", 1, why, sizeof why), i == 5);
    ck_assert_str_eq(why, "hit 5 of the last 10 submissions; 0.0% of the 15 before");
    ng__brake_free(b);
}
END_TEST

START_TEST(rules_are_independent_and_reset)
{
    ng__brake *b = ng__brake_new(&small);

    ck_assert_int_eq(feed(b, "A", 100, 20), 0);
    ck_assert_int_eq(feed(b, "B", 100, 20), 0);
    ck_assert_int_ne(feed(b, "A", 20, 1), 0);
    ck_assert_int_eq(feed(b, "B", 100, 20), 0);        /* B unaffected */
    ng__brake_reset(b, "A");
    ck_assert_int_eq(feed(b, "A", 19, 1), 0);          /* history again */
    ck_assert_int_eq(feed(b, "A", 100, 1), 0);         /* now its normal */
    ng__brake_free(b);
}
END_TEST

START_TEST(history_slides)
{
    /* A rule that was busy long ago and quiet since: the old busy time
     * leaves the history, so a new burst is judged against quiet. */
    ng__brake *b = ng__brake_new(&small);
    ck_assert_int_eq(feed(b, "S", 60, 1), 0);          /* busy from the start */
    ck_assert_int_eq(feed(b, "S", 200, 50), 0);        /* then quiet */
    ck_assert_int_ne(feed(b, "S", 10, 1), 0);          /* a burst trips */
    ng__brake_free(b);
}
END_TEST

START_TEST(rearm_trips_again)
{
    ng__brake *b = ng__brake_new(&small);
    char why[128];

    ck_assert_int_eq(feed(b, "R", 60, 10), 0);
    ck_assert_int_ne(feed(b, "R", 10, 1), 0);
    ck_assert_int_eq(ng__brake_observe(b, "R", 1, why, sizeof why), 0);
    ng__brake_rearm(b);
    ck_assert_int_eq(ng__brake_observe(b, "R", 1, why, sizeof why), 1);
    ng__brake_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("brake");
    TCase *tc = tcase_create("brake");

    tcase_add_test(tc, runaway_rule_trips);
    tcase_add_test(tc, steady_rule_never_trips);
    tcase_add_test(tc, new_rule_without_history);
    tcase_add_test(tc, rules_are_independent_and_reset);
    tcase_add_test(tc, history_slides);
    tcase_add_test(tc, rearm_trips_again);
    suite_add_tcase(s, tc);
    return ng_unit_run(s);
}
