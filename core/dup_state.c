/*
 * dup_state.c -- keeps a store's in-memory near-duplicate index current
 * with what every writer committed, reading the backend's duplicate-key
 * log through the operations table (ops->dup_since).  The backend hands
 * out rows; this file decides what the index holds.
 *
 * Catch-up by commit-log position.  Each stored key row has a position in
 * the backend's log (SQLite: the item id, since one writer assigns ids in
 * commit order; a server database: a sequence).  With several writers a
 * position can become visible after a higher one (writer A takes 10,
 * writer B takes 11 and commits first), so "rows after the highest
 * position seen" would lose 10 forever.  So a jump over missing positions
 * opens gaps; the next catch-up reads from just below the lowest open gap
 * and takes a row at or below the high mark only when it fills a gap.
 * Gaps close when filled or, after NG__DUP_GAP_TTL seconds, as rolled
 * back; at most MAX_GAPS stay open (the oldest go first).  While a gap is
 * open each catch-up re-reads the rows above it (skipping them), so gaps
 * cost reads only while they are young and few.
 *
 * Transactions.  Inside a write transaction the catch-up also reads this
 * writer's own uncommitted rows (a batch must see its earlier items).
 * Every index entry added at an open level is logged; rolling the level
 * back removes those entries and restores the position and gaps saved at
 * its start, so ids a rolled-back insert used (and SQLite hands out
 * again) are read afresh -- no need to drop and reload the index.
 *
 * Sketches.  Each row's verification sketch goes into the sketch table
 * held beside the index (dup_sketch.c), under the same undo log; the
 * image carries both.
 *
 * Exact keys.  With a backend that hands out the items' exact keys with
 * their rows (no ops->dup_exact: SQLite from schema v13), a second index
 * beside the fingerprints holds each item's exact-key tags
 * (ng__dup_row_tags), under the same undo log and in the same image, so
 * item:same_url/same_text/same_title read memory, caught up exactly as
 * the near-duplicate look-ups are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dup.h"
#include "grow.h"
#include "store_api.h"
#include "store.h"

#define MAX_GAPS 1024
#define BULK_MIN 4096   /* rows from which a load sorts in one go */

typedef struct gap { int64_t pos, since; } gap;
typedef struct undo {
    uint32_t id;
    uint32_t *fps;
    size_t n;
    uint32_t tags[NG__DUP_NTAGS];   /* its exact keys' tags (items) */
    size_t ntags;
} undo;

/* What a transaction level restores when it is rolled back. */
typedef struct level {
    int64_t pos;
    gap *gaps;          /* copy, or NULL when none were open */
    size_t ngaps, nundo;
} level;

struct ng__dupstate {
    int kind;                   /* NG__IX_ITEMS or NG__IX_SOURCES */
    struct ng__dupindex *ix;    /* NULL until first use */
    struct ng__dupindex *ex;    /* items: the exact keys' tags, loaded with
                                   ix, when the backend has no dup_exact
                                   (core answers those look-ups) */
    struct ng__dupsketch *sk;   /* the rows' sketches, loaded with ix */
    int loaded_at;              /* transaction depth when ix was loaded */
    int64_t pos;                /* highest position read */
    gap *gaps;
    size_t ngaps;
    undo *undo;
    size_t nundo, capundo;
    level *lv;
    size_t nlv, caplv;
    size_t image_count;         /* items in the image loaded, or 0 */
    int polled;                 /* ver and gen below say when the log was
                                   last read in full */
    uint64_t ver;               /* ops->others_version then */
    uint64_t gen;               /* s->generation then */
    int changed;                /* sources: this handle added (1) or
                                   removed (2) some; its image is
                                   rewritten on close */
};

/* Frees the undo entries above `keep`. */
static void undo_cut(struct ng__dupstate *st, size_t keep)
{
    while (st->nundo > keep)
        free(st->undo[--st->nundo].fps);
}

static void unload(struct ng__dupstate *st)
{
    ng__dupsketch_free(st->sk);     /* before the mapping its image */
    st->sk = NULL;                  /* layer lies in (owned by ix) */
    ng__dupindex_free(st->ex);      /* likewise */
    st->ex = NULL;
    ng__dupindex_free(st->ix);
    st->ix = NULL;
    st->pos = 0;
    st->image_count = 0;
    st->polled = 0;
    free(st->gaps);
    st->gaps = NULL;
    st->ngaps = 0;
    undo_cut(st, 0);
}

void ng__dupstate_free(struct ng__dupstate *st)
{
    if (!st)
        return;
    unload(st);
    for (size_t i = 0; i < st->nlv; i++)
        free(st->lv[i].gaps);
    free(st->lv);
    undo_cut(st, 0);
    free(st->undo);
    free(st);
}

static struct ng__dupstate *state(ng_store *s, int kind)
{
    struct ng__dupstate **slot = kind == NG__IX_SOURCES ? &s->src : &s->dup;
    if (!*slot && (*slot = calloc(1, sizeof **slot)))
        (*slot)->kind = kind;
    return *slot;
}

/* ---- gaps ------------------------------------------------------------ */

/* Closes the gap at `pos`; returns 1 when there was one. */
static int take_gap(struct ng__dupstate *st, int64_t pos)
{
    for (size_t i = 0; i < st->ngaps; i++)
        if (st->gaps[i].pos == pos) {
            st->gaps[i] = st->gaps[--st->ngaps];
            return 1;
        }
    return 0;
}

/* Opens gaps for the positions in (from, to), newest MAX_GAPS kept. */
static void open_gaps(struct ng__dupstate *st, int64_t from, int64_t to,
                      int64_t now)
{
    if (to - from - 1 > MAX_GAPS)
        from = to - MAX_GAPS - 1;
    for (int64_t p = from + 1; p < to; p++) {
        if (st->ngaps == MAX_GAPS) {
            size_t old = 0;     /* drop the lowest position */
            for (size_t i = 1; i < st->ngaps; i++)
                if (st->gaps[i].pos < st->gaps[old].pos)
                    old = i;
            st->gaps[old] = st->gaps[--st->ngaps];
        }
        if (!st->gaps && !(st->gaps = malloc(MAX_GAPS * sizeof *st->gaps)))
            return;     /* no memory: the gap is given up */
        st->gaps[st->ngaps++] = (gap){ p, now };
    }
}

/* Gives up gaps older than the TTL; returns the position to read after. */
static int64_t read_from(struct ng__dupstate *st, int64_t now)
{
    int64_t from = st->pos;
    for (size_t i = 0; i < st->ngaps;) {
        if (now - st->gaps[i].since > NG__DUP_GAP_TTL) {
            st->gaps[i] = st->gaps[--st->ngaps];
            continue;
        }
        if (st->gaps[i].pos - 1 < from)
            from = st->gaps[i].pos - 1;
        i++;
    }
    return from;
}

/* ---- catch-up ---------------------------------------------------------- */

typedef struct batch {
    struct ng__dupstate *st;
    int64_t now;
    uint32_t *ids, *fps;
    size_t *off;                /* item i: fps[off[i] .. off[i + 1]) */
    size_t n, cap, capo, capf;  /* capacities: ids, off, fps */
    uint32_t *tags;             /* with st->ex: item i's exact-key tags */
    size_t *toff;               /* tags[toff[i] .. toff[i + 1]) */
    size_t capto, capt;
} batch;

static int sorted(const uint32_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i - 1] >= v[i])
            return 0;
    return 1;
}

/* Appends row r's exact-key tags for item b->n to the batch (before
 * keep_row counts the item).  Returns 0 or -1 on no memory. */
static int keep_tags(batch *b, const ng__dupfp_row *r)
{
    uint32_t t[NG__DUP_NTAGS];
    size_t nt = ng__dup_row_tags(r->url_canon, r->text_hash, r->title_hash,
                                 t);
    size_t used = b->n ? b->toff[b->n] : 0;
    if (ng__grow(&b->toff, &b->capto, b->n + 1, 1, sizeof *b->toff, 64) < 0
        || ng__grow(&b->tags, &b->capt, used, nt + 1, sizeof *b->tags,
                    256) < 0)
        return -1;
    b->toff[b->n] = used;
    memcpy(b->tags + used, t, nt * sizeof *t);
    b->toff[b->n + 1] = used + nt;
    return 0;
}

/* Appends one row's fingerprints (sampled first from a raw shingle
 * set) to the batch. */
static int keep_row(batch *b, const ng__dupfp_row *r)
{
    /* A sketch of a damaged length is no sketch (verified from the row). */
    if (r->sketch && r->nsketch % NG__DUP_SKETCH_BYTES == 0
        && ng__dupsketch_add(b->st->sk, (uint32_t)r->id, r->sketch,
                             r->nsketch / NG__DUP_SKETCH_BYTES) < 0)
        return NG_ENOMEM;
    uint32_t *sampled = NULL;
    const uint32_t *fps = r->fps;
    size_t n = r->nfps;
    if (r->raw) {
        /* A row from before v3: its shingle set (sorted then; sorted again so
         * nothing depends on it) is sampled as a v2 row would have been. */
        uint32_t *set = malloc((n + 1) * sizeof *set);
        if (!set)
            return NG_ENOMEM;
        memcpy(set, r->fps, n * sizeof *set);
        n = ng__dup_set(set, n);
        int rc = ng__dup_sample(set, n, &sampled, &n);
        free(set);
        if (rc < 0)
            return NG_ENOMEM;
        fps = sampled;
    } else if (!sorted(fps, n)) {
        /* The index needs each item's fingerprints sorted and distinct;
         * core writes them so, a damaged or foreign row is repaired. */
        if (!(sampled = malloc((n + 1) * sizeof *sampled)))
            return NG_ENOMEM;
        memcpy(sampled, fps, n * sizeof *fps);
        n = ng__dup_set(sampled, n);
        fps = sampled;
    }
    size_t used = b->n ? b->off[b->n] : 0;
    int rc = NG_ENOMEM;
    if (b->st->ex && keep_tags(b, r) < 0) {
        free(sampled);
        return NG_ENOMEM;
    }
    if (ng__grow(&b->ids, &b->cap, b->n, 1, sizeof *b->ids, 64) == 0
        && ng__grow(&b->off, &b->capo, b->n + 1, 1, sizeof *b->off, 64) == 0
        && ng__grow(&b->fps, &b->capf, used, n + 1, sizeof *b->fps,
                    1024) == 0) {
        b->off[b->n] = used;
        if (n)          /* a row without fingerprints may have no array */
            memcpy(b->fps + used, fps, n * sizeof *fps);
        b->ids[b->n++] = (uint32_t)r->id;
        b->off[b->n] = used + n;
        rc = NG_OK;
    }
    free(sampled);
    return rc;
}

static int on_row(void *arg, const ng__dupfp_row *r)
{
    batch *b = arg;
    struct ng__dupstate *st = b->st;

    if (r->pos <= st->pos) {
        if (!take_gap(st, r->pos))
            return NG_OK;       /* already in the index */
    } else {
        /* Only between rows seen: positions below the first row of a
         * fresh load are not waited for (a log need not start at 1). */
        if (st->pos > 0)
            open_gaps(st, st->pos, r->pos, b->now);
        st->pos = r->pos;
    }
    if (r->id <= 0 || r->id > UINT32_MAX)
        return NG_OK;           /* a damaged row costs its own look-ups */
    return keep_row(b, r);
}

/* Adds row i of the batch, logging it for the open transaction level. */
static int add_logged(struct ng__dupstate *st, const batch *b, size_t i)
{
    uint32_t id = b->ids[i];
    const uint32_t *fps = b->fps + b->off[i];
    size_t n = b->off[i + 1] - b->off[i];
    const uint32_t *tags = st->ex ? b->tags + b->toff[i] : NULL;
    size_t nt = st->ex ? b->toff[i + 1] - b->toff[i] : 0;
    if (st->loaded_at < (int)st->nlv) {
        if (ng__grow(&st->undo, &st->capundo, st->nundo, 1,
                     sizeof *st->undo, 16) < 0)
            return -1;
        undo *u = &st->undo[st->nundo];
        if (!(u->fps = malloc((n + 1) * sizeof *fps)))
            return -1;
        memcpy(u->fps, fps, n * sizeof *fps);
        if (nt)
            memcpy(u->tags, tags, nt * sizeof *tags);
        u->id = id;
        u->n = n;
        u->ntags = nt;
        st->nundo++;
    }
    if (st->ex && ng__dupindex_add(st->ex, id, tags, nt) < 0)
        return -1;
    return ng__dupindex_add(st->ix, id, fps, n);
}

/* 1 when the batch's ids ascend and all lie above those indexed: the
 * bulk load keeps each fingerprint's ids in order then. */
static int ascending_above(const struct ng__dupstate *st, const batch *b)
{
    if ((int64_t)b->ids[0] <= ng__dupindex_maxid(st->ix))
        return 0;
    for (size_t i = 1; i < b->n; i++)
        if (b->ids[i - 1] >= b->ids[i])
            return 0;
    return 1;
}

/* Many rows into an index loaded at this level (the first load) are
 * sorted in one go; so are the many rows left over when a first load
 * was cut short (by the check's deadline: then added row by row they
 * cost ~100 times more), provided no open transaction logs them and
 * they come after every id held.  A small delta is added row by row. */
static int apply(struct ng__dupstate *st, const batch *b, int fresh)
{
    if (b->n >= BULK_MIN
        && (fresh || (st->loaded_at >= (int)st->nlv
                      && ascending_above(st, b))))
        return ng__dupindex_bulk(st->ix, b->ids, b->off, b->fps, b->n) < 0
               || (st->ex && ng__dupindex_bulk(st->ex, b->ids, b->toff,
                                               b->tags, b->n) < 0) ? -1 : 0;
    for (size_t i = 0; i < b->n; i++)
        if (add_logged(st, b, i) < 0)
            return -1;
    return 0;
}

/* The image file of a store's index of `kind` ("<db>-fpx" for items,
 * "<db>-fpx-src" for sources), or 0 when it keeps none (no identity, a
 * path that is not a file). */
static int image_of(ng_store *s, int kind, char *path, size_t len,
                    uint64_t *id)
{
    const char *suffix = kind == NG__IX_SOURCES ? "-fpx-src" : "-fpx";
    if (!s->ops->dup_identity || !s->path || s->path[0] == ':'
        || strncmp(s->path, "file:", 5) == 0
        || snprintf(path, len, "%s%s", s->path, suffix) >= (int)len)
        return 0;
    return s->ops->dup_identity(s, id) == NG_OK;
}

/* Maps the store's image into st when there is a usable one (with the
 * exact keys when `exact`). */
static void from_image(ng_store *s, struct ng__dupstate *st, int exact)
{
    char path[4096];
    uint64_t id;
    int64_t pos;
    if (image_of(s, st->kind, path, sizeof path, &id)
        && (st->ix = ng__dupimage_load(path, id, &pos, st->sk,
                                       exact ? &st->ex : NULL))) {
        st->pos = pos;
        st->image_count = ng__dupindex_count(st->ix);
    }
}

/* 1 when st's index holds exactly the committed rows up to its position
 * (no open gap, no open transaction), so it may be written as an image. */
static int complete(const struct ng__dupstate *st)
{
    return st && st->ix && !st->nlv && !st->ngaps
           && ng__dupindex_maxid(st->ix) <= st->pos;
}

/* The items' image is rewritten when the items since it are many: a
 * delta of a few thousand rows is caught up in milliseconds at
 * start-up. */
static void close_items(ng_store *s, struct ng__dupstate *st)
{
    char path[4096];
    uint64_t id;
    if (!complete(st))
        return;
    size_t n = ng__dupindex_count(st->ix), grown = n - st->image_count;
    if (st->image_count && grown < 4096 && grown < n / 64)
        return;
    if (grown && image_of(s, NG__IX_ITEMS, path, sizeof path, &id))
        (void)ng__dupimage_write(path, id, st->pos, st->ix, st->sk, st->ex);
}

/* The sources' image is rewritten by the handle that changed them
 * (`sources add` and `remove`): every `check` would otherwise read and
 * sort all their fingerprints, ~50 ms at 10,000 sources.  After a
 * removal it is made from the rows alone (an index keeps what it read),
 * so removed sources leave it. */
static void close_sources(ng_store *s, struct ng__dupstate *st)
{
    char path[4096];
    uint64_t id;
    int rc;
    if (!st || !st->changed || !image_of(s, NG__IX_SOURCES, path,
                                         sizeof path, &id))
        return;
    if (st->changed == 2) {
        unload(st);
        unlink(path);
    }
    if (ng__dup_index_of(s, NG__IX_SOURCES, &rc) && complete(st))
        (void)ng__dupimage_write(path, id, st->pos, st->ix, st->sk, NULL);
}

void ng__dup_close(ng_store *s)
{
    if (ng__store_readonly(s))
        return;
    close_items(s, s->dup);
    close_sources(s, s->src);
}

void ng__dup_sources_changed(ng_store *s, int removed)
{
    struct ng__dupstate *st = state(s, NG__IX_SOURCES);
    if (st && st->changed < 2)
        st->changed = removed ? 2 : 1;
}

/* 1 when the log need not be read again: it was read in full at this
 * generation of the handle (no begin, commit or rollback since), no
 * transaction of ours is open (our own rows may be added inside one), no
 * gap is waiting and no other connection has committed since (the
 * backend's change counter).  *ver is the counter read now, to keep
 * after the read: read before it, so that a commit racing the read is
 * seen by the next call. */
static int log_unchanged(ng_store *s, const struct ng__dupstate *st,
                         ng__dupinfo *d, uint64_t *ver, int *have)
{
    *have = 0;
    if (s->depth == 0 && s->ops->others_version) {
        if (d && d->ver_store == s && d->ver_gen == s->generation) {
            *ver = d->ver;      /* read by this item's first look-up */
            *have = 1;
        } else if (s->ops->others_version(s, ver) == NG_OK) {
            *have = 1;
            if (d) {
                d->ver_store = s;
                d->ver_gen = s->generation;
                d->ver = *ver;
            }
        }
    }
    return *have && st->ix && st->polled && st->ngaps == 0
           && st->gen == s->generation && st->ver == *ver;
}

struct ng__dupindex *ng__dup_index(ng_store *s, int *rc)
{
    return ng__dup_index_of(s, NG__IX_ITEMS, rc);
}

struct ng__dupindex *ng__dup_index_of(ng_store *s, int kind, int *rc)
{
    return ng__dup_index_for(s, kind, NULL, rc);
}

struct ng__dupindex *ng__dup_index_for(ng_store *s, int kind, ng_item *it,
                                       int *rc)
{
    struct ng__dupstate *st = state(s, kind);
    int (*since)(ng_store *, int64_t, ng__dupfp_fn, void *) =
        kind == NG__IX_SOURCES ? s->ops->src_since : s->ops->dup_since;
    *rc = NG_ENOMEM;
    if (!st)
        return NULL;
    if (!since) {
        *rc = ng__store_fail(s, NG_EINVAL, "this store keeps no sources");
        return NULL;
    }
    uint64_t ver;
    int have;
    if (log_unchanged(s, st, it ? ng__dup_cache(it) : NULL, &ver, &have)) {
        *rc = NG_OK;
        return st->ix;
    }
    st->polled = 0;
    int fresh = !st->ix, exact = kind == NG__IX_ITEMS && !s->ops->dup_exact;
    if (fresh) {
        st->loaded_at = (int)st->nlv;
        st->image_count = 0;
        if (!(st->sk = ng__dupsketch_new()))
            return NULL;
        from_image(s, st, exact);
        if (st->ix) {
            fresh = 0;          /* the delta is added row by row */
        } else if (!(st->ix = ng__dupindex_new())
                   || (exact && !(st->ex = ng__dupindex_new()))) {
            unload(st);
            return NULL;
        }
    }
    batch b = { .st = st, .now = (int64_t)time(NULL) };
    *rc = since(s, read_from(st, b.now), on_row, &b);
    /* A read stopped by the check's deadline (or any store error) still
     * applies the rows it got: position and gaps already count them. */
    int lost = *rc == NG_ENOMEM;
    if (!lost && b.n && apply(st, &b, fresh) < 0) {
        *rc = ng__store_fail(s, NG_ENOMEM, "duplicate index: no memory");
        lost = 1;
    }
    free(b.ids);
    free(b.off);
    free(b.fps);
    free(b.tags);
    free(b.toff);
    if (lost)
        unload(st);     /* reloads whole on next use */
    if (*rc == NG_OK && have) {
        st->polled = 1;
        st->ver = ver;
        st->gen = s->generation;
    }
    return *rc == NG_OK ? st->ix : NULL;
}

/* ---- transactions ---------------------------------------------------- */

static void txn(struct ng__dupstate *st, int depth, int event);

static void level_begin(struct ng__dupstate *st)
{
    if (ng__grow(&st->lv, &st->caplv, st->nlv, 1, sizeof *st->lv, 4) < 0) {
        unload(st);     /* cannot undo later: start from scratch */
        return;
    }
    level *l = &st->lv[st->nlv++];
    l->pos = st->pos;
    l->nundo = st->nundo;
    l->ngaps = st->ngaps;
    l->gaps = NULL;
    if (st->ngaps && (l->gaps = malloc(st->ngaps * sizeof *l->gaps)))
        memcpy(l->gaps, st->gaps, st->ngaps * sizeof *l->gaps);
    else if (st->ngaps)
        unload(st);
}

static void level_rollback(struct ng__dupstate *st, level *l)
{
    if (st->ix && (int)st->nlv + 1 > st->loaded_at) {
        for (size_t i = st->nundo; i > l->nundo; i--) {
            undo *u = &st->undo[i - 1];
            ng__dupindex_remove(st->ix, u->id, u->fps, u->n);
            if (st->ex)
                ng__dupindex_remove(st->ex, u->id, u->tags, u->ntags);
            ng__dupsketch_remove(st->sk, u->id);
        }
        undo_cut(st, l->nundo);
        st->pos = l->pos;
        st->ngaps = l->ngaps;
        if (l->ngaps)
            memcpy(st->gaps, l->gaps, l->ngaps * sizeof *l->gaps);
    } else if (st->ix) {
        unload(st);     /* loaded inside the level: its reads are void */
    }
}

void ng__dup_txn(ng_store *s, int depth, int event)
{
    txn(state(s, NG__IX_ITEMS), depth, event);
    txn(state(s, NG__IX_SOURCES), depth, event);
}

static void txn(struct ng__dupstate *st, int depth, int event)
{
    if (!st)
        return;
    if (event == NG__TXN_BEGIN) {
        level_begin(st);
        return;
    }
    if (st->nlv == 0 || (int)st->nlv != depth)
        return;
    level *l = &st->lv[--st->nlv];
    if (event == NG__TXN_ROLLBACK)
        level_rollback(st, l);
    else if (st->nlv == 0)
        undo_cut(st, 0);    /* committed for good */
    free(l->gaps);
    l->gaps = NULL;
}

const struct ng__dupsketch *ng__dup_sketches(const ng_store *s, int kind)
{
    const struct ng__dupstate *st = kind == NG__IX_SOURCES ? s->src : s->dup;
    return st ? st->sk : NULL;
}

const struct ng__dupindex *ng__dup_exact_index(const ng_store *s)
{
    return s && s->dup ? s->dup->ex : NULL;
}

int ng__dup_loaded(const ng_store *s)
{
    return s && s->dup && s->dup->ix;
}

size_t ng__dup_gaps(const ng_store *s)
{
    return s && s->dup ? s->dup->ngaps : 0;
}

int64_t ng__dup_position(const ng_store *s)
{
    return s && s->dup ? s->dup->pos : 0;
}
