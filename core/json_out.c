/*
 * json_out.c -- JSON text into a growing buffer, byte for byte what
 * jansson's json_dumps(JSON_COMPACT) writes for the same values (see
 * json_out.h), and the one JSON string escaper: the stored item's, the
 * verdict's (which also validates UTF-8 and escapes the hidden code
 * points) and the pass over jansson's text that escapes those code points
 * (ng__json_hide).  The buffer grows through ng__grow; the escapes follow
 * jansson's dump_string without JSON_ENSURE_ASCII or JSON_ESCAPE_SLASH.
 *
 * Runs of bytes that need nothing are found eight at a time and copied
 * whole: a verdict or an item costs a few instructions per byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "json_out.h"
#include "term.h"

/* How a run of plain bytes ends (internal modes of escape_into). */
enum {
    STOP_ASCII = 1,     /* at ASCII controls, '"' and '\\' (a string) */
    STOP_HIGH = 2       /* at bytes past ASCII (to decode them) */
};

/* reserve() when the buffer must grow (or has failed). */
static int reserve_slow(ng__jbuf *b, size_t n)
{
    if (b->failed || n > SIZE_MAX - 1
        || ng__grow_slow(&b->p, &b->cap, b->n, n + 1, 1, 1024) < 0) {
        b->failed = 1;
        return -1;
    }
    return 0;
}

/* Room for n more bytes and a NUL; 0, or -1 (b->failed set).  The
 * common case (room enough) inline: every piece of a verdict asks. */
static inline int reserve(ng__jbuf *b, size_t n)
{
    if (!b->failed && b->cap - b->n > n)
        return 0;
    return reserve_slow(b, n);
}

void ng__jbuf_put(ng__jbuf *b, const char *s, size_t n)
{
    if (reserve(b, n) < 0)
        return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

/* 1 when byte c goes out as it is under `stop`. */
static inline int plain(unsigned char c, unsigned stop)
{
    if (c >= 0x80)
        return !(stop & STOP_HIGH);
    return !(stop & STOP_ASCII) || (c >= 0x20 && c != '"' && c != '\\');
}

/* 1 when one of the eight bytes at s may stop a run under `stop` (a
 * borrow may flag a plain byte after a flagged one: plain() settles). */
static inline int may_stop8(const unsigned char *s, unsigned stop)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t x, q, bs, hit = 0;

    memcpy(&x, s, 8);
    if (stop & STOP_ASCII) {
        q = x ^ (ones * '"');
        bs = x ^ (ones * '\\');
        hit = ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((bs - ones) & ~bs);
    }
    if (stop & STOP_HIGH)
        hit |= x;
    return (hit & high) != 0;
}

/* The end of the run of plain bytes at s[i..len). */
static inline __attribute__((always_inline))
size_t plain_run(const unsigned char *s, size_t i, size_t len,
                        unsigned stop)
{
    for (;;) {
        size_t end;
        while (len - i >= 8 && !may_stop8(s + i, stop))
            i += 8;
        end = len - i >= 8 ? i + 8 : len;
        while (i < end && plain(s[i], stop))
            i++;
        if (i < end || i == len)
            return i;
    }
}

/* Writes cp (at most U+FFFF) as JSON's \uXXXX, upper-case hex, at d
 * (room for 6 bytes); returns the end. */
static char *u_escape(char *d, unsigned cp)
{
    static const char hex[] = "0123456789ABCDEF";

    d[0] = '\\', d[1] = 'u';
    for (int h = 0; h < 4; h++)
        d[2 + h] = hex[(cp >> (12 - 4 * h)) & 0xF];
    return d + 6;
}

/* Writes the escape of ASCII control or quote c, or of hidden code
 * point cp, at d (room for 6 bytes); returns the end. */
static char *escape(char *d, unsigned cp)
{
    const char *two = NULL;

    switch (cp) {
    case '"': two = "\\\""; break;
    case '\\': two = "\\\\"; break;
    case '\b': two = "\\b"; break;
    case '\f': two = "\\f"; break;
    case '\n': two = "\\n"; break;
    case '\r': two = "\\r"; break;
    case '\t': two = "\\t"; break;
    }
    if (two == NULL)
        return u_escape(d, cp);
    memcpy(d, two, 2);
    return d + 2;
}

/* Appends u[0..len) escaped under `stop` and `flags` (NG__JSON_*), room
 * for len + 1 more bytes already reserved.  Returns 0, or -1 when
 * NG__JSON_STRICT refuses a byte that is not UTF-8 (b->n then past what
 * was written: the caller takes it back).  Out of memory: 0, b->failed. */
static inline __attribute__((always_inline))
int escape_into(ng__jbuf *b, const unsigned char *u, size_t len,
                unsigned stop, int flags)
{
    size_t i = 0;

    while (i < len) {
        size_t run = plain_run(u, i, len, stop), k = 1;
        unsigned cp;
        memcpy(b->p + b->n, u + i, run - i);
        b->n += run - i;
        if ((i = run) == len)
            break;
        if (u[i] < 0x80)
            cp = u[i];
        else if ((k = ng__utf8_decode(u + i, len - i, &cp)) == 0) {
            if (flags & NG__JSON_STRICT)
                return -1;
            k = 1;
            cp = 0;     /* not UTF-8: copied as it is */
        }
        if (u[i] < 0x80 || ((flags & NG__JSON_HIDDEN) && ng__term_hidden(cp))) {
            /* Escapes at most triple a character: room for this one and
             * the rest plain, plus the closing quote. */
            if (reserve(b, 6 + (len - i) + 1) < 0)
                return 0;
            b->n = (size_t)(escape(b->p + b->n, cp) - b->p);
        } else {
            memcpy(b->p + b->n, u + i, k);
            b->n += k;
        }
        i += k;
    }
    return 0;
}

int ng__jbuf_strn(ng__jbuf *b, const char *s, size_t len, int flags)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t at = b->n;
    int rc;

    /* Room for the plain case now, more only when an escape is met. */
    if (len > SIZE_MAX - 2 || reserve(b, len + 2) < 0) {
        b->failed = 1;
        return 0;
    }
    b->p[b->n++] = '"';
    /* The verdict's and the item's flags as constants, so that each gets
     * a loop of its own without tests of the flags per byte. */
    if (flags == (NG__JSON_HIDDEN | NG__JSON_STRICT))
        rc = escape_into(b, u, len, STOP_ASCII | STOP_HIGH, flags);
    else if (flags == 0)
        rc = escape_into(b, u, len, STOP_ASCII, 0);
    else
        rc = escape_into(b, u, len, STOP_ASCII | STOP_HIGH, flags);
    if (rc < 0) {
        b->n = at;
        b->p[at] = '\0';
        return -1;
    }
    if (b->failed)
        return 0;
    b->p[b->n++] = '"';
    b->p[b->n] = '\0';
    return 0;
}

void ng__jbuf_str(ng__jbuf *b, const char *s)
{
    ng__jbuf_strn(b, s, strlen(s), 0);
}

char *ng__json_hide(char *json)
{
    ng__jbuf b = { NULL, 0, 0, 0 };
    size_t len;

    if (json == NULL)
        return NULL;
    len = strlen(json);
    /* The hidden code points all start with one of these bytes. */
    if (!memchr(json, 0xC2, len) && !memchr(json, 0xD8, len)
        && !memchr(json, 0xE2, len))
        return json;
    if (reserve(&b, len) == 0)
        escape_into(&b, (const unsigned char *)json, len, STOP_HIGH,
                    NG__JSON_HIDDEN);
    free(json);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    b.p[b.n] = '\0';
    return b.p;
}
