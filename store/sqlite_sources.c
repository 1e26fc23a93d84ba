/*
 * sqlite_sources.c -- reference sources in the SQLite backend (table
 * sources, schema v3 in sqlite.c): publishers' articles registered with
 * `newsgate sources add`, kept apart from the moderation queue.  Rows in,
 * rows out, like sqlite_dup.c: the fingerprint index over them and the
 * matching live in core (core/sources.c).  A source's commit-log
 * position is its id.
 */
#include <stdlib.h>
#include <string.h>
#include "sqlite_impl.h"

int ng__sqlite_src_insert(ng_store *s, const ng__src_row *r, int64_t *id)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_SRC_INSERT);
    *id = 0;
    if (!st)
        return NG_ESTORE;
    ng__sqlite_text(st, 1, r->publisher);
    ng__sqlite_text(st, 2, r->domain);
    ng__sqlite_text(st, 3, r->title);
    sqlite3_bind_int64(st, 4, r->added_at);
    ng__sqlite_text(st, 7, r->body);
    int rc = ng__sqlite_put_keys(s, st, 5, r->fps, r->nfps, r->shingles,
                                 r->nshingles, "insert source");
    if (rc == NG_OK)
        *id = sqlite3_last_insert_rowid(ng__sqlite_of(s)->db);
    return rc;
}

int ng__sqlite_src_since(ng_store *s, int64_t pos, ng__dupfp_fn fn,
                         void *arg)
{
    return ng__sqlite_since(s, ST_SRC_SINCE, pos, fn, arg);
}

int ng__sqlite_src_shingles(ng_store *s, int64_t id, uint32_t **out,
                            size_t *n, int *legacy)
{
    return ng__sqlite_blob(s, ST_SRC_SHINGLES, id, out, n, legacy);
}

/* Steps st (bound by the caller), handing each row to fn.  Returns
 * NG_OK, fn's code, or a store error. */
static int each_source(ng_store *s, sqlite3_stmt *st, ng__src_fn fn,
                       void *arg, int *rows)
{
    int rc, ret = NG_OK;
    *rows = 0;
    while (ret == NG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ng__src_row r = {
            .id = sqlite3_column_int64(st, 0),
            .publisher = (const char *)sqlite3_column_text(st, 1),
            .domain = (const char *)sqlite3_column_text(st, 2),
            .title = (const char *)sqlite3_column_text(st, 3),
            .added_at = sqlite3_column_int64(st, 4),
            /* Only src_get selects the text. */
            .body = sqlite3_column_count(st) > 5
                ? (const char *)sqlite3_column_text(st, 5) : NULL,
        };
        (*rows)++;
        ret = fn(arg, &r);
    }
    sqlite3_reset(st);
    if (ret != NG_OK)
        return ret;
    return rc == SQLITE_DONE ? NG_OK : ng__sqlite_err(s, rc, "sources");
}

int ng__sqlite_src_get(ng_store *s, int64_t id, ng__src_fn fn, void *arg)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_SRC_GET);
    int rows;
    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    int rc = each_source(s, st, fn, arg, &rows);
    return rc == NG_OK && rows == 0 ? NG_ENOTFOUND : rc;
}

int ng__sqlite_src_list(ng_store *s, ng__src_fn fn, void *arg)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_SRC_LIST);
    int rows;
    return st ? each_source(s, st, fn, arg, &rows) : NG_ESTORE;
}

int ng__sqlite_src_remove(ng_store *s, const char *publisher, int64_t id,
                          int64_t *n)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, publisher ? ST_SRC_DEL_PUB
                                                    : ST_SRC_DEL_ID);
    *n = 0;
    if (!st)
        return NG_ESTORE;
    if (publisher)
        ng__sqlite_text(st, 1, publisher);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = ng__sqlite_exec(s, st, "remove sources");
    if (rc == NG_OK)
        *n = sqlite3_changes(ng__sqlite_of(s)->db);
    return rc;
}
