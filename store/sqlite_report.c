/*
 * sqlite_report.c -- the read side of the SQLite queue: `queue list`
 * summaries and `queue show` (the item, its verdict with every hit and its
 * audit trail), both as JSON built with jansson.  The stored item and
 * verdict are JSON already; they are parsed back and embedded as objects.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "sqlite_impl.h"

/* Column `i` as a JSON value: integer, real, string or null. */
static json_t *column(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, i));
    case SQLITE_TEXT:
        return json_stringn((const char *)sqlite3_column_text(st, i),
                            (size_t)sqlite3_column_bytes(st, i));
    default: return json_null();
    }
}

/* Column `i` holding JSON text, parsed (null when absent or broken). */
static json_t *json_column(sqlite3_stmt *st, int i)
{
    const char *text = (const char *)sqlite3_column_text(st, i);
    json_t *j = text ? json_loadb(text, (size_t)sqlite3_column_bytes(st, i),
                                  0, NULL) : NULL;
    return j ? j : json_null();
}

/* Dumps `j` (stolen) into *json.  Returns NG_OK or NG_ENOMEM. */
static int dump(ng_store *s, json_t *j, char **json)
{
    *json = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!*json)
        return ng__store_fail(s, NG_ENOMEM, "out of memory");
    return NG_OK;
}

/* One row of ST_LIST as a summary object. */
static json_t *summary(sqlite3_stmt *st)
{
    static const char *const names[] = {
        "id", "status", "action", "score", "title", "submitter",
        "submitted_at", "decided_by",
    };
    json_t *o = json_object();

    for (int i = 0; o && i < 8; i++)
        json_object_set_new(o, names[i], column(st, i));
    return o;
}

int ng__sqlite_list(ng_store *s, const ng_queue_filter *f, char **json)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_LIST);
    json_t *arr = json_array();
    int rc;

    *json = NULL;
    if (!st || !arr) {
        json_decref(arr);
        return st ? ng__store_fail(s, NG_ENOMEM, "out of memory") : NG_ESTORE;
    }
    ng__sqlite_text(st, 1, f ? f->status : NULL);
    ng__sqlite_text(st, 2, f ? f->rule : NULL);
    sqlite3_bind_int64(st, 3, f ? f->since : 0);
    sqlite3_bind_int64(st, 4, f && f->limit > 0 ? f->limit : 50);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(arr, summary(st));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return ng__sqlite_err(s, rc, "list");
    }
    return dump(s, arr, json);
}

/* The audit trail of item `id` as an array, or NULL on error. */
static json_t *audit_trail(ng_store *s, int64_t id, int *rc)
{
    static const char *const names[] = {
        "at", "actor", "action", "detail", "rules_hash",
    };
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_SHOW_AUDIT);
    json_t *arr = json_array();
    int src;

    if (!st || !arr) {
        json_decref(arr);
        *rc = st ? NG_ENOMEM : NG_ESTORE;
        return NULL;
    }
    sqlite3_bind_int64(st, 1, id);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; o && i < 5; i++)
            json_object_set_new(o, names[i], column(st, i));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    if (src != SQLITE_DONE) {
        json_decref(arr);
        *rc = ng__sqlite_err(s, src, "audit trail");
        return NULL;
    }
    return arr;
}

/* The item row of ST_SHOW as an object (without the audit trail). */
static json_t *item_object(sqlite3_stmt *st)
{
    static const char *const names[] = {
        "id", "external_id", "status", "action", "score", NULL,
        "rules_hash", "decided_by", "decided_at", "lease_until", "lease_by",
        "received_at", "published_at", NULL, "submitted_unix",
    };
    json_t *o = json_object();

    for (int i = 0; o && i < 15; i++)
        if (names[i])
            json_object_set_new(o, names[i], column(st, i));
    if (o) {
        json_object_set_new(o, "item", json_column(st, 13));
        json_object_set_new(o, "verdict", json_column(st, 5));
    }
    return o;
}

int ng__sqlite_show(ng_store *s, int64_t id, char **json)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_SHOW);
    json_t *o = NULL, *trail;
    int rc = NG_OK;

    *json = NULL;
    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        o = item_object(st);
    sqlite3_reset(st);
    if (src == SQLITE_DONE)
        return ng__store_fail(s, NG_ENOTFOUND, "item %lld: no such item",
                              (long long)id);
    if (src != SQLITE_ROW)
        return ng__sqlite_err(s, src, "show");
    trail = o ? audit_trail(s, id, &rc) : NULL;
    if (!trail) {
        json_decref(o);
        return rc != NG_OK ? rc : ng__store_fail(s, NG_ENOMEM, "no memory");
    }
    json_object_set_new(o, "audit", trail);
    return dump(s, o, json);
}
