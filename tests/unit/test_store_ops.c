/*
 * test_store_ops.c -- the backend operations table (store/store.h) and
 * what core builds on it:
 *
 *   - ops_contract(s): the contract every backend must keep, written as a
 *     function of an opened store so a second backend runs the same test;
 *   - the index catch-up when commits become visible out of position
 *     order (a fake dup_since over the real SQLite store);
 *   - a rolled-back submission undone in the index, its id reused;
 *   - store look-ups memoised per check (a counting wrapper table);
 *   - the backend registry (an unreachable postgres:// URL refused
 *     clearly, no file made).
 *
 * The same binary runs the contract against PostgreSQL: with
 * NEWSGATE_TEST_PGHOST set (a socket directory; tests/scripts/
 * store-pg.sh starts a throwaway cluster and makes the databases), the
 * backend-neutral tests open postgresql:///ng_<test>?host=... instead of
 * a SQLite file, and the SQLite-only ones are left out.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "dup.h"
#include "store_api.h"
#include "unit.h"

static char dir[128], db[512];

/* Points db at the test cluster's database ng_<name>, or keeps the
 * SQLite file (unit.h). */
static void use_db(const char *name)
{
    ng_unit_pg_db(db, sizeof db, name);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/ng-test-ops-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/q.db", dir);
}

static void teardown(void)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

static ng_store *open_store(void)
{
    ng_store *s = NULL;
    char err[512];
    int rc = ng_store_open(&s, db, NG_STORE_NOSYNC, err, sizeof err);
    ck_assert_msg(rc == NG_OK, "open: %s", err);
    return s;
}

/* ---- the contract ------------------------------------------------------ */

static int64_t insert(ng_store *s, const char *title, const char *url,
                      const char *submitter)
{
    /* The item is stored once, as its JSON: the queue reads the title
     * and submitter from there. */
    char ij[256];
    snprintf(ij, sizeof ij, "{\"title\":\"%s\",\"body\":\"body\","
             "\"url\":\"%s\"%s%s%s}", title, url,
             submitter ? ",\"submitter\":\"" : "",
             submitter ? submitter : "", submitter ? "\"" : "");
    ng__item_row r = {
        .submitted_at = 1000, .item_json = ij, .status = "review",
        .action = "review", .score = 6, .verdict_json = "{\"v\":1}",
        .rules_hash = "h", .now = 1001,
    };
    ng__run_row run = { "RULE", 1, 12 };
    int64_t id = 0;
    ck_assert_int_eq(s->ops->insert_item(s, &r, &id), NG_OK);
    ck_assert_int_gt(id, 0);
    ck_assert_int_eq(s->ops->add_runs(s, id, &run, 1), NG_OK);
    return id;
}

static void put_keys(ng_store *s, int64_t id, const char *url, uint64_t h)
{
    uint32_t fps[4] = { 1, 2, 3, (uint32_t)id };
    uint32_t sh[3] = { 5, 7, (uint32_t)id + 100 };
    ng__dupkeys_row k = {
        .id = id, .url_canon = url, .text_hash = h, .title_hash = h + 1,
        .fps = fps, .nfps = 4, .shingles = sh, .nshingles = 3,
    };
    ck_assert_int_eq(s->ops->dup_insert(s, &k), NG_OK);
}

typedef struct seen {
    int64_t pos[8], id[8];
    uint64_t text[8], title[8];
    int url[8];         /* 1: the row's url_canon is "u" */
    size_t n;
} seen;

static int collect(void *arg, const ng__dupfp_row *r)
{
    seen *v = arg;
    ck_assert_uint_eq(r->nfps, 4);
    ck_assert_int_eq(r->raw, 0);
    ck_assert_uint_eq(r->fps[3], (uint32_t)r->id);
    if (v->n < 8) {
        v->pos[v->n] = r->pos;
        v->text[v->n] = r->text_hash;
        v->title[v->n] = r->title_hash;
        v->url[v->n] = r->url_canon && strcmp(r->url_canon, "u") == 0;
        v->id[v->n++] = r->id;
    }
    return NG_OK;
}

/* The exact look-ups of a backend with dup_exact, or (without: SQLite
 * from schema v13, core answers them) the keys its catch-up rows carry. */
static void exact_contract(ng_store *s, int64_t a, int64_t b,
                          const seen *v)
{
    int64_t ids[4];
    size_t n;
    if (!s->ops->dup_exact) {
        ck_assert(v->url[0] && v->url[1]);
        ck_assert(v->text[0] == 77 && v->title[0] == 78);
        return;
    }
    ck_assert_int_eq(s->ops->dup_exact(s, NG__DUP_URL, "u", 0, 0, 4, ids,
                                       &n), NG_OK);
    ck_assert(n == 2 && ids[0] == a && ids[1] == b);
    ck_assert_int_eq(s->ops->dup_exact(s, NG__DUP_URL, "u", 0, a, 4, ids,
                                       &n), NG_OK);
    ck_assert(n == 1 && ids[0] == b);           /* self left out */
    ck_assert_int_eq(s->ops->dup_exact(s, NG__DUP_TEXT, NULL, 77, 0, 4, ids,
                                       &n), NG_OK);
    ck_assert(n == 1 && ids[0] == a);
    ck_assert_int_eq(s->ops->dup_exact(s, NG__DUP_TITLE, NULL, 78, 0, 1,
                                       ids, &n), NG_OK);
    ck_assert(n == 1 && ids[0] == a);
}

static int count_list(void *arg, const ng__list_row *r)
{
    ck_assert_ptr_nonnull(r->title);
    (*(int *)arg)++;
    return NG_OK;
}

static int check_show(void *arg, const ng__show_row *r)
{
    ck_assert_str_eq(r->verdict_json, "{\"v\":1}");
    ck_assert_str_eq(r->status, *(const char **)arg);
    ck_assert(r->published_at == NG__NULL_INT);
    return NG_OK;
}

static int count_audit(void *arg, const ng__audit_row *r)
{
    (*(int *)arg)++;
    return NG_OK;
}

/* Duplicate-key operations on two stored items a < b. */
static void dup_contract(ng_store *s, int64_t a, int64_t b)
{
    seen v = { .n = 0 };
    ck_assert_int_eq(s->ops->dup_since(s, 0, collect, &v), NG_OK);
    ck_assert_uint_eq(v.n, 2);
    ck_assert(v.id[0] == a && v.id[1] == b && v.pos[0] < v.pos[1]);
    exact_contract(s, a, b, &v);
    v.n = 0;
    ck_assert_int_eq(s->ops->dup_since(s, v.pos[0], collect, &v), NG_OK);
    ck_assert(v.n == 1 && v.id[0] == b);

    uint32_t *sh;
    size_t n;
    int legacy = -1;
    ck_assert_int_eq(s->ops->dup_shingles(s, b, &sh, &n, &legacy), NG_OK);
    ck_assert(n == 3 && sh[2] == (uint32_t)b + 100 && legacy == 0);
    free(sh);
    ck_assert_int_eq(s->ops->dup_shingles(s, b + 50, &sh, &n, &legacy),
                     NG_ENOTFOUND);

    ng__item_brief br;
    ck_assert_int_eq(s->ops->describe(s, a, &br), NG_OK);
    ck_assert_str_eq(br.title, "first");
    ck_assert_str_eq(br.status, "review");
    ck_assert_int_eq(br.submitted_at, 1000);
    free(br.title);
    free(br.status);
    ck_assert_int_eq(s->ops->describe(s, b + 50, &br), NG_ENOTFOUND);
}

/* Queue writes, reports and the index count on items a, b. */
static void queue_contract(ng_store *s, int64_t a, int64_t b)
{
    char hash[64], status[32];
    int64_t id, count;
    int n = 0;
    const char *want = "accepted";

    ck_assert_int_eq(s->ops->find_external(s, "nope", &id), NG_ENOTFOUND);
    ck_assert_int_eq(s->ops->history(s, "submitter", "ann", 0, 2000, 0,
                                     &count), NG_OK);
    ck_assert_int_eq(count, 2);
    /* The window is on the received time (1001), not submitted_at (1000). */
    ck_assert_int_eq(s->ops->history(s, "submitter", "ann", 1001, 1001, 0,
                                     &count), NG_OK);
    ck_assert_int_eq(count, 2);
    ck_assert_int_eq(s->ops->history(s, "submitter", "ann", 1000, 1000, 0,
                                     &count), NG_OK);
    ck_assert_int_eq(count, 0);
    /* A cap stops the count there; a cap above the count changes nothing. */
    ck_assert_int_eq(s->ops->history(s, "submitter", "ann", 0, 2000, 1,
                                     &count), NG_OK);
    ck_assert_int_eq(count, 1);
    ck_assert_int_eq(s->ops->history(s, "submitter", "ann", 0, 2000, 5,
                                     &count), NG_OK);
    ck_assert_int_eq(count, 2);
    ng__history_row h;
    ck_assert_int_eq(s->ops->history_detail(s, "submitter", "ann", 0, 2000,
                                            &h), NG_OK);
    ck_assert(h.total == 2 && h.review == 2 && h.accepted == 0);
    ck_assert_int_eq(h.first_seen, 1001);
    ck_assert_int_eq(s->ops->history_detail(s, "submitter", "nobody", 0,
                                            2000, &h), NG_OK);
    ck_assert(h.total == 0 && h.first_seen == 0);
    ck_assert_int_eq(s->ops->decide(s, a, "accepted", "mod", 5, hash,
                                    sizeof hash), NG_OK);
    ck_assert_str_eq(hash, "h");
    ck_assert_int_eq(s->ops->decide(s, b + 50, "accepted", "mod", 5, hash,
                                    sizeof hash), NG_EEMPTY);
    ck_assert_int_eq(s->ops->status(s, a, status, sizeof status), NG_OK);
    ck_assert_str_eq(status, "accepted");
    ck_assert_int_eq(s->ops->status(s, b + 50, status, sizeof status),
                     NG_ENOTFOUND);
    ck_assert_int_eq(s->ops->audit(s, a, 6, "mod", "approve", NULL, "h"),
                     NG_OK);
    ck_assert_int_eq(s->ops->claim(s, 10, 60, "pub", &id, hash,
                                   sizeof hash), NG_OK);
    ck_assert_int_eq(id, a);
    ck_assert_int_eq(s->ops->claim(s, 10, 60, "pub", &id, hash,
                                   sizeof hash), NG_EEMPTY);
    ck_assert_int_eq(s->ops->release(s, a, "pub", hash, sizeof hash), NG_OK);
    ck_assert_int_eq(s->ops->ack(s, a, "pub", 11, hash, sizeof hash),
                     NG_EEMPTY);            /* released: not claimed */
    ck_assert_int_eq(s->ops->list(s, NULL, count_list, &n), NG_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(s->ops->show(s, a, check_show, &want), NG_OK);
    ck_assert_int_eq(s->ops->show(s, b + 50, check_show, &want),
                     NG_ENOTFOUND);
    n = 0;
    ck_assert_int_eq(s->ops->audit_trail(s, a, count_audit, &n), NG_OK);
    ck_assert_int_eq(n, 1);

    /* A refile never overturns a human; it replaces an automatic one. */
    ng__refile rf = { "rejected", "reject", 12, "{\"v\":2}", "h2" };
    ck_assert_int_eq(s->ops->refile(s, a, &rf), NG_EEMPTY);
    ck_assert_int_eq(s->ops->refile(s, b, &rf), NG_OK);
    ck_assert_int_eq(s->ops->status(s, b, status, sizeof status), NG_OK);
    ck_assert_str_eq(status, "rejected");
}

/* The contract of a backend's operations table, on an opened, empty,
 * writable store.  Leaves two items behind. */
static void ops_contract(ng_store *s)
{
    ck_assert_int_eq(s->ops->begin(s, 0), NG_OK);
    int64_t a = insert(s, "first", "u", "ann");
    int64_t b = insert(s, "second", "u", "ann");
    ck_assert_int_gt(b, a);                 /* ids from the database */
    put_keys(s, a, "u", 77);
    put_keys(s, b, "u", 99);
    ck_assert_int_eq(s->ops->commit(s), NG_OK);

    ck_assert_int_eq(s->ops->begin(s, 1), NG_OK);
    dup_contract(s, a, b);
    queue_contract(s, a, b);
    ck_assert_int_eq(s->ops->commit(s), NG_OK);

    /* A rolled-back insert leaves nothing. */
    ck_assert_int_eq(s->ops->begin(s, 0), NG_OK);
    int64_t c = insert(s, "third", "v", NULL);
    put_keys(s, c, "v", 5);
    ck_assert_int_eq(s->ops->rollback(s), NG_OK);
    seen v = { .n = 0 };
    ck_assert_int_eq(s->ops->dup_since(s, 0, collect, &v), NG_OK);
    ck_assert_uint_eq(v.n, 2);
    ck_assert_int_eq(s->ops->show(s, c, check_show, NULL), NG_ENOTFOUND);
}

START_TEST(store_keeps_the_contract)
{
    use_db("contract");
    ng_store *s = open_store();
    ck_assert_str_eq(s->ops->name,
                     ng_unit_pghost() ? "postgresql" : "sqlite");
    ops_contract(s);
    ng_store_close(s);
}
END_TEST

/* queue show builds the JSON in core: the stored verdict (without the id,
 * as submit stores it) gets "id" first; the output keeps its schema. */
START_TEST(show_json_puts_the_verdict_id_first)
{
    use_db("show");
    ng_store *s = open_store();
    ck_assert_int_eq(s->ops->begin(s, 0), NG_OK);
    int64_t a = insert(s, "first", "u", "ann");
    ck_assert_int_eq(s->ops->audit(s, a, 1001, NULL, "verdict", "review",
                                   "h"), NG_OK);
    ck_assert_int_eq(s->ops->commit(s), NG_OK);
    char *json = NULL, want[64];
    ck_assert_int_eq(ng_queue_show(s, a, &json), NG_OK);
    snprintf(want, sizeof want, "\"verdict\":{\"id\":%lld,\"v\":1}",
             (long long)a);
    ck_assert_msg(strstr(json, want), "%s", json);
    ck_assert_ptr_nonnull(strstr(json, "\"audit\":[{\"at\":1001,"
                                       "\"actor\":\"newsgate\""));
    ng_free(json);
    ck_assert_int_eq(ng_queue_show(s, a + 9, &json), NG_ENOTFOUND);
    ck_assert_ptr_null(json);
    ck_assert_int_eq(ng_queue_list(s, NULL, &json), NG_OK);
    ck_assert_ptr_nonnull(strstr(json, "\"title\":\"first\","
                                       "\"submitter\":\"ann\","
                                       "\"submitted_at\":1000,"
                                       "\"decided_by\":null,"
                                       "\"forced_by\":null,\"top_rules\":[],\"rules\":[],\"groups\":[]}"));
    ng_free(json);
    ng_store_close(s);
}
END_TEST

/* ---- the registry ---------------------------------------------------- */

/* A database that cannot be reached is "busy" (the CLI exits 74), not
 * a file named "postgresql:". */
START_TEST(unreachable_postgres_is_refused_clearly)
{
    ng_store *s = (ng_store *)1;
    char err[512];
    ck_assert_int_eq(ng_store_open(&s, "postgresql:///news?host="
                                   "/nonexistent-ng-dir", 0, err,
                                   sizeof err), NG_EBUSY);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(err, "database unavailable"), "%s", err);
    ck_assert_int_eq(ng_store_open(&s, "postgres:///x?host=/nonexistent-ng",
                                   0, err, sizeof err), NG_EBUSY);
    ck_assert_int_eq(access("postgres:", F_OK), -1);    /* no file made */
    ck_assert_int_eq(access("postgresql:", F_OK), -1);
}
END_TEST

/* ---- out-of-order catch-up ----------------------------------------- */

/* Rows the fake backend has "committed" so far, in no particular order;
 * dup_since hands them out in position order as a backend would. */
static struct { int64_t pos[16]; size_t n; } visible;
static int fail_after = -1;     /* rows handed out before a failure */
static uint64_t fake_ver;       /* the change counter: moved by a commit */

static int fake_version(ng_store *s, uint64_t *v)
{
    *v = fake_ver;
    return NG_OK;
}

static int fake_since(ng_store *s, int64_t pos, ng__dupfp_fn fn,
                      void *arg)
{
    int given = 0;
    for (int64_t p = pos + 1; p <= 64; p++)
        for (size_t i = 0; i < visible.n; i++)
            if (visible.pos[i] == p) {
                uint32_t fps[4] = { 9, 10, 11, 1000 + (uint32_t)p };
                ng__dupfp_row r = { .pos = p, .id = p, .fps = fps, .nfps = 4 };
                if (given++ == fail_after)
                    return ng__store_fail(s, NG_ESTORE, "interrupted");
                int rc = fn(arg, &r);
                if (rc != NG_OK)
                    return rc;
            }
    return NG_OK;
}

static size_t in_index(ng_store *s, uint32_t id)
{
    int rc;
    struct ng__dupindex *ix = ng__dup_index(s, &rc);
    uint32_t out[32];
    ck_assert_ptr_nonnull(ix);
    size_t n = ng__dupindex_find(ix, 1000 + id, 0, 8, out, 0, 32);
    return n == 1 && out[0] == id;
}

START_TEST(catch_up_survives_out_of_order_commits)
{
    ng_store *s = open_store();
    ng__store_ops fake = *s->ops;
    fake.dup_since = fake_since;
    fake.others_version = fake_version;
    s->ops = &fake;
    int rc;

    /* Writers took 1..5; 1, 2 and 4 committed, 3 and 5 not yet. */
    visible.n = 0;
    visible.pos[visible.n++] = 4;
    visible.pos[visible.n++] = 1;
    visible.pos[visible.n++] = 2;
    ck_assert(in_index(s, 1) && in_index(s, 2) && in_index(s, 4));
    ck_assert(!in_index(s, 3));
    ck_assert_int_eq(ng__dup_position(s), 4);
    ck_assert_uint_eq(ng__dup_gaps(s), 1);      /* 3 is open */

    /* 3 commits after 4: a plain "after the highest" read would lose it. */
    visible.pos[visible.n++] = 5;
    visible.pos[visible.n++] = 3;
    fake_ver++;
    ck_assert(in_index(s, 3) && in_index(s, 5));
    ck_assert_uint_eq(ng__dup_gaps(s), 0);
    ck_assert_int_eq(ng__dup_position(s), 5);
    ck_assert_uint_eq(ng__dupindex_count(ng__dup_index(s, &rc)), 5);

    /* Reading again adds nothing twice. */
    ck_assert_uint_eq(ng__dupindex_count(ng__dup_index(s, &rc)), 5);

    /* With no gap open and the change counter still, the log is not read
     * again: a row appearing without a commit (which no backend does)
     * stays unseen until the counter moves. */
    visible.pos[visible.n++] = 6;
    ck_assert(!in_index(s, 6));
    fake_ver++;
    ck_assert(in_index(s, 6));

    /* A read cut short (say by the check's deadline) keeps what it got:
     * no reload from scratch, and the rest comes next time. */
    visible.pos[visible.n++] = 7;
    visible.pos[visible.n++] = 8;
    fake_ver++;
    fail_after = 1;
    ck_assert_ptr_null(ng__dup_index(s, &rc));
    ck_assert_int_eq(rc, NG_ESTORE);
    ck_assert(ng__dup_loaded(s));               /* kept, not dropped */
    ck_assert_int_eq(ng__dup_position(s), 7);   /* row 7 applied */
    fail_after = -1;
    ck_assert(in_index(s, 7) && in_index(s, 8));
    ck_assert_uint_eq(ng__dupindex_count(ng__dup_index(s, &rc)), 8);
    ng_store_close(s);      /* before `fake` goes out of scope */
}
END_TEST

/* ---- engine-level: rollback and memo ------------------------------- */

/* Two rules asking the store the same questions. */
static const char rules_lua[] =
    "thresholds { review = 5, reject = 10 }\n"
    "local function ask(item)\n"
    "  local u = item:same_url()\n"
    "  local t = item:same_text()\n"
    "  local n = item:nearest{min = 0.5}\n"
    "  local h = item:history{submitter = true}\n"
    "  return u ~= nil or #n > 0 or h > 0\n"
    "end\n"
    "rule { name = 'ONE', group = 't', score = 1, description = 'one',\n"
    "  check = ask }\n"
    "rule { name = 'TWO', group = 't', score = 1, description = 'two',\n"
    "  check = ask }\n";

static ng_engine *engine(void)
{
    char path[300];
    ng_engine *e = NULL;
    snprintf(path, sizeof path, "%s/rules", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/rules/t.lua", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(rules_lua, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/rules", dir);
    ck_assert_int_eq(ng_engine_open(&e, NULL), NG_OK);
    ck_assert_msg(ng_engine_load_rules(e, path) == NG_OK, "%s",
                  ng_engine_errmsg(e));
    return e;
}

static ng_item *item(const char *title, const char *body)
{
    char json[1024];
    ng_reader *r;
    ng_item *it = NULL;
    snprintf(json, sizeof json, "{\"title\":\"%s\",\"url\":"
             "\"https://example.org/%s\",\"submitter\":\"ann\","
             "\"body\":\"%s\"}", title, title, body);
    ck_assert_int_eq(ng_reader_open(&r, "t", json, strlen(json),
                                    NG_FORMAT_JSON, NULL), NG_OK);
    ck_assert_int_eq(ng_reader_next(r, &it), NG_OK);
    ng_reader_close(r);
    return it;
}

static int64_t submit(ng_engine *e, ng_store *s, const char *title,
                      const char *body)
{
    ng_item *it = item(title, body);
    ng_verdict *v = NULL;
    int64_t id = 0;
    int existed = 0;
    ck_assert_int_eq(ng_submit(e, s, it, &id, &existed, &v), NG_OK);
    ng_verdict_free(v);
    ng_item_free(it);
    return id;
}

static const char text_a[] = "the river flooded the old mill town after "
    "three days of rain and the bridge closed for a week";
static const char text_b[] = "a small bakery won the national prize for "
    "its rye bread made with flour from a nearby farm";

/* Ids of the near duplicates of `body` in the store. */
static size_t near_ids(ng_store *s, const char *body, int64_t *first)
{
    ng_item *it = item("probe", body);
    ng__dupmatches m = { 0 };
    ck_assert_int_eq(ng__dup_nearest(s, it, 0, 0.9, 5, &m), NG_OK);
    size_t n = m.n;
    *first = n ? m.v[0].id : 0;
    ng__dupmatches_free(&m);
    ng_item_free(it);
    return n;
}

START_TEST(rollback_is_undone_in_the_index)
{
    ng_engine *e = engine();
    ng_store *s = open_store();
    int64_t first, a0 = submit(e, s, "zero", "unrelated words here only");
    int rc;

    ck_assert_ptr_nonnull(ng__dup_index(s, &rc));   /* loaded */
    ck_assert_int_eq(ng_store_batch_begin(s), NG_OK);
    int64_t a = submit(e, s, "a", text_a);
    ck_assert_uint_eq(near_ids(s, text_a, &first), 1); /* seen in batch */
    ck_assert_int_eq(ng_store_batch_rollback(s), NG_OK);
    ck_assert_uint_eq(near_ids(s, text_a, &first), 0);
    ck_assert_uint_eq(ng__dupindex_count(ng__dup_index(s, &rc)), 1);

    /* SQLite hands the id out again; the index reads the new row. */
    int64_t b = submit(e, s, "b", text_b);
    ck_assert_int_eq(b, a);
    ck_assert_uint_eq(near_ids(s, text_b, &first), 1);
    ck_assert_int_eq(first, b);
    ck_assert_uint_eq(near_ids(s, text_a, &first), 0);
    ck_assert_int_gt(b, a0);
    ng_store_close(s);
    ng_engine_close(e);
}
END_TEST

/* A wrapper table counting the look-ups rules cause. */
static const ng__store_ops *real;
static int n_exact, n_history, n_since;

static int count_exact(ng_store *s, ng__dupkind k, const char *t,
                       uint64_t h, int64_t self, size_t limit, int64_t *ids,
                       size_t *n)
{
    n_exact++;
    return real->dup_exact(s, k, t, h, self, limit, ids, n);
}

static int count_history(ng_store *s, const char *f, const char *v,
                         int64_t from, int64_t to, int64_t cap,
                         int64_t *count)
{
    n_history++;
    return real->history(s, f, v, from, to, cap, count);
}

static int count_since(ng_store *s, int64_t pos, ng__dupfp_fn fn,
                       void *arg)
{
    n_since++;
    return real->dup_since(s, pos, fn, arg);
}

START_TEST(lookups_are_memoised_per_check)
{
    ng_engine *e = engine();
    use_db("memo");
    ng_store *s = open_store();
    submit(e, s, "a", text_a);
    submit(e, s, "b", text_b);

    ng__store_ops counting = *s->ops;
    real = s->ops;
    /* SQLite (schema v13) has no dup_exact: core answers exact look-ups
     * from its index, each catching it up (a log read here). */
    int mem = real->dup_exact == NULL;
    counting.dup_exact = mem ? NULL : count_exact;
    counting.history = count_history;
    counting.dup_since = count_since;
    /* Without others_version the writing handle keeps no history counts
     * between checks (core/history_cache.c), so every question a check
     * asks reaches the backend once: what this test counts. */
    counting.others_version = NULL;
    s->ops = &counting;
    ng_engine_use_store(e, s);
    n_exact = n_history = n_since = 0;

    ng_item *it = item("a", text_a);
    ng_verdict *v = NULL;
    ck_assert_int_eq(ng_check(e, it, &v), NG_OK);
    /* Two rules, each asking same_url, same_text, nearest, history: one
     * query per question. */
    ck_assert_int_eq(n_exact, mem ? 0 : 2);
    ck_assert_int_eq(n_history, 1);
    ck_assert_int_eq(n_since, mem ? 3 : 1);
    ck_assert_uint_eq(ng_verdict_error_count(v), 0);
    ck_assert_uint_eq(ng_verdict_hit_count(v), 2);
    ng_verdict_free(v);

    /* After a write the store changed: the next check asks again. */
    ck_assert_int_eq(ng_store_batch_begin(s), NG_OK);
    ck_assert_int_eq(ng_store_batch_commit(s), NG_OK);
    ck_assert_int_eq(ng_check(e, it, &v), NG_OK);
    ck_assert_int_eq(n_exact, mem ? 0 : 4);
    ck_assert_int_eq(n_since, mem ? 6 : 2);
    ck_assert_int_eq(n_history, 2);
    ng_verdict_free(v);
    ng_item_free(it);

    ng_engine_use_store(e, NULL);
    ng_store_close(s);
    ng_engine_close(e);
}
END_TEST

/* A number kept in the memo is found again whatever its value (the
 * learner's "no opinion" is -1): the spam probability is worked out
 * once a check, not once per rule asking. */
START_TEST(memo_keeps_numbers)
{
    use_db("memo");     /* any store: no row is read */
    ng_store *s = open_store();
    ng_item *it = item("n", text_a);
    double v = 0;
    ck_assert(!ng__memo_get_number(s, it, "p", &v));
    ck_assert_int_eq(ng__memo_put_number(s, it, "p", -1), NG_OK);
    ck_assert(ng__memo_get_number(s, it, "p", &v) && v == -1);
    ck_assert_int_eq(ng__memo_put_number(s, it, "q", 0.25), NG_OK);
    ck_assert(ng__memo_get_number(s, it, "q", &v) && v == 0.25);
    ck_assert(ng__memo_get_number(s, it, "p", &v) && v == -1);
    ng_item_free(it);
    ng_store_close(s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("store_ops");
    TCase *tc = tcase_create("ops");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, store_keeps_the_contract);
    tcase_add_test(tc, show_json_puts_the_verdict_id_first);
    tcase_add_test(tc, lookups_are_memoised_per_check);
    tcase_add_test(tc, memo_keeps_numbers);
    if (!ng_unit_pghost()) {        /* SQLite only (ids reused after rollback) */
        tcase_add_test(tc, unreachable_postgres_is_refused_clearly);
        tcase_add_test(tc, catch_up_survives_out_of_order_commits);
        tcase_add_test(tc, rollback_is_undone_in_the_index);
    }
    suite_add_tcase(su, tc);
    return ng_unit_run(su);
}
