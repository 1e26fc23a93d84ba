/*
 * text.c -- Unicode text helpers: UTF-8 validation, NFKC normalization with
 * white-space collapsing, case folding, word splitting and URL finding.
 *
 * This is the only file that includes utf8proc.h.  Every function here runs
 * on every item, so each is one pass over the bytes with an ASCII fast
 * path: pure ASCII runs are copied (or lower-cased) directly and only the
 * stretches holding non-ASCII characters go through utf8proc_map.  That is
 * sound because an ASCII character followed by another ASCII character
 * never composes with, nor reorders against, anything around it, so such a
 * pair is a safe place to cut the text into independently normalized
 * segments.
 */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <utf8proc.h>

#include "grow.h"
#include "text.h"

/* A growable byte buffer. */
typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static int buf_reserve(buf *b, size_t extra)
{
    if (extra == SIZE_MAX)
        return -1;
    return ng__grow(&b->p, &b->cap, b->n, extra + 1, 1, 64);
}

static int buf_add(buf *b, const char *s, size_t len)
{
    if (buf_reserve(b, len) < 0)
        return -1;
    memcpy(b->p + b->n, s, len);
    b->n += len;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Validation                                                          */
/* ------------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s[0..left), or 0 when invalid
 * (overlong forms, surrogates and code points above U+10FFFF refused). */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
    unsigned c = s[0];
    if (c >= 0xC2 && c <= 0xDF)
        return left >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0)
            return 0; /* surrogate */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80
            || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0; /* overlong */
        if (c == 0xF4 && s[1] >= 0x90)
            return 0; /* above U+10FFFF */
        return 4;
    }
    return 0;
}

int ng__utf8_valid(const char *s, size_t len, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        /* Eight ASCII bytes at a time: no high bit and no zero byte. */
        while (len - i >= 8) {
            uint64_t v;
            memcpy(&v, u + i, 8);
            if ((v & 0x8080808080808080u)
                || ((v - 0x0101010101010101u) & ~v & 0x8080808080808080u))
                break;
            i += 8;
        }
        if (i == len)
            break;
        if (u[i] >= 0x01 && u[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = u[i] ? utf8_seq(u + i, len - i) : 0;
        if (n == 0) {
            if (bad)
                *bad = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* Normalization and folding                                           */
/* ------------------------------------------------------------------ */

/* End of the non-ASCII stretch that starts at `i`: the first ASCII byte
 * followed by another ASCII byte (or by the end of the text). */
static size_t segment_end(const unsigned char *s, size_t len, size_t i)
{
    while (i < len) {
        if (s[i] < 0x80 && (i + 1 == len || s[i + 1] < 0x80))
            return i;
        i++;
    }
    return len;
}

/* A-Z lowered in eight ASCII bytes at once: a byte's high bit, free in
 * ASCII, marks ">= 'A'" after adding 0x80 - 'A' and "> 'Z'" after adding
 * 0x80 - 'Z' - 1, with no carry into the next byte. */
static uint64_t lower8(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t ge_a = v + ones * (0x80 - 'A');
    uint64_t gt_z = v + ones * (0x80 - 'Z' - 1);

    return v | ((ge_a & ~gt_z & high) >> 2);
}

/* Copies the ASCII run at u[i..len) to o, lowering A-Z when `lower` is
 * set; returns the index of the first non-ASCII byte (or len).  Eight
 * bytes at a time while they are all ASCII. */
static size_t copy_ascii(const unsigned char *u, size_t len, size_t i,
                         int lower, char *o)
{
    while (len - i >= 8) {
        uint64_t v;
        memcpy(&v, u + i, 8);
        if (v & 0x8080808080808080u)
            break;
        if (lower)
            v = lower8(v);
        memcpy(o, &v, 8);
        o += 8;
        i += 8;
    }
    for (; i < len && u[i] < 0x80; i++)
        *o++ = (char)(lower && (unsigned)(u[i] - 'A') < 26u ? u[i] + 32 : u[i]);
    return i;
}

/* Maps s through utf8proc with `opts`, appending to `out`.  ASCII is
 * copied as is, or lower-cased when `lower` is set.  Returns 0 or -1. */
static int map_text(const char *s, size_t len, int opts, int lower, buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    if (buf_reserve(out, len) < 0)
        return -1;
    while (i < len) {
        if (u[i] < 0x80) {
            /* Room is kept for the rest of the input, see below. */
            size_t j = copy_ascii(u, len, i, lower, out->p + out->n);
            out->n += j - i;
            i = j;
            continue;
        }
        /* Include the ASCII character before: it may compose with the
         * combining marks that follow it. */
        size_t start = i;
        if (i > 0 && u[i - 1] < 0x80) {
            start = i - 1;
            out->n--;
        }
        size_t end = segment_end(u, len, i);
        utf8proc_uint8_t *dst = NULL;
        utf8proc_ssize_t n = utf8proc_map(u + start,
                                          (utf8proc_ssize_t)(end - start),
                                          &dst, (utf8proc_option_t)opts);
        if (n < 0)
            return -1;
        int rc = buf_add(out, (const char *)dst, (size_t)n);
        free(dst);
        if (rc < 0 || buf_reserve(out, len - end) < 0)
            return -1;
        i = end;
    }
    out->p[out->n] = '\0';
    return 0;
}

/* Kind of white space at s[i]: 0 none, 1 space, 2 line break, 3 paragraph
 * break; its byte length in *n. */
static int space_kind(const unsigned char *s, size_t len, size_t i, size_t *n)
{
    *n = 1;
    switch (s[i]) {
    case ' ': case '\t': case '\v': case '\f':
        return 1;
    case '\n':
        return 2;
    case '\r':
        if (i + 1 < len && s[i + 1] == '\n')
            *n = 2;
        return 2;
    case 0xC2: /* U+0085 NEXT LINE */
        if (i + 1 < len && s[i + 1] == 0x85) {
            *n = 2;
            return 2;
        }
        return 0;
    case 0xE2: /* U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR */
        if (i + 2 < len && s[i + 1] == 0x80
            && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
            *n = 3;
            return s[i + 2] == 0xA8 ? 2 : 3;
        }
        return 0;
    default:
        return 0;
    }
}

/* 1 for the bytes that may start white space: ASCII space characters,
 * and the lead bytes of U+0085 (0xC2) and U+2028/U+2029 (0xE2). */
static int may_space(unsigned char c)
{
    return c <= ' ' ? (c == ' ' || (c >= '\t' && c <= '\r'))
        : (c == 0xC2 || c == 0xE2);
}

/* From u[j], skips eight bytes at a time while they are ASCII, hold no
 * control byte, and have only single spaces each followed by a byte
 * that is no white space: bytes collapse_space copies as they are.
 * Returns where it stopped (byte by byte takes over).  The zero-byte
 * test may flag a byte above a flagged one too; that only stops the
 * skip early. */
static size_t plain_run(const unsigned char *u, size_t len, size_t j)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;

    while (len - j >= 9) {
        uint64_t v, x;
        memcpy(&v, u + j, 8);
        x = v ^ (ones * ' ');
        uint64_t ctl = (v - ones * ' ') & ~v & high;      /* < 0x20 */
        uint64_t sp = (x - ones) & ~x & high;             /* == ' ' */
        if ((v & high) || ctl || (sp & (sp << 8))
            || ((sp >> 63) && may_space(u[j + 8])))
            break;
        j += 8;
    }
    return j;
}

/* Collapses white space of s into out (see ng__text_normalize).  Runs of
 * ordinary bytes are copied whole. */
static int collapse_space(const char *s, size_t len, buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    if (buf_reserve(out, len) < 0)
        return -1;
    while (i < len) {
        size_t j = out->n > 0 ? plain_run(u, len, i) : i, n;
        /* Ordinary bytes, and single spaces between them, are copied as
         * they are (a space needs text before it: the start is trimmed). */
        while (j < len && (!may_space(u[j])
                           || (u[j] == ' ' && j + 1 < len
                               && !may_space(u[j + 1])
                               && (j > i || out->n > 0))))
            j++;
        if (j > i) {
            memcpy(out->p + out->n, s + i, j - i);
            out->n += j - i;
            i = j;
            continue;
        }
        int k = space_kind(u, len, i, &n);
        if (!k) {
            out->p[out->n++] = s[i++];
            continue;
        }
        int lines = 0;
        while (i < len && (k = space_kind(u, len, i, &n)) != 0) {
            lines += k == 3 ? 2 : k == 2 ? 1 : 0;
            i += n;
        }
        if (out->n == 0 || i == len)
            continue; /* trim both ends */
        if (lines >= 2) {
            out->p[out->n++] = '\n';
            out->p[out->n++] = '\n';
        } else {
            out->p[out->n++] = ' ';
        }
    }
    out->p[out->n] = '\0';
    return 0;
}

char *ng__text_normalize(const char *s, size_t len, size_t *outlen)
{
    buf nf = {0}, out = {0};
    if (!ng__utf8_valid(s, len, NULL))
        return NULL;
    if (map_text(s, len, UTF8PROC_STABLE | UTF8PROC_COMPAT
                 | UTF8PROC_COMPOSE, 0, &nf) < 0
        || collapse_space(nf.p, nf.n, &out) < 0) {
        free(nf.p);
        free(out.p);
        return NULL;
    }
    free(nf.p);
    if (outlen)
        *outlen = out.n;
    return out.p;
}

char *ng__text_fold(const char *s, size_t len, size_t *outlen)
{
    buf out = {0};
    if (map_text(s, len, UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE
                 | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE, 1, &out) < 0) {
        free(out.p);
        return NULL;
    }
    if (!out.p && buf_reserve(&out, 0) < 0)
        return NULL;
    out.p[out.n] = '\0';
    if (outlen)
        *outlen = out.n;
    return out.p;
}

/* ------------------------------------------------------------------ */
/* Words                                                               */
/* ------------------------------------------------------------------ */

/* Decodes the code point at s[i]; returns its byte length (1 for a bad
 * byte, which then reads as U+FFFD). */
static size_t decode(const char *s, size_t len, size_t i, int32_t *cp)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    utf8proc_int32_t v;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &v);
    if (n <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return (size_t)n;
}

/* 1 when cp is a letter, mark or number. */
static int is_word_cp(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')
            || (cp >= '0' && cp <= '9');
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

static inline int push_word(ng__word **v, size_t *n, size_t *cap, size_t off,
                     size_t len)
{
    if (ng__grow(v, cap, *n, 1, sizeof **v, 64) < 0)
        return -1;
    (*v)[*n].off = (uint32_t)off;
    (*v)[*n].len = (uint32_t)len;
    (*n)++;
    return 0;
}

/* Class of the character at s[i] for word splitting: 1 word, 2 joiner
 * (' ’ -), 0 other; its byte length in *k.  ASCII goes by a table. */
/* Word classes of ASCII bytes: 0-9 A-Z a-z are word bytes, ' and -
 * joiners. */
/* Indexed by any byte: the bytes from 0x80 are 0 here, so the ASCII
 * fast paths (a run of word bytes, a URL's neighbours) need one look-up
 * per byte and no separate test for non-ASCII. */
static const unsigned char ascii_class[256] = {
    ['\''] = 2, ['-'] = 2,
    ['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['A'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1,
    ['a'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1,
};

static int word_class(const char *s, size_t len, size_t i, size_t *k)
{
    unsigned char c = (unsigned char)s[i];
    int32_t cp;
    if (c < 0x80) {
        *k = 1;
        return ascii_class[c];
    }
    *k = decode(s, len, i, &cp);
    return cp == 0x2019 ? 2 : is_word_cp(cp);
}

/* Where the words found go: kept (ng__text_words) or only counted. */
typedef struct splitter {
    ng__word *v;
    size_t cnt, cap;
    int keep;
} splitter;

static inline int emit(splitter *sp, size_t off, size_t len)
{
    if (!sp->keep) {
        sp->cnt++;
        return 0;
    }
    return push_word(&sp->v, &sp->cnt, &sp->cap, off, len);
}

/* The word splitting of ng__text_words.  Returns 0, or -1 on no memory. */
static int split_words(const char *s, size_t len, splitter *sp)
{
    size_t i = 0, start = 0, k, k2;
    int inword = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        /* ASCII first, by the table alone: a word byte, or a separator
         * (neither a word byte nor a joiner) ending a word. */
        if (ascii_class[c] == 1) {
            if (!inword)
                start = i;
            inword = 1;
            while (++i < len && ascii_class[(unsigned char)s[i]] == 1)
                ;
            continue;
        }
        if (c < 0x80 && ascii_class[c] == 0) {
            if (inword && emit(sp, start, i - start) < 0)
                return -1;
            inword = 0;
            i++;
            continue;
        }
        int cls = word_class(s, len, i, &k);
        if (cls == 1) {
            if (!inword)
                start = i;
            inword = 1;
            i += k;
            /* Fast path: the rest of an ASCII run of word bytes. */
            while (i < len && ascii_class[(unsigned char)s[i]] == 1)
                i++;
            continue;
        }
        /* A joiner stays inside a word when a word character follows. */
        if (inword && cls == 2 && i + k < len
            && word_class(s, len, i + k, &k2) == 1) {
            i += k;
            continue;
        }
        if (inword && emit(sp, start, i - start) < 0)
            return -1;
        inword = 0;
        i += k;
    }
    return inword ? emit(sp, start, i - start) : 0;
}

int ng__text_words(const char *s, size_t len, ng__word **out, size_t *n)
{
    splitter sp = { NULL, 0, 0, 1 };

    *out = NULL;
    *n = 0;
    /* Success always gives a pointer, even for no words. */
    if (split_words(s, len, &sp) < 0
        || (!sp.v && !(sp.v = malloc(sizeof *sp.v)))) {
        free(sp.v);
        return -1;
    }
    *out = sp.v;
    *n = sp.cnt;
    return 0;
}

size_t ng__text_word_count(const char *s, size_t len)
{
    splitter sp = { NULL, 0, 0, 0 };

    split_words(s, len, &sp);   /* counting allocates nothing */
    return sp.cnt;
}

/* ------------------------------------------------------------------ */
/* URLs in text                                                        */
/* ------------------------------------------------------------------ */

/* c: a byte value (0..255). */
static int ascii_alnum(int c)
{
    return ascii_class[c] == 1;
}

static int prefix_ci(const char *s, size_t len, size_t i, const char *p)
{
    size_t n = strlen(p);
    if (len - i < n)
        return 0;
    for (size_t k = 0; k < n; k++) {
        char c = s[i + k];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != p[k])
            return 0;
    }
    return 1;
}

/* 1 when the code point can be part of a URL found in prose. */
static int url_cp(int32_t cp)
{
    if (cp < 0x80)
        return cp > 0x20 && cp < 0x7F && !strchr("<>\"`{}|\\^", (int)cp);
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND:
        return 1;
    default:
        return 0;
    }
}

/* Length of the URL prefix at s[i] ("http://", "https://", "www."), or 0
 * when there is none or it is glued to the word before. */
static size_t url_prefix(const char *s, size_t len, size_t i)
{
    int prev = i > 0 ? (unsigned char)s[i - 1] : ' ';
    if (ascii_alnum(prev) || prev == '_')
        return 0;
    if (prefix_ci(s, len, i, "http://"))
        return 7;
    if (prefix_ci(s, len, i, "https://"))
        return 8;
    if (prev != '.' && prev != '/' && prev != '@' && prev != '-'
        && prefix_ci(s, len, i, "www."))
        return 4;
    return 0;
}

/* Drops trailing punctuation from the URL s[start..end), keeping a ')'
 * that closes a '(' inside the URL. */
static size_t trim_url(const char *s, size_t start, size_t end)
{
    while (end > start) {
        char c = s[end - 1];
        if (c == ')') {
            int open = 0;
            for (size_t k = start; k < end; k++)
                open += s[k] == '(' ? 1 : s[k] == ')' ? -1 : 0;
            if (open >= 0)
                break;
        } else if (!strchr(".,;:!?'\"]}*", c)) {
            break;
        }
        end--;
    }
    return end;
}

/* The next `c` in s[from..len), or NULL. */
static const char *next_byte(const char *s, size_t len, const char *from,
                             char c)
{
    return memchr(from, c, len - (size_t)(from - s));
}

/* 1 when s[0..len) holds "://" or "www." in any case: every URL the
 * scan below finds starts with one of them.  Most texts have neither,
 * and two memchr passes (over the colons, then the dots) cost far less
 * than the scan. */
static int may_have_url(const char *s, size_t len)
{
    for (const char *d = next_byte(s, len, s, ':'); d;
         d = next_byte(s, len, d + 1, ':'))
        if (len - (size_t)(d - s) >= 3 && d[1] == '/' && d[2] == '/')
            return 1;
    for (const char *d = next_byte(s, len, s, '.'); d;
         d = next_byte(s, len, d + 1, '.'))
        if (d - s >= 3 && (d[-1] | 0x20) == 'w' && (d[-2] | 0x20) == 'w'
            && (d[-3] | 0x20) == 'w')
            return 1;
    return 0;
}

int ng__text_find_urls(const char *s, size_t len, ng__strlist *out)
{
    size_t i = 0;
    if (!may_have_url(s, len))
        return 0;
    while (i < len) {
        int c = (unsigned char)s[i] | 0x20;
        size_t p = (c == 'h' || c == 'w') ? url_prefix(s, len, i) : 0;
        if (!p) {
            /* No URL starts inside a run of ASCII letters and digits
             * (url_prefix wants none before it): skip the rest of it. */
            if (ascii_alnum((unsigned char)s[i]))
                while (i + 1 < len && ascii_alnum((unsigned char)s[i + 1]))
                    i++;
            i++;
            continue;
        }
        size_t end = i + p;
        while (end < len) {
            int32_t cp;
            size_t k = decode(s, len, end, &cp);
            if (!url_cp(cp))
                break;
            end += k;
        }
        end = trim_url(s, i + p, end);
        /* A host must follow (a letter or digit, ASCII or not: IDN
         * hosts are hosts), and "www." needs a dot after it. */
        int32_t first = 0;
        if (end > i + p)
            decode(s, len, i + p, &first);
        if (end > i + p && (ascii_alnum((unsigned char)s[i + p])
                            || (first >= 0x80 && url_cp(first)))
            && (p != 4 || memchr(s + i + p, '.', end - i - p))) {
            if (ng__strlist_push(out, s + i, end - i) < 0)
                return -1;
            i = end;
        } else {
            i += p;
        }
    }
    return 0;
}
