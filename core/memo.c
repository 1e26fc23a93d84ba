/*
 * memo.c -- the per-check memo of store look-ups (see dup.h): several
 * rules asking item:same_url(), same_text(), same_title(), nearest{} or
 * history{} with the same arguments cost one query, and a number derived
 * from the store (the learner's spam probability) is worked out once.
 * Rules then have no reason to keep store answers in Lua across rules,
 * which a re-check (ng__engine_recheck) could not see: each rule asks,
 * and its run is marked as one that read the store.  The memo hangs on
 * the item's duplicate cache and is freed with the item; it is dropped
 * when asked through another store or after the store changed
 * (s->generation moves on every begin, commit and rollback).  Failed
 * look-ups are not kept.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dup.h"
#include "store_api.h"

#define MAX_ENTRIES 16

enum { K_URL, K_TEXT, K_TITLE, K_NEAR, K_NEAR_ALL, K_HISTORY, K_NUMBER };

typedef struct entry {
    int kind;
    size_t limit;
    double min;
    double number;              /* K_NUMBER: the value (not a key) */
    char *key;                  /* history: field "\n" value */
    int64_t from, to, count;
    ng__dupmatches m;
} entry;

struct ng__memo {
    const ng_store *s;
    uint64_t generation;
    int64_t now;                /* the check's clock for history windows */
    entry v[MAX_ENTRIES];
    size_t n;
};

static void clear(struct ng__memo *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].key);
        ng__dupmatches_free(&m->v[i].m);
    }
    m->n = 0;
}

void ng__memo_free(struct ng__memo *m)
{
    if (m) {
        clear(m);
        free(m);
    }
}

/* The item's memo, valid for store `s` as it is now; NULL on no memory. */
static struct ng__memo *memo_of(ng_store *s, ng_item *it)
{
    ng__dupinfo *d = ng__dup_cache(it);
    if (!d)
        return NULL;
    if (!d->memo && !(d->memo = calloc(1, sizeof *d->memo)))
        return NULL;
    struct ng__memo *m = d->memo;
    if (m->s != s || m->generation != s->generation) {
        clear(m);
        m->s = s;
        m->generation = s->generation;
        /* A replay checks each item as it arrived: its history windows
         * end at the item's arrival, not at the time of the replay. */
        m->now = s->horizon > 0 && s->horizon_at > 0 ? s->horizon_at
                                                     : (int64_t)time(NULL);
    }
    return m;
}

int64_t ng__memo_now(ng_store *s, ng_item *it)
{
    struct ng__memo *m = memo_of(s, it);
    return m ? m->now : (int64_t)time(NULL);
}

static entry *find(struct ng__memo *m, int kind, size_t limit, double min,
                   const char *key, int64_t from, int64_t to)
{
    for (size_t i = 0; i < m->n; i++) {
        entry *e = &m->v[i];
        if (e->kind == kind && e->limit == limit && e->min == min
            && e->from == from && e->to == to
            && (!key || (e->key && strcmp(e->key, key) == 0)))
            return e;
    }
    return NULL;
}

/* A new entry (the oldest is reused when full). */
static entry *add(struct ng__memo *m, int kind, size_t limit, double min,
                  int64_t from, int64_t to)
{
    if (m->n == MAX_ENTRIES) {
        free(m->v[0].key);
        ng__dupmatches_free(&m->v[0].m);
        memmove(m->v, m->v + 1, (MAX_ENTRIES - 1) * sizeof *m->v);
        m->n--;
    }
    entry *e = &m->v[m->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->limit = limit;
    e->min = min;
    e->from = from;
    e->to = to;
    return e;
}

/* Drops the entry just added (its look-up failed). */
static void drop_last(struct ng__memo *m)
{
    entry *e = &m->v[--m->n];
    free(e->key);
    ng__dupmatches_free(&e->m);
}

int ng__memo_exact(ng_store *s, ng_item *it, const char *kind,
                   size_t limit, const ng__dupmatches **out)
{
    int k = strcmp(kind, "url") == 0 ? K_URL
            : strcmp(kind, "text") == 0 ? K_TEXT
            : strcmp(kind, "title") == 0 ? K_TITLE : -1;
    struct ng__memo *m = memo_of(s, it);
    entry *e;

    *out = NULL;
    if (k < 0)
        return NG_EINVAL;
    if (!m)
        return NG_ENOMEM;
    if (!(e = find(m, k, limit, 0, NULL, 0, 0))) {
        e = add(m, k, limit, 0, 0, 0);
        int rc = ng__dup_exact(s, it, kind, 0, limit, &e->m);
        if (rc != NG_OK) {
            drop_last(m);
            return rc;
        }
    }
    *out = &e->m;
    return NG_OK;
}

int ng__memo_nearest(ng_store *s, ng_item *it, double min, size_t limit,
                     const ng__dupmatches **out)
{
    struct ng__memo *m = memo_of(s, it);
    entry *e;

    *out = NULL;
    if (!m)
        return NG_ENOMEM;
    if (!(e = find(m, K_NEAR, limit, min, NULL, 0, 0))) {
        /* The candidates are verified once per item (K_NEAR_ALL); each
         * (min, limit) only selects from them.  The entry is looked up
         * again after add(), which may move entries when full. */
        entry *all = find(m, K_NEAR_ALL, 0, 0, NULL, 0, 0);
        int rc = NG_OK;
        if (!all) {
            all = add(m, K_NEAR_ALL, 0, 0, 0, 0);
            if ((rc = ng__dup_nearest_all(s, it, 0, &all->m)) != NG_OK) {
                drop_last(m);
                return rc;
            }
        }
        e = add(m, K_NEAR, limit, min, 0, 0);
        all = find(m, K_NEAR_ALL, 0, 0, NULL, 0, 0);
        rc = all ? ng__dup_select(s, &all->m, min, limit, &e->m)
                 : ng__dup_nearest(s, it, 0, min, limit, &e->m);
        if (rc != NG_OK) {
            drop_last(m);
            return rc;
        }
    }
    *out = &e->m;
    return NG_OK;
}

int ng__memo_history(ng_store *s, ng_item *it, const char *field,
                     const char *value, int64_t from, int64_t to,
                     int64_t cap, int64_t *count)
{
    struct ng__memo *m = memo_of(s, it);
    size_t lf = strlen(field), lv = strlen(value);
    char *key = malloc(lf + lv + 2);
    entry *e;

    *count = 0;
    if (!m || !key) {
        free(key);
        return NG_ENOMEM;
    }
    memcpy(key, field, lf);
    key[lf] = '\n';
    memcpy(key + lf + 1, value, lv + 1);
    if ((e = find(m, K_HISTORY, (size_t)cap, 0, key, from, to))) {
        free(key);
        *count = e->count;
        return NG_OK;
    }
    int rc = ng__store_history(s, field, value, from, to, cap, count);
    if (rc == NG_OK) {
        e = add(m, K_HISTORY, (size_t)cap, 0, from, to);
        e->key = key;
        e->count = *count;
    } else {
        free(key);
    }
    return rc;
}

int ng__memo_get_number(ng_store *s, ng_item *it, const char *key, double *v)
{
    struct ng__memo *m = memo_of(s, it);
    entry *e = m ? find(m, K_NUMBER, 0, 0, key, 0, 0) : NULL;

    if (e)
        *v = e->number;
    return e != NULL;
}

int ng__memo_put_number(ng_store *s, ng_item *it, const char *key, double v)
{
    struct ng__memo *m = memo_of(s, it);
    char *k = strdup(key);
    entry *e;

    if (!m || !k) {
        free(k);
        return NG_ENOMEM;
    }
    e = add(m, K_NUMBER, 0, 0, 0, 0);
    e->key = k;
    e->number = v;
    return NG_OK;
}
