/*
 * quote_marks.c -- finds the direct quotations of a text by pairing its
 * quote marks, in one pass that looks at each byte once (the first half
 * of the quote attributor; quotes.c finds the speakers).
 *
 * Marks: straight double quotes (opening or closing told by the
 * characters around them), curly double quotes, the German low-9 opening
 * quote, guillemets, and curly single quotes (’ inside a word is an
 * apostrophe).  Straight single quotes are not marks.  Only marks of the
 * family that opened a quotation matter inside it, so nesting costs
 * nothing.  An unclosed quotation ends at its paragraph's end unless the
 * next paragraph opens with a quote mark (the convention for a quotation
 * running over several paragraphs); an opening-looking straight quote
 * inside an open quotation starts a new one (texts whose paragraph breaks
 * were lost).  A paragraph ends at a blank line, or at a line break after
 * sentence-ending punctuation.
 */
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "grow.h"
#include "quote_marks.h"

enum family { F_NONE, F_DOUBLE, F_GUILLEMET, F_SINGLE };
enum mark { M_NONE, M_STRAIGHT, M_OPEN, M_CLOSE, M_LOW9 };

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

/* Classifies the quote mark at s[i]; sets its family and byte length. */
static enum mark mark_at(const unsigned char *s, size_t len, size_t i,
                         enum family *f, size_t *n)
{
    *n = 1;
    *f = F_DOUBLE;
    if (s[i] == '"')
        return M_STRAIGHT;
    if (s[i] == 0xC2 && i + 1 < len && (s[i + 1] == 0xAB || s[i + 1] == 0xBB)) {
        *n = 2;
        *f = F_GUILLEMET;
        return s[i + 1] == 0xAB ? M_OPEN : M_CLOSE;
    }
    if (s[i] != 0xE2 || i + 2 >= len || s[i + 1] != 0x80)
        return M_NONE;
    *n = 3;
    switch (s[i + 2]) {
    case 0x9C: return M_OPEN;                       /* “ */
    case 0x9D: return M_CLOSE;                      /* ” */
    case 0x9E: return M_LOW9;                       /* „ */
    case 0x98: *f = F_SINGLE; return M_OPEN;        /* ‘ */
    case 0x99: *f = F_SINGLE; return M_CLOSE;       /* ’ */
    default: return M_NONE;
    }
}

/* The byte before i, as seen by the pairing rules (' ' at the start). */
static unsigned char before(const unsigned char *s, size_t i, size_t para)
{
    return i > para ? s[i - 1] : ' ';
}

/* A mark shaped like an opening one: space or an opening bracket or dash
 * before it, a non-space after it. */
static int opens_here(const unsigned char *s, size_t len, size_t i,
                      size_t n, size_t para)
{
    unsigned char p = before(s, i, para);
    return (is_space(p) || strchr("([{-/", p) || p == 0x94 /* dash end */)
        && i + n < len && !is_space(s[i + n]);
}

/* ---- pairing --------------------------------------------------------- */

typedef struct scan {
    const unsigned char *s;
    size_t len;
    ng__quote *v;
    size_t n, cap;
    ng__quote_para *para;           /* paragraph of each quotation */
    size_t para_cap;
    size_t para_no;        /* number of the current paragraph */
    enum family open;      /* family of the open quotation, or F_NONE */
    int low9;              /* the open quotation began with „ */
    size_t para_start;     /* start of the current paragraph */
} scan;

static int push_quote(scan *sc, size_t start, size_t in_start)
{
    ng__quote *q;
    if (sc->n >= NG__QUOTES_MAX)
        return 1;
    if (ng__grow(&sc->v, &sc->cap, sc->n, 1, sizeof *sc->v, 16) < 0
        || ng__grow(&sc->para, &sc->para_cap, sc->n, 1, sizeof *sc->para, 16) < 0)
        return -1;
    q = &sc->v[sc->n];
    memset(q, 0, sizeof *q);
    q->start = start;
    q->in_start = in_start;
    q->paragraphs = 1;
    sc->para[sc->n].start = sc->para_start;
    sc->para[sc->n++].no = sc->para_no;
    return 0;
}

/* Ends the open quotation: closed at mark [i, i+n), or (n == 0) open at i. */
static void end_quote(scan *sc, size_t i, size_t n)
{
    ng__quote *q = &sc->v[sc->n - 1];
    size_t e = i;
    while (e > q->in_start && is_space(sc->s[e - 1]))
        e--;
    q->in_end = e;
    q->end = n ? i + n : e;
    q->closed = n != 0;
    sc->open = F_NONE;
}

/* Start of the next paragraph if a paragraph ends at the line break s[i],
 * else 0: a blank line follows, or the line ends a sentence. */
static size_t para_break(const scan *sc, size_t i)
{
    const unsigned char *s = sc->s;
    size_t j = i + 1, k = i;
    int blank = 0;
    while (j < sc->len && is_space(s[j])) {
        blank |= s[j] == '\n';
        j++;
    }
    while (k > sc->para_start && is_space(s[k - 1]))
        k--;
    if (blank || j >= sc->len)
        return j;
    if (k > sc->para_start && (strchr(".!?:\"", s[k - 1])
                               || (s[k - 1] >= 0x99 && s[k - 1] <= 0x9D)
                               || s[k - 1] == 0xBB))
        return j;
    return 0;
}

/* At a paragraph break: an open quotation continues when the next
 * paragraph opens with a mark of its family, else it ends.  Returns the
 * position to go on from. */
static size_t on_break(scan *sc, size_t i, size_t next)
{
    enum family f = F_NONE; /* mark_at is not called at the end */
    size_t n;
    if (sc->open != F_NONE) {
        enum mark m = next < sc->len
            ? mark_at(sc->s, sc->len, next, &f, &n) : M_NONE;
        if (f == sc->open && (m == M_OPEN || m == M_LOW9 || m == M_STRAIGHT)) {
            sc->v[sc->n - 1].paragraphs++;
            sc->para_start = next;
            sc->para_no++;
            return next + n;
        }
        end_quote(sc, i, 0);
    }
    sc->para_start = next;
    sc->para_no++;
    return next;
}

/* Handles a mark while no quotation is open.  Returns -1 on no memory,
 * 1 when the quotation limit is reached, else 0. */
static int mark_closed(scan *sc, size_t i, enum mark m, enum family f,
                       size_t n)
{
    int opens;
    if (m == M_CLOSE || m == M_NONE)
        return 0;
    opens = opens_here(sc->s, sc->len, i, n, sc->para_start);
    if ((m == M_STRAIGHT || f == F_SINGLE) && !opens)
        return 0;
    int rc = push_quote(sc, i, i + n);
    if (rc == 0) {
        sc->open = f;
        sc->low9 = m == M_LOW9;
    }
    return rc;
}

/* Handles a mark of the open quotation's family. */
static int mark_open(scan *sc, size_t i, enum mark m, size_t n)
{
    const unsigned char *s = sc->s;
    int opens = opens_here(s, sc->len, i, n, sc->para_start);
    int closes = m == M_CLOSE || (m == M_OPEN && sc->low9)
        || (m == M_STRAIGHT && !opens);
    if (sc->open == F_SINGLE && m == M_CLOSE && i + n < sc->len
        && is_alnum(s[i + n]))
        return 0; /* an apostrophe inside a word */
    if (closes) {
        end_quote(sc, i, n);
        return 0;
    }
    if (!opens)
        return 0;
    /* An opening mark inside an open quotation starts a new one. */
    enum family f = sc->open;
    end_quote(sc, i, 0);
    int rc = push_quote(sc, i, i + n);
    if (rc == 0) {
        sc->open = f;
        sc->low9 = m == M_LOW9;
    }
    return rc;
}

/* The bytes pair_marks stops at: a line break and the first byte of a
 * quote mark ('"', C2 for guillemets, E2 for curly quotes). */
static const unsigned char STOP[256] = {
    ['\n'] = 1, ['"'] = 1, [0xC2] = 1, [0xE2] = 1,
};

static int pair_marks(scan *sc)
{
    const unsigned char *s = sc->s;
    size_t i = 0;
    while (i < sc->len) {
        enum family f;
        size_t n, next;
        enum mark m;
        int rc = 0;
        while (i < sc->len && !STOP[s[i]])
            i++; /* most bytes: one look each */
        if (i >= sc->len)
            break;
        if (s[i] == '\n') {
            if ((next = para_break(sc, i)) != 0)
                i = on_break(sc, i, next);
            else
                i++;
            continue;
        }
        if ((m = mark_at(s, sc->len, i, &f, &n)) == M_NONE) {
            i++;
            continue;
        }
        if (sc->open == F_NONE)
            rc = mark_closed(sc, i, m, f, n);
        else if (f == sc->open)
            rc = mark_open(sc, i, m, n);
        if (rc < 0)
            return -1;
        if (rc > 0)
            break;
        i += n;
    }
    if (sc->open != F_NONE)
        end_quote(sc, sc->len, 0);
    return 0;
}

int ng__quote_marks(const char *s, size_t len, ng__quote **v,
                    ng__quote_para **para, size_t *n)
{
    scan sc;
    memset(&sc, 0, sizeof sc);
    sc.s = (const unsigned char *)s;
    sc.len = len;
    *v = NULL;
    *para = NULL;
    *n = 0;
    if (pair_marks(&sc) < 0) {
        free(sc.v);
        free(sc.para);
        return -1;
    }
    *v = sc.v;
    *para = sc.para;
    *n = sc.n;
    return 0;
}
