/*
 * dup.h -- duplicate and near-duplicate detection: the keys of an item
 * (canonical URL, normalized text hash, title hash, MinHash LSH bands,
 * word shingles), the in-memory LSH index kept on a store handle, and
 * the per-check memo of store look-ups.  Owned by core/dup*.c and
 * core/memo.c.
 *
 * Layers: dup_keys.c is pure computation (shingles, one-permutation
 * MinHash, band keys, similarity); dup_index.c is the in-memory LSH index;
 * dup.c ties them to items and stores, keeps the index caught up with
 * the backend's commit log and stores keys through the backend table
 * (store.h) -- the backend never drives the index.  See docs/duplicates.md
 * and docs/architecture.md.
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

struct ng__memo;

/* The duplicate keys of one item and its look-up memo (cached on
 * item->an.dup, freed with the item). */
typedef struct ng__dupinfo {
    int keyed;                  /* the key fields below are computed */
    struct ng__memo *memo;      /* store look-ups of this item (memo.c) */
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

/* Removes one item added with these band keys (a rolled-back insert).
 * Returns 0, or -1 when it was not there. */
int ng__dupindex_remove(struct ng__dupindex *ix, uint32_t id,
                        const uint32_t bands[NG__DUP_BANDS]);

/* Items indexed, highest id seen, bytes used by the arrays. */
size_t ng__dupindex_count(const struct ng__dupindex *ix);
int64_t ng__dupindex_maxid(const struct ng__dupindex *ix);
size_t ng__dupindex_bytes(const struct ng__dupindex *ix);

/* ---- matches ------------------------------------------------------ */

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

/* ---- items and stores (dup.c) ------------------------------------- */

/* The item's cache (keys not necessarily computed), created on first
 * use.  Returns NULL on no memory. */
ng__dupinfo *ng__dup_cache(ng_item *it);

/* The cached keys of an item, computed on first use.  Returns NULL on no
 * memory. */
const ng__dupinfo *ng__dup_info(ng_item *it);

/* Records item `id`'s duplicate keys in the store and in its in-memory
 * index.  Called by ng_submit inside its transaction, after the item row
 * is inserted.  Returns NG_OK, NG_ENOMEM or NG_ESTORE. */
int ng__dup_record(ng_store *s, ng_item *it, int64_t id);

/* The store's index state: the LSH index, the commit-log position read
 * up to, positions still open below it (gaps) and the undo log of the
 * open transaction levels.  Freed by ng_store_close. */
struct ng__dupstate;
void ng__dupstate_free(struct ng__dupstate *st);

/* Transaction events from core/store_api.c: level `depth` begins,
 * commits or rolls back.  A rolled-back level's index entries are
 * removed and its position and gaps restored. */
enum { NG__TXN_BEGIN, NG__TXN_COMMIT, NG__TXN_ROLLBACK };
void ng__dup_txn(ng_store *s, int depth, int event);

/* Positions seen missing stay open this long before they are given up as
 * rolled back (seconds; tests may lower it). */
#define NG__DUP_GAP_TTL 600

/* 1 when the store's index is loaded. */
int ng__dup_loaded(const ng_store *s);

/* Gap bookkeeping of a store's index state, for tests: open gaps and
 * the position read up to. */
size_t ng__dup_gaps(const ng_store *s);
int64_t ng__dup_position(const ng_store *s);

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

/* ---- per-check memo of store look-ups (memo.c) -------------------- */

/* The look-ups rules make -- same_url/same_text/same_title, nearest,
 * history -- answered once per item and store state: a second rule asking
 * the same question costs no query.  Results are kept on the item (freed
 * with it) and dropped when the store changed since (s->generation) or
 * another store asks.  Matches returned are owned by the memo and live
 * until the item is freed or the next look-up on it. */
void ng__memo_free(struct ng__memo *m);

/* Exact duplicates by "url", "text" or "title" (see ng__dup_exact). */
int ng__memo_exact(ng_store *s, ng_item *it, const char *kind,
                   size_t limit, const ng__dupmatches **out);

/* Near duplicates (see ng__dup_nearest, self = 0). */
int ng__memo_nearest(ng_store *s, ng_item *it, double min, size_t limit,
                     const ng__dupmatches **out);

/* History counts (see ng__store_history). */
int ng__memo_history(ng_store *s, ng_item *it, const char *field,
                     const char *value, int64_t from, int64_t to,
                     int64_t *count);

#endif
