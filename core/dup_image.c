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
 * position through the store like any index.  An image that is missing,
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

static const char MAGIC[8] = "NGFPX\0\0\1";

typedef struct header {
    char magic[8];
    uint64_t identity;
    int64_t pos, maxid;
    uint64_t count, n;          /* items, entries */
} header;

struct ng__dupindex *ng__dupimage_load(const char *path, uint64_t identity,
                                       int64_t *pos)
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
    if (memcmp(h.magic, MAGIC, sizeof MAGIC) == 0 && h.identity == identity
        && h.n == (len - sizeof h) / sizeof(uint64_t)
        && (len - sizeof h) % sizeof(uint64_t) == 0 && h.pos >= 0)
        ix = ng__dupindex_mapped(map, len,
                                 (const uint64_t *)((char *)map + sizeof h),
                                 (size_t)h.n, (size_t)h.count, h.maxid);
    if (!ix) {
        munmap(map, len);
        return NULL;
    }
    *pos = h.pos;
    return ix;
}

static int put(const uint64_t *v, size_t n, void *arg)
{
    return fwrite(v, sizeof *v, n, arg) == n ? 0 : -1;
}

int ng__dupimage_write(const char *path, uint64_t identity, int64_t pos,
                       const struct ng__dupindex *ix)
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
        rc = ng__dupindex_save(ix, put, f);
    if (fclose(f) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) == 0)
        return 0;
    unlink(tmp);
    return -1;
}
