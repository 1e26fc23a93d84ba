/*
 * server_route.c -- the API of `newsgate serve`: the route table, the
 * token check each route asks for, JSON answers and errors, and the
 * handlers that only read (dry-run check, item, queue, stats, health,
 * metrics).  Handlers that write build a job for the writer
 * (server_jobs.c).
 *
 * Reading handlers run on the HTTP thread with that thread's engine and
 * read-only store (ng__srv_worker), so reads never wait for the writer.
 * docs/api.md documents every route; keep the two in step.
 *
 * Every answer, the writer's too, is set by ng__srv_reply: there the
 * hidden code points of JSON answers are escaped, whoever wrote the JSON,
 * by the library's one escaper (json_out.h) after a look for them with
 * its one definition of them (term.h): the server's one use of headers
 * past newsgate.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "json_out.h"
#include "server.h"
#include "term.h"

/* The eight bytes at u as one word. */
static inline uint64_t word(const unsigned char *u)
{
    uint64_t w;

    memcpy(&w, u, sizeof w);
    return w;
}

/* The bit of each byte that is set past ASCII. */
#define HIGH_BITS 0x8080808080808080u

/* 1 when one of the 64 bytes at u is past ASCII, else 0: the words ORed
 * first, one test for them all. */
static inline int past_ascii64(const unsigned char *u)
{
    uint64_t any = word(u) | word(u + 8) | word(u + 16) | word(u + 24)
                   | word(u + 32) | word(u + 40) | word(u + 48)
                   | word(u + 56);

    return (any & HIGH_BITS) != 0;
}

/* 1 when s[0..n) holds a code point ng__term_hidden names, else 0.  One
 * pass: ASCII 64 bytes a step, and only the characters past ASCII are
 * decoded, so JSON already escaped (the library's verdicts, the queue's
 * reports) or with other non-ASCII text (a pound sign, accents) is not
 * copied again by ng__json_hide. */
static int has_hidden(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, k;
    unsigned cp;

    while (i < n) {
        if (n - i >= 64 && !past_ascii64(u + i))
            i += 64;
        else if (n - i >= 8 && !(word(u + i) & HIGH_BITS))
            i += 8;   /* near a character past ASCII: short steps */
        else if (u[i] < 0x80)
            i++;
        else if ((k = ng__utf8_decode(u + i, n - i, &cp)) == 0)
            i++;   /* not UTF-8: ng__json_hide copies it as it is */
        else if (ng__term_hidden(cp))
            return 1;
        else
            i += k;
    }
    return 0;
}

void ng__srv_reply(ng__srv_req *r, int status, char *json)
{
    size_t len = json ? strlen(json) : 0;

    /* JSON answers only (no other type set): a moderator's console or a
     * publisher's page may show them raw.  ng__json_hide gives NULL on
     * no memory, answered below as such. */
    if (json && !r->resp_type && has_hidden(json, len)) {
        json = ng__json_hide(json);
        len = json ? strlen(json) : 0;
    }
    free(r->resp);
    if (!json) {
        static const char oom[] =
            "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
        status = 500;
        json = strdup(oom);
        len = json ? sizeof oom - 1 : 0;
    }
    r->status = status;
    r->resp = json;
    r->resp_len = len;
}

void ng__srv_error(ng__srv_req *r, int status, const char *code,
                   const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ng__srv_reply(r, status, ng__srv_error_json(code, msg));
}

/* Replies with `j` (stolen) dumped. */
static void reply_json(ng__srv_req *r, int status, json_t *j)
{
    ng__srv_reply(r, status, j ? json_dumps(j, JSON_COMPACT) : NULL);
    json_decref(j);
}

/* ---- reading handlers ------------------------------------------------- */

/* Appends one checked item's verdict to t; returns 0, or -1 with an
 * error set. */
static int check_one(ng__srv_req *r, ng_engine *e, ng_item *it,
                     ng__srv_text *t)
{
    ng_verdict *v;
    char *vj;
    int rc;

    if (ng_check(e, it, &v) != NG_OK) {
        ng__srv_error(r, 500, "internal", "check failed");
        return -1;
    }
    ng__srv_metrics_verdict(r->srv->metrics, v, 0);
    vj = ng_verdict_json(v, 0);
    ng_verdict_free(v);
    rc = ng__srv_text_add(t, vj);
    ng_free(vj);
    if (rc != 0)
        ng__srv_error(r, 500, "internal", "out of memory");
    return rc;
}

/* Dry runs: the verdicts, spliced as text (never parsed again). */
static void h_check(ng__srv_req *r, int64_t id)
{
    ng_engine *e;
    ng_store *s;
    ng_item **items;
    size_t n;
    int single, rc = 0;
    ng__srv_text t = { 0 };

    if (ng__srv_read_items(r, &items, &n, &single) != 0 ||
        ng__srv_worker(r, &e, &s) != 0)
        return;
    if (!single)
        rc = ng__srv_text_add(&t, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && i > 0)
            rc = ng__srv_text_add(&t, ",");
        if (rc == 0)
            rc = check_one(r, e, items[i], &t);
        ng_item_free(items[i]);
    }
    free(items);
    if (rc == 0 && !single)
        rc = ng__srv_text_add(&t, "]}");
    if (rc == 0)
        ng__srv_reply(r, 200, t.buf);
    else
        free(t.buf);
}

static void h_item(ng__srv_req *r, int64_t id)
{
    ng_engine *e;
    ng_store *s;
    char *json;
    int rc;

    if (ng__srv_worker(r, &e, &s) != 0)
        return;
    rc = ng_queue_show(s, id, &json);
    if (rc == NG_OK)
        ng__srv_reply(r, 200, json);
    else if (rc == NG_ENOTFOUND)
        ng__srv_error(r, 404, "not_found", "no item %lld", (long long)id);
    else
        ng__srv_error(r, 500, "store_error", "%s", ng_store_errmsg(s));
}

/* A whole-number query argument in [lo, hi] into *v (unchanged when
 * absent).  Returns 0, or -1 with a 400 set. */
static int query_int(ng__srv_req *r, const char *key, int64_t lo,
                     int64_t hi, int64_t *v)
{
    const char *s = ng__srv_query(r, key);
    char *end;
    long long x;

    if (!s)
        return 0;
    errno = 0;
    x = strtoll(s, &end, 10);
    if (!*s || *end || errno || x < lo || x > hi) {
        ng__srv_error(r, 400, "malformed", "%s must be a whole number from "
                      "%lld to %lld", key, (long long)lo, (long long)hi);
        return -1;
    }
    *v = x;
    return 0;
}

/* The `since` argument: unix seconds or an RFC 3339 time.  Returns 0, or
 * -1 with a 400 set. */
static int query_since(ng__srv_req *r, int64_t *since)
{
    const char *s = ng__srv_query(r, "since");

    if (s && strspn(s, "0123456789") != strlen(s)) {
        if (ng_time_parse(s, since) == NG_OK)
            return 0;
        ng__srv_error(r, 400, "malformed", "since must be unix seconds or "
                      "an RFC 3339 time");
        return -1;
    }
    return query_int(r, "since", 0, INT64_MAX, since);
}

static void h_queue(ng__srv_req *r, int64_t id)
{
    static const char *const ok[] = { "accepted", "review", "rejected",
                                      "published" };
    ng_queue_filter f = { .limit = 50 };
    ng_engine *e;
    ng_store *s;
    char *json;
    int known = 0;

    f.status = ng__srv_query(r, "status");
    f.rule = ng__srv_query(r, "rule");
    for (int i = 0; f.status && i < 4; i++)
        known |= strcmp(f.status, ok[i]) == 0;
    if (f.status && !known) {
        ng__srv_error(r, 400, "malformed", "status must be accepted, "
                      "review, rejected or published");
        return;
    }
    if (query_int(r, "limit", 1, 1000, &f.limit) != 0 ||
        query_int(r, "after", 0, INT64_MAX, &f.after) != 0 ||
        query_int(r, "decided_since", 0, INT64_MAX, &f.decided_since) != 0 ||
        query_since(r, &f.since) != 0 ||
        ng__srv_worker(r, &e, &s) != 0)
        return;
    if (ng_queue_list(s, &f, &json) == NG_OK)
        ng__srv_reply(r, 200, json);
    else
        ng__srv_error(r, 500, "store_error", "%s", ng_store_errmsg(s));
}

static void h_stats(ng__srv_req *r, int64_t id)
{
    ng_engine *e;
    ng_store *s;
    ng_queue_counts c;

    if (ng__srv_worker(r, &e, &s) != 0)
        return;
    if (ng_queue_count(s, &c) != NG_OK) {
        ng__srv_error(r, 500, "store_error", "%s", ng_store_errmsg(s));
        return;
    }
    reply_json(r, 200, json_pack(
        "{s:{s:I, s:I, s:I, s:I, s:I}, s:{s:i, s:s}, s:o}",
        "queue", "accepted", (json_int_t)c.accepted,
        "review", (json_int_t)c.review, "rejected", (json_int_t)c.rejected,
        "published", (json_int_t)c.published, "total", (json_int_t)c.total,
        "rules", "count", (int)ng_engine_rule_count(e),
        "hash", ng_engine_rules_hash(e),
        "server", (json_t *)ng__srv_metrics_json(r->srv)));
}

static void h_rules(ng__srv_req *r, int64_t id)
{
    ng_engine *e;
    ng_store *s;
    char *json;

    if (ng__srv_worker(r, &e, &s) != 0)
        return;
    if (ng_rule_stats(s, 0, &json) == NG_OK)
        ng__srv_reply(r, 200, json);
    else
        ng__srv_error(r, 500, "store_error", "%s", ng_store_errmsg(s));
}

static void h_health(ng__srv_req *r, int64_t id)
{
    ng_engine *e;
    ng_store *s;

    if (ng__srv_worker(r, &e, &s) != 0)
        return;
    reply_json(r, 200, json_pack("{s:s, s:s, s:i, s:s}", "status", "ok",
                                 "version", NG_VERSION, "rules",
                                 (int)ng_engine_rule_count(e), "rules_hash",
                                 ng_engine_rules_hash(e)));
}

static void h_metrics(ng__srv_req *r, int64_t id)
{
    /* The type first: ng__srv_reply escapes JSON only. */
    r->resp_type = "text/plain; version=0.0.4; charset=utf-8";
    ng__srv_reply(r, 200, ng__srv_metrics_text(r->srv));
}

/* ---- writing handlers: jobs for the writer ---------------------------- */

static void h_submit(ng__srv_req *r, int64_t id) { ng__srv_submit(r); }
static void h_approve(ng__srv_req *r, int64_t id) { ng__srv_decide(r, id, 1); }
static void h_reject(ng__srv_req *r, int64_t id) { ng__srv_decide(r, id, 0); }
static void h_claim(ng__srv_req *r, int64_t id) { ng__srv_claim(r); }
static void h_ack(ng__srv_req *r, int64_t id) { ng__srv_handoff(r, id, 1); }
static void h_release(ng__srv_req *r, int64_t id) { ng__srv_handoff(r, id, 0); }

/* ---- routing ---------------------------------------------------------- */

#define SUBMIT_ROLE -1   /* open unless --submit-token */
#define MOD NG__ROLE_MODERATOR
#define PUB NG__ROLE_PUBLISHER

typedef struct route {
    const char *method, *pattern;   /* "{id}" matches a positive number */
    ng__srv_route label;
    int roles;                      /* roles allowed; 0 open */
    void (*fn)(ng__srv_req *r, int64_t id);
} route;

static const route routes[] = {
    { "POST", "/v1/items", NG__RT_SUBMIT, SUBMIT_ROLE, h_submit },
    { "POST", "/v1/check", NG__RT_CHECK, SUBMIT_ROLE, h_check },
    { "GET", "/v1/items/{id}", NG__RT_ITEM, MOD | PUB, h_item },
    { "POST", "/v1/items/{id}/approve", NG__RT_DECIDE, MOD, h_approve },
    { "POST", "/v1/items/{id}/reject", NG__RT_DECIDE, MOD, h_reject },
    { "POST", "/v1/claim", NG__RT_PUBLISH, PUB, h_claim },
    { "POST", "/v1/items/{id}/ack", NG__RT_PUBLISH, PUB, h_ack },
    /* Moderators release too: a claim left by a stuck publisher. */
    { "POST", "/v1/items/{id}/release", NG__RT_PUBLISH, MOD | PUB, h_release },
    { "GET", "/v1/queue", NG__RT_QUEUE, MOD, h_queue },
    { "GET", "/v1/stats", NG__RT_STATS, MOD, h_stats },
    { "GET", "/v1/rules", NG__RT_STATS, MOD, h_rules },
    { "GET", "/v1/sources/{id}", NG__RT_ITEM, MOD, ng__srv_source },
    { "GET", "/healthz", NG__RT_HEALTH, 0, h_health },
    { "GET", "/metrics", NG__RT_METRICS, 0, h_metrics },
};

/* 1 when `path` matches `pat`, with the {id} segment in *id. */
static int match(const char *pat, const char *path, int64_t *id)
{
    while (*pat && *path) {
        if (strncmp(pat, "{id}", 4) == 0) {
            size_t n = strspn(path, "0123456789");
            if (n == 0 || n > 18 || *path == '0')
                return 0;
            *id = strtoll(path, NULL, 10);
            pat += 4, path += n;
        } else if (*pat++ != *path++) {
            return 0;
        }
    }
    return *pat == '\0' && *path == '\0';
}

/* Checks the bearer token against the roles a route allows.  Returns 0,
 * or -1 with a 401 or 403 set. */
static int authorize(ng__srv_req *r, int roles)
{
    const ng__srv_config *cfg = &r->srv->cfg;
    int have;

    if (roles == SUBMIT_ROLE)
        roles = cfg->submit_token ? NG__ROLE_SUBMITTER | MOD : 0;
    if (roles == 0)
        return 0;
    have = ng__srv_tokens_role(r->srv->tokens,
                               ng__srv_header(r, "Authorization"));
    if (have == 0) {
        r->www_auth = 1;
        ng__srv_error(r, 401, "unauthorized", r->srv->tokens
                      ? "a valid bearer token is required"
                      : "no tokens are configured (serve --tokens FILE)");
        return -1;
    }
    if ((have & roles) == 0) {
        ng__srv_error(r, 403, "forbidden", "this token's role may not "
                      "use this endpoint");
        return -1;
    }
    return 0;
}

void ng__srv_handle(ng__srv_req *r)
{
    const route *found = NULL;
    int path_known = 0;
    int64_t id = 0;

    if (ng__srv_ui(r))
        return;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!match(routes[i].pattern, r->path, &id))
            continue;
        path_known = 1;
        if (strcmp(routes[i].method, r->method) == 0) {
            found = &routes[i];
            break;
        }
        r->allow = routes[i].method;   /* each path has one method */
    }
    if (!found) {
        if (path_known)
            ng__srv_error(r, 405, "method_not_allowed", "use %s",
                          r->allow);
        else
            ng__srv_error(r, 404, "not_found", "no such endpoint");
        return;
    }
    r->route = found->label;
    if (authorize(r, found->roles) == 0)
        found->fn(r, id);
}
