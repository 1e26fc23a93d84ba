/*
 * hide_spec.h -- the specification of the hidden code points' escapes for
 * the JSON tests (test_json_out.c, test_verdict_json.c): written apart
 * from term.h's list on purpose, byte at a time.
 */
#ifndef NG_HIDE_SPEC_H
#define NG_HIDE_SPEC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The specification: s (valid UTF-8) with U+0080..U+009F, U+061C,
 * U+200E/F, U+2028..U+202E and U+2066..U+2069 as \uXXXX; frees s. */
static char *hide(char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), o = 0;
    char *r = malloc(3 * n + 1);

    for (size_t i = 0; i < n;) {
        unsigned cp = u[i];
        size_t k = u[i] >= 0xF0 ? 4 : u[i] >= 0xE0 ? 3 : u[i] >= 0xC0 ? 2 : 1;
        if (k == 3)
            cp = (u[i] & 0x0Fu) << 12 | (u[i + 1] & 0x3Fu) << 6 | (u[i + 2] & 0x3Fu);
        else if (k == 2)
            cp = (u[i] & 0x1Fu) << 6 | (u[i + 1] & 0x3Fu);
        if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x61C || cp == 0x200E || cp == 0x200F
            || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
            o += (size_t)snprintf(r + o, 7, "\\u%04X", cp);
        else {
            memcpy(r + o, s + i, k);
            o += k;
        }
        i += k;
    }
    r[o] = '\0';
    free(s);
    return r;
}

#endif
