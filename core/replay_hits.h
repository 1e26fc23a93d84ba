/*
 * replay_hits.h -- the names of the rules a stored verdict's hits name,
 * read from the verdict's JSON text without building a JSON tree
 * (core/replay_hits.c).  A replay needs only these names of the stored
 * verdict, and parsing the whole verdict with jansson for them was a
 * twentieth of a replay's time.
 */
#ifndef NG_REPLAY_HITS_H
#define NG_REPLAY_HITS_H

#include <stddef.h>

/* The rule names of one verdict's hits, in the verdict's order.  An entry
 * is NULL where a hit has no string "rule" (jansson's json_string_value
 * would give NULL there).  Reused from item to item: the buffers grow
 * and are kept. */
typedef struct ng__old_hits {
    const char **names;     /* n entries, pointing into buf */
    size_t n, capnames;
    size_t *offs;           /* offset of each name in buf, or (size_t)-1 */
    size_t capoffs;
    char *buf;
    size_t len, capbuf;
} ng__old_hits;

/* Reads the hits of the verdict JSON `json` (NULL: no verdict) into `h`.
 * Text whose hits array is missing or is not an array gives no hits, as
 * does text that is not JSON at all.  Returns 0 or -1 when memory ran
 * out. */
int ng__old_hits_read(ng__old_hits *h, const char *json);

void ng__old_hits_free(ng__old_hits *h);

#endif
