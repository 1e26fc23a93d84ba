/*
 * cli_check.c -- `newsgate check`: prints a verdict for every item of the
 * inputs and stores nothing.  With --db it reads a store (read-only) so
 * rules can look up history and earlier submissions.
 *
 * From the second item on, items are checked on one thread a processor
 * (NEWSGATE_CHECKERS, counting this one): checker threads with an engine
 * each (and a read-only store handle of their own) check the items read
 * ahead (cli_pipe.c), while this thread reads, prints the verdicts in
 * input order and, rather than wait for the checkers, checks items
 * itself.  A verdict is printed once its item and every earlier one are
 * checked, and before the command waits for more input, so the output
 * is what checking one item after another gives.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_pipe.h"
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
    "errors); on a terminal, progress is shown there while they run.  They\n"
    "are checked on one thread a processor ($NEWSGATE_CHECKERS, 1 to 8) and\n"
    "printed in input order.\n"
    "\n"
    "Exit status: 0 all accepted, 1 some held for review, 2 some rejected,\n"
    "4 some rule failed (--strict), 64 usage error, 65 bad input, 66 input\n"
    "not found, 70 internal error,\n"
    "73 store cannot be opened, 78 rules do not load.\n";

/* What checks an item: an engine and, with --db, the store handle it
 * reads (one a thread). */
typedef struct checker {
    ng_engine *e;
    ng_store *s;
} checker;

typedef struct check_ctx {
    checker own;            /* this thread's */
    ng__outform form;
    int color;
    int strict;
    ng__pipe *pipe;         /* NULL: every item checked on this thread */
    int tried;              /* the checker threads were started */
    const char *rules, *db; /* for the checkers' engines and stores */
    ng_engine_options eo;
} check_ctx;

/* Prints the verdict `v` of `it` (NULL: check it here first) and frees
 * it.  Returns the item's outcome, or -EXIT_INTERNAL after a message. */
static int report(check_ctx *c, ng_item *it, ng_verdict *v)
{
    int action;

    if (v == NULL && ng_check(c->own.e, it, &v) != NG_OK) {
        ng__cli_err("%s", ng_engine_errmsg(c->own.e));
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

/* ng__pipe_work start: a checker thread's engine and store handle,
 * quietly (this thread loaded the same rules and opened the same store
 * moments ago; without them the items are checked here). */
static void *checker_start(void *ud)
{
    const check_ctx *c = ud;
    checker *k = calloc(1, sizeof *k);
    char err[256];

    if (!k || !(k->e = ng__cli_engine_quiet(c->rules, &c->eo)))
        goto fail;
    if (c->db) {
        if (ng__cli_store_open(&k->s, c->db, NG_STORE_READONLY, err,
                               sizeof err) != NG_OK)
            goto fail;
        ng_engine_use_store(k->e, k->s);
    }
    return k;
fail:
    if (k)
        ng_engine_close(k->e);
    free(k);
    return NULL;
}

/* ng__pipe_work check: the verdict, or NULL (report() checks again and
 * prints the error). */
static ng_verdict *checker_check(void *ud, void *state, ng_item *it)
{
    const checker *k = state;
    ng_verdict *v = NULL;

    return ng_check(k->e, it, &v) == NG_OK ? v : NULL;
}

static void checker_stop(void *ud, void *state)
{
    checker *k = state;

    ng_engine_close(k->e);
    ng_store_close(k->s);
    free(k);
}

static const ng__pipe_work checker_work = {
    checker_start, checker_check, checker_stop
};

/* ng__cli_item_fn: one item at a time without a pipeline; else keeps the
 * item in it, starting the checker threads once the reader is a full
 * ring ahead of the printing.  Until then the items wait, and are
 * checked here when the input pauses or ends: a checker's engine takes
 * as long to load as some 30 items take to check, and the command
 * cannot end while one is loading (docs/architecture.md, "check on both
 * cores"). */
static int keep_item(ng_item *it, void *ud)
{
    check_ctx *c = ud;

    if (!c->pipe)
        return report(c, it, NULL);
    if (!c->tried && ng__pipe_count(c->pipe) == NG__PIPE_DEPTH - 1) {
        c->tried = 1;
        (void)ng__pipe_start(c->pipe, ng__pipe_checkers_wanted() - 1,
                             &checker_work, c);
    }
    ng__pipe_put(c->pipe, it);
    return NG__CLI_LATER;
}

/* ng__cli_later_fn: prints the oldest item's verdict once it is checked.
 * When it must (the pipeline is full, the input waits or ends), this
 * thread checks the oldest unclaimed item rather than wait, and waits
 * only when all are being checked. */
static int print_later(void *ud, int all)
{
    check_ctx *c = ud;
    ng_item *it;
    ng_verdict *v;
    size_t n = c->pipe ? ng__pipe_count(c->pipe) : 0;
    int wait = all || n >= NG__PIPE_DEPTH, rc;

    if (n == 0)
        return NG__CLI_LATER;
    while (!ng__pipe_take(c->pipe, 0, &it, &v)) {
        if (!wait)
            return NG__CLI_LATER;
        if (!c->tried || !ng__pipe_help(c->pipe, &c->own)) {
            if (!ng__pipe_take(c->pipe, 1, &it, &v))
                return NG__CLI_LATER;   /* not reached: one is held */
            break;
        }
    }
    rc = report(c, it, v);
    ng_item_free(it);
    return rc;
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
    c.rules = ng__cli_rules_dir(rules);
    c.db = db;
    c.eo = ng__cli_engine_options(&lim, deadline, debug);
    if ((rc = ng__cli_engine_with(c.rules, &c.eo, &c.own.e)) != 0)
        return rc;
    if (db) {
        int orc = ng__cli_store_open(&c.own.s, db, NG_STORE_READONLY, err,
                                     sizeof err);
        if (orc != NG_OK) {
            ng__cli_err("%s", err);
            ng_engine_close(c.own.e);
            return ng__cli_open_status(orc);
        }
        ng_engine_use_store(c.own.e, c.own.s);
    }
    /* One checker: no pipeline, every item checked here.  No memory for
     * one: the same. */
    if (ng__pipe_checkers_wanted() > 1)
        c.pipe = ng__pipe_new();
    status = ng__cli_each_item_later(argv + optind, argc - optind, &lim,
                                     keep_item, print_later, NULL, &c);
    ng__pipe_free(c.pipe);  /* items left after a stop are not printed */
    fflush(stdout);
    ng_engine_close(c.own.e);
    ng_store_close(c.own.s);
    return status;
}
