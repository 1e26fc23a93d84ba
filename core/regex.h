/*
 * regex.h -- a cache of compiled PCRE2 patterns with match limits.  PCRE2
 * sits behind regex.c and nowhere else.
 *
 * Patterns are compiled once with UTF and UCP on (and JIT where the
 * platform has it) and kept for the life of the cache.  Every match runs
 * under the cache's match and depth limits.
 */
#ifndef NG_REGEX_H
#define NG_REGEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct ng__regex_cache ng__regex_cache;
typedef struct ng__regex ng__regex;

/* Creates a cache.  Limits of 0 use the defaults.  Returns NULL on no
 * memory.  The cache holds at most NG__REGEX_MAX_COUNT patterns and
 * NG__REGEX_MAX_BYTES bytes of compiled code: past either, the least
 * recently used pattern that is not pinned is dropped.  A pattern
 * returned by ng__regex_get stays valid until the next ng__regex_get
 * unless it is pinned. */
#define NG__REGEX_MAX_COUNT 1024u
#define NG__REGEX_MAX_BYTES (8u << 20)
ng__regex_cache *ng__regex_cache_new(uint32_t match_limit,
                                     uint32_t depth_limit);
void ng__regex_cache_free(ng__regex_cache *c);

/* Pins a pattern (a loaded rule holds it) or drops one pin. */
void ng__regex_pin(ng__regex *re);
void ng__regex_unpin(ng__regex *re);

/* Bytes of compiled code the cache holds (counted against the engine's
 * memory cap), and how many patterns. */
size_t ng__regex_cache_bytes(const ng__regex_cache *c);
size_t ng__regex_cache_count(const ng__regex_cache *c);

/* Sets the CLOCK_MONOTONIC deadline (microseconds, 0: none) for later
 * matches: a match still running past it fails with "deadline
 * exceeded".  PCRE2 has no timer, so a match runs with a small match
 * limit that doubles on each retry up to the cache's limit, looking at
 * the clock between tries: a slow pattern is stopped within about twice
 * the deadline, and a pattern that matches quickly runs once. */
void ng__regex_deadline(ng__regex_cache *c, uint64_t deadline_us);

/* Returns the compiled form of `pattern` with `flags` ("i", "m", "s",
 * "x" letters, may be NULL), compiling it on first use.  On a bad pattern
 * returns NULL and writes "offset N: message" into err (size errlen). */
ng__regex *ng__regex_get(ng__regex_cache *c, const char *pattern,
                         const char *flags, char *err, size_t errlen);

/* Searches subject[start..len).  Returns 1 and the match's byte span in
 * *mstart, *mend; 0 for no match; -1 when a match limit was hit or on an
 * internal error (message in err). */
int ng__regex_search(ng__regex *re, const char *subject, size_t len,
                     size_t start, size_t *mstart, size_t *mend,
                     char *err, size_t errlen);

/* The same for a subject known to be valid UTF-8 with `start` on a
 * character boundary (item fields are, see item.h): PCRE2 skips its own
 * check, which costs a pass over the subject on every call.  Passing
 * invalid UTF-8 here is undefined behaviour. */
int ng__regex_search_valid(ng__regex *re, const char *subject, size_t len,
                           size_t start, size_t *mstart, size_t *mend,
                           char *err, size_t errlen);

/* Counts non-overlapping matches in subject (at most `max`, 0 for no
 * bound); the subject's UTF-8 is checked once.  Returns the count, or -1
 * as for ng__regex_search. */
long ng__regex_count(ng__regex *re, const char *subject, size_t len,
                     long max, char *err, size_t errlen);

#endif
