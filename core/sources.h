/*
 * sources.h -- reference sources (core/sources.c): the matches of an item
 * against the registered publishers' articles, behind item:copied_from().
 * The public calls (ng_sources_add/list/remove) are in newsgate.h.
 */
#ifndef NG_SOURCES_H
#define NG_SOURCES_H

#include <stddef.h>
#include <stdint.h>
#include "newsgate.h"

/* One registered article the item reproduces. */
typedef struct ng__srcmatch {
    int64_t id;
    char *publisher, *domain, *title;   /* owned; domain may be NULL */
    double similarity;  /* as item:nearest's */
    double containment; /* how much of the source is reproduced here */
    double contained;   /* how much of this item comes from the source */
} ng__srcmatch;

typedef struct ng__srcmatches {
    ng__srcmatch *v;
    size_t n, cap;
} ng__srcmatches;

/* Registered articles `it` reproduces with similarity >= min, best
 * first, at most limit, appended to out (free with ng__srcmatches_free).
 * Returns NG_OK, NG_ENOMEM, NG_EINVAL (a backend without sources) or
 * NG_ESTORE. */
int ng__sources_copied(ng_store *s, ng_item *it, double min, size_t limit,
                       ng__srcmatches *out);

void ng__srcmatch_clear(ng__srcmatch *m);
void ng__srcmatches_free(ng__srcmatches *m);

#endif
