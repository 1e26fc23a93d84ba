/*
 * sources.c -- reference sources: publishers' articles registered in the
 * store apart from the moderation queue (`newsgate sources add`), indexed
 * by the same fingerprints as items (a second index, NG__IX_SOURCES, in
 * dup_state.c) and matched against an item by item:copied_from().
 *
 * A match is a registered article this item reproduces: verified exactly
 * like a near duplicate (ng__dup_compare), so an excerpt of a long
 * article, a copy with words changed or one wrapped in another site's
 * furniture is found.  "How much is reproduced" is the share of the
 * source's words covered here (or its shingles contained here, whichever
 * is larger).  Storage only through the backend table (store.h).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dup.h"
#include "sources.h"
#include "store.h"
#include "store_api.h"

static char *dup_or_null(const char *p)
{
    return p ? strdup(p) : NULL;
}

int ng_sources_add(ng_store *s, ng_item *item, const char *publisher,
                   const char *domain, int64_t *id)
{
    if (id)
        *id = 0;
    if (!s || !item || !publisher || !*publisher || !id)
        return NG_EINVAL;
    int rc = ng__store_writable(s, "sources", "add sources");
    if (rc != NG_OK)
        return rc;
    const ng__dupinfo *d = ng__dup_info(item);
    uint32_t *seq = d ? ng__dup_sequence(d) : NULL;
    if (!seq)
        return NG_ENOMEM;
    const char *title = ng_item_get(item, NG_FIELD_TITLE);
    ng__src_row r = {
        .publisher = publisher, .domain = domain && *domain ? domain : NULL,
        .title = title ? title : "", .added_at = (int64_t)time(NULL),
        .fps = d->fps, .nfps = d->nfps, .shingles = seq,
        .nshingles = d->nocc, .body = ng_item_get(item, NG_FIELD_BODY),
    };
    if ((rc = ng__store_begin(s, 1)) == NG_OK)
        rc = ng__store_finish(s, s->ops->src_insert(s, &r, id));
    if (rc == NG_OK)
        ng__dup_sources_changed(s, 0);
    free(seq);
    return rc;
}

typedef struct list_ctx {
    ng_source_fn fn;
    void *arg;
} list_ctx;

static int list_row(void *arg, const ng__src_row *r)
{
    list_ctx *c = arg;
    ng_source_info info = { r->id, r->publisher, r->domain, r->title,
                            r->added_at, r->body };
    return c->fn(c->arg, &info) == 0 ? NG_OK : NG_EINTERNAL;
}

int ng_sources_get(ng_store *s, int64_t id, ng_source_fn fn, void *arg)
{
    if (!s || !fn || id <= 0)
        return NG_EINVAL;
    list_ctx c = { fn, arg };
    return s->ops->src_get(s, id, list_row, &c);
}

int ng_sources_list(ng_store *s, ng_source_fn fn, void *arg)
{
    if (!s || !fn)
        return NG_EINVAL;
    list_ctx c = { fn, arg };
    return s->ops->src_list(s, list_row, &c);
}

int ng_sources_remove(ng_store *s, const char *publisher, int64_t id,
                      int64_t *removed)
{
    if (removed)
        *removed = 0;
    if (!s || !removed || (!publisher && id <= 0))
        return NG_EINVAL;
    int rc = ng__store_writable(s, "sources", "remove sources");
    if (rc == NG_OK && (rc = ng__store_begin(s, 1)) == NG_OK)
        rc = ng__store_finish(s, s->ops->src_remove(s, publisher, id,
                                                    removed));
    /* Removed sources stay in a loaded index (verification skips them);
     * the image made on close leaves them out. */
    if (rc == NG_OK && *removed)
        ng__dup_sources_changed(s, 1);
    return rc;
}

/* ---- matching ---------------------------------------------------- */

static int fill(void *arg, const ng__src_row *r)
{
    ng__srcmatch *m = arg;
    m->publisher = dup_or_null(r->publisher);
    m->domain = dup_or_null(r->domain);
    m->title = dup_or_null(r->title);
    return m->publisher && m->title ? NG_OK : NG_ENOMEM;
}

static int grow(ng__srcmatches *out)
{
    if (out->n < out->cap)
        return 0;
    size_t cap = out->cap ? out->cap * 2 : 4;
    ng__srcmatch *v = realloc(out->v, cap * sizeof *v);
    if (!v)
        return -1;
    out->v = v;
    out->cap = cap;
    return 0;
}

/* Verifies source `id` against d; appends it when it is reproduced. */
static int verify(ng_store *s, const ng__dupinfo *d, ng__dupprobe **p,
                  int64_t id, double min, ng__srcmatches *out)
{
    ng__dupsim sim;
    double ca, cb, score;
    int rc = ng__dup_verify(s, NG__IX_SOURCES, d, p, id, &sim, &ca, &cb,
                            &score);
    if (rc == NG_ENOTFOUND)
        return NG_OK;   /* removed since the index read it */
    if (rc != NG_OK || score < min || score <= 0)
        return rc;
    if (grow(out) < 0)
        return NG_ENOMEM;
    ng__srcmatch *m = &out->v[out->n];
    memset(m, 0, sizeof *m);
    m->id = id;
    m->similarity = score;
    m->containment = cb > sim.containment ? cb : sim.containment;
    m->contained = ca > sim.contained ? ca : sim.contained;
    rc = s->ops->src_get(s, id, fill, m);
    if (rc == NG_OK)
        out->n++;
    else
        ng__srcmatch_clear(m);
    return rc == NG_ENOTFOUND ? NG_OK : rc;
}

static int by_score(const void *a, const void *b)
{
    const ng__srcmatch *x = a, *y = b;
    if (x->similarity != y->similarity)
        return x->similarity < y->similarity ? 1 : -1;
    return (x->id > y->id) - (x->id < y->id);
}

int ng__sources_copied(ng_store *s, ng_item *it, double min, size_t limit,
                       ng__srcmatches *out)
{
    int rc;
    struct ng__dupindex *ix = ng__dup_index_for(s, NG__IX_SOURCES, it, &rc);
    ng__dupcand c[NG__DUP_MAX_VERIFY];
    size_t nc;
    if (!ix)
        return rc;
    /* No sources, no keys to make (a third of an item's store side). */
    if (ng__dupindex_entries(ix) == 0)
        return NG_OK;
    const ng__dupinfo *d = ng__dup_info(it);
    if (!d)
        return NG_ENOMEM;
    if (d->nocc == 0)
        return NG_OK;
    if (ng__dup_candidates(ix, d, 0, 0, c, &nc) < 0)
        return NG_ENOMEM;
    ng__dupprobe *p = NULL;     /* d's side, made for the first one */
    for (size_t i = 0; i < nc && rc == NG_OK; i++)
        rc = verify(s, d, &p, c[i].id, min, out);
    ng__dup_probe_free(p);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, by_score);
    while (out->n > limit)
        ng__srcmatch_clear(&out->v[--out->n]);
    return rc;
}

void ng__srcmatch_clear(ng__srcmatch *m)
{
    free(m->publisher);
    free(m->domain);
    free(m->title);
    m->publisher = m->domain = m->title = NULL;
}

void ng__srcmatches_free(ng__srcmatches *m)
{
    for (size_t i = 0; i < m->n; i++)
        ng__srcmatch_clear(&m->v[i]);
    free(m->v);
    m->v = NULL;
    m->n = m->cap = 0;
}
