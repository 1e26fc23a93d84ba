/*
 * engine.c -- the engine's life cycle and the check loop.
 *
 * ng_check runs every rule of the loaded set over one item, in load
 * order: pattern rules are matched in C, check rules are called in the
 * sandbox with an instruction budget each.  A rule that fails is recorded
 * in the verdict's errors and the loop goes on.  Scores of enforcing hits
 * add up per group and in total; the thresholds map the total to an
 * action unless a hit forces one.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>

#include "engine.h"
#include "engine_impl.h"
#include "store.h"
#include "item.h"
#include "lua_item.h"
#include "spanmap.h"
#include "verdict.h"

#define now_us ng__now_us

int ng__action_parse(const char *s)
{
    if (s == NULL)
        return -1;
    if (strcmp(s, "accept") == 0) return NG_ACCEPT;
    if (strcmp(s, "review") == 0) return NG_REVIEW;
    if (strcmp(s, "reject") == 0) return NG_REJECT;
    return -1;
}

static void fill_defaults(ng_engine_options *o)
{
    if (!o->lua_memory_cap) o->lua_memory_cap = 64u << 20;
    if (!o->rule_instructions) o->rule_instructions = 10000000u;
    if (!o->pcre_match_limit) o->pcre_match_limit = 1000000u;
    if (!o->pcre_depth_limit) o->pcre_depth_limit = 10000u;
    if (!o->check_deadline_ms) o->check_deadline_ms = 250u;
    ng__limits_fill(&o->limits, &o->limits);
}

/* Bounds the store's queries by the running rule's deadline. */
static void store_deadline(ng_store *s, uint64_t deadline_us)
{
    if (s && s->ops && s->ops->set_deadline)
        s->ops->set_deadline(s, deadline_us);
}

int ng_engine_open(ng_engine **out, const ng_engine_options *opts)
{
    ng_engine *e;
    int rc;

    if (out == NULL)
        return NG_EINVAL;
    *out = NULL;
    if ((e = calloc(1, sizeof *e)) == NULL)
        return NG_ENOMEM;
    if (opts)
        e->opts = *opts;
    fill_defaults(&e->opts);
    e->set.review = 5;
    e->set.reject = 10;
    e->regex = ng__regex_cache_new(e->opts.pcre_match_limit,
                                   e->opts.pcre_depth_limit);
    if (e->regex == NULL) {
        free(e);
        return NG_ENOMEM;
    }
    if ((rc = ng__sandbox_open(e)) != NG_OK) {
        ng_engine_close(e);
        return rc == NG_ENOMEM ? NG_ENOMEM : NG_EINTERNAL;
    }
    *out = e;
    return NG_OK;
}

void ng_engine_close(ng_engine *e)
{
    if (e == NULL)
        return;
    ng__rule_set_free(e->L, &e->set);
    ng__sandbox_close(e->L, e->mem);
    ng__regex_cache_free(e->regex);
    ng__engine_brakes_free(e);
    if (e->pack.packer)
        e->pack.made->pack_free(e->pack.packer);
    free(e);
}

size_t ng_engine_rule_count(const ng_engine *e) { return e ? e->set.n : 0; }
const char *ng_engine_rules_hash(const ng_engine *e)
{
    return e && e->set.n ? e->set.hash : "0000000000000000";
}
const char *ng_engine_errmsg(const ng_engine *e) { return e ? e->errmsg : ""; }

int ng_engine_use_store(ng_engine *e, ng_store *s)
{
    if (e == NULL)
        return NG_EINVAL;
    e->store = s;
    return NG_OK;
}

ng__regex_cache *ng__engine_regex(ng_engine *e) { return e->regex; }
ng_store *ng__engine_store(ng_engine *e) { return e->store; }
ng__engine_pack *ng__engine_pack_of(ng_engine *e) { return &e->pack; }
const ng_limits *ng__engine_limits(const ng_engine *e) { return &e->opts.limits; }

int ng__engine_debug(ng_engine *e, ng_verdict **v, const char **rule)
{
    if (!e->opts.debug || !e->cur_v)
        return 0;
    *v = e->cur_v;
    *rule = e->cur_rule;
    return 1;
}
const char *ng__engine_rules_dir(const ng_engine *e)
{
    return e->loading_dir ? e->loading_dir : e->set.dir;
}

/* Matches a pattern rule against its fields; fills hit on a match.
 * Returns 1 hit, 0 none, -1 error (message in err). */
static int run_pattern(ng_engine *e, const ng__rule *r, ng_item *it,
                       ng_verdict *v, ng_hit *hit, char *err, size_t errlen)
{
    for (size_t i = 0; i < r->nfields; i++) {
        size_t len, ms, me;
        const char *text = ng__item_field(it, r->fields[i], &len);
        int rc;
        char detail[160];

        if (text == NULL)
            continue;
        rc = ng__regex_search_valid(r->re, text, len, 0, &ms, &me, err, errlen);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        /* Quote at most 60 bytes of the match, cut on a UTF-8 boundary. */
        size_t q = me - ms > 60 ? 60 : me - ms;
        while (q > 0 && q < me - ms && ((unsigned char)text[ms + q] & 0xC0) == 0x80)
            q--;
        snprintf(detail, sizeof detail, "%s matches \"%.*s%s\"", r->fields[i],
                 (int)q, text + ms, q < me - ms ? "..." : "");
        hit->detail = ng__verdict_str(v, detail);
        hit->field = ng__verdict_str(v, r->fields[i]);
        hit->span_start = (long)ms;
        hit->span_end = (long)me;
        if (r->furniture && strcmp(r->fields[i], "body") == 0
            && ng__verdict_add_cut(v, (long)ms, (long)me) < 0)
            return -1;
        return 1;
    }
    return 0;
}

/* Calls check rule r on the item at stack slot 2 of the running batch
 * door and converts what it returned, both under the rule's budget and
 * deadline.  Returns 1 hit, 0 none, -1 error (message in err); a Lua
 * error raises through to the door's protected call. */
static int call_check(lua_State *L, const ng__rule *r, ng_verdict *v,
                      ng_hit *hit, char *err, size_t errlen)
{
    int rc;

    lua_rawgeti(L, LUA_REGISTRYINDEX, r->check_ref);
    lua_pushvalue(L, 2);
    lua_call(L, 1, LUA_MULTRET);
    rc = ng__lua_result(L, 3, lua_gettop(L) - 2, v, hit, err, errlen);
    lua_settop(L, 2);
    return rc;
}

/* A check's hit must name the field its span is in, and the span must
 * lie within that field's text, or the rule author would be pointed at
 * nothing.  Returns 1 (the hit stands) or -1 with the reason in err. */
static int check_span(ng_item *it, const ng_hit *hit, char *err, size_t errlen)
{
    size_t len = 0;
    char name[64];

    snprintf(name, sizeof name, " %s ", hit->field ? hit->field : "");
    if (hit->field && !ng__item_field(it, hit->field, &len)
        && !strstr(" text title body html url source author submitter ", name)) {
        snprintf(err, errlen, "check result: unknown field '%s'", hit->field);
        return -1;
    }
    if (hit->span_start < 0)
        return 1;
    if (!hit->field) {
        snprintf(err, errlen, "check result: a span needs the field it is "
                 "in (field = \"body\", ...)");
        return -1;
    }
    for (size_t i = 0; i < (hit->nspans ? hit->nspans : 1); i++) {
        long s = hit->nspans ? hit->spans[2 * i] : hit->span_start;
        long e = hit->nspans ? hit->spans[2 * i + 1] : hit->span_end;
        if ((size_t)e > len) {
            snprintf(err, errlen, "check result: span {%ld, %ld} is outside "
                     "field '%s' (%zu bytes)", s + 1, e, hit->field, len);
            return -1;
        }
    }
    return 1;
}

/* A span found on the normalized text is shown in the field the rule
 * author sees: title or body.  Spans that cannot be mapped (crossing
 * from title to body) stay on "text". */
static void span_to_field(ng_item *it, ng_verdict *v, ng_hit *hit)
{
    const char *field = NULL, *f;
    long *spans = (long *)hit->spans; /* pooled by this verdict */
    size_t fs, fe, n = hit->nspans ? hit->nspans : 1;
    long mapped[2 * 64];

    if (!hit->field || strcmp(hit->field, "text") != 0 || hit->span_start < 0
        || n > 64)
        return;
    for (size_t i = 0; i < n; i++) {
        long s = spans ? spans[2 * i] : hit->span_start;
        long e = spans ? spans[2 * i + 1] : hit->span_end;
        if (ng__span_from_text(it, (size_t)s, (size_t)e, &f, &fs, &fe) != 0
            || (field && strcmp(field, f) != 0))
            return; /* unmappable, or spread over title and body */
        field = f;
        mapped[2 * i] = (long)fs;
        mapped[2 * i + 1] = (long)fe;
    }
    hit->field = ng__verdict_str(v, field);
    hit->span_start = mapped[0];
    hit->span_end = mapped[1];
    if (spans)
        memcpy(spans, mapped, 2 * n * sizeof *spans);
}

/* Records one hit: pooled strings, group totals and forced actions. */
static int record_hit(ng_verdict *v, const ng__rule *r, int shadow,
                      ng_hit *hit, int *forced)
{
    hit->group = ng__verdict_str(v, r->group);
    hit->description = ng__verdict_str(v, r->description);
    hit->shadow = shadow;
    hit->braked = shadow && !r->shadow;
    if (shadow) {
        hit->score = 0;
        hit->forced = NULL;
    } else {
        int act = hit->forced ? ng__action_parse(hit->forced) : r->forced;
        if (act >= 0) {
            hit->forced = ng_action_name((ng_action)act);
            /* reject beats accept beats review */
            if (*forced < 0 || act == NG_REJECT
                || (act == NG_ACCEPT && *forced == NG_REVIEW)) {
                *forced = act;
                v->forced = hit->forced;
                v->forced_by = hit->rule;
            }
        }
        v->score += hit->score;
        if (ng__verdict_add_group(v, r->group, hit->score) < 0)
            return -1;
    }
    return ng__verdict_add_hit(v, hit);
}

static void decide(ng_verdict *v, int forced)
{
    ng_action by_score = v->score >= v->th_reject ? NG_REJECT
                       : v->score >= v->th_review ? NG_REVIEW : NG_ACCEPT;
    if (forced == NG_REJECT || forced == NG_ACCEPT)
        v->action = (ng_action)forced;
    else if (forced == NG_REVIEW)
        v->action = by_score == NG_REJECT ? NG_REJECT : NG_REVIEW;
    else
        v->action = by_score;
}

/* The rule in flight: its hit, its error and when it started. */
typedef struct rule_call {
    ng_hit hit;
    char err[512];
    uint64_t t0;
    uint64_t uses;      /* the engine's store look-ups when it started */
    size_t ncuts;       /* the verdict's furniture cuts then */
} rule_call;

/* Starts rule r: an empty hit, its deadline for regexes and the store,
 * and the rule log(...) writes under. */
static void begin_rule(ng_engine *e, const ng__rule *r, ng_verdict *v,
                       rule_call *c)
{
    c->t0 = now_us();
    c->uses = e->store_uses;
    c->ncuts = v->ncuts;
    memset(&c->hit, 0, sizeof c->hit);
    c->hit.span_start = c->hit.span_end = -1;
    c->hit.score = r->score;
    c->err[0] = '\0';
    e->deadline_us = c->t0 + (uint64_t)e->opts.check_deadline_ms * 1000u;
    ng__regex_deadline(e->regex, e->deadline_us);
    store_deadline(e->store, e->deadline_us);
    e->cur_v = v;
    e->cur_rule = r->name;
}

static void end_rule(ng_engine *e)
{
    e->cur_v = NULL;
    e->deadline_us = 0;
    ng__regex_deadline(e->regex, 0);
    store_deadline(e->store, 0);
}

/* Records the outcome rc (1 hit, 0 none, -1 error in c->err) of rule r:
 * its hit, error and run.  Returns 0, or -1 when out of memory. */
static int finish_rule(ng_engine *e, const ng__rule *r, ng_item *it,
                       ng_verdict *v, int *forced, rule_call *c, int rc)
{
    ng__rule_run run;
    int shadow;

    if (rc == 1 && !r->re)
        rc = check_span(it, &c->hit, c->err, sizeof c->err);
    if (rc == 1)
        span_to_field(it, v, &c->hit);
    memset(&run, 0, sizeof run);
    run.rule = c->hit.rule = ng__verdict_str(v, r->name);
    run.us = (uint32_t)(now_us() - c->t0);
    shadow = r->shadow || (e->nbraked && ng__engine_braked(e, r->name));
    run.shadow = shadow;
    run.hit = rc == 1;
    run.failed = rc < 0;
    run.store = e->store_uses != c->uses;
    run.cut = v->ncuts != c->ncuts;
    if (run.rule == NULL)
        return -1;
    if (rc < 0 && ng__verdict_add_error(v, r->name, c->err) < 0)
        return -1;
    if (rc == 1 && record_hit(v, r, shadow, &c->hit, forced) < 0)
        return -1;
    return ng__verdict_add_run(v, &run);
}

/* Replays run k of `old` for rule r instead of running it (see
 * ng__engine_recheck): its figures, error, log lines and hit, scored as
 * a new hit is.  Returns 0, or -1 on no memory. */
static int replay_rule(const ng__rule *r, const ng_verdict *old, size_t k,
                       ng_verdict *v, int *forced)
{
    ng__rule_run run = old->runs[k];
    ng_hit hit;
    int has_hit = 0;

    if ((run.rule = ng__verdict_str(v, r->name)) == NULL
        || ng__verdict_copy_rule(v, old, r->name, &hit, &has_hit) < 0)
        return -1;
    if (has_hit && record_hit(v, r, run.shadow, &hit, forced) < 0)
        return -1;
    return ng__verdict_add_run(v, &run);
}

/* One phase's rules run in as few protected calls as possible: a call
 * into Lua costs about as much as a small rule, so the rules of a phase
 * run one after another inside one protected call (batch_door), each
 * re-armed with its own instruction budget and deadline.  A rule that
 * raises ends that call; the error is its own, recorded as a failing
 * rule always was, and a new call goes on with the next rule.  With
 * `old` (a re-check, ng__engine_recheck) a rule whose old run did not
 * read the store is replayed from it instead of run. */
typedef struct batch {
    ng_engine *e;
    ng_item *it;
    ng_verdict *v;
    int *forced;
    const ng_verdict *old;
    size_t *k;          /* runs so far in the check (old's index) */
    int clean;          /* run the rules whose clean flag is this */
    size_t next;        /* the rule in flight, then the next one */
    rule_call call;
    int rc;             /* -1 when out of memory */
} batch;

/* Runs protected with (batch, item): the phase's rules from b->next on. */
static int batch_door(lua_State *L)
{
    batch *b = lua_touserdata(L, 1);
    ng_engine *e = b->e;

    for (; b->next < e->set.n; b->next++) {
        const ng__rule *r = &e->set.rules[b->next];
        rule_call *c = &b->call;
        int rc;

        if (!r->clean != !b->clean)
            continue;
        if (b->old && !b->old->runs[*b->k].store) {
            rc = replay_rule(r, b->old, *b->k, b->v, b->forced);
        } else {
            begin_rule(e, r, b->v, c);
            if (r->re) {
                rc = run_pattern(e, r, b->it, b->v, &c->hit, c->err,
                                 sizeof c->err);
            } else {
                ng__sandbox_rearm(e, e->opts.rule_instructions);
                rc = call_check(L, r, b->v, &c->hit, c->err, sizeof c->err);
            }
            end_rule(e);
            rc = finish_rule(e, r, b->it, b->v, b->forced, c, rc);
        }
        ++*b->k;
        if (rc < 0) {
            b->rc = -1;
            return 0;
        }
    }
    return 0;
}

/* Runs (or, with `old`, replays where old's run did not read the store)
 * the rules of one phase (clean 1: the furniture rules) over the item at
 * item_idx, in load order; *k counts the runs so far.  Returns 0, or -1
 * when out of memory. */
static int run_phase(ng_engine *e, ng_item *it, int item_idx, ng_verdict *v,
                     int *forced, const ng_verdict *old, int clean,
                     size_t *k)
{
    lua_State *L = e->L;
    batch b;

    memset(&b, 0, sizeof b);
    b.e = e, b.it = it, b.v = v, b.forced = forced, b.clean = clean;
    b.old = old, b.k = k;
    while (b.rc == 0 && b.next < e->set.n) {
        lua_pushcfunction(L, batch_door);
        lua_pushlightuserdata(L, &b);
        lua_pushvalue(L, item_idx);
        if (ng__sandbox_call(e, 2, 0, e->opts.rule_instructions) == LUA_OK)
            break;
        /* Rule b.next raised (or ran out of budget, time or memory). */
        const char *msg = lua_tostring(L, -1);
        snprintf(b.call.err, sizeof b.call.err, "%s", msg ? msg : "error");
        lua_pop(L, 1);
        end_rule(e);
        if (finish_rule(e, &e->set.rules[b.next], it, v, forced, &b.call, -1) < 0)
            return -1;
        ++*k;
        b.next++;
    }
    return b.rc;
}

/* Under the profile option: does the item's shared, lazily cached text
 * analysis (normalized text, words, links, domains) before any rule runs
 * and times it apart, so no rule is charged for what it merely touched
 * first.  Look-ups in the store stay with the rule that makes them. */
static void analyse_first(ng_item *it, ng_verdict *v)
{
    uint64_t t0 = now_us();
    size_t n;
    const char *folded;

    ng__item_text(it, &n);
    ng__item_words(it, &n, &folded);
    ng__item_links(it);
    ng__item_domains(it);
    v->profiled = 1;
    v->analysis_us = now_us() - t0;
}

/* Runs protected with (engine, item): pushes the item userdata. */
static int item_door(lua_State *L)
{
    ng__lua_item_push(L, lua_touserdata(L, 1), lua_touserdata(L, 2));
    return 1;
}

/* ng_check, or with `old` (a verdict ng__replay_usable accepts) the
 * re-check of ng__engine_recheck. */
static int check(ng_engine *e, ng_item *it, const ng_verdict *old,
                 ng_verdict **out)
{
    ng_verdict *v;
    uint64_t t0 = now_us();
    int forced = -1, item_idx, rc = 0;
    size_t k = 0;

    if (out == NULL)
        return NG_EINVAL;
    *out = NULL;
    if (e == NULL || it == NULL)
        return NG_EINVAL;
    if (!it->validated) {
        char err[256];
        rc = ng_item_validate(it, &e->opts.limits, err, sizeof err);
        if (rc != NG_OK) {
            ng__engine_error(e, "%s", rc == NG_EINPUT ? err
                             : ng_strerror(rc));
            return rc;
        }
    }
    if ((v = ng__verdict_new()) == NULL) {
        ng__engine_error(e, "out of memory while checking an item");
        return NG_ENOMEM;
    }
    v->th_review = e->set.review;
    v->th_reject = e->set.reject;
    v->rules_hash = strdup(ng_engine_rules_hash(e));
    /* Items built in code (ng_item_new) have no input: "item". */
    v->origin = strdup(it->origin ? it->origin : "item");
    v->index = it->index;
    lua_pushcfunction(e->L, item_door);
    lua_pushlightuserdata(e->L, e);
    lua_pushlightuserdata(e->L, it);
    if (ng__sandbox_call(e, 2, 1, 0) != LUA_OK) {
        lua_pop(e->L, 1);
        ng_verdict_free(v);
        ng__engine_error(e, "out of memory while checking an item");
        return NG_ENOMEM;
    }
    item_idx = lua_gettop(e->L);
    if (e->opts.profile && !old)
        analyse_first(it, v);
    /* Two phases: the furniture rules (phase = "clean") first, so the
     * rest (duplicates) read the cleaned body; see docs/architecture.md.
     * A re-check replays the clean phase whole: the item keeps the
     * cleaned body and keys of its first check, and takes its cuts. */
    rc = run_phase(e, it, item_idx, v, &forced, old, 1, &k);
    if (rc == 0 && old)
        rc = ng__verdict_copy_cuts(v, old);
    else if (rc == 0 && ng__verdict_clean_item(v, it) < 0)
        rc = -1;
    if (rc == 0)
        rc = run_phase(e, it, item_idx, v, &forced, old, 0, &k);
    ng__lua_item_retire(e->L, item_idx);
    lua_settop(e->L, item_idx - 1);
    if (rc == 0 && ng__verdict_clean(v, it->body_text) < 0)
        rc = -1;
    if (rc < 0 || v->rules_hash == NULL || v->origin == NULL) {
        ng_verdict_free(v);
        ng__engine_error(e, "out of memory while checking an item");
        return NG_ENOMEM;
    }
    decide(v, forced);
    v->total_us = now_us() - t0;
    *out = v;
    return NG_OK;
}

int ng_check(ng_engine *e, ng_item *it, ng_verdict **out)
{
    return check(e, it, NULL, out);
}

int ng__engine_recheck(ng_engine *e, ng_item *it, const ng_verdict *old,
                       ng_verdict **out, int *partial)
{
    *partial = old && ng__replay_usable(e, old);
    return check(e, it, *partial ? old : NULL, out);
}
