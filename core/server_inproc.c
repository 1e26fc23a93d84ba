/*
 * server_inproc.c -- requests to `newsgate serve` without a socket: the
 * seam the server's fuzz target (tests/fuzz/fuzz_server.c) and tests
 * drive.  A server is set up as for listening, minus the listener; a
 * request is given as method, path, headers, query arguments and body,
 * and goes through the same steps as one from libmicrohttpd in
 * server_http.c: the body limit, ng__srv_handle, the engine given back,
 * and for a writing request its job handed to the writer thread, whose
 * answer is waited for.
 *
 * Kept small on purpose: it knows the request struct, ng__srv_handle and
 * the writer's push-and-done contract, nothing of how the writer works.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "server.h"

/* A request waiting for its job. */
typedef struct waiter {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done;
} waiter;

/* The job's done callback (writer thread). */
static void wake(void *ctx)
{
    waiter *w = ctx;

    pthread_mutex_lock(&w->mu);
    w->done = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

/* Hands r's job to the writer and waits until it is answered. */
static void run_job(ng__server *srv, ng__srv_req *r)
{
    waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };

    r->job->done = wake;
    r->job->done_ctx = &w;
    ng__srv_writer_push(srv->writer, r->job);
    pthread_mutex_lock(&w.mu);
    while (!w.done)
        pthread_cond_wait(&w.cv, &w.mu);
    pthread_mutex_unlock(&w.mu);
    pthread_mutex_destroy(&w.mu);
    pthread_cond_destroy(&w.cv);
    ng__srv_take_job(r);
}

const char *ng__srv_inproc_value(const char *const *kv, const char *name,
                                 int nocase)
{
    for (; kv && kv[0]; kv += 2)
        if (nocase ? strcasecmp(kv[0], name) == 0 : strcmp(kv[0], name) == 0)
            return kv[1];
    return NULL;
}

int ng__srv_inproc_open(const ng__srv_config *cfg, ng__server **out)
{
    ng__server *srv = calloc(1, sizeof *srv);
    int rc;

    *out = NULL;
    if (!srv)
        return NG_ENOMEM;
    srv->cfg = *cfg;
    srv->started = ng__srv_now();
    if ((rc = ng__srv_start(srv)) != NG_OK) {
        ng__srv_inproc_close(srv);
        return rc;
    }
    *out = srv;
    return NG_OK;
}

int ng__srv_inproc(ng__server *srv, const ng__srv_inreq *in, int *status,
                   char **resp)
{
    ng__srv_req r = { 0 };

    *status = 0, *resp = NULL;
    r.srv = srv, r.in = in, r.method = in->method, r.path = in->path;
    r.started = ng__srv_now();
    r.len = in->len;
    if (in->len > srv->cfg.max_body)
        r.too_large = 1;
    else if (in->len && !(r.body = malloc(in->len + 1)))
        return -1;
    if (r.body) {
        memcpy(r.body, in->body, in->len);
        r.body[in->len] = '\0';
    }
    if (r.too_large)
        ng__srv_error(&r, 413, "too_large", "body over %zu bytes",
                      srv->cfg.max_body);
    else
        ng__srv_handle(&r);
    ng__srv_worker_release(&r);
    if (r.status == 0 && r.job)
        run_job(srv, &r);
    if (r.status == 0)
        ng__srv_error(&r, 500, "internal", "no response");
    ng__srv_metrics_request(srv->metrics, r.route, r.status,
                            ng__srv_now() - r.started);
    free(r.body);
    *status = r.status, *resp = r.resp;
    return 0;
}

void ng__srv_inproc_close(ng__server *srv)
{
    if (!srv)
        return;
    ng__srv_finish(srv);
    free(srv);
}
