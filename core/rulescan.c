/*
 * rulescan.c -- runs scripts/scan.lua over a rules directory (see
 * rulescan.h).
 *
 * The scan uses an engine of its own, so rule files run in the same
 * sandbox, with the same instruction budget and memory cap, as when they
 * load for checking.  Only the DSL differs: the environment the files see
 * is a copy of the sandbox's with scan.lua's recorders in place of `rule`,
 * `thresholds`, `list` and `case`, which keep every declaration with its
 * position and never raise.  A file that does not compile or raises while
 * it runs is one problem; the other files are still scanned.  The result
 * table scan.lua builds is copied into C structures here.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "engine.h"
#include "engine_impl.h"
#include "lua_item.h"
#include "rulescan.h"
#include "scripts.h"

/* Instructions one rule file may spend while it is scanned. */
#define SCAN_BUDGET 100000000u

/* host.where(level): "file:line" of the first Lua function at or above
 * `level` that has a current line, with the full path of its chunk. */
static int scan_where(lua_State *L)
{
    lua_Debug ar;
    int level = (int)luaL_optinteger(L, 1, 1);

    while (lua_getstack(L, level++, &ar)) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0) {
            const char *src = ar.source[0] == '@' ? ar.source + 1 : ar.short_src;
            lua_pushfstring(L, "%s:%d", src, ar.currentline);
            return 1;
        }
    }
    lua_pushliteral(L, "?");
    return 1;
}

/* host.compile(pattern, flags): true, or nil and "offset N: message". */
static int scan_compile(lua_State *L)
{
    char err[256];
    ng__regex *re = ng__regex_get(ng__engine_regex(ng__lua_engine(L)),
                                  luaL_checkstring(L, 1),
                                  luaL_optstring(L, 2, ""), err, sizeof err);
    if (re != NULL) {
        lua_pushboolean(L, 1);
        return 1;
    }
    luaL_pushfail(L);
    lua_pushstring(L, err);
    return 2;
}

/* Runs scan.lua with its host table and the prelude's table; leaves the
 * scanner's table on the stack.  Returns NG_OK or NG_EINTERNAL. */
static int open_scanner(ng_engine *e, char *err, size_t errlen)
{
    lua_State *L = e->L;
    const ng__script *s = ng__scripts;

    while (s->name && strcmp(s->name, "scan") != 0)
        s++;
    if (s->name == NULL
        || luaL_loadbufferx(L, s->text, s->len, s->chunkname, "t") != LUA_OK) {
        snprintf(err, errlen, "scan script: %s",
                 s->name ? lua_tostring(L, -1) : "missing from the build");
        return NG_EINTERNAL;
    }
    lua_newtable(L);
    lua_pushcfunction(L, scan_where);
    lua_setfield(L, -2, "where");
    lua_pushcfunction(L, scan_compile);
    lua_setfield(L, -2, "compile");
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->env_ref);
    lua_getfield(L, -1, "list");
    lua_setfield(L, -3, "list");
    lua_pop(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->api_ref);
    if (ng__sandbox_call(e, 2, 1, 0) != LUA_OK) {
        snprintf(err, errlen, "scan script: %s", lua_tostring(L, -1));
        return NG_EINTERNAL;
    }
    return NG_OK;
}

/* Pushes the environment rule files see while scanned: the sandbox's
 * names, its guard against undeclared globals, and the recorders of the
 * scanner table at `scanner`. */
static void push_scan_env(lua_State *L, int env_ref, int scanner)
{
    lua_newtable(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, env_ref);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -5);
    }
    if (lua_getmetatable(L, -1))
        lua_setmetatable(L, -3);
    lua_pop(L, 1);
    lua_pushliteral(L, "_G");
    lua_pushvalue(L, -2);
    lua_rawset(L, -3);
    lua_getfield(L, scanner, "dsl");
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -5);
    }
    lua_pop(L, 1);
}

static int lua_names(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 4 && strcmp(d->d_name + n - 4, ".lua") == 0;
}

static int byte_order(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Runs one rule file with the scan environment (at `env`); a failure
 * becomes a problem via scanner.problem. */
static void scan_file(ng_engine *e, const char *path, int env, int scanner)
{
    lua_State *L = e->L;
    int status = luaL_loadfilex(L, path, "t");

    if (status == LUA_OK) {
        lua_pushvalue(L, env);
        lua_setupvalue(L, -2, 1);
        status = ng__sandbox_call(e, 0, 0, SCAN_BUDGET);
    }
    if (status == LUA_OK)
        return;
    lua_getfield(L, scanner, "problem");
    lua_insert(L, -2);
    if (strncmp(lua_tostring(L, -1), path, strlen(path)) != 0) {
        lua_pushfstring(L, "%s: %s", path, lua_tostring(L, -1));
        lua_remove(L, -2);
    }
    if (ng__sandbox_call(e, 1, 0, 0) != LUA_OK)
        lua_pop(L, 1);
}

/* Scans the files and calls scanner.finish; leaves its result on the
 * stack.  Returns the lua status. */
static int scan_dir(ng_engine *e, const char *dir, int scanner)
{
    lua_State *L = e->L;
    struct dirent **names = NULL;
    int n = scandir(dir, &names, lua_names, byte_order), env;
    size_t dl = strlen(dir);

    push_scan_env(L, e->env_ref, scanner);
    env = lua_gettop(L);
    e->loading_dir = dir; /* list() paths are relative to it */
    for (int i = 0; i < n; i++) {
        const char *path = lua_pushfstring(L, "%s%s%s", dir,
            dl && dir[dl - 1] == '/' ? "" : "/", names[i]->d_name);
        scan_file(e, path, env, scanner);
        lua_pop(L, 1);
        free(names[i]);
    }
    free(names);
    e->loading_dir = NULL;
    lua_pop(L, 1);
    lua_getfield(L, scanner, "finish");
    lua_pushstring(L, dir);
    lua_pushinteger(L, n < 0 ? 0 : n);
    if (n < 0) {
        /* An unreadable directory is the scan's first problem. */
        lua_getfield(L, scanner, "problem");
        lua_pushfstring(L, "%s: cannot open rules directory", dir);
        ng__sandbox_call(e, 1, 0, 0);
    }
    return ng__sandbox_call(e, 2, 1, 0);
}

/* ---- copying the result into C ----------------------------------------- */

static char *dup_field(lua_State *L, int t, const char *k)
{
    const char *s;
    char *d = NULL;

    if (lua_getfield(L, t, k) == LUA_TSTRING && (s = lua_tostring(L, -1)))
        d = strdup(s);
    lua_pop(L, 1);
    return d;
}

/* Copies the list of strings at t[k] into *out; returns 0 or -1. */
static int dup_strings(lua_State *L, int t, const char *k, char ***out,
                       size_t *n)
{
    lua_getfield(L, t, k);
    *n = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
    *out = calloc(*n + 1, sizeof **out);
    for (size_t i = 0; *out && i < *n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        (*out)[i] = strdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "");
        lua_pop(L, 1);
        if ((*out)[i] == NULL) {
            lua_pop(L, 1);
            return -1;
        }
    }
    lua_pop(L, 1);
    return *out ? 0 : -1;
}

/* Copies t.learned into c; returns 0 or -1. */
static int copy_learned(lua_State *L, int t, ng__scan_case *c)
{
    lua_getfield(L, t, "learned");
    c->nlearned = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
    c->learned = calloc(c->nlearned + 1, sizeof *c->learned);
    for (size_t i = 0; c->learned && i < c->nlearned; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        c->learned[i].json = dup_field(L, lua_gettop(L), "json");
        c->learned[i].file = dup_field(L, lua_gettop(L), "file");
        lua_getfield(L, -1, "spam");
        c->learned[i].spam = lua_toboolean(L, -1);
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    return c->learned ? 0 : -1;
}

static int copy_case(lua_State *L, int t, ng__scan_case *c)
{
    c->where = dup_field(L, t, "where");
    c->name = dup_field(L, t, "name");
    c->item_json = dup_field(L, t, "item");
    c->file = dup_field(L, t, "file");
    c->action = dup_field(L, t, "action");
    c->error = dup_field(L, t, "error");
    if (!c->where || !c->name || dup_strings(L, t, "hits", &c->hits, &c->nhits)
        || dup_strings(L, t, "misses", &c->misses, &c->nmisses))
        return -1;
    lua_getfield(L, t, "earlier");
    c->nearlier = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
    c->earlier = calloc(c->nearlier + 1, sizeof *c->earlier);
    for (size_t i = 0; c->earlier && i < c->nearlier; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        c->earlier[i].json = dup_field(L, lua_gettop(L), "json");
        c->earlier[i].decision = dup_field(L, lua_gettop(L), "decision");
        c->earlier[i].publisher = dup_field(L, lua_gettop(L), "publisher");
        c->earlier[i].domain = dup_field(L, lua_gettop(L), "domain");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return c->earlier ? copy_learned(L, t, c) : -1;
}

static int copy_result(lua_State *L, int t, ng__scan *s)
{
    if (dup_strings(L, t, "problems", &s->problems, &s->nproblems))
        return -1;
    lua_getfield(L, t, "rules");
    s->nrules = lua_rawlen(L, -1);
    s->rules = calloc(s->nrules + 1, sizeof *s->rules);
    for (size_t i = 0; s->rules && i < s->nrules; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        s->rules[i].name = dup_field(L, lua_gettop(L), "name");
        s->rules[i].where = dup_field(L, lua_gettop(L), "where");
        lua_pop(L, 1);
        if (!s->rules[i].name || !s->rules[i].where)
            return -1;
    }
    lua_getfield(L, t, "cases");
    s->ncases = lua_rawlen(L, -1);
    s->cases = calloc(s->ncases + 1, sizeof *s->cases);
    for (size_t i = 0; s->rules && s->cases && i < s->ncases; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        if (copy_case(L, lua_gettop(L), &s->cases[i]) < 0)
            return -1;
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
    return s->rules && s->cases ? 0 : -1;
}

int ng__rules_scan(const char *dir, ng__scan **out, char *err, size_t errlen)
{
    ng_engine *e;
    ng__scan *s;
    int rc;

    *out = NULL;
    if ((rc = ng_engine_open(&e, NULL)) != NG_OK) {
        snprintf(err, errlen, "cannot create an engine: %s", ng_strerror(rc));
        return rc;
    }
    rc = open_scanner(e, err, errlen);
    if (rc == NG_OK && scan_dir(e, dir, lua_gettop(e->L)) != LUA_OK) {
        snprintf(err, errlen, "scan: %s", lua_tostring(e->L, -1));
        rc = NG_EINTERNAL;
    }
    if (rc == NG_OK) {
        if ((s = calloc(1, sizeof *s)) == NULL
            || copy_result(e->L, lua_gettop(e->L), s) < 0) {
            ng__scan_free(s);
            snprintf(err, errlen, "out of memory while scanning rules");
            rc = NG_ENOMEM;
        } else {
            *out = s;
        }
    }
    ng_engine_close(e);
    return rc;
}

const char *ng__scan_rule_where(const ng__scan *s, const char *name)
{
    for (size_t i = 0; s && i < s->nrules; i++)
        if (strcmp(s->rules[i].name, name) == 0)
            return s->rules[i].where;
    return NULL;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void free_case(ng__scan_case *c)
{
    free(c->where);
    free(c->name);
    free(c->item_json);
    free(c->file);
    free(c->action);
    free(c->error);
    free_strings(c->hits, c->nhits);
    free_strings(c->misses, c->nmisses);
    for (size_t i = 0; c->earlier && i < c->nearlier; i++) {
        free(c->earlier[i].json);
        free(c->earlier[i].decision);
        free(c->earlier[i].publisher);
        free(c->earlier[i].domain);
    }
    free(c->earlier);
    for (size_t i = 0; c->learned && i < c->nlearned; i++) {
        free(c->learned[i].json);
        free(c->learned[i].file);
    }
    free(c->learned);
}

void ng__scan_free(ng__scan *s)
{
    if (s == NULL)
        return;
    free_strings(s->problems, s->nproblems);
    for (size_t i = 0; s->rules && i < s->nrules; i++) {
        free(s->rules[i].name);
        free(s->rules[i].where);
    }
    free(s->rules);
    for (size_t i = 0; s->cases && i < s->ncases; i++)
        free_case(&s->cases[i]);
    free(s->cases);
    free(s);
}
