/*
 * brake.c -- sliding windows of rule outcomes for the emergency brake
 * (see brake.h).  Each rule has one ring of window + history outcomes;
 * the newest `window` of them are the recent part, the rest its history.
 * Counts are kept up to date as outcomes enter and leave, so observing
 * is O(1) after the look-up of the rule by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brake.h"
#include "grow.h"

typedef struct watch {
    char *rule;
    unsigned char *ring;  /* window + history outcomes, oldest overwritten */
    size_t n;             /* outcomes held (<= window + history) */
    size_t next;          /* where the next outcome goes */
    size_t recent_hits, old_hits;
    int tripped;
} watch;

struct ng__brake {
    ng__brake_opts o;
    watch *w;
    size_t nw, capw;
};

void ng__brake_defaults(ng__brake_opts *o)
{
    if (!o->window) o->window = 100;
    if (!o->history) o->history = 1000;
    if (o->share <= 0) o->share = 0.5;
    if (o->factor <= 0) o->factor = 5;
}

ng__brake *ng__brake_new(const ng__brake_opts *o)
{
    ng__brake *b = calloc(1, sizeof *b);

    if (b == NULL)
        return NULL;
    if (o)
        b->o = *o;
    ng__brake_defaults(&b->o);
    return b;
}

void ng__brake_free(ng__brake *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->nw; i++) {
        free(b->w[i].rule);
        free(b->w[i].ring);
    }
    free(b->w);
    free(b);
}

static watch *watch_of(ng__brake *b, const char *rule)
{
    watch *w;

    for (size_t i = 0; i < b->nw; i++)
        if (strcmp(b->w[i].rule, rule) == 0)
            return &b->w[i];
    if (ng__grow(&b->w, &b->capw, b->nw, 1, sizeof *b->w, 16) < 0)
        return NULL;
    w = &b->w[b->nw];
    memset(w, 0, sizeof *w);
    w->rule = strdup(rule);
    w->ring = calloc(b->o.window + b->o.history, 1);
    if (!w->rule || !w->ring) {
        free(w->rule);
        free(w->ring);
        return NULL;
    }
    b->nw++;
    return w;
}

/* The outcome `age` places back from the newest (0 = newest). */
static int at_age(const ng__brake *b, const watch *w, size_t age)
{
    size_t cap = b->o.window + b->o.history;
    return w->ring[(w->next + cap - 1 - age) % cap];
}

/* Adds one outcome, moving the one that leaves the window into the
 * history and dropping the oldest when the ring is full. */
static void push(const ng__brake *b, watch *w, int hit)
{
    size_t cap = b->o.window + b->o.history;

    if (w->n >= b->o.window)
        w->old_hits += at_age(b, w, b->o.window - 1); /* leaves the window */
    if (w->n >= b->o.window)
        w->recent_hits -= at_age(b, w, b->o.window - 1);
    if (w->n == cap)
        w->old_hits -= w->ring[w->next];              /* the oldest goes */
    else
        w->n++;
    w->ring[w->next] = (unsigned char)(hit != 0);
    w->next = (w->next + 1) % cap;
    w->recent_hits += hit != 0;
}

int ng__brake_observe(ng__brake *b, const char *rule, int hit, char *why,
                      size_t whylen)
{
    watch *w = watch_of(b, rule);
    double recent, before;
    size_t old;

    if (w == NULL)
        return -1;
    push(b, w, hit);
    /* A rule needs a window's worth of history before its recent share
     * can be called sudden: a new rule set is never braked at once. */
    if (w->tripped || w->n < 2 * b->o.window)
        return 0;
    old = w->n - b->o.window;
    recent = (double)w->recent_hits / (double)b->o.window;
    before = (double)w->old_hits / (double)old;
    if (recent < b->o.share || recent < b->o.factor * before)
        return 0;
    w->tripped = 1;
    snprintf(why, whylen, "hit %zu of the last %zu submissions; %.1f%% of "
             "the %zu before", w->recent_hits, b->o.window, before * 100, old);
    return 1;
}

void ng__brake_reset(ng__brake *b, const char *rule)
{
    watch *w = watch_of(b, rule);

    if (w == NULL)
        return;
    memset(w->ring, 0, b->o.window + b->o.history);
    w->n = w->next = w->recent_hits = w->old_hits = 0;
    w->tripped = 0;
}

void ng__brake_rearm(ng__brake *b)
{
    for (size_t i = 0; i < b->nw; i++)
        b->w[i].tripped = 0;
}
