/*
 * pg_queue.c -- the queue, index and audit operations of the PostgreSQL
 * backend: filing an item with its verdict and rule runs, refiling it
 * after a replay, moderator decisions, the publisher's claim / ack /
 * release, and the history counts rules use for rate limits.
 *
 * Each operation is one statement inside the caller's transaction (core
 * adds the audit entry and commits), as in sqlite_queue.c.  What differs
 * is made for many writers: an item's external_id is inserted with ON
 * CONFLICT DO NOTHING, so a key another server stored meanwhile answers
 * NG__ERETRY (core looks again and reports the stored id); a claim locks
 * the row it takes with FOR UPDATE SKIP LOCKED, so publishers on several
 * servers neither wait for each other nor get the same item.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pg_impl.h"

int ng__pg_find_external(ng_store *s, const char *ext, int64_t *id)
{
    ng__pgp p = { 0 };
    int rc;
    PGresult *r;

    *id = 0;
    ng__pg_str(&p, ext);
    if (!(r = ng__pg_run(s, PG_FIND_EXT, &p, &rc, "find external_id")))
        return rc;
    rc = PQntuples(r) ? NG_OK : NG_ENOTFOUND;
    if (rc == NG_OK)
        *id = ng__pg_i64(r, 0, 0);
    PQclear(r);
    return rc;
}

int ng__pg_insert_item(ng_store *s, const ng__item_row *row, int64_t *id)
{
    ng__pgp p = { 0 };
    int rc;
    PGresult *r;

    *id = 0;
    ng__pg_str(&p, row->external_id);
    ng__pg_str(&p, row->domain);
    ng__pg_int(&p, row->submitted_at);
    ng__pg_int(&p, row->now);
    ng__pg_str(&p, row->status);
    ng__pg_str(&p, row->action);
    ng__pg_dbl(&p, row->score);
    ng__pg_str(&p, row->verdict_json);
    ng__pg_str(&p, row->rules_hash);
    ng__pg_str(&p, row->item_json);
    ng__pg_str(&p, row->cleaned_body);
    if (!(r = ng__pg_run(s, PG_INSERT, &p, &rc, "insert item")))
        return rc;
    if (PQntuples(r) == 1)
        *id = ng__pg_i64(r, 0, 0);
    else    /* the external_id arrived from another writer meanwhile */
        rc = ng__store_fail(s, NG__ERETRY, "%s: external_id %s stored "
                            "meanwhile", s->path, row->external_id);
    PQclear(r);
    return rc;
}

/* Appends `t` to an array literal element list: quoted, with " and \
 * escaped (the literal is a bound parameter, never SQL text). */
static int put_elem(char **buf, size_t *len, size_t *cap, const char *t)
{
    size_t need = *len + 2 * strlen(t) + 4;
    if (need > *cap) {
        char *b = realloc(*buf, need * 2);
        if (!b)
            return -1;
        *buf = b;
        *cap = need * 2;
    }
    char *o = *buf + *len;
    *o++ = *len > 1 ? ',' : '{';
    *o++ = '"';
    for (; *t; t++) {
        if (*t == '"' || *t == '\\')
            *o++ = '\\';
        *o++ = *t;
    }
    *o++ = '"';
    *o = '\0';
    *len = (size_t)(o - *buf);
    return 0;
}

/* The runs as three array literals (rule, hit, us), malloc'd. */
static int run_arrays(const ng__run_row *runs, size_t n, char *a[3])
{
    size_t len[3] = { 0 }, cap[3] = { 0 };
    char num[32];

    for (size_t i = 0; i < n; i++) {
        const char *rule = runs[i].rule ? runs[i].rule : "?";
        snprintf(num, sizeof num, "%d", runs[i].hit ? 1 : 0);
        if (put_elem(&a[0], &len[0], &cap[0], rule) < 0
            || put_elem(&a[1], &len[1], &cap[1], num) < 0)
            return -1;
        snprintf(num, sizeof num, "%lld", (long long)runs[i].us);
        if (put_elem(&a[2], &len[2], &cap[2], num) < 0)
            return -1;
    }
    for (int k = 0; k < 3; k++) {
        char *b = realloc(a[k], len[k] + 2);
        if (!b)
            return -1;
        a[k] = b;
        a[k][len[k]] = '}';
        a[k][len[k] + 1] = '\0';
    }
    return 0;
}

/* All the runs of an item in one statement (unnest of three arrays). */
int ng__pg_add_runs(ng_store *s, int64_t id, const ng__run_row *runs,
                    size_t nruns)
{
    char *a[3] = { NULL, NULL, NULL };
    ng__pgp p = { 0 };
    int rc;

    if (nruns == 0)
        return NG_OK;
    if (run_arrays(runs, nruns, a) < 0) {
        rc = ng__store_fail(s, NG_ENOMEM, "rule runs: out of memory");
    } else {
        ng__pg_int(&p, id);
        for (int k = 0; k < 3; k++)
            ng__pg_str(&p, a[k]);
        rc = ng__pg_exec(s, PG_RUN, &p, NULL, "insert rule runs");
    }
    for (int k = 0; k < 3; k++)
        free(a[k]);
    return rc;
}

int ng__pg_audit(ng_store *s, int64_t id, int64_t at, const char *actor,
                 const char *action, const char *detail,
                 const char *rules_hash)
{
    ng__pgp p = { 0 };

    ng__pg_int(&p, id);
    ng__pg_int(&p, at);
    ng__pg_str(&p, actor ? actor : "newsgate");
    ng__pg_str(&p, action);
    ng__pg_str(&p, detail);
    ng__pg_str(&p, rules_hash);
    return ng__pg_exec(s, PG_AUDIT, &p, NULL, "append audit");
}

/* Runs an UPDATE ... RETURNING of at most one row.  NG_OK with the text
 * of column hash_col copied to buf ("" when NULL) and *id from column 0
 * when a row changed, NG_EEMPTY when none did, or an error. */
static int update_one(ng_store *s, int which, const ng__pgp *p,
                      int hash_col, int64_t *id, char *buf, size_t n,
                      const char *what)
{
    int rc;
    PGresult *r = ng__pg_run(s, which, p, &rc, what);

    if (n)
        buf[0] = '\0';
    if (!r)
        return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return NG_EEMPTY;
    }
    const char *h = ng__pg_text(r, 0, hash_col);
    if (h && n)
        snprintf(buf, n, "%s", h);
    if (id)
        *id = ng__pg_i64(r, 0, 0);
    PQclear(r);
    return NG_OK;
}

int ng__pg_status(ng_store *s, int64_t id, char *buf, size_t n)
{
    ng__pgp p = { 0 };
    int rc;
    PGresult *r;

    buf[0] = '\0';
    ng__pg_int(&p, id);
    if (!(r = ng__pg_run(s, PG_STATUS, &p, &rc, "read status")))
        return rc;
    if (PQntuples(r) == 0)
        rc = ng__store_fail(s, NG_ENOTFOUND, "item %lld: no such item",
                            (long long)id);
    else
        snprintf(buf, n, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return rc;
}

int ng__pg_refile(ng_store *s, int64_t id, const ng__refile *rf)
{
    ng__pgp p = { 0 };
    char hash[8];

    ng__pg_int(&p, id);
    ng__pg_str(&p, rf->status);
    ng__pg_str(&p, rf->action);
    ng__pg_dbl(&p, rf->score);
    ng__pg_str(&p, rf->verdict_json);
    ng__pg_str(&p, rf->rules_hash);
    return update_one(s, PG_REFILE, &p, 0, NULL, hash, sizeof hash,
                      "refile");
}

int ng__pg_decide(ng_store *s, int64_t id, const char *status,
                  const char *by, int64_t now, char *hash, size_t n)
{
    ng__pgp p = { 0 };

    ng__pg_int(&p, id);
    ng__pg_str(&p, status);
    ng__pg_str(&p, by);
    ng__pg_int(&p, now);
    return update_one(s, PG_DECIDE, &p, 0, NULL, hash, n, "decide");
}

int ng__pg_claim(ng_store *s, int64_t now, int lease, const char *by,
                 int64_t *id, char *hash, size_t n)
{
    ng__pgp p = { 0 };

    *id = 0;
    ng__pg_int(&p, now);
    ng__pg_int(&p, lease);
    ng__pg_str(&p, by);
    return update_one(s, PG_CLAIM, &p, 1, id, hash, n, "claim");
}

int ng__pg_ack(ng_store *s, int64_t id, const char *by, int64_t now,
               char *hash, size_t n)
{
    ng__pgp p = { 0 };

    ng__pg_int(&p, id);
    ng__pg_str(&p, by);
    ng__pg_int(&p, now);
    return update_one(s, PG_ACK, &p, 0, NULL, hash, n, "ack");
}

int ng__pg_release(ng_store *s, int64_t id, const char *by, char *hash,
                   size_t n)
{
    ng__pgp p = { 0 };

    ng__pg_int(&p, id);
    ng__pg_str(&p, by);
    return update_one(s, PG_RELEASE, &p, 0, NULL, hash, n, "release");
}

/* Runs a history statement for `field` over [from, to] and copies its
 * first n integer columns into v[]. */
static int history_query(ng_store *s, int detail, const char *field,
                         const char *value, int64_t from, int64_t to,
                         int64_t cap, int64_t *const *v, int n)
{
    int dom = strcmp(field, "domain") == 0;
    ng__pgp p = { 0 };
    int rc;
    PGresult *r;

    ng__pg_str(&p, value);
    ng__pg_int(&p, from);
    ng__pg_int(&p, to);
    ng__pg_int(&p, s->horizon > 0 ? s->horizon : INT64_MAX);
    if (!detail && cap > 0)
        ng__pg_int(&p, cap);
    else if (!detail)
        ng__pg_str(&p, NULL);       /* LIMIT NULL: no cap */
    r = ng__pg_run(s, detail ? (dom ? PG_HISTD_DOMAIN : PG_HISTD_SUBMITTER)
                             : (dom ? PG_HIST_DOMAIN : PG_HIST_SUBMITTER),
                   &p, &rc, "history");
    if (!r)
        return rc;
    for (int i = 0; i < n && PQntuples(r) == 1; i++)
        *v[i] = ng__pg_i64(r, 0, i);
    PQclear(r);
    return NG_OK;
}

int ng__pg_history_detail(ng_store *s, const char *field, const char *value,
                          int64_t from, int64_t to, ng__history_row *out)
{
    int64_t *const f[] = { &out->total, &out->accepted, &out->review,
                           &out->rejected, &out->published, &out->approved,
                           &out->mod_rejected, &out->first_seen };

    memset(out, 0, sizeof *out);
    return history_query(s, 1, field, value, from, to, 0, f, 8);
}

int ng__pg_history(ng_store *s, const char *field, const char *value,
                   int64_t from, int64_t to, int64_t cap, int64_t *count)
{
    int64_t *const f[] = { count };

    *count = 0;
    return history_query(s, 0, field, value, from, to, cap, f, 1);
}
