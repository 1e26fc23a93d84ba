/*
 * test_dup_index.c -- unit tests of duplicate keys and the fingerprint
 * index: shingles, the fingerprint sample, similarity and coverage,
 * insert/merge/look-up, bulk load and removal; the 24-bit verification
 * sketch against the exact comparison, the sketch table, and the index
 * image (mapped base layer, fence, sketches) written and loaded back.
 * Works on hand-made word lists so it needs no text or store module.
 */
#include <check.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include "dup.h"
#include "unit.h"

/* Splits ASCII text on spaces into words (paragraphs by "\n\n"). */
static size_t split(const char *t, ng__word *w, size_t cap)
{
    size_t n = 0, i = 0, len = strlen(t);
    while (i < len && n < cap) {
        while (i < len && (t[i] == ' ' || t[i] == '\n'))
            i++;
        size_t s = i;
        while (i < len && t[i] != ' ' && t[i] != '\n')
            i++;
        if (i > s) {
            w[n].off = (uint32_t)s;
            w[n].len = (uint32_t)(i - s);
            n++;
        }
    }
    return n;
}

static ng__dupinfo *info(const char *t)
{
    ng__word w[4096];
    size_t n = split(t, w, 4096);
    ng__dupinfo *d = calloc(1, sizeof *d);
    ck_assert_int_eq(ng__dup_shingles(t, w, n, &d->shingles, &d->nshingles,
                                      &d->occ, &d->nocc), 0);
    d->nwords = n;
    d->text_hash = ng__dup_words_hash(t, w, n);
    ck_assert_int_eq(ng__dup_sample(d->shingles, d->nshingles, &d->fps,
                                    &d->nfps), 0);
    return d;
}

/* A pseudo-random article of n words drawn from a big vocabulary. */
static char *article(unsigned seed, size_t n)
{
    char *s = malloc(n * 12 + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        o += (size_t)snprintf(s + o, 13, "w%u%s", (seed >> 8) % 50000,
                              i % 40 == 39 ? "\n\n" : " ");
    }
    s[o] = 0;
    return s;
}

/* The sample selected from occurrences in text order equals the sample
 * of the sorted set, and keys without the set compare exactly as the
 * sets do. */
START_TEST(sample_without_sort)
{
    static const size_t sizes[] = { 0, 1, 2, 5, 40, 300, 2000 };
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        char *t = article(7 + (unsigned)k, sizes[k]);
        ng__word w[4096];
        size_t n = split(t, w, 4096);
        ng__dupinfo *d = info(t), *e = calloc(1, sizeof *e);
        ck_assert_int_eq(ng__dup_occurrences(t, w, n, &e->occ, &e->nocc),
                         0);
        ck_assert_uint_eq(e->nocc, d->nocc);
        ck_assert_int_eq(ng__dup_sample_occ(e->occ, e->nocc, &e->fps,
                                            &e->nfps), 0);
        ck_assert_uint_eq(e->nfps, d->nfps);
        ck_assert(memcmp(e->fps, d->fps, d->nfps * sizeof *d->fps) == 0);
        /* The exact one-pass comparison, made without the set, gives
         * the figures of the sets against another text's sequence (a
         * passage of this one with other words around it). */
        e->nwords = n;
        char *u = article(99, 300), *mix = malloc(strlen(t) + 2 * strlen(u) + 3);
        snprintf(mix, strlen(t) + 2 * strlen(u) + 3, "%s %s %s", u,
                 t + strlen(t) / 3, u);
        ng__dupinfo *f = info(mix);
        uint32_t *seq = ng__dup_sequence(f), *set = malloc((f->nocc + 1) * 4);
        memcpy(set, seq, f->nocc * 4);
        size_t nset = ng__dup_set(set, f->nocc), n2;
        ng__dupsim s1 = ng__dup_similarity(d->shingles, d->nshingles, set,
                                           nset), s2;
        double ca = ng__dup_coverage(d, set, nset), ca2, cb2;
        double cb = ng__dup_seq_coverage(seq, f->nocc, d->shingles,
                                         d->nshingles);
        double want = ng__dup_score(&s1, ca, cb, d->nshingles, nset);
        ck_assert(ng__dup_compare(e, seq, f->nocc, 0, &s2, &ca2, &cb2, &n2)
                  == want);
        ck_assert(s2.jaccard == s1.jaccard && ca2 == ca && cb2 == cb);
        ck_assert(s2.containment == s1.containment);
        ck_assert(s2.contained == s1.contained && n2 == nset);
        ck_assert(ng__dup_compare(e, seq, f->nocc, 1, &s2, &ca2, &cb2, &n2)
                  == ng__dup_score(&s1, ca, 0, d->nshingles, nset));
        ck_assert(cb2 == 0);
        free(seq);
        free(set);
        free(mix);
        free(u);
        ng__dupinfo_free(f);
        ng__dupinfo_free(d);
        ng__dupinfo_free(e);
        free(t);
    }
    /* Repeats among the smallest values count once. */
    ng__dupocc o[12];
    for (uint32_t i = 0; i < 12; i++)
        o[i] = (ng__dupocc){ 100 + (i % 3) * 7, i, 3 };
    uint32_t *fp;
    size_t nfp;
    ck_assert_int_eq(ng__dup_sample_occ(o, 12, &fp, &nfp), 0);
    ck_assert_uint_eq(nfp, 3);
    ck_assert_uint_eq(fp[0], 100);
    ck_assert_uint_eq(fp[2], 114);
    free(fp);
}
END_TEST

START_TEST(shingles_basic)
{
    ng__dupinfo *d = info("a b c d");
    ck_assert_uint_eq(d->nshingles, 2);
    ng__dupinfo *e = info("a b");          /* short: the words themselves */
    ck_assert_uint_eq(e->nshingles, 1);
    ng__dupinfo *f = info("a b c\n\nd e f"); /* no shingle crosses */
    ck_assert_uint_eq(f->nshingles, 2);
    ng__dupinfo *g = info("d e f\n\na b c"); /* reordered paragraphs */
    ng__dupsim s = ng__dup_similarity(f->shingles, f->nshingles,
                                      g->shingles, g->nshingles);
    ck_assert(s.jaccard == 1.0);
    ck_assert_uint_eq(f->nfps, g->nfps);
    ck_assert(memcmp(f->fps, g->fps, f->nfps * sizeof *f->fps) == 0);
    ng__dupinfo_free(d); ng__dupinfo_free(e);
    ng__dupinfo_free(f); ng__dupinfo_free(g);
}
END_TEST

/* dup_keys.c inlines xxHash (XXH_INLINE_ALL): a shingle's hash must be
 * the library's, or keys stored by an older build would stop matching. */
START_TEST(shingle_hash_is_the_librarys)
{
    const char *words[] = { "alpha", "beta", "gamma" };
    uint64_t h = 0x6e67u;
    for (int i = 0; i < 3; i++)
        h = XXH3_64bits_withSeed(words[i], strlen(words[i]), h);
    ng__dupinfo *d = info("alpha beta gamma");
    ck_assert_uint_eq(d->nshingles, 1);
    ck_assert_uint_eq(d->shingles[0], (uint32_t)h);
    ck_assert_uint_eq(ng__dup_hash("alpha", 5),
                      XXH3_64bits("alpha", 5) ? XXH3_64bits("alpha", 5) : 1);
    ng__dupinfo_free(d);
}
END_TEST

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* ng__dup_set against qsort and a unique pass, short (qsort path) and
 * long (radix path), with repeats and the extreme values. */
START_TEST(set_sorts_and_dedups)
{
    size_t sizes[] = { 0, 1, 63, 64, 65, 1000, 5000 };
    uint32_t seed = 12345;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        uint32_t *v = malloc((n + 1) * sizeof *v);
        uint32_t *r = malloc((n + 1) * sizeof *r);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            v[i] = i > 0 && i % 7 == 0 ? v[i / 2] : i % 11 == 0 ? UINT32_MAX
                 : i % 13 == 0 ? 0 : seed ^ (seed << 13);
        }
        memcpy(r, v, n * sizeof *v);
        qsort(r, n, sizeof *r, cmp_u32);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (k == 0 || r[i] != r[k - 1])
                r[k++] = r[i];
        ck_assert_uint_eq(ng__dup_set(v, n), k);
        ck_assert(k == 0 || memcmp(v, r, k * sizeof *v) == 0);
        free(v);
        free(r);
    }
}
END_TEST

START_TEST(text_hash_and_similarity)
{
    ng__dupinfo *a = info("one two three four five six");
    ng__dupinfo *b = info("one  two three\n\nfour five six");
    ck_assert(a->text_hash == b->text_hash);
    ck_assert(a->text_hash != 0);
    /* containment: a is inside c, c has 4 extra shingles */
    ng__dupinfo *c = info("one two three four five six seven eight nine ten");
    ng__dupsim s = ng__dup_similarity(c->shingles, c->nshingles,
                                      a->shingles, a->nshingles);
    ck_assert(s.containment == 1.0);
    ck_assert(s.contained == 0.5);
    ck_assert(s.jaccard == 0.5);
    ng__dupinfo_free(a); ng__dupinfo_free(b); ng__dupinfo_free(c);
}
END_TEST

/* Counts, per id, the fingerprints of d found in ix; returns the id
 * sharing most (0 when none) and its count in *shared. */
static uint32_t best(const struct ng__dupindex *ix, const ng__dupinfo *d,
                     size_t *shared)
{
    static uint32_t hits[1024];
    uint32_t out[4096];
    size_t n = 0;
    memset(hits, 0, sizeof hits);
    for (size_t i = 0; i < d->nfps; i++)
        n = ng__dupindex_find(ix, d->fps[i], 0, 64, out, n, 4096);
    uint32_t top = 0;
    for (size_t i = 0; i < n; i++)
        if (out[i] < 1024 && ++hits[out[i]] > hits[top])
            top = out[i];
    *shared = hits[top];
    return hits[top] ? top : 0;
}

START_TEST(sample_keeps_passages)
{
    char *t = article(7, 400);
    ng__dupinfo *d = info(t);
    /* about one shingle in NG__DUP_MOD, plus the bottom ones */
    ck_assert_uint_ge(d->nfps, NG__DUP_BOTTOM + d->nshingles / 16);
    ck_assert_uint_le(d->nfps, NG__DUP_BOTTOM + d->nshingles / 4);
    /* a passage of a quarter from the middle keeps its modulo part */
    char *mid = strndup(t + strlen(t) / 3, strlen(t) / 4);
    ng__dupinfo *e = info(mid);
    size_t both = 0, mod = 0;
    for (size_t i = 0; i < e->nfps; i++) {
        mod += e->fps[i] % NG__DUP_MOD == 0;
        for (size_t j = 0; j < d->nfps; j++)
            both += e->fps[i] == d->fps[j];
    }
    ck_assert_uint_ge(both, mod > 2 ? mod - 2 : 0); /* cut edge shingles */
    ck_assert_uint_ge(both, 3);
    ng__dupinfo_free(d); ng__dupinfo_free(e);
    free(mid); free(t);
}
END_TEST

START_TEST(coverage_fills_small_gaps)
{
    ng__dupinfo *a = info("a b c d e f g h i j k l");
    ng__dupinfo *same = info("a b c d e f g h i j k l");
    ck_assert(ng__dup_coverage(a, same->shingles, same->nshingles) == 1.0);
    /* a changed word breaks three shingles, but the gap it leaves is
     * filled; a change near the end leaves the words after it out */
    ng__dupinfo *ed = info("a b c d X f g h i j k l");
    ck_assert(ng__dup_coverage(a, ed->shingles, ed->nshingles) == 1.0);
    ng__dupinfo *ed2 = info("a b c d X f g h i Y k l");
    ck_assert(ng__dup_coverage(a, ed2->shingles, ed2->nshingles) == 0.75);
    ng__dupinfo_free(ed2);
    /* a text of other words covers nothing */
    ng__dupinfo *other = info("m n o p q r");
    ck_assert(ng__dup_coverage(a, other->shingles, other->nshingles) == 0);
    /* half the text copied: half covered */
    ng__dupinfo *half = info("a b c d e f x y z w v u");
    double c = ng__dup_coverage(a, half->shingles, half->nshingles);
    ck_assert(c == 0.5);
    /* the same measured from a stored text-order sequence */
    uint32_t *seq = ng__dup_sequence(a);
    double s = ng__dup_seq_coverage(seq, a->nocc, half->shingles,
                                    half->nshingles);
    ck_assert(s == 0.5);
    free(seq);
    ng__dupinfo_free(a); ng__dupinfo_free(same); ng__dupinfo_free(ed);
    ng__dupinfo_free(other); ng__dupinfo_free(half);
}
END_TEST

START_TEST(index_insert_merge_lookup)
{
    struct ng__dupindex *ix = ng__dupindex_new();
    enum { N = 20000, F = 5 };  /* merges, then a fence on the heap */
    uint32_t (*keys)[F] = malloc(N * sizeof *keys);
    for (uint32_t i = 0; i < N; i++) {
        for (int b = 0; b < F; b++)   /* sorted, as samples are */
            keys[i][b] = (uint32_t)b << 28 | ((i * 2654435761u) >> 4);
        ck_assert_int_eq(ng__dupindex_add(ix, i + 1, keys[i], F), 0);
    }
    ck_assert_uint_eq(ng__dupindex_count(ix), N);
    ck_assert_int_eq(ng__dupindex_maxid(ix), N);
    for (uint32_t i = 0; i < N; i += 7) {
        uint32_t out[8];
        for (int b = 0; b < F; b++) {
            size_t n = ng__dupindex_find(ix, keys[i][b], 0, 8, out, 0, 8);
            ck_assert_uint_eq(n, 1);
            ck_assert_uint_eq(out[0], i + 1);
        }
    }
    uint32_t out[8];
    ck_assert_uint_eq(ng__dupindex_find(ix, 12345u, 0, 8, out, 0, 8), 0);
    /* a rolled-back item is removed */
    ck_assert_int_eq(ng__dupindex_remove(ix, 8, keys[7], F), 0);
    ck_assert_uint_eq(ng__dupindex_find(ix, keys[7][0], 0, 8, out, 0, 8), 0);
    ck_assert_uint_eq(ng__dupindex_count(ix), N - 1);
    /* ... and the fence made again: every other item is still found */
    for (uint32_t i = 0; i < N; i += 97)
        if (i != 7) {
            ck_assert_uint_eq(ng__dupindex_find(ix, keys[i][F - 1], 0, 8,
                                                out, 0, 8), 1);
            ck_assert_uint_eq(out[0], i + 1);
        }
    /* memory: 8 bytes per fingerprint, the delta and the heap's fence */
    ck_assert(ng__dupindex_bytes(ix) < N * F * 8 + 4096 * 8
                                       + (NG__DUP_FENCES + 1) * 8 + 256);
    free(keys);
    ng__dupindex_free(ix);
}
END_TEST

START_TEST(index_newest_first)
{
    struct ng__dupindex *ix = ng__dupindex_new();
    uint32_t fp[1] = { 42 };
    for (uint32_t id = 1; id <= 100; id++)
        ck_assert_int_eq(ng__dupindex_add(ix, id, fp, 1), 0);
    uint32_t out[8];
    ck_assert_uint_eq(ng__dupindex_find(ix, 42, 0, 3, out, 0, 8), 3);
    ck_assert(out[0] == 100 && out[1] == 99 && out[2] == 98);
    /* Below a horizon: the newest before it, not later ones. */
    ck_assert_uint_eq(ng__dupindex_find(ix, 42, 10, 3, out, 0, 8), 3);
    ck_assert(out[0] == 9 && out[1] == 8 && out[2] == 7);
    ck_assert_uint_eq(ng__dupindex_find(ix, 42, 3, 8, out, 0, 8), 2);
    ck_assert(out[0] == 2 && out[1] == 1);
    ng__dupindex_free(ix);
}
END_TEST

START_TEST(index_bulk_and_near)
{
    struct ng__dupindex *ix = ng__dupindex_new();
    enum { N = 200 };
    uint32_t ids[N];
    size_t off[N + 1];
    uint32_t *fps = malloc(N * 400 * sizeof *fps);
    char *texts[N];
    off[0] = 0;
    for (uint32_t i = 0; i < N; i++) {
        texts[i] = article(i + 1, 400);
        ng__dupinfo *d = info(texts[i]);
        ids[i] = i + 1;
        memcpy(fps + off[i], d->fps, d->nfps * sizeof *fps);
        off[i + 1] = off[i] + d->nfps;
        ng__dupinfo_free(d);
    }
    ck_assert_int_eq(ng__dupindex_bulk(ix, ids, off, fps, N), 0);
    size_t shared;
    /* an exact copy, a copy with boilerplate and an excerpt are found */
    ng__dupinfo *d = info(texts[17]);
    ck_assert_uint_eq(best(ix, d, &shared), 18);
    ck_assert_uint_eq(shared, d->nfps);
    size_t len = strlen(texts[42]);
    char *wrapped = malloc(len + 4000);
    char *pre = article(9999, 150), *post = article(8888, 150);
    snprintf(wrapped, len + 4000, "%s\n\n%s\n\n%s", pre, texts[42], post);
    ng__dupinfo *w = info(wrapped);
    ck_assert_uint_eq(best(ix, w, &shared), 43);
    char *part = strndup(texts[60] + len / 3, len / 4);
    ng__dupinfo *p = info(part);
    ck_assert_uint_eq(best(ix, p, &shared), 61);
    ck_assert_uint_ge(shared, 3);
    /* a new item added after the bulk load is found in the delta */
    ng__dupinfo *x = info(pre);
    ck_assert_int_eq(ng__dupindex_add(ix, 500, x->fps, x->nfps), 0);
    ck_assert_uint_eq(best(ix, x, &shared), 500);
    ng__dupinfo_free(d); ng__dupinfo_free(w); ng__dupinfo_free(x);
    ng__dupinfo_free(p);
    free(wrapped); free(pre); free(post); free(part); free(fps);
    for (int i = 0; i < N; i++)
        free(texts[i]);
    ng__dupindex_free(ix);
}
END_TEST

START_TEST(score_uses_containment)
{
    ng__dupsim s = { 0.4, 1.0, 0.4 };
    ck_assert(ng__dup_score(&s, 0, 0, 100, 100) == 1.0);
    ck_assert(ng__dup_score(&s, 0, 0, 100, 3) == 0.4); /* tiny earlier */
    ng__dupsim e = { 0.5, 0.5, 1.0 };        /* an excerpt */
    ck_assert(ng__dup_score(&e, 0, 0, 100, 200) == 1.0);
    ck_assert(ng__dup_score(&e, 0, 0, 3, 200) == 0.5);
    ng__dupsim c = { 0.35, 0.5, 0.5 };       /* one word in five changed */
    ck_assert(ng__dup_score(&c, 0.9, 0.85, 100, 100) == 0.9);
    ck_assert(ng__dup_score(&c, 0.9, 0.95, 100, 100) == 0.95);
    ck_assert(ng__dup_score(&c, 0.9, 0.95, 3, 3) == 0.35);
}
END_TEST


/* Compares d with e both ways: exact (e's full sequence) and from e's
 * sketch; every figure must agree. */
static void same_figures(const ng__dupinfo *d, const ng__dupinfo *e)
{
    uint32_t *seq = ng__dup_sequence(e);
    unsigned char *sk = ng__dup_sketch(e);
    ng__dupprobe *p = ng__dup_probe_new(d);
    ng__dupsim s1, s2;
    double a1, b1, a2, b2;
    size_t n1, n2;
    double x = ng__dup_compare(d, seq, e->nocc, 0, &s1, &a1, &b1, &n1);
    double y = ng__dup_sketch_compare(d, p, sk, e->nocc, &s2, &a2, &b2, &n2);
    ck_assert(x >= 0 && x == y);
    ck_assert(s1.jaccard == s2.jaccard && s1.containment == s2.containment
              && s1.contained == s2.contained);
    ck_assert(a1 == a2 && b1 == b2);
    ck_assert_uint_eq(n1, n2);
    /* the probe's scratch set is left clear: the same answer again */
    ck_assert(ng__dup_sketch_compare(d, p, sk, e->nocc, &s2, &a2, &b2,
                                     &n2) == y);
    ng__dup_probe_free(p);
    free(seq);
    free(sk);
}

START_TEST(sketch_matches_exact)
{
    char *a = article(7, 600), *b = article(8, 600);
    size_t len = strlen(a);
    char *excerpt = strndup(a + len / 3, len / 4);
    char *edited = strdup(a);
    for (size_t i = 0, w = 0; edited[i]; i++)   /* one word in five */
        if (edited[i] == ' ' && ++w % 5 == 0 && edited[i + 1] == 'w')
            edited[i + 1] = 'x';
    char *wrapped = malloc(2 * len + 8);
    snprintf(wrapped, 2 * len + 8, "%s\n\n%s", b, excerpt);
    const char *t[] = { a, b, excerpt, edited, wrapped };
    ng__dupinfo *d[5];
    for (int i = 0; i < 5; i++)
        d[i] = info(t[i]);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            same_figures(d[i], d[j]);
    for (int i = 0; i < 5; i++)
        ng__dupinfo_free(d[i]);
    free(a); free(b); free(excerpt); free(edited); free(wrapped);
}
END_TEST

START_TEST(sketch_table)
{
    struct ng__dupsketch *sk = ng__dupsketch_new();
    unsigned char v[3 * 4] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
    size_t n;
    ck_assert_int_eq(ng__dupsketch_add(sk, 5, v, 4), 0);
    ck_assert_int_eq(ng__dupsketch_add(sk, 9, v + 3, 2), 0);
    ck_assert_int_eq(ng__dupsketch_add(sk, 7, v + 6, 1), 0); /* late */
    const unsigned char *g = ng__dupsketch_get(sk, 7, &n);
    ck_assert(g && n == 1 && ng__dup_sketch_at(g, 0) == 0x090807);
    g = ng__dupsketch_get(sk, 5, &n);
    ck_assert(g && n == 4 && ng__dup_sketch_at(g, 3) == 0x0c0b0a);
    ck_assert_ptr_null(ng__dupsketch_get(sk, 6, &n));
    ck_assert_int_eq(ng__dupsketch_add(sk, 5, v + 9, 1), 0); /* again */
    g = ng__dupsketch_get(sk, 5, &n);
    ck_assert(g && n == 1 && ng__dup_sketch_at(g, 0) == 0x0c0b0a);
    ng__dupsketch_remove(sk, 9);    /* a rolled-back insert */
    ck_assert_ptr_null(ng__dupsketch_get(sk, 9, &n));
    ng__dupsketch_free(sk);
}
END_TEST

/* An image of ix and sk at `path`, loaded back into a new index and
 * sketch table. */
static struct ng__dupindex *reload(const char *path, struct ng__dupindex *ix,
                                   struct ng__dupsketch *sk,
                                   struct ng__dupsketch **out)
{
    int64_t pos = 0;
    ck_assert_int_eq(ng__dupimage_write(path, 77, 1234, ix, sk, NULL), 0);
    *out = ng__dupsketch_new();
    ck_assert_ptr_null(ng__dupimage_load(path, 78, &pos, *out, NULL));
    struct ng__dupindex *m = ng__dupimage_load(path, 77, &pos, *out, NULL);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(pos, 1234);
    return m;
}

START_TEST(image_round_trip)
{
    char path[] = "/tmp/ng-test-fpx-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    struct ng__dupindex *ix = ng__dupindex_new();
    struct ng__dupsketch *sk = ng__dupsketch_new(), *sk2;
    enum { N = 500, F = 4 };
    for (uint32_t i = 1; i <= N; i++) {
        uint32_t fps[F];
        unsigned char v[3] = { (unsigned char)i, (unsigned char)(i >> 8), 1 };
        for (uint32_t b = 0; b < F; b++)    /* spread over the fence */
            fps[b] = b << 30 | (i * 2654435761u) >> 3;
        ck_assert_int_eq(ng__dupindex_add(ix, i, fps, F), 0);
        ck_assert_int_eq(ng__dupsketch_add(sk, i, v, 1), 0);
    }
    struct ng__dupindex *m = reload(path, ix, sk, &sk2);
    ck_assert_uint_eq(ng__dupindex_count(m), N);
    ck_assert_uint_eq(ng__dupindex_entries(m), N * F);
    for (uint32_t i = 1; i <= N; i += 13) {
        uint32_t out[4], fp = 2u << 30 | (i * 2654435761u) >> 3;
        ck_assert_uint_eq(ng__dupindex_find(m, fp, 0, 4, out, 0, 4), 1);
        ck_assert_uint_eq(out[0], i);
        size_t n;
        const unsigned char *g = ng__dupsketch_get(sk2, i, &n);
        ck_assert(g && n == 1 && ng__dup_sketch_at(g, 0)
                                 == (0x10000u | (i & 0xffff)));
    }
    /* added after the load: found first (newest); removed again */
    uint32_t fp[1] = { 2u << 30 | (7 * 2654435761u) >> 3 }, out[4];
    ck_assert_int_eq(ng__dupindex_add(m, N + 1, fp, 1), 0);
    ck_assert_uint_eq(ng__dupindex_find(m, fp[0], 0, 4, out, 0, 4), 2);
    ck_assert(out[0] == N + 1 && out[1] == 7);
    ck_assert_int_eq(ng__dupindex_remove(m, N + 1, fp, 1), 0);
    /* an image of the mapped index with a heap delta is whole again */
    ck_assert_int_eq(ng__dupindex_add(m, N + 2, fp, 1), 0);
    struct ng__dupsketch *sk3;
    struct ng__dupindex *m2 = reload(path, m, sk2, &sk3);
    ck_assert_uint_eq(ng__dupindex_entries(m2), N * F + 1);
    ck_assert_uint_eq(ng__dupindex_find(m2, fp[0], 0, 4, out, 0, 4), 2);
    ng__dupsketch_free(sk3);
    ng__dupindex_free(m2);
    ng__dupsketch_free(sk2);        /* before the mapping it lies in */
    ng__dupindex_free(m);
    ng__dupsketch_free(sk);
    ng__dupindex_free(ix);
    unlink(path);
}
END_TEST

/* Exact keys: an item matches a key when it holds both its tags; the
 * oldest come first; the tags go through an image and back. */
START_TEST(exact_tags)
{
    char path[] = "/tmp/ng-test-fpx-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    uint32_t t[NG__DUP_NTAGS], u[2], v[2];
    ck_assert_uint_eq(ng__dup_row_tags(NULL, 0, 0, t), 0);
    size_t n = ng__dup_row_tags("http://a/", 5, 6, t);
    ck_assert_uint_eq(n, 6);
    for (size_t i = 1; i < n; i++)
        ck_assert_uint_lt(t[i - 1], t[i]);          /* sorted, distinct */
    ng__dup_tags(NG__DUPTAG_TEXT, 5, u);
    ng__dup_tags(NG__DUPTAG_TITLE, 5, v);           /* kinds never meet */
    ck_assert(u[0] != v[0] && u[1] != v[1]);
    struct ng__dupindex *ex = ng__dupindex_new(), *ix = ng__dupindex_new();
    struct ng__dupsketch *sk = ng__dupsketch_new(), *sk2 = ng__dupsketch_new();
    for (uint32_t id = 1; id <= 300; id++) {    /* text 5 on every third */
        n = ng__dup_row_tags(NULL, id % 3 ? id + 1000 : 5, id, t);
        ck_assert_int_eq(ng__dupindex_add(ex, id, t, n), 0);
    }
    uint32_t out[3 * 200];
    ck_assert_uint_eq(ng__dupindex_oldest(ex, u[0], out, 4), 4);
    ck_assert(out[0] == 3 && out[1] == 6 && out[2] == 9 && out[3] == 12);
    ck_assert_int_eq(ng__dupimage_write(path, 9, 300, ix, sk, ex), 0);
    int64_t pos;
    struct ng__dupindex *ex2 = NULL;
    struct ng__dupindex *m = ng__dupimage_load(path, 9, &pos, sk2, &ex2);
    ck_assert(m && ex2 && pos == 300);
    ck_assert_uint_eq(ng__dupindex_entries(ex2), ng__dupindex_entries(ex));
    n = ng__dup_row_tags(NULL, 5, 0, t);
    ck_assert_int_eq(ng__dupindex_add(ex2, 301, t, n), 0);  /* heap layer */
    ck_assert_uint_eq(ng__dupindex_oldest(ex2, u[1], out, 4), 4);
    ck_assert(out[0] == 3 && out[3] == 12);
    ck_assert_uint_eq(ng__dupindex_oldest(ex2, u[1], out, 200), 101);
    ck_assert(out[99] == 300 && out[100] == 301);
    ng__dupindex_free(ex2);
    ng__dupsketch_free(sk2);
    ng__dupindex_free(m);
    ng__dupindex_free(ex);
    ng__dupindex_free(ix);
    ng__dupsketch_free(sk);
    unlink(path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dup_index");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, shingles_basic);
    tcase_add_test(tc, shingle_hash_is_the_librarys);
    tcase_add_test(tc, set_sorts_and_dedups);
    tcase_add_test(tc, sample_without_sort);
    tcase_add_test(tc, text_hash_and_similarity);
    tcase_add_test(tc, sample_keeps_passages);
    tcase_add_test(tc, coverage_fills_small_gaps);
    tcase_add_test(tc, index_insert_merge_lookup);
    tcase_add_test(tc, index_newest_first);
    tcase_add_test(tc, index_bulk_and_near);
    tcase_add_test(tc, score_uses_containment);
    tcase_add_test(tc, sketch_matches_exact);
    tcase_add_test(tc, sketch_table);
    tcase_add_test(tc, image_round_trip);
    tcase_add_test(tc, exact_tags);
    suite_add_tcase(s, tc);
    return ng_unit_run(s);
}
