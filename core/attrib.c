/*
 * attrib.c -- small helpers shared by the attribution analysis modules
 * (quotes.c, credits.c, publishers.c): array growth with an overflow
 * check, and ASCII case-insensitive membership of a word in a short list.
 */
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>

#include "attrib.h"

int ng__attrib_grow(void **v, size_t *cap, size_t n, size_t size)
{
    size_t ncap;
    void *p;

    if (n < *cap)
        return 0;
    ncap = *cap ? *cap * 2 : 16;
    if (ncap < *cap || ncap > SIZE_MAX / size)
        return -1;
    if ((p = realloc(*v, ncap * size)) == NULL)
        return -1;
    *v = p;
    *cap = ncap;
    return 0;
}

int ng__attrib_word_in(const char *s, size_t len, const char *const *words)
{
    for (; *words; words++) {
        const char *w = *words;
        size_t i = 0;
        while (i < len && w[i] && (s[i] | 0x20) == (w[i] | 0x20)
               && (unsigned char)s[i] < 0x80)
            i++;
        if (i == len && w[i] == '\0')
            return 1;
    }
    return 0;
}
