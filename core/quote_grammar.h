/*
 * quote_grammar.h -- tokens and noun phrases for the quote attributor
 * (quote_grammar.c).  Private to quotes.c and quote_grammar.c.
 *
 * The text is split into tokens once; every function here reads a
 * window of them, t[0, n), and returns token indexes or byte offsets
 * into the text s.  Nothing here allocates but ng__qg_tokenize.
 */
#ifndef NG_QUOTE_GRAMMAR_H
#define NG_QUOTE_GRAMMAR_H

#include <stddef.h>

#include "quote_words.h"

#define NG__QG_MAX_TOK 80  /* tokens per window */
#define NG__QG_NP_MAX 8    /* words in a speaker's noun phrase */

/* One token: a word (with its classes) or one punctuation mark. */
typedef struct ng__qtok {
    size_t s, e;
    unsigned cls;    /* word classes (W_*) */
    char punct;      /* 0 for a word, else the punctuation ('-' for
                        dashes, '"' for any quote mark, '.' for a line
                        break that ends a sentence) */
    unsigned cap : 1;
} ng__qtok;

/* The tokens of the whole text, made once and shared by every window. */
typedef struct ng__qtoks {
    ng__qtok *v;
    size_t n, cap;
} ng__qtoks;

/* A token range [a, b); ok when it is a usable noun phrase. */
typedef struct ng__qnp { size_t a, b; int ok; } ng__qnp;

static inline int ng__qg_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Letter or digit (any non-ASCII byte counts as a letter). */
static inline int ng__qg_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9') || c >= 0x80;
}

/* 1 when t is a word of one of the classes `cls`. */
static inline int ng__qg_is(const ng__qtok *t, unsigned cls)
{
    return !t->punct && (t->cls & cls);
}

static inline int ng__qg_ends_sentence(const ng__qtok *t)
{
    return t->punct == '.' || t->punct == '!' || t->punct == '?';
}

/* A speech verb: lower case ("Says" in "North East Says No" is a name). */
static inline int ng__qg_verb(const ng__qtok *t)
{
    return !t->cap && ng__qg_is(t, W_VERB);
}

/* 1 when the word t ends in a possessive 's (straight or curly). */
int ng__qg_possessive(const unsigned char *s, const ng__qtok *t);

/* Length of the word at s[i] (letters, digits, and ' ’ - . inside);
 * 0 when s[i] starts no word. */
size_t ng__qg_word_len(const unsigned char *s, size_t end, size_t i);

/* Splits s[from, len) into tokens, appending to *all (so ranges must
 * come in text order).  Returns 0 or -1 on no memory (all->v is then the
 * caller's to free). */
int ng__qg_tokenize(const unsigned char *s, size_t from, size_t len,
                    ng__qtoks *all);

/* Index of the first token starting at or after byte `at`. */
size_t ng__qg_tok_at(const ng__qtoks *all, size_t at);

/* The tokens inside s[a, b), at most NG__QG_MAX_TOK of them: the first
 * ones (back == 0) or the last ones (back == 1, *dropped set when some
 * were left out).  Sets *t and returns the count. */
size_t ng__qg_window(const ng__qtoks *all, size_t a, size_t b, int back,
                     const ng__qtok **t, int *dropped);

/* The subject of the verb t[v], read backward and not before t[lo]:
 * a pronoun, a run of capitalized words, or a phrase back to its
 * determiner, past auxiliaries, adverbs, appositives and relative
 * pronouns.  Returns the range; ok is 0 when there is none. */
ng__qnp ng__qg_subject_before(const unsigned char *s, const ng__qtok *t,
                              size_t lo, size_t v);

/* The subject after a verb, from t[i] (before t[n]): a pronoun, a run
 * of capitalized words, or a phrase up to punctuation or a word that
 * starts a clause.  Returns the range; ok is 0 when there is none. */
ng__qnp ng__qg_subject_after(const unsigned char *s, const ng__qtok *t,
                             size_t i, size_t n);

/* 1 when the lower-case words from t[b] (at most three, none a function
 * word that ends a phrase) lead to a capitalized word: a role between
 * an organisation and a name ("chief executive" in "Mercedes chief
 * executive Eckhard Cordes"). */
int ng__qg_role_then_name(const ng__qtok *t, size_t b, size_t n);

/* 1 when t[i] t[i + 1] are "according to". */
int ng__qg_according(const unsigned char *s, const ng__qtok *t, size_t i,
                     size_t n);

/* 1 when t[i, a) may stand before a subject found at a: nothing, or a
 * role and commas ("the play's organiser in Uganda, Sarah Mukasa,"). */
int ng__qg_leads_to(const unsigned char *s, const ng__qtok *t, size_t i,
                    size_t a);

/* 1 when the lower-case word t looks like a finite verb: it ends in
 * "-ed" or in one "-s" ("wants", "backed"; not "boss"). */
int ng__qg_finite(const unsigned char *s, const ng__qtok *t);

/* The subject opening the sentence t[lo, end) (after a leading "But"
 * or "And"): the noun phrase before its first auxiliary, speech verb,
 * irregular past or word in -ed ("The Argentine had stoked ...", "Fox
 * producers defended ...").  ok is 0 when there is none, or it is a
 * pronoun. */
ng__qnp ng__qg_opening_subject(const unsigned char *s, const ng__qtok *t,
                               size_t lo, size_t end);

/* 1 when the verb t[v] is passive ("X is said to have..."). */
int ng__qg_passive(const unsigned char *s, const ng__qtok *t, size_t v);

#endif
