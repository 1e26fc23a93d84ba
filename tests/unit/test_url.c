/*
 * test_url.c -- unit tests for core/url.c: hosts and canonical forms.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "item.h"
#include "text.h"
#include "url.h"
#include "unit.h"

static void check_host(const char *url, const char *want)
{
    char buf[64];
    int n = ng__url_host(url, buf, sizeof buf);
    if (!want) {
        ck_assert_msg(n == -1, "host of '%s': got %d", url, n);
        return;
    }
    ck_assert_msg(n == (int)strlen(want), "host of '%s': got %d", url, n);
    ck_assert_str_eq(buf, want);
}

START_TEST(host)
{
    check_host("https://www.RT.com/news/1", "rt.com");
    check_host("http://user:pw@Example.org:8080/x", "example.org");
    check_host("www.bbc.co.uk/news", "bbc.co.uk");
    check_host("https://www.www.bbc.co.uk/", "bbc.co.uk");
    check_host("https://www./", "www");
    check_host("//cdn.example.net/a.js", "cdn.example.net");
    check_host("https://example.com.", "example.com");
    check_host("https://example.com?x=1", "example.com");
    check_host("https://example.com#frag", "example.com");
    check_host("http://[::1]:80/", "[::1]");
    check_host("  https://a.b/c  ", "a.b");
    check_host("https://www/", "www");
    check_host("/relative/path", NULL);
    check_host("example.com/no-scheme", NULL);
    check_host("mailto:someone@example.com", NULL);
    check_host("https:///nohost", NULL);
    check_host("https://bad host/", NULL);
    check_host("https://a.b:xx/", NULL);
    check_host("", NULL);
    char tiny[4];
    ck_assert_int_eq(ng__url_host("https://example.com/", tiny, sizeof tiny),
                     -1);
}
END_TEST

static void check_canon(const char *url, const char *want)
{
    char *c = ng__url_canonical(url);
    if (!want) {
        ck_assert_msg(c == NULL, "canonical of '%s' is not NULL",
                      url ? url : "(null)");
        return;
    }
    ck_assert_msg(c != NULL, "canonical of '%s': got NULL", url);
    ck_assert_str_eq(c, want);
    free(c);
}

START_TEST(canonical)
{
    check_canon("HTTP://WWW.Example.COM/Path/", "https://example.com/Path");
    check_canon("https://example.com:443/a", "https://example.com/a");
    check_canon("http://example.com:80/a", "https://example.com/a");
    check_canon("https://example.com:8443/a", "https://example.com:8443/a");
    check_canon("https://example.com/a#section", "https://example.com/a");
    check_canon("https://example.com/", "https://example.com");
    check_canon("https://example.com", "https://example.com");
    check_canon("https://example.com/a?utm_source=x&id=3&UTM_medium=y"
                "&fbclid=z&ref=tw&b=&gclid=1",
                "https://example.com/a?id=3&b=");
    check_canon("https://example.com/?utm_source=x", "https://example.com");
    check_canon("https://example.com/a?x=1&&y=2&_ga=5&igshid=q&mc_cid=1"
                "&mc_eid=2&ref_src=tw", "https://example.com/a?x=1&y=2");
    check_canon("https://u:p@example.com/a", "https://example.com/a");
    check_canon("ftp://Files.Example.com:21/x/", "ftp://files.example.com:21/x");
    check_canon("www.example.com/a", NULL);
    check_canon("/a/b", NULL);
    check_canon("https://", NULL);
    check_canon(NULL, NULL);
    /* Found by fuzzing: a control byte before a dropped tail (trailing
     * slash, fragment, tracking parameter) stayed at the end, where the
     * next canonicalisation trimmed it, so the canonical form was not its
     * own canonical form. */
    check_canon("https://example.com/a\x1c/", "https://example.com/a");
    check_canon("https://example.com/a\x1c", "https://example.com/a");
    check_canon("https://example.com/a /?k=v", "https://example.com/a ?k=v");
    check_canon("https://example.com/l?\x0b\x0b#f", "https://example.com/l");
    check_canon("https://www.WWW.example.com/a", "https://example.com/a");
    check_canon("htTps://WWW.[:96", NULL);
    check_canon("h://.\xcd\x8f", NULL);     /* U+034F maps to nothing */
    check_canon("https://www\xcd\x8f.example.com/a", "https://example.com/a");
    check_canon("https://a]b.example/", NULL);
    check_canon("http://[::1]:8080/x", "https://[::1]:8080/x");
    check_canon("https://example.com/l?a=\x0b&utm_source=x",
                "https://example.com/l?a=");
}
END_TEST

/* Issue 16: one host however it is written.  Unicode and xn-- forms
 * are one host (IDNA A-label); a backslash ends a web URL's authority
 * as in browsers; a URL found in text has the host of the same URL in
 * the url field; a host starting with a non-ASCII letter is a link. */
START_TEST(host_idna_and_backslash)
{
    check_host("https://B\xc3\x9c" "CHER.example/x", "xn--bcher-kva.example");
    check_host("https://xn--BCHER-kva.example/", "xn--bcher-kva.example");
    check_host("www.b\xc3\xbc" "cher.example/a", "xn--bcher-kva.example");
    check_host("https://example.com\\@evil.example/", "example.com");
    check_host("https://example.com\\x", "example.com");
    check_host("ftp://u\\x@host.example/", "host.example");
    check_canon("https://B\xc3\x9c" "cher.example/p",
                "https://xn--bcher-kva.example/p");

    ng__strlist found = {0};
    const char *t = "see https://\xd1\x91\xd0\xbb\xd0\xba\xd0\xb0."
                    "\xd1\x80\xd1\x84/x and https://example.com\\@evil."
                    "example/ now";
    ck_assert_int_eq(ng__text_find_urls(t, strlen(t), &found), 0);
    ck_assert_uint_eq(found.n, 2);
    ck_assert_str_eq(found.v[0], "https://\xd1\x91\xd0\xbb\xd0\xba"
                     "\xd0\xb0.\xd1\x80\xd1\x84/x");
    check_host(found.v[0], "xn--80atc1g.xn--p1ai");
    check_host(found.v[1], "example.com");
    ng__strlist_free(&found);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("url");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, host);
    tcase_add_test(tc, canonical);
    tcase_add_test(tc, host_idna_and_backslash);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ng_unit_run(suite());
}
