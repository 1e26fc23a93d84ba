/*
 * store_api.c -- the public store functions of newsgate.h: opening a
 * store, batches, ng_submit (check an item and file it with its verdict,
 * rule runs and audit entry in one transaction) and the moderation queue.
 *
 * Everything here goes through the backend table of store/store.h, so it
 * knows nothing of SQLite; the backend does the SQL.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store_api.h"
#include "engine.h"
#include "item.h"
#include "verdict.h"
#include "url.h"
#include "dup.h"

int ng__store_fail(ng_store *s, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return code;
}

/* Copies the handle's message into the caller's buffer. */
static void copy_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

int ng_store_open(ng_store **out, const char *path, int flags,
                  char *err, size_t errlen)
{
    ng_store *s;
    int rc;

    if (out)
        *out = NULL;
    copy_err(err, errlen, "");
    if (!out || !path || !*path) {
        copy_err(err, errlen, "ng_store_open: no path");
        return NG_EINVAL;
    }
    s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        copy_err(err, errlen, "out of memory");
        return NG_ENOMEM;
    }
    s->flags = flags;
    /* The look-up memo keys on (store, generation); a store opened where
     * a closed one lived must not look like it. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    s->generation = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    const ng__store_backend *b = ng__store_backend_for(path);
    rc = b ? b->open(s, path, flags)
           : ng__store_fail(s, NG_EINVAL, "%s: no storage backend", path);
    if (rc != NG_OK) {
        copy_err(err, errlen, s->err);
        ng_store_close(s);
        return rc;
    }
    *out = s;
    return NG_OK;
}

const char *ng_store_errmsg(const ng_store *s)
{
    return s ? s->err : "no store";
}

int ng_store_set_busy_timeout(ng_store *s, int ms)
{
    if (!s || ms < 0)
        return NG_EINVAL;
    if (s->ops && s->impl && s->ops->set_busy_timeout)
        s->ops->set_busy_timeout(s, ms);
    return NG_OK;
}

void ng_store_close(ng_store *s)
{
    if (!s)
        return;
    if (s->ops && s->impl) {
        while (s->depth > 0)
            ng__store_rollback(s);
        ng__dup_close(s);
        s->ops->close(s);
    }
    ng__dupstate_free(s->dup);
    ng__dupstate_free(s->src);
    ng__histcache_free(s->hist);
    free(s->path);
    free(s);
}

int ng__store_readonly(const ng_store *s)
{
    return s && (s->flags & NG_STORE_READONLY) != 0;
}

int ng__store_history_detail(ng_store *s, const char *field,
                             const char *value, int64_t from, int64_t to,
                             ng__history_row *out)
{
    memset(out, 0, sizeof *out);
    if (!s || !value)
        return NG_EINVAL;
    return s->ops->history_detail(s, field, value, from, to, out);
}

int ng__store_history(ng_store *s, const char *field, const char *value,
                      int64_t from, int64_t to, int64_t cap, int64_t *count)
{
    *count = 0;
    if (!s || !value)
        return NG_EINVAL;
    /* The writing handle keeps counts between items (history_cache.c).
     * A replay's horizon or a reader asks the backend each time. */
    if (!s->horizon && !(s->flags & NG_STORE_READONLY))
        return ng__histcache_count(s, field, value, from, to, cap, count);
    return s->ops->history(s, field, value, from, to, cap, count);
}

/* ---- transactions ---------------------------------------------------- */

/* Inside an all-or-nothing batch, the levels below the batch's own are
 * counted (and told to the duplicate index) but open nothing in the
 * backend. */
static int inner_level(const ng_store *s)
{
    return s->whole && s->depth >= 1;
}

int ng__store_begin(ng_store *s, int durable)
{
    int rc;

    if (s->broken)
        return ng__store_fail(s, NG_ESTATE, "%s: the batch was rolled "
                              "back after a failure", s->path);
    rc = inner_level(s) ? NG_OK : s->ops->begin(s, durable);
    if (rc == NG_OK)
        ng__dup_txn(s, ++s->depth, NG__TXN_BEGIN);
    s->generation++;
    return rc;
}

/* A level of an all-or-nothing batch fails: what it wrote cannot be
 * undone alone, so the whole transaction goes, every level of it. */
static int rollback_whole(ng_store *s)
{
    int rc = s->ops->rollback(s);

    ng__histcache_drop(s);
    while (s->depth > 0)
        ng__dup_txn(s, s->depth--, NG__TXN_ROLLBACK);
    s->broken = 1;
    s->generation++;
    return rc;
}

int ng__store_rollback(ng_store *s)
{
    if (inner_level(s) && s->depth > 1)
        return rollback_whole(s);
    int rc = s->ops->rollback(s);
    ng__histcache_drop(s);   /* it counted the items rolled back */
    if (s->depth > 0)
        ng__dup_txn(s, s->depth--, NG__TXN_ROLLBACK);
    s->generation++;
    return rc;
}

int ng__store_commit(ng_store *s)
{
    int rc = inner_level(s) && s->depth > 1 ? NG_OK : s->ops->commit(s);
    if (rc != NG_OK) {
        ng__store_rollback(s);
        return rc;
    }
    if (s->depth > 0)
        ng__dup_txn(s, s->depth--, NG__TXN_COMMIT);
    s->generation++;
    return rc;
}

int ng__store_finish(ng_store *s, int rc)
{
    if (rc == NG_OK)
        return ng__store_commit(s);
    ng__store_rollback(s);
    return rc;
}

/* ---- batches --------------------------------------------------------- */

int ng_store_batch_begin(ng_store *s)
{
    if (!s)
        return NG_EINVAL;
    if (s->batch)
        return ng__store_fail(s, NG_ESTATE, "a batch is already open");
    int rc = ng__store_begin(s, 1);
    if (rc == NG_OK)
        s->batch = 1;
    return rc;
}

int ng_store_batch_begin_whole(ng_store *s)
{
    int rc = ng_store_batch_begin(s);

    if (rc == NG_OK && !s->ops->guard_items)
        s->whole = 1;
    return rc;
}

/* Closes a batch that was rolled back whole after a failure: rc NG_OK
 * (a rollback asked for) or the error a commit reports. */
static int close_broken(ng_store *s, int rc)
{
    s->batch = 0, s->whole = 0, s->broken = 0;
    return rc == NG_OK ? NG_OK
                       : ng__store_fail(s, rc, "%s: the batch was rolled "
                                        "back after a failure; nothing of "
                                        "it was stored", s->path);
}

int ng_store_batch_commit(ng_store *s)
{
    if (!s)
        return NG_EINVAL;
    if (!s->batch)
        return ng__store_fail(s, NG_ESTATE, "no batch is open");
    if (s->broken)
        return close_broken(s, NG_ESTORE);
    s->batch = 0, s->whole = 0;
    return ng__store_commit(s);
}

int ng_store_batch_rollback(ng_store *s)
{
    if (!s)
        return NG_EINVAL;
    if (!s->batch)
        return NG_OK;
    if (s->broken)
        return close_broken(s, NG_OK);
    s->batch = 0, s->whole = 0;
    return ng__store_rollback(s);
}

/* ---- submit ---------------------------------------------------------- */

static const char *status_of(ng_action a)
{
    return a == NG_REJECT ? "rejected" : a == NG_REVIEW ? "review"
                                                       : "accepted";
}

/* Runs the engine with `s` attached, restoring the engine's own store:
 * a check, or the re-check of `old` (may be NULL; see
 * ng__engine_recheck, which sets *partial). */
static int check_with(ng_engine *e, ng_store *s, ng_item *it,
                      const ng_verdict *old, ng_verdict **v, int *partial)
{
    ng_store *prev = ng__engine_store(e);
    int rc;

    ng_engine_use_store(e, s);
    rc = ng__engine_recheck(e, it, old, v, partial);
    ng_engine_use_store(e, prev);
    if (rc != NG_OK)
        ng__store_fail(s, rc, "check: %s", ng_engine_errmsg(e));
    return rc;
}

/* One item in NG__RUN_SAMPLE keeps the timing of every rule it ran. */
#define NG__RUN_SAMPLE 64

/* The rule runs of v worth storing for item `id`, as backend rows
 * (malloc'd, caller frees; *n set): the hits and failures, which reports
 * and `queue list --rule` need, and every run of one item in
 * NG__RUN_SAMPLE as timing samples.  A row per rule per item would cost
 * more than the item itself. */
static ng__run_row *run_rows(const ng_verdict *v, int64_t id, size_t *n)
{
    ng__run_row *r = malloc((v->nruns + 1) * sizeof *r);
    int sample = id % NG__RUN_SAMPLE == 0;

    *n = 0;
    for (size_t i = 0; r && i < v->nruns; i++) {
        if (!sample && !v->runs[i].hit && !v->runs[i].failed)
            continue;
        r[*n].rule = v->runs[i].rule ? v->runs[i].rule : "?";
        r[*n].hit = v->runs[i].hit;
        r[*n].us = v->runs[i].us;
        ++*n;
    }
    return r;
}

/* The item row of a new submission. */
static ng__item_row item_row(ng_engine *e, const ng_item *it,
                             const ng_verdict *v, char *host, size_t n)
{
    ng__item_row row = {
        .external_id = it->external_id,
        .submitted_at = it->submitted_unix,
        .status = status_of(v->action), .action = ng_action_name(v->action),
        .score = v->score,
        .rules_hash = v->rules_hash ? v->rules_hash
                                    : ng_engine_rules_hash(e),
        .now = (int64_t)time(NULL),
    };
    if (it->url && ng__url_host(it->url, host, n) > 0)
        row.domain = host;
    return row;
}

/* The item JSON's stored form made by ng_submit_check, if any: it
 * follows the text's NUL in the same allocation (see pack_item). */
static const unsigned char *packed_of(const ng_item *it, size_t *n)
{
    *n = it->an.packed_len;
    return *n ? (const unsigned char *)it->an.json + it->an.json_len + 1
              : NULL;
}

/* Everything one submission writes, inside an open transaction: the item
 * with its verdict (the database assigns its id), the rule runs, the
 * duplicate keys and the audit entry. */
static int file_item(ng_engine *e, ng_store *s, ng_item *it,
                     ng_verdict *v, int64_t *id)
{
    char host[256];
    ng__item_row row = item_row(e, it, v, host, sizeof host);
    /* The item as stored, unless ng_submit_check made it already. */
    char *own = it->an.json ? NULL : ng__item_to_json(it);
    const char *ij = it->an.json ? it->an.json : own;
    ng__run_row *runs = NULL;
    size_t nruns = 0;
    int rc = ij ? NG_OK : ng__store_fail(s, NG_ENOMEM, "no memory");

    /* The stored verdict leaves the id out (the row has it, and the
     * database assigns it on insert); the text the caller prints is then
     * spliced from it, not serialised again (ng__verdict_json). */
    row.item_json = ij;
    if (it->an.json && it->an.packed_len && it->an.pack_ops == s->ops)
        row.item_packed = packed_of(it, &row.item_packed_len);
    row.title = it->title;
    row.submitter = it->submitter;
    row.verdict_json = ng__verdict_json(v, 0);
    row.cleaned_body = v->cleaned;
    if (rc == NG_OK && !row.verdict_json)
        rc = ng__store_fail(s, NG_ENOMEM, "out of memory");
    if (rc == NG_OK)
        rc = s->ops->insert_item(s, &row, id);
    if (rc == NG_OK)
        ng__histcache_filed(s, it->submitter, row.domain, row.now);
    if (rc == NG_OK && !(runs = run_rows(v, *id, &nruns)))
        rc = ng__store_fail(s, NG_ENOMEM, "no memory");
    if (rc == NG_OK)
        rc = s->ops->add_runs(s, *id, runs, nruns);
    if (rc == NG_OK && !ng__verdict_json(v, *id))
        rc = ng__store_fail(s, NG_ENOMEM, "out of memory");
    if (rc == NG_OK)
        rc = ng__dup_record(s, it, *id);
    if (rc == NG_OK)
        rc = s->ops->audit(s, *id, row.now, "newsgate", "verdict",
                           row.status, row.rules_hash);
    free(runs);
    free(own);
    return rc;
}

/* Inside the write transaction: the external_id may have arrived from
 * another process since the first look.  Returns NG_OK (found),
 * NG_ENOTFOUND or an error. */
static int find_existing(ng_store *s, const ng_item *it, int64_t *id)
{
    if (!it->external_id)
        return NG_ENOTFOUND;
    return s->ops->find_external(s, it->external_id, id);
}

/* Files a checked item in its own (nested) transaction, unless its
 * external_id arrived meanwhile (*existed 1, *id the earlier item).
 * Returns NG_OK or a store error. */
static int file_checked(ng_engine *e, ng_store *s, ng_item *item,
                        ng_verdict *v, int64_t *id, int *existed)
{
    int rc = ng__store_begin(s, 1);

    if (rc != NG_OK)
        return rc;
    rc = find_existing(s, item, id);
    if (rc == NG_OK)
        *existed = 1;
    else if (rc == NG_ENOTFOUND)
        rc = file_item(e, s, item, v, id);
    if (rc == NG_OK && !*existed)
        rc = ng__engine_brake_observe(e, s, v, *id);
    return ng__store_finish(s, rc);
}

/* The packer of the backend e's items are filed into (ng_engine_files_into,
 * else the attached store's), made on first use; NULL when that backend
 * stores texts as given, or out of memory. */
static void *packer_of(ng_engine *e, const ng_store *attached,
                       const ng__store_ops **ops)
{
    ng__engine_pack *p = ng__engine_pack_of(e);

    *ops = p->ops ? p->ops : attached ? attached->ops : NULL;
    if (!*ops || !(*ops)->pack)
        return NULL;
    if (p->packer && p->made != *ops) {
        p->made->pack_free(p->packer);
        p->packer = NULL;
    }
    if (!p->packer && (p->packer = (*ops)->pack_new()))
        p->made = *ops;
    return p->packer;
}

/* Makes the item JSON's stored form ahead of filing, on the checking
 * thread (issue 13: compression was ~30% of the single writer's work).
 * The bytes go at the end of an.json's own allocation, which the item's
 * analysis already frees, so they live and die with the text they were
 * made from.  Failing here costs nothing but the speed-up: the backend
 * makes the form itself when filing. */
static void pack_item(ng_engine *e, const ng_store *attached, ng_item *it)
{
    const ng__store_ops *ops;
    void *packer = packer_of(e, attached, &ops);
    unsigned char *bytes = NULL;
    size_t n = 0, len;
    char *grown;

    if (!packer || !it->an.json || it->an.packed_len)
        return;
    len = strlen(it->an.json);
    if (ops->pack(packer, it->an.json, len, &bytes, &n) != NG_OK || !bytes)
        return;
    if ((grown = realloc(it->an.json, len + 1 + n))) {
        memcpy(grown + len + 1, bytes, n);
        it->an.json = grown;
        it->an.json_len = len;
        it->an.packed_len = n;
        it->an.pack_ops = ops;
    }
    free(bytes);
}

int ng_engine_files_into(ng_engine *e, const ng_store *s)
{
    if (!e)
        return NG_EINVAL;
    ng__engine_pack_of(e)->ops = s ? s->ops : NULL;
    return NG_OK;
}

int ng_submit_check(ng_engine *e, ng_item *item, ng_verdict **out)
{
    ng_store *s = e ? ng__engine_store(e) : NULL;
    int rc;

    if (out)
        *out = NULL;
    if (!e || !item || !out)
        return NG_EINVAL;
    /* Rules braked by any process run as shadow rules, as in ng_submit. */
    if (s && (rc = ng__engine_brakes_load(e, s)) != NG_OK) {
        ng__engine_error(e, "%s", ng_store_errmsg(s));
        return rc;
    }
    /* The rules that read the store run again when the item is filed,
     * so here they find no store (their runs are still marked): nothing
     * is looked up twice.  The duplicate keys and the item's stored JSON
     * are worked out here too, off the filing thread. */
    ng_engine_use_store(e, NULL);
    rc = ng_check(e, item, out);
    ng_engine_use_store(e, s);
    if (rc == NG_OK && !item->an.json)
        item->an.json = ng__item_to_json(item); /* NULL: made when filed */
    if (rc == NG_OK)
        pack_item(e, s, item);
    if (rc == NG_OK && !ng__dup_info(item)) {
        ng_verdict_free(*out);
        *out = NULL;
        ng__engine_error(e, "out of memory");
        rc = NG_ENOMEM;
    }
    return rc;
}

/* Checks the item (again after a lost race: with `checked`, only the
 * rules that read the store) and files it in its own transaction level.
 * Returns NG_OK, NG__ERETRY when another writer committed meanwhile what
 * the check assumed absent (its external_id, or the first copy of its
 * text; see store.h), or an error.  *v is the verdict when filed. */
static int check_and_file(ng_engine *e, ng_store *s, ng_item *item,
                          const ng_verdict *checked, int64_t *id,
                          int *existed, ng_verdict **v, int *partial)
{
    ng__dupinfo *d = ng__dup_cache(item);
    int rc;

    if (d)          /* what this check sees of exact copies, afresh */
        d->text_looked = 0, d->text_first = 0;
    /* Rules braked by any process run as shadow rules from here on. */
    rc = ng__engine_brakes_load(e, s);
    if (rc == NG_OK)
        rc = check_with(e, s, item, checked, v, partial);
    if (rc != NG_OK)
        return rc;
    if (checked)   /* the answer's timings cover both checks */
        (*v)->total_us += checked->total_us;
    rc = file_checked(e, s, item, *v, id, existed);
    if (rc != NG_OK || *existed) {
        if (rc != NG_OK)
            *id = 0;
        ng_verdict_free(*v);
        *v = NULL;
    }
    return rc;
}

/* Times a submission is checked again after losing a race to another
 * writer (each retry sees the winner, so one is enough in practice). */
#define NG__SUBMIT_RETRIES 3

int ng_submit(ng_engine *e, ng_store *s, ng_item *item, int64_t *id,
              int *existed, ng_verdict **out)
{
    return ng_submit_file(e, s, item, NULL, id, existed, out, NULL);
}

int ng_submit_file(ng_engine *e, ng_store *s, ng_item *item,
                   const ng_verdict *checked, int64_t *id, int *existed,
                   ng_verdict **out, int *rechecked)
{
    ng_verdict *v = NULL;
    int rc, partial = 0;

    if (rechecked)
        *rechecked = 0;
    if (!id || !existed || !out) /* out-parameters: never dereference NULL */
        return NG_EINVAL;
    *id = 0, *existed = 0, *out = NULL;
    if (!e || !s || !item)
        return NG_EINVAL;
    if (s->flags & NG_STORE_READONLY)
        return ng__store_fail(s, NG_ESTATE, "%s: store is read-only",
                              s->path);
    rc = find_existing(s, item, id);
    if (rc != NG_ENOTFOUND) {
        *existed = rc == NG_OK;
        return rc;
    }
    for (int i = 0; i < NG__SUBMIT_RETRIES; i++) {
        rc = check_and_file(e, s, item, checked, id, existed, &v, &partial);
        if (rc != NG__ERETRY)
            break;
    }
    if (rc == NG__ERETRY)
        rc = ng__store_fail(s, NG_EBUSY, "%s: other writers kept storing "
                            "this item's text first; retry", s->path);
    if (rechecked)
        *rechecked = checked ? 2 - partial : 0;
    if (rc == NG_OK && !*existed)
        *out = v;
    return rc;
}

int ng__store_refile(ng_store *s, int64_t id, const ng_verdict *v,
                     int *changed)
{
    ng__refile r = {
        .status = status_of(v->action), .action = ng_action_name(v->action),
        .score = v->score, .rules_hash = v->rules_hash,
    };
    char *vj = ng_verdict_json(v, id);
    int rc;

    *changed = 0;
    if (!vj)
        return ng__store_fail(s, NG_ENOMEM, "out of memory");
    r.verdict_json = vj;
    rc = ng__store_begin(s, 1);
    if (rc == NG_OK) {
        rc = s->ops->refile(s, id, &r);
        *changed = rc == NG_OK;
        if (rc == NG_OK)
            rc = s->ops->audit(s, id, (int64_t)time(NULL), "newsgate",
                               "verdict", r.status, r.rules_hash);
        if (rc == NG_EEMPTY)
            rc = NG_OK;     /* decided by a human or published: keep */
        rc = ng__store_finish(s, rc);
    }
    ng_free(vj);
    return rc;
}
