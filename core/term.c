/*
 * term.c -- escaping text for a terminal (see term.h).  One pass over the
 * input decodes UTF-8 strictly (no overlongs, no surrogates, nothing past
 * U+10FFFF) and writes each code point either as it is or as a visible
 * escape.  It works like snprintf, so callers can measure first and then
 * fill, or fill a buffer they already have.  The decoder and the list of
 * hidden code points are shared with the JSON escaper (json_out.c),
 * which escapes the same code points as \uNNNN.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsgate.h"
#include "term.h"

typedef struct out {
    char *dst;
    size_t cap, n;
} out;

static void emit(out *o, const char *s, size_t n)
{
    if (o->n < o->cap) {
        size_t room = o->cap - o->n;
        memcpy(o->dst + o->n, s, n < room ? n : room);
    }
    o->n += n;
}

static void emit_fmt(out *o, const char *fmt, unsigned v)
{
    char tmp[16];
    int n = snprintf(tmp, sizeof tmp, fmt, v);
    emit(o, tmp, (size_t)n);
}

size_t ng__utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0], need, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        need = 1, min = 0x80, c &= 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 2, min = 0x800, c &= 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 3, min = 0x10000, c &= 0x07;
    else
        return 0;
    if (n < need + 1)
        return 0;
    for (unsigned i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return need + 1;
}

static void ascii(out *o, unsigned char c, int flags)
{
    if (c == '\n')
        emit(o, (flags & NG_ESCAPE_KEEP_NEWLINES) ? "\n" : "\\n",
             (flags & NG_ESCAPE_KEEP_NEWLINES) ? 1 : 2);
    else if (c == '\r')
        emit(o, "\\r", 2);
    else if (c == '\t')
        emit(o, "\\t", 2);
    else if (c == '\\')
        emit(o, "\\\\", (flags & NG_ESCAPE_KEEP_BACKSLASH) ? 1 : 2);
    else if (c < 0x20 || c == 0x7F)
        emit_fmt(o, "\\x%02x", c);
    else
        emit(o, (const char *)&c, 1);
}

size_t ng__term_escape(char *dst, size_t cap, const char *s, size_t len,
                       int flags)
{
    const unsigned char *p = (const unsigned char *)s;
    out o = { dst, cap ? cap - 1 : 0, 0 };
    size_t i = 0, k;
    unsigned cp;

    while (i < len) {
        if (p[i] >= 0x20 && p[i] < 0x7F && p[i] != '\\') {
            size_t run = i + 1;     /* printable ASCII: copied as a run */
            while (run < len && p[run] >= 0x20 && p[run] < 0x7F
                   && p[run] != '\\')
                run++;
            emit(&o, s + i, run - i);
            i = run;
            continue;
        }
        if (p[i] < 0x80) {
            ascii(&o, p[i++], flags);
            continue;
        }
        k = ng__utf8_decode(p + i, len - i, &cp);
        if (k == 0) {
            emit_fmt(&o, "\\x%02x", p[i++]);
            continue;
        }
        if (ng__term_hidden(cp))
            emit_fmt(&o, "\\u%04x", cp);
        else
            emit(&o, s + i, k);
        i += k;
    }
    if (cap)
        dst[o.n < cap - 1 ? o.n : cap - 1] = '\0';
    return o.n;
}

char *ng_text_escape(const char *s, size_t len, int flags)
{
    size_t need;
    char *r;

    if (s == NULL)
        s = "", len = 0;
    need = ng__term_escape(NULL, 0, s, len, flags);
    if ((r = malloc(need + 1)) == NULL)
        return NULL;
    ng__term_escape(r, need + 1, s, len, flags);
    return r;
}
