/*
 * regex_lit.h -- a literal prefilter for alternations of phrases, used by
 * regex.c (see regex_lit.c).
 *
 * For a pattern such as \b(you won'?t believe|shocking truth)\b, PCRE2
 * has no single first byte to look for and so tries the alternation at
 * almost every byte of the subject.  The prefilter takes from each
 * alternative one literal it cannot match without, and scans the subject
 * for any of them in one pass that skips several bytes at a time; when
 * none occurs, the pattern cannot match and PCRE2 is not called.  A
 * prefilter only ever says "cannot match": on "may match" the pattern
 * runs as before, so matches and spans do not change.
 */
#ifndef NG_REGEX_LIT_H
#define NG_REGEX_LIT_H

#include <stddef.h>

typedef struct ng__relit ng__relit;

/* Builds the prefilter of `pattern` (plen bytes), compiled caseless when
 * `caseless` is non-zero.  Returns NULL when the pattern is not of the
 * shape handled (an optional \b, an alternation of plain phrases,
 * optionally in one group, an optional \b; see regex_lit.c), when an
 * alternative has no literal of at least 4 bytes, or on no memory: the
 * pattern then simply runs without one.  Extended ("x") patterns are not
 * handled; the caller does not ask. */
ng__relit *ng__relit_new(const char *pattern, size_t plen, int caseless);

/* Frees a prefilter; NULL is a no-op. */
void ng__relit_free(ng__relit *f);

/* Bytes the prefilter holds. */
size_t ng__relit_bytes(const ng__relit *f);

/* 0 when none of the literals occurs in s[0..len), so that no match of
 * the pattern lies there; 1 otherwise. */
int ng__relit_may_match(const ng__relit *f, const char *s, size_t len);

#endif
