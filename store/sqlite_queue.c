/*
 * sqlite_queue.c -- the queue, index and audit operations of the SQLite
 * backend: filing an item with its verdict and rule runs, refiling it
 * after a replay, moderator decisions, the publisher's claim / ack /
 * release, and the history counts rules use for rate limits.
 *
 * Every operation here is one statement inside the caller's transaction:
 * core opens it, adds the audit entry and commits (core/queue.c), so a
 * claim is atomic and a learner can write in the same transaction.
 */
#include <stdio.h>
#include <string.h>
#include "sqlite_impl.h"

int ng__sqlite_find_external(ng_store *s, const char *ext, int64_t *id)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_FIND_EXT);
    int rc;

    *id = 0;
    if (!st)
        return NG_ESTORE;
    sqlite3_bind_text(st, 1, ext, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return NG_OK;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? NG_ENOTFOUND
                             : ng__sqlite_err(s, rc, "find external_id");
}

int ng__sqlite_insert_item(ng_store *s, const ng__item_row *r, int64_t *id)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_INSERT);

    *id = 0;
    if (!st)
        return NG_ESTORE;
    ng__sqlite_text(st, 1, r->external_id);
    ng__sqlite_text(st, 2, r->domain);
    sqlite3_bind_int64(st, 3, r->submitted_at);
    sqlite3_bind_int64(st, 4, r->now);
    ng__sqlite_text(st, 5, r->status);
    ng__sqlite_text(st, 6, r->action);
    sqlite3_bind_double(st, 7, r->score);
    ng__sqlite_text(st, 8, r->verdict_json);
    ng__sqlite_text(st, 9, r->rules_hash);
    /* A blob made ahead by the packer goes through ng_zip() as it is. */
    if (r->item_packed)
        sqlite3_bind_blob64(st, 10, r->item_packed, r->item_packed_len,
                            SQLITE_STATIC);
    else
        ng__sqlite_text(st, 10, r->item_json);
    ng__sqlite_text(st, 11, r->cleaned_body);
    /* Stored columns since v11, given by core rather than read back out
     * of the item JSON (a JSON parse of every item in SQL). */
    ng__sqlite_text(st, 12, r->title);
    ng__sqlite_text(st, 13, r->submitter);
    int rc = ng__sqlite_exec(s, st, "insert item");
    if (rc == NG_OK)
        *id = sqlite3_last_insert_rowid(ng__sqlite_of(s)->db);
    return rc;
}

int ng__sqlite_add_runs(ng_store *s, int64_t id, const ng__run_row *runs,
                        size_t nruns)
{
    for (size_t i = 0; i < nruns; i++) {
        const ng__run_row *run = &runs[i];
        sqlite3_stmt *st = ng__sqlite_stmt(s, ST_RUN);
        if (!st)
            return NG_ESTORE;
        sqlite3_bind_int64(st, 1, id);
        ng__sqlite_text(st, 2, run->rule ? run->rule : "?");
        sqlite3_bind_int(st, 3, run->hit);
        sqlite3_bind_int64(st, 4, run->us);
        int rc = ng__sqlite_exec(s, st, "insert rule run");
        if (rc != NG_OK)
            return rc;
    }
    return NG_OK;
}

int ng__sqlite_audit(ng_store *s, int64_t id, int64_t at, const char *actor,
                     const char *action, const char *detail,
                     const char *rules_hash)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_AUDIT);

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, at);
    ng__sqlite_text(st, 3, actor ? actor : "newsgate");
    ng__sqlite_text(st, 4, action);
    ng__sqlite_text(st, 5, detail);
    ng__sqlite_text(st, 6, rules_hash);
    return ng__sqlite_exec(s, st, "append audit");
}

/* Steps an UPDATE ... RETURNING that touches at most one row.  Returns
 * NG_OK with *hash (a copy in buf, "" when NULL) when a row changed,
 * NG_EEMPTY when none did, or an error. */
static int step_one(ng_store *s, sqlite3_stmt *st, int hash_col,
                    int64_t *id, char *buf, size_t n, const char *what)
{
    int rc = sqlite3_step(st);

    buf[0] = '\0';
    if (rc == SQLITE_ROW) {
        const unsigned char *h = sqlite3_column_text(st, hash_col);
        if (h)
            snprintf(buf, n, "%s", (const char *)h);
        if (id)
            *id = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? NG_OK : ng__sqlite_err(s, rc, what);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? NG_EEMPTY : ng__sqlite_err(s, rc, what);
}

int ng__sqlite_status(ng_store *s, int64_t id, char *buf, size_t n)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_STATUS);
    int rc;

    buf[0] = '\0';
    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(buf, n, "%s", t ? (const char *)t : "?");
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return NG_OK;
    if (rc == SQLITE_DONE)
        return ng__store_fail(s, NG_ENOTFOUND, "item %lld: no such item",
                              (long long)id);
    return ng__sqlite_err(s, rc, "read status");
}

int ng__sqlite_refile(ng_store *s, int64_t id, const ng__refile *r)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_REFILE);
    char hash[8];

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    ng__sqlite_text(st, 2, r->status);
    ng__sqlite_text(st, 3, r->action);
    sqlite3_bind_double(st, 4, r->score);
    ng__sqlite_text(st, 5, r->verdict_json);
    ng__sqlite_text(st, 6, r->rules_hash);
    return step_one(s, st, 0, NULL, hash, sizeof hash, "refile");
}

int ng__sqlite_decide(ng_store *s, int64_t id, const char *status,
                      const char *by, int64_t now, char *hash, size_t n)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_DECIDE);

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    ng__sqlite_text(st, 2, status);
    ng__sqlite_text(st, 3, by);
    sqlite3_bind_int64(st, 4, now);
    return step_one(s, st, 0, NULL, hash, n, "decide");
}

int ng__sqlite_claim(ng_store *s, int64_t now, int lease, const char *by,
                     int64_t *id, char *hash, size_t n)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_CLAIM);

    *id = 0;
    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, lease);
    ng__sqlite_text(st, 3, by);
    return step_one(s, st, 1, id, hash, n, "claim");
}

/* ack and release: one UPDATE ... RETURNING on a claimed item. */
static int handoff(ng_store *s, int which, int64_t id, const char *by,
                   int64_t now, char *hash, size_t n)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, which);

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    ng__sqlite_text(st, 2, by);
    if (which == ST_ACK)
        sqlite3_bind_int64(st, 3, now);
    return step_one(s, st, 0, NULL, hash, n,
                    which == ST_ACK ? "ack" : "release");
}

int ng__sqlite_ack(ng_store *s, int64_t id, const char *by, int64_t now,
                   char *hash, size_t n)
{
    return handoff(s, ST_ACK, id, by, now, hash, n);
}

int ng__sqlite_release(ng_store *s, int64_t id, const char *by,
                       char *hash, size_t n)
{
    return handoff(s, ST_RELEASE, id, by, 0, hash, n);
}

/* Runs a history statement (`detail`: the by-status form) for `field`
 * over [from, to] and copies its first n integer columns into v[]. */
static int history_query(ng_store *s, int detail, const char *field,
                         const char *value, int64_t from, int64_t to,
                         int64_t cap, int64_t *const *v, int n)
{
    int dom = strcmp(field, "domain") == 0;
    sqlite3_stmt *st = ng__sqlite_stmt(s, detail
        ? (dom ? ST_HISTD_DOMAIN : ST_HISTD_SUBMITTER)
        : (dom ? ST_HIST_DOMAIN : ST_HIST_SUBMITTER));
    int rc;

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    sqlite3_bind_int64(st, 4, s->horizon > 0 ? s->horizon : INT64_MAX);
    if (!detail)
        sqlite3_bind_int64(st, 5, cap > 0 ? cap : -1);
    rc = sqlite3_step(st);
    for (int i = 0; rc == SQLITE_ROW && i < n; i++)
        *v[i] = sqlite3_column_int64(st, i);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? NG_OK : ng__sqlite_err(s, rc, "history");
}

int ng__sqlite_history_detail(ng_store *s, const char *field,
                              const char *value, int64_t from, int64_t to,
                              ng__history_row *out)
{
    int64_t *const f[] = { &out->total, &out->accepted, &out->review,
                           &out->rejected, &out->published, &out->approved,
                           &out->mod_rejected, &out->first_seen };

    memset(out, 0, sizeof *out);
    return history_query(s, 1, field, value, from, to, 0, f, 8);
}

int ng__sqlite_history(ng_store *s, const char *field, const char *value,
                       int64_t from, int64_t to, int64_t cap, int64_t *count)
{
    int64_t *const f[] = { count };

    *count = 0;
    return history_query(s, 0, field, value, from, to, cap, f, 1);
}
