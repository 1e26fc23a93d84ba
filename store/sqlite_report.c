/*
 * sqlite_report.c -- the read side of the SQLite queue: the rows of
 * `queue list`, of `queue show` and of an item's audit trail, handed to
 * the caller's callback one by one.  Turning them into JSON is core's job
 * (core/report.c); nothing here knows the output format.
 */
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

int ng__sqlite_list(ng_store *s, const ng_queue_filter *f, ng__list_fn fn,
                    void *arg)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_LIST);
    list_cb cb = { fn, arg };

    if (!st)
        return NG_ESTORE;
    bind_filter(st, f);
    sqlite3_bind_int64(st, 4, f && f->limit > 0 ? f->limit : 50);
    sqlite3_bind_int64(st, 6, f && f->offset > 0 ? f->offset : 0);
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
        .submitted_at = opt_int(st, 14),
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
