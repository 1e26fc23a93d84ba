/*
 * sqlite_dup.c -- duplicate keys in the SQLite backend (table dup_keys,
 * schema v1 and v3 in sqlite.c): storing an item's keys, handing out the rows
 * since a commit-log position for the in-memory index that core keeps
 * (with the exact keys: core answers the exact look-ups by canonical
 * URL, text hash and title hash from it, schema v13), one item's
 * shingle set, and a short description of an item.
 *
 * Rows in, rows out: the index itself lives in core (core/dup.c).  Blobs
 * are little-endian uint32 arrays, but for the verification sketch
 * (schema v8), bytes core packs.  The position of a row is its item_id
 * (one writer: ids are assigned in commit order).
 */
#include <stdlib.h>
#include <string.h>
#include "sqlite_impl.h"

/* Serialises v as little-endian uint32 into a new buffer. */
unsigned char *ng__sqlite_pack(const uint32_t *v, size_t n)
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

int ng__sqlite_put_keys(ng_store *s, sqlite3_stmt *st, int col,
                        const uint32_t *fps, size_t nfps,
                        const uint32_t *sh, size_t nsh, const char *what)
{
    unsigned char *f = ng__sqlite_pack(fps, nfps);
    unsigned char *p = ng__sqlite_pack(sh, nsh);
    int rc;
    if (!f || !p) {
        rc = ng__store_fail(s, NG_ENOMEM, "%s: out of memory", what);
    } else {
        sqlite3_bind_blob(st, col, f, (int)(nfps * 4), SQLITE_STATIC);
        sqlite3_bind_blob(st, col + 1, p, (int)(nsh * 4), SQLITE_STATIC);
        rc = ng__sqlite_exec(s, st, what);
    }
    sqlite3_clear_bindings(st);     /* the blobs are freed below */
    free(f);
    free(p);
    return rc;
}

int ng__sqlite_dup_insert(ng_store *s, const ng__dupkeys_row *r)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_DUP_INSERT);
    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, r->id);
    ng__sqlite_text(st, 2, r->url_canon);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)r->text_hash);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)r->title_hash);
    if (r->sketch)
        sqlite3_bind_blob(st, 7, r->sketch, (int)r->nsketch, SQLITE_STATIC);
    return ng__sqlite_put_keys(s, st, 5, r->fps, r->nfps, r->shingles,
                               r->nshingles, "insert duplicate keys");
}

/* ng_sketch(shingles): the v8 migration's conversion of a stored
 * shingle sequence (uint32 LE) to the verification sketch core would
 * make of it (core/dup.h NG__DUP_SKETCH: the upper 24 bits of each
 * value, 3 bytes LE) -- the one place the store knows that format. */
static void sql_sketch(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const unsigned char *p = sqlite3_value_blob(argv[0]);
    int bytes = sqlite3_value_bytes(argv[0]), n = bytes / 4;
    unsigned char *out = sqlite3_malloc(n * 3 + 1);
    (void)argc;
    if (!out) {
        sqlite3_result_error_nomem(cx);
        return;
    }
    for (int i = 0; i < n; i++)
        memcpy(out + 3 * i, p + 4 * i + 1, 3);
    sqlite3_result_blob(cx, out, n * 3, sqlite3_free);
}

int ng__sqlite_functions(ng_store *s)
{
    ng__sqlite *q = ng__sqlite_of(s);
    int rc = sqlite3_create_function(q->db, "ng_sketch", 1,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC
                                     | SQLITE_DIRECTONLY, NULL, sql_sketch,
                                     NULL, NULL);
    return rc == SQLITE_OK ? NG_OK : ng__sqlite_err(s, rc, "ng_sketch");
}

/* Hands one catch-up row to fn: its fingerprints, or (a row from before v3) its
 * shingles to be sampled by core, its sketch (column 3, borrowed; a
 * row without one gets NULL) and its exact keys (columns 4-6: core
 * answers exact look-ups from them, schema v13).  A damaged row is
 * skipped. */
static int since_row(sqlite3_stmt *st, uint32_t **buf, size_t *cap,
                     ng__dupfp_fn fn, void *arg)
{
    int raw = sqlite3_column_type(st, 1) == SQLITE_NULL;
    const void *blob = sqlite3_column_blob(st, raw ? 2 : 1);
    size_t bytes = (size_t)sqlite3_column_bytes(st, raw ? 2 : 1);
    if (bytes % 4)
        return NG_OK;   /* a damaged row only costs its own look-ups */
    if (bytes / 4 > *cap) {
        uint32_t *p = realloc(*buf, bytes);
        if (!p)
            return NG_ENOMEM;
        *buf = p;
        *cap = bytes / 4;
    }
    if (blob)
        unpack(blob, bytes / 4, *buf);
    int64_t id = sqlite3_column_int64(st, 0);
    ng__dupfp_row r = { id, id, *buf, bytes / 4, raw,
                        sqlite3_column_blob(st, 3),
                        (size_t)sqlite3_column_bytes(st, 3),
                        (const char *)sqlite3_column_text(st, 4),
                        (uint64_t)sqlite3_column_int64(st, 5),
                        (uint64_t)sqlite3_column_int64(st, 6) };
    return fn(arg, &r);
}

int ng__sqlite_dup_since(ng_store *s, int64_t pos, ng__dupfp_fn fn,
                         void *arg)
{
    return ng__sqlite_since(s, ST_DUP_SINCE, pos, fn, arg);
}

int ng__sqlite_since(ng_store *s, int which, int64_t pos, ng__dupfp_fn fn,
                     void *arg)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, which);
    uint32_t *buf = NULL;
    size_t cap = 0;
    int rc, ret = NG_OK;

    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, pos);
    while (ret == NG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ret = since_row(st, &buf, &cap, fn, arg);
    sqlite3_reset(st);
    free(buf);
    if (ret == NG_ENOMEM)
        return ng__store_fail(s, NG_ENOMEM, "index load: no memory");
    if (ret != NG_OK)
        return ret;
    return rc == SQLITE_DONE ? NG_OK : ng__sqlite_err(s, rc, "index load");
}

int ng__sqlite_dup_shingles(ng_store *s, int64_t id, uint32_t **out,
                            size_t *n, int *legacy)
{
    return ng__sqlite_blob(s, ST_DUP_SHINGLES, id, out, n, legacy);
}

int ng__sqlite_blob(ng_store *s, int which, int64_t id, uint32_t **out,
                    size_t *n, int *legacy)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, which);
    int rc, ret = NG_OK;

    *out = NULL;
    *n = 0;
    *legacy = 0;
    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *p = sqlite3_column_blob(st, 0);
        *n = (size_t)sqlite3_column_bytes(st, 0) / 4;
        *legacy = sqlite3_column_int(st, 1);
        *out = malloc(*n * 4 + 4);
        if (!*out)
            ret = ng__store_fail(s, NG_ENOMEM, "duplicate keys: no memory");
        else if (p)
            unpack(p, *n, *out);
    } else {
        ret = rc == SQLITE_DONE ? NG_ENOTFOUND
                                : ng__sqlite_err(s, rc, "shingles");
    }
    sqlite3_reset(st);
    return ret;
}

static char *dupstr(const unsigned char *p)
{
    const char *t = p ? (const char *)p : "";
    size_t n = strlen(t);
    char *r = malloc(n + 1);
    if (r)
        memcpy(r, t, n + 1);
    return r;
}

int ng__sqlite_describe(ng_store *s, int64_t id, ng__item_brief *out)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_DESCRIBE);
    int rc, ret = NG_OK;

    memset(out, 0, sizeof *out);
    if (!st)
        return NG_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, s->horizon > 0 ? s->horizon_at : 0);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->title = dupstr(sqlite3_column_text(st, 0));
        out->status = dupstr(sqlite3_column_text(st, 1));
        out->submitted_at = sqlite3_column_int64(st, 2);
        if (!out->title || !out->status) {
            free(out->title);
            free(out->status);
            memset(out, 0, sizeof *out);
            ret = ng__store_fail(s, NG_ENOMEM, "describe: no memory");
        }
    } else {
        ret = rc == SQLITE_DONE ? NG_ENOTFOUND
                                : ng__sqlite_err(s, rc, "describe");
    }
    sqlite3_reset(st);
    return ret;
}

int ng__sqlite_dup_identity(ng_store *s, uint64_t *out)
{
    sqlite3_stmt *st = ng__sqlite_stmt(s, ST_DUP_IDENTITY);
    int rc;

    *out = 0;
    if (!st)
        return NG_ESTORE;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? NG_OK
           : rc == SQLITE_DONE ? NG_ENOTFOUND
           : ng__sqlite_err(s, rc, "store identity");
}
