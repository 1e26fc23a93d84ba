/*
 * bench_check.c -- measures the engine in-process, through newsgate.h:
 * rule loading (median of 20 loads) and checking (median of 5 passes over
 * every file given, already read into memory).  Two figures: "fresh",
 * each pass over items parsed anew before it (what `newsgate check` pays:
 * every item's text analysis is computed once), and "warm", each pass
 * over the same items again (the analysis cached on them by the first
 * pass is reused, so only the rules' own work is timed).  CPU time of
 * the process, not wall-clock time.
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
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
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

/* Parses the first item of each file into items[]; returns how many. */
static size_t read_items(ng_item **items, int nfiles, char **files, int quiet)
{
    size_t n = 0;
    for (int i = 0; i < nfiles; i++) {
        size_t len;
        char *buf = slurp(files[i], &len);
        ng_reader *r;
        if (!buf || ng_reader_open(&r, files[i], buf, len, NG_FORMAT_AUTO, NULL) != NG_OK)
            exit(70);
        if (ng_reader_next(r, &items[n]) == NG_OK)
            n++;
        else if (!quiet) /* bad input is the CLI's business; measure the rest */
            fprintf(stderr, "bench_check: skipped %s\n", ng_reader_errmsg(r));
        ng_reader_close(r);
        free(buf);
    }
    return n;
}

static void free_items(ng_item **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ng_item_free(items[i]);
}

/* Checks items[0..n) once; returns the CPU seconds taken. */
static double one_pass(ng_engine *e, ng_item **items, size_t n)
{
    double t = now();
    for (size_t i = 0; i < n; i++) {
        ng_verdict *v;
        if (ng_check(e, items[i], &v) != NG_OK)
            exit(70);
        ng_verdict_free(v);
    }
    return now() - t;
}

static void report(const char *what, double *passes, int npasses, size_t nitems)
{
    qsort(passes, (size_t)npasses, sizeof *passes, cmp_double);
    double m = passes[npasses / 2];
    printf("check in-process, %s: %zu items, median %.1f ms CPU per pass over %d passes: "
           "%.0f items/s, %.1f us/item\n", what, nitems, m * 1e3, npasses,
           nitems / m, m * 1e6 / nitems);
}

int main(int argc, char **argv)
{
    enum { LOADS = 20, PASSES = 5 };
    double loads[LOADS], fresh[PASSES], warm[PASSES], t;
    ng_item **items;
    size_t nitems = 0;
    ng_engine *e;

    if (argc < 3) {
        fputs("usage: bench_check RULES_DIR FILE...\n", stderr);
        return 64;
    }
    items = calloc((size_t)argc, sizeof *items);
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
        nitems = read_items(items, argc - 2, argv + 2, p > 0);
        fresh[p] = one_pass(e, items, nitems);
        if (p < PASSES - 1)
            free_items(items, nitems);
    }
    for (int p = 0; p < PASSES; p++)
        warm[p] = one_pass(e, items, nitems);
    qsort(loads, LOADS, sizeof *loads, cmp_double);
    printf("rule load (%zu rules): median %.2f ms CPU over %d loads\n",
           ng_engine_rule_count(e), loads[LOADS / 2] * 1e3, LOADS);
    report("fresh items (as `newsgate check`)", fresh, PASSES, nitems);
    report("warm items (analysis cached)", warm, PASSES, nitems);
    ng_engine_close(e);
    free_items(items, nitems);
    free(items);
    return 0;
}
