/*
 * learn.c -- the spam learner's tokens and training: turning an item into
 * its set of token hashes, the key it is learned under, and learning it
 * as spam or ham through the store's backend table.
 *
 * Tokens come from the item's cached analysis (item.h): the case-folded
 * words are not normalized again here.  Each kind of token hashes with
 * its own XXH3 seed, so the word "com" and the host "com" never meet.
 * The classification side (the in-memory table, Robinson and Fisher)
 * lives in learn_table.c.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>
#include "learn.h"
#include "item.h"
#include "store_api.h"

#define SEED_WORD 0x6e67776f7264ULL   /* "ngword" */
#define SEED_PAIR 0x6e6770616972ULL   /* "ngpair" */
#define SEED_HOST 0x6e67686f7374ULL   /* "nghost" */
#define SEED_META 0x6e676d657461ULL   /* "ngmeta" */
#define SEED_KEY  0x6e676b6579ULL     /* "ngkey" */

/* Words longer than this (bytes) are ids and hashes, not words. */
#define MAX_WORD 40

void ng__tokens_free(ng__tokens *t)
{
    if (!t)
        return;
    free(t->v);
    free(t->set);
    memset(t, 0, sizeof *t);
}

/* Makes room for `n` tokens and a set of at least twice that, cleared.
 * Returns NG_OK or NG_ENOMEM. */
static int tokens_reserve(ng__tokens *t, size_t n)
{
    size_t setcap = 64;

    while (setcap < 2 * n)
        setcap *= 2;
    if (n > t->cap) {
        uint64_t *v = realloc(t->v, n * sizeof *v);
        if (!v)
            return NG_ENOMEM;
        t->v = v, t->cap = n;
    }
    if (setcap > t->setcap) {
        uint64_t *set = realloc(t->set, setcap * sizeof *set);
        if (!set)
            return NG_ENOMEM;
        t->set = set, t->setcap = setcap;
    }
    memset(t->set, 0, t->setcap * sizeof *t->set);
    t->n = 0;
    return NG_OK;
}

/* Adds `h` unless the item already has it.  0 marks an empty slot, so a
 * hash of 0 is taken as 1. */
static void add(ng__tokens *t, uint64_t h)
{
    size_t mask = t->setcap - 1;

    h += h == 0;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        if (t->set[i] == h)
            return;
        if (t->set[i] == 0) {
            t->set[i] = h;
            t->v[t->n++] = h;
            return;
        }
    }
}

/* A pair's token from its words' hashes: the splitmix64 finalizer over
 * an order-dependent combination (cheaper than hashing the bytes again). */
static uint64_t pair_hash(uint64_t a, uint64_t b)
{
    uint64_t x = (a ^ SEED_PAIR) * 0x9E3779B97F4A7C15ULL + b;

    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* Words and neighbouring pairs; a long word breaks the chain. */
static void add_words(ng__tokens *t, const ng__word *w, size_t n,
                      const char *folded)
{
    uint64_t prev = 0;

    for (size_t i = 0; i < n; i++) {
        const char *s = folded + w[i].off;
        if (w[i].len > MAX_WORD) {
            prev = 0;
            continue;
        }
        uint64_t h = XXH3_64bits_withSeed(s, w[i].len, SEED_WORD);
        add(t, h);
        if (prev)
            add(t, pair_hash(prev, h));
        prev = h;
    }
}

/* Hosts of the links, with their parent domain, and how many links. */
static void add_hosts(ng__tokens *t, const ng__strlist *d, size_t nlinks)
{
    unsigned char bucket = (unsigned char)(nlinks > 3 ? 3 : nlinks);

    add(t, XXH3_64bits_withSeed(&bucket, 1, SEED_META));
    for (size_t i = 0; i < d->n; i++) {
        const char *h = d->v[i];
        add(t, XXH3_64bits_withSeed(h, strlen(h), SEED_HOST));
        const char *dot = strchr(h, '.');
        if (dot && strchr(dot + 1, '.'))
            add(t, XXH3_64bits_withSeed(dot + 1, strlen(dot + 1),
                                        SEED_HOST));
    }
}

int ng__learn_tokens(ng_item *it, ng__tokens *t)
{
    const char *folded;
    size_t n;
    const ng__word *w = ng__item_words(it, &n, &folded);
    const ng__strlist *links = ng__item_links(it);
    const ng__strlist *domains = ng__item_domains(it);

    if (!w)
        return NG_ENOMEM;
    if (!links || !domains)
        return NG_ENOMEM;
    if (tokens_reserve(t, 2 * n + 2 * domains->n + 1) != NG_OK)
        return NG_ENOMEM;
    add_words(t, w, n, folded);
    add_hosts(t, domains, links->n);
    return NG_OK;
}

int ng__learn_key(ng_item *it, uint64_t *key)
{
    size_t len;
    const char *text = ng__item_text(it, &len);

    *key = 0;
    if (!text)
        return NG_ENOMEM;
    *key = XXH3_64bits_withSeed(text, len, SEED_KEY);
    return NG_OK;
}

int ng__learn_state_of(ng_store *s, ng__learn_state *st)
{
    uint64_t ver = 0;
    memset(st, 0, sizeof *st);
    if (!s)
        return NG_EINVAL;
    /* The state is asked for on every spam_probability (a query each);
     * it cannot change while no one commits, which the backend's change
     * counter and the handle's generation tell for less.  Outside a
     * transaction only: inside, our own writes count. */
    int have = s->depth == 0 && s->ops->others_version
               && s->ops->others_version(s, &ver) == NG_OK;
    if (have && s->learned.ok && s->learned.ver == ver
        && s->learned.gen == s->generation) {
        *st = s->learned.st;
        return NG_OK;
    }
    int rc = s->ops->learn_state(s, st);
    s->learned.ok = have && rc == NG_OK;
    s->learned.ver = ver;
    s->learned.gen = s->generation;
    s->learned.st = *st;
    return rc;
}

int ng__learn_item(ng_store *s, ng_item *it, int spam, int *changed)
{
    ng__tokens t = { 0 };
    ng__learn_row row = { .spam = spam ? 1 : 0, .prev = -1,
                          .now = (int64_t)time(NULL) };
    int rc, was;

    *changed = 0;
    rc = ng__learn_key(it, &row.key);
    if (rc != NG_OK)
        return ng__store_fail(s, rc, "learn: out of memory");
    rc = s->ops->learned_get(s, row.key, &was);
    if (rc == NG_OK && was == row.spam)
        return NG_OK;               /* already learned as this class */
    if (rc != NG_OK && rc != NG_ENOTFOUND)
        return rc;
    row.prev = rc == NG_OK ? was : -1;
    if (ng__learn_tokens(it, &t) != NG_OK) {
        ng__tokens_free(&t);
        return ng__store_fail(s, NG_ENOMEM, "learn: out of memory");
    }
    row.tokens = t.v;
    row.ntokens = t.n;
    rc = s->ops->learn(s, &row);
    ng__tokens_free(&t);
    if (rc == NG_OK)
        *changed = row.prev == -1 ? 1 : 2;
    return rc;
}

/* Copies the stored item's JSON out of a `show` row. */
static int take_item_json(void *arg, const ng__show_row *r)
{
    char **out = arg;

    if (!r->item_json)
        return NG_ENOTFOUND;
    *out = strdup(r->item_json);
    return *out ? NG_OK : NG_ENOMEM;
}

int ng__learn_stored(ng_store *s, int64_t id, int spam, int *changed)
{
    char *json = NULL;
    ng_reader *r = NULL;
    ng_item *it = NULL;
    int rc = s->ops->show(s, id, take_item_json, &json);

    *changed = 0;
    if (rc == NG_OK && !json)
        rc = ng__store_fail(s, NG_ENOTFOUND, "item %lld has no stored item",
                            (long long)id);
    if (rc == NG_OK && (ng_reader_open(&r, "stored item", json, strlen(json),
                                       NG_FORMAT_JSON, NULL) != NG_OK
                        || ng_reader_next(r, &it) != NG_OK))
        rc = ng__store_fail(s, NG_EINTERNAL, "item %lld: stored item does "
                            "not read back: %s", (long long)id,
                            r ? ng_reader_errmsg(r) : "out of memory");
    if (rc == NG_OK)
        rc = ng__learn_item(s, it, spam, changed);
    ng_item_free(it);
    ng_reader_close(r);
    free(json);
    return rc;
}

int ng_learn(ng_store *s, ng_item *item, int spam, int *changed)
{
    int rc, dummy;

    if (!changed)
        changed = &dummy;
    *changed = 0;
    if (!s || !item)
        return NG_EINVAL;
    if (ng__store_readonly(s))
        return ng__store_fail(s, NG_ESTATE, "%s: store is read-only",
                              s->path);
    /* An item built with ng_item_set has no text to learn from until it
     * is checked (as ng_check does); a read item passes at once. */
    char err[256];
    if ((rc = ng_item_validate(item, NULL, err, sizeof err)) != NG_OK)
        return ng__store_fail(s, rc, "learn: %s", err);
    rc = ng__store_begin(s, 1);
    if (rc != NG_OK)
        return rc;
    rc = ng__store_finish(s, ng__learn_item(s, item, spam, changed));
    if (rc != NG_OK)
        *changed = 0;
    return rc;
}
