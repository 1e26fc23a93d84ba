/*
 * server_body.c -- request bodies of `newsgate serve`: the content type,
 * the JSON syntax, and the items of a submission.
 *
 * Errors are told apart the way the API promises: a body that is not
 * JSON at all (bad syntax, invalid UTF-8, truncated) is 400 "malformed";
 * JSON whose items break the input rules (no title, a wrong type, a field
 * over its limit) is 422 "invalid_item"; more items than allowed is 413;
 * another content type is 415.  The syntax is checked with jansson first
 * so the two cases get their own status; the items themselves are read
 * by the library's reader (ng_reader_open over the body in memory), with
 * the server's input limits.  The reader goes first; only a body it
 * refuses is parsed again with jansson, to tell the two cases apart, so
 * a good submission is parsed once.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "server.h"

int ng__srv_json_type(ng__srv_req *r)
{
    const char *ct = ng__srv_header(r, "Content-Type");
    size_t n;

    if (!ct)
        return 0;
    n = strcspn(ct, "; \t");
    if (n == 16 && strncasecmp(ct, "application/json", n) == 0)
        return 1;
    if ((n == 20 && strncasecmp(ct, "application/x-ndjson", n) == 0) ||
        (n == 18 && strncasecmp(ct, "application/ndjson", n) == 0))
        return 2;
    return 0;
}

/* Checks the syntax of every NDJSON line.  Returns 0 or -1 with a 400
 * set. */
static int check_lines(ng__srv_req *r)
{
    const char *p = r->body, *end = r->body + r->len;
    size_t line = 0;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        json_error_t err;

        line++;
        if (n > 0 && strspn(p, " \t\r") < n) {
            json_t *j = json_loadb(p, n, 0, &err);
            if (!j) {
                ng__srv_error(r, 400, "malformed", "line %zu: %s", line,
                              err.text);
                return -1;
            }
            json_decref(j);
        }
        p += n + 1;
    }
    return 0;
}

/* Checks the body's JSON syntax; sets *single when it is one object.
 * Returns 0 or -1 with a 400 set. */
static int check_syntax(ng__srv_req *r, int type, int *single)
{
    json_error_t err;
    json_t *j;

    *single = 0;
    if (!r->body || strspn(r->body, " \t\r\n") == r->len) {
        ng__srv_error(r, 400, "malformed", "empty body");
        return -1;
    }
    j = json_loadb(r->body, r->len, 0, &err);
    if (j) {
        *single = json_is_object(j);
        json_decref(j);
        return 0;
    }
    /* Not one document: NDJSON (also accepted as application/json, as
     * `newsgate submit` does), unless the failure is the first line's. */
    if (type == 2 || memchr(r->body, '\n', r->len))
        return check_lines(r);
    ng__srv_error(r, 400, "malformed", "line %d, column %d: %s", err.line,
                  err.column, err.text);
    return -1;
}

static void free_items(ng_item **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ng_item_free(items[i]);
    free(items);
}

/* Appends an item; returns 0 or -1 on no memory. */
static int push(ng_item ***items, size_t *n, size_t *cap, ng_item *it)
{
    if (ng__srv_grow((void **)items, cap, *n + 1, sizeof **items) != 0)
        return -1;
    (*items)[(*n)++] = it;
    return 0;
}

/* Reads every item with the library's reader.  Returns 0 or -1 with an
 * error set. */
static int read_all(ng__srv_req *r, ng_item ***items, size_t *n)
{
    const ng__srv_config *cfg = &r->srv->cfg;
    ng_reader *rd;
    ng_item *it;
    size_t cap = 0;
    int rc;

    if (ng_reader_open(&rd, "request", r->body, r->len, NG_FORMAT_JSON,
                       &cfg->limits) != NG_OK) {
        ng__srv_error(r, 500, "internal", "out of memory");
        return -1;
    }
    while ((rc = ng_reader_next(rd, &it)) == NG_OK) {
        if (*n >= cfg->max_items) {
            ng_item_free(it);
            ng__srv_error(r, 413, "too_many_items", "more than %zu items "
                          "in one request", cfg->max_items);
            break;
        }
        if (push(items, n, &cap, it) != 0) {
            ng_item_free(it);
            ng__srv_error(r, 500, "internal", "out of memory");
            break;
        }
    }
    if (rc == NG_EINPUT)
        ng__srv_error(r, 422, "invalid_item", "%s", ng_reader_errmsg(rd));
    ng_reader_close(rd);
    return r->status ? -1 : 0;
}

/* After the reader refused the body: a body that is not JSON at all gets
 * the 400 of its syntax error instead of the reader's answer (kept
 * otherwise, as is a 500).  Returns 1 when it was malformed. */
static int malformed(ng__srv_req *r, int type)
{
    int status = r->status, single;
    char *resp = r->resp;
    size_t len = r->resp_len;

    if (status == 500)
        return 0;
    r->status = 0, r->resp = NULL, r->resp_len = 0;
    if (check_syntax(r, type, &single) != 0) {
        free(resp);
        return 1;
    }
    r->status = status, r->resp = resp, r->resp_len = len;
    return 0;
}

int ng__srv_read_items(ng__srv_req *r, ng_item ***items, size_t *n,
                       int *single)
{
    int type = ng__srv_json_type(r);

    *items = NULL, *n = 0, *single = 0;
    if (type == 0) {
        ng__srv_error(r, 415, "unsupported_media_type", "send "
                      "application/json or application/x-ndjson");
        return -1;
    }
    if (!r->body || strspn(r->body, " \t\r\n") == r->len) {
        ng__srv_error(r, 400, "malformed", "empty body");
        return -1;
    }
    if (read_all(r, items, n) != 0 || *n == 0) {
        free_items(*items, *n);
        *items = NULL, *n = 0;
        if (!malformed(r, type) && !r->status)
            ng__srv_error(r, 422, "invalid_item", "no item in the body");
        return -1;
    }
    /* One object (not an array, not several lines): answered as one. */
    *single = *n == 1 && r->body[strspn(r->body, " \t\r\n")] == '{';
    r->items = *n;
    return 0;
}

void *ng__srv_body_object(ng__srv_req *r)
{
    json_error_t err;
    json_t *j;

    if (!r->body || strspn(r->body, " \t\r\n") == r->len)
        return json_object();
    if (ng__srv_json_type(r) != 1) {
        ng__srv_error(r, 415, "unsupported_media_type",
                      "send application/json");
        return NULL;
    }
    j = json_loadb(r->body, r->len, 0, &err);
    if (!j || !json_is_object(j)) {
        ng__srv_error(r, 400, "malformed", "%s", j ? "expected an object"
                                                   : err.text);
        json_decref(j);
        return NULL;
    }
    return j;
}
