/*
 * replay.c -- reruns a rule set over stored items (see replay.h).
 *
 * The source store is read item by item through the queue's own views
 * (ng_queue_list for the ids, ng_queue_show for an item with its verdict
 * and its moderator decision), so replay needs nothing of a backend that
 * the queue does not already offer.  Every item is then submitted, in
 * arrival order, to the scratch store with the replayed rules: the
 * scratch store holds only what arrived earlier, so duplicate and history
 * look-ups see the store as it was.  Moderator decisions are carried over
 * to the scratch store at their time: a decision taken before an item
 * arrived (or in the same second) is visible to it, a later one is not.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "replay.h"
#include "store.h"
#include "store_api.h"

/* A moderator decision waiting to be carried over (a min-heap on at). */
typedef struct pending {
    int64_t at, scratch_id;
    int reject;
} pending;

typedef struct replay {
    ng_engine *e;
    ng_store *src, *scratch;
    const ng__replay_opts *o;
    ng__replay_report *r;
    pending *heap;
    size_t nheap, capheap;
    char *err;
    size_t errlen;
} replay;

/* Makes room for one more element of `size` bytes in *v.  Returns 0 or
 * -1 on no memory (then *v is unchanged). */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    size_t nc = *cap ? *cap * 2 : 64;
    void *nv;

    if (n < *cap)
        return 0;
    if (nc > SIZE_MAX / size || !(nv = realloc(*v, nc * size)))
        return -1;
    *v = nv;
    *cap = nc;
    return 0;
}

static int heap_push(replay *p, pending d)
{
    size_t i;

    if (grow((void **)&p->heap, &p->capheap, p->nheap, sizeof d) < 0)
        return NG_ENOMEM;
    for (i = p->nheap++; i > 0 && p->heap[(i - 1) / 2].at > d.at; i = (i - 1) / 2)
        p->heap[i] = p->heap[(i - 1) / 2];
    p->heap[i] = d;
    return NG_OK;
}

static pending heap_pop(replay *p)
{
    pending top = p->heap[0], last = p->heap[--p->nheap];
    size_t i = 0, c;

    while ((c = 2 * i + 1) < p->nheap) {
        if (c + 1 < p->nheap && p->heap[c + 1].at < p->heap[c].at)
            c++;
        if (last.at <= p->heap[c].at)
            break;
        p->heap[i] = p->heap[c];
        i = c;
    }
    if (p->nheap)
        p->heap[i] = last;
    return top;
}

/* Carries over to the scratch store every decision taken at or before
 * `until`. */
static int carry_decisions(replay *p, int64_t until)
{
    while (p->nheap && p->heap[0].at <= until) {
        pending d = heap_pop(p);
        int rc = d.reject
            ? ng_queue_reject(p->scratch, d.scratch_id, "replay", "moderator")
            : ng_queue_approve(p->scratch, d.scratch_id, "replay", NULL);
        if (rc != NG_OK && rc != NG_ESTATE) {
            snprintf(p->err, p->errlen, "scratch store: %s",
                     ng_store_errmsg(p->scratch));
            return rc;
        }
    }
    return NG_OK;
}

static ng__replay_rule *rule_of(ng__replay_report *r, const char *name)
{
    for (size_t i = 0; i < r->nrules; i++)
        if (strcmp(r->rules[i].name, name) == 0)
            return &r->rules[i];
    if (grow((void **)&r->rules, &r->caprules, r->nrules, sizeof *r->rules) < 0)
        return NULL;
    memset(&r->rules[r->nrules], 0, sizeof *r->rules);
    if ((r->rules[r->nrules].name = strdup(name)) == NULL)
        return NULL;
    return &r->rules[r->nrules++];
}

/* 1 when the old verdict's hits (a JSON array) name `rule`. */
static int old_hit(json_t *hits, const char *rule)
{
    size_t i;
    json_t *h;

    json_array_foreach(hits, i, h) {
        const char *name = json_string_value(json_object_get(h, "rule"));
        if (name && strcmp(name, rule) == 0)
            return 1;
    }
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
static int count_rules(ng__replay_report *r, json_t *old, const ng_verdict *v,
                       int decision)
{
    size_t i;
    json_t *h;
    ng__replay_rule *rr;

    json_array_foreach(old, i, h) {
        const char *name = json_string_value(json_object_get(h, "rule"));
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
static char *changed_rules(json_t *old, const ng_verdict *v)
{
    char *buf = NULL;
    size_t len = 0, i;
    FILE *f = open_memstream(&buf, &len);  /* len is valid after fclose */
    json_t *h;

    if (f == NULL)
        return NULL;
    for (i = 0; i < ng_verdict_hit_count(v); i++)
        if (!old_hit(old, ng_verdict_hit(v, i)->rule))
            fprintf(f, "%s+%s", ftell(f) > 0 ? " " : "", ng_verdict_hit(v, i)->rule);
    json_array_foreach(old, i, h) {
        const char *name = json_string_value(json_object_get(h, "rule"));
        if (name && !new_hit(v, name))
            fprintf(f, "%s-%s", ftell(f) > 0 ? " " : "", name);
    }
    fclose(f);
    return buf;
}

static int add_change(ng__replay_report *r, int64_t id, const char *before,
                      const ng_verdict *v, json_t *old, int decided)
{
    ng__replay_change *c;

    if (grow((void **)&r->changes, &r->capchanges, r->nchanges, sizeof *c) < 0)
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

/* Compares, counts and (with apply) files one reported item. */
static int report_item(replay *p, int64_t id, json_t *shown, const ng_verdict *v)
{
    json_t *verdict = json_object_get(shown, "verdict");
    json_t *old = json_object_get(verdict, "hits");
    const char *before = json_string_value(json_object_get(shown, "action"));
    const char *by = json_string_value(json_object_get(shown, "decided_by"));
    const char *status = json_string_value(json_object_get(shown, "status"));
    int decision = !by ? 0 : status && strcmp(status, "rejected") == 0 ? 'r' : 'a';
    int rc, changed;

    p->r->items++;
    p->r->decided += decision != 0;
    p->r->errors += ng_verdict_error_count(v);
    if (!json_is_array(old))
        old = json_array(); /* an item stored without hits */
    else
        json_incref(old);
    rc = count_rules(p->r, old, v, decision);
    if (rc == NG_OK && before && strcmp(before, ng_action_name(ng_verdict_action(v))))
        rc = add_change(p->r, id, before, v, old, decision != 0);
    json_decref(old);
    if (rc == NG_OK && p->o->apply) {
        rc = ng__store_refile(p->src, id, v, &changed);
        if (rc != NG_OK)
            snprintf(p->err, p->errlen, "%s", ng_store_errmsg(p->src));
        p->r->applied += changed;
        p->r->kept += !changed;
    }
    return rc;
}

/* Reads item `id` of the source store: its shown JSON (caller decrefs)
 * and the item.  Returns NG_OK or an error with the message set. */
static int read_item(replay *p, int64_t id, json_t **shown, ng_item **it)
{
    char *json = NULL, *fields;
    ng_reader *rd;
    int rc = ng_queue_show(p->src, id, &json);

    *shown = NULL;
    *it = NULL;
    if (rc != NG_OK) {
        snprintf(p->err, p->errlen, "item %lld: %s", (long long)id,
                 ng_store_errmsg(p->src));
        return rc;
    }
    *shown = json_loads(json, 0, NULL);
    ng_free(json);
    fields = *shown ? json_dumps(json_object_get(*shown, "item"), JSON_COMPACT) : NULL;
    if (fields == NULL) {
        snprintf(p->err, p->errlen, "item %lld: unreadable record", (long long)id);
        return NG_ESTORE;
    }
    rc = ng_reader_open(&rd, "store", fields, strlen(fields), NG_FORMAT_JSON, NULL);
    if (rc == NG_OK) {
        rc = ng_reader_next(rd, it);
        if (rc != NG_OK)
            snprintf(p->err, p->errlen, "item %lld: %s", (long long)id,
                     ng_reader_errmsg(rd));
        ng_reader_close(rd);
    }
    free(fields);
    return rc == NG_OK ? NG_OK : NG_ESTORE;
}

/* Queues the item's moderator decision, if any, for the scratch copy. */
static int note_decision(replay *p, json_t *shown, int64_t scratch_id)
{
    const char *status = json_string_value(json_object_get(shown, "status"));
    pending d;

    if (!json_is_string(json_object_get(shown, "decided_by")))
        return NG_OK;
    d.at = json_integer_value(json_object_get(shown, "decided_at"));
    d.scratch_id = scratch_id;
    d.reject = status && strcmp(status, "rejected") == 0;
    return heap_push(p, d);
}

/* Replays one item: context only, or reported. */
static int replay_one(replay *p, int64_t id, int report)
{
    json_t *shown;
    ng_item *it;
    ng_verdict *v = NULL;
    int64_t sid = 0;
    int existed = 0, rc = read_item(p, id, &shown, &it);

    if (rc == NG_OK)
        rc = carry_decisions(p, json_integer_value(json_object_get(shown, "received_at")));
    if (rc == NG_OK) {
        rc = ng_submit(p->e, p->scratch, it, &sid, &existed, &v);
        if (rc != NG_OK)
            snprintf(p->err, p->errlen, "scratch store: %s", ng_store_errmsg(p->scratch));
    }
    if (rc == NG_OK && v && report)
        rc = report_item(p, id, shown, v);
    if (rc == NG_OK && sid > 0)
        rc = note_decision(p, shown, sid);
    p->r->context += rc == NG_OK && !report;
    ng_verdict_free(v);
    ng_item_free(it);
    json_decref(shown);
    return rc;
}

/* The ids of the source store, oldest first, and which to report. */
static int list_ids(replay *p, json_t **all)
{
    ng_queue_filter f = { NULL, NULL, 0, INT64_MAX };
    char *json = NULL;
    int rc = ng_queue_list(p->src, &f, &json);

    *all = NULL;
    if (rc != NG_OK) {
        snprintf(p->err, p->errlen, "%s", ng_store_errmsg(p->src));
        return rc;
    }
    *all = json_loads(json, 0, NULL);
    ng_free(json);
    if (!json_is_array(*all)) {
        snprintf(p->err, p->errlen, "cannot read the queue");
        return NG_ESTORE;
    }
    return NG_OK;
}

static int run(replay *p)
{
    json_t *all, *row;
    size_t i, reported = 0;
    int rc = list_ids(p, &all);

    if (rc == NG_OK)
        rc = ng_store_batch_begin(p->scratch);
    json_array_foreach(all, i, row) {
        int64_t id = json_integer_value(json_object_get(row, "id"));
        int64_t at = json_integer_value(json_object_get(row, "submitted_at"));
        int report = at >= p->o->since && (!p->o->limit || reported < p->o->limit);
        if (rc != NG_OK)
            break;
        if (!report && at >= p->o->since)
            break; /* past the limit: later items matter to no one */
        reported += report;
        rc = replay_one(p, id, report);
        if (rc == NG_OK && (i & 511) == 511 && (rc = ng_store_batch_commit(p->scratch)) == NG_OK)
            rc = ng_store_batch_begin(p->scratch);
    }
    if (rc == NG_OK)
        rc = ng_store_batch_commit(p->scratch);
    else
        ng_store_batch_rollback(p->scratch);
    json_decref(all);
    return rc;
}

int ng__replay(ng_engine *e, ng_store *src, ng_store *scratch,
               const ng__replay_opts *o, ng__replay_report **out,
               char *err, size_t errlen)
{
    replay p = { e, src, scratch, o, NULL, NULL, 0, 0, err, errlen };
    int rc;

    *out = NULL;
    if ((p.r = calloc(1, sizeof *p.r)) == NULL)
        return NG_ENOMEM;
    rc = run(&p);
    free(p.heap);
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
