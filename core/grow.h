/*
 * grow.h -- the one way arrays and buffers grow in libnewsgate, in the
 * manner of Lua's luaM_growvector: doubling, with every size computation
 * checked for overflow, so no caller multiplies a capacity by hand.
 */
#ifndef NG_GROW_H
#define NG_GROW_H

#include <stddef.h>

/* Makes room for at least `need` elements of `size` bytes in the array
 * *p of capacity *cap (elements): when *cap < need, reallocates to the
 * larger of need and twice *cap (at least `min`), updating *p and *cap.
 * Returns 0, or -1 when out of memory or when the byte size would
 * overflow size_t; *p and *cap are then unchanged. */
int ng__grow(void *p, size_t *cap, size_t need, size_t size, size_t min);

#endif
