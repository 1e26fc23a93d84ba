/*
 * json_fast.h -- the fast path of the NDJSON reader (json_fast.c): a flat
 * JSON object of string values parsed without jansson's lexer.
 */
#ifndef NG_JSON_FAST_H
#define NG_JSON_FAST_H

#include <stddef.h>
#include <jansson.h>

/* Parses s[0..len) when it is one JSON object whose values are all
 * strings (no duplicate keys, no \u0000, no surrogate escapes), building
 * the jansson object json_loadb would.  `buf` is scratch space of at
 * least len + 2 bytes.  Returns the new object (the caller owns it), or
 * NULL when the text is anything else or memory ran out: then the caller
 * parses it with json_loadb, which reports any error. */
json_t *ng__json_fast_object(const char *s, size_t len, char *buf);

#endif
