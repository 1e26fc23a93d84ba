/*
 * cli_lint.c -- `newsgate lint`: every problem of a rule set at once,
 * each with its `file:line`.
 *
 * Two passes.  The static one is the rule-set scanner (rulescan.h,
 * scripts/scan.lua): syntax errors, unknown keys with the nearest valid
 * one, missing or ill-typed keys, duplicate names, patterns that do not
 * compile or can backtrack catastrophically, thresholds out of order,
 * lists that cannot be read, an empty set, rules without test cases.
 * The run-time one loads the set for real and runs every rule on a few
 * built-in sample items and on the items of the set's own cases, first
 * without earlier submissions and then with all of them stored, so that
 * errors only a check can show (a nil indexed, a bad result table) are
 * reported too.  Exit 0 only when nothing was found.
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
    "usage: newsgate lint [--rules DIR]\n"
    "\n"
    "Reports every problem of a rule set, each with file:line: syntax\n"
    "errors, unknown keys (with the nearest valid key), missing or wrong\n"
    "keys, duplicate names, bad patterns (with offset), patterns that can\n"
    "backtrack catastrophically, thresholds out of order, lists that do not\n"
    "exist, an empty set, rules without test cases, and errors a rule raises\n"
    "when run on sample items.\n"
    "\n"
    "  -r, --rules DIR    rules directory (default as for check)\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 no problem, 1 problems found, 64 usage error,\n"
    "70 internal error.\n";

/* Items every rule runs on: ordinary, HTML with links and images, bare,
 * shouting with many links, non-Latin text.  Labels name them in
 * messages. */
static const char *const samples[][2] = {
    { "plain story", "{\"title\": \"Council approves new budget for schools\","
      "\"body\": \"The city council approved a budget of 4 million for "
      "school repairs on Tuesday, after a debate that lasted three hours. "
      "The mayor said the money would go to roofs and heating first. "
      "Opponents said the plan came too late. Work starts in March, "
      "according to the council's published plan.\","
      "\"url\": \"https://news.example.org/budget\", \"source\": \"Example "
      "News\", \"author\": \"A. Writer\", \"submitter\": \"maria\"}" },
    { "html with links", "{\"title\": \"Cycle lanes approved\", \"format\": "
      "\"html\", \"body\": \"<p>The council voted for <a href=\\\"https://"
      "council.example.gov/plan\\\">the plan</a>.</p><p>See https://a.example"
      ".com/x and http://www.b.example.net/y.</p>\", \"submitted_at\": "
      "\"2024-05-01T12:00:00Z\", \"images\": [{\"url\": \"https://img.example"
      ".org/a.jpg\", \"caption\": \"Lanes\", \"credit\": \"Council\"}], "
      "\"meta\": {\"lang\": \"en\", \"n\": 3}}" },
    { "bare", "{\"title\": \"x\", \"body\": \"y\"}" },
    { "shouting", "{\"title\": \"YOU WON'T BELIEVE WHAT HAPPENED NEXT!!!\", "
      "\"body\": \"Click https://a.example/1 https://b.example/2 https://c."
      "example/3 https://d.example/4 https://e.example/5 https://f.example/6 "
      "now\", \"submitter\": \"spammer\"}" },
    { "non-Latin", "{\"title\": \"Новости дня: ＦＵＬＬ ｗｉｄｔｈ\", \"body\": "
      "\"Текст новости. 日本語のテキスト. \\u202eRTL\\u202c مرحبا 😀\"}" },
};

typedef struct lint_run {
    ng_engine *e;
    const ng__scan *scan;
    char **reported;    /* rules whose run-time error was reported */
    size_t nreported;
    size_t problems;
} lint_run;

static void reported_add(lint_run *l, const char *rule)
{
    char **n = realloc(l->reported, (l->nreported + 1) * sizeof *n);
    if (n == NULL)
        return;
    l->reported = n;
    if ((n[l->nreported] = strdup(rule)) != NULL)
        l->nreported++;
}

static int was_reported(const lint_run *l, const char *rule)
{
    for (size_t i = 0; i < l->nreported; i++)
        if (strcmp(l->reported[i], rule) == 0)
            return 1;
    return 0;
}

/* Checks one item; reports each rule's first run-time error. */
static void run_sample(lint_run *l, ng_store *s, const char *label,
                       const char *json)
{
    char err[512];
    ng_item *it = ng__scratch_item(label, json, err, sizeof err);
    ng_verdict *v = NULL;
    int64_t id;
    int existed, rc;

    if (it == NULL)
        return; /* a broken case item is the scanner's problem */
    rc = s ? ng_submit(l->e, s, it, &id, &existed, &v) : ng_check(l->e, it, &v);
    for (size_t i = 0; rc == NG_OK && v && i < ng_verdict_error_count(v); i++) {
        const ng_rule_error *er = ng_verdict_error(v, i);
        const char *where = ng__scan_rule_where(l->scan, er->rule);
        if (was_reported(l, er->rule))
            continue;
        reported_add(l, er->rule);
        /* Names, labels and messages come from rule files and what their
         * rules read: shown escaped, like every text from outside. */
        char line[1024];
        snprintf(line, sizeof line,
                 "%s: rule %s fails at run time on %s item '%.60s': %s",
                 where ? where : "?", er->rule, s ? "stored" : "sample",
                 label, er->message);
        ng__cli_puts(stdout, line, NG_ESCAPE_KEEP_BACKSLASH);
        putchar('\n');
        l->problems++;
    }
    ng_verdict_free(v);
    ng_item_free(it);
}

/* Runs every sample and case item without a store, then files them all
 * in a scratch store one after the other, so look-ups find earlier ones. */
static void run_samples(lint_run *l, ng_store *s)
{
    size_t nsamples = sizeof samples / sizeof samples[0];

    for (size_t i = 0; i < nsamples; i++)
        run_sample(l, s, samples[i][0], samples[i][1]);
    for (size_t i = 0; i < l->scan->ncases; i++) {
        const ng__scan_case *c = &l->scan->cases[i];
        for (size_t j = 0; j < c->nearlier; j++)
            if (c->earlier[j].json)
                run_sample(l, s, c->name, c->earlier[j].json);
        if (c->item_json)
            run_sample(l, s, c->name, c->item_json);
    }
}

/* The run-time pass; skipped when the set does not load (the scanner
 * has said why, or the load error is printed here). */
static int run_time(lint_run *l, const char *dir)
{
    ng__scratch sc;
    ng_store *s = NULL;
    char err[512];
    int rc;

    if ((rc = ng_engine_open(&l->e, NULL)) != NG_OK) {
        fprintf(stderr, "newsgate lint: %s\n", ng_strerror(rc));
        return EXIT_INTERNAL;
    }
    if (ng_engine_load_rules(l->e, dir) != NG_OK) {
        if (l->problems == 0) {
            ng__cli_puts(stdout, ng_engine_errmsg(l->e),
                         NG_ESCAPE_KEEP_NEWLINES | NG_ESCAPE_KEEP_BACKSLASH);
            putchar('\n');
            l->problems++;
        }
        return 0;
    }
    run_samples(l, NULL);
    if (ng__scratch_open(&sc) != 0) {
        perror("newsgate lint: cannot make a temporary directory");
        return EXIT_INTERNAL;
    }
    if (ng__scratch_store(&sc, &s, err, sizeof err) != NG_OK) {
        fprintf(stderr, "newsgate lint: %s\n", err);
        ng__scratch_close(&sc);
        return EXIT_INTERNAL;
    }
    run_samples(l, s);
    ng_store_close(s);
    ng__scratch_close(&sc);
    return 0;
}

int ng__cli_lint(int argc, char **argv)
{
    static const struct option opts[] = {
        { "rules", required_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *dir = NULL;
    lint_run l;
    ng__scan *scan;
    char err[512];
    int ch, rc;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "r:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'r': dir = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    dir = ng__cli_rules_dir(dir);
    if (ng__rules_scan(dir, &scan, err, sizeof err) != NG_OK) {
        fprintf(stderr, "newsgate lint: %s\n", err);
        return EXIT_INTERNAL;
    }
    memset(&l, 0, sizeof l);
    l.scan = scan;
    for (size_t i = 0; i < scan->nproblems; i++) {
        ng__cli_puts(stdout, scan->problems[i], NG_ESCAPE_KEEP_BACKSLASH);
        putchar('\n');
    }
    l.problems = scan->nproblems;
    rc = run_time(&l, dir);
    if (rc == 0)
        printf("%zu problem%s in %s (%zu rules, %zu cases)\n", l.problems,
               l.problems == 1 ? "" : "s", dir, scan->nrules, scan->ncases);
    for (size_t i = 0; i < l.nreported; i++)
        free(l.reported[i]);
    free(l.reported);
    ng_engine_close(l.e);
    ng__scan_free(scan);
    return rc ? rc : l.problems ? 1 : 0;
}
