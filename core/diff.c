/*
 * diff.c -- word-level diff (see diff.h).  Texts are split on blanks;
 * common prefix and suffix words are kept as they are, and the middle is
 * aligned with the classic longest-common-subsequence table, filled from
 * the end so the script can be read forwards.  The table is bounded by a
 * cell budget so a pair of long, very different texts costs at most a few
 * megabytes and milliseconds; past it the middle is reported as one
 * removal and one addition.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "grow.h"

#define DEFAULT_CELLS 4000000u

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
        || c == '\v';
}

/* Splits s into words; returns the count or (size_t)-1 on no memory. */
static size_t split(const char *s, ng__word **out)
{
    size_t n = 0, cap = 0;
    ng__word *w = NULL;

    for (;;) {
        while (*s && blank(*s))
            s++;
        if (!*s)
            break;
        if (ng__grow(&w, &cap, n, 1, sizeof *w, 64) < 0) {
            free(w);
            return (size_t)-1;
        }
        w[n].s = s;
        while (*s && !blank(*s))
            s++;
        w[n].len = (size_t)(s - w[n].s);
        n++;
    }
    *out = w;
    return n;
}

static int same(const ng__word *x, const ng__word *y)
{
    return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

/* Appends an op, merging with the previous one of the same kind. */
static int add(ng__diff *d, size_t *cap, char kind, size_t from, size_t n)
{
    if (n == 0)
        return 0;
    if (d->nops && d->ops[d->nops - 1].kind == kind) {
        d->ops[d->nops - 1].count += n;
        return 0;
    }
    if (ng__grow(&d->ops, cap, d->nops, 1, sizeof *d->ops, 16) < 0)
        return -1;
    d->ops[d->nops++] = (ng__diff_op){ kind, from, n };
    return 0;
}

/* Aligns a[lo_a..hi_a) with b[lo_b..hi_b) by LCS; the table L[i][j] holds
 * the LCS length of the suffixes a[i..), b[j..). */
static int align(ng__diff *d, size_t *cap, size_t pa, size_t n, size_t pb,
                 size_t m)
{
    size_t w = m + 1, i, j;
    uint32_t *L = calloc((n + 1) * w, sizeof *L);
    int rc = 0;

    if (L == NULL)
        return -1;
    for (i = n; i-- > 0;)
        for (j = m; j-- > 0;)
            L[i * w + j] = same(&d->a[pa + i], &d->b[pb + j])
                ? L[(i + 1) * w + j + 1] + 1
                : (L[(i + 1) * w + j] >= L[i * w + j + 1]
                   ? L[(i + 1) * w + j] : L[i * w + j + 1]);
    for (i = 0, j = 0; rc == 0 && (i < n || j < m);) {
        if (i < n && j < m && same(&d->a[pa + i], &d->b[pb + j]))
            rc = add(d, cap, '=', pa + i, 1), i++, j++;
        else if (i < n && (j == m || L[(i + 1) * w + j] >= L[i * w + j + 1]))
            rc = add(d, cap, '-', pa + i, 1), i++;   /* removals first */
        else
            rc = add(d, cap, '+', pb + j, 1), j++;
    }
    free(L);
    return rc;
}

static int build(ng__diff *d, size_t max_cells)
{
    size_t cap = 0, pre = 0, suf = 0, n, m;

    while (pre < d->na && pre < d->nb && same(&d->a[pre], &d->b[pre]))
        pre++;
    while (suf < d->na - pre && suf < d->nb - pre
           && same(&d->a[d->na - 1 - suf], &d->b[d->nb - 1 - suf]))
        suf++;
    n = d->na - pre - suf;
    m = d->nb - pre - suf;
    if (add(d, &cap, '=', 0, pre) < 0)
        return -1;
    if (n && m && (n + 1) <= max_cells / (m + 1)) {
        if (align(d, &cap, pre, n, pre, m) < 0)
            return -1;
    } else {
        d->coarse = n && m;
        if (add(d, &cap, '-', pre, n) < 0 || add(d, &cap, '+', pre, m) < 0)
            return -1;
    }
    return add(d, &cap, '=', d->na - suf, suf);
}

int ng__diff_words(const char *a, const char *b, size_t max_cells,
                   ng__diff **out)
{
    ng__diff *d = calloc(1, sizeof *d);

    *out = NULL;
    if (d == NULL)
        return -1;
    if ((d->na = split(a, &d->a)) == (size_t)-1
        || (d->nb = split(b, &d->b)) == (size_t)-1
        || build(d, max_cells ? max_cells : DEFAULT_CELLS) < 0) {
        ng__diff_free(d);   /* split leaves its list NULL on failure */
        return -1;
    }
    *out = d;
    return 0;
}

void ng__diff_free(ng__diff *d)
{
    if (d == NULL)
        return;
    free(d->a);
    free(d->b);
    free(d->ops);
    free(d);
}
