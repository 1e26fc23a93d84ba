/*
 * litscan.c -- a multi-literal search in the manner of Wu and Manber
 * ("A fast algorithm for multi-pattern searching", 1994), used by
 * publishers.c for the phrases of the publishers' fingerprints.
 *
 * Let m be the length of the shortest literal (at most MAXM).  Only the
 * first m bytes of each literal are indexed.  A window of m bytes slides
 * over the text; the last three bytes of the window (m when m < 3),
 * case-folded and hashed, look up how far the window may move without
 * passing over the start of an occurrence: the shift table holds, for
 * each hashed block, the least distance from that block to the end of
 * an indexed prefix, or m - B + 1 for blocks no prefix holds.  Only at
 * shift 0 are the literals whose prefix ends in that block compared,
 * whole, at the window's start.  For the publishers' phrases (m = 12)
 * most windows move 10 bytes, so the cost grows with the text length
 * divided by m, not with the number of literals.  Hash collisions only
 * make shifts smaller or buckets longer: never is an occurrence missed.
 *
 * The tables are built once; scanning reads them only and allocates
 * nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "litscan.h"

#define HBITS 13
#define HSIZE (1u << HBITS)
#define MAXM 200       /* longest prefix indexed: shifts fit a byte */
#define NONE UINT32_MAX

typedef struct lit {
    const char *s;
    size_t len;
    uint32_t next;     /* next literal in the same bucket, or NONE */
} lit;

struct ng__litscan {
    lit *v;
    size_t n;
    size_t m;                   /* bytes of each literal indexed */
    size_t b;                   /* block: 3 bytes, or m when m < 3 */
    unsigned char fold[256];    /* ASCII lower case, other bytes as is */
    unsigned char shift[HSIZE];
    uint32_t first[HSIZE];      /* bucket heads, literals in given order */
};

/* The hashed block of b bytes ending at s[0] (s[1 - b] its first);
 * inline, so that with a constant b the tests fold away. */
static inline unsigned block(const ng__litscan *x, const unsigned char *s,
                             size_t b)
{
    unsigned h = x->fold[s[0]];
    if (b > 1)
        h ^= (unsigned)x->fold[s[-1]] << 5;
    if (b > 2)
        h ^= (unsigned)x->fold[s[-2]] << 10;
    return h & (HSIZE - 1);
}

static void index_lits(ng__litscan *x)
{
    memset(x->shift, (int)(x->m - x->b + 1), sizeof x->shift);
    for (size_t c = 0; c < HSIZE; c++)
        x->first[c] = NONE;
    /* Backwards, so that pushing on the front leaves each bucket in the
     * literals' order. */
    for (size_t i = x->n; i-- > 0;) {
        const unsigned char *s = (const unsigned char *)x->v[i].s;
        for (size_t q = x->b - 1; q < x->m; q++) {
            unsigned h = block(x, s + q, x->b);
            if (x->m - 1 - q < x->shift[h])
                x->shift[h] = (unsigned char)(x->m - 1 - q);
        }
        unsigned h = block(x, s + x->m - 1, x->b);
        x->v[i].next = x->first[h];
        x->first[h] = (uint32_t)i;
    }
}

ng__litscan *ng__litscan_new(const char *const *lits, size_t n)
{
    ng__litscan *x;
    if (n >= NONE || (x = calloc(1, sizeof *x)) == NULL)
        return NULL;
    if (n && (x->v = calloc(n, sizeof *x->v)) == NULL) {
        free(x);
        return NULL;
    }
    x->n = n;
    x->m = MAXM;
    for (size_t i = 0; i < n; i++) {
        x->v[i].s = lits[i];
        x->v[i].len = strlen(lits[i]);
        if (x->v[i].len == 0) {
            ng__litscan_free(x);
            return NULL;
        }
        if (x->v[i].len < x->m)
            x->m = x->v[i].len;
    }
    x->b = x->m >= 3 ? 3 : x->m;
    for (unsigned c = 0; c < 256; c++)
        x->fold[c] = (unsigned char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    index_lits(x);
    return x;
}

void ng__litscan_free(ng__litscan *s)
{
    if (!s)
        return;
    free(s->v);
    free(s);
}

static int same(const unsigned char *fold, const unsigned char *a,
                const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fold[a[i]] != fold[(unsigned char)b[i]])
            return 0;
    return 1;
}

/* The scan with blocks of b bytes (s->b); inline, so that each call
 * below gets a loop of its own for its b. */
static inline int scan(const ng__litscan *s, const unsigned char *u,
                       size_t len, ng__litscan_fn fn, void *ctx, size_t b)
{
    size_t pos = s->m - 1;
    while (pos < len) {
        unsigned h = block(s, u + pos, b);
        if (s->shift[h]) {
            pos += s->shift[h];
            continue;
        }
        size_t at = pos + 1 - s->m;
        for (uint32_t k = s->first[h]; k != NONE; k = s->v[k].next) {
            const lit *l = &s->v[k];
            int rc;
            if (l->len <= len - at && same(s->fold, u + at, l->s, l->len)
                && (rc = fn(ctx, k, at)) != 0)
                return rc;
        }
        pos++;
    }
    return 0;
}

int ng__litscan_each(const ng__litscan *s, const char *t, size_t len,
                     ng__litscan_fn fn, void *ctx)
{
    const unsigned char *u = (const unsigned char *)t;
    if (s->n == 0)
        return 0;
    /* Three-byte blocks whenever the shortest literal allows them. */
    return s->b == 3 ? scan(s, u, len, fn, ctx, 3)
                     : scan(s, u, len, fn, ctx, s->b);
}
