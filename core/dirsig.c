/*
 * dirsig.c -- a signature of a directory's state from stat(2) alone: no
 * file is read.  rules.c takes one before a load and one after, and loads
 * again when they differ, so a rules directory rewritten in the middle of
 * a load gives the old or the new rule set, never a mix.  Any write,
 * rename, creation or removal changes a ctime, a size, an inode or the
 * directory's own times; the limit is the file system's timestamp
 * granularity (docs/hardening-faults.md).
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

#include "dirsig.h"

/* The hash of one entry's name and state. */
static uint64_t entry(const char *name, const struct stat *st)
{
    uint64_t k[8] = {
        (uint64_t)st->st_ino, (uint64_t)st->st_size, (uint64_t)st->st_mode,
        (uint64_t)st->st_mtim.tv_sec, (uint64_t)st->st_mtim.tv_nsec,
        (uint64_t)st->st_ctim.tv_sec, (uint64_t)st->st_ctim.tv_nsec,
        (uint64_t)st->st_dev,
    };

    return XXH3_64bits_withSeed(k, sizeof k, XXH3_64bits(name, strlen(name)));
}

/* Adds the entries of `dir` (and, while depth > 0, of its
 * subdirectories) to *acc: a sum, so readdir's order does not matter.
 * Returns 0 or -1. */
static int add_dir(const char *dir, int depth, uint64_t *acc)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    struct stat st;
    char path[4096];

    if (d == NULL)
        return -1;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (stat(path, &st) != 0) {
            /* Gone between readdir and stat: it is changing. */
            *acc += XXH3_64bits(path, strlen(path)) ^ 0x9e3779b97f4a7c15u;
            continue;
        }
        *acc += entry(path, &st);
        if (depth > 0 && S_ISDIR(st.st_mode))
            add_dir(path, depth - 1, acc);
    }
    closedir(d);
    if (stat(dir, &st) != 0)
        return -1;
    *acc += entry(dir, &st);
    return 0;
}

int ng__dirsig(const char *dir, uint64_t *sig)
{
    uint64_t acc = 0;

    if (add_dir(dir, 1, &acc) != 0)
        return -1;
    *sig = acc;
    return 0;
}
