/*
 * server_metrics.c -- the counters of `newsgate serve` and their two
 * renderings: the Prometheus text format for GET /metrics and a JSON
 * object for GET /v1/stats.
 *
 * Counted: requests by route and status class, request latency
 * histograms by route, items by action (filed and dry runs), hits and
 * errors by rule, group commits (size, time running jobs, time checking,
 * time committing) and rule reloads.  One mutex guards them; a request
 * takes it two or three times for a few hundred nanoseconds.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "server.h"

#define NBOUNDS 14
static const double bounds[NBOUNDS] = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1, 2.5, 5, 10,
};

#define NSIZES 11
static const double sizes[NSIZES] = {
    1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024,
};

static const char *const route_names[NG__RT_COUNT] = {
    "other", "submit", "check", "item", "queue", "decide", "publish",
    "stats", "healthz", "metrics", "ui",
};

typedef struct hist {
    uint64_t b[NBOUNDS + 1];   /* per bucket, not cumulative */
    uint64_t count;
    double sum;
} hist;

typedef struct rulec {
    char *name;
    uint64_t hits, errors;
} rulec;

struct ng__srv_metrics {
    pthread_mutex_t mu;
    uint64_t requests[NG__RT_COUNT][6];   /* status class 0 (none) .. 5 */
    hist latency[NG__RT_COUNT];
    uint64_t filed[3], checked[3], existing;
    rulec *rules;
    size_t nrules, cap;
    uint64_t groups, group_items;
    hist group_size;   /* bounds from `sizes` */
    double run_s, check_s, commit_s;
    uint64_t rechecks[3];  /* none, partial, full */
    uint64_t reloads[2];  /* failed, ok */
};

int ng__srv_metrics_new(ng__srv_metrics **out)
{
    ng__srv_metrics *m = calloc(1, sizeof *m);

    *out = NULL;
    if (!m || pthread_mutex_init(&m->mu, NULL) != 0) {
        free(m);
        return -1;
    }
    *out = m;
    return 0;
}

void ng__srv_metrics_free(ng__srv_metrics *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nrules; i++)
        free(m->rules[i].name);
    free(m->rules);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

static void observe(hist *h, const double *bnd, int nb, double v)
{
    int i = 0;

    while (i < nb && v > bnd[i])
        i++;
    h->b[i]++;
    h->count++;
    h->sum += v;
}

void ng__srv_metrics_request(ng__srv_metrics *m, ng__srv_route rt,
                             int status, double seconds)
{
    int cls = status >= 100 && status < 600 ? status / 100 : 0;

    pthread_mutex_lock(&m->mu);
    m->requests[rt][cls]++;
    observe(&m->latency[rt], bounds, NBOUNDS, seconds);
    pthread_mutex_unlock(&m->mu);
}

/* The counters of rule `name`, added when new; NULL on no memory.
 * Called with the mutex held. */
static rulec *rule(ng__srv_metrics *m, const char *name)
{
    for (size_t i = 0; i < m->nrules; i++)
        if (strcmp(m->rules[i].name, name) == 0)
            return &m->rules[i];
    if (ng__srv_grow((void **)&m->rules, &m->cap, m->nrules + 1,
                     sizeof *m->rules) != 0)
        return NULL;
    rulec *r = &m->rules[m->nrules];
    if (!(r->name = strdup(name)))
        return NULL;
    r->hits = r->errors = 0;
    m->nrules++;
    return r;
}

void ng__srv_metrics_verdict(ng__srv_metrics *m, const ng_verdict *v,
                             int stored)
{
    size_t nh = ng_verdict_hit_count(v), ne = ng_verdict_error_count(v);
    ng_action a = ng_verdict_action(v);
    rulec *r;

    pthread_mutex_lock(&m->mu);
    if ((int)a >= 0 && a <= NG_REJECT)
        (stored ? m->filed : m->checked)[a]++;
    for (size_t i = 0; i < nh; i++)
        if ((r = rule(m, ng_verdict_hit(v, i)->rule)) != NULL)
            r->hits++;
    for (size_t i = 0; i < ne; i++)
        if ((r = rule(m, ng_verdict_error(v, i)->rule)) != NULL)
            r->errors++;
    pthread_mutex_unlock(&m->mu);
}

void ng__srv_metrics_existing(ng__srv_metrics *m)
{
    pthread_mutex_lock(&m->mu);
    m->existing++;
    pthread_mutex_unlock(&m->mu);
}

void ng__srv_metrics_rechecks(ng__srv_metrics *m, const unsigned n[3])
{
    pthread_mutex_lock(&m->mu);
    for (int i = 0; i < 3; i++)
        m->rechecks[i] += n[i];
    pthread_mutex_unlock(&m->mu);
}

void ng__srv_metrics_group(ng__srv_metrics *m, size_t jobs, size_t items,
                           double run_s, double check_s, double commit_s)
{
    pthread_mutex_lock(&m->mu);
    m->groups++;
    m->group_items += items;
    observe(&m->group_size, sizes, NSIZES, (double)jobs);
    m->run_s += run_s;
    m->check_s += check_s;
    m->commit_s += commit_s;
    pthread_mutex_unlock(&m->mu);
}

void ng__srv_metrics_reload(ng__srv_metrics *m, int ok)
{
    pthread_mutex_lock(&m->mu);
    m->reloads[ok ? 1 : 0]++;
    pthread_mutex_unlock(&m->mu);
}

/* ---- Prometheus text -------------------------------------------------- */

typedef struct out {
    char *buf;
    size_t len, cap;
    int failed;
} out;

static void put(out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void put(out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->failed)
        return;
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(o->buf ? o->buf + o->len : NULL,
                      o->buf ? o->cap - o->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            break;
        if (o->buf && o->len + (size_t)n < o->cap) {
            o->len += (size_t)n;
            return;
        }
        if (ng__srv_grow((void **)&o->buf, &o->cap, o->len + (size_t)n + 1,
                         1) != 0)
            break;
    }
    o->failed = 1;
}

/* A label value with \, " and newline escaped. */
static void put_label(out *o, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            put(o, "\\%c", *s);
        else if (*s == '\n')
            put(o, "\\n");
        else
            put(o, "%c", *s);
    }
}

static void put_hist(out *o, const char *name, const char *labels,
                     const hist *h, const double *bnd, int nb)
{
    uint64_t cum = 0;

    for (int i = 0; i < nb; i++) {
        cum += h->b[i];
        put(o, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels,
            *labels ? "," : "", bnd[i], (unsigned long long)cum);
    }
    put(o, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels,
        *labels ? "," : "", (unsigned long long)h->count);
    if (*labels)
        put(o, "%s_sum{%s} %.6f\n%s_count{%s} %llu\n", name, labels,
            h->sum, name, labels, (unsigned long long)h->count);
    else
        put(o, "%s_sum %.6f\n%s_count %llu\n", name, h->sum, name,
            (unsigned long long)h->count);
}

static void put_requests(out *o, const ng__srv_metrics *m)
{
    static const char *const cls[6] = { "none", "1xx", "2xx", "3xx", "4xx",
                                        "5xx" };
    char labels[64];

    put(o, "# HELP newsgate_http_requests_total HTTP requests answered.\n"
           "# TYPE newsgate_http_requests_total counter\n");
    for (int r = 0; r < NG__RT_COUNT; r++)
        for (int c = 0; c < 6; c++)
            if (m->requests[r][c])
                put(o, "newsgate_http_requests_total{route=\"%s\","
                    "code=\"%s\"} %llu\n", route_names[r], cls[c],
                    (unsigned long long)m->requests[r][c]);
    put(o, "# HELP newsgate_http_request_duration_seconds Time from the "
           "request line to the answer.\n"
           "# TYPE newsgate_http_request_duration_seconds histogram\n");
    for (int r = 0; r < NG__RT_COUNT; r++) {
        if (!m->latency[r].count)
            continue;
        snprintf(labels, sizeof labels, "route=\"%s\"", route_names[r]);
        put_hist(o, "newsgate_http_request_duration_seconds", labels,
                 &m->latency[r], bounds, NBOUNDS);
    }
}

static void put_items(out *o, const ng__srv_metrics *m)
{
    put(o, "# HELP newsgate_items_total Items filed by action; dry runs "
           "under kind=\"check\".\n# TYPE newsgate_items_total counter\n");
    for (int a = 0; a < 3; a++)
        put(o, "newsgate_items_total{kind=\"filed\",action=\"%s\"} %llu\n"
            "newsgate_items_total{kind=\"check\",action=\"%s\"} %llu\n",
            ng_action_name((ng_action)a), (unsigned long long)m->filed[a],
            ng_action_name((ng_action)a), (unsigned long long)m->checked[a]);
    put(o, "# HELP newsgate_items_existing_total Submissions whose "
           "external_id was already stored.\n"
           "# TYPE newsgate_items_existing_total counter\n"
           "newsgate_items_existing_total %llu\n",
        (unsigned long long)m->existing);
    put(o, "# HELP newsgate_rule_hits_total Hits by rule.\n"
           "# TYPE newsgate_rule_hits_total counter\n");
    for (size_t i = 0; i < m->nrules; i++) {
        put(o, "newsgate_rule_hits_total{rule=\"");
        put_label(o, m->rules[i].name);
        put(o, "\"} %llu\n", (unsigned long long)m->rules[i].hits);
    }
    put(o, "# HELP newsgate_rule_errors_total Rule runs that failed "
           "(error, budget, memory).\n"
           "# TYPE newsgate_rule_errors_total counter\n");
    for (size_t i = 0; i < m->nrules; i++) {
        put(o, "newsgate_rule_errors_total{rule=\"");
        put_label(o, m->rules[i].name);
        put(o, "\"} %llu\n", (unsigned long long)m->rules[i].errors);
    }
}

static void put_writer(out *o, const ng__srv_metrics *m)
{
    put(o, "# HELP newsgate_group_commits_total Transactions of the "
           "writer.\n# TYPE newsgate_group_commits_total counter\n"
           "newsgate_group_commits_total %llu\n"
           "# HELP newsgate_group_jobs Requests per group commit.\n"
           "# TYPE newsgate_group_jobs histogram\n",
        (unsigned long long)m->groups);
    put_hist(o, "newsgate_group_jobs", "", &m->group_size, sizes, NSIZES);
    put(o, "# HELP newsgate_writer_seconds_total Writer time by phase.\n"
           "# TYPE newsgate_writer_seconds_total counter\n"
           "newsgate_writer_seconds_total{phase=\"check\"} %.6f\n"
           "newsgate_writer_seconds_total{phase=\"file\"} %.6f\n"
           "newsgate_writer_seconds_total{phase=\"commit\"} %.6f\n",
        m->check_s, m->run_s - m->check_s, m->commit_s);
    put(o, "# HELP newsgate_writer_checks_total Items the writer filed, "
           "by the rules it ran: all (not checked before), store_rules "
           "(the rules that read the store, again) or all_again.\n"
           "# TYPE newsgate_writer_checks_total counter\n"
           "newsgate_writer_checks_total{run=\"all\"} %llu\n"
           "newsgate_writer_checks_total{run=\"store_rules\"} %llu\n"
           "newsgate_writer_checks_total{run=\"all_again\"} %llu\n",
        (unsigned long long)m->rechecks[0],
        (unsigned long long)m->rechecks[1],
        (unsigned long long)m->rechecks[2]);
    put(o, "# HELP newsgate_rule_reloads_total Rule reloads by outcome.\n"
           "# TYPE newsgate_rule_reloads_total counter\n"
           "newsgate_rule_reloads_total{result=\"ok\"} %llu\n"
           "newsgate_rule_reloads_total{result=\"failed\"} %llu\n",
        (unsigned long long)m->reloads[1], (unsigned long long)m->reloads[0]);
}

char *ng__srv_metrics_text(ng__server *srv)
{
    ng__srv_metrics *m = srv->metrics;
    out o = { 0 };

    pthread_mutex_lock(&m->mu);
    put_requests(&o, m);
    put_items(&o, m);
    put_writer(&o, m);
    pthread_mutex_unlock(&m->mu);
    put(&o, "# HELP newsgate_inflight_requests Requests being served.\n"
           "# TYPE newsgate_inflight_requests gauge\n"
           "newsgate_inflight_requests %ld\n"
           "# HELP newsgate_writer_queue Jobs waiting for the writer.\n"
           "# TYPE newsgate_writer_queue gauge\n"
           "newsgate_writer_queue %zu\n"
           "# HELP newsgate_uptime_seconds Seconds since start.\n"
           "# TYPE newsgate_uptime_seconds gauge\n"
           "newsgate_uptime_seconds %.3f\n",
        atomic_load(&srv->inflight), ng__srv_writer_depth(srv->writer),
        ng__srv_now() - srv->started);
    if (o.failed) {
        free(o.buf);
        return NULL;
    }
    return o.buf;
}

void *ng__srv_metrics_json(ng__server *srv)
{
    ng__srv_metrics *m = srv->metrics;
    json_t *j;

    pthread_mutex_lock(&m->mu);
    j = json_pack("{s:f, s:{s:I, s:I, s:I}, s:I, s:{s:I, s:I, s:I}, "
                  "s:I, s:I, s:I, s:I}",
        "uptime_seconds", ng__srv_now() - srv->started,
        "filed", "accept", (json_int_t)m->filed[0],
        "review", (json_int_t)m->filed[1],
        "reject", (json_int_t)m->filed[2],
        "existing", (json_int_t)m->existing,
        "checked", "accept", (json_int_t)m->checked[0],
        "review", (json_int_t)m->checked[1],
        "reject", (json_int_t)m->checked[2],
        "group_commits", (json_int_t)m->groups,
        "group_items", (json_int_t)m->group_items,
        "reloads", (json_int_t)m->reloads[1],
        "reloads_failed", (json_int_t)m->reloads[0]);
    pthread_mutex_unlock(&m->mu);
    return j;
}
