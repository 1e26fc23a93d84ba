/*
 * main.c -- the newsgate command: dispatches to a subcommand, and answers
 * `help [COMMAND]`, `--help` and `-V` / `--version` itself.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_util.h"
#include "newsgate.h"

static const char usage[] =
    "usage: newsgate COMMAND [OPTIONS] [ARGS]\n"
    "       newsgate help [COMMAND]\n"
    "       newsgate -V | --version\n"
    "\n"
    "Moderation filter for submitted news: runs items through Lua rules\n"
    "and files them into a SQLite moderation queue.\n"
    "\n"
    "commands:\n"
    "  check    check items and print verdicts (stores nothing)\n"
    "  submit   check items and file them in the moderation queue\n"
    "  queue    list, show, approve, reject, claim, ack, release items\n"
    "  serve    run the submission server (HTTP JSON API)\n"
    "  sources  add, list, remove publishers' reference articles\n"
    "  learn    train the spam learner with spam or ham items\n"
    "  test     run the test cases written beside the rules\n"
    "  lint     report every problem of a rule set\n"
    "  replay   rerun rules over stored items and report what would change\n"
    "  stats    per-rule hits, errors and time over a run's verdicts\n"
    "  rules    list rules the emergency brake stopped; enable them again\n"
    "  help     show this help, or a command's ('newsgate help queue')\n"
    "  version  print the version\n"
    "\n"
    "  -h, --help         show this help\n"
    "  -V, --version      print the version\n"
    "\n"
    "Run 'newsgate help COMMAND' or 'newsgate COMMAND --help' for a\n"
    "command's options; 'man newsgate' has them all.  Text output is\n"
    "coloured only on a terminal and never when NO_COLOR is set.\n"
    "Exit status: 0 accepted, 1 review, 2 rejected, 3 queue item not found\n"
    "or in the wrong state, 64 usage, 65 bad input, 66 input not found,\n"
    "70 internal error, 73 database cannot be opened, 74 store error,\n"
    "78 rules do not load.\n";

typedef int (*command_fn)(int argc, char **argv);

static const struct command {
    const char *name;
    command_fn fn;
} commands[] = {
    { "check", ng__cli_check },
    { "submit", ng__cli_submit },
    { "queue", ng__cli_queue },
    { "serve", ng__cli_serve },
    { "learn", ng__cli_learn },
    { "sources", ng__cli_sources },
    { "test", ng__cli_test },
    { "lint", ng__cli_lint },
    { "replay", ng__cli_replay },
    { "stats", ng__cli_stats },
    { "rules", ng__cli_rules },
    { NULL, NULL }
};

static command_fn find(const char *name)
{
    for (int i = 0; commands[i].name; i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].fn;
    return NULL;
}

static int version(void)
{
    printf("newsgate %s\n", NG_VERSION);
    return 0;
}

/* `newsgate help [COMMAND [SUBCOMMAND]]`: the command's own --help. */
static int help(int argc, char **argv)
{
    static char opt[] = "--help";
    char *args[3];
    command_fn fn;

    if (argc < 2) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if ((fn = find(argv[1])) == NULL) {
        ng__cli_err("no command '%s'; commands are check, submit, queue, "
                    "serve, learn, sources, help, version", argv[1]);
        return EXIT_USAGE;
    }
    args[0] = argv[1];
    args[1] = opt;
    args[2] = NULL;
    return fn(2, args);
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    command_fn fn;

    if (cmd == NULL) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return help(1, argv + 1);
    if (strcmp(cmd, "help") == 0)
        return help(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0
        || strcmp(cmd, "-V") == 0)
        return version();
    if ((fn = find(cmd)) != NULL)
        return fn(argc - 1, argv + 1);
    ng__cli_err("unknown command '%s'", cmd);
    fputs(usage, stderr);
    return EXIT_USAGE;
}
