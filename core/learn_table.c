/*
 * learn_table.c -- the spam learner's in-memory token table and the
 * classification over it.
 *
 * The table maps 64-bit token hashes to their spam and ham counts with
 * open addressing and linear probing (the hashes are XXH3, so their low
 * bits index the table directly), kept at most half full: 16 bytes a slot.
 * It is filled from the store in one read and replaced only when the
 * store's learner generation changes, so classifying costs no query.
 *
 * Classification (as SpamBayes does it): each known token gets Robinson's
 * f(w) = (s*x + n*p(w)) / (s + n), where p(w) is the share of the token's
 * appearances that were in spam (each class's count divided by the items
 * learned in that class), n the items that had it, x = 0.5 the belief for
 * a token never seen and s = 0.45 its strength.  Tokens with f(w) within
 * 0.1 of 0.5 say nothing and are skipped.  The rest are combined with
 * Fisher's method: H = C^-1(-2 ln prod f, 2k) and S = C^-1(-2 ln prod
 * (1 - f), 2k), where C^-1 is the chi-square survival function with 2k
 * degrees of freedom, and the answer is (1 + (1 - S) - (1 - H)) / 2.
 * Products are kept as mantissa and binary exponent (frexp), so hundreds
 * of small factors never underflow and the only logarithms are two.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "learn.h"

#define ROBINSON_X 0.5
#define ROBINSON_S 0.45
#define MIN_STRENGTH 0.1

typedef struct slot {
    uint64_t h;           /* 0: empty */
    uint32_t spam, ham;
} slot;

struct ng__toktable {
    slot *v;
    size_t cap, n;        /* cap: a power of two */
    int64_t nspam, nham;
};

ng__toktable *ng__toktable_new(void)
{
    return calloc(1, sizeof(ng__toktable));
}

void ng__toktable_free(ng__toktable *t)
{
    if (!t)
        return;
    free(t->v);
    free(t);
}

size_t ng__toktable_size(const ng__toktable *t)
{
    return t ? t->n : 0;
}

void ng__toktable_set_totals(ng__toktable *t, int64_t nspam, int64_t nham)
{
    t->nspam = nspam;
    t->nham = nham;
}

/* The slot of `h`: where it is, or the empty slot where it would go. */
static slot *find(const ng__toktable *t, uint64_t h)
{
    size_t mask = t->cap - 1;

    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask)
        if (t->v[i].h == h || t->v[i].h == 0)
            return &t->v[i];
}

/* Doubles the table (or makes the first one).  Returns NG_OK or
 * NG_ENOMEM, leaving the table as it was. */
static int grow(ng__toktable *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    slot *old = t->v;
    size_t oldcap = t->cap;

    if (cap > SIZE_MAX / sizeof *old)
        return NG_ENOMEM;
    slot *v = calloc(cap, sizeof *v);
    if (!v)
        return NG_ENOMEM;
    t->v = v, t->cap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].h)
            *find(t, old[i].h) = old[i];
    free(old);
    return NG_OK;
}

int ng__toktable_add(ng__toktable *t, uint64_t token, uint32_t spam,
                     uint32_t ham)
{
    token += token == 0;
    if (2 * (t->n + 1) > t->cap && grow(t) != NG_OK)
        return NG_ENOMEM;
    slot *s = find(t, token);
    if (s->h == 0) {
        s->h = token;
        t->n++;
    }
    s->spam += spam;
    s->ham += ham;
    return NG_OK;
}

static int load_one(void *ctx, uint64_t token, uint32_t spam, uint32_t ham)
{
    return ng__toktable_add(ctx, token, spam, ham) != NG_OK;
}

int ng__toktable_load(ng__toktable *t, ng_store *s, ng__learn_state *st)
{
    int rc = ng__learn_state_of(s, st);

    if (rc != NG_OK)
        return rc;
    if (t->v)
        memset(t->v, 0, t->cap * sizeof *t->v);
    t->n = 0;
    ng__toktable_set_totals(t, st->nspam, st->nham);
    rc = s->ops->tokens_read(s, load_one, t);
    if (rc != NG_OK)
        ng__toktable_set_totals(t, 0, 0);  /* no opinion from half a table */
    return rc;
}

/* A running product kept as mantissa and binary exponent. */
typedef struct product {
    double m;
    long e;
} product;

static void times(product *p, double x)
{
    p->m *= x;
    if (p->m < 1e-200) {
        int e;
        p->m = frexp(p->m, &e);
        p->e += e;
    }
}

static double ln(const product *p)
{
    return log(p->m) + (double)p->e * M_LN2;
}

/* Chi-square survival function for an even number `v` of degrees of
 * freedom: the probability that chi^2 >= x2. */
static double chi2q(double x2, size_t v)
{
    double m = x2 / 2.0, term = exp(-m), sum = term;

    for (size_t i = 1; i < v / 2; i++) {
        term *= m / (double)i;
        sum += term;
        if ((double)i > m && term < sum * 1e-15)
            break;
    }
    return sum < 1.0 ? sum : 1.0;
}

/* Robinson's f(w) for a token seen in `spam` spam and `ham` ham items. */
static double robinson(const ng__toktable *t, uint32_t spam, uint32_t ham)
{
    double b = (double)spam / (double)t->nspam;
    double g = (double)ham / (double)t->nham;
    double n = (double)spam + (double)ham;
    double p = b / (b + g);

    return (ROBINSON_S * ROBINSON_X + n * p) / (ROBINSON_S + n);
}

int ng__toktable_ready(const ng__toktable *t)
{
    return t && t->nspam >= NG__LEARN_MIN && t->nham >= NG__LEARN_MIN
           && t->n > 0;
}

double ng__toktable_classify(const ng__toktable *t, const ng__tokens *tok)
{
    product h = { 1.0, 0 }, s = { 1.0, 0 };
    size_t k = 0;

    if (!ng__toktable_ready(t))
        return -1.0;
    for (size_t i = 0; i < tok->n; i++) {
        const slot *sl = find(t, tok->v[i]);
        if (sl->h == 0 || (sl->spam == 0 && sl->ham == 0))
            continue;
        double f = robinson(t, sl->spam, sl->ham);
        if (fabs(f - 0.5) < MIN_STRENGTH)
            continue;
        times(&h, f);
        times(&s, 1.0 - f);
        k++;
    }
    if (k == 0)
        return 0.5;
    double hs = 1.0 - chi2q(-2.0 * ln(&h), 2 * k); /* hamminess */
    double ss = 1.0 - chi2q(-2.0 * ln(&s), 2 * k); /* spamminess */
    return (1.0 + ss - hs) / 2.0;
}
