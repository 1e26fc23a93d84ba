/*
 * item_json.c -- serialises an item's fields (item.h) as the JSON object
 * the store keeps beside the item's columns, so `queue show` and later
 * replays see the item exactly as it was submitted.  Field names follow
 * the input format of docs/DESIGN (title, body, format, url, ...).
 */
#include <stdlib.h>
#include <time.h>
#include <jansson.h>
#include "store.h"
#include "item.h"

/* Sets `key` to the string `val` when it is not NULL. */
static void set_str(json_t *o, const char *key, const char *val)
{
    if (val)
        json_object_set_new(o, key, json_string(val));
}

/* RFC 3339 (UTC) form of unix seconds into buf. */
static const char *rfc3339(int64_t t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!gmtime_r(&tt, &tm) || strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ",
                                        &tm) == 0)
        return NULL;
    return buf;
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

char *ng__item_to_json(const ng_item *it)
{
    json_t *o = json_object();
    char when[40];
    char *out;

    if (!o)
        return NULL;
    set_str(o, "title", it->title);
    set_str(o, "body", it->body);
    set_str(o, "format", it->body_is_html ? "html" : "text");
    set_str(o, "url", it->url);
    set_str(o, "source", it->source);
    set_str(o, "author", it->author);
    set_str(o, "submitter", it->submitter);
    set_str(o, "external_id", it->external_id);
    set_str(o, "submitted_at", it->submitted_at ? it->submitted_at
            : rfc3339(it->submitted_unix, when, sizeof when));
    if (it->nimages)
        json_object_set_new(o, "images", images(it));
    if (it->meta_json) {
        json_t *meta = json_loads(it->meta_json, 0, NULL);
        if (meta)
            json_object_set_new(o, "meta", meta);
    }
    out = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return out;
}
