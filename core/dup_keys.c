/*
 * dup_keys.c -- the duplicate keys of a text, as pure computation: word
 * shingles, the one-permutation MinHash sketch and its LSH band keys,
 * multi-probe keys, and the true similarity of two shingle sets.  No
 * store, no Lua; xxHash is the only dependency.  The comparison with a
 * stored item's 24-bit sketch (ng__dup_sketch_compare) is the one the
 * near-duplicate look-up uses; the exact one serves reference sources
 * and rows stored before sketches.
 *
 * A shingle is three consecutive case-folded words of the body that do
 * not straddle a paragraph break (so reordered paragraphs keep their
 * shingles), hashed to 32 bits.  The fingerprints indexed for candidate
 * search are a sample of them: the NG__DUP_BOTTOM smallest hashes (so
 * every text has some) and every hash divisible by NG__DUP_MOD (about one
 * shingle in eight, chosen by the shingle alone, so any passage of a
 * text keeps the fingerprints it had inside the whole).
 */
#include <stdlib.h>
#include <string.h>
/* xxHash's own header-only build: the short-input paths of XXH3 inline
 * here instead of a library call per word (three per shingle); the same
 * version of the same algorithm, so the same hashes as the library's. */
#define XXH_INLINE_ALL
#include <xxhash.h>
#include "dup.h"

uint64_t ng__dup_hash(const void *p, size_t len)
{
    uint64_t h = XXH3_64bits(p, len);
    return h ? h : 1;
}

uint64_t ng__dup_words_hash(const char *text, const ng__word *w, size_t n)
{
    if (n == 0)
        return 0;
    /* Words are copied 16 bytes at a time when that stays inside the
     * text (up to the last word's end), so the buffer has 16 bytes of
     * slack; the bytes past a word are overwritten by the next. */
    size_t total = 16, end = (size_t)w[n - 1].off + w[n - 1].len;
    for (size_t i = 0; i < n; i++)
        total += w[i].len + 1;
    char *buf = malloc(total);
    if (!buf)
        return 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const char *src = text + w[i].off;
        if (w[i].len <= 16 && w[i].off + 16 <= end)
            memcpy(buf + o, src, 16);
        else
            memcpy(buf + o, src, w[i].len);
        o += w[i].len;
        buf[o++] = ' ';
    }
    uint64_t h = ng__dup_hash(buf, o - 1);
    free(buf);
    return h;
}

void ng__dup_tags(int kind, uint64_t key, uint32_t t[2])
{
    /* fmix64 (MurmurHash3's finaliser) is a bijection: two keys of one
     * kind share both tags only when they are equal. */
    uint64_t h = key ^ 0x9E3779B97F4A7C15ull * (uint64_t)(kind + 1);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    t[0] = (uint32_t)h;
    t[1] = (uint32_t)(h >> 32);
}

size_t ng__dup_row_tags(const char *url_canon, uint64_t text_hash,
                        uint64_t title_hash, uint32_t out[NG__DUP_NTAGS])
{
    size_t n = 0;
    if (url_canon)
        ng__dup_tags(NG__DUPTAG_URL, ng__dup_hash(url_canon,
                                                   strlen(url_canon)),
                     out + n), n += 2;
    if (text_hash)
        ng__dup_tags(NG__DUPTAG_TEXT, text_hash, out + n), n += 2;
    if (title_hash)
        ng__dup_tags(NG__DUPTAG_TITLE, title_hash, out + n), n += 2;
    /* Sorted and distinct, as the index takes an item's keys. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && out[j - 1] > out[j]; j--) {
            uint32_t x = out[j];
            out[j] = out[j - 1];
            out[j - 1] = x;
        }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || out[k - 1] != out[i])
            out[k++] = out[i];
    return k;
}

/* Hash of words w[0..n) chained through seeds (no buffer needed). */
static uint32_t gram_hash(const char *text, const ng__word *w, size_t n)
{
    uint64_t h = 0x6e67u;
    for (size_t i = 0; i < n; i++)
        h = XXH3_64bits_withSeed(text + w[i].off, w[i].len, h);
    return (uint32_t)h;
}

/* gram_hash of three words, unrolled: the same chain of seeds without
 * the loop, for the ~450 shingles of an article. */
static uint32_t tri_hash(const char *text, const ng__word *w)
{
    uint64_t h = XXH3_64bits_withSeed(text + w[0].off, w[0].len, 0x6e67u);
    h = XXH3_64bits_withSeed(text + w[1].off, w[1].len, h);
    return (uint32_t)XXH3_64bits_withSeed(text + w[2].off, w[2].len, h);
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

/* One scatter pass of the radix sort: byte `shift` of src into dst, at
 * the offsets `start` (the pass's histogram turned into positions). */
static void radix_pass(const uint32_t *src, uint32_t *dst, size_t n,
                       unsigned shift, size_t *start)
{
    for (size_t i = 0; i < n; i++)
        dst[start[(src[i] >> shift) & 0xff]++] = src[i];
}

void ng__dup_sort(uint32_t *v, size_t n)
{
    uint32_t *tmp;
    size_t count[4][256] = { { 0 } };

    /* qsort's comparisons through a function pointer were a fifth of a
     * replay's time (every candidate's shingles are sorted to verify
     * it); four byte passes cost a few n.  The four histograms are
     * counted in one read of v. */
    if (n < 64 || (tmp = malloc(n * sizeof *tmp)) == NULL) {
        qsort(v, n, sizeof *v, cmp_u32);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        count[0][v[i] & 0xff]++;
        count[1][(v[i] >> 8) & 0xff]++;
        count[2][(v[i] >> 16) & 0xff]++;
        count[3][v[i] >> 24]++;
    }
    for (int p = 0; p < 4; p++)
        for (size_t b = 0, sum = 0; b < 256; b++) {
            size_t c = count[p][b];
            count[p][b] = sum;
            sum += c;
        }
    radix_pass(v, tmp, n, 0, count[0]);
    radix_pass(tmp, v, n, 8, count[1]);
    radix_pass(v, tmp, n, 16, count[2]);
    radix_pass(tmp, v, n, 24, count[3]);
    free(tmp);
}

size_t ng__dup_set(uint32_t *v, size_t n)
{
    if (n == 0)
        return 0;
    ng__dup_sort(v, n);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[k - 1])
            v[k++] = v[i];
    return k;
}

/* Occurrences of one paragraph w[0..m) starting at word `first`: its
 * 3-grams, or the paragraph itself when shorter. */
static size_t para_occ(const char *text, const ng__word *w, size_t m,
                       size_t first, ng__dupocc *out)
{
    if (m < NG__DUP_SHINGLE) {
        out[0] = (ng__dupocc){ gram_hash(text, w, m), (uint32_t)first,
                               (uint32_t)m };
        return 1;
    }
    for (size_t i = 0; i + NG__DUP_SHINGLE <= m; i++)
        out[i] = (ng__dupocc){ tri_hash(text, w + i),
                               (uint32_t)(first + i), NG__DUP_SHINGLE };
    return m - NG__DUP_SHINGLE + 1;
}

int ng__dup_occurrences(const char *text, const ng__word *w, size_t nw,
                        ng__dupocc **occ, size_t *nocc)
{
    ng__dupocc *o = malloc((nw + 1) * sizeof *o);
    size_t k = 0, start = 0;

    *occ = o;
    *nocc = 0;
    if (!o)
        return -1;
    for (size_t i = 1; i <= nw; i++) {
        if (i < nw && !breaks(text, &w[i - 1], &w[i]))
            continue;
        k += para_occ(text, w + start, i - start, start, o + k);
        start = i;
    }
    *nocc = k;
    return 0;
}

int ng__dup_shingles(const char *text, const ng__word *w, size_t nw,
                     uint32_t **out, size_t *n, ng__dupocc **occ,
                     size_t *nocc)
{
    ng__dupocc *o;
    size_t k;

    *out = NULL;
    *n = 0;
    if (ng__dup_occurrences(text, w, nw, &o, &k) < 0)
        return -1;
    uint32_t *v = malloc((k + 1) * sizeof *v);
    if (!v) {
        free(o);
        return -1;
    }
    for (size_t i = 0; i < k; i++)
        v[i] = o[i].hash;
    *n = ng__dup_set(v, k);
    *out = v;
    if (occ) {
        *occ = o;
        *nocc = k;
    } else {
        free(o);
    }
    return 0;
}

int ng__dup_sample(const uint32_t *sh, size_t nsh, uint32_t **out,
                   size_t *n)
{
    uint32_t *v = malloc((nsh + 1) * sizeof *v);
    size_t k = 0;
    *out = v;
    *n = 0;
    if (!v)
        return -1;
    /* sh is sorted: the bottom ones come first, the rest by modulo. */
    for (size_t i = 0; i < nsh; i++)
        if (i < NG__DUP_BOTTOM || sh[i] % NG__DUP_MOD == 0)
            v[k++] = sh[i];
    *n = k;
    return 0;
}

/* Keeps x among the nb (<= NG__DUP_BOTTOM) smallest distinct values in
 * b[0..nb), sorted; returns the new count. */
static size_t keep_bottom(uint32_t *b, size_t nb, uint32_t x)
{
    size_t i = nb;

    if (nb == NG__DUP_BOTTOM && x >= b[nb - 1])
        return nb;
    while (i > 0 && b[i - 1] > x)
        i--;
    if (i > 0 && b[i - 1] == x)
        return nb;
    if (nb < NG__DUP_BOTTOM)
        nb++;
    for (size_t j = nb - 1; j > i; j--)
        b[j] = b[j - 1];
    b[i] = x;
    return nb;
}

/* Sorts v[0..n), values spread evenly over 32 bits (hashes): a
 * counting pass on the upper bits into about n/2 buckets, then an
 * insertion sort that only moves values within their bucket.  O(n) for
 * ~60 values where a radix sort's histograms cost more and an insertion
 * sort alone n^2/4 moves; long inputs go to ng__dup_sort.  Returns 0 or
 * -1 on no memory (v unchanged then). */
#define UNIFORM_MAX 2048
static int sort_uniform(uint32_t *v, size_t n)
{
    uint16_t start[UNIFORM_MAX / 2 + 1];
    unsigned bits = 1;

    if (n > UNIFORM_MAX) {
        ng__dup_sort(v, n);
        return 0;
    }
    if (n < 2)
        return 0;
    while (bits < 10 && ((size_t)1 << bits) < n / 2)
        bits++;
    size_t nbk = (size_t)1 << bits;
    uint32_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return -1;
    memset(start, 0, (nbk + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++)
        start[(v[i] >> (32 - bits)) + 1]++;
    for (size_t b = 1; b <= nbk; b++)
        start[b] = (uint16_t)(start[b] + start[b - 1]);
    for (size_t i = 0; i < n; i++)
        tmp[start[v[i] >> (32 - bits)]++] = v[i];
    for (size_t i = 1; i < n; i++) {
        uint32_t x = tmp[i];
        size_t j = i;
        for (; j > 0 && tmp[j - 1] > x; j--)
            tmp[j] = tmp[j - 1];
        tmp[j] = x;
    }
    memcpy(v, tmp, n * sizeof *v);
    free(tmp);
    return 0;
}

int ng__dup_sample_occ(const ng__dupocc *o, size_t nocc, uint32_t **out,
                       size_t *n)
{
    uint32_t bottom[NG__DUP_BOTTOM];
    size_t nb = 0, k = 0;
    uint32_t *v = malloc((nocc + NG__DUP_BOTTOM + 1) * sizeof *v);

    *out = v;
    *n = 0;
    if (!v)
        return -1;
    /* One pass: the bottom ones kept apart (sorted), the modulo sample
     * as it comes.  The bottom ones are the smallest values of all, so a
     * modulo value not above the largest of them is one of them: the
     * sample is the bottom ones, then the modulo values above them,
     * sorted and without repeats -- the values of ng__dup_sample of the
     * sorted set, without sorting ~450 hashes. */
    for (size_t i = 0; i < nocc; i++) {
        uint32_t h = o[i].hash;
        if (h % NG__DUP_MOD == 0)
            v[NG__DUP_BOTTOM + k++] = h;
        if (nb < NG__DUP_BOTTOM || h < bottom[NG__DUP_BOTTOM - 1])
            nb = keep_bottom(bottom, nb, h);
    }
    memcpy(v, bottom, nb * sizeof *v);
    size_t m = nb;
    for (size_t i = 0; i < k; i++)     /* those above the bottom */
        if (nb == 0 || v[NG__DUP_BOTTOM + i] > bottom[nb - 1])
            v[m++] = v[NG__DUP_BOTTOM + i];
    k = m - nb;
    if (sort_uniform(v + nb, k) < 0)
        return -1;
    m = nb;
    for (size_t i = nb; i < nb + k; i++)
        if (m == nb || v[i] != v[m - 1])
            v[m++] = v[i];
    *n = m;
    return 0;
}

/* A set of shingle hashes for the coverage look-ups: open addressing
 * with linear probing, at most half full.  The hashes are already
 * uniform, so their low bits index it; 0 marks a free slot and is
 * remembered apart.  Built per comparison: one pass over the set, then
 * each look-up is a probe or two instead of a binary search. */
typedef struct hset {
    uint32_t *slot;
    size_t mask;
    int zero;
} hset;

static int hset_build(hset *h, const uint32_t *v, size_t n)
{
    size_t cap = 16;

    while (cap < 2 * n)
        cap *= 2;
    h->mask = cap - 1;
    h->zero = 0;
    if ((h->slot = calloc(cap, sizeof *h->slot)) == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t j = v[i] & h->mask;
        if (v[i] == 0) {
            h->zero = 1;
            continue;
        }
        while (h->slot[j] && h->slot[j] != v[i])
            j = (j + 1) & h->mask;
        h->slot[j] = v[i];
    }
    return 0;
}

static int hset_has(const hset *h, uint32_t x)
{
    size_t j = x & h->mask;

    if (x == 0)
        return h->zero;
    while (h->slot[j]) {
        if (h->slot[j] == x)
            return 1;
        j = (j + 1) & h->mask;
    }
    return 0;
}

/* Counts marked words, filling gaps of at most 2 unmarked words between
 * two marked ones. */
static size_t count_filled(const unsigned char *mark, size_t n)
{
    size_t count = 0, last = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (!mark[i])
            continue;
        count++;
        if (last != SIZE_MAX && i - last - 1 <= 2)
            count += i - last - 1;
        last = i;
    }
    return count;
}

uint32_t *ng__dup_sequence(const ng__dupinfo *d)
{
    uint32_t *v = malloc((d->nocc + 1) * sizeof *v);
    if (v)
        for (size_t i = 0; i < d->nocc; i++)
            v[i] = d->occ[i].hash;
    return v;
}

double ng__dup_seq_coverage(const uint32_t *seq, size_t n,
                            const uint32_t *set, size_t nset)
{
    if (n == 0 || nset == 0)
        return 0;
    unsigned char *mark = calloc(n + 2, 1);
    hset h;
    if (!mark || hset_build(&h, set, nset) < 0) {
        free(mark);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (hset_has(&h, seq[i]))
            memset(mark + i, 1, 3);
    double c = (double)count_filled(mark, n + 2) / (double)(n + 2);
    free(mark);
    free(h.slot);
    return c;
}

static int in_hset(const void *set, uint32_t h)
{
    return hset_has(set, h);
}

/* The share of d's words inside an occurrence whose shingle `has` finds
 * in `set`, small gaps filled (ng__dup_coverage), or -1 on no memory. */
static double cover_words(const ng__dupinfo *d,
                          int (*has)(const void *set, uint32_t h),
                          const void *set)
{
    if (d->nwords == 0)
        return 0;
    unsigned char *mark = calloc(d->nwords, 1);
    if (!mark)
        return -1;
    for (size_t i = 0; i < d->nocc; i++) {
        const ng__dupocc *o = &d->occ[i];
        if (has(set, o->hash))
            memset(mark + o->word, 1, o->len);
    }
    double c = (double)count_filled(mark, d->nwords) / (double)d->nwords;
    free(mark);
    return c;
}

double ng__dup_coverage(const ng__dupinfo *d, const uint32_t *other,
                        size_t nother)
{
    hset h;
    if (nother == 0)
        return 0;
    if (hset_build(&h, other, nother) < 0)
        return -1;
    double c = cover_words(d, in_hset, &h);
    free(h.slot);
    return c;
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

double ng__dup_score(const ng__dupsim *s, double cover_a, double cover_b,
                     size_t na, size_t nb)
{
    double v = s->jaccard;
    if (nb >= NG__DUP_MIN_CONTAINED && s->containment > v)
        v = s->containment;
    if (na >= NG__DUP_MIN_CONTAINED && s->contained > v)
        v = s->contained;
    /* Coverage counts from NG__DUP_MIN_COVER (NEAR_DUPLICATE's threshold),
     * so it never moves lower similarities that other rules read (a
     * different text under the same title is < 0.5). */
    if (na >= NG__DUP_MIN_CONTAINED && cover_a >= NG__DUP_MIN_COVER
        && cover_a > v)
        v = cover_a;
    if (nb >= NG__DUP_MIN_CONTAINED && cover_b >= NG__DUP_MIN_COVER
        && cover_b > v)
        v = cover_b;
    return v;
}

unsigned char *ng__dup_sketch(const ng__dupinfo *d)
{
    unsigned char *v = malloc(d->nocc * NG__DUP_SKETCH_BYTES + 1);
    if (v)
        for (size_t i = 0; i < d->nocc; i++) {
            uint32_t x = NG__DUP_SKETCH(d->occ[i].hash);
            v[3 * i] = (unsigned char)x;
            v[3 * i + 1] = (unsigned char)(x >> 8);
            v[3 * i + 2] = (unsigned char)(x >> 16);
        }
    return v;
}

/* An open-addressing set of 32-bit values (full shingle hashes, or
 * their 24-bit sketches); slots hold value + 1 (0 is empty), the value
 * UINT32_MAX, which has no such slot, is the flag `max`; `mask` + 1 (a
 * power of two) is at least twice the values it holds. */
typedef struct vset {
    uint32_t *slot;
    size_t mask;
    int max;
} vset;

struct ng__dupprobe {
    vset a, b;
    size_t capb;        /* slots allocated for b */
    unsigned shift;     /* values compared: hash >> shift (8: sketches) */
    size_t na;          /* d's distinct shingles */
};

static size_t slot_of(const vset *s, uint32_t x)
{
    size_t i = (x * 0x9E3779B1u) & s->mask;
    while (s->slot[i] && s->slot[i] != x + 1)
        i = (i + 1) & s->mask;
    return i;
}

static int vset_has(const vset *s, uint32_t x)
{
    if (x == UINT32_MAX)
        return s->max;
    return s->slot[slot_of(s, x)] != 0;
}

/* Adds x; returns 1 when it was new. */
static int vset_add(vset *s, uint32_t x)
{
    if (x == UINT32_MAX) {
        int was = s->max;
        s->max = 1;
        return !was;
    }
    size_t i = slot_of(s, x);
    if (s->slot[i])
        return 0;
    s->slot[i] = x + 1;
    return 1;
}

/* Slots (a power of two) for n values. */
static size_t slots_for(size_t n)
{
    size_t m = 16;
    while (m < 2 * n)
        m *= 2;
    return m;
}

/* Makes s empty with room for n values (calloc'd).  Returns 0 or -1. */
static int vset_init(vset *s, size_t n)
{
    size_t m = slots_for(n);
    s->max = 0;
    s->mask = m - 1;
    return (s->slot = calloc(m, sizeof *s->slot)) ? 0 : -1;
}

/* A probe of d's shingle hashes shifted right by `shift`; p->na counts
 * d's distinct full hashes (as the shingle set would). */
static ng__dupprobe *probe_new(const ng__dupinfo *d, unsigned shift)
{
    ng__dupprobe *p = calloc(1, sizeof *p);
    vset full;
    if (!p || vset_init(&full, d->nocc) < 0) {
        free(p);
        return NULL;
    }
    for (size_t i = 0; i < d->nocc; i++)
        p->na += (size_t)vset_add(&full, d->occ[i].hash);
    p->shift = shift;
    if (shift == 0) {
        p->a = full;
        return p;
    }
    if (vset_init(&p->a, p->na) < 0) {
        free(full.slot);
        free(p);
        return NULL;
    }
    for (size_t i = 0; i <= full.mask; i++)
        if (full.slot[i])
            vset_add(&p->a, (full.slot[i] - 1) >> shift);
    if (full.max)
        vset_add(&p->a, UINT32_MAX >> shift);
    free(full.slot);
    return p;
}

ng__dupprobe *ng__dup_probe_new(const ng__dupinfo *d)
{
    return probe_new(d, 32 - 8 * NG__DUP_SKETCH_BYTES);
}

ng__dupprobe *ng__dup_probe_exact(const ng__dupinfo *d)
{
    return probe_new(d, 0);
}

void ng__dup_probe_free(ng__dupprobe *p)
{
    if (!p)
        return;
    free(p->a.slot);
    free(p->b.slot);
    free(p);
}

/* Empties p->b with room for n values.  Returns 0 or -1. */
static int probe_reset(ng__dupprobe *p, size_t n)
{
    size_t m = slots_for(n);
    if (m > p->capb) {
        uint32_t *v = realloc(p->b.slot, m * sizeof *v);
        if (!v)
            return -1;
        p->b.slot = v;
        p->capb = m;
    }
    memset(p->b.slot, 0, m * sizeof *p->b.slot);
    p->b.mask = m - 1;
    p->b.max = 0;
    return 0;
}

/* 1 when shingle h (shifted as the probe's values) is among the
 * candidate's (p->b). */
static int in_probe(const void *probe, uint32_t h)
{
    const ng__dupprobe *p = probe;
    return vset_has(&p->b, h >> p->shift);
}

double ng__dup_probe_compare(const ng__dupinfo *d, ng__dupprobe *p,
                             const unsigned char *packed,
                             const uint32_t *vals, size_t n, int legacy,
                             ng__dupsim *sim, double *cover_a,
                             double *cover_b, size_t *nset)
{
    unsigned char *mark = calloc(n + 2, 1);
    size_t nb = 0, both = 0;
    if (!mark || probe_reset(p, n) < 0) {
        free(mark);
        return -1;
    }
    /* One pass: the candidate's distinct values (p->b), those d holds,
     * and its words covered by d (as ng__dup_seq_coverage). */
    for (size_t i = 0; i < n; i++) {
        uint32_t x = packed ? ng__dup_sketch_at(packed, i) : vals[i];
        int in_a = vset_has(&p->a, x);
        if (vset_add(&p->b, x)) {
            nb++;
            both += (size_t)in_a;
        }
        if (in_a)
            memset(mark + i, 1, 3);
    }
    *cover_b = n && !legacy
        ? (double)count_filled(mark, n + 2) / (double)(n + 2) : 0;
    free(mark);
    *cover_a = nb ? cover_words(d, in_probe, p) : 0;
    size_t na = p->na;
    *sim = (ng__dupsim){ 0, 0, 0 };
    if (na + nb > both)
        sim->jaccard = (double)both / (double)(na + nb - both);
    if (nb)
        sim->containment = (double)both / (double)nb;
    if (na)
        sim->contained = (double)both / (double)na;
    *nset = nb;
    if (*cover_a < 0)
        return -1;
    return ng__dup_score(sim, *cover_a, *cover_b, na, nb);
}

double ng__dup_sketch_compare(const ng__dupinfo *d, ng__dupprobe *p,
                              const unsigned char *v, size_t n,
                              ng__dupsim *sim, double *cover_a,
                              double *cover_b, size_t *nset)
{
    return ng__dup_probe_compare(d, p, v, NULL, n, 0, sim, cover_a,
                                 cover_b, nset);
}

void ng__dupinfo_free(ng__dupinfo *d)
{
    if (!d)
        return;
    free(d->url_canon);
    free(d->shingles);
    free(d->fps);
    free(d->occ);
    free(d);
}
