/*
 * sqlite_rules.c -- what the SQLite backend keeps for rule writers and
 * operators: the emergency brake's table (rule_brakes: which rules were
 * switched to shadow mode, when, on which item, why, and when released),
 * the recent rule runs that seed the brake's windows, and per-rule stats
 * over a time range.  Rows in, rows out; deciding to brake is core's
 * business (core/brake.c, core/engine_brake.c).
 */
#include <string.h>
#include "sqlite_impl.h"

int ng__sqlite_brake_set(ng_store *s, const ng__brake_row *r)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_BRAKE_SET);

    if (!st)
        return NG_ESTORE;
    ng__sqlite_text(st, 1, r->rule);
    sqlite3_bind_int64(st, 2, r->at);
    sqlite3_bind_int64(st, 3, r->item_id);
    ng__sqlite_text(st, 4, r->reason);
    return ng__sqlite_exec(s, st, "brake");
}

int ng__sqlite_brake_clear(ng_store *s, const char *rule, int64_t *item_id)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_BRAKE_CLEAR);
    int rc;

    *item_id = 0;
    if (!st)
        return NG_ESTORE;
    ng__sqlite_text(st, 1, rule);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *item_id = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return ng__sqlite_err(s, rc, "brake clear");
    return *item_id ? NG_OK : ng__store_fail(s, NG_ENOTFOUND,
                                             "rule %s is not braked", rule);
}

int ng__sqlite_brakes(ng_store *s, ng__brake_fn fn, void *arg)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_BRAKES);
    int rc, ret = NG_OK;

    if (!st)
        return NG_ESTORE;
    while (ret == NG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ng__brake_row r = {
            (const char *)sqlite3_column_text(st, 0),
            (const char *)sqlite3_column_text(st, 3),
            sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
            sqlite3_column_int64(st, 4),
        };
        ret = fn(arg, &r);
    }
    if (ret == NG_OK && rc != SQLITE_DONE)
        ret = ng__sqlite_err(s, rc, "brakes");
    sqlite3_reset(st);
    return ret;
}

int ng__sqlite_recent_runs(ng_store *s, int64_t items, ng__recent_fn fn,
                           void *arg)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_RECENT_RUNS);
    int rc, ret = NG_OK;

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, items);
    while (ret == NG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ret = fn(arg, sqlite3_column_int64(st, 0),
                 (const char *)sqlite3_column_text(st, 1),
                 sqlite3_column_int(st, 2));
    if (ret == NG_OK && rc != SQLITE_DONE)
        ret = ng__sqlite_err(s, rc, "recent runs");
    sqlite3_reset(st);
    return ret;
}

int ng__sqlite_rule_stats(ng_store *s, int64_t since, ng__rulestat_fn fn,
                          void *arg)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_RULE_STATS);
    int rc, ret = NG_OK;

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, since);
    while (ret == NG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ng__rulestat_row r = {
            (const char *)sqlite3_column_text(st, 0),
            sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
            sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
            sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
            sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8),
        };
        ret = fn(arg, &r);
    }
    if (ret == NG_OK && rc != SQLITE_DONE)
        ret = ng__sqlite_err(s, rc, "rule stats");
    sqlite3_reset(st);
    return ret;
}

/* A read-only handle taking snapshots reads a long run of items (a
 * replay): the file is mapped rather than copied page by page into the
 * page cache (pread was an eighth of a 100,000-item replay).  Other
 * handles keep the store's defaults. */
static const char READ_MOSTLY[] = "PRAGMA mmap_size = 2147418112;"
                                  "PRAGMA cache_size = -131072;";

int ng__sqlite_snapshot(ng_store *s, int on)
{
    ng__sqlite *q = ng__sqlite_of(s);
    int rc;

    if (q->depth > 0 || sqlite3_get_autocommit(q->db) != on)
        return NG_OK; /* inside a write transaction, or nothing to do */
    if (on && (s->flags & NG_STORE_READONLY)
        && sqlite3_exec(q->db, READ_MOSTLY, NULL, NULL, NULL) != SQLITE_OK)
        return ng__sqlite_err(s, sqlite3_errcode(q->db), "snapshot");
    rc = sqlite3_exec(q->db, on ? "BEGIN" : "COMMIT", NULL, NULL, NULL);
    return rc == SQLITE_OK ? NG_OK : ng__sqlite_err(s, rc, "snapshot");
}
