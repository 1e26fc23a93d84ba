/*
 * json_fast.c -- a fast path for the common NDJSON line: one flat JSON
 * object whose values are all strings ({"title":"...","body":"..."}).
 * jansson's parser costs about 23 µs for a 2 KB item, most of it reading
 * the body character by character; this scans each string with memchr-
 * like loops and builds the same jansson values.
 *
 * It never decides an error: anything it does not handle (a nested value,
 * a number, an escape it does not know, a control character, a duplicate
 * key, trailing bytes) makes it give up, and the caller parses the line
 * with jansson, which reports the problem with its usual message.  The
 * bytes are known to be valid UTF-8 (the reader checks every item before
 * parsing).
 */
#include <string.h>
#include <jansson.h>
#include "json_fast.h"

typedef struct cursor {
    const char *p, *end;
} cursor;

static void skip_ws(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'
                             || *c->p == '\r' || *c->p == '\n'))
        c->p++;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = s[i];
        v <<= 4;
        if (ch >= '0' && ch <= '9') v |= (unsigned)(ch - '0');
        else if (ch >= 'a' && ch <= 'f') v |= (unsigned)(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F') v |= (unsigned)(ch - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

/* Appends code point u (not a surrogate, not 0) as UTF-8. */
static char *put_utf8(char *o, unsigned u)
{
    if (u < 0x80) {
        *o++ = (char)u;
    } else if (u < 0x800) {
        *o++ = (char)(0xC0 | (u >> 6));
        *o++ = (char)(0x80 | (u & 0x3F));
    } else {
        *o++ = (char)(0xE0 | (u >> 12));
        *o++ = (char)(0x80 | ((u >> 6) & 0x3F));
        *o++ = (char)(0x80 | (u & 0x3F));
    }
    return o;
}

/* One escape after the backslash at c->p; writes its bytes at *o.
 * Returns 0, or -1 to give up (surrogates, \u0000, unknown escapes). */
static int escape(cursor *c, char **o)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k;
    unsigned u;

    if (c->p + 1 >= c->end)
        return -1;
    char e = c->p[1];
    if (e != 'u') {
        if (!e || !(k = strchr(from, e)))
            return -1;
        *(*o)++ = to[k - from];
        c->p += 2;
        return 0;
    }
    if (c->end - c->p < 6 || hex4(c->p + 2, &u) != 0 || u == 0
        || (u >= 0xD800 && u <= 0xDFFF))
        return -1;
    *o = put_utf8(*o, u);
    c->p += 6;
    return 0;
}

/* A string at c->p (after its opening quote) into buf (at least as long
 * as the rest of the line).  Returns its length, or -1 to give up. */
static long string(cursor *c, char *buf)
{
    char *o = buf;

    for (;;) {
        const char *s = c->p;
        while (s < c->end && *s != '"' && *s != '\\'
               && (unsigned char)*s >= 0x20)
            s++;
        memcpy(o, c->p, (size_t)(s - c->p));
        o += s - c->p;
        c->p = s;
        if (s == c->end || (unsigned char)*s < 0x20)
            return -1;
        if (*s == '"') {
            c->p++;
            return o - buf;
        }
        if (escape(c, &o) != 0)
            return -1;
    }
}

/* Reads `"key": "value"` at c->p into obj.  Returns 0 or -1. */
static int member(cursor *c, json_t *obj, char *buf)
{
    long n;

    if (c->p >= c->end || *c->p != '"')
        return -1;
    c->p++;
    if ((n = string(c, buf)) < 0 || memchr(buf, '\0', (size_t)n))
        return -1;
    buf[n] = '\0';
    skip_ws(c);
    if (c->p >= c->end || *c->p != ':' || json_object_get(obj, buf))
        return -1;
    c->p++;
    skip_ws(c);
    if (c->p >= c->end || *c->p != '"')
        return -1;
    c->p++;
    char *val = buf + n + 1;
    long m = string(c, val);
    json_t *v = m < 0 ? NULL : json_stringn_nocheck(val, (size_t)m);
    return v && json_object_set_new_nocheck(obj, buf, v) == 0 ? 0 : -1;
}

json_t *ng__json_fast_object(const char *s, size_t len, char *buf)
{
    cursor c = { s, s + len };
    json_t *obj = json_object();

    skip_ws(&c);
    if (!obj || c.p >= c.end || *c.p++ != '{')
        goto give_up;
    skip_ws(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
    } else {
        for (;;) {
            if (member(&c, obj, buf) != 0)
                goto give_up;
            skip_ws(&c);
            if (c.p < c.end && *c.p == ',') {
                c.p++;
                skip_ws(&c);
                continue;
            }
            if (c.p < c.end && *c.p == '}') {
                c.p++;
                break;
            }
            goto give_up;
        }
    }
    skip_ws(&c);
    if (c.p == c.end)
        return obj;
give_up:
    json_decref(obj);
    return NULL;
}
