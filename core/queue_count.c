/*
 * queue_count.c -- ng_queue_count, the public count of stored items by
 * status (newsgate.h, "Queue figures").  The SQL lives in
 * store/sqlite_count.c.
 */
#include <string.h>
#include "sqlite_count.h"

int ng_queue_count(ng_store *s, ng_queue_counts *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!s || !out)
        return NG_EINVAL;
    return ng__sqlite_count(s, out);
}
