/*
 * test_item_json.c -- the item as stored (ng__item_to_json, written
 * directly by core/item_json.c) gives the bytes the jansson tree gave.
 * The oracle below builds the tree the way item_json.c did before and
 * dumps it; random items (strings with quotes, backslashes, slashes,
 * control characters and multi-byte UTF-8, fields present or absent,
 * text or HTML, with and without a submitted_at, some with images and
 * meta) must come out byte for byte the same.
 */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "item.h"

/* ---- the oracle: jansson, as item_json.c used it ----------------------- */

static void set_str(json_t *o, const char *key, const char *val)
{
    if (val)
        json_object_set_new(o, key, json_string(val));
}

static char *oracle(const ng_item *it)
{
    json_t *o = json_object();
    size_t n;
    const ng__field_def *defs = ng__item_fields(&n);
    char when[40], *out;

    for (size_t i = 0; i < n; i++) {
        const char *v = *NG__ITEM_MEMBER((ng_item *)it, &defs[i]);
        switch (defs[i].kind) {
        case NG__FK_FORMAT:
            set_str(o, defs[i].name, it->body_is_html ? "html" : "text");
            break;
        case NG__FK_TIME:
            if (!v && ng_time_format(it->submitted_unix, when, sizeof when)
                == NG_OK)
                v = when;
            set_str(o, defs[i].name, v);
            break;
        case NG__FK_META:
            if (it->nimages) {
                json_t *arr = json_array();
                for (size_t k = 0; k < it->nimages; k++) {
                    json_t *im = json_object();
                    set_str(im, "url", it->images[k].url);
                    set_str(im, "caption", it->images[k].caption);
                    set_str(im, "credit", it->images[k].credit);
                    json_array_append_new(arr, im);
                }
                json_object_set_new(o, "images", arr);
            }
            if (it->meta)
                json_object_set(o, defs[i].name, it->meta);
            break;
        default:
            set_str(o, defs[i].name, v);
        }
    }
    out = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return out;
}

/* ---- random items ------------------------------------------------------- */

static const char *const pieces[] = {
    "a", "Zz", " ", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f", "\x01",
    "\x1f", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "{}",
    "<p>", "&amp;", "0", "\xe2\x80\xa8",
};

static char *random_text(unsigned *seed, int min)
{
    size_t len = (size_t)(rand_r(seed) % 40) + (size_t)min;
    char *s = malloc(len * 5 + 1);  /* the longest piece, "&amp;", is 5 */
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        const char *p = pieces[rand_r(seed) % (sizeof pieces / sizeof *pieces)];
        memcpy(s + n, p, strlen(p));
        n += strlen(p);
    }
    s[n] = '\0';
    return s;
}

static void maybe_set(ng_item *it, ng_field f, unsigned *seed, int always)
{
    if (always || rand_r(seed) % 2) {
        char *s = random_text(seed, always);
        ck_assert_int_eq(ng_item_set(it, f, s), NG_OK);
        free(s);
    }
}

static ng_item *random_item(unsigned *seed)
{
    static const ng_field text_fields[] = {
        NG_FIELD_URL, NG_FIELD_SOURCE, NG_FIELD_AUTHOR, NG_FIELD_SUBMITTER,
        NG_FIELD_EXTERNAL_ID,
    };
    ng_item *it = NULL;

    ck_assert_int_eq(ng_item_new(&it), NG_OK);
    maybe_set(it, NG_FIELD_TITLE, seed, 1);
    maybe_set(it, NG_FIELD_BODY, seed, 1);
    for (size_t i = 0; i < sizeof text_fields / sizeof *text_fields; i++)
        maybe_set(it, text_fields[i], seed, 0);
    if (rand_r(seed) % 3 == 0)
        ck_assert_int_eq(ng_item_set(it, NG_FIELD_FORMAT, "html"), NG_OK);
    if (rand_r(seed) % 3 == 0)
        ck_assert_int_eq(ng_item_set(it, NG_FIELD_SUBMITTED_AT,
                                     "2026-11-28T12:00:00+01:00"), NG_OK);
    if (rand_r(seed) % 10 == 0)
        ck_assert_int_eq(ng_item_add_image(it, "http://x/a.jpg", "Cap \"1\"",
                                           NULL), NG_OK);
    if (rand_r(seed) % 10 == 0)
        ck_assert_int_eq(ng_item_set(it, NG_FIELD_META,
                                     "{\"k\":[1,2.5,\"\\u00e9\"],\"z\":null}"),
                         NG_OK);
    return it;
}

START_TEST(same_as_jansson)
{
    unsigned seed = 20261128;

    for (int i = 0; i < 5000; i++) {
        ng_item *it = random_item(&seed);
        char *want = oracle(it), *got = ng__item_to_json(it);
        ck_assert_ptr_nonnull(want);
        ck_assert_ptr_nonnull(got);
        ck_assert_str_eq(got, want);
        free(want);
        free(got);
        ng_item_free(it);
    }
}
END_TEST

START_TEST(fixed_case)
{
    ng_item *it = NULL;
    char *s;

    ck_assert_int_eq(ng_item_new(&it), NG_OK);
    ng_item_set(it, NG_FIELD_TITLE, "T \"q\"\n");
    ng_item_set(it, NG_FIELD_BODY, "a\\b\x01/\xc3\xa9");
    ng_item_set(it, NG_FIELD_SUBMITTED_AT, "2026-11-28T12:00:00Z");
    s = ng__item_to_json(it);
    ck_assert_str_eq(s, "{\"title\":\"T \\\"q\\\"\\n\",\"body\":"
                        "\"a\\\\b\\u0001/\xc3\xa9\",\"format\":\"text\","
                        "\"submitted_at\":\"2026-11-28T12:00:00Z\"}");
    free(s);
    ng_item_free(it);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("item_json");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, same_as_jansson);
    tcase_add_test(tc, fixed_case);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ng_unit_run(suite());
}
