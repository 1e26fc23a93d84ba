/*
 * store.h -- the internal interface between the library and its storage
 * backends.
 *
 * The public ng_store_* / ng_submit / ng_queue_* functions (core/) talk
 * to a backend only through the table of operations below: transactions,
 * the queue, reports, the look-up index, duplicate keys, the audit log
 * and the spam learner's tokens (appended last).  A backend gets rows in
 * and gives rows out; it never drives the engine's in-memory index nor
 * builds the engine's JSON (core does both).  SQLite (store/sqlite*.c) is
 * the one backend today; a second one fills in the same table and adds
 * itself to the registry (store/registry.c).
 *
 * Layering: store/ includes only newsgate.h, this header and its own
 * files; no type of a database library appears here.  Convention: every
 * operation returns NG_OK or an NG_E* code with the handle's message set
 * (ng__store_fail); "no such row" is NG_ENOTFOUND and "no row changed" is
 * NG_EEMPTY where stated.  Strings inside rows handed to a callback are
 * borrowed for the duration of the call.
 */
#ifndef NG_STORE_H
#define NG_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "newsgate.h"

struct ng__dupstate;

/* Schema version this build writes (PRAGMA user_version for SQLite). */
#define NG__SCHEMA_VERSION 13

/* An integer column that is NULL. */
#define NG__NULL_INT INT64_MIN

/* Internal code of a backend shared by many writers (never returned by
 * the public API): another writer committed, meanwhile, what this
 * submission assumed absent -- its external_id, or (dup_insert) the first
 * item of its exact text while the check saw none.  ng_submit_file rolls
 * the item back, checks it again and files it (store_api.c). */
#define NG__ERETRY 100

/* One new item to file, as the submit path computed it.  The item is
 * stored once, as item_json; a backend reads the title and submitter the
 * queue lists from it (SQLite: virtual columns).  The other fields here
 * are derived values or keys the backend indexes. */
typedef struct ng__item_row {
    const char *external_id;   /* or NULL */
    int64_t submitted_at;      /* unix seconds */
    const char *item_json;     /* the whole item, serialised */
    const char *domain;        /* host of item->url, or NULL */
    const char *status;        /* accepted, review, rejected */
    const char *action;        /* accept, review, reject */
    double score;
    const char *verdict_json;  /* without the id (the row has it) */
    const char *rules_hash;
    int64_t now;               /* receive time, unix seconds */
    const char *cleaned_body;  /* body without furniture, or NULL */
    const char *title;         /* the item's title (also in item_json) */
    const char *submitter;     /* the item's submitter, or NULL */
    /* item_json in the backend's stored form, made ahead by its pack
     * operation on a checking thread (see ops->pack), or NULL: the
     * backend makes it from item_json as before. */
    const unsigned char *item_packed;
    size_t item_packed_len;
} ng__item_row;

/* One rule run of a verdict (hit rates and costs per rule). */
typedef struct ng__run_row {
    const char *rule;
    int hit;
    int64_t us;
} ng__run_row;

/* A later automatic verdict for a stored item (replays). */
typedef struct ng__refile {
    const char *status, *action;
    double score;
    const char *verdict_json, *rules_hash;
} ng__refile;

/* The duplicate keys of one item as stored.  Since schema v8 core hands
 * the verification sketch (nsketch bytes, opaque to the store) and no
 * shingles (nshingles 0); the shingles of rows stored before stay
 * readable through dup_shingles. */
typedef struct ng__dupkeys_row {
    int64_t id;
    const char *url_canon;           /* or NULL */
    uint64_t text_hash, title_hash;  /* 0 = none */
    const uint32_t *fps;             /* sampled fingerprints, sorted */
    size_t nfps;
    const uint32_t *shingles;        /* opaque to the store (core/dup.h) */
    size_t nshingles;
    const unsigned char *sketch;     /* opaque to the store (core/dup.h) */
    size_t nsketch;                  /* bytes */
    /* What the check saw: text_checked is 1 when it looked up exact text
     * copies, text_first the oldest it found (0: none).  A backend with
     * many writers answers NG__ERETRY when another item claimed the text
     * first although the check saw none (pg_dup.c); SQLite ignores it. */
    int text_checked;
    int64_t text_first;
} ng__dupkeys_row;

/* One row of the index catch-up: the item's fingerprints and its
 * position in the backend's commit log (see docs/architecture.md).  A row
 * stored before fingerprints existed hands out its whole shingle set
 * instead (raw = 1); core samples it.  sketch is the row's verification
 * sketch, NULL when it has none (rows from before schema v8 without
 * fingerprints, reference sources): core then verifies it from
 * dup_shingles. */
typedef struct ng__dupfp_row {
    int64_t pos, id;
    const uint32_t *fps;
    size_t nfps;
    int raw;
    const unsigned char *sketch;     /* nsketch bytes as stored */
    size_t nsketch;
    /* The item's exact keys, from a backend without dup_exact (core then
     * answers exact look-ups from its index): url_canon (NULL: none),
     * text_hash and title_hash (0: none).  Unset for sources. */
    const char *url_canon;
    uint64_t text_hash, title_hash;
} ng__dupfp_row;

/* One registered reference article (a publisher's text). */
typedef struct ng__src_row {
    int64_t id;
    const char *publisher, *domain, *title;     /* domain may be NULL */
    int64_t added_at;
    const uint32_t *fps, *shingles;             /* as in ng__dupkeys_row */
    size_t nfps, nshingles;
    const char *body;   /* its text: written by src_insert, read by src_get
                           only (NULL when not kept) */
} ng__src_row;

/* Which key an exact look-up compares. */
typedef enum ng__dupkind { NG__DUP_URL, NG__DUP_TEXT, NG__DUP_TITLE }
    ng__dupkind;

/* A short description of an item (titles of duplicates). */
typedef struct ng__item_brief {
    char *title, *status;            /* owned by the caller */
    int64_t submitted_at;
} ng__item_brief;

/* item:history{..., detail = true}: items received in the window by
 * status, and the first time the submitter or domain was seen (0 when
 * never).  approved and mod_rejected are moderator decisions; accepted
 * and rejected are the automatic ones no moderator changed. */
typedef struct ng__history_row {
    int64_t total, accepted, review, rejected, published;
    int64_t approved, mod_rejected, first_seen;
} ng__history_row;

/* One row of `queue list`. */
typedef struct ng__list_row {
    int64_t id;
    const char *status, *action;
    double score;
    const char *title, *submitter;   /* submitter may be NULL */
    int64_t submitted_at;
    const char *decided_by;          /* NULL unless a human decided */
    const char *verdict_json;        /* the stored verdict (core reads
                                        the rules that fired from it) */
} ng__list_row;

/* The item row of `queue show` (integers may be NG__NULL_INT). */
typedef struct ng__show_row {
    int64_t id;
    const char *external_id, *status, *action;
    double score;
    const char *verdict_json, *rules_hash, *decided_by;
    int64_t decided_at, lease_until;
    const char *lease_by;
    int64_t received_at, published_at;
    const char *item_json;
    int64_t submitted_at;
    const char *cleaned_body;  /* or NULL when nothing was cut */
} ng__show_row;

/* One audit entry. */
typedef struct ng__audit_row {
    int64_t at;
    const char *actor, *action, *detail, *rules_hash;
} ng__audit_row;

/* A rule the emergency brake switched to shadow mode. */
typedef struct ng__brake_row {
    const char *rule, *reason;
    int64_t at, item_id;       /* when, and the item that tripped it */
    int64_t released_after;    /* released when the last item was this
                                  one; 0 while the rule is braked */
} ng__brake_row;

/* Row callbacks: return NG_OK to go on, anything else stops the read and
 * is returned by the operation. */
typedef int (*ng__dupfp_fn)(void *arg, const ng__dupfp_row *r);
typedef int (*ng__src_fn)(void *arg, const ng__src_row *r);
typedef int (*ng__list_fn)(void *arg, const ng__list_row *r);
typedef int (*ng__show_fn)(void *arg, const ng__show_row *r);
typedef int (*ng__audit_fn)(void *arg, const ng__audit_row *r);
/* Learner state a backend reports: a generation that changes with every
 * learned item, and the number of spam and ham items learned. */
typedef struct ng__learn_state {
    int64_t generation;
    int64_t nspam, nham;
} ng__learn_state;

/* One learned item for the backend: its key (a hash of its text) and
 * class, the class it had before (-1 none), and its unique tokens, whose
 * counts move accordingly (core/learn.c decides; the backend writes). */
typedef struct ng__learn_row {
    uint64_t key;
    int spam;          /* 1 spam, 0 ham */
    int prev;          /* -1 not learned before, else its old class */
    const uint64_t *tokens;
    size_t ntokens;
    int64_t now;
} ng__learn_row;

/* Callback of the backend's token read: one token's counts.  Returns 0
 * to go on, non-zero to stop (the read then fails with NG_ENOMEM). */
typedef int (*ng__token_fn)(void *ctx, uint64_t token, uint32_t spam,
                            uint32_t ham);
typedef int (*ng__brake_fn)(void *arg, const ng__brake_row *r);
/* Per-rule figures over the items submitted since a time (stats). */
typedef struct ng__rulestat_row {
    const char *rule;
    int64_t items;              /* items in the range (same in every row) */
    int64_t runs, hits, errors;
    int64_t sum_us, max_us;
    int64_t hits_rejected, hits_approved; /* on items humans decided */
} ng__rulestat_row;
typedef int (*ng__rulestat_fn)(void *arg, const ng__rulestat_row *r);
/* One stored rule run: item, rule, hit (for the brake's windows); rule
 * NULL (hit 0) for an item that has no stored run. */
typedef int (*ng__recent_fn)(void *arg, int64_t item_id, const char *rule,
                             int hit);

typedef struct ng__store_ops {
    const char *name;                      /* "sqlite" */
    /* 1: items keep a savepoint each even in an all-or-nothing batch
     * (ng_store_batch_begin_whole), because the backend answers a lost
     * race with NG__ERETRY and the item is then filed again (several
     * writers: PostgreSQL). */
    int guard_items;
    void (*close)(ng_store *s);            /* frees the backend state */

    /* Write transactions (BEGIN IMMEDIATE for SQLite).  `durable` asks
     * for a commit that survives a machine crash.  They nest: a begin
     * inside an open transaction opens a savepoint, so one item of a
     * batch can be rolled back alone.  Core calls them only through
     * ng__store_begin/commit/rollback (store_api.c). */
    int (*begin)(ng_store *s, int durable);
    int (*commit)(ng_store *s);
    int (*rollback)(ng_store *s);

    /* Queue writes: each is one statement inside the caller's
     * transaction; core adds the audit entry. */
    int (*find_external)(ng_store *s, const char *ext, int64_t *id);
    /* Inserts the item; the database assigns *id. */
    int (*insert_item)(ng_store *s, const ng__item_row *r, int64_t *id);
    /* Texts in the stored form, made off the writing thread (optional:
     * NULL in a backend that stores texts as given, as PostgreSQL does).
     * pack_new makes a packer for one thread (NULL: no memory); pack
     * turns n bytes of text into its stored form, malloc'd into *out
     * (*out NULL and NG_OK when the text is stored as it is), which
     * insert_item then takes as r->item_packed; pack_free frees a packer
     * (NULL accepted).  They touch no connection and no handle: any
     * thread may call them while another uses the store. */
    void *(*pack_new)(void);
    int (*pack)(void *packer, const char *text, size_t n,
                unsigned char **out, size_t *outn);
    void (*pack_free)(void *packer);
    /* Stores the rule runs of a new item. */
    int (*add_runs)(ng_store *s, int64_t id, const ng__run_row *runs,
                    size_t nruns);
    /* Replaces the automatic verdict unless a human decided or the item
     * is published: NG_EEMPTY then. */
    int (*refile)(ng_store *s, int64_t id, const ng__refile *r);
    /* The decisions and the publisher hand-off.  On success they copy the
     * item's rules_hash ("" when none) into hash[n]; NG_EEMPTY when no
     * row qualified (core asks `status` why). */
    int (*decide)(ng_store *s, int64_t id, const char *status,
                  const char *by, int64_t now, char *hash, size_t n);
    int (*claim)(ng_store *s, int64_t now, int lease, const char *by,
                 int64_t *id, char *hash, size_t n);
    int (*ack)(ng_store *s, int64_t id, const char *by, int64_t now,
               char *hash, size_t n);
    int (*release)(ng_store *s, int64_t id, const char *by,
                   char *hash, size_t n);
    /* The status of item `id` into buf[n].  NG_ENOTFOUND when there is
     * no such item. */
    int (*status)(ng_store *s, int64_t id, char *buf, size_t n);

    /* Reports, rows out.  list hands out the rows `f` matches (status,
     * rule, since, submitter; limit and offset); list_count counts them
     * without limit and offset.  rule_known sets *known to 1 when some
     * stored item was checked with a rule of that name. */
    int (*list)(ng_store *s, const ng_queue_filter *f, ng__list_fn fn,
                void *arg);
    int (*list_count)(ng_store *s, const ng_queue_filter *f, int64_t *n);
    int (*rule_known)(ng_store *s, const char *rule, int *known);
    /* NG_ENOTFOUND when there is no such item. */
    int (*show)(ng_store *s, int64_t id, ng__show_fn fn, void *arg);
    int (*audit_trail)(ng_store *s, int64_t id, ng__audit_fn fn, void *arg);
    /* Stored items by status (ng_queue_count). */
    int (*count)(ng_store *s, ng_queue_counts *c);

    /* Index: items with `field` ("submitter" or "domain") equal to
     * `value` that the store received in [from, to] (received time, not
     * the submitted_at a client sends, so back-dating does not leave the
     * window).  With cap > 0 counting stops at cap (a rate limit only
     * needs to know it is reached; a flood makes the window long).
     * history_detail adds the counts by status and the first time the
     * value was ever seen. */
    int (*history)(ng_store *s, const char *field, const char *value,
                   int64_t from, int64_t to, int64_t cap, int64_t *count);
    int (*history_detail)(ng_store *s, const char *field, const char *value,
                          int64_t from, int64_t to, ng__history_row *out);

    /* Duplicate keys.  dup_insert stores one item's keys (inside the
     * caller's transaction).  dup_since hands out, in position order, the
     * rows whose commit-log position is > pos.  dup_shingles reads one
     * item's shingle blob as stored (malloc'd, caller frees; NG_ENOTFOUND
     * when absent); *legacy is 1 for a row stored before fingerprints
     * (schemas v1-v2: a sorted set rather than the text-order sequence).
     * dup_exact writes into ids[] (capacity `limit`) the items other than
     * `self` whose key equals `text` (URL) or `hash`, oldest first; a
     * backend may leave it NULL and hand out the keys with dup_since's
     * rows instead (SQLite, schema v13: core's index answers, and the
     * table needs no hash indexes).
     * describe fills a short description (NG_ENOTFOUND when absent).
     * dup_identity: see below. */
    int (*dup_insert)(ng_store *s, const ng__dupkeys_row *r);
    int (*dup_since)(ng_store *s, int64_t pos, ng__dupfp_fn fn,
                     void *arg);
    int (*dup_shingles)(ng_store *s, int64_t id, uint32_t **out,
                        size_t *n, int *legacy);
    int (*dup_exact)(ng_store *s, ng__dupkind kind, const char *text,
                     uint64_t hash, int64_t self, size_t limit,
                     int64_t *ids, size_t *n);
    int (*describe)(ng_store *s, int64_t id, ng__item_brief *out);
    /* The store's identity for index images (a random number made with
     * the database); NULL in a backend that keeps no image. */
    int (*dup_identity)(ng_store *s, uint64_t *out);

    /* Reference sources (a collection apart from the items).  src_insert
     * stores one (r->id ignored; *id set).  src_since / src_shingles are
     * dup_since / dup_shingles over the sources (position = id).
     * src_get hands one source (fps and shingles empty) to fn, or returns
     * NG_ENOTFOUND; src_list hands every source the same way, by id.
     * src_remove deletes the sources of `publisher` (when not NULL) or
     * the one with `id`, setting *n to how many went. */
    int (*src_insert)(ng_store *s, const ng__src_row *r, int64_t *id);
    int (*src_since)(ng_store *s, int64_t pos, ng__dupfp_fn fn, void *arg);
    int (*src_shingles)(ng_store *s, int64_t id, uint32_t **out, size_t *n,
                        int *legacy);
    int (*src_get)(ng_store *s, int64_t id, ng__src_fn fn, void *arg);
    int (*src_list)(ng_store *s, ng__src_fn fn, void *arg);
    int (*src_remove)(ng_store *s, const char *publisher, int64_t id,
                      int64_t *n);

    /* The emergency brake.  brake_set records a braked rule (replacing
     * an older record) and brake_clear releases one, noting the last item
     * stored then and setting *item_id to the item that tripped it
     * (NG_ENOTFOUND when the rule is not braked); both inside the
     * caller's transaction.  brakes hands out every record, released
     * ones too. */
    int (*brake_set)(ng_store *s, const ng__brake_row *r);
    int (*brake_clear)(ng_store *s, const char *rule, int64_t *item_id);
    int (*brakes)(ng_store *s, ng__brake_fn fn, void *arg);
    /* A read snapshot: on = 1 starts a read transaction (when none is
     * open), 0 ends it.  Many reads in one snapshot take the database's
     * locks once (replays). */
    int (*snapshot)(ng_store *s, int on);
    /* Per-rule figures over the items submitted at or after `since`, in
     * rule name order; errors come from the stored verdicts. */
    int (*rule_stats)(ng_store *s, int64_t since, ng__rulestat_fn fn,
                      void *arg);
    /* The rule runs of the last `items` stored items, oldest first, by
     * item; an item without stored runs comes once with rule NULL. */
    int (*recent_runs)(ng_store *s, int64_t items, ng__recent_fn fn,
                       void *arg);

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

    /* Tokens of the spam learner (store/sqlite_tokens.c).  learned_get:
     * the class an item key was learned as (*spam 1 or 0), NG_ENOTFOUND
     * when never.  learn: applies one row inside the caller's write
     * transaction (token counts, the learned item, the state).
     * learn_state: generation and class counts.  tokens_read: calls `fn`
     * for every token with its counts. */
    int (*learned_get)(ng_store *s, uint64_t key, int *spam);
    int (*learn)(ng_store *s, const ng__learn_row *r);
    int (*learn_state)(ng_store *s, ng__learn_state *st);
    int (*tokens_read)(ng_store *s, ng__token_fn fn, void *ctx);

    /* A number that changes whenever another connection (process,
     * server) commits to the store, and not for this handle's own
     * commits (SQLite: PRAGMA data_version).  Lets core keep answers
     * between look-ups (history counts, core/history_cache.c) while only
     * this handle writes.  May be NULL: core then keeps nothing. */
    int (*others_version)(ng_store *s, uint64_t *v);

    /* How long a write waits for another connection's lock before
     * NG_EBUSY, in milliseconds (ng_store_set_busy_timeout).  May be NULL
     * in a backend without lock waits. */
    void (*set_busy_timeout)(ng_store *s, int ms);
} ng__store_ops;

/* A backend in the registry: `accepts` says whether it handles a path or
 * URL; `open` fills s->ops and s->impl (NG_OK or an error with s->err). */
typedef struct ng__store_backend {
    const char *name;
    int (*accepts)(const char *path);
    int (*open)(ng_store *s, const char *path, int flags);
} ng__store_backend;

/* The backend for `path`: the first registered one that accepts it. */
const ng__store_backend *ng__store_backend_for(const char *path);

struct ng_store {
    const ng__store_ops *ops;
    void *impl;                    /* backend state */
    char *path;
    int flags;                     /* NG_STORE_* */
    int batch;                     /* inside ng_store_batch_begin */
    int whole;                     /* the batch is all or nothing: its
                                      inner levels open no savepoint */
    int broken;                    /* ... and one failed: all rolled back */
    int depth;                     /* open transaction levels */
    uint64_t generation;           /* bumped by every commit/rollback */
    struct ng__dupstate *dup;      /* owned by the dup module */
    struct ng__dupstate *src;      /* the reference sources' index */
    int64_t horizon;               /* replay: look-ups see only items with
                                      a smaller id (0: every item) ... */
    int64_t horizon_at;            /* ... and their status as it was at
                                      this time (decisions taken later
                                      hidden) */
    struct ng__histcache *hist;    /* history counts kept (writing handle;
                                      core/history_cache.c) */
    struct {                       /* the learner state last read, while
                                      neither this handle nor another
                                      connection committed (core/learn.c) */
        int ok;
        uint64_t ver, gen;
        ng__learn_state st;
    } learned;
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

/* Adds n items of `status` to c (total and the status's field); shared
 * by the backends' `count` (store/tally.c). */
void ng__store_tally(ng_queue_counts *c, const char *status, int64_t n);

/* The PostgreSQL backend: connects to `url` (postgresql://... or
 * postgres://...) and brings its schema up to date.  Returns NG_OK, or
 * NG_EBUSY when the database cannot be reached, NG_ENOTDB / NG_EVERSION /
 * NG_ESTORE with s->err set. */
int ng__pg_open(ng_store *s, const char *url, int flags);

#endif
