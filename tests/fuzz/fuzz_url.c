/*
 * fuzz_url.c -- fuzz target: URL canonicalisation and host extraction
 * (url.c, libidn2).
 *
 * The input is a URL (a NUL-terminated copy: the functions take C
 * strings, as URLs reach them from validated fields).  Properties: a
 * host written is its reported length, NUL-terminated, has no upper-case
 * ASCII letter, and is under itself; the host of a canonical URL is the
 * host of the URL; canonicalising twice gives the same URL.
 */
#include <stdlib.h>
#include <string.h>

#include "url.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

/* Checks one host written by ng__url_host or ng__url_host_form. */
static void check_host(const char *h, int n)
{
    if (n < 0)
        return;
    if ((size_t)n != strlen(h))
        ng_fuzz_fail("host length differs from the length reported");
    for (int i = 0; i < n; i++)
        if (h[i] >= 'A' && h[i] <= 'Z')
            ng_fuzz_fail("host not lower-cased");
    if (n > 0 && !ng__url_host_under(h, h))
        ng_fuzz_fail("a host is not under itself");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char host[256], chost[256], form[256];
    char *url = ng_fuzz_str(data, size);
    int n = ng__url_host(url, host, sizeof host);
    char *canon = ng__url_canonical(url);

    check_host(host, n);
    check_host(form, ng__url_host_form(url, strlen(url), form, sizeof form));
    /* A tiny buffer must be refused, not overrun. */
    if (ng__url_host(url, chost, 2) > 1)
        ng_fuzz_fail("host longer than its buffer");
    if (canon) {
        char *again = ng__url_canonical(canon);
        if (!again || strcmp(again, canon) != 0)
            ng_fuzz_fail("canonical form is not stable");
        int cn = ng__url_host(canon, chost, sizeof chost);
        if (n > 0 && (cn != n || strcmp(chost, host) != 0))
            ng_fuzz_fail("canonical URL has another host");
        free(again);
    }
    free(canon);
    free(url);
    return 0;
}
