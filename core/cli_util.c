/*
 * cli_util.c -- what the subcommands share (see cli_util.h).  Like every
 * CLI file it uses only the public header newsgate.h.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"
#include "cli.h"
#include "cli_util.h"

/* Opens an input ("-" is stdin), refusing directories.  Returns 0 with
 * *f and its stat, or EXIT_NOINPUT after a message. */
static int open_input(const char *path, FILE **f, struct stat *st)
{
    *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (*f == NULL) {
        fprintf(stderr, "newsgate: %s: %s\n", path, strerror(errno));
        return EXIT_NOINPUT;
    }
    if (fstat(fileno(*f), st) == 0 && S_ISDIR(st->st_mode)) {
        fprintf(stderr, "newsgate: %s: is a directory\n", path);
        if (*f != stdin)
            fclose(*f);
        return EXIT_NOINPUT;
    }
    return 0;
}

int ng__cli_slurp(const char *path, char **buf, size_t *len)
{
    FILE *f;
    size_t cap = 65536, n = 0, got;
    char *b;
    struct stat st;
    int rc = open_input(path, &f, &st);

    *buf = NULL;
    *len = 0;
    if (rc != 0)
        return rc;
    if (f != stdin && st.st_size > 0)
        cap = (size_t)st.st_size + 1;
    if ((b = malloc(cap)) == NULL)
        goto nomem;
    while ((got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0 && ng__grow(&b, &cap, n, 2, 1, 64) < 0)
            goto nomem;
    }
    if (ferror(f)) {
        fprintf(stderr, "newsgate: %s: read error: %s\n", path, strerror(errno));
        free(b);
        if (f != stdin)
            fclose(f);
        return EXIT_NOINPUT;
    }
    if (f != stdin)
        fclose(f);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
nomem:
    free(b);
    if (f != stdin)
        fclose(f);
    fprintf(stderr, "newsgate: %s: out of memory\n", path);
    return EXIT_INTERNAL;
}

const char *ng__cli_rules_dir(const char *opt)
{
    static char beside[PATH_MAX]; /* the CLI's one static: resolved once */
    const char *env = getenv("NEWSGATE_RULES");
    struct stat st;
    ssize_t n;

    if (opt)
        return opt;
    if (env && *env)
        return env;
    if (stat("rules", &st) == 0 && S_ISDIR(st.st_mode))
        return "rules";
    n = readlink("/proc/self/exe", beside, sizeof beside - 8);
    if (n > 0) {
        beside[n] = '\0';
        char *slash = strrchr(beside, '/');
        if (slash) {
            snprintf(slash, sizeof beside - (size_t)(slash - beside), "/rules");
            if (stat(beside, &st) == 0 && S_ISDIR(st.st_mode))
                return beside;
        }
    }
    return "rules";
}

const char *ng__cli_db_path(const char *opt)
{
    const char *env = getenv("NEWSGATE_DB");
    if (opt)
        return opt;
    if (env && *env)
        return env;
    return "newsgate.db";
}

int ng__cli_limit(ng_limits *l, const char *arg)
{
    static const struct { const char *key; size_t off; } keys[] = {
        { "item", offsetof(ng_limits, max_item_bytes) },
        { "title", offsetof(ng_limits, max_title_bytes) },
        { "field", offsetof(ng_limits, max_field_bytes) },
        { "body", offsetof(ng_limits, max_body_bytes) },
        { "batch", offsetof(ng_limits, max_batch_items) },
        { "images", offsetof(ng_limits, max_images) },
    };
    const char *eq = strchr(arg, '=');
    char *end;
    unsigned long long n;

    for (size_t i = 0; eq && i < sizeof keys / sizeof keys[0]; i++) {
        if (strlen(keys[i].key) != (size_t)(eq - arg)
            || strncmp(arg, keys[i].key, (size_t)(eq - arg)) != 0)
            continue;
        errno = 0;
        n = strtoull(eq + 1, &end, 10);
        unsigned shift = 0;
        if (*end == 'K' || *end == 'k')
            shift = 10, end++;
        else if (*end == 'M' || *end == 'm')
            shift = 20, end++;
        /* A multiplier that would overflow is an error, not a wrap. */
        if (n > (unsigned long long)SIZE_MAX >> shift)
            errno = ERANGE;
        n <<= shift;
        if (errno || end == eq + 1 || *end || n == 0 || eq[1] == '-') {
            fprintf(stderr, "newsgate: --limit %s: '%s' is not a positive "
                    "number\n", arg, eq + 1);
            return EXIT_USAGE;
        }
        *(size_t *)((char *)l + keys[i].off) = (size_t)n;
        return 0;
    }
    fprintf(stderr, "newsgate: --limit %s: expected KEY=N with KEY one of "
            "item, title, field, body, batch, images\n", arg);
    return EXIT_USAGE;
}

int ng__cli_deadline(uint32_t *ms, const char *arg)
{
    char *end;
    unsigned long n;

    errno = 0;
    n = strtoul(arg, &end, 10);
    if (errno || end == arg || *end || n == 0 || n > 3600000ul
        || arg[0] == '-') {
        fprintf(stderr, "newsgate: --deadline %s: expected milliseconds "
                "from 1 to 3600000\n", arg);
        return EXIT_USAGE;
    }
    *ms = (uint32_t)n;
    return 0;
}

int ng__cli_engine(const char *rules_dir, const ng_limits *lim,
                   uint32_t deadline_ms, ng_engine **out)
{
    return ng__cli_engine_debug(rules_dir, lim, deadline_ms, 0, out);
}

int ng__cli_engine_debug(const char *rules_dir, const ng_limits *lim,
                         uint32_t deadline_ms, int debug, ng_engine **out)
{
    ng_engine_options o = { 0 };

    if (lim)
        o.limits = *lim;
    o.check_deadline_ms = deadline_ms;
    o.debug = debug & 1;
    o.profile = (debug & 2) != 0;
    return ng__cli_engine_with(rules_dir, &o, out);
}

int ng__cli_engine_with(const char *rules_dir, const ng_engine_options *opts,
                        ng_engine **out)
{
    ng_engine *e;
    ng_engine_options o = *opts;
    int rc;

    rc = ng_engine_open(&e, &o);

    *out = NULL;
    if (rc != NG_OK) {
        fprintf(stderr, "newsgate: cannot create engine: %s\n", ng_strerror(rc));
        return EXIT_INTERNAL;
    }
    rc = ng_engine_load_rules(e, rules_dir);
    if (rc != NG_OK) {
        fprintf(stderr, "newsgate: %s\n", ng_engine_errmsg(e));
        ng_engine_close(e);
        return rc == NG_ERULES ? EXIT_CONFIG : EXIT_INTERNAL;
    }
    *out = e;
    return 0;
}

int ng__cli_outform(const char *s)
{
    if (strcmp(s, "json") == 0)
        return NG__OUT_JSON;
    if (strcmp(s, "text") == 0)
        return NG__OUT_TEXT;
    return -1;
}

ng__outform ng__cli_resolve_outform(ng__outform f)
{
    if (f != NG__OUT_AUTO)
        return f;
    return isatty(STDOUT_FILENO) ? NG__OUT_TEXT : NG__OUT_JSON;
}

int ng__cli_print_verdict(const ng_verdict *v, int64_t id, ng__outform f)
{
    char *s;
    if (f == NG__OUT_TEXT) {
        s = ng_verdict_text(v, id, isatty(STDOUT_FILENO));
        if (s == NULL)
            return -1;
        fputs(s, stdout);
    } else {
        s = ng_verdict_json(v, id);
        if (s == NULL)
            return -1;
        fputs(s, stdout);
        fputc('\n', stdout);
    }
    ng_free(s);
    return 0;
}

/* Severity order of outcomes: higher is worse. */
static int rank(int outcome)
{
    switch (outcome) {
    case EXIT_ACCEPT: return 0;
    case EXIT_REVIEW: return 1;
    case EXIT_REJECT: return 2;
    case EXIT_RULEERR: return 3;
    case EXIT_DATAERR: return 4;
    case EXIT_NOINPUT: return 5;
    case EXIT_CONFIG: return 6;
    default: return 7;
    }
}

int ng__cli_worse(int status, int outcome)
{
    return rank(outcome) > rank(status) ? outcome : status;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Progress on a terminal: a line rewritten at most 4 times a second. */
typedef struct progress {
    int on;
    size_t items;
    double start, last;
} progress;

static void progress_tick(progress *p)
{
    double now;
    p->items++;
    if (!p->on || (p->items & 63))
        return;
    now = seconds();
    if (now - p->last < 0.25)
        return;
    p->last = now;
    fprintf(stderr, "\r%zu items, %.0f/s ", p->items, p->items / (now - p->start));
}

/* ng_read_fn over a FILE. */
static long read_file(void *ud, char *buf, size_t n)
{
    FILE *f = ud;
    size_t got = fread(buf, 1, n, f);
    return got == 0 && ferror(f) ? -1 : (long)got;
}

/* Reads one input as a stream (an NDJSON stream is never held whole). */
static int each_in(const char *path, const ng_limits *lim, ng__cli_item_fn fn,
                   void *ud, progress *pg, int *stop)
{
    FILE *f;
    struct stat st;
    ng_reader *r;
    ng_item *it;
    int status = 0, rc;

    if ((rc = open_input(path, &f, &st)) != 0)
        return rc;
    if (ng_reader_open_stream(&r, path, read_file, f, NG_FORMAT_AUTO, lim)
        != NG_OK) {
        if (f != stdin)
            fclose(f);
        fprintf(stderr, "newsgate: %s: out of memory\n", path);
        return EXIT_INTERNAL;
    }
    while (!*stop && (rc = ng_reader_next(r, &it)) != NG_DONE) {
        if (rc != NG_OK) {
            fprintf(stderr, "newsgate: %s\n", ng_reader_errmsg(r));
            status = ng__cli_worse(status, rc == NG_EINPUT ? EXIT_DATAERR
                                   : rc == NG_EIO ? EXIT_NOINPUT
                                   : EXIT_INTERNAL);
            if (rc != NG_EINPUT)
                break;
            continue;
        }
        rc = fn(it, ud);
        ng_item_free(it);
        progress_tick(pg);
        if (rc < 0) {
            *stop = 1;
            status = ng__cli_worse(status, -rc);
        } else {
            status = ng__cli_worse(status, rc);
        }
    }
    ng_reader_close(r);
    if (f != stdin)
        fclose(f);
    return status;
}

int ng__cli_each_item(char **inputs, int ninputs, const ng_limits *lim,
                      ng__cli_item_fn fn, void *ud)
{
    static char dash[] = "-";
    char *stdin_only[] = { dash };
    progress pg = { isatty(STDERR_FILENO), 0, seconds(), seconds() };
    int status = 0, stop = 0;

    if (ninputs == 0) {
        inputs = stdin_only;
        ninputs = 1;
    }
    for (int i = 0; i < ninputs && !stop; i++)
        status = ng__cli_worse(status, each_in(inputs[i], lim, fn, ud, &pg, &stop));
    if (pg.on && pg.items >= 64)
        fprintf(stderr, "\r%zu items in %.1f s          \n", pg.items,
                seconds() - pg.start);
    return status;
}
