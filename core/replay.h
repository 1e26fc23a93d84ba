/*
 * replay.h -- reruns a rule set over the items of a store (`newsgate
 * replay`): what would change, each rule's hits before and after, and
 * each rule's agreement with the moderators' decisions.
 *
 * Each item is checked against the store itself with a horizon set: the
 * look-ups rules make see only the items that arrived before it, each
 * with the status it had then, so an item never matches itself or a
 * later item.  The store is only read, except with `apply`, which files
 * the new automatic verdicts and never overturns a moderator's decision
 * (ng__store_refile).
 *
 * Convention: functions return NG_OK or an NG_E* code with a message in
 * the caller's buffer; the report owns its strings.
 */
#ifndef NG_REPLAY_H
#define NG_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include "newsgate.h"

typedef struct ng__replay_opts {
    int64_t since;      /* report items submitted at or after (unix s) */
    size_t limit;       /* report at most this many items; 0: all */
    int apply;          /* file the new verdicts in the source store */
} ng__replay_opts;

/* An item whose action changes, and the rules that made the change:
 * "+NAME" fires now and did not, "-NAME" fired and does not now. */
typedef struct ng__replay_change {
    int64_t id;
    const char *before, *after;   /* action names (static strings) */
    char *rules;                  /* "+A -B", may be "" */
    int decided;                  /* a moderator decided this item */
} ng__replay_change;

/* One rule's figures over the replayed items.  on_rejected / on_approved
 * count its hits on items a moderator rejected / approved. */
typedef struct ng__replay_rule {
    char *name;
    size_t before, after;
    size_t rejected_before, approved_before;
    size_t rejected_after, approved_after;
} ng__replay_rule;

typedef struct ng__replay_report {
    size_t items;       /* items replayed and reported */
    size_t context;     /* items before since: seen by look-ups only */
    size_t decided;     /* reported items a moderator decided */
    size_t applied;     /* verdicts filed with apply */
    size_t kept;        /* with apply: items left alone (decided, published) */
    size_t errors;      /* rule errors met while replaying */
    ng__replay_change *changes;
    size_t nchanges, capchanges;
    ng__replay_rule *rules;
    size_t nrules, caprules;
} ng__replay_report;

/* Replays the items of `src` (those `o` selects) with the rules loaded
 * in `e`.  Returns NG_OK with *out set, or an error code with *out NULL
 * and a message in err. */
int ng__replay(ng_engine *e, ng_store *src, const ng__replay_opts *o,
               ng__replay_report **out, char *err, size_t errlen);

void ng__replay_report_free(ng__replay_report *r);

#endif
