/*
 * cli_sources.c -- `newsgate sources`: the reference sources, publishers'
 * articles kept apart from the queue, against which item:copied_from()
 * and the COPIED_SOURCE rule compare submissions.  add registers the
 * items of its inputs (any input format `check` reads) in one
 * transaction; list prints them; remove deletes a publisher's or one.
 * Like every CLI file it uses only the public header.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "cli_util.h"

static const char usage[] =
    "usage: newsgate sources add --publisher NAME [--domain DOMAIN]\n"
    "                            [--db PATH] [FILE...|-]\n"
    "       newsgate sources list [--db PATH]\n"
    "       newsgate sources remove (--publisher NAME | ID) [--db PATH]\n"
    "\n"
    "Reference sources: a publisher's articles registered so that\n"
    "submissions reproducing them (whole, in part, edited or wrapped in\n"
    "other furniture) are found by item:copied_from() and flagged by the\n"
    "COPIED_SOURCE rule unless they credit that publisher or link its\n"
    "domain.  add reads items like `newsgate check` (title and body are\n"
    "kept) and prints one id per item; list prints id, publisher, domain\n"
    "and title, tab-separated.\n"
    "\n"
    "  -p, --publisher NAME  publisher the articles belong to\n"
    "  -D, --domain DOMAIN   the publisher's web domain (e.g. rt.com)\n"
    "  -d, --db PATH         database (default: $NEWSGATE_DB, else\n"
    "                        newsgate.db)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 done, 3 nothing removed, 64 usage error, 65 bad input,\n"
    "66 input not found, 73 database cannot be opened, 74 store error.\n";

typedef struct sopts {
    const char *publisher, *domain, *db;
    ng_store *s;
    int failed;
} sopts;

static int parse(int argc, char **argv, sopts *o)
{
    static const struct option longs[] = {
        { "publisher", required_argument, NULL, 'p' },
        { "domain", required_argument, NULL, 'D' },
        { "db", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:D:d:h", longs, NULL)) != -1) {
        if (c == 'p')
            o->publisher = optarg;
        else if (c == 'D')
            o->domain = optarg;
        else if (c == 'd')
            o->db = optarg;
        else if (c == 'h') {
            fputs(usage, stdout);
            return 0;
        } else {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    return -1;
}

static int add_one(ng_item *it, void *ud)
{
    sopts *o = ud;
    int64_t id;
    int rc = ng_sources_add(o->s, it, o->publisher, o->domain, &id);
    if (rc != NG_OK) {
        fprintf(stderr, "newsgate: %s\n", ng_store_errmsg(o->s));
        o->failed = 1;
        return -EXIT_IOERR;
    }
    printf("%lld\n", (long long)id);
    return EXIT_ACCEPT;
}

static int cmd_add(sopts *o, char **inputs, int n)
{
    if (!o->publisher || !*o->publisher) {
        fprintf(stderr, "newsgate: sources add: --publisher is required\n");
        return EXIT_USAGE;
    }
    ng_limits lim = { 0 };      /* zero: the defaults (docs/input.md) */
    int rc = ng_store_batch_begin(o->s);
    if (rc != NG_OK) {
        fprintf(stderr, "newsgate: %s\n", ng_store_errmsg(o->s));
        return EXIT_IOERR;
    }
    int status = ng__cli_each_item(inputs, n, &lim, add_one, o);
    rc = o->failed ? ng_store_batch_rollback(o->s)
                   : ng_store_batch_commit(o->s);
    if (rc != NG_OK || o->failed) {
        if (rc != NG_OK)
            fprintf(stderr, "newsgate: %s\n", ng_store_errmsg(o->s));
        return EXIT_IOERR;
    }
    return status;
}

/* One source, tab-separated; publisher, domain and title escaped for the
 * terminal (a title comes from the publisher's article). */
static int print_one(void *arg, const ng_source_info *src)
{
    (void)arg;
    printf("%lld\t", (long long)src->id);
    ng__cli_puts(stdout, src->publisher, 0);
    fputc('\t', stdout);
    ng__cli_puts(stdout, src->domain ? src->domain : "-", 0);
    fputc('\t', stdout);
    ng__cli_puts(stdout, src->title, 0);
    fputc('\n', stdout);
    return 0;
}

static int cmd_remove(sopts *o, char **args, int n)
{
    int64_t id = 0, removed;
    if ((o->publisher != NULL) == (n == 1)) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (n == 1) {
        char *end;
        id = strtoll(args[0], &end, 10);
        if (*end || id <= 0) {
            fprintf(stderr, "newsgate: sources remove: bad id '%s'\n",
                    args[0]);
            return EXIT_USAGE;
        }
    }
    if (ng_sources_remove(o->s, o->publisher, id, &removed) != NG_OK) {
        fprintf(stderr, "newsgate: %s\n", ng_store_errmsg(o->s));
        return EXIT_IOERR;
    }
    printf("removed %lld\n", (long long)removed);
    return removed ? EXIT_ACCEPT : EXIT_NOTFOUND;
}

int ng__cli_sources(int argc, char **argv)
{
    sopts o = { 0 };
    const char *cmd = argc > 1 ? argv[1] : NULL;
    if (!cmd || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage, cmd ? stdout : stderr);
        return cmd ? 0 : EXIT_USAGE;
    }
    if (strcmp(cmd, "add") && strcmp(cmd, "list") && strcmp(cmd, "remove")) {
        fprintf(stderr, "newsgate: sources: unknown command '%s'\n", cmd);
        return EXIT_USAGE;
    }
    int rc = parse(argc - 1, argv + 1, &o);
    if (rc >= 0)
        return rc;
    char **args = argv + 1 + optind;
    int nargs = argc - 1 - optind;
    char err[512];
    int flags = strcmp(cmd, "list") == 0 ? NG_STORE_READONLY : 0;
    int orc = ng__cli_store_open(&o.s, ng__cli_db_path(o.db), flags, err,
                            sizeof err);
    if (orc != NG_OK) {
        fprintf(stderr, "newsgate: %s\n", err);
        return ng__cli_open_status(orc);
    }
    if (strcmp(cmd, "add") == 0)
        rc = cmd_add(&o, args, nargs);
    else if (strcmp(cmd, "remove") == 0)
        rc = cmd_remove(&o, args, nargs);
    else if (ng_sources_list(o.s, print_one, NULL) != NG_OK) {
        fprintf(stderr, "newsgate: %s\n", ng_store_errmsg(o.s));
        rc = EXIT_IOERR;
    } else
        rc = EXIT_ACCEPT;
    ng_store_close(o.s);
    return rc;
}
