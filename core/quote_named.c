/*
 * quote_named.c -- whom the quote attributor has seen named, and whom a
 * pronoun stands for.  As the attribution pass (quotes.c) walks the
 * text it notes here the people and bodies named before each quotation:
 * speakers, subjects of speech verbs, "Mr X"-style mentions and names
 * standing as a sentence's subject (title_names).  "he" and "she"
 * resolve to the latest person among them (subjects first, skipping
 * the other sex), "it" and "they" to the latest body that spoke, an
 * epithet ("the 20-year-old", "the American") to the person named
 * before it.  The forms that tell a person from a body by its words
 * (person_head, head_sex) live here too.  Only a handful of mentions
 * are kept (NG__QN_KEEP), so every look-up is bounded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attrib.h"
#include "quote_named.h"

/* Adds the name s[a, b), named at `at`, at its place in text order (a
 * mention already known or older than all kept is dropped). */
void ng__qn_note_at(named *h, size_t at, size_t a, size_t b, int subject)
{
    size_t i = h->n;
    while (i > 0 && h->v[i - 1].at > at)
        i--;
    if (i > 0 && h->v[i - 1].at == at) {
        h->v[i - 1].subject |= subject;
        return;
    }
    if (h->n == NG__QN_KEEP) {
        if (i == 0)
            return;
        memmove(h->v, h->v + 1, (NG__QN_KEEP - 1) * sizeof *h->v);
        h->n--;
        i--;
    }
    memmove(h->v + i + 1, h->v + i, (h->n - i) * sizeof *h->v);
    h->v[i] = (mention){ at, a, b, subject, 0 };
    h->n++;
}

void ng__qn_note(named *h, size_t a, size_t b, int subject)
{
    ng__qn_note_at(h, a, a, b, subject);
}

/* 1 when the word x[0, w) names a person by its form: a demonym with a
 * capital ("the American", "the Argentine", "the Frenchman", "the
 * Swede") or a noun of a person in lower case ("the youngster", "the
 * analyst", "the comedian").  Bodies take other forms ("the firm", "the
 * government", "the Treasury").  Agent nouns in -er, -or and -man are
 * left out: "the prime minister", "the director", "the spokesman" name
 * an office, often someone new rather than the person named before. */
static int person_head(const unsigned char *x, size_t w)
{
    static const char *const CAP[] = { "an", "ine", "ese", "man", "i",
                                       "ard", "ede", NULL };
    static const char *const LOW[] = { "ster", "ist", "ian", NULL };
    const char *const *end = x[0] >= 'A' && x[0] <= 'Z' ? CAP : LOW;
    if (w < 4 || (end == CAP && !(x[1] >= 'a' && x[1] <= 'z')))
        return 0;
    if (w > 5 && memcmp(x + w - 5, "ister", 5) == 0)
        return 0; /* "minister", "register": not "-ster" */
    for (; *end; end++) {
        size_t k = strlen(*end);
        if (w > k + 2 && memcmp(x + w - k, *end, k) == 0)
            return 1;
    }
    return 0;
}

/* 1 when the word x[0, w) is a noun of a person by what they play or
 * perform, not an office ("the champion", "the striker", "the singer"):
 * a paper calls the person it has just named so, where "the minister"
 * or "the spokesman" may be someone new. */
static int sport_or_stage(const unsigned char *x, size_t w)
{
    static const char *const ROLES[] = {
        "champion", "star", "veteran", "striker", "midfielder", "defender",
        "winger", "keeper", "goalkeeper", "player", "singer", "actor",
        "actress", "rapper", "sprinter", "runner", "athlete", "skipper",
        "teenager", "newcomer", "playmaker", "forward", "stalwart", NULL
    };
    return ng__attrib_word_in((const char *)x, w, ROLES);
}

/* The sex the last word of s[a, b) gives a description: W_FEMALE for
 * "-woman" ("a company spokeswoman"), W_MALE for another "-man" in
 * lower case, 0. */
static unsigned head_sex(const unsigned char *s, size_t a, size_t b)
{
    size_t l = b;
    while (l > a && ng__qg_alnum(s[l - 1]))
        l--;
    if (b - l < 4 || memcmp(s + b - 3, "man", 3) != 0
        || !(s[l] >= 'a' && s[l] <= 'z'))
        return 0; /* "Meg Whitman" is a name, not a "-man" */
    return b - a >= 5 && memcmp(s + b - 5, "woman", 5) == 0 ? W_FEMALE
        : W_MALE;
}

/* 1 when the description s[a, b) names a person by its last word:
 * "-man", "-woman" ("a spokeswoman"), "official", or a noun of a person
 * ("the analyst"): "he" or "she" may stand for it. */
int ng__qn_person_description(const unsigned char *s, size_t a, size_t b)
{
    /* The head stands before a preposition that follows a word in lower
     * case: "a spokesman for the Information Commissioner's Office" (not
     * "the Department for Constitutional Affairs"). */
    for (size_t i = a, prev = a; i < b; i++) {
        size_t w = ng__qg_word_len(s, b, i);
        if (w == 0)
            continue;
        if (i > a && s[prev] >= 'a' && s[prev] <= 'z'
            && (ng__quote_word_class(s + i, w) & W_PREP)) {
            for (b = i; b > a && ng__qg_space(s[b - 1]); b--)
                ;
            break;
        }
        prev = i;
        i += w - 1;
    }
    size_t l = b;
    while (l > a && ng__qg_alnum(s[l - 1]))
        l--;
    return head_sex(s, a, b) || (b - l == 8 && memcmp(s + l, "official", 8) == 0)
        || person_head(s + l, b - l) || sport_or_stage(s + l, b - l);
}

/* The subject of the clause a participle hangs on: the first name or
 * description noted in h with one of the bits `kind` inside s[from, to)
 * ("Sir Ian Blair has backed the orders, saying: ...").  Returns 1 and
 * sets *ws, *we, or 0. */
int ng__qn_clause_subject(const named *h, size_t from, size_t to, int kind,
                          size_t *ws, size_t *we)
{
    for (size_t i = 0; i < h->n; i++) {
        const mention *m = &h->v[i];
        if (m->at < from || m->at >= to || !(m->subject & kind))
            continue;
        *ws = m->s;
        *we = m->e;
        return 1;
    }
    return 0;
}

/* 1 when t[a, b) is a determiner and a title: "the Cardinal", "the
 * Chancellor" name one person as a name does. */
static int the_title(const ng__qtok *t, size_t a, size_t b)
{
    return b == a + 2 && ng__qg_is(&t[a], W_DET) && t[a + 1].cap
        && ng__qg_is(&t[a + 1], W_TITLE);
}

/* 1 when the word t ends in a possessive 's. */
static int possessive(const unsigned char *s, const ng__qtok *t)
{
    return t->e - t->s > 2 && ((s[t->e - 1] == 's'
                                && (s[t->e - 2] == '\'' || s[t->e - 2] == 0x99))
                               || (s[t->e - 1] == '\'' && (s[t->e - 2] | 0x20) == 's'));
}

/* 1 when a subject starting at t[a] opens its sentence or clause: first
 * of the tokens, after sentence-ending punctuation, a comma, a list's
 * dash or a capitalized clause word ("But"). */
static int opens_at(const ng__qtok *t, size_t first, size_t a)
{
    return a == first || ng__qg_ends_sentence(&t[a - 1]) || t[a - 1].punct == ','
        || (t[a - 1].cap && ng__qg_is(&t[a - 1], W_CLAUSE))
        || (t[a - 1].punct == '-' && (a - 1 == first
                                      || ng__qg_ends_sentence(&t[a - 2])));
}

/* The token after an appositive that opens at the comma t[c] and closes
 * at the next comma, within 16 tokens and the sentence ("Mr Kilroy-Silk,
 * an MEP for the East Midlands, resigned"), or 32 when it is a relative
 * clause ("Gerrard, who fired Liverpool into the last 16 ... with a
 * brilliant goal in December's win over Olympiakos, insisted"); c when
 * there is none. */
static size_t past_appositive(const ng__qtok *t, size_t c, size_t n)
{
    size_t most = c + 1 < n && ng__qg_is(&t[c + 1], W_REL) ? 32 : 16;
    for (size_t i = c + 1; i + 1 < n && i <= c + most; i++) {
        if (t[i].punct == ',')
            return i + 1;
        if (ng__qg_ends_sentence(&t[i]) || t[i].punct == ';'
            || t[i].punct == ':' || t[i].punct == '"')
            return c;
    }
    return c;
}

/* 1 when t[v] is a lower-case adverb in -ly ("positively",
 * "initially") standing before a lower-case word: a verb may follow it. */
static int adverb(const unsigned char *s, const ng__qtok *t, size_t v,
                  size_t n)
{
    size_t w = v < n ? t[v].e - t[v].s : 0;
    return w >= 5 && v + 1 < n && !t[v].punct && !t[v].cap && !t[v].cls
        && s[t[v].e - 2] == 'l' && s[t[v].e - 1] == 'y'
        && !t[v + 1].punct && !t[v + 1].cap;
}

/* Whether the capitalized words t[a, b) stand where a sentence's subject
 * does: followed by a lower-case word that is no function word other
 * than an auxiliary (a verb: "Hearts manager John Robertson hopes"), not
 * by a passive "is said", and not after a determiner, a preposition or
 * another capitalized word.  Returns 2 when the words open their
 * sentence ("Mr Ebbers rejected ..."), 1 when they follow a role noun
 * ("manager John Robertson hopes"), 0 when they are no subject.  Names
 * without a title need two words or more, or one known as the last
 * word of a name before ("Morris appears" after "Dick Morris"): the
 * caller asks surname() last, as it is the dearest test.  A name
 * opening its sentence may be followed by an appositive before its verb
 * ("Mr Kilroy-Silk, an MEP, resigned"). */
static int subject_name(const unsigned char *s, const ng__qtok *t, size_t first,
                        size_t a, size_t b, size_t n)
{
    static const char *const PLURAL[] = { "have", "are", "were", NULL };
    const unsigned not_verb = W_PREP | W_DET | W_CLAUSE | W_LINK | W_STOP
        | W_PRONOUN;
    int titled = ng__qg_is(&t[a], W_TITLE) || the_title(t, a, b);
    int opens = opens_at(t, first, a)
        || (a > first && t[a - 1].cap && possessive(s, &t[a - 1])
            && opens_at(t, first, a - 1)); /* "Britain's Paula Radcliffe" */
    size_t v = opens && b < n && t[b].punct == ',' ? past_appositive(t, b, n) : b;
    if (adverb(s, t, v, n))
        v++; /* "Henson, surveying ..., positively relished" */
    if (v >= n || t[v].punct || t[v].cap
        || (t[v].cls & not_verb) || s[t[v].s] < 'a' || s[t[v].s] > 'z'
        || ((t[a].cls & (W_DET | W_PRONOUN | W_CLAUSE)) && !the_title(t, a, b)))
        return 0;
    if (ng__qg_is(&t[v], W_AUX) && v + 1 < n && ng__qg_is(&t[v + 1], W_VERB))
        return 0;
    if (ng__attrib_word_in((const char *)s + t[v].s, t[v].e - t[v].s, PLURAL))
        return 0; /* "Knight and Roni Size have", "Ministers are": no one
                     person */
    if (b - a == 1 && !titled && !ng__qg_finite(s, &t[v])
        && !ng__qg_is(&t[v], W_AUX | W_VERB | W_PAST))
        return 0; /* "Police want": a single word with a plural verb */
    if (possessive(s, &t[b - 1]))
        return 0; /* a possessive: "Hugh Dallas's report" */
    if (!t[v].cls && !ng__qg_finite(s, &t[v]) && ng__qg_role_then_name(t, v, n))
        return 0; /* a role before a name: "Former WorldCom chief Bernie
                     Ebbers", "Lib Dem foreign affairs spokesman Menzies
                     Campbell" (not "McEnroe wants Roddick") */
    if (opens)
        return 2; /* "But Mr Ebbers rejected", "In court, Mr Ebbers
                     rejected", "Mr Kilroy-Silk, an MEP, resigned" too */
    if (titled || t[a - 1].punct || t[a - 1].cap
        || ng__qg_is(&t[a - 1], W_PREP | W_DET | W_CLAUSE))
        return 0;
    /* After a role noun the next word must look like a verb: "coach
     * Patrick McEnroe wants", not "his second Grand Slam title(s)"; and
     * after a verb the name heads a clause of its own ("she believed
     * Tony Blair initiated"). */
    if (ng__qg_finite(s, &t[a - 1]) || ng__qg_verb(&t[a - 1]))
        return 0; /* "said Andi Peters would": a reported clause's */
    return (ng__qg_finite(s, &t[v]) && v + 1 < n && !t[v + 1].punct)
        || ng__qg_is(&t[v], W_AUX | W_VERB | W_PAST);
}

/* 1 when the capitalized word t came before, within SURNAME_BACK
 * bytes, as the last word of a name ("Morris" after "Dick Morris"): a
 * single word that may stand for that person. */
#define SURNAME_BACK 4000
static int surname(const unsigned char *s, const ng__qtok *t)
{
    size_t w = t->e - t->s, from = t->s > SURNAME_BACK ? t->s - SURNAME_BACK : 0;
    const unsigned char *at = s + from, *end = s + t->s;
    while (w > 2 && at + w < end
           && (at = memchr(at, s[t->s], (size_t)(end - at - w))) != NULL) {
        size_t i = (size_t)(at - s);
        if (memcmp(at, s + t->s, w) != 0) {
            at++;
            continue;
        }
        if (i >= from + 3 && s[i - 1] == ' ' && s[i - 2] >= 'a'
            && s[i - 2] <= 'z' && !ng__qg_alnum(s[i + w]))
            for (size_t j = i - 2; j + 24 > i; j--)
                if (j == 0 || !ng__qg_alnum(s[j - 1])) {
                    if (s[j] >= 'A' && s[j] <= 'Z')
                        return 1; /* "Dick Morris" */
                    break;
                }
        at++;
    }
    return 0;
}

/* Notes in h the "Mr X"-style mentions (a title, then a capitalized
 * word) and the names standing as a sentence's subject among the tokens
 * of s[a, b): a name opening its sentence as the subject of its verb
 * counts as much as the subject of a speech verb. */
void ng__qn_title_names(const unsigned char *s, const ng__qtoks *all, size_t a,
                        size_t b, named *h)
{
    static const char *const IS[] = { "is", "was", NULL };
    static const char *const COORD[] = { "and", "but", "while", "although",
                                         "though", NULL };
    size_t first = ng__qg_tok_at(all, a), n = first, sent = first;
    size_t had = SIZE_MAX; /* the sentence whose subject was noted last */
    while (n < all->n && all->v[n].e <= b)
        n++;
    for (size_t i = first; i + 1 < n; i++) {
        const ng__qtok *t = &all->v[i], *nx = t + 1;
        size_t e = nx->e, j = i + 1;
        int subj;
        /* A sentence, or a clause coordinated in it ("Martinez beat
         * Asagoe and Mirza beat Kostanic", "... - a move Wenger has
         * backed"), has a subject of its own. */
        if (ng__qg_ends_sentence(t) || t->punct == ';' || t->punct == '-'
            || (!t->cap && ng__qg_is(t, W_CLAUSE)
                && ng__attrib_word_in((const char *)s + t->s, t->e - t->s,
                                      COORD)))
            sent = i + 1;
        if (t->punct || (!t->cap && !the_title(all->v, i, i + 2))
            || (ng__qg_is(t, W_CLAUSE) && !ng__qg_is(t, W_DET)))
            continue; /* "But Dunne is": the name starts after "But" */
        while (j < n && j < i + NG__QG_NP_MAX && all->v[j].cap && !all->v[j].punct)
            j++;
        /* "Britain's Paula Radcliffe has": the name follows the
         * possessive. */
        size_t nm = j > i + 2 && possessive(s, t) ? i + 1 : i;
        subj = subject_name(s, all->v, first, nm, j, n);
        /* A name inside the sentence after its subject heads a clause
         * of its own ("UK Athletics chief Max Jones believes it is
         * likely Holmes will race"): the sentence is about its subject. */
        if (subj == 1 && had == sent)
            subj = 0;
        /* "The musical's director is Matthew Warchus, best known for
         * ...": a name introduced after "is" or "was", closing its
         * clause, is whom the text goes on about. */
        if (subj == 0 && j > nm + 1 && nm > first && j < n
            && (all->v[j].punct == ',' || all->v[j].punct == '.')
            && !all->v[nm - 1].punct && !all->v[nm - 1].cap
            && ng__attrib_word_in((const char *)s + all->v[nm - 1].s,
                                  all->v[nm - 1].e - all->v[nm - 1].s, IS)
            && !ng__qg_is(&all->v[nm], W_DET | W_PRONOUN | W_CLAUSE))
            subj = 2;
        /* One word after a player's or performer's noun is a person's
         * name ("Brazilian midfielder Edu has"). */
        if (subj != 0 && (j > nm + 1
                          || (subj == 1 && sport_or_stage(s + all->v[nm - 1].s,
                                                          all->v[nm - 1].e
                                                          - all->v[nm - 1].s))
                          || surname(s, &all->v[nm]))) {
            ng__qn_note(h, all->v[nm].s, all->v[j - 1].e, subj == 2 ? 1 : 8);
            had = sent;
        } else if (subj == 2 && j == nm + 1) {
            h->body_s = all->v[nm].s; /* "Multiplex will have to win" */
            h->body_e = all->v[nm].e;
        } else if (ng__qg_is(t, W_TITLE) && nx->cap && !nx->punct) {
            if (e - nx->s > 2 && s[e - 2] == '\'' && s[e - 1] == 's')
                e -= 2; /* "Mr Mubanga's" names Mr Mubanga */
            ng__qn_note(h, t->s, e, 0);
        }
        i = j - 1;
    }
}

void ng__qn_note_person(named *h, size_t at, size_t a, size_t b, int subject)
{
    ng__qn_note_at(h, at, a, b, subject);
    for (size_t j = 0; j < h->n; j++)
        if (h->v[j].at == at) {
            /* the person, not the epithet or description noted here
             * before ("The 31-year-old admitted"): a later "he" finds
             * the name */
            h->v[j].person = 1;
            h->v[j].s = a;
            h->v[j].e = b;
        }
}

/* The capitalized words at s[i, end) that make a name: two to four,
 * each a capital and letters (' - . inside).  Returns where the name
 * ends, or i when there is none. */
static size_t name_at(const unsigned char *s, size_t end, size_t i)
{
    size_t at = i, words = 0;
    while (words < 4 && at < end && s[at] >= 'A' && s[at] <= 'Z') {
        size_t w = ng__qg_word_len(s, end, at);
        if (w < 2)
            break;
        words++;
        at += w;
        if (at + 1 >= end || s[at] != ' ' || s[at + 1] < 'A' || s[at + 1] > 'Z')
            break;
        at++;
    }
    return words >= 2 ? at : i;
}

/* The words of s[a, b) from `from` on, at most `max`: their starts in
 * at[] and lengths in len[].  Returns how many. */
static size_t words_of(const unsigned char *s, size_t from, size_t b,
                       size_t *at, size_t *len, size_t max)
{
    size_t k = 0;
    for (size_t i = from; i < b && k < max; i++) {
        size_t w = ng__qg_word_len(s, b, i);
        if (w == 0)
            continue;
        at[k] = i;
        len[k++] = w;
        i += w - 1;
    }
    return k;
}

/* 1 when the word x[0, w) is one of the k words at s[at[i]] (any case). */
static int among(const unsigned char *s, const unsigned char *x, size_t w,
                 const size_t *at, const size_t *len, size_t k)
{
    for (size_t i = 0; i < k; i++)
        if (len[i] == w && strncasecmp((const char *)s + at[i], (const char *)x, w) == 0)
            return 1;
    return 0;
}

/* Whether the role words before the head word at s[x] fit the
 * description's modifiers (the k - 1 words at[0, k - 1)): every
 * modifier stands among the capitalized or plain words right before
 * the head ("the Tory leader": "Tory leader Michael Howard"), and every
 * plain content word there stands in the description ("the prime
 * minister" is not "deputy prime minister John Prescott", "the
 * chancellor" not "shadow chancellor Oliver Letwin"). */
static int role_fits(const unsigned char *s, size_t x, size_t from,
                     const size_t *at, const size_t *len, size_t k)
{
    /* modifiers that make another office, capitalized or not ("Deputy
     * Prime Minister John Prescott", "Shadow foreign secretary") */
    static const char *const OTHER[] = { "deputy", "shadow", "vice",
                                         "assistant", "acting", "former",
                                         "junior", "interim", NULL };
    size_t rat[6], rlen[6], r = 0, i = x;
    while (r < 6 && i > from + 1 && s[i - 1] == ' ' && ng__qg_alnum(s[i - 2])) {
        size_t st = i - 2, w;
        while (st > from && !ng__qg_space(s[st - 1]))
            st--;
        w = i - 1 - st;
        if (ng__qg_word_len(s, i - 1, st) != w)
            break; /* punctuation: the role starts after it */
        if (ng__attrib_word_in((const char *)s + st, w, OTHER)
            && !among(s, s + st, w, at, len, k - 1))
            return 0;
        if (s[st] < 'A' || s[st] > 'Z') {
            if (ng__quote_word_class(s + st, w))
                break; /* "by", "the": the role starts after it */
            if (!among(s, s + st, w, at, len, k - 1))
                return 0;
        }
        rat[r] = st;
        rlen[r++] = w;
        i = st;
    }
    for (size_t m = 0; m + 1 < k; m++)
        if (!among(s, s + at[m], len[m], rat, rlen, r))
            return 0;
    return 1;
}

#define ROLE_BACK 4000
int ng__qn_role_name(const unsigned char *s, size_t a, size_t b,
                     size_t *ws, size_t *we)
{
    static const char *const THE[] = { "the", NULL };
    size_t at[6], len[6], k, w, hd, from = a > ROLE_BACK ? a - ROLE_BACK : 0;
    if (b - a < 7 || !ng__attrib_word_in((const char *)s + a, 3, THE)
        || s[a + 3] != ' ')
        return 0;
    k = words_of(s, a + 4, b, at, len, 6);
    if (k == 0 || k == 6 || (hd = at[k - 1]) + len[k - 1] != b || len[k - 1] < 3)
        return 0;
    w = len[k - 1];
    for (size_t m = 0; m < k; m++)
        if (ng__quote_word_class(s + at[m], len[m]) & (W_PREP | W_CLAUSE)
            || memchr(s + at[m], '\'', len[m]) || memchr(s + at[m], 0x99, len[m]))
            return 0; /* "the prime minister's official spokesman" */
    for (size_t i = hd; i > from + w; i--) {
        size_t x = i - w - 1, e;
        /* At the text's start (x == 0) nothing precedes the word. */
        if ((x > 0 && ng__qg_alnum(s[x - 1])) || s[x + w] != ' '
            || strncasecmp((const char *)s + x, (const char *)s + hd, w))
            continue;
        e = name_at(s, a, x + w + 1);
        if (e > x + w + 1 && role_fits(s, x, from, at, len, k)) {
            if (e - x > 2 && s[e - 2] == '\'' && s[e - 1] == 's')
                e -= 2; /* "magazine Rolling Stone's" */
            *ws = x + w + 1;
            *we = e;
            return 1;
        }
    }
    return 0;
}

/* Notes a speaker in h: a name (capitalized, not a determiner) as a
 * subject; a description ("the defender") only as a mention, so a name
 * is preferred to it. */
void ng__qn_note_speaker(const unsigned char *s, named *h, size_t a,
                         size_t b)
{
    size_t w = ng__qg_word_len(s, b, a);
    unsigned cls = ng__quote_word_class(s + a, w);
    if (cls & W_PRONOUN)
        return;
    ng__qn_note(h, a, b, s[a] >= 'A' && s[a] <= 'Z' && !(cls & W_DET) ? 1 : 4);
}

/* 1 when the speaker s[a, b) is an epithet: "the" and words of which
 * one is an age or a count compound ("the 20-year-old", "the two-time
 * champion", "the ex-Wallaby"), or of which the last names a person by
 * its form (person_head) and the others are in lower case ("the
 * American", "the young analyst"): such a description stands for the
 * person named before, as "he" or "she" does. */
int ng__qn_epithet(const unsigned char *s, size_t a, size_t b)
{
    static const char *const THE[] = { "the", NULL };
    size_t last = 0, lw = 0, caps = 0;
    if (b - a < 7 || !ng__attrib_word_in((const char *)s + a, 3, THE)
        || s[a + 3] != ' ')
        return 0;
    for (size_t i = a + 4; i < b; i++) {
        size_t w = ng__qg_word_len(s, b, i);
        const unsigned char *x = s + i;
        if (w == 0)
            continue;
        if ((x[0] >= '0' && x[0] <= '9')
            || (w > 5 && memcmp(x + w - 5, "-time", 5) == 0)
            || (w > 8 && memcmp(x + w - 8, "year-old", 8) == 0)
            || (w > 3 && memcmp(x, "ex-", 3) == 0))
            return 1;
        caps += x[0] >= 'A' && x[0] <= 'Z';
        last = i;
        lw = w;
        i += w - 1;
    }
    if (lw && sport_or_stage(s + last, lw))
        return 1; /* "the double Olympic champion", "the Lions winger" */
    return lw && caps <= (s[last] >= 'A' && s[last] <= 'Z')
        && person_head(s + last, lw);
}

/* The latest name that "he" or "she" (pronoun s[a, ...)) may stand for,
 * named before `before`: a title of the other sex rules a name out.  In
 * `Mr Blair has "..." as in 1997, he said.` the sentence's own subject
 * is not the speaker, so `before` is where that sentence starts.
 * Returns 1 and sets *ws, *we. */
int ng__qn_resolve(const unsigned char *s, named *h, size_t a,
                   size_t before, unsigned other_sex, size_t *ws, size_t *we)
{
    /* Subjects first: "he" goes on with the subject of a sentence before
     * rather than someone it mentioned ("Mr Balls suggested that Mr
     * Brown would ... He said"). */
    for (int tier = 1; tier >= 0; tier--)
        for (size_t i = h->n; i > 0; i--) {
            mention *m = &h->v[i - 1];
            size_t w = ng__qg_word_len(s, m->e, m->s);
            if (m->at >= before || (tier ? !(m->subject & 9)
                              : (m->subject & 9) || (m->subject & 6) == 2)
                || (ng__quote_word_class(s + m->s, w) & other_sex)
                || (head_sex(s, m->s, m->e) & other_sex))
                continue;
            m->person = 1;
            *ws = m->s;
            *we = m->e;
            /* The person a pronoun speaker stands for is the one the
             * text goes on about: a later "he" looks here first. */
            ng__qn_note_person(h, a, *ws, *we, m->subject);
            return 1;
        }
    return 0;
}

/* The body "it" or "they" stands for: the latest speaker that is not a
 * person ("The IMF said ... it said").  Returns 1 and sets *ws, *we. */
int ng__qn_resolve_body(const unsigned char *s, const named *h, size_t *ws,
                        size_t *we)
{
    for (size_t i = h->n; i > 0; i--) {
        const mention *m = &h->v[i - 1];
        size_t w = ng__qg_word_len(s, m->e, m->s);
        if (!(m->subject & 7) || m->person
            || (ng__quote_word_class(s + m->s, w) & (W_TITLE | W_PRONOUN)))
            continue;
        *ws = m->s;
        *we = m->e;
        return 1;
    }
    *ws = h->body_s;
    *we = h->body_e;
    return h->body_e > h->body_s;
}

/* Sets q's lead: the latest name noted in h as a sentence's subject
 * after the quotation before, p (or from the text's start), other than
 * p's speaker.  The narrative has moved on to that person. */
void ng__qn_note_lead(const named *h, const ng__quote *p, ng__quote *q)
{
    size_t from = p ? p->end : 0;
    for (size_t i = h->n; i > 0; i--) {
        const mention *m = &h->v[i - 1];
        if (m->at >= q->start || !(m->subject & 9))
            continue;
        if (m->at < from)
            return;
        if (p && (m->s == p->spk_start || m->s == p->who_start))
            continue;
        q->lead_start = m->s;
        q->lead_end = m->e;
        return;
    }
}
