/*
 * server_jobs.c -- the requests of `newsgate serve` that write: building
 * their jobs on the HTTP thread, and running them on the writer thread.
 *
 * Submissions (POST /v1/items) are read, validated and checked on the
 * HTTP thread (ng_submit_check, with the engine and read-only store it
 * borrowed), so a bad body never reaches the writer and the costly part
 * of checking runs on as many threads as serve HTTP.  The writer files
 * each item with ng_submit_file inside the group transaction, which runs
 * again only the rules that read the store: so an item still sees every
 * item filed before it, even one that arrived a microsecond earlier in
 * the same group (see "The submission server" in docs/architecture.md).
 * Decisions (approve, which also learns the item as ham;
 * reject, which learns it as spam when asked) and the publisher hand-off
 * (claim, ack, release) run through the writer too: it owns the only
 * writing store handle.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "server.h"
#include "term.h"

void ng__srv_job_free(ng__srv_job *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->nitems; i++) {
        ng_item_free(j->items[i]);
        if (j->checked)
            ng_verdict_free(j->checked[i]);
    }
    free(j->items);
    free(j->checked);
    free(j->by);
    free(j->note);
    free(j->expect);
    free(j->resp);
    free(j);
}

/* A copy of msg with every byte that does not start a valid UTF-8
 * sequence as '?': messages repeat input (jansson's "near '...'" can cut
 * a character in two, and so can a truncated format), and jansson
 * refuses invalid UTF-8, which would turn a 400 into a 500.  NULL on no
 * memory. */
static char *valid_utf8(const char *msg)
{
    size_t n = strlen(msg), i = 0;
    char *out = malloc(n + 1);

    if (!out)
        return NULL;
    while (i < n) {
        unsigned cp;
        size_t k = ng__utf8_decode((const unsigned char *)msg + i, n - i,
                                   &cp);

        if (k == 0 || cp == 0) {
            out[i++] = '?';
            continue;
        }
        memcpy(out + i, msg + i, k);
        i += k;
    }
    out[n] = '\0';
    return out;
}

char *ng__srv_error_json(const char *code, const char *msg)
{
    char *text = valid_utf8(msg);
    json_t *j = text ? json_pack("{s:{s:s, s:s}}", "error", "code", code,
                                 "message", text) : NULL;
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

    json_decref(j);
    free(text);
    return s;
}

void ng__srv_job_fail(ng__srv_job *j, int status, const char *code,
                      const char *msg)
{
    free(j->resp);
    j->status = status;
    j->resp = ng__srv_error_json(code, msg);
}

void ng__srv_take_job(ng__srv_req *r)
{
    /* Through the one seam of answers (escapes, no memory). */
    ng__srv_reply(r, r->job->status, r->job->resp);
    r->job->resp = NULL;
    ng__srv_job_free(r->job);
    r->job = NULL;
}

/* ---- building jobs (HTTP threads) ------------------------------------- */

/* Checks a submission's items with the engine the request borrows.  An
 * item whose check fails here (no memory) is checked whole by the
 * writer, which then reports the failure. */
static void precheck(ng__srv_req *r, ng__srv_job *j)
{
    ng_engine *e;
    ng_store *s;

    if (ng__srv_worker(r, &e, &s) != 0 ||
        !(j->checked = calloc(j->nitems, sizeof *j->checked)))
        return;
    for (size_t i = 0; i < j->nitems; i++)
        if (ng_submit_check(e, j->items[i], &j->checked[i]) != NG_OK)
            j->checked[i] = NULL;
}

void ng__srv_submit(ng__srv_req *r)
{
    ng__srv_job *j = calloc(1, sizeof *j);

    if (!j) {
        ng__srv_error(r, 500, "internal", "out of memory");
        return;
    }
    j->kind = NG__JOB_SUBMIT;
    if (ng__srv_read_items(r, &j->items, &j->nitems, &j->single) != 0) {
        free(j);
        return;
    }
    precheck(r, j);
    r->job = j;
}

/* A string member of o copied, or NULL; *bad set when present but not a
 * string. */
static char *member(json_t *o, const char *key, int *bad)
{
    json_t *v = json_object_get(o, key);

    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    return strdup(json_string_value(v));
}

/* A job from a JSON body with `by` and an optional note; NULL with an
 * error set when the body is wrong. */
static ng__srv_job *body_job(ng__srv_req *r, ng__srv_job_kind kind,
                             const char *note_key, json_t **body)
{
    ng__srv_job *j;
    int bad = 0;

    *body = ng__srv_body_object(r);
    if (!*body)
        return NULL;
    if (!(j = calloc(1, sizeof *j))) {
        ng__srv_error(r, 500, "internal", "out of memory");
        return NULL;
    }
    j->kind = kind;
    j->by = member(*body, "by", &bad);
    if (note_key)
        j->note = member(*body, note_key, &bad);
    if (bad) {
        ng__srv_error(r, 422, "invalid_request", "\"by\" and \"%s\" must be "
                      "strings", note_key ? note_key : "by");
        ng__srv_job_free(j);
        return NULL;
    }
    return j;
}

/* Reads the reject's "spam" flag into j->spam.  Returns 0, or -1 with
 * an error set. */
static int spam_flag(ng__srv_req *r, ng__srv_job *j, json_t *body)
{
    json_t *s = json_object_get(body, "spam");

    if (s && !json_is_boolean(s)) {
        ng__srv_error(r, 422, "invalid_request", "\"spam\" must be true "
                      "or false");
        return -1;
    }
    j->spam = s && json_is_true(s);
    return 0;
}

/* Checks a decision's fields; returns 0 or -1 with an error set. */
static int check_decision(ng__srv_req *r, ng__srv_job *j, json_t *body,
                          int approve)
{
    int bad = 0;

    if (approve && !j->note)   /* "reason" is accepted for both */
        j->note = member(body, "reason", &bad);
    j->expect = member(body, "expect", &bad);
    if (bad)
        ng__srv_error(r, 422, "invalid_request", "\"reason\" and "
                      "\"expect\" must be strings");
    else if (!j->by || !*j->by)
        ng__srv_error(r, 422, "invalid_request", "\"by\" (who decides) is "
                      "required");
    else if (!approve && (!j->note || !*j->note))
        ng__srv_error(r, 422, "invalid_request", "\"reason\" is required "
                      "to reject");
    else if (!approve)
        spam_flag(r, j, body);
    return r->status ? -1 : 0;
}

void ng__srv_decide(ng__srv_req *r, int64_t id, int approve)
{
    json_t *body = NULL;
    ng__srv_job *j = body_job(r, approve ? NG__JOB_APPROVE : NG__JOB_REJECT,
                              approve ? "note" : "reason", &body);

    if (j) {
        j->id = id;
        if (check_decision(r, j, body, approve) == 0)
            r->job = j;
        else
            ng__srv_job_free(j);
    }
    json_decref(body);
}

void ng__srv_claim(ng__srv_req *r)
{
    json_t *body = NULL, *lease;
    ng__srv_job *j = body_job(r, NG__JOB_CLAIM, NULL, &body);

    if (j) {
        lease = json_object_get(body, "lease");
        if (lease && (!json_is_integer(lease) ||
                      json_integer_value(lease) < 1 ||
                      json_integer_value(lease) > 86400))
            ng__srv_error(r, 422, "invalid_request", "\"lease\" must be "
                          "seconds from 1 to 86400");
        j->lease = lease ? (int)json_integer_value(lease) : 300;
        if (r->status)
            ng__srv_job_free(j);
        else
            r->job = j;
    }
    json_decref(body);
}

void ng__srv_handoff(ng__srv_req *r, int64_t id, int ack)
{
    json_t *body = NULL;
    ng__srv_job *j = body_job(r, ack ? NG__JOB_ACK : NG__JOB_RELEASE, NULL,
                              &body);

    json_decref(body);
    if (j) {
        j->id = id;
        r->job = j;
    }
}

/* ---- running jobs (the writer) ---------------------------------------- */

/* Files one item; appends its answer to t.  Returns 1 when stored new,
 * 0 when it existed, -1 on a store error, -2 when the store is
 * unavailable (a database server down or restarting: retry). */
static int submit_one(ng__server *srv, ng__srv_job *j, size_t i,
                      ng_engine *e, ng_store *s, ng__srv_text *t)
{
    const ng_verdict *first = j->checked ? j->checked[i] : NULL;
    ng_verdict *v = NULL;
    int64_t id;
    int existed, again;
    char buf[96];
    char *vj;

    int src = ng_submit_file(e, s, j->items[i], first, &id, &existed, &v,
                             &again);
    if (src != NG_OK)
        return src == NG_EBUSY ? -2 : -1;
    if (existed) {
        ng__srv_metrics_existing(srv->metrics);
        snprintf(buf, sizeof buf, "{\"id\":%lld,\"existing\":true}",
                 (long long)id);
        return ng__srv_text_add(t, buf) == 0 ? 0 : -1;
    }
    /* The writer's share: the verdict's time covers both checks. */
    j->check_s += (double)(ng_verdict_total_us(v) -
                           ng_verdict_total_us(first)) / 1e6;
    j->rechecks[again]++;
    ng__srv_metrics_verdict(srv->metrics, v, 1);
    vj = ng_verdict_json(v, id);
    ng_verdict_free(v);
    int rc = ng__srv_text_add(t, vj);
    ng_free(vj);
    return rc == 0 ? 1 : -1;
}

static void run_submit(ng__server *srv, ng__srv_job *j, ng_engine *e,
                       ng_store *s)
{
    ng__srv_text t = { 0 };
    int fresh = 0, rc = 0;

    if (!j->single)
        rc = ng__srv_text_add(&t, "{\"items\":[");
    for (size_t i = 0; rc >= 0 && i < j->nitems; i++) {
        if (i > 0)
            rc = ng__srv_text_add(&t, ",");
        if (rc >= 0 && (rc = submit_one(srv, j, i, e, s, &t)) > 0)
            fresh = 1;
    }
    if (rc >= 0 && !j->single)
        rc = ng__srv_text_add(&t, "]}");
    if (rc < 0) {
        free(t.buf);
        ng__srv_log("writer: submit: %s", ng_store_errmsg(s));
        if (rc == -2)   /* a database server down: nothing will commit */
            ng__srv_job_fail(j, 503, "store_unavailable", "the store cannot "
                             "write now; retry (items sent with an "
                             "external_id are stored once)");
        else
            ng__srv_job_fail(j, 500, "store_error", "an item could not be "
                             "filed; items before it in this request may "
                             "have been stored (send them again with "
                             "external_id)");
        return;
    }
    j->status = fresh ? 201 : 200;
    j->resp = t.buf;
}

/* Answer of a queue operation: NG_OK gives `ok` (malloc'd JSON). */
static void answer(ng__srv_job *j, int rc, char *ok, ng_store *s)
{
    switch (rc) {
    case NG_OK:
        j->status = ok ? 200 : 500;
        j->resp = ok ? ok : ng__srv_error_json("internal", "out of memory");
        return;
    case NG_ENOTFOUND:
        ng__srv_job_fail(j, 404, "not_found", "no such item");
        break;
    case NG_EEMPTY:
        ng__srv_job_fail(j, 404, "queue_empty", "nothing to claim");
        break;
    case NG_ESTATE:
        ng__srv_job_fail(j, 409, "conflict", ng_store_errmsg(s));
        break;
    case NG_EINVAL:
        ng__srv_job_fail(j, 422, "invalid_request", ng_store_errmsg(s));
        break;
    default:
        ng__srv_job_fail(j, 500, "store_error", ng_store_errmsg(s));
    }
    free(ok);
}

/* {"id":N,"status":S}, malloc'd. */
static char *id_status(int64_t id, const char *status)
{
    json_t *o = json_pack("{s:I, s:s}", "id", (json_int_t)id,
                          "status", status);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

    json_decref(o);
    return s;
}

/* Claims the next item; the answer carries the item in full. */
static void run_claim(ng__srv_job *j, ng_store *s)
{
    int64_t id = 0;
    char *show = NULL, *out = NULL;
    int rc = ng_queue_claim(s, j->lease, j->by, &id);
    json_t *o = NULL;

    if (rc == NG_OK && (rc = ng_queue_show(s, id, &show)) == NG_OK) {
        json_t *item = json_loads(show, 0, NULL);
        o = json_pack("{s:I, s:i, s:o}", "id", (json_int_t)id, "lease",
                      j->lease, "item", item ? item : json_null());
        out = o ? json_dumps(o, JSON_COMPACT) : NULL;
    }
    json_decref(o);
    ng_free(show);
    answer(j, rc, out, s);
}

/* A decision whose `expect` no longer holds: the item was decided (or
 * published) by someone else since the moderator looked.  Returns 1 with
 * a 409 set (naming the status now and who decided), else 0.  Runs in the
 * writer's transaction, so no decision can slip in between. */
static int stale(ng__srv_job *j, ng_store *s)
{
    char *show = NULL, msg[256];
    json_t *o;
    const char *now, *by;
    int rc = 0;

    if (!j->expect || ng_queue_show(s, j->id, &show) != NG_OK)
        return 0;   /* no check asked, or the decision reports the error */
    o = json_loads(show, 0, NULL);
    now = json_string_value(json_object_get(o, "status"));
    by = json_string_value(json_object_get(o, "decided_by"));
    if (now && strcmp(now, j->expect) != 0) {
        snprintf(msg, sizeof msg, "item %lld is %s now (decided by %s)",
                 (long long)j->id, now, by ? by : "the rules");
        ng__srv_job_fail(j, 409, "conflict", msg);
        rc = 1;
    }
    json_decref(o);
    ng_free(show);
    return rc;
}

void ng__srv_job_run(ng__server *srv, ng__srv_job *j, ng_engine *e,
                     ng_store *s)
{
    int rc;

    switch (j->kind) {
    case NG__JOB_SUBMIT:
        run_submit(srv, j, e, s);
        return;
    case NG__JOB_APPROVE:
        if (stale(j, s))
            return;
        rc = ng_queue_approve(s, j->id, j->by, j->note);
        answer(j, rc, rc == NG_OK ? id_status(j->id, "accepted") : NULL, s);
        return;
    case NG__JOB_REJECT:
        if (stale(j, s))
            return;
        rc = j->spam ? ng_queue_reject_spam(s, j->id, j->by, j->note)
                     : ng_queue_reject(s, j->id, j->by, j->note);
        answer(j, rc, rc == NG_OK ? id_status(j->id, "rejected") : NULL, s);
        return;
    case NG__JOB_CLAIM:
        run_claim(j, s);
        return;
    case NG__JOB_ACK:
        rc = ng_queue_ack(s, j->id, j->by);
        answer(j, rc, rc == NG_OK ? id_status(j->id, "published") : NULL, s);
        return;
    case NG__JOB_RELEASE:
        rc = ng_queue_release(s, j->id, j->by);
        answer(j, rc, rc == NG_OK ? id_status(j->id, "released") : NULL, s);
        return;
    }
}
