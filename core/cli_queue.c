/*
 * cli_queue.c -- `newsgate queue`: the moderator's and the publisher's
 * view of the moderation queue (list, show, approve, reject, claim, ack,
 * release).  This file parses the command line, picks the output form,
 * runs list, show, claim, ack and release, and maps error codes to exit
 * statuses (3 not found / nothing to claim / wrong state, 64 usage,
 * 73 database cannot be opened, 74 store error).  Decisions are in
 * cli_decide.c, the text form of show in cli_show.c.  Like every CLI file
 * it uses the public header; jansson reads the JSON for the text forms.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"
#include "cli_queue.h"
#include "cli_show.h"
#include "cli_util.h"

static const char usage[] =
    "usage: newsgate queue list [--status S] [--rule NAME] [--submitter NAME]\n"
    "                           [--since T] [--limit N] [--offset N]\n"
    "                           [--format json|text]\n"
    "       newsgate queue show ID [--format json|text]\n"
    "       newsgate queue approve [ID...] [SELECTION] [--by NAME]\n"
    "                              [--note TEXT] [--force]\n"
    "       newsgate queue reject [ID...] [SELECTION] [--by NAME]\n"
    "                             --reason TEXT [--note TEXT] [--force]\n"
    "                             [--spam]\n"
    "       newsgate queue claim [--lease SECONDS] [--by NAME]\n"
    "       newsgate queue ack ID [--by NAME]\n"
    "       newsgate queue release ID [--by NAME]\n"
    "\n"
    "The moderation queue.  list shows items oldest first with why each is\n"
    "there (the rule that forced its action, or its top rules), the total\n"
    "and the --offset of the next page; an unknown status or rule name is\n"
    "an error.  show prints an item for a moderator: why it has its status,\n"
    "its hits, the body with the hit spans marked, the audit trail, and for\n"
    "a duplicate the earlier item with a word diff.  approve and reject\n"
    "record a moderator's decision, which automatic runs never overturn, on\n"
    "the given ids and on the items a SELECTION picks (--status, --rule,\n"
    "--submitter, --since, --limit).  An item a moderator already decided\n"
    "is refused unless --force and --note are given; the audit log then\n"
    "records an override.  Publishers take items with claim (the oldest\n"
    "accepted or approved item not published and not under a live lease;\n"
    "prints its id), then ack it once published or release it.  An expired\n"
    "lease makes the item claimable again.\n"
    "\n"
    "  -d, --db PATH      database (default: $NEWSGATE_DB, else newsgate.db)\n"
    "  -f, --format F     json or text (default: text on a terminal, else\n"
    "                     json; claim prints the bare id unless json)\n"
    "  -s, --status S     list, selection: accepted, review, rejected or\n"
    "                     published\n"
    "      --rule NAME    list, selection: items on which rule NAME fired\n"
    "      --submitter NAME  list, selection: items sent by NAME\n"
    "      --since T      list, selection: submitted at or after T (unix\n"
    "                     seconds or an RFC 3339 date)\n"
    "      --limit N      list, selection: at most N items (list: 50)\n"
    "      --offset N     list: skip the first N matching items (paging)\n"
    "      --by NAME      who decides, claims, acks or releases (every\n"
    "                     command; default: the login name)\n"
    "      --note TEXT    approve, reject: a note for the audit log\n"
    "                     (required with --force)\n"
    "      --reason TEXT  reject: why (required)\n"
    "      --force        approve, reject: override an earlier moderator\n"
    "                     decision (needs --note)\n"
    "      --spam         reject: also teach the spam learner the item is\n"
    "                     spam (approve always teaches it ham; docs/spam.md)\n"
    "      --lease SECS   claim: how long the claim holds (default 300)\n"
    NG__CLI_COLOR_HELP
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 done, 3 no such item, nothing to claim, or an item is\n"
    "not in a state that allows it (the other items are still decided),\n"
    "64 usage error, 73 database cannot be opened, 74 store error.\n";

int ng__cli_queue_usage(const char *fmt, const char *arg)
{
    char msg[512];

    snprintf(msg, sizeof msg, fmt, arg);
    ng__cli_err("queue: %s", msg);
    fputs("(see newsgate queue --help)\n", stderr);
    return EXIT_USAGE;
}

/* Unix seconds from "1700000000", an RFC 3339 time
 * ("2024-05-01T10:00:00Z", "...+02:00") or a date alone ("2024-05-01",
 * midnight UTC), all read by ng_time_parse.  Returns 0 and sets *out, or
 * -1. */
static int parse_time(const char *s, int64_t *out)
{
    char full[32];
    int64_t v = ng__cli_number(s);

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

static int parse_opt(int ch, ng__qopts *o)
{
    switch (ch) {
    case 'd': o->db = optarg; break;
    case 's': o->status = optarg; break;
    case 'R': o->rule = optarg; break;
    case 'U': o->submitter = optarg; break;
    case 'b': o->by = optarg; break;
    case 'n': o->note = optarg; break;
    case 'r': o->reason = optarg; break;
    case 'F': o->force = 1; break;
    case 'P': o->spam = 1; break;
    case 'C':
        return (o->color = ng__cli_color_mode(optarg)) < 0 ? EXIT_USAGE : 0;
    case 'f':
        if ((o->form = ng__cli_outform(optarg)) < 0)
            return ng__cli_queue_usage("unknown format '%s' (json or text)",
                                       optarg);
        break;
    case 'S':
        if (parse_time(optarg, &o->since) != 0)
            return ng__cli_queue_usage("--since: '%s' is neither unix "
                                       "seconds nor an RFC 3339 date", optarg);
        break;
    case 'l':
        if ((o->limit = ng__cli_number(optarg)) <= 0)
            return ng__cli_queue_usage("--limit: '%s' is not a positive "
                                       "number", optarg);
        break;
    case 'O':
        if ((o->offset = ng__cli_number(optarg)) < 0)
            return ng__cli_queue_usage("--offset: '%s' is not a number",
                                       optarg);
        break;
    case 'L': {
        int64_t v = ng__cli_number(optarg);
        if (v <= 0 || v > 365 * 86400)
            return ng__cli_queue_usage("--lease: '%s' is not a number of "
                                       "seconds", optarg);
        o->lease = (int)v;
        break;
    }
    default: fputs(usage, stderr); return EXIT_USAGE;
    }
    return 0;
}

/* Fills o from the options; returns 0 or an exit status (help: -1). */
static int parse(int argc, char **argv, ng__qopts *o)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "format", required_argument, NULL, 'f' },
        { "status", required_argument, NULL, 's' },
        { "rule", required_argument, NULL, 'R' },
        { "submitter", required_argument, NULL, 'U' },
        { "since", required_argument, NULL, 'S' },
        { "submitter", required_argument, NULL, 'U' },
        { "limit", required_argument, NULL, 'l' },
        { "offset", required_argument, NULL, 'O' },
        { "by", required_argument, NULL, 'b' },
        { "note", required_argument, NULL, 'n' },
        { "reason", required_argument, NULL, 'r' },
        { "force", no_argument, NULL, 'F' },
        { "spam", no_argument, NULL, 'P' },
        { "lease", required_argument, NULL, 'L' },
        { "color", required_argument, NULL, 'C' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int ch, rc;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:f:s:h", opts, NULL)) != -1) {
        if (ch == 'h') {
            fputs(usage, stdout);
            return -1;
        }
        if ((rc = parse_opt(ch, o)) != 0)
            return rc;
    }
    o->args = argv + optind;
    o->nargs = argc - optind;
    return 0;
}

int ng__cli_queue_fail(ng_store *s, int rc)
{
    ng__cli_err("%s", ng_store_errmsg(s));
    switch (rc) {
    case NG_ENOTFOUND: case NG_EEMPTY: case NG_ESTATE: return EXIT_NOTFOUND;
    case NG_EINVAL: return EXIT_USAGE;
    case NG_ENOMEM: return EXIT_INTERNAL;
    case NG_EBUSY: return EXIT_TEMPFAIL;
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

    return json_is_integer(v) ? ng__cli_time(json_integer_value(v), buf, n)
                              : "-";
}

/* Why a listed item is there: "by NAME" (a moderator decided),
 * "forced: RULE", or its top rules. */
static void put_why(json_t *row)
{
    const char *forced = str(row, "forced_by", NULL);
    const char *by = str(row, "decided_by", NULL);
    json_t *top = json_object_get(row, "top_rules"), *r;
    char why[256] = "";
    size_t i, n = 0;

    if (by)
        snprintf(why, sizeof why, "by %s", by);
    else if (forced)
        snprintf(why, sizeof why, "forced: %s", forced);
    else
        json_array_foreach(top, i, r)
            if (n < sizeof why)
                n += (size_t)snprintf(why + n, sizeof why - n, "%s%s",
                                      i ? ", " : "", json_string_value(r));
    ng__cli_put_cols(stdout, *why ? why : "-", 26, 1);
}

static void print_list_text(json_t *arr)
{
    size_t i;
    json_t *row;
    char t[40];

    printf("%6s  %-9s  %6s  %-20s  %-12s  %-26s  %s\n", "ID", "STATUS",
           "SCORE", "SUBMITTED", "SUBMITTER", "WHY", "TITLE");
    json_array_foreach(arr, i, row) {
        printf("%6lld  %-9s  %6.1f  %-20s  ",
               (long long)json_integer_value(json_object_get(row, "id")),
               str(row, "status", "?"),
               json_number_value(json_object_get(row, "score")),
               when(row, "submitted_at", t, sizeof t));
        ng__cli_put_cols(stdout, str(row, "submitter", "-"), 12, 1);
        fputs("  ", stdout);
        put_why(row);
        fputs("  ", stdout);
        ng__cli_put_cols(stdout, str(row, "title", ""), 60, 0);
        putchar('\n');
    }
}

/* The total and how to get the next page: on stdout under a text list,
 * on stderr (only when there is more) after a JSON one. */
static void print_paging(const ng__qopts *o, size_t shown, int64_t total)
{
    int64_t first = o->offset + 1, last = o->offset + (int64_t)shown;
    int more = last < total;
    FILE *f = o->form == NG__OUT_TEXT ? stdout : stderr;

    if (!more && o->form != NG__OUT_TEXT)
        return;
    if (shown == 0)
        fprintf(f, "%sno items here; %lld match in all\n",
                f == stderr ? "newsgate: " : "", (long long)total);
    else
        fprintf(f, "%sitems %lld-%lld of %lld", f == stderr ? "newsgate: "
                : "", (long long)first, (long long)last, (long long)total);
    if (shown && more)
        fprintf(f, "; next page: --offset %lld", (long long)last);
    if (shown)
        fputc('\n', f);
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

static int cmd_list(ng_store *s, const ng__qopts *o)
{
    ng_queue_filter f = { .status = o->status, .rule = o->rule,
                          .since = o->since, .limit = o->limit,
                          .submitter = o->submitter, .offset = o->offset };
    json_t *j = NULL;
    char *json = NULL;
    int64_t total = 0;
    int rc = ng_queue_total(s, &f, &total);

    if (rc == NG_OK)
        rc = ng_queue_list(s, &f, &json);
    if (rc != NG_OK)
        return ng__cli_queue_fail(s, rc);
    if ((j = load(json)) != NULL) {
        if (o->form != NG__OUT_TEXT)
            puts(json);
        else
            print_list_text(j);
        print_paging(o, json_array_size(j), total);
    }
    ng_free(json);
    json_decref(j);
    return j ? 0 : EXIT_INTERNAL;
}

static int cmd_show(ng_store *s, const ng__qopts *o, int64_t id)
{
    char *json = NULL;
    json_t *j;
    int rc = ng_queue_show(s, id, &json);

    if (rc != NG_OK)
        return ng__cli_queue_fail(s, rc);
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

static int cmd_claim(ng_store *s, const ng__qopts *o)
{
    int64_t id = 0;
    int rc = ng_queue_claim(s, o->lease ? o->lease : 300, o->by, &id);

    if (rc != NG_OK)
        return ng__cli_queue_fail(s, rc);
    if (o->form == NG__OUT_JSON)
        printf("{\"id\":%lld,\"lease\":%d}\n", (long long)id,
               o->lease ? o->lease : 300);
    else
        printf("%lld\n", (long long)id);
    return 0;
}

/* ack, release: one call on item `id`. */
static int cmd_handoff(ng_store *s, const ng__qopts *o, int ack, int64_t id)
{
    int rc = ack ? ng_queue_ack(s, id, o->by) : ng_queue_release(s, id, o->by);
    const char *what = ack ? "published" : "released";

    if (rc != NG_OK)
        return ng__cli_queue_fail(s, rc);
    if (o->form == NG__OUT_TEXT)
        printf("#%lld %s\n", (long long)id, what);
    else
        printf("{\"id\":%lld,\"done\":\"%s\"}\n", (long long)id, what);
    return 0;
}

/* Checks the arguments a subcommand needs.  Returns 0 or EXIT_USAGE. */
static int need(const char *cmd, const ng__qopts *o, int64_t *id)
{
    int decide = strcmp(cmd, "approve") == 0 || strcmp(cmd, "reject") == 0;
    int none = strcmp(cmd, "list") == 0 || strcmp(cmd, "claim") == 0;
    int selection = o->status || o->rule || o->submitter || o->since;

    if (none && o->nargs)
        return ng__cli_queue_usage("%s: takes no arguments", cmd);
    if (!none && !decide && o->nargs != 1)
        return ng__cli_queue_usage("%s: give one item ID", cmd);
    if (o->offset && strcmp(cmd, "list") != 0)
        return ng__cli_queue_usage("%s: --offset pages list only", cmd);
    if (decide && o->nargs == 0 && !selection)
        return ng__cli_queue_usage("%s: give item IDs or a selection "
                                   "(--status, --rule, --submitter, --since)",
                                   cmd);
    for (int i = 0; i < o->nargs && !none; i++)
        if ((*id = ng__cli_number(o->args[i])) <= 0)
            return ng__cli_queue_usage("'%s' is not an item id", o->args[i]);
    if (!o->by && strcmp(cmd, "list") != 0 && strcmp(cmd, "show") != 0)
        return ng__cli_queue_usage("%s: --by NAME is required (there is no "
                                   "login name to use)", cmd);
    if (o->spam && strcmp(cmd, "reject") != 0)
        return ng__cli_queue_usage("%s: --spam goes with reject", cmd);
    if (strcmp(cmd, "reject") == 0 && !o->reason)
        return ng__cli_queue_usage("%s: --reason TEXT is required", cmd);
    if (decide && o->force && !o->note)
        return ng__cli_queue_usage("%s: --force needs --note TEXT saying why "
                                   "the earlier decision is overridden", cmd);
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

static int run(ng_store *s, const char *cmd, const ng__qopts *o, int64_t id)
{
    if (strcmp(cmd, "list") == 0)
        return cmd_list(s, o);
    if (strcmp(cmd, "show") == 0)
        return cmd_show(s, o, id);
    if (strcmp(cmd, "claim") == 0)
        return cmd_claim(s, o);
    if (strcmp(cmd, "approve") == 0 || strcmp(cmd, "reject") == 0)
        return ng__cli_decide(s, o, strcmp(cmd, "approve") == 0);
    return cmd_handoff(s, o, strcmp(cmd, "ack") == 0, id);
}

int ng__cli_queue(int argc, char **argv)
{
    ng__qopts o = { .form = -1 };
    const char *cmd = argc > 1 ? argv[1] : NULL;
    ng_store *s = NULL;
    char err[768];
    int64_t id = 0;
    int rc, ro;

    if (!cmd || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage, cmd ? stdout : stderr);
        return cmd ? 0 : EXIT_USAGE;
    }
    if (!known(cmd))
        return ng__cli_queue_usage("unknown subcommand '%s'", cmd);
    if ((rc = parse(argc - 1, argv + 1, &o)) != 0)
        return rc < 0 ? 0 : rc;
    if (!o.by)
        o.by = ng__cli_login();
    if ((rc = need(cmd, &o, &id)) != 0)
        return rc;
    if (o.form < 0)
        o.form = strcmp(cmd, "claim") == 0 ? NG__OUT_TEXT
                 : (int)ng__cli_resolve_outform(NG__OUT_AUTO);
    ro = strcmp(cmd, "list") == 0 || strcmp(cmd, "show") == 0;
    if ((rc = ng__cli_store_open(&s, ng__cli_db_path(o.db),
                            ro ? NG_STORE_READONLY : 0, err,
                            sizeof err)) != NG_OK) {
        ng__cli_err("%s", err);
        return ng__cli_open_status(rc);
    }
    rc = run(s, cmd, &o, id);
    ng_store_close(s);
    return rc;
}
