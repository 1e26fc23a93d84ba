/*
 * dirsig.h -- a cheap signature of a directory's state, to notice that it
 * changed while it was being read (the rules directory during a load).
 */
#ifndef NG_DIRSIG_H
#define NG_DIRSIG_H

#include <stdint.h>

/* Signature of `dir`, its entries and the entries of its subdirectories
 * (one level: rules/lists/): names, inodes, sizes, modes and change and
 * modification times, whatever the order readdir gives them in.  Returns
 * 0 and sets *sig, or -1 when `dir` cannot be read. */
int ng__dirsig(const char *dir, uint64_t *sig);

#endif
