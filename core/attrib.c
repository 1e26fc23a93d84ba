/*
 * attrib.c -- a small helper shared by the attribution analysis modules
 * (quotes.c, credits.c, publishers.c): ASCII case-insensitive membership
 * of a word in a short list.  (Arrays grow through grow.h.)
 */

#include "attrib.h"

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
