/*
 * json_out.h -- writing JSON text straight into a growing buffer, with the
 * bytes jansson's compact dump makes (core/json_out.c).  Used where a
 * jansson tree built only to be dumped cost more than the work around it:
 * verdicts (verdict_json.c) and the item as stored (item_json.c).
 *
 * Convention: the writers never fail on their own; running out of memory
 * sets `failed`, after which they do nothing, and the caller frees `p`
 * and reports NULL.
 */
#ifndef NG_JSON_OUT_H
#define NG_JSON_OUT_H

#include <stddef.h>

typedef struct ng__jbuf {
    char *p;               /* NUL-terminated while !failed and n > 0 */
    size_t n, cap;
    int failed;            /* out of memory: the result is NULL */
} ng__jbuf;

/* Appends n bytes of s as they are. */
void ng__jbuf_put(ng__jbuf *b, const char *s, size_t n);

/* Appends s (valid UTF-8) quoted and escaped as jansson does: \" \\ \b
 * \f \n \r \t, other control characters as \u00XX (upper-case hex),
 * everything else as it is. */
void ng__jbuf_str(ng__jbuf *b, const char *s);

#endif
