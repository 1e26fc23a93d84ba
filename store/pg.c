/*
 * pg.c -- the PostgreSQL backend of the store: connecting (and
 * reconnecting with back-off when the database restarts), the one table
 * of fixed SQL texts prepared once per connection, parameter lists, the
 * one error mapper, transactions and the operations table.  Only store/
 * includes libpq-fe.h.
 *
 * One store handle is one connection (a server has one per worker and
 * one for its writer, so connections are bounded by the thread count).
 * Writes run in READ COMMITTED transactions; many servers share one
 * database without a global lock: claims use FOR UPDATE SKIP LOCKED,
 * external ids and exact text hashes are unique keys (pg_queue.c,
 * pg_dup.c).  Every value is a bound parameter (PQexecPrepared); the
 * only text run without parameters is fixed DDL and transaction control.
 *
 * A lost connection fails the running operation with NG_EBUSY
 * ("database unavailable"): a transaction open on it is gone, and the
 * caller, who answers only after a commit, has acknowledged nothing of
 * it.  The next statement outside a transaction reconnects, at most
 * once per back-off pause (50 ms doubling to 5 s).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pg_impl.h"

/* item:history detail for column COL: counts by status in the window
 * ($2..$3, received time) and the first time $1 was seen at all. */
#define HIST_DETAIL(col) \
    "SELECT count(*)," \
    " count(*) FILTER (WHERE status = 'accepted' AND decided_by IS NULL)," \
    " count(*) FILTER (WHERE status = 'review')," \
    " count(*) FILTER (WHERE status = 'rejected' AND decided_by IS NULL)," \
    " count(*) FILTER (WHERE status = 'published')," \
    " count(*) FILTER (WHERE status IN ('accepted', 'published')" \
    "  AND decided_by IS NOT NULL)," \
    " count(*) FILTER (WHERE status = 'rejected'" \
    "  AND decided_by IS NOT NULL)," \
    " (SELECT coalesce(min(received_at), 0) FROM items WHERE " col " = $1)" \
    " FROM items WHERE " col " = $1 AND received_at BETWEEN $2 AND $3" \
    " AND id < $4"

static const char *const sql_text[PG_NSTMT] = {
    [PG_FIND_EXT] = "SELECT id FROM items WHERE external_id = $1",
    /* A key another server stored meanwhile inserts nothing (no row
     * returned); the caller checks again and finds it. */
    [PG_INSERT] =
        "INSERT INTO items (external_id, domain, submitted_at,"
        " received_at, status, action, score, verdict, rules_hash, item,"
        " cleaned_body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        " ON CONFLICT (external_id) DO NOTHING RETURNING id",
    [PG_RUN] =
        "INSERT INTO rule_runs (item_id, rule, hit, us)"
        " SELECT $1, r, h, u FROM unnest($2::text[], $3::int[],"
        " $4::bigint[]) AS t(r, h, u)",
    [PG_AUDIT] = "INSERT INTO audit (item_id, at, actor, action, detail,"
                 " rules_hash) VALUES ($1, $2, $3, $4, $5, $6)",
    [PG_REFILE] =
        "UPDATE items SET status = $2, action = $3, score = $4,"
        " verdict = $5, rules_hash = $6 WHERE id = $1"
        " AND decided_by IS NULL AND status <> 'published' RETURNING id",
    [PG_DECIDE] =
        "UPDATE items SET status = $2, decided_by = $3, decided_at = $4,"
        " lease_until = CASE WHEN $2 = 'rejected' THEN NULL"
        "  ELSE lease_until END,"
        " lease_by = CASE WHEN $2 = 'rejected' THEN NULL ELSE lease_by END"
        " WHERE id = $1 AND status <> 'published' RETURNING rules_hash",
    [PG_STATUS] = "SELECT status FROM items WHERE id = $1",
    /* Publishers never wait for each other: a row another claim holds
     * locked is skipped, not waited for. */
    [PG_CLAIM] =
        "UPDATE items SET lease_until = $1::bigint + $2::bigint,"
        " lease_by = $3 WHERE id = (SELECT id FROM items"
        "  WHERE status = 'accepted'"
        "  AND (lease_until IS NULL OR lease_until <= $1::bigint)"
        "  ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
        " RETURNING id, rules_hash",
    [PG_ACK] =
        "UPDATE items SET status = 'published', published_at = $3,"
        " lease_until = NULL, lease_by = NULL"
        " WHERE id = $1 AND status = 'accepted' AND lease_until IS NOT NULL"
        " AND ($2::text IS NULL OR lease_by IS NULL OR lease_by = $2)"
        " RETURNING rules_hash",
    [PG_RELEASE] =
        "UPDATE items SET lease_until = NULL, lease_by = NULL"
        " WHERE id = $1 AND status = 'accepted' AND lease_until IS NOT NULL"
        " AND ($2::text IS NULL OR lease_by IS NULL OR lease_by = $2)"
        " RETURNING rules_hash",
    /* $5 caps the count (NULL: no cap), so a flood's long window is not
     * walked to its end. */
    [PG_HIST_SUBMITTER] =
        "SELECT count(*) FROM (SELECT 1 FROM items WHERE submitter = $1"
        " AND received_at BETWEEN $2 AND $3 AND id < $4"
        " LIMIT $5::bigint) t",
    [PG_HIST_DOMAIN] =
        "SELECT count(*) FROM (SELECT 1 FROM items WHERE domain = $1"
        " AND received_at BETWEEN $2 AND $3 AND id < $4"
        " LIMIT $5::bigint) t",
    [PG_HISTD_SUBMITTER] = HIST_DETAIL("submitter"),
    [PG_HISTD_DOMAIN] = HIST_DETAIL("domain"),
    [PG_LIST_COUNT] =
        "SELECT count(*) FROM items WHERE ($1::text IS NULL OR status = $1)"
        " AND ($2::text IS NULL OR id IN (SELECT item_id FROM rule_runs"
        "      WHERE rule = $2 AND hit = 1))"
        " AND submitted_at >= $3"
        " AND ($4::text IS NULL OR submitter = $4)",
    [PG_RULE_KNOWN] =
        "SELECT EXISTS (SELECT 1 FROM rule_runs WHERE rule = $1 AND hit = 1)"
        " OR EXISTS (SELECT 1 FROM rule_runs WHERE id >="
        "  (SELECT coalesce(max(id), 0) FROM rule_runs) - 4096"
        "  AND rule = $1)",
    [PG_SHOW] =
        "SELECT id, external_id, status, action, score, verdict, rules_hash,"
        " decided_by, decided_at, lease_until, lease_by, received_at,"
        " published_at, item, submitted_at, cleaned_body FROM items"
        " WHERE id = $1",
    [PG_SHOW_AUDIT] =
        "SELECT at, actor, action, detail, rules_hash FROM audit"
        " WHERE item_id = $1 ORDER BY id",
    [PG_COUNT_STATUS] = "SELECT status, count(*) FROM items GROUP BY status",
    [PG_DUP_INSERT] =
        "INSERT INTO dup_keys (item_id, url_canon, text_hash, title_hash,"
        " fps, shingles, sketch) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (item_id) DO UPDATE SET url_canon = $2,"
        " text_hash = $3, title_hash = $4, fps = $5, shingles = $6,"
        " sketch = $7",
    /* Waits for a concurrent claimant of the same hash to commit or roll
     * back: that is what orders two servers' exact duplicates. */
    [PG_DUP_CLAIM] =
        "INSERT INTO dup_first (text_hash, item_id) VALUES ($1, $2)"
        " ON CONFLICT (text_hash) DO NOTHING RETURNING item_id",
    [PG_DUP_OWNER] = "SELECT item_id FROM dup_first WHERE text_hash = $1",
    /* The commit-log position of a row is its item id, from a sequence:
     * with many writers ids commit out of order, which core's catch-up
     * handles with gaps (core/dup_state.c). */
    [PG_DUP_SINCE] =
        "SELECT item_id, fps, sketch FROM dup_keys WHERE item_id > $1"
        " ORDER BY item_id",
    [PG_DUP_SHINGLES] = "SELECT shingles FROM dup_keys WHERE item_id = $1",
    [PG_DUP_URL] =
        "SELECT item_id FROM dup_keys WHERE url_canon = $1"
        " AND item_id <> $2 ORDER BY item_id LIMIT $3",
    [PG_DUP_TEXT] =
        "SELECT item_id FROM dup_keys WHERE text_hash = $1"
        " AND item_id <> $2 ORDER BY item_id LIMIT $3",
    [PG_DUP_TITLE] =
        "SELECT item_id FROM dup_keys WHERE title_hash = $1"
        " AND item_id <> $2 ORDER BY item_id LIMIT $3",
    [PG_DESCRIBE] =
        "SELECT title, CASE"
        " WHEN $2::bigint > 0 AND decided_at > $2::bigint THEN CASE action"
        "  WHEN 'accept' THEN 'accepted' WHEN 'review' THEN 'review'"
        "  ELSE 'rejected' END"
        " WHEN $2::bigint > 0 AND status = 'published'"
        "  AND published_at > $2::bigint THEN 'accepted'"
        " ELSE status END, submitted_at FROM items WHERE id = $1",
    [PG_LEARNED_GET] =
        "SELECT class = 'spam' FROM bayes_learned WHERE key = $1",
    [PG_LEARNED_PUT] =
        "INSERT INTO bayes_learned (key, class, learned_at)"
        " VALUES ($1, $2, $3)"
        " ON CONFLICT (key) DO UPDATE SET class = $2, learned_at = $3",
    [PG_TOKEN_ADD] =
        "INSERT INTO bayes_tokens AS t (token, spam, ham)"
        " VALUES ($1, greatest($2::int, 0), greatest($3::int, 0))"
        " ON CONFLICT (token) DO UPDATE"
        " SET spam = greatest(t.spam + $2::int, 0),"
        " ham = greatest(t.ham + $3::int, 0)",
    [PG_TOKEN_PRUNE] =
        "DELETE FROM bayes_tokens WHERE token = $1 AND spam = 0 AND ham = 0",
    [PG_LEARN_MOVE] =
        "UPDATE bayes_state SET generation = generation + 1,"
        " nspam = greatest(nspam + $1::bigint, 0),"
        " nham = greatest(nham + $2::bigint, 0) WHERE id = 1",
    [PG_LEARN_STATE] =
        "SELECT generation, nspam, nham FROM bayes_state WHERE id = 1",
    [PG_TOKENS] = "SELECT token, spam, ham FROM bayes_tokens",
    [PG_SRC_INSERT] =
        "INSERT INTO sources (publisher, domain, title, added_at, fps,"
        " shingles, body) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    [PG_SRC_SINCE] =
        "SELECT id, fps, NULL::bytea FROM sources WHERE id > $1 ORDER BY id",
    [PG_SRC_SHINGLES] = "SELECT shingles FROM sources WHERE id = $1",
    [PG_SRC_GET] =
        "SELECT id, publisher, domain, title, added_at, body FROM sources"
        " WHERE id = $1",
    [PG_SRC_LIST] =
        "SELECT id, publisher, domain, title, added_at FROM sources"
        " ORDER BY id",
    [PG_SRC_DEL_PUB] = "DELETE FROM sources WHERE publisher = $1",
    [PG_SRC_DEL_ID] = "DELETE FROM sources WHERE id = $1",
    [PG_BRAKE_SET] =
        "INSERT INTO rule_brakes (rule, at, item_id, reason)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (rule) DO UPDATE"
        " SET at = $2, item_id = $3, reason = $4, released_after = NULL",
    [PG_BRAKE_CLEAR] =
        "UPDATE rule_brakes SET released_after ="
        " (SELECT coalesce(max(id), 0) FROM items)"
        " WHERE rule = $1 AND released_after IS NULL RETURNING item_id",
    [PG_BRAKES] =
        "SELECT rule, at, item_id, reason, coalesce(released_after, 0)"
        " FROM rule_brakes ORDER BY rule",
    [PG_RULE_STATS] =
        "WITH sel AS (SELECT id, status, decided_by, verdict FROM items"
        "  WHERE submitted_at >= $1),"
        " runs AS (SELECT r.rule, count(*) AS n, sum(r.hit) AS hits,"
        "  sum(r.us) AS us, max(r.us) AS worst,"
        "  count(*) FILTER (WHERE r.hit = 1 AND s.decided_by IS NOT NULL"
        "   AND s.status = 'rejected') AS rej,"
        "  count(*) FILTER (WHERE r.hit = 1 AND s.decided_by IS NOT NULL"
        "   AND s.status <> 'rejected') AS app"
        "  FROM rule_runs r JOIN sel s ON s.id = r.item_id GROUP BY r.rule),"
        " errs AS (SELECT e ->> 'rule' AS rule, count(*) AS n FROM sel,"
        "  jsonb_array_elements(CASE WHEN jsonb_typeof(sel.verdict::jsonb"
        "   -> 'errors') = 'array' THEN sel.verdict::jsonb -> 'errors'"
        "   ELSE '[]'::jsonb END) e GROUP BY 1)"
        " SELECT runs.rule, (SELECT count(*) FROM sel), runs.n, runs.hits,"
        "  coalesce(errs.n, 0), runs.us, runs.worst, runs.rej, runs.app"
        " FROM runs LEFT JOIN errs ON errs.rule = runs.rule"
        " ORDER BY runs.rule COLLATE \"C\"",
    [PG_RECENT_RUNS] =
        "SELECT i.id, r.rule, coalesce(r.hit, 0) FROM items i"
        " LEFT JOIN rule_runs r ON r.item_id = i.id WHERE i.id >"
        " (SELECT coalesce(max(id), 0) FROM items) - $1"
        " ORDER BY i.id, r.id",
};

/* ---- parameters -------------------------------------------------------- */

void ng__pg_int(ng__pgp *p, int64_t v)
{
    snprintf(p->buf[p->n], sizeof p->buf[p->n], "%lld", (long long)v);
    p->v[p->n] = p->buf[p->n];
    p->len[p->n] = p->fmt[p->n] = 0;
    p->n++;
}

void ng__pg_dbl(ng__pgp *p, double v)
{
    snprintf(p->buf[p->n], sizeof p->buf[p->n], "%.17g", v);
    p->v[p->n] = p->buf[p->n];
    p->len[p->n] = p->fmt[p->n] = 0;
    p->n++;
}

void ng__pg_str(ng__pgp *p, const char *s)
{
    p->v[p->n] = s;
    p->len[p->n] = p->fmt[p->n] = 0;
    p->n++;
}

void ng__pg_bin(ng__pgp *p, const void *b, size_t n)
{
    p->v[p->n] = b ? b : "";
    p->len[p->n] = (int)n;
    p->fmt[p->n] = 1;
    p->n++;
}

/* ---- results -------------------------------------------------------- */

const char *ng__pg_text(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

int64_t ng__pg_i64(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0
           : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

int64_t ng__pg_opt(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NG__NULL_INT
           : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

unsigned char *ng__pg_pack(const uint32_t *v, size_t n)
{
    unsigned char *p = malloc(n * 4 + 1);
    for (size_t i = 0; p && i < n; i++) {
        p[4 * i] = (unsigned char)v[i];
        p[4 * i + 1] = (unsigned char)(v[i] >> 8);
        p[4 * i + 2] = (unsigned char)(v[i] >> 16);
        p[4 * i + 3] = (unsigned char)(v[i] >> 24);
    }
    return p;
}

int ng__pg_u32s(const PGresult *r, int row, int col, uint32_t **out,
                size_t *n)
{
    size_t bytes = 0;
    unsigned char *b = PQunescapeBytea(
        (const unsigned char *)PQgetvalue(r, row, col), &bytes);

    *out = NULL;
    *n = 0;
    if (!b)
        return NG_ENOMEM;
    *n = bytes / 4;
    *out = malloc(*n * 4 + 4);
    for (size_t i = 0; *out && i < *n; i++)
        (*out)[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8
                  | (uint32_t)b[4 * i + 2] << 16
                  | (uint32_t)b[4 * i + 3] << 24;
    PQfreemem(b);
    return *out ? NG_OK : NG_ENOMEM;
}

/* ---- connection --------------------------------------------------------- */

ng__pg *ng__pg_of(ng_store *s)
{
    return s->impl;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The URL with its password (user:PASSWORD@ or password=...) masked,
 * for messages. */
static void safe_url(const char *url, char *buf, size_t n)
{
    const char *at = strchr(url, '@'), *scheme = strstr(url, "://");
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    const char *pw = strstr(url, "password=");

    if (at && colon && colon < at)
        snprintf(buf, n, "%.*s:***%s", (int)(colon - url), url, at);
    else if (pw)
        snprintf(buf, n, "%.*spassword=***%s", (int)(pw - url), url,
                 strchr(pw, '&') ? strchr(pw, '&') : "");
    else
        snprintf(buf, n, "%s", url);
}

int ng__pg_err(ng_store *s, const PGresult *r, const char *what)
{
    ng__pg *q = s->impl;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r && *PQresultErrorMessage(r)
                      ? PQresultErrorMessage(r) : PQerrorMessage(q->conn);
    int lost = PQstatus(q->conn) != CONNECTION_OK
               || (state && strncmp(state, "08", 2) == 0)
               || (state && strncmp(state, "57P0", 4) == 0);
    int busy = state && (strcmp(state, "40001") == 0
                         || strcmp(state, "40P01") == 0);
    size_t len = strlen(msg);

    while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        len--;
    if (lost)
        return ng__store_fail(s, NG_EBUSY, "%s: %s: database unavailable: "
                              "%.*s", s->path, what, (int)len, msg);
    return ng__store_fail(s, busy ? NG_EBUSY : NG_ESTORE, "%s: %s: %.*s",
                          s->path, what, (int)len, msg);
}

/* Opens the connection (or a new one after a loss).  Statements are
 * prepared again on the new connection as they are used. */
static int connect_db(ng_store *s)
{
    ng__pg *q = s->impl;

    if (q->conn)
        PQfinish(q->conn);
    memset(q->prepared, 0, sizeof q->prepared);
    memset(q->list_prepared, 0, sizeof q->list_prepared);
    q->conn = PQconnectdb(q->url);
    if (PQstatus(q->conn) != CONNECTION_OK)
        return ng__pg_err(s, NULL, "connect");
    PGresult *r = PQexec(q->conn, "SET client_min_messages = warning");
    PQclear(r);
    return NG_OK;
}

/* Outside a transaction, a lost connection is opened again, at most
 * once per back-off pause.  NG_OK when connected. */
static int ensure(ng_store *s)
{
    ng__pg *q = s->impl;
    int64_t t;

    if (PQstatus(q->conn) == CONNECTION_OK)
        return NG_OK;
    if (q->depth > 0 || q->snapshot)
        return ng__pg_err(s, NULL, "connection lost in a transaction");
    t = now_us();
    if (t < q->retry_at_us)
        return ng__pg_err(s, NULL, "reconnect (backing off)");
    int rc = connect_db(s);
    if (rc == NG_OK) {
        q->backoff_us = q->retry_at_us = 0;
        return NG_OK;
    }
    q->backoff_us = q->backoff_us ? q->backoff_us * 2 : 50000;
    if (q->backoff_us > 5000000)
        q->backoff_us = 5000000;
    q->retry_at_us = t + q->backoff_us;
    return rc;
}

/* Prepares `sql` as `name` unless *done. */
static int prepare(ng_store *s, const char *name, const char *sql,
                   unsigned char *done)
{
    if (*done)
        return NG_OK;
    PGresult *r = PQprepare(ng__pg_of(s)->conn, name, sql, 0, NULL);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? NG_OK
             : ng__pg_err(s, r, "prepare");
    PQclear(r);
    *done = rc == NG_OK;
    return rc;
}

/* Runs prepared `name` (prepared from sql through *done); on a lost
 * connection outside a transaction reconnects and tries once more. */
static PGresult *run_named(ng_store *s, const char *name, const char *sql,
                           unsigned char *done, const ng__pgp *p, int *rc,
                           const char *what)
{
    static const ng__pgp none = { 0 };
    ng__pg *q = s->impl;

    if (!p)
        p = &none;
    for (int attempt = 0; attempt < 2; attempt++) {
        if ((*rc = ensure(s)) != NG_OK
            || (*rc = prepare(s, name, sql, done)) != NG_OK) {
            if (attempt == 0 && PQstatus(q->conn) != CONNECTION_OK
                && q->depth == 0 && !q->snapshot && q->retry_at_us == 0)
                continue;
            return NULL;
        }
        PGresult *r = PQexecPrepared(q->conn, name, p->n, p->v, p->len,
                                     p->fmt, 0);
        int st = PQresultStatus(r);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
            return r;
        *rc = ng__pg_err(s, r, what);
        PQclear(r);
        if (PQstatus(q->conn) == CONNECTION_OK || q->depth > 0
            || q->snapshot)
            return NULL;
        /* Lost between statements (a restart): one more try. */
    }
    return NULL;
}

PGresult *ng__pg_run(ng_store *s, int which, const ng__pgp *p, int *rc,
                     const char *what)
{
    char name[16];
    snprintf(name, sizeof name, "ng%d", which);
    return run_named(s, name, sql_text[which], &ng__pg_of(s)->prepared[which],
                     p, rc, what);
}

PGresult *ng__pg_run_sql(ng_store *s, const char *name, const char *sql,
                         const ng__pgp *p, int *rc, const char *what)
{
    ng__pg *q = s->impl;
    unsigned mask = (unsigned)atoi(name + 2) % NG__PGL_COMBOS;
    return run_named(s, name, sql, &q->list_prepared[mask], p, rc, what);
}

int ng__pg_exec(ng_store *s, int which, const ng__pgp *p, int64_t *changed,
                const char *what)
{
    int rc;
    PGresult *r = ng__pg_run(s, which, p, &rc, what);

    if (changed)
        *changed = r ? strtoll(PQcmdTuples(r), NULL, 10) : 0;
    PQclear(r);
    return rc;
}

/* ---- transactions --------------------------------------------------- */

/* Runs transaction control text; the connection must be up already for
 * anything but BEGIN. */
static int control(ng_store *s, const char *sql, const char *what)
{
    PGresult *r = PQexec(ng__pg_of(s)->conn, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? NG_OK
             : ng__pg_err(s, r, what);
    PQclear(r);
    return rc;
}

int ng__pg_begin(ng_store *s, int durable)
{
    ng__pg *q = s->impl;
    int rc;

    if (s->flags & NG_STORE_READONLY)
        return ng__store_fail(s, NG_ESTATE, "%s: store is read-only",
                              s->path);
    if (q->depth > 0) {
        rc = control(s, "SAVEPOINT ng_item", "savepoint");
    } else {
        if (q->snapshot) {      /* a write ends a read snapshot */
            control(s, "COMMIT", "end snapshot");
            q->snapshot = 0;
        }
        /* A durable commit waits for the WAL flush (synchronous_commit
         * on); the publisher hand-off and NG_STORE_NOSYNC do not. */
        const char *sql = durable && !(s->flags & NG_STORE_NOSYNC)
                          ? "BEGIN; SET LOCAL synchronous_commit = on"
                          : "BEGIN; SET LOCAL synchronous_commit = off";
        rc = ensure(s);
        if (rc == NG_OK)
            rc = control(s, sql, "begin");
        /* A restart shows on the first statement after it: once more on
         * a new connection. */
        if (rc != NG_OK && PQstatus(q->conn) != CONNECTION_OK
            && (rc = ensure(s)) == NG_OK)
            rc = control(s, sql, "begin");
    }
    if (rc == NG_OK)
        q->depth++;
    return rc;
}

int ng__pg_commit(ng_store *s)
{
    ng__pg *q = s->impl;
    int rc;

    if (q->depth <= 0)
        return ng__store_fail(s, NG_ESTATE, "%s: no transaction", s->path);
    if (q->depth > 1) {
        rc = control(s, "RELEASE ng_item", "release savepoint");
        if (rc == NG_OK)
            q->depth--;
        return rc;
    }
    /* COMMIT of a failed transaction answers ROLLBACK: not a success. */
    PGresult *r = PQexec(q->conn, "COMMIT");
    rc = PQresultStatus(r) == PGRES_COMMAND_OK
         && strcmp(PQcmdStatus(r), "COMMIT") == 0 ? NG_OK
         : PQresultStatus(r) == PGRES_COMMAND_OK
         ? ng__store_fail(s, NG_ESTORE, "%s: commit: the transaction had "
                          "failed and was rolled back", s->path)
         : ng__pg_err(s, r, "commit");
    PQclear(r);
    q->depth = 0;   /* committed, rolled back, or lost with the link */
    return rc;
}

int ng__pg_rollback(ng_store *s)
{
    ng__pg *q = s->impl;
    int rc = NG_OK;

    if (q->depth <= 0)
        return NG_OK;
    if (PQstatus(q->conn) != CONNECTION_OK)
        rc = NG_OK;     /* the server dropped the transaction with it */
    else if (q->depth > 1)
        rc = control(s, "ROLLBACK TO ng_item; RELEASE ng_item",
                     "rollback");
    else
        rc = control(s, "ROLLBACK", "rollback");
    q->depth--;
    return rc;
}

int ng__pg_snapshot(ng_store *s, int on)
{
    ng__pg *q = s->impl;
    int rc;

    if (q->depth > 0 || q->snapshot == on)
        return NG_OK;
    if (on && (rc = ensure(s)) != NG_OK)
        return rc;
    rc = control(s, on ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                       : "COMMIT", "snapshot");
    q->snapshot = on && rc == NG_OK;
    return rc;
}

/* ---- opening -------------------------------------------------------- */

static void pg_close(ng_store *s)
{
    ng__pg *q = s->impl;

    if (!q)
        return;
    PQfinish(q->conn);
    free(q->url);
    free(q);
    s->impl = NULL;
}

static const ng__store_ops pg_ops = {
    .name = "postgresql",
    .guard_items = 1,
    .close = pg_close,
    .begin = ng__pg_begin,
    .commit = ng__pg_commit,
    .rollback = ng__pg_rollback,
    .find_external = ng__pg_find_external,
    .insert_item = ng__pg_insert_item,
    .add_runs = ng__pg_add_runs,
    .refile = ng__pg_refile,
    .decide = ng__pg_decide,
    .claim = ng__pg_claim,
    .ack = ng__pg_ack,
    .release = ng__pg_release,
    .status = ng__pg_status,
    .list = ng__pg_list,
    .list_count = ng__pg_list_count,
    .rule_known = ng__pg_rule_known,
    .show = ng__pg_show,
    .audit_trail = ng__pg_audit_trail,
    .count = ng__pg_count,
    .history = ng__pg_history,
    .history_detail = ng__pg_history_detail,
    .dup_insert = ng__pg_dup_insert,
    .dup_since = ng__pg_dup_since,
    .dup_shingles = ng__pg_dup_shingles,
    .dup_exact = ng__pg_dup_exact,
    .describe = ng__pg_describe,
    .dup_identity = NULL,       /* no index image: the URL is no file */
    .src_insert = ng__pg_src_insert,
    .src_since = ng__pg_src_since,
    .src_shingles = ng__pg_src_shingles,
    .src_get = ng__pg_src_get,
    .src_list = ng__pg_src_list,
    .src_remove = ng__pg_src_remove,
    .brake_set = ng__pg_brake_set,
    .brake_clear = ng__pg_brake_clear,
    .brakes = ng__pg_brakes,
    .snapshot = ng__pg_snapshot,
    .rule_stats = ng__pg_rule_stats,
    .recent_runs = ng__pg_recent_runs,
    .audit = ng__pg_audit,
    .set_deadline = NULL,       /* statement_timeout is the operator's */
    .learned_get = ng__pg_learned_get,
    .learn = ng__pg_learn,
    .learn_state = ng__pg_learn_state,
    .tokens_read = ng__pg_tokens_read,
    /* Other servers commit all the time and PostgreSQL has no cheap
     * counter of them: core keeps no answers between look-ups. */
    .others_version = NULL,
};

int ng__pg_open(ng_store *s, const char *url, int flags)
{
    ng__pg *q = calloc(1, sizeof *q);
    char masked[1024], *shown = NULL;
    int rc;

    /* The handle's path is what messages name: the URL with its
     * password masked.  The backend keeps the real one. */
    safe_url(url, masked, sizeof masked);
    if (!q || !(q->url = strdup(url)) || !(shown = strdup(masked))) {
        if (q)
            free(q->url);
        free(q);
        return ng__store_fail(s, NG_ENOMEM, "out of memory");
    }
    free(s->path);
    s->path = shown;
    s->impl = q;
    s->ops = &pg_ops;
    rc = connect_db(s);
    if (rc == NG_OK)
        rc = ng__pg_migrate(s);
    if (rc != NG_OK)
        pg_close(s);
    return rc;
}
