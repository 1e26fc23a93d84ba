/*
 * json_out.h -- writing JSON text straight into a growing buffer, with the
 * bytes jansson's compact dump makes (core/json_out.c), and the one JSON
 * string escaper of libnewsgate.  Used where a jansson tree built only to
 * be dumped cost more than the work around it: verdicts (verdict_json.c)
 * and the item as stored (item_json.c); and, through ng__json_hide, on
 * the JSON jansson dumps for a reader (the queue's reports, the CLI's
 * stats and replay), so that every JSON newsgate shows a person escapes
 * the same invisible code points.
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

/* Flags of ng__jbuf_strn. */
enum {
    /* The code points ng__term_hidden names (C1 controls, invisible
     * direction and line controls) as \uXXXX, so JSON shown raw or
     * pasted into a page cannot be reordered or hide text; JSON readers
     * decode them to the same strings. */
    NG__JSON_HIDDEN = 1,
    /* Refuse a string that is not valid UTF-8 (as jansson did); without
     * it such bytes are copied as they are. */
    NG__JSON_STRICT = 2
};

/* Appends n bytes of s as they are. */
void ng__jbuf_put(ng__jbuf *b, const char *s, size_t n);

/* Appends s[0..len) quoted and escaped as jansson does: \" \\ \b \f \n
 * \r \t, other ASCII control characters as \u00XX (upper-case hex),
 * everything else as it is, except what `flags` (NG__JSON_*) adds.
 * Returns 0, or -1 under NG__JSON_STRICT when s is not valid UTF-8: b
 * is then left as it was.  Out of memory sets b->failed and returns 0. */
int ng__jbuf_strn(ng__jbuf *b, const char *s, size_t len, int flags);

/* ng__jbuf_strn(b, s, strlen(s), 0): the escapes of the stored item
 * (valid UTF-8, checked when the item was read). */
void ng__jbuf_str(ng__jbuf *b, const char *s);

/* JSON text (from jansson, say) with the code points ng__term_hidden
 * names written as \uXXXX: outside strings JSON is ASCII, so the text
 * means the same.  Takes `json` (malloc'd, may be NULL) and returns it,
 * or a new string after freeing it; NULL on no memory (json freed) or
 * when json is NULL. */
char *ng__json_hide(char *json);

#endif
