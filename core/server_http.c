/*
 * server_http.c -- the libmicrohttpd glue of `newsgate serve`, and the
 * only file that includes microhttpd.h.
 *
 * The daemon runs a pool of polling threads (MHD_USE_INTERNAL_POLLING_THREAD
 * with MHD_OPTION_THREAD_POOL_SIZE); each thread serves many connections,
 * so a slow client costs a socket, not a thread.  A request's body is
 * gathered here (up to the body limit), then ng__srv_handle routes it.  A
 * request that writes is handed to the writer as a job and its connection
 * suspended; the writer resumes it once the job's group has committed, and
 * the answer goes out on the next call of the access handler.  Every
 * request ends in on_completed, which writes the access-log line, feeds
 * the metrics and frees the request.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include "server.h"

struct ng__srv_http {
    struct MHD_Daemon *d;
};

const char *ng__srv_header(ng__srv_req *r, const char *name)
{
    if (r->in)
        return ng__srv_inproc_value(r->in->headers, name, 1);
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *ng__srv_query(ng__srv_req *r, const char *key)
{
    if (r->in)
        return ng__srv_inproc_value(r->in->query, key, 0);
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

/* Sends r's response.  Returns what MHD_queue_response returned. */
static enum MHD_Result send_reply(ng__srv_req *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ok;
    char *body = r->resp;

    if (!body) {
        body = strdup("");
        r->resp_len = 0;
    }
    r->resp = NULL;   /* MHD frees it from here on */
    resp = MHD_create_response_from_buffer(r->resp_len, body,
                                           MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type",
                            r->resp_type ? r->resp_type : "application/json");
    if (r->status == 401 && r->www_auth)
        MHD_add_response_header(resp, "WWW-Authenticate",
                                "Bearer realm=\"newsgate\"");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (r->csp) {
        MHD_add_response_header(resp, "Content-Security-Policy", r->csp);
        MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    }
    if (r->status == 405 && r->allow)
        MHD_add_response_header(resp, "Allow", r->allow);
    ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* Appends body bytes; marks the request too large past max_body.
 * Returns 0, or -1 to drop a client that streams far past the limit. */
static int gather(ng__srv_req *r, const char *data, size_t n)
{
    size_t max = r->srv->cfg.max_body;

    if (r->too_large || r->len + n > max) {
        r->too_large = 1;
        r->len += n;  /* counts what was discarded */
        return r->len > 8 * max ? -1 : 0;
    }
    if (ng__srv_grow((void **)&r->body, &r->cap, r->len + n + 1, 1) != 0)
        return -1;
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = '\0';
    return 0;
}

/* Called on the writer thread once r's job is durable. */
static void resume(void *ctx)
{
    ng__srv_req *r = ctx;
    MHD_resume_connection(r->conn);
}

/* The first call of a request: sets it up, answers at once when the
 * server is stopping or the declared body is too large. */
static ng__srv_req *begin(ng__server *srv, struct MHD_Connection *c,
                          const char *url, const char *method)
{
    ng__srv_req *r = calloc(1, sizeof *r);
    const char *cl;

    if (!r)
        return NULL;
    r->srv = srv, r->conn = c, r->path = url, r->method = method;
    r->started = ng__srv_now();
    atomic_fetch_add(&srv->inflight, 1);
    if (atomic_load(&srv->stopping)) {
        ng__srv_error(r, 503, "shutting_down", "the server is stopping");
        return r;
    }
    cl = ng__srv_header(r, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > srv->cfg.max_body)
        ng__srv_error(r, 413, "too_large", "body over %zu bytes",
                      srv->cfg.max_body);
    return r;
}

/* The body is complete (or the job is done): handle, suspend or answer. */
static enum MHD_Result finish(ng__server *srv, ng__srv_req *r)
{
    if (r->job && r->job->status) {   /* back from the writer */
        ng__srv_take_job(r);
        return send_reply(r);
    }
    if (r->status == 0 && r->too_large)
        ng__srv_error(r, 413, "too_large", "body over %zu bytes",
                      srv->cfg.max_body);
    if (r->status == 0) {
        ng__srv_handle(r);
        ng__srv_worker_release(r);
    }
    if (r->status == 0 && r->job) {
        r->job->done = resume;
        r->job->done_ctx = r;
        MHD_suspend_connection(r->conn);
        ng__srv_writer_push(srv->writer, r->job);
        return MHD_YES;
    }
    if (r->status == 0)
        ng__srv_error(r, 500, "internal", "no response");
    return send_reply(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *data,
                                  size_t *size, void **ctx)
{
    ng__server *srv = cls;
    ng__srv_req *r = *ctx;

    if (!r) {
        r = begin(srv, c, url, method);
        if (!r)
            return MHD_NO;
        *ctx = r;
        /* An answer decided before the body is read goes out now; MHD
         * then closes the connection instead of reading the body. */
        return r->status ? send_reply(r) : MHD_YES;
    }
    if (*size) {
        int rc = r->status ? 0 : gather(r, data, *size);
        *size = 0;
        /* A body trickled in must still arrive within the timeout (an
         * idle connection is closed by MHD itself). */
        if (ng__srv_now() - r->started > srv->cfg.timeout)
            rc = -1;
        return rc == 0 ? MHD_YES : MHD_NO;
    }
    if (r->status && !r->job)
        return MHD_YES;   /* answered early; MHD is sending it */
    return finish(srv, r);
}

/* The peer's address as text. */
static void peer_of(struct MHD_Connection *c, char *buf, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    snprintf(buf, n, "-");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
                  buf, (socklen_t)n);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
                  buf, (socklen_t)n);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx,
                         enum MHD_RequestTerminationCode toe)
{
    ng__server *srv = cls;
    ng__srv_req *r = *ctx;
    char peer[64];

    if (!r)
        return;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && r->status == 0)
        r->status = 0;   /* logged as "-": the client left or timed out */
    peer_of(c, peer, sizeof peer);
    ng__srv_log_access(r, peer, r->resp_len);
    ng__srv_metrics_request(srv->metrics, r->route, r->status,
                            ng__srv_now() - r->started);
    ng__srv_job_free(r->job);
    free(r->body);
    free(r->resp);
    free(r);
    *ctx = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}

/* The listen address; returns 0 or -1 when `host` is not an IPv4
 * address. */
static int address(const ng__srv_config *cfg, struct sockaddr_in *sa)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)cfg->port);
    return inet_pton(AF_INET, cfg->host, &sa->sin_addr) == 1 ? 0 : -1;
}

int ng__srv_http_start(ng__server *srv, unsigned *port, ng__srv_http **out)
{
    const ng__srv_config *cfg = &srv->cfg;
    struct sockaddr_in sa;
    ng__srv_http *h;
    const union MHD_DaemonInfo *di;

    *out = NULL;
    if (address(cfg, &sa) != 0) {
        ng__srv_log("serve: '%s' is not an IPv4 address", cfg->host);
        return -1;
    }
    if (!(h = calloc(1, sizeof *h)))
        return -1;
    h->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
            MHD_ALLOW_SUSPEND_RESUME,
        0, NULL, NULL, on_request, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->max_conns,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->max_header,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_END);
    if (!h->d) {
        ng__srv_log("serve: cannot listen on %s:%u", cfg->host, cfg->port);
        free(h);
        return -1;
    }
    di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    *port = di ? di->port : cfg->port;
    *out = h;
    return 0;
}

void ng__srv_http_stop(ng__srv_http *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    free(h);
}
