/*
 * dup_sketch.c -- the verification sketches held with a store's
 * fingerprint index: for every indexed item, its shingle sequence in text
 * order cut to 24 bits a shingle (NG__DUP_SKETCH, 3 bytes), so verifying
 * a candidate reads memory the index already holds instead of a blob row
 * of the store (issue 8, point 2).
 *
 * Two layers, like the index: the entries of an image (dup_image.c),
 * sorted by id and lying in its mapping (never copied; the index owns the
 * mapping), and the entries this process added (catch-up and its own
 * submissions), kept sorted by id on the heap, their values appended to
 * one arena.  A look-up is a binary search in each.  A rolled-back entry
 * is removed from the heap layer; its values stay in the arena until the
 * table is freed (a rollback is rare and small).  No storage here:
 * core/dup_state.c feeds it from the backend's rows.
 */
#include <stdlib.h>
#include <string.h>
#include "dup.h"
#include "grow.h"

struct ng__dupsketch {
    const ng__sketchent *ments;     /* image layer (in the mapping) */
    const unsigned char *mdata;
    size_t mn, mbytes;
    ng__sketchent *e;               /* heap layer, sorted by id */
    size_t n, cap;
    unsigned char *data;            /* arena of the heap layer */
    size_t dn, dcap;
};

struct ng__dupsketch *ng__dupsketch_new(void)
{
    return calloc(1, sizeof(struct ng__dupsketch));
}

void ng__dupsketch_free(struct ng__dupsketch *sk)
{
    if (!sk)
        return;
    free(sk->e);
    free(sk->data);
    free(sk);
}

/* First index in e[0..n) whose id is >= id. */
static size_t lower(const ng__sketchent *e, size_t n, uint32_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int ng__dupsketch_add(struct ng__dupsketch *sk, uint32_t id,
                      const unsigned char *v, size_t n)
{
    size_t bytes = n * NG__DUP_SKETCH_BYTES;
    if (n > UINT32_MAX
        || ng__grow(&sk->data, &sk->dcap, sk->dn, bytes + 1, 1, 4096) < 0
        || ng__grow(&sk->e, &sk->cap, sk->n, 1, sizeof *sk->e, 256) < 0)
        return -1;
    size_t at = lower(sk->e, sk->n, id);
    ng__sketchent ent = { id, (uint32_t)n, sk->dn };
    memcpy(sk->data + sk->dn, v, bytes);
    sk->dn += bytes;
    if (at < sk->n && sk->e[at].id == id) {
        sk->e[at] = ent;        /* keys stored again (INSERT OR REPLACE) */
        return 0;
    }
    /* Ids come in commit order: nearly always appended at the end. */
    memmove(sk->e + at + 1, sk->e + at, (sk->n - at) * sizeof *sk->e);
    sk->e[at] = ent;
    sk->n++;
    return 0;
}

void ng__dupsketch_remove(struct ng__dupsketch *sk, uint32_t id)
{
    size_t at = lower(sk->e, sk->n, id);
    if (at == sk->n || sk->e[at].id != id)
        return;
    memmove(sk->e + at, sk->e + at + 1, (sk->n - at - 1) * sizeof *sk->e);
    sk->n--;
}

const unsigned char *ng__dupsketch_get(const struct ng__dupsketch *sk,
                                       uint32_t id, size_t *n)
{
    size_t at = lower(sk->e, sk->n, id);
    if (at < sk->n && sk->e[at].id == id) {
        *n = sk->e[at].n;
        return sk->data + sk->e[at].off;
    }
    at = lower(sk->ments, sk->mn, id);
    /* An image entry outside its values (a damaged file) is no sketch. */
    if (at < sk->mn && sk->ments[at].id == id
        && sk->ments[at].off <= sk->mbytes
        && sk->ments[at].n <= (sk->mbytes - sk->ments[at].off)
                              / NG__DUP_SKETCH_BYTES) {
        *n = sk->ments[at].n;
        return sk->mdata + sk->ments[at].off;
    }
    *n = 0;
    return NULL;
}

void ng__dupsketch_map(struct ng__dupsketch *sk, const ng__sketchent *e,
                       size_t n, const unsigned char *data, size_t bytes)
{
    sk->ments = e;
    sk->mn = n;
    sk->mdata = data;
    sk->mbytes = bytes;
}

/* The entry of the merged layers at cursors i (image) and j (heap):
 * returns 1 and sets *e and *v, or 0 at the end.  A heap entry replaces
 * an image entry of the same id. */
static int next(const struct ng__dupsketch *sk, size_t *i, size_t *j,
                ng__sketchent *e, const unsigned char **v)
{
    int heap = *j < sk->n
               && (*i == sk->mn || sk->e[*j].id <= sk->ments[*i].id);
    if (!heap && *i == sk->mn)
        return 0;
    if (heap && *i < sk->mn && sk->ments[*i].id == sk->e[*j].id)
        (*i)++;
    *e = heap ? sk->e[(*j)++] : sk->ments[(*i)++];
    *v = (heap ? sk->data : sk->mdata) + e->off;
    return 1;
}

int ng__dupsketch_save(const struct ng__dupsketch *sk,
                       int (*put)(const void *p, size_t bytes, void *arg),
                       void *arg, size_t *count, uint64_t *bytes)
{
    ng__sketchent e;
    const unsigned char *v;
    size_t i = 0, j = 0;
    uint64_t off = 0;
    *count = 0;
    /* Pass 1: the directory with offsets into the values written next. */
    while (next(sk, &i, &j, &e, &v)) {
        e.off = off;
        off += (uint64_t)e.n * NG__DUP_SKETCH_BYTES;
        ++*count;
        if (put(&e, sizeof e, arg) < 0)
            return -1;
    }
    *bytes = off;
    for (i = j = 0; next(sk, &i, &j, &e, &v);)
        if (e.n && put(v, (size_t)e.n * NG__DUP_SKETCH_BYTES, arg) < 0)
            return -1;
    return 0;
}
