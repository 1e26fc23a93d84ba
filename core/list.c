/*
 * list.c -- word, phrase and domain lists (see list.h).
 *
 * Entries are kept in an array and indexed by an open-addressing hash set
 * of XXH3 hashes of their canonical form: the entry normalized (NFKC),
 * case-folded, split into words with ng__text_words and joined by single
 * spaces.  To find entries in a text the text is split the same way and
 * every run of 1..maxwords consecutive words is hashed and looked up, so
 * the cost grows with the words of the text, not the entries of the list.
 * Only run lengths that some entry has are looked up.  Words are split on
 * the original text, so reported spans are byte offsets into it; each
 * word is folded on its own (ASCII words take a fast path that skips
 * utf8proc, which gives the same result).
 *
 * Domain lists keep host names; a host in a text is a run of words joined
 * by single dots ("news.example.com"), and a host matches when it or a
 * parent domain is listed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "grow.h"
#include "list.h"
#include "text.h"
#include "url.h"

#define MAX_FILE (256u * 1024u * 1024u)

typedef struct lentry {
    char *key;          /* canonical form, NUL-terminated */
    size_t len;
    uint64_t hash;
    size_t nwords;      /* words in key (0 for a domain or a non-word) */
} lentry;

struct ng__list {
    lentry *v;
    size_t n, cap;
    uint32_t *slots;    /* entry index + 1; 0 is an empty slot */
    size_t nslots;      /* a power of two, at least twice n */
    size_t maxwords;    /* longest phrase, in words */
    uint64_t lenmask;   /* bit k set: some entry has k words (k < 64) */
    int domains;
};

/* A growable byte buffer, kept NUL-terminated. */
typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static int buf_add(buf *b, const char *s, size_t len)
{
    if (len == SIZE_MAX || ng__grow(&b->p, &b->cap, b->n, len + 1, 1, 64) < 0)
        return -1;
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = '\0';
    return 0;
}

static int is_ascii(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/* Appends the normalized, case-folded form of s[0..len) to b.  Returns 0
 * or -1 on no memory. */
static int fold_into(buf *b, const char *s, size_t len)
{
    size_t nl = 0, fl = 0, i;
    char *norm, *fold;
    int rc;

    if (is_ascii(s, len)) {
        if (buf_add(b, s, len) != 0)
            return -1;
        for (i = b->n - len; i < b->n; i++)
            if (b->p[i] >= 'A' && b->p[i] <= 'Z')
                b->p[i] = (char)(b->p[i] - 'A' + 'a');
        return 0;
    }
    if (!(norm = ng__text_normalize(s, len, &nl)))
        return -1;
    fold = ng__text_fold(norm, nl, &fl);
    free(norm);
    if (!fold)
        return -1;
    rc = buf_add(b, fold, fl);
    free(fold);
    return rc;
}

/* ---- the hash set ------------------------------------------------- */

ng__list *ng__list_new(void)
{
    ng__list *l = calloc(1, sizeof *l);

    if (!l)
        return NULL;
    l->nslots = 16;
    if (!(l->slots = calloc(l->nslots, sizeof *l->slots))) {
        free(l);
        return NULL;
    }
    return l;
}

void ng__list_free(ng__list *l)
{
    size_t i;

    if (!l)
        return;
    for (i = 0; i < l->n; i++)
        free(l->v[i].key);
    free(l->v);
    free(l->slots);
    free(l);
}

size_t ng__list_size(const ng__list *l) { return l ? l->n : 0; }
int ng__list_is_domains(const ng__list *l) { return l && l->domains; }

/* Returns the index of the entry equal to key[0..len), or -1. */
static long lookup(const ng__list *l, const char *key, size_t len)
{
    uint64_t h = XXH3_64bits(key, len);
    size_t mask = l->nslots - 1, i = h & mask;

    for (; l->slots[i]; i = (i + 1) & mask) {
        const lentry *e = &l->v[l->slots[i] - 1];
        if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0)
            return (long)(l->slots[i] - 1);
    }
    return -1;
}

static void place(ng__list *l, size_t idx)
{
    size_t mask = l->nslots - 1, i = l->v[idx].hash & mask;

    while (l->slots[i])
        i = (i + 1) & mask;
    l->slots[i] = (uint32_t)(idx + 1);
}

/* Doubles the slot array when it is half full.  Returns 0 or -1. */
static int reserve(ng__list *l)
{
    size_t i;
    uint32_t *s;

    if (ng__grow(&l->v, &l->cap, l->n, 1, sizeof *l->v, 64) < 0)
        return -1;
    if ((l->n + 1) * 2 <= l->nslots)
        return 0;
    if (!(s = calloc(l->nslots * 2, sizeof *s)))
        return -1;
    free(l->slots);
    l->slots = s;
    l->nslots *= 2;
    for (i = 0; i < l->n; i++)
        place(l, i);
    return 0;
}

/* Adds key[0..len) (taking ownership of `key`) unless present.  Returns
 * 0 or -1 on no memory (key freed either way when not kept). */
static int insert(ng__list *l, char *key, size_t len, size_t nwords)
{
    lentry *e;

    if (lookup(l, key, len) >= 0) {
        free(key);
        return 0;
    }
    if (reserve(l) != 0) {
        free(key);
        return -1;
    }
    e = &l->v[l->n];
    e->key = key;
    e->len = len;
    e->hash = XXH3_64bits(key, len);
    e->nwords = nwords;
    place(l, l->n++);
    if (nwords > l->maxwords)
        l->maxwords = nwords;
    if (nwords < 64)
        l->lenmask |= (uint64_t)1 << nwords;
    return 0;
}

/* ---- canonical forms ---------------------------------------------- */

/* Canonical form of a word or phrase into out (reset first): folded
 * words joined by single spaces, or the folded text itself when it has
 * no words.  Sets *nwords.  Returns 0 or -1 on no memory. */
static int canon_words(const char *s, size_t len, buf *out, size_t *nwords)
{
    buf f = {0};
    ng__word *w = NULL;
    size_t n = 0, i;
    int rc = -1;

    out->n = 0;
    if (fold_into(&f, s, len) != 0 || buf_add(&f, "", 0) != 0)
        goto done;
    if (ng__text_words(f.p, f.n, &w, &n) != 0)
        goto done;
    rc = 0;
    for (i = 0; i < n && rc == 0; i++) {
        if (i && buf_add(out, " ", 1) != 0)
            rc = -1;
        else
            rc = buf_add(out, f.p + w[i].off, w[i].len);
    }
    if (n == 0)
        rc = buf_add(out, f.p, f.n);
    *nwords = n;
done:
    free(w);
    free(f.p);
    return rc;
}

static int has_prefix(const char *s, size_t len, const char *p)
{
    size_t pl = strlen(p);

    return len >= pl && memcmp(s, p, pl) == 0;
}

/* Canonical form of a host name into out (reset first): folded, without
 * "*.", a leading dot, "www." or a trailing dot.  Returns 0 or -1. */
static int canon_host(const char *s, size_t len, buf *out)
{
    size_t off = 0;

    out->n = 0;
    if (fold_into(out, s, len) != 0 || buf_add(out, "", 0) != 0)
        return -1;
    if (has_prefix(out->p, out->n, "*."))
        off = 2;
    else if (has_prefix(out->p, out->n, "."))
        off = 1;
    if (has_prefix(out->p + off, out->n - off, "www."))
        off += 4;
    memmove(out->p, out->p + off, out->n - off);
    out->n -= off;
    while (out->n && out->p[out->n - 1] == '.')
        out->n--;
    out->p[out->n] = '\0';
    /* A Unicode host is kept in its A-label ("xn--") form, as item hosts
     * are (url.c), so both spellings of a listed domain match. */
    char a[256];
    int an = is_ascii(out->p, out->n) ? -1
             : ng__url_host_form(out->p, out->n, a, sizeof a);
    if (an > 0) {
        out->n = 0;
        return buf_add(out, a, (size_t)an);
    }
    return 0;
}

/* ---- loading ------------------------------------------------------ */

/* Returns 1 when `line` is a "# kind: domains" header. */
static int kind_domains(const char *s, size_t len)
{
    size_t i = 1;

    if (!len || s[0] != '#')
        return 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (!has_prefix(s + i, len - i, "kind:"))
        return 0;
    for (i += 5; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
        ;
    return len - i >= 7 && memcmp(s + i, "domains", 7) == 0;
}

static int name_domains(const char *name)
{
    size_t n = name ? strlen(name) : 0;

    return n >= 8 && strcmp(name + n - 8, ".domains") == 0;
}

/* Adds one trimmed, non-comment line.  Returns 0 or -1. */
static int add_line(ng__list *l, const char *s, size_t len, buf *tmp)
{
    size_t nwords = 0;
    char *key;

    if (l->domains ? canon_host(s, len, tmp) : canon_words(s, len, tmp,
                                                           &nwords))
        return -1;
    if (tmp->n == 0)
        return 0;
    if (!(key = malloc(tmp->n + 1)))
        return -1;
    memcpy(key, tmp->p, tmp->n);
    key[tmp->n] = '\0';
    return insert(l, key, tmp->n, l->domains ? 0 : nwords);
}

static void trim(const char **s, size_t *len)
{
    while (*len && strchr(" \t\r\f\v", (*s)[0]))
        (*s)++, (*len)--;
    while (*len && strchr(" \t\r\f\v", (*s)[*len - 1]))
        (*len)--;
}

int ng__list_load_mem(ng__list *l, const char *name, const char *data,
                      size_t len, char *err, size_t errlen)
{
    size_t pos = 0, lineno = 0, bad;
    buf tmp = {0};
    int rc = 0;

    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    l->domains = name_domains(name);
    while (pos < len && rc == 0) {
        const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + 1;
        lineno++;
        trim(&s, &n);
        if (lineno == 1 && kind_domains(s, n))
            l->domains = 1;
        if (n == 0 || s[0] == '#')
            continue;
        if (!ng__utf8_valid(s, n, &bad)) {
            if (err && errlen)
                snprintf(err, errlen, "line %zu: not valid UTF-8", lineno);
            rc = -1;
        } else if (add_line(l, s, n, &tmp) != 0) {
            if (err && errlen)
                snprintf(err, errlen, "out of memory");
            rc = -1;
        }
    }
    free(tmp.p);
    return rc;
}

/* Reads a whole file.  Returns the bytes (caller frees) or NULL with a
 * message. */
static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    buf b = {0};
    char chunk[65536];
    size_t got;

    if (!f) {
        if (err && errlen)
            snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return NULL;
    }
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.n + got > MAX_FILE || buf_add(&b, chunk, got) != 0) {
            if (err && errlen)
                snprintf(err, errlen, "%s", b.n + got > MAX_FILE
                         ? "file too large" : "out of memory");
            fclose(f);
            free(b.p);
            return NULL;
        }
    }
    if (ferror(f)) {
        if (err && errlen)
            snprintf(err, errlen, "cannot read: %s", strerror(errno));
        fclose(f);
        free(b.p);
        return NULL;
    }
    fclose(f);
    *len = b.n;
    return b.p ? b.p : calloc(1, 1);
}

int ng__list_load_file(ng__list *l, const char *path, char *err,
                       size_t errlen)
{
    size_t len = 0;
    char *data = slurp(path, &len, err, errlen);
    const char *base;
    int rc;

    if (!data)
        return -1;
    base = strrchr(path, '/');
    rc = ng__list_load_mem(l, base ? base + 1 : path, data, len, err,
                           errlen);
    free(data);
    return rc;
}

/* ---- look-ups ----------------------------------------------------- */

int ng__list_has(const ng__list *l, const char *s, size_t len)
{
    buf key = {0};
    size_t nwords;
    int rc;

    if (!l || !s || !ng__utf8_valid(s, len, NULL))
        return -1;
    if (l->domains)
        rc = canon_host(s, len, &key);
    else
        rc = canon_words(s, len, &key, &nwords);
    if (rc == 0)
        rc = key.n && lookup(l, key.p, key.n) >= 0;
    free(key.p);
    return rc;
}

/* Looks up key[0..len) and then each parent domain.  Returns the entry
 * index or -1. */
static long lookup_host(const ng__list *l, const char *key, size_t len)
{
    for (;;) {
        long idx = lookup(l, key, len);
        const char *dot;
        if (idx >= 0)
            return idx;
        if (!(dot = memchr(key, '.', len)))
            return -1;
        len -= (size_t)(dot + 1 - key);
        key = dot + 1;
    }
}

int ng__list_has_domain(const ng__list *l, const char *host, size_t len,
                        const char **found)
{
    buf key = {0};
    long idx = -1;

    if (found)
        *found = NULL;
    if (!l || !host || !ng__utf8_valid(host, len, NULL))
        return -1;
    if (!l->domains)
        return 0;
    if (canon_host(host, len, &key) != 0)
        return -1;
    if (key.n)
        idx = lookup_host(l, key.p, key.n);
    free(key.p);
    if (idx >= 0 && found)
        *found = l->v[idx].key;
    return idx >= 0;
}

/* ---- finding entries in a text ------------------------------------ */

/* A scan of a prepared text (ng__wordset) for entries. */
typedef struct scan {
    const char *text;
    const ng__word *w, *fw;
    size_t n;
    const char *fold;
    buf key;            /* the run of words being looked up */
} scan;

/* Called for every entry found at text[start..end); returns nonzero to
 * stop once the current position is done. */
typedef int (*found_fn)(void *ud, long idx, size_t start, size_t end);

void ng__list_wordset_free(ng__wordset *ws)
{
    free(ws->w);
    free(ws->fw);
    free(ws->fold);
    memset(ws, 0, sizeof *ws);
}

int ng__list_wordset(ng__wordset *ws, const char *text, size_t len)
{
    buf fold = {0};
    size_t i;

    memset(ws, 0, sizeof *ws);
    ws->text = text;
    if (!text || ng__text_words(text, len, &ws->w, &ws->n) != 0)
        return -1;
    if (ws->n && !(ws->fw = malloc(ws->n * sizeof *ws->fw)))
        return -1;
    for (i = 0; i < ws->n; i++) {
        size_t off = fold.n;
        if (fold_into(&fold, text + ws->w[i].off, ws->w[i].len) != 0) {
            free(fold.p);
            return -1;
        }
        ws->fw[i].off = (uint32_t)off;
        ws->fw[i].len = (uint32_t)(fold.n - off);
    }
    ws->fold = fold.p;
    ws->fold_len = fold.n;
    ws->fold_cap = fold.cap;
    return 0;
}

/* Returns 1 when text[a..b) is only white space (ASCII, no-break space
 * or the Unicode spaces U+2000..U+200A, U+202F, U+3000): the words on
 * either side may belong to one phrase. */
static int gap_is_space(const char *t, size_t a, size_t b)
{
    const unsigned char *s = (const unsigned char *)t;

    while (a < b) {
        if (strchr(" \t\r\n\f\v", s[a]) && s[a])
            a++;
        else if (a + 1 < b && s[a] == 0xC2 && s[a + 1] == 0xA0)
            a += 2;
        else if (a + 2 < b && s[a] == 0xE2 && s[a + 1] == 0x80 &&
                 (s[a + 2] <= 0x8A || s[a + 2] == 0xAF))
            a += 3;
        else if (a + 2 < b && s[a] == 0xE3 && s[a + 1] == 0x80 &&
                 s[a + 2] == 0x80)
            a += 3;
        else
            return 0;
    }
    return 1;
}

/* Looks up every run of words starting at word i.  Returns 1 when `fn`
 * asked to stop, 0 to go on, -1 on no memory. */
static int phrases_at(const ng__list *l, scan *sc, size_t i, found_fn fn,
                      void *ud)
{
    size_t k, last;
    int stop = 0;
    long idx;

    sc->key.n = 0;
    for (k = 1; k <= l->maxwords && i + k <= sc->n; k++) {
        const ng__word *f = &sc->fw[i + k - 1];
        last = i + k - 1;
        if (k > 1 && !gap_is_space(sc->text, sc->w[last - 1].off +
                                   sc->w[last - 1].len, sc->w[last].off))
            break;
        if ((k > 1 && buf_add(&sc->key, " ", 1) != 0) ||
            buf_add(&sc->key, sc->fold + f->off, f->len) != 0)
            return -1;
        if (k < 64 && !((l->lenmask >> k) & 1))
            continue;
        idx = lookup(l, sc->key.p, sc->key.n);
        if (idx >= 0)
            stop |= fn(ud, idx, sc->w[i].off,
                       sc->w[last].off + sc->w[last].len);
    }
    return stop != 0;
}

/* Ends the host name that starts at word i: words joined by single
 * dots.  Returns the index of its last word. */
static size_t host_end(const scan *sc, size_t i)
{
    while (i + 1 < sc->n) {
        size_t end = sc->w[i].off + sc->w[i].len;
        if (sc->w[i + 1].off != end + 1 || sc->text[end] != '.')
            break;
        i++;
    }
    return i;
}

/* Looks up the host name of words i..j.  Same returns as phrases_at. */
static int host_at(const ng__list *l, scan *sc, size_t i, size_t j,
                   found_fn fn, void *ud)
{
    size_t k;
    long idx;

    sc->key.n = 0;
    for (k = i; k <= j; k++)
        if ((k > i && buf_add(&sc->key, ".", 1) != 0) ||
            buf_add(&sc->key, sc->fold + sc->fw[k].off,
                    sc->fw[k].len) != 0)
            return -1;
    idx = lookup_host(l, sc->key.p, sc->key.n);
    if (idx < 0)
        return 0;
    return fn(ud, idx, sc->w[i].off, sc->w[j].off + sc->w[j].len) != 0;
}

/* Runs `fn` over every entry found in the prepared text.  Returns 0 or
 * -1. */
static int scan_words(const ng__list *l, const ng__wordset *ws, found_fn fn,
                      void *ud)
{
    scan sc = { ws->text, ws->w, ws->fw, ws->n, ws->fold, {0} };
    size_t i, j;
    int rc = 0;

    if (!l)
        return -1;
    for (i = 0; i < sc.n && rc == 0; i++) {
        if (!l->domains) {
            rc = phrases_at(l, &sc, i, fn, ud);
            continue;
        }
        j = host_end(&sc, i);
        if (j > i)
            rc = host_at(l, &sc, i, j, fn, ud);
        i = j;
    }
    free(sc.key.p);
    return rc < 0 ? -1 : 0;
}

/* As scan_words over text[0..len), checked and prepared here. */
static int scan_text(const ng__list *l, const char *text, size_t len,
                     found_fn fn, void *ud)
{
    ng__wordset ws;
    int rc = -1;

    memset(&ws, 0, sizeof ws);
    if (text && ng__utf8_valid(text, len, NULL)
        && ng__list_wordset(&ws, text, len) == 0)
        rc = scan_words(l, &ws, fn, ud);
    ng__list_wordset_free(&ws);
    return rc;
}

typedef struct first {
    const ng__list *l;
    ng__list_match *m;
    int found;
} first;

/* Keeps the longest entry at the first position that has one. */
static int on_first(void *ud, long idx, size_t start, size_t end)
{
    first *f = ud;

    if (!f->found || end > f->m->end) {
        f->m->entry = f->l->v[idx].key;
        f->m->start = start;
        f->m->end = end;
        f->found = 1;
    }
    return 1;
}

/* Scans the prepared words `ws`, or text[0..len) when ws is NULL. */
static int scan_any(const ng__list *l, const ng__wordset *ws,
                    const char *text, size_t len, found_fn fn, void *ud)
{
    return ws ? scan_words(l, ws, fn, ud) : scan_text(l, text, len, fn, ud);
}

static int any_in(const ng__list *l, const ng__wordset *ws, const char *text,
                  size_t len, ng__list_match *m)
{
    first f;

    memset(m, 0, sizeof *m);
    f.l = l;
    f.m = m;
    f.found = 0;
    if (scan_any(l, ws, text, len, on_first, &f) != 0)
        return -1;
    return f.found;
}

int ng__list_any(const ng__list *l, const char *text, size_t len,
                 ng__list_match *m)
{
    return any_in(l, NULL, text, len, m);
}

int ng__list_any_words(const ng__list *l, const ng__wordset *ws,
                       ng__list_match *m)
{
    return any_in(l, ws, NULL, 0, m);
}

typedef struct hitv {
    struct hit { long idx; size_t start; } *v;
    size_t n, cap;
    int oom;
} hitv;

static int on_every(void *ud, long idx, size_t start, size_t end)
{
    hitv *h = ud;

    (void)end;
    if (ng__grow(&h->v, &h->cap, h->n, 1, sizeof *h->v, 16) < 0) {
        h->oom = 1;
        return 1;
    }
    h->v[h->n].idx = idx;
    h->v[h->n++].start = start;
    return 0;
}

static int by_idx(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;

    if (x->idx != y->idx)
        return x->idx < y->idx ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

static int by_first(const void *a, const void *b)
{
    const ng__list_count *x = a, *y = b;

    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return strcmp(x->entry, y->entry); /* "free" before "free money" */
}

/* Folds the sorted hits into one count per entry.  Returns 0 or -1. */
static int group_hits(const ng__list *l, hitv *h, ng__list_count **out,
                      size_t *n)
{
    size_t i, k = 0;
    ng__list_count *c;

    qsort(h->v, h->n, sizeof *h->v, by_idx);
    if (!(c = malloc(h->n * sizeof *c)))
        return -1;
    for (i = 0; i < h->n; i++) {
        if (i && h->v[i].idx == h->v[i - 1].idx) {
            c[k - 1].count++;
            continue;
        }
        c[k].entry = l->v[h->v[i].idx].key;
        c[k].count = 1;
        c[k++].first = h->v[i].start;
    }
    qsort(c, k, sizeof *c, by_first);
    *out = c;
    *n = k;
    return 0;
}

static int all_in(const ng__list *l, const ng__wordset *ws,
                  const char *text, size_t len, ng__list_count **out,
                  size_t *n)
{
    hitv h = {0};
    int rc;

    *out = NULL;
    *n = 0;
    rc = scan_any(l, ws, text, len, on_every, &h);
    if (rc == 0 && h.oom)
        rc = -1;
    if (rc == 0 && h.n)
        rc = group_hits(l, &h, out, n);
    free(h.v);
    return rc;
}

int ng__list_all(const ng__list *l, const char *text, size_t len,
                 ng__list_count **out, size_t *n)
{
    return all_in(l, NULL, text, len, out, n);
}

int ng__list_all_words(const ng__list *l, const ng__wordset *ws,
                       ng__list_count **out, size_t *n)
{
    return all_in(l, ws, NULL, 0, out, n);
}
