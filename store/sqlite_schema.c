/*
 * sqlite_schema.c -- the SQLite store's schema and its migrations: the SQL
 * of each version, the table that applies them in order under one write
 * transaction, and the test that a file is a newsgate store (or empty)
 * before anything is migrated into it.
 *
 * The schema version lives in PRAGMA user_version and the file is marked
 * as ours by PRAGMA application_id.  Migration i brings version i to
 * i + 1; a migration that rebuilds a table runs with foreign keys off and
 * is checked with PRAGMA foreign_key_check before it commits.  All SQL
 * here is fixed text.
 */
#include <stdio.h>
#include "sqlite_impl.h"

/* ---- schema ------------------------------------------------------- */

static const char schema_v1[] =
    "CREATE TABLE items ("
    " id INTEGER PRIMARY KEY,"
    " external_id TEXT UNIQUE,"
    " title TEXT NOT NULL, body TEXT NOT NULL,"
    " url TEXT, domain TEXT, source TEXT, author TEXT, submitter TEXT,"
    " submitted_at INTEGER NOT NULL,"      /* unix seconds */
    " received_at INTEGER NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN"
    "  ('accepted','review','rejected','published')),"
    " action TEXT NOT NULL CHECK (action IN ('accept','review','reject')),"
    " score REAL NOT NULL,"
    " verdict TEXT NOT NULL,"              /* verdict JSON */
    " rules_hash TEXT,"
    " decided_by TEXT, decided_at INTEGER," /* NULL unless a human */
    " lease_until INTEGER, lease_by TEXT,"
    " published_at INTEGER,"
    " item TEXT NOT NULL);"                /* the whole item as JSON */
    "CREATE INDEX items_status ON items(status, id);"
    "CREATE INDEX items_claimable ON items(id) WHERE status = 'accepted';"
    "CREATE INDEX items_submitted ON items(submitted_at);"
    "CREATE INDEX items_submitter ON items(submitter, submitted_at)"
    " WHERE submitter IS NOT NULL;"
    "CREATE INDEX items_domain ON items(domain, submitted_at)"
    " WHERE domain IS NOT NULL;"
    "CREATE TABLE audit ("
    " id INTEGER PRIMARY KEY,"
    " item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
    " at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
    " detail TEXT, rules_hash TEXT);"
    "CREATE INDEX audit_item ON audit(item_id, id);"
    "CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
    "CREATE TABLE rule_runs ("
    " item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
    " rule TEXT NOT NULL, hit INTEGER NOT NULL, us INTEGER NOT NULL);"
    "CREATE INDEX rule_runs_hits ON rule_runs(rule, item_id) WHERE hit = 1;"
    "CREATE TABLE dup_keys ("
    " item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,"
    " url_canon TEXT, text_hash INTEGER, title_hash INTEGER,"
    " bands BLOB NOT NULL, shingles BLOB NOT NULL);"
    "CREATE INDEX dup_keys_url ON dup_keys(url_canon)"
    " WHERE url_canon IS NOT NULL;"
    "CREATE INDEX dup_keys_text ON dup_keys(text_hash);"
    "CREATE INDEX dup_keys_title ON dup_keys(title_hash);";

/* v3: sampled fingerprints replace the MinHash band keys (core/dup.h).
 * Rows of earlier versions keep fps NULL and are sampled from their
 * shingles when the index reads them (ng__sqlite_dup_since). */
static const char schema_v3[] =
    "ALTER TABLE dup_keys DROP COLUMN bands;"
    "ALTER TABLE dup_keys ADD COLUMN fps BLOB;"
    /* The identity an index image names (core/dup_image.c): a new one
     * for every database, so an image never passes for another's. */
    "CREATE TABLE dup_meta (identity INTEGER NOT NULL);"
    "INSERT INTO dup_meta VALUES (random());"
    /* Reference sources: publishers' articles, indexed like items. */
    "CREATE TABLE sources (id INTEGER PRIMARY KEY, publisher TEXT NOT NULL,"
    " domain TEXT, title TEXT NOT NULL, added_at INTEGER NOT NULL,"
    " fps BLOB NOT NULL, shingles BLOB NOT NULL);"
    "CREATE INDEX sources_publisher ON sources(publisher);";

/* Version 4, the compact store: the item is stored once, as its JSON;
 * title and submitter are virtual columns read from it (no bytes on
 * disk, indexable), and body, url, source and author live only in the
 * JSON.  domain and external_id stay real columns (a derived value and
 * the idempotency key).  rule_runs keeps hits, failures and timing
 * samples only (core/store_api.c picks them); the old rows of misses
 * are dropped except one item in 64, the sample rate of new ones.  The
 * list filters get the indexes they need: (status, submitted_at) for
 * --status with --since.  The table is rebuilt (SQLite cannot drop
 * indexed columns); foreign keys are off meanwhile (migrate()), so the
 * DROP does not cascade into audit, rule_runs and dup_keys. */
static const char schema_v4[] =
    "CREATE TABLE items_v2 ("
    " id INTEGER PRIMARY KEY,"
    " external_id TEXT UNIQUE,"
    " domain TEXT,"
    " submitted_at INTEGER NOT NULL,"
    " received_at INTEGER NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN"
    "  ('accepted','review','rejected','published')),"
    " action TEXT NOT NULL CHECK (action IN ('accept','review','reject')),"
    " score REAL NOT NULL,"
    " verdict TEXT NOT NULL,"
    " rules_hash TEXT,"
    " decided_by TEXT, decided_at INTEGER,"
    " lease_until INTEGER, lease_by TEXT,"
    " published_at INTEGER,"
    " item TEXT NOT NULL,"
    " title TEXT GENERATED ALWAYS AS"
    "  (ifnull(json_extract(item, '$.title'), '')) VIRTUAL,"
    " submitter TEXT GENERATED ALWAYS AS"
    "  (json_extract(item, '$.submitter')) VIRTUAL);"
    "INSERT INTO items_v2 (id, external_id, domain, submitted_at,"
    " received_at, status, action, score, verdict, rules_hash, decided_by,"
    " decided_at, lease_until, lease_by, published_at, item)"
    " SELECT id, external_id, domain, submitted_at, received_at, status,"
    " action, score, verdict, rules_hash, decided_by, decided_at,"
    " lease_until, lease_by, published_at, item FROM items;"
    "DROP TABLE items;"
    "ALTER TABLE items_v2 RENAME TO items;"
    "CREATE INDEX items_status ON items(status, id);"
    "CREATE INDEX items_status_time ON items(status, submitted_at);"
    "CREATE INDEX items_claimable ON items(id) WHERE status = 'accepted';"
    "CREATE INDEX items_submitted ON items(submitted_at);"
    "CREATE INDEX items_submitter ON items(submitter, submitted_at)"
    " WHERE submitter IS NOT NULL;"
    "CREATE INDEX items_domain ON items(domain, submitted_at)"
    " WHERE domain IS NOT NULL;"
    "DELETE FROM rule_runs WHERE hit = 0 AND item_id % 64 <> 0;";

/* Version 5: rules the emergency brake switched to shadow mode. */
static const char schema_v5[] =
    "CREATE TABLE rule_brakes ("
    " rule TEXT PRIMARY KEY, at INTEGER NOT NULL,"
    " item_id INTEGER NOT NULL, reason TEXT NOT NULL,"
    " released_after INTEGER);";  /* NULL while braked */

/* PRAGMA application_id of a newsgate store: "NGat". */
#define NG__APP_ID 0x4E476174

/* Version 6: history windows count by received time (issue 12). */
static const char schema_v6[] =
    "CREATE INDEX IF NOT EXISTS items_submitter_rx ON items(submitter, received_at)"
    " WHERE submitter IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS items_domain_rx ON items(domain, received_at)"
    " WHERE domain IS NOT NULL;";

/* Version 7: the cleaned body (furniture cut, core/verdict_clean.c)
 * beside the original; NULL when the rules cut nothing, and for older
 * rows. */
static const char schema_v7[] =
    "ALTER TABLE items ADD COLUMN cleaned_body TEXT;";

/* Version 8, compact duplicate keys (issue 8, point 2): the shingle
 * sequence (4 bytes a shingle) gives way to the verification sketch, the
 * same sequence cut to 24 bits (core/dup.h NG__DUP_SKETCH), which core
 * holds with its index.  Rows with fingerprints are converted by
 * ng_sketch() (sqlite_dup.c) and their shingles emptied (the column is
 * NOT NULL since v1); rows from before v3 (fps NULL) keep their shingle
 * set, which the index samples on load and verification reads. */
static const char schema_v8[] =
    "ALTER TABLE dup_keys ADD COLUMN sketch BLOB;"
    "UPDATE dup_keys SET sketch = ng_sketch(shingles), shingles = x''"
    " WHERE fps IS NOT NULL;";

/* Version 9: the rule runs of an item found by its id.  The brake reads
 * the runs of the last items at every start (ST_RECENT_RUNS); without
 * this index SQLite built an automatic one over all of rule_runs each
 * time, 36% of a 1,000-item submit at 1M items, and deleting an item
 * scanned the table. */
static const char schema_v9[] =
    "CREATE INDEX IF NOT EXISTS rule_runs_item ON rule_runs(item_id);";

/* Version 10: a reference source keeps its text, so the console can show
 * the passage an uncredited copy reproduces (GET /v1/sources/{id}); NULL
 * for sources registered before. */
static const char schema_v10[] =
    "ALTER TABLE sources ADD COLUMN body TEXT;";

/* Version 12: items_domain (domain, submitted_at) goes.  No statement
 * reads it: every question by domain (the rate-limit counts and
 * item:history) is by received time, which items_domain_rx answers.  It
 * cost every submitted item one more index entry, on a leaf of its
 * domain's that a batch at 1M items no longer shares with the others'
 * (docs/architecture.md, "Writer pages per item"). */
static const char schema_v12[] =
    "DROP INDEX IF EXISTS items_domain;";

/* Version 13: the exact-key indexes of dup_keys go.  Core answers the
 * exact look-ups (item:same_url, same_text, same_title) from its
 * in-memory index, which reads the keys with the fingerprints
 * (ST_DUP_SINCE) and keeps them in its image; each index cost every
 * stored item a B-tree entry on a leaf of its own at 1M items
 * (docs/architecture.md, "Writer pages per item"). */
static const char schema_v13[] =
    "DROP INDEX IF EXISTS dup_keys_url;"
    "DROP INDEX IF EXISTS dup_keys_text;"
    "DROP INDEX IF EXISTS dup_keys_title;";

/* Migration i brings the schema from version i to i + 1. */
static const char *const migrations[NG__SCHEMA_VERSION] = {
    schema_v1,
    ng__sqlite_schema_v2,        /* spam learner (sqlite_tokens.c) */
    schema_v3,                   /* fingerprints (core/dup.h) */
    schema_v4,                   /* the compact store */
    schema_v5,                   /* emergency brake (sqlite_rules.c) */
    schema_v6,                   /* history by received time */
    schema_v7,                   /* cleaned body (core/verdict_clean.c) */
    schema_v8,                   /* verification sketches (core/dup.h) */
    schema_v9,                   /* rule runs by item (the brake) */
    schema_v10,                  /* a source's text (core/sources.c) */
    ng__sqlite_schema_v11,       /* compressed texts (sqlite_zip.c) */
    schema_v12,                  /* no unread domain index */
    schema_v13,                  /* exact keys answered in memory */
};

/* Runs `sql`, a fixed query of one integer, into *out.  Returns the
 * SQLite result code (SQLITE_ROW on success). */
static int int_query(ng__sqlite *q, const char *sql, int *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *out = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return rc;
}

/* Reads PRAGMA user_version; this is also the first read of the file, so
 * it is where a file that is not a database shows. */
int ng__sqlite_user_version(ng_store *s, int *version)
{
    int rc = int_query(s->impl, "PRAGMA user_version", version);

    if (rc == SQLITE_ROW)
        return NG_OK;
    if ((rc & 0xff) == SQLITE_NOTADB)
        return ng__store_fail(s, NG_ENOTDB, "%s: file is not a database "
                              "(left untouched)", s->path);
    return ng__sqlite_err(s, rc, "read schema version");
}

/* PRAGMA foreign_keys on or off (outside a transaction only). */
static int fkeys(ng_store *s, int on)
{
    ng__sqlite *q = s->impl;
    int rc = sqlite3_exec(q->db, on ? "PRAGMA foreign_keys = ON"
                                    : "PRAGMA foreign_keys = OFF",
                          NULL, NULL, NULL);
    return rc == SQLITE_OK ? NG_OK : ng__sqlite_err(s, rc, "foreign_keys");
}

/* After a migration, inside its transaction: NG_OK when no row points at
 * a missing parent (a rebuilt table kept every id), else NG_ESTORE. */
static int foreign_key_check(ng_store *s)
{
    ng__sqlite *q = s->impl;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(q->db, "PRAGMA foreign_key_check", -1, &st,
                                NULL);

    if (rc != SQLITE_OK)
        return ng__sqlite_err(s, rc, "foreign_key_check");
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return ng__store_fail(s, NG_ESTORE, "%s: migration left rows "
                              "pointing at missing items", s->path);
    return rc == SQLITE_DONE ? NG_OK : ng__sqlite_err(s, rc,
                                                      "foreign_key_check");
}

/* NG_OK when the database is empty (no tables) or a newsgate store:
 * application_id NG__APP_ID (set at creation since issue 16), or, for
 * stores made before that, a schema version and newsgate's first
 * tables.  Anything else is another program's database: NG_ENOTDB, so
 * it is never migrated into a queue. */
int ng__sqlite_recognise(ng_store *s, int version)
{
    ng__sqlite *q = s->impl;
    int app = 0, tables = 0, ours = 0;
    int rc = int_query(q, "PRAGMA application_id", &app);

    if (rc == SQLITE_ROW && app == 0)
        rc = int_query(q, "SELECT count(*) FROM sqlite_master WHERE type = "
                       "'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                       &tables);
    if (rc == SQLITE_ROW && app == 0 && tables > 0)
        rc = int_query(q, "SELECT count(*) FROM sqlite_master WHERE type = "
                       "'table' AND name IN ('items', 'audit', 'rule_runs')",
                       &ours);
    if (rc != SQLITE_ROW)
        return ng__sqlite_err(s, rc, "read schema");
    if (app == NG__APP_ID
        || (app == 0 && (tables == 0 || (version > 0 && ours == 3))))
        return NG_OK;
    return ng__store_fail(s, NG_ENOTDB, "%s: an SQLite database, but not a "
                          "newsgate store (application_id %d, %d tables); "
                          "left untouched", s->path, app, tables);
}

/* Applies the migrations from `from` up to NG__SCHEMA_VERSION in one
 * write transaction, re-reading the version under the write lock so two
 * processes creating one database do not both migrate it. */
int ng__sqlite_migrate(ng_store *s)
{
    ng__sqlite *q = s->impl;
    int v = 0, rc;

    /* Off outside the transaction (the pragma is a no-op inside one): a
     * migration that rebuilds a table drops the old one, and with foreign
     * keys on that would delete the rows that point at it. */
    rc = fkeys(s, 0);
    if (rc == NG_OK)
        rc = ng__sqlite_begin(s, 1);
    if (rc != NG_OK)
        return rc;
    rc = ng__sqlite_user_version(s, &v);
    for (; rc == NG_OK && v < NG__SCHEMA_VERSION; v++) {
        char pragma[96];
        int src = sqlite3_exec(q->db, migrations[v], NULL, NULL, NULL);
        /* The application_id marks the file as ours (see ng__sqlite_recognise). */
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d; "
                 "PRAGMA application_id = %d", v + 1, NG__APP_ID);
        if (src == SQLITE_OK)
            src = sqlite3_exec(q->db, pragma, NULL, NULL, NULL);
        if (src != SQLITE_OK)
            rc = ng__sqlite_err(s, src, "migrate schema");
    }
    if (rc == NG_OK && v > NG__SCHEMA_VERSION)
        rc = ng__store_fail(s, NG_EVERSION, "%s: schema version %d is newer "
                            "than this newsgate supports (%d)", s->path, v,
                            NG__SCHEMA_VERSION);
    if (rc == NG_OK && (rc = foreign_key_check(s)) == NG_OK)
        rc = ng__sqlite_commit(s);
    else
        ng__sqlite_rollback(s);
    int rc2 = fkeys(s, 1);
    return rc != NG_OK ? rc : rc2;
}
