/*
 * verdict.c -- building verdicts and reading them; their JSON is written
 * by verdict_json.c (the schema is documented in docs/verdict.md), their
 * text for a terminal by verdict_text.c.  Strings in a verdict live in
 * its own pool, so a verdict outlives the engine and the item it came
 * from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "verdict.h"

ng_verdict *ng__verdict_new(void)
{
    return calloc(1, sizeof(ng_verdict));
}

/* Grows *arr (of *cap elements of size sz) to hold n+1; 0 or -1. */
static int grow(void *arr, size_t *cap, size_t n, size_t sz)
{
    return ng__grow(arr, cap, n, 1, sz, 8);
}

/* Room for n bytes aligned for a long in the verdict's pool: strings
 * and span pairs are packed into blocks of POOL_BLOCK bytes (a larger
 * one for a larger piece), not one malloc each, since a check pools a
 * few dozen strings (every rule's name for its run).  NULL when out of
 * memory. */
#define POOL_BLOCK 4096
static void *pool_alloc(ng_verdict *v, size_t n)
{
    size_t at = (v->pool_used + sizeof(long) - 1) & ~(sizeof(long) - 1);

    if (v->npool == 0 || at > v->pool_size || n > v->pool_size - at) {
        size_t size = n > POOL_BLOCK ? n : POOL_BLOCK;
        char *block;
        if (grow(&v->pool, &v->cappool, v->npool, sizeof *v->pool) < 0
            || (block = malloc(size)) == NULL)
            return NULL;
        v->pool[v->npool++] = block;
        v->pool_size = size;
        at = 0;
    }
    v->pool_used = at + n;
    return v->pool[v->npool - 1] + at;
}

const char *ng__verdict_str(ng_verdict *v, const char *s)
{
    size_t n;
    char *d;

    if (s == NULL)
        return NULL;
    n = strlen(s) + 1;
    if ((d = pool_alloc(v, n)) != NULL)
        memcpy(d, s, n);
    return d;
}

long *ng__verdict_spans(ng_verdict *v, const long *pairs, size_t n)
{
    long *copy;

    if (n == 0 || n > SIZE_MAX / (2 * sizeof *copy)
        || (copy = pool_alloc(v, 2 * n * sizeof *copy)) == NULL)
        return NULL;
    memcpy(copy, pairs, 2 * n * sizeof *copy);
    return copy;
}

int ng__verdict_add_hit(ng_verdict *v, const ng_hit *h)
{
    if (grow(&v->hits, &v->caphits, v->nhits, sizeof *h) < 0)
        return -1;
    v->hits[v->nhits++] = *h;
    return 0;
}

/* Appends (rule, msg) to a list of pairs; returns 0 or -1. */
static int add_pair(ng_verdict *v, ng_rule_error **list, size_t *n,
                    size_t *cap, const char *rule, const char *msg)
{
    ng_rule_error *e;
    if (grow(list, cap, *n, sizeof *e) < 0)
        return -1;
    e = &(*list)[*n];
    e->rule = ng__verdict_str(v, rule);
    e->message = ng__verdict_str(v, msg);
    if (!e->rule || !e->message)
        return -1;
    (*n)++;
    return 0;
}

int ng__verdict_add_error(ng_verdict *v, const char *rule, const char *msg)
{
    return add_pair(v, &v->errors, &v->nerrors, &v->caperrors, rule, msg);
}

int ng__verdict_add_debug(ng_verdict *v, const char *rule, const char *msg)
{
    return add_pair(v, &v->debug, &v->ndebug, &v->capdebug, rule, msg);
}

int ng__verdict_reserve_runs(ng_verdict *v, size_t n)
{
    return n > v->capruns
           ? ng__grow(&v->runs, &v->capruns, v->nruns, n, sizeof *v->runs, 8)
           : 0;
}

int ng__verdict_add_run(ng_verdict *v, const ng__rule_run *r)
{
    if (grow(&v->runs, &v->capruns, v->nruns, sizeof *r) < 0)
        return -1;
    v->runs[v->nruns++] = *r;
    return 0;
}

int ng__verdict_add_group(ng_verdict *v, const char *group, double score)
{
    for (size_t i = 0; i < v->ngroups; i++) {
        if (strcmp(v->groups[i].group, group) == 0) {
            v->groups[i].score += score;
            return 0;
        }
    }
    if (grow(&v->groups, &v->capgroups, v->ngroups, sizeof *v->groups) < 0)
        return -1;
    if ((v->groups[v->ngroups].group = ng__verdict_str(v, group)) == NULL)
        return -1;
    v->groups[v->ngroups++].score = score;
    return 0;
}

void ng_verdict_free(ng_verdict *v)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < v->npool; i++)
        free(v->pool[i]);
    free(v->pool);
    free(v->hits);
    free(v->errors);
    free(v->debug);
    free(v->runs);
    free(v->groups);
    free(v->cuts);
    free(v->cleaned);
    free(v->rules_hash);
    free(v->origin);
    free(v->json);
    free(v);
}

/* The accessors accept NULL (then: accept, 0, no hits, NULL). */
ng_action ng_verdict_action(const ng_verdict *v) { return v ? v->action : NG_ACCEPT; }
double ng_verdict_score(const ng_verdict *v) { return v ? v->score : 0; }
size_t ng_verdict_hit_count(const ng_verdict *v) { return v ? v->nhits : 0; }
size_t ng_verdict_error_count(const ng_verdict *v) { return v ? v->nerrors : 0; }
uint64_t ng_verdict_total_us(const ng_verdict *v) { return v ? v->total_us : 0; }

const ng_hit *ng_verdict_hit(const ng_verdict *v, size_t i)
{
    return v && i < v->nhits ? &v->hits[i] : NULL;
}

const ng_rule_error *ng_verdict_error(const ng_verdict *v, size_t i)
{
    return v && i < v->nerrors ? &v->errors[i] : NULL;
}

/* The JSON for `id` from the JSON without one: the writer puts "id"
 * first, so it is the same text with `"id":N,` after the brace.  Returns
 * a new string or NULL. */
static char *with_id(const char *json, int64_t id)
{
    char head[40];
    int h = snprintf(head, sizeof head, "{\"id\":%lld,", (long long)id);
    size_t n = strlen(json);
    char *s = n > 2 && json[0] == '{' ? malloc((size_t)h + n) : NULL;
    if (s) {
        memcpy(s, head, (size_t)h);
        memcpy(s + h, json + 1, n);     /* with the terminating NUL */
    }
    return s;
}

const char *ng__verdict_json(ng_verdict *v, int64_t id)
{
    if (v->json == NULL || v->json_id != id) {
        /* Submit stores the text without the id, then prints it with the
         * id the database assigned: splice instead of serialising again. */
        char *j = v->json && v->json_id == 0 && id > 0
                  ? with_id(v->json, id) : ng__verdict_make_json(v, id);
        free(v->json);
        v->json = j;
        v->json_id = id;
    }
    return v->json;
}

char *ng_verdict_json(const ng_verdict *v, int64_t id)
{
    if (v == NULL)
        return NULL;
    if (v->json && v->json_id == id)
        return strdup(v->json);
    return ng__verdict_make_json(v, id);
}
