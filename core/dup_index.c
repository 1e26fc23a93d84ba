/*
 * dup_index.c -- the in-memory inverted fingerprint index of
 * near-duplicate detection: fingerprint -> ids of the items holding it.
 *
 * Arrays of (fp32 << 32 | id32) sorted, 8 bytes per fingerprint (about
 * 50 per 2 KB article), in up to three layers: the base, an image's
 * entries lying in its private mapping (dup_image.c), never copied nor
 * changed; the main array on the heap; and a small sorted delta (an
 * item's sorted fingerprints are merged into it in one pass) that is
 * merged into the main array, from the back, once it grows past
 * sqrt(64 n) entries of the heap (at least MIN_DELTA).  So an insert
 * costs O(sqrt n) of what this process added, not of the whole store (a
 * 1M-item image holds 50M entries, 400 MB: copying it at the first merge
 * cost more than the items a process submits), and a look-up two binary
 * searches per layer and fingerprint.  Bulk loads append and
 * radix-sort.  A rolled-back insert is removed with two binary searches
 * and a memmove.  No storage here: core/dup_state.c feeds it from the
 * backend's rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "dup.h"

#define MIN_DELTA 256

typedef struct band {
    uint64_t *main, *delta;
    size_t n, nd, capd;
    uint64_t *fence;    /* main's NG__DUP_FENCES + 1 bucket starts, kept
                           from FENCE_MIN entries on, or NULL */
} band;

/* Entries from which the heap array keeps a fence (below, a binary
 * search over it stays in cache). */
#define FENCE_MIN 65536

struct ng__dupindex {
    band b;
    uint64_t *base;     /* an image's sorted entries, in `map`, or NULL */
    size_t nbase;
    const uint64_t *fence; /* the image's NG__DUP_FENCES + 1 bucket starts
                              of base, or NULL */
    size_t count;
    int64_t maxid;
    void *map;          /* the private mapping of an image (owned) */
    size_t maplen;
};

struct ng__dupindex *ng__dupindex_new(void)
{
    return calloc(1, sizeof(struct ng__dupindex));
}

void ng__dupindex_free(struct ng__dupindex *ix)
{
    if (!ix)
        return;
    if (ix->map)
        munmap(ix->map, ix->maplen);
    free(ix->b.main);
    free(ix->b.delta);
    free(ix->b.fence);
    free(ix);
}

static uint64_t pair(uint32_t key, uint32_t id)
{
    return (uint64_t)key << 32 | id;
}

/* First index in v[0..n) whose entry is >= x. */
static size_t lower_pair(const uint64_t *v, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* First index in v[0..n) whose key is >= key. */
static size_t lower(const uint64_t *v, size_t n, uint32_t key)
{
    return lower_pair(v, n, (uint64_t)key << 32);
}

/* Adds the sorted entries v[0..n) to the bucket starts of `fence`: each
 * start moves up by the entries of lower buckets.  O(buckets + n). */
static void fence_add(uint64_t *fence, const uint64_t *v, size_t n)
{
    size_t j = 0;
    for (size_t k = 0; k <= NG__DUP_FENCES; k++) {
        while (j < n && (v[j] >> 32 >> NG__DUP_FENCE_SHIFT) < k)
            j++;
        fence[k] += j;
    }
}

/* Keeps bd's fence current after main changed by more than the entries
 * fence_add was given: made afresh (or dropped, on no memory or when the
 * array is small). */
static void fence_rebuild(band *bd)
{
    free(bd->fence);
    bd->fence = NULL;
    if (bd->n >= FENCE_MIN
        && (bd->fence = calloc(NG__DUP_FENCES + 1, sizeof *bd->fence)))
        fence_add(bd->fence, bd->main, bd->n);
}

/* Merges the delta into the main array, in place from the back. */
static int merge(struct ng__dupindex *ix)
{
    band *bd = &ix->b;
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
    if (bd->fence)
        fence_add(bd->fence, bd->delta, bd->nd);
    else if (bd->n >= FENCE_MIN)
        fence_rebuild(bd);
    bd->nd = 0;
    return 0;
}

static int reserve_delta(band *bd, size_t more)
{
    if (bd->nd + more <= bd->capd)
        return 0;
    size_t cap = bd->capd ? bd->capd * 2 : MIN_DELTA;
    while (cap < bd->nd + more)
        cap *= 2;
    uint64_t *d = realloc(bd->delta, cap * sizeof *d);
    if (!d)
        return -1;
    bd->delta = d;
    bd->capd = cap;
    return 0;
}

/* Merges one item's pairs x[0..n) (sorted: one id, sorted fingerprints)
 * into the delta, from the back: one pass over the delta per item. */
static void delta_insert(band *bd, const uint32_t *fps, size_t n,
                         uint32_t id)
{
    size_t i = bd->nd, j = n, k = bd->nd + n;
    while (j > 0) {
        uint64_t x = pair(fps[j - 1], id);
        if (i > 0 && bd->delta[i - 1] > x)
            bd->delta[--k] = bd->delta[--i];
        else
            bd->delta[--k] = x, j--;
    }
    bd->nd += n;
}

int ng__dupindex_add(struct ng__dupindex *ix, uint32_t id,
                     const uint32_t *fps, size_t n)
{
    band *bd = &ix->b;
    if (reserve_delta(bd, n) < 0)
        return -1;
    delta_insert(bd, fps, n, id);
    ix->count++;
    if ((int64_t)id > ix->maxid)
        ix->maxid = id;
    /* Balances the delta's merge pass per insert against the main array's
     * copy per merge: about sqrt(64 n) entries. */
    size_t limit = (size_t)sqrt(64.0 * (double)(bd->n + bd->nd));
    if (limit < MIN_DELTA)
        limit = MIN_DELTA;
    if (bd->nd >= limit)
        (void)merge(ix); /* on no memory it stays in the delta */
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

/* Sorts on the fingerprint only; equal fingerprints keep the load's id
 * order (ascending), which look-ups rely on to take the newest first. */
int ng__dupindex_bulk(struct ng__dupindex *ix, const uint32_t *ids,
                      const size_t *off, const uint32_t *fps, size_t n)
{
    band *bd = &ix->b;
    size_t total = off[n] - off[0];
    if (merge(ix) < 0)
        return -1;
    uint64_t *m = realloc(bd->main, (bd->n + total + 1) * sizeof *m);
    if (!m)
        return -1;
    bd->main = m;
    for (size_t i = 0; i < n; i++)
        for (size_t j = off[i]; j < off[i + 1]; j++)
            m[bd->n++] = pair(fps[j], ids[i]);
    if (radix_sort(m, bd->n) < 0)
        return -1;
    fence_rebuild(bd);
    ix->count += n;
    for (size_t i = 0; i < n; i++)
        if ((int64_t)ids[i] > ix->maxid)
            ix->maxid = ids[i];
    return 0;
}

/* First index i >= lo with v[i] >= x, v[lo..) sorted: steps doubling
 * from lo, then a binary search in the last step.  One fingerprint's
 * entries lie close together, so this stays in a few cache lines where
 * a second search over the whole array would miss the cache at every
 * level. */
static size_t gallop(const uint64_t *v, size_t n, size_t lo, uint64_t x)
{
    size_t hi = lo, step = 1;

    while (hi < n && v[hi] < x) {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    if (hi > n)
        hi = n;
    return lo + lower_pair(v + lo, hi - lo, x);
}

/* Appends the ids of v's entries for fp below id `below` (0: all),
 * newest first, at most per. */
static size_t collect(const uint64_t *v, size_t n, uint32_t fp,
                      uint32_t below, size_t per, uint32_t *out, size_t k,
                      size_t cap)
{
    if (n == 0)
        return k;       /* an empty layer (most indexes have one or two) */
    size_t lo = lower(v, n, fp);
    size_t hi = below ? gallop(v, n, lo, pair(fp, below))
              : fp == UINT32_MAX ? n : gallop(v, n, lo, pair(fp + 1, 0));
    for (size_t i = hi; i > lo && per > 0 && k < cap; i--, per--)
        out[k++] = (uint32_t)v[i - 1];
    return k;
}

void ng__dupindex_prefetch(const struct ng__dupindex *ix, const uint32_t *fps,
                           size_t n)
{
    /* Two passes: the fence entries of every fingerprint first, then the
     * bucket each points at, so the cache misses of one fingerprint's
     * search overlap those of the others instead of following them. */
    const uint64_t *f[2] = { ix->fence, ix->b.fence };
    const uint64_t *v[2] = { ix->base, ix->b.main };
    for (int k = 0; k < 2; k++) {
        if (!f[k])
            continue;
        for (size_t i = 0; i < n; i++)
            __builtin_prefetch(&f[k][fps[i] >> NG__DUP_FENCE_SHIFT]);
        for (size_t i = 0; i < n; i++)
            __builtin_prefetch(v[k] + f[k][fps[i] >> NG__DUP_FENCE_SHIFT]);
    }
}

size_t ng__dupindex_find(const struct ng__dupindex *ix, uint32_t fp,
                         uint32_t below, size_t per, uint32_t *out, size_t n,
                         size_t cap)
{
    /* Newest first: the delta, then the heap, then the image; in the
     * last two the search starts from their fence when they have one
     * (the bucket of fp's upper bits: a few KB, not the whole array). */
    size_t before = n, lo = 0, hi = ix->nbase;
    n = collect(ix->b.delta, ix->b.nd, fp, below, per, out, n, cap);
    if (ix->b.fence) {
        lo = ix->b.fence[fp >> NG__DUP_FENCE_SHIFT];
        hi = ix->b.fence[(fp >> NG__DUP_FENCE_SHIFT) + 1];
        if (hi > lo)    /* NULL + 0 is undefined: an empty heap has no array */
            n = collect(ix->b.main + lo, hi - lo, fp, below,
                        per - (n - before), out, n, cap);
    } else {
        n = collect(ix->b.main, ix->b.n, fp, below, per - (n - before),
                    out, n, cap);
    }
    lo = 0;
    hi = ix->nbase;
    if (ix->fence) {
        lo = ix->fence[fp >> NG__DUP_FENCE_SHIFT];
        hi = ix->fence[(fp >> NG__DUP_FENCE_SHIFT) + 1];
    }
    if (hi > lo)        /* likewise: a process without an image has no base */
        n = collect(ix->base + lo, hi - lo, fp, below, per - (n - before),
                    out, n, cap);
    return n;
}

/* Appends to out[k..cap) the ids of v's entries for `key`, lowest
 * first.  Returns the new count. */
static size_t collect_up(const uint64_t *v, size_t n, uint32_t key,
                         uint32_t *out, size_t k, size_t cap)
{
    for (size_t i = n ? lower(v, n, key) : 0;
         i < n && v[i] >> 32 == key && k < cap; i++)
        out[k++] = (uint32_t)v[i];
    return k;
}

static int cmp_id(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

size_t ng__dupindex_oldest(const struct ng__dupindex *ix, uint32_t key,
                           uint32_t *out, size_t cap)
{
    /* Each layer holds a key's ids in ascending order: the `cap` lowest
     * of each, sorted together, hold the `cap` lowest of all. */
    size_t k = collect_up(ix->b.delta, ix->b.nd, key, out, 0, cap);
    k = collect_up(ix->b.main, ix->b.n, key, out, k, 2 * cap);
    k = collect_up(ix->base, ix->nbase, key, out, k, 3 * cap);
    qsort(out, k, sizeof *out, cmp_id);
    return k < cap ? k : cap;
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
                        const uint32_t *fps, size_t n)
{
    band *bd = &ix->b;
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = pair(fps[i], id);
        /* The base only as a last resort: rolled-back items were added
         * by this process, so they are in the delta or the heap. */
        int in_main = 0;
        found += drop(bd->delta, &bd->nd, x)
                 || (in_main = drop(bd->main, &bd->n, x))
                 || (!ix->fence && drop(ix->base, &ix->nbase, x));
        if (in_main && bd->fence)
            fence_rebuild(bd);  /* rare: a rolled-back item merged */
    }
    if (!found && n)
        return -1;
    ix->count--;
    return 0;
}

size_t ng__dupindex_bytes(const struct ng__dupindex *ix)
{
    return sizeof *ix + (ix->b.n + ix->b.capd) * sizeof(uint64_t)
           + (ix->b.fence ? (NG__DUP_FENCES + 1) * sizeof(uint64_t) : 0)
           + (ix->map ? ix->maplen : 0);
}

struct ng__dupindex *ng__dupindex_mapped(void *map, size_t maplen,
                                         const uint64_t *v, size_t n,
                                         const uint64_t *fence,
                                         size_t count, int64_t maxid)
{
    struct ng__dupindex *ix = ng__dupindex_new();
    if (!ix)
        return NULL;
    ix->map = map;
    ix->maplen = maplen;
    ix->base = (uint64_t *)v;
    ix->nbase = n;
    ix->fence = fence;
    ix->count = count;
    ix->maxid = maxid;
    return ix;
}

/* The smallest head of the three layers (cursors i[0..2]); advances it. */
static uint64_t next_entry(const uint64_t *const v[3], const size_t n[3],
                           size_t i[3])
{
    int best = -1;
    for (int k = 0; k < 3; k++)
        if (i[k] < n[k] && (best < 0 || v[k][i[k]] < v[best][i[best]]))
            best = k;
    return v[best][i[best]++];
}

int ng__dupindex_save(const struct ng__dupindex *ix,
                      int (*put)(const uint64_t *v, size_t n, void *arg),
                      void *arg)
{
    const uint64_t *const v[3] = { ix->base, ix->b.main, ix->b.delta };
    const size_t n[3] = { ix->nbase, ix->b.n, ix->b.nd };
    size_t i[3] = { 0, 0, 0 }, total = n[0] + n[1] + n[2], k = 0;
    uint64_t buf[1024];
    for (size_t done = 0; done < total; done++) {
        buf[k++] = next_entry(v, n, i);
        if (k == 1024) {
            if (put(buf, k, arg) < 0)
                return -1;
            k = 0;
        }
    }
    return k ? put(buf, k, arg) : 0;
}

size_t ng__dupindex_entries(const struct ng__dupindex *ix)
{
    return ix->nbase + ix->b.n + ix->b.nd;
}
