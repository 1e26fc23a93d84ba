/*
 * cli_replay.c -- `newsgate replay`: reruns a rule set over the items of
 * a store and reports what would change (core/replay.h does the work).
 * Each item sees the store as it was when it arrived.  With --apply the new automatic verdicts are filed
 * in the store; moderators' decisions are never overturned.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cli_out.h"
#include "cli_util.h"
#include "replay.h"

static const char usage[] =
    "usage: newsgate replay [--rules DIR] [--db PATH] [--since T] [--limit N]\n"
    "                       [--apply] [--format json|text]\n"
    "\n"
    "Reruns the rules over the stored items, each item seeing the store as\n"
    "it was when it arrived (never itself or later items), and reports the\n"
    "items whose action would change (old -> new, with the rules that made\n"
    "the change), each rule's hits before and after, and each rule's hits on\n"
    "items moderators rejected and approved (its precision against them).\n"
    "Changes nothing unless --apply is given.\n"
    "\n"
    "  -r, --rules DIR    rules directory (default as for check)\n"
    "  -d, --db PATH      the store (default: $NEWSGATE_DB, else newsgate.db)\n"
    "  -s, --since T      report items submitted at or after T (unix seconds\n"
    "                     or RFC 3339); earlier items are still seen by\n"
    "                     the look-ups\n"
    "  -n, --limit N      report at most N items\n"
    "  -a, --apply        file the new verdicts; items a moderator decided\n"
    "                     (or published) keep theirs\n"
    "  -f, --format F     json or text\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 done, 64 usage error, 70 internal error, 73 store cannot\n"
    "be opened, 74 store error, 78 rules do not load.\n";

static int positive(const char *s, long long *out)
{
    char *end;
    errno = 0;
    *out = strtoll(s, &end, 10);
    return errno || end == s || *end || *out < 0 ? -1 : 0;
}

static json_t *precision(size_t rejected, size_t approved)
{
    return rejected + approved ? json_real((double)rejected / (double)(rejected + approved))
                               : json_null();
}

static json_t *report_json(const ng__replay_report *r, const char *hash)
{
    json_t *o = json_pack("{sIsIsIsIsIsIss}", "items", (json_int_t)r->items,
        "context", (json_int_t)r->context, "decided", (json_int_t)r->decided,
        "applied", (json_int_t)r->applied, "kept", (json_int_t)r->kept,
        "errors", (json_int_t)r->errors, "rules_hash", hash);
    json_t *changes = json_array(), *rules = json_array();

    for (size_t i = 0; i < r->nchanges; i++) {
        const ng__replay_change *c = &r->changes[i];
        json_array_append_new(changes, json_pack("{sIsssssssb}", "id", (json_int_t)c->id,
            "before", c->before, "after", c->after, "rules", c->rules,
            "decided", c->decided));
    }
    for (size_t i = 0; i < r->nrules; i++) {
        const ng__replay_rule *x = &r->rules[i];
        json_array_append_new(rules, json_pack("{sssIsIsIsIsIsIsoso}", "rule", x->name,
            "before", (json_int_t)x->before, "after", (json_int_t)x->after,
            "rejected_before", (json_int_t)x->rejected_before,
            "approved_before", (json_int_t)x->approved_before,
            "rejected_after", (json_int_t)x->rejected_after,
            "approved_after", (json_int_t)x->approved_after,
            "precision_before", precision(x->rejected_before, x->approved_before),
            "precision_after", precision(x->rejected_after, x->approved_after)));
    }
    json_object_set_new(o, "changes", changes);
    json_object_set_new(o, "rules", rules);
    return o;
}

static void print_text(const ng__replay_report *r, const char *hash, int apply)
{
    printf("replayed %zu items with rules %s (%zu earlier items not reported)\n",
           r->items, hash, r->context);
    printf("%zu action%s would change:\n", r->nchanges, r->nchanges == 1 ? "" : "s");
    for (size_t i = 0; i < r->nchanges; i++) {
        const ng__replay_change *c = &r->changes[i];
        printf("  #%lld %s -> %s  ", (long long)c->id, c->before, c->after);
        ng__cli_put_name(c->rules, 0);
        printf("%s\n", c->decided ? "  (a moderator decided it: kept)" : "");
    }
    printf("\n%-28s %7s %7s   %s\n", "rule", "before", "after",
           "on items moderators rejected/approved (precision)");
    for (size_t i = 0; i < r->nrules; i++) {
        const ng__replay_rule *x = &r->rules[i];
        ng__cli_put_name(x->name, 28);
        printf(" %7zu %7zu   %zu/%zu", x->before, x->after,
               x->rejected_after, x->approved_after);
        if (x->rejected_after + x->approved_after)
            printf(" (%.2f)", (double)x->rejected_after
                   / (double)(x->rejected_after + x->approved_after));
        printf("\n");
    }
    printf("\n%zu decided by moderators, %zu rule errors", r->decided, r->errors);
    if (apply)
        printf(", %zu verdicts filed, %zu kept", r->applied, r->kept);
    printf("\n");
}

/* Opens the store and runs the replay. */
static int replay_db(ng_engine *e, const char *db, const ng__replay_opts *o,
                     ng__outform form)
{
    ng_store *src = NULL;
    ng__replay_report *r = NULL;
    char err[640];
    int rc;

    int orc = ng__cli_store_open(&src, db, o->apply ? 0 : NG_STORE_READONLY,
                                 err, sizeof err);
    if (orc != NG_OK) {
        fprintf(stderr, "newsgate: %s\n", err);
        return ng__cli_open_status(orc);
    }
    rc = ng__replay(e, src, o, &r, err, sizeof err);
    ng_store_close(src);
    if (rc != NG_OK) {
        fprintf(stderr, "newsgate replay: %s\n", err);
        return rc == NG_ENOMEM ? EXIT_INTERNAL : EXIT_IOERR;
    }
    if (form == NG__OUT_TEXT) {
        print_text(r, ng_engine_rules_hash(e), o->apply);
    } else {
        json_t *j = report_json(r, ng_engine_rules_hash(e));
        rc = ng__cli_json_print(j) < 0 ? EXIT_INTERNAL : 0;
        json_decref(j);
    }
    ng__replay_report_free(r);
    return rc;
}

int ng__cli_replay(int argc, char **argv)
{
    static const struct option opts[] = {
        { "rules", required_argument, NULL, 'r' }, { "db", required_argument, NULL, 'd' },
        { "since", required_argument, NULL, 's' }, { "limit", required_argument, NULL, 'n' },
        { "apply", no_argument, NULL, 'a' }, { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
    };
    const char *rules = NULL, *db = NULL;
    ng__replay_opts o = { 0, 0, 0 };
    ng__outform form = NG__OUT_AUTO;
    ng_engine *e;
    long long n;
    int ch, rc;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "r:d:s:n:af:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'r': rules = optarg; break;
        case 'd': db = optarg; break;
        case 'a': o.apply = 1; break;
        case 's': case 'n':
            if (ch == 's' && ng_time_parse(optarg, &o.since) == NG_OK)
                break;
            if (positive(optarg, &n) != 0) {
                fprintf(stderr, "newsgate replay: --%s: '%s' is not a number\n",
                        ch == 's' ? "since" : "limit", optarg);
                return EXIT_USAGE;
            }
            if (ch == 's') o.since = n; else o.limit = (size_t)n;
            break;
        case 'f':
            if ((rc = ng__cli_outform(optarg)) < 0) {
                fprintf(stderr, "newsgate replay: unknown format '%s'\n", optarg);
                return EXIT_USAGE;
            }
            form = (ng__outform)rc;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if ((rc = ng__cli_engine(ng__cli_rules_dir(rules), NULL, 0, &e)) != 0)
        return rc;
    rc = replay_db(e, ng__cli_db_path(db), &o, ng__cli_resolve_outform(form));
    ng_engine_close(e);
    return rc;
}
