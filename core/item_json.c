/*
 * item_json.c -- the item's JSON side, generated from the field table
 * (NG__ITEM_FIELDS of item.h): the serialiser that gives the store the
 * JSON object it keeps beside the item's columns (so `queue show` and
 * replays see the item exactly as submitted), and the parsed `meta`
 * object, parsed once when set and handed to rules from there.  Field
 * names follow the input format (docs/input.md).
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "item.h"

int ng__item_set_meta(ng_item *it, json_t *obj)
{
    char *text = NULL;
    if (obj && !(text = json_dumps(obj, JSON_COMPACT)))
        return NG_ENOMEM;
    json_decref(it->meta);
    free(it->meta_json);
    it->meta = obj ? json_incref(obj) : NULL;
    it->meta_json = text;
    it->validated = 0;
    return NG_OK;
}

int ng__item_set_meta_text(ng_item *it, const char *s, size_t len,
                           char *err, size_t errlen)
{
    json_error_t e;
    json_t *obj = json_loadb(s, len, JSON_REJECT_DUPLICATES, &e);
    int rc;
    if (!obj || !json_is_object(obj)) {
        snprintf(err, errlen, "field 'meta' must be a JSON object");
        json_decref(obj);
        return NG_EINVAL;
    }
    rc = ng__item_set_meta(it, obj);
    json_decref(obj);
    return rc;
}

/* Sets `key` to the string `val` when it is not NULL. */
static void set_str(json_t *o, const char *key, const char *val)
{
    if (val)
        json_object_set_new(o, key, json_string(val));
}

static json_t *images(const ng_item *it)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr && i < it->nimages; i++) {
        json_t *o = json_object();
        set_str(o, "url", it->images[i].url);
        set_str(o, "caption", it->images[i].caption);
        set_str(o, "credit", it->images[i].credit);
        json_array_append_new(arr, o);
    }
    return arr;
}

/* Adds field `def` to `o` as its kind says. */
static void put_field(json_t *o, const ng_item *it, const ng__field_def *def)
{
    const char *v = *NG__ITEM_MEMBER((ng_item *)it, def);
    char when[40];

    switch (def->kind) {
    case NG__FK_FORMAT:
        set_str(o, def->name, it->body_is_html ? "html" : "text");
        break;
    case NG__FK_TIME:
        if (!v && ng_time_format(it->submitted_unix, when, sizeof when)
            == NG_OK)
            v = when;
        set_str(o, def->name, v);
        break;
    case NG__FK_META:
        if (it->nimages)
            json_object_set_new(o, "images", images(it));
        if (it->meta)
            json_object_set(o, def->name, it->meta);
        break;
    default:
        set_str(o, def->name, v);
    }
}

char *ng__item_to_json(const ng_item *it)
{
    json_t *o = json_object();
    size_t n;
    const ng__field_def *defs = ng__item_fields(&n);
    char *out;

    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++)
        put_field(o, it, &defs[i]);
    out = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return out;
}
