/*
 * fuzz_attrib.c -- fuzz target: quotation and credit extraction and
 * publishers' fingerprints (quotes.c, quote_marks.c, quote_words.c,
 * credits.c, publishers.c).
 *
 * The first byte picks what the rest is.  Even: a text (valid UTF-8, as
 * the engine passes them), searched for quotations and credits and
 * matched against the default publishers (rules/lists/publishers.txt, or
 * $NEWSGATE_RULES/lists/publishers.txt).  Odd: a publishers file, loaded
 * and, when it loads, matched against its own text.  Properties: every
 * span reported lies inside the text and starts before it ends; the
 * counts stay within the documented caps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrib.h"
#include "text.h"
#include "fuzz.h"

/* The default publishers, and a file for publishers inputs; set once. */
static ng__publishers *defaults;
static char pubfile[64];

static void in_text(size_t start, size_t end, size_t len)
{
    if (start > end || end > len)
        ng_fuzz_fail("a span outside the text");
}

static void quotes_of(const char *s, size_t len)
{
    ng__quote *q = NULL;
    size_t n = 0;

    if (ng__quotes_find(s, len, &q, &n) != 0)
        ng_fuzz_fail("quotes_find failed");
    if (n > NG__QUOTES_MAX)
        ng_fuzz_fail("more quotations than the cap");
    for (size_t i = 0; i < n; i++) {
        in_text(q[i].start, q[i].end, len);
        in_text(q[i].in_start, q[i].in_end, len);
        in_text(q[i].spk_start, q[i].spk_end, len);
        in_text(q[i].who_start, q[i].who_end, len);
        in_text(q[i].verb_start, q[i].verb_end, len);
    }
    free(q);
}

/* Credits of s, matched against p (may be NULL). */
static void credits_of(const char *s, size_t len, const ng__publishers *p)
{
    static const char *const domains[] = { "reuters.com", "example.org" };
    ng__credit *c = NULL;
    ng__evidence *ev = NULL;
    size_t n = 0, nev = 0;

    if (ng__credits_find(s, len, &c, &n) != 0)
        ng_fuzz_fail("credits_find failed");
    if (n > NG__CREDITS_MAX)
        ng_fuzz_fail("more credits than the cap");
    for (size_t i = 0; i < n; i++) {
        in_text(c[i].start, c[i].end, len);
        in_text(c[i].pub_start, c[i].pub_end, len);
        if (c[i].pub_start == c[i].pub_end)
            ng_fuzz_fail("a credit names no publisher");
    }
    if (p && ng__publishers_match(p, s, len, c, n, domains, 2, &ev, &nev))
        ng_fuzz_fail("publishers_match failed");
    for (size_t i = 0; i < nev; i++) {
        if (ev[i].pub >= ng__publishers_count(p))
            ng_fuzz_fail("evidence for no publisher");
        in_text(ev[i].start, ev[i].end, len);
    }
    free(ev);
    free(c);
}

static void cleanup(void)
{
    ng__publishers_free(defaults);
    defaults = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *rules = getenv("NEWSGATE_RULES");
    char path[4096], err[256];

    snprintf(path, sizeof path, "%s/lists/publishers.txt",
             rules ? rules : "rules");
    if (ng__publishers_load(&defaults, path, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_attrib: %s: %s\n", path, err);
        ng_fuzz_fail("the default publishers do not load");
    }
    snprintf(pubfile, sizeof pubfile, "/tmp/ng-fuzz-pub-%ld.txt",
             (long)getpid());
    atexit(cleanup);
    return 0;
}

/* Loads data[0..size) as a publishers file and matches it against
 * itself. */
static void publishers_file(const char *s, size_t len)
{
    ng__publishers *p = NULL;
    FILE *f = fopen(pubfile, "wb");
    char err[256];

    if (!f || fwrite(s, 1, len, f) != len || fclose(f) != 0)
        ng_fuzz_fail("cannot write the publishers file");
    if (ng__publishers_load(&p, pubfile, err, sizeof err) == 0) {
        for (size_t i = 0; i < ng__publishers_count(p); i++)
            if (!ng__publishers_name(p, i))
                ng_fuzz_fail("a publisher without a name");
        credits_of(s, len, p);
        ng__publishers_free(p);
    } else if (p) {
        ng_fuzz_fail("a failed load set its output");
    }
    unlink(pubfile);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t bad;
    const char *s = (const char *)data + 1;

    if (size < 1 || !ng__utf8_valid(s, size - 1, &bad))
        return 0;
    if (data[0] & 1) {
        publishers_file(s, size - 1);
        return 0;
    }
    quotes_of(s, size - 1);
    credits_of(s, size - 1, defaults);
    return 0;
}
