/*
 * grow.c -- the overflow-checked growth helper of grow.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

int ng__grow_slow(void *p, size_t *cap, size_t n, size_t extra, size_t size,
                  size_t min)
{
    void *old, *nv;
    size_t ncap, need;
    if (extra > SIZE_MAX - n || size == 0)
        return -1;
    need = n + extra;
    if (need <= *cap)
        return 0;
    ncap = *cap > SIZE_MAX / 2 ? SIZE_MAX : *cap * 2;
    if (ncap < min)
        ncap = min;
    if (ncap < need)
        ncap = need;
    if (ncap > SIZE_MAX / size) {
        if (need > SIZE_MAX / size)
            return -1;
        ncap = SIZE_MAX / size;
    }
    memcpy(&old, p, sizeof old);
    if (!(nv = realloc(old, ncap * size)))
        return -1;
    memcpy(p, &nv, sizeof nv);
    *cap = ncap;
    return 0;
}
