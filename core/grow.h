/*
 * grow.h -- the one way arrays and buffers grow in libnewsgate, in the
 * manner of Lua's luaM_growvector: doubling, with every size computation
 * checked for overflow, so no caller multiplies a capacity by hand.
 */
#ifndef NG_GROW_H
#define NG_GROW_H

#include <stddef.h>

/* Makes room for `n + extra` elements of `size` bytes in the array whose
 * address is `p` (a `T **`) and whose capacity in elements is *cap: when
 * *cap is smaller, reallocates to the larger of that need and twice *cap
 * (and at least `min`), updating the array and *cap.  Returns 0, or -1
 * when out of memory or when n + extra or the byte size would overflow
 * size_t; the array and *cap are then unchanged. */
int ng__grow_slow(void *p, size_t *cap, size_t n, size_t extra, size_t size,
                  size_t min);

/* The common case (room enough) inline, since buffers grow byte by byte
 * in the text hot paths; the reallocation out of line. */
static inline int ng__grow(void *p, size_t *cap, size_t n, size_t extra,
                           size_t size, size_t min)
{
    if (n <= *cap && extra <= *cap - n)
        return 0;
    return ng__grow_slow(p, cap, n, extra, size, min);
}

#endif
