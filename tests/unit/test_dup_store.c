/*
 * test_dup_store.c -- duplicate keys through a real store: ng_submit
 * records them (ng__dup_record), a second handle loads the index on first
 * use and catches up with rows the first handle adds, and the exact and
 * near look-ups find earlier items, rejected ones included; a handle
 * that skips re-reading the log while nothing changed still sees every
 * commit.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dup.h"
#include "unit.h"

static char dir[] = "/tmp/ngdupXXXXXX";
static char path[256];

static ng_item *parse(const char *json)
{
    ng_reader *r;
    ng_item *it = NULL;
    ck_assert_int_eq(ng_reader_open(&r, "t", json, strlen(json),
                                    NG_FORMAT_JSON, NULL), NG_OK);
    ck_assert_int_eq(ng_reader_next(r, &it), NG_OK);
    ng_reader_close(r);
    return it;
}

/* A body of n pseudo-random words in paragraphs of 30. */
static char *body(unsigned seed, int n)
{
    char *s = malloc((size_t)n * 10 + 1);
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        o += (size_t)snprintf(s + o, 11, "w%u%s", (seed >> 8) % 9000,
                              i % 30 == 29 ? "\\n\\n" : " ");
    }
    s[o] = 0;
    return s;
}

static int64_t submit(ng_engine *e, ng_store *s, const char *title,
                      const char *url, const char *text)
{
    char *json = malloc(strlen(text) + 512);
    snprintf(json, strlen(text) + 512,
             "{\"title\":\"%s\",\"url\":\"%s\",\"body\":\"%s\"}", title, url,
             text);
    ng_item *it = parse(json);
    int64_t id = 0;
    int existed = 0;
    ng_verdict *v = NULL;
    ck_assert_int_eq(ng_submit(e, s, it, &id, &existed, &v), NG_OK);
    ng_verdict_free(v);
    ng_item_free(it);
    free(json);
    return id;
}

static size_t nearest(ng_store *s, const char *title, const char *text,
                      ng__dupmatches *m)
{
    char *json = malloc(strlen(text) + 512);
    snprintf(json, strlen(text) + 512, "{\"title\":\"%s\",\"body\":\"%s\"}",
             title, text);
    ng_item *it = parse(json);
    memset(m, 0, sizeof *m);
    ck_assert_int_eq(ng__dup_nearest(s, it, 0, 0.5, 5, m), NG_OK);
    ng_item_free(it);
    free(json);
    return m->n;
}

START_TEST(record_load_catch_up)
{
    ng_engine *e;
    ng_store *s1, *s2;
    char err[256];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/d.db", dir);
    ck_assert_int_eq(ng_engine_open(&e, NULL), NG_OK);
    ck_assert_int_eq(ng_store_open(&s1, path, NG_STORE_NOSYNC, err,
                                   sizeof err), NG_OK);
    char *a = body(1, 200), *b = body(2, 200), *c = body(3, 200);
    ck_assert_int_eq(submit(e, s1, "A", "https://www.x.org/a?utm_source=1",
                            a), 1);
    ck_assert_int_eq(submit(e, s1, "B", "", b), 2);

    /* A second handle loads the index on first use. */
    ck_assert_int_eq(ng_store_open(&s2, path, NG_STORE_READONLY, err,
                                   sizeof err), NG_OK);
    ng__dupmatches m;
    ck_assert_uint_eq(nearest(s2, "x", a, &m), 1);
    ck_assert_int_eq(m.v[0].id, 1);
    ck_assert(m.v[0].similarity == 1.0);
    ck_assert_str_eq(m.v[0].title, "A");
    ck_assert_str_eq(m.v[0].status, "accepted");
    ng__dupmatches_free(&m);
    int rc;
    ck_assert_uint_eq(ng__dupindex_count(ng__dup_index(s2, &rc)), 2);

    /* Rows added through the first handle reach the second one. */
    ck_assert_int_eq(submit(e, s1, "C", "", c), 3);
    ck_assert_uint_eq(nearest(s2, "x", c, &m), 1);
    ck_assert_int_eq(m.v[0].id, 3);
    ng__dupmatches_free(&m);
    ck_assert_uint_eq(ng__dupindex_count(ng__dup_index(s2, &rc)), 3);

    /* With nothing committed since, a look-up does not read the log
     * again (the change counter is unchanged) and finds the same; the
     * writing handle sees its own rows, another commit is seen at once
     * (the counter moved). */
    ck_assert_uint_eq(nearest(s2, "x", c, &m), 1);
    ng__dupmatches_free(&m);
    ck_assert_int_eq(ng__dup_position(s2), 3);
    char *d4 = body(4, 200), *d5 = body(5, 200);
    ck_assert_int_eq(submit(e, s1, "D", "", d4), 4);
    ck_assert_uint_eq(nearest(s1, "x", d4, &m), 1);
    ck_assert_int_eq(m.v[0].id, 4);
    ng__dupmatches_free(&m);
    ck_assert_int_eq(submit(e, s1, "E", "", d5), 5);
    ck_assert_uint_eq(nearest(s2, "x", d5, &m), 1);
    ck_assert_int_eq(m.v[0].id, 5);
    ng__dupmatches_free(&m);
    ck_assert_int_eq(ng__dup_position(s2), 5);
    free(d4);
    free(d5);

    /* Exact look-ups: canonical URL and normalized text. */
    char json[256];
    snprintf(json, sizeof json, "{\"title\":\"Z\",\"url\":"
             "\"http://x.org/a/#frag\",\"body\":\"W1 w2, W3!\"}");
    ng_item *it = parse(json);
    memset(&m, 0, sizeof m);
    ck_assert_int_eq(ng__dup_exact(s2, it, "url", 0, 5, &m), NG_OK);
    ck_assert_uint_eq(m.n, 1);
    ck_assert_int_eq(m.v[0].id, 1);
    ng__dupmatches_free(&m);
    ck_assert_int_eq(ng__dup_exact(s2, it, "text", 0, 5, &m), NG_OK);
    ck_assert_uint_eq(m.n, 0);
    ck_assert_int_eq(ng__dup_exact(s2, it, "bogus", 0, 5, &m), NG_EINVAL);
    ng_item_free(it);

    free(a); free(b); free(c);
    ng_store_close(s2);
    ng_store_close(s1);
    ng_engine_close(e);
    unlink(path);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path); unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path); unlink(wal);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dup_store");
    TCase *tc = tcase_create("store");
    tcase_add_test(tc, record_load_catch_up);
    suite_add_tcase(s, tc);
    return ng_unit_run(s);
}
