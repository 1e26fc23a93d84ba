/*
 * regex_lit.c -- the literal prefilter of regex_lit.h: which literals a
 * pattern cannot match without, and a Wu-Manber scan for them.
 *
 * Shape handled (anything else gets no prefilter): an optional \b, then
 * either one group "(...)" or "(?:...)" followed by an optional \b and
 * the end, or the bare alternation; each alternative a sequence of plain
 * characters (ASCII letters, digits, space, apostrophe, hyphen), each
 * possibly quantified by ?, * or +, and of the escapes \s \S \w \W \d \D
 * \b \B, possibly quantified the same way.  An alternative's literal is
 * its longest run of unquantified plain characters in a row (a "+" keeps
 * its character and ends the run).
 *
 * Case: the patterns run with UTF and UCP, so a caseless ASCII letter
 * also matches non-ASCII characters: "k" matches U+212A (Kelvin sign) and
 * "s" U+017F (long s), and no other ASCII letter matches anything outside
 * ASCII (checked against every code point with PCRE2 10.42).  A caseless
 * literal therefore never contains "s" or "k": they end a run, so the
 * literal's bytes are ASCII and compare with the subject after A-Z are
 * lowered.  The scan reads the subject's bytes; a literal of ASCII bytes
 * cannot match inside a multi-byte character, whose bytes are all >= 0x80.
 */
#include <stdlib.h>
#include <string.h>

#include "regex_lit.h"

#define MIN_LIT 4          /* shorter literals would skip too little */
#define MAX_LIT 64         /* a literal's prefix is still required */
#define MAX_LITS 32
#define HASH_BITS 12

struct ng__relit {
    unsigned char shift[1u << HASH_BITS]; /* by hash of a byte pair */
    unsigned char fold[256];  /* identity, or A-Z lowered when caseless */
    size_t m;                 /* the shortest literal's length */
    size_t n;
    size_t len[MAX_LITS];
    unsigned char lit[MAX_LITS][MAX_LIT];
};

/* The literal being read and the best so far of one alternative. */
typedef struct run {
    unsigned char cur[MAX_LIT], best[MAX_LIT];
    size_t ncur, nbest;
} run;

static unsigned pair_hash(unsigned a, unsigned b)
{
    return ((a << 5) ^ b) & ((1u << HASH_BITS) - 1);
}

static void run_close(run *r)
{
    if (r->ncur > r->nbest) {
        memcpy(r->best, r->cur, r->ncur);
        r->nbest = r->ncur;
    }
    r->ncur = 0;
}

static void run_add(run *r, unsigned char c)
{
    if (r->ncur < MAX_LIT)
        r->cur[r->ncur++] = c;
}

static int plain(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9') || c == ' ' || c == '\'' || c == '-';
}

/* Skips a quantifier at p[*i] (?, *, + and a lazy or possessive mark).
 * Returns 0 none, '?' or '*' for one that allows no repeat, '+', or -1
 * for a counted one ({...}), which is not handled. */
static int quantifier(const char *p, size_t plen, size_t *i)
{
    if (*i >= plen)
        return 0;
    char q = p[*i];
    if (q == '{')
        return -1;
    if (q != '?' && q != '*' && q != '+')
        return 0;
    (*i)++;
    if (*i < plen && (p[*i] == '?' || p[*i] == '+'))
        (*i)++;
    return q;
}

/* Reads one item of an alternative at p[*i] into r.  Returns 0, or -1
 * for something the prefilter does not handle. */
static int read_item(const char *p, size_t plen, size_t *i, run *r,
                     int caseless)
{
    unsigned char c = (unsigned char)p[*i];

    if (c == '\\') {
        if (*i + 1 >= plen || !strchr("sSwWdDbB", p[*i + 1]))
            return -1;
        *i += 2;
        run_close(r);
        return quantifier(p, plen, i) < 0 ? -1 : 0;
    }
    if (!plain(c))
        return -1;
    (*i)++;
    int q = quantifier(p, plen, i);
    if (q < 0)
        return -1;
    if (caseless && c >= 'A' && c <= 'Z')
        c = (unsigned char)(c + 32);
    if (q == '?' || q == '*' || (caseless && (c == 's' || c == 'k'))) {
        run_close(r);
        return 0;
    }
    run_add(r, c);
    if (q == '+')
        run_close(r);
    return 0;
}

/* Reads the alternation from p[*i] up to ')' (grouped) or the end, one
 * literal per alternative into f.  Returns 0 or -1. */
static int read_alternatives(ng__relit *f, const char *p, size_t plen,
                             size_t *i, int grouped, int caseless)
{
    for (;;) {
        run r = { .ncur = 0, .nbest = 0 };
        while (*i < plen && p[*i] != '|' && p[*i] != ')')
            if (read_item(p, plen, i, &r, caseless) < 0)
                return -1;
        run_close(&r);
        if (r.nbest < MIN_LIT || f->n == MAX_LITS)
            return -1;
        memcpy(f->lit[f->n], r.best, r.nbest);
        f->len[f->n++] = r.nbest;
        if (*i >= plen)
            return grouped ? -1 : 0;
        if (p[*i] == ')') {
            if (!grouped)
                return -1;
            (*i)++;
            return 0;
        }
        (*i)++;   /* '|' */
    }
}

static int starts(const char *p, size_t plen, size_t i, const char *s)
{
    size_t n = strlen(s);
    return plen - i >= n && memcmp(p + i, s, n) == 0;
}

/* Fills f's literals from the pattern.  Returns 0 or -1. */
static int parse(ng__relit *f, const char *p, size_t plen, int caseless)
{
    size_t i = 0;
    int grouped = 0;

    if (starts(p, plen, i, "\\b"))
        i += 2;
    if (starts(p, plen, i, "(?:"))
        i += 3, grouped = 1;
    else if (starts(p, plen, i, "(") && !starts(p, plen, i, "(?"))
        i += 1, grouped = 1;
    if (read_alternatives(f, p, plen, &i, grouped, caseless) < 0)
        return -1;
    if (grouped && starts(p, plen, i, "\\b"))
        i += 2;
    return i == plen ? 0 : -1;
}

/* The shift table of Wu-Manber with blocks of two bytes. */
static void make_shifts(ng__relit *f)
{
    f->m = MAX_LIT;
    for (size_t k = 0; k < f->n; k++)
        if (f->len[k] < f->m)
            f->m = f->len[k];
    memset(f->shift, (int)(f->m - 1), sizeof f->shift);
    for (size_t k = 0; k < f->n; k++)
        for (size_t j = 1; j < f->m; j++) {
            unsigned h = pair_hash(f->lit[k][j - 1], f->lit[k][j]);
            if (f->shift[h] > f->m - 1 - j)
                f->shift[h] = (unsigned char)(f->m - 1 - j);
        }
}

ng__relit *ng__relit_new(const char *pattern, size_t plen, int caseless)
{
    ng__relit *f = calloc(1, sizeof *f);

    if (!f)
        return NULL;
    if (parse(f, pattern, plen, caseless) < 0) {
        free(f);
        return NULL;
    }
    for (unsigned c = 0; c < 256; c++)
        f->fold[c] = (unsigned char)(caseless && c >= 'A' && c <= 'Z'
                                     ? c + 32 : c);
    make_shifts(f);
    return f;
}

void ng__relit_free(ng__relit *f)
{
    free(f);
}

size_t ng__relit_bytes(const ng__relit *f)
{
    return f ? sizeof *f : 0;
}

/* 1 when one of the literals starts at u[at]. */
static int found_at(const ng__relit *f, const unsigned char *u, size_t len,
                    size_t at)
{
    for (size_t k = 0; k < f->n; k++) {
        size_t n = f->len[k], j = 0;
        if (len - at < n)
            continue;
        while (j < n && f->fold[u[at + j]] == f->lit[k][j])
            j++;
        if (j == n)
            return 1;
    }
    return 0;
}

int ng__relit_may_match(const ng__relit *f, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t pos = f->m - 1;

    while (pos < len) {
        unsigned sh = f->shift[pair_hash(f->fold[u[pos - 1]],
                                         f->fold[u[pos]])];
        if (sh) {
            pos += sh;
            continue;
        }
        if (found_at(f, u, len, pos + 1 - f->m))
            return 1;
        pos++;
    }
    return 0;
}
