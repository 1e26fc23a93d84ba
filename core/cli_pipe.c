/*
 * cli_pipe.c -- the item pipeline of `newsgate check` and `submit`.
 *
 * The main thread reads items.  Checking one is a function of the item
 * and the rules alone (with `check --db`, of a read-only store too), so
 * checker threads, each with a state of its own (an engine, made on the
 * checker's thread), check the items read ahead: how is the command's
 * (ng__pipe_work: submit runs ng_submit_check, check runs ng_check).
 * The items wait in a ring.  Checkers claim items in ring order (the
 * first `nclaimed` from the oldest are claimed) but may finish them in
 * any order; items are taken only from the oldest, and only once
 * checked, so what comes out is in the input's order.  A thread that
 * would wait for the checkers may check the oldest unclaimed item
 * itself (ng__pipe_help: `check` reads and checks on its main thread).
 * Submit files on a filer thread (before it starts, the main thread
 * takes and files the items itself), whose outcomes wait in a second
 * ring until the main thread collects them.  Only the main thread adds
 * and only one thread takes; a slot being checked belongs to its
 * checker until it is marked checked.  One mutex guards the counts;
 * checkers wait on `work`, the taker on `done`, the main thread on
 * `filed`.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli_pipe.h"

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
    void *state;                /* from w->start, made on its thread */
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
    const ng__pipe_work *w;     /* what checkers do, with `ud` */
    void *ud;
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

/* Claims the oldest unclaimed item (there is one) with the mutex held,
 * waking another checker when more wait. */
static slot *claim_locked(ng__pipe *p)
{
    slot *sl = slot_at(p, p->nclaimed++);

    if (p->nclaimed < p->n && p->idle)
        pthread_cond_signal(&p->work);  /* more for the others */
    sl->state = CHECKING;
    return sl;
}

/* Checks a claimed slot with `state`, the mutex not held; returns with
 * it held and the slot checked. */
static void check_claimed(ng__pipe *p, slot *sl, void *state)
{
    /* The slot stays put: items are taken only once checked. */
    ng_verdict *v = p->w->check(p->ud, state, sl->it);

    pthread_mutex_lock(&p->mu);
    sl->v = v;
    sl->state = CHECKED;
    if (sl == slot_at(p, 0))
        pthread_cond_signal(&p->done);
}

/* A checker: makes its state, then checks the oldest unclaimed item,
 * one at a time, until told to quit. */
static void *checker_main(void *arg)
{
    checker *k = arg;
    ng__pipe *p = k->p;
    void *state = p->w->start(p->ud);

    pthread_mutex_lock(&p->mu);
    k->state = state;
    if (!state) {
        p->alive--;     /* the taker checks what nobody will */
        pthread_cond_broadcast(&p->done);
    }
    while (state) {
        while (!p->quit && p->nclaimed == p->n) {
            p->idle++;
            pthread_cond_wait(&p->work, &p->mu);
            p->idle--;
        }
        if (p->quit)
            break;
        slot *sl = claim_locked(p);
        pthread_mutex_unlock(&p->mu);
        check_claimed(p, sl, state);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int ng__pipe_checkers_wanted(void)
{
    const char *env = getenv("NEWSGATE_CHECKERS");
    long n = env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > NG__PIPE_CHECKERS ? NG__PIPE_CHECKERS : (int)n;
}

int ng__pipe_start(ng__pipe *p, int n, const ng__pipe_work *w, void *ud)
{
    p->w = w;
    p->ud = ud;
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

int ng__pipe_help(ng__pipe *p, void *state)
{
    pthread_mutex_lock(&p->mu);
    if (p->quit || p->nclaimed == p->n) {
        pthread_mutex_unlock(&p->mu);
        return 0;
    }
    slot *sl = claim_locked(p);
    pthread_mutex_unlock(&p->mu);
    check_claimed(p, sl, state);
    pthread_mutex_unlock(&p->mu);
    return 1;
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
    /* A slot being checked is waited for even with no checker left
     * (ng__pipe_help may have it). */
    while (wait && p->n && sl->state != CHECKED && !p->quit
           && (p->alive || sl->state == CHECKING))
        pthread_cond_wait(&p->done, &p->mu);
    /* Unchecked only when no checker is left to check it. */
    if (p->n && !p->quit
        && (sl->state == CHECKED
            || (wait && sl->state == WAITING && !p->alive))) {
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
        if (p->chk[i].state)
            p->w->stop(p->ud, p->chk[i].state);
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
