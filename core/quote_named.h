/*
 * quote_named.h -- the people and bodies named before a quotation, and
 * whom a pronoun or an epithet stands for (quote_named.c).  Private to
 * the quote attributor (quotes.c).
 */
#ifndef NG_QUOTE_NAMED_H
#define NG_QUOTE_NAMED_H

#include <stddef.h>

#include "quote_grammar.h"
#include "quote_marks.h"

/* The last few people (or bodies) named before the current quotation,
 * oldest first: whom "he", "she", "it" or "they" may stand for. */
#define NG__QN_KEEP 4
typedef struct mention {
    size_t at;     /* where it was named (or a pronoun stood for it) */
    size_t s, e;   /* the name */
    int subject;   /* bit 1: a name, the subject of a speech verb or a
                      speaker; bit 2: a description ("the OECD") as the
                      subject of a speech verb; bit 4: a description as
                      a speaker ("the defender"); bit 8: a name as a
                      sentence's subject after a role noun ("coach
                      Patrick McEnroe wants"); 0: a "Mr X" mention.  "he" and "she"
                      take bit 1 first, then 0 or 4; "it" and "they" any
                      bit */
    int person;    /* "he" or "she" stood for it, or a title names it */
} mention;

typedef struct named {
    mention v[NG__QN_KEEP];
    size_t n;
    size_t body_s, body_e; /* the latest single capitalized word opening
                              a sentence as its verb's subject
                              ("Multiplex will ..."): a body "it" may
                              stand for when no body has spoken; kept
                              apart so it never crowds out a person */
} named;

/* Adds the name s[a, b), named at `at`, at its place in text order (a
 * mention already known or older than all kept is dropped); a mention
 * noted at the same place takes the new bits too. */
void ng__qn_note_at(named *h, size_t at, size_t a, size_t b, int subject);

/* Notes at `at` the person s[a, b) a pronoun, an epithet or a
 * description written there stands for, in place of what was noted
 * there before, so a later "he" finds the name. */
void ng__qn_note_person(named *h, size_t at, size_t a, size_t b, int subject);

/* ng__qn_note_at(h, a, a, b, subject). */
void ng__qn_note(named *h, size_t a, size_t b, int subject);

/* 1 when the description s[a, b) names a person by its last word:
 * "-man", "-woman", "official", or a noun of a person ("the analyst"). */
int ng__qn_person_description(const unsigned char *s, size_t a, size_t b);

/* The first mention in h with one of the bits `kind` named inside
 * s[from, to): the subject of the clause a participle hangs on.
 * Returns 1 and sets *ws, *we, or 0. */
int ng__qn_clause_subject(const named *h, size_t from, size_t to, int kind,
                          size_t *ws, size_t *we);

/* Notes in h the "Mr X"-style mentions and the names standing as a
 * sentence's subject among the tokens of s[a, b). */
void ng__qn_title_names(const unsigned char *s, const ng__qtoks *all,
                        size_t a, size_t b, named *h);

/* Notes the speaker s[a, b) in h: a name as a subject, a description
 * only as a mention. */
void ng__qn_note_speaker(const unsigned char *s, named *h, size_t a,
                         size_t b);

/* 1 when the speaker s[a, b) is an epithet ("the 20-year-old", "the
 * American"): it stands for the person named before. */
int ng__qn_epithet(const unsigned char *s, size_t a, size_t b);

/* The person a definite description speaker s[a, b) stands for when
 * the text gave its head word as that person's role before ("the Tory
 * leader" after "Tory leader Michael Howard", "the chancellor" after
 * "Chancellor Gordon Brown"): the latest head word within 4,000 bytes
 * before a that two to four capitalized words follow.  Returns 1 and
 * sets *ws, *we to that name. */
int ng__qn_role_name(const unsigned char *s, size_t a, size_t b,
                     size_t *ws, size_t *we);

/* The latest person named before `before` that the pronoun at s[a]
 * may stand for (`other_sex`: the title class that rules a name out).
 * Notes that person again at a.  Returns 1 and sets *ws, *we. */
int ng__qn_resolve(const unsigned char *s, named *h, size_t a, size_t before,
                   unsigned other_sex, size_t *ws, size_t *we);

/* The body "it" or "they" stands for: the latest speaker that is not a
 * person, else the latest single word that opened a sentence as its
 * subject (body_s).  Returns 1 and sets *ws, *we. */
int ng__qn_resolve_body(const unsigned char *s, const named *h, size_t *ws,
                        size_t *we);

/* Sets q's lead: the latest name noted in h as a sentence's subject
 * after the quotation before, p (NULL at the text's start), other than
 * p's speaker. */
void ng__qn_note_lead(const named *h, const ng__quote *p, ng__quote *q);

#endif
