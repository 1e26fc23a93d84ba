/*
 * quote_chain.h -- speakers carried between quotations (quote_chain.c).
 * Private to quotes.c.
 */
#ifndef NG_QUOTE_CHAIN_H
#define NG_QUOTE_CHAIN_H

#include <stddef.h>

#include "quote_marks.h"

/* Gives the quotations v[0, n) of s that have no speaker one from the
 * quotations around them (lead, continuation, a run attributed at its
 * end); `para` is where each opens (quote_marks.c).  Needs the lead
 * (ng__quote.lead_*) and each quotation's own attribution set. */
void ng__quote_chain(const unsigned char *s, ng__quote *v,
                     const ng__quote_para *para, size_t n);

#endif
