/*
 * url.c -- the host of a URL (for domain lists) and a canonical form (for
 * exact-duplicate matching).  Plain string handling: URLs arrive from
 * untrusted input, so nothing here allocates more than the URL's length
 * plus a few bytes, and nothing is decoded beyond what the forms need.
 * Hosts are read as browsers read them (WHATWG URL): in web URLs a
 * backslash ends the authority like '/', and a non-ASCII host is turned
 * into its IDNA A-label ("xn--...") form, so the Unicode and xn-- forms
 * of a host are one host.  This is the only file that uses libidn2.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>

#include "url.h"

/* The parts of a URL, as byte ranges into it. */
typedef struct urlparts {
    const char *scheme; size_t scheme_len;  /* may be empty */
    const char *host;   size_t host_len;
    const char *port;   size_t port_len;    /* may be empty */
    const char *path;   size_t path_len;    /* may be empty */
    const char *query;  size_t query_len;   /* without '?' */
} urlparts;

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int starts_ci(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    if (len < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != p[i])
            return 0;
    return 1;
}

/* Length of a "scheme:" prefix's scheme (letters, digits, + - .), or 0. */
static size_t scheme_len(const char *u, size_t len)
{
    size_t i = 0;
    if (len == 0 || !is_alpha((unsigned char)u[0]))
        return 0;
    while (i < len && (is_alpha((unsigned char)u[i])
                       || (u[i] >= '0' && u[i] <= '9')
                       || u[i] == '+' || u[i] == '-' || u[i] == '.'))
        i++;
    return i < len && u[i] == ':' ? i : 0;
}

/* Splits the authority u[0..len) into host and port, dropping
 * credentials.  Returns 0, or -1 when the host is empty or malformed. */
static int split_authority(const char *u, size_t len, urlparts *p)
{
    const char *at = NULL;
    for (size_t i = 0; i < len; i++)
        if (u[i] == '@')
            at = u + i;
    if (at) {
        len -= (size_t)(at + 1 - u);
        u = at + 1;
    }
    size_t hl = len;
    if (len > 0 && u[0] == '[') { /* IPv6 literal */
        const char *rb = memchr(u, ']', len);
        if (!rb)
            return -1;
        hl = (size_t)(rb + 1 - u);
    } else {
        const char *colon = memchr(u, ':', len);
        if (colon)
            hl = (size_t)(colon - u);
        /* Brackets belong to IPv6 literals only: "www.[" would become
         * "[" once "www." goes, which no longer parses (fuzzing). */
        if (memchr(u, '[', hl) || memchr(u, ']', hl))
            return -1;
    }
    p->host = u;
    p->host_len = hl;
    p->port = u + hl;
    p->port_len = 0;
    if (hl < len && u[hl] == ':') {
        p->port = u + hl + 1;
        p->port_len = len - hl - 1;
    }
    for (size_t i = 0; i < hl; i++)
        if ((unsigned char)u[i] <= ' ' || strchr("\\<>\"", u[i]))
            return -1;
    for (size_t i = 0; i < p->port_len; i++)
        if (p->port[i] < '0' || p->port[i] > '9')
            return -1;
    return hl > 0 ? 0 : -1;
}

/* Parses url into parts.  `need_scheme`: refuse "www.x" and "//x" forms.
 * Returns 0, or -1 when there is no host. */
static int parse(const char *url, urlparts *p, int need_scheme)
{
    size_t len = strlen(url);
    memset(p, 0, sizeof *p);
    while (len > 0 && (unsigned char)*url <= ' ') {
        url++;
        len--;
    }
    while (len > 0 && (unsigned char)url[len - 1] <= ' ')
        len--;
    size_t sl = scheme_len(url, len);
    if (sl && len >= sl + 3 && url[sl + 1] == '/' && url[sl + 2] == '/') {
        p->scheme = url;
        p->scheme_len = sl;
        url += sl + 3;
        len -= sl + 3;
    } else if (!need_scheme && len >= 2 && url[0] == '/' && url[1] == '/') {
        url += 2;
        len -= 2;
    } else if (need_scheme || !starts_ci(url, len, "www.")) {
        return -1;
    }
    /* Web URLs (and the scheme-less forms) end the authority at a
     * backslash too, as browsers do, so "https://a.b\\@evil.c/" is a.b. */
    int web = !p->scheme_len || (p->scheme_len == 4
                                 && starts_ci(p->scheme, 4, "http"))
        || (p->scheme_len == 5 && starts_ci(p->scheme, 5, "https"));
    size_t a = strcspn(url, web ? "/?#\\" : "/?#");
    if (a > len)
        a = len;
    if (split_authority(url, a, p) < 0)
        return -1;
    const char *rest = url + a, *end = url + len;
    const char *hash = memchr(rest, '#', (size_t)(end - rest));
    if (hash)
        end = hash;
    const char *q = memchr(rest, '?', (size_t)(end - rest));
    p->path = rest;
    p->path_len = (size_t)((q ? q : end) - rest);
    if (q) {
        p->query = q + 1;
        p->query_len = (size_t)(end - q - 1);
    }
    return 0;
}

/* Host without "www." and a trailing dot.  Every leading "www." goes,
 * not just one: the canonical form of "www.www.x.y" must not lose
 * another when canonicalised again (found by fuzzing). */
static void trim_host(const char **h, size_t *n)
{
    while (*n > 0 && (*h)[*n - 1] == '.')
        (*n)--;
    while (starts_ci(*h, *n, "www.") && *n > 4) {
        *h += 4;
        *n -= 4;
    }
}

int ng__url_host_form(const char *h, size_t hl, char *buf, size_t n)
{
    size_t i = 0;
    while (i < hl && (unsigned char)h[i] < 0x80)
        i++;
    if (i < hl) {
        char *in = malloc(hl + 1), *out = NULL;
        if (!in)
            return -1;
        memcpy(in, h, hl);
        in[hl] = '\0';
        int rc = idn2_to_ascii_8z(in, &out,
                                  IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
        free(in);
        if (rc == IDN2_OK && out) {
            size_t ol = strlen(out);
            int r = ol > 0 && ol < n ? (int)ol : -1;
            if (r > 0)
                memcpy(buf, out, ol + 1);
            idn2_free(out);
            return r;
        }
        idn2_free(out);
    }
    if (hl == 0 || hl + 1 > n || hl > 0x7fffffff)
        return -1;
    for (i = 0; i < hl; i++)
        buf[i] = (char)lower((unsigned char)h[i]);
    buf[hl] = '\0';
    return (int)hl;
}

/* The host of parts p written into buf as ng__url_host returns it.  The
 * form is trimmed again: IDNA mapping can drop characters (U+034F, soft
 * hyphens), leaving trailing dots or a "www." that a second parse would
 * trim, so one URL would have two hosts (fuzzing). */
static int host_of(const urlparts *p, char *buf, size_t n)
{
    const char *h = p->host;
    size_t hl = p->host_len;
    trim_host(&h, &hl);
    int r = hl ? ng__url_host_form(h, hl, buf, n) : -1;
    if (r < 0)
        return -1;
    h = buf, hl = (size_t)r;
    trim_host(&h, &hl);
    if (hl == 0)
        return -1;
    memmove(buf, h, hl);
    buf[hl] = '\0';
    return (int)hl;
}

int ng__url_host(const char *url, char *buf, size_t n)
{
    urlparts p;
    if (!url || parse(url, &p, 0) < 0)
        return -1;
    return host_of(&p, buf, n);
}

/* 1 when the query parameter `key` (klen bytes) is a tracking one. */
static int tracking_key(const char *key, size_t klen)
{
    static const char *const names[] = {
        "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "ref_src", "igshid",
        "_ga", NULL
    };
    if (klen >= 4 && starts_ci(key, klen, "utm_"))
        return 1;
    for (size_t i = 0; names[i]; i++)
        if (strlen(names[i]) == klen && starts_ci(key, klen, names[i]))
            return 1;
    return 0;
}

/* Appends the query with tracking parameters removed ("?a=1&b=2"). */
static size_t put_query(char *o, const char *q, size_t qlen)
{
    size_t n = 0, i = 0;
    while (i < qlen) {
        const char *amp = memchr(q + i, '&', qlen - i);
        size_t end = amp ? (size_t)(amp - q) : qlen;
        const char *kv = q + i;
        size_t kvlen = end - i;
        const char *eq = memchr(kv, '=', kvlen);
        size_t klen = eq ? (size_t)(eq - kv) : kvlen;
        if (kvlen > 0 && !tracking_key(kv, klen)) {
            o[n] = n == 0 ? '?' : '&';
            n++;
            memcpy(o + n, kv, kvlen);
            n += kvlen;
        }
        i = end + 1;
    }
    return n;
}

/* 1 when the port is the scheme's default (web schemes share 80/443). */
static int default_port(const urlparts *p, int web)
{
    if (p->port_len == 0)
        return 1;
    if (!web)
        return 0;
    return (p->port_len == 2 && !memcmp(p->port, "80", 2))
        || (p->port_len == 3 && !memcmp(p->port, "443", 3));
}

/* One pass of ng__url_canonical. */
static char *canonical_once(const char *url)
{
    urlparts p;
    if (!url || parse(url, &p, 1) < 0)
        return NULL;
    char host[256];
    int hn = host_of(&p, host, sizeof host);
    if (hn < 0)
        return NULL;
    size_t hl = (size_t)hn;
    int web = (p.scheme_len == 4 && starts_ci(p.scheme, 4, "http"))
        || (p.scheme_len == 5 && starts_ci(p.scheme, 5, "https"));
    size_t cap = p.scheme_len + hl + p.port_len + p.path_len + p.query_len
        + 16;
    char *o = malloc(cap);
    if (!o)
        return NULL;
    size_t n = 0;
    const char *scheme = web ? "https" : p.scheme;
    size_t scl = web ? 5 : p.scheme_len;
    for (size_t i = 0; i < scl; i++)
        o[n++] = (char)lower((unsigned char)scheme[i]);
    memcpy(o + n, "://", 3);
    n += 3;
    memcpy(o + n, host, hl);
    n += hl;
    if (!default_port(&p, web)) {
        o[n++] = ':';
        memcpy(o + n, p.port, p.port_len);
        n += p.port_len;
    }
    size_t pl = p.path_len;
    while (pl > 0 && p.path[pl - 1] == '/')
        pl--;
    memcpy(o + n, p.path, pl);
    n += pl;
    n += put_query(o + n, p.query, p.query_len);
    o[n] = '\0';
    return o;
}

char *ng__url_canonical(const char *url)
{
    char *c = canonical_once(url), *again;
    size_t n = c ? strlen(c) : 0;

    /* Dropping a tail (fragment, tracking parameters, trailing slashes)
     * can leave blanks or controls at the end, which parse trims from a
     * URL: another pass then gives a shorter form.  Passes repeat until
     * the form ends otherwise, so it is its own canonical form.  Each
     * pass after the first trims at least one byte and adds none, so
     * this ends. */
    while (n > 0 && (unsigned char)c[n - 1] <= ' ') {
        again = canonical_once(c);
        free(c);
        c = again;
        n = c ? strlen(c) : 0;
    }
    return c;
}

int ng__url_host_under(const char *host, const char *domain)
{
    size_t h = strlen(host), n = strlen(domain);
    return n > 0 && h >= n && strcasecmp(host + h - n, domain) == 0
        && (h == n || host[h - n - 1] == '.');
}
