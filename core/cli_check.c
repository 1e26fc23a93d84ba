/*
 * cli_check.c -- `newsgate check`: prints a verdict for every item of the
 * inputs and stores nothing.  With --db it reads a store (read-only) so
 * rules can look up history and earlier submissions.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_util.h"

static const char usage[] =
    "usage: newsgate check [--rules DIR] [--format json|text] [--db PATH]\n"
    "                      [--limit KEY=N] [--deadline MS] [--strict] [--debug]\n"
    "                      [--profile] [--color WHEN] [FILE...|-]\n"
    "\n"
    "Checks news items (JSON object, JSON array, NDJSON or plain text; '-'\n"
    "or no FILE reads standard input) and prints one verdict per item:\n"
    "JSON lines when piped, readable text on a terminal.  Stores nothing.\n"
    "\n"
    "  -r, --rules DIR    rules directory (default: $NEWSGATE_RULES, else\n"
    "                     ./rules, else rules/ beside the executable, else\n"
    "                     the installed PREFIX/share/newsgate/rules)\n"
    "  -f, --format F     json or text\n"
    "  -d, --db PATH      read this store (read-only) for look-ups by rules\n"
    "                     (history, duplicates)\n"
    NG__CLI_LIMIT_HELP
    NG__CLI_DEADLINE_HELP
    NG__CLI_COLOR_HELP
    NG__CLI_STRICT_HELP
    "  -D, --debug        put the lines rules write with log(...) in the\n"
    "                     verdicts (\"debug\")\n"
    "  -P, --profile      time every rule, with the shared text analysis\n"
    "                     done first and timed apart (\"profile\")\n"
    "  -h, --help         show this help\n"
    "\n"
    "Several items end with a summary on stderr (accepted, review, rejected,\n"
    "errors); on a terminal, progress is shown there while they run.\n"
    "\n"
    "Exit status: 0 all accepted, 1 some held for review, 2 some rejected,\n"
    "4 some rule failed (--strict), 64 usage error, 65 bad input, 66 input\n"
    "not found, 70 internal error,\n"
    "73 store cannot be opened, 78 rules do not load.\n";

typedef struct check_ctx {
    ng_engine *e;
    ng__outform form;
    int color;
    int strict;
} check_ctx;

static int check_one(ng_item *it, void *ud)
{
    check_ctx *c = ud;
    ng_verdict *v;
    int rc = ng_check(c->e, it, &v), action;

    if (rc != NG_OK) {
        ng__cli_err("%s", ng_engine_errmsg(c->e));
        return -EXIT_INTERNAL;
    }
    if (ng__cli_print_verdict(v, 0, c->form, c->color) < 0) {
        ng_verdict_free(v);
        return -EXIT_INTERNAL;
    }
    action = (int)ng_verdict_action(v);
    if (c->strict && ng_verdict_error_count(v) > 0)
        action = EXIT_RULEERR;
    ng_verdict_free(v);
    return action;
}

/* Verdicts are small (a JSON line is ~600 bytes): written through a
 * 64 KiB buffer they leave in one write(2) per hundred or so, not one
 * per 4 KiB (stdio's own size for a pipe or file; glibc ignores the
 * size asked for unless given the buffer), and the item loop flushes
 * before it waits for more input.  The buffer is static, the one
 * piece of state outside a handle, and only in the command: stdio
 * keeps using it until the process exits, after anything could free
 * it (a malloc'd one is dropped by exit's stdio clean-up and shows as
 * lost), and stdout is the process's anyway. */
static void big_stdout(void)
{
    static char buf[1 << 16];

    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, buf, _IOFBF, sizeof buf);
}

int ng__cli_check(int argc, char **argv)
{
    static const struct option opts[] = {
        { "rules", required_argument, NULL, 'r' },
        { "format", required_argument, NULL, 'f' },
        { "db", required_argument, NULL, 'd' },
        { "limit", required_argument, NULL, 'l' },
        { "deadline", required_argument, NULL, 't' },
        { "color", required_argument, NULL, 'C' },
        { "strict", no_argument, NULL, 'S' },
        { "debug", no_argument, NULL, 'D' },
        { "profile", no_argument, NULL, 'P' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *rules = NULL, *db = NULL;
    check_ctx c = { .form = NG__OUT_AUTO };
    ng_store *store = NULL;
    ng_limits lim = { 0 };
    char err[512];
    int ch, rc, status, debug = 0, color = NG__COLOR_AUTO;
    uint32_t deadline = 0;

    big_stdout();
    optind = 1;
    while ((ch = getopt_long(argc, argv, "r:f:d:l:t:SDPh", opts, NULL)) != -1) {
        switch (ch) {
        case 't':
            if ((rc = ng__cli_deadline(&deadline, optarg)) != 0)
                return rc;
            break;
        case 'r': rules = optarg; break;
        case 'd': db = optarg; break;
        case 'C':
            if ((color = ng__cli_color_mode(optarg)) < 0)
                return EXIT_USAGE;
            break;
        case 'S': c.strict = 1; break;
        case 'D': debug |= 1; break;
        case 'P': debug |= 2; break;
        case 'l':
            if ((rc = ng__cli_limit(&lim, optarg)) != 0)
                return rc;
            break;
        case 'f':
            if ((rc = ng__cli_outform(optarg)) < 0) {
                ng__cli_err("check: unknown format '%s' (json or text)", optarg);
                return EXIT_USAGE;
            }
            c.form = (ng__outform)rc;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    c.form = ng__cli_resolve_outform(c.form);
    c.color = ng__cli_use_color(color);
    if ((rc = ng__cli_engine_debug(ng__cli_rules_dir(rules), &lim, deadline,
                                   debug, &c.e)) != 0)
        return rc;
    if (db) {
        int orc = ng__cli_store_open(&store, db, NG_STORE_READONLY, err,
                                sizeof err);
        if (orc != NG_OK) {
            ng__cli_err("%s", err);
            ng_engine_close(c.e);
            return ng__cli_open_status(orc);
        }
        ng_engine_use_store(c.e, store);
    }
    status = ng__cli_each_item(argv + optind, argc - optind, &lim, check_one, &c);
    fflush(stdout);
    ng_engine_close(c.e);
    ng_store_close(store);
    return status;
}
