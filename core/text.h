/*
 * text.h -- Unicode-aware text helpers: UTF-8 validation, normalization,
 * case folding, word splitting and URL finding.  utf8proc sits behind
 * text.c and nowhere else.
 *
 * All functions take byte strings with explicit lengths.  Returned buffers
 * are malloc'd, NUL-terminated and owned by the caller.
 */
#ifndef NG_TEXT_H
#define NG_TEXT_H

#include <stddef.h>
#include "item.h"

/* Returns 1 when s[0..len) is valid UTF-8 with no NUL byte, else 0 and
 * the offset of the first bad byte in *bad (may be NULL). */
int ng__utf8_valid(const char *s, size_t len, size_t *bad);

/* NFKC-normalizes s, turns every run of white space within a line into
 * one space, keeps paragraph breaks as "\n\n" (single newlines become
 * spaces), and trims the ends.  Returns a new string (length in *outlen)
 * or NULL when out of memory or when s is not valid UTF-8. */
char *ng__text_normalize(const char *s, size_t len, size_t *outlen);

/* Unicode case folding of already-normalized text (NFKC_Casefold), and
 * the removal of accents is NOT done: "café" stays "café".  Returns a new
 * string or NULL. */
char *ng__text_fold(const char *s, size_t len, size_t *outlen);

/* Splits folded text into words: maximal runs of letters, marks and
 * digits, with an apostrophe or hyphen inside a run kept ("don't",
 * "co-op").  Sets *out (malloc'd, caller frees) and *n.  Returns 0, or -1
 * when out of memory. */
int ng__text_words(const char *s, size_t len, ng__word **out, size_t *n);

/* The number of words ng__text_words would give for s[0..len), without
 * keeping them (nothing is allocated). */
size_t ng__text_word_count(const char *s, size_t len);

/* Appends to `out` every URL found in plain text: "http://", "https://"
 * and "www." forms, trailing punctuation trimmed.  Returns 0 or -1. */
int ng__text_find_urls(const char *s, size_t len, ng__strlist *out);

#endif
