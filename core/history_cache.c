/*
 * history_cache.c -- item:history counts kept on a writing store handle
 * from one item to the next.
 *
 * A history count is a range count (items of one submitter or domain
 * received in the last N hours), which a backend answers in time
 * proportional to the items in the range: with every submission of a
 * busy site counted, it was most of what filing an item cost (see
 * docs/benchmarks.md).  The writer asks the same question for item after
 * item, a moment apart, so the count is kept here and brought forward:
 * the items that left the window since (a short range, counted by the
 * backend) are taken off, and the items this handle filed since are
 * added as it files them (ng__histcache_filed).
 *
 * Rate-limit rules ask with a cap (item:history{up_to = N}): they only
 * need the count exact up to N.  A kept count is therefore either exact
 * or a lower bound (the backend stopped at the cap), and the backend is
 * always asked with the cap, so counting a window afresh walks no more
 * of it than the cap, however many items it holds (a flood, or a store
 * built in a burst); bringing a kept count forward walks only the items
 * that left the window since, each once.  A lower bound stays one as
 * items leave (less what left, counted no further than the margin above
 * the cap) and as items are filed (plus one); when it falls below the
 * cap, or a question without a cap comes, the backend is asked again.
 *
 * That is exact only while this handle is the only writer.  So the cache
 * asks the backend, before each use, whether another connection has
 * committed since (ops->others_version) and forgets everything when one
 * has, or when a transaction level of this handle rolls back (its items
 * were counted).  A backend that cannot tell leaves the cache unused.
 */
#include <stdlib.h>
#include <string.h>
#include "store_api.h"

#define SLOTS 64

typedef struct slot {
    char *field, *value;       /* NULL: free */
    int64_t span;              /* to - from of the questions it answers */
    int64_t from, to, count;   /* items received in [from, to] */
    int exact;                 /* 0: count is a lower bound (capped) */
    uint64_t used;             /* for replacing the least recently used */
} slot;

struct ng__histcache {
    slot v[SLOTS];
    uint64_t version, tick;
    int have_version;
};

static void clear(struct ng__histcache *c)
{
    for (size_t i = 0; i < SLOTS; i++) {
        free(c->v[i].field);
        free(c->v[i].value);
        c->v[i].field = c->v[i].value = NULL;
    }
}

void ng__histcache_free(struct ng__histcache *c)
{
    if (c) {
        clear(c);
        free(c);
    }
}

void ng__histcache_drop(ng_store *s)
{
    if (s->hist)
        clear(s->hist);
}

static slot *find(struct ng__histcache *c, const char *field,
                  const char *value, int64_t span)
{
    for (size_t i = 0; i < SLOTS; i++) {
        slot *e = &c->v[i];
        if (e->field && e->span == span && strcmp(e->field, field) == 0
            && strcmp(e->value, value) == 0)
            return e;
    }
    return NULL;
}

/* A free slot, or else the least recently used one. */
static slot *victim(struct ng__histcache *c)
{
    slot *e = &c->v[0];

    for (size_t i = 0; i < SLOTS; i++) {
        if (!c->v[i].field)
            return &c->v[i];
        if (c->v[i].used < e->used)
            e = &c->v[i];
    }
    return e;
}

/* Keeps a count the backend gave in slot e (NULL: a victim); on no
 * memory keeps nothing. */
static void put(struct ng__histcache *c, slot *e, const char *field,
                const char *value, int64_t from, int64_t to, int64_t n,
                int exact)
{
    if (!e)
        e = victim(c);
    free(e->field);
    free(e->value);
    e->field = strdup(field);
    e->value = strdup(value);
    if (!e->field || !e->value) {
        free(e->field);
        free(e->value);
        e->field = e->value = NULL;
        return;
    }
    e->span = to - from, e->from = from, e->to = to, e->count = n;
    e->exact = exact;
    e->used = ++c->tick;
}

/* The cache, made on first use and emptied when another connection has
 * committed since it was filled.  Returns NULL (use the backend) when
 * the backend cannot tell or on no memory. */
static struct ng__histcache *current(ng_store *s)
{
    struct ng__histcache *c = s->hist;
    uint64_t ver;

    if (!s->ops->others_version)
        return NULL;
    if (!c && !(c = s->hist = calloc(1, sizeof *c)))
        return NULL;
    if (s->ops->others_version(s, &ver) != NG_OK) {
        clear(c);   /* cannot tell: keep nothing, ask the backend */
        c->have_version = 0;
        return NULL;
    }
    if (!c->have_version || ver != c->version) {
        clear(c);
        c->version = ver;
        c->have_version = 1;
    }
    return c;
}

/* Moves slot e's window to start at `from`, taking off the items that
 * left it.  A lower bound at or above the cap needs them counted only up
 * to its margin over the cap: past that it falls below the cap anyway.
 * Sets *usable to whether the slot can answer a question with `cap`
 * (0: none) afterwards. */
static int bring_forward(ng_store *s, slot *e, int64_t from, int64_t cap,
                         int *usable)
{
    int64_t gone = 0, most = 0;
    int rc;

    *usable = 0;
    if (!e->exact) {
        if (cap == 0 || e->count < cap)
            return NG_OK;           /* not enough to answer: ask afresh */
        most = e->count - cap + 1;
    }
    if (from > e->from
        && (rc = s->ops->history(s, e->field, e->value, e->from, from - 1,
                                 most, &gone)) != NG_OK)
        return rc;
    e->count -= gone;
    e->from = from;
    *usable = e->exact || e->count >= cap;
    return NG_OK;
}

int ng__histcache_count(ng_store *s, const char *field, const char *value,
                        int64_t from, int64_t to, int64_t cap,
                        int64_t *count)
{
    int rc, usable = 0;
    struct ng__histcache *c = current(s);
    slot *e = c ? find(c, field, value, to - from) : NULL;

    /* Brought forward only while the window moves forward and overlaps
     * the one counted (otherwise: ask the backend afresh). */
    if (e && from >= e->from && to >= e->to && from <= e->to + 1
        && (rc = bring_forward(s, e, from, cap, &usable)) != NG_OK)
        return rc;
    if (usable) {
        e->to = to;
        e->used = ++c->tick;
        *count = cap > 0 && e->count > cap ? cap : e->count;
        return NG_OK;
    }
    rc = s->ops->history(s, field, value, from, to, cap, count);
    if (rc == NG_OK && c)
        put(c, e, field, value, from, to, *count, cap == 0 || *count < cap);
    return rc;
}

/* Counts one filing in the slot when it asks about this value. */
static void count_in(slot *e, const char *field, const char *value,
                     int64_t received)
{
    if (value && e->field && strcmp(e->field, field) == 0
        && strcmp(e->value, value) == 0 && received >= e->from) {
        e->count++;
        if (received > e->to)
            e->to = received;
    }
}

void ng__histcache_filed(ng_store *s, const char *submitter,
                         const char *domain, int64_t received)
{
    struct ng__histcache *c = s->hist;

    for (size_t i = 0; c && i < SLOTS; i++) {
        count_in(&c->v[i], "submitter", submitter, received);
        count_in(&c->v[i], "domain", domain, received);
    }
}
