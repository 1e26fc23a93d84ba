/*
 * publishers.c -- publishers' fingerprints: the list file, and finding
 * which publishers a text gives away.
 *
 * A list names each publisher with the forms it is credited under, its
 * domains, and the page furniture its site prints: whole lines ("Also
 * on") and phrases found anywhere ("Like this story? Share it with a
 * friend!").  Matching is one pass over the text for all the phrases
 * (litscan.c, built once when the list is read; it skips most bytes, so
 * the cost grows with the text, not with the list), one pass over its
 * lines for the line entries, and a look at
 * the credits credits.c found and the item's link domains.  Comparisons
 * ignore ASCII case; phrases match on word boundaries.
 *
 * The format is documented in docs/attribution.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attrib.h"
#include "byteclass.h"
#include "grow.h"
#include "item.h"
#include "litscan.h"
#include "url.h"

typedef struct pub {
    char *name;
    ng__strlist names, domains, lines, phrases;
} pub;

/* A phrase or line entry, flat over all publishers. */
typedef struct line_ref {
    size_t pub;
    const char *s;
    size_t len;
} line_ref;

struct ng__publishers {
    pub *v;
    size_t n, cap;
    line_ref *ph;      /* phrases, in the scanner's order (below) */
    size_t nph, phcap;
    line_ref *ln;
    size_t nln, lncap;
    ng__litscan *scan; /* all phrases; see index_phrases */
};

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

void ng__publishers_free(ng__publishers *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].name);
        ng__strlist_free(&p->v[i].names);
        ng__strlist_free(&p->v[i].domains);
        ng__strlist_free(&p->v[i].lines);
        ng__strlist_free(&p->v[i].phrases);
    }
    free(p->v);
    free(p->ph);
    free(p->ln);
    ng__litscan_free(p->scan);
    free(p);
}

size_t ng__publishers_count(const ng__publishers *p)
{
    return p->n;
}

const char *ng__publishers_name(const ng__publishers *p, size_t i)
{
    return i < p->n ? p->v[i].name : NULL;
}

/* ---- loading ------------------------------------------------------- */

static void trim(const char **a, const char **b)
{
    while (*a < *b && (**a == ' ' || **a == '\t'))
        (*a)++;
    while (*b > *a && ((*b)[-1] == ' ' || (*b)[-1] == '\t' || (*b)[-1] == '\r'))
        (*b)--;
}

/* Pushes the comma-separated items of [a, b) (lower-cased when `fold`). */
static int push_items(ng__strlist *l, const char *a, const char *b, int fold,
                      int split)
{
    while (a < b) {
        const char *c = split ? memchr(a, ',', (size_t)(b - a)) : NULL;
        const char *e = c ? c : b, *s = a;
        trim(&s, &e);
        if (e > s) {
            if (ng__strlist_push(l, s, (size_t)(e - s)) < 0)
                return -1;
            for (char *q = l->v[l->n - 1]; fold && *q; q++)
                *q = (char)lower((unsigned char)*q);
        }
        a = c ? c + 1 : b;
    }
    return 0;
}

static int new_pub(ng__publishers *p, const char *a, const char *b)
{
    pub *u;
    if (ng__grow(&p->v, &p->cap, p->n, 1, sizeof *p->v, 16) < 0)
        return -1;
    u = &p->v[p->n];
    memset(u, 0, sizeof *u);
    if ((u->name = strndup(a, (size_t)(b - a))) == NULL)
        return -1;
    p->n++;
    return 0;
}

/* One line of the file.  Returns 0, -1 on no memory, or 1 with a
 * message in err. */
static int load_line(ng__publishers *p, const char *a, const char *b,
                     char *err, size_t errlen)
{
    static const char *const keys[] = {
        "names", "domains", "line", "phrase", NULL
    };
    const char *colon;
    trim(&a, &b);
    if (a == b || *a == '#')
        return 0;
    if (*a == '[') {
        if (b - a < 3 || b[-1] != ']') {
            snprintf(err, errlen, "a publisher is written [Name]");
            return 1;
        }
        return new_pub(p, a + 1, b - 1);
    }
    colon = memchr(a, ':', (size_t)(b - a));
    if (!colon || p->n == 0) {
        snprintf(err, errlen, p->n ? "expected 'key: value'"
                 : "expected [Publisher] before entries");
        return 1;
    }
    pub *u = &p->v[p->n - 1];
    ng__strlist *dest[] = { &u->names, &u->domains, &u->lines, &u->phrases };
    for (int k = 0; keys[k]; k++)
        if (ng__attrib_word_in(a, (size_t)(colon - a), (const char *const[]){ keys[k], NULL }))
            return push_items(dest[k], colon + 1, b, k == 1, k < 2);
    snprintf(err, errlen, "unknown key '%.*s'", (int)(colon - a), a);
    return 1;
}

/* Appends the entries of l, credited to publisher `pubi`, to the flat
 * array *v. */
static int flatten(line_ref **v, size_t *n, size_t *cap, const ng__strlist *l,
                   size_t pubi)
{
    for (size_t k = 0; k < l->n; k++) {
        if (ng__grow(v, cap, *n, 1, sizeof **v, 16) < 0)
            return -1;
        (*v)[(*n)++] = (line_ref){ pubi, l->v[k], strlen(l->v[k]) };
    }
    return 0;
}

/* Builds the scanner over all phrases.  They are given to it last first
 * (publishers and phrases in the reverse of the file's order): at one
 * start its occurrences then come in the order the evidence has always
 * been collected in, so that the (unstable) sort of the evidence sees
 * the same input and gives the same output. */
static int build_scan(ng__publishers *p)
{
    const char **lits = malloc((p->nph ? p->nph : 1) * sizeof *lits);
    for (size_t i = 0, j = p->nph; lits && i < j; i++, j--) {
        line_ref r = p->ph[i];
        p->ph[i] = p->ph[j - 1];
        p->ph[j - 1] = r;
    }
    for (size_t i = 0; lits && i < p->nph; i++)
        lits[i] = p->ph[i].s;
    p->scan = lits ? ng__litscan_new(lits, p->nph) : NULL;
    free(lits);
    return p->scan ? 0 : -1;
}

/* Flattens the phrases and line entries and builds the phrases'
 * scanner; a publisher with no names is credited under its display
 * name. */
static int index_phrases(ng__publishers *p)
{
    for (size_t i = 0; i < p->n; i++) {
        pub *u = &p->v[i];
        if (u->names.n == 0 && ng__strlist_push(&u->names, u->name, strlen(u->name)) < 0)
            return -1;
        if (flatten(&p->ln, &p->nln, &p->lncap, &u->lines, i) < 0
            || flatten(&p->ph, &p->nph, &p->phcap, &u->phrases, i) < 0)
            return -1;
    }
    return build_scan(p);
}

static int load_text(ng__publishers *p, const char *s, size_t len, char *err,
                     size_t errlen)
{
    size_t ln = 0, i = 0;
    char msg[200];
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) : len;
        int rc = load_line(p, s + i, s + e, msg, sizeof msg);
        ln++;
        if (rc < 0)
            break;
        if (rc > 0) {
            snprintf(err, errlen, "line %zu: %s", ln, msg);
            return -1;
        }
        i = e + 1;
    }
    if (i < len || index_phrases(p) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int ng__publishers_load(ng__publishers **out, const char *path, char *err,
                        size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    ng__publishers *p;
    *out = NULL;
    if (!f) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return -1;
    }
    do {
        if (ng__grow(&buf, &cap, len, 4096, 1, 4096) < 0) {
            fclose(f);
            free(buf);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    if ((p = calloc(1, sizeof *p)) == NULL || load_text(p, buf, len, err, errlen) < 0) {
        if (!p)
            snprintf(err, errlen, "out of memory");
        ng__publishers_free(p);
        free(buf);
        return -1;
    }
    free(buf);
    *out = p;
    return 0;
}

/* ---- matching ------------------------------------------------------ */

typedef struct evs {
    ng__evidence *v;
    size_t n, cap;
} evs;

static int add_ev(evs *o, size_t pubi, ng__evidence_kind k, int credit,
                  size_t s, size_t e, const char *what)
{
    if (o->n >= 1024)
        return 0;
    if (ng__grow(&o->v, &o->cap, o->n, 1, sizeof *o->v, 16) < 0)
        return -1;
    o->v[o->n++] = (ng__evidence){ pubi, k, credit, s, e, what };
    return 0;
}

static int ci_eq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return 1;
}

typedef struct scan_ctx {
    const ng__publishers *p;
    const unsigned char *t;
    size_t len;
    evs *o;
} scan_ctx;

/* One occurrence of phrase k at `at`: evidence when it starts a word or
 * at a byte outside words, and does not end inside a word. */
static int on_phrase(void *ctx, size_t k, size_t at)
{
    const scan_ctx *c = ctx;
    const line_ref *r = &c->p->ph[k];
    size_t e = at + r->len;
    if (at > 0 && ng__bc_word(c->t[at - 1]) && ng__bc_word(c->t[at]))
        return 0;
    if (e < c->len && ng__bc_word(c->t[e]) && ng__bc_word(c->t[e - 1]))
        return 0;
    return add_ev(c->o, r->pub, NG__EV_FURNITURE, 0, at, e, r->s) < 0 ? -1 : 0;
}

/* Phrases anywhere in the text, on word boundaries: one pass of the
 * scanner for all of them. */
static int match_phrases(const ng__publishers *p, const char *t, size_t len,
                         evs *o)
{
    scan_ctx c = { p, (const unsigned char *)t, len, o };
    return ng__litscan_each(p->scan, t, len, on_phrase, &c) < 0 ? -1 : 0;
}

/* Line entries: a whole line of the text, white space trimmed. */
static int match_lines(const ng__publishers *p, const char *t, size_t len,
                       evs *o)
{
    size_t ls = 0;
    while (ls < len) {
        const char *nl = memchr(t + ls, '\n', len - ls);
        const char *a = t + ls, *b = nl ? nl : t + len;
        trim(&a, &b);
        for (size_t k = 0; k < p->nln && b > a; k++) {
            const line_ref *l = &p->ln[k];
            if (l->len == (size_t)(b - a) && ci_eq(a, l->s, l->len)
                && add_ev(o, l->pub, NG__EV_FURNITURE, 0, (size_t)(a - t),
                          (size_t)(b - t), l->s) < 0)
                return -1;
        }
        ls = nl ? (size_t)(nl - t) + 1 : len;
    }
    return 0;
}

/* 1 when s[0..n) is one of the names, or starts with one and a space. */
static int names_match(const ng__strlist *names, const char *s, size_t n)
{
    for (size_t k = 0; k < names->n; k++) {
        size_t m = strlen(names->v[k]);
        if (m <= n && ci_eq(s, names->v[k], m) && (m == n || s[m] == ' '))
            return 1;
    }
    return 0;
}

static int match_credits(const ng__publishers *p, const char *t,
                         const ng__credit *cr, size_t ncr, evs *o)
{
    for (size_t c = 0; c < ncr; c++)
        for (size_t i = 0; i < p->n; i++)
            if (names_match(&p->v[i].names, t + cr[c].pub_start,
                            cr[c].pub_end - cr[c].pub_start)
                && add_ev(o, i, NG__EV_CREDIT, (int)cr[c].kind,
                          cr[c].start, cr[c].end, NULL) < 0)
                return -1;
    return 0;
}

static int by_pub_then_start(const void *a, const void *b)
{
    const ng__evidence *x = a, *y = b;
    if (x->pub != y->pub)
        return x->pub < y->pub ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

int ng__publishers_match(const ng__publishers *p, const char *text,
                         size_t len, const ng__credit *cr, size_t ncr,
                         const char *const *domains, size_t ndomains,
                         ng__evidence **out, size_t *n)
{
    evs o = { NULL, 0, 0 };
    *out = NULL;
    *n = 0;
    if (match_phrases(p, text, len, &o) < 0 || match_lines(p, text, len, &o) < 0
        || match_credits(p, text, cr, ncr, &o) < 0) {
        free(o.v);
        return -1;
    }
    for (size_t d = 0; d < ndomains; d++)
        for (size_t i = 0; i < p->n; i++)
            for (size_t k = 0; k < p->v[i].domains.n; k++)
                if (ng__url_host_under(domains[d], p->v[i].domains.v[k])
                    && add_ev(&o, i, NG__EV_LINK, 0, 0, 0, p->v[i].domains.v[k]) < 0) {
                    free(o.v);
                    return -1;
                }
    if (o.n > 1)
        qsort(o.v, o.n, sizeof *o.v, by_pub_then_start);
    *out = o.v;
    *n = o.n;
    return 0;
}

/* 1 when one of the names occurs in `source` as whole words. */
static int source_names(const ng__strlist *names, const char *source)
{
    size_t n = strlen(source);
    for (size_t k = 0; k < names->n; k++) {
        size_t m = strlen(names->v[k]);
        for (size_t i = 0; i + m <= n; i++)
            if ((i == 0 || !ng__bc_word((unsigned char)source[i - 1]))
                && ci_eq(source + i, names->v[k], m)
                && (i + m == n || !ng__bc_word((unsigned char)source[i + m])))
                return 1;
    }
    return 0;
}

int ng__publishers_credited(const ng__publishers *p, size_t i,
                            const char *source, const char *host)
{
    const pub *u = &p->v[i];
    if (source && source_names(&u->names, source))
        return 1;
    for (size_t k = 0; host && k < u->domains.n; k++)
        if (ng__url_host_under(host, u->domains.v[k]))
            return 1;
    return 0;
}
