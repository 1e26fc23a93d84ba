/*
 * quote_grammar.c -- the grammar under the quote attributor: the text
 * split into tokens once (words with their classes from quote_words.c,
 * punctuation, line breaks that end sentences), windows of those tokens,
 * and the noun phrases that stand as the subject of a speech verb
 * before it ("Mr Blair, who has described ..., said") or after it
 * ("said Sideways producer Michael London").  What to do with a subject
 * (whose quotation it is, whom a pronoun stands for) is quotes.c's
 * business; this file only reads shapes.  Every function is bounded by
 * its window: no scan goes past NG__QG_NP_MAX words or the window's
 * tokens.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "byteclass.h"
#include "grow.h"
#include "quote_grammar.h"

/* 1 for an ASCII letter or digit (the shared byte-class table). */
static int ascii_alnum(unsigned char c)
{
    return ng__bc_alnum(c);
}

/* Length of the word at s[i] (letters, digits, and ' ’ - . inside). */
size_t ng__qg_word_len(const unsigned char *s, size_t end, size_t i)
{
    size_t j = i;
    while (j < end) {
        unsigned char c = s[j];
        if (ascii_alnum(c))
            j++; /* the common case: an ASCII letter or digit */
        else if (ng__qg_alnum(c) && !(c == 0xE2 && j + 2 < end && s[j + 1] == 0x80))
            j++;
        else if ((s[j] == '\'' || s[j] == '-' || s[j] == '.') && j + 1 < end
                 && ng__qg_alnum(s[j + 1]) && s[j + 1] < 0x80 && j > i)
            j++;
        else if (s[j] == 0xE2 && j + 3 < end && s[j + 1] == 0x80
                 && s[j + 2] == 0x99 && ng__qg_alnum(s[j + 3]) && j > i)
            j += 3; /* ’ as an apostrophe */
        else {
            /* A plural's possessive: "the operators' association". */
            if (s[j] == '\'' && j > i && (s[j - 1] | 0x20) == 's' && j + 2 < end
                && s[j + 1] == ' ' && ng__qg_alnum(s[j + 2]))
                j++;
            break;
        }
    }
    return j - i;
}

/* ng__qg_word_len for the common word, ASCII letters and digits ending
 * at a byte that cannot go on a word; the rest is left to it. */
static size_t word_len_fast(const unsigned char *s, size_t end, size_t i)
{
    size_t j = i;
    while (j < end && ascii_alnum(s[j]))
        j++;
    if (j == end)
        return j - i;
    if (s[j] >= 0x80 || s[j] == '\''
        || ((s[j] == '-' || s[j] == '.') && j > i && j + 1 < end
            && ascii_alnum(s[j + 1])))
        return ng__qg_word_len(s, end, i);
    return j - i;
}

/* Reads the token at s[i] into *k; returns 0 for white space that makes
 * no token. */
static int next_token(const unsigned char *s, size_t len, size_t i,
                      const ng__qtoks *all, ng__qtok *k)
{
    size_t w;
    *k = (ng__qtok){ i, i + 1, 0, 0, 0 };
    if (ng__qg_space(s[i])) {
        /* A line break ends a sentence unless a colon or comma says the
         * sentence goes on (X said:\n\n"..."). */
        if (s[i] != '\n' || all->n == 0 || all->v[all->n - 1].punct)
            return 0;
        k->punct = '.';
        return 1;
    }
    if ((w = word_len_fast(s, len, i)) > 0) {
        k->e = i + w;
        k->cap = (s[i] >= 'A' && s[i] <= 'Z')
            || (s[i] == 0xC3 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9E);
        k->cls = ng__quote_word_class(s + i, w);
        if (k->e < len && s[k->e] == '.' && (k->cls & W_ABBREV))
            k->e++;
    } else if (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80) {
        k->e = i + 3;
        k->punct = (s[i + 2] == 0x93 || s[i + 2] == 0x94) ? '-' : '"';
    } else {
        size_t j = i + 1;
        while (j < len && (s[j] & 0xC0) == 0x80)
            j++;
        k->e = j;
        k->punct = s[i] < 0x80 ? (char)s[i] : '?';
        if (s[i] == 0xC2 && j == i + 2 && (s[i + 1] == 0xAB || s[i + 1] == 0xBB))
            k->punct = '"';
    }
    return 1;
}

int ng__qg_tokenize(const unsigned char *s, size_t from, size_t len,
                    ng__qtoks *all)
{
    size_t i = from;
    while (i < len) {
        ng__qtok k;
        if (s[i] == ' ') {
            i++; /* the common case of white space, which makes no token */
            continue;
        }
        if (!next_token(s, len, i, all, &k)) {
            i++;
            continue;
        }
        if (ng__grow(&all->v, &all->cap, all->n, 1, sizeof *all->v, 16) < 0)
            return -1;
        all->v[all->n++] = k;
        i = k.e > i ? k.e : i + 1;
    }
    return 0;
}

/* Index of the first token starting at or after byte `at`. */
size_t ng__qg_tok_at(const ng__qtoks *all, size_t at)
{
    size_t lo = 0, hi = all->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (all->v[mid].s < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The tokens inside s[a, b), at most NG__QG_MAX_TOK of them: the first ones
 * (back == 0) or the last ones (back == 1, *dropped set when some were
 * left out).  Sets *t and returns the count. */
size_t ng__qg_window(const ng__qtoks *all, size_t a, size_t b, int back,
                     const ng__qtok **t, int *dropped)
{
    size_t i = ng__qg_tok_at(all, a), j = ng__qg_tok_at(all, b);
    while (j > i && all->v[j - 1].e > b)
        j--;
    if (j - i > NG__QG_MAX_TOK) {
        if (back) {
            i = j - NG__QG_MAX_TOK;
            *dropped = 1;
        } else {
            j = i + NG__QG_MAX_TOK;
        }
    }
    *t = all->v + i;
    return j - i;
}

/* 1 when t[a, b) are all capitalized words (a name). */
static int all_caps(const ng__qtok *t, size_t a, size_t b)
{
    for (; a < b; a++)
        if (t[a].punct || !t[a].cap)
            return 0;
    return 1;
}

/* A sentence that opens with a name, a comma and a participle or a
 * relative clause, whose comma t[c] closes it ("Lady Hale, sitting with
 * Lords Bingham, Steyn, Hope and Carswell, said"; the commas of a list
 * inside do not end it).  Returns the token index the name ends at, or c
 * when the sentence does not open so. */
static size_t opening_name(const unsigned char *s, const ng__qtok *t,
                           size_t lo, size_t c)
{
    size_t j = c;
    while (j > lo && j + 40 > c && !ng__qg_ends_sentence(&t[j - 1])
           && t[j - 1].punct != ':' && t[j - 1].punct != ';')
        j--;
    if (j + 40 <= c || (j > lo && !ng__qg_ends_sentence(&t[j - 1])))
        return c;
    size_t e = j;
    while (e < c && t[e].cap && !t[e].punct
           && !ng__qg_is(&t[e], W_DET | W_PREP | W_CLAUSE | W_PRONOUN | W_STOP))
        e++;
    if (e - j < 2 || e + 2 >= c || t[e].punct != ',' || t[e + 1].punct)
        return c;
    const ng__qtok *w = &t[e + 1];
    int ing = w->e - w->s > 4 && s[w->e - 1] == 'g' && s[w->e - 2] == 'n'
        && s[w->e - 3] == 'i';
    return ing || ng__qg_is(w, W_REL) ? e : c;
}

/* The comma or dash t[c] closes an appositive before a verb: "Theresa
 * May, said", "Mr Mubanga, who insists ..., said", "Mr Herron - who ...
 * - said".  Returns the token index the subject ends at: the name
 * between the marks when it is one, else the end of the phrase before
 * the opening mark, or c when there is no opening mark. */
static size_t appositive(const unsigned char *s, const ng__qtok *t, size_t lo,
                         size_t c)
{
    size_t named = opening_name(s, t, lo, c);
    if (named != c)
        return named;
    for (size_t j = c; j > lo && j + 32 > c; j--) {
        char p = t[j - 1].punct;
        if (p == t[c].punct)
            return all_caps(t, j, c) ? c : j - 1;
        if (p == '.' || p == ';' || p == ':' || p == '!' || p == '?')
            break;
    }
    return c;
}

/* Backward from index i (just after a subject's last word): skips what
 * may stand between a subject and its verb: auxiliaries and adverbs
 * ("has also said", "afterwards said") and a bracketed acronym ("the
 * International Monetary Fund (IMF) has said").  Returns the new index. */
static size_t skip_to_subject(const ng__qtok *t, size_t lo, size_t i)
{
    for (int round = 0; round < 2; round++) {
        while (i > lo && (ng__qg_is(&t[i - 1], W_AUX)
                          || (ng__qg_is(&t[i - 1], W_TO) && i > lo + 1
                              && ng__qg_is(&t[i - 2], W_AUX))))
            i--; /* "has also said", "is to tell" */
        /* "He went on to say": an irregular past, "on", "to". */
        if (i > lo + 3 && ng__qg_is(&t[i - 1], W_TO) && !t[i - 2].cap
            && !t[i - 2].punct && t[i - 2].e - t[i - 2].s == 2
            && ng__qg_is(&t[i - 3], W_PAST))
            i -= 3;
        if (i > lo + 2 && t[i - 1].punct == ')') {
            size_t j = i - 1;
            while (j > lo && j + 5 > i && !t[j - 1].punct)
                j--;
            if (j > lo && j + 1 < i && t[j - 1].punct == '(')
                i = j - 1;
        }
    }
    return i;
}

static ng__qnp subject_at(const unsigned char *s, const ng__qtok *t, size_t lo,
                     size_t v, int depth);

/* A name of two capitalized words or more opening its sentence, then a
 * comma, then the capitalized words at t[a] before the verb: the second
 * is the first's organisation or role, set off by one comma only
 * ("Colin Asplin, Blackpool Hotel Association said"), and the name is
 * the speaker.  Sets *r to the name and returns 1 when so. */
static int name_before_comma(const ng__qtok *t, size_t lo, size_t a,
                             ng__qnp *r)
{
    size_t c = a, j;
    if (c < lo + 3 || t[c - 1].punct != ',' || ng__qg_is(&t[a], W_TITLE))
        return 0;
    for (j = c - 1; j > lo && c - j <= NG__QG_NP_MAX; j--)
        if (t[j - 1].punct || !t[j - 1].cap
            || ng__qg_is(&t[j - 1], W_DET | W_PREP | W_CLAUSE | W_PRONOUN
                         | W_STOP | W_AUX | W_VERB))
            break;
    /* The name opens its sentence, or follows one opening word and a
     * comma ("However, Matt Williams, a fund manager at ..."). */
    int opener = j >= lo + 2 && t[j - 1].punct == ',' && t[j - 2].cap
        && !t[j - 2].punct
        && (j - 2 == lo || ng__qg_ends_sentence(&t[j - 3]));
    if (c - 1 - j < 2
        || !(j == lo || opener || ng__qg_ends_sentence(&t[j - 1])
             || t[j - 1].punct == '"'))
        return 0;
    *r = (ng__qnp){ j, c - 1, 1 };
    return 1;
}

/* The same with a description in lower case between the comma and the
 * capitalized words, and no comma closing it ("Anais Faraj, an analyst
 * at Nomura told"): the description opens with a determiner and ends
 * with a preposition before t[a].  Sets *r to the name and returns 1
 * when so. */
static int name_before_role(const ng__qtok *t, size_t lo, size_t a,
                            ng__qnp *r)
{
    size_t k;
    if (a < lo + 2 || t[a - 1].cap || !ng__qg_is(&t[a - 1], W_PREP))
        return 0;
    for (k = a - 1; k > lo && a - k <= 8 && !t[k - 1].punct; k--)
        ;
    if (k == lo || t[k].cap || !ng__qg_is(&t[k], W_DET))
        return 0;
    return name_before_comma(t, lo, k, r);
}

/* A subject found at t[a, i) that is a short run of capitalized words
 * after "in" or "on" is a time or place ("Bob Geldof in July said"):
 * the subject is before it.  Returns 1 and sets *r when so. */
static int past_time(const unsigned char *s, const ng__qtok *t, size_t lo,
                     size_t a, size_t i, int depth, ng__qnp *r)
{
    static const char *const AT[] = { "in", "on", NULL };
    if (depth > 0 || i - a > 2 || a < lo + 2 || t[a - 1].cap
        || t[a - 2].punct
        || !ng__attrib_word_in((const char *)s + t[a - 1].s,
                               t[a - 1].e - t[a - 1].s, AT))
        return 0;
    /* "... - and on Sunday blamed": a verb coordinated with the one
     * before has its subject there, never the time. */
    if (!t[a - 2].cap && ng__qg_is(&t[a - 2], W_CLAUSE)) {
        *r = (ng__qnp){ a, a, 0 };
        return 1;
    }
    *r = subject_at(s, t, lo, a - 1, depth + 1);
    return r->ok && t[r->a].cap;
}

/* 1 when t[k] is a lower-case "and" inside a role: between two plain
 * lower-case words, the first after a determiner ("the work and
 * pensions minister", "the trade and industry secretary"); i ends the
 * phrase. */
static int role_link(const ng__qtok *t, size_t lo, size_t k, size_t i)
{
    size_t d = k - 1;
    if (!(k > lo + 1 && k + 1 < i && !t[k].cap && ng__qg_is(&t[k], W_LINK)
          && !t[k - 1].cap && !t[k - 1].punct && !t[k - 1].cls
          && !t[k + 1].cap && !t[k + 1].punct && !t[k + 1].cls))
        return 0;
    /* Plain words may stand between the determiner and the first noun:
     * "the feminist writer and broadcaster". */
    while (d > lo + 1 && d + 3 > k && !t[d - 1].cap && !t[d - 1].punct
           && !t[d - 1].cls)
        d--;
    return ng__qg_is(&t[d - 1], W_DET);
}

/* Backward from token v (the verb): skips auxiliaries and adverbs, then
 * takes the subject: a pronoun, a run of capitalized words, or a phrase
 * back to its determiner; a relative pronoun after a comma stands for
 * the phrase before it ("Mr Blair, who has described").  `lo` is the
 * first token that may be used; `depth` bounds the look-backs. */
static ng__qnp subject_at(const unsigned char *s, const ng__qtok *t, size_t lo,
                     size_t v, int depth)
{
    ng__qnp r = { v, v, 0 };
    size_t i = skip_to_subject(t, lo, v);
    int apposed = i > lo + 1 && (t[i - 1].punct == ',' || t[i - 1].punct == '-');
    if (apposed)
        i = appositive(s, t, lo, i - 1);
    if (i == lo || t[i - 1].punct)
        return r;
    r.b = i;
    if (depth < 2 && i > lo + 2 && ng__qg_is(&t[i - 1], W_REL)
        && t[i - 2].punct == ',')
        return subject_at(s, t, lo, i - 2, depth + 1);
    /* "property website Rightmove which suggested": a name before the
     * relative pronoun, no comma. */
    if (depth < 2 && i > lo + 1 && ng__qg_is(&t[i - 1], W_REL)
        && t[i - 2].cap && !t[i - 2].punct)
        return subject_at(s, t, lo, i - 1, depth + 1);
    if (ng__qg_is(&t[i - 1], W_PRONOUN)) {
        r.a = i - 1;
        r.ok = 1;
        return r;
    }
    if (t[i - 1].cap) {
        size_t a = i - 1;
        while (a > lo && !t[a - 1].punct && a + NG__QG_NP_MAX > i
               && !ng__qg_is(&t[a - 1], W_CLAUSE)
               && (t[a - 1].cap || (ng__qg_is(&t[a - 1], W_LINK) && a > lo + 1
                                    && t[a - 2].cap && !t[a - 2].punct)))
            a--;
        ng__qnp before;
        if (past_time(s, t, lo, a, i, depth, &before))
            return before;
        if (a > lo && ng__qg_is(&t[a - 1], W_DET) && !t[a - 1].cap)
            a--;
        /* "A spokesman for the Information Commissioner's Office said":
         * the name is the object of a description's "for" or "of". */
        if (a > lo + 2 && !t[a - 1].cap && ng__qg_is(&t[a - 1], W_PREP)
            && !ng__qg_is(&t[a - 1], W_BY | W_TO)
            && !t[a - 2].cap && !t[a - 2].punct && !t[a - 2].cls) {
            size_t d = a - 2;
            while (d > lo && d + 4 > a - 2 && !t[d - 1].punct
                   && !ng__qg_is(&t[d - 1], W_DET) && !t[d - 1].cls)
                d--;
            if (d > lo && ng__qg_is(&t[d - 1], W_DET))
                a = d - 1;
        }
        if (!apposed && (name_before_comma(t, lo, a, &r)
                         || name_before_role(t, lo, a, &r)))
            return r; /* not "Scottish Finance Minister, Tom McCabe, said" */
        r.a = a;
        r.ok = !ng__qg_is(&t[a], W_CLAUSE);
        return r;
    }
    for (size_t a = i; a > lo && a + NG__QG_NP_MAX > i; a--) {
        const ng__qtok *w = &t[a - 1];
        if (ng__qg_is(w, W_AUX) && !w->cap)
            return r; /* "has denied claims": no noun phrase */
        if (w->punct || (ng__qg_is(w, W_CLAUSE) && !ng__qg_is(w, W_DET)
                         && !role_link(t, lo, a - 1, i)))
            break;
        r.a = a - 1;
        if (ng__qg_is(w, W_DET)
            && !(a - 1 > lo && ng__qg_is(&t[a - 2], W_PREP)))
            break;
    }
    while (r.a > lo && r.a < r.b && ng__qg_is(&t[r.a], W_DET)
           && ng__qg_is(&t[r.a - 1], W_DET))
        r.a--; /* "the two firms" */
    r.ok = r.a < r.b && !ng__qg_is(&t[r.a], W_PREP) && !ng__qg_is(&t[r.a], W_CLAUSE);
    return r;
}

ng__qnp ng__qg_subject_before(const unsigned char *s, const ng__qtok *t, size_t lo,
                         size_t v)
{
    return subject_at(s, t, lo, v, 0);
}

#define ROLE_WORDS 3
int ng__qg_role_then_name(const ng__qtok *t, size_t b, size_t n)
{
    for (size_t j = b; j < n && j < b + ROLE_WORDS; j++) {
        /* A preposition before a plain word stays in the role: "Sale
         * Sharks director of rugby Philippe Saint-Andre". */
        int of = j > b && j + 1 < n && ng__qg_is(&t[j], W_PREP)
            && !t[j + 1].cap && !t[j + 1].punct && !t[j + 1].cls;
        if (t[j].punct || ng__qg_is(&t[j], W_STOP)
            || (j > b && !of && ng__qg_is(&t[j], W_VERB | W_PRONOUN | W_DET
                                          | W_AUX | W_PREP | W_TITLE
                                          | W_CLAUSE)))
            return 0;
        if (j + 1 < n && t[j + 1].cap && !t[j + 1].punct)
            return 1;
    }
    return 0;
}

int ng__qg_possessive(const unsigned char *s, const ng__qtok *t)
{
    size_t e = t->e, w = e - t->s;
    return (w > 2 && s[e - 1] == 's' && s[e - 2] == '\'')
        || (w > 4 && s[e - 1] == 's' && s[e - 2] == 0x99 && s[e - 3] == 0x80
            && s[e - 4] == 0xE2);
}

/* A name found after the verb that ends in a possessive names whose the
 * speaker is, not the speaker: "said Kranz's deputy, Tobias Reiter," is
 * the name after the comma when two capitalized words or more stand
 * there up to a comma or the end, else the possessive and its noun
 * ("said Kranz's deputy").  Only a name of capitalized words.  Updates
 * *r. */
static void possessed(const unsigned char *s, const ng__qtok *t, size_t n,
                      ng__qnp *r)
{
    size_t d = r->b, j;
    for (j = r->a; j < d; j++)
        if (!t[j].cap)
            return; /* "analyst Gerard Rijk of Inbev's": a name before */
    if (!ng__qg_possessive(s, &t[d - 1]) || d >= n || t[d].cap || t[d].punct
        || t[d].cls)
        return;
    r->b = ++d; /* "Kranz's deputy" */
    if (d + 2 >= n || t[d].punct != ',')
        return;
    for (j = d + 1; j < n && j < d + 1 + NG__QG_NP_MAX && t[j].cap
         && !t[j].punct && !ng__qg_is(&t[j], W_DET | W_CLAUSE | W_PRONOUN); j++)
        ;
    if (j >= d + 3 && (j == n || t[j].punct == ',' || ng__qg_ends_sentence(&t[j])))
        *r = (ng__qnp){ d + 1, j, 1 };
}

/* Forward from token i (after "said"): a pronoun, a run of capitalized
 * words, or a phrase up to punctuation or a word that starts a clause. */
ng__qnp ng__qg_subject_after(const unsigned char *s, const ng__qtok *t, size_t i,
                        size_t n)
{
    ng__qnp r = { i, i, 0 };
    if (i >= n || t[i].punct)
        return r;
    if (ng__qg_is(&t[i], W_PRONOUN)) {
        r.b = i + 1;
        r.ok = 1;
        return r;
    }
    size_t b = i;
    int caps = t[i].cap && !ng__qg_is(&t[i], W_DET);
    while (b < n && b < i + NG__QG_NP_MAX && !t[b].punct) {
        /* Lower-case words go on a name only when a name follows:
         * "said Sideways producer Michael London", "said Mercedes chief
         * executive Eckhard Cordes". */
        if (caps && !t[b].cap && !ng__qg_role_then_name(t, b, n))
            break;
        if (!caps && b > i && ng__qg_is(&t[b], W_STOP))
            break;
        b++;
    }
    r.b = b;
    r.ok = b > i;
    if (caps && b > i)
        possessed(s, t, n, &r);
    return r;
}

int ng__qg_according(const unsigned char *s, const ng__qtok *t, size_t i,
                        size_t n)
{
    (void)s;
    return i + 1 < n && ng__qg_is(&t[i], W_ACCORDING) && ng__qg_is(&t[i + 1], W_TO);
}

/* 1 when t[i, a) may stand before a subject found at a: nothing, or a
 * role and commas ("Revolution Studios spokesman Sean Dudas said", "the
 * play's organiser in Uganda, Sarah Mukasa, told"). */
int ng__qg_leads_to(const unsigned char *s, const ng__qtok *t, size_t i,
                    size_t a)
{
    for (; i < a; i++)
        if ((t[i].punct && t[i].punct != ',') || ng__qg_verb(&t[i])
            || (ng__qg_is(&t[i], W_CLAUSE) && !ng__qg_is(&t[i], W_LINK)))
            return 0; /* "and" may join two speakers */
    return 1;
}

/* 1 when the verb t[v] is passive ("X is said to have..."): its
 * grammatical subject said nothing. */
int ng__qg_passive(const unsigned char *s, const ng__qtok *t, size_t v)
{
    static const char *const BE[] = {
        "is", "was", "are", "were", "be", "been", "being", NULL
    };
    return v > 0 && !t[v - 1].punct
        && ng__attrib_word_in((const char *)s + t[v - 1].s,
                              t[v - 1].e - t[v - 1].s, BE);
}

int ng__qg_finite(const unsigned char *s, const ng__qtok *t)
{
    size_t e = t->e;
    if (e - t->s < 3)
        return 0;
    return (s[e - 2] == 'e' && s[e - 1] == 'd'
            && !(e - t->s == 4 && s[e - 3] == 'e')) /* "seed", "need" */
        || (s[e - 1] == 's' && s[e - 2] != 's' && s[e - 2] != 'u'
            && s[e - 2] != 'i');
}

ng__qnp ng__qg_opening_subject(const unsigned char *s, const ng__qtok *t,
                               size_t lo, size_t end)
{
    ng__qnp none = { lo, lo, 0 };
    size_t i = lo;
    if (i < end && t[i].cap && ng__qg_is(&t[i], W_CLAUSE)
        && !ng__qg_is(&t[i], W_DET))
        i++; /* "But", "And" */
    for (size_t j = i + 1; j < end && j <= i + NG__QG_NP_MAX; j++) {
        const ng__qtok *w = &t[j];
        if (w->punct)
            return none;
        /* A word in -s may be a plural noun ("Fox producers"): only
         * auxiliaries, speech verbs, irregular pasts and words in -ed
         * mark the verb. */
        if (w->cap || !(ng__qg_is(w, W_AUX | W_VERB | W_PAST)
                        || (!w->cls && ng__qg_finite(s, w)
                            && s[w->e - 1] == 'd')))
            continue;
        ng__qnp p = ng__qg_subject_before(s, t, i, j);
        if (!p.ok || p.a != i || ng__qg_is(&t[p.a], W_PRONOUN)
            || ng__qg_is(&t[p.b - 1], W_DET))
            return none;
        /* Its clause runs to the end: a name or a pronoun after the verb
         * may head a clause of its own ("The documentary showed Mr
         * Nattrass ..., telling", ", he said, adding"). */
        for (size_t k = j + 1; k < end; k++)
            if (t[k].cap || ng__qg_is(&t[k], W_HESHE))
                return none;
        /* "Wenger initially refused": the name without the adverb. */
        if (t[p.a].cap && !ng__qg_is(&t[p.a], W_DET))
            for (size_t k = p.a + 1; k < p.b; k++)
                if (!t[k].cap && t[k].e - t[k].s > 3 && s[t[k].e - 2] == 'l'
                    && s[t[k].e - 1] == 'y') {
                    p.b = k;
                    break;
                }
        return p;
    }
    return none;
}
