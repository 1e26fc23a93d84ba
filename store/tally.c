/*
 * tally.c -- helpers the storage backends share (store/sqlite*.c and
 * store/pg*.c): what does not depend on the database library.
 */
#include <string.h>
#include "store.h"

void ng__store_tally(ng_queue_counts *c, const char *status, int64_t n)
{
    c->total += n;
    if (!status)
        return;
    if (strcmp(status, "accepted") == 0)
        c->accepted = n;
    else if (strcmp(status, "review") == 0)
        c->review = n;
    else if (strcmp(status, "rejected") == 0)
        c->rejected = n;
    else if (strcmp(status, "published") == 0)
        c->published = n;
}
