/*
 * server_writer.c -- the writer thread of `newsgate serve` and its group
 * commit.
 *
 * A store handle is single-threaded, so one thread owns the writing store
 * and an engine of its own.  HTTP threads queue jobs (submissions and
 * queue decisions); the writer takes every job waiting (up to
 * batch_items items), runs them all inside one transaction, commits it
 * with a full fsync, and only then calls each job's done callback, which
 * lets the HTTP glue answer.  Nothing waits on purpose to fill a group:
 * the jobs that arrive while one group commits form the next, so a quiet
 * server answers at once and a busy one shares each fsync among many
 * requests.
 */
#define _GNU_SOURCE   /* pthread_setname_np */
#include <pthread.h>
#include <stdlib.h>
#include "server.h"

struct ng__srv_writer {
    ng__server *srv;
    ng_store *s;
    ng_engine *e;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ng__srv_job *head, *tail;
    size_t depth;
    int stop;
    unsigned gen;      /* rules generation the engine has */
};

/* Items a job brings to a group (1 for a decision). */
static size_t weight(const ng__srv_job *j)
{
    return j->kind == NG__JOB_SUBMIT && j->nitems ? j->nitems : 1;
}

/* Takes the next group off the queue: every waiting job, stopping
 * before the item limit (a group has at least one job).  Returns NULL
 * once stopped with nothing left.  Sets *items. */
static ng__srv_job *take(ng__srv_writer *w, size_t *items)
{
    ng__srv_job *first, *last;
    size_t n;

    pthread_mutex_lock(&w->mu);
    while (!w->head && !w->stop)
        pthread_cond_wait(&w->cv, &w->mu);
    first = last = w->head;
    if (first) {
        n = weight(first);
        while (last->next && n + weight(last->next) <=
                                 w->srv->cfg.batch_items)
            last = last->next, n += weight(last);
        w->head = last->next;
        if (!w->head)
            w->tail = NULL;
        last->next = NULL;
        for (ng__srv_job *j = first; j; j = j->next)
            w->depth--;
        *items = n;
    }
    pthread_mutex_unlock(&w->mu);
    return first;
}

/* 1 when every job of the group is a submission. */
static int all_submits(const ng__srv_job *g)
{
    for (; g; g = g->next)
        if (g->kind != NG__JOB_SUBMIT)
            return 0;
    return 1;
}

/* Runs a group in one transaction; returns the seconds spent checking.
 * A group of submissions only is all or nothing (no savepoint per item,
 * a fifth of the writer's work): if one item fails, nothing of the group
 * commits and every request of it gets the 503 a failed commit gives.
 * Other jobs (decisions, claims) may fail alone, so groups with them
 * keep a savepoint per job. */
static double run_group(ng__srv_writer *w, ng__srv_job *g, double *commit_s)
{
    double check = 0, t;
    int rc = all_submits(g) ? ng_store_batch_begin_whole(w->s)
                            : ng_store_batch_begin(w->s);

    *commit_s = 0;
    if (rc != NG_OK) {
        ng__srv_log("writer: cannot begin: %s", ng_store_errmsg(w->s));
        for (ng__srv_job *j = g; j; j = j->next)
            ng__srv_job_fail(j, 503, "store_unavailable",
                             "the store cannot write now; retry");
        return 0;
    }
    for (ng__srv_job *j = g; j; j = j->next) {
        ng__srv_job_run(w->srv, j, w->e, w->s);
        check += j->check_s;
        if (j->kind == NG__JOB_SUBMIT)
            ng__srv_metrics_rechecks(w->srv->metrics, j->rechecks);
    }
    t = ng__srv_now();
    rc = ng_store_batch_commit(w->s);
    *commit_s = ng__srv_now() - t;
    if (rc != NG_OK) {
        ng__srv_log("writer: commit failed: %s", ng_store_errmsg(w->s));
        for (ng__srv_job *j = g; j; j = j->next)
            ng__srv_job_fail(j, 503, "store_unavailable",
                             "the store did not commit; nothing of this "
                             "request was stored; retry");
    }
    return check;
}

static void *writer_main(void *arg)
{
    ng__srv_writer *w = arg;
    ng__srv_job *g;
    size_t items;

    while ((g = take(w, &items)) != NULL) {
        size_t jobs = 0;
        double t = ng__srv_now(), commit_s, check_s;

        ng__srv_refresh(w->srv, w->e, &w->gen, "writer");
        check_s = run_group(w, g, &commit_s);
        t = ng__srv_now() - t - commit_s;
        while (g) {
            ng__srv_job *next = g->next;
            g->next = NULL;
            jobs++;
            g->done(g->done_ctx);   /* the job may be freed from here */
            g = next;
        }
        ng__srv_metrics_group(w->srv->metrics, jobs, items, t, check_s,
                              commit_s);
    }
    return NULL;
}

int ng__srv_writer_start(ng__server *srv, ng_store *s, ng_engine *e,
                         ng__srv_writer **out)
{
    ng__srv_writer *w = calloc(1, sizeof *w);

    *out = NULL;
    if (!w)
        return -1;
    w->srv = srv, w->s = s, w->e = e;
    w->gen = atomic_load(&srv->rules_gen);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->th, NULL, writer_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w);
        return -1;
    }
    /* Named so that top -H and the benchmark can tell its CPU apart. */
    pthread_setname_np(w->th, "ng-writer");
    *out = w;
    return 0;
}

void ng__srv_writer_push(ng__srv_writer *w, ng__srv_job *j)
{
    j->next = NULL;
    pthread_mutex_lock(&w->mu);
    if (w->stop) {   /* a request that finished arriving after the stop */
        pthread_mutex_unlock(&w->mu);
        ng__srv_job_fail(j, 503, "shutting_down", "the server is stopping");
        j->done(j->done_ctx);
        return;
    }
    if (w->tail)
        w->tail->next = j;
    else
        w->head = j;
    w->tail = j;
    w->depth++;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

size_t ng__srv_writer_depth(ng__srv_writer *w)
{
    size_t n;

    if (!w)
        return 0;
    pthread_mutex_lock(&w->mu);
    n = w->depth;
    pthread_mutex_unlock(&w->mu);
    return n;
}

void ng__srv_writer_stop(ng__srv_writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    ng_engine_use_store(w->e, NULL);
    ng_engine_close(w->e);
    ng_store_close(w->s);
    w->e = NULL, w->s = NULL;
}

void ng__srv_writer_free(ng__srv_writer *w)
{
    if (!w)
        return;
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}
