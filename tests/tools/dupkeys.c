/*
 * dupkeys.c -- prints the shingle sequence of the first item of a file
 * as the stores before schema v8 kept it in dup_keys.shingles: text
 * order, little-endian uint32, in hex (for an SQL X'...' literal).  The
 * migration tests (tests/scripts/dup-migrate.sh) use it to give rows the
 * shape older versions wrote, since a v8 store keeps only the 24-bit
 * sketch.
 *
 *   dupkeys FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include "dup.h"
#include "newsgate.h"

/* Reads all of path into a malloc'd buffer; sets *len. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    if (!f)
        return NULL;
    do {
        if (n == cap) {
            char *p = realloc(buf, cap = cap ? cap * 2 : 65536);
            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    size_t len;
    char *data = argc == 2 ? slurp(argv[1], &len) : NULL;
    ng_reader *r = NULL;
    ng_item *it = NULL;
    if (!data) {
        fprintf(stderr, "usage: dupkeys FILE\n");
        return 2;
    }
    if (ng_reader_open(&r, argv[1], data, len, NG_FORMAT_AUTO, NULL) != NG_OK
        || ng_reader_next(r, &it) != NG_OK) {
        fprintf(stderr, "dupkeys: %s: no item\n", argv[1]);
        return 1;
    }
    const ng__dupinfo *d = ng__dup_info(it);
    uint32_t *seq = d ? ng__dup_sequence(d) : NULL;
    if (!seq)
        return 1;
    for (size_t i = 0; i < d->nocc; i++)
        for (int b = 0; b < 4; b++)
            printf("%02X", (unsigned)(seq[i] >> (8 * b)) & 0xff);
    printf("\n");
    free(seq);
    ng_item_free(it);
    ng_reader_close(r);
    free(data);
    return 0;
}
