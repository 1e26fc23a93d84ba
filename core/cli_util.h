/*
 * cli_util.h -- what the subcommands share: reading inputs, opening an
 * engine on a rules directory, choosing an output form, and turning
 * results into exit codes.  Errors are printed to stderr here, so
 * subcommands only pass the exit status on.
 */
#ifndef NG_CLI_UTIL_H
#define NG_CLI_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include "newsgate.h"

typedef enum { NG__OUT_AUTO, NG__OUT_JSON, NG__OUT_TEXT } ng__outform;

/* Reads a whole file ("-" for standard input) into a malloc'd buffer
 * (NUL-terminated; length in *len).  Returns 0, or prints
 * "newsgate: FILE: reason" and returns EXIT_NOINPUT. */
int ng__cli_slurp(const char *path, char **buf, size_t *len);

/* The rules directory to use: `opt` when given, else $NEWSGATE_RULES,
 * else ./rules, else rules/ beside the executable (a build tree), else
 * ../share/newsgate/rules from the executable's directory (the rules
 * `make install` puts in PREFIX/share/newsgate/rules).  The lookup is
 * relative to the executable, so an installed tree can be moved. */
const char *ng__cli_rules_dir(const char *opt);

/* The database path: `opt`, else $NEWSGATE_DB, else "newsgate.db". */
const char *ng__cli_db_path(const char *opt);

/* ng_store_open, then the busy timeout of $NEWSGATE_BUSY_TIMEOUT
 * (milliseconds, 0 to 86,400,000) when it is set.  Returns what
 * ng_store_open returns, or NG_EINVAL with the problem in `err` when the
 * variable is not such a number (the store is then not opened). */
int ng__cli_store_open(ng_store **s, const char *path, int flags,
                       char *err, size_t errlen);

/* The exit status of a store that did not open with code rc: 74
 * (EXIT_IOERR) when a database server cannot be reached now (NG_EBUSY:
 * retry later), else 73 (EXIT_CANTCREAT). */
int ng__cli_open_status(int rc);

/* Opens an engine with input limits `lim` (may be NULL) and a per-rule
 * deadline of `deadline_ms` (0: the default) and loads `rules_dir`.
 * Returns 0, or prints the error and returns EXIT_CONFIG (rules do not
 * load) or EXIT_INTERNAL. */
int ng__cli_engine(const char *rules_dir, const ng_limits *lim,
                   uint32_t deadline_ms, ng_engine **out);

/* Parses "--deadline MS" (1 to 3,600,000) into *ms.  Returns 0, or prints
 * the problem and returns EXIT_USAGE. */
int ng__cli_deadline(uint32_t *ms, const char *arg);

/* The help text line for --deadline, shared by check and submit. */
#define NG__CLI_DEADLINE_HELP \
    "  -t, --deadline MS  wall-clock time one rule may spend on one item\n" \
    "                     (Lua, patterns, lists, store look-ups); past it\n" \
    "                     the rule fails with \"deadline exceeded\" (250)\n"

/* The same with engine options: `debug` bit 1 puts log lines in the
 * verdicts, bit 2 profiles every check. */
int ng__cli_engine_debug(const char *rules_dir, const ng_limits *lim,
                         uint32_t deadline_ms, int debug, ng_engine **out);

/* The engine options ng__cli_engine_debug opens an engine with. */
ng_engine_options ng__cli_engine_options(const ng_limits *lim,
                                         uint32_t deadline_ms, int debug);

/* The same with every engine option given. */
int ng__cli_engine_with(const char *rules_dir, const ng_engine_options *o,
                        ng_engine **out);

/* An engine with options `o` and the rules of `rules_dir`, printing
 * nothing: for a pipeline's checker, whose command has loaded the same
 * rules already (cli_pipe.h).  Returns it, or NULL when it cannot. */
ng_engine *ng__cli_engine_quiet(const char *rules_dir,
                                const ng_engine_options *o);

/* Parses one "--limit KEY=N" (KEY: item, title, field, body, batch,
 * images; N may end in K or M) into *l.  Returns 0, or prints the problem
 * and returns EXIT_USAGE. */
int ng__cli_limit(ng_limits *l, const char *arg);

/* The help text line for --strict (check, submit). */
#define NG__CLI_STRICT_HELP \
    "  -S, --strict       exit 4 when a rule fails on some item (worse than\n" \
    "                     reject, better than bad input)\n"

/* The help text lines for --limit, shared by the commands that read. */
#define NG__CLI_LIMIT_HELP \
    "  -l, --limit KEY=N  input limit: item, title, field, body (bytes;\n" \
    "                     K and M suffixes), batch (items per input),\n" \
    "                     images (per item); see docs/input.md\n"


/* --color: when to colour text output.  Colour is used only when the
 * mode is `always`, or `auto` and stdout is a terminal, and never when
 * NO_COLOR is set to a non-empty value (that wins even over `always`). */
typedef enum { NG__COLOR_AUTO, NG__COLOR_ALWAYS, NG__COLOR_NEVER } ng__color;

#define NG__CLI_COLOR_HELP \
    "      --color WHEN   colour text output: auto (on a terminal, the\n" \
    "                     default), always or never; NO_COLOR=1 in the\n" \
    "                     environment turns colour off whatever WHEN is\n"

/* Parses "auto" / "always" / "never"; returns -1 (after printing the
 * problem) when unknown. */
int ng__cli_color_mode(const char *arg);

/* 1 when text output to stdout should be coloured under `mode`. */
int ng__cli_use_color(int mode);

/* Prints "newsgate: MESSAGE" on stderr with the whole message escaped for
 * the terminal (it may quote item data), first clearing a progress line
 * when stderr is a terminal, so an error never lands in the middle of
 * one. */
void ng__cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes `s` (NULL: nothing) to f escaped for the terminal; flags as for
 * ng_text_escape. */
void ng__cli_puts(FILE *f, const char *s, int flags);

/* Writes `s` escaped, cut to `width` characters (a cut is shown by a
 * final "~") and, when `pad`, padded with spaces to `width`. */
void ng__cli_put_cols(FILE *f, const char *s, int width, int pad);

/* Formats unix seconds for a terminal, "YYYY-MM-DD HH:MM:SSZ" (RFC 3339
 * with a space for 'T'), into buf (n bytes, 21 suffice); "-" when it
 * cannot.  Returns buf. */
const char *ng__cli_time(int64_t t, char *buf, size_t n);

/* Parses a positive decimal integer; returns -1 when it is not one. */
int64_t ng__cli_number(const char *s);

/* The name decisions and claims are recorded under when --by is not
 * given: $LOGNAME, else $USER, else the user database's name for the
 * effective uid; NULL when there is none. */
const char *ng__cli_login(void);

/* Parses "json" / "text" for --format; returns -1 when unknown. */
int ng__cli_outform(const char *s);

/* Resolves AUTO: text when stdout is a terminal, else JSON. */
ng__outform ng__cli_resolve_outform(ng__outform f);

/* Prints a verdict in the chosen form to stdout (JSON: one line, kept on
 * the verdict as ng__verdict_json does).  `id` is shown when > 0.
 * Returns 0 or -1 on no memory. */
int ng__cli_print_verdict(ng_verdict *v, int64_t id, ng__outform f,
                          int color);

/* Folds one item's outcome into a running exit status: an action
 * (NG_ACCEPT..NG_REJECT) or an EXIT_* error.  Worst wins: internal >
 * config > bad input > rule errors (--strict) > reject > review > accept. */
int ng__cli_worse(int status, int outcome);

/* Iterates the items of every input (files or "-"; none means "-"),
 * calling `fn` for each good item.  Bad items are reported on stderr as
 * "newsgate: MESSAGE" and folded in as EXIT_DATAERR.  `fn` returns an
 * outcome as for ng__cli_worse, or minus an exit status to stop there.  Shows
 * progress on stderr when it is a terminal and the batch is large, and,
 * when more than one item was read, a closing summary line on stderr:
 * "N items: N accepted, N review, N rejected, N errors".
 * Returns the final exit status. */
typedef int (*ng__cli_item_fn)(ng_item *it, void *ud);
int ng__cli_each_item(char **inputs, int ninputs, const ng_limits *lim,
                      ng__cli_item_fn fn, void *ud);

/* Called when the input has nothing to read yet, before waiting for it
 * (a pipe whose writer pauses): submit commits its open batch there, so
 * its ids are printed and the store's write lock is not held while
 * waiting.  Returns 0, or a negative exit status to stop reading. */
typedef int (*ng__cli_idle_fn)(void *ud);

/* ng__cli_each_item with an idle hook (may be NULL). */
int ng__cli_each_item_idle(char **inputs, int ninputs, const ng_limits *lim,
                           ng__cli_item_fn fn, ng__cli_idle_fn idle,
                           void *ud);

/* Like ng__cli_each_item for a command that works on items in a pipeline
 * and learns their outcomes later.  `fn` may return NG__CLI_LATER: it then
 * keeps the item (and frees it with ng_item_free), and `later` gives the
 * outcomes, one item a call, in the order of the items: after each item
 * kept, it is called with all = 0 until it returns NG__CLI_LATER (no
 * outcome ready now); after the last input, with all = 1 until it returns
 * NG__CLI_LATER (none left).  It returns an outcome, or minus an exit
 * status to stop, as `fn` does.  Items still kept after a stop are the
 * command's to free.  Before the idle hook (may be NULL) runs, every item
 * kept gets its outcome (all = 1). */
#define NG__CLI_LATER 0x4000
typedef int (*ng__cli_later_fn)(void *ud, int all);
int ng__cli_each_item_later(char **inputs, int ninputs, const ng_limits *lim,
                            ng__cli_item_fn fn, ng__cli_later_fn later,
                            ng__cli_idle_fn idle, void *ud);

#endif
