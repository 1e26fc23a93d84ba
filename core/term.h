/*
 * term.h -- escaping text for a terminal.  Everything newsgate shows a
 * person in text form (verdicts, queue listings, error messages) goes
 * through ng__term_escape, so nothing that came from a submission or a
 * rule can move the cursor, recolour, retitle or clear the terminal, or
 * reorder what is shown with bidirectional controls.  The public form is
 * ng_text_escape (newsgate.h).
 */
#ifndef NG_TERM_H
#define NG_TERM_H

#include <stddef.h>

/* Writes the escaped form of s[0..len) into dst (cap bytes, NUL-ended
 * when cap > 0; may be NULL with cap 0) and returns the length the whole
 * escaped text needs, without the NUL, as snprintf does.  `flags` is
 * NG_ESCAPE_KEEP_NEWLINES or 0.  What is escaped:
 *   - C0 controls and DEL: \n \r \t, others \xNN (ESC is \x1b);
 *   - the backslash itself: \\ (so escaped and literal text differ);
 *   - C1 controls U+0080..U+009F and the invisible direction and line
 *     controls U+061C, U+200E, U+200F, U+2028..U+202E, U+2066..U+2069:
 *     \uNNNN;
 *   - bytes that are not valid UTF-8: \xNN each.
 * Everything else (printable UTF-8) is copied unchanged. */
size_t ng__term_escape(char *dst, size_t cap, const char *s, size_t len,
                       int flags);

/* Decodes one UTF-8 sequence at s (n > 0 bytes left).  Returns its
 * length (1-4) and sets *cp, or 0 when the bytes are not valid UTF-8
 * (overlong forms, surrogates and code points above U+10FFFF refused,
 * as ng__utf8_valid does). */
size_t ng__utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* 1 for the code points past ASCII that must not reach a reader as they
 * are, in a terminal or in JSON: the C1 controls U+0080..U+009F and the
 * invisible direction and line controls U+061C, U+200E, U+200F,
 * U+2028..U+202E and U+2066..U+2069; else 0. */
static inline int ng__term_hidden(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E
        || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069);
}

#endif
