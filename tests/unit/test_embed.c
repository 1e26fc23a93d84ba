/*
 * test_embed.c -- embeds the library the way a submission server would,
 * through newsgate.h alone: engines on several threads at once, items
 * parsed from memory, verdicts read through the accessors and as JSON,
 * rule reloads that fail without losing the rules in force.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsgate.h"
#include "unit.h"

static const char *items_ndjson =
    "{\"title\": \"Local news\", \"body\": \"An urgent note.\", \"submitter\": \"banned\"}\n"
    "{\"title\": \"Weather\", \"body\": \"Calm and dry.\", \"submitter\": \"kim\"}\n"
    "{\"title\": \"Harbour news\", \"body\": \"URGENT: the ferry is late.\"}\n";

/* Checks every item of items_ndjson; returns the actions in acts[3]. */
static void check_all(ng_engine *e, int acts[3])
{
    ng_reader *r;
    ng_item *it;
    int n = 0, rc;

    ck_assert_int_eq(ng_reader_open(&r, "mem", items_ndjson, strlen(items_ndjson),
                                    NG_FORMAT_AUTO, NULL), NG_OK);
    while ((rc = ng_reader_next(r, &it)) == NG_OK) {
        ng_verdict *v;
        ck_assert_int_lt(n, 3);
        ck_assert_int_eq(ng_check(e, it, &v), NG_OK);
        acts[n++] = (int)ng_verdict_action(v);
        ng_verdict_free(v);
        ng_item_free(it);
    }
    ck_assert_int_eq(rc, NG_DONE);
    ck_assert_int_eq(n, 3);
    ng_reader_close(r);
}

static ng_engine *open_engine(const char *dir)
{
    ng_engine *e;
    ck_assert_int_eq(ng_engine_open(&e, NULL), NG_OK);
    ck_assert_int_eq(ng_engine_load_rules(e, dir), NG_OK);
    return e;
}

START_TEST(verdicts_through_the_api)
{
    ng_engine *e = open_engine("tests/rules/forced");
    int acts[3];

    ck_assert_uint_eq(ng_engine_rule_count(e), 4);
    ck_assert_uint_eq(strlen(ng_engine_rules_hash(e)), 16);
    check_all(e, acts);
    ck_assert_int_eq(acts[0], NG_REJECT); /* forced by FORCE_REJECT */
    ck_assert_int_eq(acts[1], NG_ACCEPT);
    ck_assert_int_eq(acts[2], NG_REVIEW); /* forced by a check's table */
    ng_engine_close(e);
}
END_TEST

START_TEST(hits_and_json)
{
    static const char *one = "{\"title\": \"News\", \"body\": \"x urgent y\"}";
    ng_engine *e = open_engine("tests/rules/forced");
    ng_reader *r;
    ng_item *it;
    ng_verdict *v;
    const ng_hit *h;
    char *json;

    ck_assert_int_eq(ng_reader_open(&r, "one", one, strlen(one), NG_FORMAT_JSON, NULL), NG_OK);
    ck_assert_int_eq(ng_reader_next(r, &it), NG_OK);
    ck_assert_int_eq(ng_check(e, it, &v), NG_OK);
    ck_assert_uint_eq(ng_verdict_hit_count(v), 3);
    h = ng_verdict_hit(v, 1);
    ck_assert_str_eq(h->rule, "FORCE_REVIEW_TABLE");
    ck_assert_str_eq(h->field, "body");
    ck_assert_int_eq(h->span_start, 2);
    ck_assert_int_eq(h->span_end, 8);
    ck_assert_ptr_null(ng_verdict_hit(v, 3));
    h = ng_verdict_hit(v, 2);
    ck_assert_int_eq(h->shadow, 1);
    ck_assert(ng_verdict_score(v) == 1.5);
    json = ng_verdict_json(v, 42);
    ck_assert_ptr_nonnull(strstr(json, "\"id\":42"));
    ck_assert_ptr_nonnull(strstr(json, "\"action\":\"review\""));
    ng_free(json);
    /* The verdict outlives the item, the reader and the engine. */
    ng_item_free(it);
    ng_reader_close(r);
    ng_engine_close(e);
    ck_assert_str_eq(ng_verdict_hit(v, 0)->rule, "SMALL");
    ng_verdict_free(v);
}
END_TEST

START_TEST(failed_reload_keeps_rules)
{
    ng_engine *e = open_engine("tests/rules/forced");
    const char *hash = ng_engine_rules_hash(e);
    char before[17];

    memcpy(before, hash, 17);
    ck_assert_int_eq(ng_engine_load_rules(e, "tests/rules/dup-name"), NG_ERULES);
    ck_assert_ptr_nonnull(strstr(ng_engine_errmsg(e), "duplicate rule name 'TWICE'"));
    ck_assert_uint_eq(ng_engine_rule_count(e), 4);
    ck_assert_str_eq(ng_engine_rules_hash(e), before);
    ng_engine_close(e);
}
END_TEST

static void *worker(void *arg)
{
    int *acts = arg;
    ng_engine *e;
    if (ng_engine_open(&e, NULL) != NG_OK || ng_engine_load_rules(e, "tests/rules/forced") != NG_OK)
        return NULL;
    for (int round = 0; round < 200; round++)
        check_all(e, acts);
    ng_engine_close(e);
    return arg;
}

START_TEST(one_engine_per_thread)
{
    pthread_t t[4];
    int acts[4][3];
    void *ret;

    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, worker, acts[i]), 0);
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(pthread_join(t[i], &ret), 0);
        ck_assert_ptr_eq(ret, acts[i]);
        ck_assert_int_eq(acts[i][0], NG_REJECT);
        ck_assert_int_eq(acts[i][1], NG_ACCEPT);
        ck_assert_int_eq(acts[i][2], NG_REVIEW);
    }
}
END_TEST

START_TEST(runaway_rules_are_bounded)
{
    static const char *one = "{\"title\": \"T\", \"body\": \"B\"}";
    ng_engine_options o = { 0 };
    ng_engine *e;
    ng_reader *r;
    ng_item *it;
    ng_verdict *v;
    struct timespec a, b;

    o.lua_memory_cap = 16u << 20;
    o.check_deadline_ms = 3600000; /* the budget and the cap are under test */
    ck_assert_int_eq(ng_engine_open(&e, &o), NG_OK);
    ck_assert_int_eq(ng_engine_load_rules(e, "tests/rules/limits"), NG_OK);
    ck_assert_int_eq(ng_reader_open(&r, "one", one, strlen(one), NG_FORMAT_AUTO, NULL), NG_OK);
    ck_assert_int_eq(ng_reader_next(r, &it), NG_OK);
    clock_gettime(CLOCK_MONOTONIC, &a);
    ck_assert_int_eq(ng_check(e, it, &v), NG_OK);
    clock_gettime(CLOCK_MONOTONIC, &b);
    /* Reported, not asserted: timings belong to make bench. */
    fprintf(stderr, "runaway rules took %.0f ms in all\n",
            (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
    ck_assert_uint_eq(ng_verdict_error_count(v), 8);
    ck_assert_str_eq(ng_verdict_error(v, 2)->rule, "EATS_MEMORY");
    ck_assert_str_eq(ng_verdict_error(v, 2)->message, "memory limit exceeded (16 MiB)");
    ck_assert_uint_eq(ng_verdict_hit_count(v), 1);
    ng_verdict_free(v);
    /* The engine is still usable after all that. */
    ck_assert_int_eq(ng_check(e, it, &v), NG_OK);
    ck_assert_uint_eq(ng_verdict_hit_count(v), 1);
    ng_verdict_free(v);
    ng_item_free(it);
    ng_reader_close(r);
    ng_engine_close(e);
}
END_TEST

START_TEST(error_names)
{
    ck_assert_str_eq(ng_strerror(NG_OK), "success");
    ck_assert_str_eq(ng_strerror_name(NG_ERULES), "NG_ERULES");
    ck_assert_str_eq(ng_strerror(9999), "unknown error");
    ck_assert_str_eq(ng_action_name(NG_REVIEW), "review");
    ng_engine_close(NULL);
    ng_verdict_free(NULL);
    ng_item_free(NULL);
    ng_reader_close(NULL);
    ng_store_close(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("embed");
    TCase *tc = tcase_create("api");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, verdicts_through_the_api);
    tcase_add_test(tc, hits_and_json);
    tcase_add_test(tc, failed_reload_keeps_rules);
    tcase_add_test(tc, one_engine_per_thread);
    tcase_add_test(tc, runaway_rules_are_bounded);
    tcase_add_test(tc, error_names);
    suite_add_tcase(s, tc);
    return ng_unit_run(s);
}
