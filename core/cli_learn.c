/*
 * cli_learn.c -- `newsgate learn spam|ham`: trains the spam learner with
 * the items of the inputs (any input format), all in one transaction, and
 * reports how many were learned, moved from the other class, or already
 * known.  Like every CLI file it uses only the public header.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "cli_util.h"

static const char usage[] =
    "usage: newsgate learn spam|ham [--db PATH] [FILE...|-]\n"
    "\n"
    "Trains the spam learner: every item of the inputs (JSON object, JSON\n"
    "array, NDJSON or plain text; '-' or no FILE reads standard input)\n"
    "counts as spam or as ham.  An item already learned as that class\n"
    "(same normalized text) is not counted again; one learned as the other\n"
    "class is moved.  Rules read the result with item:spam_probability()\n"
    "once 10 items of each class are learned (docs/spam.md).\n"
    "\n"
    "  -d, --db PATH      database (default: $NEWSGATE_DB, else newsgate.db)\n"
    NG__CLI_LIMIT_HELP
    "  -h, --help         show this help\n"
    "\n"
    "Prints one line: learned N, moved N, unchanged N.\n"
    "Exit status: 0 done, 64 usage error, 65 bad input (the good items\n"
    "are still learned), 66 input not found, 73 database cannot be opened,\n"
    "74 store error.\n";

typedef struct learn_ctx {
    ng_store *s;
    int spam;
    size_t counts[3];      /* unchanged, learned, moved */
} learn_ctx;

static int learn_one(ng_item *it, void *ud)
{
    learn_ctx *c = ud;
    int changed = 0;
    int rc = ng_learn(c->s, it, c->spam, &changed);

    if (rc != NG_OK) {
        ng__cli_err("learn \"%.60s\": %s", ng_item_title(it),
                    ng_store_errmsg(c->s));
        return -(rc == NG_ENOMEM ? EXIT_INTERNAL : EXIT_IOERR);
    }
    c->counts[changed]++;
    return EXIT_ACCEPT;
}

/* Parses the options; returns 0, or an exit status + 1000 for --help (0)
 * and usage errors. */
static int options(int argc, char **argv, const char **db, ng_limits *lim)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "limit", required_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int ch, f;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:l:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': *db = optarg; break;
        case 'l':
            if ((f = ng__cli_limit(lim, optarg)) != 0)
                return 1000 + f;
            break;
        case 'h': fputs(usage, stdout); return 1000;
        default: fputs(usage, stderr); return 1000 + EXIT_USAGE;
        }
    }
    return 0;
}

/* "spam" -> 1, "ham" -> 0, else -1. */
static int class_of(const char *s)
{
    return !s ? -1 : strcmp(s, "spam") == 0 ? 1 : strcmp(s, "ham") == 0 ? 0
                                                                        : -1;
}

int ng__cli_learn(int argc, char **argv)
{
    const char *db = NULL;
    learn_ctx c = { 0 };
    ng_limits lim = { 0 };
    char err[768];
    int rc, status;

    if ((rc = options(argc, argv, &db, &lim)) != 0)
        return rc - 1000;
    if (optind >= argc || (c.spam = class_of(argv[optind])) < 0) {
        fprintf(stderr, "newsgate learn: say spam or ham\n%s", usage);
        return EXIT_USAGE;
    }
    optind++;
    int orc = ng__cli_store_open(&c.s, ng__cli_db_path(db), 0, err, sizeof err);
    if (orc != NG_OK) {
        ng__cli_err("%s", err);
        return ng__cli_open_status(orc);
    }
    if (ng_store_batch_begin(c.s) != NG_OK) {
        ng__cli_err("%s", ng_store_errmsg(c.s));
        ng_store_close(c.s);
        return EXIT_IOERR;
    }
    status = ng__cli_each_item(argv + optind, argc - optind, &lim,
                               learn_one, &c);
    if (ng_store_batch_commit(c.s) != NG_OK) {
        ng__cli_err("%s", ng_store_errmsg(c.s));
        status = ng__cli_worse(status, EXIT_IOERR);
    } else {
        printf("learned %zu, moved %zu, unchanged %zu\n", c.counts[1],
               c.counts[2], c.counts[0]);
    }
    ng_store_close(c.s);
    return status;
}
