/*
 * engine_brake.c -- the emergency brake in the engine and the store: the
 * engine's list of braked rules (which run as shadow rules), the brake's
 * windows fed by every filed verdict, and the operator's side (list and
 * release).  The detection itself is core/brake.c; the rows are the
 * store's rule_brakes table, reached through the backend operations.
 *
 * A trip is recorded in the same transaction as the item that tripped
 * it, with an audit entry on that item ("brake", "RULE: reason"); a
 * release adds an audit entry ("enable") on the same item.  Every
 * ng_submit reads the braked rules first, so a brake set by one process
 * holds in the others from their next submission.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "brake.h"
#include "engine.h"
#include "engine_impl.h"
#include "grow.h"
#include "store_api.h"
#include "verdict.h"

int ng__engine_braked(const ng_engine *e, const char *rule)
{
    for (size_t i = 0; i < e->nbraked; i++)
        if (strcmp(e->braked[i], rule) == 0)
            return 1;
    return 0;
}

static int add_braked(ng_engine *e, const char *rule)
{
    if (ng__engine_braked(e, rule))
        return NG_OK;
    if (ng__grow(&e->braked, &e->capbraked, e->nbraked, 1, sizeof *e->braked, 8) < 0)
        return NG_ENOMEM;
    if ((e->braked[e->nbraked] = strdup(rule)) == NULL)
        return NG_ENOMEM;
    e->nbraked++;
    return NG_OK;
}

static void clear_braked(ng_engine *e)
{
    for (size_t i = 0; i < e->nbraked; i++)
        free(e->braked[i]);
    e->nbraked = 0;
}

/* 1 when the rule in force named `name` says brake = false: its hits
 * are facts about the store (an exact copy of a stored text), and a
 * burst of them is a burst of duplicates to reject, not a rule gone
 * wrong.  Asked only on a trip or a stored brake row, so never per item. */
static int unbraked(const ng_engine *e, const char *name)
{
    for (size_t i = 0; i < e->set.n; i++)
        if (strcmp(e->set.rules[i].name, name) == 0)
            return e->set.rules[i].nobrake;
    return 0;
}

static int load_row(void *arg, const ng__brake_row *r)
{
    ng_engine *e = arg;

    /* A row set before the rule said brake = false holds it no more. */
    return r->released_after || unbraked(e, r->rule) ? NG_OK
                                                     : add_braked(e, r->rule);
}

int ng__engine_brakes_load(ng_engine *e, ng_store *s)
{
    clear_braked(e);
    return s->ops->brakes(s, load_row, e);
}

/* Seeding: the brake, and the releases (rule, last item then). */
typedef struct seed {
    ng__brake *b;
    struct release { char *rule; int64_t after; } *rel;
    size_t n, cap;
    const ng__rule_set *set;   /* the rules in force */
    unsigned char *seen;       /* per rule: a stored run for `cur` */
    int64_t cur;               /* item whose runs are being read, or 0 */
} seed;

static int seed_release(void *arg, const ng__brake_row *r)
{
    seed *sd = arg;

    if (!r->released_after)
        return NG_OK;
    if (ng__grow(&sd->rel, &sd->cap, sd->n, 1, sizeof *sd->rel, 4) < 0
        || !(sd->rel[sd->n].rule = strdup(r->rule)))
        return NG_ENOMEM;
    sd->rel[sd->n++].after = r->released_after;
    return NG_OK;
}

/* Feeds one run to the windows.  Runs of a released rule up to its
 * release are left out, so an operator's release is not undone by the
 * burst that caused the brake. */
static int seed_one(seed *sd, int64_t item_id, const char *rule, int hit)
{
    char why[160];

    for (size_t i = 0; i < sd->n; i++)
        if (item_id <= sd->rel[i].after && strcmp(sd->rel[i].rule, rule) == 0)
            return NG_OK;
    return ng__brake_observe(sd->b, rule, hit, why, sizeof why) < 0
        ? NG_ENOMEM : NG_OK;
}

/* The store keeps a run row only for hits, failures and timing samples
 * (store_api.c), so a rule of the set with no row for an item missed it:
 * feeds those misses once the item's rows are read. */
static int seed_misses(seed *sd)
{
    int rc = NG_OK;

    for (size_t i = 0; sd->cur && rc == NG_OK && i < sd->set->n; i++)
        if (!sd->seen[i])
            rc = seed_one(sd, sd->cur, sd->set->rules[i].name, 0);
    memset(sd->seen, 0, sd->set->n);
    return rc;
}

/* One stored row: (item, rule, hit), rule NULL for an item without
 * rows.  Rows come ordered by item. */
static int seed_run(void *arg, int64_t item_id, const char *rule, int hit)
{
    seed *sd = arg;
    int rc = NG_OK;

    if (item_id != sd->cur) {
        rc = seed_misses(sd);
        sd->cur = item_id;
    }
    if (rc != NG_OK || rule == NULL)
        return rc;
    for (size_t i = 0; i < sd->set->n; i++)
        if (strcmp(sd->set->rules[i].name, rule) == 0) {
            if (sd->seen[i])
                return NG_OK;
            sd->seen[i] = 1;
        }
    return seed_one(sd, item_id, rule, hit);
}

/* Makes the brake and fills its windows with the stored runs of the
 * last window + history items, so a process that starts knows each
 * rule's history.  The item just filed is not among them yet. */
static int open_brake(ng_engine *e, ng_store *s)
{
    ng__brake_opts o = { e->opts.brake_window, 0, e->opts.brake_share,
                         e->opts.brake_factor };
    seed sd = { NULL, NULL, 0, 0, &e->set, NULL, 0 };
    int rc;

    ng__brake_defaults(&o);
    if ((e->brake = sd.b = ng__brake_new(&o)) == NULL
        || (sd.seen = calloc(e->set.n + 1, 1)) == NULL)
        return NG_ENOMEM;
    rc = s->ops->brakes(s, seed_release, &sd);
    if (rc == NG_OK)
        rc = s->ops->recent_runs(s, (int64_t)(o.window + o.history) + 1,
                                 seed_run, &sd);
    if (rc == NG_OK)
        rc = seed_misses(&sd);
    free(sd.seen);
    /* Trips while seeding were the past's; the next outcome decides. */
    ng__brake_rearm(e->brake);
    for (size_t i = 0; i < sd.n; i++)
        free(sd.rel[i].rule);
    free(sd.rel);
    return rc;
}

int ng__engine_brake_observe(ng_engine *e, ng_store *s, const ng_verdict *v,
                             int64_t id)
{
    char why[160], detail[256];
    int rc = NG_OK;

    if (e->brake == NULL && (rc = open_brake(e, s)) != NG_OK)
        return rc;
    for (size_t i = 0; rc == NG_OK && i < v->nruns; i++) {
        const ng__rule_run *run = &v->runs[i];
        int t;
        if (run->shadow || run->failed)
            continue;
        if ((t = ng__brake_observe(e->brake, run->rule, run->hit, why,
                                   sizeof why)) < 0)
            return NG_ENOMEM;
        if (t == 0 || unbraked(e, run->rule))
            continue;
        ng__brake_row row = { run->rule, why, (int64_t)time(NULL), id, 0 };
        snprintf(detail, sizeof detail, "%s switched to shadow mode: %s",
                 run->rule, why);
        rc = s->ops->brake_set(s, &row);
        if (rc == NG_OK)
            rc = s->ops->audit(s, id, row.at, "newsgate", "brake", detail,
                               v->rules_hash);
        if (rc == NG_OK)
            rc = add_braked(e, run->rule);
    }
    return rc;
}

void ng__engine_brakes_free(ng_engine *e)
{
    clear_braked(e);
    free(e->braked);
    ng__brake_free(e->brake);
}

/* ---- operators -------------------------------------------------------- */

static int list_row(void *arg, const ng__brake_row *r)
{
    if (r->released_after)
        return NG_OK;
    json_t *o = json_pack("{s:s,s:I,s:I,s:s}", "rule", r->rule, "at",
                          (json_int_t)r->at, "item", (json_int_t)r->item_id,
                          "reason", r->reason);
    return o && json_array_append_new(arg, o) == 0 ? NG_OK : NG_ENOMEM;
}

int ng_brakes(ng_store *s, char **json)
{
    json_t *arr;
    int rc;

    if (json)
        *json = NULL;
    if (!s || !json)
        return NG_EINVAL;
    if ((arr = json_array()) == NULL)
        return NG_ENOMEM;
    rc = s->ops->brakes(s, list_row, arr);
    if (rc == NG_OK && !(*json = json_dumps(arr, JSON_COMPACT)))
        rc = NG_ENOMEM;
    json_decref(arr);
    return rc;
}

int ng_brake_release(ng_store *s, const char *rule, const char *by)
{
    int64_t item = 0;
    char detail[160];
    int rc;

    if (!s || !rule || !by || !*by)
        return NG_EINVAL;
    if (ng__store_readonly(s))
        return ng__store_fail(s, NG_ESTATE, "%s: store is read-only", s->path);
    if ((rc = ng__store_begin(s, 1)) != NG_OK)
        return rc;
    rc = s->ops->brake_clear(s, rule, &item);
    snprintf(detail, sizeof detail, "%s enabled again", rule);
    if (rc == NG_OK)
        rc = s->ops->audit(s, item, (int64_t)time(NULL), by, "enable", detail,
                           NULL);
    return ng__store_finish(s, rc);
}
