/*
 * util.c -- the helpers of fuzz.h, linked into every fuzz target
 * and every replay binary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsgate.h"
#include "fuzz.h"

void ng_fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz: property broken: %s\n", what);
    abort();
}

char *ng_fuzz_str(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (!s)
        ng_fuzz_fail("out of memory");
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

uint32_t ng_fuzz_next(ng_fuzz_rng *g, uint32_t n)
{
    /* xorshift32; a zero state would stay zero. */
    uint32_t x = g->s ? g->s : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    g->s = x;
    return x % n;
}

void ng_fuzz_verdict(ng_verdict *v)
{
    for (size_t i = 0; i < ng_verdict_hit_count(v); i++) {
        const ng_hit *h = ng_verdict_hit(v, i);
        if (h->span_start > h->span_end)
            ng_fuzz_fail("a hit span ends before it starts");
    }
    char *j = ng_verdict_json(v, 1);
    char *t = ng_verdict_text(v, 1, 1);
    if (!j || !t)
        ng_fuzz_fail("the verdict does not serialise");
    ng_free(j);
    ng_free(t);
    ng_verdict_free(v);
}
