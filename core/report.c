/*
 * report.c -- the moderation queue's reports as JSON: `queue list`
 * summaries (with why each item is there: the forcing rule or the top
 * rules of its verdict) and `queue show` (the item, its verdict with
 * every hit and its audit trail); the list filter is checked here (known
 * status, a rule name the store has seen) so a typo is an error, not an
 * empty list.  The backend hands out rows (store.h); this file owns
 * the output format, built with jansson.  The stored item and verdict are
 * JSON text already; they are parsed back and embedded as objects.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "json_out.h"
#include "store_api.h"

static json_t *str(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *opt_int(int64_t v)
{
    return v == NG__NULL_INT ? json_null() : json_integer((json_int_t)v);
}

/* Stored JSON text, parsed (null when absent or broken). */
static json_t *parsed(const char *text)
{
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    return j ? j : json_null();
}

/* The stored verdict with "id" first: submit stores it without (the row
 * has the id), a refile or an older database with it. */
static json_t *verdict(const char *text, int64_t id)
{
    json_t *v = parsed(text), *o;
    if (!json_is_object(v) || json_object_get(v, "id"))
        return v;
    o = json_pack("{s:I}", "id", (json_int_t)id);
    if (!o || json_object_update(o, v) != 0) {
        json_decref(o);
        return v;
    }
    json_decref(v);
    return o;
}

/* Dumps `j` (stolen) into *json, the invisible code points (C1 and
 * direction controls, json_out.h) escaped as the verdict writer escapes
 * them.  Returns NG_OK or NG_ENOMEM. */
static int dump(ng_store *s, json_t *j, char **json)
{
    *json = j ? ng__json_hide(json_dumps(j, JSON_COMPACT)) : NULL;
    json_decref(j);
    if (!*json)
        return ng__store_fail(s, NG_ENOMEM, "out of memory");
    return NG_OK;
}

/* Up to this many rules in a list row's top_rules. */
#define TOP_RULES 3

/* Appends `name` to the array `a` unless it holds it already. */
static void add_name(json_t *a, const json_t *name)
{
    size_t i;
    json_t *v;

    if (!json_is_string(name))
        return;
    json_array_foreach(a, i, v)
        if (json_equal(v, name))
            return;
    json_array_append(a, (json_t *)name);
}

/* Inserts hit h into best[] (the TOP_RULES enforcing hits with the
 * highest scores, earlier rules first among equal scores). */
static void rank(json_t **best, json_t *h)
{
    double sc = json_number_value(json_object_get(h, "score"));
    size_t k;

    if (json_is_true(json_object_get(h, "shadow")) || sc <= 0)
        return;
    for (k = 0; k < TOP_RULES && best[k] && json_number_value(
             json_object_get(best[k], "score")) >= sc; k++)
        ;
    if (k == TOP_RULES)
        return;
    memmove(best + k + 1, best + k, (TOP_RULES - 1 - k) * sizeof *best);
    best[k] = h;
}

/* Adds to the list row `o` what its stored verdict says, read once: why
 * the item is there (forced_by, top_rules) and the distinct names of the
 * rules that fired and of their groups, in hit order. */
static void why(json_t *o, const char *verdict_json)
{
    json_t *v = verdict_json ? json_loads(verdict_json, 0, NULL) : NULL;
    json_t *forced = json_object_get(json_object_get(v, "forced"), "rule");
    json_t *top = json_array(), *rules = json_array(), *groups = json_array();
    json_t *h, *best[TOP_RULES] = { NULL };
    size_t i;

    json_array_foreach(json_object_get(v, "hits"), i, h) {
        rank(best, h);
        add_name(rules, json_object_get(h, "rule"));
        add_name(groups, json_object_get(h, "group"));
    }
    for (i = 0; i < TOP_RULES && best[i]; i++)
        json_array_append(top, json_object_get(best[i], "rule"));
    json_object_set_new(o, "forced_by", forced ? json_copy(forced)
                                               : json_null());
    json_object_set_new(o, "top_rules", top);
    json_object_set_new(o, "rules", rules);
    json_object_set_new(o, "groups", groups);
    json_decref(v);
}

static int list_row(void *arg, const ng__list_row *r)
{
    json_t *o = json_object();
    if (!o)
        return NG_ENOMEM;
    json_object_set_new(o, "id", json_integer((json_int_t)r->id));
    json_object_set_new(o, "status", str(r->status));
    json_object_set_new(o, "action", str(r->action));
    json_object_set_new(o, "score", json_real(r->score));
    json_object_set_new(o, "title", str(r->title));
    json_object_set_new(o, "submitter", str(r->submitter));
    json_object_set_new(o, "submitted_at",
                        json_integer((json_int_t)r->submitted_at));
    json_object_set_new(o, "decided_by", str(r->decided_by));
    why(o, r->verdict_json);
    return json_array_append_new(arg, o) == 0 ? NG_OK : NG_ENOMEM;
}

/* NG_OK when the filter names a known status and a rule the store has
 * seen; else NG_EINVAL with the problem on the handle. */
static int check_filter(ng_store *s, const ng_queue_filter *f)
{
    static const char *const statuses[] = {
        "accepted", "review", "rejected", "published"
    };
    int known = 0, rc;

    if (f && f->status) {
        for (size_t i = 0; i < 4 && !known; i++)
            known = strcmp(f->status, statuses[i]) == 0;
        if (!known)
            return ng__store_fail(s, NG_EINVAL, "unknown status '%s' "
                                  "(accepted, review, rejected or "
                                  "published)", f->status);
    }
    if (f && f->rule) {
        if ((rc = s->ops->rule_known(s, f->rule, &known)) != NG_OK)
            return rc;
        if (!known)
            return ng__store_fail(s, NG_EINVAL, "unknown rule '%s': no "
                                  "stored item was checked with a rule of "
                                  "that name", f->rule);
    }
    return NG_OK;
}

int ng__report_count(ng_store *s, const ng_queue_filter *f, int64_t *n)
{
    int rc = check_filter(s, f);
    return rc == NG_OK ? s->ops->list_count(s, f, n) : rc;
}

int ng__report_list(ng_store *s, const ng_queue_filter *f, char **json)
{
    json_t *arr = json_array();
    int rc = check_filter(s, f);

    if (rc == NG_OK)
        rc = arr ? s->ops->list(s, f, list_row, arr) : NG_ENOMEM;

    if (rc == NG_OK)
        return dump(s, arr, json);
    json_decref(arr);
    return rc == NG_ENOMEM ? ng__store_fail(s, rc, "out of memory") : rc;
}

static int audit_row(void *arg, const ng__audit_row *r)
{
    json_t *o = json_object();
    if (!o)
        return NG_ENOMEM;
    json_object_set_new(o, "at", json_integer((json_int_t)r->at));
    json_object_set_new(o, "actor", str(r->actor));
    json_object_set_new(o, "action", str(r->action));
    json_object_set_new(o, "detail", str(r->detail));
    json_object_set_new(o, "rules_hash", str(r->rules_hash));
    return json_array_append_new(arg, o) == 0 ? NG_OK : NG_ENOMEM;
}

/* Fills the object `arg` from the item row. */
static int show_row(void *arg, const ng__show_row *r)
{
    json_t *o = arg;
    json_object_set_new(o, "id", json_integer((json_int_t)r->id));
    json_object_set_new(o, "external_id", str(r->external_id));
    json_object_set_new(o, "status", str(r->status));
    json_object_set_new(o, "action", str(r->action));
    json_object_set_new(o, "score", json_real(r->score));
    json_object_set_new(o, "rules_hash", str(r->rules_hash));
    json_object_set_new(o, "decided_by", str(r->decided_by));
    json_object_set_new(o, "decided_at", opt_int(r->decided_at));
    json_object_set_new(o, "lease_until", opt_int(r->lease_until));
    json_object_set_new(o, "lease_by", str(r->lease_by));
    json_object_set_new(o, "received_at", opt_int(r->received_at));
    json_object_set_new(o, "published_at", opt_int(r->published_at));
    json_object_set_new(o, "submitted_unix", opt_int(r->submitted_at));
    json_object_set_new(o, "item", parsed(r->item_json));
    if (r->cleaned_body)
        json_object_set_new(o, "cleaned_body", json_string(r->cleaned_body));
    json_object_set_new(o, "verdict", verdict(r->verdict_json, r->id));
    return NG_OK;
}

int ng__report_show(ng_store *s, int64_t id, char **json)
{
    json_t *o = json_object(), *trail = json_array();
    int rc = o && trail ? s->ops->show(s, id, show_row, o) : NG_ENOMEM;

    if (rc == NG_OK)
        rc = s->ops->audit_trail(s, id, audit_row, trail);
    if (rc == NG_OK) {
        json_object_set_new(o, "audit", trail);
        return dump(s, o, json);
    }
    json_decref(o);
    json_decref(trail);
    return rc == NG_ENOMEM ? ng__store_fail(s, rc, "out of memory") : rc;
}

int ng_queue_list(ng_store *s, const ng_queue_filter *f, char **json)
{
    if (json)
        *json = NULL;
    if (!s || !json)
        return NG_EINVAL;
    return ng__report_list(s, f, json);
}

int ng_queue_total(ng_store *s, const ng_queue_filter *f, int64_t *total)
{
    if (total)
        *total = 0;
    if (!s || !total)
        return NG_EINVAL;
    return ng__report_count(s, f, total);
}

int ng_queue_show(ng_store *s, int64_t id, char **json)
{
    if (json)
        *json = NULL;
    if (!s || !json)
        return NG_EINVAL;
    return ng__report_show(s, id, json);
}
