/*
 * verdict_text.c -- the readable form of a verdict, for a terminal: one
 * headline with the action and score, then one line per hit (score, rule,
 * group, description) with its detail indented below, then rule errors.
 * Every string that came from the item or a rule is escaped (term.h), so
 * a verdict printed on a terminal cannot drive it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "term.h"
#include "verdict.h"

typedef struct buf {
    char *s;
    size_t n, cap;
    int failed;
} buf;

/* Grows b to hold `more` bytes past its end (ng__grow).  Returns 0 or
 * -1 (and marks b failed). */
static int room(buf *b, size_t more)
{
    if (b->failed)
        return -1;
    if (ng__grow(&b->s, &b->cap, b->n, more, 1, 256) < 0) {
        b->failed = 1;
        return -1;
    }
    return 0;
}

static void put(buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    int need;

    for (;;) {
        if (b->failed)
            return;
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
        room(b, (size_t)need + 1);
    }
}

/* Appends the literal text s (no format). */
static void put_s(buf *b, const char *s)
{
    size_t n = strlen(s);

    if (room(b, n + 1) == 0) {
        memcpy(b->s + b->n, s, n + 1);
        b->n += n;
    }
}

/* Appends `s` (may be NULL: nothing) escaped for a terminal, in one
 * pass: an escape is at most four bytes for each byte it replaces. */
static void put_esc(buf *b, const char *s)
{
    size_t len = s ? strlen(s) : 0;

    if (len == 0 || len > (SIZE_MAX - 1) / 4 || room(b, 4 * len + 1) < 0)
        return;
    b->n += ng__term_escape(b->s + b->n, 4 * len + 1, s, len, 0);
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
    put(b, "  %-7s %s", score, color ? "\033[1m" : "");
    put_esc(b, h->rule);
    put(b, "%s  (", color ? "\033[0m" : "");
    put_esc(b, h->group);
    put_s(b, ") ");
    put_esc(b, h->description);
    if (h->forced) {
        put_s(b, "  -> forces ");
        put_esc(b, h->forced);
    }
    put_s(b, "\n");
    if (h->detail) {
        put_s(b, "          ");
        put_esc(b, h->detail);
        put_s(b, "\n");
    }
    if (h->field && h->span_start >= 0) {
        put_s(b, "          at ");
        put_esc(b, h->field);
        put(b, " bytes %ld-%ld\n", h->span_start, h->span_end);
    }
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
    if (v->origin) {
        put_esc(&b, v->origin);
        if (v->index)       /* items not read from an input have none */
            put(&b, " item %zu", v->index);
        put_s(&b, ": ");
    }
    put(&b, "%s%s%s  score %g (review at %g, reject at %g)",
        color ? action_color(v->action) : "", act, color ? "\033[0m" : "",
        v->score, v->th_review, v->th_reject);
    if (v->forced) {
        put_s(&b, ", forced by ");
        put_esc(&b, v->forced_by);
    }
    put_s(&b, "\n");
    for (size_t i = 0; i < v->nhits; i++)
        put_hit(&b, &v->hits[i], color);
    for (size_t i = 0; i < v->nerrors; i++) {
        put(&b, "  %sERROR%s   ", color ? "\033[1;31m" : "",
            color ? "\033[0m" : "");
        put_esc(&b, v->errors[i].rule);
        put_s(&b, ": ");
        put_esc(&b, v->errors[i].message);
        put_s(&b, "\n");
    }
    for (size_t i = 0; i < v->ndebug; i++) {
        put_s(&b, "  debug   ");
        put_esc(&b, v->debug[i].rule);
        put_s(&b, ": ");
        put_esc(&b, v->debug[i].message);
        put_s(&b, "\n");
    }
    if (v->nhits == 0 && v->nerrors == 0)
        put_s(&b, "  no rule fired\n");
    if (v->cleaned)
        put(&b, "  furniture: %zu bytes in %zu blocks cut from the body\n",
            v->cut_bytes, v->ncuts);
    put(&b, "  (%llu us)\n", (unsigned long long)v->total_us);
    if (v->profiled) {
        put(&b, "  profile: analysis %llu us", (unsigned long long)v->analysis_us);
        for (size_t i = 0; i < v->nruns; i++)
            put(&b, "%s %s %u us", i % 4 == 3 ? "\n          " : ";",
                v->runs[i].rule, (unsigned)v->runs[i].us);
        put_s(&b, "\n");
    }
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
