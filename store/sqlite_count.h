/*
 * sqlite_count.h -- the SQLite side of ng_queue_count (core/queue_count.c).
 * Kept apart from store.h's operations table so the server's figures
 * could land without touching the backend table; a second backend would
 * add a `count` operation there.
 */
#ifndef NG_SQLITE_COUNT_H
#define NG_SQLITE_COUNT_H

#include "store.h"

/* Counts items by status into *c.  Returns NG_OK or NG_ESTORE (s->err
 * set); NG_EINVAL when `s` is not on the SQLite backend. */
int ng__sqlite_count(ng_store *s, ng_queue_counts *c);

#endif
