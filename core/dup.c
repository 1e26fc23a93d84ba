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

/* Candidate search: each fingerprint of the item contributes the ids of
 * at most PER_FP items holding it (the newest: in a flood of one text the
 * latest copies stand for the rest); an item sharing at least MIN_SHARED
 * fingerprints (all of them when the item has fewer) is a candidate; the
 * MAX_VERIFY sharing most are verified exactly. */
#define PER_FP 64
#define MAX_POSTINGS 8192
#define MIN_SHARED 3
#define MAX_VERIFY NG__DUP_MAX_VERIFY

/* The keys read the item's title and body parts (ng__item_part): the
 * text is normalized, folded and split once per item, and shared with
 * the rules' words and list matching.  The exact keys (hashes) are made
 * first; the shingles and fingerprints only when `near` asks for them:
 * item:same_url() and same_text() need no shingles (they were four
 * fifths of an exact look-up's cost). */
static int part_keys(const ng__part *p, ng__dupinfo *d, int near)
{
    if (!p)
        return -1;
    if (!d->hashed) {
        d->text_hash = ng__dup_words_hash(p->base, p->words, p->nwords);
        d->nwords = p->nwords;
    }
    if (!near)
        return 0;
    if (ng__dup_occurrences(p->base, p->words, p->nwords, &d->occ,
                            &d->nocc) != 0)
        return -1;
    /* The shingle set is made only when a candidate is verified. */
    return ng__dup_sample_occ(d->occ, d->nocc, &d->fps, &d->nfps);
}

/* With a cleaned body (furniture cut by the clean phase) the body keys
 * come from it, through a stand-in item holding the title and the
 * cleaned text, so a copy wrapped in another site's navigation keys as
 * its article does. */
static int body_keys(ng_item *it, ng__dupinfo *d, int near)
{
    ng_item tmp;
    int rc;

    if (!it->cleaned_body)
        return part_keys(ng__item_part(it, NG__PART_BODY), d, near);
    memset(&tmp, 0, sizeof tmp);
    tmp.title = it->title;
    tmp.body = tmp.body_text = it->cleaned_body;
    rc = part_keys(ng__item_part(&tmp, NG__PART_BODY), d, near);
    ng__item_analysis_reset(&tmp);
    return rc;
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

/* The item's keys, the near-duplicate ones too when `near`; NULL on no
 * memory (the near keys are dropped then, the hashes kept). */
static const ng__dupinfo *keys(ng_item *it, int near)
{
    ng__dupinfo *d = ng__dup_cache(it);
    if (!d || d->keyed || (!near && d->hashed))
        return d;
    if (body_keys(it, d, near) < 0 || (!d->hashed && title_keys(it, d) < 0)) {
        free(d->shingles);
        free(d->fps);
        free(d->occ);
        d->shingles = d->fps = NULL;
        d->occ = NULL;
        d->nshingles = d->nfps = d->nocc = 0;
        return NULL;
    }
    /* A URL that does not parse simply has no canonical form. */
    if (!d->hashed && it->url && *it->url)
        d->url_canon = ng__url_canonical(it->url);
    d->hashed = 1;
    d->keyed = near;
    return d;
}

const ng__dupinfo *ng__dup_info(ng_item *it)
{
    return keys(it, 1);
}

const ng__dupinfo *ng__dup_hashes(ng_item *it)
{
    return keys(it, 0);
}

int ng__dup_record(ng_store *s, ng_item *it, int64_t id)
{
    const ng__dupinfo *d = ng__dup_info(it);
    unsigned char *sketch = d ? ng__dup_sketch(d) : NULL;
    if (!sketch)
        return NG_ENOMEM;
    /* The sketch keeps the shingles in text order: verification recovers
     * the set and measures the coverage of this text by a later one. */
    ng__dupkeys_row row = {
        .id = id, .url_canon = d->url_canon, .text_hash = d->text_hash,
        .title_hash = d->title_hash, .fps = d->fps, .nfps = d->nfps,
        .sketch = sketch, .nsketch = d->nocc * NG__DUP_SKETCH_BYTES,
        .text_checked = d->text_looked, .text_first = d->text_first,
    };
    int rc = s->ops->dup_insert(s, &row);
    free(sketch);
    /* A loaded index catches up now (our own row is visible inside the
     * transaction, and undone with it on rollback); an index not loaded
     * yet reads it on first use. */
    if (rc == NG_OK && s->dup && ng__dup_loaded(s))
        ng__dup_index(s, &rc);
    return rc;
}

typedef ng__dupcand cand;

/* 1 when a replay's horizon hides item `id` (it arrived at or after the
 * item being replayed). */
static int beyond_horizon(const ng_store *s, int64_t id)
{
    return s->horizon > 0 && id >= s->horizon;
}

static int by_shared(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->shared != y->shared)
        return x->shared < y->shared ? 1 : -1;
    return (x->id < y->id) - (x->id > y->id);   /* newest first */
}

/* Counts the ids of post[0..np) in an open-addressing table (slots of
 * id + 1 and a count; 0 is empty) and appends to c the ids counted at
 * least `need` times other than `self`, returning how many.  One pass:
 * sorting the postings instead cost O(np log np), and np reaches
 * MAX_POSTINGS once the store holds many items per fingerprint. */
static size_t count_ids(const uint32_t *post, size_t np, size_t need,
                        int64_t self, cand *tab, size_t mask, cand *c)
{
    size_t k = 0;
    for (size_t i = 0; i < np; i++) {
        size_t h = (post[i] * 0x9E3779B1u) & mask;
        while (tab[h].id && tab[h].id != post[i] + 1)
            h = (h + 1) & mask;
        tab[h].id = post[i] + 1;
        if (++tab[h].shared == need && (int64_t)post[i] != self)
            c[k++] = (cand){ post[i], 0 };
    }
    for (size_t i = 0; i < k; i++) {     /* the final counts */
        size_t h = (c[i].id * 0x9E3779B1u) & mask;
        while (tab[h].id != c[i].id + 1)
            h = (h + 1) & mask;
        c[i].shared = tab[h].shared;
    }
    return k;
}

int ng__dup_candidates(const struct ng__dupindex *ix, const ng__dupinfo *d,
                       int64_t self, int64_t below, ng__dupcand *c,
                       size_t *n)
{
    *n = 0;
    if (ng__dupindex_entries(ix) == 0)
        return 0;       /* nothing to look up (say, a store of sources) */
    uint32_t *post = malloc(MAX_POSTINGS * sizeof *post);
    size_t np = 0, slots = 16, need = d->nfps < MIN_SHARED ? d->nfps
                                                            : MIN_SHARED;
    if (!post)
        return -1;
    ng__dupindex_prefetch(ix, d->fps, d->nfps);
    for (size_t i = 0; i < d->nfps; i++)
        np = ng__dupindex_find(ix, d->fps[i],
                               below > 0 && below <= UINT32_MAX
                               ? (uint32_t)below : 0, PER_FP, post, np,
                               MAX_POSTINGS);
    while (slots < 2 * np)
        slots *= 2;
    cand *tab = calloc(slots, sizeof *tab);
    cand *all = malloc((np + 1) * sizeof *all);
    if (!tab || !all) {
        free(post);
        free(tab);
        free(all);
        return -1;
    }
    size_t k = need ? count_ids(post, np, need, self, tab, slots - 1, all)
                    : 0;
    qsort(all, k, sizeof *all, by_shared);
    *n = k < MAX_VERIFY ? k : MAX_VERIFY;
    memcpy(c, all, *n * sizeof *c);
    free(post);
    free(tab);
    free(all);
    return 0;
}

/* Appends a match to out.  Returns NG_OK or NG_ENOMEM. */
static int add_match(ng__dupmatches *out, int64_t id, ng__dupsim sim,
                     double cover, double score)
{
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
    m->coverage = cover;
    m->similarity = score;
    return NG_OK;
}

double ng__dup_compare(const ng__dupinfo *d, const uint32_t *sh, size_t n,
                       int legacy, ng__dupsim *sim, double *cover_a,
                       double *cover_b, size_t *nset)
{
    /* The one-pass comparison of sketches, on full hashes: no sorted
     * set of either side (~450 hashes to sort for each). */
    ng__dupprobe *p = ng__dup_probe_exact(d);
    if (!p)
        return -1;
    double score = ng__dup_probe_compare(d, p, NULL, sh, n, legacy, sim,
                                         cover_a, cover_b, nset);
    ng__dup_probe_free(p);
    return score;
}

int ng__dup_verify(ng_store *s, int kind, const ng__dupinfo *d,
                   ng__dupprobe **exact, int64_t id, ng__dupsim *sim,
                   double *cover_a, double *cover_b, double *score)
{
    uint32_t *sh;
    size_t n, nset;
    int legacy, rc = kind == NG__IX_SOURCES
        ? s->ops->src_shingles(s, id, &sh, &n, &legacy)
        : s->ops->dup_shingles(s, id, &sh, &n, &legacy);
    if (rc != NG_OK)
        return rc;
    if (!*exact && !(*exact = ng__dup_probe_exact(d))) {
        free(sh);
        return NG_ENOMEM;
    }
    *score = ng__dup_probe_compare(d, *exact, NULL, sh, n, legacy, sim,
                                   cover_a, cover_b, &nset);
    free(sh);
    return *score < 0 ? NG_ENOMEM : NG_OK;
}

/* This item's side of the sketch comparisons of one look-up, made on
 * first use (most look-ups of distinct items verify nothing). */
typedef struct probe {
    const ng__dupinfo *d;
    ng__dupprobe *p;            /* sketches */
    ng__dupprobe *exact;        /* full hashes (rows without a sketch) */
} probe;

/* Verifies candidate `id` against d from the sketch held with the index
 * or, for a row without one, from its stored shingles; appends it to out
 * when similar. */
static int verify(ng_store *s, probe *pr, int64_t id, double min,
                  ng__dupmatches *out)
{
    const ng__dupinfo *d = pr->d;
    ng__dupsim sim;
    double ca, cb, score;
    size_t n, nset;
    const unsigned char *v = ng__dupsketch_get(
        ng__dup_sketches(s, NG__IX_ITEMS), (uint32_t)id, &n);
    int rc = NG_OK;
    if (v && !pr->p && !(pr->p = ng__dup_probe_new(d)))
        return NG_ENOMEM;
    if (v) {
        score = ng__dup_sketch_compare(d, pr->p, v, n, &sim, &ca, &cb, &nset);
        rc = score < 0 ? NG_ENOMEM : NG_OK;
    } else {
        rc = ng__dup_verify(s, NG__IX_ITEMS, d, &pr->exact, id, &sim, &ca,
                            &cb, &score);
    }
    if (rc == NG_ENOTFOUND)
        return NG_OK; /* deleted, or a rolled-back insert */
    if (rc != NG_OK || score < min || score <= 0)
        return rc;
    return add_match(out, id, sim, ca > cb ? ca : cb, score);
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

int ng__dup_nearest_all(ng_store *s, ng_item *it, int64_t self,
                        ng__dupmatches *out)
{
    int rc;
    struct ng__dupindex *ix = ng__dup_index_for(s, NG__IX_ITEMS, it, &rc);
    cand c[MAX_VERIFY];
    size_t nc;
    if (!ix)
        return rc;
    if (ng__dupindex_entries(ix) == 0)
        return NG_OK; /* nothing stored to be similar to: no keys made */
    const ng__dupinfo *d = ng__dup_info(it);
    if (!d)
        return NG_ENOMEM;
    if (d->nocc == 0)
        return NG_OK; /* no words, nothing to be similar to */
    /* The horizon filters the postings, before the cap on candidates. */
    if (ng__dup_candidates(ix, d, self, s->horizon, c, &nc) < 0)
        return NG_ENOMEM;
    probe pr = { d, NULL, NULL };
    for (size_t i = 0; i < nc && rc == NG_OK; i++)
        rc = verify(s, &pr, c[i].id, 0, out);
    ng__dup_probe_free(pr.p);
    ng__dup_probe_free(pr.exact);
    return rc;
}

int ng__dup_select(ng_store *s, const ng__dupmatches *all, double min,
                   size_t limit, ng__dupmatches *out)
{
    for (size_t i = 0; i < all->n; i++) {
        const ng__dupmatch *m = &all->v[i];
        if (m->similarity >= min
            && add_match(out, m->id, m->sim, m->coverage, m->similarity))
            return NG_ENOMEM;
    }
    return finish(s, out, limit);
}

int ng__dup_nearest(ng_store *s, ng_item *it, int64_t self, double min,
                    size_t limit, ng__dupmatches *out)
{
    ng__dupmatches all = { 0 };
    int rc = ng__dup_nearest_all(s, it, self, &all);

    if (rc == NG_OK)
        rc = ng__dup_select(s, &all, min, limit, out);
    ng__dupmatches_free(&all);
    return rc;
}

/* Ids beyond a look-up's limit that an exact look-up in memory takes:
 * the index keeps deleted items (the backend's look-up did not), which
 * finish() then drops. */
#define EXACT_SLACK 64

/* Writes into ids[] (room for limit + EXACT_SLACK) the oldest items
 * other than `self` holding key `hash` of `kind` (a URL's: the hash of
 * `text`), from the index's exact-key tags: those holding both tags.
 * Returns NG_OK, or an error from catching the index up. */
static int exact_in_memory(ng_store *s, ng_item *it, ng__dupkind kind,
                           const char *text, uint64_t hash, int64_t self,
                           size_t limit, int64_t *ids, size_t *n)
{
    int rc;
    const struct ng__dupindex *ex;
    uint32_t t[2];
    size_t cap = limit + EXACT_SLACK + 1;   /* self may be among them */
    *n = 0;
    if (!ng__dup_index_for(s, NG__IX_ITEMS, it, &rc))
        return rc;
    if (!(ex = ng__dup_exact_index(s)) || ng__dupindex_entries(ex) == 0)
        return NG_OK;
    if (kind == NG__DUP_URL)
        hash = ng__dup_hash(text, strlen(text));
    ng__dup_tags((int)kind, hash, t);
    uint32_t *a = malloc(6 * cap * sizeof *a), *b = a + 3 * cap;
    if (!a)
        return NG_ENOMEM;
    size_t na = ng__dupindex_oldest(ex, t[0], a, cap);
    size_t nb = ng__dupindex_oldest(ex, t[1], b, cap);
    for (size_t i = 0, j = 0; i < na && j < nb && *n < cap - 1;) {
        if (a[i] < b[j]) {
            i++;
        } else if (a[i] > b[j]) {
            j++;
        } else {
            if ((int64_t)a[i] != self)
                ids[(*n)++] = a[i];
            i++, j++;
        }
    }
    free(a);
    return NG_OK;
}

/* Appends the exact matches of one key to out (without descriptions). */
static int exact_ids(ng_store *s, ng_item *it, ng__dupkind kind,
                     const char *text, uint64_t hash, int64_t self,
                     size_t limit, ng__dupmatches *out)
{
    int64_t *ids = malloc((limit + EXACT_SLACK + 1) * sizeof *ids);
    size_t n = 0;
    int rc = !ids ? NG_ENOMEM
             : s->ops->dup_exact ? s->ops->dup_exact(s, kind, text, hash,
                                                     self, limit, ids, &n)
             : exact_in_memory(s, it, kind, text, hash, self, limit, ids,
                               &n);
    while (rc == NG_OK && n && beyond_horizon(s, ids[n - 1]))
        n--; /* ids come oldest first: later items are at the end */
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
    const ng__dupinfo *d = ng__dup_hashes(it);
    if (!d)
        return NG_ENOMEM;
    int rc = NG_OK;
    if (strcmp(kind, "url") == 0) {
        if (d->url_canon)
            rc = exact_ids(s, it, NG__DUP_URL, d->url_canon, 0, self, limit,
                           out);
    } else if (strcmp(kind, "text") == 0) {
        if (d->text_hash)
            rc = exact_ids(s, it, NG__DUP_TEXT, NULL, d->text_hash, self,
                           limit, out);
        if (rc == NG_OK && self == 0) {
            ng__dupinfo *w = ng__dup_cache(it);    /* d, writable */
            w->text_looked = 1;
            w->text_first = out->n ? out->v[0].id : 0;
        }
    } else if (strcmp(kind, "title") == 0) {
        if (d->title_hash)
            rc = exact_ids(s, it, NG__DUP_TITLE, NULL, d->title_hash, self,
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
