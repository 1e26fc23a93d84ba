/*
 * pg_dup.c -- duplicate keys and reference sources in the PostgreSQL
 * backend (tables dup_keys, dup_first and sources, pg_schema.c).  Rows in,
 * rows out, as sqlite_dup.c and sqlite_sources.c: the in-memory index
 * and the matching live in core.  Blobs are little-endian uint32 arrays
 * in BYTEA, sent as binary parameters.
 *
 * Exact duplicates raced through two servers.  Each server checks its
 * item before filing it, so two servers given the same text at the same
 * moment could both find no earlier copy and both accept.  dup_first
 * holds one row per exact text hash, the first item that claimed it;
 * dup_insert claims with INSERT ... ON CONFLICT DO NOTHING, which waits
 * while another transaction holds an uncommitted claim of the same hash
 * and then sees its outcome.  A writer that loses (the hash is owned by
 * another item) although its check found no copy answers NG__ERETRY:
 * core rolls the item back and checks it again, now seeing the winner,
 * so the second is filed as its duplicate.  No global lock: writers
 * only ever wait for a writer of the same text.
 */
#include <stdlib.h>
#include <string.h>
#include "pg_impl.h"

/* Binds fps and shingles as binary parameters (packed into f and p,
 * which the caller frees). */
static int put_blobs(ng_store *s, ng__pgp *pp, const uint32_t *fps,
                     size_t nfps, const uint32_t *sh, size_t nsh,
                     unsigned char **f, unsigned char **p)
{
    *f = ng__pg_pack(fps, nfps);
    *p = ng__pg_pack(sh, nsh);
    if (!*f || !*p)
        return ng__store_fail(s, NG_ENOMEM, "duplicate keys: no memory");
    ng__pg_bin(pp, *f, nfps * 4);
    ng__pg_bin(pp, *p, nsh * 4);
    return NG_OK;
}

/* Claims the first place of r's exact text (see the top of the file). */
static int claim_text(ng_store *s, const ng__dupkeys_row *k)
{
    ng__pgp p = { 0 };
    int rc;
    PGresult *r;

    ng__pg_int(&p, (int64_t)k->text_hash);
    ng__pg_int(&p, k->id);
    if (!(r = ng__pg_run(s, PG_DUP_CLAIM, &p, &rc, "claim text")))
        return rc;
    int won = PQntuples(r) == 1;
    PQclear(r);
    if (won || !k->text_checked || k->text_first != 0)
        return NG_OK;
    p.n = 1;
    if (!(r = ng__pg_run(s, PG_DUP_OWNER, &p, &rc, "text owner")))
        return rc;
    int64_t owner = PQntuples(r) ? ng__pg_i64(r, 0, 0) : 0;
    PQclear(r);
    if (owner == 0 || owner == k->id)
        return NG_OK;
    return ng__store_fail(s, NG__ERETRY, "%s: item %lld with the same text "
                          "was stored meanwhile", s->path, (long long)owner);
}

int ng__pg_dup_insert(ng_store *s, const ng__dupkeys_row *k)
{
    ng__pgp p = { 0 };
    unsigned char *f = NULL, *b = NULL;
    int rc;

    ng__pg_int(&p, k->id);
    ng__pg_str(&p, k->url_canon);
    ng__pg_int(&p, (int64_t)k->text_hash);
    ng__pg_int(&p, (int64_t)k->title_hash);
    rc = put_blobs(s, &p, k->fps, k->nfps, k->shingles, k->nshingles, &f,
                   &b);
    ng__pg_bin(&p, k->sketch, k->nsketch);     /* none: empty */
    if (rc == NG_OK)
        rc = ng__pg_exec(s, PG_DUP_INSERT, &p, NULL, "insert duplicate keys");
    free(f);
    free(b);
    if (rc == NG_OK && k->text_hash)
        rc = claim_text(s, k);
    return rc;
}

/* Hands the rows of a catch-up statement to fn (columns: id, fps, and
 * the verification sketch, NULL for sources). */
static int since(ng_store *s, int which, int64_t pos, ng__dupfp_fn fn,
                 void *arg)
{
    ng__pgp p = { 0 };
    int rc, ret = NG_OK;
    PGresult *r;

    ng__pg_int(&p, pos);
    if (!(r = ng__pg_run(s, which, &p, &rc, "index load")))
        return rc;
    for (int i = 0; ret == NG_OK && i < PQntuples(r); i++) {
        uint32_t *fps;
        size_t n;
        if (ng__pg_u32s(r, i, 1, &fps, &n) != NG_OK) {
            ret = ng__store_fail(s, NG_ENOMEM, "index load: no memory");
            break;
        }
        int64_t id = ng__pg_i64(r, i, 0);
        size_t nsk = 0;
        unsigned char *sk = PQgetisnull(r, i, 2) ? NULL : PQunescapeBytea(
            (const unsigned char *)PQgetvalue(r, i, 2), &nsk);
        /* No exact keys: this backend answers those itself (dup_exact). */
        ng__dupfp_row row = { id, id, fps, n, 0, nsk ? sk : NULL, nsk,
                              NULL, 0, 0 };
        ret = fn(arg, &row);
        free(fps);
        PQfreemem(sk);
    }
    PQclear(r);
    return ret;
}

int ng__pg_dup_since(ng_store *s, int64_t pos, ng__dupfp_fn fn, void *arg)
{
    return since(s, PG_DUP_SINCE, pos, fn, arg);
}

int ng__pg_src_since(ng_store *s, int64_t pos, ng__dupfp_fn fn, void *arg)
{
    return since(s, PG_SRC_SINCE, pos, fn, arg);
}

/* One row's shingle blob (NG_ENOTFOUND when absent). */
static int blob(ng_store *s, int which, int64_t id, uint32_t **out,
                size_t *n, int *legacy)
{
    ng__pgp p = { 0 };
    int rc;
    PGresult *r;

    *out = NULL;
    *n = 0;
    *legacy = 0;
    ng__pg_int(&p, id);
    if (!(r = ng__pg_run(s, which, &p, &rc, "shingles")))
        return rc;
    rc = PQntuples(r) == 0 ? NG_ENOTFOUND : ng__pg_u32s(r, 0, 0, out, n);
    if (rc == NG_ENOMEM)
        ng__store_fail(s, rc, "duplicate keys: no memory");
    PQclear(r);
    return rc;
}

int ng__pg_dup_shingles(ng_store *s, int64_t id, uint32_t **out, size_t *n,
                        int *legacy)
{
    return blob(s, PG_DUP_SHINGLES, id, out, n, legacy);
}

int ng__pg_src_shingles(ng_store *s, int64_t id, uint32_t **out, size_t *n,
                        int *legacy)
{
    return blob(s, PG_SRC_SHINGLES, id, out, n, legacy);
}

int ng__pg_dup_exact(ng_store *s, ng__dupkind kind, const char *text,
                     uint64_t hash, int64_t self, size_t limit,
                     int64_t *ids, size_t *n)
{
    int which = kind == NG__DUP_URL ? PG_DUP_URL
                : kind == NG__DUP_TEXT ? PG_DUP_TEXT : PG_DUP_TITLE;
    ng__pgp p = { 0 };
    int rc;
    PGresult *r;

    *n = 0;
    if (kind == NG__DUP_URL)
        ng__pg_str(&p, text);
    else
        ng__pg_int(&p, (int64_t)hash);
    ng__pg_int(&p, self);
    ng__pg_int(&p, (int64_t)limit);
    if (!(r = ng__pg_run(s, which, &p, &rc, "exact look-up")))
        return rc;
    for (int i = 0; i < PQntuples(r) && *n < limit; i++)
        ids[(*n)++] = ng__pg_i64(r, i, 0);
    PQclear(r);
    return NG_OK;
}

static char *dupstr(const char *t)
{
    return strdup(t ? t : "");
}

int ng__pg_describe(ng_store *s, int64_t id, ng__item_brief *out)
{
    ng__pgp p = { 0 };
    int rc;
    PGresult *r;

    memset(out, 0, sizeof *out);
    ng__pg_int(&p, id);
    ng__pg_int(&p, s->horizon > 0 ? s->horizon_at : 0);
    if (!(r = ng__pg_run(s, PG_DESCRIBE, &p, &rc, "describe")))
        return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return NG_ENOTFOUND;
    }
    out->title = dupstr(ng__pg_text(r, 0, 0));
    out->status = dupstr(ng__pg_text(r, 0, 1));
    out->submitted_at = ng__pg_i64(r, 0, 2);
    PQclear(r);
    if (out->title && out->status)
        return NG_OK;
    free(out->title);
    free(out->status);
    memset(out, 0, sizeof *out);
    return ng__store_fail(s, NG_ENOMEM, "describe: no memory");
}

/* ---- reference sources ------------------------------------------------ */

int ng__pg_src_insert(ng_store *s, const ng__src_row *src, int64_t *id)
{
    ng__pgp p = { 0 };
    unsigned char *f = NULL, *b = NULL;
    PGresult *r = NULL;
    int rc;

    *id = 0;
    ng__pg_str(&p, src->publisher);
    ng__pg_str(&p, src->domain);
    ng__pg_str(&p, src->title);
    ng__pg_int(&p, src->added_at);
    rc = put_blobs(s, &p, src->fps, src->nfps, src->shingles,
                   src->nshingles, &f, &b);
    ng__pg_str(&p, src->body);
    if (rc == NG_OK)
        r = ng__pg_run(s, PG_SRC_INSERT, &p, &rc, "insert source");
    if (r && PQntuples(r) == 1)
        *id = ng__pg_i64(r, 0, 0);
    PQclear(r);
    free(f);
    free(b);
    return rc;
}

/* Hands each source row of r to fn; *rows counts them.  Frees r. */
static int each_source(PGresult *r, ng__src_fn fn, void *arg, int *rows)
{
    int ret = NG_OK;

    *rows = PQntuples(r);
    for (int i = 0; ret == NG_OK && i < *rows; i++) {
        ng__src_row row = {
            .id = ng__pg_i64(r, i, 0), .publisher = ng__pg_text(r, i, 1),
            .domain = ng__pg_text(r, i, 2), .title = ng__pg_text(r, i, 3),
            .added_at = ng__pg_i64(r, i, 4),
            /* Only src_get selects the text. */
            .body = PQnfields(r) > 5 ? ng__pg_text(r, i, 5) : NULL,
        };
        ret = fn(arg, &row);
    }
    PQclear(r);
    return ret;
}

int ng__pg_src_get(ng_store *s, int64_t id, ng__src_fn fn, void *arg)
{
    ng__pgp p = { 0 };
    int rc, rows;
    PGresult *r;

    ng__pg_int(&p, id);
    if (!(r = ng__pg_run(s, PG_SRC_GET, &p, &rc, "sources")))
        return rc;
    rc = each_source(r, fn, arg, &rows);
    return rc == NG_OK && rows == 0 ? NG_ENOTFOUND : rc;
}

int ng__pg_src_list(ng_store *s, ng__src_fn fn, void *arg)
{
    int rc, rows;
    PGresult *r = ng__pg_run(s, PG_SRC_LIST, NULL, &rc, "sources");
    return r ? each_source(r, fn, arg, &rows) : rc;
}

int ng__pg_src_remove(ng_store *s, const char *publisher, int64_t id,
                      int64_t *n)
{
    ng__pgp p = { 0 };

    if (publisher)
        ng__pg_str(&p, publisher);
    else
        ng__pg_int(&p, id);
    return ng__pg_exec(s, publisher ? PG_SRC_DEL_PUB : PG_SRC_DEL_ID, &p, n,
                       "remove sources");
}
