/*
 * spanmap.c -- maps a span of an item's normalized text (item:text():
 * NFKC, white space collapsed, title, blank line, body) back to the
 * field the rule author sees, so a hit found on the normalized text
 * still points into `title` or `body` as submitted.
 *
 * Normalization has no offset table, so the map is found by normalizing
 * prefixes of the field: the length of normalize(prefix) grows with the
 * prefix, and a binary search over the field's character boundaries finds
 * where a normalized offset falls.  That is O(n log n) per span, paid
 * only for hits that carry one.
 */
#include <stdlib.h>
#include <string.h>

#include "item.h"
#include "spanmap.h"
#include "text.h"

/* Length of normalize(f[0..k)), or -1 on no memory. */
static long norm_len(const char *f, size_t k)
{
    size_t n = 0;
    char *s = ng__text_normalize(f, k, &n);

    if (s == NULL)
        return k == 0 ? 0 : -1;
    free(s);
    return (long)n;
}

/* The smallest character boundary k of f (length len) such that
 * normalize(f[0..k)) is at least `want` bytes long; len if none. */
static long boundary_at(const char *f, size_t len, size_t want)
{
    size_t lo = 0, hi = len;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        long n;
        while (mid > lo && ((unsigned char)f[mid] & 0xC0) == 0x80)
            mid--;
        if ((n = norm_len(f, mid)) < 0)
            return -1;
        if ((size_t)n >= want) {
            hi = mid;
        } else {
            lo = mid + 1;
            while (lo < hi && ((unsigned char)f[lo] & 0xC0) == 0x80)
                lo++;
        }
    }
    return (long)lo;
}

int ng__span_from_text(ng_item *it, size_t s, size_t e, const char **field,
                       size_t *fs, size_t *fe)
{
    size_t tl, flen, title_n;
    const char *text = ng__item_text(it, &tl), *brk, *f;
    long a, b;

    if (text == NULL || e > tl || s > e)
        return -1;
    brk = strstr(text, "\n\n");
    title_n = brk ? (size_t)(brk - text) : tl;
    if (e <= title_n) {
        *field = "title";
    } else if (s >= title_n + 2) {
        *field = "body";
        s -= title_n + 2;
        e -= title_n + 2;
    } else {
        return -1; /* crosses from the title into the body */
    }
    if ((f = ng__item_field(it, *field, &flen)) == NULL)
        return -1;
    /* The span starts at the character whose normalized form brings the
     * prefix to s + 1 bytes, and ends where the prefix reaches e bytes. */
    a = s == 0 ? 0 : boundary_at(f, flen, s + 1);
    b = boundary_at(f, flen, e);
    if (a < 0 || b < 0)
        return -1;
    if (a > 0) {
        a--;
        while (a > 0 && ((unsigned char)f[a] & 0xC0) == 0x80)
            a--;
    }
    while (a < b && strchr(" \t\r\n\f\v", f[a]))
        a++;
    *fs = (size_t)a;
    *fe = (size_t)b;
    return 0;
}
