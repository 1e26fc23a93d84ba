/*
 * pg_impl.h -- private to the PostgreSQL backend (store/pg*.c): the
 * backend state hung on a store handle, the one table of fixed SQL texts
 * (prepared once per connection), parameter lists and the helpers every
 * pg*.c file runs its statements through.  Nothing outside store/
 * includes this; only store/ includes libpq-fe.h.
 *
 * Convention: as in store.h, every function returns NG_OK or an NG_E*
 * code with the handle's message set.  A lost connection is NG_EBUSY
 * ("database unavailable"); the next call reconnects, with back-off.
 */
#ifndef NG_PG_IMPL_H
#define NG_PG_IMPL_H

#include <libpq-fe.h>
#include "store.h"

/* Schema version of a PostgreSQL store (table ng_meta), apart from the
 * SQLite file's user_version: the two schemas evolve separately. */
#define NG__PG_SCHEMA_VERSION 1

/* Statements, one per fixed SQL text (pg.c). */
enum {
    PG_FIND_EXT, PG_INSERT, PG_RUN, PG_AUDIT,
    PG_REFILE, PG_DECIDE, PG_STATUS, PG_CLAIM, PG_ACK, PG_RELEASE,
    PG_HIST_SUBMITTER, PG_HIST_DOMAIN, PG_HISTD_SUBMITTER, PG_HISTD_DOMAIN,
    PG_LIST_COUNT, PG_RULE_KNOWN, PG_SHOW, PG_SHOW_AUDIT, PG_COUNT_STATUS,
    PG_DUP_INSERT, PG_DUP_CLAIM, PG_DUP_OWNER, PG_DUP_SINCE,
    PG_DUP_SHINGLES, PG_DUP_URL, PG_DUP_TEXT, PG_DUP_TITLE, PG_DESCRIBE,
    PG_LEARNED_GET, PG_LEARNED_PUT, PG_TOKEN_ADD, PG_TOKEN_PRUNE,
    PG_LEARN_MOVE, PG_LEARN_STATE, PG_TOKENS,
    PG_SRC_INSERT, PG_SRC_SINCE, PG_SRC_SHINGLES, PG_SRC_GET, PG_SRC_LIST,
    PG_SRC_DEL_PUB, PG_SRC_DEL_ID,
    PG_BRAKE_SET, PG_BRAKE_CLEAR, PG_BRAKES, PG_RECENT_RUNS, PG_RULE_STATS,
    PG_NSTMT
};

/* The filters of `queue list`, one bit each (as in sqlite_impl.h). */
enum {
    NG__PGL_STATUS = 1, NG__PGL_RULE = 2, NG__PGL_SUBMITTER = 4,
    NG__PGL_SINCE = 8, NG__PGL_COMBOS = 16
};

typedef struct ng__pg {
    PGconn *conn;
    char *url;
    unsigned char prepared[PG_NSTMT];       /* on this connection */
    unsigned char list_prepared[NG__PGL_COMBOS];
    int depth;             /* open transaction levels (savepoints in) */
    int snapshot;          /* a read snapshot is open */
    int64_t retry_at_us;   /* no reconnect before this (back-off) */
    int64_t backoff_us;    /* the next pause, doubling to 5 s */
} ng__pg;

/* Parameters of one statement: text (or binary for bytea) values. */
#define NG__PG_MAXP 12
typedef struct ng__pgp {
    int n;
    const char *v[NG__PG_MAXP];
    int len[NG__PG_MAXP], fmt[NG__PG_MAXP];
    char buf[NG__PG_MAXP][32];
} ng__pgp;

void ng__pg_int(ng__pgp *p, int64_t v);
void ng__pg_dbl(ng__pgp *p, double v);
void ng__pg_str(ng__pgp *p, const char *s);     /* NULL: SQL NULL */
void ng__pg_bin(ng__pgp *p, const void *b, size_t n);

/* The backend state of `s`. */
ng__pg *ng__pg_of(ng_store *s);

/* Runs statement `which` with p (NULL: none).  Returns the result (the
 * caller PQclear()s it) with *rc NG_OK, or NULL with *rc an error (s->err
 * set).  A lost connection outside a transaction is reconnected (with
 * back-off) and the statement tried once more. */
PGresult *ng__pg_run(ng_store *s, int which, const ng__pgp *p, int *rc,
                     const char *what);
/* As ng__pg_run, the result dropped: NG_OK or an error.  *changed (may
 * be NULL) gets the number of rows the statement changed. */
int ng__pg_exec(ng_store *s, int which, const ng__pgp *p, int64_t *changed,
                const char *what);
/* Runs fixed text `sql` with p through the unnamed statement (the list
 * statements, built per filter mask). */
PGresult *ng__pg_run_sql(ng_store *s, const char *name, const char *sql,
                         const ng__pgp *p, int *rc, const char *what);

/* Maps a failed result (or a NULL one) to a code with s->err set:
 * NG_EBUSY for a lost connection, deadlock or serialization failure,
 * NG_ESTORE otherwise. */
int ng__pg_err(ng_store *s, const PGresult *r, const char *what);

/* Column helpers: NULL when SQL NULL; NG__NULL_INT for opt_int. */
const char *ng__pg_text(const PGresult *r, int row, int col);
int64_t ng__pg_i64(const PGresult *r, int row, int col);
int64_t ng__pg_opt(const PGresult *r, int row, int col);
/* A bytea column (text format) as uint32 values, malloc'd into *out
 * (caller frees), *n values.  Returns NG_OK or NG_ENOMEM. */
int ng__pg_u32s(const PGresult *r, int row, int col, uint32_t **out,
                size_t *n);
/* Packs v as little-endian bytes (malloc'd; NULL on no memory). */
unsigned char *ng__pg_pack(const uint32_t *v, size_t n);

/* The SQL of the `queue list` statement for filter `mask` into buf[n]
 * (pg_report.c); NULL when n is too small. */
char *ng__pg_list_sql(unsigned mask, char *buf, size_t n);

/* Operations, filled into the ops table (pg.c). */
int ng__pg_begin(ng_store *s, int durable);
int ng__pg_commit(ng_store *s);
int ng__pg_rollback(ng_store *s);
int ng__pg_snapshot(ng_store *s, int on);

/* pg_queue.c */
int ng__pg_find_external(ng_store *s, const char *ext, int64_t *id);
int ng__pg_insert_item(ng_store *s, const ng__item_row *r, int64_t *id);
int ng__pg_add_runs(ng_store *s, int64_t id, const ng__run_row *runs,
                    size_t nruns);
int ng__pg_refile(ng_store *s, int64_t id, const ng__refile *r);
int ng__pg_decide(ng_store *s, int64_t id, const char *status,
                  const char *by, int64_t now, char *hash, size_t n);
int ng__pg_claim(ng_store *s, int64_t now, int lease, const char *by,
                 int64_t *id, char *hash, size_t n);
int ng__pg_ack(ng_store *s, int64_t id, const char *by, int64_t now,
               char *hash, size_t n);
int ng__pg_release(ng_store *s, int64_t id, const char *by, char *hash,
                   size_t n);
int ng__pg_status(ng_store *s, int64_t id, char *buf, size_t n);
int ng__pg_history(ng_store *s, const char *field, const char *value,
                   int64_t from, int64_t to, int64_t cap, int64_t *count);
int ng__pg_history_detail(ng_store *s, const char *field, const char *value,
                          int64_t from, int64_t to, ng__history_row *out);
int ng__pg_audit(ng_store *s, int64_t id, int64_t at, const char *actor,
                 const char *action, const char *detail,
                 const char *rules_hash);

/* pg_report.c */
int ng__pg_list(ng_store *s, const ng_queue_filter *f, ng__list_fn fn,
                void *arg);
int ng__pg_list_count(ng_store *s, const ng_queue_filter *f, int64_t *n);
int ng__pg_rule_known(ng_store *s, const char *rule, int *known);
int ng__pg_show(ng_store *s, int64_t id, ng__show_fn fn, void *arg);
int ng__pg_audit_trail(ng_store *s, int64_t id, ng__audit_fn fn,
                       void *arg);
int ng__pg_count(ng_store *s, ng_queue_counts *c);

/* pg_dup.c: duplicate keys and reference sources */
int ng__pg_dup_insert(ng_store *s, const ng__dupkeys_row *r);
int ng__pg_dup_since(ng_store *s, int64_t pos, ng__dupfp_fn fn, void *arg);
int ng__pg_dup_shingles(ng_store *s, int64_t id, uint32_t **out,
                        size_t *n, int *legacy);
int ng__pg_dup_exact(ng_store *s, ng__dupkind kind, const char *text,
                     uint64_t hash, int64_t self, size_t limit,
                     int64_t *ids, size_t *n);
int ng__pg_describe(ng_store *s, int64_t id, ng__item_brief *out);
int ng__pg_src_insert(ng_store *s, const ng__src_row *r, int64_t *id);
int ng__pg_src_since(ng_store *s, int64_t pos, ng__dupfp_fn fn, void *arg);
int ng__pg_src_shingles(ng_store *s, int64_t id, uint32_t **out,
                        size_t *n, int *legacy);
int ng__pg_src_get(ng_store *s, int64_t id, ng__src_fn fn, void *arg);
int ng__pg_src_list(ng_store *s, ng__src_fn fn, void *arg);
int ng__pg_src_remove(ng_store *s, const char *publisher, int64_t id,
                      int64_t *n);

/* pg_tokens.c: the spam learner */
int ng__pg_learned_get(ng_store *s, uint64_t key, int *spam);
int ng__pg_learn(ng_store *s, const ng__learn_row *r);
int ng__pg_learn_state(ng_store *s, ng__learn_state *st);
int ng__pg_tokens_read(ng_store *s, ng__token_fn fn, void *ctx);

/* pg_rules.c: brakes, rule stats, recent runs */
int ng__pg_brake_set(ng_store *s, const ng__brake_row *r);
int ng__pg_brake_clear(ng_store *s, const char *rule, int64_t *item_id);
int ng__pg_brakes(ng_store *s, ng__brake_fn fn, void *arg);
int ng__pg_rule_stats(ng_store *s, int64_t since, ng__rulestat_fn fn,
                      void *arg);
int ng__pg_recent_runs(ng_store *s, int64_t items, ng__recent_fn fn,
                       void *arg);

/* pg_schema.c: brings the schema up to date (one transaction under an
 * advisory lock, so two processes opening one new database do not both
 * migrate it). */
int ng__pg_migrate(ng_store *s);

#endif
