/*
 * dup.c -- duplicate detection for items and stores: computes an item's
 * keys once (cached on item->an.dup), records them when an item is
 * submitted, and answers the exact and near-duplicate look-ups behind
 * item:same_url, same_text, same_title and nearest.  Key computation
 * lives in dup_keys.c, the index in dup_index.c, its catch-up with the
 * backend in dup_state.c; storage only through the backend table.
 */
#include <stdlib.h>
#include <string.h>
#include "dup.h"
#include "store.h"
#include "text.h"
#include "url.h"

/* Candidates gathered per look-up at most (a text submitted thousands of
 * times must not make one check verify thousands of items). */
#define MAX_CANDIDATES 256

/* Smallest values per bin combined in probes (1 = exact band keys only);
 * settable at build time for the evaluation's ablation. */
#ifndef NG__DUP_LOOKUP_DEPTH
#define NG__DUP_LOOKUP_DEPTH NG__DUP_PROBE
#endif

/* The keys read the item's title and body parts (ng__item_part): the
 * text is normalized, folded and split once per item, and shared with
 * the rules' words and list matching. */
static int body_keys(ng_item *it, ng__dupinfo *d)
{
    const ng__part *p = ng__item_part(it, NG__PART_BODY);
    if (!p)
        return -1;
    d->text_hash = ng__dup_words_hash(p->base, p->words, p->nwords);
    if (ng__dup_shingles(p->base, p->words, p->nwords, &d->shingles,
                         &d->nshingles) != 0)
        return -1;
    ng__dup_sketch(d);
    return 0;
}

static int title_keys(ng_item *it, ng__dupinfo *d)
{
    const ng__part *p = ng__item_part(it, NG__PART_TITLE);
    if (!p)
        return -1;
    d->title_hash = ng__dup_words_hash(p->base, p->words, p->nwords);
    return 0;
}

static void info_free(struct ng__dupinfo *d)
{
    ng__memo_free(d->memo);
    ng__dupinfo_free(d);
}

ng__dupinfo *ng__dup_cache(ng_item *it)
{
    if (!it->an.dup && (it->an.dup = calloc(1, sizeof *it->an.dup)))
        it->an.dup_free = info_free;
    return it->an.dup;
}

const ng__dupinfo *ng__dup_info(ng_item *it)
{
    ng__dupinfo *d = ng__dup_cache(it);
    if (!d || d->keyed)
        return d;
    if (body_keys(it, d) < 0 || title_keys(it, d) < 0) {
        free(d->shingles);
        d->shingles = NULL;
        d->nshingles = 0;
        return NULL;
    }
    /* A URL that does not parse simply has no canonical form. */
    if (it->url && *it->url)
        d->url_canon = ng__url_canonical(it->url);
    d->keyed = 1;
    return d;
}

int ng__dup_record(ng_store *s, ng_item *it, int64_t id)
{
    const ng__dupinfo *d = ng__dup_info(it);
    if (!d)
        return NG_ENOMEM;
    ng__dupkeys_row row = {
        .id = id, .url_canon = d->url_canon, .text_hash = d->text_hash,
        .title_hash = d->title_hash, .bands = d->bands,
        .nbands = NG__DUP_BANDS, .shingles = d->shingles,
        .nshingles = d->nshingles,
    };
    int rc = s->ops->dup_insert(s, &row);
    /* A loaded index catches up now (our own row is visible inside the
     * transaction, and undone with it on rollback); an index not loaded
     * yet reads it on first use. */
    if (rc == NG_OK && s->dup && ng__dup_loaded(s))
        ng__dup_index(s, &rc);
    return rc;
}

typedef struct cands {
    struct ng__dupindex *ix;
    uint32_t v[MAX_CANDIDATES];
    size_t n;
} cands;

static void gather(int band, uint32_t key, void *arg)
{
    cands *c = arg;
    c->n = ng__dupindex_find(c->ix, band, key, c->v, c->n, MAX_CANDIDATES);
}

/* Verifies candidate `id` against d; appends it to out when similar. */
static int verify(ng_store *s, const ng__dupinfo *d, int64_t id, double min,
                  ng__dupmatches *out)
{
    uint32_t *sh;
    size_t n;
    int rc = s->ops->dup_shingles(s, id, &sh, &n);
    if (rc == NG_ENOTFOUND)
        return NG_OK; /* deleted, or a rolled-back insert */
    if (rc != NG_OK)
        return rc;
    ng__dupsim sim = ng__dup_similarity(d->shingles, d->nshingles, sh, n);
    double score = ng__dup_score(&sim, d->nshingles, n);
    free(sh);
    if (score < min || score <= 0)
        return NG_OK;
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 8;
        ng__dupmatch *v = realloc(out->v, cap * sizeof *v);
        if (!v)
            return NG_ENOMEM;
        out->v = v;
        out->cap = cap;
    }
    ng__dupmatch *m = &out->v[out->n++];
    memset(m, 0, sizeof *m);
    m->id = id;
    m->sim = sim;
    m->similarity = score;
    return NG_OK;
}

static int by_similarity(const void *a, const void *b)
{
    const ng__dupmatch *x = a, *y = b;
    if (x->similarity != y->similarity)
        return x->similarity < y->similarity ? 1 : -1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Sorts, cuts to limit and fills in title/status/time; drops rows whose
 * item is gone. */
static int finish(ng_store *s, ng__dupmatches *out, size_t limit)
{
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, by_similarity);
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++) {
        ng__dupmatch m = out->v[i];
        ng__item_brief b = { 0 };
        int rc = k < limit ? s->ops->describe(s, m.id, &b) : NG_ENOTFOUND;
        free(m.title);
        free(m.status);
        if (rc == NG_OK) {
            m.title = b.title;
            m.status = b.status;
            m.submitted_at = b.submitted_at;
            out->v[k++] = m;
            continue;
        }
        if (rc != NG_ENOTFOUND) {
            out->n = k;
            return rc;
        }
    }
    out->n = k;
    return NG_OK;
}

int ng__dup_nearest(ng_store *s, ng_item *it, int64_t self, double min,
                    size_t limit, ng__dupmatches *out)
{
    const ng__dupinfo *d = ng__dup_info(it);
    if (!d)
        return NG_ENOMEM;
    int rc;
    cands c = { .n = 0 };
    if (d->nshingles == 0)
        return NG_OK; /* no words, nothing to be similar to */
    if (!(c.ix = ng__dup_index(s, &rc)))
        return rc;
    ng__dup_probes(d, NG__DUP_LOOKUP_DEPTH, gather, &c);
    for (size_t i = 0; i < c.n && rc == NG_OK; i++)
        if ((int64_t)c.v[i] != self)
            rc = verify(s, d, c.v[i], min, out);
    if (rc == NG_OK)
        rc = finish(s, out, limit);
    return rc;
}

/* Appends the exact matches of one key to out (without descriptions). */
static int exact_ids(ng_store *s, ng__dupkind kind, const char *text,
                     uint64_t hash, int64_t self, size_t limit,
                     ng__dupmatches *out)
{
    int64_t *ids = malloc((limit + 1) * sizeof *ids);
    size_t n = 0;
    int rc = ids ? s->ops->dup_exact(s, kind, text, hash, self, limit, ids,
                                     &n) : NG_ENOMEM;
    if (rc == NG_OK && n && !(out->v = calloc(n, sizeof *out->v)))
        rc = NG_ENOMEM;
    for (size_t i = 0; rc == NG_OK && i < n; i++) {
        out->v[i].id = ids[i];
        out->v[i].similarity = 1.0;
    }
    if (rc == NG_OK)
        out->n = out->cap = n;
    free(ids);
    return rc;
}

int ng__dup_exact(ng_store *s, ng_item *it, const char *kind, int64_t self,
                  size_t limit, ng__dupmatches *out)
{
    const ng__dupinfo *d = ng__dup_info(it);
    if (!d)
        return NG_ENOMEM;
    int rc = NG_OK;
    if (strcmp(kind, "url") == 0) {
        if (d->url_canon)
            rc = exact_ids(s, NG__DUP_URL, d->url_canon, 0, self, limit,
                           out);
    } else if (strcmp(kind, "text") == 0) {
        if (d->text_hash)
            rc = exact_ids(s, NG__DUP_TEXT, NULL, d->text_hash, self, limit,
                           out);
    } else if (strcmp(kind, "title") == 0) {
        if (d->title_hash)
            rc = exact_ids(s, NG__DUP_TITLE, NULL, d->title_hash, self,
                           limit, out);
    } else {
        return NG_EINVAL;
    }
    if (rc == NG_OK)
        rc = finish(s, out, limit);
    return rc;
}

void ng__dupmatches_free(ng__dupmatches *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].title);
        free(m->v[i].status);
    }
    free(m->v);
    m->v = NULL;
    m->n = m->cap = 0;
}
