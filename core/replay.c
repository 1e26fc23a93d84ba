/*
 * replay.c -- reruns a rule set over stored items (see replay.h).
 *
 * Items are read in arrival (id) order through the backend's own rows
 * (list for the ids, show for an item with its verdict and decision), and
 * each is checked against the same store with a horizon set on it: the
 * look-ups rules make (duplicates, history) see only the items with a
 * smaller id, and each with the status it had when this item arrived
 * (a moderator's decision taken later is hidden; one in the same second
 * counts as taken before).  Nothing is written and nothing is copied, so
 * a replay costs a read and a check per item.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "replay.h"
#include "replay_hits.h"
#include "store.h"
#include "store_api.h"

typedef struct replay {
    ng_engine *e;
    ng_store *src;
    const ng__replay_opts *o;
    ng__replay_report *r;
    struct entry { int64_t id, submitted_at; } *ids; /* oldest first */
    size_t nids, capids;
    char *err;
    size_t errlen;
    ng__old_hits old;         /* the stored verdict's hits, item by item */
} replay;

static ng__replay_rule *rule_of(ng__replay_report *r, const char *name)
{
    for (size_t i = 0; i < r->nrules; i++)
        if (strcmp(r->rules[i].name, name) == 0)
            return &r->rules[i];
    if (ng__grow(&r->rules, &r->caprules, r->nrules, 1, sizeof *r->rules, 16) < 0)
        return NULL;
    memset(&r->rules[r->nrules], 0, sizeof *r->rules);
    if ((r->rules[r->nrules].name = strdup(name)) == NULL)
        return NULL;
    return &r->rules[r->nrules++];
}

/* 1 when the old verdict's hits name `rule`. */
static int old_hit(const ng__old_hits *old, const char *rule)
{
    for (size_t i = 0; i < old->n; i++)
        if (old->names[i] && strcmp(old->names[i], rule) == 0)
            return 1;
    return 0;
}

static int new_hit(const ng_verdict *v, const char *rule)
{
    for (size_t i = 0; i < ng_verdict_hit_count(v); i++)
        if (strcmp(ng_verdict_hit(v, i)->rule, rule) == 0)
            return 1;
    return 0;
}

/* Counts hits before and after, and against the moderator's decision
 * (`decision`: 'r' rejected, 'a' approved, 0 none). */
static int count_rules(ng__replay_report *r, const ng__old_hits *old,
                       const ng_verdict *v, int decision)
{
    size_t i;
    ng__replay_rule *rr;

    for (i = 0; i < old->n; i++) {
        const char *name = old->names[i];
        if (!name || !(rr = rule_of(r, name)))
            return name ? NG_ENOMEM : NG_OK;
        rr->before++;
        rr->rejected_before += decision == 'r';
        rr->approved_before += decision == 'a';
    }
    for (i = 0; i < ng_verdict_hit_count(v); i++) {
        if (!(rr = rule_of(r, ng_verdict_hit(v, i)->rule)))
            return NG_ENOMEM;
        rr->after++;
        rr->rejected_after += decision == 'r';
        rr->approved_after += decision == 'a';
    }
    return NG_OK;
}

/* "+A -B": rules that hit now and not before, and the reverse. */
static char *changed_rules(const ng__old_hits *old, const ng_verdict *v)
{
    char *buf = NULL;
    size_t len = 0, i;
    FILE *f = open_memstream(&buf, &len);  /* len is valid after fclose */

    if (f == NULL)
        return NULL;
    for (i = 0; i < ng_verdict_hit_count(v); i++)
        if (!old_hit(old, ng_verdict_hit(v, i)->rule))
            fprintf(f, "%s+%s", ftell(f) > 0 ? " " : "", ng_verdict_hit(v, i)->rule);
    for (i = 0; i < old->n; i++) {
        const char *name = old->names[i];
        if (name && !new_hit(v, name))
            fprintf(f, "%s-%s", ftell(f) > 0 ? " " : "", name);
    }
    fclose(f);
    return buf;
}

static int add_change(ng__replay_report *r, int64_t id, const char *before,
                      const ng_verdict *v, const ng__old_hits *old,
                      int decided)
{
    ng__replay_change *c;

    if (ng__grow(&r->changes, &r->capchanges, r->nchanges, 1, sizeof *c, 16) < 0)
        return NG_ENOMEM;
    c = &r->changes[r->nchanges];
    c->id = id;
    c->after = ng_action_name(ng_verdict_action(v));
    c->before = strcmp(before, "reject") == 0 ? "reject"
              : strcmp(before, "review") == 0 ? "review" : "accept";
    c->decided = decided;
    if ((c->rules = changed_rules(old, v)) == NULL)
        return NG_ENOMEM;
    r->nchanges++;
    return NG_OK;
}

/* What a replay needs of a stored item, copied out of its show row. */
typedef struct stored {
    ng_item *it;
    char before[8];           /* the stored automatic action */
    int decision;             /* 'r' rejected, 'a' approved, 0 none */
    int64_t received_at;
} stored;

/* Show-row callback: reads the item and what its verdict and decision
 * were.  Returns NG_OK or an error with the message set. */
static int take_row(void *arg, const ng__show_row *row)
{
    replay *p = ((void **)arg)[0];
    stored *st = ((void **)arg)[1];
    ng_reader *rd;
    int rc;

    if (ng__old_hits_read(&p->old, row->verdict_json) < 0)
        return NG_ENOMEM;
    snprintf(st->before, sizeof st->before, "%s", row->action ? row->action : "");
    st->decision = !row->decided_by ? 0
                 : row->status && strcmp(row->status, "rejected") == 0 ? 'r' : 'a';
    st->received_at = row->received_at;
    rc = ng_reader_open(&rd, "store", row->item_json, strlen(row->item_json),
                        NG_FORMAT_JSON, NULL);
    if (rc == NG_OK) {
        rc = ng_reader_next(rd, &st->it);
        if (rc != NG_OK)
            snprintf(p->err, p->errlen, "item %lld: %s", (long long)row->id,
                     ng_reader_errmsg(rd));
        ng_reader_close(rd);
    }
    return rc == NG_OK ? NG_OK : NG_ESTORE;
}

/* Compares, counts and (with apply) files one item. */
static int report_item(replay *p, int64_t id, const stored *st, const ng_verdict *v)
{
    const char *after = ng_action_name(ng_verdict_action(v));
    int rc, changed;

    p->r->items++;
    p->r->decided += st->decision != 0;
    p->r->errors += ng_verdict_error_count(v);
    rc = count_rules(p->r, &p->old, v, st->decision);
    if (rc == NG_OK && strcmp(st->before, after) != 0)
        rc = add_change(p->r, id, st->before, v, &p->old, st->decision != 0);
    if (rc == NG_OK && p->o->apply) {
        rc = ng__store_refile(p->src, id, v, &changed);
        if (rc != NG_OK)
            snprintf(p->err, p->errlen, "%s", ng_store_errmsg(p->src));
        p->r->applied += changed;
        p->r->kept += !changed;
    }
    return rc;
}

/* Replays item `id`: checks it against the store as it was when the item
 * arrived (the horizon) and reports it. */
static int replay_one(replay *p, int64_t id)
{
    stored st;
    void *arg[2] = { p, &st };
    ng_verdict *v = NULL;
    int rc;

    memset(&st, 0, sizeof st);
    rc = p->src->ops->show(p->src, id, take_row, arg);
    if (rc != NG_OK && !p->err[0])
        snprintf(p->err, p->errlen, "item %lld: %s", (long long)id,
                 ng_store_errmsg(p->src));
    if (rc == NG_OK) {
        p->src->horizon = id;
        p->src->horizon_at = st.received_at;
        rc = ng_check(p->e, st.it, &v);
        p->src->horizon = p->src->horizon_at = 0;
        if (rc != NG_OK)
            snprintf(p->err, p->errlen, "%s", ng_engine_errmsg(p->e));
    }
    if (rc == NG_OK)
        rc = report_item(p, id, &st, v);
    ng_verdict_free(v);
    ng_item_free(st.it);
    return rc;
}

/* List-row callback: collects ids and submission times. */
static int take_id(void *arg, const ng__list_row *row)
{
    replay *p = arg;

    if (ng__grow(&p->ids, &p->capids, p->nids, 1, sizeof *p->ids, 1024) < 0)
        return NG_ENOMEM;
    p->ids[p->nids].id = row->id;
    p->ids[p->nids++].submitted_at = row->submitted_at;
    return NG_OK;
}

static int run(replay *p)
{
    ng_queue_filter f = { .limit = INT64_MAX };
    size_t reported = 0;
    int rc = p->src->ops->list(p->src, &f, take_id, p);

    if (rc != NG_OK)
        snprintf(p->err, p->errlen, "%s", ng_store_errmsg(p->src));
    ng_engine_use_store(p->e, p->src);
    for (size_t i = 0; rc == NG_OK && i < p->nids; i++) {
        if (p->ids[i].submitted_at < p->o->since) {
            p->r->context++; /* seen by look-ups, not reported */
            continue;
        }
        if (p->o->limit && reported == p->o->limit)
            break;
        /* Reads in snapshots of 1,000 items take the locks once each
         * (a dry run only: --apply writes between reads). */
        if (!p->o->apply && reported % 1000 == 0) {
            p->src->ops->snapshot(p->src, 0);
            p->src->ops->snapshot(p->src, 1);
        }
        reported++;
        rc = replay_one(p, p->ids[i].id);
    }
    if (!p->o->apply)
        p->src->ops->snapshot(p->src, 0);
    ng_engine_use_store(p->e, NULL);
    return rc;
}

int ng__replay(ng_engine *e, ng_store *src, const ng__replay_opts *o,
               ng__replay_report **out, char *err, size_t errlen)
{
    replay p = { .e = e, .src = src, .o = o, .err = err, .errlen = errlen };
    int rc;

    *out = NULL;
    err[0] = '\0';
    if ((p.r = calloc(1, sizeof *p.r)) == NULL)
        return NG_ENOMEM;
    rc = run(&p);
    free(p.ids);
    ng__old_hits_free(&p.old);
    if (rc != NG_OK) {
        ng__replay_report_free(p.r);
        return rc;
    }
    *out = p.r;
    return NG_OK;
}

void ng__replay_report_free(ng__replay_report *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->nchanges; i++)
        free(r->changes[i].rules);
    for (size_t i = 0; i < r->nrules; i++)
        free(r->rules[i].name);
    free(r->changes);
    free(r->rules);
    free(r);
}
