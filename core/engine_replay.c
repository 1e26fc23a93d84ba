/*
 * engine_replay.c -- what a re-check (ng__engine_recheck) takes over from
 * an item's first check instead of running it again.
 *
 * A server checks an item on one thread against a read-only view of the
 * store and files it on another, the writer, where items filed in the
 * meantime (a duplicate sent at the same moment, the submitter's other
 * items) are visible.  Only rules that read the store can see the
 * difference: every other rule is a function of the item and the rule
 * set alone.  So the writer re-runs the rules whose first run read the
 * store and replays the rest from the first verdict: their hit (strings
 * copied into the new verdict's pool), error, log lines and run figures.
 * ng__replay_usable says when that is sound; otherwise the re-check runs
 * every rule.
 */
#include <string.h>

#include "engine.h"
#include "engine_impl.h"
#include "verdict.h"

/* The k-th run of a check is rule `order(k)`: the clean phase's rules
 * first, then the others, each in load order.  Returns the rule or NULL
 * when k is past the set. */
static const ng__rule *rule_at(const ng__rule_set *set, size_t k)
{
    for (int clean = 1; clean >= 0; clean--)
        for (size_t i = 0; i < set->n; i++)
            if (!set->rules[i].clean == !clean && k-- == 0)
                return &set->rules[i];
    return NULL;
}

int ng__replay_usable(const ng_engine *e, const ng_verdict *old)
{
    if (!old->rules_hash || strcmp(old->rules_hash, e->set.hash) != 0
        || old->nruns != e->set.n || e->opts.debug || e->opts.profile)
        return 0;
    for (size_t k = 0; k < old->nruns; k++) {
        const ng__rule *r = rule_at(&e->set, k);
        const ng__rule_run *run = &old->runs[k];
        int shadow = r->shadow || (e->nbraked && ng__engine_braked(e, r->name));

        if (!run->rule || strcmp(run->rule, r->name) != 0)
            return 0;
        /* The clean phase is replayed whole; a rule re-run must not
         * have cut furniture (its cuts cannot be told from the others'),
         * and a replayed hit keeps the brake's verdict on it. */
        if ((run->store && (r->clean || run->cut))
            || (!run->store && (unsigned)shadow != run->shadow))
            return 0;
    }
    return 1;
}

/* Copies the pairs of `rule` in from[0..n) with `add`.  Returns 0 or -1. */
static int copy_pairs(ng_verdict *v, const ng_rule_error *from, size_t n,
                      const char *rule,
                      int (*add)(ng_verdict *, const char *, const char *))
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(from[i].rule, rule) == 0
            && add(v, from[i].rule, from[i].message) < 0)
            return -1;
    return 0;
}

int ng__verdict_copy_rule(ng_verdict *v, const ng_verdict *old,
                          const char *rule, ng_hit *hit, int *has_hit)
{
    *has_hit = 0;
    if (copy_pairs(v, old->errors, old->nerrors, rule,
                   ng__verdict_add_error) < 0
        || copy_pairs(v, old->debug, old->ndebug, rule,
                      ng__verdict_add_debug) < 0)
        return -1;
    for (size_t i = 0; i < old->nhits; i++) {
        const ng_hit *h = &old->hits[i];
        if (strcmp(h->rule, rule) != 0)
            continue;
        *hit = *h;
        hit->rule = ng__verdict_str(v, h->rule);
        hit->detail = h->detail ? ng__verdict_str(v, h->detail) : NULL;
        hit->field = h->field ? ng__verdict_str(v, h->field) : NULL;
        hit->spans = h->nspans ? ng__verdict_spans(v, h->spans, h->nspans)
                               : NULL;
        /* group and description are set by the engine from the rule;
         * forced is one of ng_action_name's static strings or NULL. */
        *has_hit = 1;
        return hit->rule && (!h->detail || hit->detail)
                       && (!h->field || hit->field)
                       && (!h->nspans || hit->spans) ? 0 : -1;
    }
    return 0;
}

int ng__verdict_copy_cuts(ng_verdict *v, const ng_verdict *old)
{
    for (size_t i = 0; i < old->ncuts; i++)
        if (ng__verdict_add_cut(v, old->cuts[i].start, old->cuts[i].end) < 0)
            return -1;
    return 0;
}
