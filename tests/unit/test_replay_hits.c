/*
 * test_replay_hits.c -- unit tests for the reading of a stored verdict's
 * hit names (core/replay_hits.c): every text gives the names jansson
 * gives (the replay's former reading), in order, with NULL where a hit
 * has no string rule, whichever path reads it.
 */
#include <check.h>
#include <string.h>

#include <jansson.h>

#include "replay_hits.h"
#include "unit.h"

static const char *const verdicts[] = {
    "{\"item\":1,\"action\":\"accept\",\"hits\":[],\"errors\":[]}",
    "{\"item\":2,\"hits\":[{\"rule\":\"A\",\"score\":2.5,\"detail\":"
    "\"x \\\"rule\\\":\\\"FAKE\\\" } ]\",\"field\":null,\"span\":{\"start\":1,"
    "\"end\":[3,{\"rule\":\"NO\"}]},\"ref\":7},{\"detail\":\"d\",\"rule\":"
    "\"B_2\"}],\"errors\":[{\"rule\":\"C\",\"message\":\"m\"}]}",
    "{\"errors\":[{\"rule\":\"C\"}],\"hits\":[{\"rule\":\"ONLY\"}]}",
    "{ \"hits\" : [ { \"rule\" : \"SPACED\" } , { \"score\" : 1 } ] }",
    "{\"hits\":[{\"rule\":\"ESC\\u0041PED\"},{\"rule\":\"PLAIN\"}]}",
    "{\"hits\":[{\"rule\":null},{\"rule\":3},{}]}",
    "{\"hits\":{\"rule\":\"NOT_AN_ARRAY\"}}",
    "{\"action\":\"accept\"}",
    "{\"hits\":[{\"rule\":\"CUT",
    "not json at all",
    "",
    "{\"a\":\"}\",\"b\":[\"]\",{\"c\":\"{\"}],\"hits\":[{\"rule\":\"AFTER\"}]}",
};

START_TEST(names_match_jansson)
{
    ng__old_hits h = { 0 };

    for (size_t i = 0; i < sizeof verdicts / sizeof *verdicts; i++) {
        json_t *v = json_loads(verdicts[i], 0, NULL);
        json_t *hits = json_object_get(v, "hits"), *x;
        size_t k, n = json_array_size(hits);

        ck_assert_int_eq(ng__old_hits_read(&h, verdicts[i]), 0);
        ck_assert_msg(h.n == n, "verdict %zu: %zu names, jansson %zu", i,
                      h.n, n);
        json_array_foreach(hits, k, x) {
            const char *want = json_string_value(json_object_get(x, "rule"));
            if (want == NULL)
                ck_assert_ptr_null(h.names[k]);
            else
                ck_assert_str_eq(h.names[k], want);
        }
        json_decref(v);
    }
    ck_assert_int_eq(ng__old_hits_read(&h, NULL), 0);
    ck_assert_uint_eq(h.n, 0);
    ck_assert_int_eq(ng__old_hits_read(&h, verdicts[1]), 0);
    ck_assert_uint_eq(h.n, 2);
    ck_assert_str_eq(h.names[0], "A");
    ck_assert_str_eq(h.names[1], "B_2");
    ng__old_hits_free(&h);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("replay_hits");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, names_match_jansson);
    suite_add_tcase(su, tc);
    return ng_unit_run(su);
}
