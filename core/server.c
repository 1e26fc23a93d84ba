/*
 * server.c -- the life of `newsgate serve`: start-up (store, writer,
 * tokens, engine pool, HTTP), the pool of engines the HTTP threads borrow
 * from, rule reloads on SIGHUP, and the graceful stop on SIGTERM or
 * SIGINT.
 *
 * Signals are blocked in every thread and taken by the main thread with
 * sigwait, so no code runs in a signal handler.  A reload first loads the
 * new rules into a scratch engine; only when they load is the rules
 * generation bumped, and each engine (one per HTTP thread, made at
 * start-up so a later broken edit cannot leave a thread without rules,
 * and one for the writer) reloads itself before its next request.  A
 * broken edit is logged and the rules in force stay.  A stop answers new
 * requests with 503, waits for the requests in flight (at most `drain`
 * seconds), lets the writer finish its queue and close the store, then
 * stops the HTTP threads.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "server.h"

typedef struct worker {
    ng_engine *e;
    ng_store *s;
    unsigned gen;
} worker;

void ng__srv_config_defaults(ng__srv_config *c)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    memset(c, 0, sizeof *c);
    c->host = "127.0.0.1";
    c->port = 8080;
    c->threads = cpus < 1 ? 1 : cpus > 64 ? 64 : (unsigned)cpus;
    c->max_body = 1 << 20;
    c->max_items = 1000;
    c->max_conns = 1000;
    c->timeout = 30;
    c->max_header = 16 << 10;
    c->batch_items = 1024;
    c->drain = 10;
}

double ng__srv_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int ng__srv_grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap ? *cap : 16;
    void *q;

    if (need <= *cap)
        return 0;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return -1;
        c *= 2;
    }
    if (c > SIZE_MAX / size || !(q = realloc(*p, c * size)))
        return -1;
    *p = q, *cap = c;
    return 0;
}

int ng__srv_text_add(ng__srv_text *t, const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (!s)
        return -1;
    if (ng__srv_grow((void **)&t->buf, &t->cap, t->len + n + 1, 1) != 0)
        return -1;
    memcpy(t->buf + t->len, s, n + 1);
    t->len += n;
    return 0;
}

/* An engine with the server's limits and rules.  Returns NG_OK or an
 * error with the message in err. */
static int open_engine(const ng__server *srv, ng_engine **e, char *err,
                       size_t errlen)
{
    ng_engine_options o = { 0 };
    int rc;

    o.limits = srv->cfg.limits;
    o.check_deadline_ms = srv->cfg.deadline_ms;
    if ((rc = ng_engine_open(e, &o)) != NG_OK) {
        snprintf(err, errlen, "%s", ng_strerror(rc));
        return rc;
    }
    if ((rc = ng_engine_load_rules(*e, srv->cfg.rules)) != NG_OK) {
        snprintf(err, errlen, "%s", ng_engine_errmsg(*e));
        ng_engine_close(*e);
        *e = NULL;
    }
    return rc;
}

void ng__srv_refresh(ng__server *srv, ng_engine *e, unsigned *gen,
                     const char *who)
{
    unsigned cur = atomic_load(&srv->rules_gen);

    if (cur == *gen)
        return;
    *gen = cur;
    if (ng_engine_load_rules(e, srv->cfg.rules) != NG_OK)
        ng__srv_log("%s: reload failed, keeping the rules in force: %s",
                    who, ng_engine_errmsg(e));
}

/* The engines of the HTTP threads: one per thread, borrowed for a
 * request and given back. */
typedef struct ng__srv_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    worker *w;
    int *busy;
    size_t n;
} ng__srv_pool;

static void pool_free(ng__srv_pool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        ng_engine_use_store(p->w[i].e, NULL);
        ng_engine_close(p->w[i].e);
        ng_store_close(p->w[i].s);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->w);
    free(p->busy);
    free(p);
}

/* Makes `n` engines, each with a read-only store.  Returns NG_OK or an
 * error code (logged). */
static int pool_new(ng__server *srv, size_t n, ng__srv_pool **out)
{
    ng__srv_pool *p = calloc(1, sizeof *p);
    char err[768];
    int rc = NG_OK;

    *out = NULL;
    if (!p || !(p->w = calloc(n, sizeof *p->w)) ||
        !(p->busy = calloc(n, sizeof *p->busy))) {
        free(p ? p->w : NULL);
        free(p);
        return NG_ENOMEM;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    for (; rc == NG_OK && p->n < n; p->n++) {
        worker *w = &p->w[p->n];
        w->gen = atomic_load(&srv->rules_gen);
        if ((rc = open_engine(srv, &w->e, err, sizeof err)) == NG_OK &&
            (rc = ng_store_open(&w->s, srv->cfg.db, NG_STORE_READONLY, err,
                                sizeof err)) == NG_OK)
            ng_engine_use_store(w->e, w->s);
    }
    if (rc != NG_OK) {
        ng__srv_log("%s", err);
        pool_free(p);
        return rc;
    }
    *out = p;
    return NG_OK;
}

int ng__srv_worker(ng__srv_req *r, ng_engine **e, ng_store **s)
{
    ng__srv_pool *p = r->srv->pool;
    size_t i = 0;
    worker *w;

    if (!r->worker) {
        pthread_mutex_lock(&p->mu);
        for (;;) {
            for (i = 0; i < p->n && p->busy[i]; i++)
                ;
            if (i < p->n)
                break;
            pthread_cond_wait(&p->cv, &p->mu);
        }
        p->busy[i] = 1;
        pthread_mutex_unlock(&p->mu);
        r->worker = &p->w[i];
    }
    w = r->worker;
    ng__srv_refresh(r->srv, w->e, &w->gen, "worker");
    *e = w->e, *s = w->s;
    return 0;
}

void ng__srv_worker_release(ng__srv_req *r)
{
    ng__srv_pool *p = r->srv->pool;

    if (!r->worker)
        return;
    pthread_mutex_lock(&p->mu);
    p->busy[(worker *)r->worker - p->w] = 0;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    r->worker = NULL;
}

/* SIGHUP: loads the rules once to see that they load, then lets every
 * engine switch. */
static void reload(ng__server *srv)
{
    char err[640];
    ng_engine *e;

    if (open_engine(srv, &e, err, sizeof err) != NG_OK) {
        ng__srv_metrics_reload(srv->metrics, 0);
        ng__srv_log("reload failed, keeping the rules in force: %s", err);
        return;
    }
    ng__srv_log("reload: %zu rules, hash %s", ng_engine_rule_count(e),
                ng_engine_rules_hash(e));
    ng_engine_close(e);
    atomic_fetch_add(&srv->rules_gen, 1);
    ng__srv_metrics_reload(srv->metrics, 1);
}

/* SIGTERM: 503 for new requests, then waits for those in flight. */
static void drain(ng__server *srv)
{
    double until = ng__srv_now() + srv->cfg.drain;
    struct timespec tick = { 0, 10 * 1000 * 1000 };
    long n;

    atomic_store(&srv->stopping, 1);
    ng__srv_log("stopping: %ld requests in flight",
                atomic_load(&srv->inflight));
    while ((n = atomic_load(&srv->inflight)) > 0 && ng__srv_now() < until)
        nanosleep(&tick, NULL);
    if (n > 0)
        ng__srv_log("stopping: %ld requests still open after %u s", n,
                    srv->cfg.drain);
}

/* Waits for signals until told to stop. */
static void serve(ng__server *srv, const sigset_t *set)
{
    int sig;

    for (;;) {
        if (sigwait(set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            reload(srv);
            continue;
        }
        drain(srv);
        return;
    }
}

/* Opens the writing store and the writer's engine and starts the writer.
 * Returns NG_OK or an error code (logged). */
static int start_writer(ng__server *srv)
{
    char err[768];
    ng_store *s;
    ng_engine *e;
    int flags = srv->cfg.nosync ? NG_STORE_NOSYNC : 0;
    int rc = ng_store_open(&s, srv->cfg.db, flags, err, sizeof err);

    if (rc != NG_OK) {
        ng__srv_log("%s", err);
        return rc;
    }
    if ((rc = open_engine(srv, &e, err, sizeof err)) != NG_OK) {
        ng__srv_log("%s", err);
        ng_store_close(s);
        return rc;
    }
    ng_engine_use_store(e, s);
    if (ng__srv_writer_start(srv, s, e, &srv->writer) != 0) {
        ng_engine_close(e);
        ng_store_close(s);
        return NG_ENOMEM;
    }
    return NG_OK;
}

int ng__srv_start(ng__server *srv)
{
    char err[768];
    int rc;

    if (ng__srv_metrics_new(&srv->metrics) != 0)
        return NG_ENOMEM;
    if (srv->cfg.tokens &&
        ng__srv_tokens_load(srv->cfg.tokens, &srv->tokens, err,
                            sizeof err) != 0) {
        ng__srv_log("%s", err);
        return NG_EINVAL;
    }
    if ((rc = start_writer(srv)) != NG_OK)
        return rc;
    return pool_new(srv, srv->cfg.threads, &srv->pool);
}

void ng__srv_finish(ng__server *srv)
{
    /* The writer first: it answers every job queued, so no connection
     * is left suspended when MHD stops (jobs that come later fail with
     * 503 at once). */
    ng__srv_writer_stop(srv->writer); /* finishes the queue, closes */
    ng__srv_http_stop(srv->http);     /* joins the HTTP threads */
    ng__srv_writer_free(srv->writer);
    pool_free(srv->pool);
    ng__srv_tokens_free(srv->tokens);
    ng__srv_metrics_free(srv->metrics);
}

int ng__server_run(const ng__srv_config *cfg)
{
    ng__server *srv = calloc(1, sizeof *srv);
    sigset_t set;
    unsigned port;
    int rc;

    if (!srv)
        return NG_ENOMEM;
    srv->cfg = *cfg;
    srv->started = ng__srv_now();
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);  /* inherited by all threads */
    signal(SIGPIPE, SIG_IGN);
    rc = ng__srv_start(srv);
    if (rc == NG_OK && ng__srv_http_start(srv, &port, &srv->http) != 0)
        rc = NG_EINTERNAL;
    if (rc == NG_OK) {
        ng__srv_log("listening on http://%s:%u (%u threads, %zu tokens)",
                    cfg->host, port, cfg->threads,
                    ng__srv_tokens_count(srv->tokens));
        serve(srv, &set);
    }
    ng__srv_finish(srv);
    if (rc == NG_OK)
        ng__srv_log("stopped");
    free(srv);
    return rc;
}
