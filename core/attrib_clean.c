/*
 * attrib_clean.c -- where each byte of the cleaned body stands in the
 * body the author sees.
 *
 * The clean phase (verdict_clean.c) cuts furniture out of the body and
 * folds the white space left at the cuts; it keeps no offset table.  The
 * attribution analyses that read the cleaned text (quotations) still
 * report spans into `body`, so this file rebuilds the map by walking both
 * texts in step: equal bytes map to each other, white space the cleaning
 * folded is skipped on either side, and where the texts differ a cut
 * begins in the body; it ends where the cleaned text's next stretch
 * (up to 32 bytes, not past a line break) is found again.  Cuts are few
 * (furniture blocks), so the search is paid a few times per item, and
 * only for items the clean phase cut.
 */
#include <stdlib.h>
#include <string.h>

#include "attrib.h"

#define ANCHOR 32  /* bytes of the cleaned text that find a cut's end */

static int white(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The first offset j >= from of body where clean[i, i + k) stands,
 * k being up to ANCHOR bytes of clean not crossing a line break; blen
 * when none. */
static size_t cut_end(const char *body, size_t blen, size_t from,
                      const char *clean, size_t clen, size_t i)
{
    size_t k = 0;
    while (i + k < clen && k < ANCHOR && clean[i + k] != '\n')
        k++;
    if (k == 0)
        return from;
    for (size_t j = from; j + k <= blen; j++)
        if (body[j] == clean[i] && memcmp(body + j, clean + i, k) == 0)
            return j;
    return blen;
}

int ng__attrib_clean_map(const char *body, size_t blen, const char *clean,
                         size_t clen, size_t **map)
{
    size_t *m = malloc((clen + 1) * sizeof *m), i = 0, j = 0;

    *map = m;
    if (m == NULL)
        return -1;
    while (i < clen) {
        if (j < blen && clean[i] == body[j]) {
            m[i++] = j++;
        } else if (j < blen && white(body[j])) {
            j++;                /* white space the cleaning folded */
        } else if (white(clean[i])) {
            m[i++] = j;         /* a line break the cleaning kept */
        } else if (j < blen) {
            j = cut_end(body, blen, j, clean, clen, i);
        } else {
            m[i++] = blen;      /* nothing left to match: the end */
        }
    }
    m[clen] = j < blen ? j : blen;
    return 0;
}
