/*
 * dup.h -- duplicate and near-duplicate detection: the keys of an item
 * (canonical URL, normalized text hash, title hash, MinHash LSH bands,
 * word shingles), the in-memory LSH index kept on a store handle, and
 * their persistence.  Owned by core/dup*.c and store/dup_sqlite.c.
 *
 * Layers: dup_keys.c is pure computation (shingles, one-permutation
 * MinHash, band keys, similarity); dup_index.c is the in-memory LSH index
 * (no SQLite); store/dup_sqlite.c is the only part that talks SQL; dup.c
 * ties them to items and stores.  See docs/duplicates.md.
 */
#ifndef NG_DUP_H
#define NG_DUP_H

#include <stddef.h>
#include <stdint.h>
#include "newsgate.h"
#include "item.h"

/* MinHash geometry: NG__DUP_BINS one-permutation bins, NG__DUP_BANDS
 * bands of NG__DUP_ROWS bins each, NG__DUP_PROBE smallest values kept per
 * bin for multi-probe look-ups. */
#define NG__DUP_BINS 8
#define NG__DUP_ROWS 2
#define NG__DUP_BANDS (NG__DUP_BINS / NG__DUP_ROWS)
#define NG__DUP_PROBE 3
#define NG__DUP_SHINGLE 3

struct ng__dupindex;

/* ---- keys (dup_keys.c) ------------------------------------------- */

/* The duplicate keys of one item (cached on item->an.dup). */
typedef struct ng__dupinfo {
    char *url_canon;            /* NULL when no (valid) URL */
    uint64_t text_hash;         /* 0 when the body has no words */
    uint64_t title_hash;        /* 0 when the title has no words */
    uint32_t *shingles;         /* sorted, unique */
    size_t nshingles;
    uint32_t bands[NG__DUP_BANDS];
    /* Per bin the NG__DUP_PROBE smallest shingle hashes (UINT32_MAX when
     * fewer); bin 0 of a densified (empty) bin holds its borrowed value. */
    uint32_t low[NG__DUP_BINS][NG__DUP_PROBE];
    unsigned char filled[NG__DUP_BINS]; /* values present in low[b] */
} ng__dupinfo;

/* Hash of `len` bytes (XXH3 64-bit).  Returns 1 instead of 0 so that 0
 * can mean "no hash". */
uint64_t ng__dup_hash(const void *p, size_t len);

/* Hash of words joined by one space: the text/title hash.  Returns 0
 * when n == 0. */
uint64_t ng__dup_words_hash(const char *text, const ng__word *w, size_t n);

/* Computes the sorted unique shingle set of the words of `text` (3-word
 * shingles not crossing a paragraph break "\n\n"; with fewer than 3 words
 * the words themselves).  Sets *out (malloc'd) and *n.  Returns 0, or -1
 * on no memory. */
int ng__dup_shingles(const char *text, const ng__word *w, size_t nw,
                     uint32_t **out, size_t *n);

/* Fills d->low, d->filled and d->bands from d->shingles. */
void ng__dup_sketch(ng__dupinfo *d);

/* Band key of band `b` from its row values. */
uint32_t ng__dup_band_key(int b, const uint32_t *rows);

/* Calls fn(band, key, arg) for every probe key of d: the exact band keys
 * first, then combinations of the next-smallest values per bin.  Returns
 * the number of keys produced. */
size_t ng__dup_probes(const ng__dupinfo *d, int depth,
                      void (*fn)(int band, uint32_t key, void *arg),
                      void *arg);

/* Similarity of sorted sets a (this item) and b (an earlier one):
 * Jaccard, the share of b found in a (containment of the earlier item
 * here), and the share of a found in b. */
typedef struct ng__dupsim {
    double jaccard, containment, contained;
} ng__dupsim;
ng__dupsim ng__dup_similarity(const uint32_t *a, size_t na,
                              const uint32_t *b, size_t nb);

/* The similarity reported to rules: the largest of Jaccard, the
 * containment of the earlier item (nb shingles) in this one, and of this
 * one (na shingles) in the earlier one -- a containment counting only
 * when the contained set is not tiny.  So a wrapped copy and an excerpt
 * both score high. */
double ng__dup_score(const ng__dupsim *s, size_t na, size_t nb);

void ng__dupinfo_free(ng__dupinfo *d);

/* ---- in-memory LSH index (dup_index.c) ---------------------------- */

/* Creates an empty index, or NULL. */
struct ng__dupindex *ng__dupindex_new(void);

/* Frees an index (NULL is fine).  Called by ng_store_close. */
void ng__dupindex_free(struct ng__dupindex *ix);

/* Adds one item's band keys.  Ids must fit in 32 bits.  Returns 0 or -1
 * on no memory (the index is unchanged then). */
int ng__dupindex_add(struct ng__dupindex *ix, uint32_t id,
                     const uint32_t bands[NG__DUP_BANDS]);

/* Bulk load: appends n items (ids[i], bands[i*BANDS..]) to the main
 * arrays and sorts them (radix sort).  Returns 0 or -1. */
int ng__dupindex_bulk(struct ng__dupindex *ix, const uint32_t *ids,
                      const uint32_t *bands, size_t n);

/* Appends to out (up to cap, distinct, unordered) the ids whose key of
 * band `b` equals `key`.  Returns the new count. */
size_t ng__dupindex_find(const struct ng__dupindex *ix, int b, uint32_t key,
                         uint32_t *out, size_t n, size_t cap);

/* Items indexed, highest id seen, bytes used by the arrays. */
size_t ng__dupindex_count(const struct ng__dupindex *ix);
int64_t ng__dupindex_maxid(const struct ng__dupindex *ix);
void ng__dupindex_set_maxid(struct ng__dupindex *ix, int64_t id);
size_t ng__dupindex_bytes(const struct ng__dupindex *ix);

/* ---- persistence (store/dup_sqlite.c) ----------------------------- */

/* One earlier item as rules see it. */
typedef struct ng__dupmatch {
    int64_t id;
    char *title;                /* owned */
    char *status;               /* owned */
    int64_t submitted_at;
    ng__dupsim sim;
    double similarity;
} ng__dupmatch;

typedef struct ng__dupmatches {
    ng__dupmatch *v;
    size_t n, cap;
} ng__dupmatches;

void ng__dupmatches_free(ng__dupmatches *m);

/* Writes the keys of item `id`.  Returns NG_OK or NG_ESTORE. */
int ng__dupdb_insert(ng_store *s, int64_t id, const ng__dupinfo *d);

/* Loads into ix every row with item_id > ng__dupindex_maxid(ix) and moves
 * maxid on.  Returns NG_OK, NG_ENOMEM or NG_ESTORE. */
int ng__dupdb_catch_up(ng_store *s, struct ng__dupindex *ix);

/* Reads the shingle set of item `id` into *out (malloc'd) / *n.  Returns
 * NG_OK, NG_ENOTFOUND, NG_ENOMEM or NG_ESTORE. */
int ng__dupdb_shingles(ng_store *s, int64_t id, uint32_t **out, size_t *n);

/* Exact matches: column is "url_canon" (text key) or "text_hash" /
 * "title_hash" (hash key).  Appends matches (without similarity) to m,
 * ids other than `self` only, oldest first, at most `limit`.  Returns
 * NG_OK, NG_ENOMEM or NG_ESTORE. */
int ng__dupdb_exact(ng_store *s, const char *column, const char *text,
                    uint64_t hash, int64_t self, size_t limit,
                    ng__dupmatches *m);

/* Fills title, status and submitted_at of m->v[i].  Returns NG_OK,
 * NG_ENOTFOUND (no such item row), NG_ENOMEM or NG_ESTORE. */
int ng__dupdb_describe(ng_store *s, ng__dupmatch *mt);

/* ---- items and stores (dup.c) ------------------------------------- */

/* The cached keys of an item, computed on first use.  Returns NULL on no
 * memory. */
const ng__dupinfo *ng__dup_info(ng_item *it);

/* Records item `id`'s duplicate keys in the store and in its in-memory
 * index.  Called by ng_submit inside its transaction, after the item row
 * is inserted.  Returns NG_OK, NG_ENOMEM or NG_ESTORE. */
int ng__dup_record(ng_store *s, ng_item *it, int64_t id);

/* Drops the store's in-memory index so the next look-up reloads it.  For
 * rollbacks: a rolled-back insert may already be in the index, and SQLite
 * hands its id out again, which the catch-up (ids > the highest seen)
 * would then never read. */
void ng__dup_invalidate(ng_store *s);

/* The store's index, loaded on first use and caught up with rows other
 * processes added.  Returns NULL (with *rc set) on failure. */
struct ng__dupindex *ng__dup_index(ng_store *s, int *rc);

/* Exact duplicates of `it` by "url", "text" or "title" (ids other than
 * self), oldest first, at most limit, described.  An item without that
 * key has none.  Returns NG_OK, NG_EINVAL, NG_ENOMEM or NG_ESTORE. */
int ng__dup_exact(ng_store *s, ng_item *it, const char *kind, int64_t self,
                  size_t limit, ng__dupmatches *out);

/* Near duplicates of `it` among stored items (ids other than `self`, or
 * all when self <= 0), similarity >= min, best first, at most limit.
 * Returns NG_OK, NG_ENOMEM or NG_ESTORE. */
int ng__dup_nearest(ng_store *s, ng_item *it, int64_t self, double min,
                    size_t limit, ng__dupmatches *out);

#endif
