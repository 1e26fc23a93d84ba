/*
 * sqlite_tokens.c -- the spam learner's tables in the SQLite backend
 * (schema v2): token counts, the items learned and the learner's state.
 *
 *   bayes_tokens   token hash -> number of spam and ham items that had it
 *   bayes_learned  item key (hash of its normalized text) -> class, so an
 *                  item learned twice counts once and can be moved
 *   bayes_state    one row: generation (bumped by every change, so an
 *                  engine knows when its in-memory table is stale) and
 *                  the number of spam and ham items learned
 *
 * The backend only writes what core/learn.c decided (ng__learn_row) and
 * reads rows back; 64-bit hashes are stored as SQLite's signed integers.
 * The statements are fixed text in sqlite.c's table (ST_LEARNED_GET ...
 * ST_TOKENS), values always bound.
 */
#include <stdlib.h>
#include "sqlite_impl.h"

const char ng__sqlite_schema_v2[] =
    "CREATE TABLE bayes_tokens ("
    " token INTEGER PRIMARY KEY,"
    " spam INTEGER NOT NULL DEFAULT 0 CHECK (spam >= 0),"
    " ham INTEGER NOT NULL DEFAULT 0 CHECK (ham >= 0));"
    "CREATE TABLE bayes_learned ("
    " key INTEGER PRIMARY KEY,"
    " class TEXT NOT NULL CHECK (class IN ('spam','ham')),"
    " learned_at INTEGER NOT NULL);"
    "CREATE TABLE bayes_state ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " generation INTEGER NOT NULL,"
    " nspam INTEGER NOT NULL, nham INTEGER NOT NULL);"
    "INSERT INTO bayes_state VALUES (1, 0, 0, 0);";

int ng__sqlite_learned_get(ng_store *s, uint64_t key, int *spam)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_LEARNED_GET);
    int rc;

    *spam = 0;
    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *spam = sqlite3_column_int(st, 0);
        sqlite3_reset(st);
        return NG_OK;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? NG_ENOTFOUND
                             : ng__sqlite_err(s, rc, "learned item");
}

/* Moves one token's counts by (dspam, dham); drops it at zero. */
static int token_move(ng_store *s, uint64_t tok, int dspam, int dham)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_TOKEN_ADD);
    int rc;

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)tok);
    sqlite3_bind_int(st, 2, dspam);
    sqlite3_bind_int(st, 3, dham);
    rc = ng__sqlite_exec(s, st, "learn token");
    if (rc != NG_OK || (dspam >= 0 && dham >= 0))
        return rc;
    if (!(st = ng__sqlite_stmt(s, ST_TOKEN_PRUNE)))
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)tok);
    return ng__sqlite_exec(s, st, "prune token");
}

/* The learned item's row and the state's counts. */
static int record(ng_store *s, const ng__learn_row *r, int dspam, int dham)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_LEARNED_PUT);
    int rc;

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)r->key);
    sqlite3_bind_text(st, 2, r->spam ? "spam" : "ham", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, r->now);
    rc = ng__sqlite_exec(s, st, "learned item");
    if (rc != NG_OK)
        return rc;
    if (!(st = ng__sqlite_stmt(s, ST_LEARN_MOVE)))
        return NG_ESTORE;
    sqlite3_bind_int(st, 1, dspam);
    sqlite3_bind_int(st, 2, dham);
    return ng__sqlite_exec(s, st, "learner state");
}

int ng__sqlite_learn(ng_store *s, const ng__learn_row *r)
{
    /* Counts move by +1 in the new class and -1 in the old one. */
    int dspam = (r->spam ? 1 : 0) - (r->prev == 1 ? 1 : 0);
    int dham = (r->spam ? 0 : 1) - (r->prev == 0 ? 1 : 0);
    int rc = NG_OK;

    for (size_t i = 0; rc == NG_OK && i < r->ntokens; i++)
        rc = token_move(s, r->tokens[i], dspam, dham);
    return rc == NG_OK ? record(s, r, dspam, dham) : rc;
}

int ng__sqlite_learn_state(ng_store *s, ng__learn_state *out)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_LEARN_STATE);
    int rc;

    if (!st)
        return NG_ESTORE;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->generation = sqlite3_column_int64(st, 0);
        out->nspam = sqlite3_column_int64(st, 1);
        out->nham = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return NG_OK;
    return ng__sqlite_err(s, rc, "learner state");
}

int ng__sqlite_tokens_read(ng_store *s, ng__token_fn fn, void *ctx)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_TOKENS);
    int rc;

    if (!st)
        return NG_ESTORE;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t tok = (uint64_t)sqlite3_column_int64(st, 0);
        uint32_t spam = (uint32_t)sqlite3_column_int64(st, 1);
        uint32_t ham = (uint32_t)sqlite3_column_int64(st, 2);
        if (fn(ctx, tok, spam, ham) != 0) {
            sqlite3_reset(st);
            return ng__store_fail(s, NG_ENOMEM, "learner tokens: out of "
                                  "memory");
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? NG_OK : ng__sqlite_err(s, rc, "tokens");
}
