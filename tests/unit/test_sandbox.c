/*
 * test_sandbox.c -- unit tests of the rule sandbox's limits that a CLI
 * case cannot reach: a reload starts from a clean Lua state, the regex
 * cache stays bounded when every item brings a new pattern, a slow
 * regex is stopped by the check's deadline, and a store query is
 * interrupted by the deadline the engine sets.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "newsgate.h"
#include "engine_impl.h"
#include "item.h"
#include "store.h"
#include "store_api.h"
#include "unit.h"

static char dir[256];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/ng-test-sandbox-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

/* Writes rules.lua with `text` into the test directory. */
static void write_rules(const char *text)
{
    char path[400];
    FILE *f;

    snprintf(path, sizeof path, "%s/rules.lua", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static ng_engine *engine(const ng_engine_options *o, const char *rules)
{
    ng_engine *e = NULL;

    write_rules(rules);
    ck_assert_int_eq(ng_engine_open(&e, o), NG_OK);
    ck_assert_msg(ng_engine_load_rules(e, dir) == NG_OK, "%s",
                  ng_engine_errmsg(e));
    return e;
}

static ng_item *item(const char *title, const char *body)
{
    ng_item *it = ng__item_new();
    ck_assert_ptr_nonnull(it);
    it->title = strdup(title);
    it->body = strdup(body);
    it->body_text = strdup(body);
    it->submitter = strdup("ann");
    it->submitted_unix = (int64_t)time(NULL);
    return it;
}

/* Checks one item; returns the verdict (caller frees). */
static ng_verdict *check(ng_engine *e, const char *title, const char *body)
{
    ng_item *it = item(title, body);
    ng_verdict *v = NULL;

    ck_assert_int_eq(ng_check(e, it, &v), NG_OK);
    ng_item_free(it);
    return v;
}

/* The error of rule `name` in v, or NULL. */
static const char *error_of(const ng_verdict *v, const char *name)
{
    for (size_t i = 0; i < ng_verdict_error_count(v); i++)
        if (strcmp(ng_verdict_error(v, i)->rule, name) == 0)
            return ng_verdict_error(v, i)->message;
    return NULL;
}

static const char clean_rules[] =
    "rule { name = 'TRIES', group = 'g', score = 1, description = 'd',\n"
    "  check = function(item)\n"
    "    pcall(function() getmetatable('').__index.upper = nil end)\n"
    "    pcall(rawset, string, 'upper', nil)\n"
    "    pcall(table.remove, item:words())\n"
    "  end }\n"
    "rule { name = 'SEES', group = 'g', score = 1, description = 'd',\n"
    "  check = function(item)\n"
    "    return true, ('abc'):upper() .. ' ' .. #item:words() end }\n";

/* Options with a deadline no loaded machine reaches: these tests are
 * about other limits. */
static const ng_engine_options *patient(void)
{
    static ng_engine_options o;
    o.check_deadline_ms = 3600000;
    return &o;
}

START_TEST(reload_starts_clean)
{
    ng_engine *e = engine(patient(), clean_rules);
    ng_verdict *v;

    for (int round = 0; round < 2; round++) {
        v = check(e, "Two words", "here");
        ck_assert_int_eq(ng_verdict_hit_count(v), 1);
        ck_assert_str_eq(ng_verdict_hit(v, 0)->detail, "ABC 3");
        ng_verdict_free(v);
        ck_assert_int_eq(ng_engine_load_rules(e, dir), NG_OK);
    }
    ng_engine_close(e);
}
END_TEST

START_TEST(regex_cache_bounded)
{
    ng_engine *e = engine(patient(),
        "rule { name = 'NEWPAT', group = 'g', score = 1, description = 'd',\n"
        "  check = function(item)\n"
        "    return item:find(item.body:sub(1, 21)) ~= nil end }\n");
    size_t mem_at_1000 = 0;
    char body[96];

    for (int i = 0; i < 100000; i++) {
        ng_verdict *v;
        snprintf(body, sizeof body, "item%07d unique text %d", i, i * 7);
        v = check(e, "Title", body);
        ck_assert_int_eq(ng_verdict_hit_count(v), 1);
        ng_verdict_free(v);
        if (i == 1000)
            mem_at_1000 = e->mem->used;
    }
    ck_assert_uint_le(ng__regex_cache_count(e->regex), NG__REGEX_MAX_COUNT);
    ck_assert_uint_le(ng__regex_cache_bytes(e->regex), NG__REGEX_MAX_BYTES);
    /* Lua's own memory does not grow with the number of patterns. */
    ck_assert_uint_le(e->mem->used, 2 * mem_at_1000 + (1u << 20));
    ng_engine_close(e);
}
END_TEST

START_TEST(slow_regex_stopped_by_deadline)
{
    ng_engine_options o = { 0 };
    ng_engine *e;
    ng_verdict *v;
    char body[400];
    const char *err;

    /* No match limit to speak of: only the deadline can stop it. */
    o.pcre_match_limit = UINT32_MAX;
    o.check_deadline_ms = 50;
    e = engine(&o,
        "rule { name = 'SLOW', group = 'g', score = 1, description = 'd',\n"
        "  pattern = '^(a|aa)+$', field = 'body' }\n"
        "rule { name = 'SLOW_LUA', group = 'g', score = 1, description = 'd',\n"
        "  check = function(item) return item:find('^(a|aa)+$', 'body') end }\n"
        "");
    memset(body, 'a', 300);
    strcpy(body + 300, "!");
    v = check(e, "Title", body);
    err = error_of(v, "SLOW");
    ck_assert_ptr_nonnull(err);
    ck_assert_str_eq(err, "deadline exceeded");
    err = error_of(v, "SLOW_LUA");
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, "deadline exceeded") != NULL, "%s", err);
    ng_verdict_free(v);
    ng_engine_close(e);
}
END_TEST

START_TEST(store_query_stopped_by_deadline)
{
    ng_engine *e = engine(patient(),
        "rule { name = 'OK', group = 'g', score = 0, description = 'd',\n"
        "  check = function(item) return false end }\n");
    ng_store *s = NULL;
    char path[400], err[512];
    int64_t n = 0, now = (int64_t)time(NULL);

    snprintf(path, sizeof path, "%s/q.db", dir);
    ck_assert_int_eq(ng_store_open(&s, path, NG_STORE_NOSYNC, err,
                                   sizeof err), NG_OK);
    ck_assert_int_eq(ng_store_batch_begin(s), NG_OK);
    for (int i = 0; i < 3000; i++) {
        ng_item *it = item("Title", "body");
        ng_verdict *v = NULL;
        int64_t id;
        int ex;
        ck_assert_int_eq(ng_submit(e, s, it, &id, &ex, &v), NG_OK);
        ng_verdict_free(v);
        ng_item_free(it);
    }
    ck_assert_int_eq(ng_store_batch_commit(s), NG_OK);
    /* A deadline already past: the query is interrupted. */
    s->ops->set_deadline(s, 1);
    ck_assert_int_ne(ng__store_history(s, "submitter", "ann", now - 60,
                                       now + 60, 0, &n), NG_OK);
    s->ops->set_deadline(s, 0);
    ck_assert_int_eq(ng__store_history(s, "submitter", "ann", now - 60,
                                       now + 60, 0, &n), NG_OK);
    ck_assert_int_eq(n, 3000);
    ng_store_close(s);
    ng_engine_close(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sandbox");
    TCase *tc = tcase_create("sandbox");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, reload_starts_clean);
    tcase_add_test(tc, regex_cache_bounded);
    tcase_add_test(tc, slow_regex_stopped_by_deadline);
    tcase_add_test(tc, store_query_stopped_by_deadline);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ng_unit_run(suite());
}
