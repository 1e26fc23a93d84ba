/*
 * cli.h -- the subcommands of the newsgate command line.  Each takes the
 * arguments after its name (argv[0] is the subcommand) and returns the
 * process exit status (see EXIT_* below).  Only the CLI includes this.
 */
#ifndef NG_CLI_H
#define NG_CLI_H

enum {
    EXIT_ACCEPT = 0,     /* all accepted (or the command succeeded) */
    EXIT_REVIEW = 1,     /* some held for review */
    EXIT_REJECT = 2,     /* some rejected */
    EXIT_NOTFOUND = 3,   /* queue: no such item / nothing to claim */
    EXIT_RULEERR = 4,    /* --strict: some rule failed on some item */
    EXIT_USAGE = 64,     /* bad command line */
    EXIT_DATAERR = 65,   /* bad input item */
    EXIT_NOINPUT = 66,   /* input file cannot be opened */
    EXIT_INTERNAL = 70,  /* internal error */
    EXIT_CANTCREAT = 73, /* database cannot be opened or created */
    EXIT_IOERR = 74,     /* store error while running */
    EXIT_TEMPFAIL = 75,  /* store locked by another process past the
                            busy timeout: nothing stored, try again */
    EXIT_CONFIG = 78     /* rules do not load */
};

int ng__cli_check(int argc, char **argv);   /* cli_check.c */
int ng__cli_submit(int argc, char **argv);  /* cli_submit.c */
int ng__cli_queue(int argc, char **argv);   /* cli_queue.c */
int ng__cli_learn(int argc, char **argv);   /* cli_learn.c */
int ng__cli_serve(int argc, char **argv);   /* cli_serve.c */
int ng__cli_sources(int argc, char **argv); /* cli_sources.c */

int ng__cli_test(int argc, char **argv);    /* cli_test.c */
int ng__cli_lint(int argc, char **argv);    /* cli_lint.c */
int ng__cli_replay(int argc, char **argv);  /* cli_replay.c */
int ng__cli_stats(int argc, char **argv);   /* cli_stats.c */
int ng__cli_rules(int argc, char **argv);   /* cli_rules.c */

#endif
