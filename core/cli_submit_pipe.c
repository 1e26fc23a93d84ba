/*
 * cli_submit_pipe.c -- the checker of `newsgate submit`'s pipeline.
 *
 * The main thread reads items and files them; filing (the store, the
 * rules that read it, the commit) is serial, but the rest of the check is
 * a function of the item and the rules alone, so a second thread with its
 * own engine runs it (ng_submit_check) on the items read ahead while the
 * main thread files the older ones.  The items wait in a ring: the first
 * `nchecked` from the oldest have their first-pass verdict, the next is
 * the one being checked.  Only the main thread adds and takes; only the
 * checker fills in verdicts; one mutex and one condition variable guard
 * the counts.  The checker also compresses an item for the store
 * (ng_engine_files_into) when it is ahead of the filer, so the work
 * lands on whichever thread would otherwise wait.
 */
#include <pthread.h>
#include <stdlib.h>

#include "cli_submit_pipe.h"

typedef struct slot {
    ng_item *it;
    ng_verdict *v;
} slot;

struct ng__pipe {
    slot ring[NG__PIPE_DEPTH];
    size_t head, n, nchecked;   /* oldest slot, items held, checked */
    int quit, started;
    ng_engine *e;               /* the checker's engine */
    const ng_store *into;       /* the store the items are filed into */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

ng__pipe *ng__pipe_new(void)
{
    ng__pipe *p = calloc(1, sizeof *p);

    if (p && pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return NULL;
    }
    if (p && pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    return p;
}

/* The checker: checks the oldest unchecked item, one at a time, until
 * told to quit. */
static void *checker(void *arg)
{
    ng__pipe *p = arg;

    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->nchecked == p->n)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->quit)
            break;
        slot *sl = &p->ring[(p->head + p->nchecked) % NG__PIPE_DEPTH];
        ng_verdict *v = NULL;
        /* Compression goes to whichever thread has time for it: this one
         * while the filer has checked items to file, else the filer. */
        int ahead = p->nchecked >= NG__PIPE_AHEAD;
        pthread_mutex_unlock(&p->mu);
        (void)ng_engine_files_into(p->e, ahead ? p->into : NULL);
        /* The slot stays put: the main thread takes only checked items. */
        if (ng_submit_check(p->e, sl->it, &v) != NG_OK)
            v = NULL;       /* filed from scratch, which reports it */
        pthread_mutex_lock(&p->mu);
        sl->v = v;
        p->nchecked++;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int ng__pipe_start(ng__pipe *p, ng_engine *e, const ng_store *into)
{
    p->e = e;
    p->into = into;
    if (pthread_create(&p->thread, NULL, checker, p) != 0)
        return -1;
    p->started = 1;
    return 0;
}

size_t ng__pipe_count(const ng__pipe *p)
{
    return p->n;    /* only the main thread changes it */
}

void ng__pipe_put(ng__pipe *p, ng_item *it)
{
    pthread_mutex_lock(&p->mu);
    p->ring[(p->head + p->n) % NG__PIPE_DEPTH] = (slot){ it, NULL };
    p->n++;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

int ng__pipe_take(ng__pipe *p, int wait, ng_item **it, ng_verdict **v)
{
    int got = 0;

    pthread_mutex_lock(&p->mu);
    while (p->started && wait && p->n && !p->nchecked)
        pthread_cond_wait(&p->cv, &p->mu);
    if (p->n && (p->nchecked || (!p->started && wait))) {
        slot *sl = &p->ring[p->head];
        *it = sl->it, *v = sl->v;
        *sl = (slot){ NULL, NULL };
        p->head = (p->head + 1) % NG__PIPE_DEPTH;
        p->n--;
        if (p->nchecked)
            p->nchecked--;
        got = 1;
    }
    pthread_mutex_unlock(&p->mu);
    return got;
}

void ng__pipe_free(ng__pipe *p)
{
    if (!p)
        return;
    if (p->started) {
        pthread_mutex_lock(&p->mu);
        p->quit = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
    }
    for (; p->n; p->n--, p->head = (p->head + 1) % NG__PIPE_DEPTH) {
        ng_item_free(p->ring[p->head].it);
        ng_verdict_free(p->ring[p->head].v);
    }
    ng_engine_close(p->e);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
