/*
 * item_json.c -- the item's JSON side, generated from the field table
 * (NG__ITEM_FIELDS of item.h): the serialiser that gives the store the
 * JSON object it keeps beside the item's columns (so `queue show` and
 * replays see the item exactly as submitted), and the parsed `meta`
 * object, parsed once when set and handed to rules from there.  Field
 * names follow the input format (docs/input.md).  The serialiser writes
 * the text directly (json_out.c) and builds a jansson tree only for
 * items with images or meta.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "item.h"
#include "json_out.h"
#include "text.h"

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

/* The item through a jansson tree: items with images or a meta object
 * (whose values only jansson prints). */
static char *tree_json(const ng_item *it)
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

/* The string field `def` of `it` as put_field gives it, or NULL when the
 * member is left out (absent, or not valid UTF-8: json_string refuses
 * it). */
static const char *field_text(const ng_item *it, const ng__field_def *def,
                              char *when, size_t n)
{
    const char *v = *NG__ITEM_MEMBER((ng_item *)it, def);

    if (def->kind == NG__FK_FORMAT)
        return it->body_is_html ? "html" : "text";
    if (def->kind == NG__FK_TIME && !v
        && ng_time_format(it->submitted_unix, when, n) == NG_OK)
        v = when;
    return v && ng__utf8_valid(v, strlen(v), NULL) ? v : NULL;
}

/* The same bytes as tree_json, written directly: the item as stored is
 * made for every submission, and the tree (a copy and a UTF-8 check of
 * each string, a hash table, then a second walk to print) cost ~200,000
 * instructions for a 2 KB article (callgrind, issue 13).
 * tests/unit/test_item_json.c checks the two agree. */
char *ng__item_to_json(const ng_item *it)
{
    ng__jbuf b = { NULL, 0, 0, 0 };
    size_t n;
    const ng__field_def *defs = ng__item_fields(&n);
    char when[40];
    int first = 1;

    if (it->nimages || it->meta)
        return tree_json(it);
    ng__jbuf_put(&b, "{", 1);
    for (size_t i = 0; i < n; i++) {
        const char *v = defs[i].kind == NG__FK_META
                        ? NULL : field_text(it, &defs[i], when, sizeof when);
        if (!v)
            continue;
        ng__jbuf_put(&b, ",", !first);
        first = 0;
        ng__jbuf_str(&b, defs[i].name);
        ng__jbuf_put(&b, ":", 1);
        ng__jbuf_str(&b, v);
    }
    ng__jbuf_put(&b, "}", 1);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
