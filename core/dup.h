/*
 * dup.h -- duplicate and near-duplicate detection: the keys of an item
 * (canonical URL, normalized text hash, title hash, sampled shingle
 * fingerprints, word shingles), the in-memory fingerprint index kept on a
 * store handle, and
 * the per-check memo of store look-ups.  Owned by core/dup*.c and
 * core/memo.c.
 *
 * Layers: dup_keys.c is pure computation (shingles, the sampled
 * fingerprints, similarity and coverage); dup_index.c is the in-memory
 * inverted fingerprint index (fingerprint -> item ids);
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

/* Fingerprints: the NG__DUP_BOTTOM smallest shingle hashes of a text
 * plus every hash h with h % NG__DUP_MOD == 0.  The modulo part is a
 * property of each shingle alone, so an excerpt keeps the fingerprints of
 * the passage it copies (a whole-document MinHash would not). */
#define NG__DUP_BOTTOM 8
#define NG__DUP_MOD 8
#define NG__DUP_SHINGLE 3

struct ng__dupindex;

/* ---- keys (dup_keys.c) ------------------------------------------- */

struct ng__memo;

/* The duplicate keys of one item and its look-up memo (cached on
 * item->an.dup, freed with the item). */
/* One shingle occurrence in text order: its hash, first word and the
 * number of words it covers (3, or fewer for a short paragraph). */
typedef struct ng__dupocc {
    uint32_t hash, word, len;
} ng__dupocc;

typedef struct ng__dupinfo {
    int keyed;                  /* all the key fields below are made */
    int hashed;                 /* url_canon, text_hash, title_hash and
                                   nwords are made (ng__dup_hashes) */
    struct ng__memo *memo;      /* store look-ups of this item (memo.c) */
    char *url_canon;            /* NULL when no (valid) URL */
    uint64_t text_hash;         /* 0 when the body has no words */
    uint64_t title_hash;        /* 0 when the title has no words */
    uint32_t *shingles;         /* sorted, unique: only as made by
                                   ng__dup_shingles (tests, tools); an
                                   item's keys leave it NULL (NG_OK) */
    size_t nshingles;
    uint32_t *fps;              /* sampled fingerprints, sorted, unique */
    size_t nfps;
    ng__dupocc *occ;            /* shingle occurrences in text order */
    size_t nocc, nwords;
    /* What the check saw of exact text copies (ng__dup_exact): whether it
     * looked them up, and the oldest it found (0: none).  A backend with
     * many writers compares it with the first item of the text at insert
     * (store.h, dup_insert). */
    int text_looked;
    int64_t text_first;
    /* The backend's change counter as this item's first look-up read it
     * (ng__dup_index_for), at the handle's generation ver_gen: the
     * item's other look-ups reuse it, one read a check, not one each. */
    const ng_store *ver_store;
    uint64_t ver_gen, ver;
} ng__dupinfo;

/* Hash of `len` bytes (XXH3 64-bit).  Returns 1 instead of 0 so that 0
 * can mean "no hash". */
uint64_t ng__dup_hash(const void *p, size_t len);

/* Exact keys in the index (items only, a second index beside the
 * fingerprints): each key of an item -- its canonical URL's hash, text
 * hash and title hash -- is held as two 32-bit tags, the halves of a
 * bijective mix of the key and its kind; an item matches a key when it
 * holds both (as strong as comparing the 64-bit keys).  The kinds follow
 * store.h's ng__dupkind. */
enum { NG__DUPTAG_URL, NG__DUPTAG_TEXT, NG__DUPTAG_TITLE };
#define NG__DUP_NTAGS 6

/* The two tags of `key` of `kind` into t[0..1]. */
void ng__dup_tags(int kind, uint64_t key, uint32_t t[2]);

/* An item's tags (keys absent: url_canon NULL, hashes 0, are left out)
 * into out, sorted and distinct.  Returns how many. */
size_t ng__dup_row_tags(const char *url_canon, uint64_t text_hash,
                        uint64_t title_hash, uint32_t out[NG__DUP_NTAGS]);

/* Hash of words joined by one space: the text/title hash.  Returns 0
 * when n == 0. */
uint64_t ng__dup_words_hash(const char *text, const ng__word *w, size_t n);

/* Computes the sorted unique shingle set of the words of `text` (3-word
 * shingles not crossing a paragraph break "\n\n"; with fewer than 3 words
 * the words themselves).  Sets *out (malloc'd) and *n; when occ is not
 * NULL also the occurrences in text order (*occ malloc'd, *nocc).
 * Returns 0, or -1 on no memory (nothing allocated then). */
int ng__dup_shingles(const char *text, const ng__word *w, size_t nw,
                     uint32_t **out, size_t *n, ng__dupocc **occ,
                     size_t *nocc);

/* The shingle occurrences alone of the words of `text` (as
 * ng__dup_shingles, without the set): *occ malloc'd, *nocc.  Returns 0,
 * or -1 on no memory (nothing allocated then). */
int ng__dup_occurrences(const char *text, const ng__word *w, size_t nw,
                        ng__dupocc **occ, size_t *nocc);

/* The fingerprint sample of occurrences o[0..nocc) in any order: the
 * same values as ng__dup_sample of their sorted unique set, selected
 * without sorting them all.  Sets *out (malloc'd, sorted) and *n.
 * Returns 0 or -1 on no memory. */
int ng__dup_sample_occ(const ng__dupocc *o, size_t nocc, uint32_t **out,
                       size_t *n);

/* The fingerprint sample of a sorted unique shingle set (see
 * NG__DUP_BOTTOM): sets *out (malloc'd, sorted) and *n.  Returns 0 or -1
 * on no memory. */
int ng__dup_sample(const uint32_t *sh, size_t nsh, uint32_t **out,
                   size_t *n);

/* Sorts v[0..n) in place (a radix sort; qsort when short or out of
 * memory). */
void ng__dup_sort(uint32_t *v, size_t n);

/* Sorts v[0..n) and drops repeats in place; returns the new count. */
size_t ng__dup_set(uint32_t *v, size_t n);

/* The shingle hashes of d's occurrences in text order (what the store
 * keeps: the set is recovered with ng__dup_set, the order serves
 * ng__dup_seq_coverage).  Returns a malloc'd array of d->nocc values, or
 * NULL on no memory. */
uint32_t *ng__dup_sequence(const ng__dupinfo *d);

/* Coverage of an earlier text, given as its shingle sequence seq[0..n)
 * in text order, by the sorted set `set`: as ng__dup_coverage, with
 * occurrence i taken to cover words i .. i + 2 of a text of n + 2 words
 * (paragraph breaks are not kept, so this is a close approximation).
 * Returns a value in [0, 1], or -1 on no memory. */
double ng__dup_seq_coverage(const uint32_t *seq, size_t n,
                            const uint32_t *set, size_t nset);

/* Coverage of d's text by the sorted shingle set `other`: the share of
 * d's words inside an occurrence whose shingle is in `other`, gaps of at
 * most 2 words between covered words counted as covered (a changed word
 * breaks three shingles but not the copy).  Returns a value in [0, 1],
 * or -1 on no memory. */
double ng__dup_coverage(const ng__dupinfo *d, const uint32_t *other,
                        size_t nother);

/* Similarity of sorted sets a (this item) and b (an earlier one):
 * Jaccard, the share of b found in a (containment of the earlier item
 * here), and the share of a found in b. */
typedef struct ng__dupsim {
    double jaccard, containment, contained;
} ng__dupsim;
ng__dupsim ng__dup_similarity(const uint32_t *a, size_t na,
                              const uint32_t *b, size_t nb);

/* Shingles from which a side's containment or coverage counts, and the
 * coverage from which it counts at all (docs/duplicates.md). */
#define NG__DUP_MIN_CONTAINED 25
#ifndef NG__DUP_MIN_COVER
#define NG__DUP_MIN_COVER 0.7
#endif

/* The similarity reported to rules: the largest of Jaccard, the
 * containment of the earlier item (nb shingles) in this one, of this one
 * (na shingles) in the earlier one, and the coverages (cover_a: of this
 * item's words by the earlier one's shingles; cover_b: the other way) --
 * a containment or coverage counting only when its side has at least
 * NG__DUP_MIN_CONTAINED shingles.  So a wrapped copy, an excerpt and a
 * copy with one word in five changed all score high. */
double ng__dup_score(const ng__dupsim *s, double cover_a, double cover_b,
                     size_t na, size_t nb);

/* The verification sketch of a shingle: its upper 24 bits.  An item's
 * sketch is its shingle sequence in text order so cut, packed in
 * NG__DUP_SKETCH_BYTES little-endian bytes a shingle (3 instead of 4),
 * stored with its keys and held with the index (dup_sketch.c).  A value
 * of another text matches by chance with probability (its distinct
 * shingles) / 2^24, 0.002% for a 2 KB article, so comparisons give the
 * exact figures but for about one shingle in 40,000 (16 bits gave one in
 * 160 and moved borderline verdicts of the BBC corpus).  The SQLite
 * migration to schema v8 cuts stored sequences the same way
 * (store/sqlite_dup.c). */
#define NG__DUP_SKETCH(h) ((uint32_t)(h) >> 8)
#define NG__DUP_SKETCH_BYTES 3

/* Value i of a packed sketch. */
static inline uint32_t ng__dup_sketch_at(const unsigned char *v, size_t i)
{
    const unsigned char *p = v + i * NG__DUP_SKETCH_BYTES;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

/* d's sketch, packed: a malloc'd array of d->nocc values, or NULL on no
 * memory. */
unsigned char *ng__dup_sketch(const ng__dupinfo *d);

/* This item's side of sketch comparisons: its sketch values in an open
 * hash set (a), and a scratch set for the candidate's values (b, grown
 * as needed); made from d's occurrences, so d needs no shingle set.
 * ng__dup_probe_new compares 24-bit sketches, ng__dup_probe_exact full
 * 32-bit shingle hashes.  Freed by ng__dup_probe_free (NULL is fine). */
typedef struct ng__dupprobe ng__dupprobe;
ng__dupprobe *ng__dup_probe_new(const ng__dupinfo *d);
ng__dupprobe *ng__dup_probe_exact(const ng__dupinfo *d);
void ng__dup_probe_free(ng__dupprobe *p);

/* Compares d with a stored item's values in text order, in one pass
 * without sorting: packed[0..n) (a sketch, 3 bytes a value) when packed
 * is not NULL, else vals[0..n) (full hashes, for an exact probe).  The
 * figures are those of the shingle sets (ng__dup_similarity,
 * ng__dup_coverage, ng__dup_seq_coverage), up to chance matches of
 * 24-bit values for a sketch; `legacy` (a stored set, not a sequence)
 * sets *cover_b to 0.  Sets *nset to the candidate's distinct values.
 * Returns the similarity (ng__dup_score), or -1 on no memory. */
double ng__dup_probe_compare(const ng__dupinfo *d, ng__dupprobe *p,
                             const unsigned char *packed,
                             const uint32_t *vals, size_t n, int legacy,
                             ng__dupsim *sim, double *cover_a,
                             double *cover_b, size_t *nset);

/* ng__dup_probe_compare of a packed sketch v[0..n) (not legacy). */
double ng__dup_sketch_compare(const ng__dupinfo *d, ng__dupprobe *p,
                              const unsigned char *v, size_t n,
                              ng__dupsim *sim, double *cover_a,
                              double *cover_b, size_t *nset);

void ng__dupinfo_free(ng__dupinfo *d);

/* ---- in-memory fingerprint index (dup_index.c) ------------------- */

/* Creates an empty index, or NULL. */
struct ng__dupindex *ng__dupindex_new(void);

/* Frees an index (NULL is fine).  Called by ng_store_close. */
void ng__dupindex_free(struct ng__dupindex *ix);

/* Adds one item's n fingerprints.  Ids must fit in 32 bits.  Returns 0 or
 * -1 on no memory (the index is unchanged then). */
int ng__dupindex_add(struct ng__dupindex *ix, uint32_t id,
                     const uint32_t *fps, size_t n);

/* Bulk load of n items: item i has id ids[i] and the fingerprints
 * fps[off[i] .. off[i + 1]).  Appends and sorts (radix sort).  Returns 0
 * or -1. */
int ng__dupindex_bulk(struct ng__dupindex *ix, const uint32_t *ids,
                      const size_t *off, const uint32_t *fps, size_t n);

/* Appends to out[n..] the ids of at most `per` items holding fingerprint
 * fp, highest ids (newest) first, only ids below `below` unless it is 0
 * (a replay's horizon), stopping at cap.  Returns the new count. */
size_t ng__dupindex_find(const struct ng__dupindex *ix, uint32_t fp,
                         uint32_t below, size_t per, uint32_t *out, size_t n,
                         size_t cap);

/* Asks the processor to fetch what looking up fps[0..n) will read. */
void ng__dupindex_prefetch(const struct ng__dupindex *ix, const uint32_t *fps,
                           size_t n);

/* Sets out[0..) to the `cap` lowest ids (oldest) holding `key`, in
 * ascending order; out has room for 3 * cap.  Returns how many. */
size_t ng__dupindex_oldest(const struct ng__dupindex *ix, uint32_t key,
                           uint32_t *out, size_t cap);

/* Removes one item added with these fingerprints (a rolled-back insert).
 * Returns 0, or -1 when it was not there. */
int ng__dupindex_remove(struct ng__dupindex *ix, uint32_t id,
                        const uint32_t *fps, size_t n);

/* The fence of an image: entry k is the index in the sorted entries of
 * the first one whose fingerprint's upper 16 bits are >= k (k = 0 ..
 * NG__DUP_FENCES, the last being the count). */
#define NG__DUP_FENCE_SHIFT 16
#define NG__DUP_FENCES (1u << (32 - NG__DUP_FENCE_SHIFT))

/* An index over a sorted array v[0..n) lying in the private writable
 * mapping `map` (an image file, dup_image.c), which the index then owns
 * and unmaps; `fence` (in the mapping, or NULL) bounds each look-up's
 * search (NG__DUP_FENCES + 1 entries, checked by the caller).  Returns
 * NULL on no memory (the caller unmaps then). */
struct ng__dupindex *ng__dupindex_mapped(void *map, size_t maplen,
                                         const uint64_t *v, size_t n,
                                         const uint64_t *fence,
                                         size_t count, int64_t maxid);

/* Hands every entry (fp << 32 | id), in sorted order, to put in chunks.
 * Returns 0, or -1 when put did. */
int ng__dupindex_save(const struct ng__dupindex *ix,
                      int (*put)(const uint64_t *v, size_t n, void *arg),
                      void *arg);

/* Entries (fingerprint, item) held. */
size_t ng__dupindex_entries(const struct ng__dupindex *ix);

/* Items indexed, highest id seen, bytes used by the arrays. */
size_t ng__dupindex_count(const struct ng__dupindex *ix);
int64_t ng__dupindex_maxid(const struct ng__dupindex *ix);
size_t ng__dupindex_bytes(const struct ng__dupindex *ix);

/* ---- verification sketches held with the index (dup_sketch.c) ----- */

/* One item's sketch in a table: id, values, offset of its first byte. */
typedef struct ng__sketchent {
    uint32_t id, n;
    uint64_t off;
} ng__sketchent;

struct ng__dupsketch;

/* Creates an empty table, or NULL.  Freed with ng__dupsketch_free (NULL
 * is fine); an image layer must be freed before its mapping. */
struct ng__dupsketch *ng__dupsketch_new(void);
void ng__dupsketch_free(struct ng__dupsketch *sk);

/* Adds (or replaces) item id's sketch v[0..n).  Returns 0 or -1 on no
 * memory (the table is unchanged then). */
int ng__dupsketch_add(struct ng__dupsketch *sk, uint32_t id,
                      const unsigned char *v, size_t n);

/* Removes an item added by ng__dupsketch_add (a rolled-back insert). */
void ng__dupsketch_remove(struct ng__dupsketch *sk, uint32_t id);

/* Item id's sketch (*n values), or NULL when the table has none. */
const unsigned char *ng__dupsketch_get(const struct ng__dupsketch *sk,
                                       uint32_t id, size_t *n);

/* Sets the image layer: n entries sorted by id, offsets into data's
 * `bytes` bytes (an entry outside them is ignored when read). */
void ng__dupsketch_map(struct ng__dupsketch *sk, const ng__sketchent *e,
                       size_t n, const unsigned char *data, size_t bytes);

/* Writes the table through put: *count entries (sorted by id, offsets
 * from 0), then their values, *bytes bytes.  Returns 0 or -1 when put
 * did. */
int ng__dupsketch_save(const struct ng__dupsketch *sk,
                       int (*put)(const void *p, size_t bytes, void *arg),
                       void *arg, size_t *count, uint64_t *bytes);

/* ---- matches ------------------------------------------------------ */

/* One earlier item as rules see it. */
typedef struct ng__dupmatch {
    int64_t id;
    char *title;                /* owned */
    char *status;               /* owned */
    int64_t submitted_at;
    ng__dupsim sim;
    double coverage;            /* of either text by the other's shingles */
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

/* The exact keys alone (url_canon, text_hash, title_hash, nwords), for
 * the exact look-ups: no shingles made.  Returns NULL on no memory. */
const ng__dupinfo *ng__dup_hashes(ng_item *it);

/* Records item `id`'s duplicate keys in the store and in its in-memory
 * index.  Called by ng_submit inside its transaction, after the item row
 * is inserted.  Returns NG_OK, NG_ENOMEM or NG_ESTORE. */
int ng__dup_record(ng_store *s, ng_item *it, int64_t id);

/* The store's index state: the fingerprint index, the commit-log position read
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

/* ---- persisted index image (dup_image.c) --------------------------- */

/* Maps the image file `path` when it is whole, of this format and made
 * for the store `identity`; sets *pos to the commit-log position it
 * covers, points sk's image layer at its sketches and, when ex is not
 * NULL, sets *ex to an index over its exact-key tags.  Returns the index
 * (which owns the mapping: free sk's layer and *ex first), or NULL when
 * there is no usable image (the caller then loads from the store). */
struct ng__dupindex *ng__dupimage_load(const char *path, uint64_t identity,
                                       int64_t *pos, struct ng__dupsketch *sk,
                                       struct ng__dupindex **ex);

/* Writes ix, its sketches sk and the exact-key tags ex (NULL: none) as
 * the image of store `identity` up to position pos: to a temporary file
 * beside `path`, renamed over it.
 * Returns 0 or -1 (nothing replaced then). */
int ng__dupimage_write(const char *path, uint64_t identity, int64_t pos,
                       const struct ng__dupindex *ix,
                       const struct ng__dupsketch *sk,
                       const struct ng__dupindex *ex);

/* Called by ng_store_close: a writable store whose items index is
 * loaded, complete (no open gaps, no open transaction) and grown well
 * past its image rewrites the image; one whose handle changed the
 * reference sources rewrites theirs ("<db>-fpx-src"). */
void ng__dup_close(ng_store *s);

/* Notes that this handle added (removed 0) or removed (1) reference
 * sources, so that ng__dup_close rewrites their image. */
void ng__dup_sources_changed(ng_store *s, int removed);

/* The items' exact-key tags held with their index (ng__dup_row_tags),
 * or NULL when it is not loaded or the backend answers exact look-ups
 * itself (ops->dup_exact). */
const struct ng__dupindex *ng__dup_exact_index(const ng_store *s);

/* 1 when the store's index is loaded. */
int ng__dup_loaded(const ng_store *s);

/* The sketches held with the index of either collection (loaded by
 * ng__dup_index_of), or NULL when it is not loaded. */
const struct ng__dupsketch *ng__dup_sketches(const ng_store *s, int kind);

/* Gap bookkeeping of a store's index state, for tests: open gaps and
 * the position read up to. */
size_t ng__dup_gaps(const ng_store *s);
int64_t ng__dup_position(const ng_store *s);

/* The store's index, loaded on first use and caught up with rows other
 * processes added.  Returns NULL (with *rc set) on failure. */
struct ng__dupindex *ng__dup_index(ng_store *s, int *rc);

/* The same for either collection: the items (NG__IX_ITEMS) or the
 * reference sources (NG__IX_SOURCES, ops->src_since); each has its
 * image. */
enum { NG__IX_ITEMS, NG__IX_SOURCES };
struct ng__dupindex *ng__dup_index_of(ng_store *s, int kind, int *rc);

/* The same for the look-ups of item `it`: the backend's change counter
 * is read once for all of them while the handle's generation stands (a
 * check sees the commits of other processes up to its first look-up,
 * as its memo keeps the answers).  Its own rows and transactions are
 * read as by ng__dup_index_of. */
struct ng__dupindex *ng__dup_index_for(ng_store *s, int kind, ng_item *it,
                                       int *rc);

/* Candidates for verification: the items of ix sharing the most
 * fingerprints with d (at least 3, or all of d's when it has fewer),
 * best first, other than `self` and, when `below` > 0, only ids below it
 * (a replay's horizon: filtered before the cap, so later items cannot
 * crowd out an earlier duplicate); at most NG__DUP_MAX_VERIFY into c.
 * Returns 0 or -1 on no memory. */
#define NG__DUP_MAX_VERIFY 8
typedef struct ng__dupcand {
    uint32_t id, shared;
} ng__dupcand;
int ng__dup_candidates(const struct ng__dupindex *ix, const ng__dupinfo *d,
                       int64_t self, int64_t below, ng__dupcand *c,
                       size_t *n);

/* Verifies a candidate's stored shingle blob (sh[0..n), text order unless
 * legacy) against d: fills *sim, *cover_a (d's words covered by it),
 * *cover_b (its words covered by d) and returns the similarity (see
 * ng__dup_score), or -1 on no memory. */
double ng__dup_compare(const ng__dupinfo *d, const uint32_t *sh, size_t n,
                       int legacy, ng__dupsim *sim, double *cover_a,
                       double *cover_b, size_t *nset);

/* Reads stored item or source `id` (kind NG__IX_ITEMS / NG__IX_SOURCES)
 * and compares it with d (as ng__dup_compare; the row's v1 sets are told
 * apart) through d's exact probe *exact, made on first use and kept
 * there for the look-up's next candidates (the caller frees it with
 * ng__dup_probe_free).  Returns NG_OK, NG_ENOTFOUND (no such row),
 * NG_ENOMEM or NG_ESTORE. */
int ng__dup_verify(ng_store *s, int kind, const ng__dupinfo *d,
                   ng__dupprobe **exact, int64_t id, ng__dupsim *sim,
                   double *cover_a, double *cover_b, double *score);

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

/* The two halves of ng__dup_nearest, so that several questions about one
 * item verify its candidates once: every verified candidate with a
 * similarity above 0, unsorted and not described; then those of `all`
 * with similarity >= min, best first, at most limit, described (into
 * out).  Return as ng__dup_nearest. */
int ng__dup_nearest_all(ng_store *s, ng_item *it, int64_t self,
                        ng__dupmatches *out);
int ng__dup_select(ng_store *s, const ng__dupmatches *all, double min,
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

/* The time history windows end at for this check of `it` on `s`: read
 * once when the check's memo starts, so every rule of one check sees the
 * same window (and the memo can answer repeated questions). */
int64_t ng__memo_now(ng_store *s, ng_item *it);

/* A number worked out from the store once per check under `key`:
 * get returns 1 with *v when kept, else 0; put keeps it (NG_OK or
 * NG_ENOMEM). */
int ng__memo_get_number(ng_store *s, ng_item *it, const char *key,
                        double *v);
int ng__memo_put_number(ng_store *s, ng_item *it, const char *key,
                        double v);

/* History counts (see ng__store_history). */
int ng__memo_history(ng_store *s, ng_item *it, const char *field,
                     const char *value, int64_t from, int64_t to,
                     int64_t cap, int64_t *count);

#endif
