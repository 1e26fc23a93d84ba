/*
 * quotes.c -- direct quotations in a text and who said them.
 *
 * One pass over the text pairs quotation marks; a second pass looks, for
 * each quotation, at the sentence around it for a speech verb and its
 * subject: after the quote ("...," Putin said / said Mr Blair / he told
 * journalists / according to X) or before it (Ms Hewitt said: "..." /
 * According to X, "...").  A quotation with no attribution of its own
 * that opens a sentence after a sentence about another person (the
 * lead) is that person's; one that continues the quotation before it
 * (same paragraph, or the next one) takes over that speaker; "he" and
 * "she" stand for the last named person (a named speaker, a name as a
 * sentence's subject, or a "Mr X"-style mention) before the quote.
 *
 * The quotations themselves are found by quote_marks.c; the tokens and
 * the noun phrases by quote_grammar.c; who was named before a quotation,
 * and whom a pronoun stands for, is kept by quote_named.c; quotations
 * with no attribution of their own take a speaker in quote_chain.c.
 *
 * Everything is linear: the pairing pass looks at each byte once, and the
 * attribution windows are bounded (WIN_BACK/WIN_FWD bytes, NG__QG_MAX_TOK
 * tokens).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "grow.h"
#include "quote_marks.h"
#include "quote_named.h"
#include "quote_chain.h"
#include "quote_grammar.h"
#include "quote_words.h"

#define WIN_BACK 400   /* bytes looked at before a quotation */
#define WIN_FWD 200    /* bytes looked at after it */
#define NAMES_BACK 800 /* bytes before it searched for names standing as
                          subjects, whom a later "he" may stand for */
#define NG__QG_MAX_TOK 80     /* tokens per window */
#define SCARE_WORDS 3  /* quotations this short may sit inside a sentence */
#define PHRASE_WORDS 12 /* a phrase this short may be quoted in reported speech */
#define ENDS_ASKING 2  /* a quotation closing on "?" or "!" */
#define TAIL_WORDS 4   /* words after the verb of a closing ", he said ..." */

/* ---- speakers -------------------------------------------------------- */

/* What an -ing speech verb is (ing_role, below). */
enum { ING_NONE, ING_PROGRESSIVE, ING_NOUN, ING_PARTICIPLE };
static int ing_role(const unsigned char *s, const ng__qtok *t, size_t lo,
                    size_t v);

/* Result of looking for an attribution in one window. */
typedef struct found {
    size_t spk_s, spk_e, verb_s, verb_e;
    int verb;    /* a speech verb was found */
    int speaker; /* and its subject */
    int passive; /* the verb is passive: the speaker may follow "by" */
    int tail;    /* ", he said." ends the quotation's sentence */
} found;

static void set_found(found *f, const ng__qtok *t, ng__qnp p, size_t v)
{
    f->verb = 1;
    f->verb_s = t[v].s;
    f->verb_e = t[v].e;
    if (p.ok) {
        f->speaker = 1;
        f->spk_s = t[p.a].s;
        f->spk_e = t[p.b - 1].e;
    }
}

/* A quotation inside a sentence that ends ", he said.": `Mr Blair has
 * "the same passion" as in 1997, he said.`  Nothing else (the quotation
 * may be the subject of a sentence about something else). */
static found sentence_tail(const unsigned char *s, const ng__qtok *t, size_t n)
{
    found f = { 0 };
    size_t e = 0;
    while (e < n && !ng__qg_ends_sentence(&t[e]))
        e++;
    if (e == n || e < 3)
        return f;
    /* Inverted: `... "aggressively pursued" by watchdogs, said PBS'
     * Jacoba Atlas.` */
    for (size_t c = e - 2; c > 0 && c + NG__QG_NP_MAX + 2 > e; c--) {
        if (t[c].punct == ',' && ng__qg_verb(&t[c + 1])) {
            ng__qnp p = ng__qg_subject_after(s, t, c + 2, e);
            if (p.ok && p.b == e) {
                set_found(&f, t, p, c + 1);
                f.tail = 1;
            }
            return f;
        }
        if (t[c].punct && t[c].punct != '\'')
            break;
    }
    /* `The band have done "everything in their powers", according to
     * Q magazine editor Paul Rees.` */
    for (size_t c = e - 2; c > 0 && c + NG__QG_NP_MAX + 3 > e; c--)
        if (t[c].punct == ',' && ng__qg_according(s, t, c + 1, e)) {
            ng__qnp p = ng__qg_subject_after(s, t, c + 3, e);
            if (p.ok && p.b == e) {
                set_found(&f, t, p, c + 1);
                f.tail = 1;
            }
            return f;
        }
    /* ", he said." or with a short complement after the verb: ", the
     * courts minister has told MPs.", ", he said on Monday." */
    size_t v = e - 1;
    while (v + TAIL_WORDS >= e && v > 2 && !ng__qg_verb(&t[v]) && !t[v].punct
           && !ng__qg_is(&t[v], W_AUX | W_PAST | W_CLAUSE))
        v--;
    if (!ng__qg_verb(&t[v]) || ng__qg_passive(s, t, v)
        || ng__qg_is(&t[v - 1], W_DET)
        || (v + 1 < e && ng__qg_is(&t[v + 1], W_BY)))
        return f; /* "a denial", "a claim denied by ...": no subject */
    ng__qnp p = ng__qg_subject_before(s, t, 0, v);
    if (p.ok && p.a > 0 && t[p.a - 1].punct == ',') {
        set_found(&f, t, p, v);
        f.tail = 1;
    }
    return f;
}

/* "quoted X as saying": X is the speaker; the subject of "quoted" only
 * reports it.  Returns 1 and sets *p when t[v] opens that shape. */
static int quoted_as(const unsigned char *s, const ng__qtok *t, size_t v,
                     size_t n, ng__qnp *p)
{
    static const char *const QUOTED[] = { "quoted", "quotes", "quoting",
                                          NULL };
    static const char *const AS[] = { "as", NULL };
    if (t[v].punct || !ng__attrib_word_in((const char *)s + t[v].s,
                                          t[v].e - t[v].s, QUOTED))
        return 0;
    for (size_t j = v + 2; j + 1 < n && j <= v + NG__QG_NP_MAX + 1; j++) {
        if (t[j].punct)
            return 0;
        if (ng__attrib_word_in((const char *)s + t[j].s, t[j].e - t[j].s, AS)
            && ng__qg_verb(&t[j + 1])) {
            *p = ng__qg_subject_after(s, t, v + 1, j);
            return p->ok;
        }
    }
    return 0;
}

/* A name after the quotation, set off by a long appositive before its
 * verb: `"...," Julio Hegedus, chief economist with Lopes Filho &
 * Associates in Rio, told Reuters`.  The name is the capitalized words
 * at t[i]; the appositive runs to the next comma within 24 tokens,
 * with no sentence or clause ending inside.  Sets *f when so. */
static void apposed(const unsigned char *s, const ng__qtok *t, size_t i,
                    size_t n, found *f)
{
    size_t j = i;
    while (j < n && j < i + NG__QG_NP_MAX && t[j].cap && !t[j].punct
           && !ng__qg_is(&t[j], W_DET | W_CLAUSE | W_PRONOUN))
        j++;
    if (j == i || j >= n || t[j].punct != ',')
        return;
    for (size_t c = j + 1; c + 1 < n && c <= j + 24; c++) {
        if (t[c].punct == ',') {
            if (ng__qg_verb(&t[c + 1]) && !ng__qg_passive(s, t, c + 1))
                set_found(f, t, (ng__qnp){ i, j, 1 }, c + 1);
            return;
        }
        if (ng__qg_ends_sentence(&t[c]) || t[c].punct == ';'
            || t[c].punct == ':' || t[c].punct == '"')
            return;
    }
}

/* After the closing mark: `"...," said X` / `"...," X said` / `"...,"
 * according to X`.  The quotation must end its clause (`clause_end`: a
 * comma, question or exclamation mark or dash inside the marks, or a
 * comma after them) and the subject must start right after it. */
static found after_quote(const unsigned char *s, const ng__qtoks *all, size_t a,
                         size_t b, int clause_end)
{
    const ng__qtok *t;
    found f = { 0 };
    int dropped = 0;
    size_t n = ng__qg_window(all, a, b, 0, &t, &dropped), i = 0;
    if (!clause_end && (n == 0 || t[0].punct != ','))
        return sentence_tail(s, t, n); /* "the "MI6 agent" told him" */
    if (n > 0 && t[0].cap && (ng__qg_is(&t[0], W_DET) || ng__qg_is(&t[0], W_CLAUSE)))
        return f; /* "...criminals?" The party's spokeswoman said... */
    while (i < n && (t[i].punct == ',' || t[i].punct == '-'))
        i++;
    if (i >= n || t[i].punct)
        return f;
    if (ng__qg_verb(&t[i])) {
        /* '..., adding that the word "..."': a participle's subject is
         * its clause's, before the quotation. */
        if (ing_role(s, t, 0, i) == ING_PARTICIPLE && t[0].punct == ',')
            return f;
        set_found(&f, t, ng__qg_subject_after(s, t, i + 1, n), i);
        return f;
    }
    if (ng__qg_according(s, t, i, n)) {
        set_found(&f, t, ng__qg_subject_after(s, t, i + 2, n), i);
        return f;
    }
    for (size_t v = i + 1; v < n && v <= i + NG__QG_NP_MAX + 2; v++) {
        ng__qnp p;
        if (t[v].punct && t[v].punct != ',')
            break;
        if (quoted_as(s, t, v, n, &p)) {
            set_found(&f, t, p, v);
            return f;
        }
        if (ng__qg_verb(&t[v])) {
            p = ng__qg_subject_before(s, t, i, v);
            /* After "...?" the subject comes first or a new sentence
             * has begun ("...Valley?" Responding to her, Mr Pugh said). */
            if (p.ok && ng__qg_leads_to(s, t, i, p.a)
                && (clause_end != ENDS_ASKING || p.a == i))
                set_found(&f, t, p, v);
            return f;
        }
    }
    apposed(s, t, i, n, &f);
    return f;
}


/* The bits a description p noted as the subject of a speech verb takes
 * (see mention): a person that is no epithet ("a company spokeswoman")
 * stands with the names; an epithet ("the Russian") stands for the
 * person named before it, so it is only a description. */
static int described(const unsigned char *s, const ng__qtok *t, ng__qnp p)
{
    size_t a = t[p.a].s, b = t[p.b - 1].e;
    if (!ng__qn_person_description(s, a, b))
        return 2;
    return ng__qn_epithet(s, a, b) ? 6 : 7;
}

/* A speech verb after a comma with its subject after it, in reported
 * speech: "..., observed Jack Boorman, adviser to ...".  Returns the
 * subject (ok 0 when none). */
static ng__qnp inverted_subject(const unsigned char *s, const ng__qtok *t,
                                size_t v, size_t n)
{
    /* Verbs that invert; "welcomed", "praised" and the like take an
     * object ("Keystone Midstream, welcomed the ruling"). */
    static const char *const INVERTS[] = {
        "said", "says", "added", "adds", "observed", "observes", "noted",
        "notes", "explained", "explains", "remarked", "remarks",
        "continued", "continues", "wrote", "writes", "argued", "argues",
        "insisted", "insists", "recalled", "recalls", "replied", "replies",
        "warned", "warns", "stressed", "stresses", "concluded", "commented",
        NULL
    };
    ng__qnp none = { 0, 0, 0 };
    const ng__qtok *w = &t[v];
    if (v == 0 || t[v - 1].punct != ','
        || !ng__attrib_word_in((const char *)s + w->s, w->e - w->s, INVERTS))
        return none;
    ng__qnp p = ng__qg_subject_after(s, t, v + 1, n);
    if (!p.ok || ng__qg_is(&t[p.a], W_PRONOUN)
        || !(p.b == n || t[p.b].punct))
        return none;
    return p;
}

/* Notes in h the subjects of speech verbs in t[0, n) that are names
 * (capitalized, not a pronoun or determiner), and names set off by
 * commas: whom "he" may stand for. */
static void named_subjects(const unsigned char *s, const ng__qtok *t,
                           size_t n, int clipped, named *h)
{
    for (size_t v = 1; v < n; v++) {
        ng__qnp p = { 0, 0, 0 };
        if (ng__qg_verb(&t[v]) && !ng__qg_passive(s, t, v)
            && (p = inverted_subject(s, t, v, n)).ok) {
            /* the subject after the verb, noted below */
        } else if ((t[v - 1].punct == ',' || ng__qg_is(&t[v - 1], W_BY))
                   && ing_role(s, t, 0, v) == ING_PARTICIPLE) {
            continue; /* "..., telling the BBC", "by saying": no subject
                         before it */
        } else if (ng__qg_verb(&t[v]) && !ng__qg_passive(s, t, v)) {
            if (ng__qg_possessive(s, &t[v - 1]))
                continue; /* "at Mr Mallon's claim that": a noun, whose
                             owner is no subject a later "he" goes on
                             with */
            p = ng__qg_subject_before(s, t, 0, v);
            /* One after "NAME," is an appositive the name stands for
             * ("Alan Milburn, Labour's election strategist told"). */
            if (p.a >= 2 && t[p.a - 1].punct == ',' && t[p.a - 2].cap
                && !t[p.a - 2].punct)
                continue;
        } else if (t[v].punct == ',' && v >= 3 && t[v - 1].cap
                   && t[v - 2].cap && !ng__qg_is(&t[v - 2], W_DET)) {
            /* ", Nicola Sturgeon," names someone too. */
            size_t a = v - 2;
            while (a > 0 && !t[a - 1].punct && t[a - 1].cap)
                a--;
            p = (ng__qnp){ a, v, a > 0 && t[a - 1].punct == ',' };
        }
        /* A subject cut by the window's start may be half a name. */
        if (!p.ok || (p.a == 0 && clipped) || ng__qg_is(&t[p.a], W_PRONOUN))
            continue;
        if (t[p.a].cap && !ng__qg_is(&t[p.a], W_DET))
            ng__qn_note(h, t[p.a].s, t[p.b - 1].e, 1);
        else if (ng__qg_is(&t[p.a], W_DET) && p.b > p.a + 1)
            ng__qn_note(h, t[p.a].s, t[p.b - 1].e, described(s, t, p));
    }
}

/* "described" reports words only as "described ... as "..."": the
 * quotation follows "as" with no comma between (not "who he described as
 * an activist, and that he was "...""). */
static int describes_other(const unsigned char *s, const ng__qtok *t, size_t v,
                           size_t n)
{
    static const char *const DESCRIBE[] = { "described", "describes", NULL };
    static const char *const AS[] = { "as", NULL };
    if (!ng__attrib_word_in((const char *)s + t[v].s, t[v].e - t[v].s,
                            DESCRIBE))
        return 0;
    for (size_t i = n; i > v + 1; i--) {
        if (t[i - 1].punct == ',')
            return 1;
        if (ng__attrib_word_in((const char *)s + t[i - 1].s,
                               t[i - 1].e - t[i - 1].s, AS))
            return 0;
    }
    return 1;
}

/* "called for", "called on X to" and "called X "..."" report words
 * ("Barber called for "a commitment""); a
 * bare "called" names things ("a group called "Respect""). */
static int calls_for(const unsigned char *s, const ng__qtok *t, size_t v,
                     size_t n)
{
    static const char *const FOR[] = { "for", "on", NULL };
    if (t[v].cap || !ng__qg_is(&t[v], W_CALLS) || v + 1 >= n)
        return 0;
    if (v > 0 && ng__qg_is(&t[v - 1], W_HESHE | W_IT))
        return 1; /* "what she called \"bullying\" tactics" */
    /* "called the fire "the worst ..."": an object between the verb and
     * the quotation; "a group called "Respect"" has none. */
    return ng__attrib_word_in((const char *)s + t[v + 1].s,
                              t[v + 1].e - t[v + 1].s, FOR)
        || (!t[v + 1].punct && v + 2 < n && !t[n - 1].punct);
}

/* What an -ing speech verb t[v] is: not one (ING_NONE), a progressive
 * after a form of "be" ("Ecologists are warning"; its subject stands
 * before it), a noun after a determiner or preposition ("a warning"), or
 * a participle ("..., saying"; its subject is the clause's). */
static int ing_role(const unsigned char *s, const ng__qtok *t, size_t lo,
                    size_t v)
{
    const ng__qtok *w = &t[v];
    if (!(w->e - w->s > 4 && s[w->e - 1] == 'g' && s[w->e - 2] == 'n'
          && s[w->e - 3] == 'i'))
        return ING_NONE;
    if (v > lo && ng__qg_passive(s, t, v))
        return ING_PROGRESSIVE;
    if (v > lo && ng__qg_is(&t[v - 1], W_BY))
        return ING_PARTICIPLE; /* "stoked it up by saying": the means */
    if (v > lo && ng__qg_is(&t[v - 1], W_DET | W_PREP))
        return ING_NOUN;
    return ING_PARTICIPLE;
}

/* A "he" or "she" opening the sentence t[lo, v) (after "But", "And"),
 * the only one in it: the subject of the clause a participle at t[v]
 * hangs on.  Sets f's speaker and returns 1 when so. */
static int opening_pronoun(const ng__qtok *t, size_t lo, size_t v, found *f)
{
    size_t i = lo;
    if (i < v && t[i].cap && ng__qg_is(&t[i], W_CLAUSE))
        i++;
    if (i >= v || !ng__qg_is(&t[i], W_HESHE))
        return 0;
    for (size_t j = i + 1; j < v; j++)
        if (ng__qg_is(&t[j], W_HESHE))
            return 0; /* "He met Ms Hassan, who he described ...": whose? */
    f->spk_s = t[i].s;
    f->spk_e = t[i].e;
    return 1;
}

/* 1 when the verb t[v] follows "and" or "but" (a comma between
 * allowed): coordinated with the verb before, it has no subject of its
 * own ("The firm said profits fell and warned:"). */
static int coordinated(const unsigned char *s, const ng__qtok *t, size_t lo,
                       size_t v)
{
    static const char *const AND[] = { "and", "but", NULL };
    return v > lo && !t[v - 1].cap && !t[v - 1].punct
        && ng__attrib_word_in((const char *)s + t[v - 1].s,
                              t[v - 1].e - t[v - 1].s, AND);
}

/* 1 when t is "his", "her", "its" or "their": a phrase it opens is
 * somebody's thing, not a speaker ("His message to the chancellor"). */
static int possessive_pronoun(const unsigned char *s, const ng__qtok *t)
{
    static const char *const POSS[] = { "his", "her", "its", "their", NULL };
    return ng__attrib_word_in((const char *)s + t->s, t->e - t->s, POSS);
}

/* The noun phrase opening the sentence t[lo, v) as its subject ("Fox
 * producers defended the show, saying"): the subject of the clause a
 * participle at t[v] hangs on when no speaker was noted there.  Sets
 * f's speaker and returns 1 when so. */
static int opening_subject(const unsigned char *s, const ng__qtok *t,
                           size_t lo, size_t v, found *f)
{
    ng__qnp p = ng__qg_opening_subject(s, t, lo, v);
    if (!p.ok)
        return 0;
    f->spk_s = t[p.a].s;
    f->spk_e = t[p.b - 1].e;
    return 1;
}

/* A speaker's name set before the quotation as a label, with no verb:
 * `BBC Two controller Roly Keating: "..."`, `- Newcastle boss Graeme
 * Souness "..."` (a transcript's or a list's form).  The name opens its
 * sentence and ends right before the mark or a colon; it has two
 * capitalized words or more and may hold role words.  Without a colon
 * it must follow a list's dash.  Sets f's speaker and returns 1. */
static int speaker_label(const ng__qtok *t, size_t lo, size_t n, found *f)
{
    size_t e = n, a, caps = 1;
    int colon = e > lo && t[e - 1].punct == ':';
    e -= colon;
    if (e == lo || t[e - 1].punct || !t[e - 1].cap)
        return 0;
    for (a = e - 1; a > lo && e - a < NG__QG_NP_MAX && !t[a - 1].punct; a--) {
        const ng__qtok *w = &t[a - 1];
        /* A number inside a name is part of it: "BBC Two controller". */
        int in_name = a > lo + 1 && t[a - 2].cap && !t[a - 2].punct
            && w->cls == W_DET;
        if (w->cap ? !in_name && ng__qg_is(w, W_DET | W_PREP | W_CLAUSE
                                           | W_PRONOUN | W_STOP)
                   : w->cls != 0)
            return 0;
        caps += w->cap;
    }
    if (caps < 2 || !t[a].cap
        || !(colon ? a == lo || t[a - 1].punct == '-' : a > lo && t[a - 1].punct == '-'))
        return 0;
    if (ng__qg_is(&t[a], W_VERB) && a + 1 < e)
        a++; /* "Said Wales assistant coach Scott Johnson:" */
    f->speaker = 1;
    f->spk_s = t[a].s;
    f->spk_e = t[e - 1].e;
    return 1;
}

/* Before the opening mark: `X said: "..."` / `X told reporters that
 * "..."` / `According to X, "..."`.  The verb must be near the quote.
 * A passive verb ("have been described as") names no speaker here; the
 * caller looks for "by X" after the quotation. */
static found before_quote(const unsigned char *s, const ng__qtoks *all,
                          size_t a, size_t b, int clipped, named *h)
{
    const ng__qtok *t;
    found f = { 0 };
    size_t n = ng__qg_window(all, a, b, 1, &t, &clipped), lo = 0;
    named_subjects(s, t, n, clipped, h);
    for (size_t i = n; i > 0; i--)
        if (ng__qg_ends_sentence(&t[i - 1])) {
            lo = i;
            break;
        }
    for (size_t v = n; v > lo; v--) {
        const ng__qtok *w = &t[v - 1];
        ng__qnp none = { 0, 0, 0 };
        if (ng__qg_according(s, t, v - 1, n)) {
            ng__qnp p = ng__qg_subject_after(s, t, v + 1, n);
            set_found(&f, t, p, v - 1);
            return f;
        }
        if ((ng__qg_verb(w) || calls_for(s, t, v - 1, n))
            && !describes_other(s, t, v - 1, n)) {
            int ing = ing_role(s, t, lo, v - 1);
            ng__qnp p;
            if (ing == ING_NOUN)
                continue;
            for (size_t k = v - 1; k > lo && k + NG__QG_NP_MAX + 2 > v; k--)
                if (quoted_as(s, t, k - 1, n, &p)) {
                    set_found(&f, t, p, k - 1);
                    return f;
                }
            f.passive = !ing && ng__qg_passive(s, t, v - 1);
            set_found(&f, t, ing == ING_PARTICIPLE || f.passive ? none
                      : ng__qg_subject_before(s, t, lo, v - 1), v - 1);
            /* "..., saying": the subject is the clause's, or the
             * pronoun opening it ("He denied ..., telling the BBC");
             * so is a verb coordinated with no subject of its own
             * ("Euronext said ..., but added that:"). */
            if ((ing == ING_PARTICIPLE || (!f.speaker && !f.passive
                                           && coordinated(s, t, lo, v - 1)))
                && lo < n)
                f.speaker = ng__qn_clause_subject(h, t[lo].s, w->s, 3, &f.spk_s,
                                           &f.spk_e)
                    || opening_pronoun(t, lo, v - 1, &f)
                    || opening_subject(s, t, lo, v - 1, &f);
            return f;
        }
    }
    /* A sentence with no speech verb that ends in a colon before the
     * quotation introduces it: its subject is the speaker ("He is
     * prepared to go this far: "...""). */
    if (!speaker_label(t, lo, n, &f) && n > lo + 1 && t[n - 1].punct == ':')
        f.speaker = opening_pronoun(t, lo, n - 1, &f)
            || (!possessive_pronoun(s, &t[lo]) /* "His message was:" */
                && opening_subject(s, t, lo, n - 1, &f));
    return f;
}

/* After a quotation reported by a passive verb: `... described as
 * "idle speculation" by Downing Street`. */
static found by_agent(const unsigned char *s, const ng__qtoks *all, size_t a,
                      size_t b)
{
    const ng__qtok *t;
    found f = { 0 };
    int dropped = 0;
    size_t n = ng__qg_window(all, a, b, 0, &t, &dropped);
    if (n > 1 && ng__qg_is(&t[0], W_BY))
        set_found(&f, t, ng__qg_subject_after(s, t, 1, n), 0);
    return f;
}

/* ---- attribution pass ------------------------------------------------ */

/* Clause-ending punctuation just inside the closing mark: 1, or
 * ENDS_ASKING for a question or exclamation mark (which may end the
 * sentence too). */
static int quote_ends_clause(const unsigned char *s, const ng__quote *q)
{
    size_t e = q->in_end;
    /* A quotation inside closes first: ...you,'" Richards said. */
    while (e > q->in_start + 3 && (s[e - 1] == '\''
                                   || (s[e - 1] == 0x99 && s[e - 2] == 0x80)))
        e -= s[e - 1] == '\'' ? 1 : 3;
    unsigned char c = e > q->in_start ? s[e - 1] : 0;
    if (c == '?' || c == '!')
        return ENDS_ASKING;
    return c == ',' || c == '-' || c == 0x94 || c == 0xA6 /* … */;
}

/* Where the sentence holding byte `at` starts (not before lo). */
static size_t sentence_start(const unsigned char *s, size_t at, size_t lo)
{
    while (at > lo && !(strchr(".!?\n", s[at - 1]) && s[at - 1]
                        && (s[at - 1] == '\n' || ng__qg_space(s[at]))))
        at--;
    return at;
}

/* The attribution window of quotation k: from the end of the last real
 * quotation before it (scare quotes of a few words are part of the
 * sentence: "...one of the "metric martyrs" - said") to its start, and
 * from its end to the next quotation. */
static void windows(const ng__quote *v, size_t n, size_t k, size_t len,
                    size_t *lo, size_t *hi, int *clipped)
{
    const ng__quote *q = &v[k];
    *lo = 0;
    *hi = len;
    for (size_t j = k; j > 0 && v[j - 1].end + WIN_BACK >= q->start; j--)
        if (v[j - 1].words > SCARE_WORDS) {
            *lo = v[j - 1].end;
            break;
        }
    if (q->start > *lo + WIN_BACK) {
        *lo = q->start - WIN_BACK;
        *clipped = 1;
    }
    if (q->end + WIN_FWD < *hi)
        *hi = q->end + WIN_FWD;
    for (size_t j = k + 1; j < n && j < k + 5 && v[j].start < *hi; j++)
        if (v[j].words > SCARE_WORDS || j + 1 == k + 5) {
            *hi = v[j].start;
            break;
        }
}

/* 1 when the word just before byte `at` is "as". */
static int after_as(const unsigned char *s, size_t at)
{
    while (at > 0 && ng__qg_space(s[at - 1]))
        at--;
    return at >= 3 && (s[at - 1] | 0x20) == 's' && (s[at - 2] | 0x20) == 'a'
        && !ng__qg_alnum(s[at - 3]);
}

/* 1 when a colon stands right before byte `at` (spaces between). */
static int colon_before(const unsigned char *s, size_t at)
{
    while (at > 0 && ng__qg_space(s[at - 1]))
        at--;
    return at > 0 && s[at - 1] == ':';
}

static void attribute_one(const unsigned char *s, const ng__qtoks *all,
                          size_t len, ng__quote *v, size_t n, size_t k,
                          named *h, size_t *seen)
{
    ng__quote *q = &v[k];
    size_t lo, hi;
    int clipped = 0;
    found f = { 0 }, fb;

    windows(v, n, k, len, &lo, &hi, &clipped);
    if (*seen + NAMES_BACK < q->start)
        *seen = q->start - NAMES_BACK;
    if (*seen < q->start)
        ng__qn_title_names(s, all, *seen, q->start, h);
    fb = before_quote(s, all, lo, q->start, clipped, h);
    int ends = quote_ends_clause(s, q);
    /* `he added: "...?" Mr Blair hailed ...`: a question or an
     * exclamation introduced by a colon ends its sentence; the name
     * after it opens the next one. */
    if (q->closed && !ng__quote_ends_sentence(s, q)
        && !(fb.speaker && ends == ENDS_ASKING && colon_before(s, q->start)))
        f = after_quote(s, all, q->end, hi, ends);
    /* `Deutsche Boerse is "trying to buy them off", he said.`: a "he"
     * after the quotation is not the subject of the quotation's own
     * sentence, unless that subject introduced it (`X said: "...," he
     * said`). */
    f.tail |= f.speaker && !fb.verb && !fb.speaker;
    if (!f.speaker && fb.passive && q->closed) {
        f = by_agent(s, all, q->end, hi);
        f.verb_s = fb.verb_s;
        f.verb_e = fb.verb_e;
    }
    if (!f.speaker)
        f = fb;
    /* A quoted phrase inside a sentence with no speech verb is the
     * words of that sentence's subject, when a name opens it ("Mr
     * Kennedy will highlight the anger of \"all races\""); after "as"
     * it is a name ("billed as \"...\""), nobody's words. */
    if (!f.speaker && q->words <= PHRASE_WORDS && !after_as(s, q->start)) {
        size_t ss = sentence_start(s, q->start, lo), i = ng__qg_tok_at(all, ss);
        f.speaker = ng__qn_clause_subject(h, ss, q->start, 9, &f.spk_s, &f.spk_e)
            || (i < all->n && opening_pronoun(all->v, i,
                                              ng__qg_tok_at(all, q->start), &f));
    }
    ng__qn_note_lead(h, k > 0 ? &v[k - 1] : NULL, q);
    if (f.verb) {
        q->verb_start = f.verb_s;
        q->verb_end = f.verb_e;
    }
    if (f.speaker) {
        q->spk_start = f.spk_s;
        q->spk_end = f.spk_e;
        unsigned cls = ng__quote_word_class(s + f.spk_s, f.spk_e - f.spk_s);
        if (cls & W_HESHE)
            ng__qn_resolve(s, h, f.spk_s, f.tail ? sentence_start(s, q->start, lo)
                    : f.spk_s, (s[f.spk_s] | 0x20) == 's' ? W_MALE : W_FEMALE,
                    &q->who_start, &q->who_end);
        else if (ng__qn_epithet(s, f.spk_s, f.spk_e))
            ng__qn_resolve(s, h, f.spk_s, f.spk_s, 0, &q->who_start, &q->who_end);
        else if (cls & W_IT)
            ng__qn_resolve_body(s, h, &q->who_start, &q->who_end);
        else if (ng__qn_role_name(s, f.spk_s, f.spk_e, &q->who_start, &q->who_end))
            ng__qn_note_person(h, f.spk_s, q->who_start, q->who_end, 1);
        else
            ng__qn_note_speaker(s, h, f.spk_s, f.spk_e);
    }
    *seen = q->end > *seen ? q->end : *seen;
}

/* Counts the words inside each quotation. */
static void count_words(const unsigned char *s, ng__quote *q)
{
    unsigned w = 0;
    for (size_t i = q->in_start; i < q->in_end; i++)
        if (ng__qg_alnum(s[i]) && (i == q->in_start || !ng__qg_alnum(s[i - 1]))
            && (s[i] & 0xC0) != 0x80)
            w++;
    q->words = w;
}

static void attribute(const unsigned char *s, const ng__qtoks *all, size_t len,
                      ng__quote *v, const ng__quote_para *para, size_t n)
{
    named h;
    size_t seen = 0;
    h.n = 0;
    h.body_s = h.body_e = 0;
    for (size_t k = 0; k < n; k++)
        attribute_one(s, all, len, v, n, k, &h, &seen);
    ng__quote_chain(s, v, para, n);
}

/* Tokenizes s[a, b) but the inside of the closed quotations longer than
 * SCARE_WORDS, which no window reads (windows() stops at them); *j is
 * the first quotation that may still lie ahead. */
static int tokenize_between(const unsigned char *s, size_t a, size_t b,
                            const ng__quote *v, size_t nq, size_t *j,
                            ng__qtoks *all)
{
    while (*j < nq && v[*j].in_end <= a)
        (*j)++;
    for (size_t q = *j; q < nq && v[q].in_start < b; q++) {
        if (!v[q].closed || v[q].words <= SCARE_WORDS)
            continue;
        if (v[q].in_start > a && ng__qg_tokenize(s, a, v[q].in_start, all) < 0)
            return -1;
        if (v[q].in_end > a)
            a = v[q].in_end;
    }
    return b > a ? ng__qg_tokenize(s, a, b, all) : 0;
}

/* Tokens are needed only where the quotations' windows can reach: up
 * to NAMES_BACK bytes before each (names, see attribute_one; the
 * windows themselves reach WIN_BACK) and WIN_FWD after it (see windows()),
 * outside the quotations themselves.  Each range is widened to whole
 * words.  Returns 0 or -1. */
static int tokenize_windows(const unsigned char *s, size_t len,
                            const ng__quote *v, size_t nq, ng__qtoks *all)
{
    size_t done = 0, j = 0;
    for (size_t k = 0; k < nq; k++) {
        size_t a = v[k].start > NAMES_BACK ? v[k].start - NAMES_BACK : 0;
        size_t b = v[k].end + WIN_FWD < len ? v[k].end + WIN_FWD : len;
        if (a < done)
            a = done;
        while (a > done && ng__qg_alnum(s[a - 1]))
            a--;
        while (b < len && ng__qg_alnum(s[b]))
            b++;
        if (b > a && tokenize_between(s, a, b, v, nq, &j, all) < 0)
            return -1;
        if (b > done)
            done = b;
    }
    return 0;
}

int ng__quotes_find(const char *s, size_t len, ng__quote **out, size_t *n)
{
    ng__quote *v;
    ng__quote_para *para;
    size_t nq;
    ng__qtoks all = { NULL, 0, 0 };
    *out = NULL;
    *n = 0;
    if (ng__quote_marks(s, len, &v, &para, &nq) < 0)
        return -1;
    for (size_t k = 0; k < nq; k++)
        count_words((const unsigned char *)s, &v[k]);
    if (nq > 0) {
        if (tokenize_windows((const unsigned char *)s, len, v, nq, &all) < 0) {
            free(v);
            free(para);
            free(all.v);
            return -1;
        }
    }
    attribute((const unsigned char *)s, &all, len, v, para, nq);
    free(all.v);
    free(para);
    *out = v;
    *n = nq;
    return 0;
}
