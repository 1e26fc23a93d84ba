/*
 * cli_test.c -- `newsgate test`: runs the test cases written beside the
 * rules (`case { ... }` in the rule files, items inline or in fixture
 * files) and reports every failure with the item, the expected and the
 * actual hits.
 *
 * Each case gets a fresh temporary store: its `earlier` items are
 * submitted to it first (with the moderator decision they carry), then
 * the case's item is checked against it, so duplicate and history rules
 * see exactly what the case set up and nothing else.  The cases come from
 * the rule-set scanner (rulescan.h), the one internal header the CLI
 * uses; everything else goes through newsgate.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_scratch.h"
#include "cli_util.h"
#include "rulescan.h"

static const char usage[] =
    "usage: newsgate test [--rules DIR] [--verbose]\n"
    "\n"
    "Runs the test cases of a rule set (case { ... } in the rule files; see\n"
    "docs/rules.md).  Prints each failure with its item, the expected and\n"
    "the actual hits, and a closing 'N passed, N failed' line.\n"
    "\n"
    "  -r, --rules DIR    rules directory (default as for check)\n"
    "  -v, --verbose      also list the cases that pass\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 all cases pass, 1 some case failed (or a rule errored),\n"
    "64 usage error, 70 internal error, 78 rules do not load.\n";

typedef struct test_run {
    ng_engine *e;
    const char *dir;
    ng__scratch scratch;  /* where each case's store lives */
    int verbose;
    size_t passed, failed;
} test_run;

static int has(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

static int verdict_has(const ng_verdict *v, const char *rule)
{
    for (size_t i = 0; i < ng_verdict_hit_count(v); i++)
        if (strcmp(ng_verdict_hit(v, i)->rule, rule) == 0)
            return 1;
    return 0;
}

static void print_names(const char *label, char *const *v, size_t n)
{
    printf("%s", label);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", v[i]);
    printf("%s", n ? "" : "(none)");
}

/* Prints how the verdict differs from the case; returns 1 when it
 * passes. */
static int compare(const ng__scan_case *c, const ng_verdict *v, FILE *out)
{
    int ok = 1;

    for (size_t i = 0; i < c->nhits; i++)
        if (!verdict_has(v, c->hits[i])) {
            fprintf(out, "  wrong:    %s did not hit\n", c->hits[i]);
            ok = 0;
        }
    for (size_t i = 0; i < ng_verdict_hit_count(v); i++) {
        const ng_hit *h = ng_verdict_hit(v, i);
        if (has(c->misses, c->nmisses, h->rule)) {
            fprintf(out, "  wrong:    %s hit (%s)\n", h->rule,
                    h->detail ? h->detail : h->description);
            ok = 0;
        }
    }
    for (size_t i = 0; i < ng_verdict_error_count(v); i++) {
        const ng_rule_error *er = ng_verdict_error(v, i);
        fprintf(out, "  error:    %s: %s\n", er->rule, er->message);
        ok = 0;
    }
    if (c->action && strcmp(c->action, ng_action_name(ng_verdict_action(v)))) {
        fprintf(out, "  wrong:    action %s, expected %s\n",
                ng_action_name(ng_verdict_action(v)), c->action);
        ok = 0;
    }
    return ok;
}

static void print_failure_head(const ng__scan_case *c, const char *item)
{
    printf("FAIL %s: case \"%s\"\n", c->where, c->name);
    printf("  item:     %.300s%s\n", item, strlen(item) > 300 ? "..." : "");
    print_names("  expected: hits ", c->hits, c->nhits);
    print_names("; misses ", c->misses, c->nmisses);
    printf("%s%s\n", c->action ? "; action " : "", c->action ? c->action : "");
}

static void report(test_run *t, const ng__scan_case *c, const char *item,
                   const ng_verdict *v)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *diff = open_memstream(&buf, &len);
    int ok = diff && compare(c, v, diff);

    if (diff)
        fclose(diff);
    if (ok) {
        t->passed++;
        if (t->verbose)
            printf("ok   %s: case \"%s\"\n", c->where, c->name);
    } else {
        t->failed++;
        print_failure_head(c, item);
        printf("  actual:   hits ");
        for (size_t i = 0; i < ng_verdict_hit_count(v); i++)
            printf("%s%s", i ? ", " : "", ng_verdict_hit(v, i)->rule);
        printf("%s; action %s, score %g\n", ng_verdict_hit_count(v) ? "" : "(none)",
               ng_action_name(ng_verdict_action(v)), ng_verdict_score(v));
        fputs(buf ? buf : "  (out of memory)\n", stdout);
    }
    free(buf);
}

static void fail_case(test_run *t, const ng__scan_case *c, const char *item,
                      const char *why)
{
    t->failed++;
    print_failure_head(c, item ? item : "(none)");
    printf("  error:    %s\n", why);
}

/* Reads the fixture `file` (relative to the rules directory) into *buf
 * and opens a reader on it, its path in `path`.  Returns 0, or -1 with
 * the reason in err. */
static int open_fixture(const test_run *t, const char *file, char *path,
                        size_t pathlen, char **buf, ng_reader **r,
                        char *err, size_t errlen)
{
    size_t len;

    snprintf(path, pathlen, "%s/%s", t->dir, file);
    if (ng__cli_slurp(path, buf, &len) != 0) {
        snprintf(err, errlen, "fixture file %.300s cannot be read", path);
        return -1;
    }
    if (ng_reader_open(r, path, *buf, len, NG_FORMAT_AUTO, NULL) != NG_OK) {
        free(*buf);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* Trains the store's learner on every item of a fixture file.  Returns
 * NG_OK, or an error code with the reason in err. */
static int learn_file(const test_run *t, ng_store *s, const ng__scan_learned *l,
                      char *err, size_t errlen)
{
    char path[4096], *buf;
    ng_reader *r;
    ng_item *it;
    int rc = NG_OK, next;

    if (open_fixture(t, l->file, path, sizeof path, &buf, &r, err, errlen))
        return NG_EINPUT;
    while (rc == NG_OK && (next = ng_reader_next(r, &it)) != NG_DONE) {
        if (next != NG_OK) {
            snprintf(err, errlen, "%s", ng_reader_errmsg(r));
            rc = NG_EINPUT;
        } else if ((rc = ng_learn(s, it, l->spam, NULL)) != NG_OK) {
            snprintf(err, errlen, "learning %.200s: %s", path, ng_store_errmsg(s));
        }
        ng_item_free(it);
    }
    ng_reader_close(r);
    free(buf);
    return rc;
}

/* Trains the case's learner (`learned`).  Returns NG_OK, or an error
 * code with the reason in err. */
static int learn_case(const test_run *t, const ng__scan_case *c, ng_store *s,
                      char *err, size_t errlen)
{
    for (size_t i = 0; i < c->nlearned; i++) {
        const ng__scan_learned *l = &c->learned[i];
        ng_item *it;
        int rc;

        if (l->file) {
            if ((rc = learn_file(t, s, l, err, errlen)) != NG_OK)
                return rc;
            continue;
        }
        if ((it = ng__scratch_item("learned", l->json, err, errlen)) == NULL)
            return NG_EINPUT;
        rc = ng_learn(s, it, l->spam, NULL);
        ng_item_free(it);
        if (rc != NG_OK) {
            snprintf(err, errlen, "learning: %s", ng_store_errmsg(s));
            return rc;
        }
    }
    return NG_OK;
}

/* Opens a fresh store, files the case's earlier items in it and trains
 * its learner.  Returns the store, or NULL with the reason in err. */
static ng_store *case_store(test_run *t, const ng__scan_case *c, char *err,
                            size_t errlen)
{
    ng_store *s;

    if (ng__scratch_store(&t->scratch, &s, err, errlen) != NG_OK)
        return NULL;
    for (size_t i = 0; i < c->nearlier; i++) {
        const ng__scan_earlier *e = &c->earlier[i];
        ng_item *it = e->json ? ng__scratch_item("earlier", e->json, err,
                                                 errlen) : NULL;
        ng_verdict *v = NULL;
        int64_t id = 0;
        int existed, rc = !it ? NG_EINPUT
            : e->publisher ? ng_sources_add(s, it, e->publisher, e->domain, &id)
            : ng_submit(t->e, s, it, &id, &existed, &v);

        ng_item_free(it);
        ng_verdict_free(v);
        if (rc == NG_OK && e->decision)
            rc = strcmp(e->decision, "reject") == 0
                ? ng_queue_reject(s, id, "newsgate-test", "test case")
                : ng_queue_approve(s, id, "newsgate-test", NULL);
        if (rc != NG_OK) {
            if (rc != NG_EINPUT || !e->json)
                snprintf(err, errlen, "earlier item %zu: %s", i + 1,
                         e->json ? ng_store_errmsg(s) : "invalid item");
            ng_store_close(s);
            return NULL;
        }
    }
    if (learn_case(t, c, s, err, errlen) != NG_OK) {
        ng_store_close(s);
        return NULL;
    }
    return s;
}

/* Checks one item of a case against a store set up for it. */
static void run_item(test_run *t, const ng__scan_case *c, ng_item *it,
                     const char *shown)
{
    char err[512];
    ng_store *s = case_store(t, c, err, sizeof err);
    ng_verdict *v;

    if (s == NULL) {
        fail_case(t, c, shown, err);
        return;
    }
    ng_engine_use_store(t->e, s);
    if (ng_check(t->e, it, &v) != NG_OK) {
        fail_case(t, c, shown, ng_engine_errmsg(t->e));
    } else {
        report(t, c, shown, v);
        ng_verdict_free(v);
    }
    ng_engine_use_store(t->e, NULL);
    ng_store_close(s);
}

/* Runs a case whose items are in a fixture file: each item is a test. */
static void run_fixture(test_run *t, const ng__scan_case *c)
{
    char path[4096], shown[4200], err[512], *buf;
    ng_reader *r;
    ng_item *it;
    int rc;

    if (open_fixture(t, c->file, path, sizeof path, &buf, &r, err, sizeof err)) {
        fail_case(t, c, path, err);
        return;
    }
    while ((rc = ng_reader_next(r, &it)) != NG_DONE) {
        snprintf(shown, sizeof shown, "%s, item %zu", path, ng_reader_index(r));
        if (rc != NG_OK) {
            fail_case(t, c, shown, ng_reader_errmsg(r));
            continue;
        }
        run_item(t, c, it, shown);
        ng_item_free(it);
    }
    ng_reader_close(r);
    free(buf);
}

static void run_case(test_run *t, const ng__scan_case *c)
{
    char err[512];
    ng_item *it;

    if (c->error) {
        fail_case(t, c, c->item_json, c->error);
        return;
    }
    if (c->file) {
        run_fixture(t, c);
        return;
    }
    it = ng__scratch_item(c->where, c->item_json, err, sizeof err);
    if (it == NULL) {
        fail_case(t, c, c->item_json, err);
        return;
    }
    run_item(t, c, it, c->item_json);
    ng_item_free(it);
}

/* Runs every case of `scan`; returns the exit status. */
static int run_all(test_run *t, const ng__scan *scan)
{
    if (ng__scratch_open(&t->scratch) != 0) {
        perror("newsgate test: cannot make a temporary directory");
        return EXIT_INTERNAL;
    }
    for (size_t i = 0; i < scan->ncases; i++)
        run_case(t, &scan->cases[i]);
    ng__scratch_close(&t->scratch);
    printf("%zu passed, %zu failed\n", t->passed, t->failed);
    return t->failed ? 1 : 0;
}

int ng__cli_test(int argc, char **argv)
{
    static const struct option opts[] = {
        { "rules", required_argument, NULL, 'r' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    test_run t;
    ng__scan *scan;
    char err[512];
    int ch, rc;

    memset(&t, 0, sizeof t);
    optind = 1;
    while ((ch = getopt_long(argc, argv, "r:vh", opts, NULL)) != -1) {
        switch (ch) {
        case 'r': t.dir = optarg; break;
        case 'v': t.verbose = 1; break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    t.dir = ng__cli_rules_dir(t.dir);
    if ((rc = ng__cli_engine(t.dir, NULL, 0, &t.e)) != 0)
        return rc;
    if (ng__rules_scan(t.dir, &scan, err, sizeof err) != NG_OK) {
        fprintf(stderr, "newsgate test: %s\n", err);
        ng_engine_close(t.e);
        return EXIT_INTERNAL;
    }
    rc = run_all(&t, scan);
    ng__scan_free(scan);
    ng_engine_close(t.e);
    return rc;
}
