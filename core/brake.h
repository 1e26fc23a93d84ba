/*
 * brake.h -- the emergency brake: notices an enforcing rule that
 * suddenly hits a much larger share of recent submissions than its
 * history says, so the engine can switch it to shadow mode before it
 * rejects a whole day of submissions (MediaWiki AbuseFilter's throttle is
 * the model).
 *
 * Per rule it keeps the last `window` outcomes (hit or not) and, behind
 * them, the `history` outcomes before those.  A rule trips when it has at
 * least a window's worth of history, its hits in the window reach `share`
 * of it, and that is at least `factor` times its share over the history.
 * A rule new to the brake is never tripped before it has that history.  The brake only detects;
 * who records a trip (audit log) and applies it (shadow mode) is the
 * caller's business.  No state is shared between brakes.
 */
#ifndef NG_BRAKE_H
#define NG_BRAKE_H

#include <stddef.h>

typedef struct ng__brake_opts {
    size_t window;      /* recent submissions watched (default 100) */
    size_t history;     /* submissions before them (default 1000) */
    double share;       /* hit share of the window that trips (0.5) */
    double factor;      /* ... when that many times the history's (5) */
} ng__brake_opts;

typedef struct ng__brake ng__brake;

/* Fills zero fields of *o with the defaults. */
void ng__brake_defaults(ng__brake_opts *o);

/* A brake with options `o` (NULL: defaults), or NULL on no memory. */
ng__brake *ng__brake_new(const ng__brake_opts *o);
void ng__brake_free(ng__brake *b);

/* Records one submission's outcome for `rule`.  Returns 1 when this
 * outcome trips the brake for the rule (once; see ng__brake_reset), with
 * the reason in why ("hit 97 of the last 100 submissions; 2.0% before"),
 * 0 otherwise, -1 on no memory. */
int ng__brake_observe(ng__brake *b, const char *rule, int hit, char *why,
                      size_t whylen);

/* Forgets every rule's trip (not its outcomes): the next outcome that
 * finds a rule over the line trips it again. */
void ng__brake_rearm(ng__brake *b);

/* Forgets a rule's outcomes and its trip (an operator re-enabled it). */
void ng__brake_reset(ng__brake *b, const char *rule);

#endif
