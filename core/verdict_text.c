/*
 * verdict_text.c -- the readable form of a verdict, for a terminal: one
 * headline with the action and score, then one line per hit (score, rule,
 * group, description) with its detail indented below, then rule errors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "verdict.h"

typedef struct buf {
    char *s;
    size_t n, cap;
    int failed;
} buf;

static void put(buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    int need;

    if (b->failed)
        return;
    for (;;) {
        va_start(ap, fmt);
        need = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (need < 0) {
            b->failed = 1;
            return;
        }
        if (b->s && b->n + (size_t)need < b->cap) {
            b->n += (size_t)need;
            return;
        }
        if (ng__grow(&b->s, &b->cap, b->n, (size_t)need + 1, 1, 256) < 0) {
            b->failed = 1;
            return;
        }
    }
}

static const char *action_color(ng_action a)
{
    return a == NG_REJECT ? "\033[1;31m" : a == NG_REVIEW ? "\033[1;33m" : "\033[1;32m";
}

static void put_hit(buf *b, const ng_hit *h, int color)
{
    char score[32];
    if (h->shadow)
        snprintf(score, sizeof score, "shadow");
    else
        snprintf(score, sizeof score, "%+g", h->score);
    put(b, "  %-7s %s%s%s  (%s) %s%s%s\n", score, color ? "\033[1m" : "", h->rule,
        color ? "\033[0m" : "", h->group, h->description,
        h->forced ? "  -> forces " : "", h->forced ? h->forced : "");
    if (h->detail)
        put(b, "          %s\n", h->detail);
    if (h->field && h->span_start >= 0)
        put(b, "          at %s bytes %ld-%ld\n", h->field, h->span_start, h->span_end);
}

char *ng_verdict_text(const ng_verdict *v, int64_t id, int color)
{
    buf b = { 0 };
    const char *act;

    if (v == NULL)
        return NULL;
    act = ng_action_name(v->action);

    if (id > 0)
        put(&b, "#%lld ", (long long)id);
    if (v->origin)
        put(&b, "%s item %zu: ", v->origin, v->index);
    put(&b, "%s%s%s  score %g (review at %g, reject at %g)%s%s\n",
        color ? action_color(v->action) : "", act, color ? "\033[0m" : "",
        v->score, v->th_review, v->th_reject,
        v->forced ? ", forced by " : "", v->forced ? v->forced_by : "");
    for (size_t i = 0; i < v->nhits; i++)
        put_hit(&b, &v->hits[i], color);
    for (size_t i = 0; i < v->nerrors; i++)
        put(&b, "  %sERROR%s   %s: %s\n", color ? "\033[1;31m" : "",
            color ? "\033[0m" : "", v->errors[i].rule, v->errors[i].message);
    for (size_t i = 0; i < v->ndebug; i++)
        put(&b, "  debug   %s: %s\n", v->debug[i].rule, v->debug[i].message);
    if (v->nhits == 0 && v->nerrors == 0)
        put(&b, "  no rule fired\n");
    if (v->cleaned)
        put(&b, "  furniture: %zu bytes in %zu blocks cut from the body\n",
            v->cut_bytes, v->ncuts);
    put(&b, "  (%llu us)\n", (unsigned long long)v->total_us);
    if (v->profiled) {
        put(&b, "  profile: analysis %llu us", (unsigned long long)v->analysis_us);
        for (size_t i = 0; i < v->nruns; i++)
            put(&b, "%s %s %u us", i % 4 == 3 ? "\n          " : ";",
                v->runs[i].rule, (unsigned)v->runs[i].us);
        put(&b, "\n");
    }
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
