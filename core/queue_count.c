/*
 * queue_count.c -- ng_queue_count, the public count of stored items by
 * status (newsgate.h, "Queue figures"), through the backend's `count`
 * operation (store/store.h).
 */
#include <string.h>
#include "store.h"

int ng_queue_count(ng_store *s, ng_queue_counts *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!s || !out)
        return NG_EINVAL;
    if (!s->ops->count)
        return ng__store_fail(s, NG_EINVAL, "count: not supported by the "
                              "%s backend", s->ops->name);
    return s->ops->count(s, out);
}
