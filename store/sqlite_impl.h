/*
 * sqlite_impl.h -- private to the SQLite backend (store/sqlite*.c): the
 * backend state hung on a store handle and its one cache of prepared
 * statements (an enum of fixed SQL texts).  Nothing outside store/
 * includes this.
 */
#ifndef NG_SQLITE_IMPL_H
#define NG_SQLITE_IMPL_H

#include <sqlite3.h>
#include "store.h"

/* Prepared statements, one per fixed SQL text (see sqlite.c). */
enum {
    ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
    ST_SAVEPOINT, ST_RELEASE_SP, ST_ROLLBACK_SP,
    ST_FIND_EXT, ST_INSERT, ST_RUN, ST_AUDIT,
    ST_REFILE, ST_DECIDE, ST_STATUS, ST_CLAIM, ST_ACK, ST_RELEASE,
    ST_HIST_SUBMITTER, ST_HIST_DOMAIN, ST_HISTD_SUBMITTER, ST_HISTD_DOMAIN,
    ST_LIST_COUNT, ST_RULE_KNOWN, ST_SHOW, ST_SHOW_AUDIT,
    ST_DUP_INSERT, ST_DUP_SINCE, ST_DUP_SHINGLES, ST_DUP_IDENTITY, ST_DESCRIBE,
    ST_LEARNED_GET, ST_LEARNED_PUT, ST_TOKEN_ADD, ST_TOKEN_PRUNE,
    ST_LEARN_MOVE, ST_LEARN_STATE, ST_TOKENS,
    ST_SRC_INSERT, ST_SRC_SINCE, ST_SRC_SHINGLES, ST_SRC_GET, ST_SRC_LIST,
    ST_SRC_DEL_PUB, ST_SRC_DEL_ID,
    ST_BRAKE_SET, ST_BRAKE_CLEAR, ST_BRAKES, ST_RECENT_RUNS, ST_RULE_STATS,
    ST_DATA_VERSION,
    ST_COUNT
};

/* The filters of `queue list`, one bit each: a statement per
 * combination (sqlite_report.c), each driven by the index it needs. */
enum {
    NG__LIST_STATUS = 1, NG__LIST_RULE = 2, NG__LIST_SUBMITTER = 4,
    NG__LIST_SINCE = 8, NG__LIST_COMBOS = 16
};

typedef struct ng__sqlite {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    sqlite3_stmt *list_st[NG__LIST_COMBOS]; /* by filter mask */
    int depth;        /* open transaction levels (savepoints inside) */
    int sync;         /* synchronous level in force: 0 off, 1 normal,
                         2 full; -1 unknown */
    uint64_t deadline_us; /* set_deadline's bound, 0: none */
} ng__sqlite;

/* The fixed SQL text of statement `which` (tests read query plans). */
const char *ng__sqlite_sql(int which);

/* The backend state of `s`. */
ng__sqlite *ng__sqlite_of(ng_store *s);

/* Returns statement `which`, prepared on first use and reset, or NULL
 * with s->err set. */
sqlite3_stmt *ng__sqlite_stmt(ng_store *s, int which);

/* The one SQLite error mapper: sets s->err from the database error and
 * returns the matching code: NG_EBUSY for SQLITE_BUSY/LOCKED, NG_ENOMEM,
 * NG_ESTORE otherwise. */
int ng__sqlite_err(ng_store *s, int rc, const char *what);

/* Binds text or NULL. */
int ng__sqlite_text(sqlite3_stmt *st, int i, const char *s);

/* Runs a statement that returns no rows (or ignores them): NG_OK or an
 * error code. */
int ng__sqlite_exec(ng_store *s, sqlite3_stmt *st, const char *what);

/* Writes the SQL text of the `queue list` statement for filter `mask`
 * (NG__LIST_* bits) into buf[n]; returns buf, or NULL when n is too
 * small.  Parameters: ?1 status, ?2 rule, ?3 submitter, ?4 since,
 * ?5 limit. */
char *ng__sqlite_list_sql(unsigned mask, char *buf, size_t n);

/* The queue operations (sqlite_queue.c), filled into the ops table. */
int ng__sqlite_find_external(ng_store *s, const char *ext, int64_t *id);
int ng__sqlite_insert_item(ng_store *s, const ng__item_row *r, int64_t *id);
int ng__sqlite_add_runs(ng_store *s, int64_t id, const ng__run_row *runs,
                        size_t nruns);
int ng__sqlite_refile(ng_store *s, int64_t id, const ng__refile *r);
int ng__sqlite_decide(ng_store *s, int64_t id, const char *status,
                      const char *by, int64_t now, char *hash, size_t n);
int ng__sqlite_claim(ng_store *s, int64_t now, int lease, const char *by,
                     int64_t *id, char *hash, size_t n);
int ng__sqlite_ack(ng_store *s, int64_t id, const char *by, int64_t now,
                   char *hash, size_t n);
int ng__sqlite_release(ng_store *s, int64_t id, const char *by,
                       char *hash, size_t n);
int ng__sqlite_status(ng_store *s, int64_t id, char *buf, size_t n);
int ng__sqlite_history(ng_store *s, const char *field, const char *value,
                       int64_t from, int64_t to, int64_t cap, int64_t *count);
int ng__sqlite_history_detail(ng_store *s, const char *field,
                              const char *value, int64_t from, int64_t to,
                              ng__history_row *out);
int ng__sqlite_audit(ng_store *s, int64_t id, int64_t at, const char *actor,
                     const char *action, const char *detail,
                     const char *rules_hash);

/* Reports (sqlite_report.c): rows of queue list and show. */
int ng__sqlite_list(ng_store *s, const ng_queue_filter *f, ng__list_fn fn,
                    void *arg);
int ng__sqlite_list_count(ng_store *s, const ng_queue_filter *f,
                          int64_t *n);
int ng__sqlite_rule_known(ng_store *s, const char *rule, int *known);
int ng__sqlite_show(ng_store *s, int64_t id, ng__show_fn fn, void *arg);
int ng__sqlite_count(ng_store *s, ng_queue_counts *c);   /* sqlite_count.c */
int ng__sqlite_audit_trail(ng_store *s, int64_t id, ng__audit_fn fn,
                           void *arg);

/* Registers the SQL functions the migrations use (ng_sketch, in
 * sqlite_dup.c).  Returns NG_OK or a store error. */
int ng__sqlite_functions(ng_store *s);
/* Registers ng_zip() and ng_unzip() (sqlite_zip.c), which compress and
 * restore the item, verdict and cleaned-body texts. */
int ng__sqlite_zip_functions(ng_store *s);
/* The same compression as a packer (store.h, ops->pack_new/pack/
 * pack_free): no connection, one packer per thread. */
void *ng__sqlite_zip_new(void);
int ng__sqlite_zip_text(void *packer, const char *text, size_t n,
                    unsigned char **out, size_t *outn);
void ng__sqlite_zip_free(void *packer);

/* Duplicate keys (sqlite_dup.c). */
int ng__sqlite_dup_insert(ng_store *s, const ng__dupkeys_row *r);
int ng__sqlite_dup_since(ng_store *s, int64_t pos, ng__dupfp_fn fn,
                         void *arg);
int ng__sqlite_dup_identity(ng_store *s, uint64_t *out);

/* sqlite_dup.c, shared with sqlite_sources.c: one key/fingerprint row
 * read per statement (columns: id, blob, raw blob) or one blob. */
int ng__sqlite_since(ng_store *s, int which, int64_t pos, ng__dupfp_fn fn,
                     void *arg);
int ng__sqlite_blob(ng_store *s, int which, int64_t id, uint32_t **out,
                    size_t *n, int *legacy);
unsigned char *ng__sqlite_pack(const uint32_t *v, size_t n);
/* Binds fps and shingles as blobs at col and col + 1 (the other
 * parameters bound by the caller), runs st and clears its bindings.
 * Returns NG_OK, NG_ENOMEM or a store error. */
int ng__sqlite_put_keys(ng_store *s, sqlite3_stmt *st, int col,
                        const uint32_t *fps, size_t nfps,
                        const uint32_t *sh, size_t nsh, const char *what);

/* sqlite_sources.c */
int ng__sqlite_src_insert(ng_store *s, const ng__src_row *r, int64_t *id);
int ng__sqlite_src_since(ng_store *s, int64_t pos, ng__dupfp_fn fn,
                         void *arg);
int ng__sqlite_src_shingles(ng_store *s, int64_t id, uint32_t **out,
                            size_t *n, int *legacy);
int ng__sqlite_src_get(ng_store *s, int64_t id, ng__src_fn fn, void *arg);
int ng__sqlite_src_list(ng_store *s, ng__src_fn fn, void *arg);
int ng__sqlite_src_remove(ng_store *s, const char *publisher, int64_t id,
                          int64_t *n);
int ng__sqlite_dup_shingles(ng_store *s, int64_t id, uint32_t **out,
                            size_t *n, int *legacy);
int ng__sqlite_describe(ng_store *s, int64_t id, ng__item_brief *out);

/* Schema (sqlite_schema.c).  ng__sqlite_user_version reads PRAGMA
 * user_version (the first read of a file: NG_ENOTDB for one that is not a
 * database); ng__sqlite_recognise gives NG_OK for an empty database or a
 * newsgate store, NG_ENOTDB for another program's; ng__sqlite_migrate
 * brings the schema to NG__SCHEMA_VERSION in one write transaction. */
int ng__sqlite_user_version(ng_store *s, int *version);
int ng__sqlite_recognise(ng_store *s, int version);
int ng__sqlite_migrate(ng_store *s);

/* The spam learner's tables (sqlite_tokens.c): schema v2 and the token
 * operations of the ops table. */
extern const char ng__sqlite_schema_v2[];
/* Version 11: compressed texts, stored title and submitter (sqlite_zip.c). */
extern const char ng__sqlite_schema_v11[];
int ng__sqlite_learned_get(ng_store *s, uint64_t key, int *spam);
int ng__sqlite_learn(ng_store *s, const ng__learn_row *r);
int ng__sqlite_learn_state(ng_store *s, ng__learn_state *st);
int ng__sqlite_tokens_read(ng_store *s, ng__token_fn fn, void *ctx);
/* Brake and rule stats (sqlite_rules.c). */
int ng__sqlite_brake_set(ng_store *s, const ng__brake_row *r);
int ng__sqlite_brake_clear(ng_store *s, const char *rule, int64_t *item_id);
int ng__sqlite_brakes(ng_store *s, ng__brake_fn fn, void *arg);
int ng__sqlite_rule_stats(ng_store *s, int64_t since, ng__rulestat_fn fn,
                          void *arg);
int ng__sqlite_snapshot(ng_store *s, int on);
int ng__sqlite_recent_runs(ng_store *s, int64_t items, ng__recent_fn fn,
                           void *arg);

/* Transactions (sqlite.c). */
int ng__sqlite_begin(ng_store *s, int durable);
int ng__sqlite_commit(ng_store *s);
int ng__sqlite_rollback(ng_store *s);

#endif
