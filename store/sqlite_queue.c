/*
 * sqlite_queue.c -- the queue, index and audit operations of the SQLite
 * backend: filing an item with its verdict and rule runs, refiling it
 * after a replay, moderator decisions, the publisher's claim / ack /
 * release, and the history counts rules use for rate limits.
 *
 * Filing functions run inside the caller's transaction (store_api.c opens
 * it).  Decisions and the publisher hand-off are whole operations, each in
 * its own BEGIN IMMEDIATE transaction with its audit entry, so a claim is
 * atomic: two consumers never get the same item.
 */
#include <stdio.h>
#include <string.h>
#include "sqlite_impl.h"
#include "item.h"
#include "verdict.h"

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

int ng__sqlite_next_id(ng_store *s, int64_t *id)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_NEXT_ID);
    int rc;

    *id = 0;
    if (!st)
        return NG_ESTORE;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? NG_OK : ng__sqlite_err(s, rc, "next id");
}

int ng__sqlite_insert_item(ng_store *s, const ng__item_row *r, int64_t *id)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_INSERT);
    const ng_item *it = r->item;

    if (!st)
        return NG_ESTORE;
    if (*id > 0)
        sqlite3_bind_int64(st, 1, *id);
    ng__sqlite_text(st, 2, it->external_id);
    ng__sqlite_text(st, 3, it->title ? it->title : "");
    ng__sqlite_text(st, 4, it->body ? it->body : "");
    ng__sqlite_text(st, 5, it->url);
    ng__sqlite_text(st, 6, r->domain);
    ng__sqlite_text(st, 7, it->source);
    ng__sqlite_text(st, 8, it->author);
    ng__sqlite_text(st, 9, it->submitter);
    sqlite3_bind_int64(st, 10, it->submitted_unix);
    sqlite3_bind_int64(st, 11, r->now);
    ng__sqlite_text(st, 12, r->status);
    ng__sqlite_text(st, 13, r->action);
    sqlite3_bind_double(st, 14, r->score);
    ng__sqlite_text(st, 15, r->verdict_json);
    ng__sqlite_text(st, 16, r->rules_hash);
    ng__sqlite_text(st, 17, r->item_json);
    int rc = ng__sqlite_exec(s, st, "insert item");
    if (rc == NG_OK)
        *id = sqlite3_last_insert_rowid(ng__sqlite_of(s)->db);
    return rc;
}

int ng__sqlite_add_runs(ng_store *s, int64_t id, const ng_verdict *v)
{
    for (size_t i = 0; i < v->nruns; i++) {
        const ng__rule_run *run = &v->runs[i];
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

/* Why an update found no row: NG_ENOTFOUND, or NG_ESTATE naming the
 * item's status. */
static int why_not(ng_store *s, int64_t id, const char *op)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_STATUS);
    int rc;

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(st, 0);
        int decision = !strcmp(op, "approve") || !strcmp(op, "reject");
        if (!status || decision || strcmp(status, "accepted") != 0)
            ng__store_fail(s, NG_ESTATE, "item %lld: cannot %s: it is %s",
                           (long long)id, op, status ? status : "?");
        else
            ng__store_fail(s, NG_ESTATE, "item %lld: cannot %s: it is not "
                           "claimed (or claimed by another)", (long long)id,
                           op);
        rc = NG_ESTATE;
    } else if (rc == SQLITE_DONE) {
        rc = ng__store_fail(s, NG_ENOTFOUND, "item %lld: no such item",
                            (long long)id);
    } else {
        rc = ng__sqlite_err(s, rc, "read status");
    }
    sqlite3_reset(st);
    return rc;
}

/* Commits on NG_OK, rolls back otherwise; returns rc (or the commit's
 * failure). */
static int finish(ng_store *s, int rc)
{
    if (rc == NG_OK)
        return ng__sqlite_commit(s);
    ng__sqlite_rollback(s);
    return rc;
}

int ng__sqlite_refile(ng_store *s, int64_t id, const ng__refile *r)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_REFILE);
    char hash[128];

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    ng__sqlite_text(st, 2, r->status);
    ng__sqlite_text(st, 3, r->action);
    sqlite3_bind_double(st, 4, r->score);
    ng__sqlite_text(st, 5, r->verdict_json);
    ng__sqlite_text(st, 6, r->rules_hash);
    int rc = step_one(s, st, 0, NULL, hash, sizeof hash, "refile");
    if (rc == NG_OK)
        rc = ng__sqlite_audit(s, id, r->now, "newsgate", "verdict",
                              r->status, r->rules_hash);
    return rc;
}

int ng__sqlite_decide(ng_store *s, int64_t id, const char *status,
                      const char *by, const char *note, int64_t now)
{
    const char *op = strcmp(status, "rejected") == 0 ? "reject" : "approve";
    char hash[128];
    int rc = ng__sqlite_begin(s, 1);
    sqlite3_stmt *st = rc == NG_OK ? ng__sqlite_stmt(s, ST_DECIDE) : NULL;

    if (rc != NG_OK)
        return rc;
    if (!st)
        return finish(s, NG_ESTORE);
    sqlite3_bind_int64(st, 1, id);
    ng__sqlite_text(st, 2, status);
    ng__sqlite_text(st, 3, by);
    sqlite3_bind_int64(st, 4, now);
    rc = step_one(s, st, 0, NULL, hash, sizeof hash, op);
    if (rc == NG_EEMPTY)
        rc = why_not(s, id, op);
    if (rc == NG_OK)
        rc = ng__sqlite_audit(s, id, now, by, op, note,
                              hash[0] ? hash : NULL);
    return finish(s, rc);
}

int ng__sqlite_claim(ng_store *s, int64_t now, int lease, const char *by,
                     int64_t *id)
{
    char hash[128], detail[64];
    int rc = ng__sqlite_begin(s, 0);
    sqlite3_stmt *st = rc == NG_OK ? ng__sqlite_stmt(s, ST_CLAIM) : NULL;

    *id = 0;
    if (rc != NG_OK)
        return rc;
    if (!st)
        return finish(s, NG_ESTORE);
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, lease);
    ng__sqlite_text(st, 3, by);
    rc = step_one(s, st, 1, id, hash, sizeof hash, "claim");
    if (rc == NG_EEMPTY)
        ng__store_fail(s, NG_EEMPTY, "nothing to claim");
    snprintf(detail, sizeof detail, "lease %ds", lease);
    if (rc == NG_OK)
        rc = ng__sqlite_audit(s, *id, now, by, "claim", detail,
                              hash[0] ? hash : NULL);
    if (rc != NG_OK)
        *id = 0;
    return finish(s, rc);
}

/* ack and release: one UPDATE ... RETURNING plus its audit entry. */
static int handoff(ng_store *s, int which, int64_t id, const char *by,
                   int64_t now, const char *op)
{
    char hash[128];
    int rc = ng__sqlite_begin(s, 0);
    sqlite3_stmt *st = rc == NG_OK ? ng__sqlite_stmt(s, which) : NULL;

    if (rc != NG_OK)
        return rc;
    if (!st)
        return finish(s, NG_ESTORE);
    sqlite3_bind_int64(st, 1, id);
    ng__sqlite_text(st, 2, by);
    if (which == ST_ACK)
        sqlite3_bind_int64(st, 3, now);
    rc = step_one(s, st, 0, NULL, hash, sizeof hash, op);
    if (rc == NG_EEMPTY)
        rc = why_not(s, id, op);
    if (rc == NG_OK)
        rc = ng__sqlite_audit(s, id, now, by, op, NULL,
                              hash[0] ? hash : NULL);
    return finish(s, rc);
}

int ng__sqlite_ack(ng_store *s, int64_t id, const char *by, int64_t now)
{
    return handoff(s, ST_ACK, id, by, now, "ack");
}

int ng__sqlite_release(ng_store *s, int64_t id, const char *by, int64_t now)
{
    return handoff(s, ST_RELEASE, id, by, now, "release");
}

int ng__sqlite_history(ng_store *s, const char *field, const char *value,
                       int64_t from, int64_t to, int64_t *count)
{
    int which = strcmp(field, "domain") == 0 ? ST_HIST_DOMAIN
                                             : ST_HIST_SUBMITTER;
    sqlite3_stmt *st = ng__sqlite_stmt(s, which);
    int rc;

    *count = 0;
    if (!st)
        return NG_ESTORE;
    sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *count = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? NG_OK : ng__sqlite_err(s, rc, "history");
}
