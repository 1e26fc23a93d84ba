/*
 * test_store.c -- unit tests of the store through the public API: open
 * and refusals, submit with verdict and audit, external_id idempotency,
 * batches, moderator decisions that stick, the publisher hand-off with
 * leases, and item:history counts seen by a rule.
 *
 * With NEWSGATE_TEST_PGHOST set (tests/scripts/store-pg.sh), the same
 * tests run on PostgreSQL, each on its database ng_<test> made by the
 * script; the SQLite file refusals are left out.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "newsgate.h"
#include "store_api.h"
#include "item.h"
#include "unit.h"

static char dir[256];
static char db[600];

/* Rules: HOLD (review), KILL (reject), BUSY (submitter history >= 2). */
static const char rules_lua[] =
    "thresholds { review = 5, reject = 10 }\n"
    "rule { name = 'HOLD', group = 'test', score = 6,\n"
    "  description = 'held', check = function(item)\n"
    "    return item.title:find('HOLD', 1, true) ~= nil end }\n"
    "rule { name = 'KILL', group = 'test', score = 20,\n"
    "  description = 'killed', check = function(item)\n"
    "    return item.title:find('KILL', 1, true) ~= nil end }\n"
    "rule { name = 'BUSY', group = 'rate', score = 0.5,\n"
    "  description = 'busy submitter', check = function(item)\n"
    "    local n = item:history{submitter = true, hours = 1}\n"
    "    if n >= 2 then return true, ('%d recent'):format(n) end end }\n";

static void setup(void)
{
    char path[400];
    FILE *f;

    snprintf(dir, sizeof dir, "/tmp/ng-test-store-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/q.db", dir);
    snprintf(path, sizeof path, "%s/rules", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/rules/test.lua", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(rules_lua, f);
    fclose(f);
}

static void teardown(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

/* Points db at the test cluster's database ng_<name>, or keeps the
 * SQLite file (unit.h). */
static void use_db(const char *name)
{
    ng_unit_pg_db(db, sizeof db, name);
}

static ng_engine *engine(void)
{
    ng_engine *e = NULL;
    char path[400];

    snprintf(path, sizeof path, "%s/rules", dir);
    ck_assert_int_eq(ng_engine_open(&e, NULL), NG_OK);
    ck_assert_msg(ng_engine_load_rules(e, path) == NG_OK, "%s",
                  ng_engine_errmsg(e));
    return e;
}

static ng_store *store(int flags)
{
    ng_store *s = NULL;
    char err[512];
    int rc = ng_store_open(&s, db, flags | NG_STORE_NOSYNC, err, sizeof err);
    ck_assert_msg(rc == NG_OK, "open: %s", err);
    return s;
}

/* A new item; ext may be NULL. */
static ng_item *item(const char *title, const char *submitter,
                     const char *ext)
{
    ng_item *it = ng__item_new();
    ck_assert_ptr_nonnull(it);
    it->title = strdup(title);
    it->body = strdup("Some body text for the item.");
    it->body_text = strdup(it->body);
    it->submitter = submitter ? strdup(submitter) : NULL;
    it->external_id = ext ? strdup(ext) : NULL;
    it->url = strdup("https://www.example.org/news/1");
    it->submitted_unix = (int64_t)time(NULL);
    return it;
}

/* Submits one item; returns its id, sets *action. */
static int64_t submit(ng_engine *e, ng_store *s, const char *title,
                      const char *submitter, const char *ext, int *existed)
{
    ng_item *it = item(title, submitter, ext);
    ng_verdict *v = NULL;
    int64_t id = 0;
    int ex = 0;
    int rc = ng_submit(e, s, it, &id, &ex, &v);
    ck_assert_msg(rc == NG_OK, "submit: %s", ng_store_errmsg(s));
    ck_assert_int_gt(id, 0);
    ck_assert(ex ? v == NULL : v != NULL);
    if (existed)
        *existed = ex;
    ng_verdict_free(v);
    ng_item_free(it);
    return id;
}

/* queue show as a parsed object. */
static json_t *show(ng_store *s, int64_t id)
{
    char *text = NULL;
    ck_assert_int_eq(ng_queue_show(s, id, &text), NG_OK);
    json_t *j = json_loads(text, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ng_free(text);
    return j;
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static size_t list_count(ng_store *s, const char *status, const char *rule)
{
    ng_queue_filter f = { .status = status, .rule = rule, .limit = 1000 };
    char *text = NULL;
    ck_assert_int_eq(ng_queue_list(s, &f, &text), NG_OK);
    json_t *j = json_loads(text, 0, NULL);
    ck_assert(json_is_array(j));
    size_t n = json_array_size(j);
    json_decref(j);
    ng_free(text);
    return n;
}

START_TEST(submit_files_status_verdict_audit)
{
    use_db("submit_files_status_verdict_audit");
    ng_engine *e = engine();
    ng_store *s = store(0);
    int64_t a = submit(e, s, "Plain news", "ann", NULL, NULL);
    int64_t r = submit(e, s, "HOLD this", "bob", NULL, NULL);
    int64_t k = submit(e, s, "KILL this", "cy", NULL, NULL);

    ck_assert(a < r && r < k);
    json_t *j = show(s, r);
    ck_assert_str_eq(jstr(j, "status"), "review");
    ck_assert_str_eq(jstr(j, "action"), "review");
    json_t *v = json_object_get(j, "verdict");
    ck_assert_int_eq(json_integer_value(json_object_get(v, "id")), r);
    json_t *hits = json_object_get(v, "hits");
    ck_assert_int_eq(json_array_size(hits), 1);
    ck_assert_str_eq(jstr(json_array_get(hits, 0), "rule"), "HOLD");
    ck_assert_str_eq(jstr(json_object_get(j, "item"), "title"), "HOLD this");
    json_t *audit = json_object_get(j, "audit");
    ck_assert_int_eq(json_array_size(audit), 1);
    ck_assert_str_eq(jstr(json_array_get(audit, 0), "action"), "verdict");
    ck_assert_ptr_nonnull(jstr(json_array_get(audit, 0), "rules_hash"));
    json_decref(j);
    ck_assert_int_eq(list_count(s, NULL, NULL), 3);
    ck_assert_int_eq(list_count(s, "accepted", NULL), 1);
    ck_assert_int_eq(list_count(s, "rejected", NULL), 1);
    ck_assert_int_eq(list_count(s, NULL, "KILL"), 1);
    char *text = NULL;
    /* Filters that cannot match are errors, not empty lists. */
    ng_queue_filter bad = { .rule = "NO_SUCH_RULE" };
    ck_assert_int_eq(ng_queue_list(s, &bad, &text), NG_EINVAL);
    ck_assert_ptr_null(text);
    ck_assert_ptr_nonnull(strstr(ng_store_errmsg(s), "unknown rule 'NO_SUCH_RULE'"));
    bad = (ng_queue_filter){ .status = "approved" };
    ck_assert_int_eq(ng_queue_list(s, &bad, &text), NG_EINVAL);
    ck_assert_ptr_nonnull(strstr(ng_store_errmsg(s), "unknown status 'approved'"));
    int64_t total = -1;
    ck_assert_int_eq(ng_queue_total(s, &bad, &total), NG_EINVAL);
    ck_assert_int_eq(total, 0);
    ck_assert_int_eq(ng_queue_show(s, 999, &text), NG_ENOTFOUND);
    ck_assert_ptr_null(text);
    ng_store_close(s);
    ng_engine_close(e);
}
END_TEST

START_TEST(list_pages_counts_and_says_why)
{
    use_db("list_pages_counts_and_says_why");
    ng_engine *e = engine();
    ng_store *s = store(0);
    char *text = NULL;
    int64_t total = 0;

    for (int i = 0; i < 5; i++)
        submit(e, s, i % 2 ? "HOLD this" : "Plain news", i < 3 ? "ann" : "bob",
               NULL, NULL);
    submit(e, s, "KILL HOLD", "cy", NULL, NULL);
    /* Offset and limit page through; count ignores them. */
    ng_queue_filter f = { .limit = 2, .offset = 2 };
    ck_assert_int_eq(ng_queue_total(s, &f, &total), NG_OK);
    ck_assert_int_eq(total, 6);
    ck_assert_int_eq(ng_queue_list(s, &f, &text), NG_OK);
    json_t *j = json_loads(text, 0, NULL);
    ng_free(text);
    ck_assert_int_eq(json_array_size(j), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(j, 0), "id")), 3);
    json_decref(j);
    /* Submitter filter. */
    f = (ng_queue_filter){ .submitter = "bob" };
    ck_assert_int_eq(ng_queue_total(s, &f, &total), NG_OK);
    ck_assert_int_eq(total, 2);
    /* Why: the forcing rule, and the top rules by score. */
    f = (ng_queue_filter){ .submitter = "cy" };
    ck_assert_int_eq(ng_queue_list(s, &f, &text), NG_OK);
    j = json_loads(text, 0, NULL);
    ng_free(text);
    json_t *row = json_array_get(j, 0), *top = json_object_get(row, "top_rules");
    ck_assert_int_eq(json_array_size(top), 2);
    ck_assert_str_eq(json_string_value(json_array_get(top, 0)), "KILL");
    ck_assert_str_eq(json_string_value(json_array_get(top, 1)), "HOLD");
    ck_assert(json_is_null(json_object_get(row, "forced_by")));
    json_decref(j);
    ng_store_close(s);
    ng_engine_close(e);
}
END_TEST

START_TEST(external_id_is_idempotent)
{
    use_db("external_id_is_idempotent");
    ng_engine *e = engine();
    ng_store *s = store(0);
    int ex = -1;
    int64_t a = submit(e, s, "First", "ann", "key-1", &ex);
    ck_assert_int_eq(ex, 0);
    int64_t b = submit(e, s, "Second, same key", "ann", "key-1", &ex);
    ck_assert_int_eq(ex, 1);
    ck_assert_int_eq(a, b);
    ck_assert_int_eq(list_count(s, NULL, NULL), 1);
    /* Inside a batch the earlier insert is seen too. */
    ck_assert_int_eq(ng_store_batch_begin(s), NG_OK);
    int64_t c = submit(e, s, "Third", "ann", "key-2", &ex);
    int64_t d = submit(e, s, "Third again", "ann", "key-2", &ex);
    ck_assert_int_eq(ex, 1);
    ck_assert_int_eq(c, d);
    ck_assert_int_eq(ng_store_batch_commit(s), NG_OK);
    ck_assert_int_eq(list_count(s, NULL, NULL), 2);
    ng_store_close(s);
    ng_engine_close(e);
}
END_TEST

START_TEST(batch_rollback_and_commit)
{
    use_db("batch_rollback_and_commit");
    ng_engine *e = engine();
    ng_store *s = store(0);
    ck_assert_int_eq(ng_store_batch_begin(s), NG_OK);
    ck_assert_int_eq(ng_store_batch_begin(s), NG_ESTATE);
    submit(e, s, "One", NULL, NULL, NULL);
    submit(e, s, "Two", NULL, NULL, NULL);
    ck_assert_int_eq(ng_store_batch_rollback(s), NG_OK);
    ck_assert_int_eq(list_count(s, NULL, NULL), 0);
    ck_assert_int_eq(ng_store_batch_begin(s), NG_OK);
    submit(e, s, "Three", NULL, NULL, NULL);
    ck_assert_int_eq(ng_store_batch_commit(s), NG_OK);
    ng_store_close(s);
    s = store(NG_STORE_READONLY);
    ck_assert_int_eq(list_count(s, NULL, NULL), 1);
    ng_store_close(s);
    ng_engine_close(e);
}
END_TEST

START_TEST(decisions_stick)
{
    use_db("decisions_stick");
    ng_engine *e = engine();
    ng_store *s = store(0);
    int64_t r = submit(e, s, "HOLD me", "ann", NULL, NULL);
    int64_t k = submit(e, s, "KILL me", "ann", NULL, NULL);

    ck_assert_int_eq(ng_queue_approve(s, r, NULL, NULL), NG_EINVAL);
    ck_assert_int_eq(ng_queue_reject(s, k, "mod", NULL), NG_EINVAL);
    ck_assert_int_eq(ng_queue_approve(s, r, "mod", "fine"), NG_OK);
    ck_assert_int_eq(ng_queue_approve(s, 4242, "mod", NULL), NG_ENOTFOUND);
    json_t *j = show(s, r);
    ck_assert_str_eq(jstr(j, "status"), "accepted");
    ck_assert_str_eq(jstr(j, "decided_by"), "mod");
    json_t *last = json_array_get(json_object_get(j, "audit"), 1);
    ck_assert_str_eq(jstr(last, "action"), "approve");
    ck_assert_str_eq(jstr(last, "detail"), "fine");
    ck_assert_str_eq(jstr(last, "actor"), "mod");
    json_decref(j);

    /* A later automatic verdict (a reject) leaves the approval alone... */
    ng_item *it = item("KILL now", "ann", NULL);
    ng_verdict *v = NULL;
    ck_assert_int_eq(ng_check(e, it, &v), NG_OK);
    int changed = -1;
    ck_assert_int_eq(ng__store_refile(s, r, v, &changed), NG_OK);
    ck_assert_int_eq(changed, 0);
    j = show(s, r);
    ck_assert_str_eq(jstr(j, "status"), "accepted");
    json_decref(j);
    /* ...but refiles an item no human decided. */
    ck_assert_int_eq(ng__store_refile(s, k,
                                      v, &changed), NG_OK);
    ck_assert_int_eq(changed, 1);
    ng_verdict_free(v);
    ng_item_free(it);

    ck_assert_int_eq(ng_queue_reject(s, k, "mod", "spam"), NG_OK);
    j = show(s, k);
    ck_assert_str_eq(jstr(j, "status"), "rejected");
    json_decref(j);
    ng_store_close(s);
    ng_engine_close(e);
}
END_TEST

START_TEST(claim_ack_release_lease)
{
    use_db("claim_ack_release_lease");
    ng_engine *e = engine();
    ng_store *s = store(0);
    int64_t a = submit(e, s, "First", NULL, NULL, NULL);
    int64_t h = submit(e, s, "HOLD", NULL, NULL, NULL);
    int64_t b = submit(e, s, "Second", NULL, NULL, NULL);
    int64_t id = 0, id2 = 0;

    ck_assert_int_eq(ng_queue_claim(s, 60, "pub", &id), NG_OK);
    ck_assert_int_eq(id, a);
    ck_assert_int_eq(ng_queue_claim(s, 60, "pub", &id2), NG_OK);
    ck_assert_int_eq(id2, b);     /* the review item is not handed out */
    ck_assert_int_eq(ng_queue_claim(s, 60, "pub", &id), NG_EEMPTY);
    ck_assert_int_eq(id, 0);
    ck_assert_int_eq(ng_queue_ack(s, a, "pub"), NG_OK);
    ck_assert_int_eq(ng_queue_ack(s, a, "pub"), NG_ESTATE);
    ck_assert_int_eq(ng_queue_ack(s, h, "pub"), NG_ESTATE);
    ck_assert_int_eq(ng_queue_ack(s, 999, "pub"), NG_ENOTFOUND);
    ck_assert_int_eq(ng_queue_approve(s, a, "mod", NULL), NG_ESTATE);
    ck_assert_int_eq(ng_queue_release(s, b, "other"), NG_ESTATE);
    ck_assert_int_eq(ng_queue_release(s, b, "pub"), NG_OK);
    ck_assert_int_eq(ng_queue_claim(s, 1, "pub2", &id), NG_OK);
    ck_assert_int_eq(id, b);
    /* Approving the review item makes it claimable after b. */
    ck_assert_int_eq(ng_queue_approve(s, h, "mod", NULL), NG_OK);
    ck_assert_int_eq(ng_queue_claim(s, 60, "pub", &id), NG_OK);
    ck_assert_int_eq(id, h);
    ck_assert_int_eq(ng_queue_claim(s, 60, "pub", &id), NG_EEMPTY);
    sleep(2);                     /* b's 1 s lease expires */
    ck_assert_int_eq(ng_queue_claim(s, 60, "pub3", &id), NG_OK);
    ck_assert_int_eq(id, b);
    ck_assert_int_eq(ng_queue_ack(s, b, "pub3"), NG_OK);
    ck_assert_int_eq(list_count(s, "published", NULL), 2);
    ng_store_close(s);
    ng_engine_close(e);
}
END_TEST

START_TEST(history_counts_for_rules)
{
    use_db("history_counts_for_rules");
    ng_engine *e = engine();
    ng_store *s = store(0);
    submit(e, s, "One", "ann", NULL, NULL);
    submit(e, s, "Two", "ann", NULL, NULL);
    submit(e, s, "Other", "bob", NULL, NULL);
    int64_t id = submit(e, s, "Three", "ann", NULL, NULL);
    json_t *j = show(s, id);
    json_t *hits = json_object_get(json_object_get(j, "verdict"), "hits");
    ck_assert_int_eq(json_array_size(hits), 1);
    ck_assert_str_eq(jstr(json_array_get(hits, 0), "rule"), "BUSY");
    ck_assert_str_eq(jstr(json_array_get(hits, 0), "detail"), "2 recent");
    json_decref(j);
    int64_t n = 0, now = (int64_t)time(NULL);
    ck_assert_int_eq(ng__store_history(s, "domain", "example.org",
                                       now - 60, now + 60, 0, &n), NG_OK);
    ck_assert_int_eq(n, 4);
    ng_store_close(s);

    /* Read-only: look-ups work, writes are refused. */
    s = store(NG_STORE_READONLY);
    ng_engine_use_store(e, s);
    ng_item *it = item("Four", "ann", NULL);
    ng_verdict *v = NULL;
    ck_assert_int_eq(ng_check(e, it, &v), NG_OK);
    ck_assert_int_eq(ng_verdict_hit_count(v), 1);
    ng_verdict_free(v);
    int64_t nid = 0;
    int ex = 0;
    ck_assert_int_eq(ng_submit(e, s, it, &nid, &ex, &v), NG_ESTATE);
    ck_assert_int_eq(ng_queue_approve(s, 1, "mod", NULL), NG_ESTATE);
    ng_item_free(it);
    ng_engine_use_store(e, NULL);
    ng_store_close(s);
    ng_engine_close(e);
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(refuses_bad_files)
{
    ng_store *s = NULL;
    char err[512], path[400];

    snprintf(path, sizeof path, "%s/notadb", dir);
    write_file(path, "this is not a database, just some text that is long "
               "enough to fill a header of one hundred bytes or so, you "
               "see, yes indeed, quite long.\n");
    ck_assert_int_eq(ng_store_open(&s, path, 0, err, sizeof err), NG_ENOTDB);
    ck_assert_ptr_null(s);
    ck_assert_ptr_nonnull(strstr(err, path));
    FILE *f = fopen(path, "r");
    char buf[8] = "";
    ck_assert_int_eq(fread(buf, 1, 4, f), 4);
    fclose(f);
    ck_assert_int_eq(memcmp(buf, "this", 4), 0);     /* untouched */

    snprintf(path, sizeof path, "%s/missing/q.db", dir);
    ck_assert_int_eq(ng_store_open(&s, path, 0, err, sizeof err), NG_EIO);
    ck_assert_ptr_nonnull(strstr(err, "does not exist"));
    snprintf(path, sizeof path, "%s/absent.db", dir);
    ck_assert_int_eq(ng_store_open(&s, path, NG_STORE_READONLY, err,
                                   sizeof err), NG_EIO);
    ck_assert_int_eq(access(path, F_OK), -1);

    /* A newer schema: user_version lives at byte 60 of the header. */
    s = store(0);
    ng_store_close(s);
    f = fopen(db, "r+b");
    ck_assert_ptr_nonnull(f);
    fseek(f, 60, SEEK_SET);
    fputc(0, f); fputc(0, f); fputc(0, f); fputc(99, f);
    fclose(f);
    ck_assert_int_eq(ng_store_open(&s, db, 0, err, sizeof err), NG_EVERSION);
    ck_assert_ptr_nonnull(strstr(err, "newer"));
    ck_assert_ptr_nonnull(strstr(err, db));

    if (geteuid() != 0) {       /* root writes anywhere */
        snprintf(path, sizeof path, "%s/ro", dir);
        ck_assert_int_eq(mkdir(path, 0555), 0);
        snprintf(path, sizeof path, "%s/ro/q.db", dir);
        ck_assert_int_eq(ng_store_open(&s, path, 0, err, sizeof err),
                         NG_EIO);
    }
}
END_TEST

int main(void)
{
    Suite *su = suite_create("store");
    TCase *tc = tcase_create("store");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, submit_files_status_verdict_audit);
    tcase_add_test(tc, list_pages_counts_and_says_why);
    tcase_add_test(tc, external_id_is_idempotent);
    tcase_add_test(tc, batch_rollback_and_commit);
    tcase_add_test(tc, decisions_stick);
    tcase_add_test(tc, claim_ack_release_lease);
    tcase_add_test(tc, history_counts_for_rules);
    if (!ng_unit_pghost())
        tcase_add_test(tc, refuses_bad_files);
    suite_add_tcase(su, tc);
    return ng_unit_run(su);
}
