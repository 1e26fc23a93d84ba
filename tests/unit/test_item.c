/*
 * test_item.c -- unit tests of the item (core/item.c, item_json.c,
 * rfc3339.c, grow.c): the field table (JSON -> item -> JSON round trip),
 * the public item API (an item built with ng_item_set checks exactly like
 * the same item read from JSON), the one analysis pass per item shared by
 * words, duplicate keys and list matching, RFC 3339 times and the growth
 * helper's overflow checks.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "dup.h"
#include "grow.h"
#include "item.h"
#include "list.h"
#include "newsgate.h"
#include "text.h"
#include "unit.h"

static const char full_json[] =
    "{\"title\":\"Casino news\",\"body\":\"<p>Win free money at the "
    "casino.</p><a href='https://news.rt.com/x'>link</a>\","
    "\"format\":\"html\",\"url\":\"https://example.org/a\","
    "\"source\":\"Reuters\",\"author\":\"A. Writer\","
    "\"submitter\":\"bob\",\"external_id\":\"ext-1\","
    "\"submitted_at\":\"2024-02-29T23:30:00+01:00\","
    "\"images\":[{\"url\":\"https://example.org/i.png\","
    "\"caption\":\"Cap\",\"credit\":\"Cred\"}],"
    "\"meta\":{\"lang\":\"en\",\"n\":[1,2]}}";

/* Reads the one item of `json`; fails the test on error. */
static ng_item *read_one(const char *json)
{
    ng_reader *r = NULL;
    ng_item *it = NULL;

    ck_assert_int_eq(ng_reader_open(&r, "t", json, strlen(json),
                                    NG_FORMAT_JSON, NULL), NG_OK);
    ck_assert_msg(ng_reader_next(r, &it) == NG_OK, "%s",
                  ng_reader_errmsg(r));
    ng_reader_close(r);
    return it;
}

/* The same item as full_json, built through the public API. */
static ng_item *build_full(void)
{
    ng_item *it = NULL;
    char err[256];

    ck_assert_int_eq(ng_item_new(&it), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_TITLE, "Casino news"), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_BODY, "<p>Win free money at "
                     "the casino.</p><a href='https://news.rt.com/x'>link"
                     "</a>"), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_FORMAT, "html"), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_URL, "https://example.org/a"),
                     NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_SOURCE, "Reuters"), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_AUTHOR, "A. Writer"), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_SUBMITTER, "bob"), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_EXTERNAL_ID, "ext-1"), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_SUBMITTED_AT,
                                 "2024-02-29T23:30:00+01:00"), NG_OK);
    ck_assert_int_eq(ng_item_add_image(it, "https://example.org/i.png",
                                       "Cap", "Cred"), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_META,
                                 "{\"lang\":\"en\",\"n\":[1,2]}"), NG_OK);
    ck_assert_msg(ng_item_validate(it, NULL, err, sizeof err) == NG_OK,
                  "%s", err);
    return it;
}

/* Asserts that two JSON texts hold equal values. */
static void same_json(const char *a, const char *b)
{
    json_t *ja = json_loads(a, 0, NULL), *jb = json_loads(b, 0, NULL);

    ck_assert_ptr_nonnull(ja);
    ck_assert_ptr_nonnull(jb);
    ck_assert_msg(json_equal(ja, jb), "%s\n  !=\n%s", a, b);
    json_decref(ja);
    json_decref(jb);
}

START_TEST(json_round_trip)
{
    ng_item *it = read_one(full_json), *again;
    char *out = ng__item_to_json(it), *out2;

    ck_assert_ptr_nonnull(out);
    same_json(out, full_json);
    again = read_one(out);       /* the serialised form reads back */
    out2 = ng__item_to_json(again);
    ck_assert_str_eq(out, out2);
    ck_assert_int_eq(it->submitted_unix, 1709245800);
    free(out);
    free(out2);
    ng_item_free(it);
    ng_item_free(again);
}
END_TEST

START_TEST(table_drives_accessors)
{
    ng_item *it = read_one(full_json);
    size_t n, len;
    const ng__field_def *defs = ng__item_fields(&n);

    ck_assert_uint_eq(n, 10);
    for (size_t i = 0; i < n; i++) {
        ck_assert_ptr_eq(ng__item_field_def(defs[i].name), &defs[i]);
        ck_assert_ptr_eq(ng__item_field_by_id(defs[i].id), &defs[i]);
    }
    ck_assert_str_eq(ng_item_get(it, NG_FIELD_SOURCE), "Reuters");
    ck_assert_str_eq(ng_item_get(it, NG_FIELD_FORMAT), "html");
    ck_assert_str_eq(ng_item_get(it, NG_FIELD_META),
                     "{\"lang\":\"en\",\"n\":[1,2]}");
    ck_assert_str_eq(ng__item_field(it, "source", &len), "Reuters");
    ck_assert_uint_eq(len, 7);
    ck_assert_str_eq(ng__item_field(it, "body", &len),
                     "Win free money at the casino.\n\nlink");
    ck_assert_ptr_null(ng__item_field(it, "meta", &len));
    ck_assert_ptr_null(ng_item_get(it, (ng_field)99));
    ng_item_free(it);
}
END_TEST

START_TEST(api_refuses_bad_values)
{
    ng_item *it = NULL;
    char err[256];

    ck_assert_int_eq(ng_item_new(NULL), NG_EINVAL);
    ck_assert_int_eq(ng_item_new(&it), NG_OK);
    ck_assert_int_eq(ng_item_set(NULL, NG_FIELD_TITLE, "x"), NG_EINVAL);
    ck_assert_int_eq(ng_item_set(it, (ng_field)42, "x"), NG_EINVAL);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_TITLE, "bad \xC3\x28"),
                     NG_EINVAL);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_SUBMITTED_AT, "2023-02-29"
                                 "T00:00:00Z"), NG_EINVAL);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_FORMAT, "markdown"),
                     NG_EINVAL);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_META, "[1]"), NG_EINVAL);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_META, "{bad"), NG_EINVAL);
    ck_assert_int_eq(ng_item_add_image(NULL, "u", NULL, NULL), NG_EINVAL);
    ck_assert_int_eq(ng_item_add_image(it, "\xFF", NULL, NULL), NG_EINVAL);
    ck_assert_uint_eq(it->nimages, 0);
    /* A failed set keeps the old value; NULL clears. */
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_FORMAT, "html"), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_FORMAT, "x"), NG_EINVAL);
    ck_assert_str_eq(ng_item_get(it, NG_FIELD_FORMAT), "html");
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_FORMAT, NULL), NG_OK);
    ck_assert_ptr_null(ng_item_get(it, NG_FIELD_FORMAT));
    ck_assert_int_eq(it->body_is_html, 0);

    ck_assert_int_eq(ng_item_validate(NULL, NULL, err, sizeof err),
                     NG_EINVAL);
    ck_assert_int_eq(ng_item_validate(it, NULL, err, sizeof err),
                     NG_EINPUT);
    ck_assert_str_eq(err, "missing title");
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_TITLE, "  "), NG_OK);
    ck_assert_int_eq(ng_item_validate(it, NULL, err, sizeof err),
                     NG_EINPUT);
    ck_assert_str_eq(err, "title is empty");
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_TITLE, "A title"), NG_OK);
    ck_assert_int_eq(ng_item_validate(it, NULL, NULL, 0), NG_EINPUT);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_BODY, "A body"), NG_OK);
    ng_limits lim = { .max_title_bytes = 3 };
    ck_assert_int_eq(ng_item_validate(it, &lim, err, sizeof err),
                     NG_EINPUT);
    ck_assert_str_eq(err, "title is 7 bytes, over the limit of 3");
    ck_assert_int_eq(ng_item_validate(it, NULL, err, sizeof err), NG_OK);
    ck_assert_str_eq(it->body_text, "A body");
    ng_item_free(it);
}
END_TEST

/* Verdict JSON of `it` under the rules of `dir`, without the timings and
 * without where the item came from (input, item: a reader's file name
 * and item number, which an item built in memory does not have). */
static json_t *verdict_of(const char *dir, ng_item *it)
{
    ng_engine_options o = { 0 };
    ng_engine *e = NULL;
    ng_verdict *v = NULL;
    char *s;
    json_t *j;

    /* Two verdicts are compared: a rule must not fail on one of them
     * for taking over the default 250 ms (seen under valgrind on a busy
     * machine). */
    o.check_deadline_ms = 60000;
    ck_assert_int_eq(ng_engine_open(&e, &o), NG_OK);
    ck_assert_msg(ng_engine_load_rules(e, dir) == NG_OK, "%s",
                  ng_engine_errmsg(e));
    ck_assert_msg(ng_check(e, it, &v) == NG_OK, "%s", ng_engine_errmsg(e));
    s = ng_verdict_json(v, 0);
    j = json_loads(s, 0, NULL);
    ck_assert_ptr_nonnull(j);
    json_object_del(j, "timings_us");
    json_object_del(j, "input");
    json_object_del(j, "item");
    ng_free(s);
    ng_verdict_free(v);
    ng_engine_close(e);
    return j;
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    ck_assert_ptr_nonnull(f = fopen(path, "w"));
    fputs(text, f);
    fclose(f);
}

static void drop(const char *dir, const char *name)
{
    char path[512];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
}

START_TEST(api_item_checks_like_json_item)
{
    static const char rules[] =
        "local l = list('spam.txt')\n"
        "rule { name = 'FIELDS', group = 'spam', score = 1,\n"
        "  description = 'every field',\n"
        "  check = function(item)\n"
        "    return true, table.concat({ item.title, item.body,\n"
        "      item.html, item.format, item.url, item.source,\n"
        "      item.author, item.submitter, item.external_id,\n"
        "      tostring(item.submitted_at), item.meta.lang,\n"
        "      tostring(item.meta.n[2]), item.images[1].credit,\n"
        "      item:text(), table.concat(item:words(), ','),\n"
        "      table.concat(item:domains(), ','),\n"
        "      tostring(l:any(item)) }, '|')\n"
        "  end }\n"
        "rule { name = 'CASINO', group = 'spam', score = 4,\n"
        "  description = 'pattern', pattern = 'casino', field = 'body' }\n";
    char dir[] = "/tmp/ng-item-XXXXXX";
    ng_item *a, *b;
    json_t *va, *vb;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    put(dir, "a.lua", rules);
    put(dir, "spam.txt", "free money\n");
    a = read_one(full_json);
    b = build_full();
    va = verdict_of(dir, a);
    vb = verdict_of(dir, b);
    ck_assert_msg(json_equal(va, vb), "API item checks differently");
    json_decref(va);
    json_decref(vb);
    va = verdict_of("rules", a); /* the default rules */
    vb = verdict_of("rules", b);
    ck_assert_msg(json_equal(va, vb), "API item checks differently "
                  "under the default rules");
    json_decref(va);
    json_decref(vb);
    ng_item_free(a);
    ng_item_free(b);
    drop(dir, "a.lua");
    drop(dir, "spam.txt");
    rmdir(dir);
}
END_TEST

START_TEST(check_validates_api_items)
{
    ng_engine *e = NULL;
    ng_verdict *v = NULL;
    ng_item *it = NULL;
    ng_engine_options o = { .limits = { .max_body_bytes = 4 } };

    ck_assert_int_eq(ng_engine_open(&e, &o), NG_OK);
    ck_assert_int_eq(ng_item_new(&it), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_TITLE, "T"), NG_OK);
    ck_assert_int_eq(ng_check(e, it, &v), NG_EINPUT);
    ck_assert_ptr_null(v);
    ck_assert_str_eq(ng_engine_errmsg(e), "missing body");
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_BODY, "too long"), NG_OK);
    ck_assert_int_eq(ng_check(e, it, &v), NG_EINPUT);
    ck_assert_str_eq(ng_engine_errmsg(e),
                     "body is 8 bytes, over the limit of 4");
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_BODY, "ok"), NG_OK);
    ck_assert_int_eq(ng_check(e, it, &v), NG_OK);
    ck_assert_int_eq(ng_check(e, it, NULL), NG_EINVAL);
    ng_verdict_free(v);
    ng_item_free(it);
    ng_engine_close(e);
}
END_TEST

static ng_item *make(const char *title, const char *body);

START_TEST(null_out_parameters_refused)
{
    ng_engine *e = NULL;
    ng_item *it = make("T", "B");
    int64_t id;
    int existed;
    ng_verdict *v;

    ck_assert_int_eq(ng_engine_open(NULL, NULL), NG_EINVAL);
    ck_assert_int_eq(ng_engine_open(&e, NULL), NG_OK);
    ck_assert_int_eq(ng_submit(e, NULL, it, NULL, &existed, &v), NG_EINVAL);
    ck_assert_int_eq(ng_submit(e, NULL, it, &id, NULL, &v), NG_EINVAL);
    ck_assert_int_eq(ng_submit(e, NULL, it, &id, &existed, NULL),
                     NG_EINVAL);
    ck_assert_int_eq(ng_submit(e, NULL, it, &id, &existed, &v), NG_EINVAL);
    ck_assert_ptr_null(v);
    ck_assert_int_eq(ng_queue_list(NULL, NULL, NULL), NG_EINVAL);
    ck_assert_int_eq(ng_queue_show(NULL, 1, NULL), NG_EINVAL);
    ck_assert_int_eq(ng_queue_claim(NULL, 0, NULL, NULL), NG_EINVAL);
    ck_assert_int_eq(ng_reader_next(NULL, NULL), NG_EINVAL);
    ck_assert_int_eq(ng_reader_open(NULL, "x", "", 0, NG_FORMAT_AUTO, NULL),
                     NG_EINVAL);
    ck_assert_int_eq(ng_store_open(NULL, "x.db", 0, NULL, 0), NG_EINVAL);
    ck_assert_int_eq(ng_verdict_action(NULL), NG_ACCEPT);
    ck_assert_uint_eq(ng_verdict_hit_count(NULL), 0);
    ck_assert_ptr_null(ng_verdict_hit(NULL, 0));
    ck_assert_ptr_null(ng_verdict_error(NULL, 0));
    ck_assert_ptr_null(ng_verdict_json(NULL, 0));
    ck_assert_ptr_null(ng_verdict_text(NULL, 0, 0));
    ng_engine_close(e);
    ng_item_free(it);
}
END_TEST

/* ---- one analysis pass ------------------------------------------ */

static ng_item *make(const char *title, const char *body)
{
    ng_item *it = NULL;

    ck_assert_int_eq(ng_item_new(&it), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_TITLE, title), NG_OK);
    ck_assert_int_eq(ng_item_set(it, NG_FIELD_BODY, body), NG_OK);
    ck_assert_int_eq(ng_item_validate(it, NULL, NULL, 0), NG_OK);
    return it;
}

START_TEST(text_is_normalized_once)
{
    ng_item *it = make("Free Money now", "Click here for FREE money, "
                       "at casino.example.com today.");
    ng__list *l = ng__list_new();
    const ng__wordset *ws;
    const ng__part *tp, *bp;
    ng__list_match m;
    ng__list_count *c;
    size_t n;
    char err[128];

    ck_assert_int_eq(ng__list_load_mem(l, "spam.txt", "free money\n", 11,
                                       err, sizeof err), 0);
    ck_assert_ptr_nonnull(ng__item_text(it, NULL));
    ck_assert_ptr_nonnull(ng__item_words(it, &n, NULL));
    ck_assert_uint_eq(n, 13);
    ws = ng__item_listwords(it);
    ck_assert_ptr_nonnull(ws);
    ck_assert_ptr_eq(ng__item_listwords(it), ws);      /* cached */
    ck_assert_ptr_eq(ws->text, it->an.text);           /* over the text */
    ck_assert_int_eq(ng__list_any_words(l, ws, &m), 1);
    ck_assert_uint_eq(m.start, 0);
    ck_assert_int_eq(ng__list_all_words(l, ws, &c, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(c[0].count, 2);
    free(c);
    ck_assert_ptr_eq(ng__item_listwords(it), ws);
    /* The joined text was normalized once, whoever asked. */
    ck_assert_uint_eq(it->an.passes, 1);
    /* The duplicate keys hash runs of the item's one set of words (the
     * title is normalized once more, alone, to find where it ends). */
    ck_assert_ptr_nonnull(ng__dup_info(it));
    tp = ng__item_part(it, NG__PART_TITLE);
    bp = ng__item_part(it, NG__PART_BODY);
    ck_assert_ptr_eq(tp->base, it->an.folded);
    ck_assert_ptr_eq(bp->base, it->an.folded);
    ck_assert_ptr_eq(tp->words, it->an.words);
    ck_assert_uint_eq(tp->nwords, 3);
    ck_assert_ptr_eq(bp->words, it->an.words + 3);
    ck_assert_uint_eq(bp->nwords, 10);
    ck_assert_uint_eq(it->an.passes, 2);
    ng__list_free(l);
    ng_item_free(it);
}
END_TEST

START_TEST(rules_share_the_prepared_words)
{
    static const char rules[] =
        "local l = list('spam.txt')\n"
        "local d = list('bad.domains')\n"
        "rule { name = 'LISTS', group = 'spam', score = 1,\n"
        "  description = 'lists', check = function(item)\n"
        "    local a = l:any(item); local b = l:any(item)\n"
        "    local c = l:all(item)['free money']\n"
        "    return a ~= nil and a == b and c == 2, tostring(c) end }\n"
        "rule { name = 'DOMAINS', group = 'spam', score = 1,\n"
        "  description = 'domains', check = function(item)\n"
        "    return d:any(item) ~= nil end }\n";
    char dir[] = "/tmp/ng-item-XXXXXX";
    ng_engine *e = NULL;
    ng_verdict *v = NULL;
    ng_item *it = make("Free money", "Free money at casino.example.com.");

    ck_assert_ptr_nonnull(mkdtemp(dir));
    put(dir, "a.lua", rules);
    put(dir, "spam.txt", "free money\n");
    put(dir, "bad.domains", "example.com\n");
    ck_assert_int_eq(ng_engine_open(&e, NULL), NG_OK);
    ck_assert_msg(ng_engine_load_rules(e, dir) == NG_OK, "%s",
                  ng_engine_errmsg(e));
    ck_assert_int_eq(ng_check(e, it, &v), NG_OK);
    ck_assert_uint_eq(ng_verdict_hit_count(v), 2);
    ck_assert_uint_eq(ng_verdict_error_count(v), 0);
    /* Four list calls over the item: one text, prepared once. */
    ck_assert_uint_eq(it->an.wordsets, 1);
    ck_assert_uint_eq(it->an.passes, 1);
    ng_verdict_free(v);
    ng_engine_close(e);
    ng_item_free(it);
    drop(dir, "a.lua");
    drop(dir, "spam.txt");
    drop(dir, "bad.domains");
    rmdir(dir);
}
END_TEST

/* Joins the words w[0..n) of text with single spaces into buf. */
static void words_str(const char *text, const ng__word *w, size_t n,
                      char *buf, size_t len)
{
    size_t o = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%.*s", i ? " " : "",
                              (int)w[i].len, text + w[i].off);
}

/* Asserts that part p has the words of s normalized and folded alone, as
 * the duplicate keys computed them before the pipeline. */
static void part_equals_alone(const ng__part *p, const char *s)
{
    size_t nl, fl, n;
    char *norm = ng__text_normalize(s, strlen(s), &nl);
    char *fold = ng__text_fold(norm, nl, &fl);
    ng__word *w;
    char a[512], b[512];

    ck_assert_int_eq(ng__text_words(fold, fl, &w, &n), 0);
    ck_assert_uint_eq(p->nwords, n);
    words_str(p->base, p->words, p->nwords, a, sizeof a);
    words_str(fold, w, n, b, sizeof b);
    ck_assert_str_eq(a, b);
    free(norm);
    free(fold);
    free(w);
}

/* Asserts that the parts equal title and body analysed alone. */
static void parts_equal_alone(const char *title, const char *body)
{
    ng_item *it = make(title, body);

    ck_assert_ptr_nonnull(ng__item_part(it, NG__PART_BODY));
    part_equals_alone(ng__item_part(it, NG__PART_TITLE), title);
    part_equals_alone(ng__item_part(it, NG__PART_BODY), body);
    ng_item_free(it);
}

START_TEST(parts_equal_separate_analysis)
{
    parts_equal_alone("Title  ", "  body text");
    parts_equal_alone("Caf\xC3\xA9 \xEF\xAC\x81le", "\xCC\x81" "accent");
    parts_equal_alone("\xE3\x80\x80", "only body");      /* U+3000 */
    parts_equal_alone("\xE2\x80\x8B", "zero width");     /* U+200B */
    parts_equal_alone("T \xE2\x80\xA8", "\xE2\x80\xA9 b"); /* LS, PS */
    parts_equal_alone("A\r\nB", "c\r\n\r\nd  e\tf");
    parts_equal_alone("Two\n\nparagraphs", "in the title");
    parts_equal_alone("Title", "\xE2\x80\x8B");         /* empty body */
    parts_equal_alone("Stra\xC3\x9F" "e", "\xC7\x85 D\xC5\xBD x");
}
END_TEST

/* ---- RFC 3339 ----------------------------------------------------- */

START_TEST(rfc3339_parse)
{
    int64_t t = 7;

    ck_assert_int_eq(ng_time_parse("1970-01-01T00:00:00Z", &t), NG_OK);
    ck_assert_int_eq(t, 0);
    ck_assert_int_eq(ng_time_parse("2024-05-01T12:00:00Z", &t), NG_OK);
    ck_assert_int_eq(t, 1714564800);
    ck_assert_int_eq(ng_time_parse("2024-05-01t14:00:00.123+02:00", &t),
                     NG_OK);
    ck_assert_int_eq(t, 1714564800);
    ck_assert_int_eq(ng_time_parse("2024-05-01 06:30:00-05:30", &t), NG_OK);
    ck_assert_int_eq(t, 1714564800);
    ck_assert_int_eq(ng_time_parse("2000-02-29T00:00:00Z", &t), NG_OK);
    ck_assert_int_eq(t, 951782400);
    ck_assert_int_eq(ng_time_parse("1969-12-31T23:59:59Z", &t), NG_OK);
    ck_assert_int_eq(t, -1);
    ck_assert_int_eq(ng_time_parse("2016-12-31T23:59:60Z", &t), NG_OK);
    ck_assert_int_eq(t, 1483228800);
    static const char *const bad[] = {
        "1900-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
        "2024-04-31T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:60:00Z",
        "2024-05-01T12:00:61Z", "2024-05-01T12:00:00", "2024-05-01",
        "2024-05-01T12:00:00+2:00", "2024-05-01T12:00:00+24:00",
        "2024-05-01T12:00:00Z ", "2024-05-01T12:00:00.Z", "24-05-01T12:00Z",
        "", "yesterday", NULL
    };
    for (size_t i = 0; bad[i]; i++) {
        t = 7;
        ck_assert_msg(ng_time_parse(bad[i], &t) == NG_EINVAL, "%s", bad[i]);
        ck_assert_int_eq(t, 0);
    }
    ck_assert_int_eq(ng_time_parse(NULL, &t), NG_EINVAL);
    ck_assert_int_eq(ng_time_parse("2024-05-01T12:00:00Z", NULL), NG_EINVAL);
}
END_TEST

START_TEST(rfc3339_format)
{
    char buf[32];
    int64_t t;
    static const char *const round[] = {
        "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "1969-12-31T23:59:59Z",
        "2100-03-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
        NULL
    };
    for (size_t i = 0; round[i]; i++) {
        ck_assert_int_eq(ng_time_parse(round[i], &t), NG_OK);
        ck_assert_int_eq(ng_time_format(t, buf, sizeof buf), NG_OK);
        ck_assert_str_eq(buf, round[i]);
    }
    ck_assert_int_eq(ng_time_format(1714564800, buf, 20), NG_EINVAL);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(ng_time_format(1714564800, buf, 21), NG_OK);
    ck_assert_int_eq(ng_time_format(1714564800, NULL, 21), NG_EINVAL);
    ck_assert_int_eq(ng_time_format(INT64_MAX / 2, buf, sizeof buf),
                     NG_EINVAL);
    ck_assert_int_eq(ng_time_format(-62167219201, buf, sizeof buf),
                     NG_EINVAL); /* the year before 0 */
}
END_TEST

/* ---- growth ------------------------------------------------------- */

START_TEST(grow_checks_overflow)
{
    int *v = NULL;
    size_t cap = 0;

    ck_assert_int_eq(ng__grow(&v, &cap, 0, 1, sizeof *v, 8), 0);
    ck_assert_uint_eq(cap, 8);
    v[7] = 1;
    ck_assert_int_eq(ng__grow(&v, &cap, 8, 1, sizeof *v, 8), 0);
    ck_assert_uint_eq(cap, 16);
    ck_assert_int_eq(ng__grow(&v, &cap, 16, 100, sizeof *v, 8), 0);
    ck_assert_uint_eq(cap, 116);
    ck_assert_int_eq(v[7], 1);
    int *keep = v;
    ck_assert_int_eq(ng__grow(&v, &cap, SIZE_MAX, 1, sizeof *v, 8), -1);
    ck_assert_int_eq(ng__grow(&v, &cap, SIZE_MAX / 2, 0, sizeof *v, 8), -1);
    ck_assert_int_eq(ng__grow(&v, &cap, 1, SIZE_MAX / 4 + 1, sizeof *v, 8),
                     -1);
    ck_assert_ptr_eq(v, keep);
    ck_assert_uint_eq(cap, 116);
    ck_assert_int_eq(ng__grow(&v, &cap, cap, 1, 0, 8), -1);
    free(v);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("item");
    TCase *t = tcase_create("fields");

    tcase_add_test(t, json_round_trip);
    tcase_add_test(t, table_drives_accessors);
    tcase_add_test(t, api_refuses_bad_values);
    tcase_add_test(t, api_item_checks_like_json_item);
    tcase_add_test(t, check_validates_api_items);
    tcase_add_test(t, null_out_parameters_refused);
    suite_add_tcase(s, t);
    t = tcase_create("pipeline");
    tcase_add_test(t, text_is_normalized_once);
    tcase_add_test(t, parts_equal_separate_analysis);
    tcase_add_test(t, rules_share_the_prepared_words);
    suite_add_tcase(s, t);
    t = tcase_create("time_and_growth");
    tcase_add_test(t, rfc3339_parse);
    tcase_add_test(t, rfc3339_format);
    tcase_add_test(t, grow_checks_overflow);
    suite_add_tcase(s, t);
    return ng_unit_run(s);
}
