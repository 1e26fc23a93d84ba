/*
 * sqlite.c -- the SQLite backend of the store: opening and refusing
 * database files, connection settings, write transactions, the one cache
 * of prepared statements and the one error mapper of the backend.  The
 * schema and its migrations are sqlite_schema.c.
 *
 * A database is one file in WAL mode with foreign keys on and a 30 s busy
 * timeout.  Every write runs in BEGIN IMMEDIATE, which takes the write lock
 * up front: a transaction never has to upgrade a read lock, so concurrent
 * writers wait for each other instead of failing with "database is
 * locked".  The schema version lives in PRAGMA user_version; migrations
 * are a table of SQL scripts applied in order on open.  Files that are not
 * databases, or that come from a newer newsgate, are refused untouched.
 * All SQL here is fixed text; values are always bound.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "sqlite_impl.h"

/* The filter of queue list and its count: ?1 status, ?2 rule, ?3 since,
 * ?5 submitter (?4 limit and ?6 offset are the list's). */
#define LIST_WHERE \
    " WHERE (?1 IS NULL OR status = ?1)" \
    " AND (?2 IS NULL OR id IN (SELECT item_id FROM rule_runs" \
    "      WHERE rule = ?2 AND hit = 1))" \
    " AND submitted_at >= ?3" \
    " AND (?5 IS NULL OR submitter = ?5)"

/* item:history detail for column COL: counts by status in the window
 * (?2..?3, received time) and the first time ?1 was seen at all. */
#define HIST_DETAIL(col) \
    "SELECT count(*)," \
    " coalesce(sum(status = 'accepted' AND decided_by IS NULL), 0)," \
    " coalesce(sum(status = 'review'), 0)," \
    " coalesce(sum(status = 'rejected' AND decided_by IS NULL), 0)," \
    " coalesce(sum(status = 'published'), 0)," \
    " coalesce(sum(status IN ('accepted', 'published')" \
    "  AND decided_by IS NOT NULL), 0)," \
    " coalesce(sum(status = 'rejected' AND decided_by IS NOT NULL), 0)," \
    " (SELECT coalesce(min(received_at), 0) FROM items WHERE " col " = ?1)" \
    " FROM items WHERE " col " = ?1 AND received_at BETWEEN ?2 AND ?3"

static const ng__store_ops sqlite_ops;

/* ---- statements ---------------------------------------------------- */

static const char *const sql_text[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT ng_item",
    [ST_RELEASE_SP] = "RELEASE ng_item",
    [ST_ROLLBACK_SP] = "ROLLBACK TO ng_item",
    [ST_FIND_EXT] = "SELECT id FROM items WHERE external_id = ?1",
    /* The database assigns the id (last_insert_rowid). */
    [ST_INSERT] =
        "INSERT INTO items (external_id, domain, submitted_at,"
        " received_at, status, action, score, verdict, rules_hash, item,"
        " cleaned_body, title, submitter) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
        " ?7, ng_zip(?8), ?9, ng_zip(?10), ng_zip(?11),"
        /* Title and submitter as core gives them (?12 NULL: a caller
         * that gives neither; then read out of the item JSON). */
        " coalesce(?12, json_extract(?10, '$.title'), ''),"
        " CASE WHEN ?12 IS NULL THEN json_extract(?10, '$.submitter')"
        "  ELSE ?13 END)",
    [ST_RUN] = "INSERT INTO rule_runs (item_id, rule, hit, us)"
               " VALUES (?1, ?2, ?3, ?4)",
    [ST_AUDIT] = "INSERT INTO audit (item_id, at, actor, action, detail,"
                 " rules_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_REFILE] =
        "UPDATE items SET status = ?2, action = ?3, score = ?4,"
        " verdict = ng_zip(?5), rules_hash = ?6 WHERE id = ?1"
        " AND decided_by IS NULL AND status <> 'published' RETURNING id",
    [ST_DECIDE] =
        "UPDATE items SET status = ?2, decided_by = ?3, decided_at = ?4,"
        " lease_until = CASE WHEN ?2 = 'rejected' THEN NULL"
        "  ELSE lease_until END,"
        " lease_by = CASE WHEN ?2 = 'rejected' THEN NULL ELSE lease_by END"
        " WHERE id = ?1 AND status <> 'published' RETURNING rules_hash",
    [ST_STATUS] = "SELECT status FROM items WHERE id = ?1",
    [ST_CLAIM] =
        "UPDATE items SET lease_until = ?1 + ?2, lease_by = ?3"
        " WHERE id = (SELECT id FROM items WHERE status = 'accepted'"
        "  AND (lease_until IS NULL OR lease_until <= ?1)"
        "  ORDER BY id LIMIT 1) RETURNING id, rules_hash",
    [ST_ACK] =
        "UPDATE items SET status = 'published', published_at = ?3,"
        " lease_until = NULL, lease_by = NULL"
        " WHERE id = ?1 AND status = 'accepted' AND lease_until IS NOT NULL"
        " AND (?2 IS NULL OR lease_by IS NULL OR lease_by = ?2)"
        " RETURNING rules_hash",
    [ST_RELEASE] =
        "UPDATE items SET lease_until = NULL, lease_by = NULL"
        " WHERE id = ?1 AND status = 'accepted' AND lease_until IS NOT NULL"
        " AND (?2 IS NULL OR lease_by IS NULL OR lease_by = ?2)"
        " RETURNING rules_hash",
    /* By received time: a client cannot back-date items out of the
     * window. */
    /* ?5 caps the count (-1: no cap), so a flood's long window is not
     * walked to its end. */
    [ST_HIST_SUBMITTER] =
        "SELECT count(*) FROM (SELECT 1 FROM items WHERE submitter = ?1"
        " AND received_at BETWEEN ?2 AND ?3 AND id < ?4 LIMIT ?5)",
    [ST_HIST_DOMAIN] =
        "SELECT count(*) FROM (SELECT 1 FROM items WHERE domain = ?1"
        " AND received_at BETWEEN ?2 AND ?3 AND id < ?4 LIMIT ?5)",
    [ST_HISTD_SUBMITTER] = HIST_DETAIL("submitter"),
    [ST_HISTD_DOMAIN] = HIST_DETAIL("domain"),
    [ST_LIST_COUNT] = "SELECT count(*) FROM items" LIST_WHERE,
    /* A rule is known when it ever fired (partial index) or ran on one of
     * the latest items (a rowid range at the end of rule_runs). */
    [ST_RULE_KNOWN] =
        "SELECT EXISTS (SELECT 1 FROM rule_runs WHERE rule = ?1 AND hit = 1)"
        " OR EXISTS (SELECT 1 FROM rule_runs WHERE rowid >="
        "  (SELECT max(rowid) FROM rule_runs) - 4096 AND rule = ?1)",
    [ST_SHOW] =
        "SELECT id, external_id, status, action, score, ng_unzip(verdict),"
        " rules_hash, decided_by, decided_at, lease_until, lease_by,"
        " received_at, published_at, ng_unzip(item), submitted_at,"
        " ng_unzip(cleaned_body) FROM items"
        " WHERE id = ?1",
    [ST_SHOW_AUDIT] =
        "SELECT at, actor, action, detail, rules_hash FROM audit"
        " WHERE item_id = ?1 ORDER BY id",
    /* Duplicate keys.  The commit-log position of a row is its item_id:
     * SQLite has one writer, so ids are assigned in commit order. */
    [ST_DUP_INSERT] =
        "INSERT OR REPLACE INTO dup_keys (item_id, url_canon, text_hash,"
        " title_hash, fps, shingles, sketch)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_DUP_SINCE] =
        "SELECT item_id, fps, CASE WHEN fps IS NULL THEN shingles END,"
        " sketch, url_canon, text_hash, title_hash FROM dup_keys"
        " WHERE item_id > ?1 ORDER BY item_id",
    [ST_DUP_SHINGLES] =
        "SELECT shingles, fps IS NULL FROM dup_keys WHERE item_id = ?1",
    [ST_DUP_IDENTITY] = "SELECT identity FROM dup_meta LIMIT 1",
    [ST_SRC_INSERT] =
        "INSERT INTO sources (publisher, domain, title, added_at, fps,"
        " shingles, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_SRC_SINCE] =
        "SELECT id, fps, NULL, NULL, NULL, NULL, NULL FROM sources"
        " WHERE id > ?1 ORDER BY id",
    [ST_SRC_SHINGLES] = "SELECT shingles, 0 FROM sources WHERE id = ?1",
    [ST_SRC_GET] =
        "SELECT id, publisher, domain, title, added_at, body FROM sources"
        " WHERE id = ?1",
    [ST_SRC_LIST] =
        "SELECT id, publisher, domain, title, added_at FROM sources"
        " ORDER BY id",
    [ST_SRC_DEL_PUB] = "DELETE FROM sources WHERE publisher = ?1",
    [ST_SRC_DEL_ID] = "DELETE FROM sources WHERE id = ?1",
    /* ?2 > 0 (a replay's horizon time): the status the item had then. */
    [ST_DESCRIBE] =
        "SELECT title, CASE"
        " WHEN ?2 > 0 AND decided_at > ?2 THEN CASE action"
        "  WHEN 'accept' THEN 'accepted' WHEN 'review' THEN 'review'"
        "  ELSE 'rejected' END"
        " WHEN ?2 > 0 AND status = 'published' AND published_at > ?2"
        "  THEN 'accepted'"
        " ELSE status END, submitted_at FROM items WHERE id = ?1",
    /* The spam learner (schema v2, sqlite_tokens.c). */
    [ST_LEARNED_GET] =
        "SELECT class = 'spam' FROM bayes_learned WHERE key = ?1",
    [ST_LEARNED_PUT] =
        "INSERT INTO bayes_learned (key, class, learned_at)"
        " VALUES (?1, ?2, ?3)"
        " ON CONFLICT (key) DO UPDATE SET class = ?2, learned_at = ?3",
    [ST_TOKEN_ADD] =
        "INSERT INTO bayes_tokens (token, spam, ham)"
        " VALUES (?1, max(?2, 0), max(?3, 0)) ON CONFLICT (token) DO UPDATE"
        " SET spam = max(spam + ?2, 0), ham = max(ham + ?3, 0)",
    [ST_TOKEN_PRUNE] =
        "DELETE FROM bayes_tokens WHERE token = ?1 AND spam = 0 AND ham = 0",
    [ST_LEARN_MOVE] =
        "UPDATE bayes_state SET generation = generation + 1,"
        " nspam = max(nspam + ?1, 0), nham = max(nham + ?2, 0) WHERE id = 1",
    [ST_LEARN_STATE] =
        "SELECT generation, nspam, nham FROM bayes_state WHERE id = 1",
    [ST_TOKENS] = "SELECT token, spam, ham FROM bayes_tokens",
    [ST_BRAKE_SET] =
        "INSERT OR REPLACE INTO rule_brakes (rule, at, item_id, reason)"
        " VALUES (?1, ?2, ?3, ?4)",
    [ST_BRAKE_CLEAR] =
        "UPDATE rule_brakes SET released_after ="
        " (SELECT coalesce(max(id), 0) FROM items)"
        " WHERE rule = ?1 AND released_after IS NULL RETURNING item_id",
    [ST_BRAKES] =
        "SELECT rule, at, item_id, reason, released_after FROM rule_brakes"
        " ORDER BY rule",
    /* Runs and hits from rule_runs, errors from the stored verdicts. */
    [ST_RULE_STATS] =
        "WITH sel AS (SELECT id, status, decided_by, verdict FROM items"
        "  WHERE submitted_at >= ?1),"
        " runs AS (SELECT r.rule, count(*) AS n, sum(r.hit) AS hits,"
        "  sum(r.us) AS us, max(r.us) AS worst,"
        "  sum(r.hit AND s.decided_by IS NOT NULL AND s.status = 'rejected') AS rej,"
        "  sum(r.hit AND s.decided_by IS NOT NULL AND s.status <> 'rejected') AS app"
        "  FROM rule_runs r JOIN sel s ON s.id = r.item_id GROUP BY r.rule),"
        " errs AS (SELECT json_extract(e.value, '$.rule') AS rule, count(*) AS n"
        "  FROM sel, json_each(ng_unzip(sel.verdict), '$.errors') e GROUP BY 1)"
        " SELECT runs.rule, (SELECT count(*) FROM sel), runs.n, runs.hits,"
        "  coalesce(errs.n, 0), runs.us, runs.worst, runs.rej, runs.app"
        " FROM runs LEFT JOIN errs ON errs.rule = runs.rule ORDER BY runs.rule",
    [ST_RECENT_RUNS] =
        "SELECT i.id, r.rule, coalesce(r.hit, 0) FROM items i"
        " LEFT JOIN rule_runs r ON r.item_id = i.id WHERE i.id >"
        " (SELECT coalesce(max(id), 0) FROM items) - ?1"
        " ORDER BY i.id, r.rowid",
    [ST_DATA_VERSION] = "PRAGMA data_version",
};

const char *ng__sqlite_sql(int which)
{
    return which >= 0 && which < ST_COUNT ? sql_text[which] : NULL;
}

ng__sqlite *ng__sqlite_of(ng_store *s)
{
    return s->impl;
}

int ng__sqlite_err(ng_store *s, int rc, const char *what)
{
    ng__sqlite *q = s->impl;
    int prim = rc & 0xff;
    int code = prim == SQLITE_BUSY || prim == SQLITE_LOCKED ? NG_EBUSY
               : prim == SQLITE_NOMEM ? NG_ENOMEM : NG_ESTORE;
    const char *msg = q && q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc);
    /* "disk I/O error" alone does not tell a full disk from a failing
     * one: add what the operating system said. */
    int os = q && q->db && (prim == SQLITE_IOERR || prim == SQLITE_FULL
                            || prim == SQLITE_CANTOPEN)
             ? sqlite3_system_errno(q->db) : 0;

    if (os)
        return ng__store_fail(s, code, "%s: %s: %s (%s)", s->path, what, msg,
                              strerror(os));
    return ng__store_fail(s, code, "%s: %s: %s", s->path, what, msg);
}

/* ops->others_version: SQLite's data_version, which moves when another
 * connection commits. */
static int others_version(ng_store *s, uint64_t *v)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_DATA_VERSION);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;

    *v = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
    if (st)
        sqlite3_reset(st);
    return rc == SQLITE_ROW ? NG_OK : NG_ESTORE;
}

sqlite3_stmt *ng__sqlite_stmt(ng_store *s, int which)
{
    ng__sqlite *q = s->impl;
    sqlite3_stmt *st = q->st[which];

    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
    }
    int rc = sqlite3_prepare_v3(q->db, sql_text[which], -1,
                                SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        ng__sqlite_err(s, rc, "prepare");
        return NULL;
    }
    q->st[which] = st;
    return st;
}

int ng__sqlite_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
             : sqlite3_bind_null(st, i);
}

int ng__sqlite_exec(ng_store *s, sqlite3_stmt *st, const char *what)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE) {
        int code = ng__sqlite_err(s, rc, what);
        sqlite3_reset(st);
        return code;
    }
    sqlite3_reset(st);
    return NG_OK;
}

/* Runs one fixed statement by number. */
static int run(ng_store *s, int which, const char *what)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, which);
    return st ? ng__sqlite_exec(s, st, what) : NG_ESTORE;
}

/* ---- transactions --------------------------------------------------- */

/* Sets PRAGMA synchronous (0 off, 1 normal, 2 full) when it changes.  A
 * pragma takes no bound parameters; the text is one of three constants. */
static int set_sync(ng_store *s, int level)
{
    static const char *const text[] = {
        "PRAGMA synchronous = OFF", "PRAGMA synchronous = NORMAL",
        "PRAGMA synchronous = FULL",
    };
    ng__sqlite *q = s->impl;

    if (s->flags & NG_STORE_NOSYNC)
        level = 0;
    if (q->sync == level)
        return NG_OK;
    int rc = sqlite3_exec(q->db, text[level], NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return ng__sqlite_err(s, rc, "synchronous");
    q->sync = level;
    return NG_OK;
}

int ng__sqlite_begin(ng_store *s, int durable)
{
    ng__sqlite *q = s->impl;
    int rc;

    if (s->flags & NG_STORE_READONLY)
        return ng__store_fail(s, NG_ESTATE, "%s: store is read-only",
                              s->path);
    if (q->depth > 0) {
        rc = run(s, ST_SAVEPOINT, "savepoint");
    } else {
        rc = set_sync(s, durable ? 2 : 1);
        if (rc == NG_OK)
            rc = run(s, ST_BEGIN, "begin");
    }
    if (rc == NG_OK)
        q->depth++;
    return rc;
}

/* After a COMMIT: NG_OK, or NG_EIO when the database file was deleted
 * or replaced while open.  SQLite then commits into an unlinked inode
 * and reports success, so the caller would print ids stored nowhere;
 * SQLITE_FCNTL_HAS_MOVED (one stat of the path) tells. */
static int check_moved(ng_store *s)
{
    ng__sqlite *q = s->impl;
    int moved = 0;

    if (sqlite3_file_control(q->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved)
            == SQLITE_OK && moved)
        return ng__store_fail(s, NG_EIO, "%s: database file was deleted or "
                              "replaced while open; the last commit is lost",
                              s->path);
    return NG_OK;
}

int ng__sqlite_commit(ng_store *s)
{
    ng__sqlite *q = s->impl;
    int rc;

    if (q->depth <= 0)
        return ng__store_fail(s, NG_ESTATE, "%s: no transaction", s->path);
    rc = run(s, q->depth > 1 ? ST_RELEASE_SP : ST_COMMIT, "commit");
    if (rc != NG_OK) {
        if (q->depth == 1 && sqlite3_get_autocommit(q->db))
            q->depth = 0;   /* the failed COMMIT rolled back */
        return rc;
    }
    return --q->depth == 0 ? check_moved(s) : NG_OK;
}

int ng__sqlite_rollback(ng_store *s)
{
    ng__sqlite *q = s->impl;
    int rc;

    if (q->depth <= 0)
        return NG_OK;
    if (q->depth > 1) {
        rc = run(s, ST_ROLLBACK_SP, "rollback");
        if (rc == NG_OK)
            rc = run(s, ST_RELEASE_SP, "rollback");
    } else if (sqlite3_get_autocommit(q->db)) {
        rc = NG_OK;     /* SQLite already rolled back on error */
    } else {
        rc = run(s, ST_ROLLBACK, "rollback");
    }
    q->depth--;
    return rc;
}

/* ---- opening -------------------------------------------------------- */

static void sqlite_close(ng_store *s)
{
    ng__sqlite *q = s->impl;

    if (!q)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(q->st[i]);
    for (int i = 0; i < NG__LIST_COMBOS; i++)
        sqlite3_finalize(q->list_st[i]);
    sqlite3_close(q->db);
    free(q);
    s->impl = NULL;
}

/* Progress handler: a non-zero return interrupts the running query. */
static int past_deadline(void *arg)
{
    const uint64_t *deadline = arg;
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u
           >= *deadline;
}

/* set_deadline: looks at the clock every 1,000 virtual machine steps
 * while a deadline is set. */
static void sqlite_set_deadline(ng_store *s, uint64_t deadline_us)
{
    ng__sqlite *q = s->impl;
    uint64_t *d = &q->deadline_us;

    *d = deadline_us;
    sqlite3_progress_handler(q->db, deadline_us ? 1000 : 0,
                             deadline_us ? past_deadline : NULL, d);
}

/* set_busy_timeout: SQLite's own busy handler, sleeping and retrying. */
static void sqlite_set_busy_timeout(ng_store *s, int ms)
{
    ng__sqlite *q = s->impl;

    sqlite3_busy_timeout(q->db, ms);
}

static const ng__store_ops sqlite_ops = {
    .set_deadline = sqlite_set_deadline,
    .set_busy_timeout = sqlite_set_busy_timeout,
    .name = "sqlite",
    .close = sqlite_close,
    .begin = ng__sqlite_begin,
    .commit = ng__sqlite_commit,
    .rollback = ng__sqlite_rollback,
    .find_external = ng__sqlite_find_external,
    .insert_item = ng__sqlite_insert_item,
    .pack_new = ng__sqlite_zip_new,
    .pack = ng__sqlite_zip_text,
    .pack_free = ng__sqlite_zip_free,
    .add_runs = ng__sqlite_add_runs,
    .refile = ng__sqlite_refile,
    .decide = ng__sqlite_decide,
    .claim = ng__sqlite_claim,
    .ack = ng__sqlite_ack,
    .release = ng__sqlite_release,
    .status = ng__sqlite_status,
    .list = ng__sqlite_list,
    .list_count = ng__sqlite_list_count,
    .rule_known = ng__sqlite_rule_known,
    .show = ng__sqlite_show,
    .count = ng__sqlite_count,
    .audit_trail = ng__sqlite_audit_trail,
    .history = ng__sqlite_history,
    .history_detail = ng__sqlite_history_detail,
    .dup_insert = ng__sqlite_dup_insert,
    .dup_since = ng__sqlite_dup_since,
    .dup_shingles = ng__sqlite_dup_shingles,
    .dup_exact = NULL,  /* core's index answers (schema v13) */
    .dup_identity = ng__sqlite_dup_identity,
    .src_insert = ng__sqlite_src_insert,
    .src_since = ng__sqlite_src_since,
    .src_shingles = ng__sqlite_src_shingles,
    .src_get = ng__sqlite_src_get,
    .src_list = ng__sqlite_src_list,
    .src_remove = ng__sqlite_src_remove,
    .describe = ng__sqlite_describe,
    .brake_set = ng__sqlite_brake_set,
    .brake_clear = ng__sqlite_brake_clear,
    .brakes = ng__sqlite_brakes,
    .recent_runs = ng__sqlite_recent_runs,
    .rule_stats = ng__sqlite_rule_stats,
    .snapshot = ng__sqlite_snapshot,
    .audit = ng__sqlite_audit,
    .learned_get = ng__sqlite_learned_get,
    .learn = ng__sqlite_learn,
    .learn_state = ng__sqlite_learn_state,
    .tokens_read = ng__sqlite_tokens_read,
    .others_version = others_version,
};

/* The directory part of `path` into buf ("." when there is none). */
static void dir_of(const char *path, char *buf, size_t n)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 1;

    if (slash == path)
        len = 1;
    if (len >= n)
        len = n - 1;
    memcpy(buf, slash ? path : ".", len);
    buf[len] = '\0';
}

/* Refuses paths the database cannot live at, before SQLite creates
 * anything: a missing or read-only directory, a read-only file. */
static int check_path(ng_store *s, const char *path, int flags)
{
    char dir[4096];
    struct stat st;

    dir_of(path, dir, sizeof dir);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ng__store_fail(s, NG_EIO, "%s: directory %s does not exist",
                              path, dir);
    if (stat(path, &st) != 0) {
        if (flags & NG_STORE_READONLY)
            return ng__store_fail(s, NG_EIO, "%s: no such database", path);
        if (access(dir, W_OK | X_OK) != 0)
            return ng__store_fail(s, NG_EIO, "%s: directory %s is not "
                                  "writable: %s", path, dir,
                                  strerror(errno));
        return NG_OK;
    }
    if (S_ISDIR(st.st_mode))
        return ng__store_fail(s, NG_ENOTDB, "%s: is a directory", path);
    if (!(flags & NG_STORE_READONLY) && access(path, R_OK | W_OK) != 0)
        return ng__store_fail(s, NG_EIO, "%s: database is not writable: %s",
                              path, strerror(errno));
    /* WAL needs to create PATH-wal and PATH-shm beside it. */
    if (!(flags & NG_STORE_READONLY) && access(dir, W_OK | X_OK) != 0)
        return ng__store_fail(s, NG_EIO, "%s: directory %s is not "
                              "writable: %s", path, dir, strerror(errno));
    return NG_OK;
}

/* Switches the file to WAL.  Several processes opening a new database
 * at once race for this switch, and SQLite answers SQLITE_BUSY here
 * without calling the busy handler, so it is retried for up to 30 s. */
static int wal_mode(ng__sqlite *q, int *wal)
{
    struct timespec pause = { 0, 1000000 }; /* 1 ms, doubling to 64 ms */
    int rc = SQLITE_BUSY;

    for (int waited_ms = 0; rc == SQLITE_BUSY && waited_ms < 30000;) {
        sqlite3_stmt *st;
        rc = sqlite3_prepare_v2(q->db, "PRAGMA journal_mode = WAL", -1, &st,
                                NULL);
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(st);
            if (rc == SQLITE_ROW) {
                const unsigned char *m = sqlite3_column_text(st, 0);
                *wal = m && strcmp((const char *)m, "wal") == 0;
                rc = SQLITE_OK;
            }
            sqlite3_finalize(st);
        }
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
            rc = SQLITE_BUSY;
            nanosleep(&pause, NULL);
            waited_ms += (int)(pause.tv_nsec / 1000000);
            if (pause.tv_nsec < 64000000)
                pause.tv_nsec *= 2;
        }
    }
    return rc;
}

/* Connection settings for a writable store. */
static int settings(ng_store *s)
{
    ng__sqlite *q = s->impl;
    int wal = 0;
    /* A new database gets 8 KiB pages.  Each submitted item adds an
     * entry to six indexes whose keys are spread over the store
     * (hashes, submitters); past ~100k items each lands on a leaf of its
     * own, and every commit writes each dirty leaf whole to the WAL and
     * again at the checkpoint, so the page size is the bytes written per
     * entry.  Against 16 KiB: `submit` CPU at 1M items about -10%, 120
     * bytes an item more (item rows, ~2 KB compressed, pack less
     * tightly); 4 KiB pages made the 1M store 4.2 KB an item, over the
     * 4 KB target (docs/architecture.md, "Writer pages per item").
     * Ignored once the file has content. */
    int rc = sqlite3_exec(q->db, "PRAGMA page_size = 8192", NULL, NULL,
                          NULL);

    if (rc == SQLITE_OK)
        rc = wal_mode(q, &wal);

    if (rc != SQLITE_OK)
        return ng__sqlite_err(s, rc, "journal_mode=WAL");
    if (!wal)
        return ng__store_fail(s, NG_ESTORE, "%s: cannot use WAL mode",
                              s->path);
    /* A checkpoint every 4,096 pages of WAL (32 MiB with 8 KiB pages)
     * rather than SQLite's 1,000: a stream of submissions pauses (and
     * fsyncs the database) a quarter as often. */
    /* temp_store = MEMORY: each item of a batch is a savepoint, and
     * SQLite keeps the pages a savepoint may undo in a sub-journal; in a
     * temporary file that was 28 writes per submitted item.  The
     * sub-journal of one item is a few pages.  A 32 MiB page cache holds
     * the indexes a batch touches. */
    rc = sqlite3_exec(q->db, "PRAGMA foreign_keys = ON;"
                      "PRAGMA temp_store = MEMORY;"
                      "PRAGMA cache_size = -32768;"
                      "PRAGMA wal_autocheckpoint = 4096", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return ng__sqlite_err(s, rc, "foreign_keys");
    return set_sync(s, 2);
}

/* Checks the version of an existing database and brings it up to date. */
static int prepare_schema(ng_store *s, int flags)
{
    int v = 0, rc = ng__sqlite_user_version(s, &v);

    if (rc == NG_OK)
        rc = ng__sqlite_recognise(s, v);
    if (rc != NG_OK)
        return rc;
    if (v > NG__SCHEMA_VERSION)
        return ng__store_fail(s, NG_EVERSION, "%s: schema version %d is "
                              "newer than this newsgate supports (%d); "
                              "left untouched", s->path, v,
                              NG__SCHEMA_VERSION);
    if (flags & NG_STORE_READONLY) {
        if (v < NG__SCHEMA_VERSION)
            return ng__store_fail(s, NG_ESTORE, "%s: schema version %d is "
                                  "older than %d; open it read-write once "
                                  "to migrate", s->path, v,
                                  NG__SCHEMA_VERSION);
        return NG_OK;
    }
    rc = settings(s);
    if (rc == NG_OK && v < NG__SCHEMA_VERSION)
        rc = ng__sqlite_migrate(s);
    return rc;
}

int ng__sqlite_open(ng_store *s, const char *path, int flags)
{
    int rc = check_path(s, path, flags);
    ng__sqlite *q;

    if (rc != NG_OK)
        return rc;
    q = calloc(1, sizeof *q);
    if (!q)
        return ng__store_fail(s, NG_ENOMEM, "%s: out of memory", path);
    q->sync = -1;
    s->impl = q;
    s->ops = &sqlite_ops;
    int oflags = (flags & NG_STORE_READONLY) ? SQLITE_OPEN_READONLY
                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int src = sqlite3_open_v2(path, &q->db, oflags | SQLITE_OPEN_NOMUTEX,
                              NULL);
    if (src != SQLITE_OK)
        rc = ng__store_fail(s, NG_EIO, "%s: cannot open: %s", path,
                            q->db ? sqlite3_errmsg(q->db)
                                  : sqlite3_errstr(src));
    if (rc == NG_OK) {
        sqlite3_extended_result_codes(q->db, 1);
        sqlite3_busy_timeout(q->db, 30000);
        rc = ng__sqlite_functions(s);
        if (rc == NG_OK)
            rc = ng__sqlite_zip_functions(s);
    }
    if (rc == NG_OK)
        rc = prepare_schema(s, flags);
    if (rc != NG_OK)
        sqlite_close(s);
    return rc;
}
