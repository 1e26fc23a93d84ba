/*
 * alloc_faults.c -- fails each allocation of a check in turn and checks
 * that the library copes: ng_check returns an error code or a verdict
 * (with the failure among its rule errors, or unaffected), the process
 * never aborts, nothing leaks, and the engine still gives the right
 * verdict afterwards.  Needs tests/faults/failmalloc.c preloaded
 * (LD_PRELOAD); run by tests/scripts/fault-alloc.sh and `make faults`.
 *
 *   alloc_faults RULES_DIR ITEM_FILE [FROM [TO [STEP]]]
 *
 * A check of the item is counted first (N allocation calls); then for
 * k = FROM..TO (default 1..N) by STEP, a fresh engine loads the rules,
 * the k-th allocation call of the check fails, and:
 *  - ng_check returns NG_OK (a verdict) or NG_ENOMEM/NG_EINTERNAL with a
 *    message, never anything else;
 *  - a verdict that differs from the undisturbed one names a rule error
 *    (a silent change of verdict is a defect);
 *  - a second check on the same engine gives the undisturbed verdict;
 *  - after everything is freed, the live block count is what it was.
 * Prints one line per defect and a summary; exits 0 when none, 1 when
 * some, 77 when the shim is not loaded.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsgate.h"

typedef struct shim {
    void (*arm)(long);
    long (*disarm)(void);
    long (*live)(void);
} shim;

typedef struct run {
    const char *rules;
    const char *data;
    size_t len;
    ng_action action;   /* the undisturbed verdict */
    double score;
    long defects;
    long errors, degraded, same; /* outcomes of the failed calls */
} run;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0) {
        rewind(f);
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)n;
    }
    if (f)
        fclose(f);
    return buf;
}

/* Reads the first item of the file.  Returns NULL on failure. */
static ng_item *first_item(const run *r)
{
    ng_reader *rd;
    ng_item *it = NULL;

    if (ng_reader_open(&rd, "item", r->data, r->len, NG_FORMAT_AUTO, NULL)
            != NG_OK)
        return NULL;
    if (ng_reader_next(rd, &it) != NG_OK)
        it = NULL;
    ng_reader_close(rd);
    return it;
}

/* Opens an engine with the rules loaded, or NULL. */
static ng_engine *engine(const run *r)
{
    /* A deadline no loaded machine reaches: this test is about memory,
     * and a rule stopped by the clock would read as a damaged engine. */
    ng_engine_options o = { .check_deadline_ms = 3600000 };
    ng_engine *e;

    if (ng_engine_open(&e, &o) != NG_OK)
        return NULL;
    if (ng_engine_load_rules(e, r->rules) != NG_OK) {
        fprintf(stderr, "rules: %s\n", ng_engine_errmsg(e));
        ng_engine_close(e);
        return NULL;
    }
    return e;
}

/* Checks a fresh copy of the item undisturbed: 0 when the verdict is the
 * expected one. */
static int healthy(const run *r, ng_engine *e)
{
    ng_item *it = first_item(r);
    ng_verdict *v = NULL;
    int ok = it && ng_check(e, it, &v) == NG_OK
             && ng_verdict_action(v) == r->action
             && ng_verdict_score(v) == r->score
             && ng_verdict_error_count(v) == 0;

    ng_verdict_free(v);
    ng_item_free(it);
    return ok ? 0 : -1;
}

/* Judges the outcome of a check whose k-th allocation failed. */
static void judge(run *r, long k, int rc, const ng_verdict *v,
                  const ng_engine *e)
{
    if (rc == NG_ENOMEM || rc == NG_EINTERNAL) {
        r->errors++;
        if (!*ng_engine_errmsg(e)) {
            printf("k=%ld: %s without a message\n", k, ng_strerror_name(rc));
            r->defects++;
        }
    } else if (rc != NG_OK) {
        printf("k=%ld: unexpected %s: %s\n", k, ng_strerror_name(rc),
               ng_engine_errmsg(e));
        r->defects++;
    } else if (ng_verdict_error_count(v) > 0) {
        r->degraded++;
    } else if (ng_verdict_action(v) == r->action
               && ng_verdict_score(v) == r->score) {
        r->same++;
    } else {
        printf("k=%ld: verdict changed silently (%s %.1f, expected %s "
               "%.1f, no rule error)\n", k, ng_action_name(ng_verdict_action(v)),
               ng_verdict_score(v), ng_action_name(r->action), r->score);
        r->defects++;
    }
}

/* One round: fail allocation call k (0, -1: none) of a check.  Returns the
 * number of calls the check made, or -1 when the set-up failed. */
static long round_k(run *r, const shim *sh, long k)
{
    long live0 = sh->live(), n;
    ng_engine *e = engine(r);
    ng_item *it = e ? first_item(r) : NULL;
    ng_verdict *v = NULL;
    int rc;

    if (it == NULL) {
        ng_engine_close(e);
        return -1;
    }
    sh->arm(k > 0 ? k : 0);
    rc = ng_check(e, it, &v);
    n = sh->disarm();
    if (k <= 0) {
        r->action = ng_verdict_action(v);
        r->score = ng_verdict_score(v);
    } else {
        judge(r, k, rc, v, e);
    }
    ng_verdict_free(v);
    ng_item_free(it);
    if (healthy(r, e) != 0) {
        printf("k=%ld: the engine gives a wrong verdict afterwards\n", k);
        r->defects++;
    }
    ng_engine_close(e);
    /* The first round pays the libraries' one-time set-up (k = -1). */
    if (k >= 0 && sh->live() != live0) {
        printf("k=%ld: %ld blocks leaked\n", k, sh->live() - live0);
        r->defects++;
    }
    return n;
}

int main(int argc, char **argv)
{
    shim sh = { (void (*)(long))dlsym(RTLD_DEFAULT, "faultmalloc_arm"),
                (long (*)(void))dlsym(RTLD_DEFAULT, "faultmalloc_disarm"),
                (long (*)(void))dlsym(RTLD_DEFAULT, "faultmalloc_live") };
    run r = { 0 };
    long n, from, to, step;

    /* A static buffer: stdout's own would be allocated by the first
     * report and counted as a leak. */
    static char outbuf[BUFSIZ];

    setvbuf(stdout, outbuf, _IOLBF, sizeof outbuf);
    if (argc < 3) {
        fputs("usage: alloc_faults RULES_DIR ITEM_FILE [FROM [TO [STEP]]]\n",
              stderr);
        return 64;
    }
    if (!sh.arm || !sh.disarm || !sh.live) {
        fputs("alloc_faults: failmalloc.so is not preloaded\n", stderr);
        return 77;
    }
    r.rules = argv[1];
    if ((r.data = slurp(argv[2], &r.len)) == NULL) {
        perror(argv[2]);
        return 66;
    }
    /* Two undisturbed rounds: the first pays one-time initialisation of
     * the libraries, the second counts a check's allocation calls. */
    if (round_k(&r, &sh, -1) < 0 || (n = round_k(&r, &sh, 0)) < 0) {
        fputs("alloc_faults: set-up failed\n", stderr);
        return 70;
    }
    from = argc > 3 ? atol(argv[3]) : 1;
    to = argc > 4 ? atol(argv[4]) : n;
    step = argc > 5 ? atol(argv[5]) : 1;
    if (to > n)
        to = n;
    if (from < 1 || step < 1) {
        fputs("alloc_faults: FROM and STEP must be positive\n", stderr);
        return 64;
    }
    for (long k = from; k <= to; k += step)
        if (round_k(&r, &sh, k) < 0) {
            printf("k=%ld: set-up failed\n", k);
            r.defects++;
        }
    printf("%ld allocation calls in a check (%s %.1f); failed calls %ld..%ld "
           "step %ld: %ld error codes, %ld verdicts with a rule error, %ld "
           "unaffected; %ld defects\n", n, ng_action_name(r.action), r.score,
           from, to, step, r.errors, r.degraded, r.same, r.defects);
    free((void *)r.data);
    return r.defects ? 1 : 0;
}
