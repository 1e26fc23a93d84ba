/*
 * json_out.c -- JSON text into a growing buffer, byte for byte what
 * jansson's json_dumps(JSON_COMPACT) writes for the same values (see
 * json_out.h).  The buffer grows through ng__grow; the escapes follow
 * jansson's dump_string without JSON_ENSURE_ASCII or JSON_ESCAPE_SLASH.
 */
#include <stdio.h>
#include <string.h>

#include "grow.h"
#include "json_out.h"

void ng__jbuf_put(ng__jbuf *b, const char *s, size_t n)
{
    if (b->failed || ng__grow(&b->p, &b->cap, b->n, n + 1, 1, 1024) < 0) {
        b->failed = 1;
        return;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

/* The escape of control or quoting byte c into seq (room for 8). */
static const char *escape(unsigned char c, char *seq)
{
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default:
        snprintf(seq, 8, "\\u%04X", (unsigned)c);
        return seq;
    }
}

void ng__jbuf_str(ng__jbuf *b, const char *s)
{
    const char *run = s;

    ng__jbuf_put(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char seq[8];
        const char *esc;

        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        ng__jbuf_put(b, run, (size_t)(s - run));
        esc = escape(c, seq);
        ng__jbuf_put(b, esc, strlen(esc));
        run = s + 1;
    }
    ng__jbuf_put(b, run, (size_t)(s - run));
    ng__jbuf_put(b, "\"", 1);
}
