/*
 * main.c -- the newsgate command: dispatches to a subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "newsgate.h"

static const char usage[] =
    "usage: newsgate COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Moderation filter for submitted news: runs items through Lua rules\n"
    "and files them into a SQLite moderation queue.\n"
    "\n"
    "commands:\n"
    "  check    check items and print verdicts (stores nothing)\n"
    "  submit   check items and file them in the moderation queue\n"
    "  queue    list, show, approve, reject, claim, ack, release items\n"
    "  learn    train the spam learner with spam or ham items\n"
    "  serve    run the submission server (HTTP JSON API)\n"
    "  sources  add, list, remove publishers' reference articles\n"
    "  test     run the test cases written beside the rules\n"
    "  lint     report every problem of a rule set\n"
    "  replay   rerun rules over stored items and report what would change\n"
    "  stats    per-rule hits, errors and time over a run's verdicts\n"
    "  rules    list rules the emergency brake stopped; enable them again\n"
    "  version  print the version\n"
    "\n"
    "Run 'newsgate COMMAND --help' for a command's options.\n"
    "Exit status: 0 accepted, 1 review, 2 rejected, 64 usage, 65 bad input,\n"
    "66 input not found, 70 internal error, 73 database cannot be opened,\n"
    "74 store error, 78 rules do not load.\n";

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;

    if (cmd == NULL) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("newsgate %s\n", NG_VERSION);
        return 0;
    }
    if (strcmp(cmd, "check") == 0)
        return ng__cli_check(argc - 1, argv + 1);
    if (strcmp(cmd, "submit") == 0)
        return ng__cli_submit(argc - 1, argv + 1);
    if (strcmp(cmd, "queue") == 0)
        return ng__cli_queue(argc - 1, argv + 1);
    if (strcmp(cmd, "learn") == 0)
        return ng__cli_learn(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return ng__cli_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "sources") == 0)
        return ng__cli_sources(argc - 1, argv + 1);
    if (strcmp(cmd, "test") == 0)
        return ng__cli_test(argc - 1, argv + 1);
    if (strcmp(cmd, "lint") == 0)
        return ng__cli_lint(argc - 1, argv + 1);
    if (strcmp(cmd, "replay") == 0)
        return ng__cli_replay(argc - 1, argv + 1);
    if (strcmp(cmd, "stats") == 0)
        return ng__cli_stats(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return ng__cli_rules(argc - 1, argv + 1);
    fprintf(stderr, "newsgate: unknown command '%s'\n%s", cmd, usage);
    return EXIT_USAGE;
}
