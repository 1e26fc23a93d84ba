/*
 * sqlite_report.c -- the read side of the SQLite queue: the rows of
 * `queue list`, of `queue show` and of an item's audit trail, handed to
 * the caller's callback one by one.  Turning them into JSON is core's job
 * (core/report.c); nothing here knows the output format.
 */
#include <stdio.h>
#include "sqlite_impl.h"

/* Column `i` as text, NULL when SQL NULL. */
static const char *text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Column `i` as an integer, NG__NULL_INT when SQL NULL. */
static int64_t opt_int(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
           ? NG__NULL_INT : sqlite3_column_int64(st, i);
}

/* Steps `st` to its end, calling row(st, arg) per row; stops at the
 * first non-NG_OK answer.  Resets st.  Returns NG_OK, that answer or a
 * database error. */
static int each_row(ng_store *s, sqlite3_stmt *st,
                    int (*row)(sqlite3_stmt *, void *), void *arg,
                    const char *what)
{
    int rc, ret = NG_OK;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((ret = row(st, arg)) != NG_OK)
            break;
    sqlite3_reset(st);
    if (ret != NG_OK)
        return ret;
    return rc == SQLITE_DONE ? NG_OK : ng__sqlite_err(s, rc, what);
}

typedef struct list_cb { ng__list_fn fn; void *arg; } list_cb;

static int list_row(sqlite3_stmt *st, void *arg)
{
    list_cb *cb = arg;
    ng__list_row r = {
        .id = sqlite3_column_int64(st, 0), .status = text(st, 1),
        .action = text(st, 2), .score = sqlite3_column_double(st, 3),
        .title = text(st, 4), .submitter = text(st, 5),
        .submitted_at = sqlite3_column_int64(st, 6),
        .decided_by = text(st, 7), .verdict_json = text(st, 8),
    };
    return cb->fn(cb->arg, &r);
}

/* Binds the filter shared by ST_LIST and ST_LIST_COUNT. */
static void bind_filter(sqlite3_stmt *st, const ng_queue_filter *f)
{
    ng__sqlite_text(st, 1, f ? f->status : NULL);
    ng__sqlite_text(st, 2, f ? f->rule : NULL);
    sqlite3_bind_int64(st, 3, f ? f->since : 0);
    ng__sqlite_text(st, 5, f ? f->submitter : NULL);
}

/* The list statement is assembled from the fixed pieces below, one per
 * filter combination, so each combination is driven by the index that
 * answers it instead of one generic statement that scans the table:
 *   --rule       the partial index of hits, rule_runs(rule, item_id);
 *   --submitter  items(submitter, submitted_at);
 *   --since      items(status, submitted_at) or items(submitted_at);
 *   --status     items(status, id).
 * The other filters of a combination are checked on the rows the driving
 * index yields.  With --since or --submitter, "oldest first" is by
 * submission time (the index order), else by id. */
char *ng__sqlite_list_sql(unsigned mask, char *buf, size_t n)
{
    static const char cols[] =
        "SELECT i.id, i.status, i.action, i.score, i.title, i.submitter,"
        " i.submitted_at, i.decided_by, ng_unzip(i.verdict) FROM ";
    const char *from = mask & NG__LIST_RULE
        ? "rule_runs r CROSS JOIN items i ON i.id = r.item_id"
          " WHERE r.rule = ?2 AND r.hit = 1"
        : "items i WHERE 1";
    const char *order = mask & NG__LIST_RULE ? " ORDER BY r.item_id"
        : mask & (NG__LIST_SUBMITTER | NG__LIST_SINCE)
        ? " ORDER BY i.submitted_at, i.id" : " ORDER BY i.id";
    /* `after` (?6) drives by id only where the order is by id; elsewhere
     * the unary + keeps it from stealing the index that orders. */
    const char *after = mask & (NG__LIST_RULE | NG__LIST_SUBMITTER |
                                NG__LIST_SINCE)
        ? " AND +i.id > ?6" : " AND i.id > ?6";
    /* `decided_since` (?7, NULL when unset) only checks the rows read. */
    static const char decided[] = " AND (?7 IS NULL OR +i.decided_at >= ?7)";
    int len = snprintf(buf, n, "%s%s%s%s%s%s%s%s LIMIT ?5 OFFSET ?8", cols, from,
                       after, decided,
                       mask & NG__LIST_STATUS ? " AND i.status = ?1" : "",
                       mask & NG__LIST_SUBMITTER ? " AND i.submitter = ?3"
                                                 : "",
                       mask & NG__LIST_SINCE ? " AND i.submitted_at >= ?4"
                                             : "",
                       order);
    return len > 0 && (size_t)len < n ? buf : NULL;
}

/* The prepared list statement for `mask`, reset, or NULL (s->err). */
static sqlite3_stmt *list_stmt(ng_store *s, unsigned mask)
{
    ng__sqlite *q = ng__sqlite_of(s);
    sqlite3_stmt **st = &q->list_st[mask];
    char sql[768];

    if (*st) {
        sqlite3_reset(*st);
        sqlite3_clear_bindings(*st);
        return *st;
    }
    if (!ng__sqlite_list_sql(mask, sql, sizeof sql)) {
        ng__store_fail(s, NG_ESTORE, "list: statement too long");
        return NULL;
    }
    int rc = sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                st, NULL);
    if (rc != SQLITE_OK) {
        *st = NULL;
        ng__sqlite_err(s, rc, "prepare list");
    }
    return *st;
}

int ng__sqlite_list(ng_store *s, const ng_queue_filter *f, ng__list_fn fn,
                    void *arg)
{
    static const ng_queue_filter none = { 0 };
    list_cb cb = { fn, arg };

    if (!f)
        f = &none;
    unsigned mask = (f->status ? NG__LIST_STATUS : 0)
                    | (f->rule ? NG__LIST_RULE : 0)
                    | (f->submitter ? NG__LIST_SUBMITTER : 0)
                    | (f->since ? NG__LIST_SINCE : 0);
    sqlite3_stmt *st = list_stmt(s, mask);

    if (!st)
        return NG_ESTORE;
    ng__sqlite_text(st, 1, f->status);
    ng__sqlite_text(st, 2, f->rule);
    ng__sqlite_text(st, 3, f->submitter);
    sqlite3_bind_int64(st, 4, f->since);
    sqlite3_bind_int64(st, 5, f->limit > 0 ? f->limit : 50);
    sqlite3_bind_int64(st, 6, f->after);
    if (f->decided_since > 0)
        sqlite3_bind_int64(st, 7, f->decided_since);
    sqlite3_bind_int64(st, 8, f->offset > 0 ? f->offset : 0);
    return each_row(s, st, list_row, &cb, "list");
}

/* Steps a one-row, one-integer statement into *v and resets it. */
static int one_int(ng_store *s, sqlite3_stmt *st, int64_t *v,
                   const char *what)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? NG_OK : ng__sqlite_err(s, rc, what);
}

int ng__sqlite_list_count(ng_store *s, const ng_queue_filter *f,
                          int64_t *n)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_LIST_COUNT);

    *n = 0;
    if (!st)
        return NG_ESTORE;
    bind_filter(st, f);
    return one_int(s, st, n, "count");
}

int ng__sqlite_rule_known(ng_store *s, const char *rule, int *known)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_RULE_KNOWN);
    int64_t v = 0;
    int rc;

    *known = 0;
    if (!st)
        return NG_ESTORE;
    ng__sqlite_text(st, 1, rule);
    rc = one_int(s, st, &v, "rule look-up");
    *known = v != 0;
    return rc;
}

typedef struct audit_cb { ng__audit_fn fn; void *arg; } audit_cb;

static int audit_row(sqlite3_stmt *st, void *arg)
{
    audit_cb *cb = arg;
    ng__audit_row r = {
        .at = sqlite3_column_int64(st, 0), .actor = text(st, 1),
        .action = text(st, 2), .detail = text(st, 3),
        .rules_hash = text(st, 4),
    };
    return cb->fn(cb->arg, &r);
}

int ng__sqlite_audit_trail(ng_store *s, int64_t id, ng__audit_fn fn,
                           void *arg)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_SHOW_AUDIT);
    audit_cb cb = { fn, arg };

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    return each_row(s, st, audit_row, &cb, "audit trail");
}

typedef struct show_cb { ng__show_fn fn; void *arg; int seen; } show_cb;

static int show_row(sqlite3_stmt *st, void *arg)
{
    show_cb *cb = arg;
    ng__show_row r = {
        .id = sqlite3_column_int64(st, 0), .external_id = text(st, 1),
        .status = text(st, 2), .action = text(st, 3),
        .score = sqlite3_column_double(st, 4), .verdict_json = text(st, 5),
        .rules_hash = text(st, 6), .decided_by = text(st, 7),
        .decided_at = opt_int(st, 8), .lease_until = opt_int(st, 9),
        .lease_by = text(st, 10), .received_at = opt_int(st, 11),
        .published_at = opt_int(st, 12), .item_json = text(st, 13),
        .submitted_at = opt_int(st, 14), .cleaned_body = text(st, 15),
    };
    cb->seen = 1;
    return cb->fn(cb->arg, &r);
}

int ng__sqlite_show(ng_store *s, int64_t id, ng__show_fn fn, void *arg)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_SHOW);
    show_cb cb = { fn, arg, 0 };

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    int rc = each_row(s, st, show_row, &cb, "show");
    if (rc == NG_OK && !cb.seen)
        rc = ng__store_fail(s, NG_ENOTFOUND, "item %lld: no such item",
                            (long long)id);
    return rc;
}
