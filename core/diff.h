/*
 * diff.h -- a word-level diff of two texts, for showing a moderator how a
 * duplicate differs from the earlier item.  Pure computation: no I/O, no
 * state, no third-party library, so the command line uses it directly.
 * Functions return 0 on success and -1 when out of memory.
 */
#ifndef NG_DIFF_H
#define NG_DIFF_H

#include <stddef.h>

/* One word: a run of non-blank bytes inside the text it came from. */
typedef struct ng__word {
    const char *s;
    size_t len;
} ng__word;

/* One step of the edit script: `count` words kept ('='), removed from
 * the first text ('-') or added from the second ('+').  For '=' and '-'
 * `from` indexes the first text's words, for '+' the second's. */
typedef struct ng__diff_op {
    char kind;
    size_t from, count;
} ng__diff_op;

typedef struct ng__diff {
    ng__word *a, *b;        /* the words of the two texts */
    size_t na, nb;
    ng__diff_op *ops;       /* the edit script, in order */
    size_t nops;
    int coarse;             /* 1: the changed middle was too large to
                               align word by word and is shown as one
                               removal and one addition */
} ng__diff;

/* Diffs the words of `a` and `b` (NUL-terminated; they must outlive the
 * result).  Common leading and trailing words are stripped first; the
 * middle is aligned by a longest-common-subsequence table of at most
 * `max_cells` cells (0: 4,000,000), else it is marked coarse.  Returns 0
 * and sets *out (free with ng__diff_free), or -1. */
int ng__diff_words(const char *a, const char *b, size_t max_cells,
                   ng__diff **out);

void ng__diff_free(ng__diff *d);

#endif
