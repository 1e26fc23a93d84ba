/*
 * server_sources.c -- GET /v1/sources/{id}: one registered reference
 * source (a publisher's article, `newsgate sources add`) with its text,
 * for the moderator console to put beside an uncredited copy of it
 * (COPIED_SOURCE names the source as "source #N" in its detail).  A read
 * on the request's own thread through the public API, like GET
 * /v1/items/{id}; the writer is not involved.
 */
#include <jansson.h>
#include <stdlib.h>
#include "server.h"

/* ng_sources_get callback: the source as a JSON object in *arg. */
static int to_json(void *arg, const ng_source_info *src)
{
    json_t **out = arg;

    *out = json_pack("{s:I, s:s, s:s?, s:s, s:I, s:s?}",
                     "id", (json_int_t)src->id, "publisher", src->publisher,
                     "domain", src->domain, "title", src->title,
                     "added_at", (json_int_t)src->added_at,
                     "body", src->body);
    return *out ? 0 : 1;
}

void ng__srv_source(ng__srv_req *r, int64_t id)
{
    ng_engine *e;
    ng_store *s;
    json_t *o = NULL;
    int rc;

    if (ng__srv_worker(r, &e, &s) != 0)
        return;
    rc = ng_sources_get(s, id, to_json, &o);
    if (rc == NG_OK)
        ng__srv_reply(r, 200, json_dumps(o, JSON_COMPACT));
    else if (rc == NG_ENOTFOUND)
        ng__srv_error(r, 404, "not_found", "no source %lld", (long long)id);
    else if (rc == NG_EINTERNAL)
        ng__srv_error(r, 500, "internal", "source %lld cannot be encoded", (long long)id);
    else
        ng__srv_error(r, 500, "store_error", "%s", ng_store_errmsg(s));
    json_decref(o);
}
