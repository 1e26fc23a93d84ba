/*
 * test_history_cache.c -- the history counts a writing handle keeps
 * between items (core/history_cache.c) always equal the backend's own
 * count: as items of several submitters and domains are filed, across a
 * rolled-back batch, and after another connection filed items; and with
 * a cap (up_to), the backend's capped count as the window moves past a
 * flood.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "store_api.h"
#include "unit.h"

static char dir[64], db[128];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/ng-test-hc-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/q.db", dir);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

static ng_store *store(void)
{
    ng_store *s = NULL;
    char err[512];
    ck_assert_msg(ng_store_open(&s, db, NG_STORE_NOSYNC, err, sizeof err)
                  == NG_OK, "%s", err);
    return s;
}

static ng_engine *engine(ng_store *s)
{
    ng_engine *e = NULL;
    ck_assert_int_eq(ng_engine_open(&e, NULL), NG_OK);
    ck_assert_int_eq(ng_engine_load_rules(e, "tests/rules/forced"), NG_OK);
    ng_engine_use_store(e, s);
    return e;
}

static void file(ng_engine *e, ng_store *s, int i, const char *who)
{
    char json[256];
    ng_reader *r;
    ng_item *it;
    ng_verdict *v;
    int64_t id;
    int existed;

    snprintf(json, sizeof json, "{\"title\":\"t%d\",\"body\":\"b%d\","
             "\"submitter\":\"%s\",\"url\":\"https://d%d.example/%d\"}",
             i, i, who, i % 2, i);
    ck_assert_int_eq(ng_reader_open(&r, "t", json, strlen(json),
                                    NG_FORMAT_JSON, NULL), NG_OK);
    ck_assert_int_eq(ng_reader_next(r, &it), NG_OK);
    ng_reader_close(r);
    ck_assert_int_eq(ng_submit(e, s, it, &id, &existed, &v), NG_OK);
    ng_verdict_free(v);
    ng_item_free(it);
}

/* Every kept answer equals the backend's; returns the number compared. */
static int agree(ng_store *s)
{
    const char *q[][2] = { { "submitter", "u0" }, { "submitter", "u1" },
        { "submitter", "u2" }, { "domain", "d0.example" },
        { "domain", "d1.example" } };
    int64_t now = (int64_t)time(NULL), a, b;

    for (int h = 1; h <= 2; h++)
        for (size_t i = 0; i < 5; i++) {
            int64_t from = now - h * 3600;
            ck_assert_int_eq(ng__store_history(s, q[i][0], q[i][1], from,
                                               now, 0, &a), NG_OK);
            ck_assert_int_eq(s->ops->history(s, q[i][0], q[i][1], from,
                                             now, 0, &b), NG_OK);
            ck_assert_msg(a == b, "%s %s: kept %lld, store %lld", q[i][0],
                          q[i][1], (long long)a, (long long)b);
        }
    return 10;
}

START_TEST(kept_counts_equal_the_store)
{
    ng_store *s = store(), *other;
    ng_engine *e = engine(s), *e2;
    const char *who[] = { "u0", "u1", "u2" };
    int64_t n;

    for (int i = 0; i < 30; i++) {
        file(e, s, i, who[i % 3]);
        agree(s);
    }
    ck_assert_int_eq(ng__store_history(s, "domain", "d0.example", 0,
                                       (int64_t)time(NULL), 0, &n), NG_OK);
    ck_assert_int_eq(n, 15);

    /* A batch: counts inside it see its items; rolled back, they go. */
    ck_assert_int_eq(ng_store_batch_begin(s), NG_OK);
    for (int i = 30; i < 36; i++) {
        file(e, s, i, "u0");
        agree(s);
    }
    ck_assert_int_eq(ng_store_batch_rollback(s), NG_OK);
    agree(s);

    /* Another connection files: the kept counts are dropped. */
    other = store();
    e2 = engine(other);
    for (int i = 40; i < 44; i++)
        file(e2, other, i, "u1");
    agree(s);
    file(e, s, 50, "u1");
    agree(s);
    ng_engine_close(e2);
    ng_store_close(other);
    ng_engine_close(e);
    ng_store_close(s);
}
END_TEST

/* Asks the kept count and the backend the same capped question. */
static void agree_capped(ng_store *s, const char *field, const char *value,
                         int64_t from, int64_t cap)
{
    int64_t a, b;

    ck_assert_int_eq(ng__store_history(s, field, value, from, from + 3600,
                                       cap, &a), NG_OK);
    ck_assert_int_eq(s->ops->history(s, field, value, from, from + 3600,
                                     cap, &b), NG_OK);
    ck_assert_msg(a == b, "%s %s from %lld cap %lld: kept %lld, store %lld",
                  field, value, (long long)from, (long long)cap,
                  (long long)a, (long long)b);
}

START_TEST(capped_counts_equal_the_store)
{
    ng_store *s = store();
    ng_engine *e = engine(s);
    const int64_t caps[] = { 5, 20, 0, 45 };
    int64_t t0 = (int64_t)time(NULL) - 3;

    /* A flood of one submitter, asked with several caps as it grows.
     * The windows end in the future, as they never end before an item
     * already filed (the check's clock is now). */
    for (int i = 0; i < 60; i++) {
        file(e, s, i, i % 5 ? "u0" : "u1");
        agree_capped(s, "submitter", "u0", t0, caps[i % 4]);
        agree_capped(s, "domain", "d0.example", t0, 20);
    }
    /* The window moves past the flood a second at a time: the kept lower
     * bounds and exact counts fall with the store's. */
    for (int64_t from = t0; from < (int64_t)time(NULL) + 3; from += 1)
        for (size_t c = 0; c < 4; c++) {
            agree_capped(s, "submitter", "u0", from, caps[c]);
            agree_capped(s, "domain", "d1.example", from, caps[c]);
        }
    ng_engine_close(e);
    ng_store_close(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("history_cache");
    TCase *tc = tcase_create("counts");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, kept_counts_equal_the_store);
    tcase_add_test(tc, capped_counts_equal_the_store);
    suite_add_tcase(s, tc);
    return ng_unit_run(s);
}
