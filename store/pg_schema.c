/*
 * pg_schema.c -- the schema of a PostgreSQL store and its migrations.
 *
 * The version lives in table ng_meta (one row); migration i takes
 * version i to i + 1.  On open, a read-write store runs the missing
 * migrations in one transaction holding a transaction-scoped advisory
 * lock, and reads the version again under it, so two servers starting on
 * one new database do not both create the tables.  A database whose
 * version is newer than this build is refused (NG_EVERSION); one with
 * tables but no ng_meta is another program's and refused (NG_ENOTDB).
 *
 * The tables mirror the SQLite store's (docs/store.md), with what many
 * writers need: ids from a sequence (BIGSERIAL), `external_id` UNIQUE
 * (submit inserts with ON CONFLICT DO NOTHING), and dup_first, one row
 * per exact text hash naming the first item that claimed it (see
 * pg_dup.c).  Migrations are fixed DDL text; no value is ever spliced.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pg_impl.h"

/* The advisory lock key of migrations: "NGat" as in SQLite's
 * application_id. */
#define MIGRATE_LOCK "1313300852"

static const char schema_v1[] =
    "CREATE TABLE items ("
    " id BIGSERIAL PRIMARY KEY,"
    " external_id TEXT UNIQUE,"
    " domain TEXT,"
    " submitted_at BIGINT NOT NULL,"
    " received_at BIGINT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN"
    "  ('accepted','review','rejected','published')),"
    " action TEXT NOT NULL CHECK (action IN ('accept','review','reject')),"
    " score DOUBLE PRECISION NOT NULL,"
    " verdict TEXT NOT NULL,"
    " rules_hash TEXT,"
    " decided_by TEXT, decided_at BIGINT,"
    " lease_until BIGINT, lease_by TEXT,"
    " published_at BIGINT,"
    " item TEXT NOT NULL,"
    " cleaned_body TEXT,"
    /* Read from the item once, at insert (the queue lists and filters
     * them); STORED because PostgreSQL has no virtual columns. */
    " title TEXT GENERATED ALWAYS AS"
    "  (coalesce(item::jsonb ->> 'title', '')) STORED,"
    " submitter TEXT GENERATED ALWAYS AS (item::jsonb ->> 'submitter')"
    "  STORED);"
    "CREATE INDEX items_status ON items(status, id);"
    "CREATE INDEX items_status_time ON items(status, submitted_at);"
    "CREATE INDEX items_claimable ON items(id) WHERE status = 'accepted';"
    "CREATE INDEX items_submitted ON items(submitted_at);"
    "CREATE INDEX items_submitter ON items(submitter, submitted_at)"
    " WHERE submitter IS NOT NULL;"
    "CREATE INDEX items_domain ON items(domain, submitted_at)"
    " WHERE domain IS NOT NULL;"
    "CREATE INDEX items_submitter_rx ON items(submitter, received_at)"
    " WHERE submitter IS NOT NULL;"
    "CREATE INDEX items_domain_rx ON items(domain, received_at)"
    " WHERE domain IS NOT NULL;"
    "CREATE TABLE audit ("
    " id BIGSERIAL PRIMARY KEY,"
    " item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
    " at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
    " detail TEXT, rules_hash TEXT);"
    "CREATE INDEX audit_item ON audit(item_id, id);"
    "CREATE FUNCTION ng_audit_append_only() RETURNS trigger"
    " LANGUAGE plpgsql AS $f$ BEGIN"
    " RAISE EXCEPTION 'audit is append-only'; END $f$;"
    "CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit"
    " FOR EACH ROW EXECUTE FUNCTION ng_audit_append_only();"
    "CREATE TABLE rule_runs ("
    " id BIGSERIAL PRIMARY KEY,"
    " item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
    " rule TEXT NOT NULL, hit INTEGER NOT NULL, us BIGINT NOT NULL);"
    "CREATE INDEX rule_runs_item ON rule_runs(item_id);"
    "CREATE INDEX rule_runs_hits ON rule_runs(rule, item_id) WHERE hit = 1;"
    "CREATE TABLE dup_keys ("
    " item_id BIGINT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,"
    " url_canon TEXT, text_hash BIGINT, title_hash BIGINT,"
    " fps BYTEA NOT NULL, shingles BYTEA NOT NULL, sketch BYTEA);"
    "CREATE INDEX dup_keys_url ON dup_keys(url_canon)"
    " WHERE url_canon IS NOT NULL;"
    "CREATE INDEX dup_keys_text ON dup_keys(text_hash);"
    "CREATE INDEX dup_keys_title ON dup_keys(title_hash);"
    /* The first item of each exact text: the unique key two servers
     * race for (pg_dup.c). */
    "CREATE TABLE dup_first ("
    " text_hash BIGINT PRIMARY KEY,"
    " item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE);"
    "CREATE TABLE sources (id BIGSERIAL PRIMARY KEY,"
    " publisher TEXT NOT NULL, domain TEXT, title TEXT NOT NULL,"
    " added_at BIGINT NOT NULL, fps BYTEA NOT NULL,"
    " shingles BYTEA NOT NULL,"
    " body TEXT);"          /* the source's text (NULL: not kept) */
    "CREATE INDEX sources_publisher ON sources(publisher);"
    "CREATE TABLE bayes_tokens ("
    " token BIGINT PRIMARY KEY,"
    " spam INTEGER NOT NULL DEFAULT 0 CHECK (spam >= 0),"
    " ham INTEGER NOT NULL DEFAULT 0 CHECK (ham >= 0));"
    "CREATE TABLE bayes_learned ("
    " key BIGINT PRIMARY KEY,"
    " class TEXT NOT NULL CHECK (class IN ('spam','ham')),"
    " learned_at BIGINT NOT NULL);"
    "CREATE TABLE bayes_state ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " generation BIGINT NOT NULL,"
    " nspam BIGINT NOT NULL, nham BIGINT NOT NULL);"
    "INSERT INTO bayes_state VALUES (1, 0, 0, 0);"
    "CREATE TABLE rule_brakes ("
    " rule TEXT PRIMARY KEY, at BIGINT NOT NULL,"
    " item_id BIGINT NOT NULL, reason TEXT NOT NULL,"
    " released_after BIGINT);";

/* Migration i brings the schema from version i to i + 1. */
static const char *const migrations[NG__PG_SCHEMA_VERSION] = {
    schema_v1,
};

/* Runs fixed text without parameters (DDL, transaction control). */
static int simple(ng_store *s, const char *sql, const char *what)
{
    PGresult *r = PQexec(ng__pg_of(s)->conn, sql);
    int st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK
             ? NG_OK : ng__pg_err(s, r, what);
    PQclear(r);
    return rc;
}

/* The schema version into *v: 0 for an empty database, -1 for one with
 * tables of another program. */
static int version(ng_store *s, int *v)
{
    PGresult *r = PQexec(ng__pg_of(s)->conn,
        "SELECT (SELECT count(*) FROM pg_tables"
        "  WHERE schemaname = current_schema()),"
        " to_regclass('ng_meta') IS NOT NULL");
    int rc = NG_OK;

    *v = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = ng__pg_err(s, r, "read schema");
    } else if (strcmp(PQgetvalue(r, 0, 1), "t") == 0) {
        PQclear(r);
        r = PQexec(ng__pg_of(s)->conn, "SELECT version FROM ng_meta");
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
            rc = ng__pg_err(s, r, "read schema version");
        else
            *v = atoi(PQgetvalue(r, 0, 0));
    } else if (atoi(PQgetvalue(r, 0, 0)) > 0) {
        *v = -1;
    }
    PQclear(r);
    return rc;
}

/* Sets the version inside the migration's transaction. */
static int set_version(ng_store *s, int v)
{
    ng__pgp p = { 0 };
    PGresult *r;
    int rc = NG_OK;

    ng__pg_int(&p, v);
    r = PQexecParams(ng__pg_of(s)->conn, "UPDATE ng_meta SET version = $1",
                     p.n, NULL, p.v, p.len, p.fmt, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = ng__pg_err(s, r, "set schema version");
    PQclear(r);
    return rc;
}

/* Checks the version read under the lock; NG_OK when migrations may
 * run from *v. */
static int usable(ng_store *s, int v)
{
    if (v < 0)
        return ng__store_fail(s, NG_ENOTDB, "%s: a PostgreSQL database "
                              "with tables, but not a newsgate store; left "
                              "untouched", s->path);
    if (v > NG__PG_SCHEMA_VERSION)
        return ng__store_fail(s, NG_EVERSION, "%s: schema version %d is "
                              "newer than this newsgate supports (%d); "
                              "left untouched", s->path, v,
                              NG__PG_SCHEMA_VERSION);
    if (v < NG__PG_SCHEMA_VERSION && (s->flags & NG_STORE_READONLY))
        return ng__store_fail(s, NG_ESTORE, "%s: schema version %d is "
                              "older than %d; open it read-write once to "
                              "migrate", s->path, v, NG__PG_SCHEMA_VERSION);
    return NG_OK;
}

/* Runs migrations v .. NG__PG_SCHEMA_VERSION - 1 inside the open
 * transaction. */
static int apply(ng_store *s, int v)
{
    int rc = NG_OK;

    if (v == 0)
        rc = simple(s, "CREATE TABLE ng_meta (version INTEGER NOT NULL);"
                       "INSERT INTO ng_meta VALUES (0)", "create ng_meta");
    for (; rc == NG_OK && v < NG__PG_SCHEMA_VERSION; v++) {
        rc = simple(s, migrations[v], "migrate schema");
        if (rc == NG_OK)
            rc = set_version(s, v + 1);
    }
    return rc;
}

int ng__pg_migrate(ng_store *s)
{
    int v = 0, rc = version(s, &v);

    if (rc == NG_OK)
        rc = usable(s, v);
    if (rc != NG_OK || v == NG__PG_SCHEMA_VERSION)
        return rc;
    rc = simple(s, "BEGIN; SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")",
                "migration lock");
    if (rc == NG_OK)
        rc = version(s, &v);       /* again, under the lock */
    if (rc == NG_OK)
        rc = usable(s, v);
    if (rc == NG_OK)
        rc = apply(s, v);
    if (rc == NG_OK)
        return simple(s, "COMMIT", "commit migration");
    PGresult *r = PQexec(ng__pg_of(s)->conn, "ROLLBACK");
    PQclear(r);
    return rc;
}
