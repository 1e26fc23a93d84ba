/*
 * claimbench.c -- measures the publisher hand-off: fills a fresh store
 * with N accepted items (an engine without rules accepts everything),
 * then claims and acks them one pair at a time with the store's durable
 * settings, and prints pairs/s and µs/pair.
 *
 *   claimbench DB [N]      (DB must not exist; N defaults to 5000)
 *
 * Exits 0 when every item was claimed once and acked, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "newsgate.h"
#include "item.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fill(ng_engine *e, ng_store *s, long n)
{
    char title[64];

    if (ng_store_batch_begin(s) != NG_OK)
        return -1;
    for (long i = 0; i < n; i++) {
        ng_item *it = ng__item_new();
        ng_verdict *v = NULL;
        int64_t id;
        int existed;
        snprintf(title, sizeof title, "Item number %ld", i);
        it->title = strdup(title);
        it->body = strdup("A short body.");
        it->body_text = strdup(it->body);
        it->submitted_unix = (int64_t)time(NULL);
        int rc = ng_submit(e, s, it, &id, &existed, &v);
        ng_verdict_free(v);
        ng_item_free(it);
        if (rc != NG_OK) {
            fprintf(stderr, "submit: %s\n", ng_store_errmsg(s));
            return -1;
        }
    }
    return ng_store_batch_commit(s) == NG_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    ng_engine *e = NULL;
    ng_store *s = NULL;
    char err[512];
    long n = argc > 2 ? atol(argv[2]) : 5000, pairs = 0;
    int64_t id, last = 0;

    if (argc < 2 || access(argv[1], F_OK) == 0) {
        fprintf(stderr, "usage: claimbench NEW_DB [N]\n");
        return 2;
    }
    if (ng_engine_open(&e, NULL) != NG_OK ||
        ng_store_open(&s, argv[1], 0, err, sizeof err) != NG_OK) {
        fprintf(stderr, "claimbench: %s\n", err);
        return 1;
    }
    if (fill(e, s, n) != 0)
        return 1;
    double t0 = now();
    while (ng_queue_claim(s, 60, "bench", &id) == NG_OK) {
        if (id <= last || ng_queue_ack(s, id, "bench") != NG_OK) {
            fprintf(stderr, "claimbench: item %lld: %s\n", (long long)id,
                    ng_store_errmsg(s));
            return 1;
        }
        last = id;
        pairs++;
    }
    double dt = now() - t0;
    printf("claim+ack: %ld pairs in %.3f s: %.0f pairs/s, %.1f us/pair\n",
           pairs, dt, pairs / dt, dt * 1e6 / (pairs ? pairs : 1));
    ng_store_close(s);
    ng_engine_close(e);
    return pairs == n ? 0 : 1;
}
