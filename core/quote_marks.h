/*
 * quote_marks.h -- the quotations of a text, found by pairing its quote
 * marks (quote_marks.c).  Private to the quote attributor (quotes.c,
 * quote_chain.c).
 */
#ifndef NG_QUOTE_MARKS_H
#define NG_QUOTE_MARKS_H

#include <stddef.h>

#include "attrib.h"

/* The paragraph a quotation opens in: its start and its number. */
typedef struct ng__quote_para {
    size_t start, no;
} ng__quote_para;

/* Pairs the quote marks of s[0, len): sets *v to the quotations in text
 * order (spans, `closed`, `paragraphs`; no speakers, no word counts) and
 * *para to the paragraph each opens in, both arrays of *n entries that
 * the caller frees (NULL when *n is 0).  At most NG__QUOTES_MAX are
 * found.  Returns 0, or -1 on no memory (then *v and *para are NULL). */
int ng__quote_marks(const char *s, size_t len, ng__quote **v,
                    ng__quote_para **para, size_t *n);

/* Sentence-ending punctuation just inside the closing mark of q: no
 * attribution can follow ("...today." She said... is a new sentence). */
static inline int ng__quote_ends_sentence(const unsigned char *s,
                                          const ng__quote *q)
{
    return q->in_end > q->in_start && s[q->in_end - 1] == '.';
}

#endif
