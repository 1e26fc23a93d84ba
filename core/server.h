/*
 * server.h -- private to `newsgate serve` (core/server*.c): the server
 * handle, the request that travels between the HTTP glue and the
 * handlers, the writer's jobs, and the small modules around them (tokens,
 * metrics, access log).
 *
 * The server is an embedder of the library: it uses newsgate.h only,
 * and json_out.h and term.h for the one JSON escaper (in ng__srv_reply).
 * Only server_http.c includes microhttpd.h; the rest sees a request as
 * the struct below plus two getters.  Internal functions return 0 (or
 * NG_OK) on success and a negative number or an NG_E* code on failure, as
 * each prototype says.
 */
#ifndef NG_SERVER_H
#define NG_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "newsgate.h"

typedef struct ng__server ng__server;
typedef struct ng__srv_tokens ng__srv_tokens;
typedef struct ng__srv_metrics ng__srv_metrics;
typedef struct ng__srv_writer ng__srv_writer;
typedef struct ng__srv_http ng__srv_http;

/* ---- configuration ---------------------------------------------------- */

typedef struct ng__srv_config {
    const char *host;          /* listen address, default 127.0.0.1 */
    unsigned port;             /* default 8080; 0 picks a free port */
    const char *db, *rules, *tokens;
    unsigned threads;          /* HTTP worker threads (default: CPUs) */
    int submit_token;          /* 1: POST /v1/items and /v1/check need
                                  a submitter (or moderator) token */
    size_t max_body;           /* bytes per request body (1 MiB) */
    size_t max_items;          /* items per request (1,000) */
    unsigned max_conns;        /* open connections (1,000) */
    unsigned timeout;          /* seconds a connection may idle (30) */
    size_t max_header;         /* bytes of request line + headers (16 KiB) */
    size_t batch_items;        /* items per group commit at most (1,024) */
    unsigned drain;            /* seconds SIGTERM waits for requests (10) */
    int nosync;                /* commits not flushed (tests only) */
    ng_limits limits;          /* per-item input limits */
    uint32_t deadline_ms;      /* per rule and item (0: the engine's) */
} ng__srv_config;

/* Fills the defaults documented above. */
void ng__srv_config_defaults(ng__srv_config *c);

/* ---- roles ------------------------------------------------------------ */

enum {
    NG__ROLE_SUBMITTER = 1,
    NG__ROLE_MODERATOR = 2,
    NG__ROLE_PUBLISHER = 4
};

/* ---- requests --------------------------------------------------------- */

/* Routes, for metrics labels. */
typedef enum ng__srv_route {
    NG__RT_OTHER, NG__RT_SUBMIT, NG__RT_CHECK, NG__RT_ITEM, NG__RT_QUEUE,
    NG__RT_DECIDE, NG__RT_PUBLISH, NG__RT_STATS, NG__RT_HEALTH,
    NG__RT_METRICS, NG__RT_UI, NG__RT_COUNT
} ng__srv_route;

typedef struct ng__srv_job ng__srv_job;
typedef struct ng__srv_inreq ng__srv_inreq;

/* One HTTP request.  The glue owns it; handlers read the method, path and
 * body, and either set a response (status + resp) or hand a job to the
 * writer (job set, status 0), answered when the job is done. */
typedef struct ng__srv_req {
    ng__server *srv;
    void *conn;                /* the glue's connection, opaque here */
    const char *method, *path; /* live as long as the request */
    char *body;                /* NUL-terminated; NULL when empty */
    size_t len, cap;
    int too_large;             /* body went over max_body */
    double started;            /* monotonic seconds */
    ng__srv_route route;
    size_t items;              /* items in the request (access log) */
    int status;                /* response status, 0 while pending */
    char *resp;                /* response body (malloc'd JSON or text) */
    size_t resp_len;
    const char *resp_type;     /* content type, default JSON */
    const char *allow;         /* Allow header for 405 */
    int www_auth;              /* add WWW-Authenticate on 401 */
    const char *csp;           /* Content-Security-Policy, if any */
    ng__srv_job *job;          /* pending writer work */
    void *worker;              /* engine borrowed from the pool */
    const ng__srv_inreq *in;   /* an in-process request (conn is NULL):
                                  its headers and query arguments */
} ng__srv_req;

/* A request header (case-insensitive name) or query argument, or NULL.
 * Implemented by the glue (server_http.c). */
const char *ng__srv_header(ng__srv_req *r, const char *name);
const char *ng__srv_query(ng__srv_req *r, const char *key);

/* Sets a response: `status` and the body `json` (malloc'd, taken; NULL
 * means out of memory and becomes a 500).  Every answer passes here (the
 * writer's through ng__srv_take_job): unless r->resp_type names another
 * type, the C1 controls and invisible direction and line controls in
 * `json` are written as \uXXXX (ng__json_hide). */
void ng__srv_reply(ng__srv_req *r, int status, char *json);

/* Sets an error response {"error":{"code":CODE,"message":MSG}}. */
void ng__srv_error(ng__srv_req *r, int status, const char *code,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The text {"error":{"code":CODE,"message":MSG}}, malloc'd, or NULL on
 * no memory. */
char *ng__srv_error_json(const char *code, const char *msg);

/* Routes and handles a request whose body is complete (server_route.c).
 * On return either r->status is set, or r->job is set and must be given
 * to the writer. */
void ng__srv_handle(ng__srv_req *r);

/* Serves the moderator console's files when r's path is /ui or under
 * /ui/ (server_ui.c).  Returns 1 with a response set, or 0 when the path
 * is not the console's. */
int ng__srv_ui(ng__srv_req *r);

/* ---- requests without a socket (server_inproc.c) ---------------------- */

/* A request made in-process, for tests and fuzzing: what the glue would
 * have parsed off the socket.  `headers` and `query` are NULL or arrays
 * of name, value pairs ended by a NULL name. */
struct ng__srv_inreq {
    const char *method, *path;    /* path without its query string */
    const char *const *headers;   /* names compared case-insensitively */
    const char *const *query;
    const char *body;             /* may be NULL when len is 0 */
    size_t len;
};

/* Sets up a server as ng__server_run does (metrics, tokens, the writer
 * thread and its store, the engine pool) but listens nowhere.  Returns
 * NG_OK with *out, or an error code (logged). */
int ng__srv_inproc_open(const ng__srv_config *cfg, ng__server **out);

/* Handles one request as the glue would, waiting for the writer when the
 * request writes.  Sets *status and *resp (malloc'd, caller frees; may
 * be NULL for an empty body).  Returns 0, or -1 when out of memory. */
int ng__srv_inproc(ng__server *srv, const ng__srv_inreq *in, int *status,
                   char **resp);

/* The value of `name` in a name, value array as in ng__srv_inreq, or
 * NULL.  `nocase`: compare names ignoring ASCII case. */
const char *ng__srv_inproc_value(const char *const *kv, const char *name,
                                 int nocase);

/* Stops the writer, closes everything and frees srv.  Accepts NULL. */
void ng__srv_inproc_close(ng__server *srv);

/* ---- writer jobs (server_jobs.c, run by server_writer.c) -------------- */

typedef enum ng__srv_job_kind {
    NG__JOB_SUBMIT, NG__JOB_APPROVE, NG__JOB_REJECT, NG__JOB_CLAIM,
    NG__JOB_ACK, NG__JOB_RELEASE
} ng__srv_job_kind;

struct ng__srv_job {
    ng__srv_job_kind kind;
    ng_item **items;           /* submit: the items, owned */
    ng_verdict **checked;      /* submit: each item's verdict from the
                                  HTTP thread (owned; NULL, or an entry
                                  NULL: the writer checks it whole) */
    size_t nitems;
    int single;                /* submit: the body was one object */
    int64_t id;                /* decisions, ack, release */
    char *by, *note;           /* owned */
    char *expect;              /* decisions: the status the moderator
                                  saw (owned; NULL: no check) */
    int lease;                 /* claim */
    int spam;                  /* reject: learn the item as spam */
    double check_s;            /* seconds the writer spent checking */
    unsigned rechecks[3];      /* items filed with no re-check (none
                                  checked before), a partial and a full
                                  one (ng_submit_file) */
    int status;                /* result, set by the writer */
    char *resp;                /* result JSON, owned */
    void (*done)(void *ctx);   /* called once the result is durable */
    void *done_ctx;
    ng__srv_job *next;
};

/* Runs one job on the writer's engine and store, inside the open group
 * transaction; sets job->status and job->resp.  Feeds the metrics. */
void ng__srv_job_run(ng__server *srv, ng__srv_job *j, ng_engine *e,
                     ng_store *s);

/* Replaces a job's result with an error (its group did not commit). */
void ng__srv_job_fail(ng__srv_job *j, int status, const char *code,
                      const char *msg);

/* Frees a job and everything it owns.  Accepts NULL. */
void ng__srv_job_free(ng__srv_job *j);

/* Moves the result of r's finished job into r (status, resp) and frees
 * the job. */
void ng__srv_take_job(ng__srv_req *r);

/* Reads the items of a submission body (JSON object, array or NDJSON)
 * after checking its content type and syntax.  Sets *items (owned, free
 * each with ng_item_free and the array with free), *n and *single (the
 * body was one object).  Returns 0, or -1 with an error response set
 * (400, 413, 415 or 422). */
int ng__srv_read_items(ng__srv_req *r, ng_item ***items, size_t *n,
                       int *single);

/* The body of a decision or hand-off as a JSON object (json_t *, owned;
 * an empty body gives an empty object), or NULL with a 400 or 415 set. */
void *ng__srv_body_object(ng__srv_req *r);

/* 1 when the request's Content-Type is JSON (application/json), 2 when it
 * is NDJSON (application/x-ndjson, application/ndjson), 0 otherwise. */
int ng__srv_json_type(ng__srv_req *r);

/* Builds the job of a writing request (server_jobs.c).  Return as for
 * ng__srv_handle. */
void ng__srv_submit(ng__srv_req *r);
void ng__srv_decide(ng__srv_req *r, int64_t id, int approve);
void ng__srv_claim(ng__srv_req *r);
void ng__srv_handoff(ng__srv_req *r, int64_t id, int ack);

/* GET /v1/sources/{id}: a registered reference source with its text
 * (server_sources.c).  Sets the response. */
void ng__srv_source(ng__srv_req *r, int64_t id);

/* ---- the writer (server_writer.c) ------------------------------------- */

/* Starts the writer thread, which owns the writing store `s` and its own
 * engine `e` (both taken).  Returns 0 or -1. */
int ng__srv_writer_start(ng__server *srv, ng_store *s, ng_engine *e,
                         ng__srv_writer **out);

/* Queues a job; its done callback runs on the writer thread once the
 * job's group has committed (or failed).  Once the writer is stopping,
 * the job fails with 503 at once and done runs on the caller's thread. */
void ng__srv_writer_push(ng__srv_writer *w, ng__srv_job *j);

/* Jobs queued and not yet taken. */
size_t ng__srv_writer_depth(ng__srv_writer *w);

/* Finishes the queued jobs, stops the thread, closes the store and the
 * engine.  Pushing is still allowed (and fails at once) until
 * ng__srv_writer_free.  Both accept NULL. */
void ng__srv_writer_stop(ng__srv_writer *w);
void ng__srv_writer_free(ng__srv_writer *w);

/* ---- the engine pool (server.c) --------------------------------------- */

/* Borrows an engine (rules current as of the last reload) with a
 * read-only store attached, and that store, for the rest of the request.
 * There are as many engines as HTTP threads, made at start-up, so a
 * thread never waits long.  Returns 0 (the glue gives it back with
 * ng__srv_worker_release). */
int ng__srv_worker(ng__srv_req *r, ng_engine **e, ng_store **s);

/* Gives back the engine r borrowed, if any. */
void ng__srv_worker_release(ng__srv_req *r);

/* Reloads `e` when the rules changed since `*gen`.  Logs a failure and
 * keeps the old rules. */
void ng__srv_refresh(ng__server *srv, ng_engine *e, unsigned *gen,
                     const char *who);

/* ---- server state (server.c) ------------------------------------------ */

struct ng__server {
    ng__srv_config cfg;
    ng__srv_tokens *tokens;
    ng__srv_metrics *metrics;
    ng__srv_writer *writer;
    ng__srv_http *http;
    atomic_int stopping;       /* SIGTERM seen: 503 for new requests */
    atomic_long inflight;      /* requests begun and not yet answered */
    atomic_uint rules_gen;     /* bumped by a good reload */
    struct ng__srv_pool *pool; /* engines of the HTTP threads */
    double started;            /* monotonic seconds at start */
};

/* Runs the server until SIGTERM/SIGINT.  Returns a process exit status. */
int ng__server_run(const ng__srv_config *cfg);

/* Everything before listening: metrics, tokens, the writer, the engine
 * pool.  Returns NG_OK or an error code (logged); on failure the caller
 * still calls ng__srv_finish. */
int ng__srv_start(ng__server *srv);

/* Stops the writer (after its queue) and the HTTP threads, and frees
 * what ng__srv_start made; srv itself is the caller's. */
void ng__srv_finish(ng__server *srv);

/* Makes room in the array *p (of *cap elements of `size` bytes) for
 * `need` elements, at least doubling; overflow-checked.  (The library's
 * ng__grow is private to it; the server keeps to the public header.)  Returns 0, or -1
 * with *p unchanged on no memory or overflow. */
int ng__srv_grow(void **p, size_t *cap, size_t need, size_t size);

/* A growing text (response bodies built by appending). */
typedef struct ng__srv_text {
    char *buf;                 /* malloc'd, NUL-terminated; NULL if empty */
    size_t len, cap;
} ng__srv_text;

/* Appends s to t (a NULL s counts as no memory).  Returns 0 or -1. */
int ng__srv_text_add(ng__srv_text *t, const char *s);

/* Monotonic seconds. */
double ng__srv_now(void);

/* ---- HTTP glue (server_http.c) ---------------------------------------- */

/* Starts listening; *port receives the bound port.  Returns 0, or -1
 * after logging why. */
int ng__srv_http_start(ng__server *srv, unsigned *port, ng__srv_http **out);
void ng__srv_http_stop(ng__srv_http *h);

/* ---- tokens (server_tokens.c) ----------------------------------------- */

/* Loads a tokens file ("TOKEN ROLE" per line; # comments).  Returns 0 or
 * -1 with a message (naming the line, never the token) in err. */
int ng__srv_tokens_load(const char *path, ng__srv_tokens **out, char *err,
                        size_t errlen);

/* The role bits of the bearer token in an Authorization header value
 * (NULL when absent); 0 when it matches none.  Every stored token is
 * compared in constant time. */
int ng__srv_tokens_role(const ng__srv_tokens *t, const char *authorization);

size_t ng__srv_tokens_count(const ng__srv_tokens *t);
void ng__srv_tokens_free(ng__srv_tokens *t);

/* ---- metrics (server_metrics.c) --------------------------------------- */

int ng__srv_metrics_new(ng__srv_metrics **out);
void ng__srv_metrics_free(ng__srv_metrics *m);

/* One answered request. */
void ng__srv_metrics_request(ng__srv_metrics *m, ng__srv_route rt,
                             int status, double seconds);

/* One verdict: `stored` 1 for a filed submission, 0 for a dry run. */
void ng__srv_metrics_verdict(ng__srv_metrics *m, const ng_verdict *v,
                             int stored);

/* Items a group filed by the re-check they needed: none (not checked
 * before), partial, full (see ng_submit_file). */
void ng__srv_metrics_rechecks(ng__srv_metrics *m, const unsigned n[3]);

/* A submission whose external_id was already stored. */
void ng__srv_metrics_existing(ng__srv_metrics *m);

/* One group commit: jobs and items in it, seconds spent running the jobs
 * (of which `check_s` checking items) and committing. */
void ng__srv_metrics_group(ng__srv_metrics *m, size_t jobs, size_t items,
                           double run_s, double check_s, double commit_s);

/* Counts a reload (ok 1) or a failed one (ok 0). */
void ng__srv_metrics_reload(ng__srv_metrics *m, int ok);

/* The Prometheus text exposition.  Returns a malloc'd string or NULL. */
char *ng__srv_metrics_text(ng__server *srv);

/* Server figures as a JSON object for /v1/stats (jansson json_t *). */
void *ng__srv_metrics_json(ng__server *srv);

/* ---- logging (server_log.c) ------------------------------------------- */

/* One access-log line on stderr: time, peer, method, path, status, bytes,
 * duration, items.  Never bodies, query strings or headers. */
void ng__srv_log_access(const ng__srv_req *r, const char *peer,
                        size_t bytes);

/* An operational message on stderr, time-stamped. */
void ng__srv_log(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
