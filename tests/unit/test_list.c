/*
 * test_list.c -- unit tests of word, phrase and domain lists
 * (core/list.c): loading, comments, case folding and normalization,
 * phrases on word boundaries, spans, counts, domains with parents.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "list.h"
#include "newsgate.h"
#include "unit.h"

static char err[256];

/* Loads a list from a string; fails the test on error. */
static ng__list *load(const char *name, const char *text)
{
    ng__list *l = ng__list_new();
    ck_assert_ptr_nonnull(l);
    ck_assert_msg(ng__list_load_mem(l, name, text, strlen(text), err,
                                    sizeof err) == 0, "load: %s", err);
    return l;
}

static int has(ng__list *l, const char *s)
{
    return ng__list_has(l, s, strlen(s));
}

static int any(ng__list *l, const char *s, ng__list_match *m)
{
    return ng__list_any(l, s, strlen(s), m);
}

static int dom(ng__list *l, const char *s, const char **entry)
{
    return ng__list_has_domain(l, s, strlen(s), entry);
}

static const char words[] =
    "# spam phrases\n"
    "\n"
    "FREE Money\n"
    "  casino  \n"
    "free\n"
    "# a comment\n"
    "Café\r\n"
    "click   here now\n"
    "casino\n"
    "don't miss\n";

START_TEST(load_skips_comments_and_duplicates)
{
    ng__list *l = load("spam.txt", words);
    ck_assert_uint_eq(ng__list_size(l), 6);
    ck_assert_int_eq(ng__list_is_domains(l), 0);
    ck_assert_int_eq(has(l, "# a comment"), 0);
    ck_assert_int_eq(has(l, ""), 0);
    ng__list_free(l);
}
END_TEST

START_TEST(has_is_case_insensitive)
{
    ng__list *l = load("spam.txt", words);
    ck_assert_int_eq(has(l, "free money"), 1);
    ck_assert_int_eq(has(l, "Free   MONEY"), 1);
    ck_assert_int_eq(has(l, " free\tmoney "), 1);
    ck_assert_int_eq(has(l, "CASINO"), 1);
    ck_assert_int_eq(has(l, "café"), 1);
    ck_assert_int_eq(has(l, "CAFÉ"), 1);
    ck_assert_int_eq(has(l, "cafe"), 0);     /* accents are kept */
    ck_assert_int_eq(has(l, "money"), 0);
    ck_assert_int_eq(has(l, "free money now"), 0);
    ck_assert_int_eq(has(l, "DON'T MISS"), 1);
    ck_assert_int_eq(has(l, "\xff"), -1);
    ng__list_free(l);
}
END_TEST

START_TEST(nfkc_normalization)
{
    ng__list *l = load("w.txt", "ﬁnance\nfree\n");
    /* Fullwidth letters and ligatures fold to their plain forms. */
    ck_assert_int_eq(has(l, "ＦＲＥＥ"), 1);
    ck_assert_int_eq(has(l, "FINANCE"), 1);
    ck_assert_int_eq(has(l, "finance"), 1);
    ng__list_free(l);
}
END_TEST

START_TEST(phrases_match_on_word_boundaries)
{
    ng__list *l = load("spam.txt", "free money\n");
    ng__list_match m;
    const char *t = "get FREE   money now";

    ck_assert_int_eq(any(l, t, &m), 1);
    ck_assert_str_eq(m.entry, "free money");
    ck_assert_uint_eq(m.start, 4);
    ck_assert_uint_eq(m.end, 16);
    ck_assert_int_eq(memcmp(t + m.start, "FREE   money", 12), 0);
    ck_assert_int_eq(any(l, "get freemoney now", &m), 0);
    ck_assert_int_eq(any(l, "carefree moneylender", &m), 0);
    ck_assert_int_eq(any(l, "free\nmoney", &m), 1);
    /* Punctuation between the words breaks a phrase. */
    ck_assert_int_eq(any(l, "it is free. Money back", &m), 0);
    ck_assert_int_eq(any(l, "", &m), 0);
    ck_assert_int_eq(any(l, "free", &m), 0);
    ng__list_free(l);
}
END_TEST

START_TEST(any_prefers_first_then_longest)
{
    ng__list *l = load("spam.txt", words);
    ng__list_match m;

    ck_assert_int_eq(any(l, "Win FREE money at the casino", &m), 1);
    ck_assert_str_eq(m.entry, "free money");
    ck_assert_uint_eq(m.start, 4);
    ck_assert_int_eq(any(l, "the Casino gives free stuff", &m), 1);
    ck_assert_str_eq(m.entry, "casino");
    ck_assert_uint_eq(m.start, 4);
    ck_assert_uint_eq(m.end, 10);
    ck_assert_int_eq(any(l, "free stuff", &m), 1);
    ck_assert_str_eq(m.entry, "free");
    ck_assert_int_eq(any(l, "Please CLICK here NOW!", &m), 1);
    ck_assert_str_eq(m.entry, "click here now");
    ck_assert_uint_eq(m.start, 7);
    ck_assert_uint_eq(m.end, 21);
    ng__list_free(l);
}
END_TEST

START_TEST(spans_are_bytes_of_the_original_text)
{
    ng__list *l = load("spam.txt", words);
    ng__list_match m;
    const char *t = "Ünïcödé first: un CAFÉ, s'il vous plaît";

    ck_assert_int_eq(any(l, t, &m), 1);
    ck_assert_str_eq(m.entry, "café");
    ck_assert_int_eq(memcmp(t + m.start, "CAFÉ", m.end - m.start), 0);
    ck_assert_uint_eq(m.end - m.start, strlen("CAFÉ"));
    ck_assert_int_eq(any(l, "\xff", &m), -1);
    ng__list_free(l);
}
END_TEST

START_TEST(all_counts_entries)
{
    ng__list *l = load("spam.txt", words);
    ng__list_count *c;
    size_t n;
    const char *t = "Casino! free money, FREE MONEY and more casino. Free.";

    ck_assert_int_eq(ng__list_all(l, t, strlen(t), &c, &n), 0);
    ck_assert_uint_eq(n, 3);
    /* In order of first occurrence. */
    ck_assert_str_eq(c[0].entry, "casino");
    ck_assert_uint_eq(c[0].count, 2);
    ck_assert_uint_eq(c[0].first, 0);
    ck_assert_str_eq(c[1].entry, "free");
    ck_assert_uint_eq(c[1].count, 3);
    ck_assert_str_eq(c[2].entry, "free money");
    ck_assert_uint_eq(c[2].count, 2);
    ck_assert_uint_eq(c[2].first, 8);
    free(c);
    ck_assert_int_eq(ng__list_all(l, "nothing here", 12, &c, &n), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(c);
    ng__list_free(l);
}
END_TEST

START_TEST(domains_by_name_and_header)
{
    ng__list *a = load("bad.domains", "Example.COM\n");
    ng__list *b = load("bad.txt", "# kind: domains\n# more\nexample.com\n");
    ng__list *c = load("bad.txt", "example.com\n");

    ck_assert_int_eq(ng__list_is_domains(a), 1);
    ck_assert_int_eq(ng__list_is_domains(b), 1);
    ck_assert_int_eq(ng__list_is_domains(c), 0);
    ck_assert_int_eq(dom(a, "example.com", NULL), 1);
    ck_assert_int_eq(dom(b, "example.com", NULL), 1);
    ck_assert_int_eq(dom(c, "example.com", NULL), 0);
    ng__list_free(a);
    ng__list_free(b);
    ng__list_free(c);
}
END_TEST

START_TEST(domains_match_parents)
{
    ng__list *l = load("bad.domains",
                       "# kind: domains\nexample.com\n*.spam.net\n"
                       "www.ads.org\nrt.com.\n");
    const char *e = NULL;

    ck_assert_uint_eq(ng__list_size(l), 4);
    ck_assert_int_eq(dom(l, "example.com", &e), 1);
    ck_assert_str_eq(e, "example.com");
    ck_assert_int_eq(dom(l, "sub.example.com", &e), 1);
    ck_assert_str_eq(e, "example.com");
    ck_assert_int_eq(dom(l, "a.b.c.EXAMPLE.com.", &e), 1);
    ck_assert_int_eq(dom(l, "WWW.Example.Com", NULL), 1);
    ck_assert_int_eq(dom(l, "notexample.com", &e), 0);
    ck_assert_ptr_null(e);
    ck_assert_int_eq(dom(l, "example.com.au", NULL), 0);
    ck_assert_int_eq(dom(l, "com", NULL), 0);
    ck_assert_int_eq(dom(l, "x.spam.net", NULL), 1);
    ck_assert_int_eq(dom(l, "spam.net", NULL), 1);
    ck_assert_int_eq(dom(l, "ads.org", NULL), 1);
    ck_assert_int_eq(dom(l, "de.rt.com", NULL), 1);
    ck_assert_int_eq(has(l, "EXAMPLE.com"), 1);
    ck_assert_int_eq(has(l, "sub.example.com"), 0);
    ng__list_free(l);
}
END_TEST

/* Issue 16: a listed domain matches in its Unicode and its xn-- form,
 * whichever the list and the item use (item hosts are A-labels). */
START_TEST(domains_idna_forms)
{
    ng__list *l = load("idn.domains", "b\xc3\xbc" "cher.example\n"
                       "xn--80atc1g.xn--p1ai\n");
    const char *e = NULL;

    ck_assert_int_eq(dom(l, "xn--bcher-kva.example", &e), 1);
    ck_assert_str_eq(e, "xn--bcher-kva.example");
    ck_assert_int_eq(dom(l, "shop.B\xc3\x9c" "CHER.example", NULL), 1);
    ck_assert_int_eq(dom(l, "\xd1\x91\xd0\xbb\xd0\xba\xd0\xb0."
                         "\xd1\x80\xd1\x84", NULL), 1);
    ck_assert_int_eq(dom(l, "bucher.example", NULL), 0);
    ng__list_free(l);
}
END_TEST

START_TEST(domains_found_in_text)
{
    ng__list *l = load("bad.domains", "example.com\nrt.com\n");
    ng__list_match m;
    ng__list_count *c;
    size_t n;
    const char *t = "See https://News.Example.com/x?y=1, or visit rt.com. "
                    "Not example.org, nor notrt.com; again example.com";

    ck_assert_int_eq(any(l, t, &m), 1);
    ck_assert_str_eq(m.entry, "example.com");
    ck_assert_int_eq(memcmp(t + m.start, "News.Example.com",
                            m.end - m.start), 0);
    ck_assert_uint_eq(m.end - m.start, 16);
    ck_assert_int_eq(ng__list_all(l, t, strlen(t), &c, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(c[0].entry, "example.com");
    ck_assert_uint_eq(c[0].count, 2);
    ck_assert_str_eq(c[1].entry, "rt.com");
    ck_assert_uint_eq(c[1].count, 1);
    free(c);
    ck_assert_int_eq(any(l, "example com", &m), 0);
    ng__list_free(l);
}
END_TEST

START_TEST(word_list_has_no_domains)
{
    ng__list *l = load("w.txt", "example.com\n");
    ck_assert_int_eq(dom(l, "example.com", NULL), 0);
    ng__list_free(l);
}
END_TEST

START_TEST(bad_utf8_line_is_an_error)
{
    ng__list *l = ng__list_new();
    const char *t = "ok\nbad \xc3\x28 line\n";

    ck_assert_int_eq(ng__list_load_mem(l, "x.txt", t, strlen(t), err,
                                       sizeof err), -1);
    ck_assert_str_eq(err, "line 2: not valid UTF-8");
    ng__list_free(l);
}
END_TEST

START_TEST(bom_and_no_final_newline)
{
    ng__list *l = load("x.txt", "\xEF\xBB\xBFspam\neggs");
    ck_assert_uint_eq(ng__list_size(l), 2);
    ck_assert_int_eq(has(l, "spam"), 1);
    ck_assert_int_eq(has(l, "eggs"), 1);
    ng__list_free(l);
}
END_TEST

START_TEST(missing_file)
{
    ng__list *l = ng__list_new();
    ck_assert_int_eq(ng__list_load_file(l, "/nonexistent/x.txt", err,
                                        sizeof err), -1);
    ck_assert_str_eq(err, "cannot open: No such file or directory");
    ng__list_free(l);
    ng__list_free(NULL);
}
END_TEST

/* Writes a 10,000-entry file (words and phrases) and loads it. */
START_TEST(load_ten_thousand_entries)
{
    char path[] = "/tmp/ng-list-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    ng__list *l = ng__list_new();
    ng__list_match m;
    struct timespec t0, t1;
    int i;

    ck_assert_ptr_nonnull(f);
    fprintf(f, "# generated\n");
    for (i = 0; i < 10000; i++)
        fprintf(f, i % 3 ? "Word%d\n" : "spam phrase number %d\n", i);
    fclose(f);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(ng__list_load_file(l, path, err, sizeof err), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    unlink(path);
    printf("loaded 10,000 entries in %.2f ms\n",
           (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    ck_assert_uint_eq(ng__list_size(l), 10000);
    ck_assert_int_eq(has(l, "WORD9998"), 1);
    ck_assert_int_eq(has(l, "spam phrase number 9999"), 1);
    ck_assert_int_eq(any(l, "this is Spam  phrase number 300!", &m), 1);
    ck_assert_str_eq(m.entry, "spam phrase number 300");
    ck_assert_int_eq(any(l, "spam phrase number 301", &m), 0);
    ng__list_free(l);
}
END_TEST


/* ---- the Lua binding, through the public engine API --------------- */

static char dir[64];

/* Writes dir/name with `text`. */
static void put(const char *name, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void rm_dir(void)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void lua_setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/ng-lualist-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    put("spam.txt", "# spam\nfree money\nCasino\nclick here\n");
    put("bad.domains", "example.com\nrt.com\n");
}

/* Loads the rules of `dir` with one file holding `code`.  Returns the
 * ng_engine_load_rules code; the message is copied into err. */
static int load_rules(const char *code)
{
    ng_engine *e = NULL;
    int rc;

    put("a.lua", code);
    ck_assert_int_eq(ng_engine_open(&e, NULL), NG_OK);
    rc = ng_engine_load_rules(e, dir);
    snprintf(err, sizeof err, "%s", ng_engine_errmsg(e));
    ng_engine_close(e);
    return rc;
}

START_TEST(lua_methods)
{
    static const char code[] =
        "local l = list('spam.txt')\n"
        "assert(l == list('spam.txt'), 'not cached')\n"
        "assert(#l == 3 and l:size() == 3, 'size')\n"
        "assert(l:has('FREE Money') and not l:has('money'), 'has')\n"
        "local e, s, f = l:any('get FREE   money now')\n"
        "assert(e == 'free money' and s == 5 and f == 16,\n"
        "       ('any %s %s %s'):format(e, s, f))\n"
        "assert(('get FREE   money now'):sub(s, f) == 'FREE   money')\n"
        "assert(l:any('freemoney') == nil, 'any nil')\n"
        "local t = l:all('casino, CASINO! click here')\n"
        "assert(t.casino == 2 and t['click here'] == 1, 'all')\n"
        "assert(next(l:all('nothing')) == nil, 'all empty')\n"
        "assert(l:has_domain('example.com') == false, 'words')\n"
        "local d = list('bad.domains')\n"
        "local ok, entry = d:has_domain('News.RT.com')\n"
        "assert(ok and entry == 'rt.com', 'has_domain')\n"
        "assert(d:has_domain('https://www.example.com/a?b') , 'url')\n"
        "assert(not d:has_domain('example.org'), 'not listed')\n"
        "local e2, s2, f2 = d:any('see sub.example.com/x')\n"
        "assert(e2 == 'example.com' and s2 == 5 and f2 == 19, 'dany')\n"
        "assert(tostring(d):find('2 domains'), tostring(d))\n"
        "assert(not pcall(l.any, l, '\\255'), 'utf8')\n"
        "assert(getmetatable(l) == 'list', 'metatable hidden')\n";

    ck_assert_msg(load_rules(code) == NG_OK, "%s", err);
    rm_dir();
}
END_TEST

START_TEST(lua_bad_paths)
{
    ck_assert_int_eq(load_rules("local l = list('/etc/passwd')\n"),
                     NG_ERULES);
    ck_assert_msg(strstr(err, "a.lua:1:") && strstr(err,
                  "list '/etc/passwd': absolute paths are not allowed"),
                  "got '%s'", err);
    ck_assert_int_eq(load_rules("\nlist('x/../../secret.txt')\n"),
                     NG_ERULES);
    ck_assert_msg(strstr(err, "a.lua:2:") && strstr(err, "'..'"),
                  "got '%s'", err);
    ck_assert_int_eq(load_rules("list('nope.txt')\n"), NG_ERULES);
    ck_assert_msg(strstr(err, "list 'nope.txt': cannot open: No such file"),
                  "got '%s'", err);
    ck_assert_int_eq(load_rules("list({})\n"), NG_ERULES);
    rm_dir();
}
END_TEST

START_TEST(lua_any_on_item)
{
    static const char code[] =
        "local l = list('spam.txt')\n"
        "local d = list('bad.domains')\n"
        "rule { name = 'SPAMMY', group = 'spam', score = 3,\n"
        "  description = 'spam words',\n"
        "  check = function(item)\n"
        "    local e, s, f = l:any(item)\n"
        "    local n = l:all(item).casino\n"
        "    local de, ds, df, host = d:any(item)\n"
        "    return e ~= nil, ('%s %d %d %d %s %s'):format(e, s, f, n,\n"
        "                                          de, host)\n"
        "  end }\n";
    static const char json[] =
        "{\"title\": \"Casino news\", \"format\": \"html\", \"body\": "
        "\"<p>Win free money at the casino.</p>"
        "<a href='https://news.rt.com/x'>link</a>\"}";
    ng_engine *e = NULL;
    ng_reader *r = NULL;
    ng_item *it = NULL;
    ng_verdict *v = NULL;
    const ng_hit *h;

    put("a.lua", code);
    ck_assert_int_eq(ng_engine_open(&e, NULL), NG_OK);
    ck_assert_msg(ng_engine_load_rules(e, dir) == NG_OK, "%s",
                  ng_engine_errmsg(e));
    ck_assert_int_eq(ng_reader_open(&r, "t", json, strlen(json),
                                    NG_FORMAT_JSON, NULL), NG_OK);
    ck_assert_msg(ng_reader_next(r, &it) == NG_OK, "%s",
                  ng_reader_errmsg(r));
    ck_assert_int_eq(ng_check(e, it, &v), NG_OK);
    ck_assert_msg(ng_verdict_error_count(v) == 0, "%s",
                  ng_verdict_error(v, 0)->message);
    ck_assert_uint_eq(ng_verdict_hit_count(v), 1);
    h = ng_verdict_hit(v, 0);
    /* "Casino news\n\nWin free money at the casino." */
    ck_assert_str_eq(h->detail, "casino 1 6 2 rt.com news.rt.com");
    ng_verdict_free(v);
    ng_item_free(it);
    ng_reader_close(r);
    ng_engine_close(e);
    rm_dir();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("list");
    TCase *t = tcase_create("core");

    tcase_add_test(t, load_skips_comments_and_duplicates);
    tcase_add_test(t, has_is_case_insensitive);
    tcase_add_test(t, nfkc_normalization);
    tcase_add_test(t, phrases_match_on_word_boundaries);
    tcase_add_test(t, any_prefers_first_then_longest);
    tcase_add_test(t, spans_are_bytes_of_the_original_text);
    tcase_add_test(t, all_counts_entries);
    tcase_add_test(t, domains_by_name_and_header);
    tcase_add_test(t, domains_match_parents);
    tcase_add_test(t, domains_idna_forms);
    tcase_add_test(t, domains_found_in_text);
    tcase_add_test(t, word_list_has_no_domains);
    tcase_add_test(t, bad_utf8_line_is_an_error);
    tcase_add_test(t, bom_and_no_final_newline);
    tcase_add_test(t, missing_file);
    tcase_add_test(t, load_ten_thousand_entries);
    suite_add_tcase(s, t);
    t = tcase_create("lua");
    tcase_add_checked_fixture(t, lua_setup, NULL);
    tcase_add_test(t, lua_methods);
    tcase_add_test(t, lua_bad_paths);
    tcase_add_test(t, lua_any_on_item);
    suite_add_tcase(s, t);
    return ng_unit_run(s);
}
