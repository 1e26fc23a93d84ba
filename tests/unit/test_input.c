/*
 * test_input.c -- unit tests for the reader (core/input.c) and the item
 * with its lazy analysis (core/item.c): every input format, every error
 * message, the limits, and text/words/links/domains/fields of an item.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsgate.h"
#include "item.h"
#include "unit.h"

/* What reading one input gave: the items (up to 8) and the messages of
 * the bad ones, in order, with the result of each call. */
typedef struct got {
    ng_item *items[8];
    size_t nitems;
    char errs[8][512];
    size_t nerrs;
    int rcs[20];
    size_t ncalls;
} got;

/* A stream over bytes in memory, handed out `chunk` bytes at a time, so
 * lines and documents arrive cut at every place. */
typedef struct stream {
    const char *data;
    size_t len, pos, chunk;
} stream;

static long stream_read(void *ud, char *buf, size_t n)
{
    stream *st = ud;
    size_t k = st->len - st->pos;

    if (k > st->chunk)
        k = st->chunk;
    if (k > n)
        k = n;
    memcpy(buf, st->data + st->pos, k);
    st->pos += k;
    return (long)k;
}

/* Reads one input over memory (chunk 0) or as a stream. */
static got *read_one(const char *name, const char *data, size_t len,
                     ng_format f, const ng_limits *lim, size_t chunk)
{
    got *g = calloc(1, sizeof *g);
    stream st = { data, len, 0, chunk };
    ng_reader *r;
    if (chunk)
        ck_assert_int_eq(ng_reader_open_stream(&r, name, stream_read, &st,
                                               f, lim), NG_OK);
    else
        ck_assert_int_eq(ng_reader_open(&r, name, data, len, f, lim),
                         NG_OK);
    for (;;) {
        ng_item *it;
        int rc = ng_reader_next(r, &it);
        ck_assert_uint_lt(g->ncalls, 20);
        g->rcs[g->ncalls++] = rc;
        if (rc == NG_DONE)
            break;
        if (rc == NG_OK) {
            ck_assert_ptr_nonnull(it);
            ck_assert_uint_eq(it->index, ng_reader_index(r));
            ck_assert_uint_lt(g->nitems, 8);
            g->items[g->nitems++] = it;
        } else {
            ck_assert_int_eq(rc, NG_EINPUT);
            ck_assert_ptr_null(it);
            ck_assert_uint_lt(g->nerrs, 8);
            strncpy(g->errs[g->nerrs++], ng_reader_errmsg(r), 511);
        }
    }
    ng_reader_close(r);
    return g;
}

static void got_free(got *g);

/* Reads the input over memory, then as streams cut in 1, 7 and 4096
 * byte chunks, and asserts the streams give the same items, results and
 * messages.  Returns what the memory reader gave. */
static got *read_all(const char *name, const char *data, size_t len,
                     ng_format f, const ng_limits *lim)
{
    static const size_t chunks[] = { 1, 7, 4096 };
    got *g = read_one(name, data, len, f, lim, 0);

    for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        got *h = read_one(name, data, len, f, lim, chunks[c]);
        ck_assert_uint_eq(h->ncalls, g->ncalls);
        ck_assert_uint_eq(h->nitems, g->nitems);
        ck_assert_uint_eq(h->nerrs, g->nerrs);
        for (size_t i = 0; i < g->ncalls; i++)
            ck_assert_int_eq(h->rcs[i], g->rcs[i]);
        for (size_t i = 0; i < g->nerrs; i++)
            ck_assert_str_eq(h->errs[i], g->errs[i]);
        for (size_t i = 0; i < g->nitems; i++) {
            ck_assert_uint_eq(h->items[i]->line, g->items[i]->line);
            ck_assert_str_eq(h->items[i]->title ? h->items[i]->title : "",
                             g->items[i]->title ? g->items[i]->title : "");
            ck_assert_str_eq(h->items[i]->body ? h->items[i]->body : "",
                             g->items[i]->body ? g->items[i]->body : "");
        }
        got_free(h);
    }
    return g;
}

static got *rd(const char *name, const char *s)
{
    return read_all(name, s, strlen(s), NG_FORMAT_AUTO, NULL);
}

static void got_free(got *g)
{
    for (size_t i = 0; i < g->nitems; i++)
        ng_item_free(g->items[i]);
    free(g);
}

/* Asserts that `s` gives no item and exactly the error `want`. */
static void check_error(const char *name, const char *s, const char *want)
{
    got *g = rd(name, s);
    ck_assert_uint_eq(g->nitems, 0);
    ck_assert_uint_eq(g->nerrs, 1);
    ck_assert_str_eq(g->errs[0], want);
    got_free(g);
}

START_TEST(json_object)
{
    got *g = rd("item.json",
        "\n{\"title\": \"T\", \"body\": \"B\", \"url\": \"https://x.com/1\",\n"
        " \"source\": \"Reuters\", \"author\": \"A\", \"submitter\": \"bob\",\n"
        " \"submitted_at\": \"2024-05-01T12:00:00+02:00\", \"id\": \"k1\",\n"
        " \"images\": [{\"url\": \"https://x.com/i.png\", \"caption\": \"c\","
        " \"credit\": \"AP\"}, \"https://x.com/j.png\"],\n"
        " \"meta\": {\"lang\": \"en\", \"n\": [1, 2]}}\n");
    ck_assert_uint_eq(g->nerrs, 0);
    ck_assert_uint_eq(g->nitems, 1);
    ng_item *it = g->items[0];
    ck_assert_str_eq(ng_item_title(it), "T");
    ck_assert_str_eq(ng_item_body(it), "B");
    ck_assert_str_eq(it->body_text, "B");
    ck_assert_str_eq(ng_item_url(it), "https://x.com/1");
    ck_assert_str_eq(it->source, "Reuters");
    ck_assert_str_eq(it->author, "A");
    ck_assert_str_eq(ng_item_submitter(it), "bob");
    ck_assert_str_eq(ng_item_external_id(it), "k1");
    ck_assert_int_eq(it->submitted_unix, 1714557600);
    ck_assert_str_eq(it->submitted_at, "2024-05-01T12:00:00+02:00");
    ck_assert_uint_eq(it->nimages, 2);
    ck_assert_str_eq(it->images[0].credit, "AP");
    ck_assert_str_eq(it->images[1].url, "https://x.com/j.png");
    ck_assert_ptr_null(it->images[1].caption);
    ck_assert_str_eq(it->meta_json, "{\"lang\":\"en\",\"n\":[1,2]}");
    ck_assert_str_eq(it->origin, "item.json");
    ck_assert_uint_eq(it->index, 1);
    ck_assert_uint_eq(it->line, 2);
    ck_assert_int_eq(it->body_is_html, 0);
    got_free(g);
}
END_TEST

START_TEST(json_array_and_ndjson)
{
    got *g = rd("a.json", "[\n {\"title\": \"one\", \"body\": \"b\"},\n"
                " {\"title\": \"two\", \"body\": \"b\", \"external_id\": \"x\"}"
                "\n]\n");
    ck_assert_uint_eq(g->nitems, 2);
    ck_assert_str_eq(g->items[1]->title, "two");
    ck_assert_str_eq(g->items[1]->external_id, "x");
    ck_assert_uint_eq(g->items[0]->line, 2);
    ck_assert_uint_eq(g->items[1]->line, 3);
    got_free(g);
    g = rd("s.ndjson", "{\"title\": \"one\", \"body\": \"b\"}\r\n\n  \n"
           "{\"title\": \"two\", \"body\": \"b\"}");
    ck_assert_uint_eq(g->nitems, 2);
    ck_assert_uint_eq(g->items[1]->line, 4);
    ck_assert_uint_eq(g->items[1]->index, 2);
    got_free(g);
    g = rd("e.json", "[ ]");
    ck_assert_uint_eq(g->nitems + g->nerrs, 0);
    got_free(g);
}
END_TEST

START_TEST(ndjson_errors_continue)
{
    got *g = rd("bad.ndjson",
                "{\"title\": \"ok\", \"body\": \"b\"}\n"
                "{\"title\": \"x\", \"body\": }\n"
                "{\"body\": \"b\"}\n"
                "[1]\n"
                "{\"title\": \"last\", \"body\": \"b\"}\n");
    ck_assert_uint_eq(g->nitems, 2);
    ck_assert_str_eq(g->items[1]->title, "last");
    ck_assert_uint_eq(g->items[1]->index, 5);
    ck_assert_uint_eq(g->nerrs, 3);
    ck_assert_str_eq(g->errs[0], "bad.ndjson: item 2 (line 2): invalid JSON "
                     "at line 2 column 24: unexpected token near '}'");
    ck_assert_str_eq(g->errs[1], "bad.ndjson: item 3 (line 3): missing title");
    ck_assert_str_eq(g->errs[2], "bad.ndjson: item 4 (line 4): an item must "
                     "be a JSON object, not an array");
    got_free(g);
}
END_TEST

START_TEST(array_errors)
{
    got *g = rd("a.json", "[{\"title\": \"a\", \"body\": \"b\"},\n"
                " {\"title\": 5, \"body\": \"b\"},\n"
                " {\"title\": \"c\", \"body\": \"b\"}]");
    ck_assert_uint_eq(g->nitems, 2);
    ck_assert_uint_eq(g->nerrs, 1);
    ck_assert_str_eq(g->errs[0], "a.json: item 2 (line 2): field 'title' "
                     "must be a string, not a number");
    got_free(g);
    /* A broken array stops the reader; the message names the element. */
    g = rd("b.json", "[{\"title\": \"a\", \"body\": \"b\"},\n"
           " {\"title\": \"x\" \"body\": \"b\"}]");
    ck_assert_uint_eq(g->nitems, 0);
    ck_assert_uint_eq(g->nerrs, 1);
    ck_assert_str_eq(g->errs[0], "b.json: item 2 (line 2): invalid JSON at "
                     "line 2 column 21: '}' expected near '\"body\"'");
    got_free(g);
}
END_TEST

START_TEST(json_errors)
{
    check_error("x.json", "{\"title\": \"t\", \"body\": \"b\",}",
                "x.json: item 1 (line 1): invalid JSON at line 1 column 28: "
                "string or '}' expected near '}'");
    check_error("x.json", "{\n\"title\": \"t\",\n\"title\": \"u\",\n"
                "\"body\": \"b\"}",
                "x.json: item 1 (line 1): invalid JSON at line 3 column 7: "
                "duplicate object key near '\"title\"'");
    check_error("u.json", "{\"titel\": \"t\", \"body\": \"b\"}",
                "u.json: item 1 (line 1): unknown field 'titel'");
    check_error("u.json", "{\"title\": \"t\", \"body\": \"b\", \"url\": 3}",
                "u.json: item 1 (line 1): field 'url' must be a string, not "
                "a number");
    check_error("t.json", "{\"title\": \"t\", \"body\": \"b\", "
                "\"submitted_at\": \"yesterday\"}",
                "t.json: item 1 (line 1): field 'submitted_at' is not an "
                "RFC 3339 time (like 2024-05-01T12:00:00Z): 'yesterday'");
    check_error("t.json", "{\"title\": \"t\", \"body\": \"b\", "
                "\"submitted_at\": \"2023-02-29T00:00:00Z\"}",
                "t.json: item 1 (line 1): field 'submitted_at' is not an "
                "RFC 3339 time (like 2024-05-01T12:00:00Z): "
                "'2023-02-29T00:00:00Z'");
    check_error("f.json", "{\"title\": \"t\", \"body\": \"b\", \"format\": "
                "\"md\"}",
                "f.json: item 1 (line 1): field 'format' must be \"text\" or "
                "\"html\"");
    check_error("m.json", "{\"title\": \"t\", \"body\": \"b\", \"meta\": []}",
                "m.json: item 1 (line 1): field 'meta' must be an object, "
                "not an array");
    check_error("i.json", "{\"title\": \"t\", \"body\": \"b\", \"images\": "
                "[{\"src\": \"x\"}]}",
                "i.json: item 1 (line 1): unknown field 'images[0].src' (an "
                "image has url, caption and credit)");
    check_error("i.json", "{\"title\": \"t\", \"body\": \"b\", \"images\": "
                "{}}",
                "i.json: item 1 (line 1): field 'images' must be an array, "
                "not an object");
    check_error("d.json", "{\"title\": \"t\", \"body\": \"b\", \"id\": \"1\", "
                "\"external_id\": \"2\"}",
                "d.json: item 1 (line 1): both 'id' and 'external_id' are "
                "given");
    check_error("e.json", "{\"title\": \"  \", \"body\": \"b\"}",
                "e.json: item 1 (line 1): title is empty");
    check_error("e.json", "{\"title\": \"t\", \"body\": null}",
                "e.json: item 1 (line 1): missing body");
    check_error("n.json", "{\"title\": \"t\\u0000\", \"body\": \"b\"}",
                "n.json: item 1 (line 1): invalid JSON at line 1 column 19: "
                "\\u0000 is not allowed without JSON_ALLOW_NUL near "
                "'\"t\\u0000\"'");
    check_error("empty.json", " \n ", "empty.json: item 1 (line 1): the "
                "input is empty");
}
END_TEST

START_TEST(times)
{
    static const struct { const char *s; int64_t t; } ok[] = {
        {"1970-01-01T00:00:00Z", 0},
        {"2024-02-29t23:59:59.123z", 1709251199},
        {"2000-01-01 00:00:00-05:30", 946704600},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char buf[200];
        snprintf(buf, sizeof buf, "{\"title\":\"t\",\"body\":\"b\","
                 "\"submitted_at\":\"%s\"}", ok[i].s);
        got *g = rd("t.json", buf);
        ck_assert_uint_eq(g->nitems, 1);
        ck_assert_int_eq(g->items[0]->submitted_unix, ok[i].t);
        got_free(g);
    }
    static const char *const bad[] = {
        "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:00",
        "2024-01-01", "2024-01-01T00:00:00+0100", "2024-01-01T00:00:00Zx",
        "2024-01-01T00:00:00.Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[200];
        snprintf(buf, sizeof buf, "{\"title\":\"t\",\"body\":\"b\","
                 "\"submitted_at\":\"%s\"}", bad[i]);
        got *g = rd("t.json", buf);
        ck_assert_msg(g->nerrs == 1, "accepted %s", bad[i]);
        got_free(g);
    }
}
END_TEST

START_TEST(utf8_errors)
{
    check_error("x.txt", "Title\n\nfine\nbad \xff here\n",
                "x.txt: item 1 (line 4): invalid UTF-8 at byte 16");
    check_error("x.json", "{\"title\": \"t\xc3\", \"body\": \"b\"}",
                "x.json: item 1 (line 1): invalid UTF-8 at byte 12");
    got *g = rd("x.ndjson", "{\"title\":\"t\",\"body\":\"b\"}\n"
                "{\"title\":\"\xed\xa0\x80\",\"body\":\"b\"}\n"
                "{\"title\":\"t\",\"body\":\"b\"}\n");
    ck_assert_uint_eq(g->nitems, 2);
    ck_assert_str_eq(g->errs[0], "x.ndjson: item 2 (line 2): invalid UTF-8 "
                     "at byte 35");
    got_free(g);
}
END_TEST

START_TEST(limits)
{
    ng_limits lim = {0};
    lim.max_title_bytes = 5;
    lim.max_field_bytes = 4;
    lim.max_batch_items = 2;
    lim.max_images = 1;
    const char *s =
        "{\"title\":\"123456\",\"body\":\"b\"}\n"
        "{\"title\":\"t\",\"body\":\"b\",\"author\":\"12345\"}\n"
        "{\"title\":\"t\",\"body\":\"b\"}\n";
    got *g = read_all("l.ndjson", s, strlen(s), NG_FORMAT_AUTO, &lim);
    ck_assert_uint_eq(g->nerrs, 3);
    ck_assert_str_eq(g->errs[0], "l.ndjson: item 1 (line 1): title is 6 "
                     "bytes, over the limit of 5");
    ck_assert_str_eq(g->errs[1], "l.ndjson: item 2 (line 2): author is 5 "
                     "bytes, over the limit of 4");
    ck_assert_str_eq(g->errs[2], "l.ndjson: item 3 (line 3): too many "
                     "items, over the limit of 2 per input");
    got_free(g);
    s = "{\"title\":\"t\",\"body\":\"b\",\"images\":[\"a\",\"b\"]}";
    g = read_all("i.json", s, strlen(s), NG_FORMAT_AUTO, &lim);
    ck_assert_str_eq(g->errs[0], "i.json: item 1 (line 1): images has 2 "
                     "entries, over the limit of 1");
    got_free(g);
    /* The default body limit (512 KiB) and item limit (1 MiB). */
    size_t n = 600000;
    char *big = malloc(n + 200);
    const char *pre = "[{\"title\":\"t\",\"body\":\"b\"},\n"
        "{\"title\":\"t\",\"body\":\"";
    size_t pl = strlen(pre);
    memcpy(big, pre, pl);
    memset(big + pl, 'x', n);
    memcpy(big + pl + n, "\"}]", 4);
    g = read_all("big.json", big, strlen(big), NG_FORMAT_AUTO, NULL);
    ck_assert_uint_eq(g->nitems, 1);
    ck_assert_str_eq(g->errs[0], "big.json: item 2 (line 2): body is 600000 "
                     "bytes, over the limit of 524288");
    got_free(g);
    lim = (ng_limits){0};
    lim.max_item_bytes = 100;
    g = read_all("big.json", big, strlen(big), NG_FORMAT_AUTO, &lim);
    ck_assert_uint_eq(g->nitems, 1);
    ck_assert_str_eq(g->errs[0], "big.json: item 2 (line 2): item is 600023 "
                     "bytes, over the limit of 100");
    got_free(g);
    /* NDJSON: a line over the item limit is an error and the next line is
     * read; a stream skips it without holding it (same message). */
    const char *head = "{\"title\":\"t\",\"body\":\"b\"}\n{\"body\":\"";
    const char *tail = "\"}\n{\"title\":\"u\",\"body\":\"c\"}\n";
    size_t hl = strlen(head), tl = strlen(tail);
    memcpy(big, head, hl);
    memset(big + hl, 'y', 5000);
    memcpy(big + hl + 5000, tail, tl);
    g = read_all("long.ndjson", big, hl + 5000 + tl, NG_FORMAT_AUTO, &lim);
    ck_assert_uint_eq(g->nitems, 2);
    ck_assert_str_eq(g->items[1]->title, "u");
    ck_assert_uint_eq(g->items[1]->line, 3);
    ck_assert_str_eq(g->errs[0], "long.ndjson: item 2 (line 2): item is "
                     "5011 bytes, over the limit of 100");
    got_free(g);
    free(big);
}
END_TEST

START_TEST(text_formats)
{
    got *g = rd("plain.txt", "\xef\xbb\xbftitle: Hello\r\nURL: https://a.b/c\n"
                "Source:  AP \nauthor: Ann\nSubmitter: bob\n\n"
                "Body line one.\r\n\r\nTwo.\n\n");
    ck_assert_uint_eq(g->nerrs, 0);
    ng_item *it = g->items[0];
    ck_assert_str_eq(it->title, "Hello");
    ck_assert_str_eq(it->url, "https://a.b/c");
    ck_assert_str_eq(it->source, "AP");
    ck_assert_str_eq(it->author, "Ann");
    ck_assert_str_eq(it->submitter, "bob");
    ck_assert_str_eq(it->body, "Body line one.\n\nTwo.");
    ck_assert_str_eq(it->body_text, it->body);
    got_free(g);
    g = rd("headless.txt", "\n\n  Just a headline  \n\nFirst para.\nMore.\n");
    ck_assert_uint_eq(g->nitems, 1);
    ck_assert_str_eq(g->items[0]->title, "Just a headline");
    ck_assert_str_eq(g->items[0]->body, "First para.\nMore.");
    ck_assert_uint_eq(g->items[0]->line, 3);
    got_free(g);
    /* Headers without the blank line: the body starts at the first
     * line that is not a header. */
    g = rd("h.txt", "Title: T\nThe body, at once.\n");
    ck_assert_str_eq(g->items[0]->body, "The body, at once.");
    got_free(g);
    /* Forced text format reads JSON-looking input as text. */
    const char *j = "{\"looks\": \"like json\"}\nbody\n";
    g = read_all("j.txt", j, strlen(j), NG_FORMAT_TEXT, NULL);
    ck_assert_str_eq(g->items[0]->title, "{\"looks\": \"like json\"}");
    got_free(g);
}
END_TEST

START_TEST(text_errors)
{
    check_error("h.txt", "Title: T\nDate: today\n\nbody",
                "h.txt: item 1 (line 1): unknown header 'Date' at line 2 "
                "(known: Title, URL, Source, Author, Submitter)");
    check_error("h.txt", "Title: T\ntitle: U\n\nbody",
                "h.txt: item 1 (line 1): duplicate header 'title' at line 2");
    check_error("h.txt", "URL: https://x.y\n\nbody",
                "h.txt: item 1 (line 1): missing title (no 'Title:' header)");
    check_error("h.txt", "Title: T\n\n\n",
                "h.txt: item 1 (line 1): missing body");
    check_error("h.txt", "Only a title\n",
                "h.txt: item 1 (line 1): missing body");
}
END_TEST

START_TEST(html_items)
{
    got *g = rd("page.json", "{\"title\": \"T\", \"format\": \"html\", "
                "\"body\": \"<p>See <a href='https://www.rt.com/a'>this</a>"
                " and https://x.org/b.</p><p>Also www.RT.com/c or "
                "https://www.rt.com/a</p>\"}");
    ck_assert_uint_eq(g->nitems, 1);
    ng_item *it = g->items[0];
    ck_assert_int_eq(it->body_is_html, 1);
    ck_assert_str_eq(it->body_text, "See this and https://x.org/b.\n\nAlso "
                     "www.RT.com/c or https://www.rt.com/a");
    const ng__strlist *l = ng__item_links(it);
    ck_assert_uint_eq(l->n, 3);
    ck_assert_str_eq(l->v[0], "https://www.rt.com/a");
    ck_assert_str_eq(l->v[1], "https://x.org/b");
    ck_assert_str_eq(l->v[2], "www.RT.com/c");
    const ng__strlist *d = ng__item_domains(it);
    ck_assert_uint_eq(d->n, 2);
    ck_assert_str_eq(d->v[0], "rt.com");
    ck_assert_str_eq(d->v[1], "x.org");
    size_t n;
    ck_assert_str_eq(ng__item_field(it, "html", &n), it->body);
    ck_assert_str_eq(ng__item_field(it, "body", &n), it->body_text);
    ck_assert_uint_eq(n, strlen(it->body_text));
    got_free(g);
}
END_TEST

START_TEST(analysis)
{
    got *g = rd("a.json", "{\"title\": \"Stra\xc3\x9f" "e \xef\xac\x81nal\","
                " \"body\": \"Don't  PANIC.\\n\\n\\nIt's \xef\xbc\x94\xef\xbc"
                "\x92.\", \"url\": \"https://u.rl/\"}");
    ng_item *it = g->items[0];
    size_t n;
    const char *t = ng__item_text(it, &n);
    ck_assert_str_eq(t, "Stra\xc3\x9f" "e final\n\nDon't PANIC.\n\nIt's 42.");
    ck_assert_uint_eq(n, strlen(t));
    ck_assert_ptr_eq(ng__item_text(it, NULL), t); /* cached */
    const char *folded;
    const ng__word *w = ng__item_words(it, &n, &folded);
    static const char *const want[] = {"strasse", "final", "don't", "panic",
                                       "it's", "42"};
    ck_assert_uint_eq(n, 6);
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(w[i].len, strlen(want[i]));
        ck_assert(memcmp(folded + w[i].off, want[i], w[i].len) == 0);
    }
    ck_assert_str_eq(ng__item_field(it, "text", &n), t);
    ck_assert_str_eq(ng__item_field(it, "url", NULL), "https://u.rl/");
    ck_assert_ptr_null(ng__item_field(it, "source", &n));
    ck_assert_ptr_null(ng__item_field(it, "nope", &n));
    ck_assert_uint_eq(ng__item_links(it)->n, 0);
    ck_assert_uint_eq(ng__item_domains(it)->n, 0);
    got_free(g);
}
END_TEST

START_TEST(api_edges)
{
    ng_reader *r = (ng_reader *)1;
    ng_item *it = (ng_item *)1;
    ck_assert_int_eq(ng_reader_open(&r, "x", NULL, 5, NG_FORMAT_AUTO, NULL),
                     NG_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(ng_reader_open(&r, NULL, "{}", 2, NG_FORMAT_JSON, NULL),
                     NG_OK);
    ck_assert_int_eq(ng_reader_next(r, &it), NG_EINPUT);
    ck_assert_ptr_null(it);
    ck_assert_str_eq(ng_reader_errmsg(r), "-: item 1 (line 1): missing title");
    ck_assert_int_eq(ng_reader_next(r, &it), NG_DONE);
    ck_assert_int_eq(ng_reader_next(r, &it), NG_DONE);
    ng_reader_close(r);
    ng_reader_close(NULL);
    ng_item_free(NULL);
    ck_assert_ptr_null(ng_item_title(NULL));
    /* Forced JSON on text input. */
    got *g = read_all("t.txt", "hello\n", 6, NG_FORMAT_JSON, NULL);
    ck_assert_str_eq(g->errs[0], "t.txt: item 1 (line 1): invalid JSON at "
                     "line 1 column 5: '[' or '{' expected near 'hello'");
    got_free(g);
}
END_TEST

/* 22,000 distinct links, each written twice, over 500 hosts: every
 * link and host kept once, in first-seen order (the set that removes
 * duplicates; its speed is measured by hand, not asserted here). */
START_TEST(many_links)
{
    enum { N = 22000, HOSTS = 500 };
    ng_limits lim = { .max_body_bytes = 4u << 20, .max_item_bytes = 8u << 20 };
    size_t cap = (size_t)N * 2 * 40 + 64, len = 0;
    char *json = malloc(cap);
    len += (size_t)snprintf(json, cap, "{\"title\": \"T\", \"body\": \"");
    for (int rep = 0; rep < 2; rep++)
        for (int i = 0; i < N; i++)
            len += (size_t)snprintf(json + len, cap - len,
                                    "https://h%d.example/%d ", i % HOSTS, i);
    len += (size_t)snprintf(json + len, cap - len, "\"}");
    got *g = read_all("many.json", json, len, NG_FORMAT_AUTO, &lim);
    ck_assert_uint_eq(g->nitems, 1);
    const ng__strlist *l = ng__item_links(g->items[0]);
    ck_assert_uint_eq(l->n, N);
    ck_assert_str_eq(l->v[0], "https://h0.example/0");
    ck_assert_str_eq(l->v[N - 1], "https://h499.example/21999");
    const ng__strlist *d = ng__item_domains(g->items[0]);
    ck_assert_uint_eq(d->n, HOSTS);
    ck_assert_str_eq(d->v[HOSTS - 1], "h499.example");
    got_free(g);
    free(json);
}
END_TEST

/* Long lines fed one byte at a time: the first line (read while the
 * format is decided) and a later line (read whole before parsing) are
 * each searched for their newline once, not once per byte read.  With
 * the old rescanning this test took minutes (quadratic: 2 lines of
 * 512 KiB are 2^38 byte comparisons) and check's timeout failed it;
 * now it reads about a million one-byte chunks. */
START_TEST(long_lines_byte_chunks)
{
    enum { BODY = 512 << 10 };
    ng_limits lim = { .max_body_bytes = 1u << 20, .max_item_bytes = 2u << 20 };
    size_t cap = 2 * (BODY + 64), len = 0;
    char *nd = malloc(cap);
    for (int line = 0; line < 2; line++) {
        len += (size_t)snprintf(nd + len, cap - len,
                                "{\"title\": \"T%d\", \"body\": \"", line);
        memset(nd + len, 'a' + line, BODY);
        len += BODY;
        len += (size_t)snprintf(nd + len, cap - len, "\"}\n");
    }
    got *g = read_one("long.ndjson", nd, len, NG_FORMAT_AUTO, &lim, 1);
    ck_assert_uint_eq(g->nitems, 2);
    ck_assert_uint_eq(g->nerrs, 0);
    ck_assert_str_eq(g->items[1]->title, "T1");
    ck_assert_uint_eq(strlen(g->items[0]->body), BODY);
    ck_assert_int_eq(g->items[1]->body[BODY - 1], 'b');
    got_free(g);
    free(nd);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("input");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, json_object);
    tcase_add_test(tc, json_array_and_ndjson);
    tcase_add_test(tc, ndjson_errors_continue);
    tcase_add_test(tc, array_errors);
    tcase_add_test(tc, json_errors);
    tcase_add_test(tc, times);
    tcase_add_test(tc, utf8_errors);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, text_formats);
    tcase_add_test(tc, text_errors);
    tcase_add_test(tc, html_items);
    tcase_add_test(tc, analysis);
    tcase_add_test(tc, api_edges);
    tcase_add_test(tc, many_links);
    tcase_add_test(tc, long_lines_byte_chunks);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ng_unit_run(suite());
}
