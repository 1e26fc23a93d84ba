/*
 * test_text.c -- unit tests for core/text.c and core/html.c: UTF-8
 * validation, NFKC normalization and white space, case folding, words,
 * URLs found in prose, and the reduction of HTML to text and links.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "html.h"
#include "unit.h"

static char *norm(const char *s)
{
    size_t n;
    char *o = ng__text_normalize(s, strlen(s), &n);
    ck_assert_ptr_nonnull(o);
    ck_assert_uint_eq(n, strlen(o));
    return o;
}

static char *fold(const char *s)
{
    size_t n;
    char *o = ng__text_fold(s, strlen(s), &n);
    ck_assert_ptr_nonnull(o);
    ck_assert_uint_eq(n, strlen(o));
    return o;
}

#define CK_NORM(in, want) do { char *o_ = norm(in); \
    ck_assert_str_eq(o_, want); free(o_); } while (0)
#define CK_FOLD(in, want) do { char *o_ = fold(in); \
    ck_assert_str_eq(o_, want); free(o_); } while (0)

START_TEST(utf8_valid)
{
    size_t bad = 99;
    ck_assert_int_eq(ng__utf8_valid("plain", 5, NULL), 1);
    ck_assert_int_eq(ng__utf8_valid("caf\xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80",
                                    14, NULL), 1);
    ck_assert_int_eq(ng__utf8_valid("ab\xff", 3, &bad), 0);
    ck_assert_uint_eq(bad, 2);
    ck_assert_int_eq(ng__utf8_valid("a\0b", 3, &bad), 0); /* NUL */
    ck_assert_uint_eq(bad, 1);
    ck_assert_int_eq(ng__utf8_valid("\xc0\xaf", 2, &bad), 0); /* overlong */
    ck_assert_int_eq(ng__utf8_valid("\xed\xa0\x80", 3, &bad), 0); /* surr. */
    ck_assert_int_eq(ng__utf8_valid("\xf4\x90\x80\x80", 4, &bad), 0);
    ck_assert_int_eq(ng__utf8_valid("x\xc3", 2, &bad), 0); /* truncated */
    ck_assert_uint_eq(bad, 1);
    ck_assert_int_eq(ng__utf8_valid("", 0, NULL), 1);
}
END_TEST

START_TEST(normalize_nfkc)
{
    CK_NORM("\xef\xac\x81nance", "finance");          /* ligature fi */
    CK_NORM("\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93", "123"); /* full-width */
    CK_NORM("x\xc2\xb2", "x2");                        /* superscript */
    CK_NORM("cafe\xcc\x81", "caf\xc3\xa9");            /* composed */
    CK_NORM("Ae\xcc\x81 \xef\xac\x81", "A\xc3\xa9 fi"); /* cut points */
    CK_NORM("a\xc2\xa0" "b", "a b");                    /* NBSP */
    CK_NORM("\xe3\x80\x80x\xe3\x80\x80", "x");          /* ideographic sp */
}
END_TEST

START_TEST(normalize_space)
{
    CK_NORM("  a \t b  ", "a b");
    CK_NORM("a\nb", "a b");
    CK_NORM("a\n\nb", "a\n\nb");
    CK_NORM("a \n \n\n  b", "a\n\nb");
    CK_NORM("a\r\n\r\nb\r\nc", "a\n\nb c");
    CK_NORM("a\xe2\x80\xa9" "b", "a\n\nb");             /* PARA SEP */
    CK_NORM("\n\n\n", "");
    CK_NORM("", "");
    size_t n;
    ck_assert_ptr_null(ng__text_normalize("a\xff", 2, &n));
}
END_TEST

START_TEST(fold_case)
{
    CK_FOLD("Hello WORLD", "hello world");
    CK_FOLD("Stra\xc3\x9f" "e", "strasse");
    CK_FOLD("\xce\xa3\xce\x99\xce\xa3", "\xcf\x83\xce\xb9\xcf\x83"); /* ΣΙΣ */
    CK_FOLD("Caf\xc3\x89", "caf\xc3\xa9");                /* accents kept */
    CK_FOLD("soft\xc2\xad" "hyphen", "softhyphen");        /* ignorable */
    CK_FOLD("", "");
}
END_TEST

/* White space collapsed as ng__text_normalize documents it, for ASCII
 * text: a run with two or more line breaks becomes "\n\n", any other
 * run one space, and runs at either end go. */
static size_t collapse_ref(const char *s, size_t n, char *out)
{
    size_t o = 0, i = 0;

    while (i < n) {
        if (!strchr(" \t\v\f\n\r", s[i])) {
            out[o++] = s[i++];
            continue;
        }
        int lines = 0;
        for (; i < n && strchr(" \t\v\f\n\r", s[i]); i++)
            if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
                lines++;
        if (o == 0 || i == n)
            continue;
        if (lines >= 2)
            out[o++] = '\n', out[o++] = '\n';
        else
            out[o++] = ' ';
    }
    return o;
}

/* Random ASCII texts of words, spaces and line breaks normalize as
 * collapse_ref says (text.c skips plain stretches eight bytes at a
 * time: plain_run). */
START_TEST(normalize_space_random)
{
    static const char alphabet[] = "aB.!-'  \t\n\r";
    unsigned seed = 7;
    char in[80], want[200];

    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)(rand_r(&seed) % 70);
        for (size_t k = 0; k < n; k++)
            in[k] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
        in[n] = '\0';
        size_t wl = collapse_ref(in, n, want), ol;
        char *out = ng__text_normalize(in, n, &ol);
        ck_assert_ptr_nonnull(out);
        ck_assert_msg(ol == wl && memcmp(out, want, wl) == 0,
                      "normalize of \"%s\"", in);
        free(out);
    }
}
END_TEST

/* Every ASCII byte, at every alignment and next to non-ASCII text,
 * folds to itself with only A-Z lowered (eight bytes at a time or one
 * by one: text.c's copy_ascii). */
START_TEST(fold_ascii_runs)
{
    char in[300], want[300];

    for (size_t shift = 0; shift < 9; shift++) {
        size_t n = 0;
        for (size_t k = 0; k < shift; k++)
            in[n] = want[n] = 'x', n++;
        for (int c = 1; c < 128; c++, n++) {
            in[n] = (char)c;
            want[n] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        memcpy(in + n, "\xc3\x89Z", 4);        /* \u00c9 then Z */
        memcpy(want + n, "\xc3\xa9z", 4);
        n += 3;
        in[n] = want[n] = '\0';
        size_t ol;
        char *out = ng__text_fold(in, n, &ol);
        ck_assert_ptr_nonnull(out);
        ck_assert_uint_eq(ol, n);
        ck_assert(memcmp(out, want, n) == 0);
        free(out);
    }
}
END_TEST

/* Splits s and compares the words with the NULL-terminated list. */
static void check_words(const char *s, const char *const *want)
{
    ng__word *w;
    size_t n, i;
    ck_assert_int_eq(ng__text_words(s, strlen(s), &w, &n), 0);
    ck_assert_ptr_nonnull(w);
    /* Counting alone gives the same number. */
    ck_assert_uint_eq(ng__text_word_count(s, strlen(s)), n);
    for (i = 0; want[i]; i++) {
        ck_assert_uint_lt(i, n);
        ck_assert_uint_eq(w[i].len, strlen(want[i]));
        ck_assert(memcmp(s + w[i].off, want[i], w[i].len) == 0);
    }
    ck_assert_uint_eq(n, i);
    free(w);
}

START_TEST(words)
{
    static const char *const w1[] = {"don't", "stop", "co-op", "2024", NULL};
    check_words("don't stop -- co-op, 2024!", w1);
    static const char *const w2[] = {"it\xe2\x80\x99s", "caf\xc3\xa9", NULL};
    check_words("it\xe2\x80\x99s caf\xc3\xa9", w2);
    static const char *const w3[] = {"a", "b", NULL};
    check_words("'a' -b-", w3);
    static const char *const w4[] = {"\xd0\xbc\xd0\xb8\xd1\x80", "x1", NULL};
    check_words("\xd0\xbc\xd0\xb8\xd1\x80 ... x1", w4);
    static const char *const w5[] = {NULL};
    check_words("  ...  ", w5);
}
END_TEST

static void check_urls(const char *s, const char *const *want)
{
    ng__strlist l = {0};
    size_t i;
    ck_assert_int_eq(ng__text_find_urls(s, strlen(s), &l), 0);
    for (i = 0; want[i]; i++) {
        ck_assert_uint_lt(i, l.n);
        ck_assert_str_eq(l.v[i], want[i]);
    }
    ck_assert_uint_eq(l.n, i);
    ng__strlist_free(&l);
}

START_TEST(find_urls)
{
    static const char *const u1[] = {"https://rt.com/news/1.html",
                                     "www.example.org/a?b=1", NULL};
    check_urls("Read https://rt.com/news/1.html. Or (www.example.org/a?b=1)!",
               u1);
    static const char *const u2[] = {"http://en.wikipedia.org/wiki/A_(b)",
                                     NULL};
    check_urls("see http://en.wikipedia.org/wiki/A_(b), ok", u2);
    static const char *const u3[] = {"HTTP://X.COM", NULL};
    check_urls("\"HTTP://X.COM\"", u3);
    static const char *const none[] = {NULL};
    check_urls("no www here, nohttp://x.com, www. http:// end", none);
    static const char *const u4[] = {"https://a.b/c", NULL};
    check_urls("\xe2\x80\x9chttps://a.b/c\xe2\x80\x9d", u4);
}
END_TEST

START_TEST(html_text)
{
    ng__strlist links = {0}, imgs = {0};
    char err[128];
    const char *h =
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<h1>Head</h1><p>One  <b>two</b>\n three &amp; four</p>"
        "<script>var x = 1;</script><p>line<br>break</p>"
        "<ul><li>a</li><li>b</li></ul>"
        "<p><a href=\" https://x.com/1 \">link</a> <a href=\"#top\">t</a>"
        "<img src=\"/i.png\"></p></body></html>";
    char *t = ng__html_to_text(h, strlen(h), &links, &imgs, err, sizeof err);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t, "Head\n\nOne two three & four\n\nline\nbreak\n\n"
                     "a\n\nb\n\nlink t");
    ck_assert_uint_eq(links.n, 1);
    ck_assert_str_eq(links.v[0], "https://x.com/1");
    ck_assert_uint_eq(imgs.n, 1);
    ck_assert_str_eq(imgs.v[0], "/i.png");
    free(t);
    ng__strlist_free(&links);
    ng__strlist_free(&imgs);
}
END_TEST

START_TEST(html_broken)
{
    char err[128];
    const char *h = "<p>unclosed <b>bold <div>deep &eacute;t\xc3\xa9";
    char *t = ng__html_to_text(h, strlen(h), NULL, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t, "unclosed bold\n\ndeep \xc3\xa9t\xc3\xa9");
    free(t);
    t = ng__html_to_text("", 0, NULL, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t, "");
    free(t);
    /* Deep nesting must not recurse: 20000 open <div>s. */
    size_t n = 20000 * 5 + 2;
    char *deep = malloc(n + 1);
    for (size_t i = 0; i < 20000; i++)
        memcpy(deep + i * 5, "<div>", 5);
    memcpy(deep + n - 2, "ok", 3);
    t = ng__html_to_text(deep, n, NULL, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_nonnull(strstr(t, "ok"));
    free(t);
    free(deep);
}
END_TEST

START_TEST(html_script_links)
{
    /* Script and data schemes are dropped however they are spelled:
     * any case, leading spaces and controls, tabs and newlines inside. */
    ng__strlist links = {0};
    char err[128];
    const char *h =
        "<a href=\"JavaScript:alert(1)\">a</a>"
        "<a href=\" \x01javascript:x\">b</a>"
        "<a href=\"java&#9;script:x\">c</a>"
        "<a href=\"jav&#10;ascript:x\">d</a>"
        "<a href=\"data:text/html,x\">e</a>"
        "<a href=\"DATA:text/html,x\">f</a>"
        "<a href=\"vbscript:msgbox\">g</a>"
        "<a href=\"VBScript:msgbox\">h</a>"
        "<a href=\"https://ok.example/javascript:\">i</a>"
        "<a href=\"/data:x\">j</a>";
    char *t = ng__html_to_text(h, strlen(h), &links, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(links.n, 2);
    ck_assert_str_eq(links.v[0], "https://ok.example/javascript:");
    ck_assert_str_eq(links.v[1], "/data:x");
    free(t);
    ng__strlist_free(&links);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, utf8_valid);
    tcase_add_test(tc, normalize_nfkc);
    tcase_add_test(tc, normalize_space);
    tcase_add_test(tc, fold_case);
    tcase_add_test(tc, fold_ascii_runs);
    tcase_add_test(tc, normalize_space_random);
    tcase_add_test(tc, words);
    tcase_add_test(tc, find_urls);
    tcase_add_test(tc, html_text);
    tcase_add_test(tc, html_broken);
    tcase_add_test(tc, html_script_links);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ng_unit_run(suite());
}
