/*
 * cli_serve.c -- `newsgate serve`: parses the options of the submission
 * server and runs it (core/server.c) until SIGTERM or SIGINT.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "cli_util.h"
#include "server.h"

static const char usage[] =
    "usage: newsgate serve [--listen ADDR:PORT] [--db PATH] [--rules DIR]\n"
    "                      [--threads N] [--tokens FILE] [OPTIONS]\n"
    "\n"
    "Runs the submission server: a JSON API over HTTP to check and file\n"
    "submissions and to work the moderation queue (docs/api.md).\n"
    "SIGHUP reloads the rules; SIGTERM stops gracefully.\n"
    "\n"
    "  -L, --listen ADDR:PORT  address (IPv4) and port, default\n"
    "                          127.0.0.1:8080; port 0 picks a free one\n"
    "  -d, --db PATH           database (default: $NEWSGATE_DB, else\n"
    "                          newsgate.db)\n"
    "  -r, --rules DIR         rules directory (as for check)\n"
    "  -t, --threads N         HTTP worker threads, each with its own\n"
    "                          engine (default: number of CPUs)\n"
    "  -T, --tokens FILE       bearer tokens, one \"TOKEN ROLE\" per line\n"
    "                          (moderator, publisher, submitter)\n"
    "      --submit-token      submissions and checks need a submitter\n"
    "                          or moderator token\n"
    "      --max-body BYTES    request body limit (default 1M)\n"
    "      --max-items N       items per request (default 1000)\n"
    "      --max-connections N open connections (default 1000)\n"
    "      --timeout SECONDS   idle time before a connection is closed,\n"
    "                          and time for a request body (default 30)\n"
    "      --max-header BYTES  request line and headers (default 16K)\n"
    "      --batch N           items per group commit at most (1024)\n"
    "      --drain SECONDS     how long a stop waits for requests (10)\n"
    "      --deadline MS       wall-clock time one rule may spend on one\n"
    "                          item (default 250); past it the rule fails\n"
    "                          with \"deadline exceeded\"\n"
    "      --no-sync           commits are not flushed (tests only)\n"
    NG__CLI_LIMIT_HELP
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 stopped cleanly, 64 usage, 70 cannot listen or\n"
    "internal error, 73 database cannot be opened, 78 rules or tokens do\n"
    "not load.\n";

enum { O_SUBMIT_TOKEN = 256, O_MAX_BODY, O_MAX_ITEMS, O_MAX_CONNS,
       O_TIMEOUT, O_MAX_HEADER, O_BATCH, O_DRAIN, O_NOSYNC, O_DEADLINE };

/* A number with an optional K or M suffix in [1, max].  Returns 0 or
 * prints the problem and returns -1. */
static int number(const char *opt, const char *s, unsigned long long max,
                  unsigned long long *v)
{
    char *end;
    unsigned long long x;

    errno = 0;
    x = strtoull(s, &end, 10);
    if (*end == 'K' || *end == 'k')
        x <<= 10, end++;
    else if (*end == 'M' || *end == 'm')
        x <<= 20, end++;
    if (*s == '-' || end == s || *end || errno || x < 1 || x > max) {
        fprintf(stderr, "newsgate serve: %s wants a number from 1 to "
                "%llu, not '%s'\n", opt, max, s);
        return -1;
    }
    *v = x;
    return 0;
}

/* Splits ADDR:PORT.  Returns 0 or -1 (printed). */
static int listen_on(ng__srv_config *c, char *arg)
{
    char *colon = strrchr(arg, ':');
    char *end;
    unsigned long port;

    if (!colon || colon == arg) {
        fprintf(stderr, "newsgate serve: --listen wants ADDR:PORT\n");
        return -1;
    }
    *colon = '\0';
    errno = 0;
    port = strtoul(colon + 1, &end, 10);
    if (!colon[1] || *end || errno || port > 65535) {
        fprintf(stderr, "newsgate serve: bad port '%s'\n", colon + 1);
        return -1;
    }
    c->host = arg;
    c->port = (unsigned)port;
    return 0;
}

/* One numeric option into its field.  Returns 0 or -1. */
static int numeric(ng__srv_config *c, int ch, const char *arg)
{
    unsigned long long v;

    switch (ch) {
    case 't':
        if (number("--threads", arg, 64, &v)) return -1;
        c->threads = (unsigned)v; return 0;
    case O_MAX_BODY:
        if (number("--max-body", arg, 1ull << 30, &v)) return -1;
        c->max_body = (size_t)v; return 0;
    case O_MAX_ITEMS:
        if (number("--max-items", arg, 1000000, &v)) return -1;
        c->max_items = (size_t)v; return 0;
    case O_MAX_CONNS:
        if (number("--max-connections", arg, 100000, &v)) return -1;
        c->max_conns = (unsigned)v; return 0;
    case O_TIMEOUT:
        if (number("--timeout", arg, 3600, &v)) return -1;
        c->timeout = (unsigned)v; return 0;
    case O_MAX_HEADER:
        if (number("--max-header", arg, 1 << 20, &v)) return -1;
        c->max_header = (size_t)v; return 0;
    case O_BATCH:
        if (number("--batch", arg, 100000, &v)) return -1;
        c->batch_items = (size_t)v; return 0;
    case O_DRAIN:
        if (number("--drain", arg, 3600, &v)) return -1;
        c->drain = (unsigned)v; return 0;
    }
    return -1;
}

/* Parses the options into c; returns 0, or an exit status + 1000 for
 * --help (0) and usage errors. */
static int options(int argc, char **argv, ng__srv_config *c)
{
    static const struct option opts[] = {
        { "listen", required_argument, NULL, 'L' },
        { "db", required_argument, NULL, 'd' },
        { "rules", required_argument, NULL, 'r' },
        { "threads", required_argument, NULL, 't' },
        { "tokens", required_argument, NULL, 'T' },
        { "limit", required_argument, NULL, 'l' },
        { "submit-token", no_argument, NULL, O_SUBMIT_TOKEN },
        { "max-body", required_argument, NULL, O_MAX_BODY },
        { "max-items", required_argument, NULL, O_MAX_ITEMS },
        { "max-connections", required_argument, NULL, O_MAX_CONNS },
        { "timeout", required_argument, NULL, O_TIMEOUT },
        { "max-header", required_argument, NULL, O_MAX_HEADER },
        { "batch", required_argument, NULL, O_BATCH },
        { "drain", required_argument, NULL, O_DRAIN },
        { "no-sync", no_argument, NULL, O_NOSYNC },
        { "deadline", required_argument, NULL, O_DEADLINE },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int ch, bad = 0;

    optind = 1;
    while (!bad && (ch = getopt_long(argc, argv, "L:d:r:t:T:l:h", opts,
                                     NULL)) != -1) {
        switch (ch) {
        case 'L': bad = listen_on(c, optarg) != 0; break;
        case 'd': c->db = optarg; break;
        case 'r': c->rules = optarg; break;
        case 'T': c->tokens = optarg; break;
        case 'l': bad = ng__cli_limit(&c->limits, optarg) != 0; break;
        case O_SUBMIT_TOKEN: c->submit_token = 1; break;
        case O_NOSYNC: c->nosync = 1; break;
        case O_DEADLINE:
            bad = ng__cli_deadline(&c->deadline_ms, optarg) != 0;
            break;
        case 'h': fputs(usage, stdout); return 1000;
        case '?': fputs(usage, stderr); return 1000 + EXIT_USAGE;
        default: bad = numeric(c, ch, optarg) != 0; break;
        }
    }
    if (!bad && optind < argc) {
        fprintf(stderr, "newsgate serve: unexpected argument '%s'\n",
                argv[optind]);
        bad = 1;
    }
    return bad ? 1000 + EXIT_USAGE : 0;
}

int ng__cli_serve(int argc, char **argv)
{
    ng__srv_config c;
    int rc;

    ng__srv_config_defaults(&c);
    if ((rc = options(argc, argv, &c)) != 0)
        return rc - 1000;
    c.db = ng__cli_db_path(c.db);
    c.rules = ng__cli_rules_dir(c.rules);
    switch (ng__server_run(&c)) {
    case NG_OK: return 0;
    case NG_ERULES: case NG_EINVAL: return EXIT_CONFIG;
    case NG_ESTORE: case NG_ENOTDB: case NG_EVERSION: case NG_EBUSY:
    case NG_EIO:
        return EXIT_CANTCREAT;
    default: return EXIT_INTERNAL;   /* cannot listen, no memory */
    }
}
