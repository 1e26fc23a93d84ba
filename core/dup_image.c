/*
 * dup_image.c -- the persisted image of a store's fingerprint index: a
 * file beside the database ("<db>-fpx") holding the index's sorted
 * entries, so a process starts by mapping it instead of reading every
 * fingerprint row and sorting them (docs/duplicates.md, "Index image").
 *
 * The image is a cache; the store's rows are the truth.  Its header names
 * the store it was made from (an identity the store keeps) and the
 * commit-log position it covers; a process maps it privately (pages are
 * read on demand, changes stay in the process) and catches up from that
 * position through the store like any index.  After the entries come
 * their fence (where each bucket of fingerprints starts, so a look-up
 * searches a few KB of the array, not all of it) and the verification
 * sketches of the items (dup_sketch.c): a directory sorted by id, then
 * the values, also read in place; last the items' exact-key tags
 * (ng__dup_row_tags, sorted like the entries).  An image that is missing,
 * short, of another format or of another store is ignored and the index
 * is loaded from the store.  It is written to a temporary file and
 * renamed, so a reader sees the old image or the new one whole.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dup.h"

/* 3: fence, sketches; 4: exact-key tags */
static const char MAGIC[8] = "NGFPX\0\0\4";

typedef struct header {
    char magic[8];
    uint64_t identity;
    int64_t pos, maxid;
    uint64_t count, n;          /* items, entries */
    uint64_t nsk, nbytes;       /* sketch entries, bytes of values */
    uint64_t nkeys;             /* exact-key tag entries (ng__dup_row_tags) */
} header;

/* Bytes of the values section, padded to 8. */
static uint64_t values_bytes(uint64_t bytes)
{
    return (bytes + 7) / 8 * 8;
}

#define FENCE_BYTES ((uint64_t)(NG__DUP_FENCES + 1) * 8)

/* 1 when the sections the header announces fill the file exactly. */
static int fits(const header *h, size_t len)
{
    uint64_t body = len - sizeof *h;
    if (h->n > body / 8)
        return 0;
    body -= h->n * 8;
    if (body < FENCE_BYTES)
        return 0;
    body -= FENCE_BYTES;
    if (h->nsk > body / sizeof(ng__sketchent))
        return 0;
    body -= h->nsk * sizeof(ng__sketchent);
    if (h->nbytes > body || values_bytes(h->nbytes) > body)
        return 0;
    body -= values_bytes(h->nbytes);
    return h->nkeys <= body / 8 && h->nkeys * 8 == body;
}

/* The fence of a mapped image when it is sound (rising, within the
 * entries), else NULL. */
static const uint64_t *fence_of(const header *h, const char *map)
{
    const uint64_t *f = (const uint64_t *)(map + sizeof *h + h->n * 8);
    if (f[0] != 0 || f[NG__DUP_FENCES] != h->n)
        return NULL;
    for (size_t k = 0; k < NG__DUP_FENCES; k++)
        if (f[k] > f[k + 1])
            return NULL;
    return f;
}

/* Points the sketch table at the image's sections (entries are checked
 * against the values when read, not here: start-up stays O(1)). */
static int map_sketches(const header *h, const char *map,
                        struct ng__dupsketch *sk)
{
    const ng__sketchent *e = (const ng__sketchent *)
        (map + sizeof *h + h->n * 8 + FENCE_BYTES);
    ng__dupsketch_map(sk, e, (size_t)h->nsk,
                      (const unsigned char *)(e + h->nsk), (size_t)h->nbytes);
    return 0;
}

/* An index over the image's exact-key tags (no fence: a few entries an
 * item), lying in the mapping that the fingerprints' index owns. */
static struct ng__dupindex *map_keys(const header *h, char *map)
{
    const uint64_t *k = (const uint64_t *)
        (map + sizeof *h + h->n * 8 + FENCE_BYTES
         + h->nsk * sizeof(ng__sketchent) + values_bytes(h->nbytes));
    return ng__dupindex_mapped(NULL, 0, k, (size_t)h->nkeys, NULL,
                               (size_t)h->count, h->maxid);
}

struct ng__dupindex *ng__dupimage_load(const char *path, uint64_t identity,
                                       int64_t *pos, struct ng__dupsketch *sk,
                                       struct ng__dupindex **ex)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) < 0 || (size_t)st.st_size < sizeof(header)) {
        close(fd);
        return NULL;
    }
    size_t len = (size_t)st.st_size;
    void *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return NULL;
    header h;
    memcpy(&h, map, sizeof h);
    struct ng__dupindex *ix = NULL;
    const uint64_t *fence = NULL;
    if (memcmp(h.magic, MAGIC, sizeof MAGIC) == 0 && h.identity == identity
        && fits(&h, len) && h.pos >= 0 && (fence = fence_of(&h, map))
        && map_sketches(&h, map, sk) == 0
        && (!ex || (*ex = map_keys(&h, map))))
        ix = ng__dupindex_mapped(map, len,
                                 (const uint64_t *)((char *)map + sizeof h),
                                 (size_t)h.n, fence, (size_t)h.count,
                                 h.maxid);
    if (!ix) {
        if (ex) {
            ng__dupindex_free(*ex);
            *ex = NULL;
        }
        munmap(map, len);
        return NULL;
    }
    *pos = h.pos;
    return ix;
}

/* The entries' writer, counting them per fence bucket on the way. */
typedef struct out {
    FILE *f;
    uint64_t *fence;            /* NG__DUP_FENCES + 1 */
} out;

static int put(const uint64_t *v, size_t n, void *arg)
{
    out *o = arg;
    for (size_t i = 0; i < n; i++)
        o->fence[(v[i] >> 32 >> NG__DUP_FENCE_SHIFT) + 1]++;
    return fwrite(v, sizeof *v, n, o->f) == n ? 0 : -1;
}

/* Writes the index's entries and their fence.  Returns 0 or -1. */
static int write_entries(FILE *f, const struct ng__dupindex *ix)
{
    out o = { f, calloc(NG__DUP_FENCES + 1, sizeof(uint64_t)) };
    int rc = o.fence ? ng__dupindex_save(ix, put, &o) : -1;
    for (size_t k = 0; rc == 0 && k < NG__DUP_FENCES; k++)
        o.fence[k + 1] += o.fence[k];
    if (rc == 0 && fwrite(o.fence, 8, NG__DUP_FENCES + 1, f)
                   != NG__DUP_FENCES + 1)
        rc = -1;
    free(o.fence);
    return rc;
}

static int put_bytes(const void *p, size_t bytes, void *arg)
{
    return fwrite(p, 1, bytes, arg) == bytes ? 0 : -1;
}

/* The sketch sections, padded.  Returns 0 or -1. */
static int write_sketches(FILE *f, header *h, const struct ng__dupsketch *sk)
{
    static const char pad[8];
    size_t count;
    if (ng__dupsketch_save(sk, put_bytes, f, &count, &h->nbytes) < 0)
        return -1;
    h->nsk = count;
    size_t extra = (size_t)(values_bytes(h->nbytes) - h->nbytes);
    return put_bytes(pad, extra, f);
}

static int put_plain(const uint64_t *v, size_t n, void *arg)
{
    return fwrite(v, sizeof *v, n, arg) == n ? 0 : -1;
}

/* The exact-key tags (none when ex is NULL), then the header again with
 * the sections' sizes.  Returns 0 or -1. */
static int write_keys(FILE *f, header *h, const struct ng__dupindex *ex)
{
    h->nkeys = ex ? ng__dupindex_entries(ex) : 0;
    if (ex && ng__dupindex_save(ex, put_plain, f) < 0)
        return -1;
    if (fseek(f, 0, SEEK_SET) != 0)
        return -1;
    return fwrite(h, sizeof *h, 1, f) == 1 ? 0 : -1;
}

int ng__dupimage_write(const char *path, uint64_t identity, int64_t pos,
                       const struct ng__dupindex *ix,
                       const struct ng__dupsketch *sk,
                       const struct ng__dupindex *ex)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid())
        >= (int)sizeof tmp)
        return -1;
    FILE *f = fopen(tmp, "wbe");
    if (!f)
        return -1;
    header h = {
        .identity = identity, .pos = pos, .maxid = ng__dupindex_maxid(ix),
        .count = ng__dupindex_count(ix), .n = ng__dupindex_entries(ix),
    };
    memcpy(h.magic, MAGIC, sizeof MAGIC);
    int rc = fwrite(&h, sizeof h, 1, f) == 1 ? 0 : -1;
    if (rc == 0)
        rc = write_entries(f, ix);
    if (rc == 0)
        rc = write_sketches(f, &h, sk);
    if (rc == 0)
        rc = write_keys(f, &h, ex);
    if (fclose(f) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) == 0)
        return 0;
    unlink(tmp);
    return -1;
}
