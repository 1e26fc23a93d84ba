/*
 * rulestats.c -- per-rule figures from the store for `newsgate stats
 * --db`: hits and their share of the items, errors, mean and worst time,
 * hits on items moderators rejected and approved (the rule's precision
 * against them), and whether the emergency brake has the rule.
 */
#include <string.h>

#include <jansson.h>

#include "store_api.h"

typedef struct stats_ctx {
    json_t *rules;
    int64_t items;
} stats_ctx;

static int stat_row(void *arg, const ng__rulestat_row *r)
{
    stats_ctx *c = arg;
    int64_t decided = r->hits_rejected + r->hits_approved;
    json_t *o = json_pack("{s:s,s:I,s:f,s:I,s:o,s:I,s:I,s:I}",
        "rule", r->rule, "hits", (json_int_t)r->hits,
        "share", r->items ? (double)r->hits / (double)r->items : 0.0,
        "errors", (json_int_t)r->errors,
        "mean_us", r->runs ? json_real((double)r->sum_us / (double)r->runs) : json_null(),
        "worst_us", (json_int_t)r->max_us,
        "rejected", (json_int_t)r->hits_rejected,
        "approved", (json_int_t)r->hits_approved);

    if (o == NULL)
        return NG_ENOMEM;
    json_object_set_new(o, "precision", decided
        ? json_real((double)r->hits_rejected / (double)decided) : json_null());
    c->items = r->items;
    return json_array_append_new(c->rules, o) == 0 ? NG_OK : NG_ENOMEM;
}

/* Marks the rules the brake holds ("braked": true). */
static int brake_row(void *arg, const ng__brake_row *r)
{
    json_t *o;
    size_t i;

    if (r->released_after)
        return NG_OK;
    json_array_foreach((json_t *)arg, i, o)
        if (strcmp(json_string_value(json_object_get(o, "rule")), r->rule) == 0)
            json_object_set_new(o, "braked", json_true());
    return NG_OK;
}

int ng_rule_stats(ng_store *s, int64_t since, char **json)
{
    stats_ctx c = { NULL, 0 };
    json_t *o;
    int rc;

    if (json)
        *json = NULL;
    if (!s || !json)
        return NG_EINVAL;
    if ((c.rules = json_array()) == NULL)
        return NG_ENOMEM;
    rc = s->ops->rule_stats(s, since, stat_row, &c);
    if (rc == NG_OK)
        rc = s->ops->brakes(s, brake_row, c.rules);
    o = json_pack("{s:I,s:o}", "items", (json_int_t)c.items, "rules", c.rules);
    if (rc == NG_OK && !(o && (*json = json_dumps(o, JSON_COMPACT))))
        rc = NG_ENOMEM;
    json_decref(o);
    return rc;
}
