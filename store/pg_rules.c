/*
 * pg_rules.c -- what the PostgreSQL backend keeps for rule writers and
 * operators, as sqlite_rules.c: the emergency brake's table
 * (rule_brakes), the recent rule runs that seed the brake's windows, and
 * per-rule stats over a time range (errors read from the stored
 * verdicts' JSON).  Rows in, rows out; braking is core's business.
 */
#include <string.h>
#include "pg_impl.h"

int ng__pg_brake_set(ng_store *s, const ng__brake_row *b)
{
    ng__pgp p = { 0 };

    ng__pg_str(&p, b->rule);
    ng__pg_int(&p, b->at);
    ng__pg_int(&p, b->item_id);
    ng__pg_str(&p, b->reason);
    return ng__pg_exec(s, PG_BRAKE_SET, &p, NULL, "brake");
}

int ng__pg_brake_clear(ng_store *s, const char *rule, int64_t *item_id)
{
    ng__pgp p = { 0 };
    int rc;
    PGresult *r;

    *item_id = 0;
    ng__pg_str(&p, rule);
    if (!(r = ng__pg_run(s, PG_BRAKE_CLEAR, &p, &rc, "brake clear")))
        return rc;
    if (PQntuples(r) == 1)
        *item_id = ng__pg_i64(r, 0, 0);
    PQclear(r);
    return *item_id ? NG_OK : ng__store_fail(s, NG_ENOTFOUND,
                                             "rule %s is not braked", rule);
}

int ng__pg_brakes(ng_store *s, ng__brake_fn fn, void *arg)
{
    int rc;
    PGresult *r = ng__pg_run(s, PG_BRAKES, NULL, &rc, "brakes");

    if (!r)
        return rc;
    for (int i = 0; rc == NG_OK && i < PQntuples(r); i++) {
        ng__brake_row b = {
            ng__pg_text(r, i, 0), ng__pg_text(r, i, 3),
            ng__pg_i64(r, i, 1), ng__pg_i64(r, i, 2), ng__pg_i64(r, i, 4),
        };
        rc = fn(arg, &b);
    }
    PQclear(r);
    return rc;
}

int ng__pg_recent_runs(ng_store *s, int64_t items, ng__recent_fn fn,
                       void *arg)
{
    ng__pgp p = { 0 };
    int rc;
    PGresult *r;

    ng__pg_int(&p, items);
    if (!(r = ng__pg_run(s, PG_RECENT_RUNS, &p, &rc, "recent runs")))
        return rc;
    for (int i = 0; rc == NG_OK && i < PQntuples(r); i++)
        rc = fn(arg, ng__pg_i64(r, i, 0), ng__pg_text(r, i, 1),
                (int)ng__pg_i64(r, i, 2));
    PQclear(r);
    return rc;
}

int ng__pg_rule_stats(ng_store *s, int64_t since, ng__rulestat_fn fn,
                      void *arg)
{
    ng__pgp p = { 0 };
    int rc;
    PGresult *r;

    ng__pg_int(&p, since);
    if (!(r = ng__pg_run(s, PG_RULE_STATS, &p, &rc, "rule stats")))
        return rc;
    for (int i = 0; rc == NG_OK && i < PQntuples(r); i++) {
        ng__rulestat_row row = {
            ng__pg_text(r, i, 0), ng__pg_i64(r, i, 1), ng__pg_i64(r, i, 2),
            ng__pg_i64(r, i, 3), ng__pg_i64(r, i, 4), ng__pg_i64(r, i, 5),
            ng__pg_i64(r, i, 6), ng__pg_i64(r, i, 7), ng__pg_i64(r, i, 8),
        };
        rc = fn(arg, &row);
    }
    PQclear(r);
    return rc;
}
