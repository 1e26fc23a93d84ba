/*
 * cli_submit.c -- `newsgate submit`: checks every item of the inputs like
 * `check` and files it in the moderation queue, printing each verdict with
 * the new item's id.
 *
 * Items are grouped in batches (up to 256 items or 50 ms, whichever comes
 * first, and never across a pause of the input), each one durable
 * transaction.  The output of a batch is held
 * back until the batch has committed and is then written and flushed, so
 * every id this command prints is already on disk.  Like every CLI file it
 * uses only the public header.
 *
 * From the second item on, the checking runs ahead on checker threads
 * (cli_pipe.c: ng_submit_check with an engine each, one thread a
 * processor but the filer's, at least one; NEWSGATE_CHECKERS counts the
 * filer) and a filer thread files the items in
 * input order with this command's engine (ng_submit_file re-runs only
 * the rules that read the store), while this thread reads the input and
 * collects the outcomes in order; so the output, the ids and the exit
 * status are those of checking and filing one item after another.  The
 * store is used by one thread at a time: the filer's, or this one when
 * the filer is idle (every item filed: the idle hook's commit, the
 * end).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "grow.h"
#include "cli.h"
#include "cli_util.h"
#include "cli_pipe.h"

#define BATCH_ITEMS 256
#define BATCH_SECONDS 0.050

static const char usage[] =
    "usage: newsgate submit [--db PATH] [--rules DIR] [--format json|text]\n"
    "                       [--limit KEY=N] [--deadline MS] [--strict]\n"
    "                       [--brake-window N] [--brake-share X] [--color WHEN]\n"
    "                       [FILE...|-]\n"
    "\n"
    "Checks news items like `newsgate check` and files each one, with its\n"
    "verdict, in the moderation queue as accepted, review or rejected.\n"
    "Prints the verdict of every item with its new id once it is stored\n"
    "durably.  An item whose external_id is already stored is not stored\n"
    "again: its existing id is printed with \"existing\": true.\n"
    "\n"
    "  -d, --db PATH      database (default: $NEWSGATE_DB, else newsgate.db)\n"
    "  -r, --rules DIR    rules directory (as for check)\n"
    "  -f, --format F     json or text\n"
    NG__CLI_LIMIT_HELP
    NG__CLI_DEADLINE_HELP
    NG__CLI_COLOR_HELP
    NG__CLI_STRICT_HELP
    "      --brake-window N  emergency brake: recent submissions watched\n"
    "                     per rule (default 100)\n"
    "      --brake-share X   hit share of them (0-1) at which an enforcing\n"
    "                     rule that hit at most a fifth as often before is\n"
    "                     switched to shadow mode (default 0.5)\n"
    "  -h, --help         show this help\n"
    "\n"
    "Several items end with a summary on stderr (accepted, review, rejected,\n"
    "errors); on a terminal, progress is shown there while they run.\n"
    "\n"
    "Exit status: 0 all accepted, 1 some held for review, 2 some rejected,\n"
    "4 some rule failed (--strict), 64 usage error, 65 bad input, 66 input\n"
    "not found, 70 internal error,\n"
    "73 database cannot be opened, 74 store error, 75 store locked by\n"
    "another process past the busy timeout ($NEWSGATE_BUSY_TIMEOUT ms,\n"
    "default 30000) or its server unavailable (nothing of the batch\n"
    "stored), 78 rules do not load.\n";

/* An item of the open batch with its first-pass verdict (NULL: none),
 * kept until the batch commits. */
typedef struct kept {
    ng_item *it;
    ng_verdict *v;
} kept;

/* Output held back until its batch commits. */
typedef struct pending {
    char *buf;
    size_t len, cap;
} pending;

typedef struct submit_ctx {
    ng_engine *e;
    ng_store *s;
    ng__outform form;
    int color;
    uint32_t deadline_ms; /* --deadline, 0: the engine's default */
    pending out;
    size_t in_batch;    /* items in the open batch, 0 when none */
    double started;     /* when the open batch began */
    uint32_t brake_window; /* --brake-window, 0: default */
    double brake_share;    /* --brake-share, 0: default */
    int strict;         /* --strict: rule errors give EXIT_RULEERR */
    ng__pipe *pipe;     /* items read ahead; NULL: none (no memory) */
    kept *batch;        /* the open batch's items, to file again */
    size_t nkept;
    int guarded;        /* the open batch keeps a savepoint per item */
    int tried;          /* the checkers were started, or failed to */
    int filer;          /* a filer thread files the items */
    const char *rules;  /* rules directory, for the checker's engine */
    ng_engine_options eo;
} submit_ctx;

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Appends `s` (and a newline when `nl`).  Returns 0 or -1. */
static int hold(pending *p, const char *s, int nl)
{
    size_t n = strlen(s);

    if (n > SIZE_MAX - 2
        || ng__grow(&p->buf, &p->cap, p->len, n + 2, 1, 65536) < 0)
        return -1;
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    if (nl)
        p->buf[p->len++] = '\n';
    return 0;
}

/* The exit status for a store failure: another process holding the lock
 * past the busy timeout is worth a retry, anything else is not. */
static int store_exit(int rc)
{
    if (rc != NG_EBUSY)
        return EXIT_IOERR;
    ng__cli_err("submit: the store stayed locked by another process past "
                "the busy timeout, or its server is unavailable; nothing of "
                "this batch was stored, try again");
    return EXIT_TEMPFAIL;
}

/* Frees the items kept for the open batch. */
static void forget_kept(submit_ctx *c)
{
    for (size_t i = 0; i < c->nkept; i++) {
        ng_item_free(c->batch[i].it);
        ng_verdict_free(c->batch[i].v);
    }
    c->nkept = 0;
}

/* Commits the open batch, then writes and flushes its output.  Returns 0
 * or -EXIT_IOERR / -EXIT_TEMPFAIL. */
static int flush_batch(submit_ctx *c)
{
    size_t n = c->in_batch;
    int rc;

    forget_kept(c);
    if (n == 0)
        return 0;
    c->in_batch = 0;
    if ((rc = ng_store_batch_commit(c->s)) != NG_OK) {
        ng__cli_err("%s", ng_store_errmsg(c->s));
        /* A failed sync cannot take back frames already in the WAL: the
         * batch may reappear when the store is next opened. */
        ng__cli_err("submit: the last %zu items were not reported (not "
                    "stored, or after a failed sync perhaps stored)", n);
        c->out.len = 0;
        return -store_exit(rc);
    }
    if (c->out.len)
        fwrite(c->out.buf, 1, c->out.len, stdout);
    c->out.len = 0;
    fflush(stdout);
    return 0;
}

/* The input pauses: commit the open batch rather than hold it (and the
 * store's write lock) while waiting. */
static int submit_idle(void *ud)
{
    return flush_batch(ud);
}

/* The line printed for an item whose external_id is already stored. */
static int hold_existing(submit_ctx *c, int64_t id)
{
    char line[160];

    if (c->form == NG__OUT_TEXT)
        snprintf(line, sizeof line, "#%lld existing (external_id already "
                 "stored)", (long long)id);
    else
        snprintf(line, sizeof line, "{\"id\":%lld,\"existing\":true}",
                 (long long)id);
    return hold(&c->out, line, 1);
}

/* Holds the printed form of a verdict.  Returns 0 or -1. */
static int hold_verdict(submit_ctx *c, const ng_verdict *v, int64_t id)
{
    int text = c->form == NG__OUT_TEXT;
    char *s = text ? ng_verdict_text(v, id, c->color) : ng_verdict_json(v, id);
    int rc = s ? hold(&c->out, s, !text) : -1;

    ng_free(s);
    return rc;
}

/* Files one item into the open batch and holds its printed form;
 * returns an outcome for ng__cli_worse, or -1 with rc set on a store
 * error (the message printed). */
static int file_one(submit_ctx *c, ng_item *it, const ng_verdict *checked,
                    int *rc)
{
    ng_verdict *v = NULL;
    int64_t id;
    int existed, outcome;

    *rc = ng_submit_file(c->e, c->s, it, checked, &id, &existed, &v, NULL);
    if (*rc != NG_OK) {
        ng__cli_err("submit \"%.60s\": %s", ng_item_title(it),
                    ng_store_errmsg(c->s));
        return -1;
    }
    outcome = existed ? EXIT_ACCEPT : (int)ng_verdict_action(v);
    if (c->strict && v && ng_verdict_error_count(v) > 0)
        outcome = EXIT_RULEERR;
    if ((existed ? hold_existing(c, id)
                 : hold_verdict(c, v, id)) < 0) {
        ng_verdict_free(v);
        ng__cli_err("out of memory");
        *rc = NG_ENOMEM;
        return -1;
    }
    ng_verdict_free(v);
    return outcome;
}

/* Opens a batch: all or nothing (no savepoint per item: they cost a
 * fifth of the filing thread) while the items are kept to be filed
 * again, else one savepoint per item.  Returns 0 or an exit status. */
static int open_batch(submit_ctx *c, int guarded)
{
    int rc = guarded ? ng_store_batch_begin(c->s)
                     : ng_store_batch_begin_whole(c->s);

    if (rc != NG_OK) {
        ng__cli_err("%s", ng_store_errmsg(c->s));
        return store_exit(rc);
    }
    c->guarded = guarded;
    c->started = seconds();
    return 0;
}

/* An item failed in an all-or-nothing batch, which is gone: files the
 * batch's earlier items again in a guarded batch, so that, as when every
 * item had its savepoint, those before the failure are stored and only
 * the failing one is not.  Returns 0 or an exit status. */
static int refile_guarded(submit_ctx *c)
{
    int rc, st;

    (void)ng_store_batch_rollback(c->s);
    c->out.len = 0;
    if ((st = open_batch(c, 1)) != 0)
        return st;
    for (size_t i = 0; i + 1 < c->nkept; i++)
        if (file_one(c, c->batch[i].it, c->batch[i].v, &rc) < 0)
            return rc == NG_EBUSY || rc == NG_ESTORE || rc == NG_EIO
                   ? store_exit(rc) : EXIT_INTERNAL;
    return 0;
}

/* Stores one item (inside a batch), given its first-pass verdict
 * `checked` (NULL: check it from scratch).  With `own`, both become the
 * batch's (kept until it commits); without, they stay the caller's and
 * the batch is a guarded one.  Returns an outcome for ng__cli_worse or a
 * negative exit status to stop. */
static int submit_one(submit_ctx *c, ng_item *it, ng_verdict *checked,
                      int own)
{
    int rc, st, outcome;

    if (c->in_batch == 0 && (st = open_batch(c, !own || !c->batch)) != 0) {
        if (own) {
            ng_item_free(it);
            ng_verdict_free(checked);
        }
        return -st;
    }
    c->in_batch++;
    if (own)
        c->batch[c->nkept++] = (kept){ it, checked };
    outcome = file_one(c, it, checked, &rc);
    if (outcome < 0 && !c->guarded && (st = refile_guarded(c)) != 0)
        return -st;
    if (outcome < 0 && !c->guarded)     /* the failing item, guarded */
        outcome = file_one(c, it, checked, &rc);
    if (outcome < 0)
        return -(rc == NG_EBUSY || rc == NG_ESTORE || rc == NG_EIO
                 ? store_exit(rc) : EXIT_INTERNAL);
    if (c->in_batch >= BATCH_ITEMS || seconds() - c->started >= BATCH_SECONDS) {
        rc = flush_batch(c);
        if (rc < 0)
            return rc;
    }
    return outcome;
}

/* ng__pipe_file_fn: files an item on the filer thread (both kept with
 * the batch). */
static int file_taken(void *ud, ng_item *it, ng_verdict *v)
{
    return submit_one(ud, it, v, 1);
}

/* ng__pipe_work start: a checker's engine, loaded on its own thread.
 * Quiet when the rules do not load (they did for this thread's engine
 * moments ago): the items it would have checked are checked here.  The
 * checkers always compress the items for the store: checking them is a
 * fraction of filing them, so the filer is the thread the others wait
 * for (docs/architecture.md, "submit near its floor"). */
static void *checker_start(void *ud)
{
    const submit_ctx *c = ud;
    ng_engine *e = ng__cli_engine_quiet(c->rules, &c->eo);

    if (e)
        (void)ng_engine_files_into(e, c->s);
    return e;
}

/* ng__pipe_work check: the first pass (NULL: the filer checks it from
 * scratch, which reports the error). */
static ng_verdict *checker_check(void *ud, void *state, ng_item *it)
{
    ng_verdict *v = NULL;

    return ng_submit_check(state, it, &v) == NG_OK ? v : NULL;
}

static void checker_stop(void *ud, void *state)
{
    ng_engine_close(state);
}

static const ng__pipe_work checker_work = {
    checker_start, checker_check, checker_stop
};

/* ng__cli_item_fn: keeps the item in the pipeline, starting the checkers
 * when a second item is read before the first is filed (one item alone
 * is checked and filed on this thread, without a second engine). */
static int keep_item(ng_item *it, void *ud)
{
    submit_ctx *c = ud;

    if (!c->pipe)   /* the item stays the caller's */
        return submit_one(c, it, NULL, 0);
    if (ng__pipe_count(c->pipe) && !c->tried) {
        c->tried = 1;   /* none started: all on this thread */
        /* NEWSGATE_CHECKERS counts the filer: on two processors one
         * checker and the filer (a second checker only took processor
         * time from the filer, the slower of the two: 0.32 s against
         * 0.35 s for the BBC corpus). */
        int n = ng__pipe_checkers_wanted() - 1;
        (void)ng__pipe_start(c->pipe, n < 1 ? 1 : n, &checker_work, c);
        /* Filing on a thread of its own: this one only reads. */
        c->filer = ng__pipe_start_filer(c->pipe, file_taken, c) == 0;
    }
    ng__pipe_put(c->pipe, it);
    return NG__CLI_LATER;
}

/* ng__cli_later_fn: the oldest item's outcome (waiting for it when the
 * pipeline is full, or at the end): given by the filer thread, or with
 * none, filed here once checked.  After an outcome with all = 1 that
 * says none is left, the filer thread is idle: submit_idle and the end
 * of the command commit from this thread. */
static int file_later(void *ud, int all)
{
    submit_ctx *c = ud;
    ng_item *it;
    ng_verdict *v;
    int wait, outcome;

    if (!c->pipe)
        return NG__CLI_LATER;
    wait = all || ng__pipe_count(c->pipe) >= NG__PIPE_DEPTH;
    if (c->filer)
        return ng__pipe_outcome(c->pipe, wait, &outcome) ? outcome
                                                         : NG__CLI_LATER;
    if (!ng__pipe_take(c->pipe, wait, &it, &v))
        return NG__CLI_LATER;
    return submit_one(c, it, v, 1);     /* both kept with the batch */
}

/* --brake-window N (1..100000) and --brake-share X (0 < X <= 1). */
static int brake_option(submit_ctx *c, int ch, const char *arg)
{
    char *end;
    double x = strtod(arg, &end);

    if (*end || end == arg || (ch == 'W' ? x < 1 || x > 100000 || x != (long)x
                                         : x <= 0 || x > 1)) {
        fprintf(stderr, "newsgate submit: --%s: '%s' is out of range\n",
                ch == 'W' ? "brake-window" : "brake-share", arg);
        return -1;
    }
    if (ch == 'W')
        c->brake_window = (uint32_t)x;
    else
        c->brake_share = x;
    return 0;
}

/* Parses the options into c; returns 0, or an exit status + 1000 for
 * --help (0) and usage errors. */
static int options(int argc, char **argv, const char **rules,
                   const char **db, ng_limits *lim, submit_ctx *c)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "rules", required_argument, NULL, 'r' },
        { "format", required_argument, NULL, 'f' },
        { "limit", required_argument, NULL, 'l' },
        { "deadline", required_argument, NULL, 't' },
        { "color", required_argument, NULL, 'C' },
        { "strict", no_argument, NULL, 'S' },
        { "brake-window", required_argument, NULL, 'W' },
        { "brake-share", required_argument, NULL, 'B' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int ch, f;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:r:f:l:t:SW:B:h", opts, NULL)) != -1) {
        switch (ch) {
        case 't':
            if ((f = ng__cli_deadline(&c->deadline_ms, optarg)) != 0)
                return 1000 + f;
            break;
        case 'd': *db = optarg; break;
        case 'r': *rules = optarg; break;
        case 'C':
            if ((f = ng__cli_color_mode(optarg)) < 0)
                return 1000 + EXIT_USAGE;
            c->color = f;
            break;
        case 'S': c->strict = 1; break;
        case 'W': case 'B':
            if (brake_option(c, ch, optarg) != 0)
                return 1000 + EXIT_USAGE;
            break;
        case 'l':
            if ((f = ng__cli_limit(lim, optarg)) != 0)
                return 1000 + f;
            break;
        case 'f':
            if ((f = ng__cli_outform(optarg)) < 0) {
                ng__cli_err("submit: unknown format '%s' (json or text)",
                            optarg);
                return 1000 + EXIT_USAGE;
            }
            c->form = (ng__outform)f;
            break;
        case 'h': fputs(usage, stdout); return 1000;
        default: fputs(usage, stderr); return 1000 + EXIT_USAGE;
        }
    }
    return 0;
}

int ng__cli_submit(int argc, char **argv)
{
    const char *rules = NULL, *db = NULL;
    submit_ctx c = { .form = NG__OUT_AUTO };
    ng_limits lim = { 0 };
    char err[768];
    int rc, status;

    if ((rc = options(argc, argv, &rules, &db, &lim, &c)) != 0)
        return rc - 1000;
    c.form = ng__cli_resolve_outform(c.form);
    c.color = ng__cli_use_color(c.color);
    db = ng__cli_db_path(db);
    if ((rc = ng__cli_store_open(&c.s, db, 0, err, sizeof err)) != NG_OK) {
        ng__cli_err("%s", err);
        return ng__cli_open_status(rc);
    }
    c.eo = (ng_engine_options){ .limits = lim,
                                .check_deadline_ms = c.deadline_ms,
                                .brake_window = c.brake_window,
                                .brake_share = c.brake_share };
    c.rules = ng__cli_rules_dir(rules);
    if ((rc = ng__cli_engine_with(c.rules, &c.eo, &c.e)) != 0) {
        ng_store_close(c.s);
        return rc;
    }
    ng_engine_use_store(c.e, c.s);
    c.pipe = ng__pipe_new();
    c.batch = calloc(BATCH_ITEMS, sizeof *c.batch); /* NULL: guarded */
    status = ng__cli_each_item_later(argv + optind, argc - optind, &lim,
                                     keep_item, file_later, submit_idle, &c);
    ng__pipe_free(c.pipe);  /* items left after a stop are not filed */
    rc = flush_batch(&c);
    if (rc < 0)
        status = ng__cli_worse(status, -rc);
    ng_engine_use_store(c.e, NULL);
    ng_engine_close(c.e);
    ng_store_close(c.s);    /* rolls back a batch left open by an error */
    forget_kept(&c);
    free(c.batch);
    free(c.out.buf);
    return status;
}
