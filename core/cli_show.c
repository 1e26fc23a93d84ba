/*
 * cli_show.c -- the text form of `newsgate queue show`: what a moderator
 * needs to decide on one item.  The headline and a "why" line say what
 * status the item has and what put it there (a moderator, a forcing rule,
 * or the score against the thresholds); then the fields, each hit (score,
 * rule, detail, forced action, shadow hits marked), the body with the hit
 * spans marked, the audit trail, and for a duplicate the earlier item with
 * a word-level diff (core/diff.c).  It reads ng_queue_show's JSON with
 * jansson, and every string from the item or the rules goes out escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_show.h"
#include "cli_util.h"
#include "diff.h"

#define RED "\033[31m"
#define GREEN "\033[32m"
#define BOLD "\033[1m"
#define REV "\033[7m"
#define OFF "\033[0m"

/* Words of unchanged text kept on each side of a change in a diff. */
#define DIFF_CONTEXT 6

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static double num(json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

/* "YYYY-MM-DD HH:MM:SSZ" of the unix seconds at o[key], or "-". */
static void when(json_t *o, const char *key, char *buf, size_t n)
{
    json_t *v = json_object_get(o, key);

    if (json_is_integer(v))
        ng__cli_time(json_integer_value(v), buf, n);
    else
        snprintf(buf, n, "-");
}

/* "label:      value" with the value escaped; nothing when absent. */
static void field(const char *label, const char *value)
{
    if (value == NULL || *value == '\0')
        return;
    printf("%-11s ", label);
    ng__cli_puts(stdout, value, 0);
    putchar('\n');
}

/* Why the rules gave the verdict they gave. */
static void rules_reason(json_t *v, const char *action)
{
    json_t *th = json_object_get(v, "thresholds"), *forced;
    double score = num(v, "score"), review = num(th, "review");
    double reject = num(th, "reject");

    if ((forced = json_object_get(v, "forced")) != NULL) {
        printf("rule ");
        ng__cli_puts(stdout, str(forced, "rule"), 0);
        printf(" forces %s (score %.4g)", str(forced, "action"), score);
    } else if (action && strcmp(action, "reject") == 0)
        printf("score %.4g reaches the reject threshold %g", score, reject);
    else if (action && strcmp(action, "review") == 0)
        printf("score %.4g reaches the review threshold %g (reject at %g)",
               score, review, reject);
    else
        printf("score %.4g is below the review threshold %g", score, review);
}

static void print_why(json_t *o, json_t *v)
{
    const char *by = str(o, "decided_by"), *action = str(v, "action");
    char t[40];

    printf("why:        ");
    if (by) {
        when(o, "decided_at", t, sizeof t);
        printf("decided by moderator ");
        ng__cli_puts(stdout, by, 0);
        printf(" at %s; the rules said %s: ", t, action ? action : "?");
    }
    rules_reason(v, action);
    putchar('\n');
}

static void print_hits(json_t *hits, int color)
{
    json_t *h;
    size_t i;

    printf("hits:%s\n", json_array_size(hits) ? "" : "       none");
    json_array_foreach(hits, i, h) {
        int shadow = json_is_true(json_object_get(h, "shadow"));
        if (shadow)
            printf("  %-7s ", "shadow");
        else
            printf("  %+-7g ", num(h, "score"));
        printf("%s", color ? BOLD : "");
        ng__cli_puts(stdout, str(h, "rule"), 0);
        printf("%s (", color ? OFF : "");
        ng__cli_puts(stdout, str(h, "group"), 0);
        printf(") ");
        ng__cli_puts(stdout, str(h, "description"), 0);
        if (str(h, "forces"))
            printf("  -> forces %s", str(h, "forces"));
        if (shadow)
            printf("  [shadow: not scored]");
        putchar('\n');
        if (str(h, "detail")) {
            printf("          ");
            ng__cli_puts(stdout, str(h, "detail"), 0);
            putchar('\n');
        }
    }
}

static void print_errors(json_t *errs)
{
    json_t *e;
    size_t i;

    json_array_foreach(errs, i, e) {
        printf("  ERROR   ");
        ng__cli_puts(stdout, str(e, "rule"), 0);
        printf(": ");
        ng__cli_puts(stdout, str(e, "error"), 0);
        putchar('\n');
    }
}

/* Writes text[0..n) escaped, newlines kept as indented line breaks. */
static void put_block(const char *text, size_t n)
{
    char *e = ng_text_escape(text, n, NG_ESCAPE_KEEP_NEWLINES);

    for (char *p = e; p && *p; p++) {
        putchar(*p);
        if (*p == '\n')
            fputs("  ", stdout);
    }
    ng_free(e);
}

typedef struct mark {
    size_t start, end;
    const char *rule;
} mark;

static int by_start(const void *a, const void *b)
{
    const mark *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The spans of hits on `fld` inside a text of `len` bytes, sorted, with
 * overlapping ones dropped.  Returns the count (marks has room for 64). */
static size_t spans(json_t *hits, const char *fld, size_t len, mark *m)
{
    json_t *h;
    size_t i, n = 0, k = 0;

    json_array_foreach(hits, i, h) {
        json_t *sp = json_object_get(h, "span");
        const char *f = str(h, "field");
        if (n == 64 || !f || strcmp(f, fld) != 0 || json_array_size(sp) != 2)
            continue;
        json_int_t a = json_integer_value(json_array_get(sp, 0));
        json_int_t b = json_integer_value(json_array_get(sp, 1));
        if (a < 0 || b <= a || (size_t)b > len)
            continue;
        m[n++] = (mark){ (size_t)a, (size_t)b, str(h, "rule") };
    }
    qsort(m, n, sizeof *m, by_start);
    for (i = 0; i < n; i++)
        if (k == 0 || m[i].start >= m[k - 1].end)
            m[k++] = m[i];
    return k;
}

/* "FIELD:" and the text on the lines below with hit spans marked:
 * reverse video on a colour terminal, else [[...]], each followed by
 * {RULE}.  Nothing when the text is empty, or has no spans and
 * `only_marked`. */
static void print_marked(const char *fld, const char *text, json_t *hits,
                         int color, int only_marked)
{
    mark m[64];
    size_t len = text ? strlen(text) : 0, at = 0, n;

    if (len == 0)
        return;
    n = spans(hits, fld, len, m);
    if (n == 0 && only_marked)
        return;
    printf("%s%s:\n  ", fld, only_marked ? " (marked)" : "");
    for (size_t i = 0; i < n; i++) {
        put_block(text + at, m[i].start - at);
        fputs(color ? REV : "[[", stdout);
        put_block(text + m[i].start, m[i].end - m[i].start);
        fputs(color ? OFF "{" : "]]{", stdout);
        ng__cli_puts(stdout, m[i].rule, 0);
        putchar('}');
        at = m[i].end;
    }
    put_block(text + at, len - at);
    putchar('\n');
}

static void print_audit(json_t *audit)
{
    json_t *x;
    size_t i;
    char t[40];

    printf("audit:\n");
    json_array_foreach(audit, i, x) {
        when(x, "at", t, sizeof t);
        printf("  %s  ", t);
        ng__cli_put_cols(stdout, str(x, "actor"), 10, 1);
        printf(" ");
        ng__cli_put_cols(stdout, str(x, "action"), 8, 1);
        printf(" ");
        ng__cli_puts(stdout, str(x, "detail"), 0);
        putchar('\n');
    }
}

/* ---- duplicates ------------------------------------------------------- */

/* The earlier item a duplicate hit names: its "ref" (rules/duplicates.lua
 * sets it), else, for verdicts stored before refs existed, the first "#N"
 * in the detail of a hit of the "duplicate" group.  0 when none. */
static int64_t earlier_id(json_t *hits, int64_t self)
{
    json_t *h;
    size_t i;

    json_array_foreach(hits, i, h) {
        const char *g = str(h, "group"), *d = str(h, "detail"), *p;
        json_int_t ref = json_integer_value(json_object_get(h, "ref"));
        if (ref > 0 && ref != self)
            return (int64_t)ref;
        if (!g || strcmp(g, "duplicate") != 0 || !d)
            continue;
        for (p = strchr(d, '#'); p; p = strchr(p + 1, '#')) {
            long long v = strtoll(p + 1, NULL, 10);
            if (v > 0 && v != self)
                return (int64_t)v;
        }
    }
    return 0;
}

static void put_words(const ng__word *w, size_t from, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        char *e = ng_text_escape(w[from + k].s, w[from + k].len, 0);
        printf("%s%s", k ? " " : "", e ? e : "");
        ng_free(e);
    }
}

/* One unchanged run, cut to DIFF_CONTEXT words beside each change. */
static void put_same(const ng__diff *d, const ng__diff_op *o, int first,
                     int last)
{
    size_t keep = 2 * DIFF_CONTEXT, n = o->count;

    if (n <= keep + 1 || (first && last)) {
        put_words(d->a, o->from, n);
        return;
    }
    if (!first) {
        put_words(d->a, o->from, DIFF_CONTEXT);
        putchar(' ');
    }
    fputs("...", stdout);
    if (!last) {
        putchar(' ');
        put_words(d->a, o->from + n - DIFF_CONTEXT, DIFF_CONTEXT);
    }
}

/* "label: #E -> #N" and a wdiff-style word diff of a and b. */
static int print_diff(const char *label, const char *a, const char *b,
                      int color)
{
    ng__diff *d;

    if (ng__diff_words(a ? a : "", b ? b : "", 0, &d) != 0)
        return EXIT_INTERNAL;
    printf("  %s:%s\n    ", label,
           d->nops == 1 && d->ops[0].kind == '=' ? " (same)" : "");
    for (size_t i = 0; i < d->nops; i++) {
        const ng__diff_op *o = &d->ops[i];
        if (i)
            putchar(' ');
        if (o->kind == '=') {
            put_same(d, o, i == 0, i + 1 == d->nops);
            continue;
        }
        fputs(o->kind == '-' ? (color ? RED "[-" : "[-")
                             : (color ? GREEN "{+" : "{+"), stdout);
        put_words(o->kind == '-' ? d->a : d->b, o->from, o->count);
        fputs(o->kind == '-' ? "-]" : "+}", stdout);
        fputs(color ? OFF : "", stdout);
    }
    if (d->coarse)
        printf("\n    (too long to align word by word)");
    putchar('\n');
    ng__diff_free(d);
    return 0;
}

static int print_earlier(ng_store *s, json_t *item, int64_t self,
                         int64_t eid, int color)
{
    char *json = NULL;
    json_t *e, *eitem;
    int rc;

    if (ng_queue_show(s, eid, &json) != NG_OK) {
        printf("earlier:    #%lld (not found)\n", (long long)eid);
        return 0;
    }
    e = json_loads(json, 0, NULL);
    ng_free(json);
    if (e == NULL)
        return EXIT_INTERNAL;
    eitem = json_object_get(e, "item");
    printf("earlier:    #%lld %s  ", (long long)eid, str(e, "status"));
    ng__cli_puts(stdout, str(eitem, "title"), 0);
    printf("\ndiff #%lld -> #%lld ([-only in #%lld-] {+only in #%lld+}):\n",
           (long long)eid, (long long)self, (long long)eid, (long long)self);
    rc = print_diff("title", str(eitem, "title"), str(item, "title"), color);
    if (rc == 0)
        rc = print_diff("body", str(eitem, "body"), str(item, "body"), color);
    json_decref(e);
    return rc;
}

int ng__cli_show_text(ng_store *s, json_t *o, int color)
{
    json_t *item = json_object_get(o, "item"), *v = json_object_get(o, "verdict");
    json_t *hits = json_object_get(v, "hits");
    int64_t id = json_integer_value(json_object_get(o, "id")), eid;
    char t[40];

    printf("#%lld  %s%s%s  score %.4g (review at %g, reject at %g)\n",
           (long long)id, color ? BOLD : "", str(o, "status"),
           color ? OFF : "", num(o, "score"),
           num(json_object_get(v, "thresholds"), "review"),
           num(json_object_get(v, "thresholds"), "reject"));
    print_why(o, v);
    field("title:", str(item, "title"));
    field("url:", str(item, "url"));
    field("source:", str(item, "source"));
    field("author:", str(item, "author"));
    field("submitter:", str(item, "submitter"));
    field("submitted:", str(item, "submitted_at"));
    when(o, "received_at", t, sizeof t);
    printf("received:   %s\n", t);
    if (str(o, "lease_by") || json_is_integer(json_object_get(o, "lease_until"))) {
        when(o, "lease_until", t, sizeof t);
        printf("lease:      ");
        ng__cli_puts(stdout, str(o, "lease_by"), 0);
        printf(" until %s\n", t);
    }
    print_hits(hits, color);
    print_errors(json_object_get(v, "errors"));
    print_marked("title", str(item, "title"), hits, color, 1);
    print_marked("body", str(item, "body"), hits, color, 0);
    print_audit(json_object_get(o, "audit"));
    if ((eid = earlier_id(hits, id)) > 0)
        return print_earlier(s, item, id, eid, color);
    return 0;
}
