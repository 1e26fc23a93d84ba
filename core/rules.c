/*
 * rules.c -- loading a rule set from a directory of Lua files.
 *
 * Every *.lua file of the directory is run, in byte order of the names, in
 * the sandbox with an instruction budget.  The prelude's rule() and
 * thresholds() collect definitions into a pending set; only when every
 * file has loaded is the set converted into C structures and swapped in,
 * so a broken edit never leaves the engine half-loaded.  Errors carry the
 * rule file's `file:line`.  A directory that changes during the load (a
 * signature from dirsig.c before and after differs) is loaded again, so
 * the set is all old or all new files, never a mix.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <xxhash.h>

#include "dirsig.h"
#include "engine.h"
#include "engine_impl.h"

/* Budget for running one rule file at load time. */
#define LOAD_BUDGET 100000000u

/* A load that saw its directory change is made again, up to this many
 * times in all; LOAD_CHANGED (not an NG_ code) says it happened. */
#define LOAD_TRIES 5
#define LOAD_CHANGED (-1)

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Lists the *.lua files of dir, sorted.  Returns NG_OK, NG_ERULES (with
 * the message set) or NG_ENOMEM. */
static int list_files(ng_engine *e, const char *dir, char ***out, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t cap = 0;

    *out = NULL;
    *n = 0;
    if (d == NULL) {
        ng__engine_error(e, "%s: cannot open rules directory: %s", dir,
                         strerror(errno));
        return NG_ERULES;
    }
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 5 || de->d_name[0] == '.'
            || strcmp(de->d_name + len - 4, ".lua") != 0)
            continue;
        if (*n == cap) {
            char **nn = realloc(names, (cap ? cap * 2 : 16) * sizeof *nn);
            if (nn == NULL)
                goto nomem;
            names = nn;
            cap = cap ? cap * 2 : 16;
        }
        if ((names[*n] = strdup(de->d_name)) == NULL)
            goto nomem;
        (*n)++;
    }
    closedir(d);
    if (*n == 0) {
        free(names);
        ng__engine_error(e, "%s: no rule files (*.lua) found", dir);
        return NG_ERULES;
    }
    qsort(names, *n, sizeof *names, cmp_names);
    *out = names;
    return NG_OK;
nomem:
    closedir(d);
    free_names(names, *n);
    *n = 0;
    return NG_ENOMEM;
}

/* Reads a whole file; returns a malloc'd buffer or NULL with errno set. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;

    if (f == NULL)
        return NULL;
    do {
        if (cap - n < 4096) {
            char *nb = realloc(buf, cap ? cap * 2 : 16384);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap = cap ? cap * 2 : 16384;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        free(buf);
        fclose(f);
        errno = EIO;
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Calls api[name](nargs on the stack) and leaves nresults. */
static int call_api(ng_engine *e, const char *name, int nargs, int nresults)
{
    lua_State *L = e->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->api_ref);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
    if (nargs)
        lua_insert(L, -1 - nargs);
    return ng__sandbox_call(e, nargs, nresults, LOAD_BUDGET);
}

/* Runs one rule file in the sandbox.  Returns NG_OK or NG_ERULES. */
static int run_file(ng_engine *e, const char *path, XXH3_state_t *hash)
{
    lua_State *L = e->L;
    size_t len;
    char *buf = read_file(path, &len);
    char chunk[4096];
    int status;

    if (buf == NULL) {
        ng__engine_error(e, "%s: cannot read: %s", path, strerror(errno));
        return NG_ERULES;
    }
    XXH3_64bits_update(hash, path, strlen(path) + 1);
    XXH3_64bits_update(hash, buf, len);
    snprintf(chunk, sizeof chunk, "@%s", path);
    status = luaL_loadbufferx(L, buf, len, chunk, "t");
    free(buf);
    if (status == LUA_OK) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, e->env_ref);
        lua_setupvalue(L, -2, 1); /* _ENV of the chunk is the sandbox */
        status = ng__sandbox_call(e, 0, 0, LOAD_BUDGET);
    }
    if (status != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        /* Syntax and DSL errors already start with file:line. */
        if (msg && strncmp(msg, path, strlen(path)) == 0)
            ng__engine_error(e, "%s", msg);
        else
            ng__engine_error(e, "%s: %s", path, msg ? msg : "error");
        lua_pop(L, 1);
        return NG_ERULES;
    }
    return NG_OK;
}

static char *field_dup(lua_State *L, int t, const char *k)
{
    const char *s;
    char *d;
    lua_getfield(L, t, k);
    s = lua_tostring(L, -1);
    d = s ? strdup(s) : NULL;
    lua_pop(L, 1);
    return d;
}

/* Converts one definition (table on top of the stack) into r. */
static int convert_rule(ng_engine *e, ng__rule *r)
{
    lua_State *L = e->L;
    int t = lua_gettop(L);
    char *mode, *action;
    char err[256];

    memset(r, 0, sizeof *r);
    r->check_ref = LUA_NOREF;
    r->name = field_dup(L, t, "name");
    r->group = field_dup(L, t, "group");
    r->description = field_dup(L, t, "description");
    r->where = field_dup(L, t, "where");
    r->pattern = field_dup(L, t, "pattern");
    mode = field_dup(L, t, "mode");
    action = field_dup(L, t, "action");
    lua_getfield(L, t, "score");
    r->score = lua_tonumber(L, -1);
    lua_pop(L, 1);
    r->shadow = mode && strcmp(mode, "shadow") == 0;
    lua_getfield(L, t, "phase");
    r->clean = lua_isstring(L, -1);
    lua_getfield(L, t, "furniture");
    r->furniture = lua_toboolean(L, -1);
    lua_getfield(L, t, "brake");
    r->nobrake = lua_isboolean(L, -1) && !lua_toboolean(L, -1);
    lua_pop(L, 3);
    r->forced = ng__action_parse(action);
    free(mode);
    free(action);
    if (!r->name || !r->group || !r->description || !r->where)
        return NG_ENOMEM;
    if (r->pattern) {
        char *flags = field_dup(L, t, "flags");
        r->re = ng__regex_get(e->regex, r->pattern, flags ? flags : "",
                              err, sizeof err);
        free(flags);
        ng__regex_pin(r->re);
        if (r->re == NULL) {
            ng__engine_error(e, "%s: rule %s: bad pattern: %s", r->where,
                             r->name, err);
            return NG_ERULES;
        }
        lua_getfield(L, t, "fields");
        r->nfields = lua_rawlen(L, -1);
        r->fields = calloc(r->nfields ? r->nfields : 1, sizeof *r->fields);
        if (r->fields == NULL)
            return NG_ENOMEM;
        for (size_t i = 0; i < r->nfields; i++) {
            lua_rawgeti(L, -1, (lua_Integer)i + 1);
            r->fields[i] = strdup(lua_tostring(L, -1));
            lua_pop(L, 1);
            if (r->fields[i] == NULL)
                return NG_ENOMEM;
        }
        lua_pop(L, 1);
    } else {
        lua_getfield(L, t, "check");
        r->check_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    return NG_OK;
}

static void rule_free(lua_State *L, ng__rule *r)
{
    ng__regex_unpin(r->re);
    free(r->name);
    free(r->group);
    free(r->description);
    free(r->where);
    free(r->pattern);
    for (size_t i = 0; i < r->nfields; i++)
        free(r->fields[i]);
    free(r->fields);
    if (L && r->check_ref != LUA_NOREF)
        luaL_unref(L, LUA_REGISTRYINDEX, r->check_ref);
}

void ng__rule_set_free(lua_State *L, ng__rule_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        rule_free(L, &set->rules[i]);
    free(set->rules);
    free(set->dir);
    memset(set, 0, sizeof *set);
}

/* Converts the finished set (table on top of the stack) into `set`. */
static int convert_set(ng_engine *e, ng__rule_set *set)
{
    lua_State *L = e->L;
    int t = lua_gettop(L), rc = NG_OK;

    lua_getfield(L, t, "review");
    set->review = lua_tonumber(L, -1);
    lua_getfield(L, t, "reject");
    set->reject = lua_tonumber(L, -1);
    lua_getfield(L, t, "rules");
    set->n = lua_rawlen(L, -1);
    set->rules = calloc(set->n ? set->n : 1, sizeof *set->rules);
    if (set->rules == NULL) {
        set->n = 0;
        rc = NG_ENOMEM;
    }
    for (size_t i = 0; rc == NG_OK && i < set->n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        rc = convert_rule(e, &set->rules[i]);
        lua_pop(L, 1);
    }
    lua_settop(L, t - 1);
    return rc;
}

/* What convert_door needs. */
typedef struct convert_ctx {
    ng_engine *e;
    ng__rule_set *set;
    int rc;
} convert_ctx;

/* Runs protected with (ctx, finished set): converts the set, so a memory
 * error while taking references cannot escape. */
static int convert_door(lua_State *L)
{
    convert_ctx *c = lua_touserdata(L, 1);

    c->rc = convert_set(c->e, c->set);
    return 0;
}

void ng__engine_hash_input(ng_engine *e, const void *data, size_t len)
{
    if (e->loading_hash)
        XXH3_64bits_update(e->loading_hash, data, len);
}

/* The engine's Lua state, saved while a new one loads. */
typedef struct saved_state {
    lua_State *L;
    ng__lua_mem *mem;
    int api_ref, env_ref;
} saved_state;

/* Gives the engine a fresh Lua state for a load, keeping the old one in
 * `old`.  Returns NG_OK, or an error with the old state back in place. */
static int fresh_state(ng_engine *e, saved_state *old)
{
    int rc;

    old->L = e->L;
    old->mem = e->mem;
    old->api_ref = e->api_ref;
    old->env_ref = e->env_ref;
    if ((rc = ng__sandbox_open(e)) != NG_OK) {
        ng__sandbox_close(e->L, e->mem);
        e->L = old->L;
        e->mem = old->mem;
        e->api_ref = old->api_ref;
        e->env_ref = old->env_ref;
    }
    return rc;
}

/* Ends a load: on success the old state goes (with the rules that lived
 * in it), on failure the new one. */
static void end_state(ng_engine *e, saved_state *old, int ok)
{
    if (ok) {
        ng__sandbox_close(old->L, old->mem);
        return;
    }
    ng__sandbox_close(e->L, e->mem);
    e->L = old->L;
    e->mem = old->mem;
    e->api_ref = old->api_ref;
    e->env_ref = old->env_ref;
}

/* 1 when `dir` no longer has signature *sig (NULL: not known). */
static int moved(const char *dir, const uint64_t *sig)
{
    uint64_t now;

    return sig && (ng__dirsig(dir, &now) != 0 || now != *sig);
}

/* One load of `dir`, whose signature was *sig before it began.  Returns
 * what ng_engine_load_rules returns, or LOAD_CHANGED (the old rules in
 * force) when the directory changed meanwhile. */
static int load_once(ng_engine *e, const char *dir, const uint64_t *sig)
{
    saved_state old;
    char **names;
    size_t n, i;
    ng__rule_set set;
    XXH3_state_t *hash;
    int rc;

    if ((rc = list_files(e, dir, &names, &n)) != NG_OK)
        return moved(dir, sig) ? LOAD_CHANGED : rc;
    hash = XXH3_createState();
    if (hash == NULL) {
        free_names(names, n);
        return NG_ENOMEM;
    }
    XXH3_64bits_reset(hash);
    /* Every load starts from a clean Lua state: nothing an earlier rule
     * set did to its state can reach the new one. */
    if ((rc = fresh_state(e, &old)) != NG_OK) {
        XXH3_freeState(hash);
        free_names(names, n);
        return rc == NG_ENOMEM ? NG_ENOMEM : NG_EINTERNAL;
    }
    e->loading_dir = dir;
    e->loading_hash = hash;
    rc = call_api(e, "begin", 0, 0) == LUA_OK ? NG_OK : NG_EINTERNAL;
    for (i = 0; rc == NG_OK && i < n; i++) {
        char path[4096];
        size_t dl = strlen(dir);
        snprintf(path, sizeof path, "%s%s%s", dir,
                 dl && dir[dl - 1] == '/' ? "" : "/", names[i]);
        rc = run_file(e, path, hash);
    }
    free_names(names, n);
    /* Always take the pending set out of the prelude, even after a
     * failure, so the next load starts clean. */
    if (call_api(e, "finish", 0, 1) != LUA_OK) {
        lua_pop(e->L, 1);
        rc = rc == NG_OK ? NG_EINTERNAL : rc;
    } else if (rc != NG_OK) {
        lua_pop(e->L, 1);
    } else {
        convert_ctx c = { e, &set, NG_EINTERNAL };
        memset(&set, 0, sizeof set);
        lua_pushcfunction(e->L, convert_door);
        lua_insert(e->L, -2);
        lua_pushlightuserdata(e->L, &c);
        lua_insert(e->L, -2);
        if (ng__sandbox_call(e, 2, 0, 0) != LUA_OK) {
            lua_pop(e->L, 1);
            c.rc = NG_ENOMEM;
        }
        rc = c.rc;
        if (rc == NG_OK && (set.dir = strdup(dir)) == NULL)
            rc = NG_ENOMEM;
        if (rc == NG_OK && moved(dir, sig))
            rc = LOAD_CHANGED;  /* files read at different times */
        if (rc == NG_OK) {
            snprintf(set.hash, sizeof set.hash, "%016llx",
                     (unsigned long long)XXH3_64bits_digest(hash));
            ng__rule_set_free(old.L, &e->set);
            e->set = set;
        } else {
            ng__rule_set_free(e->L, &set);
        }
    }
    end_state(e, &old, rc == NG_OK);
    XXH3_freeState(hash);
    e->loading_dir = NULL;
    e->loading_hash = NULL;
    /* A file gone or half written may be why it failed. */
    if (rc != NG_OK && rc != LOAD_CHANGED && moved(dir, sig))
        rc = LOAD_CHANGED;
    if (rc == NG_ENOMEM)
        ng__engine_error(e, "%s: out of memory while loading rules", dir);
    return rc;
}

int ng_engine_load_rules(ng_engine *e, const char *dir)
{
    int rc = LOAD_CHANGED;

    if (e == NULL || dir == NULL)
        return NG_EINVAL;
    for (int i = 0; i < LOAD_TRIES && rc == LOAD_CHANGED; i++) {
        uint64_t sig;
        int known = ng__dirsig(dir, &sig) == 0;
        e->errmsg[0] = '\0';
        rc = load_once(e, dir, known ? &sig : NULL);
    }
    if (rc == LOAD_CHANGED) {
        ng__engine_error(e, "%s: the rules directory kept changing while "
                         "loading (%d tries); the rules in force are "
                         "unchanged", dir, LOAD_TRIES);
        rc = NG_ERULES;
    }
    return rc;
}
