/*
 * quote_words.h -- the function words the quote attributor knows
 * (quote_words.c): speech verbs, pronouns, determiners, titles and the
 * like, each with its classes as bits.  Private to quotes.c.
 */
#ifndef NG_QUOTE_WORDS_H
#define NG_QUOTE_WORDS_H

#include <stddef.h>

/* Classes of the words the attributor knows, as bits. */
enum {
    W_VERB = 1 << 0,
    W_PRONOUN = 1 << 1,
    W_HESHE = 1 << 2,
    W_AUX = 1 << 3,
    W_DET = 1 << 4,
    W_PREP = 1 << 5,
    W_LINK = 1 << 6,
    W_CLAUSE = 1 << 7,
    W_STOP = 1 << 8,
    W_TITLE = 1 << 9,
    W_ABBREV = 1 << 10,
    W_MALE = 1 << 11,
    W_FEMALE = 1 << 12,
    W_ACCORDING = 1 << 13,
    W_TO = 1 << 14,
    W_REL = 1 << 15,       /* who, which: a relative clause */
    W_BY = 1 << 16,        /* by: the agent of a passive */
    W_IT = 1 << 17,        /* it, they: may stand for an organisation */
    W_CALLS = 1 << 18,     /* called, calls: a speech verb before "for" */
    W_PAST = 1 << 19,      /* an irregular past tense: made, won, shot */
};

/* Classes of the word s[0, len), ignoring ASCII case; 0 for a word not
 * known. */
unsigned ng__quote_word_class(const unsigned char *s, size_t len);

#endif
