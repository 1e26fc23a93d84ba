/*
 * quote_chain.c -- speakers for the quotations that name none of their
 * own, from the quotations around them: the lead (a quotation opening a
 * sentence after a sentence about another person is that person's), a
 * quotation continuing the one before (`"...," he said. "..."`, the
 * same sentence, a participle, reported speech going on), and an
 * unclosed quotation running straight into an attributed one.  Runs
 * after quotes.c has attributed each quotation from its own window; reads
 * bytes only (no tokens), and each pass is linear in the quotations.
 */
#include <string.h>

#include "attrib.h"
#include "quote_chain.h"
#include "quote_grammar.h"

/* 1 when a quotation opening at `at` starts a sentence: only white
 * space since the paragraph's start, or after sentence-ending
 * punctuation, a colon or a closing quote mark. */
static int starts_sentence(const unsigned char *s, size_t at, size_t para)
{
    while (at > para && ng__qg_space(s[at - 1]))
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
    if (ng__quote_ends_sentence(s, p))
        return 0;
    for (size_t i = p->end; i < at; i++)
        if (s[i] == '.' || s[i] == '!' || s[i] == '?' || s[i] == '\n')
            return 0;
    return 1;
}

/* 1 when the quotation at `at` stands in the sentence right after
 * quotation p's, in the same paragraph, and that sentence goes on in
 * reported speech: a modal before the quotation ("Sir John said ... was
 * "only the beginning". The government would "need to be creative"").
 * A name standing as its subject has already stopped this (q's lead). */
static int reported_on(const unsigned char *s, const ng__quote *p, size_t at)
{
    static const char *const MODAL[] = { "would", "could", "should",
                                         "might", "must", NULL };
    size_t from = p->end, ends = ng__quote_ends_sentence(s, p);
    for (size_t i = p->end; i < at; i++) {
        if (s[i] == '\n' || s[i] == '"')
            return 0;
        if ((s[i] == '.' || s[i] == '!' || s[i] == '?') && i + 1 < at
            && ng__qg_space(s[i + 1])) {
            if (++ends > 1)
                return 0;
            from = i + 1;
        }
    }
    if (ends != 1)
        return 0;
    for (size_t i = from; i < at; i++) {
        size_t w = ng__qg_word_len(s, at, i);
        if (w > 0 && (i == from || !ng__qg_alnum(s[i - 1]))
            && ng__attrib_word_in((const char *)s + i, w, MODAL))
            return 1;
        if (w > 0)
            i += w - 1;
    }
    return 0;
}

/* Start of the sentence holding byte `at`, not before `para`: past the
 * last '.', '!' or '?' followed by white space. */
static size_t sentence_start(const unsigned char *s, size_t at, size_t para)
{
    for (size_t i = at; i > para + 1; i--)
        if (ng__qg_space(s[i - 1])
            && (s[i - 2] == '.' || s[i - 2] == '!' || s[i - 2] == '?'))
            return i;
    return para;
}

/* 1 when s[from, at) opens a sentence naming no one: its first word is a
 * plain function word and no later word is capitalised ("The government
 * wanted ... a culture where retirement ages were", "There are", "We").
 * A name, "Local police" or "The Labour party" may own the phrase. */
static int names_no_one(const unsigned char *s, size_t from, size_t at)
{
    static const char *const OPEN[] = { "the", "there", "this", "that",
                                        "it", "we", "a", "an", NULL };
    int first = 1;
    for (size_t i = from; i < at; i++) {
        size_t w = ng__qg_word_len(s, at, i);
        if (w == 0) {
            if (strchr("\"():;-", s[i]) || s[i] >= 0x80)
                return 0; /* another quotation, an aside, a list */
            continue;
        }
        if (first ? !ng__attrib_word_in((const char *)s + i, w, OPEN)
                  : (s[i] >= 'A' && s[i] <= 'Z'))
            return 0;
        first = 0;
        i += w - 1;
    }
    return !first;
}

/* 1 when the phrase quoted at q (no speaker, no verb, three words or
 * more) stands in the sentence right after quotation p's, in the same or
 * the next paragraph, and that sentence names no one: the reporter goes
 * on paraphrasing p's speaker (`..., Ms Diemont says.` / `There are "no
 * big differences in wait time"`).  Shorter phrases are as often the
 * reporter's own terms or a document's ("kept animals", "living wills")
 * as the speaker's: on the BBC corpus, one- and two-word phrases taken
 * this way were right about as often as wrong.  p must have named its
 * speaker itself: a paraphrase is not carried two quotations on. */
static int paraphrase_on(const unsigned char *s, const ng__quote *p,
                         const ng__quote *q, size_t para)
{
    size_t from = sentence_start(s, q->start, para);
    unsigned ends = ng__quote_ends_sentence(s, p);
    if (from < p->end || q->words < 3 || p->inherited)
        return 0;
    for (size_t i = p->end; i < from; i++) {
        if (s[i] == '"')
            return 0;
        if ((s[i] == '.' || s[i] == '!' || s[i] == '?')
            && i + 1 < from && ng__qg_space(s[i + 1]))
            ends++;
    }
    return ends <= 1 && names_no_one(s, from, q->start);
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
    if (q->spk_end > q->spk_start || p->spk_end == p->spk_start
        || q->lead_end > q->lead_start)
        return; /* a lead: the narrative moved on to someone else */
    if (para[k].no != p_last && para[k].no != p_last + 1)
        return;
    /* A phrase quoted inside a sentence continues nothing, unless a
     * participle ties it to the sentence's speaker ("..., adding they
     * were a "huge first step"") or the sentence is the one the speaker
     * was named in. */
    if (!starts_sentence(s, q->start, para[k].start)
        && q->verb_end == q->verb_start
        && !(para[k].no == p_last && (same_sentence(s, p, q->start)
                                      || reported_on(s, p, q->start)))
        && !paraphrase_on(s, p, q, para[k].start))
        return;
    take_speaker(q, p);
}

/* 1 when the unclosed quotation k runs straight into the next one, which
 * has a speaker (a paragraph break lost: `"...whistle. "We don't
 * know...," said X.`): k is that speaker's, when it has none of its own,
 * before any lead. */
static int runs_into(const unsigned char *s, const ng__quote *v,
                     const ng__quote_para *para, size_t k, size_t n)
{
    const ng__quote *q = &v[k], *next = &v[k + 1];
    if (k + 1 >= n || q->closed || next->spk_end == next->spk_start
        || para[k].no != para[k + 1].no)
        return 0;
    for (size_t i = q->end; i < next->start; i++)
        if (!ng__qg_space(s[i]))
            return 0;
    return 1;
}

/* A quotation with no speaker that opens a sentence after a sentence
 * about someone else than the quotation before's speaker is that
 * person's: `Peter Chelsom said he was disappointed. "It's a shame."`. */
static void from_lead(const unsigned char *s, ng__quote *v,
                      const ng__quote_para *para, size_t k, size_t n)
{
    ng__quote *q = &v[k];
    if (q->spk_end > q->spk_start || q->lead_end == q->lead_start
        || !starts_sentence(s, q->start, para[k].start)
        || runs_into(s, v, para, k, n))
        return;
    q->spk_start = q->lead_start;
    q->spk_end = q->lead_end;
    q->inherited = 1;
}

/* Gives quotation k the speaker of the one it runs into (runs_into). */
static void inherit_back(const unsigned char *s, ng__quote *v,
                         const ng__quote_para *para, size_t k, size_t n)
{
    if (v[k].spk_end == v[k].spk_start && runs_into(s, v, para, k, n))
        take_speaker(&v[k], &v[k + 1]);
}

void ng__quote_chain(const unsigned char *s, ng__quote *v,
                     const ng__quote_para *para, size_t n)
{
    /* The lead first, then quotations that continue one before them,
     * then runs of quotations attributed only at their end. */
    for (size_t k = 0; k < n; k++)
        from_lead(s, v, para, k, n);
    for (size_t k = 1; k < n; k++)
        inherit(s, v, para, k);
    for (size_t k = n; k > 1; k--)
        inherit_back(s, v, para, k - 2, n);
    for (size_t k = 1; k < n; k++)
        inherit(s, v, para, k);
}
