/*
 * shapes.c -- the cheap text shapes of shapes.h, found in one pass over
 * the bytes with a few counters.  ASCII only: every shape is made of
 * ASCII characters, and NFKC has already turned full-width and styled
 * letters into plain ones.
 */
#include <string.h>
#include "byteclass.h"
#include "shapes.h"

static const char *const names[NG__SHAPE_COUNT] = {
    "#at", "#digits", "#bangs", "#caps", "#yearmonth", "#wallet", "#sub",
    "#script",
};

const char *ng__shape_name(int i)
{
    return i >= 0 && i < NG__SHAPE_COUNT ? names[i] : NULL;
}

/* Byte classes, so the pass over the text is one look-up per byte. */
enum { DIGIT = 1, UPPER = 2, ALNUM = 4, RUNSEP = 8, CAPSSEP = 16,
       WORDHEAD = 32 /* 0 1 2 3 b B s S: a word shape may start here */ };

/* The class of each ASCII byte (bytes 0x80 and up are 0).  ALNUM marks
 * letters and digits here too, so that a byte's whole class says "a
 * lower-case letter" (k == ALNUM); asking only whether a byte is a letter
 * or digit goes through byteclass.h. */
static const unsigned char byte_class[256] = {
     0,  0,  0,  0,  0,  0,  0,  0,  0,  8,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    24, 16,  0,  0,  0,  0,  0, 16,  8,  8,  0,  0, 16, 24, 24,  0,
    37, 37, 37, 37,  5,  5,  5,  5,  5,  5,  0,  0,  0,  0,  0, 16,
     0,  6, 38,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,
     6,  6,  6, 38,  6,  6,  6,  6,  6,  6,  6,  0,  0,  0,  0,  0,
     0,  4, 36,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,
     4,  4,  4, 36,  4,  4,  4,  4,  4,  4,  4,  0,  0,  0,  0,  0,
};

/* Bytes whose runs leave the scan's counters as their first byte did:
 * 1 lower-case letters, 2 bytes of class 0 other than '@' (non-ASCII
 * bytes, most symbols and controls). */
static const unsigned char same_run[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    0, 0, 2, 2, 2, 2, 2, 0, 0, 0, 2, 2, 0, 0, 0, 2,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2,
    2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2,
    [0x80] = 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* 1 when t[0..n) (any case) starts with a month name or its
 * three-letter abbreviation. */
static int month_at(const unsigned char *t, size_t n)
{
    static const char *const m[] = { "jan", "feb", "mar", "apr", "may",
        "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
    char low[3];

    if (n < 3)
        return 0;
    for (int i = 0; i < 3; i++)
        low[i] = (char)(t[i] | 0x20);
    for (int i = 0; i < 12; i++)
        if (memcmp(low, m[i], 3) == 0)
            return 1;
    return 0;
}

/* 1 when t[i] is the letter `c` in either case. */
static int at_letter(const unsigned char *t, size_t n, size_t i, char c)
{
    return i < n && (t[i] | 0x20) == c;
}

/* 1 for "subscribe" and its misspellings: su + scri, sub + cri, sub,
 * subs, sub + digit, sub s? c? r? i? b (the SUB pattern of spam.lua). */
static int sub_word(const unsigned char *t, size_t n)
{
    size_t i = 3;

    if (!at_letter(t, n, 0, 's') || !at_letter(t, n, 1, 'u'))
        return 0;
    if (at_letter(t, n, 2, 's'))
        return at_letter(t, n, 3, 'c') && at_letter(t, n, 4, 'r')
               && at_letter(t, n, 5, 'i');
    if (!at_letter(t, n, 2, 'b'))
        return 0;
    if (n == 3 || (i < n && is_digit(t[i])))
        return 1;
    if (at_letter(t, n, 3, 'c') && at_letter(t, n, 4, 'r')
        && at_letter(t, n, 5, 'i'))
        return 1;
    if (at_letter(t, n, i, 's') && ++i == n)
        return 1;                               /* "subs" */
    for (const char *opt = "cri"; *opt; opt++)
        if (at_letter(t, n, i, *opt))
            i++;
    return at_letter(t, n, i, 'b');
}

/* Shapes of the word t[0..n) of letters and digits. */
static unsigned word_shapes(const unsigned char *t, size_t n,
                            const unsigned char *end)
{
    unsigned s = 0;

    if (n >= 4 && ((t[0] == '1' && t[1] == '9') || (t[0] == '2' && t[1] == '0'))
        && is_digit(t[2]) && is_digit(t[3]) && (n == 4 || !is_digit(t[4]))) {
        /* The month may be glued on ("2010June") or come after spaces. */
        const unsigned char *p = t + 4;
        while (p < end && !ng__bc_alnum(*p) && p - t < 12)
            p++;
        if (month_at(p, (size_t)(end - p)))
            s |= NG__SHAPE_YEARMONTH;
    }
    if ((n >= 26 && (t[0] == '1' || t[0] == '3'))
        || (n >= 28 && (t[0] | 0x20) == 'b' && (t[1] | 0x20) == 'c' && t[2] == '1')
        || (n >= 42 && t[0] == '0' && (t[1] | 0x20) == 'x'))
        s |= NG__SHAPE_WALLET;
    if (sub_word(t, n))
        s |= NG__SHAPE_SUB;
    return s;
}

/* The running state of the pass: digit runs, capitals, exclamations. */
typedef struct scan {
    size_t run, to_digit;   /* digit run, its length to its last digit */
    size_t caps, gap;       /* capitals run; separators after one */
    int after_caps;         /* a 3+ capitals run ended, then only
                               separators (gap of them) */
    int bang;               /* a '!' with only '?' since */
} scan;

/* Feeds one byte of class k; returns the shapes it completes. */
static unsigned feed(scan *sc, unsigned char c, unsigned char k)
{
    unsigned s = 0;

    if (k == ALNUM) {           /* a lower-case letter: the common case */
        sc->bang = 0;
        sc->run = sc->to_digit = 0;
        if (sc->caps >= 3)
            sc->gap = 0;
        sc->caps = 0;
        sc->after_caps = 0;     /* a letter is no separator */
        return 0;
    }

    if (c == '@')
        s |= NG__SHAPE_AT;
    if (c == '!') {
        if (sc->bang)
            s |= NG__SHAPE_BANGS;
        sc->bang = 1;
    } else if (c != '?') {
        sc->bang = 0;
    }
    if (k & DIGIT)
        sc->to_digit = ++sc->run;
    else if (sc->run && (k & RUNSEP))
        sc->run++;
    else
        sc->run = sc->to_digit = 0;
    if (sc->to_digit >= 9)
        s |= NG__SHAPE_DIGITS;
    if (k & UPPER) {
        if (++sc->caps == 3 && sc->after_caps)
            s |= NG__SHAPE_CAPS;
        return s;
    }
    if (sc->caps >= 3)
        sc->after_caps = 1, sc->gap = 0;
    else if (sc->caps > 0)
        sc->after_caps = 0;             /* a short word between */
    sc->caps = 0;
    if (sc->after_caps && (k & CAPSSEP) && sc->gap < 3)
        sc->gap++;
    else
        sc->after_caps = 0;
    return s;
}

unsigned ng__text_shapes(const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text;
    scan sc = { 0 };
    unsigned s = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = t[i], k = byte_class[c];
        s |= feed(&sc, c, k);
        if ((k & WORDHEAD) && (i == 0 || !ng__bc_alnum(t[i - 1]))) {
            size_t n = 0;
            while (i + n < len && ng__bc_alnum(t[i + n]))
                n++;
            s |= word_shapes(t + i, n, t + len);
        }
        /* A lower-case letter, or a non-ASCII byte, leaves the counters
         * in a state the same bytes after it do not change, and no word
         * starts inside the run: skip the rest of it (most of a text). */
        if (same_run[c] == 2) {
            /* Every byte from 0x80 is in such a run: look at each for a
             * Greek or Cyrillic lead byte (#script). */
            const unsigned char *p = t + i + 1, *end = t + len;
            unsigned greek = (unsigned)(c - 0xCE) < 6u;
            while (p < end && same_run[*p] == 2)
                greek |= (unsigned)(*p++ - 0xCE) < 6u;
            if (greek)
                s |= NG__SHAPE_SCRIPT;
            i = (size_t)(p - t) - 1;
        } else if (same_run[c]) {
            const unsigned char *p = t + i + 1, *end = t + len;
            while (p < end && same_run[*p] == 1)
                p++;
            /* After a lower-case letter the counters are at rest, and a
             * space leaves them so: go on over "word word" while the next
             * word starts with a letter that starts no shape. */
            while (p + 1 < end && *p == ' ' && byte_class[p[1]] == ALNUM) {
                p += 2;
                while (p < end && same_run[*p] == 1)
                    p++;
            }
            i = (size_t)(p - t) - 1;
        }
    }
    return s;
}
