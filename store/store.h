/*
 * store.h -- the internal interface between the library and its storage
 * backends.
 *
 * The public ng_store_* / ng_submit / ng_queue_* functions (core/store_api.c)
 * talk to a backend only through the table of function pointers below:
 * transactions, the queue, the look-up index, the Bayes tokens (none yet)
 * and the audit log.  SQLite (store/sqlite*.c) is the one backend today; a
 * second one on a shared database server would fill in the same table
 * without touching the engine or the rules.
 *
 * Only store/ includes sqlite3.h.  This header names the SQLite handle by
 * its forward declaration so store/ code (the duplicate index) can reach it
 * through ng__store_db without every includer seeing sqlite3.h.
 */
#ifndef NG_STORE_H
#define NG_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "newsgate.h"

typedef struct sqlite3 sqlite3;   /* same typedefs as sqlite3.h */
typedef struct sqlite3_stmt sqlite3_stmt;
struct ng__dupindex;

/* Schema version this build writes (PRAGMA user_version). */
#define NG__SCHEMA_VERSION 1

/* One new item to file, as the submit path computed it. */
typedef struct ng__item_row {
    const ng_item *item;
    const char *item_json;     /* the whole item, serialised */
    const char *domain;        /* host of item->url, or NULL */
    const char *status;        /* accepted, review, rejected */
    const char *action;        /* accept, review, reject */
    double score;
    const char *verdict_json;
    const char *rules_hash;
    int64_t now;               /* receive time, unix seconds */
} ng__item_row;

/* A later automatic verdict for a stored item (replays). */
typedef struct ng__refile {
    const char *status, *action;
    double score;
    const char *verdict_json, *rules_hash;
    int64_t now;
} ng__refile;

typedef struct ng__store_ops {
    const char *name;                      /* "sqlite" */
    void (*close)(ng_store *s);            /* frees the backend state */

    /* Write transactions (BEGIN IMMEDIATE for SQLite).  `durable` asks
     * for a commit that survives a machine crash.  They nest: a begin
     * inside an open transaction opens a savepoint, so one item of a
     * batch can be rolled back alone. */
    int (*begin)(ng_store *s, int durable);
    int (*commit)(ng_store *s);
    int (*rollback)(ng_store *s);

    /* Queue.  All return NG_OK or an NG_E* code with s->err set. */
    int (*find_external)(ng_store *s, const char *ext, int64_t *id);
    /* The id the next insert will get (inside a write transaction). */
    int (*next_id)(ng_store *s, int64_t *id);
    int (*insert_item)(ng_store *s, const ng__item_row *r, int64_t *id);
    int (*add_runs)(ng_store *s, int64_t id, const ng_verdict *v);
    int (*refile)(ng_store *s, int64_t id, const ng__refile *r);
    int (*decide)(ng_store *s, int64_t id, const char *status,
                  const char *by, const char *note, int64_t now);
    int (*list)(ng_store *s, const ng_queue_filter *f, char **json);
    int (*show)(ng_store *s, int64_t id, char **json);
    int (*claim)(ng_store *s, int64_t now, int lease, const char *by,
                 int64_t *id);
    int (*ack)(ng_store *s, int64_t id, const char *by, int64_t now);
    int (*release)(ng_store *s, int64_t id, const char *by, int64_t now);

    /* Index: items with `field` ("submitter" or "domain") equal to
     * `value` submitted in [from, to]. */
    int (*history)(ng_store *s, const char *field, const char *value,
                   int64_t from, int64_t to, int64_t *count);

    /* Tokens (the Bayes learner): not yet. */

    /* Audit: appends one entry (inside the caller's transaction). */
    int (*audit)(ng_store *s, int64_t id, int64_t at, const char *actor,
                 const char *action, const char *detail,
                 const char *rules_hash);

    /* Bounds every later query by a CLOCK_MONOTONIC deadline in
     * microseconds (0: none); a query still running past it fails (for
     * SQLite: interrupted, NG_ESTORE).  The engine sets it around each
     * rule so store look-ups count against the check's deadline.  May be
     * NULL in a backend that cannot bound queries. */
    void (*set_deadline)(ng_store *s, uint64_t deadline_us);
} ng__store_ops;

struct ng_store {
    const ng__store_ops *ops;
    void *impl;                    /* backend state */
    char *path;
    int flags;                     /* NG_STORE_* */
    int batch;                     /* inside ng_store_batch_begin */
    struct ng__dupindex *dupindex; /* owned by the dup module */
    char err[640];
};

/* Formats the handle's message and returns `code`. */
int ng__store_fail(ng_store *s, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The SQLite backend: opens `path` into `s` (ops, impl).  Returns NG_OK or
 * NG_EIO / NG_ENOTDB / NG_EVERSION / NG_ESTORE with s->err set. */
int ng__sqlite_open(ng_store *s, const char *path, int flags);

/* The SQLite handle of a store on the SQLite backend, else NULL. */
sqlite3 *ng__store_db(ng_store *s);

/* A prepared statement for `sql` on the SQLite backend, cached on the
 * handle by the address of `sql` (pass a string constant), returned reset
 * with its bindings cleared.  The store owns it: do not finalize it.
 * Returns NULL with the handle's message set on failure (at most 32
 * distinct statements). */
sqlite3_stmt *ng__store_stmt(ng_store *s, const char *sql);

/* The duplicate module's slot on the handle (ng_store_close frees it with
 * ng__dupindex_free). */
struct ng__dupindex **ng__store_dupindex(ng_store *s);

/* 1 when the store was opened with NG_STORE_READONLY. */
int ng__store_readonly(const ng_store *s);

/* Counts stored items by "submitter" or "domain" submitted in [from, to]
 * (item:history).  Returns NG_OK or an error code. */
int ng__store_history(ng_store *s, const char *field, const char *value,
                      int64_t from, int64_t to, int64_t *count);

/* Files a later automatic verdict for item `id` unless a human decided it
 * or it is published (then *changed is 0).  Appends an audit entry.
 * Returns NG_OK, NG_ENOTFOUND or a store error. */
int ng__store_refile(ng_store *s, int64_t id, const ng_verdict *v,
                     int *changed);

#endif
