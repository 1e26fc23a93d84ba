/*
 * test_batch_whole.c -- all-or-nothing batches (ng_store_batch_begin_whole,
 * core/store_api.c): items filed without a savepoint each; when one fails
 * (a trigger refuses the title BOOM), the whole batch is rolled back at
 * once, later writes answer NG_ESTATE, the commit NG_ESTORE, and nothing
 * of it is stored, not even in the duplicate index (the same text filed
 * again afterwards is no SAME_TEXT copy).  An ordinary batch keeps a
 * savepoint per item: there the failing item alone is lost.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "newsgate.h"
#include "unit.h"

static char dir[64], db[128];

static void setup(void)
{
    sqlite3 *h = NULL;
    ng_store *s = NULL;
    char err[512];

    snprintf(dir, sizeof dir, "/tmp/ng-test-bw-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/q.db", dir);
    ck_assert_msg(ng_store_open(&s, db, NG_STORE_NOSYNC, err, sizeof err)
                  == NG_OK, "%s", err);   /* creates the schema */
    ng_store_close(s);
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "CREATE TRIGGER boom BEFORE INSERT ON "
                                  "items WHEN new.title = 'BOOM' BEGIN "
                                  "SELECT RAISE(ABORT, 'boom'); END;",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

static void teardown(void)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

/* Submits a story titled `title` whose body is the same for one `seed`;
 * returns ng_submit's code, the verdict's JSON in *json (may be NULL). */
static int put(ng_engine *e, ng_store *s, const char *title, int seed,
               char **json)
{
    ng_item *it = NULL;
    ng_verdict *v = NULL;
    char body[400];
    int64_t id = 0;
    int existed = 0, rc;

    snprintf(body, sizeof body, "Story number %d: the council met on "
             "Monday and agreed the budget for the harbour, the library "
             "and the new bridge over the river, its chair said.", seed);
    ck_assert_int_eq(ng_item_new(&it), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_TITLE, title), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_BODY, body), NG_OK);
    rc = ng_submit(e, s, it, &id, &existed, &v);
    if (json)
        *json = v ? ng_verdict_json(v, id) : NULL;
    ng_verdict_free(v);
    ng_item_free(it);
    return rc;
}

static int64_t stored(ng_store *s)
{
    ng_queue_counts c;
    ck_assert_int_eq(ng_queue_count(s, &c), NG_OK);
    return c.total;
}

START_TEST(whole_batch_is_all_or_nothing)
{
    ng_engine *e = NULL;
    ng_store *s = NULL;
    char err[512], *j = NULL;

    ck_assert_int_eq(ng_engine_open(&e, NULL), NG_OK);
    ck_assert_msg(ng_engine_load_rules(e, "rules") == NG_OK, "%s",
                  ng_engine_errmsg(e));
    ck_assert_msg(ng_store_open(&s, db, NG_STORE_NOSYNC, err, sizeof err)
                  == NG_OK, "%s", err);
    ng_engine_use_store(e, s);

    ck_assert_int_eq(ng_store_batch_begin_whole(s), NG_OK);
    ck_assert_int_eq(put(e, s, "Alpha", 1, NULL), NG_OK);
    ck_assert_int_ne(put(e, s, "BOOM", 2, NULL), NG_OK);
    ck_assert_int_eq(put(e, s, "Gamma", 3, NULL), NG_ESTATE);
    ck_assert_int_eq(ng_store_batch_commit(s), NG_ESTORE);
    ck_assert_int_eq(stored(s), 0);

    /* Alpha's text again: its rolled-back copy left no duplicate key. */
    ck_assert_int_eq(ng_store_batch_begin_whole(s), NG_OK);
    ck_assert_int_eq(put(e, s, "Alpha", 1, &j), NG_OK);
    ck_assert_ptr_nonnull(j);
    ck_assert_msg(strstr(j, "SAME_TEXT") == NULL, "%s", j);
    ng_free(j);
    ck_assert_int_eq(put(e, s, "Gamma", 3, NULL), NG_OK);
    ck_assert_int_eq(ng_store_batch_commit(s), NG_OK);
    ck_assert_int_eq(stored(s), 2);

    /* A rollback asked for, after a failure or not. */
    ck_assert_int_eq(ng_store_batch_begin_whole(s), NG_OK);
    ck_assert_int_ne(put(e, s, "BOOM", 4, NULL), NG_OK);
    ck_assert_int_eq(ng_store_batch_rollback(s), NG_OK);
    ck_assert_int_eq(ng_store_batch_begin_whole(s), NG_OK);
    ck_assert_int_eq(put(e, s, "Delta", 5, NULL), NG_OK);
    ck_assert_int_eq(ng_store_batch_rollback(s), NG_OK);
    ck_assert_int_eq(stored(s), 2);

    /* An ordinary batch: the failing item alone is lost. */
    ck_assert_int_eq(ng_store_batch_begin(s), NG_OK);
    ck_assert_int_eq(put(e, s, "Delta", 5, NULL), NG_OK);
    ck_assert_int_ne(put(e, s, "BOOM", 6, NULL), NG_OK);
    ck_assert_int_eq(put(e, s, "Epsilon", 7, NULL), NG_OK);
    ck_assert_int_eq(ng_store_batch_commit(s), NG_OK);
    ck_assert_int_eq(stored(s), 4);

    /* Again the same text as a stored item: now it is a copy. */
    ck_assert_int_eq(put(e, s, "Alpha again", 1, &j), NG_OK);
    ck_assert_ptr_nonnull(j);
    ck_assert_msg(strstr(j, "SAME_TEXT") != NULL, "%s", j);
    ng_free(j);

    ng_engine_use_store(e, NULL);
    ng_store_close(s);
    ng_engine_close(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("batch_whole");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, whole_batch_is_all_or_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ng_unit_run(suite());
}
