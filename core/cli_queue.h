/*
 * cli_queue.h -- what the `newsgate queue` files share: the parsed
 * options and the error reporting.  cli_queue.c parses and dispatches;
 * cli_decide.c makes moderator decisions; cli_show.c renders `show`.
 */
#ifndef NG_CLI_QUEUE_H
#define NG_CLI_QUEUE_H

#include <stdint.h>
#include "newsgate.h"

typedef struct ng__qopts {
    const char *db, *status, *rule, *submitter;
    const char *by;        /* --by, else the login name */
    const char *note, *reason;
    int64_t since, limit, offset;
    int lease, force;
    int spam;              /* reject --spam: also learn it as spam */
    int form;              /* ng__outform, or -1 when not given */
    int color;             /* ng__color */
    char **args;           /* arguments after the options (item ids) */
    int nargs;
} ng__qopts;

/* Prints "newsgate: queue: MESSAGE" and a pointer to --help; returns
 * EXIT_USAGE.  `fmt` has one %s for `arg`. */
int ng__cli_queue_usage(const char *fmt, const char *arg)
    __attribute__((format(printf, 1, 0)));

/* Prints the store's message for `rc` and returns the exit status:
 * EXIT_NOTFOUND (not found, nothing to do, wrong state), EXIT_USAGE,
 * EXIT_INTERNAL or EXIT_IOERR. */
int ng__cli_queue_fail(ng_store *s, int rc);

/* `queue approve|reject` on the ids in o->args and the items the
 * selection options pick (cli_decide.c).  Returns the exit status. */
int ng__cli_decide(ng_store *s, const ng__qopts *o, int approve);

#endif
