/*
 * url.h -- URL parsing for domains and canonical forms.
 */
#ifndef NG_URL_H
#define NG_URL_H

#include <stddef.h>

/* Writes the lower-case host of `url` without a leading "www." and
 * without port or credentials into buf (size n).  Accepts "www.x.y/..."
 * without a scheme.  Returns the host length, or -1 when there is no host
 * or it does not fit. */
int ng__url_host(const char *url, char *buf, size_t n);

/* Writes the host h[0..hl) lower-cased into buf (size n), a non-ASCII
 * host as its IDNA A-label form (UTS #46, non-transitional; kept as
 * lower-cased bytes when it is not a valid IDN), so the Unicode and
 * "xn--" forms of a host compare equal.  Returns its length, or -1 when
 * it is empty, does not fit, or on no memory. */
int ng__url_host_form(const char *h, size_t hl, char *buf, size_t n);

/* 1 when `host` is `domain` or a name below it ("news.rt.com" under
 * "rt.com"), case-insensitively; 0 otherwise. */
int ng__url_host_under(const char *host, const char *domain);

/* Canonical form of a URL for exact-duplicate matching: scheme and host
 * lower-cased, "www." dropped, default ports (80, 443) dropped, fragment
 * dropped, tracking parameters (utm_*, fbclid, gclid, mc_cid, mc_eid,
 * ref, ref_src, igshid, _ga) removed, remaining query parameters kept in
 * their order, trailing slash of the path dropped, "http" and "https"
 * treated as one ("https").  Returns a new string, or NULL when `url` has
 * no scheme and host or on no memory. */
char *ng__url_canonical(const char *url);

#endif
