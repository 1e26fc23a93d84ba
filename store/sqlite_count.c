/*
 * sqlite_count.c -- counts the stored items by status for ng_queue_count
 * (the server's GET /v1/stats).  One GROUP BY over the (status, id)
 * index.
 */
#include <string.h>
#include <sqlite3.h>
#include "sqlite_count.h"

static const char count_sql[] =
    "SELECT status, COUNT(*) FROM items GROUP BY status";

int ng__sqlite_count(ng_store *s, ng_queue_counts *c)
{
    sqlite3_stmt *st;
    int rc;

    memset(c, 0, sizeof *c);
    if (!ng__store_db(s))
        return ng__store_fail(s, NG_EINVAL, "count: not a SQLite store");
    if (!(st = ng__store_stmt(s, count_sql)))
        return NG_ESTORE;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(st, 0);
        int64_t n = sqlite3_column_int64(st, 1);

        c->total += n;
        if (!status)
            continue;
        if (strcmp(status, "accepted") == 0)
            c->accepted = n;
        else if (strcmp(status, "review") == 0)
            c->review = n;
        else if (strcmp(status, "rejected") == 0)
            c->rejected = n;
        else if (strcmp(status, "published") == 0)
            c->published = n;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return ng__store_fail(s, NG_ESTORE, "count: %s",
                              sqlite3_errmsg(ng__store_db(s)));
    return NG_OK;
}
