/*
 * quote_words.c -- the function words the quote attributor knows, and
 * their look-up.  Only grammar lives here (speech verbs, pronouns,
 * auxiliaries, determiners, prepositions, words that start a clause,
 * titles), never names or news, so the attributor carries over to text it
 * was not tuned on.  The table is sorted by bytes; FIRST and LAST turn
 * most words away before any comparison (tokens are classified once per
 * text, see quotes.c).
 */
#include <stddef.h>

#include "quote_words.h"

/* Every known word with its classes, sorted by bytes (lower case, at
 * most 12 bytes). */
static const struct wclass {
    const char *w;
    unsigned char len;
    unsigned cls;
} WORDS[] = {
#define WORD(w, cls) { w, sizeof w - 1, cls }
    WORD("&", W_LINK),
    WORD("a", W_DET),
    WORD("according", W_ACCORDING),
    WORD("acknowledged", W_VERB),
    WORD("added", W_VERB),
    WORD("adding", W_VERB | W_STOP),
    WORD("adds", W_VERB),
    WORD("admits", W_VERB),
    WORD("admitted", W_VERB),
    WORD("after", W_CLAUSE | W_STOP),
    WORD("again", W_AUX),
    WORD("agreed", W_VERB),
    WORD("al", W_LINK),
    WORD("also", W_AUX),
    WORD("although", W_CLAUSE),
    WORD("always", W_AUX),
    WORD("an", W_DET),
    WORD("and", W_LINK | W_CLAUSE | W_STOP),
    WORD("announced", W_VERB),
    WORD("announces", W_VERB),
    WORD("another", W_DET),
    WORD("argued", W_VERB),
    WORD("argues", W_VERB),
    WORD("as", W_CLAUSE | W_STOP),
    WORD("asked", W_VERB),
    WORD("asks", W_VERB),
    WORD("at", W_PREP | W_STOP),
    WORD("because", W_CLAUSE),
    WORD("before", W_CLAUSE | W_STOP),
    WORD("bin", W_LINK),
    WORD("both", W_DET),
    WORD("but", W_CLAUSE | W_STOP),
    WORD("capt", W_ABBREV),
    WORD("cautioned", W_VERB),
    WORD("claimed", W_VERB),
    WORD("claims", W_VERB),
    WORD("co", W_ABBREV),
    WORD("col", W_ABBREV),
    WORD("commented", W_VERB),
    WORD("complained", W_VERB),
    WORD("conceded", W_VERB),
    WORD("concluded", W_VERB),
    WORD("confirmed", W_VERB),
    WORD("continued", W_VERB),
    WORD("continues", W_VERB),
    WORD("corp", W_ABBREV),
    WORD("could", W_AUX),
    WORD("countered", W_VERB),
    WORD("dame", W_FEMALE),
    WORD("de", W_LINK),
    WORD("declared", W_VERB),
    WORD("declares", W_VERB),
    WORD("den", W_LINK),
    WORD("der", W_LINK),
    WORD("did", W_AUX),
    WORD("does", W_AUX),
    WORD("dr", W_TITLE | W_ABBREV),
    WORD("dr.", W_TITLE),
    WORD("du", W_LINK),
    WORD("during", W_STOP),
    WORD("earlier", W_AUX),
    WORD("explained", W_VERB),
    WORD("explains", W_VERB),
    WORD("for", W_PREP | W_LINK),
    WORD("from", W_PREP),
    WORD("further", W_AUX),
    WORD("gen", W_ABBREV),
    WORD("gov", W_ABBREV),
    WORD("had", W_AUX),
    WORD("has", W_AUX),
    WORD("have", W_AUX),
    WORD("he", W_PRONOUN | W_HESHE),
    WORD("her", W_DET),
    WORD("herself", W_AUX),
    WORD("himself", W_AUX),
    WORD("his", W_DET),
    WORD("i", W_PRONOUN),
    WORD("if", W_CLAUSE),
    WORD("in", W_PREP | W_STOP),
    WORD("inc", W_ABBREV),
    WORD("insisted", W_VERB),
    WORD("insists", W_VERB),
    WORD("is", W_AUX),
    WORD("it", W_PRONOUN),
    WORD("its", W_DET),
    WORD("joked", W_VERB),
    WORD("jr", W_ABBREV),
    WORD("just", W_AUX),
    WORD("la", W_LINK),
    WORD("lady", W_TITLE | W_FEMALE),
    WORD("last", W_STOP),
    WORD("later", W_AUX),
    WORD("le", W_LINK),
    WORD("lord", W_TITLE | W_MALE),
    WORD("lt", W_ABBREV),
    WORD("ltd", W_ABBREV),
    WORD("maintained", W_VERB),
    WORD("maintains", W_VERB),
    WORD("many", W_DET),
    WORD("may", W_AUX),
    WORD("might", W_AUX),
    WORD("miss", W_TITLE | W_FEMALE),
    WORD("most", W_DET),
    WORD("mr", W_TITLE | W_ABBREV | W_MALE),
    WORD("mr.", W_TITLE | W_MALE),
    WORD("mrs", W_TITLE | W_ABBREV | W_FEMALE),
    WORD("mrs.", W_TITLE | W_FEMALE),
    WORD("ms", W_TITLE | W_ABBREV | W_FEMALE),
    WORD("ms.", W_TITLE | W_FEMALE),
    WORD("mt", W_ABBREV),
    WORD("no", W_ABBREV),
    WORD("not", W_CLAUSE),
    WORD("noted", W_VERB),
    WORD("notes", W_VERB),
    WORD("now", W_AUX),
    WORD("observed", W_VERB),
    WORD("of", W_PREP | W_LINK),
    WORD("often", W_AUX),
    WORD("on", W_STOP),
    WORD("once", W_AUX),
    WORD("one", W_DET),
    WORD("or", W_CLAUSE),
    WORD("other", W_DET),
    WORD("our", W_DET),
    WORD("pointed", W_VERB),
    WORD("points", W_VERB),
    WORD("predicted", W_VERB),
    WORD("predicts", W_VERB),
    WORD("president", W_TITLE),
    WORD("previously", W_AUX),
    WORD("prof", W_TITLE | W_ABBREV),
    WORD("prof.", W_TITLE),
    WORD("promised", W_VERB),
    WORD("quipped", W_VERB),
    WORD("recalled", W_VERB),
    WORD("recalls", W_VERB),
    WORD("recently", W_AUX),
    WORD("remarked", W_VERB),
    WORD("rep", W_ABBREV),
    WORD("repeatedly", W_AUX),
    WORD("replied", W_VERB),
    WORD("replies", W_VERB),
    WORD("reported", W_VERB),
    WORD("reportedly", W_AUX),
    WORD("responded", W_VERB),
    WORD("rev", W_ABBREV),
    WORD("revealed", W_VERB),
    WORD("said", W_VERB),
    WORD("say", W_VERB),
    WORD("saying", W_VERB),
    WORD("says", W_VERB),
    WORD("sen", W_ABBREV),
    WORD("separately", W_AUX),
    WORD("several", W_DET),
    WORD("sgt", W_ABBREV),
    WORD("she", W_PRONOUN | W_HESHE),
    WORD("simply", W_AUX),
    WORD("since", W_CLAUSE),
    WORD("sir", W_TITLE | W_MALE),
    WORD("so", W_CLAUSE),
    WORD("some", W_DET),
    WORD("speaking", W_STOP),
    WORD("sr", W_ABBREV),
    WORD("st", W_ABBREV),
    WORD("stated", W_VERB),
    WORD("states", W_VERB),
    WORD("still", W_AUX),
    WORD("stressed", W_VERB),
    WORD("stresses", W_VERB),
    WORD("subsequently", W_AUX),
    WORD("suggested", W_VERB),
    WORD("suggests", W_VERB),
    WORD("tell", W_VERB),
    WORD("tells", W_VERB),
    WORD("than", W_CLAUSE),
    WORD("that", W_DET | W_CLAUSE | W_STOP),
    WORD("the", W_DET | W_LINK),
    WORD("their", W_DET),
    WORD("then", W_AUX),
    WORD("these", W_DET),
    WORD("they", W_PRONOUN),
    WORD("this", W_DET | W_STOP),
    WORD("those", W_DET),
    WORD("though", W_CLAUSE),
    WORD("three", W_DET),
    WORD("to", W_PREP | W_STOP | W_TO),
    WORD("today", W_STOP),
    WORD("told", W_VERB | W_STOP),
    WORD("two", W_DET),
    WORD("until", W_CLAUSE),
    WORD("urged", W_VERB),
    WORD("urges", W_VERB),
    WORD("van", W_LINK),
    WORD("von", W_LINK),
    WORD("vs", W_ABBREV),
    WORD("warned", W_VERB),
    WORD("warns", W_VERB),
    WORD("was", W_AUX),
    WORD("we", W_PRONOUN),
    WORD("when", W_CLAUSE | W_STOP),
    WORD("where", W_CLAUSE),
    WORD("whether", W_CLAUSE),
    WORD("which", W_CLAUSE | W_STOP),
    WORD("while", W_CLAUSE | W_STOP),
    WORD("who", W_CLAUSE | W_STOP),
    WORD("whom", W_CLAUSE),
    WORD("will", W_AUX),
    WORD("with", W_PREP),
    WORD("would", W_AUX),
    WORD("writes", W_VERB),
    WORD("writing", W_STOP),
    WORD("wrote", W_VERB),
    WORD("yesterday", W_STOP),
    WORD("you", W_PRONOUN),
#undef WORD
};

/* Where the words starting with each letter begin in WORDS (the last
 * entry is the end); words not starting with a letter sort first. */
static const unsigned short FIRST[27] = {
    1, 27, 32, 48, 60, 63, 66, 68, 76, 85, 88, 88, 96, 110, 115, 124, 133, 134, 147, 172, 189, 192, 195, 212, 212, 214, 214
};

/* For each length (1-12) and first letter, the last characters (bit
 * 0-25 a letter, 26 anything else) of the known words: most words are
 * turned away by one look here before any comparison. */
static const unsigned LAST[12][26] = {
    { 0x1, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x100, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0 },
    { 0xc2800, 0x0, 0x4000, 0x120010, 0x0, 0x0, 0x0, 0x10, 0xc2020, 0x20000, 0x0, 0x80011, 0xe0000, 0x4000, 0x22020, 0x0, 0x0, 0x0, 0xa4000, 0x4000, 0x0, 0x40000, 0x10, 0x0, 0x0, 0x0 },
    { 0x8, 0x82000, 0x800, 0x4022008, 0x0, 0x20000, 0x202000, 0x60008, 0x40004, 0x0, 0x0, 0x8, 0x5040000, 0x480000, 0x20010, 0x0, 0x0, 0x208000, 0x10a2010, 0x4010, 0x0, 0x2000, 0x44000, 0x0, 0x100000, 0x0 },
    { 0x44000, 0x80, 0x88000, 0x40010, 0x0, 0x1000, 0x0, 0x10, 0x0, 0x80000, 0x0, 0x1080008, 0x50c0000, 0x0, 0x10, 0x20, 0x0, 0x0, 0x40018, 0x10c2808, 0x0, 0x0, 0x3880, 0x0, 0x0, 0x0 },
    { 0x22008, 0x0, 0x8, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x8, 0x0, 0x20000, 0x80000, 0x40008, 0x22000, 0x4000000, 0x0, 0x0, 0x810, 0x1060010, 0x40808, 0x0, 0x40098, 0x0, 0x0, 0x0 },
    { 0x40048, 0x10, 0x40000, 0x40, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x40000, 0x0, 0x0, 0x1040048, 0x80, 0x0, 0x0, 0x40008, 0x0, 0x0, 0x0 },
    { 0x20000, 0x10, 0x8, 0x0, 0x20000, 0x20000, 0x0, 0x20, 0x40000, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x8, 0x8, 0x40008, 0x800, 0x0, 0x0, 0x0, 0x20040, 0x0, 0x0, 0x0 },
    { 0x88, 0x0, 0x8, 0x40008, 0x40000, 0x0, 0x0, 0x0, 0x8, 0x0, 0x0, 0x0, 0x0, 0x0, 0x8, 0x40008, 0x0, 0x1000008, 0x40048, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0 },
    { 0x40048, 0x0, 0x40008, 0x0, 0x8, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x40000, 0x0, 0x0, 0x80008, 0x0, 0x8, 0x8, 0x0, 0x0, 0x0, 0x0, 0x0, 0x1000000, 0x0 },
    { 0x0, 0x0, 0x8, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x8, 0x0, 0x0, 0x1000000, 0x0, 0x1000000, 0x1000000, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0 },
    { 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0 },
    { 0x8, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x1000000, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0 },
};

/* Only the few words sharing the first letter and length are compared. */
unsigned ng__quote_word_class(const unsigned char *s, size_t len)
{
    unsigned c = s[0] | 0x20u;
    size_t lo = 0, hi = FIRST[0];
    if (len == 0 || len > 12)
        return 0;
    if (c >= 'a' && c <= 'z') {
        unsigned l = s[len - 1] | 0x20u;
        unsigned b = l >= 'a' && l <= 'z' ? l - 'a' : 26;
        if (!(LAST[len - 1][c - 'a'] >> b & 1))
            return 0;
        lo = FIRST[c - 'a'];
        hi = FIRST[c - 'a' + 1];
    }
    for (size_t k = lo; k < hi; k++) {
        const char *w = WORDS[k].w;
        size_t i = 1;
        if (WORDS[k].len != len
            || (unsigned char)w[0] != (s[0] >= 'A' && s[0] <= 'Z' ? s[0] | 0x20 : s[0]))
            continue;
        while (i < len && w[i] && (unsigned char)w[i]
               == (s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]))
            i++;
        if (i == len && w[i] == '\0')
            return WORDS[k].cls;
    }
    return 0;
}
