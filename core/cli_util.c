/*
 * cli_util.c -- what the subcommands share (see cli_util.h).  Like every
 * CLI file it uses only the public header newsgate.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pwd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"
#include "cli.h"
#include "cli_util.h"
#include "verdict.h"

typedef struct input input;
static int settle(input *in);

/* Opens an input ("-" is stdin), refusing directories.  Returns 0 with
 * *f and its stat, or EXIT_NOINPUT after a message: the items kept from
 * the inputs read before (`in`, NULL when none) are settled first, and
 * when one of them says stop there is no message (see settle). */
static int open_input(const char *path, FILE **f, struct stat *st,
                      input *in)
{
    *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (*f == NULL) {
        int err = errno;
        if (!settle(in))
            ng__cli_err("%s: %s", path, strerror(err));
        return EXIT_NOINPUT;
    }
    if (fstat(fileno(*f), st) == 0 && S_ISDIR(st->st_mode)) {
        if (!settle(in))
            ng__cli_err("%s: is a directory", path);
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
    int rc = open_input(path, &f, &st, NULL);

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
        ng__cli_err("%s: read error: %s", path, strerror(errno));
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
    ng__cli_err("%s: out of memory", path);
    return EXIT_INTERNAL;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *ng__cli_rules_dir(const char *opt)
{
    /* The CLI's one static: the path found beside the executable. */
    static char beside[PATH_MAX];
    static const char *const rel[] = { "/rules", "/../share/newsgate/rules" };
    const char *env = getenv("NEWSGATE_RULES");
    char *slash;
    ssize_t n;

    if (opt)
        return opt;
    if (env && *env)
        return env;
    if (is_dir("rules"))
        return "rules";
    n = readlink("/proc/self/exe", beside, sizeof beside - 32);
    if (n <= 0)
        return "rules";
    beside[n] = '\0';
    if ((slash = strrchr(beside, '/')) == NULL)
        return "rules";
    /* Beside the executable (a build tree), then the installed rules
     * (PREFIX/bin/newsgate -> PREFIX/share/newsgate/rules). */
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        snprintf(slash, sizeof beside - (size_t)(slash - beside), "%s", rel[i]);
        if (is_dir(beside))
            return beside;
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

int ng__cli_store_open(ng_store **s, const char *path, int flags,
                       char *err, size_t errlen)
{
    const char *env = getenv("NEWSGATE_BUSY_TIMEOUT");
    char *end = NULL;
    long ms = env && *env ? strtol(env, &end, 10) : -1;
    int rc;

    *s = NULL;
    if (env && *env && (*end || ms < 0 || ms > 86400000)) {
        snprintf(err, errlen, "NEWSGATE_BUSY_TIMEOUT: '%s' is not a number "
                 "of milliseconds (0 to 86400000)", env);
        return NG_EINVAL;
    }
    rc = ng_store_open(s, path, flags, err, errlen);
    if (rc == NG_OK && ms >= 0)
        ng_store_set_busy_timeout(*s, (int)ms);
    return rc;
}

int ng__cli_open_status(int rc)
{
    return rc == NG_EBUSY ? EXIT_IOERR : EXIT_CANTCREAT;
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
            ng__cli_err("--limit %s: '%s' is not a positive number", arg,
                        eq + 1);
            return EXIT_USAGE;
        }
        *(size_t *)((char *)l + keys[i].off) = (size_t)n;
        return 0;
    }
    ng__cli_err("--limit %s: expected KEY=N with KEY one of item, title, "
                "field, body, batch, images", arg);
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
        ng__cli_err("--deadline %s: expected milliseconds from 1 to "
                    "3600000", arg);
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
    ng_engine_options o = ng__cli_engine_options(lim, deadline_ms, debug);

    return ng__cli_engine_with(rules_dir, &o, out);
}

ng_engine_options ng__cli_engine_options(const ng_limits *lim,
                                         uint32_t deadline_ms, int debug)
{
    ng_engine_options o = { 0 };

    if (lim)
        o.limits = *lim;
    o.check_deadline_ms = deadline_ms;
    o.debug = debug & 1;
    o.profile = (debug & 2) != 0;
    return o;
}

ng_engine *ng__cli_engine_quiet(const char *rules_dir,
                                const ng_engine_options *o)
{
    ng_engine *e;

    if (ng_engine_open(&e, o) != NG_OK)
        return NULL;
    if (ng_engine_load_rules(e, rules_dir) != NG_OK) {
        ng_engine_close(e);
        return NULL;
    }
    return e;
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
        ng__cli_err("cannot create engine: %s", ng_strerror(rc));
        return EXIT_INTERNAL;
    }
    rc = ng_engine_load_rules(e, rules_dir);
    if (rc != NG_OK) {
        ng__cli_err("%s", ng_engine_errmsg(e));
        ng_engine_close(e);
        return rc == NG_ERULES ? EXIT_CONFIG : EXIT_INTERNAL;
    }
    *out = e;
    return 0;
}

int ng__cli_color_mode(const char *arg)
{
    if (strcmp(arg, "auto") == 0)
        return NG__COLOR_AUTO;
    if (strcmp(arg, "always") == 0)
        return NG__COLOR_ALWAYS;
    if (strcmp(arg, "never") == 0)
        return NG__COLOR_NEVER;
    ng__cli_err("--color: unknown value '%s' (auto, always or never)", arg);
    return -1;
}

int ng__cli_use_color(int mode)
{
    const char *no = getenv("NO_COLOR");

    if ((no && *no) || mode == NG__COLOR_NEVER)
        return 0;
    return mode == NG__COLOR_ALWAYS || isatty(STDOUT_FILENO);
}

void ng__cli_err(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stdout);
    if (isatty(STDERR_FILENO))
        fputs("\r\033[K", stderr);    /* wipe a progress line */
    fputs("newsgate: ", stderr);
    ng__cli_puts(stderr, msg, 0);
    fputc('\n', stderr);
}

void ng__cli_puts(FILE *f, const char *s, int flags)
{
    char *e;

    if (s == NULL || *s == '\0')
        return;
    if ((e = ng_text_escape(s, strlen(s), flags)) == NULL) {
        fputs("(out of memory)", f);
        return;
    }
    fputs(e, f);
    ng_free(e);
}

void ng__cli_put_cols(FILE *f, const char *s, int width, int pad)
{
    char *e = ng_text_escape(s, s ? strlen(s) : 0, 0);
    size_t i = 0, end;
    int cols = 0;

    if (e == NULL)
        return;
    /* Count characters (UTF-8 lead bytes), keeping one column for "~". */
    while (e[i]) {
        end = i + 1;
        while ((e[end] & 0xC0) == 0x80)
            end++;
        if (cols == width - 1 && e[end] != '\0') {
            fputc('~', f);
            cols++;
            break;
        }
        fwrite(e + i, 1, end - i, f);
        cols++;
        i = end;
    }
    while (pad && cols++ < width)
        fputc(' ', f);
    ng_free(e);
}

const char *ng__cli_time(int64_t t, char *buf, size_t n)
{
    if (ng_time_format(t, buf, n) != NG_OK) {
        snprintf(buf, n, "-");
        return buf;
    }
    buf[10] = ' ';   /* a space reads better than 'T' on a terminal */
    return buf;
}

int64_t ng__cli_number(const char *s)
{
    char *end;
    long long v;

    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    return *end || errno ? -1 : (int64_t)v;
}

const char *ng__cli_login(void)
{
    const char *env[] = { "LOGNAME", "USER" };
    struct passwd *pw;

    for (size_t i = 0; i < 2; i++)
        if (getenv(env[i]) && *getenv(env[i]))
            return getenv(env[i]);
    pw = getpwuid(geteuid());
    return pw && pw->pw_name && *pw->pw_name ? pw->pw_name : NULL;
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

int ng__cli_print_verdict(ng_verdict *v, int64_t id, ng__outform f,
                          int color)
{
    if (f == NG__OUT_TEXT) {
        char *s = ng_verdict_text(v, id, color);
        if (s == NULL)
            return -1;
        fputs(s, stdout);
        ng_free(s);
    } else {
        /* The JSON the verdict keeps (no copy), and its newline, into
         * stdout's buffer: one write(2) for many verdicts. */
        const char *s = ng__verdict_json(v, id);
        if (s == NULL)
            return -1;
        fwrite(s, 1, strlen(s), stdout);
        putc('\n', stdout);
    }
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

/* Progress on a terminal: a line rewritten at most 4 times a second;
 * ng__cli_err wipes it before an error, and the next tick redraws it.
 * The counts also make the closing summary. */
typedef struct progress {
    int on;
    size_t items, count[3], errors;
    double start, last;
} progress;

static void progress_draw(const progress *p, double now)
{
    fprintf(stderr, "\r\033[K%zu items: %zu accepted, %zu review, "
            "%zu rejected, %zu errors  %.0f/s", p->items, p->count[0],
            p->count[1], p->count[2], p->errors,
            p->items / (now - p->start > 0 ? now - p->start : 1));
    fflush(stderr);
}

/* Counts one item's outcome (an action or an EXIT_* error). */
static void progress_tick(progress *p, int outcome)
{
    double now;

    p->items++;
    if (outcome >= EXIT_ACCEPT && outcome <= EXIT_REJECT)
        p->count[outcome]++;
    else
        p->errors++;
    if (!p->on || (p->items & 63))
        return;
    now = seconds();
    if (now - p->last < 0.25)
        return;
    p->last = now;
    progress_draw(p, now);
}

/* The closing summary of a batch (more than one item read), after
 * every verdict (stdout may be the same file). */
static void progress_end(const progress *p)
{
    if (p->on && p->items >= 64)
        fputs("\r\033[K", stderr);
    if (p->items < 2)
        return;
    fflush(stdout);
    fprintf(stderr, "newsgate: %zu items: %zu accepted, %zu review, "
            "%zu rejected, %zu errors (%.1f s)\n", p->items, p->count[0],
            p->count[1], p->count[2], p->errors, seconds() - p->start);
}

/* Counts one item's outcome `rc` (minus an exit status: stop there) and
 * folds it into *status. */
static void outcome(progress *pg, int rc, int *status, int *stop)
{
    progress_tick(pg, rc < 0 ? -rc : rc);
    if (rc < 0)
        *stop = 1;
    *status = ng__cli_worse(*status, rc < 0 ? -rc : rc);
}

/* The outcomes `later` has ready (all: every one left). */
static void outcomes_later(ng__cli_later_fn later, void *ud, int all,
                           progress *pg, int *status, int *stop)
{
    int rc;

    while (!*stop && (rc = later(ud, all)) != NG__CLI_LATER)
        outcome(pg, rc, status, stop);
}

/* An input being read, and what to do before waiting for it. */
struct input {
    FILE *f;
    ng__cli_idle_fn idle;   /* or NULL */
    ng__cli_later_fn later; /* or NULL */
    void *ud;
    int stopped;            /* exit status the idle hook stopped with */
    int stream;             /* a pipe, terminal or socket, not a file */
    progress *pg;           /* the outcomes of items kept by `later`... */
    int *status, *stop;     /* ...are counted here */
};

/* Before an error in the middle of the inputs is printed: the outcomes
 * of the items kept before it come first, as when each item is done
 * before the next is read (their verdicts are printed before the
 * error).  Returns 1 when one of them says stop: the error is then not
 * reached (nor printed), as before.  `in` may be NULL (no inputs). */
static int settle(input *in)
{
    if (in && in->later)
        outcomes_later(in->later, in->ud, 1, in->pg, in->status, in->stop);
    return in && *in->stop;
}

/* Before a read that would wait, with an idle hook or items kept: the
 * items kept get their outcomes, then the hook runs (submit commits its
 * open batch).  Returns 0, or -1 with in->stopped set when the command
 * must stop. */
static int idle_now(input *in)
{
    int rc;

    if (settle(in)) {
        in->stopped = *in->status;
        return -1;
    }
    if (in->idle && (rc = in->idle(in->ud)) < 0) {
        in->stopped = -rc;
        return -1;
    }
    return 0;
}

/* ng_read_fn over an input: read(2), not fread, so the items of a pipe
 * are handled as they arrive.  Before a read that would wait, the items
 * kept get their outcomes, the idle hook runs and what was printed is
 * flushed (stdout may be fully buffered, see cli_check.c: a reader at
 * the other end sees every verdict while the producer pauses).  A
 * regular file never waits: no poll(2) for it unless there is an idle
 * hook. */
static long read_input(void *arg, char *buf, size_t n)
{
    input *in = arg;
    struct pollfd p = { .fd = fileno(in->f), .events = POLLIN };
    ssize_t got;

    if ((in->idle || in->stream) && poll(&p, 1, 0) == 0) {
        if ((in->idle || in->later) && idle_now(in) < 0)
            return -1;
        fflush(stdout);
    }
    do
        got = read(p.fd, buf, n);
    while (got < 0 && errno == EINTR);
    return got < 0 ? -1 : (long)got;
}

/* A regular file up to this size is read whole with read(2) into a
 * buffer of its size and parsed in place; a streaming reader would
 * take a 64 KiB window for it and grow that to 128 KiB to see the end
 * (a realloc per file: reading the 1,824 BBC articles took 18,500
 * instructions each that way, 12,400 this way). */
#define WHOLE_MAX (1 << 20)

/* Reads the regular file open as f (st_size bytes expected) whole into
 * *buf (NUL-ended); returns its length, or -1 on a read error or no
 * memory (errno says which). */
static long read_whole(FILE *f, const struct stat *st, char **buf)
{
    size_t cap = (size_t)st->st_size + 1, n = 0;
    char *b = malloc(cap);
    ssize_t got = 1;

    while (b && got != 0) {
        if (n + 1 == cap && ng__grow(&b, &cap, n, 4096, 1, 4096) < 0)
            break;
        do
            got = read(fileno(f), b + n, cap - n - 1);
        while (got < 0 && errno == EINTR);
        if (got < 0)
            break;
        n += (size_t)got;
    }
    if (!b || got != 0) {
        if (b == NULL || got > 0)
            errno = ENOMEM;
        free(b);
        return -1;
    }
    b[n] = '\0';
    *buf = b;
    return (long)n;
}

/* Opens the reader for one input: a small regular file read whole
 * (*whole is then its buffer, to free after the reader), anything else
 * as a stream (an NDJSON stream is never held whole).  Returns 0 or an
 * EXIT_* status, the error printed. */
static int open_reader(const char *path, FILE *f, const struct stat *st,
                       const ng_limits *lim, input *in, ng_reader **r,
                       char **whole)
{
    int rc;

    *whole = NULL;
    if (S_ISREG(st->st_mode) && st->st_size < WHOLE_MAX) {
        long n = read_whole(f, st, whole);
        if (n < 0) {
            ng__cli_err("%s: read error: %s", path, strerror(errno));
            return errno == ENOMEM ? EXIT_INTERNAL : EXIT_NOINPUT;
        }
        rc = ng_reader_open(r, path, *whole, (size_t)n, NG_FORMAT_AUTO, lim);
    } else {
        rc = ng_reader_open_stream(r, path, read_input, in, NG_FORMAT_AUTO,
                                   lim);
    }
    if (rc != NG_OK) {
        free(*whole);
        ng__cli_err("%s: out of memory", path);
        return EXIT_INTERNAL;
    }
    return 0;
}

/* Reads one input and hands each item to fn. */
static int each_in(const char *path, const ng_limits *lim, ng__cli_item_fn fn,
                   input *in, progress *pg, int *stop)
{
    FILE *f;
    struct stat st;
    ng_reader *r;
    ng_item *it;
    char *whole;
    int status = 0, rc;

    memset(&st, 0, sizeof st);
    in->pg = pg, in->status = &status, in->stop = stop;
    if ((rc = open_input(path, &f, &st, in)) != 0)
        return *stop ? status : ng__cli_worse(status, rc);
    in->f = f;
    in->stream = !S_ISREG(st.st_mode);
    if ((rc = open_reader(path, f, &st, lim, in, &r, &whole)) != 0) {
        if (f != stdin)
            fclose(f);
        return rc;
    }
    while (!*stop && (rc = ng_reader_next(r, &it)) != NG_DONE) {
        if (rc == NG_EIO && in->stopped) {   /* the idle hook failed */
            status = ng__cli_worse(status, in->stopped);
            *stop = 1;
            break;
        }
        if (rc != NG_OK) {
            if (settle(in))     /* an item before it says stop */
                break;
            ng__cli_err("%s", ng_reader_errmsg(r));
            rc = rc == NG_EINPUT ? EXIT_DATAERR
               : rc == NG_EIO ? EXIT_NOINPUT : EXIT_INTERNAL;
            status = ng__cli_worse(status, rc);
            progress_tick(pg, rc);
            if (rc != EXIT_DATAERR)
                break;
            continue;
        }
        rc = fn(it, in->ud);
        if (in->later && rc == NG__CLI_LATER) {
            outcomes_later(in->later, in->ud, 0, pg, &status, stop);
            continue;
        }
        ng_item_free(it);
        outcome(pg, rc, &status, stop);
    }
    ng_reader_close(r);
    free(whole);
    if (f != stdin)
        fclose(f);
    return status;
}

int ng__cli_each_item(char **inputs, int ninputs, const ng_limits *lim,
                      ng__cli_item_fn fn, void *ud)
{
    return ng__cli_each_item_later(inputs, ninputs, lim, fn, NULL, NULL, ud);
}

int ng__cli_each_item_idle(char **inputs, int ninputs, const ng_limits *lim,
                           ng__cli_item_fn fn, ng__cli_idle_fn idle,
                           void *ud)
{
    return ng__cli_each_item_later(inputs, ninputs, lim, fn, NULL, idle, ud);
}

int ng__cli_each_item_later(char **inputs, int ninputs, const ng_limits *lim,
                            ng__cli_item_fn fn, ng__cli_later_fn later,
                            ng__cli_idle_fn idle, void *ud)
{
    input in = { .idle = idle, .later = later, .ud = ud };
    static char dash[] = "-";
    char *stdin_only[] = { dash };
    progress pg = { .on = isatty(STDERR_FILENO), .start = seconds() };
    int status = 0, stop = 0;

    pg.last = pg.start;
    if (ninputs == 0) {
        inputs = stdin_only;
        ninputs = 1;
    }
    for (int i = 0; i < ninputs && !stop; i++)
        status = ng__cli_worse(status, each_in(inputs[i], lim, fn, &in, &pg,
                                               &stop));
    if (later)
        outcomes_later(later, ud, 1, &pg, &status, &stop);
    progress_end(&pg);
    return status;
}
