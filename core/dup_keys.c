/*
 * dup_keys.c -- the duplicate keys of a text, as pure computation: word
 * shingles, the one-permutation MinHash sketch and its LSH band keys,
 * multi-probe keys, and the true similarity of two shingle sets.  No
 * store, no Lua; xxHash is the only dependency.
 *
 * A shingle is three consecutive case-folded words of the body that do
 * not straddle a paragraph break (so reordered paragraphs keep their
 * shingles), hashed to 32 bits.  Each shingle hash goes to one of
 * NG__DUP_BINS bins (its top bits) and each bin keeps its smallest values;
 * the smallest per bin is the MinHash row, empty bins borrow from the next
 * filled bin (densification by rotation).  Rows are grouped in bands and
 * each band hashed to a 32-bit key.
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include "dup.h"

uint64_t ng__dup_hash(const void *p, size_t len)
{
    uint64_t h = XXH3_64bits(p, len);
    return h ? h : 1;
}

uint64_t ng__dup_words_hash(const char *text, const ng__word *w, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i].len + 1;
    if (n == 0)
        return 0;
    char *buf = malloc(total);
    if (!buf)
        return 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf[o++] = ' ';
        memcpy(buf + o, text + w[i].off, w[i].len);
        o += w[i].len;
    }
    uint64_t h = ng__dup_hash(buf, o);
    free(buf);
    return h;
}

/* Hash of words w[0..n) chained through seeds (no buffer needed). */
static uint32_t gram_hash(const char *text, const ng__word *w, size_t n)
{
    uint64_t h = 0x6e67u;
    for (size_t i = 0; i < n; i++)
        h = XXH3_64bits_withSeed(text + w[i].off, w[i].len, h);
    return (uint32_t)h;
}

/* 1 when a paragraph break lies between words a and b. */
static int breaks(const char *text, const ng__word *a, const ng__word *b)
{
    for (uint32_t i = a->off + a->len; i + 1 < b->off; i++)
        if (text[i] == '\n' && text[i + 1] == '\n')
            return 1;
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static size_t sort_unique(uint32_t *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_u32);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[k - 1])
            v[k++] = v[i];
    return k;
}

/* Shingles of one paragraph w[0..m): its 3-grams, or the paragraph
 * itself when shorter. */
static size_t para_shingles(const char *text, const ng__word *w, size_t m,
                            uint32_t *out)
{
    if (m < NG__DUP_SHINGLE) {
        out[0] = gram_hash(text, w, m);
        return 1;
    }
    for (size_t i = 0; i + NG__DUP_SHINGLE <= m; i++)
        out[i] = gram_hash(text, w + i, NG__DUP_SHINGLE);
    return m - NG__DUP_SHINGLE + 1;
}

int ng__dup_shingles(const char *text, const ng__word *w, size_t nw,
                     uint32_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    uint32_t *v = malloc((nw + 1) * sizeof *v);
    if (!v)
        return -1;
    size_t k = 0, start = 0;
    for (size_t i = 1; i <= nw; i++) {
        if (i < nw && !breaks(text, &w[i - 1], &w[i]))
            continue;
        k += para_shingles(text, w + start, i - start, v + k);
        start = i;
    }
    *n = sort_unique(v, k);
    *out = v;
    return 0;
}

/* Inserts x into the sorted list of the NG__DUP_PROBE smallest. */
static void keep_low(uint32_t *low, unsigned char *filled, uint32_t x)
{
    int n = *filled, i;
    if (n == NG__DUP_PROBE && x >= low[n - 1])
        return;
    if (n < NG__DUP_PROBE)
        n++;
    for (i = n - 1; i > 0 && low[i - 1] > x; i--)
        low[i] = low[i - 1];
    low[i] = x;
    *filled = (unsigned char)n;
}

static uint32_t mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

/* Empty bins borrow the minimum of the next filled bin, changed by the
 * distance so two borrowing bins do not agree by construction. */
static void densify(ng__dupinfo *d)
{
    for (int b = 0; b < NG__DUP_BINS; b++) {
        if (d->filled[b])
            continue;
        for (int s = 1; s < NG__DUP_BINS; s++) {
            int src = (b + s) % NG__DUP_BINS;
            if (d->filled[src] && d->low[src][0] != UINT32_MAX) {
                d->low[b][0] = mix32(d->low[src][0] + 0x9e3779b9U * (uint32_t)s);
                break;
            }
        }
    }
    for (int b = 0; b < NG__DUP_BINS; b++)
        if (!d->filled[b])
            d->filled[b] = d->low[b][0] != UINT32_MAX ? 0x80 | 1 : 0;
}

uint32_t ng__dup_band_key(int b, const uint32_t *rows)
{
    uint32_t buf[NG__DUP_ROWS + 1];
    buf[0] = (uint32_t)b;
    memcpy(buf + 1, rows, NG__DUP_ROWS * sizeof *rows);
    return (uint32_t)XXH3_64bits(buf, sizeof buf);
}

void ng__dup_sketch(ng__dupinfo *d)
{
    for (int b = 0; b < NG__DUP_BINS; b++) {
        for (int j = 0; j < NG__DUP_PROBE; j++)
            d->low[b][j] = UINT32_MAX;
        d->filled[b] = 0;
    }
    for (size_t i = 0; i < d->nshingles; i++) {
        /* Remix so bins do not follow the sort order of the raw hash. */
        uint32_t x = mix32(d->shingles[i]);
        int bin = (int)(x >> 29) & (NG__DUP_BINS - 1);
        keep_low(d->low[bin], &d->filled[bin], x);
    }
    densify(d);
    for (int b = 0; b < NG__DUP_BANDS; b++) {
        uint32_t rows[NG__DUP_ROWS];
        for (int r = 0; r < NG__DUP_ROWS; r++)
            rows[r] = d->low[b * NG__DUP_ROWS + r][0];
        d->bands[b] = ng__dup_band_key(b, rows);
    }
}

/* Values usable for probing in bin b: at most depth, 1 when borrowed. */
static int probe_n(const ng__dupinfo *d, int b, int depth)
{
    int n = d->filled[b] & 0x7f;
    if (d->filled[b] & 0x80)
        n = 1;
    return n < depth ? n : depth;
}

size_t ng__dup_probes(const ng__dupinfo *d, int depth,
                      void (*fn)(int band, uint32_t key, void *arg),
                      void *arg)
{
    size_t count = 0;
    for (int b = 0; b < NG__DUP_BANDS; b++, count++)
        fn(b, d->bands[b], arg);
    if (NG__DUP_ROWS != 2 || depth < 2)
        return count;
    for (int b = 0; b < NG__DUP_BANDS; b++) {
        int r0 = b * 2, n0 = probe_n(d, r0, depth),
            n1 = probe_n(d, r0 + 1, depth);
        for (int i = 0; i < n0; i++)
            for (int j = 0; j < n1; j++) {
                /* Skip the exact key and the deepest combinations. */
                if ((i == 0 && j == 0) || i + j >= depth)
                    continue;
                uint32_t rows[2] = { d->low[r0][i], d->low[r0 + 1][j] };
                fn(b, ng__dup_band_key(b, rows), arg);
                count++;
            }
    }
    return count;
}

ng__dupsim ng__dup_similarity(const uint32_t *a, size_t na,
                              const uint32_t *b, size_t nb)
{
    ng__dupsim s = { 0, 0, 0 };
    size_t i = 0, j = 0, both = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else
            both++, i++, j++;
    }
    if (na + nb - both > 0)
        s.jaccard = (double)both / (double)(na + nb - both);
    if (nb)
        s.containment = (double)both / (double)nb;
    if (na)
        s.contained = (double)both / (double)na;
    return s;
}

/* Below this many shingles an earlier item is too short for containment
 * to mean anything (a one-line item is "contained" in many articles). */
#define MIN_CONTAINED 25

double ng__dup_score(const ng__dupsim *s, size_t na, size_t nb)
{
    double v = s->jaccard;
    if (nb >= MIN_CONTAINED && s->containment > v)
        v = s->containment;
    if (na >= MIN_CONTAINED && s->contained > v)
        v = s->contained;
    return v;
}

void ng__dupinfo_free(ng__dupinfo *d)
{
    if (!d)
        return;
    free(d->url_canon);
    free(d->shingles);
    free(d);
}
