/*
 * cli_submit_pipe.c -- the threads of `newsgate submit`'s pipeline.
 *
 * The main thread reads items; filing them (the store, the rules that
 * read it, the commit) is serial, but the rest of the check is a
 * function of the item and the rules alone, so checker threads, each
 * with its own engine, run it (ng_submit_check) on the items read ahead
 * while a filer thread files the older ones (before it starts, the main
 * thread takes and files them itself).  The items wait in a ring.
 * Checkers claim items in ring order (the first `nclaimed` from the
 * oldest are claimed) but may finish them in any order; the filer takes
 * only the oldest, and only once it is checked, so the filing order is
 * the input's.  Only the main thread adds and only the filer takes; a
 * slot being checked belongs to its checker until it is marked checked.
 * The filer's outcomes wait in a second ring until the main thread
 * collects them.  One mutex guards the counts; checkers wait on `work`,
 * the filer on `done`, the main thread on `filed`.  A checker also
 * compresses each item for the store (ng_engine_files_into), which the
 * filer would otherwise do.
 */
#include <pthread.h>
#include <stdlib.h>

#include "cli_submit_pipe.h"

/* Unclaimed items for which the filer wakes a waiting checker. */
#define NG__PIPE_WAKE 4

/* Outcomes the filer thread can hold for the reader: one for each item
 * held and the one being filed, and a spare. */
#define NG__PIPE_OUTS (NG__PIPE_DEPTH + 2)

/* A slot's item: read, being checked, or checked. */
enum { WAITING, CHECKING, CHECKED };

typedef struct slot {
    ng_item *it;
    ng_verdict *v;
    int state;
} slot;

typedef struct checker {
    struct ng__pipe *p;
    ng_engine *e;               /* its engine, made on its thread */
    pthread_t thread;
} checker;

struct ng__pipe {
    slot ring[NG__PIPE_DEPTH];
    size_t head, n, nclaimed;   /* oldest slot, items held, claimed */
    int quit;
    int started;                /* threads started */
    int alive;                  /* of them, those not ended early */
    int idle;                   /* of them, those waiting for work */
    checker chk[NG__PIPE_CHECKERS];
    ng__pipe_engine_fn make;
    void *ud;
    const ng_store *into;       /* the store the items are filed into */
    int filer_on, filing, filer_done; /* filer thread: started, filing
                                       * an item, ended */
    pthread_t filer;
    ng__pipe_file_fn file;
    void *fud;
    int outs[NG__PIPE_OUTS];    /* outcomes not yet collected */
    size_t out_head, nout;
    pthread_mutex_t mu;
    pthread_cond_t work, done, filed;
};

ng__pipe *ng__pipe_new(void)
{
    ng__pipe *p = calloc(1, sizeof *p);

    if (!p)
        return NULL;
    if (pthread_mutex_init(&p->mu, NULL) != 0)
        goto no_mutex;
    if (pthread_cond_init(&p->work, NULL) != 0)
        goto no_work;
    if (pthread_cond_init(&p->done, NULL) != 0)
        goto no_done;
    if (pthread_cond_init(&p->filed, NULL) != 0)
        goto no_filed;
    return p;
no_filed:
    pthread_cond_destroy(&p->done);
no_done:
    pthread_cond_destroy(&p->work);
no_work:
    pthread_mutex_destroy(&p->mu);
no_mutex:
    free(p);
    return NULL;
}

static slot *slot_at(ng__pipe *p, size_t i)
{
    return &p->ring[(p->head + i) % NG__PIPE_DEPTH];
}

/* A checker: makes its engine, then checks the oldest unclaimed item,
 * one at a time, until told to quit. */
static void *checker_main(void *arg)
{
    checker *k = arg;
    ng__pipe *p = k->p;
    ng_engine *e = NULL;
    int made = p->make(p->ud, &e) == 0;

    /* The checkers always compress the items for the store: checking
     * them is a fraction of filing them, so the filer is the thread the
     * others wait for (docs/architecture.md, "submit on both cores"). */
    if (made)
        (void)ng_engine_files_into(e, p->into);
    pthread_mutex_lock(&p->mu);
    k->e = made ? e : NULL;
    if (!made) {
        p->alive--;     /* the filer checks what nobody will */
        pthread_cond_broadcast(&p->done);
    }
    while (made) {
        while (!p->quit && p->nclaimed == p->n) {
            p->idle++;
            pthread_cond_wait(&p->work, &p->mu);
            p->idle--;
        }
        if (p->quit)
            break;
        slot *sl = slot_at(p, p->nclaimed++);
        if (p->nclaimed < p->n && p->idle)
            pthread_cond_signal(&p->work);  /* more for the others */
        sl->state = CHECKING;
        pthread_mutex_unlock(&p->mu);
        ng_verdict *v = NULL;
        /* The slot stays put: the main thread takes only checked items. */
        if (ng_submit_check(e, sl->it, &v) != NG_OK)
            v = NULL;       /* filed from scratch, which reports it */
        pthread_mutex_lock(&p->mu);
        sl->v = v;
        sl->state = CHECKED;
        if (sl == slot_at(p, 0))
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int ng__pipe_start(ng__pipe *p, int n, ng__pipe_engine_fn make, void *ud,
                   const ng_store *into)
{
    p->make = make;
    p->ud = ud;
    p->into = into;
    if (n > NG__PIPE_CHECKERS)
        n = NG__PIPE_CHECKERS;
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < n; i++) {
        checker *k = &p->chk[p->started];
        k->p = p;
        if (pthread_create(&k->thread, NULL, checker_main, k) != 0)
            break;
        p->started++;
        p->alive++;
    }
    pthread_mutex_unlock(&p->mu);
    return p->started;
}

size_t ng__pipe_count(ng__pipe *p)
{
    pthread_mutex_lock(&p->mu);
    size_t n = p->n;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void ng__pipe_put(ng__pipe *p, ng_item *it)
{
    pthread_mutex_lock(&p->mu);
    *slot_at(p, p->n) = (slot){ it, NULL, WAITING };
    p->n++;
    /* Waking a checker costs the filer a system call: wake one for a
     * few items at a time (a waiting filer wakes them for fewer). */
    if (p->idle && p->n - p->nclaimed >= NG__PIPE_WAKE)
        pthread_cond_signal(&p->work);
    if (p->filer_on && !p->alive)   /* nobody else will tell the filer */
        pthread_cond_signal(&p->done);
    pthread_mutex_unlock(&p->mu);
}

/* ng__pipe_take with the mutex held. */
static int take_locked(ng__pipe *p, int wait, ng_item **it, ng_verdict **v)
{
    int got = 0;
    slot *sl = slot_at(p, 0);

    if (wait && p->idle && p->nclaimed < p->n)
        pthread_cond_broadcast(&p->work);
    while (p->alive && wait && p->n && sl->state != CHECKED && !p->quit)
        pthread_cond_wait(&p->done, &p->mu);
    /* Unchecked only when no checker is left to check it: then nothing
     * is being checked either (a checker ends before it claims). */
    if (p->n && !p->quit
        && (sl->state == CHECKED || (!p->alive && wait))) {
        *it = sl->it, *v = sl->v;
        *sl = (slot){ NULL, NULL, WAITING };
        p->head = (p->head + 1) % NG__PIPE_DEPTH;
        p->n--;
        if (p->nclaimed)
            p->nclaimed--;
        got = 1;
    }
    return got;
}

int ng__pipe_take(ng__pipe *p, int wait, ng_item **it, ng_verdict **v)
{
    pthread_mutex_lock(&p->mu);
    int got = take_locked(p, wait, it, v);
    pthread_mutex_unlock(&p->mu);
    return got;
}

/* The filer thread: files the oldest item once it can be taken, one at
 * a time and in order, and keeps each outcome for the reader, until an
 * outcome says stop or it is told to quit. */
static void *filer_main(void *arg)
{
    ng__pipe *p = arg;
    ng_item *it;
    ng_verdict *v;

    pthread_mutex_lock(&p->mu);
    while (!p->quit) {
        if (!take_locked(p, 1, &it, &v)) {
            pthread_cond_wait(&p->done, &p->mu);    /* none held */
            continue;
        }
        p->filing = 1;
        pthread_mutex_unlock(&p->mu);
        int outcome = p->file(p->fud, it, v);
        pthread_mutex_lock(&p->mu);
        while (p->nout == NG__PIPE_OUTS && !p->quit)
            pthread_cond_wait(&p->filed, &p->mu);
        if (p->nout < NG__PIPE_OUTS)
            p->outs[(p->out_head + p->nout++) % NG__PIPE_OUTS] = outcome;
        p->filing = 0;
        pthread_cond_broadcast(&p->filed);
        if (outcome < 0)
            break;
    }
    p->filer_done = 1;
    pthread_cond_broadcast(&p->filed);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int ng__pipe_start_filer(ng__pipe *p, ng__pipe_file_fn file, void *ud)
{
    p->file = file;
    p->fud = ud;
    pthread_mutex_lock(&p->mu);
    p->filer_on = pthread_create(&p->filer, NULL, filer_main, p) == 0;
    pthread_mutex_unlock(&p->mu);
    return p->filer_on ? 0 : -1;
}

int ng__pipe_outcome(ng__pipe *p, int wait, int *outcome)
{
    int got = 0;

    pthread_mutex_lock(&p->mu);
    /* Fewer than NG__PIPE_WAKE items may wait unclaimed: the reader
     * waiting is when they must go on. */
    if (wait && p->idle && p->nclaimed < p->n)
        pthread_cond_broadcast(&p->work);
    while (wait && !p->nout && (p->n || p->filing) && !p->filer_done)
        pthread_cond_wait(&p->filed, &p->mu);
    if (p->nout) {
        *outcome = p->outs[p->out_head];
        p->out_head = (p->out_head + 1) % NG__PIPE_OUTS;
        p->nout--;
        pthread_cond_broadcast(&p->filed);  /* room for the filer */
        got = 1;
    }
    pthread_mutex_unlock(&p->mu);
    return got;
}

void ng__pipe_free(ng__pipe *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->work);
    pthread_cond_broadcast(&p->done);
    pthread_cond_broadcast(&p->filed);
    pthread_mutex_unlock(&p->mu);
    if (p->filer_on)
        pthread_join(p->filer, NULL);
    for (int i = 0; i < p->started; i++) {
        pthread_join(p->chk[i].thread, NULL);
        ng_engine_close(p->chk[i].e);
    }
    for (; p->n; p->n--, p->head = (p->head + 1) % NG__PIPE_DEPTH) {
        ng_item_free(p->ring[p->head].it);
        ng_verdict_free(p->ring[p->head].v);
    }
    pthread_cond_destroy(&p->filed);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
