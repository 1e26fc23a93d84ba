/*
 * test_sqlite_schema.c -- the SQLite backend's schema, tested below the
 * operations table (so, unlike the other unit tests, it includes the
 * backend's private header and sqlite3.h):
 *
 *   - every `queue list` filter combination, the claim query and the
 *     per-item look-ups (history counts, external_id, status) are
 *     answered from an index: no query plan step scans a table;
 *   - a database made by the previous schema (version 1, its SQL copied
 *     here as it was) is migrated on open: items, verdicts, audit trail
 *     and duplicate keys kept, rule runs of misses thinned to the sample,
 *     the item stored once (as JSON) with title and submitter read from
 *     it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "newsgate.h"
#include "sqlite_impl.h"
#include "unit.h"

static char dir[128], db[256];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/ng-test-schema-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/q.db", dir);
}

static void teardown(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

/* Appends the query plan of `sql` on `h` to out[n], one step a line. */
static void plan(sqlite3 *h, const char *sql, char *out, size_t n)
{
    char eqp[1024];
    sqlite3_stmt *st;
    size_t used = 0;

    snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", sql);
    ck_assert_int_eq(sqlite3_prepare_v2(h, eqp, -1, &st, NULL), SQLITE_OK);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW && used < n) {
        int w = snprintf(out + used, n - used, "%s\n",
                         (const char *)sqlite3_column_text(st, 3));
        used += w > 0 ? (size_t)w : 0;
    }
    sqlite3_finalize(st);
}

/* A plan that reads a table from end to end has a "SCAN t" step without
 * an index ("SCAN i USING INDEX ..." walks an index in order). */
static int scans_table(const char *p)
{
    /* Reading a subquery's rows (a capped count) is no table scan. */
    for (const char *s = strstr(p, "SCAN "); s; s = strstr(s + 1, "SCAN "))
        if (strncmp(s, "SCAN (subquery-", 15) != 0
            && (!strstr(s, "USING") || strchr(s, '\n') < strstr(s, "USING")))
            return 1;
    return 0;
}

static int64_t count(sqlite3 *h, const char *sql);

START_TEST(list_filters_use_indexes)
{
    ng_store *s = NULL;
    char sql[768], p[2048];

    /* The detector itself. */
    ck_assert(scans_table("SCAN items\n"));
    ck_assert(scans_table("SEARCH r USING INDEX x (rule=?)\nSCAN i\n"));
    ck_assert(!scans_table("SEARCH items USING INDEX x (a=?)\n"));
    ck_assert(!scans_table("SCAN i USING INDEX items_submitted\n"));
    ck_assert(!scans_table("SEARCH items USING INDEX x (a=?)\nSCAN (subquery-1)\n"));
    ck_assert_int_eq(ng_store_open(&s, db, 0, NULL, 0), NG_OK);
    sqlite3 *h = ng__sqlite_of(s)->db;
    /* Mask 0 (no filter) reads by id up to the limit: a scan by design. */
    for (unsigned m = 1; m < NG__LIST_COMBOS; m++) {
        ck_assert_ptr_nonnull(ng__sqlite_list_sql(m, sql, sizeof sql));
        plan(h, sql, p, sizeof p);
        ck_assert_msg(!scans_table(p), "filters %u: %s\n%s", m, sql, p);
        ck_assert_msg(!strstr(p, "TEMP B-TREE"), "filters %u sort: %s", m,
                      p);
    }
    plan(h, ng__sqlite_sql(ST_CLAIM), p, sizeof p);
    ck_assert_msg(!scans_table(p), "claim: %s", p);
    ck_assert_ptr_nonnull(strstr(p, "SEARCH items USING INDEX"));
    /* The look-ups rules and submit make per item. */
    static const int per_item[] = {
        ST_HIST_SUBMITTER, ST_HIST_DOMAIN, ST_FIND_EXT, ST_DESCRIBE,
        ST_STATUS,
    };
    for (size_t i = 0; i < sizeof per_item / sizeof *per_item; i++) {
        plan(h, ng__sqlite_sql(per_item[i]), p, sizeof p);
        ck_assert_msg(!scans_table(p), "%s\n%s",
                      ng__sqlite_sql(per_item[i]), p);
    }
    /* Every question by domain is by received time (schema v12 dropped
     * items_domain, by submission time, which none asked). */
    static const int by_domain[] = { ST_HIST_DOMAIN, ST_HISTD_DOMAIN };
    for (size_t i = 0; i < sizeof by_domain / sizeof *by_domain; i++) {
        plan(h, ng__sqlite_sql(by_domain[i]), p, sizeof p);
        ck_assert_msg(!scans_table(p) && strstr(p, "items_domain_rx"),
                      "%s\n%s", ng__sqlite_sql(by_domain[i]), p);
    }
    ck_assert_int_eq(count(h, "SELECT count(*) FROM sqlite_schema"
                              " WHERE name = 'items_domain'"), 0);
    /* The brake's read at start: the runs of the last items by index,
     * not an automatic index over all of rule_runs (schema v9). */
    plan(h, ng__sqlite_sql(ST_RECENT_RUNS), p, sizeof p);
    ck_assert_msg(!scans_table(p) && !strstr(p, "AUTOMATIC")
                  && strstr(p, "rule_runs_item"), "recent runs: %s", p);
    ng_store_close(s);
}
END_TEST

/* The version 1 schema, as the previous build wrote it. */
static const char schema_v1[] =
    "CREATE TABLE items ("
    " id INTEGER PRIMARY KEY,"
    " external_id TEXT UNIQUE,"
    " title TEXT NOT NULL, body TEXT NOT NULL,"
    " url TEXT, domain TEXT, source TEXT, author TEXT, submitter TEXT,"
    " submitted_at INTEGER NOT NULL,"
    " received_at INTEGER NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN"
    "  ('accepted','review','rejected','published')),"
    " action TEXT NOT NULL CHECK (action IN ('accept','review','reject')),"
    " score REAL NOT NULL,"
    " verdict TEXT NOT NULL,"
    " rules_hash TEXT,"
    " decided_by TEXT, decided_at INTEGER,"
    " lease_until INTEGER, lease_by TEXT,"
    " published_at INTEGER,"
    " item TEXT NOT NULL);"
    "CREATE INDEX items_status ON items(status, id);"
    "CREATE INDEX items_claimable ON items(id) WHERE status = 'accepted';"
    "CREATE INDEX items_submitted ON items(submitted_at);"
    "CREATE INDEX items_submitter ON items(submitter, submitted_at)"
    " WHERE submitter IS NOT NULL;"
    "CREATE INDEX items_domain ON items(domain, submitted_at)"
    " WHERE domain IS NOT NULL;"
    "CREATE TABLE audit ("
    " id INTEGER PRIMARY KEY,"
    " item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
    " at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
    " detail TEXT, rules_hash TEXT);"
    "CREATE INDEX audit_item ON audit(item_id, id);"
    "CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
    "CREATE TABLE rule_runs ("
    " item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
    " rule TEXT NOT NULL, hit INTEGER NOT NULL, us INTEGER NOT NULL);"
    "CREATE INDEX rule_runs_hits ON rule_runs(rule, item_id) WHERE hit = 1;"
    "CREATE TABLE dup_keys ("
    " item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,"
    " url_canon TEXT, text_hash INTEGER, title_hash INTEGER,"
    " bands BLOB NOT NULL, shingles BLOB NOT NULL);"
    "CREATE INDEX dup_keys_url ON dup_keys(url_canon)"
    " WHERE url_canon IS NOT NULL;"
    "CREATE INDEX dup_keys_text ON dup_keys(text_hash);"
    "CREATE INDEX dup_keys_title ON dup_keys(title_hash);"
    "PRAGMA user_version = 1;";

/* Rows as a version 1 build filed them: items 1..3 (3 decided by a
 * human), their audit entries, two rule runs each (a hit on item 2) and
 * duplicate keys. */
static const char rows_v1[] =
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
    " WHERE i < 3)"
    "INSERT INTO items (id, external_id, title, body, url, domain,"
    " submitter, submitted_at, received_at, status, action, score, verdict,"
    " rules_hash, decided_by, item)"
    " SELECT i, 'ext-' || i, 'Title ' || i, 'Body ' || i,"
    " 'https://example.org/' || i, 'example.org', 'sub' || (i % 2),"
    " 1000 + i, 2000 + i,"
    " CASE i WHEN 2 THEN 'review' WHEN 3 THEN 'rejected' ELSE 'accepted'"
    " END, CASE i WHEN 2 THEN 'review' ELSE 'accept' END, i,"
    " '{\"id\":' || i || ',\"action\":\"accept\"}', 'h1',"
    " CASE i WHEN 3 THEN 'mod' END,"
    " json_object('title', 'Title ' || i, 'body', 'Body ' || i,"
    "  'url', 'https://example.org/' || i, 'submitter', 'sub' || (i % 2),"
    "  'external_id', 'ext-' || i)"
    " FROM n;"
    "INSERT INTO audit (item_id, at, actor, action, detail, rules_hash)"
    " SELECT id, 2000 + id, 'newsgate', 'verdict', status, 'h1' FROM items;"
    "INSERT INTO audit (item_id, at, actor, action, detail)"
    " VALUES (3, 2100, 'mod', 'reject', 'spam');"
    "INSERT INTO rule_runs SELECT id, 'A', id = 2, 5 FROM items;"
    "INSERT INTO rule_runs SELECT id, 'B', 0, 7 FROM items;"
    "INSERT INTO dup_keys SELECT id, 'example.org/' || id, id, id,"
    " x'0100000002000000', x'03000000' FROM items;";

static int64_t count(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st;
    int64_t n = -1;

    ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

START_TEST(migrates_version_1)
{
    sqlite3 *h;
    char *err = NULL;

    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(h, schema_v1, NULL, NULL, &err) == SQLITE_OK
                  && sqlite3_exec(h, rows_v1, NULL, NULL, &err)
                     == SQLITE_OK, "%s", err ? err : "");
    sqlite3_close(h);

    ng_store *s = NULL;
    char msg[256];
    ck_assert_int_eq(ng_store_open(&s, db, 0, msg, sizeof msg), NG_OK);
    h = ng__sqlite_of(s)->db;
    ck_assert_int_eq(count(h, "PRAGMA user_version"), NG__SCHEMA_VERSION);
    ck_assert_int_eq(count(h, "SELECT count(*) FROM items"), 3);
    ck_assert_int_eq(count(h, "SELECT count(*) FROM audit"), 4);
    ck_assert_int_eq(count(h, "SELECT count(*) FROM dup_keys"), 3);
    /* The misses go (none of ids 1..3 is a sample); the hit stays. */
    ck_assert_int_eq(count(h, "SELECT count(*) FROM rule_runs"), 1);
    ck_assert_int_eq(count(h, "SELECT count(*) FROM pragma_table_info"
                              "('items') WHERE name = 'body'"), 0);
    ck_assert_int_eq(count(h, "SELECT count(*) FROM items WHERE"
                              " title = 'Title 2' AND submitter = 'sub0'"
                              " AND id = 2 AND decided_by IS NULL"), 1);
    ck_assert_int_eq(count(h, "PRAGMA foreign_keys"), 1);
    ck_assert_int_eq(count(h, "SELECT count(*) FROM sqlite_schema WHERE"
                              " name IN ('items_domain', 'items_domain_rx')"),
                     1);

    /* The queue reads the migrated rows: filters, show, the hit. */
    char *json = NULL;
    ng_queue_filter f = { .rule = "A" };
    ck_assert_int_eq(ng_queue_list(s, &f, &json), NG_OK);
    ck_assert_ptr_nonnull(strstr(json, "\"title\":\"Title 2\""));
    ck_assert_ptr_null(strstr(json, "Title 1"));
    ng_free(json);
    f = (ng_queue_filter){ .submitter = "sub1", .status = "rejected" };
    ck_assert_int_eq(ng_queue_list(s, &f, &json), NG_OK);
    ck_assert_ptr_nonnull(strstr(json, "\"id\":3"));
    ck_assert_ptr_null(strstr(json, "\"id\":1,"));
    ng_free(json);
    ck_assert_int_eq(ng_queue_show(s, 3, &json), NG_OK);
    ck_assert_ptr_nonnull(strstr(json, "spam"));
    ck_assert_ptr_nonnull(strstr(json, "Body 3"));
    ng_free(json);
    /* A human's decision still sticks after the migration. */
    int64_t id = 0;
    ck_assert_int_eq(ng_queue_claim(s, 60, "pub", &id), NG_OK);
    ck_assert_int_eq(id, 1);
    ng_store_close(s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("sqlite_schema");
    TCase *tc = tcase_create("schema");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, list_filters_use_indexes);
    tcase_add_test(tc, migrates_version_1);
    suite_add_tcase(su, tc);
    return ng_unit_run(su);
}
