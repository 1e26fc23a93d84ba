/*
 * listbench.c -- `queue list` latency per filter on an existing store,
 * process start excluded: opens the store once, then runs ng_queue_list
 * for each filter 11 times (the first warms the page cache and the
 * statement) and prints the median in ms, with the number of rows.  Also
 * times one claim and its release (a write).
 *
 *   listbench DB [RULE] [SUBMITTER] [SINCE]
 *
 * RULE (default NO_URL) should be one that fires in the store; SINCE is
 * unix seconds (default 0: the whole store is "since").
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "newsgate.h"

#define RUNS 11

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Rows in a list answer (counts "id": keys). */
static int rows(const char *json)
{
    int n = 0;
    for (const char *p = json; (p = strstr(p, "{\"id\":")); p++)
        n++;
    return n;
}

static void one(ng_store *s, const char *label, ng_queue_filter f)
{
    double t[RUNS];
    int n = 0;

    for (int i = 0; i < RUNS; i++) {
        char *json = NULL;
        double a = now_ms();
        if (ng_queue_list(s, &f, &json) != NG_OK) {
            fprintf(stderr, "listbench: %s: %s\n", label,
                    ng_store_errmsg(s));
            exit(1);
        }
        t[i] = now_ms() - a;
        n = rows(json);
        ng_free(json);
    }
    qsort(t, RUNS, sizeof *t, cmp);
    printf("  queue list %-28s %6.2f ms  (%d rows)\n", label, t[RUNS / 2],
           n);
}

int main(int argc, char **argv)
{
    char err[512], label[96];
    ng_store *s;

    if (argc < 2) {
        fputs("usage: listbench DB [RULE] [SUBMITTER] [SINCE]\n", stderr);
        return 64;
    }
    const char *rule = argc > 2 ? argv[2] : "NO_URL";
    const char *sub = argc > 3 ? argv[3] : "user042";
    int64_t since = argc > 4 ? atoll(argv[4]) : 0;

    if (ng_store_open(&s, argv[1], 0, err, sizeof err) != NG_OK) {
        fprintf(stderr, "listbench: %s\n", err);
        return 1;
    }
    one(s, "(no filter)", (ng_queue_filter){ .limit = 50 });
    one(s, "--status review", (ng_queue_filter){ .status = "review" });
    one(s, "--status rejected", (ng_queue_filter){ .status = "rejected" });
    one(s, "--status published", (ng_queue_filter){ .status = "published" });
    snprintf(label, sizeof label, "--rule %s", rule);
    one(s, label, (ng_queue_filter){ .rule = rule });
    snprintf(label, sizeof label, "--submitter %s", sub);
    one(s, label, (ng_queue_filter){ .submitter = sub });
    one(s, "--since (late)", (ng_queue_filter){ .since = since });
    one(s, "--since (future)", (ng_queue_filter){ .since = INT64_MAX / 2 });
    one(s, "--status review --since", (ng_queue_filter){
        .status = "review", .since = since });
    snprintf(label, sizeof label, "--rule %s --status review", rule);
    one(s, label, (ng_queue_filter){ .rule = rule, .status = "review" });

    int64_t id = 0;
    double a = now_ms();
    int rc = ng_queue_claim(s, 60, "listbench", &id);
    double b = now_ms();
    if (rc == NG_OK)
        ng_queue_release(s, id, "listbench");
    printf("  queue claim                             %6.2f ms  (item %lld)\n",
           b - a, (long long)id);
    ng_store_close(s);
    return 0;
}
