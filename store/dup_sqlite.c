/*
 * dup_sqlite.c -- persistence of duplicate keys in the dup_keys table
 * (schema v1, see store/sqlite.c): writing an item's keys, bringing the
 * in-memory LSH index up to date, reading shingle sets for verification,
 * and exact look-ups by canonical URL, text hash and title hash.
 *
 * Besides store/sqlite*.c this is the only file that includes sqlite3.h.
 * Every statement uses bound parameters; blobs are little-endian uint32
 * arrays (bands: NG__DUP_BANDS keys; shingles: the sorted set).
 */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store.h"
#include "dup.h"

static int fail(ng_store *s, sqlite3 *db, const char *what)
{
    int rc = sqlite3_errcode(db);
    return ng__store_fail(s, rc == SQLITE_NOMEM ? NG_ENOMEM
                          : rc == SQLITE_BUSY ? NG_EBUSY : NG_ESTORE,
                          "duplicate keys: %s: %s", what, sqlite3_errmsg(db));
}

static sqlite3_stmt *prepare(ng_store *s, const char *sql)
{
    sqlite3 *db = ng__store_db(s);
    sqlite3_stmt *st = NULL;
    if (!db) {
        ng__store_fail(s, NG_ESTORE, "duplicate keys need a SQLite store");
        return NULL;
    }
    /* Cached on the handle by the address of the SQL constant. */
    if ((st = ng__store_stmt(s, sql)) == NULL) {
        fail(s, db, "prepare");
        return NULL;
    }
    return st;
}

/* Serialises v as little-endian uint32 into a new buffer. */
static unsigned char *pack(const uint32_t *v, size_t n)
{
    unsigned char *p = malloc(n * 4 + 1);
    if (!p)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        p[4 * i] = (unsigned char)v[i];
        p[4 * i + 1] = (unsigned char)(v[i] >> 8);
        p[4 * i + 2] = (unsigned char)(v[i] >> 16);
        p[4 * i + 3] = (unsigned char)(v[i] >> 24);
    }
    return p;
}

static void unpack(const unsigned char *p, size_t n, uint32_t *v)
{
    for (size_t i = 0; i < n; i++)
        v[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8
             | (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
}

static int bind_keys(sqlite3_stmt *st, int64_t id, const ng__dupinfo *d,
                     unsigned char *bands, unsigned char *sh)
{
    int rc = sqlite3_bind_int64(st, 1, id);
    if (rc == SQLITE_OK)
        rc = d->url_canon ? sqlite3_bind_text(st, 2, d->url_canon, -1,
                                              SQLITE_STATIC)
                          : sqlite3_bind_null(st, 2);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 3, (sqlite3_int64)d->text_hash);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 4, (sqlite3_int64)d->title_hash);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_blob(st, 5, bands, NG__DUP_BANDS * 4,
                               SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_blob(st, 6, sh, (int)(d->nshingles * 4),
                               SQLITE_STATIC);
    return rc;
}

int ng__dupdb_insert(ng_store *s, int64_t id, const ng__dupinfo *d)
{
    sqlite3_stmt *st = prepare(s,
        "INSERT OR REPLACE INTO dup_keys (item_id, url_canon, text_hash,"
        " title_hash, bands, shingles) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return NG_ESTORE;
    unsigned char *bands = pack(d->bands, NG__DUP_BANDS);
    unsigned char *sh = pack(d->shingles, d->nshingles);
    int rc = NG_OK;
    if (!bands || !sh)
        rc = ng__store_fail(s, NG_ENOMEM, "duplicate keys: out of memory");
    else if (bind_keys(st, id, d, bands, sh) != SQLITE_OK
             || sqlite3_step(st) != SQLITE_DONE)
        rc = fail(s, ng__store_db(s), "insert");
    sqlite3_reset(st);
    free(bands);
    free(sh);
    return rc;
}

/* Growable arrays for a bulk load. */
typedef struct loadbuf {
    uint32_t *ids, *bands;
    size_t n, cap;
} loadbuf;

static int loadbuf_push(loadbuf *b, uint32_t id, const void *blob)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        uint32_t *i = realloc(b->ids, cap * sizeof *i);
        if (!i)
            return -1;
        b->ids = i;
        uint32_t *k = realloc(b->bands, cap * NG__DUP_BANDS * sizeof *k);
        if (!k)
            return -1;
        b->bands = k;
        b->cap = cap;
    }
    b->ids[b->n] = id;
    unpack(blob, NG__DUP_BANDS, b->bands + b->n * NG__DUP_BANDS);
    b->n++;
    return 0;
}

/* Reads rows after `from` into b.  Returns an SQLite result code. */
static int read_rows(sqlite3_stmt *st, loadbuf *b, int *nomem)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const void *blob = sqlite3_column_blob(st, 1);
        if (!blob || sqlite3_column_bytes(st, 1) != NG__DUP_BANDS * 4)
            continue; /* a damaged row only costs its own look-ups */
        if (loadbuf_push(b, (uint32_t)sqlite3_column_int64(st, 0), blob)) {
            *nomem = 1;
            return SQLITE_NOMEM;
        }
    }
    return rc;
}

/* Few new rows are inserted one by one (cheap delta); many are sorted in
 * one go (the first load of a big store). */
static int apply(struct ng__dupindex *ix, const loadbuf *b)
{
    if (b->n > 4096 || b->n > ng__dupindex_count(ix))
        return ng__dupindex_bulk(ix, b->ids, b->bands, b->n);
    for (size_t i = 0; i < b->n; i++)
        if (ng__dupindex_add(ix, b->ids[i], b->bands + i * NG__DUP_BANDS))
            return -1;
    return 0;
}

int ng__dupdb_catch_up(ng_store *s, struct ng__dupindex *ix)
{
    sqlite3_stmt *st = prepare(s,
        "SELECT item_id, bands FROM dup_keys WHERE item_id > ?1"
        " ORDER BY item_id");
    if (!st)
        return NG_ESTORE;
    loadbuf b = { 0 };
    int nomem = 0, rc = NG_OK;
    sqlite3_bind_int64(st, 1, ng__dupindex_maxid(ix));
    int src = read_rows(st, &b, &nomem);
    if (nomem)
        rc = ng__store_fail(s, NG_ENOMEM, "duplicate keys: out of memory");
    else if (src != SQLITE_DONE)
        rc = fail(s, ng__store_db(s), "load");
    else if (b.n && apply(ix, &b) < 0)
        rc = ng__store_fail(s, NG_ENOMEM, "duplicate keys: out of memory");
    else if (b.n)
        ng__dupindex_set_maxid(ix, b.ids[b.n - 1]);
    sqlite3_reset(st);
    free(b.ids);
    free(b.bands);
    return rc;
}

int ng__dupdb_shingles(ng_store *s, int64_t id, uint32_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = prepare(s,
        "SELECT shingles FROM dup_keys WHERE item_id = ?1");
    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), ret = NG_OK;
    if (rc == SQLITE_ROW) {
        size_t bytes = (size_t)sqlite3_column_bytes(st, 0);
        const void *p = sqlite3_column_blob(st, 0);
        *n = bytes / 4;
        *out = malloc(*n * 4 + 4);
        if (!*out)
            ret = ng__store_fail(s, NG_ENOMEM, "duplicate keys: no memory");
        else if (p)
            unpack(p, *n, *out);
    } else if (rc == SQLITE_DONE) {
        ret = NG_ENOTFOUND;
    } else {
        ret = fail(s, ng__store_db(s), "shingles");
    }
    sqlite3_reset(st);
    return ret;
}

void ng__dupmatches_free(ng__dupmatches *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].title);
        free(m->v[i].status);
    }
    free(m->v);
    m->v = NULL;
    m->n = m->cap = 0;
}

static int push_match(ng__dupmatches *m, int64_t id)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        ng__dupmatch *v = realloc(m->v, cap * sizeof *v);
        if (!v)
            return -1;
        m->v = v;
        m->cap = cap;
    }
    memset(&m->v[m->n], 0, sizeof m->v[0]);
    m->v[m->n].id = id;
    m->n++;
    return 0;
}

static char *dupstr(const unsigned char *p)
{
    if (!p)
        p = (const unsigned char *)"";
    size_t n = strlen((const char *)p);
    char *r = malloc(n + 1);
    if (r)
        memcpy(r, p, n + 1);
    return r;
}

int ng__dupdb_describe(ng_store *s, ng__dupmatch *mt)
{
    sqlite3_stmt *st = prepare(s,
        "SELECT title, status, submitted_at FROM items WHERE id = ?1");
    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, mt->id);
    int rc = sqlite3_step(st), ret = NG_OK;
    if (rc == SQLITE_ROW) {
        free(mt->title);
        free(mt->status);
        mt->title = dupstr(sqlite3_column_text(st, 0));
        mt->status = dupstr(sqlite3_column_text(st, 1));
        mt->submitted_at = sqlite3_column_int64(st, 2);
        if (!mt->title || !mt->status)
            ret = ng__store_fail(s, NG_ENOMEM, "duplicate keys: no memory");
    } else {
        ret = rc == SQLITE_DONE ? NG_ENOTFOUND
                                : fail(s, ng__store_db(s), "describe");
    }
    sqlite3_reset(st);
    return ret;
}

/* The fixed SQL per exact-match column (never built from input). */
static const char *exact_sql(const char *column)
{
    if (strcmp(column, "url_canon") == 0)
        return "SELECT item_id FROM dup_keys WHERE url_canon = ?1"
               " AND item_id <> ?2 ORDER BY item_id LIMIT ?3";
    if (strcmp(column, "text_hash") == 0)
        return "SELECT item_id FROM dup_keys WHERE text_hash = ?1"
               " AND item_id <> ?2 ORDER BY item_id LIMIT ?3";
    if (strcmp(column, "title_hash") == 0)
        return "SELECT item_id FROM dup_keys WHERE title_hash = ?1"
               " AND item_id <> ?2 ORDER BY item_id LIMIT ?3";
    return NULL;
}

int ng__dupdb_exact(ng_store *s, const char *column, const char *text,
                    uint64_t hash, int64_t self, size_t limit,
                    ng__dupmatches *m)
{
    const char *sql = exact_sql(column);
    if (!sql)
        return ng__store_fail(s, NG_EINVAL, "duplicate keys: bad column");
    sqlite3_stmt *st = prepare(s, sql);
    if (!st)
        return NG_ESTORE;
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, (sqlite3_int64)hash);
    sqlite3_bind_int64(st, 2, self);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
    int rc, ret = NG_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (push_match(m, sqlite3_column_int64(st, 0)) < 0) {
            ret = ng__store_fail(s, NG_ENOMEM, "duplicate keys: no memory");
            break;
        }
    if (ret == NG_OK && rc != SQLITE_DONE)
        ret = fail(s, ng__store_db(s), "exact look-up");
    sqlite3_reset(st);
    return ret;
}
