/*
 * sqlite_zip.c -- compressed item, verdict and cleaned-body texts in the
 * SQLite backend (schema v11, issue 8 point 4: at most 4 KB a 2 KB
 * article).  The JSON texts core hands the store are most of an item's
 * bytes; deflate halves them.  The backend does it inside its own SQL,
 * so core, the PostgreSQL backend and the operations table do not
 * change:
 *
 *   ng_zip(text)    -> a BLOB: the text's length (4 bytes, little endian)
 *                      and its zlib stream (RFC 1950); the text itself
 *                      (TEXT) when deflate would not make it shorter;
 *                      NULL for NULL
 *   ng_unzip(value) -> the TEXT again: a BLOB is inflated, a TEXT (rows
 *                      from before v11, short texts) is returned as it is
 *
 * Every statement that writes items.item / verdict / cleaned_body wraps
 * the bound text in ng_zip(), every one that reads them ng_unzip()
 * (sqlite.c, sqlite_report.c).  The streams are made and read with
 * libdeflate, which works on whole buffers: on the BBC items it makes
 * zlib streams 3% smaller than zlib's own level 1 in half its
 * instructions, and inflates in 60% of zlib's time (s5-submit; the
 * numbers are in docs/architecture.md).  Any zlib reads them, so rows
 * written by zlib before and after read alike.  One compressor and one
 * decompressor are kept per connection, made on first use.  The
 * functions are SQLITE_DIRECTONLY: the schema never uses them, so the
 * sqlite3 shell still opens the file.  The shell's own
 * sqlar_uncompress() reads a compressed value (a zlib stream rather than
 * raw deflate costs 6 bytes and buys that):
 *   CAST(sqlar_uncompress(substr(item, 5), 16777216) AS TEXT)
 * (any size at least the text's length will do).
 * The same compression is offered as the backend's pack operation
 * (store.h) so that core makes the item's blob on the thread that checks
 * it, off the single writer; see "packers" below.
 */
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include "sqlite_impl.h"

/* libdeflate level 1: on the BBC corpus 1,391 bytes an item (item and
 * verdict JSON) against 1,378 at level 6, for 30% fewer instructions;
 * zlib's level 1 made 1,436 in twice the instructions. */
#define ZIP_LEVEL 1
/* Texts shorter than this are stored as they are. */
#define ZIP_MIN 64
/* A stored blob's header: the inflated length. */
#define ZIP_HDR 4
/* Output room libdeflate may want past the end of what it writes. */
#define ZIP_SLACK 32

typedef struct {
    struct libdeflate_compressor *def;
    struct libdeflate_decompressor *inf;
} zip_ctx;

static void zip_free(void *p)
{
    zip_ctx *z = p;

    if (!z)
        return;
    libdeflate_free_compressor(z->def);
    libdeflate_free_decompressor(z->inf);
    free(z);
}

/* The stored form of n bytes of src (the compressed blob: length
 * header and zlib stream), malloc'd with `alloc` into *out, or *out NULL
 * when the text is stored as it is (short, or not made shorter).
 * Returns 0, or -1 when out of memory. */
static int pack_text(zip_ctx *z, const unsigned char *src, size_t n,
                     void *(*alloc)(size_t), void (*release)(void *),
                     unsigned char **out, size_t *outn)
{
    *out = NULL, *outn = 0;
    if (!src || n < ZIP_MIN || n > 0x7fffffffu)
        return 0;
    if (!z->def && !(z->def = libdeflate_alloc_compressor(ZIP_LEVEL)))
        return -1;
    /* Room for a blob shorter than the text, plus the few bytes of
     * slack libdeflate needs at the end of its output (1.14 answers 0
     * for a 97-byte stream in 104 bytes).  A stream that does not fit
     * is not shorter: the text is kept as it is. */
    unsigned char *buf = alloc(n + ZIP_SLACK);
    if (!buf)
        return -1;
    size_t len = libdeflate_zlib_compress(z->def, src, n, buf + ZIP_HDR,
                                          n - ZIP_HDR + ZIP_SLACK);
    if (len == 0 || len + ZIP_HDR >= n) {
        release(buf);
        return 0;
    }
    for (int i = 0; i < ZIP_HDR; i++)
        buf[i] = (unsigned char)(n >> (8 * i));
    *out = buf, *outn = ZIP_HDR + len;
    return 0;
}

static void *sql_alloc(size_t n) { return sqlite3_malloc64(n); }

static void sql_zip(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    zip_ctx *z = sqlite3_user_data(cx);
    const unsigned char *src;
    size_t n, len;
    unsigned char *out;
    (void)argc;

    /* The type first: sqlite3_value_text() would turn a blob (one the
     * packer made ahead) into text. */
    if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
        sqlite3_result_value(cx, argv[0]);  /* NULL, or already a blob */
        return;
    }
    src = sqlite3_value_text(argv[0]);
    n = (size_t)sqlite3_value_bytes(argv[0]);
    if (pack_text(z, src, n, sql_alloc, sqlite3_free, &out, &len) < 0)
        sqlite3_result_error_nomem(cx);
    else if (!out)
        sqlite3_result_value(cx, argv[0]);
    else
        sqlite3_result_blob64(cx, out, len, sqlite3_free);
}

/* ---- packers: the same bytes, made on a checking thread --------------
 * (store.h, ops->pack).  A packer is a zip_ctx of its own (a deflate
 * stream is not shared between threads); the blob it makes is bound as
 * it is, and ng_zip() passes a blob through unchanged, so the stored
 * bytes are those ng_zip would have made from the text. */

void *ng__sqlite_zip_new(void)
{
    return calloc(1, sizeof(zip_ctx));
}

int ng__sqlite_zip_text(void *packer, const char *text, size_t n,
                    unsigned char **out, size_t *outn)
{
    if (pack_text(packer, (const unsigned char *)text, n, malloc, free,
                  out, outn) < 0)
        return NG_ENOMEM;
    return NG_OK;
}

void ng__sqlite_zip_free(void *packer)
{
    zip_free(packer);
}

/* Inflates a stored blob's zlib stream to its text of n bytes
 * into out; returns 0, -1 when the blob is damaged, or -2 when out of
 * memory. */
static int inflate_into(zip_ctx *z, const unsigned char *src, size_t len,
                        unsigned char *out, size_t n)
{
    if (!z->inf && !(z->inf = libdeflate_alloc_decompressor()))
        return -2;
    /* Without an actual-size pointer, anything but exactly n bytes is
     * an error (the checksum is tested too). */
    return libdeflate_zlib_decompress(z->inf, src, len, out, n, NULL)
           == LIBDEFLATE_SUCCESS ? 0 : -1;
}

static void sql_unzip(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    zip_ctx *z = sqlite3_user_data(cx);
    (void)argc;

    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_value(cx, argv[0]);      /* TEXT or NULL */
        return;
    }
    const unsigned char *src = sqlite3_value_blob(argv[0]);
    size_t len = (size_t)sqlite3_value_bytes(argv[0]), n = 0;
    if (!src || len <= ZIP_HDR) {
        sqlite3_result_error(cx, "ng_unzip: damaged value", -1);
        return;
    }
    for (int i = 0; i < ZIP_HDR; i++)
        n |= (size_t)src[i] << (8 * i);
    unsigned char *out = sqlite3_malloc64(n + 1);
    if (!out) {
        sqlite3_result_error_nomem(cx);
        return;
    }
    int rc = inflate_into(z, src + ZIP_HDR, len - ZIP_HDR, out, n);
    if (rc != 0) {
        sqlite3_free(out);
        if (rc == -2)
            sqlite3_result_error_nomem(cx);
        else
            sqlite3_result_error(cx, "ng_unzip: damaged value", -1);
        return;
    }
    out[n] = '\0';
    sqlite3_result_text64(cx, (const char *)out, n, sqlite3_free,
                          SQLITE_UTF8);
}

int ng__sqlite_zip_functions(ng_store *s)
{
    ng__sqlite *q = ng__sqlite_of(s);
    zip_ctx *z = calloc(1, sizeof *z);
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY;

    if (!z)
        return ng__store_fail(s, NG_ENOMEM, "%s: out of memory", s->path);
    /* Both functions share z; ng_unzip's registration owns it (its
     * destructor runs when the connection closes, after both are gone). */
    int rc = sqlite3_create_function_v2(q->db, "ng_unzip", 1, flags, z,
                                        sql_unzip, NULL, NULL, zip_free);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(q->db, "ng_zip", 1, flags, z,
                                        sql_zip, NULL, NULL, NULL);
    return rc == SQLITE_OK ? NG_OK : ng__sqlite_err(s, rc, "ng_zip");
}

/* Version 11: title and submitter become stored columns (the virtual
 * ones read them from the item JSON, which is now compressed), and the
 * item, verdict and cleaned-body texts of existing rows are compressed.
 * The two submitter indexes are rebuilt around the new column.  Rows the
 * migration leaves as TEXT (short texts) read back unchanged. */
const char ng__sqlite_schema_v11[] =
    "DROP INDEX IF EXISTS items_submitter;"
    "DROP INDEX IF EXISTS items_submitter_rx;"
    "ALTER TABLE items DROP COLUMN title;"
    "ALTER TABLE items DROP COLUMN submitter;"
    "ALTER TABLE items ADD COLUMN title TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE items ADD COLUMN submitter TEXT;"
    "UPDATE items SET title = ifnull(json_extract(item, '$.title'), ''),"
    " submitter = json_extract(item, '$.submitter'),"
    " item = ng_zip(item), verdict = ng_zip(verdict),"
    " cleaned_body = ng_zip(cleaned_body);"
    "CREATE INDEX items_submitter ON items(submitter, submitted_at)"
    " WHERE submitter IS NOT NULL;"
    "CREATE INDEX items_submitter_rx ON items(submitter, received_at)"
    " WHERE submitter IS NOT NULL;";
