/*
 * test_submit_file.c -- ng_submit in two steps (ng_submit_check on one
 * engine with a read-only store, ng_submit_file on another with the
 * writing store), as the server runs it, with the default rules:
 *
 *  - the verdict filed is the one ng_submit gives, item for item (a
 *    second database filed the plain way is the reference);
 *  - items checked before their duplicate (or the submitter's earlier
 *    items) was filed are still caught when filed: an exact copy, a near
 *    copy and a rate limit, each checked while the store held none;
 *  - only the rules that read the store run again, unless the rules
 *    differ (then all run).
 *
 * Run from the project root (it reads rules/ and samples/).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "newsgate.h"
#include "unit.h"

static char dir[64];
static char dbw[128], dbr[128];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/ng-test-sf-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(dbw, sizeof dbw, "%s/two-step.db", dir);
    snprintf(dbr, sizeof dbr, "%s/reference.db", dir);
}

static void teardown(void)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

/* The two steps' handles: a checking engine on a read-only store, a
 * filing engine on the writing store; and a reference pair for
 * ng_submit. */
typedef struct rig {
    ng_engine *chk, *wr, *ref;
    ng_store *ro, *w, *rs;
} rig;

static ng_engine *engine(const char *rules)
{
    ng_engine *e = NULL;
    ng_engine_options o = { 0 };

    /* No rule may hit its deadline on a slow run (valgrind, a busy
     * machine): the two paths must see the same rules succeed. */
    o.check_deadline_ms = 600000;
    ck_assert_int_eq(ng_engine_open(&e, &o), NG_OK);
    ck_assert_msg(ng_engine_load_rules(e, rules) == NG_OK, "%s",
                  ng_engine_errmsg(e));
    return e;
}

static ng_store *store(const char *path, int flags)
{
    ng_store *s = NULL;
    char err[512];
    ck_assert_msg(ng_store_open(&s, path, flags | NG_STORE_NOSYNC, err,
                                sizeof err) == NG_OK, "%s", err);
    return s;
}

static void rig_open(rig *g, const char *filing_rules)
{
    g->w = store(dbw, 0);        /* creates the file first */
    g->ro = store(dbw, NG_STORE_READONLY);
    g->rs = store(dbr, 0);
    g->chk = engine("rules");
    g->wr = engine(filing_rules);
    g->ref = engine("rules");
    ng_engine_use_store(g->chk, g->ro);
    ng_engine_use_store(g->wr, g->w);
    ng_engine_use_store(g->ref, g->rs);
}

static void rig_close(rig *g)
{
    ng_engine_close(g->chk);
    ng_engine_close(g->wr);
    ng_engine_close(g->ref);
    ng_store_close(g->ro);
    ng_store_close(g->w);
    ng_store_close(g->rs);
}

static ng_item *parse(const char *json)
{
    ng_reader *r;
    ng_item *it = NULL;
    ck_assert_int_eq(ng_reader_open(&r, "t", json, strlen(json),
                                    NG_FORMAT_AUTO, NULL), NG_OK);
    ck_assert_int_eq(ng_reader_next(r, &it), NG_OK);
    ng_reader_close(r);
    return it;
}

/* The verdict's JSON without its timings (they differ run to run). */
static char *stable(const ng_verdict *v)
{
    char *j = ng_verdict_json(v, 0), *t;
    ck_assert_ptr_nonnull(j);
    if ((t = strstr(j, ",\"timings_us\"")) != NULL)
        *t = '\0';
    return j;
}

/* A story of 60 pseudo-random words from `seed`, by `who`. */
static char *story(unsigned seed, const char *who)
{
    char *s = malloc(1024);
    size_t o = 0;
    unsigned x = seed;

    o += (size_t)snprintf(s, 1024, "{\"title\":\"Story %u of the day\","
                          "\"submitter\":\"%s\",\"url\":\"https://news."
                          "example/%u\",\"body\":\"", seed, who, seed);
    for (int i = 0; i < 60; i++) {
        x = x * 1103515245u + 12345u;
        o += (size_t)snprintf(s + o, 1024 - o, "w%u ", (x >> 8) % 5000);
    }
    snprintf(s + o, 1024 - o, "end.\"}");
    return s;
}

/* Checks every item first (none filed yet: the worst race), then files
 * them in order, and files the same items with ng_submit in the
 * reference store.  Asserts equal verdicts; returns the actions filed
 * in acts[] (and those of the first checks in pre[]), how many needed each kind of re-check in again[3] and how
 * many verdicts name `rule` (may be NULL) in *fired. */
static void race(rig *g, char **json, size_t n, ng_action *acts,
                 ng_action *pre, int again[3], const char *rule, int *fired)
{
    ng_item **it = calloc(n, sizeof *it);
    ng_verdict **first = calloc(n, sizeof *first);

    again[0] = again[1] = again[2] = 0;
    for (size_t i = 0; i < n; i++) {
        it[i] = parse(json[i]);
        ck_assert_int_eq(ng_submit_check(g->chk, it[i], &first[i]), NG_OK);
        pre[i] = ng_verdict_action(first[i]);
    }
    for (size_t i = 0; i < n; i++) {
        ng_verdict *v = NULL, *r = NULL;
        ng_item *copy = parse(json[i]);
        int64_t id, rid;
        int existed, k;
        ck_assert_int_eq(ng_submit_file(g->wr, g->w, it[i], first[i], &id,
                                        &existed, &v, &k), NG_OK);
        ck_assert_int_eq(ng_submit(g->ref, g->rs, copy, &rid, &existed, &r),
                         NG_OK);
        char *a = stable(v), *b = stable(r);
        ck_assert_msg(strcmp(a, b) == 0, "item %zu:\n%s\n%s", i, a, b);
        acts[i] = ng_verdict_action(v);
        again[k]++;
        if (rule && strstr(a, rule))
            ++*fired;
        ng_free(a), ng_free(b);
        ng_verdict_free(v), ng_verdict_free(r), ng_verdict_free(first[i]);
        ng_item_free(it[i]), ng_item_free(copy);
    }
    free(it);
    free(first);
}

START_TEST(exact_and_near_copies_in_flight)
{
    rig g;
    char *json[3], *near;
    ng_action acts[3], pre[3];
    int again[3];

    rig_open(&g, "rules");
    json[0] = story(1, "ann");
    json[1] = strdup(json[0]);               /* the same, sent twice */
    near = strdup(json[0]);                  /* one word changed, new URL */
    memcpy(strstr(near, "example/1") + 8, "9", 1);
    memcpy(strstr(near, " end."), " fin.", 5);
    json[2] = near;
    race(&g, json, 3, acts, pre, again, NULL, NULL);
    ck_assert_int_eq(pre[1], NG_ACCEPT);     /* nothing stored yet */
    ck_assert_int_eq(pre[2], NG_ACCEPT);
    ck_assert_int_eq(acts[0], NG_ACCEPT);
    ck_assert_int_eq(acts[1], NG_REJECT);    /* caught though checked
                                                before the first was filed */
    ck_assert_int_ne(acts[2], NG_ACCEPT);
    ck_assert_int_eq(again[1], 3);           /* store rules only */
    for (int i = 0; i < 3; i++)
        free(json[i]);
    rig_close(&g);
}
END_TEST

START_TEST(rate_limit_in_flight)
{
    enum { N = 24 };   /* SUBMITTER_MAX is 20 an hour in rules/spam_history.lua */
    rig g;
    char *json[N];
    ng_action acts[N], pre[N];
    int again[3];

    rig_open(&g, "rules");
    for (int i = 0; i < N; i++)
        json[i] = story(100 + (unsigned)i, "flooder");
    int fired = 0;
    race(&g, json, N, acts, pre, again, "\"SUBMITTER_FLOOD\"", &fired);
    ck_assert_int_eq(fired, N - 20);   /* from the 21st, as in series */
    ck_assert_int_eq(again[1], N);
    for (int i = 0; i < N; i++)
        free(json[i]);
    rig_close(&g);
}
END_TEST

/* The samples and, when ../shared/data is there, the seed submission
 * (furniture, copied source): filed the same both ways. */
START_TEST(samples_filed_alike)
{
    const char *shared = getenv("NEWSGATE_SHARED");
    char seed[512];
    const char *files[] = { "samples/page.json", "samples/welcome.json",
        "samples/welcome.repost.json", "samples/shouting.txt", seed };
    char *json[5];
    size_t n = 0;
    ng_action acts[5], pre[5];
    int again[3];
    rig g;

    snprintf(seed, sizeof seed, "%s/seed/news-every-day-karabakh.txt",
             shared && *shared ? shared : "../shared/data");
    rig_open(&g, "rules");
    for (size_t i = 0; i < 5; i++) {
        FILE *f = fopen(files[i], "rb");
        long len;
        if (!f)
            continue;   /* the shared data may be absent */
        fseek(f, 0, SEEK_END);
        len = ftell(f);
        rewind(f);
        json[n] = calloc(1, (size_t)len + 1);
        ck_assert_int_eq(fread(json[n], 1, (size_t)len, f), (size_t)len);
        fclose(f);
        n++;
    }
    ck_assert_uint_ge(n, 4);
    race(&g, json, n, acts, pre, again, NULL, NULL);
    ck_assert_int_eq(again[1], (int)n);
    for (size_t i = 0; i < n; i++)
        free(json[i]);
    rig_close(&g);
}
END_TEST

/* Filing with other rules than the check's (a reload in between) runs
 * every rule again. */
START_TEST(other_rules_check_again)
{
    rig g;
    char *j = story(7, "bo");
    ng_item *it;
    ng_verdict *first, *v;
    int64_t id;
    int existed, again;

    rig_open(&g, "tests/rules/forced");
    it = parse(j);
    ck_assert_int_eq(ng_submit_check(g.chk, it, &first), NG_OK);
    ck_assert_int_eq(ng_submit_file(g.wr, g.w, it, first, &id, &existed,
                                    &v, &again), NG_OK);
    ck_assert_int_eq(again, 2);
    ng_verdict_free(first);
    ng_verdict_free(v);
    ng_item_free(it);
    free(j);
    rig_close(&g);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("submit_file");
    TCase *tc = tcase_create("two_steps");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, exact_and_near_copies_in_flight);
    tcase_add_test(tc, rate_limit_in_flight);
    tcase_add_test(tc, samples_filed_alike);
    tcase_add_test(tc, other_rules_check_again);
    suite_add_tcase(s, tc);
    return ng_unit_run(s);
}
