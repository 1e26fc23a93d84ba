/*
 * test_dup_index.c -- unit tests of duplicate keys and the LSH index:
 * shingles, sketches, similarity, insert/merge/look-up and bulk load.
 * Works on hand-made word lists so it needs no text or store module.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    ck_assert_int_eq(ng__dup_shingles(t, w, n, &d->shingles, &d->nshingles), 0);
    d->text_hash = ng__dup_words_hash(t, w, n);
    ng__dup_sketch(d);
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
    ck_assert(memcmp(f->bands, g->bands, sizeof f->bands) == 0);
    ng__dupinfo_free(d); ng__dupinfo_free(e);
    ng__dupinfo_free(f); ng__dupinfo_free(g);
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

/* Finds candidates of d in ix via all probes. */
typedef struct { struct ng__dupindex *ix; uint32_t v[256]; size_t n; } cand;
static void gather(int band, uint32_t key, void *arg)
{
    cand *c = arg;
    c->n = ng__dupindex_find(c->ix, band, key, c->v, c->n, 256);
}
static int has(const cand *c, uint32_t id)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i] == id)
            return 1;
    return 0;
}

START_TEST(index_insert_merge_lookup)
{
    struct ng__dupindex *ix = ng__dupindex_new();
    enum { N = 3000 };  /* several merges of the delta */
    uint32_t (*keys)[NG__DUP_BANDS] = malloc(N * sizeof *keys);
    for (uint32_t i = 0; i < N; i++) {
        for (int b = 0; b < NG__DUP_BANDS; b++)
            keys[i][b] = (i * 2654435761u) ^ (uint32_t)(b * 977);
        ck_assert_int_eq(ng__dupindex_add(ix, i + 1, keys[i]), 0);
    }
    ck_assert_uint_eq(ng__dupindex_count(ix), N);
    ck_assert_int_eq(ng__dupindex_maxid(ix), N);
    for (uint32_t i = 0; i < N; i += 7) {
        uint32_t out[8];
        for (int b = 0; b < NG__DUP_BANDS; b++) {
            size_t n = ng__dupindex_find(ix, b, keys[i][b], out, 0, 8);
            ck_assert_uint_eq(n, 1);
            ck_assert_uint_eq(out[0], i + 1);
        }
    }
    uint32_t out[8];
    ck_assert_uint_eq(ng__dupindex_find(ix, 0, 12345u, out, 0, 8), 0);
    /* memory: 8 bytes per band plus the delta */
    ck_assert(ng__dupindex_bytes(ix) < N * 32 + 4 * 256 * 8 + 256);
    free(keys);
    ng__dupindex_free(ix);
}
END_TEST

START_TEST(index_bulk_and_near)
{
    struct ng__dupindex *ix = ng__dupindex_new();
    enum { N = 200 };
    uint32_t ids[N], bands[N * NG__DUP_BANDS];
    char *texts[N];
    for (uint32_t i = 0; i < N; i++) {
        texts[i] = article(i + 1, 400);
        ng__dupinfo *d = info(texts[i]);
        ids[i] = i + 1;
        memcpy(bands + i * NG__DUP_BANDS, d->bands, sizeof d->bands);
        ng__dupinfo_free(d);
    }
    ck_assert_int_eq(ng__dupindex_bulk(ix, ids, bands, N), 0);
    /* an exact copy and a copy with boilerplate around are found */
    cand c = { .ix = ix };
    ng__dupinfo *d = info(texts[17]);
    ng__dup_probes(d, NG__DUP_PROBE, gather, &c);
    ck_assert(has(&c, 18));
    ck_assert_uint_le(c.n, 3);
    size_t len = strlen(texts[42]);
    char *wrapped = malloc(len + 4000);
    char *pre = article(9999, 150), *post = article(8888, 150);
    snprintf(wrapped, len + 4000, "%s\n\n%s\n\n%s", pre, texts[42], post);
    ng__dupinfo *w = info(wrapped);
    cand c2 = { .ix = ix };
    ng__dup_probes(w, NG__DUP_PROBE, gather, &c2);
    ck_assert(has(&c2, 43));
    /* a new item added after the bulk load is found in the delta */
    ng__dupinfo *x = info(pre);
    ck_assert_int_eq(ng__dupindex_add(ix, 500, x->bands), 0);
    cand c3 = { .ix = ix };
    ng__dup_probes(x, 1, gather, &c3);
    ck_assert(has(&c3, 500));
    ng__dupinfo_free(d); ng__dupinfo_free(w); ng__dupinfo_free(x);
    free(wrapped); free(pre); free(post);
    for (int i = 0; i < N; i++)
        free(texts[i]);
    ng__dupindex_free(ix);
}
END_TEST

START_TEST(score_uses_containment)
{
    ng__dupsim s = { 0.4, 1.0, 0.4 };
    ck_assert(ng__dup_score(&s, 100, 100) == 1.0);
    ck_assert(ng__dup_score(&s, 100, 3) == 0.4); /* tiny earlier item */
    ng__dupsim e = { 0.5, 0.5, 1.0 };        /* an excerpt */
    ck_assert(ng__dup_score(&e, 100, 200) == 1.0);
    ck_assert(ng__dup_score(&e, 3, 200) == 0.5);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dup_index");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, shingles_basic);
    tcase_add_test(tc, text_hash_and_similarity);
    tcase_add_test(tc, index_insert_merge_lookup);
    tcase_add_test(tc, index_bulk_and_near);
    tcase_add_test(tc, score_uses_containment);
    suite_add_tcase(s, tc);
    return ng_unit_run(s);
}
