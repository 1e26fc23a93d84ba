/*
 * store_api.h -- core's internal side of the store (core/store_api.c,
 * core/queue.c, core/report.c): the transaction wrappers every write goes
 * through, and the helpers rules and replays use.  Backends never see
 * this header; core reaches them only through store/store.h's table.
 *
 * Convention: NG_OK or an NG_E* code with the handle's message set.
 */
#ifndef NG_STORE_API_H
#define NG_STORE_API_H

#include <stdint.h>
#include "store.h"

/* Opens a (nested) write transaction, commits it, rolls it back.  They
 * keep s->depth and s->generation and tell the duplicate index (which
 * undoes what a rolled-back level added).  A failed commit rolls back. */
int ng__store_begin(ng_store *s, int durable);
int ng__store_commit(ng_store *s);
int ng__store_rollback(ng_store *s);

/* Commits on rc == NG_OK, else rolls back; returns rc or the commit's
 * failure. */
int ng__store_finish(ng_store *s, int rc);

/* 1 when the store was opened with NG_STORE_READONLY. */
int ng__store_readonly(const ng_store *s);

/* Counts stored items by "submitter" or "domain" the store received in
 * [from, to] (item:history), stopping at `cap` when cap > 0; the detail
 * form fills counts by status and the first-seen time.  Return NG_OK or
 * an error code. */
int ng__store_history(ng_store *s, const char *field, const char *value,
                      int64_t from, int64_t to, int64_t cap, int64_t *count);
int ng__store_history_detail(ng_store *s, const char *field,
                             const char *value, int64_t from, int64_t to,
                             ng__history_row *out);

/* History counts kept on a writing handle between items
 * (core/history_cache.c): count answers as ops->history (with cap > 0,
 * the count no further than cap; the backend is never asked to count
 * past it), from the kept count when it can be brought forward exactly;
 * filed counts an item this handle just inserted; drop forgets
 * everything (a rollback); free accepts NULL. */
int ng__histcache_count(ng_store *s, const char *field, const char *value,
                        int64_t from, int64_t to, int64_t cap,
                        int64_t *count);
void ng__histcache_filed(ng_store *s, const char *submitter,
                         const char *domain, int64_t received);
void ng__histcache_drop(ng_store *s);
void ng__histcache_free(struct ng__histcache *c);

/* Files a later automatic verdict for item `id` unless a human decided it
 * or it is published (then *changed is 0).  Appends an audit entry.
 * Returns NG_OK or a store error. */
int ng__store_refile(ng_store *s, int64_t id, const ng_verdict *v,
                     int *changed);

/* Checks shared by the writing queue operations: a store, writable, and
 * `by` given.  Returns NG_OK, NG_EINVAL or NG_ESTATE. */
int ng__store_writable(ng_store *s, const char *by, const char *what);

/* Queue reports as JSON (core/report.c); see ng_queue_list/show. */
int ng__report_list(ng_store *s, const ng_queue_filter *f, char **json);
int ng__report_count(ng_store *s, const ng_queue_filter *f, int64_t *n);
int ng__report_show(ng_store *s, int64_t id, char **json);

#endif
