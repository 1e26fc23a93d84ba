/*
 * bench_check.c -- measures the engine in-process, through newsgate.h:
 * rule loading (median of 20 loads) and checking (median of 5 passes over
 * every file given, already read into memory).
 *
 *   bench_check RULES_DIR FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsgate.h"

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
    char *buf;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

int main(int argc, char **argv)
{
    enum { LOADS = 20, PASSES = 5 };
    double loads[LOADS], passes[PASSES], t;
    ng_item **items;
    size_t nitems = 0;
    ng_engine *e;

    if (argc < 3) {
        fputs("usage: bench_check RULES_DIR FILE...\n", stderr);
        return 64;
    }
    items = calloc((size_t)argc, sizeof *items);
    for (int i = 2; i < argc; i++) {
        size_t len;
        char *buf = slurp(argv[i], &len);
        ng_reader *r;
        if (!buf || ng_reader_open(&r, argv[i], buf, len, NG_FORMAT_AUTO, NULL) != NG_OK)
            return 70;
        if (ng_reader_next(r, &items[nitems]) == NG_OK)
            nitems++;
        else /* bad input is the CLI's business; measure the rest */
            fprintf(stderr, "bench_check: skipped %s\n", ng_reader_errmsg(r));
        ng_reader_close(r);
        free(buf);
    }
    for (int i = 0; i < LOADS; i++) {
        t = now();
        if (ng_engine_open(&e, NULL) != NG_OK || ng_engine_load_rules(e, argv[1]) != NG_OK) {
            fprintf(stderr, "bench_check: %s\n", ng_engine_errmsg(e));
            return 78;
        }
        loads[i] = now() - t;
        if (i < LOADS - 1)
            ng_engine_close(e);
    }
    for (int p = 0; p < PASSES; p++) {
        t = now();
        for (size_t i = 0; i < nitems; i++) {
            ng_verdict *v;
            if (ng_check(e, items[i], &v) != NG_OK)
                return 70;
            ng_verdict_free(v);
        }
        passes[p] = now() - t;
    }
    qsort(loads, LOADS, sizeof *loads, cmp_double);
    qsort(passes, PASSES, sizeof *passes, cmp_double);
    printf("rule load (%zu rules): median %.2f ms over %d loads\n",
           ng_engine_rule_count(e), loads[LOADS / 2] * 1e3, LOADS);
    printf("check in-process: %zu items, median %.1f ms per pass over %d passes: "
           "%.0f items/s, %.1f us/item\n", nitems, passes[PASSES / 2] * 1e3, PASSES,
           nitems / passes[PASSES / 2], passes[PASSES / 2] * 1e6 / nitems);
    ng_engine_close(e);
    for (size_t i = 0; i < nitems; i++)
        ng_item_free(items[i]);
    free(items);
    return 0;
}
