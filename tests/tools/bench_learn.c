/*
 * bench_learn.c -- measures the spam learner's classification: the
 * tokens of one item (from its cached words) and the chi-square combining
 * over an in-memory table of N learned tokens (default 100,000, random
 * counts, 2,000 items of each class).  Prints the median of 21 runs of
 * 2,000 classifications each, and the table's build time.
 *
 *   bench_learn FILE [TOKENS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsgate.h"
#include "item.h"
#include "learn.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0) {
        rewind(f);
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return buf;
}

/* xorshift64*: a reproducible stream of token hashes and counts. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

int main(int argc, char **argv)
{
    enum { RUNS = 21, REPS = 2000 };
    double runs[RUNS], t, p = 0;
    size_t len, ntok = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
    char *buf = argc > 1 ? slurp(argv[1], &len) : NULL;
    ng_reader *r;
    ng_item *it;
    ng__tokens tok = { 0 };
    uint64_t seed = 0x9E3779B97F4A7C15ULL;

    if (!buf || ng_reader_open(&r, argv[1], buf, len, NG_FORMAT_AUTO, NULL)
        != NG_OK || ng_reader_next(r, &it) != NG_OK) {
        fputs("usage: bench_learn FILE [TOKENS]\n", stderr);
        return 64;
    }
    ng__toktable *tab = ng__toktable_new();
    t = now();
    for (size_t i = 0; i < ntok; i++) {
        uint64_t x = next(&seed);
        if (ng__toktable_add(tab, x, (uint32_t)(x >> 8) % 50,
                             (uint32_t)(x >> 20) % 50) != NG_OK)
            return 70;
    }
    /* The item's own tokens are learned too, so they all count. */
    if (ng__learn_tokens(it, &tok) != NG_OK)
        return 70;
    for (size_t i = 0; i < tok.n; i++)
        ng__toktable_add(tab, tok.v[i], 1 + (uint32_t)(i % 7),
                         1 + (uint32_t)(i % 5));
    ng__toktable_set_totals(tab, 2000, 2000);
    double build = now() - t;
    for (int k = 0; k < RUNS; k++) {
        t = now();
        for (int j = 0; j < REPS; j++) {
            if (ng__learn_tokens(it, &tok) != NG_OK)
                return 70;
            p += ng__toktable_classify(tab, &tok);
        }
        runs[k] = (now() - t) / REPS;
    }
    qsort(runs, RUNS, sizeof *runs, cmp_double);
    printf("learner: %zu-byte item, %zu tokens of its own, table of %zu "
           "tokens (built in %.1f ms)\n", strlen(ng_item_body(it)), tok.n,
           ng__toktable_size(tab), build * 1e3);
    printf("classify (tokens from cached words + combining): median %.2f us "
           "(min %.2f, max %.2f) over %d runs of %d (p=%.3f)\n",
           runs[RUNS / 2] * 1e6, runs[0] * 1e6, runs[RUNS - 1] * 1e6, RUNS,
           REPS, p / (RUNS * REPS));
    ng__tokens_free(&tok);
    ng__toktable_free(tab);
    ng_item_free(it);
    ng_reader_close(r);
    free(buf);
    return 0;
}
