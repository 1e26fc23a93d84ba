/*
 * fuzz_reader.c -- fuzz target: the item reader (input.c, json_fast.c,
 * item.c) on JSON objects, arrays, NDJSON and plain text.
 *
 * The first byte picks the format (auto, JSON, text) and whether small
 * limits apply; the second seeds the chunk sizes.  The rest is read over
 * memory, then as a stream whose read function hands out chunks of
 * pseudo-random sizes (1 byte to 64 KiB), and the two readings must give
 * the same results, messages and items: the stream's window and its
 * skipping of long lines are meant to be invisible.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsgate.h"
#include "fuzz.h"

enum { MAXCALLS = 64 };

/* What one reading gave: each call's result, and a digest of its item
 * or its message. */
typedef struct reading {
    int rc[MAXCALLS];
    char *what[MAXCALLS];
    size_t n;
} reading;

typedef struct chunks {
    const uint8_t *data;
    size_t len, pos;
    ng_fuzz_rng g;
} chunks;

static long chunk_read(void *ud, char *buf, size_t n)
{
    chunks *c = ud;
    size_t k = c->len - c->pos;
    size_t want = ng_fuzz_next(&c->g, 4) == 0
        ? 1 + ng_fuzz_next(&c->g, 65536) : 1 + ng_fuzz_next(&c->g, 16);

    if (k > want)
        k = want;
    if (k > n)
        k = n;
    memcpy(buf, c->data + c->pos, k);
    c->pos += k;
    return (long)k;
}

/* Every field of `it`, joined, so two items can be compared. */
static char *digest(const ng_item *it)
{
    size_t cap = 64, len = 0;
    char *s = malloc(cap);

    if (!s)
        ng_fuzz_fail("out of memory");
    s[0] = '\0';
    for (int f = NG_FIELD_TITLE; f <= NG_FIELD_META; f++) {
        const char *v = ng_item_get(it, (ng_field)f);
        size_t vn = v ? strlen(v) : 4;
        if (len + vn + 2 > cap) {
            cap = (len + vn + 2) * 2;
            if (!(s = realloc(s, cap)))
                ng_fuzz_fail("out of memory");
        }
        memcpy(s + len, v ? v : "NULL", vn);
        len += vn;
        s[len++] = '\x1f';
        s[len] = '\0';
    }
    return s;
}

static void read_into(ng_reader *r, reading *out)
{
    for (out->n = 0; out->n < MAXCALLS; out->n++) {
        ng_item *it = NULL;
        int rc = ng_reader_next(r, &it);
        out->rc[out->n] = rc;
        if (rc == NG_OK && !it)
            ng_fuzz_fail("NG_OK without an item");
        if (rc != NG_OK && it)
            ng_fuzz_fail("an item with an error");
        out->what[out->n] = it ? digest(it)
            : ng_fuzz_str((const uint8_t *)ng_reader_errmsg(r),
                          strlen(ng_reader_errmsg(r)));
        ng_item_free(it);
        if (rc == NG_DONE || rc == NG_EIO || rc == NG_ENOMEM) {
            out->n++;
            break;
        }
    }
}

static void reading_free(reading *x)
{
    for (size_t i = 0; i < x->n; i++)
        free(x->what[i]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ng_limits small = { 512, 64, 64, 256, 8, 2 };
    reading mem, str;
    ng_reader *r;
    chunks c;

    if (size < 2)
        return 0;
    ng_format fmt = (ng_format)(data[0] % 3);
    const ng_limits *lim = data[0] & 4 ? &small : NULL;
    c = (chunks){ data + 2, size - 2, 0, { data[1] * 2654435761u } };
    if (ng_reader_open(&r, "fuzz", (const char *)c.data, c.len, fmt, lim)
        != NG_OK)
        ng_fuzz_fail("open over memory");
    read_into(r, &mem);
    ng_reader_close(r);
    if (ng_reader_open_stream(&r, "fuzz", chunk_read, &c, fmt, lim)
        != NG_OK)
        ng_fuzz_fail("open a stream");
    read_into(r, &str);
    ng_reader_close(r);
    if (mem.n != str.n)
        ng_fuzz_fail("stream and memory: different number of results");
    for (size_t i = 0; i < mem.n; i++)
        if (mem.rc[i] != str.rc[i] || strcmp(mem.what[i], str.what[i]))
            ng_fuzz_fail("stream and memory: different result");
    reading_free(&mem);
    reading_free(&str);
    return 0;
}
