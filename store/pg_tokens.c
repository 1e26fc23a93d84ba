/*
 * pg_tokens.c -- the spam learner's tables in the PostgreSQL backend
 * (bayes_tokens, bayes_learned, bayes_state; pg_schema.c), as
 * sqlite_tokens.c: the backend writes what core/learn.c decided
 * (ng__learn_row) and reads rows back.  64-bit hashes are stored as
 * signed BIGINT.  Several servers learning at once only meet on the rows
 * of the tokens they share (row locks); bayes_state's generation moves
 * with every learned item, which is how every server's in-memory table
 * (core/learn_table.c) knows it is stale.
 */
#include <stdlib.h>
#include <string.h>
#include "pg_impl.h"

int ng__pg_learned_get(ng_store *s, uint64_t key, int *spam)
{
    ng__pgp p = { 0 };
    int rc;
    PGresult *r;

    *spam = 0;
    ng__pg_int(&p, (int64_t)key);
    if (!(r = ng__pg_run(s, PG_LEARNED_GET, &p, &rc, "learned item")))
        return rc;
    rc = PQntuples(r) ? NG_OK : NG_ENOTFOUND;
    if (rc == NG_OK)
        *spam = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    return rc;
}

/* Moves one token's counts by (dspam, dham); drops it at zero. */
static int token_move(ng_store *s, uint64_t tok, int dspam, int dham)
{
    ng__pgp p = { 0 };
    int rc;

    ng__pg_int(&p, (int64_t)tok);
    ng__pg_int(&p, dspam);
    ng__pg_int(&p, dham);
    rc = ng__pg_exec(s, PG_TOKEN_ADD, &p, NULL, "learn token");
    if (rc != NG_OK || (dspam >= 0 && dham >= 0))
        return rc;
    p.n = 1;
    return ng__pg_exec(s, PG_TOKEN_PRUNE, &p, NULL, "prune token");
}

int ng__pg_learn(ng_store *s, const ng__learn_row *lr)
{
    /* Counts move by +1 in the new class and -1 in the old one. */
    int dspam = (lr->spam ? 1 : 0) - (lr->prev == 1 ? 1 : 0);
    int dham = (lr->spam ? 0 : 1) - (lr->prev == 0 ? 1 : 0);
    ng__pgp p = { 0 };
    int rc = NG_OK;

    for (size_t i = 0; rc == NG_OK && i < lr->ntokens; i++)
        rc = token_move(s, lr->tokens[i], dspam, dham);
    if (rc != NG_OK)
        return rc;
    ng__pg_int(&p, (int64_t)lr->key);
    ng__pg_str(&p, lr->spam ? "spam" : "ham");
    ng__pg_int(&p, lr->now);
    rc = ng__pg_exec(s, PG_LEARNED_PUT, &p, NULL, "learned item");
    if (rc != NG_OK)
        return rc;
    p.n = 0;
    ng__pg_int(&p, dspam);
    ng__pg_int(&p, dham);
    return ng__pg_exec(s, PG_LEARN_MOVE, &p, NULL, "learner state");
}

int ng__pg_learn_state(ng_store *s, ng__learn_state *st)
{
    int rc;
    PGresult *r = ng__pg_run(s, PG_LEARN_STATE, NULL, &rc, "learner state");

    if (!r)
        return rc;
    if (PQntuples(r) == 1) {
        st->generation = ng__pg_i64(r, 0, 0);
        st->nspam = ng__pg_i64(r, 0, 1);
        st->nham = ng__pg_i64(r, 0, 2);
    }
    PQclear(r);
    return NG_OK;
}

int ng__pg_tokens_read(ng_store *s, ng__token_fn fn, void *ctx)
{
    int rc;
    PGresult *r = ng__pg_run(s, PG_TOKENS, NULL, &rc, "tokens");

    if (!r)
        return rc;
    for (int i = 0; rc == NG_OK && i < PQntuples(r); i++)
        if (fn(ctx, (uint64_t)ng__pg_i64(r, i, 0),
               (uint32_t)ng__pg_i64(r, i, 1),
               (uint32_t)ng__pg_i64(r, i, 2)) != 0)
            rc = ng__store_fail(s, NG_ENOMEM, "learner tokens: out of "
                                "memory");
    PQclear(r);
    return rc;
}
