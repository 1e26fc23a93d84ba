/*
 * litscan.h -- finding every occurrence of a fixed set of literals in a
 * text in one pass, ASCII case ignored (see litscan.c).  Built once from
 * the literals, then used read-only: one scanner may serve any number of
 * texts, and threads, at once.
 *
 * Functions returning int return 0 on success; the scan returns what the
 * caller's function returned when that stopped it.
 */
#ifndef NG_LITSCAN_H
#define NG_LITSCAN_H

#include <stddef.h>

typedef struct ng__litscan ng__litscan;

/* Builds a scanner for the literals lits[0..n), each NUL-terminated and
 * not empty.  The strings are not copied: they must outlive the scanner.
 * Returns the scanner, or NULL on no memory or when a literal is empty. */
ng__litscan *ng__litscan_new(const char *const *lits, size_t n);

/* Frees a scanner; NULL is a no-op. */
void ng__litscan_free(ng__litscan *s);

/* Called for an occurrence of literal `lit` at t[start..start + its
 * length); a non-zero return stops the scan. */
typedef int (*ng__litscan_fn)(void *ctx, size_t lit, size_t start);

/* Calls fn for every occurrence of a literal in t[0..len), comparing
 * ASCII letters without regard to case and every other byte exactly;
 * occurrences may overlap.  They come by increasing start, and at one
 * start in the order the literals were given to ng__litscan_new.
 * Returns 0 when the text was scanned to its end, else the non-zero
 * value fn returned.  Allocates nothing. */
int ng__litscan_each(const ng__litscan *s, const char *t, size_t len,
                     ng__litscan_fn fn, void *ctx);

#endif
