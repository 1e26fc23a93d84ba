/*
 * sqlite_count.c -- the `count` operation of the SQLite backend: stored
 * items by status, for ng_queue_count (the server's GET /v1/stats).  One
 * GROUP BY over the (status, id) index, prepared per call: the figure is
 * asked for rarely, and this keeps it off the statement table.
 */
#include <string.h>
#include "sqlite_impl.h"

int ng__sqlite_count(ng_store *s, ng_queue_counts *c)
{
    static const char sql[] =
        "SELECT status, COUNT(*) FROM items GROUP BY status";
    sqlite3 *db = ng__sqlite_of(s)->db;
    sqlite3_stmt *st = NULL;
    int rc;

    memset(c, 0, sizeof *c);
    rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ng__store_tally(c, (const char *)sqlite3_column_text(st, 0),
                  sqlite3_column_int64(st, 1));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        memset(c, 0, sizeof *c);
        return ng__sqlite_err(s, rc, "count");
    }
    return NG_OK;
}
