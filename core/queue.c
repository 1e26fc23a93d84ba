/*
 * queue.c -- the moderator's decisions and the publisher's hand-off
 * (ng_queue_approve / reject / claim / ack / release), orchestrated here
 * as submit is: begin a write transaction, one backend operation, the
 * audit entry, commit.  Approving an item teaches the spam learner that
 * it is ham, rejecting it as spam (ng_queue_reject_spam) that it is spam,
 * inside the same transaction; a backend only fills in single statements.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "store_api.h"
#include "learn.h"

int ng__store_writable(ng_store *s, const char *by, const char *what)
{
    if (!s)
        return NG_EINVAL;
    if (s->flags & NG_STORE_READONLY)
        return ng__store_fail(s, NG_ESTATE, "%s: store is read-only",
                              s->path);
    if (!by || !*by)
        return ng__store_fail(s, NG_EINVAL, "%s: who decides is required",
                              what);
    return NG_OK;
}

/* Why an operation found no row: NG_ENOTFOUND, or NG_ESTATE naming the
 * item's status. */
static int why_not(ng_store *s, int64_t id, const char *op)
{
    char status[32];
    int rc = s->ops->status(s, id, status, sizeof status);
    int decision = !strcmp(op, "approve") || !strcmp(op, "reject");

    if (rc != NG_OK)
        return rc;
    if (decision || strcmp(status, "accepted") != 0)
        return ng__store_fail(s, NG_ESTATE, "item %lld: cannot %s: it is %s",
                              (long long)id, op, status);
    return ng__store_fail(s, NG_ESTATE, "item %lld: cannot %s: it is not "
                          "claimed (or claimed by another)", (long long)id,
                          op);
}

/* One decision or hand-off on item `id`: the operation's answer, why it
 * found no row, the audit entry.  Runs inside the caller's transaction. */
typedef struct step {
    const char *op;        /* approve, reject, ack, release */
    const char *status;    /* for decisions */
    const char *by, *note;
    int64_t now;
    int learn;             /* -1 none, 0 learn the item as ham, 1 spam */
} step;

/* Trains the spam learner with the decided item, in the decision's
 * transaction, and records it in the audit log. */
static int learn_step(ng_store *s, int64_t id, const step *d)
{
    int changed = 0;
    int rc = ng__learn_stored(s, id, d->learn, &changed);
    const char *what = d->learn ? "spam" : "ham";

    if (rc == NG_OK && changed)
        rc = s->ops->audit(s, id, d->now, d->by, "learn", what, NULL);
    return rc;
}

static int one_step(ng_store *s, int64_t id, const step *d)
{
    char hash[128] = "";
    int rc;

    if (d->status)
        rc = s->ops->decide(s, id, d->status, d->by, d->now, hash,
                            sizeof hash);
    else if (strcmp(d->op, "ack") == 0)
        rc = s->ops->ack(s, id, d->by, d->now, hash, sizeof hash);
    else
        rc = s->ops->release(s, id, d->by, hash, sizeof hash);
    if (rc == NG_EEMPTY)
        rc = why_not(s, id, d->op);
    if (rc == NG_OK)
        rc = s->ops->audit(s, id, d->now, d->by, d->op, d->note,
                           hash[0] ? hash : NULL);
    if (rc == NG_OK && d->learn >= 0)
        rc = learn_step(s, id, d);
    return rc;
}

/* begin, one step, commit (or roll back). */
static int run_step(ng_store *s, int64_t id, int durable, const step *d)
{
    int rc = ng__store_begin(s, durable);
    if (rc != NG_OK)
        return rc;
    return ng__store_finish(s, one_step(s, id, d));
}

int ng_queue_approve(ng_store *s, int64_t id, const char *by,
                     const char *note)
{
    int rc = ng__store_writable(s, by, "approve");
    step d = { "approve", "accepted", by, note, (int64_t)time(NULL), 0 };
    return rc != NG_OK ? rc : run_step(s, id, 1, &d);
}

/* reject, and learn the item as spam when `spam`. */
static int reject(ng_store *s, int64_t id, const char *by,
                  const char *reason, int spam)
{
    int rc = ng__store_writable(s, by, "reject");
    step d = { "reject", "rejected", by, reason, (int64_t)time(NULL),
               spam ? 1 : -1 };
    if (rc != NG_OK)
        return rc;
    if (!reason || !*reason)
        return ng__store_fail(s, NG_EINVAL, "reject: a reason is required");
    return run_step(s, id, 1, &d);
}

int ng_queue_reject(ng_store *s, int64_t id, const char *by,
                    const char *reason)
{
    return reject(s, id, by, reason, 0);
}

int ng_queue_reject_spam(ng_store *s, int64_t id, const char *by,
                         const char *reason)
{
    return reject(s, id, by, reason, 1);
}

int ng_queue_claim(ng_store *s, int lease_seconds, const char *by,
                   int64_t *id)
{
    int rc = ng__store_writable(s, by ? by : "publisher", "claim");
    int64_t now = (int64_t)time(NULL);
    char hash[128] = "", detail[64];

    if (id)
        *id = 0;
    if (rc != NG_OK || !id)
        return rc != NG_OK ? rc : NG_EINVAL;
    if (lease_seconds <= 0)
        lease_seconds = 300;
    if ((rc = ng__store_begin(s, 0)) != NG_OK)
        return rc;
    rc = s->ops->claim(s, now, lease_seconds, by, id, hash, sizeof hash);
    if (rc == NG_EEMPTY)
        ng__store_fail(s, NG_EEMPTY, "nothing to claim");
    snprintf(detail, sizeof detail, "lease %ds", lease_seconds);
    if (rc == NG_OK)
        rc = s->ops->audit(s, *id, now, by, "claim", detail,
                           hash[0] ? hash : NULL);
    rc = ng__store_finish(s, rc);
    if (rc != NG_OK)
        *id = 0;
    return rc;
}

int ng_queue_ack(ng_store *s, int64_t id, const char *by)
{
    int rc = ng__store_writable(s, by ? by : "publisher", "ack");
    step d = { "ack", NULL, by, NULL, (int64_t)time(NULL), -1 };
    return rc != NG_OK ? rc : run_step(s, id, 0, &d);
}

int ng_queue_release(ng_store *s, int64_t id, const char *by)
{
    int rc = ng__store_writable(s, by ? by : "publisher", "release");
    step d = { "release", NULL, by, NULL, (int64_t)time(NULL), -1 };
    return rc != NG_OK ? rc : run_step(s, id, 0, &d);
}
