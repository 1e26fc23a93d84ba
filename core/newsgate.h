/*
 * newsgate.h -- the public interface of libnewsgate.
 *
 * newsgate reads submitted news items, runs them through moderation rules
 * written in Lua, and returns a verdict (accept, review or reject) with an
 * explanation of every rule that fired.  With a store attached it also files
 * each item into a SQLite moderation queue.
 *
 * This is the only public header.  Anything not declared here is private
 * and may change without notice.
 *
 * Conventions, stated once:
 *  - Functions return an int error code: NG_OK (0) on success, or one of
 *    the NG_E* codes below.  A more detailed message is kept on the handle
 *    that failed (ng_engine_errmsg, ng_reader_errmsg, ng_store_errmsg) and
 *    stays valid until the next call on that handle.
 *  - Out-parameters are set to NULL (or 0) on failure.  A NULL pointer
 *    where an out-parameter is required is refused with NG_EINVAL and
 *    never dereferenced; so is a NULL handle, except where a function
 *    says it accepts one (destructors, accessors, *_errmsg).
 *  - Every object returned through an out-parameter is owned by the caller
 *    and freed with its matching *_free / *_close function.  All of those
 *    accept NULL.  Strings returned as `char *` are freed with ng_free();
 *    strings returned as `const char *` belong to the object they came
 *    from and live as long as it does.
 *  - Threads: a handle may be used by one thread at a time.  Use one engine
 *    per thread; engines share nothing.  A store handle may be shared by
 *    engines of one thread only; open one store handle per thread.
 *  - The library never prints, never exits and never aborts.
 */
#ifndef NEWSGATE_H
#define NEWSGATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NG_VERSION "0.1.0"

/* Error codes.  New codes are only ever appended. */
#define NG_ERRNO_MAP(X)                                              \
    X(OK,       0, "success")                                        \
    X(ENOMEM,   1, "out of memory")                                  \
    X(EINVAL,   2, "invalid argument")                               \
    X(EINPUT,   3, "bad input item")                                 \
    X(ERULES,   4, "rules failed to load")                           \
    X(EIO,      5, "input/output error")                             \
    X(ESTORE,   6, "store error")                                    \
    X(ENOTFOUND,7, "not found")                                      \
    X(ESTATE,   8, "operation not allowed in the item's state")      \
    X(EINTERNAL,9, "internal error")                                 \
    X(EVERSION, 10, "store has a newer schema version")              \
    X(ENOTDB,   11, "file is not a newsgate database")               \
    X(EBUSY,    12, "store is busy")                                 \
    X(EEMPTY,   13, "nothing to do")

enum {
#define NG_ERRNO_ENUM(name, code, msg) NG_##name = code,
    NG_ERRNO_MAP(NG_ERRNO_ENUM)
#undef NG_ERRNO_ENUM
    NG_DONE = -1 /* not an error: an iterator has no more items */
};

/* Returns the static message for an error code ("unknown error" for codes
 * this version does not know), or the code's name with ng_strerror_name. */
const char *ng_strerror(int code);
const char *ng_strerror_name(int code);

/* Frees memory that the library returned as `char *`.  Accepts NULL. */
void ng_free(void *p);

/* ------------------------------------------------------------------ */
/* Limits and engine options                                           */
/* ------------------------------------------------------------------ */

/* Limits enforced on input.  Zero in any field means "use the default". */
typedef struct ng_limits {
    size_t max_item_bytes;   /* whole item as read (default 1 MiB) */
    size_t max_title_bytes;  /* default 1 KiB */
    size_t max_field_bytes;  /* url, source, author, submitter (4 KiB) */
    size_t max_body_bytes;   /* default 512 KiB */
    size_t max_batch_items;  /* items in one input file (default 100000) */
    size_t max_images;       /* images per item (default 64) */
} ng_limits;

/* Options for a new engine.  Zero in any field means "use the default".
 * Initialise with `ng_engine_options o = {0};`. */
typedef struct ng_engine_options {
    ng_limits limits;             /* applied by ng_check to items built
                                     with ng_item_set (ng_item_validate) */
    size_t   lua_memory_cap;      /* bytes for the rule engine (64 MiB) */
    uint64_t rule_instructions;   /* Lua VM instructions per rule call
                                     (default 10,000,000) */
    uint32_t pcre_match_limit;    /* PCRE2 match limit (1,000,000) */
    uint32_t pcre_depth_limit;    /* PCRE2 depth limit (10,000) */
    uint32_t check_deadline_ms;   /* wall-clock time one rule may take on
                                     one item, covering Lua, regex
                                     matching, list look-ups and store
                                     queries; past it the rule fails with
                                     "deadline exceeded" (default 250) */
    int      debug;               /* 1: lines rules write with log(...)
                                     go into the verdict ("debug") */
    int      profile;             /* 1: the verdict carries each rule's
                                     time, with the shared text analysis
                                     done first and timed apart */
    uint32_t brake_window;        /* emergency brake (ng_submit): recent
                                     submissions watched per rule (100) */
    double   brake_share;         /* hit share of them that trips (0.5) */
    double   brake_factor;        /* ... when at least this many times
                                     the rule's earlier share (5) */
} ng_engine_options;

/* ------------------------------------------------------------------ */
/* Items                                                               */
/* ------------------------------------------------------------------ */

typedef struct ng_item ng_item;
typedef struct ng_reader ng_reader;

/* Input formats a reader understands. NG_FORMAT_AUTO looks at the first
 * non-blank byte: '{' or '[' means JSON (object, array or NDJSON), anything
 * else plain text. */
typedef enum ng_format {
    NG_FORMAT_AUTO = 0,
    NG_FORMAT_JSON,   /* object, array of objects, or NDJSON stream */
    NG_FORMAT_TEXT    /* optional Key: value headers, blank line, body */
} ng_format;

/* Opens a reader over `len` bytes at `data`, which must stay valid and
 * unchanged until ng_reader_close.  `name` is used in error messages
 * ("-" for standard input); it is copied.  `limits` may be NULL.
 * Returns NG_OK, NG_ENOMEM or NG_EINVAL. */
int ng_reader_open(ng_reader **out, const char *name, const char *data,
                   size_t len, ng_format format, const ng_limits *limits);

/* Where a streaming reader gets its bytes: reads up to n bytes into buf
 * and returns how many (0 at the end of the input, -1 on a read error). */
typedef long (*ng_read_fn)(void *ud, char *buf, size_t n);

/* Opens a reader that pulls its input through `read` as it goes, so an
 * NDJSON stream is held no more than one line (bounded by the item limit)
 * at a time, whatever its length.  Other formats (one JSON document, a
 * JSON array, plain text) are read whole before the first item.  The
 * first bytes decide the format as for ng_reader_open.  `read` and `ud`
 * must stay valid until ng_reader_close; the reader never closes them.
 * A read error makes ng_reader_next return NG_EIO.  Returns NG_OK,
 * NG_ENOMEM or NG_EINVAL. */
int ng_reader_open_stream(ng_reader **out, const char *name, ng_read_fn read,
                          void *ud, ng_format format,
                          const ng_limits *limits);

/* Reads the next item.  Returns NG_OK and sets *item (owned by the
 * caller), NG_DONE at the end, NG_EINVAL when r or item is NULL,
 * NG_ENOMEM, or NG_EINPUT when this item is bad: the
 * message (ng_reader_errmsg) names the file, the item number and line,
 * and the problem.  After NG_EINPUT the reader moves on to the next item
 * where the format allows it (NDJSON, arrays); where it cannot (a broken
 * JSON document, a bad text file) the following call returns NG_DONE. */
int ng_reader_next(ng_reader *r, ng_item **item);

/* The message of the last failure, "" if none (or r is NULL).  Lives
 * until the next call on the reader. */
const char *ng_reader_errmsg(const ng_reader *r);

/* 1-based number of the item last returned (or rejected); 0 for NULL. */
size_t ng_reader_index(const ng_reader *r);

void ng_reader_close(ng_reader *r);

/* The fields of an item, for ng_item_set / ng_item_get.  Values are only
 * ever appended. */
typedef enum ng_field {
    NG_FIELD_TITLE,
    NG_FIELD_BODY,
    NG_FIELD_URL,
    NG_FIELD_SOURCE,
    NG_FIELD_AUTHOR,
    NG_FIELD_SUBMITTER,
    NG_FIELD_SUBMITTED_AT,  /* RFC 3339 */
    NG_FIELD_EXTERNAL_ID,
    NG_FIELD_FORMAT,        /* "text" (the default) or "html" */
    NG_FIELD_META           /* a JSON object, as text */
} ng_field;

/* Creates an empty item for an embedder to fill with ng_item_set.
 * Returns NG_OK with *out (free with ng_item_free), NG_EINVAL when out is
 * NULL, or NG_ENOMEM. */
int ng_item_new(ng_item **out);

/* Sets field `f` to a copy of the NUL-terminated `value`; NULL clears it.
 * Returns NG_OK; NG_EINVAL for a NULL item, an unknown field, invalid
 * UTF-8, a time that is not RFC 3339, a format other than "text" or
 * "html", or meta that is not a JSON object; NG_ENOMEM.  On failure the
 * field keeps its old value. */
int ng_item_set(ng_item *it, ng_field f, const char *value);

/* The value of field `f` as set or read, or NULL when absent (or `it` is
 * NULL or `f` unknown).  The string lives until the field is set again or
 * the item is freed. */
const char *ng_item_get(const ng_item *it, ng_field f);

/* Appends an image; each string is copied and may be NULL.  Returns
 * NG_OK, NG_EINVAL (NULL item, invalid UTF-8) or NG_ENOMEM. */
int ng_item_add_image(ng_item *it, const char *url, const char *caption,
                      const char *credit);

/* Checks the item as the reader does: title and body present and not
 * blank, every field within `lim` (NULL: the defaults), and derives the
 * plain text of an HTML body.  ng_check calls it with the engine's limits
 * for items not yet validated.  Returns NG_OK; NG_EINPUT with the problem
 * written to `err` (errlen bytes; err may be NULL); NG_EINVAL when it is
 * NULL; NG_ENOMEM. */
int ng_item_validate(ng_item *it, const ng_limits *lim, char *err,
                     size_t errlen);

/* Read-only access to an item's fields.  Each returns NULL when the field
 * is absent; the string lives as long as the item. */
const char *ng_item_title(const ng_item *it);
const char *ng_item_body(const ng_item *it);
const char *ng_item_url(const ng_item *it);
const char *ng_item_submitter(const ng_item *it);
const char *ng_item_external_id(const ng_item *it);

void ng_item_free(ng_item *it);

/* ------------------------------------------------------------------ */
/* Times                                                               */
/* ------------------------------------------------------------------ */

/* Parses an RFC 3339 time, "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)"
 * ('t' or a space for 'T', 'z' for 'Z'; fractions are dropped; a leap
 * second :60 counts as the next second).  Returns NG_OK with the unix
 * seconds in *unix_seconds, or NG_EINVAL (NULL argument or not such a
 * time; *unix_seconds is then 0). */
int ng_time_parse(const char *s, int64_t *unix_seconds);

/* Formats unix seconds as RFC 3339 in UTC, "YYYY-MM-DDTHH:MM:SSZ", into
 * buf (len bytes, 21 suffice for years 0..9999).  Returns NG_OK, or
 * NG_EINVAL when buf is NULL, too small or the year is outside 0..9999
 * (buf is then "" when len > 0). */
int ng_time_format(int64_t t, char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Engine                                                              */
/* ------------------------------------------------------------------ */

typedef struct ng_engine ng_engine;
typedef struct ng_verdict ng_verdict;
typedef struct ng_store ng_store;

typedef enum ng_action {
    NG_ACCEPT = 0,
    NG_REVIEW = 1,
    NG_REJECT = 2
} ng_action;

/* Returns "accept", "review" or "reject" ("unknown" for other values). */
const char *ng_action_name(ng_action a);

/* Creates an engine with its own sandboxed Lua state and no rules (the
 * rule DSL's prelude is built into the library).  `opts` may be NULL.
 * Returns NG_OK, NG_EINVAL (out is NULL), NG_ENOMEM, or NG_EINTERNAL
 * when the Lua state cannot be set up. */
int ng_engine_open(ng_engine **out, const ng_engine_options *opts);

/* Loads every *.lua file of `dir` in byte order of their names, replacing
 * any rules loaded before only when all of them load.  Returns NG_OK,
 * NG_EINVAL (NULL argument), NG_ENOMEM, or NG_ERULES with "file:line:
 * message" in ng_engine_errmsg. */
int ng_engine_load_rules(ng_engine *e, const char *dir);

/* Number of rules loaded (0 for NULL), and a hash (hex, 16 chars) of the
 * rule files' contents, stored with every verdict in the audit log
 * ("0000000000000000" when no rules are loaded or e is NULL). */
size_t ng_engine_rule_count(const ng_engine *e);
const char *ng_engine_rules_hash(const ng_engine *e);

/* Attaches a store for look-ups made by rules (history, duplicates).
 * The store is borrowed: it must outlive the engine or be detached with
 * ng_engine_use_store(e, NULL).  Returns NG_OK, or NG_EINVAL when e is
 * NULL. */
int ng_engine_use_store(ng_engine *e, ng_store *s);

/* Runs every rule over `item`.  An item not yet validated (one built with
 * ng_item_set) is first checked with ng_item_validate under the engine's
 * `limits`.  Returns NG_OK with a verdict, even when some rules failed
 * (their failures are in the verdict's errors); NG_EINVAL when an
 * argument is NULL; NG_EINPUT when the item fails validation (the problem
 * in ng_engine_errmsg); NG_ENOMEM / NG_EINTERNAL when no verdict could be
 * made.  *out is NULL on failure. */
int ng_check(ng_engine *e, ng_item *item, ng_verdict **out);

/* The message for the last failure on this engine, "" if none (or e is
 * NULL). */
const char *ng_engine_errmsg(const ng_engine *e);

void ng_engine_close(ng_engine *e);

/* ------------------------------------------------------------------ */
/* Verdicts                                                            */
/* ------------------------------------------------------------------ */

/* One rule that fired.  Strings live as long as the verdict. */
typedef struct ng_hit {
    const char *rule;
    const char *group;
    const char *description;
    const char *detail;      /* may be NULL */
    const char *field;       /* field matched, may be NULL */
    double score;            /* 0 for shadow rules */
    long span_start, span_end; /* byte offsets in field, -1 if none */
    int shadow;              /* 1 when the rule runs in shadow mode */
    const char *forced;      /* action this hit forces, or NULL */
    const long *spans;       /* every span as start, end pairs (the first
                                is span_start, span_end), or NULL */
    size_t nspans;           /* number of pairs in spans (0 or >= 1) */
    int braked;              /* 1 when the emergency brake switched the
                                rule to shadow mode (shadow is 1 too) */
    int64_t ref;             /* a stored item the hit refers to (the
                                earlier item of a duplicate), 0 if none;
                                fields are only ever appended */
} ng_hit;

/* One rule that failed to run (error, budget, memory). */
typedef struct ng_rule_error {
    const char *rule;
    const char *message;
} ng_rule_error;

/* Verdict accessors.  None fails; each accepts NULL, for which it returns
 * NG_ACCEPT, 0 or NULL. */
/* The action the total score (or a forcing rule) decided. */
ng_action ng_verdict_action(const ng_verdict *v);
/* The total score of the enforcing rules that fired. */
double ng_verdict_score(const ng_verdict *v);
/* Number of hits. */
size_t ng_verdict_hit_count(const ng_verdict *v);
/* Returns the i-th hit, or NULL when i is out of range. */
const ng_hit *ng_verdict_hit(const ng_verdict *v, size_t i);
/* Number of rules that failed to run. */
size_t ng_verdict_error_count(const ng_verdict *v);
/* Returns the i-th rule error, or NULL when i is out of range. */
const ng_rule_error *ng_verdict_error(const ng_verdict *v, size_t i);
/* Microseconds spent checking the item. */
uint64_t ng_verdict_total_us(const ng_verdict *v);
/* The body with the spans rules marked as furniture removed (see
 * docs/verdict.md, "cleaned_body"), or NULL when nothing was marked.  The
 * string lives as long as the verdict. */
const char *ng_verdict_cleaned_body(const ng_verdict *v);

/* Serialises the verdict as one line of JSON (no newline); see
 * docs/verdict.md for the schema.  `id` is included when > 0.  Returns a
 * string to free with ng_free, or NULL when out of memory or v is NULL. */
char *ng_verdict_json(const ng_verdict *v, int64_t id);

/* The same verdict as readable text for a terminal: a headline with the
 * action and score, a line per hit with its detail, the rule errors.
 * `color` adds ANSI colours.  Returns a string to free with ng_free, or
 * NULL when out of memory or v is NULL. */
char *ng_verdict_text(const ng_verdict *v, int64_t id, int color);

void ng_verdict_free(ng_verdict *v);

/* Escapes text for showing on a terminal: control characters (C0, DEL,
 * C1 U+0080..U+009F), invisible direction and line controls (U+061C,
 * U+200E, U+200F, U+2028..U+202E, U+2066..U+2069) and bytes that are not
 * valid UTF-8 become visible escapes (\n, \x1b, \u202e, \xff), and a
 * backslash becomes \\, so text from a submission or a rule cannot move
 * the cursor, recolour, retitle or clear the terminal.  With
 * NG_ESCAPE_KEEP_NEWLINES a newline stays a line break (for showing a
 * body); with NG_ESCAPE_KEEP_BACKSLASH a backslash stays one (for text
 * full of them, such as the patterns `newsgate lint` quotes, where an
 * escape and the same literal text may then look alike).  `s` may be
 * NULL (read as "").  ng_verdict_text escapes this way.  Returns a
 * string to free with ng_free, or NULL when out of memory. */
#define NG_ESCAPE_KEEP_NEWLINES 0x1
#define NG_ESCAPE_KEEP_BACKSLASH 0x2
char *ng_text_escape(const char *s, size_t len, int flags);

/* ------------------------------------------------------------------ */
/* Store and moderation queue                                          */
/* ------------------------------------------------------------------ */

/* Flags for ng_store_open. */
#define NG_STORE_READONLY 0x1   /* look-ups only; never writes */
#define NG_STORE_NOSYNC   0x2   /* commits are not flushed to disk
                                   (tests, throwaway databases) */

/* Opens (creating when absent, unless read-only) the store at `path`,
 * applying migrations.  The backend is chosen from `path`: a
 * "postgresql://" or "postgres://" URL is refused with NG_EINVAL (this
 * build has no PostgreSQL support yet); anything else is a SQLite file.
 * Returns NG_OK; NG_EINVAL (out or path NULL or empty, or a URL of a
 * backend not built in); NG_ENOMEM; NG_EVERSION a newer schema; NG_ENOTDB
 * a file that is not a database; NG_EIO a missing or read-only directory,
 * or a read-only open of a missing file; NG_ESTORE another database
 * failure.  The file is never overwritten.  On failure *out is NULL and a
 * message naming the path and the problem is written to `err` (of
 * `errlen` bytes; may be NULL). */
int ng_store_open(ng_store **out, const char *path, int flags,
                  char *err, size_t errlen);

/* The message of the last failure on `s` ("" if none, "no store" for NULL).  Lives
 * until the next call on `s`. */
const char *ng_store_errmsg(const ng_store *s);

/* Closes the store, rolling back an open batch.  NULL is a no-op. */
void ng_store_close(ng_store *s);

/* How long a write waits for a lock another connection holds before it
 * fails with NG_EBUSY, in milliseconds (30,000 from ng_store_open; 0
 * fails at once).  Returns NG_OK, or NG_EINVAL for a NULL store or a
 * negative `ms`. */
int ng_store_set_busy_timeout(ng_store *s, int ms);

/* Groups the following submits into one transaction (faster for
 * streams).  Ids reported inside a batch are durable only once
 * ng_store_batch_commit returns NG_OK.  All three return NG_EINVAL for a
 * NULL store.  begin: NG_OK, NG_ESTATE (a batch is open, or the store is
 * read-only), NG_EBUSY, NG_ESTORE.  commit: NG_OK, NG_ESTATE (no batch
 * open), NG_EBUSY, NG_ESTORE (the batch is then rolled back).  rollback:
 * NG_OK (also when no batch is open) or NG_ESTORE. */
int ng_store_batch_begin(ng_store *s);
int ng_store_batch_commit(ng_store *s);
int ng_store_batch_rollback(ng_store *s);

/* Like ng_store_batch_begin, but the batch is all or nothing: the items
 * filed in it are not each guarded by a savepoint of their own (which
 * costs a copy of every page an item touches), so when one fails, the
 * whole batch is rolled back at once: that call returns its error, every
 * later write returns NG_ESTATE, and ng_store_batch_commit returns
 * NG_ESTORE ("rolled back") and closes the batch (as does
 * ng_store_batch_rollback, with NG_OK).  For writers that give up on
 * their batch when an item fails.  A backend that must retry items after
 * a lost race (PostgreSQL) keeps them guarded: the batch is then an
 * ordinary one.  Returns as ng_store_batch_begin. */
int ng_store_batch_begin_whole(ng_store *s);

/* Checks `item` with `e` and files it with its verdict: status is the
 * verdict's action (accepted, review, rejected).  When the item carries an
 * external_id already stored, nothing is stored and *existed is set to 1,
 * *id to the earlier item and *out to NULL.  Returns NG_OK, NG_ESTORE,
 * NG_EBUSY, NG_ESTATE (the store is read-only), NG_EINVAL (a NULL
 * argument; id, existed and out are all required), or what ng_check
 * returns (NG_EINPUT, NG_ENOMEM, NG_EINTERNAL). */
int ng_submit(ng_engine *e, ng_store *s, ng_item *item, int64_t *id,
              int *existed, ng_verdict **out);

/* ng_submit in two steps, for embedders that check on several threads and
 * file on one (the server): checking is the costly part, filing must see
 * every item filed before it.
 *
 * ng_submit_check does the part of ng_submit's check that does not
 * depend on the store: every rule runs (rules the emergency brake
 * switched off, as read from the engine's attached store, which may be
 * read-only, as shadow rules), but the rules that look at the store find
 * none, as under ng_check without a store, and are marked to run again
 * when filed.  So its verdict is a first pass for ng_submit_file, not
 * one to show.  Returns as ng_check.
 *
 * ng_submit_file then files it with `s`, like ng_submit, given that
 * verdict `checked` (from ng_submit_check, or ng_check, by any engine
 * with the same rules; NULL: check from scratch).  It re-runs, against
 * `s` as it is now, only the rules whose first run looked at the store
 * (duplicates, history, sources, the learner), and takes the other
 * rules' results from `checked`; so two copies checked at the same moment
 * are still told apart when filed, and the verdict filed is the one
 * ng_submit would give.
 * When the rules differ (a reload in between) or the verdict cannot be
 * replayed, every rule runs again.  *rechecked (may be NULL) is set to 1
 * for a partial re-check, 2 for a full one.  `checked` stays the
 * caller's; *out is the verdict filed.  Returns as ng_submit. */
int ng_submit_check(ng_engine *e, ng_item *item, ng_verdict **out);
int ng_submit_file(ng_engine *e, ng_store *s, ng_item *item,
                   const ng_verdict *checked, int64_t *id, int *existed,
                   ng_verdict **out, int *rechecked);

/* Tells engine e that the items it checks with ng_submit_check will be
 * filed into `s` (by another engine, on another thread): the check then
 * also makes the texts in the form s's backend stores them (the SQLite
 * backend compresses the item), so the filing thread does not.  Without
 * it, ng_submit_check does so for the store attached to e, if any.  s is
 * only looked at for its backend, never used, so it may be in use by
 * another thread; NULL forgets it.  Returns NG_OK, or NG_EINVAL when e
 * is NULL.  Not thread-safe with respect to e. */
int ng_engine_files_into(ng_engine *e, const ng_store *s);

/* ---- reference sources --------------------------------------------- */

/* Registers `item` (title and body) as an article of `publisher` (and
 * its web `domain`, may be NULL) in the store's reference sources, a
 * collection apart from the queue that item:copied_from() searches.
 * Sets *id.  Returns NG_OK, NG_EINVAL (a NULL argument or an empty
 * publisher), NG_ESTATE (read-only store), NG_ENOMEM, NG_EBUSY or
 * NG_ESTORE.  Inside ng_store_batch_begin/commit many adds share one
 * transaction. */
int ng_sources_add(ng_store *s, ng_item *item, const char *publisher,
                   const char *domain, int64_t *id);

/* One registered source as listed; the strings live until fn returns. */
typedef struct ng_source_info {
    int64_t id;
    const char *publisher, *domain, *title;     /* domain may be NULL */
    int64_t added_at;                           /* unix seconds */
    const char *body;   /* its text: set by ng_sources_get only, and NULL
                           for sources registered before the store kept
                           it (schema version 8) */
} ng_source_info;

/* Called once per source; return 0 to go on, anything else to stop. */
typedef int (*ng_source_fn)(void *arg, const ng_source_info *src);

/* Lists the registered sources by id.  Returns NG_OK, NG_EINVAL,
 * NG_EINTERNAL (fn stopped the list), NG_EBUSY or NG_ESTORE. */
int ng_sources_list(ng_store *s, ng_source_fn fn, void *arg);

/* Hands the source with `id`, its text included, to fn (once).  Returns
 * NG_OK, NG_ENOTFOUND, NG_EINVAL, NG_EINTERNAL (fn returned non-zero),
 * NG_EBUSY or NG_ESTORE. */
int ng_sources_get(ng_store *s, int64_t id, ng_source_fn fn, void *arg);

/* Removes every source of `publisher` or, when it is NULL, the one with
 * `id`; sets *removed.  Returns NG_OK, NG_EINVAL, NG_ESTATE, NG_EBUSY or
 * NG_ESTORE. */
int ng_sources_remove(ng_store *s, const char *publisher, int64_t id,
                      int64_t *removed);

/* Queue filter for ng_queue_list and ng_queue_total.  Zero/NULL fields
 * do not filter.  Fields are only ever appended. */
typedef struct ng_queue_filter {
    const char *status;     /* accepted, review, rejected, published */
    const char *rule;       /* items on which this rule fired */
    int64_t since;          /* unix seconds, submitted at or after */
    int64_t limit;          /* default 50 */
    const char *submitter;  /* items of this submitter */
    int64_t after;          /* only ids greater than this (paging) */
    int64_t decided_since;  /* only items a person decided at or after
                               this (unix seconds) */
    int64_t offset;         /* skip this many matching items (paging) */
} ng_queue_filter;

/* Lists items as a JSON array of summaries (id, status, action, score,
 * title, submitter, submitted_at, decided_by, the names of the rules that
 * fired and of their groups as arrays `rules` and `groups`, and why the
 * item is there: forced_by, the rule that forced its action or null, and
 * top_rules, up to 3 enforcing rules that fired, highest score first),
 * oldest first: by id, or by (submitted_at, id) when `since` or
 * `submitter` filters.  Every filter is answered from an index.  *json is
 * freed with ng_free.  `f` may be NULL.  Returns NG_OK, NG_EINVAL (s or
 * json NULL; *json is set to NULL whenever json is not; or a status that
 * is not one of the four, or a rule name no stored item was ever checked
 * with, with the problem in ng_store_errmsg), NG_ENOMEM, NG_EBUSY or
 * NG_ESTORE. */
int ng_queue_list(ng_store *s, const ng_queue_filter *f, char **json);

/* The number of items `f` matches, ignoring its limit and offset (for
 * "N of TOTAL" and paging).  Returns NG_OK with *total, or the errors of
 * ng_queue_list. */
int ng_queue_total(ng_store *s, const ng_queue_filter *f, int64_t *total);

/* One item in full as JSON: fields, verdict with every hit, audit trail.
 * Returns NG_OK, NG_ENOTFOUND when there is no such id, NG_EINVAL (s or
 * json NULL), NG_ENOMEM, NG_EBUSY or NG_ESTORE. */
int ng_queue_show(ng_store *s, int64_t id, char **json);

/* Moderator decisions.  `by` is required; `note` may be NULL for
 * approve, the reason is required for reject.  Decisions stick: later
 * automatic runs never overturn them.  Each is one durable transaction
 * with its audit entry.  Approving also teaches the spam learner that
 * the item is ham (ng_learn, in the same transaction, with a "learn"
 * audit entry when that changed anything).  Returns NG_OK, NG_EINVAL (no
 * store, no `by`, no reason), NG_ENOTFOUND (no such item), NG_ESTATE
 * (already published, or the store is read-only), NG_EBUSY or
 * NG_ESTORE. */
int ng_queue_approve(ng_store *s, int64_t id, const char *by,
                     const char *note);
int ng_queue_reject(ng_store *s, int64_t id, const char *by,
                    const char *reason);

/* ng_queue_reject, and the item is learned as spam in the same
 * transaction (the moderator's "reject as spam").  Same returns. */
int ng_queue_reject_spam(ng_store *s, int64_t id, const char *by,
                         const char *reason);

/* Publisher hand-off.  A lease_seconds of 0 or less means 300 s.  `by`
 * names the consumer and may be NULL; with NULL, ack and release do not
 * check who holds the claim.  ng_queue_claim hands out the oldest accepted or
 * approved item that is not published and not under a live lease, leased
 * for `lease_seconds`; NG_EEMPTY when there is none.  ack marks it
 * published; release gives it back.  Each is one transaction with its
 * audit entry.  Returns NG_OK; NG_EINVAL (no store; claim: id NULL);
 * NG_EEMPTY (claim: nothing to claim); NG_ENOTFOUND (no such item);
 * NG_ESTATE (the item is not claimed, is claimed by another `by`, or the
 * store is read-only); NG_EBUSY or NG_ESTORE.  On failure claim sets *id
 * to 0. */
int ng_queue_claim(ng_store *s, int lease_seconds, const char *by,
                   int64_t *id);
int ng_queue_ack(ng_store *s, int64_t id, const char *by);
int ng_queue_release(ng_store *s, int64_t id, const char *by);

/* ------------------------------------------------------------------ */
/* Spam learner                                                        */
/* ------------------------------------------------------------------ */

/* Learns `item` as spam (`spam` = 1) or ham (0): its words, word pairs
 * and link hosts count towards that class in the store (docs/spam.md).
 * Items are keyed by their normalized text: learning one again as the
 * same class changes nothing, as the other class moves it.  *changed
 * (may be NULL) is 0 when nothing changed, 1 when learned, 2 when moved.
 * Runs in its own transaction (a savepoint inside a batch).  Rules see
 * the result through item:spam_probability() once at least 10 items of
 * each class are learned.  An item built with ng_item_set is validated
 * first (NG_EINPUT when it does not pass).  Returns NG_OK, NG_EINVAL,
 * NG_EINPUT, NG_ESTATE (the store is read-only), NG_ESTORE, NG_EBUSY or
 * NG_ENOMEM. */
int ng_learn(ng_store *s, ng_item *item, int spam, int *changed);

/* ------------------------------------------------------------------ */
/* Queue figures (added for the submission server)                     */
/* ------------------------------------------------------------------ */

/* Stored items by status; `total` counts every item. */
typedef struct ng_queue_counts {
    int64_t accepted, review, rejected, published, total;
} ng_queue_counts;

/* Counts the stored items by status (one read; a read-only store will
 * do).  Returns NG_OK, or NG_EINVAL / NG_ESTORE with the message on the
 * store; *out is zeroed on failure.  Thread-safety as for every store
 * call: one thread per handle. */
int ng_queue_count(ng_store *s, ng_queue_counts *out);

/* ------------------------------------------------------------------ */
/* Emergency brake                                                     */
/* ------------------------------------------------------------------ */

/* While items are submitted, an enforcing rule that suddenly hits a much
 * larger share of recent submissions than before (see brake_* in
 * ng_engine_options) is switched to shadow mode: its hits are listed with
 * "braked": true and never score or force, the switch is recorded in the
 * audit log of the item that tripped it, and it lasts until an operator
 * re-enables the rule. */

/* Lists the braked rules as a JSON array of {rule, at, item, reason}.
 * *json is freed with ng_free.  Returns NG_OK, NG_EINVAL, NG_ENOMEM or a
 * store error. */
int ng_brakes(ng_store *s, char **json);

/* Re-enables a braked rule; `by` (required) is recorded in the audit log.
 * Returns NG_OK, NG_ENOTFOUND (the rule is not braked), NG_EINVAL,
 * NG_ESTATE (read-only store) or a store error. */
int ng_brake_release(ng_store *s, const char *rule, const char *by);

/* Per-rule figures over the items submitted at or after `since` (unix
 * seconds) as JSON: {"items": N, "rules": [{rule, hits, share, errors,
 * mean_us, worst_us, rejected, approved, precision, braked}]} where
 * rejected/approved count hits on items a moderator decided so, and
 * precision is rejected / (rejected + approved) or null.  *json is freed
 * with ng_free.  Returns NG_OK, NG_EINVAL, NG_ENOMEM or a store error. */
int ng_rule_stats(ng_store *s, int64_t since, char **json);

#ifdef __cplusplus
}
#endif
#endif /* NEWSGATE_H */
