/*
 * pg_report.c -- the read side of the PostgreSQL queue: the rows of
 * `queue list` (one statement per filter combination, as in
 * sqlite_report.c, each driven by the index that answers it), its count,
 * `queue show`, an item's audit trail and the counts by status.  Rows are
 * handed to the caller's callback one by one; JSON is core's job.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pg_impl.h"

/* Hands each row of r to row(r, i, arg); stops at the first non-NG_OK
 * answer, which it returns.  Frees r. */
static int each_row(PGresult *r, int (*row)(const PGresult *, int, void *),
                    void *arg)
{
    int ret = NG_OK, n = PQntuples(r);

    for (int i = 0; i < n && ret == NG_OK; i++)
        ret = row(r, i, arg);
    PQclear(r);
    return ret;
}

typedef struct list_cb { ng__list_fn fn; void *arg; } list_cb;

static int list_row(const PGresult *r, int i, void *arg)
{
    list_cb *cb = arg;
    ng__list_row row = {
        .id = ng__pg_i64(r, i, 0), .status = ng__pg_text(r, i, 1),
        .action = ng__pg_text(r, i, 2),
        .score = strtod(PQgetvalue(r, i, 3), NULL),
        .title = ng__pg_text(r, i, 4), .submitter = ng__pg_text(r, i, 5),
        .submitted_at = ng__pg_i64(r, i, 6),
        .decided_by = ng__pg_text(r, i, 7),
        .verdict_json = ng__pg_text(r, i, 8),
    };
    return cb->fn(cb->arg, &row);
}

/* Parameters: $1 status, $2 rule, $3 submitter, $4 since, $5 limit,
 * $6 after, $7 decided_since (NULL when unset), $8 offset. */
char *ng__pg_list_sql(unsigned mask, char *buf, size_t n)
{
    static const char cols[] =
        "SELECT i.id, i.status, i.action, i.score, i.title, i.submitter,"
        " i.submitted_at, i.decided_by, i.verdict FROM ";
    const char *from = mask & NG__PGL_RULE
        ? "rule_runs r JOIN items i ON i.id = r.item_id"
          " WHERE r.rule = $2::text AND r.hit = 1"
        : "items i WHERE $2::text IS NULL";
    const char *order = mask & NG__PGL_RULE ? " ORDER BY r.item_id"
        : mask & (NG__PGL_SUBMITTER | NG__PGL_SINCE)
        ? " ORDER BY i.submitted_at, i.id" : " ORDER BY i.id";
    int len = snprintf(buf, n, "%s%s AND i.id > $6::bigint"
                       " AND ($7::bigint IS NULL OR i.decided_at >= $7)"
                       " AND ($1::text IS NULL OR i.status = $1)"
                       " AND ($3::text IS NULL OR i.submitter = $3)"
                       " AND i.submitted_at >= $4::bigint"
                       "%s LIMIT $5::bigint OFFSET $8::bigint", cols, from,
                       order);
    return len > 0 && (size_t)len < n ? buf : NULL;
}

int ng__pg_list(ng_store *s, const ng_queue_filter *f, ng__list_fn fn,
                void *arg)
{
    static const ng_queue_filter none = { 0 };
    list_cb cb = { fn, arg };
    char sql[1024], name[16];
    ng__pgp p = { 0 };
    int rc;

    if (!f)
        f = &none;
    unsigned mask = (f->status ? NG__PGL_STATUS : 0)
                    | (f->rule ? NG__PGL_RULE : 0)
                    | (f->submitter ? NG__PGL_SUBMITTER : 0)
                    | (f->since ? NG__PGL_SINCE : 0);
    if (!ng__pg_list_sql(mask, sql, sizeof sql))
        return ng__store_fail(s, NG_ESTORE, "list: statement too long");
    snprintf(name, sizeof name, "nl%u", mask);
    ng__pg_str(&p, f->status);
    ng__pg_str(&p, f->rule);
    ng__pg_str(&p, f->submitter);
    ng__pg_int(&p, f->since);
    ng__pg_int(&p, f->limit > 0 ? f->limit : 50);
    ng__pg_int(&p, f->after);
    if (f->decided_since > 0)
        ng__pg_int(&p, f->decided_since);
    else
        ng__pg_str(&p, NULL);
    ng__pg_int(&p, f->offset > 0 ? f->offset : 0);
    PGresult *r = ng__pg_run_sql(s, name, sql, &p, &rc, "list");
    return r ? each_row(r, list_row, &cb) : rc;
}

/* Runs a statement of one integer into *v. */
static int one_int(ng_store *s, int which, const ng__pgp *p, int64_t *v,
                   const char *what)
{
    int rc;
    PGresult *r = ng__pg_run(s, which, p, &rc, what);

    if (!r)
        return rc;
    *v = PQntuples(r) ? ng__pg_i64(r, 0, 0) : 0;
    if (PQntuples(r) && strcmp(PQgetvalue(r, 0, 0), "t") == 0)
        *v = 1;     /* a boolean */
    PQclear(r);
    return NG_OK;
}

int ng__pg_list_count(ng_store *s, const ng_queue_filter *f, int64_t *n)
{
    ng__pgp p = { 0 };

    *n = 0;
    ng__pg_str(&p, f ? f->status : NULL);
    ng__pg_str(&p, f ? f->rule : NULL);
    ng__pg_int(&p, f ? f->since : 0);
    ng__pg_str(&p, f ? f->submitter : NULL);
    return one_int(s, PG_LIST_COUNT, &p, n, "count");
}

int ng__pg_rule_known(ng_store *s, const char *rule, int *known)
{
    ng__pgp p = { 0 };
    int64_t v = 0;
    int rc;

    ng__pg_str(&p, rule);
    rc = one_int(s, PG_RULE_KNOWN, &p, &v, "rule look-up");
    *known = v != 0;
    return rc;
}

typedef struct audit_cb { ng__audit_fn fn; void *arg; } audit_cb;

static int audit_row(const PGresult *r, int i, void *arg)
{
    audit_cb *cb = arg;
    ng__audit_row row = {
        .at = ng__pg_i64(r, i, 0), .actor = ng__pg_text(r, i, 1),
        .action = ng__pg_text(r, i, 2), .detail = ng__pg_text(r, i, 3),
        .rules_hash = ng__pg_text(r, i, 4),
    };
    return cb->fn(cb->arg, &row);
}

int ng__pg_audit_trail(ng_store *s, int64_t id, ng__audit_fn fn, void *arg)
{
    audit_cb cb = { fn, arg };
    ng__pgp p = { 0 };
    int rc;

    ng__pg_int(&p, id);
    PGresult *r = ng__pg_run(s, PG_SHOW_AUDIT, &p, &rc, "audit trail");
    return r ? each_row(r, audit_row, &cb) : rc;
}

typedef struct show_cb { ng__show_fn fn; void *arg; } show_cb;

static int show_row(const PGresult *r, int i, void *arg)
{
    show_cb *cb = arg;
    ng__show_row row = {
        .id = ng__pg_i64(r, i, 0), .external_id = ng__pg_text(r, i, 1),
        .status = ng__pg_text(r, i, 2), .action = ng__pg_text(r, i, 3),
        .score = strtod(PQgetvalue(r, i, 4), NULL),
        .verdict_json = ng__pg_text(r, i, 5),
        .rules_hash = ng__pg_text(r, i, 6),
        .decided_by = ng__pg_text(r, i, 7),
        .decided_at = ng__pg_opt(r, i, 8), .lease_until = ng__pg_opt(r, i, 9),
        .lease_by = ng__pg_text(r, i, 10),
        .received_at = ng__pg_opt(r, i, 11),
        .published_at = ng__pg_opt(r, i, 12),
        .item_json = ng__pg_text(r, i, 13),
        .submitted_at = ng__pg_opt(r, i, 14),
        .cleaned_body = ng__pg_text(r, i, 15),
    };
    return cb->fn(cb->arg, &row);
}

int ng__pg_show(ng_store *s, int64_t id, ng__show_fn fn, void *arg)
{
    show_cb cb = { fn, arg };
    ng__pgp p = { 0 };
    int rc;

    ng__pg_int(&p, id);
    PGresult *r = ng__pg_run(s, PG_SHOW, &p, &rc, "show");
    if (!r)
        return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return ng__store_fail(s, NG_ENOTFOUND, "item %lld: no such item",
                              (long long)id);
    }
    return each_row(r, show_row, &cb);
}

int ng__pg_count(ng_store *s, ng_queue_counts *c)
{
    int rc;
    PGresult *r = ng__pg_run(s, PG_COUNT_STATUS, NULL, &rc, "count");

    memset(c, 0, sizeof *c);
    if (!r)
        return rc;
    for (int i = 0; i < PQntuples(r); i++)
        ng__store_tally(c, PQgetvalue(r, i, 0), ng__pg_i64(r, i, 1));
    PQclear(r);
    return NG_OK;
}
