/*
 * verdict.h -- the private shape of a verdict, shared by the engine that
 * builds it, the JSON/text writers and the store that files it.
 */
#ifndef NG_VERDICT_H
#define NG_VERDICT_H

#include <stddef.h>
#include <stdint.h>
#include "newsgate.h"

/* Per-rule run figures, one per rule evaluated (hit or not), in rule
 * order.  The store keeps them so later tools can report hit rates and
 * costs per rule. */
typedef struct ng__rule_run {
    const char *rule;    /* points into the verdict's string pool */
    uint32_t us;         /* microseconds spent in the rule */
    unsigned hit : 1, failed : 1, shadow : 1;
    unsigned store : 1;  /* the rule read the store (history, duplicates,
                            sources, the learner) during this run */
    unsigned cut : 1;    /* the rule marked body furniture */
} ng__rule_run;

/* A furniture span of the body, 0-based, end-exclusive. */
typedef struct ng__cut {
    long start, end;
} ng__cut;

typedef struct ng__group_total {
    const char *group;
    double score;
} ng__group_total;

struct ng_verdict {
    ng_action action;
    double score;
    double th_review, th_reject;  /* thresholds in force */
    const char *forced;           /* action forced by a rule, or NULL */
    const char *forced_by;        /* the rule that forced it */

    ng_hit *hits;
    size_t nhits, caphits;
    ng_rule_error *errors;
    size_t nerrors, caperrors;
    ng_rule_error *debug;         /* log(...) lines: rule and message */
    size_t ndebug, capdebug;
    ng__rule_run *runs;
    size_t nruns, capruns;
    ng__group_total *groups;
    size_t ngroups, capgroups;

    ng__cut *cuts;        /* furniture spans rules marked in the body */
    size_t ncuts, capcuts;  /* after ng__verdict_clean: merged */
    char *cleaned;        /* the body without them, or NULL if none */
    size_t cut_bytes;     /* bytes of the body cut */

    uint64_t total_us;
    int profiled;         /* the engine's profile option was on */
    uint64_t analysis_us; /* then: the shared text analysis, timed apart */
    char *rules_hash;     /* hash of the rule set that produced it */

    /* Item provenance for output. */
    char *origin;
    size_t index;

    char *json;           /* JSON form for json_id, once made */
    int64_t json_id;

    char **pool;          /* owned blocks the fields above point into */
    size_t npool, cappool;
    size_t pool_used, pool_size;  /* of the last block */
};

/* Allocates an empty verdict, or NULL. */
ng_verdict *ng__verdict_new(void);

/* Copies `s` (may be NULL) into the verdict's pool; returns the copy, or
 * NULL on no memory (or when s is NULL). */
const char *ng__verdict_str(ng_verdict *v, const char *s);

/* The verdict's JSON with `id` (as ng_verdict_json), kept on the verdict
 * so the store and the printer make it once.  Returns NULL on no memory;
 * the string lives until the verdict is freed or asked for another id. */
const char *ng__verdict_json(ng_verdict *v, int64_t id);

/* Writes the verdict's JSON with `id` (left out when 0) in one pass, the
 * bytes jansson's compact dump made (verdict_json.c).  Returns a new
 * string or NULL on no memory. */
char *ng__verdict_make_json(const ng_verdict *v, int64_t id);

/* Appends a hit / error / run (strings already pooled).  Return 0 or -1. */
int ng__verdict_add_hit(ng_verdict *v, const ng_hit *h);
int ng__verdict_add_error(ng_verdict *v, const char *rule, const char *msg);
int ng__verdict_add_run(ng_verdict *v, const ng__rule_run *r);
/* Makes room for n runs at once (a check runs every rule: one
 * allocation, not four doublings).  Returns 0 or -1 on no memory. */
int ng__verdict_reserve_runs(ng_verdict *v, size_t n);
/* Appends a line a rule wrote with log(...).  Returns 0 or -1. */
int ng__verdict_add_debug(ng_verdict *v, const char *rule, const char *msg);

/* For a re-check (engine_replay.c): copies rule's errors and log lines
 * from `old` into v and its hit, if any, into *hit (strings pooled in v;
 * *has_hit 1); and all of old's furniture cuts.  Return 0 or -1. */
int ng__verdict_copy_rule(ng_verdict *v, const ng_verdict *old,
                          const char *rule, ng_hit *hit, int *has_hit);
int ng__verdict_copy_cuts(ng_verdict *v, const ng_verdict *old);

/* Copies n span pairs (start, end) into the verdict's pool; returns the
 * copy or NULL on no memory. */
long *ng__verdict_spans(ng_verdict *v, const long *pairs, size_t n);

/* Adds `score` to the total of `group`.  Returns 0 or -1. */
int ng__verdict_add_group(ng_verdict *v, const char *group, double score);

/* Marks body bytes [start, end) as furniture (verdict_clean.c); empty or
 * negative spans are ignored.  Returns 0 or -1 on no memory. */
int ng__verdict_add_cut(ng_verdict *v, long start, long end);

/* Builds v->cleaned from `text` (the body the rules saw) without the
 * marked spans, once, after the last rule; merges v->cuts.  Nothing
 * marked leaves v->cleaned NULL.  Returns 0 or -1 on no memory. */
int ng__verdict_clean(ng_verdict *v, const char *text);

/* After the clean phase: builds v->cleaned and gives the item a copy
 * (ng_item.cleaned_body) so its duplicate keys read the cleaned text,
 * dropping keys computed before.  Returns 0 or -1 on no memory. */
int ng__verdict_clean_item(ng_verdict *v, struct ng_item *it);

#endif
