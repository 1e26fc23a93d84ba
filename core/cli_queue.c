/*
 * cli_queue.c -- `newsgate queue`: the moderator's and the publisher's
 * view of the moderation queue (list, show, approve, reject, claim, ack,
 * release).  Each subcommand is one library call; this file parses the
 * command line, picks the output form and maps error codes to exit
 * statuses (3 not found / nothing to claim / wrong state, 64 usage,
 * 73 database cannot be opened, 74 store error).  Like every CLI file it
 * uses only the public header; jansson renders the text forms.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"
#include "cli_show.h"
#include "cli_util.h"

static const char usage[] =
    "usage: newsgate queue list [--status S] [--rule NAME] [--since T]\n"
    "                           [--limit N] [--format json|text]\n"
    "       newsgate queue show ID [--format json|text]\n"
    "       newsgate queue approve ID --by NAME [--note TEXT]\n"
    "       newsgate queue reject ID --by NAME --reason TEXT\n"
    "       newsgate queue claim [--lease SECONDS] [--by NAME]\n"
    "       newsgate queue ack ID [--by NAME]\n"
    "       newsgate queue release ID [--by NAME]\n"
    "\n"
    "The moderation queue.  list shows items oldest first (status is\n"
    "accepted, review, rejected or published; --rule keeps items on which\n"
    "that rule fired; --since takes unix seconds or an RFC 3339 date and\n"
    "compares the submission time; --limit defaults to 50).  show prints an\n"
    "item with its verdict and audit trail.  approve and reject record a\n"
    "moderator's decision, which automatic runs never overturn.\n"
    "Publishers take items with claim (the oldest accepted or approved item\n"
    "not published and not under a live lease; prints its id; the lease\n"
    "defaults to 300 s), then ack it once published or release it.  An\n"
    "expired lease makes the item claimable again.\n"
    "\n"
    "  -d, --db PATH      database (default: $NEWSGATE_DB, else newsgate.db)\n"
    "  -f, --format F     json or text (default: text on a terminal, else\n"
    "                     json; claim prints the bare id unless json)\n"
    "  -s, --status S     list: accepted, review, rejected or published\n"
    "      --rule NAME    list: items on which rule NAME fired\n"
    "      --since T      list: submitted at or after T\n"
    "      --limit N      list: at most N items (default 50)\n"
    "      --by NAME      who decides or consumes (approve, reject: required;\n"
    "                     claim: default $USER)\n"
    "      --note TEXT    approve: a note for the audit log\n"
    "      --reason TEXT  reject: why (required)\n"
    "      --lease SECS   claim: how long the claim holds (default 300)\n"
    NG__CLI_COLOR_HELP
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 done, 3 no such item, nothing to claim, or the item is\n"
    "not in a state that allows it, 64 usage error, 73 database cannot be\n"
    "opened, 74 store error.\n";

typedef struct qopts {
    const char *db, *status, *rule, *by, *note, *reason;
    int64_t since, limit;
    int lease;
    int form;          /* ng__outform, or -1 when not given */
    int color;         /* ng__color */
    const char *id_arg;
} qopts;

static int usage_error(const char *fmt, const char *arg)
    __attribute__((format(printf, 1, 0)));

static int usage_error(const char *fmt, const char *arg)
{
    char msg[512];

    snprintf(msg, sizeof msg, fmt, arg);
    ng__cli_err("queue: %s", msg);
    fputs("(see newsgate queue --help)\n", stderr);
    return EXIT_USAGE;
}

/* Parses a positive decimal integer; returns -1 when it is not one. */
static int64_t number(const char *s)
{
    char *end;
    long long v;

    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    v = strtoll(s, &end, 10);
    return *end ? -1 : (int64_t)v;
}

/* Unix seconds from "1700000000", an RFC 3339 time
 * ("2024-05-01T10:00:00Z", "...+02:00") or a date alone ("2024-05-01",
 * midnight UTC), all read by ng_time_parse.  Returns 0 and sets *out, or
 * -1. */
static int parse_time(const char *s, int64_t *out)
{
    char full[32];
    int64_t v = number(s);

    if (v >= 0) {
        *out = v;
        return 0;
    }
    if (strlen(s) == 10) {
        snprintf(full, sizeof full, "%sT00:00:00Z", s);
        s = full;
    }
    return ng_time_parse(s, out) == NG_OK ? 0 : -1;
}

/* Fills o from the options; returns 0 or an exit status (help: -1). */
static int parse(int argc, char **argv, qopts *o)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "format", required_argument, NULL, 'f' },
        { "status", required_argument, NULL, 's' },
        { "rule", required_argument, NULL, 'R' },
        { "since", required_argument, NULL, 'S' },
        { "limit", required_argument, NULL, 'l' },
        { "by", required_argument, NULL, 'b' },
        { "note", required_argument, NULL, 'n' },
        { "reason", required_argument, NULL, 'r' },
        { "lease", required_argument, NULL, 'L' },
        { "color", required_argument, NULL, 'C' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int ch;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:f:s:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': o->db = optarg; break;
        case 'C':
            if ((o->color = ng__cli_color_mode(optarg)) < 0)
                return EXIT_USAGE;
            break;
        case 'f':
            if ((o->form = ng__cli_outform(optarg)) < 0)
                return usage_error("unknown format '%s' (json or text)",
                                   optarg);
            break;
        case 's': o->status = optarg; break;
        case 'R': o->rule = optarg; break;
        case 'S':
            if (parse_time(optarg, &o->since) != 0)
                return usage_error("--since: '%s' is neither unix seconds "
                                   "nor an RFC 3339 date", optarg);
            break;
        case 'l':
            if ((o->limit = number(optarg)) <= 0)
                return usage_error("--limit: '%s' is not a positive number",
                                   optarg);
            break;
        case 'b': o->by = optarg; break;
        case 'n': o->note = optarg; break;
        case 'r': o->reason = optarg; break;
        case 'L': {
            int64_t v = number(optarg);
            if (v <= 0 || v > 365 * 86400)
                return usage_error("--lease: '%s' is not a number of "
                                   "seconds", optarg);
            o->lease = (int)v;
            break;
        }
        case 'h': fputs(usage, stdout); return -1;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    return 0;
}

/* Maps a library error to an exit status, printing the store's message. */
static int fail(ng_store *s, int rc)
{
    ng__cli_err("%s", ng_store_errmsg(s));
    switch (rc) {
    case NG_ENOTFOUND: case NG_EEMPTY: case NG_ESTATE: return EXIT_NOTFOUND;
    case NG_EINVAL: return EXIT_USAGE;
    case NG_ENOMEM: return EXIT_INTERNAL;
    default: return EXIT_IOERR;
    }
}

/* ---- text forms ------------------------------------------------------ */

static const char *str(json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

/* "YYYY-MM-DD HH:MM:SSZ" of the unix seconds at o[key], or "-". */
static const char *when(json_t *o, const char *key, char *buf, size_t n)
{
    json_t *v = json_object_get(o, key);

    if (!json_is_integer(v)
        || ng_time_format(json_integer_value(v), buf, n) != NG_OK)
        return "-";
    buf[10] = ' '; /* a space reads better than 'T' on a terminal */
    return buf;
}

static void print_list_text(json_t *arr)
{
    size_t i;
    json_t *row;
    char t[40];

    printf("%6s  %-9s  %6s  %-20s  %-12s  %s\n", "ID", "STATUS", "SCORE",
           "SUBMITTED", "SUBMITTER", "TITLE");
    json_array_foreach(arr, i, row) {
        printf("%6lld  %-9s  %6.1f  %-20s  ",
               (long long)json_integer_value(json_object_get(row, "id")),
               str(row, "status", "?"),
               json_number_value(json_object_get(row, "score")),
               when(row, "submitted_at", t, sizeof t));
        ng__cli_put_cols(stdout, str(row, "submitter", "-"), 12, 1);
        fputs("  ", stdout);
        ng__cli_put_cols(stdout, str(row, "title", ""), 60, 0);
        putchar('\n');
    }
}

/* Parses library JSON for a text form.  Returns NULL after saying why. */
static json_t *load(const char *json)
{
    json_t *j = json_loads(json, 0, NULL);

    if (!j)
        ng__cli_err("cannot read the store's JSON");
    return j;
}

/* ---- subcommands ------------------------------------------------------ */

static int cmd_list(ng_store *s, const qopts *o)
{
    ng_queue_filter f = { o->status, o->rule, o->since, o->limit };
    json_t *j = NULL;
    char *json = NULL;
    int rc = ng_queue_list(s, &f, &json);

    if (rc != NG_OK)
        return fail(s, rc);
    if (o->form != NG__OUT_TEXT)
        puts(json);
    else if ((j = load(json)) != NULL)
        print_list_text(j);
    ng_free(json);
    json_decref(j);
    return o->form == NG__OUT_TEXT && !j ? EXIT_INTERNAL : 0;
}

static int cmd_show(ng_store *s, const qopts *o, int64_t id)
{
    char *json = NULL;
    json_t *j;
    int rc = ng_queue_show(s, id, &json);

    if (rc != NG_OK)
        return fail(s, rc);
    if (o->form != NG__OUT_TEXT) {
        puts(json);
        ng_free(json);
        return 0;
    }
    j = load(json);
    ng_free(json);
    if (j == NULL)
        return EXIT_INTERNAL;
    rc = ng__cli_show_text(s, j, ng__cli_use_color(o->color));
    json_decref(j);
    return rc;
}

/* Reports a done operation: "#ID WHAT" or {"id":ID,"done":"WHAT"}. */
static int done(const qopts *o, int64_t id, const char *what)
{
    if (o->form == NG__OUT_TEXT)
        printf("#%lld %s\n", (long long)id, what);
    else
        printf("{\"id\":%lld,\"done\":\"%s\"}\n", (long long)id, what);
    return 0;
}

static int cmd_claim(ng_store *s, const qopts *o)
{
    const char *by = o->by ? o->by : getenv("USER");
    int64_t id = 0;
    int rc = ng_queue_claim(s, o->lease ? o->lease : 300, by, &id);

    if (rc != NG_OK)
        return fail(s, rc);
    if (o->form == NG__OUT_JSON)
        printf("{\"id\":%lld,\"lease\":%d}\n", (long long)id,
               o->lease ? o->lease : 300);
    else
        printf("%lld\n", (long long)id);
    return 0;
}

/* approve, reject, ack, release: one call on item `id`. */
static int cmd_decide(ng_store *s, const qopts *o, const char *cmd,
                      int64_t id)
{
    int rc;

    if (strcmp(cmd, "approve") == 0)
        rc = ng_queue_approve(s, id, o->by, o->note);
    else if (strcmp(cmd, "reject") == 0)
        rc = ng_queue_reject(s, id, o->by, o->reason);
    else if (strcmp(cmd, "ack") == 0)
        rc = ng_queue_ack(s, id, o->by);
    else
        rc = ng_queue_release(s, id, o->by);
    if (rc != NG_OK)
        return fail(s, rc);
    return done(o, id, strcmp(cmd, "approve") == 0 ? "approved"
                : strcmp(cmd, "reject") == 0 ? "rejected"
                : strcmp(cmd, "ack") == 0 ? "published" : "released");
}

/* Checks the arguments a subcommand needs.  Returns 0 or EXIT_USAGE. */
static int need(const char *cmd, const qopts *o, int nargs, int64_t *id)
{
    int wants_id = strcmp(cmd, "list") != 0 && strcmp(cmd, "claim") != 0;

    if (nargs != wants_id)
        return usage_error(wants_id ? "%s: give one item ID"
                                    : "%s: takes no arguments", cmd);
    if (wants_id && (*id = number(o->id_arg)) <= 0)
        return usage_error("'%s' is not an item id", o->id_arg);
    if (strcmp(cmd, "approve") == 0 && !o->by)
        return usage_error("%s: --by NAME is required", cmd);
    if (strcmp(cmd, "reject") == 0 && (!o->by || !o->reason))
        return usage_error("%s: --by NAME and --reason TEXT are required",
                           cmd);
    return 0;
}

static int known(const char *cmd)
{
    static const char *const cmds[] = {
        "list", "show", "approve", "reject", "claim", "ack", "release", NULL
    };
    for (int i = 0; cmds[i]; i++)
        if (strcmp(cmd, cmds[i]) == 0)
            return 1;
    return 0;
}

int ng__cli_queue(int argc, char **argv)
{
    qopts o = { .form = -1 };
    const char *cmd = argc > 1 ? argv[1] : NULL;
    ng_store *s = NULL;
    char err[768];
    int64_t id = 0;
    int rc;

    if (!cmd || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage, cmd ? stdout : stderr);
        return cmd ? 0 : EXIT_USAGE;
    }
    if (!known(cmd))
        return usage_error("unknown subcommand '%s'", cmd);
    if ((rc = parse(argc - 1, argv + 1, &o)) != 0)
        return rc < 0 ? 0 : rc;
    o.id_arg = optind < argc - 1 ? argv[1 + optind] : NULL;
    if ((rc = need(cmd, &o, argc - 1 - optind, &id)) != 0)
        return rc;
    if (o.form < 0)
        o.form = strcmp(cmd, "claim") == 0 ? NG__OUT_TEXT
                 : (int)ng__cli_resolve_outform(NG__OUT_AUTO);
    int ro = strcmp(cmd, "list") == 0 || strcmp(cmd, "show") == 0;
    if ((rc = ng_store_open(&s, ng__cli_db_path(o.db),
                            ro ? NG_STORE_READONLY : 0, err,
                            sizeof err)) != NG_OK) {
        ng__cli_err("%s", err);
        return EXIT_CANTCREAT;
    }
    if (strcmp(cmd, "list") == 0)
        rc = cmd_list(s, &o);
    else if (strcmp(cmd, "show") == 0)
        rc = cmd_show(s, &o, id);
    else if (strcmp(cmd, "claim") == 0)
        rc = cmd_claim(s, &o);
    else
        rc = cmd_decide(s, &o, cmd, id);
    ng_store_close(s);
    return rc;
}
