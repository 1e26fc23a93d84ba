/*
 * test_attrib.c -- unit tests for the attribution analysis: quotations
 * and their speakers (core/quotes.c), credit lines (core/credits.c) and
 * publishers' fingerprints (core/publishers.c), the cleaned body's map
 * (core/attrib_clean.c), including hostile input
 * that must finish in time linear in its size.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrib.h"
#include "unit.h"

typedef struct qs {
    ng__quote *v;
    size_t n;
    const char *s;
} qs;

static qs quotes(const char *s)
{
    qs r = { NULL, 0, s };
    ck_assert_int_eq(ng__quotes_find(s, strlen(s), &r.v, &r.n), 0);
    return r;
}

/* The text of span [a, b) of s, in a static buffer. */
static const char *cut(const char *s, size_t a, size_t b)
{
    static char buf[4][256];
    static int k;
    char *o = buf[k++ % 4];
    size_t n = b > a ? b - a : 0;
    if (n > 255)
        n = 255;
    memcpy(o, s + a, n);
    o[n] = '\0';
    return o;
}

static const char *speaker(const qs *q, size_t i)
{
    const ng__quote *x = &q->v[i];
    if (x->who_end > x->who_start)
        return cut(q->s, x->who_start, x->who_end);
    return cut(q->s, x->spk_start, x->spk_end);
}

START_TEST(quote_marks)
{
    qs q = quotes("He said \"one two\" and \xe2\x80\x9cthree four\xe2\x80\x9d "
                  "then \xc2\xab" "five six\xc2\xbb and \xe2\x80\x98seven eight\xe2\x80\x99. "
                  "It's John\xe2\x80\x99s dog.");
    ck_assert_uint_eq(q.n, 4);
    ck_assert_str_eq(cut(q.s, q.v[0].in_start, q.v[0].in_end), "one two");
    ck_assert_str_eq(cut(q.s, q.v[1].in_start, q.v[1].in_end), "three four");
    ck_assert_str_eq(cut(q.s, q.v[2].in_start, q.v[2].in_end), "five six");
    ck_assert_str_eq(cut(q.s, q.v[3].in_start, q.v[3].in_end), "seven eight");
    ck_assert_uint_eq(q.v[0].start, 8);          /* the opening mark */
    ck_assert_uint_eq(q.v[0].end, 17);           /* past the closing one */
    ck_assert_uint_eq(q.v[1].words, 2);
    ck_assert(q.v[0].closed);
    free(q.v);
}
END_TEST

START_TEST(quote_paragraphs)
{
    /* An unclosed quotation goes on when the next paragraph opens with a
     * mark; otherwise it ends with its paragraph. */
    qs q = quotes("Mr Smith said: \"First part of it.\n\n\"Second part.\"\n\n"
                  "\"Never closed here\n\nPlain paragraph with no quote.");
    ck_assert_uint_eq(q.n, 2);
    ck_assert_uint_eq(q.v[0].paragraphs, 2);
    ck_assert(q.v[0].closed);
    ck_assert_str_eq(speaker(&q, 0), "Mr Smith");
    ck_assert(!q.v[1].closed);
    ck_assert_str_eq(cut(q.s, q.v[1].in_start, q.v[1].in_end), "Never closed here");
    free(q.v);
}
END_TEST

START_TEST(quote_speakers)
{
    qs q = quotes("\"We will win this,\" Putin told journalists on Tuesday. "
                  "\"It is over,\" said Mr Blair. "
                  "According to the ministry, \"nothing changed\" overnight.\n\n"
                  "Ms Jones said: \"I am leaving now.\" "
                  "\"It was time,\" she added.\n\n"
                  "\"Later, maybe.\"\n\n"
                  "The weather was \"quite nice indeed\" today.");
    ck_assert_uint_eq(q.n, 7);
    ck_assert_str_eq(speaker(&q, 0), "Putin");
    ck_assert_str_eq(cut(q.s, q.v[0].verb_start, q.v[0].verb_end), "told");
    ck_assert_str_eq(speaker(&q, 1), "Mr Blair");
    ck_assert_str_eq(speaker(&q, 2), "the ministry");
    ck_assert_str_eq(speaker(&q, 3), "Ms Jones");
    ck_assert_str_eq(speaker(&q, 4), "Ms Jones");     /* "she" resolved */
    ck_assert_str_eq(cut(q.s, q.v[4].spk_start, q.v[4].spk_end), "she");
    ck_assert_str_eq(speaker(&q, 5), "Ms Jones");     /* continued */
    ck_assert(q.v[5].inherited);
    ck_assert_str_eq(speaker(&q, 6), "");             /* nobody */
    free(q.v);
}
END_TEST

START_TEST(quote_pronoun_sex)
{
    /* "she" does not stand for a "Mr"; the subject of a speech verb
     * beats a name mentioned after it. */
    qs q = quotes("Mrs Green said the plan was ready. Mr Brown agreed. "
                  "\"It works,\" she said.\n\n"
                  "Mr Hall said that Mr Lee would come. \"Good,\" he said.");
    ck_assert_uint_eq(q.n, 2);
    ck_assert_str_eq(speaker(&q, 0), "Mrs Green");
    ck_assert_str_eq(speaker(&q, 1), "Mr Hall");
    free(q.v);
}
END_TEST

START_TEST(quote_subject_is_quote)
{
    /* The quotation is the subject here, not an attribution; a quote
     * inside a sentence ending ", X said." is X's. */
    qs q = quotes("He said the \"MI6 agent\" told him the passport was found.\n\n"
                  "Mr Blair has \"the same passion for the job\" as in 1997, "
                  "Alan Milburn said.");
    ck_assert_uint_eq(q.n, 2);
    ck_assert_str_eq(speaker(&q, 0), "He");
    ck_assert_str_eq(speaker(&q, 1), "Alan Milburn");
    free(q.v);
}
END_TEST

START_TEST(quote_forms)
{
    /* Speakers before the verb behind an acronym, an adverb, "who", a
     * time phrase; a passive verb's speaker after "by"; "described ...
     * as"; a description with "for X". */
    qs q = quotes("Rates must rise, the International Monetary Fund (IMF) "
                  "has said in a \"frank and open\" report.\n\n"
                  "Caprice, who left on Friday, afterwards said: \"I am so "
                  "glad to be out.\"\n\n"
                  "Mr Blair, who has described Africa as a \"scar\" on the "
                  "world, spoke.\n\n"
                  "But Band Aid founder Bob Geldof in July said he was sick "
                  "of hearing \"guff\" about it.\n\n"
                  "The reports have been described as \"idle speculation\" "
                  "by Downing Street.\n\n"
                  "A spokesman for the firm said: \"There is nothing in it "
                  "at all.\"");
    ck_assert_uint_eq(q.n, 6);
    ck_assert_str_eq(speaker(&q, 0), "the International Monetary Fund");
    ck_assert_str_eq(speaker(&q, 1), "Caprice");
    ck_assert_str_eq(speaker(&q, 2), "Mr Blair");
    ck_assert_str_eq(speaker(&q, 3), "Bob Geldof");
    ck_assert_str_eq(speaker(&q, 4), "Downing Street");
    ck_assert_str_eq(cut(q.s, q.v[4].verb_start, q.v[4].verb_end), "described");
    ck_assert_str_eq(speaker(&q, 5), "A spokesman for the firm");
    free(q.v);
}
END_TEST

START_TEST(quote_pronouns_and_sentences)
{
    /* "it" stands for the body that spoke; "he" for a name in subject
     * position when no speaker was named; two quotations in one
     * sentence share its speaker; an unclosed quotation running into the
     * next takes that one's speaker (when none before it gives one);
     * "described" without "as" right
     * before the quotation reports nothing. */
    qs q = quotes("\"He was sent off after the whistle. \"We do not know "
                  "why,\" said an SFA statement.\n\n"
                  "The company said profits would fall. \"We expect a hard "
                  "year for the group,\" it said.\n\n"
                  "Hearts manager John Robertson hopes to keep his players.\n\n"
                  "\"It could help us keep some of them,\" he said.\n\n"
                  "Emily said it would be \"quite a big step for us\" and they "
                  "were \"going as far as we can\" to stop it.\n\n"
                  "He met Ms Hassan, who he described as an activist, and "
                  "that he was \"willing to do anything at all\".");
    ck_assert_uint_eq(q.n, 7);
    ck_assert_str_eq(speaker(&q, 0), "an SFA statement");
    ck_assert(!q.v[0].closed);
    ck_assert_str_eq(speaker(&q, 1), "an SFA statement");
    ck_assert_str_eq(speaker(&q, 2), "The company");
    ck_assert_str_eq(cut(q.s, q.v[2].spk_start, q.v[2].spk_end), "it");
    ck_assert_str_eq(speaker(&q, 3), "John Robertson");
    ck_assert_str_eq(speaker(&q, 4), "Emily");
    ck_assert_str_eq(speaker(&q, 5), "Emily");
    ck_assert(q.v[5].inherited);
    ck_assert_str_eq(speaker(&q, 6), "");
    free(q.v);
}
END_TEST

START_TEST(quote_hostile)
{
    /* 100,000 quote marks of each kind, one quote that never closes, and
     * attribution windows full of verbs: all linear, all bounded. */
    size_t n = 100000;
    char *s = malloc(n * 3 + 1);
    ng__quote *v;
    size_t m;
    memset(s, '"', n);
    s[n] = '\0';
    ck_assert_int_eq(ng__quotes_find(s, n, &v, &m), 0);
    ck_assert_uint_le(m, NG__QUOTES_MAX);
    free(v);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 3 * i, "\xe2\x80\x9c", 3);
    s[3 * n] = '\0';
    ck_assert_int_eq(ng__quotes_find(s, 3 * n, &v, &m), 0);
    ck_assert_uint_le(m, NG__QUOTES_MAX);
    free(v);
    for (size_t i = 0; i + 5 <= 3 * n; i += 5)
        memcpy(s + i, i % 2 ? "said " : "\" x, ", 5);
    ck_assert_int_eq(ng__quotes_find(s, strlen(s), &v, &m), 0);
    ck_assert_uint_le(m, NG__QUOTES_MAX);
    free(v);
    memset(s, 'a', 3 * n);
    s[0] = '"';
    ck_assert_int_eq(ng__quotes_find(s, 3 * n, &v, &m), 0);
    ck_assert_uint_eq(m, 1);
    ck_assert(!v[0].closed);
    free(v);
    free(s);
}
END_TEST

typedef struct cs {
    ng__credit *v;
    size_t n;
    const char *s;
} cs;

static cs credits(const char *s)
{
    cs r = { NULL, 0, s };
    ck_assert_int_eq(ng__credits_find(s, strlen(s), &r.v, &r.n), 0);
    return r;
}

static const char *pub(const cs *c, size_t i)
{
    return cut(c->s, c->v[i].pub_start, c->v[i].pub_end);
}

START_TEST(credit_lines)
{
    cs c = credits("WASHINGTON (AP) \xe2\x80\x94 The vote was close.\n"
                   "(Reuters) - Oil rose.\n"
                   "MOSCOW, Nov 17 (TASS) - Talks ended.\n"
                   "A man looks on. \xc2\xa9 Sputnik / Asatur Yesayants\n"
                   "\xc2\xa9 REUTERS/Gonzalo Fuentes; Sputnik/Alexey Nikolskii\n"
                   "Photo: John Smith/AFP\n"
                   "Source: Al Jazeera and news agencies\n"
                   "Image copyright Getty Images\n"
                   "Crowds gathered (AP Photo/Evan Vucci) outside.\n"
                   "The Economist (London) said prices fell.\n");
    ck_assert_uint_eq(c.n, 10);
    ck_assert_int_eq(c.v[0].kind, NG__CREDIT_DATELINE);
    ck_assert_str_eq(pub(&c, 0), "AP");
    ck_assert_str_eq(pub(&c, 1), "Reuters");
    ck_assert_str_eq(pub(&c, 2), "TASS");
    ck_assert_int_eq(c.v[3].kind, NG__CREDIT_COPYRIGHT);
    ck_assert_str_eq(pub(&c, 3), "Sputnik");
    ck_assert_str_eq(pub(&c, 4), "REUTERS");
    ck_assert_str_eq(pub(&c, 5), "Sputnik");
    ck_assert_str_eq(cut(c.s, c.v[5].start, c.v[5].end), "Sputnik/Alexey Nikolskii");
    ck_assert_int_eq(c.v[6].kind, NG__CREDIT_PHOTO);
    ck_assert_str_eq(pub(&c, 6), "AFP");
    ck_assert_int_eq(c.v[7].kind, NG__CREDIT_SOURCE);
    ck_assert_str_eq(pub(&c, 7), "Al Jazeera and news agencies");
    ck_assert_int_eq(c.v[8].kind, NG__CREDIT_COPYRIGHT);
    ck_assert_str_eq(pub(&c, 8), "Getty Images");
    ck_assert_str_eq(pub(&c, 9), "AP");
    free(c.v);
}
END_TEST

START_TEST(credit_hostile)
{
    size_t n = 300000;
    char *s = malloc(n + 1);
    ng__credit *v;
    size_t m;
    for (size_t i = 0; i < n; i++)
        s[i] = "(\xc2\xa9;/ A"[i % 7];
    s[n] = '\0';
    ck_assert_int_eq(ng__credits_find(s, n, &v, &m), 0);
    ck_assert_uint_le(m, NG__CREDITS_MAX);
    free(v);
    free(s);
}
END_TEST

static ng__publishers *load_list(const char *text, char *err, size_t errlen)
{
    char path[] = "/tmp/ng-pubs-XXXXXX";
    int fd = mkstemp(path);
    ng__publishers *p = NULL;
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
    if (ng__publishers_load(&p, path, err, errlen) != 0)
        p = NULL;
    unlink(path);
    return p;
}

START_TEST(publishers_match)
{
    char err[200];
    const char *t = "Story text.\nAlso on\nA teaser.\n"
                    "Like this story? Share it with a friend!\n"
                    "(Reuters) - More text.\n";
    const char *doms[] = { "news.example.org", "de.rt.com" };
    ng__publishers *p = load_list(
        "# test list\n[RT]\nnames: RT, Russia Today\ndomains: rt.com\n"
        "line: Also on\nphrase: like this story? share it with a friend!\n"
        "[Reuters]\nnames: Reuters\ndomains: reuters.com\n", err, sizeof err);
    ng__credit *c;
    ng__evidence *ev;
    size_t nc, ne;
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(ng__publishers_count(p), 2);
    ck_assert_int_eq(ng__credits_find(t, strlen(t), &c, &nc), 0);
    ck_assert_int_eq(ng__publishers_match(p, t, strlen(t), c, nc, doms, 2,
                                          &ev, &ne), 0);
    ck_assert_uint_eq(ne, 4);
    ck_assert_uint_eq(ev[0].pub, 0);
    ck_assert_int_eq(ev[0].kind, NG__EV_LINK);     /* no span: first */
    ck_assert_str_eq(cut(t, ev[1].start, ev[1].end), "Also on");
    ck_assert_int_eq(ev[2].kind, NG__EV_FURNITURE);
    ck_assert_uint_eq(ev[3].pub, 1);
    ck_assert_int_eq(ev[3].credit, NG__CREDIT_DATELINE);
    ck_assert_int_eq(ng__publishers_credited(p, 0, "Russia Today", NULL), 1);
    ck_assert_int_eq(ng__publishers_credited(p, 0, "RT News", NULL), 1);
    ck_assert_int_eq(ng__publishers_credited(p, 0, "ART weekly", NULL), 0);
    ck_assert_int_eq(ng__publishers_credited(p, 0, NULL, "www.rt.com"), 1);
    ck_assert_int_eq(ng__publishers_credited(p, 0, NULL, "notrt.com"), 0);
    ck_assert_int_eq(ng__publishers_credited(p, 1, "RT", "rt.com"), 0);
    free(c);
    free(ev);
    ng__publishers_free(p);
}
END_TEST

START_TEST(publishers_errors)
{
    char err[200];
    ck_assert_ptr_null(load_list("names: X\n", err, sizeof err));
    ck_assert_str_eq(err, "line 1: expected [Publisher] before entries");
    ck_assert_ptr_null(load_list("[A]\n# ok\ncolour: red\n", err, sizeof err));
    ck_assert_str_eq(err, "line 3: unknown key 'colour'");
    ck_assert_int_eq(ng__publishers_load(&(ng__publishers *){ NULL },
                                         "/nonexistent/x", err, sizeof err), -1);
    ck_assert(strncmp(err, "cannot open:", 12) == 0);
    ng__publishers_free(NULL);
}
END_TEST

/* Quotation 0 of `text` is attributed to `who`. */
static void first_speaker(const char *text, const char *who)
{
    qs q = quotes(text);
    ck_assert_uint_ge(q.n, 1);
    ck_assert_str_eq(speaker(&q, 0), who);
    free(q.v);
}

/* The discourse rules of round 3: the lead, participles, "quoted X as
 * saying", appositives, epithets and known surnames. */
START_TEST(quote_discourse)
{
    first_speaker("Director Peter Chelsom said he was disappointed.\n\n"
                  "\"It's a shame.\"", "Director Peter Chelsom");
    first_speaker("Sir Ian Blair has backed the orders, saying: \"It is a "
                  "dilemma, but there is only one choice.\"", "Sir Ian Blair");
    first_speaker("\"We're mourning the passing of a great company,\" the "
                  "agency quoted worker David Ogden as saying.",
                  "worker David Ogden");
    first_speaker("\"The data is favourable,\" Julio Hegedus, chief economist "
                  "with Lopes Filho & Associates in Rio, told Reuters.",
                  "Julio Hegedus");
    first_speaker("Ivo Minar lost the final. \"For me, this was a big "
                  "success,\" said the 20-year-old.", "Ivo Minar");
    first_speaker("Andy Roddick lost in Seville. \"It's just tough,\" "
                  "said the American.", "Andy Roddick");
    first_speaker("Kim Lee is 17. \"I was not expecting it,\" the youngster "
                  "said.", "Kim Lee");
    /* A quoted phrase in a sentence with no speech verb: its subject. */
    first_speaker("Mr Kennedy will highlight the anger among people of "
                  "\"all races\" over the war.", "Mr Kennedy");
    /* An office is no epithet: "the minister" may be someone new. */
    first_speaker("Ms Hewitt spoke first. \"It is wrong,\" said the "
                  "minister.", "the minister");
    first_speaker("New Yorker Dick Morris is a winner.\n\nSo why Britain? "
                  "On this subject, Morris appears almost evangelical.\n\n"
                  "\"I was on a cruise in the Mediterranean.\"", "Morris");
}
END_TEST

/* The speaker of the last quotation of text. */
static void last_speaker(const char *text, const char *who)
{
    qs q = quotes(text);
    ck_assert_uint_ge(q.n, 1);
    ck_assert_str_eq(speaker(&q, q.n - 1), who);
    free(q.v);
}

/* The rules of round 5 (s4-quotes): each a shape of grammar. */
START_TEST(quote_round5)
{
    /* Role words between an organisation and a name after the verb. */
    first_speaker("Launches are \"on hold\", said Mercedes chief executive "
                  "Eckhard Cordes.", "Mercedes chief executive Eckhard Cordes");
    /* An inverted ", said X." ending the sentence governs the quoted
     * phrases in it; a plural's possessive is part of the name. */
    first_speaker("It is not worth showing \"non-essential\" scenes when "
                  "complaints are pursued, said PBS' Jacoba Atlas.",
                  "PBS' Jacoba Atlas");
    /* "Name, Organisation said:" is the name's. */
    first_speaker("Colin Asplin, Blackpool Hotel Association said: \"We "
                  "have tried very hard.\"", "Colin Asplin");
    first_speaker("On Monday, Dr Fox told reporters: \"The prime minister "
                  "has broken his word.\"", "Dr Fox");
    /* An inverted verb in reported speech names whom "he" stands for. */
    first_speaker("Thomas Dawson spoke first. Real losses have been "
                  "suffered, observed Jack Boorman, adviser to the IMF. "
                  "\"Everyone needs to keep it in mind,\" he said.",
                  "Jack Boorman");
    /* A description of a person can be "she"; of her sex only. */
    last_speaker("\"Sales fell,\" said Daniel Shore. The cuts will affect "
                  "2,400 people, a company spokeswoman said. \"We will "
                  "support every employee,\" she said.", "a company spokeswoman");
    /* A name opening its sentence with a participle set off by commas,
     * a list inside. */
    first_speaker("Liberty spoke. Lady Hale, sitting with Lords Bingham, "
                  "Steyn, Hope and Carswell, said many Roma had reasons. But "
                  "she said they were treated by officers \"acting on "
                  "racial grounds\".", "Lady Hale");
    /* A participle's clause opened by "he"; a phrase in a sentence with
     * no speech verb that "he" opens. */
    first_speaker("Lord Falconer outlined the plans. He denied activists had "
                  "forced the changes, telling the BBC \"there is a "
                  "recognition that something is wrong\".", "Lord Falconer");
    last_speaker("\"I agree with that,\" said Campese. He defended the "
                 "coach. But he blamed \"a lack of talent in the camp\" for "
                 "it.", "Campese");
    /* ... but not when another "he" stands in the sentence. */
    last_speaker("\"I agree with that,\" said Campese. He met Ms Hassan, "
                 "who he described as an activist, and that he was \"willing "
                 "to do anything\".", "");
    /* A participle after the quotation: its subject is before it. */
    first_speaker("One diplomat described the talks as \"long and "
                  "bad-tempered\", adding that the word \"binding\" had "
                  "gone.", "One diplomat");
    /* A closing ", X said" with a short complement after the verb. */
    first_speaker("The \"best person for the job\" should be appointed, "
                  "the courts minister has told MPs.", "the courts minister");
    /* A name set before the quotation as a label, with no verb. */
    first_speaker("Bolton won.\n\n - Newcastle boss Graeme Souness \"We "
                  "deserved the win.\"", "Newcastle boss Graeme Souness");
    first_speaker("The show moves. Said Wales coach Scott Johnson: \"We are "
                  "positive.\"", "Wales coach Scott Johnson");
    /* A relative pronoun after a name, no comma; "called" after a
     * pronoun reports words. */
    first_speaker("Figures from property website Rightmove which suggested "
                  "owners must hold a \"winter sale\" came out.", "Rightmove");
    first_speaker("Germaine Greer quit over what she called \"bullying\" "
                  "tactics.", "Germaine Greer");
    /* "went on to say"; an epithet resolved leaves the person, not
     * the epithet, for a later "he". */
    first_speaker("Shadow Home Secretary David Davis spoke. He went on to "
                  "say: \"We will vote against the bill.\"",
                  "Shadow Home Secretary David Davis");
    last_speaker("Tama Umaga spoke first. The 31-year-old admitted it was "
                 "big, calling it \"the biggest thing to hit us\". He added: "
                 "\"As players, it is enough for us.\"", "Tama Umaga");
    /* "welcomed" takes an object: "the ruling" said nothing. */
    first_speaker("The company, Keystone Midstream, welcomed the ruling. In "
                  "a statement, it said the decision \"confirms what "
                  "regulators concluded\".", "Keystone Midstream");
}
END_TEST

/* The rules of round 6 (s4-quotes2). */
START_TEST(quote_round6)
{
    /* "he" stands for a name opening a sentence more than WIN_BACK
     * bytes before the quotation, past a long relative clause. */
    const char *far =
        "\"Rafa has time,\" Jose Mourinho told the radio. Steven Gerrard, "
        "who fired Liverpool into the last 16 of this season's competition "
        "with a brilliant goal in December's win over Olympiakos, insisted "
        "he was still fully focused on helping Liverpool to glory this "
        "season. The Reds are currently fifth in the Premiership table, "
        "five points off the crucial fourth spot, which brings Champions "
        "League qualification - and they face Chelsea in Sunday's Carling "
        "Cup final at the Millennium Stadium in Cardiff, where the two "
        "clubs have met twice before in recent seasons with mixed results "
        "for both of them. \"It's a big couple of months for us,\" he added.";
    ck_assert_uint_gt(strlen(far) - (size_t)(strstr(far, "Steven") - far), 400);
    last_speaker(far, "Steven Gerrard");
    /* "it" with no body that spoke before: the single word that opened
     * a sentence as its subject. */
    first_speaker("Multiplex will have to win legal claims. \"Its claims "
                  "are sound,\" it said.", "Multiplex");
    /* A name, a comma and a description with no comma closing it. */
    first_speaker("\"There is a whiff of a sweetener,\" Anais Faraj, an "
                  "analyst at Nomura told the BBC.", "Anais Faraj");
    /* A number inside a name in a speaker's label. */
    first_speaker("The show moves. BBC Two controller Roly Keating: \"It is "
                  "an exciting new era.\"", "BBC Two controller Roly Keating");
    /* A name right after a speech verb heads the reported clause: the
     * narrative stays with whoever said it. */
    last_speaker("\"It is a shame,\" said Tim Kash. A BBC spokeswoman said "
                 "Andi Peters would continue as producer. \"We think the new "
                 "slot will create a buzz.\"", "A BBC spokeswoman");
    /* "and" inside a role after a determiner. */
    first_speaker("The \"myth that ageing is a barrier\" needs to be "
                  "exploded, the work and pensions minister has said.",
                  "the work and pensions minister");
    /* A possessive after the verb names whose the speaker is. */
    first_speaker("\"We will not be rushed,\" said Kranz's deputy, Tobias "
                  "Reiter, on Sunday.", "Tobias Reiter");
    first_speaker("\"It was not hunting,\" said Defra's lawyers.",
                  "Defra's lawyers");
    /* A question introduced by a colon: the name after it opens the
     * next sentence. */
    first_speaker("Mr Howard spoke. He added: \"Everyone knows tax will go "
                  "up: isn't it clear?\" Mr Blair instead hailed the "
                  "economy.", "Mr Howard");
}
END_TEST

/* The rules of round 8 (s5-quotes2): each a shape of grammar. */
START_TEST(quote_round8)
{
    /* A speech verb after a possessive is a noun: its owner is no
     * subject a later "he" goes on with. */
    last_speaker("Graham Robb said they were \"rattled\". And he hit back "
                 "at Mr Mallon's claim that it would help. \"It can push "
                 "paper around,\" he said.", "Graham Robb");
    /* A -ly adverb before the verb of a name standing as a subject;
     * "seed" is no past tense. */
    last_speaker("Gavin Henson played. \"I looked at Gavin,\" said Thomas. "
                 "Henson, surveying his date with destiny, positively "
                 "relished it. \"I knew I would get it,\" he said.",
                 "Henson");
    last_speaker("David Nalbandian lost. Hewitt eventually won. Ninth seed "
                 "Nalbandian had never come back. The Argentine had said "
                 "it was \"not good for the sport\".", "Nalbandian");
    /* One word after a player's noun is a name "he" may stand for. */
    last_speaker("Arsenal's Brazilian midfielder Edu has hit out. He told "
                 "BBC Sport: \"I'm not sure if I want to stay.\"", "Edu");
    /* A definite description stands for the person the text gave its
     * head as a role, and a later "he" finds the name. */
    last_speaker("Tory leader Michael Howard spoke. Mr Brown had \"magic\" "
                 "sums, the Tory leader said. \"This dodgy government,\" "
                 "he said.", "Michael Howard");
    first_speaker("Home Secretary Charles Clarke has spoken. The home "
                  "secretary said it would \"ensure we can know\" them.",
                  "Charles Clarke");
    /* Other offices: "deputy", "shadow" before the role; a capitalized
     * modifier the source role lacks. */
    first_speaker("Deputy Prime Minister John Prescott was there. The prime "
                  "minister said: \"Help me.\"", "The prime minister");
    /* A verb coordinated after "and" or "but" has the subject of the
     * verb before it. */
    first_speaker("The firm said profits fell and warned: \"This will be a "
                  "hard year.\"", "The firm");
    /* A sentence with no speech verb ending in a colon before the
     * quotation: its subject is the speaker; "His message" is no
     * speaker (the sentence's lead is). */
    last_speaker("Charles Kennedy spoke. He is prepared to go this far: "
                 "\"A clear conclusion has been reached.\"",
                 "Charles Kennedy");
    first_speaker("Sir Digby Jones said so. His message to the chancellor "
                  "was: \"Please don't give it away.\"", "Sir Digby Jones");
    first_speaker("Norfolk police chief Andy Hayman spoke. The Metropolitan "
                  "police chief said it was an \"epidemic\".",
                  "The Metropolitan police chief");
}
END_TEST

/* Round 9 (s5-quotes3): a phrase of three words or more quoted in the
 * sentence after an attributed quotation, in a sentence naming no one,
 * goes on paraphrasing that speaker; shorter phrases and sentences
 * opening on a name or a noun of their own do not. */
START_TEST(quote_round9)
{
    last_speaker("Suggestions that it is to blame are \"wrong\", Ms Diemont "
                 "says.\n\nThere are \"no big differences in wait time\" "
                 "between them.", "Ms Diemont");
    last_speaker("Video games are \"big business\", the paper quoted Mr "
                 "Chernin as saying. We \"would like to get into it\".",
                 "Mr Chernin");
    last_speaker("Video games are \"big business\", the paper quoted Mr "
                 "Chernin as saying. The bill protects \"kept animals\".",
                 "");
    last_speaker("Video games are \"big business\", the paper quoted Mr "
                 "Chernin as saying. Local police were \"surprised by the "
                 "news\".", "");
    last_speaker("Video games are \"big business\", Mr Chernin said. The "
                 "pledge - \"your child achieving more\" - was new.", "");
}
END_TEST

/* The rules of round 7 (s5-quotes): each a shape of grammar. */
START_TEST(quote_round7)
{
    /* "dubbed" reports words with an object before the quotation; with
     * none it names a thing. */
    first_speaker("The Law Society dubbed the new proposals an \"abuse of "
                  "power\".", "The Law Society");
    first_speaker("Helen Steel and David Morris, dubbed the \"McLibel Two\", "
                  "were found guilty.", "");
    /* "blamed" is a speech verb; "it" stands for the body that spoke. */
    last_speaker("\"Conditions will stay poor,\" the ministry said in a "
                 "statement. It blamed \"continuing uncertainties\".",
                 "the ministry");
    /* A verb coordinated after "and on Sunday" has no subject there. */
    first_speaker("Kenteris has protested - and on Sunday blamed \"the "
                  "officials\".", "");
    /* A reduced passive names no one before "by". */
    first_speaker("Experts say there is a \"black hole\" in the finances, a "
                  "claim denied by the chancellor.", "Experts");
    /* "he" after a quotation is not its sentence's own subject. */
    last_speaker("\"It is a sweetener,\" Mr Faraj continued. Deutsche Boerse "
                 "is \"trying to buy them off\", he said.", "Mr Faraj");
    /* A name after one opening word and a comma, then its role. */
    first_speaker("However, Matt Williams, a fund manager at Perpetual "
                  "Trustees said the stake \"is a precursor to a bid\".",
                  "Matt Williams");
    /* Plain words between the determiner and a role's "and"; the role
     * is an epithet for the person named before. */
    last_speaker("Germaine Greer left the show. The feminist writer and "
                 "broadcaster said it had behaved \"like a child\".",
                 "Germaine Greer");
    /* A participle's subject: the noun phrase opening the sentence. */
    first_speaker("Fox producers defended the show, saying it was a "
                  "\"positive experience\".", "Fox producers");
    first_speaker("David Nalbandian lost. The Argentine had stoked it by "
                  "saying it was \"not good for the sport\".",
                  "David Nalbandian");
    first_speaker("Wenger initially refused to bite back, saying only: \"I "
                  "will never answer questions about this man.\"", "Wenger");
    /* A name in a clause after its sentence's subject is no antecedent;
     * a role may hold "of" ("director of rugby"). */
    last_speaker("UK Athletics chief Max Jones believes it is likely Kelly "
                 "Holmes will race. He said: \"It's worth a punt.\"",
                 "Max Jones");
    last_speaker("Sale Sharks director of rugby Philippe Saint-Andre has "
                 "spoken. \"It is an important game,\" he said.",
                 "Philippe Saint-Andre");
    /* "A spokesman for X" is the spokesman's, and a person for "he". */
    first_speaker("A spokesman for the British Casino Association said it "
                  "was \"unfair\".", "A spokesman for the British Casino "
                  "Association");
    last_speaker("Mr Smith spoke. A spokesman for the Information "
                 "Commissioner's Office said it was marketing. \"If a party "
                 "did that, it may be covered,\" he said.",
                 "A spokesman for the Information Commissioner's Office");
    /* ", according to X." ending the sentence gives X its quoted
     * phrases. */
    first_speaker("Cuts will prove a \"false economy\", according to a TUC "
                  "report.", "a TUC report");
    /* A name introduced after "is", closing its clause. */
    last_speaker("\"Toronto wanted this,\" said Mr Wallace. The musical's "
                 "director is Matthew Warchus, best known for Art. \"The "
                 "production will be a hybrid,\" he said.", "Matthew Warchus");
}
END_TEST

/* The cleaned body maps back into the body: across a cut block and
 * white space the cleaning folded. */
START_TEST(clean_map)
{
    const char *body = "Like this story? Share it!\n\n\nThe harbour  "
                       "reopened.  \n\n\"We are back,\" she said.";
    const char *clean = "The harbour  reopened.\n\n\"We are back,\" she said.";
    size_t *m, n = strlen(clean);
    ck_assert_int_eq(ng__attrib_clean_map(body, strlen(body), clean, n, &m), 0);
    for (size_t i = 0; i < n; i++)
        if (clean[i] != '\n')
            ck_assert_int_eq(body[m[i]], clean[i]);
    ck_assert_str_eq(cut(body, m[0], m[0] + 11), "The harbour");
    ck_assert_uint_eq(m[n], strlen(body));
    free(m);
    /* Nothing of the cleaned text in the body: everything maps to the end. */
    ck_assert_int_eq(ng__attrib_clean_map("abc", 3, "xyz", 3, &m), 0);
    ck_assert_uint_eq(m[0], 3);
    free(m);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("attrib");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, quote_marks);
    tcase_add_test(tc, quote_paragraphs);
    tcase_add_test(tc, quote_speakers);
    tcase_add_test(tc, quote_forms);
    tcase_add_test(tc, quote_pronouns_and_sentences);
    tcase_add_test(tc, quote_pronoun_sex);
    tcase_add_test(tc, quote_subject_is_quote);
    tcase_add_test(tc, quote_hostile);
    tcase_add_test(tc, quote_discourse);
    tcase_add_test(tc, clean_map);
    tcase_add_test(tc, credit_lines);
    tcase_add_test(tc, credit_hostile);
    tcase_add_test(tc, publishers_match);
    tcase_add_test(tc, publishers_errors);
    tcase_add_test(tc, quote_round5);
    tcase_add_test(tc, quote_round6);
    tcase_add_test(tc, quote_round7);
    tcase_add_test(tc, quote_round8);
    tcase_add_test(tc, quote_round9);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ng_unit_run(suite());
}
