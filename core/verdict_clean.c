/*
 * verdict_clean.c -- the cleaned body: the item's body with the spans
 * that rules marked as furniture (share prompts, teaser blocks, archive
 * navigation, site footers) cut out.
 *
 * Rules mark spans while they run (ng__verdict_add_cut, from a check
 * result's or a pattern rule's `furniture` key).  The engine calls
 * ng__verdict_clean_item after the clean phase (so the duplicate keys
 * read the cleaned body) and ng__verdict_clean after the last rule (so
 * marks of later rules cut the verdict's copy too).  The spans
 * are sorted and merged here, so overlapping marks from several rules
 * cut each byte once, and the blank lines left where a block was cut are
 * folded so paragraphs stay one blank line apart.  Nothing cut, nothing
 * made: the verdict then carries no cleaned body.
 */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "item.h"
#include "verdict.h"

int ng__verdict_add_cut(ng_verdict *v, long start, long end)
{
    if (start < 0 || end <= start)
        return 0;
    if (ng__grow(&v->cuts, &v->capcuts, v->ncuts, 1, sizeof *v->cuts, 8) < 0)
        return -1;
    v->cuts[v->ncuts].start = start;
    v->cuts[v->ncuts].end = end;
    v->ncuts++;
    return 0;
}

static int by_start(const void *a, const void *b)
{
    const ng__cut *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* Sorts and merges the cuts in place, clipped to `len` bytes.  Returns
 * the number of merged cuts. */
static size_t merge(ng__cut *c, size_t n, long len)
{
    size_t m = 0;

    qsort(c, n, sizeof *c, by_start);
    for (size_t i = 0; i < n; i++) {
        if (c[i].start >= len)
            break;
        if (c[i].end > len)
            c[i].end = len;
        if (m > 0 && c[i].start <= c[m - 1].end) {
            if (c[i].end > c[m - 1].end)
                c[m - 1].end = c[i].end;
        } else {
            c[m++] = c[i];
        }
    }
    return m;
}

/* Appends text[from, to) to out at *n, keeping at most one blank line
 * between paragraphs and none at the start.  out has room for to - from
 * more bytes. */
static void put_kept(char *out, size_t *n, const char *text, long from, long to)
{
    for (long i = from; i < to; i++) {
        char ch = text[i];
        if (ch == '\n' || ch == ' ' || ch == '\t' || ch == '\r') {
            size_t k = *n, nl = 0;
            /* Count the newlines in the whitespace run already written. */
            while (k > 0 && strchr(" \t\r\n", out[k - 1])) {
                nl += out[k - 1] == '\n';
                k--;
            }
            if (k == 0 || (ch == '\n' && nl >= 2))
                continue;
            if (ch == '\n') {
                /* Spaces before a line break go; the breaks stay. */
                *n = k;
                for (size_t j = 0; j <= nl; j++)
                    out[(*n)++] = '\n';
                continue;
            }
        }
        out[(*n)++] = ch;
    }
}

int ng__verdict_clean(ng_verdict *v, const char *text)
{
    long len, at = 0;
    size_t n = 0;

    free(v->cleaned);
    v->cleaned = NULL;
    v->cut_bytes = 0;
    if (v->ncuts == 0 || text == NULL)
        return 0;
    len = (long)strlen(text);
    v->ncuts = merge(v->cuts, v->ncuts, len);
    if (v->ncuts == 0)
        return 0;
    if ((v->cleaned = malloc((size_t)len + 1)) == NULL)
        return -1;
    for (size_t i = 0; i < v->ncuts; i++) {
        put_kept(v->cleaned, &n, text, at, v->cuts[i].start);
        v->cut_bytes += (size_t)(v->cuts[i].end - v->cuts[i].start);
        at = v->cuts[i].end;
    }
    put_kept(v->cleaned, &n, text, at, len);
    while (n > 0 && strchr(" \t\r\n", v->cleaned[n - 1]))
        n--;
    v->cleaned[n] = '\0';
    return 0;
}

int ng__verdict_clean_item(ng_verdict *v, ng_item *it)
{
    char *copy;

    free(it->cleaned_body);
    it->cleaned_body = NULL;
    if (ng__verdict_clean(v, it->body_text) < 0)
        return -1;
    if (v->cleaned == NULL)
        return 0;
    if ((copy = strdup(v->cleaned)) == NULL)
        return -1;
    it->cleaned_body = copy;
    /* Keys a clean-phase rule made from the raw body are stale now. */
    if (it->an.dup && it->an.dup_free)
        it->an.dup_free(it->an.dup);
    it->an.dup = NULL;
    return 0;
}

const char *ng_verdict_cleaned_body(const ng_verdict *v)
{
    return v ? v->cleaned : NULL;
}
