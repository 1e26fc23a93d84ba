/*
 * dup_index.c -- the in-memory LSH index of near-duplicate detection.
 *
 * Per band one array of (key32 << 32 | id32) sorted by key: 8 bytes per
 * band, 32 bytes per item.  New items go into a small sorted delta per
 * band (insertion is a memmove of the delta only) that is merged into the
 * main array in place, from the back, once it grows past sqrt(n) (at
 * least MIN_DELTA), so an insert costs O(sqrt n) amortised and a look-up
 * two binary searches.  Bulk loads append and radix-sort.  A rolled-back
 * insert is removed with two binary searches and a memmove.  No storage
 * here: core/dup_state.c feeds it from the backend's rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dup.h"

#define MIN_DELTA 256

typedef struct band {
    uint64_t *main, *delta;
    size_t n, nd, capd;
} band;

struct ng__dupindex {
    band b[NG__DUP_BANDS];
    size_t count;
    int64_t maxid;
};

struct ng__dupindex *ng__dupindex_new(void)
{
    return calloc(1, sizeof(struct ng__dupindex));
}

void ng__dupindex_free(struct ng__dupindex *ix)
{
    if (!ix)
        return;
    for (int i = 0; i < NG__DUP_BANDS; i++) {
        free(ix->b[i].main);
        free(ix->b[i].delta);
    }
    free(ix);
}

static uint64_t pair(uint32_t key, uint32_t id)
{
    return (uint64_t)key << 32 | id;
}

/* First index in v[0..n) whose key is >= key. */
static size_t lower(const uint64_t *v, size_t n, uint32_t key)
{
    size_t lo = 0, hi = n;
    uint64_t x = (uint64_t)key << 32;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Merges the delta into the main array, in place from the back. */
static int merge(band *bd)
{
    if (bd->nd == 0)
        return 0;
    uint64_t *m = realloc(bd->main, (bd->n + bd->nd) * sizeof *m);
    if (!m)
        return -1;
    bd->main = m;
    size_t i = bd->n, j = bd->nd, k = bd->n + bd->nd;
    while (j > 0) {
        if (i > 0 && m[i - 1] > bd->delta[j - 1])
            m[--k] = m[--i];
        else
            m[--k] = bd->delta[--j];
    }
    bd->n += bd->nd;
    bd->nd = 0;
    return 0;
}

static int reserve_delta(band *bd)
{
    if (bd->nd < bd->capd)
        return 0;
    size_t cap = bd->capd ? bd->capd * 2 : MIN_DELTA;
    uint64_t *d = realloc(bd->delta, cap * sizeof *d);
    if (!d)
        return -1;
    bd->delta = d;
    bd->capd = cap;
    return 0;
}

static void delta_insert(band *bd, uint64_t x)
{
    size_t i = bd->nd;
    while (i > 0 && bd->delta[i - 1] > x)
        i--;
    memmove(bd->delta + i + 1, bd->delta + i, (bd->nd - i) * sizeof x);
    bd->delta[i] = x;
    bd->nd++;
}

int ng__dupindex_add(struct ng__dupindex *ix, uint32_t id,
                     const uint32_t bands[NG__DUP_BANDS])
{
    for (int i = 0; i < NG__DUP_BANDS; i++)
        if (reserve_delta(&ix->b[i]) < 0)
            return -1;
    for (int i = 0; i < NG__DUP_BANDS; i++)
        delta_insert(&ix->b[i], pair(bands[i], id));
    ix->count++;
    if ((int64_t)id > ix->maxid)
        ix->maxid = id;
    size_t limit = (size_t)sqrt((double)ix->count);
    if (limit < MIN_DELTA)
        limit = MIN_DELTA;
    if (ix->b[0].nd >= limit) {
        for (int i = 0; i < NG__DUP_BANDS; i++)
            if (merge(&ix->b[i]) < 0)
                return 0; /* stays in the delta; merged next time */
    }
    return 0;
}

/* LSD radix sort of v[0..n) on the key (upper 32 bits), 4 passes of 8. */
static int radix_sort(uint64_t *v, size_t n)
{
    uint64_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return -1;
    uint64_t *src = v, *dst = tmp;
    for (int shift = 32; shift < 64; shift += 8) {
        size_t cnt[257] = { 0 };
        for (size_t i = 0; i < n; i++)
            cnt[((src[i] >> shift) & 0xff) + 1]++;
        for (int k = 0; k < 256; k++)
            cnt[k + 1] += cnt[k];
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i] >> shift) & 0xff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    /* After an even number of passes the result is back in v. */
    free(tmp);
    return 0;
}

/* Sorts only on the key; equal keys keep id order from the load, which
 * is what a look-up needs (ids are compared exactly, never ordered). */
int ng__dupindex_bulk(struct ng__dupindex *ix, const uint32_t *ids,
                      const uint32_t *bands, size_t n)
{
    for (int b = 0; b < NG__DUP_BANDS; b++) {
        band *bd = &ix->b[b];
        if (merge(bd) < 0)
            return -1;
        uint64_t *m = realloc(bd->main, (bd->n + n) * sizeof *m);
        if (!m)
            return -1;
        bd->main = m;
        for (size_t i = 0; i < n; i++)
            m[bd->n + i] = pair(bands[i * NG__DUP_BANDS + b], ids[i]);
        bd->n += n;
        if (radix_sort(m, bd->n) < 0)
            return -1;
    }
    ix->count += n;
    for (size_t i = 0; i < n; i++)
        if ((int64_t)ids[i] > ix->maxid)
            ix->maxid = ids[i];
    return 0;
}

static size_t collect(const uint64_t *v, size_t n, uint32_t key,
                      uint32_t *out, size_t k, size_t cap)
{
    for (size_t i = lower(v, n, key); i < n && (v[i] >> 32) == key; i++) {
        uint32_t id = (uint32_t)v[i];
        size_t j = 0;
        while (j < k && out[j] != id)
            j++;
        if (j == k) {
            if (k == cap)
                break;
            out[k++] = id;
        }
    }
    return k;
}

size_t ng__dupindex_find(const struct ng__dupindex *ix, int b, uint32_t key,
                         uint32_t *out, size_t n, size_t cap)
{
    const band *bd = &ix->b[b];
    n = collect(bd->main, bd->n, key, out, n, cap);
    return collect(bd->delta, bd->nd, key, out, n, cap);
}

size_t ng__dupindex_count(const struct ng__dupindex *ix)
{
    return ix->count;
}

int64_t ng__dupindex_maxid(const struct ng__dupindex *ix)
{
    return ix->maxid;
}

/* Removes the exact pair x from v[0..*n); returns 1 when found. */
static int drop(uint64_t *v, size_t *n, uint64_t x)
{
    size_t i = lower(v, *n, (uint32_t)(x >> 32));
    while (i < *n && v[i] >> 32 == x >> 32 && v[i] != x)
        i++;
    if (i == *n || v[i] != x)
        return 0;
    memmove(v + i, v + i + 1, (*n - i - 1) * sizeof *v);
    (*n)--;
    return 1;
}

int ng__dupindex_remove(struct ng__dupindex *ix, uint32_t id,
                        const uint32_t bands[NG__DUP_BANDS])
{
    int found = 0;
    for (int b = 0; b < NG__DUP_BANDS; b++) {
        band *bd = &ix->b[b];
        uint64_t x = pair(bands[b], id);
        found += drop(bd->delta, &bd->nd, x) || drop(bd->main, &bd->n, x);
    }
    if (!found)
        return -1;
    ix->count--;
    return 0;
}

size_t ng__dupindex_bytes(const struct ng__dupindex *ix)
{
    size_t t = sizeof *ix;
    for (int i = 0; i < NG__DUP_BANDS; i++)
        t += (ix->b[i].n + ix->b[i].capd) * sizeof(uint64_t);
    return t;
}
