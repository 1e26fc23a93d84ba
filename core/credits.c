/*
 * credits.c -- credit lines and agency datelines in a text.
 *
 * Looks at the text a line at a time for the ways news copy credits its
 * origin:
 *   datelines    "(Reuters) -", "WASHINGTON (AP) —", "MOSCOW, Nov 17 (TASS) -"
 *                at the start of a line;
 *   copyright    "© REUTERS/Gonzalo Fuentes; Sputnik/Alexey Nikolskii"
 *                anywhere, "Image copyright X", "Copyright X" at a line's
 *                start;
 *   photo        "Photo: X", "Picture: X", "Credit: X" at a line's start
 *                or after "(", "AP Photo/X", and "Getty Images" anywhere;
 *   source       "Source: X", "Image source: X" at a line's start.
 * Each credit names a publisher: the agency in a dateline, and in
 * "Agency/Photographer" credits the part with fewer words ("REUTERS" in
 * "REUTERS/Gonzalo Fuentes", "AFP" in "John Smith/AFP").  Which of these
 * publishers are known ones is publishers.c's business, not this file's.
 *
 * Linear: every line is looked at once, and each credit's value is read
 * to the end of its line at most once.
 */
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "grow.h"

#define MAX_VALUE 80   /* bytes of a credit's value looked at */
#define MAX_PLACE 60   /* bytes of a dateline's place and date */
#define MAX_AGENCY 30  /* bytes of a dateline's agency */

const char *const ng__credit_kind_names[NG__CREDIT_KINDS] = {
    "dateline", "source", "copyright", "photo"
};

typedef struct out {
    ng__credit *v;
    size_t n, cap;
} out;

static int add(out *o, ng__credit_kind k, size_t s, size_t e, size_t ps,
               size_t pe)
{
    if (pe <= ps || o->n >= NG__CREDITS_MAX)
        return 0;
    if (ng__grow(&o->v, &o->cap, o->n, 1, sizeof *o->v, 16) < 0)
        return -1;
    o->v[o->n++] = (ng__credit){ k, s, e, ps, pe };
    return 0;
}

static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Length of the ASCII literal `lit` at s[i] ignoring case, or 0. */
static size_t ci_at(const char *s, size_t end, size_t i, const char *lit)
{
    size_t n = strlen(lit);
    if (i + n > end)
        return 0;
    for (size_t k = 0; k < n; k++)
        if ((s[i + k] | 0x20) != (lit[k] | 0x20))
            return 0;
    return n;
}

/* Trims white space (and the given trailing punctuation) off [*a, *b). */
static void trim(const char *s, size_t *a, size_t *b, const char *tail)
{
    while (*a < *b && (s[*a] == ' ' || s[*a] == '\t'))
        (*a)++;
    while (*b > *a && (s[*b - 1] == ' ' || s[*b - 1] == '\t' || s[*b - 1] == '\r'
                       || strchr(tail, s[*b - 1])))
        (*b)--;
}

static size_t words_in(const char *s, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        n += s[i] != ' ' && (i == a || s[i - 1] == ' ');
    return n;
}

/* The publisher in a credit value [a, b): a leading year is skipped; of
 * "X/Y" the side with fewer words (the left one on a tie). */
static void publisher_of(const char *s, size_t a, size_t b, size_t *ps,
                         size_t *pe)
{
    const char *slash;
    trim(s, &a, &b, ".,;:)");
    while (a < b && is_digit((unsigned char)s[a]))
        a++;
    trim(s, &a, &b, ".,;:)");
    *ps = a;
    *pe = b;
    if ((slash = memchr(s + a, '/', b - a)) != NULL) {
        size_t m = (size_t)(slash - s), la = a, lb = m, ra = m + 1, rb = b;
        trim(s, &la, &lb, "");
        trim(s, &ra, &rb, "");
        if (lb > la && (rb == ra || words_in(s, la, lb) <= words_in(s, ra, rb))) {
            *ps = la;
            *pe = lb;
        } else {
            *ps = ra;
            *pe = rb;
        }
    }
}

/* End of a credit value starting at a: the first ';' or '|' or the
 * line's end, at most MAX_VALUE bytes on (backed off to a character
 * boundary). */
static size_t value_end(const char *s, size_t a, size_t le)
{
    size_t b = a;
    while (b < le && b < a + MAX_VALUE && s[b] != ';' && s[b] != '|')
        b++;
    while (b < le && b > a && ((unsigned char)s[b] & 0xC0) == 0x80)
        b--;
    return b;
}

/* "(Agency) -" after an optional place and date whose first word is in
 * capitals, at the start of the line [ls, le). */
static int dateline(out *o, const char *s, size_t ls, size_t le)
{
    size_t i = ls, p, q, a, b;
    while (i < le && i < ls + MAX_PLACE && s[i] != '(' && s[i] != '\n')
        i++;
    if (i >= le || s[i] != '(')
        return 0;
    for (p = ls; p < i && is_upper((unsigned char)s[p]); p++)
        ;
    if (p != ls && p < i && is_lower((unsigned char)s[p]))
        return 0; /* the place is not in capitals */
    for (q = i + 1; q < le && q < i + 1 + MAX_AGENCY && s[q] != ')'; q++)
        if (strchr("(\"", s[q]))
            return 0;
    if (q >= le || s[q] != ')' || !is_upper((unsigned char)s[i + 1]))
        return 0;
    a = q + 1;
    while (a < le && s[a] == ' ')
        a++;
    if (a < le && (s[a] == '-' || s[a] == ':'))
        b = a + 1;
    else if ((b = ci_at(s, le, a, "\xe2\x80\x94")) || (b = ci_at(s, le, a, "\xe2\x80\x93")))
        b += a;
    else
        return 0;
    return add(o, NG__CREDIT_DATELINE, ls, b, i + 1, q);
}

/* "© X/Y; X2/Y2" from the copyright sign at c. */
static int copyright(out *o, const char *s, size_t c, size_t le)
{
    size_t a = c + 2;
    for (int k = 0; k < 8 && a < le; k++) {
        size_t b = value_end(s, a, le), ps, pe;
        publisher_of(s, a, b, &ps, &pe);
        if (add(o, NG__CREDIT_COPYRIGHT, k ? a : c, b, ps, pe) < 0)
            return -1;
        if (b >= le || s[b] != ';')
            break;
        for (a = b + 1; a < le && s[a] == ' '; a++)
            ;
    }
    return 0;
}

static const struct prefix {
    const char *lit;
    ng__credit_kind kind;
} PREFIXES[] = {
    { "photo credit:", NG__CREDIT_PHOTO }, { "image credit:", NG__CREDIT_PHOTO },
    { "photograph:", NG__CREDIT_PHOTO }, { "photos:", NG__CREDIT_PHOTO },
    { "photo:", NG__CREDIT_PHOTO }, { "picture:", NG__CREDIT_PHOTO },
    { "image:", NG__CREDIT_PHOTO }, { "credit:", NG__CREDIT_PHOTO },
    { "image source:", NG__CREDIT_SOURCE }, { "sources:", NG__CREDIT_SOURCE },
    { "source:", NG__CREDIT_SOURCE }, { "image copyright", NG__CREDIT_COPYRIGHT },
    { "copyright", NG__CREDIT_COPYRIGHT }, { NULL, 0 }
};

/* A "Photo: X"-style credit at i (a line start or after "("); returns
 * the end of what it took, or i when there is none. */
static size_t prefixed(out *o, const char *s, size_t i, size_t le, int *err)
{
    for (const struct prefix *p = PREFIXES; p->lit; p++) {
        size_t n = ci_at(s, le, i, p->lit), b, ps, pe;
        if (!n)
            continue;
        b = value_end(s, i + n, le);
        if (s[i] == '(' || (i > 0 && s[i - 1] == '(')) {
            const char *close = memchr(s + i, ')', b - i);
            if (close)
                b = (size_t)(close - s);
        }
        publisher_of(s, i + n, b, &ps, &pe);
        if (pe > ps && add(o, p->kind, i, b, ps, pe) < 0)
            *err = 1;
        return pe > ps ? b : i;
    }
    return i;
}

/* Where byte c next is in [i, le), or le. */
static size_t next_byte(const char *s, size_t i, size_t le, int c)
{
    const char *p = i < le ? memchr(s + i, c, le - i) : NULL;
    return p ? (size_t)(p - s) : le;
}

/* "AP Photo/X" and "Getty Images" in the line from `from` on (memchr
 * finds the candidates: a line is mostly other letters). */
static int inline_credits(out *o, const char *s, size_t ls, size_t le,
                          size_t from)
{
    size_t i = from > ls ? from : ls;
    size_t na = next_byte(s, i, le, 'A'), ng = next_byte(s, i, le, 'G');
    while (na < le || ng < le) {
        size_t n;
        i = na < ng ? na : ng;
        if (i == na && (n = ci_at(s, le, i, "AP Photo/"))
            && (i == ls || s[i - 1] == ' ' || s[i - 1] == '(')) {
            size_t b = value_end(s, i, le);
            const char *close = memchr(s + i, ')', b - i);
            if (add(o, NG__CREDIT_PHOTO, i, close ? (size_t)(close - s) : b,
                    i, i + 2) < 0)
                return -1;
            i += n - 1;
        } else if (i == ng && (n = ci_at(s, le, i, "Getty Images"))) {
            if (add(o, NG__CREDIT_PHOTO, i, i + n, i, i + n) < 0)
                return -1;
            i += n - 1;
        }
        if (na <= i)
            na = next_byte(s, i + 1, le, 'A');
        if (ng <= i)
            ng = next_byte(s, i + 1, le, 'G');
    }
    return 0;
}

/* All credits of the line [ls, le). */
static int line_credits(out *o, const char *s, size_t ls, size_t le)
{
    size_t done = ls;
    int err = 0;
    while (ls < le && (s[ls] == ' ' || s[ls] == '\t'))
        ls++;
    if (ls >= le)
        return 0;
    if (dateline(o, s, ls, le) < 0)
        return -1;
    done = prefixed(o, s, ls, le, &err);
    /* The candidates, © (C2 A9) and '(', in text order. */
    size_t nc = next_byte(s, ls, le, 0xC2), np = next_byte(s, ls, le, '(');
    while ((nc < le || np < le) && !err) {
        size_t i = nc < np ? nc : np;
        if (i == nc && i + 1 < le && (unsigned char)s[i + 1] == 0xA9) {
            size_t before = o->n;
            if (copyright(o, s, i, le) < 0)
                return -1;
            if (o->n > before)
                done = o->v[o->n - 1].end;
        } else if (i == np && i + 1 < le && i >= done) {
            size_t e = prefixed(o, s, i + 1, le, &err);
            done = e > i + 1 ? e : done;
        }
        if (nc == i)
            nc = next_byte(s, i + 1, le, 0xC2);
        if (np == i)
            np = next_byte(s, i + 1, le, '(');
    }
    if (err)
        return -1;
    return inline_credits(o, s, ls, le, done);
}

int ng__credits_find(const char *s, size_t len, ng__credit **v, size_t *n)
{
    out o = { NULL, 0, 0 };
    size_t ls = 0;
    *v = NULL;
    *n = 0;
    while (ls < len) {
        const char *nl = memchr(s + ls, '\n', len - ls);
        size_t le = nl ? (size_t)(nl - s) : len;
        if (line_credits(&o, s, ls, le) < 0) {
            free(o.v);
            return -1;
        }
        ls = le + 1;
    }
    *v = o.v;
    *n = o.n;
    return 0;
}
