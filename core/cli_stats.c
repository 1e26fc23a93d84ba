/*
 * cli_stats.c -- `newsgate stats`: per-rule figures over the verdicts of
 * a `check` or `submit` run (JSON lines, files or standard input): hits
 * and their share of the items, shadow hits, errors and, when the run was
 * profiled (`check --profile`), mean and worst time per rule.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cli_out.h"
#include "cli_util.h"

static const char usage[] =
    "usage: newsgate stats [--format json|text] [FILE...|-]\n"
    "       newsgate stats --db PATH [--since T] [--format json|text]\n"
    "\n"
    "Reads verdicts as JSON lines (the output of 'newsgate check' or\n"
    "'submit' with --format json; '-' or no FILE reads standard input) and\n"
    "prints per rule: hits, share of items, shadow hits, errors, and mean\n"
    "and worst time when the verdicts carry a profile (check --profile).\n"
    "With --db, the same from the store over the items submitted since T\n"
    "(unix seconds or RFC 3339), with each rule's hits on items moderators\n"
    "rejected and approved (its precision against them) and the rules the\n"
    "emergency brake switched to shadow mode.\n"
    "\n"
    "  -d, --db PATH      read the store\n"
    "  -s, --since T      only items submitted at or after T (with --db)\n"
    "  -f, --format F     json or text\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 done, 64 usage error, 65 a line is not a verdict,\n"
    "66 input not found, 70 internal error, 73 store cannot be opened,\n"
    "74 store error.\n";

typedef struct rule_stat {
    char *name;
    size_t hits, shadow, errors, timed;
    double us, worst;
} rule_stat;

typedef struct stats {
    rule_stat *r;
    size_t n, cap, items;
} stats;

static rule_stat *stat_of(stats *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->r[i].name, name) == 0)
            return &s->r[i];
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 32;
        rule_stat *nr = realloc(s->r, nc * sizeof *nr);
        if (nr == NULL)
            return NULL;
        s->r = nr;
        s->cap = nc;
    }
    memset(&s->r[s->n], 0, sizeof *s->r);
    if ((s->r[s->n].name = strdup(name)) == NULL)
        return NULL;
    return &s->r[s->n++];
}

/* The "rule" of a hit or error entry. */
static const char *rule_name(json_t *entry)
{
    const char *s = json_string_value(json_object_get(entry, "rule"));
    return s ? s : "?";
}

/* Folds one verdict in.  Returns 0, or -1 on no memory. */
static int add_verdict(stats *s, json_t *v)
{
    json_t *h, *prof = json_object_get(json_object_get(v, "profile"), "rules");
    const char *k;
    size_t i;
    rule_stat *r;

    s->items++;
    json_array_foreach(json_object_get(v, "hits"), i, h) {
        if (!(r = stat_of(s, rule_name(h))))
            return -1;
        r->hits++;
        r->shadow += json_is_true(json_object_get(h, "shadow"));
    }
    json_array_foreach(json_object_get(v, "errors"), i, h) {
        if (!(r = stat_of(s, rule_name(h))))
            return -1;
        r->errors++;
    }
    json_object_foreach(prof, k, h) {
        double us = json_number_value(h);
        if (!(r = stat_of(s, k)))
            return -1;
        r->timed++;
        r->us += us;
        r->worst = us > r->worst ? us : r->worst;
    }
    return 0;
}

static int read_input(stats *s, const char *path)
{
    char *buf, *line, *next;
    size_t len, lineno = 0;
    int rc = ng__cli_slurp(path, &buf, &len);

    for (line = buf; rc == 0 && line && *line; line = next) {
        json_t *v;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        if (!line[strspn(line, " \t\r")])
            continue;
        if (!(v = json_loads(line, 0, NULL)) || !json_is_object(v)
            || !json_is_array(json_object_get(v, "hits"))) {
            fprintf(stderr, "newsgate stats: %s:%zu: not a verdict\n", path, lineno);
            rc = EXIT_DATAERR;
        } else if (add_verdict(s, v) < 0) {
            rc = EXIT_INTERNAL;
        }
        json_decref(v);
    }
    free(buf);
    return rc;
}

/* Prints the figures; returns 0, or EXIT_INTERNAL on no memory. */
static int print_stats(const stats *s, ng__outform form)
{
    int rc = 0;
    json_t *arr = json_array();

    if (form == NG__OUT_TEXT)
        printf("%zu items\n%-28s %6s %7s %6s %6s %9s %9s\n", s->items, "rule",
               "hits", "share", "shadow", "errors", "mean us", "worst us");
    for (size_t i = 0; i < s->n; i++) {
        const rule_stat *r = &s->r[i];
        double share = s->items ? (double)r->hits / (double)s->items : 0;
        if (form == NG__OUT_TEXT) {
            ng__cli_put_name(r->name, 28);
            printf(" %6zu %6.1f%% %6zu %6zu", r->hits, share * 100,
                   r->shadow, r->errors);
            if (r->timed)
                printf(" %9.1f %9.0f", r->us / (double)r->timed, r->worst);
            printf("\n");
            continue;
        }
        json_array_append_new(arr, json_pack("{sssIsfsIsIsoso}", "rule", r->name,
            "hits", (json_int_t)r->hits, "share", share,
            "shadow", (json_int_t)r->shadow, "errors", (json_int_t)r->errors,
            "mean_us", r->timed ? json_real(r->us / (double)r->timed) : json_null(),
            "worst_us", r->timed ? json_real(r->worst) : json_null()));
    }
    if (form != NG__OUT_TEXT) {
        json_t *o = json_pack("{sIso}", "items", (json_int_t)s->items, "rules", arr);
        rc = ng__cli_json_print(o) < 0 ? EXIT_INTERNAL : 0;
        json_decref(o);
    } else {
        json_decref(arr);
    }
    return rc;
}

static void print_store_text(const char *json)
{
    json_t *o = json_loads(json, 0, NULL), *r;
    size_t i;

    printf("%lld items\n%-28s %6s %7s %6s %9s %9s   %s\n",
           (long long)json_integer_value(json_object_get(o, "items")), "rule",
           "hits", "share", "errors", "mean us", "worst us",
           "on rejected/approved (precision)");
    json_array_foreach(json_object_get(o, "rules"), i, r) {
        json_t *p = json_object_get(r, "precision");
        ng__cli_put_name(json_string_value(json_object_get(r, "rule")), 28);
        printf(" %6lld %6.1f%% %6lld %9.1f %9lld   %lld/%lld",
               (long long)json_integer_value(json_object_get(r, "hits")),
               json_number_value(json_object_get(r, "share")) * 100,
               (long long)json_integer_value(json_object_get(r, "errors")),
               json_number_value(json_object_get(r, "mean_us")),
               (long long)json_integer_value(json_object_get(r, "worst_us")),
               (long long)json_integer_value(json_object_get(r, "rejected")),
               (long long)json_integer_value(json_object_get(r, "approved")));
        if (json_is_number(p))
            printf(" (%.2f)", json_number_value(p));
        printf("%s\n", json_is_true(json_object_get(r, "braked")) ? "  BRAKED" : "");
    }
    json_decref(o);
}

/* stats --db: the figures the store keeps. */
static int store_stats(const char *db, const char *since, ng__outform form)
{
    int64_t t = 0;
    ng_store *s;
    char err[640], *json = NULL, *end;
    int rc;

    if (since && ng_time_parse(since, &t) != NG_OK) {
        t = strtoll(since, &end, 10);
        if (*end || end == since) {
            fprintf(stderr, "newsgate stats: --since: '%s' is neither unix "
                    "seconds nor an RFC 3339 time\n", since);
            return EXIT_USAGE;
        }
    }
    int orc = ng__cli_store_open(&s, db, NG_STORE_READONLY, err, sizeof err);
    if (orc != NG_OK) {
        fprintf(stderr, "newsgate: %s\n", err);
        return ng__cli_open_status(orc);
    }
    rc = ng_rule_stats(s, t, &json);
    if (rc != NG_OK)
        fprintf(stderr, "newsgate: %s\n", ng_store_errmsg(s));
    else if (form == NG__OUT_TEXT)
        print_store_text(json);
    else if (ng__cli_json_print_text(json) < 0)
        rc = NG_ENOMEM;
    ng_free(json);
    ng_store_close(s);
    return rc == NG_OK ? 0 : rc == NG_ENOMEM ? EXIT_INTERNAL : EXIT_IOERR;
}

int ng__cli_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "db", required_argument, NULL, 'd' },
        { "since", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    static char dash[] = "-";
    char *stdin_only[] = { dash };
    ng__outform form = NG__OUT_AUTO;
    stats s = { NULL, 0, 0, 0 };
    const char *db = NULL, *since = NULL;
    int ch, rc, status = 0;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "f:d:s:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 's': since = optarg; break;
        case 'f':
            if ((rc = ng__cli_outform(optarg)) < 0) {
                fprintf(stderr, "newsgate stats: unknown format '%s'\n", optarg);
                return EXIT_USAGE;
            }
            form = (ng__outform)rc;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (db || since) {
        if (!db || optind < argc) {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
        return store_stats(db, since, ng__cli_resolve_outform(form));
    }
    if (optind == argc) {
        argv = stdin_only;
        argc = 1;
        optind = 0;
    }
    for (int i = optind; i < argc; i++)
        status = ng__cli_worse(status, read_input(&s, argv[i]));
    if (status != EXIT_INTERNAL)
        status = ng__cli_worse(status, print_stats(&s, ng__cli_resolve_outform(form)));
    for (size_t i = 0; i < s.n; i++)
        free(s.r[i].name);
    free(s.r);
    return status;
}
