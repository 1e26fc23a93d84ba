/*
 * cli_rules.c -- `newsgate rules list|enable`: the operator's side of the
 * emergency brake.  `list` shows the rules the brake switched to shadow
 * mode (when, on which item, why); `enable NAME` lets one enforce again,
 * recorded in the audit log with who did it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "cli_out.h"
#include "cli_util.h"

static const char usage[] =
    "usage: newsgate rules list [--db PATH] [--format json|text]\n"
    "       newsgate rules enable NAME [--db PATH] [--by WHO]\n"
    "\n"
    "The emergency brake switches an enforcing rule that suddenly hits a\n"
    "much larger share of submissions than before to shadow mode (see\n"
    "'newsgate submit --help').  'list' shows the braked rules; 'enable'\n"
    "lets one enforce again and records it in the audit log.\n"
    "\n"
    "  -d, --db PATH      database (default: $NEWSGATE_DB, else newsgate.db)\n"
    "  -b, --by WHO       who enables it (default: the login name)\n"
    "  -f, --format F     json or text\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 done, 3 the rule is not braked, 64 usage error,\n"
    "73 database cannot be opened, 74 store error.\n";

static void print_text(const char *json)
{
    json_t *arr = json_loads(json, 0, NULL), *r;
    size_t i;

    if (json_array_size(arr) == 0)
        printf("no rule is braked\n");
    json_array_foreach(arr, i, r) {
        ng__cli_put_name(json_string_value(json_object_get(r, "rule")), 0);
        printf("  braked on item #%lld: ",
               (long long)json_integer_value(json_object_get(r, "item")));
        ng__cli_puts(stdout, json_string_value(json_object_get(r, "reason")), 0);
        fputc('\n', stdout);
    }
    json_decref(arr);
}

static int list(ng_store *s, ng__outform form)
{
    char *json = NULL;
    int rc = ng_brakes(s, &json);

    if (rc != NG_OK) {
        fprintf(stderr, "newsgate: %s\n", ng_store_errmsg(s));
        return EXIT_IOERR;
    }
    if (form == NG__OUT_TEXT)
        print_text(json);
    else if (ng__cli_json_print_text(json) < 0)
        rc = NG_ENOMEM;
    ng_free(json);
    return rc == NG_OK ? 0 : EXIT_INTERNAL;
}

static int enable(ng_store *s, const char *rule, const char *by)
{
    int rc = ng_brake_release(s, rule, by);

    if (rc == NG_OK) {
        printf("%s enabled\n", rule);
        return 0;
    }
    fprintf(stderr, "newsgate: %s\n", rc == NG_ENOTFOUND
            ? "that rule is not braked" : ng_store_errmsg(s));
    return rc == NG_ENOTFOUND ? EXIT_NOTFOUND : EXIT_IOERR;
}

int ng__cli_rules(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' }, { "by", required_argument, NULL, 'b' },
        { "format", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *db = NULL, *by = getlogin(), *cmd;
    ng__outform form = NG__OUT_AUTO;
    ng_store *s;
    char err[640];
    int ch, rc;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:b:f:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 'b': by = optarg; break;
        case 'f':
            if ((rc = ng__cli_outform(optarg)) < 0) {
                fputs(usage, stderr);
                return EXIT_USAGE;
            }
            form = (ng__outform)rc;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    cmd = optind < argc ? argv[optind] : "";
    if (!((strcmp(cmd, "list") == 0 && optind + 1 == argc)
          || (strcmp(cmd, "enable") == 0 && optind + 2 == argc))) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    int orc = ng__cli_store_open(&s, ng__cli_db_path(db),
                            strcmp(cmd, "list") == 0 ? NG_STORE_READONLY : 0,
                            err, sizeof err);
    if (orc != NG_OK) {
        fprintf(stderr, "newsgate: %s\n", err);
        return ng__cli_open_status(orc);
    }
    rc = strcmp(cmd, "list") == 0 ? list(s, ng__cli_resolve_outform(form))
       : enable(s, argv[optind + 1], by && *by ? by : "operator");
    ng_store_close(s);
    return rc;
}
