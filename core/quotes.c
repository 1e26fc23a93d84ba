/*
 * quotes.c -- direct quotations in a text and who said them.
 *
 * One pass over the text pairs quotation marks; a second pass looks, for
 * each quotation, at the sentence around it for a speech verb and its
 * subject: after the quote ("...," Putin said / said Mr Blair / he told
 * journalists / according to X) or before it (Ms Hewitt said: "..." /
 * According to X, "...").  A quotation with no attribution of its own
 * that continues the quotation before it (same paragraph, or the next
 * one) takes over that speaker; "he" and "she" stand for the last named
 * person (a named speaker, or a "Mr X"-style mention) before the quote.
 *
 * The quotations themselves are found by quote_marks.c.
 *
 * Everything is linear: the pairing pass looks at each byte once, and the
 * attribution windows are bounded (WIN_BACK/WIN_FWD bytes, MAX_TOK
 * tokens).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "grow.h"
#include "quote_marks.h"
#include "quote_words.h"

#define WIN_BACK 400   /* bytes looked at before a quotation */
#define WIN_FWD 200    /* bytes looked at after it */
#define MAX_TOK 80     /* tokens per window */
#define NP_MAX 8       /* words in a speaker's noun phrase */
#define SCARE_WORDS 3  /* quotations this short may sit inside a sentence */

/* ---- characters ---------------------------------------------------- */

static int is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Letter or digit (any non-ASCII byte counts as a letter). */
static int is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9') || c >= 0x80;
}

/* ---- word classes: quote_words.c ---------------------------------- */

static unsigned word_class(const unsigned char *s, size_t len)
{
    return ng__quote_word_class(s, len);
}

/* ---- tokens of an attribution window ------------------------------- */

typedef struct tok {
    size_t s, e;
    unsigned cls;    /* word classes (W_*) */
    char punct;      /* 0 for a word, else the punctuation ('-' for dashes) */
    unsigned cap : 1;
} tok;



/* Length of the word at s[i] (letters, digits, and ' ’ - . inside). */
static size_t word_len(const unsigned char *s, size_t end, size_t i)
{
    size_t j = i;
    while (j < end) {
        if (is_alnum(s[j]) && !(s[j] == 0xE2 && j + 2 < end && s[j + 1] == 0x80))
            j++;
        else if ((s[j] == '\'' || s[j] == '-' || s[j] == '.') && j + 1 < end
                 && is_alnum(s[j + 1]) && s[j + 1] < 0x80 && j > i)
            j++;
        else if (s[j] == 0xE2 && j + 3 < end && s[j + 1] == 0x80
                 && s[j + 2] == 0x99 && is_alnum(s[j + 3]) && j > i)
            j += 3; /* ’ as an apostrophe */
        else
            break;
    }
    return j - i;
}

/* The tokens of the whole text, made once and shared by every window. */
typedef struct toks {
    tok *v;
    size_t n, cap;
} toks;

/* Reads the token at s[i] into *k; returns 0 for white space that makes
 * no token. */
static int next_token(const unsigned char *s, size_t len, size_t i,
                      const toks *all, tok *k)
{
    size_t w;
    *k = (tok){ i, i + 1, 0, 0, 0 };
    if (is_space(s[i])) {
        /* A line break ends a sentence unless a colon or comma says the
         * sentence goes on (X said:\n\n"..."). */
        if (s[i] != '\n' || all->n == 0 || all->v[all->n - 1].punct)
            return 0;
        k->punct = '.';
        return 1;
    }
    if ((w = word_len(s, len, i)) > 0) {
        k->e = i + w;
        k->cap = (s[i] >= 'A' && s[i] <= 'Z')
            || (s[i] == 0xC3 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9E);
        k->cls = word_class(s + i, w);
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

/* Splits the whole text into tokens.  Returns 0 or -1 on no memory. */
static int tokenize_all(const unsigned char *s, size_t len, toks *all)
{
    size_t i = 0;
    while (i < len) {
        tok k;
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
static size_t tok_at(const toks *all, size_t at)
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

/* The tokens inside s[a, b), at most MAX_TOK of them: the first ones
 * (back == 0) or the last ones (back == 1, *dropped set when some were
 * left out).  Sets *t and returns the count. */
static size_t window(const toks *all, size_t a, size_t b, int back,
                     const tok **t, int *dropped)
{
    size_t i = tok_at(all, a), j = tok_at(all, b);
    while (j > i && all->v[j - 1].e > b)
        j--;
    if (j - i > MAX_TOK) {
        if (back) {
            i = j - MAX_TOK;
            *dropped = 1;
        } else {
            j = i + MAX_TOK;
        }
    }
    *t = all->v + i;
    return j - i;
}

static int tok_is(const tok *t, unsigned cls)
{
    return !t->punct && (t->cls & cls);
}


static int ends_sentence(const tok *t)
{
    return t->punct == '.' || t->punct == '!' || t->punct == '?';
}













/* A speech verb: lower case ("Says" in "North East Says No" is a name). */
static int is_verb(const unsigned char *s, const tok *t)
{
    return !t->cap && tok_is(t, W_VERB);
}

/* ---- speakers -------------------------------------------------------- */

/* The last few people (or bodies) named before the current quotation,
 * oldest first: whom "he", "she", "it" or "they" may stand for. */
#define NAMED_KEEP 4
typedef struct mention {
    size_t s, e;
    int subject;   /* bit 1: a name, the subject of a speech verb or a
                      speaker; bit 2: a description ("the OECD") as the
                      subject of a speech verb; bit 4: a description as
                      a speaker ("the defender"); 0: a "Mr X" mention or
                      a name as a sentence's subject.  "he" and "she"
                      take bit 1 first, then 0 or 4; "it" and "they" any
                      bit */
    int person;    /* "he" or "she" stood for it, or a title names it */
} mention;
typedef struct named {
    mention v[NAMED_KEEP];
    size_t n;
} named;

/* Adds the name s[a, b) at its place in text order (a name already
 * known or older than all kept is dropped). */
static void note_named(named *h, size_t a, size_t b, int subject)
{
    size_t i = h->n;
    while (i > 0 && h->v[i - 1].s > a)
        i--;
    if (i > 0 && h->v[i - 1].s == a) {
        h->v[i - 1].subject |= subject;
        return;
    }
    if (h->n == NAMED_KEEP) {
        if (i == 0)
            return;
        memmove(h->v, h->v + 1, (NAMED_KEEP - 1) * sizeof *h->v);
        h->n--;
        i--;
    }
    memmove(h->v + i + 1, h->v + i, (h->n - i) * sizeof *h->v);
    h->v[i] = (mention){ a, b, subject, 0 };
    h->n++;
}

typedef struct np { size_t a, b; int ok; } np; /* token range [a, b) */

/* 1 when t[a, b) are all capitalized words (a name). */
static int all_caps(const tok *t, size_t a, size_t b)
{
    for (; a < b; a++)
        if (t[a].punct || !t[a].cap)
            return 0;
    return 1;
}

/* The comma or dash t[c] closes an appositive before a verb: "Theresa
 * May, said", "Mr Mubanga, who insists ..., said", "Mr Herron - who ...
 * - said".  Returns the token index the subject ends at: the name
 * between the marks when it is one, else the end of the phrase before
 * the opening mark, or c when there is no opening mark. */
static size_t appositive(const unsigned char *s, const tok *t, size_t lo,
                         size_t c)
{
    (void)s;
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
static size_t skip_to_subject(const tok *t, size_t lo, size_t i)
{
    for (int round = 0; round < 2; round++) {
        while (i > lo && (tok_is(&t[i - 1], W_AUX)
                          || (tok_is(&t[i - 1], W_TO) && i > lo + 1
                              && tok_is(&t[i - 2], W_AUX))))
            i--; /* "has also said", "is to tell" */
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

static np subject_at(const unsigned char *s, const tok *t, size_t lo,
                     size_t v, int depth);

/* A subject found at t[a, i) that is a short run of capitalized words
 * after "in" or "on" is a time or place ("Bob Geldof in July said"):
 * the subject is before it.  Returns 1 and sets *r when so. */
static int past_time(const unsigned char *s, const tok *t, size_t lo,
                     size_t a, size_t i, int depth, np *r)
{
    static const char *const AT[] = { "in", "on", NULL };
    if (depth > 0 || i - a > 2 || a < lo + 2 || t[a - 1].cap
        || t[a - 2].punct
        || !ng__attrib_word_in((const char *)s + t[a - 1].s,
                               t[a - 1].e - t[a - 1].s, AT))
        return 0;
    *r = subject_at(s, t, lo, a - 1, depth + 1);
    return r->ok && t[r->a].cap;
}

/* Backward from token v (the verb): skips auxiliaries and adverbs, then
 * takes the subject: a pronoun, a run of capitalized words, or a phrase
 * back to its determiner; a relative pronoun after a comma stands for
 * the phrase before it ("Mr Blair, who has described").  `lo` is the
 * first token that may be used; `depth` bounds the look-backs. */
static np subject_at(const unsigned char *s, const tok *t, size_t lo,
                     size_t v, int depth)
{
    np r = { v, v, 0 };
    size_t i = skip_to_subject(t, lo, v);
    if (i > lo + 1 && (t[i - 1].punct == ',' || t[i - 1].punct == '-'))
        i = appositive(s, t, lo, i - 1);
    if (i == lo || t[i - 1].punct)
        return r;
    r.b = i;
    if (depth < 2 && i > lo + 2 && tok_is(&t[i - 1], W_REL)
        && t[i - 2].punct == ',')
        return subject_at(s, t, lo, i - 2, depth + 1);
    if (tok_is(&t[i - 1], W_PRONOUN)) {
        r.a = i - 1;
        r.ok = 1;
        return r;
    }
    if (t[i - 1].cap) {
        size_t a = i - 1;
        while (a > lo && !t[a - 1].punct && a + NP_MAX > i
               && !tok_is(&t[a - 1], W_CLAUSE)
               && (t[a - 1].cap || (tok_is(&t[a - 1], W_LINK) && a > lo + 1
                                    && t[a - 2].cap && !t[a - 2].punct)))
            a--;
        np before;
        if (past_time(s, t, lo, a, i, depth, &before))
            return before;
        if (a > lo && tok_is(&t[a - 1], W_DET) && !t[a - 1].cap)
            a--;
        r.a = a;
        r.ok = !tok_is(&t[a], W_CLAUSE);
        return r;
    }
    for (size_t a = i; a > lo && a + NP_MAX > i; a--) {
        const tok *w = &t[a - 1];
        if (tok_is(w, W_AUX) && !w->cap)
            return r; /* "has denied claims": no noun phrase */
        if (w->punct || (tok_is(w, W_CLAUSE) && !tok_is(w, W_DET)))
            break;
        r.a = a - 1;
        if (tok_is(w, W_DET)
            && !(a - 1 > lo && tok_is(&t[a - 2], W_PREP)))
            break;
    }
    while (r.a > lo && r.a < r.b && tok_is(&t[r.a], W_DET)
           && tok_is(&t[r.a - 1], W_DET))
        r.a--; /* "the two firms" */
    r.ok = r.a < r.b && !tok_is(&t[r.a], W_PREP) && !tok_is(&t[r.a], W_CLAUSE);
    return r;
}

static np subject_before(const unsigned char *s, const tok *t, size_t lo,
                         size_t v)
{
    return subject_at(s, t, lo, v, 0);
}

/* Forward from token i (after "said"): a pronoun, a run of capitalized
 * words, or a phrase up to punctuation or a word that starts a clause. */
static np subject_after(const unsigned char *s, const tok *t, size_t i,
                        size_t n)
{
    np r = { i, i, 0 };
    if (i >= n || t[i].punct)
        return r;
    if (tok_is(&t[i], W_PRONOUN)) {
        r.b = i + 1;
        r.ok = 1;
        return r;
    }
    size_t b = i;
    int caps = t[i].cap && !tok_is(&t[i], W_DET);
    while (b < n && b < i + NP_MAX && !t[b].punct) {
        /* A lower-case word goes on a name only when a name follows:
         * "said Sideways producer Michael London". */
        if (caps && !t[b].cap && !(b + 1 < n && t[b + 1].cap
                                   && !t[b + 1].punct
                                   && !tok_is(&t[b], W_STOP)))
            break;
        if (!caps && b > i && tok_is(&t[b], W_STOP))
            break;
        b++;
    }
    r.b = b;
    r.ok = b > i;
    return r;
}

/* Result of looking for an attribution in one window. */
typedef struct found {
    size_t spk_s, spk_e, verb_s, verb_e;
    int verb;    /* a speech verb was found */
    int speaker; /* and its subject */
    int passive; /* the verb is passive: the speaker may follow "by" */
} found;

static void set_found(found *f, const tok *t, np p, size_t v)
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

static int is_according(const unsigned char *s, const tok *t, size_t i,
                        size_t n)
{
    (void)s;
    return i + 1 < n && tok_is(&t[i], W_ACCORDING) && tok_is(&t[i + 1], W_TO);
}

/* 1 when t[i, a) may stand before a subject found at a: nothing, or a
 * role and commas ("Revolution Studios spokesman Sean Dudas said", "the
 * play's organiser in Uganda, Sarah Mukasa, told"). */
static int leads_to(const unsigned char *s, const tok *t, size_t i,
                    size_t a)
{
    for (; i < a; i++)
        if ((t[i].punct && t[i].punct != ',') || is_verb(s, &t[i])
            || (tok_is(&t[i], W_CLAUSE) && !tok_is(&t[i], W_LINK)))
            return 0; /* "and" may join two speakers */
    return 1;
}

/* 1 when the verb t[v] is passive ("X is said to have..."): its
 * grammatical subject said nothing. */
static int passive(const unsigned char *s, const tok *t, size_t v)
{
    static const char *const BE[] = {
        "is", "was", "are", "were", "be", "been", "being", NULL
    };
    return v > 0 && !t[v - 1].punct
        && ng__attrib_word_in((const char *)s + t[v - 1].s,
                              t[v - 1].e - t[v - 1].s, BE);
}

/* A quotation inside a sentence that ends ", he said.": `Mr Blair has
 * "the same passion" as in 1997, he said.`  Nothing else (the quotation
 * may be the subject of a sentence about something else). */
static found sentence_tail(const unsigned char *s, const tok *t, size_t n)
{
    found f = { 0 };
    size_t e = 0;
    while (e < n && !ends_sentence(&t[e]))
        e++;
    if (e == n || e < 3 || !is_verb(s, &t[e - 1])
        || passive(s, t, e - 1))
        return f;
    np p = subject_before(s, t, 0, e - 1);
    if (p.ok && p.a > 0 && t[p.a - 1].punct == ',')
        set_found(&f, t, p, e - 1);
    return f;
}

/* After the closing mark: `"...," said X` / `"...," X said` / `"...,"
 * according to X`.  The quotation must end its clause (`clause_end`: a
 * comma, question or exclamation mark or dash inside the marks, or a
 * comma after them) and the subject must start right after it. */
static found after_quote(const unsigned char *s, const toks *all, size_t a,
                         size_t b, int clause_end)
{
    const tok *t;
    found f = { 0 };
    int dropped = 0;
    size_t n = window(all, a, b, 0, &t, &dropped), i = 0;
    if (!clause_end && (n == 0 || t[0].punct != ','))
        return sentence_tail(s, t, n); /* "the "MI6 agent" told him" */
    if (n > 0 && t[0].cap && (tok_is(&t[0], W_DET) || tok_is(&t[0], W_CLAUSE)))
        return f; /* "...criminals?" The party's spokeswoman said... */
    while (i < n && (t[i].punct == ',' || t[i].punct == '-'))
        i++;
    if (i >= n || t[i].punct)
        return f;
    if (is_verb(s, &t[i])) {
        set_found(&f, t, subject_after(s, t, i + 1, n), i);
        return f;
    }
    if (is_according(s, t, i, n)) {
        set_found(&f, t, subject_after(s, t, i + 2, n), i);
        return f;
    }
    for (size_t v = i + 1; v < n && v <= i + NP_MAX + 2; v++) {
        if (t[v].punct && t[v].punct != ',')
            break;
        if (is_verb(s, &t[v])) {
            np p = subject_before(s, t, i, v);
            if (p.ok && leads_to(s, t, i, p.a))
                set_found(&f, t, p, v);
            return f;
        }
    }
    return f;
}

/* Notes in h the subjects of speech verbs in t[0, n) that are names
 * (capitalized, not a pronoun or determiner), and names set off by
 * commas: whom "he" may stand for. */
static void named_subjects(const unsigned char *s, const tok *t,
                           size_t n, int clipped, named *h)
{
    for (size_t v = 1; v < n; v++) {
        np p = { 0, 0, 0 };
        if (is_verb(s, &t[v]) && !passive(s, t, v)) {
            p = subject_before(s, t, 0, v);
        } else if (t[v].punct == ',' && v >= 3 && t[v - 1].cap
                   && t[v - 2].cap && !tok_is(&t[v - 2], W_DET)) {
            /* ", Nicola Sturgeon," names someone too. */
            size_t a = v - 2;
            while (a > 0 && !t[a - 1].punct && t[a - 1].cap)
                a--;
            p = (np){ a, v, a > 0 && t[a - 1].punct == ',' };
        }
        /* A subject cut by the window's start may be half a name. */
        if (!p.ok || (p.a == 0 && clipped) || tok_is(&t[p.a], W_PRONOUN))
            continue;
        if (t[p.a].cap && !tok_is(&t[p.a], W_DET))
            note_named(h, t[p.a].s, t[p.b - 1].e, 1);
        else if (tok_is(&t[p.a], W_DET) && p.b > p.a + 1)
            note_named(h, t[p.a].s, t[p.b - 1].e, 2);
    }
}

/* "described" reports words only as "described ... as "..."": the
 * quotation follows "as" with no comma between (not "who he described as
 * an activist, and that he was "...""). */
static int describes_other(const unsigned char *s, const tok *t, size_t v,
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

/* "called for" reports words ("Barber called for "a commitment""); a
 * bare "called" names things ("a group called "Respect""). */
static int calls_for(const unsigned char *s, const tok *t, size_t v,
                     size_t n)
{
    static const char *const FOR[] = { "for", NULL };
    return !t[v].cap && tok_is(&t[v], W_CALLS) && v + 1 < n
        && ng__attrib_word_in((const char *)s + t[v + 1].s,
                              t[v + 1].e - t[v + 1].s, FOR);
}

/* Before the opening mark: `X said: "..."` / `X told reporters that
 * "..."` / `According to X, "..."`.  The verb must be near the quote.
 * A passive verb ("have been described as") names no speaker here; the
 * caller looks for "by X" after the quotation. */
static found before_quote(const unsigned char *s, const toks *all,
                          size_t a, size_t b, int clipped, named *h)
{
    const tok *t;
    found f = { 0 };
    size_t n = window(all, a, b, 1, &t, &clipped), lo = 0;
    named_subjects(s, t, n, clipped, h);
    for (size_t i = n; i > 0; i--)
        if (ends_sentence(&t[i - 1])) {
            lo = i;
            break;
        }
    for (size_t v = n; v > lo; v--) {
        const tok *w = &t[v - 1];
        np none = { 0, 0, 0 };
        if (is_according(s, t, v - 1, n)) {
            np p = subject_after(s, t, v + 1, n);
            set_found(&f, t, p, v - 1);
            return f;
        }
        if ((is_verb(s, w) || calls_for(s, t, v - 1, n))
            && !describes_other(s, t, v - 1, n)) {
            /* "..., saying": the subject is the clause's, found by the
             * quotation before. */
            int ing = w->e - w->s > 4 && s[w->e - 1] == 'g' && s[w->e - 2] == 'n'
                && s[w->e - 3] == 'i';
            f.passive = passive(s, t, v - 1);
            set_found(&f, t, ing || f.passive ? none
                      : subject_before(s, t, lo, v - 1), v - 1);
            return f;
        }
    }
    return f;
}

/* After a quotation reported by a passive verb: `... described as
 * "idle speculation" by Downing Street`. */
static found by_agent(const unsigned char *s, const toks *all, size_t a,
                      size_t b)
{
    const tok *t;
    found f = { 0 };
    int dropped = 0;
    size_t n = window(all, a, b, 0, &t, &dropped);
    if (n > 1 && tok_is(&t[0], W_BY))
        set_found(&f, t, subject_after(s, t, 1, n), 0);
    return f;
}

/* ---- attribution pass ------------------------------------------------ */

/* Whether the capitalized words t[a, b) stand where a sentence's subject
 * does: followed by a lower-case word that is no function word other
 * than an auxiliary (a verb: "Hearts manager John Robertson hopes"), not
 * by a passive "is said", and not after a determiner, a preposition or
 * another capitalized word.  Returns 2 when the words open their
 * sentence ("Mr Ebbers rejected ..."), 1 when they follow a role noun
 * ("manager John Robertson hopes"), 0 when they are no subject.  Names
 * without a title need two words or more. */
static int subject_name(const unsigned char *s, const tok *t, size_t first,
                        size_t a, size_t b, size_t n)
{
    const unsigned not_verb = W_PREP | W_DET | W_CLAUSE | W_LINK | W_STOP
        | W_PRONOUN;
    int titled = tok_is(&t[a], W_TITLE);
    if (b - a < 2 || b >= n || t[b].punct || t[b].cap
        || (t[b].cls & not_verb) || s[t[b].s] < 'a' || s[t[b].s] > 'z'
        || (t[a].cls & (W_DET | W_PRONOUN | W_CLAUSE)))
        return 0;
    if (tok_is(&t[b], W_AUX) && b + 1 < n && tok_is(&t[b + 1], W_VERB))
        return 0;
    if (b + 1 < n && t[b + 1].cap && !t[b + 1].punct)
        return 0; /* a role noun before a name: "Former WorldCom chief
                     Bernie Ebbers" */
    if (a == first || ends_sentence(&t[a - 1]) || t[a - 1].punct == ','
        || (t[a - 1].cap && tok_is(&t[a - 1], W_CLAUSE)))
        return 2; /* "But Mr Ebbers rejected", "In court, Mr Ebbers
                     rejected" too */
    if (titled || t[a - 1].punct || t[a - 1].cap
        || tok_is(&t[a - 1], W_PREP | W_DET | W_CLAUSE))
        return 0;
    return 1;
}

/* Notes in h the "Mr X"-style mentions (a title, then a capitalized
 * word) and the names standing as a sentence's subject among the tokens
 * of s[a, b): a name opening its sentence as the subject of its verb
 * counts as much as the subject of a speech verb. */
static void title_names(const unsigned char *s, const toks *all, size_t a,
                        size_t b, named *h)
{
    size_t first = tok_at(all, a), n = first;
    while (n < all->n && all->v[n].e <= b)
        n++;
    for (size_t i = first; i + 1 < n; i++) {
        const tok *t = &all->v[i], *nx = t + 1;
        size_t e = nx->e, j = i + 1;
        int subj;
        if (!t->cap || t->punct)
            continue;
        while (j < n && j < i + NP_MAX && all->v[j].cap && !all->v[j].punct)
            j++;
        if ((subj = subject_name(s, all->v, first, i, j, n)) != 0) {
            note_named(h, t->s, all->v[j - 1].e, subj == 2);
        } else if (tok_is(t, W_TITLE) && nx->cap && !nx->punct) {
            if (e - nx->s > 2 && s[e - 2] == '\'' && s[e - 1] == 's')
                e -= 2; /* "Mr Mubanga's" names Mr Mubanga */
            note_named(h, t->s, e, 0);
        }
        i = j - 1;
    }
}

/* Sentence-ending punctuation just inside the closing mark: no
 * attribution can follow ("...today." She said... is a new sentence). */
static int quote_ends_sentence(const unsigned char *s, const ng__quote *q)
{
    return q->in_end > q->in_start && s[q->in_end - 1] == '.';
}

/* Clause-ending punctuation just inside the closing mark. */
static int quote_ends_clause(const unsigned char *s, const ng__quote *q)
{
    size_t e = q->in_end;
    /* A quotation inside closes first: ...you,'" Richards said. */
    while (e > q->in_start + 3 && (s[e - 1] == '\''
                                   || (s[e - 1] == 0x99 && s[e - 2] == 0x80)))
        e -= s[e - 1] == '\'' ? 1 : 3;
    unsigned char c = e > q->in_start ? s[e - 1] : 0;
    return c == ',' || c == '?' || c == '!' || c == '-' || c == 0x94
        || c == 0xA6 /* … */;
}

/* Notes a speaker in h: a name (capitalized, not a determiner) as a
 * subject; a description ("the defender") only as a mention, so a name
 * is preferred to it. */
static void note_speaker(const unsigned char *s, named *h, size_t a,
                         size_t b)
{
    size_t w = word_len(s, b, a);
    unsigned cls = word_class(s + a, w);
    if (cls & W_PRONOUN)
        return;
    note_named(h, a, b, s[a] >= 'A' && s[a] <= 'Z' && !(cls & W_DET) ? 1 : 4);
}

/* The latest name that "he" or "she" (pronoun s[a, b)) may stand for: a
 * title of the other sex rules a name out.  Returns 1 and sets *ws, *we. */
static int resolve(const unsigned char *s, named *h, size_t a,
                   size_t b, size_t *ws, size_t *we)
{
    int she = (s[a] | 0x20) == 's';
    /* Subjects first: "he" goes on with the subject of a sentence before
     * rather than someone it mentioned ("Mr Balls suggested that Mr
     * Brown would ... He said"). */
    for (int tier = 1; tier >= 0; tier--)
        for (size_t i = h->n; i > 0; i--) {
            mention *m = &h->v[i - 1];
            size_t w = word_len(s, m->e, m->s);
            if (m->s >= a || (tier ? !(m->subject & 1)
                              : (m->subject & 1) || (m->subject & 6) == 2)
                || (word_class(s + m->s, w) & (she ? W_MALE : W_FEMALE)))
                continue;
            m->person = 1;
            *ws = m->s;
            *we = m->e;
            return 1;
        }
    (void)b;
    return 0;
}

/* The body "it" or "they" stands for: the latest speaker that is not a
 * person ("The IMF said ... it said").  Returns 1 and sets *ws, *we. */
static int resolve_body(const unsigned char *s, const named *h, size_t *ws,
                        size_t *we)
{
    for (size_t i = h->n; i > 0; i--) {
        const mention *m = &h->v[i - 1];
        size_t w = word_len(s, m->e, m->s);
        if (!m->subject || m->person
            || (word_class(s + m->s, w) & (W_TITLE | W_PRONOUN)))
            continue;
        *ws = m->s;
        *we = m->e;
        return 1;
    }
    return 0;
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
    for (size_t j = k; j > 0 && k - j < 4; j--)
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

static void attribute_one(const unsigned char *s, const toks *all,
                          size_t len, ng__quote *v, size_t n, size_t k,
                          named *h, size_t *seen)
{
    ng__quote *q = &v[k];
    size_t lo, hi;
    int clipped = 0;
    found f = { 0 }, fb;

    windows(v, n, k, len, &lo, &hi, &clipped);
    if (*seen < lo)
        *seen = lo;
    if (*seen < q->start)
        title_names(s, all, *seen, q->start, h);
    fb = before_quote(s, all, lo, q->start, clipped, h);
    if (q->closed && !quote_ends_sentence(s, q))
        f = after_quote(s, all, q->end, hi, quote_ends_clause(s, q));
    if (!f.speaker && fb.passive && q->closed) {
        f = by_agent(s, all, q->end, hi);
        f.verb_s = fb.verb_s;
        f.verb_e = fb.verb_e;
    }
    if (!f.speaker)
        f = fb;
    if (f.verb) {
        q->verb_start = f.verb_s;
        q->verb_end = f.verb_e;
    }
    if (f.speaker) {
        q->spk_start = f.spk_s;
        q->spk_end = f.spk_e;
        unsigned cls = word_class(s + f.spk_s, f.spk_e - f.spk_s);
        if (cls & W_HESHE)
            resolve(s, h, f.spk_s, f.spk_e, &q->who_start, &q->who_end);
        else if (cls & W_IT)
            resolve_body(s, h, &q->who_start, &q->who_end);
        else
            note_speaker(s, h, f.spk_s, f.spk_e);
    }
    *seen = q->end > *seen ? q->end : *seen;
}

/* 1 when a quotation opening at `at` starts a sentence: only white
 * space since the paragraph's start, or after sentence-ending
 * punctuation, a colon or a closing quote mark. */
static int starts_sentence(const unsigned char *s, size_t at, size_t para)
{
    while (at > para && is_space(s[at - 1]))
        at--;
    if (at == para)
        return 1;
    return strchr(".!?:\"", s[at - 1]) != NULL
        || (at >= 3 && s[at - 3] == 0xE2 && s[at - 2] == 0x80
            && (s[at - 1] == 0x9D || s[at - 1] == 0x99))
        || (at >= 2 && s[at - 2] == 0xC2 && s[at - 1] == 0xBB);
}

/* 1 when quotation p's sentence goes on to the quotation starting at
 * `at` in the same paragraph: no sentence-ending punctuation at p's end or
 * between ("Emily said it would be "..." and they were "..."). */
static int same_sentence(const unsigned char *s, const ng__quote *p,
                         size_t at)
{
    if (quote_ends_sentence(s, p))
        return 0;
    for (size_t i = p->end; i < at; i++)
        if (s[i] == '.' || s[i] == '!' || s[i] == '?' || s[i] == '\n')
            return 0;
    return 1;
}

/* Gives quotation q the speaker (and, without a verb of its own, the
 * verb) of quotation p. */
static void take_speaker(ng__quote *q, const ng__quote *p)
{
    q->spk_start = p->spk_start;
    q->spk_end = p->spk_end;
    q->who_start = p->who_start;
    q->who_end = p->who_end;
    if (q->verb_end == q->verb_start) {
        q->verb_start = p->verb_start;
        q->verb_end = p->verb_end;
    }
    q->inherited = 1;
}

/* A quotation with no speaker of its own continues the one before it
 * when that one ends in the same or the previous paragraph. */
static void inherit(const unsigned char *s, ng__quote *v, const ng__quote_para *para,
                    size_t k)
{
    ng__quote *q = &v[k], *p = &v[k - 1];
    size_t p_last = para[k - 1].no + p->paragraphs - 1;
    if (q->spk_end > q->spk_start || p->spk_end == p->spk_start)
        return;
    if (para[k].no != p_last && para[k].no != p_last + 1)
        return;
    /* A phrase quoted inside a sentence continues nothing, unless a
     * participle ties it to the sentence's speaker ("..., adding they
     * were a "huge first step"") or the sentence is the one the speaker
     * was named in. */
    if (!starts_sentence(s, q->start, para[k].start)
        && q->verb_end == q->verb_start
        && !(para[k].no == p_last && same_sentence(s, p, q->start)))
        return;
    take_speaker(q, p);
}

/* An unclosed quotation that runs straight into the next one (a
 * paragraph break lost: `"...whistle. "We don't know...," said X.`) is
 * the same speaker's, when it has none of its own. */
static void inherit_back(const unsigned char *s, ng__quote *v,
                         const ng__quote_para *para, size_t k)
{
    ng__quote *q = &v[k], *next = &v[k + 1];
    if (q->closed || q->spk_end > q->spk_start
        || next->spk_end == next->spk_start || para[k].no != para[k + 1].no)
        return;
    for (size_t i = q->end; i < next->start; i++)
        if (!is_space(s[i]))
            return;
    take_speaker(q, next);
}

/* Counts the words inside each quotation. */
static void count_words(const unsigned char *s, ng__quote *q)
{
    unsigned w = 0;
    for (size_t i = q->in_start; i < q->in_end; i++)
        if (is_alnum(s[i]) && (i == q->in_start || !is_alnum(s[i - 1]))
            && (s[i] & 0xC0) != 0x80)
            w++;
    q->words = w;
}

static void attribute(const unsigned char *s, const toks *all, size_t len,
                      ng__quote *v, const ng__quote_para *para, size_t n)
{
    named h;
    size_t seen = 0;
    h.n = 0;
    for (size_t k = 0; k < n; k++)
        count_words(s, &v[k]);
    for (size_t k = 0; k < n; k++)
        attribute_one(s, all, len, v, n, k, &h, &seen);
    /* Quotations that continue one before them, then runs of quotations
     * attributed only at their end. */
    for (size_t k = 1; k < n; k++)
        inherit(s, v, para, k);
    for (size_t k = n; k > 1; k--)
        inherit_back(s, v, para, k - 2);
    for (size_t k = 1; k < n; k++)
        inherit(s, v, para, k);
}

int ng__quotes_find(const char *s, size_t len, ng__quote **out, size_t *n)
{
    ng__quote *v;
    ng__quote_para *para;
    size_t nq;
    toks all = { NULL, 0, 0 };
    *out = NULL;
    *n = 0;
    if (ng__quote_marks(s, len, &v, &para, &nq) < 0)
        return -1;
    if (nq > 0) {
        /* Tokens are needed only up to the last quotation's window. */
        size_t upto = v[nq - 1].end + WIN_FWD;
        if (tokenize_all((const unsigned char *)s, upto < len ? upto : len,
                         &all) < 0) {
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
