/*
 * bench_dupindex.c -- benchmark of the near-duplicate fingerprint index
 * (tests/bench/30-dup.sh drives it).
 *
 *   bench_dupindex scale [N...]   index N synthetic items of FPS
 *                                 fingerprints each (default 10000 100000
 *                                 1000000) and print a table: build time,
 *                                 median and p99 look-up µs (every
 *                                 fingerprint of the query), bytes per item
 *   bench_dupindex init DB        create an empty store (schema) at DB
 *   bench_dupindex load DB        time loading DB's dup_keys into memory
 *
 * Fingerprints are synthetic (random, FPS per item, about what a 2 KB
 * article samples); a look-up gathers the postings of each fingerprint
 * as item:nearest does, without the counting and verification.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dup.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

#define FPS 50

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* A synthetic item: FPS sorted random fingerprints. */
static void fake(uint32_t *fps)
{
    for (int i = 0; i < FPS; i++)
        fps[i] = rnd() ^ rnd() << 16;
    qsort(fps, FPS, sizeof *fps, cmp_u32);
}

/* Postings of every fingerprint of q; returns how many. */
static size_t gather(const struct ng__dupindex *ix, const uint32_t *q)
{
    uint32_t out[4096];
    size_t n = 0;
    for (int i = 0; i < FPS; i++)
        n = ng__dupindex_find(ix, q[i], 0, 64, out, n, 4096);
    return n;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Builds an index of n items (insert path below 1M, bulk load at 1M as
 * on open) and measures look-ups of indexed and of unseen items. */
static int scale(size_t n)
{
    struct ng__dupindex *ix = ng__dupindex_new();
    uint32_t *q = malloc(1000 * FPS * sizeof *q);
    uint32_t *ids = malloc(n * sizeof *ids);
    size_t *off = malloc((n + 1) * sizeof *off);
    uint32_t *fps = malloc(n * FPS * sizeof *fps);
    if (!ix || !q || !ids || !off || !fps)
        return 1;
    for (size_t i = 0; i < n; i++) {
        fake(fps + i * FPS);
        ids[i] = (uint32_t)i + 1;
        off[i] = i * FPS;
        if (i % (n / 500) == 0 && i / (n / 500) < 500)    /* 500 indexed */
            memcpy(q + i / (n / 500) * FPS, fps + i * FPS, FPS * 4);
    }
    off[n] = n * FPS;
    for (size_t i = 500; i < 1000; i++)
        fake(q + i * FPS);                /* 500 unseen look-ups */
    double t0 = now_us();
    int bulk = n >= 1000000;
    if (bulk)
        ng__dupindex_bulk(ix, ids, off, fps, n);
    else
        for (size_t i = 0; i < n; i++)
            ng__dupindex_add(ix, ids[i], fps + i * FPS, FPS);
    double build = now_us() - t0;
    double lat[1000];
    size_t found = 0;
    for (int i = 0; i < 1000; i++) {
        double s = now_us();
        size_t got = gather(ix, q + i * FPS);
        lat[i] = now_us() - s;
        found += i < 500 && got >= FPS;
    }
    qsort(lat, 1000, sizeof *lat, cmp_d);
    printf("%9zu  %-6s %9.0f  %7.2f  %8.2f  %8.2f  %6.1f  %zu/500\n", n,
           bulk ? "bulk" : "insert", build / 1000, build * 1000 / (double)n,
           lat[500], lat[990],
           (double)ng__dupindex_bytes(ix) / (double)n, found);
    ng__dupindex_free(ix);
    free(q);
    free(ids);
    free(off);
    free(fps);
    return found == 500 ? 0 : 1;
}

/* Times the first ng__dup_index of a store opened with `flags`. */
static int load_once(const char *path, int flags, const char *what)
{
    ng_store *s;
    char err[512];
    if (ng_store_open(&s, path, flags, err, sizeof err) != NG_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    int rc;
    double t0 = now_us();
    struct ng__dupindex *ix = ng__dup_index(s, &rc);
    double t = now_us() - t0;
    if (!ix) {
        fprintf(stderr, "load: %s\n", ng_store_errmsg(s));
        ng_store_close(s);
        return 1;
    }
    size_t n = ng__dupindex_count(ix);
    t0 = now_us();
    for (int i = 0; i < 1000; i++)
        ng__dup_index(s, &rc);            /* catch-up with no new rows */
    double again = (now_us() - t0) / 1000;
    printf("load %zu items %s: %.1f ms (%.3f µs/item), "
           "%.1f bytes/item; catch-up with no new rows %.0f µs\n",
           n, what, t / 1000, t / (double)(n ? n : 1),
           (double)ng__dupindex_bytes(ix) / (double)(n ? n : 1), again);
    t0 = now_us();
    ng_store_close(s);      /* a writable store writes the image here */
    if (!(flags & NG_STORE_READONLY))
        printf("close (image written): %.0f ms\n", (now_us() - t0) / 1000);
    return 0;
}

/* Loads from the store's rows (writing the image on close), then from
 * the image, as a process starting on the store would. */
static int load(const char *path)
{
    char img[4096];
    snprintf(img, sizeof img, "%s-fpx", path);
    remove(img);
    return load_once(path, NG_STORE_NOSYNC, "from the store's rows")
           || load_once(path, NG_STORE_READONLY, "from the image")
           || load_once(path, NG_STORE_READONLY, "from the image");
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "init") == 0) {
        ng_store *s;
        char err[512];
        int rc = ng_store_open(&s, argv[2], NG_STORE_NOSYNC, err, sizeof err);
        if (rc != NG_OK)
            fprintf(stderr, "%s\n", err);
        ng_store_close(s);
        return rc != NG_OK;
    }
    if (argc >= 3 && strcmp(argv[1], "load") == 0)
        return load(argv[2]);
    if (argc >= 2 && strcmp(argv[1], "scale") == 0) {
        static const size_t def[] = { 10000, 100000, 1000000 };
        int rc = 0;
        printf("    items  build  total_ms  ns/item  median_us  p99_us  "
               "B/item  found\n");
        if (argc == 2)
            for (int i = 0; i < 3; i++)
                rc |= scale(def[i]);
        for (int i = 2; i < argc; i++)
            rc |= scale(strtoul(argv[i], NULL, 10));
        return rc;
    }
    fprintf(stderr, "usage: bench_dupindex scale [N...] | init DB | load DB\n");
    return 64;
}
