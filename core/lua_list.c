/*
 * lua_list.c -- the `list(path)` loader that rule files call, and the list
 * object it returns (methods :has, :any, :all, :has_domain, :size, #).
 *
 * Paths are relative to the rules directory being loaded; absolute paths
 * and ".." components are refused.  Lists are cached per engine in a
 * weak-valued table in the Lua registry, keyed by the file's path, size
 * and modification time, so rules naming one file share one list, a
 * reload after the file changed reads it again, and lists no rule holds
 * any more are collected.  The list data itself (core/list.c) lives in C
 * memory owned by the userdata.
 *
 * Convention: misuse (bad arguments, a list that cannot be read, text
 * that is not UTF-8) raises; "not found" returns nil or false.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>

#include "engine.h"
#include "item.h"
#include "list.h"
#include "lua_item.h"
#include "text.h"
#include "url.h"

#define LIST_MT "newsgate.list"
#define ITEM_MT NG__ITEM_MT
#define CACHE_KEY "newsgate.list.cache"
#define GUARD_MT "newsgate.list.guard"

typedef struct lua_list {
    ng__list *l;    /* NULL once closed */
} lua_list;

static ng__list *checklist(lua_State *L, int idx)
{
    lua_list *ud = luaL_checkudata(L, idx, LIST_MT);

    if (!ud->l)
        luaL_error(L, "list used after it was closed");
    return ud->l;
}

/* __gc and __close: frees the list once. */
static int list_close(lua_State *L)
{
    lua_list *ud = luaL_checkudata(L, 1, LIST_MT);

    ng__list_free(ud->l);
    ud->l = NULL;
    return 0;
}

/* Reads the text at `idx`: a string (checked to be UTF-8; returned with
 * *ws NULL), or an item, whose text was prepared for list matching once
 * per check (returned in *ws, with *it set).  Raises on anything else, on
 * text that is not valid UTF-8, or on no memory. */
static const char *checktext(lua_State *L, int idx, size_t *len,
                             ng_item **it, const ng__wordset **ws)
{
    const char *s = NULL; /* luaL_error does not return; for compilers */

    *it = NULL;
    *ws = NULL;
    if (ng__lua_isitem(L, idx)) {
        *it = ng__lua_checkitem(L, idx);
        if (!(*ws = ng__item_listwords(*it))
            || !(s = ng__item_text(*it, len)))
            luaL_error(L, "not enough memory");
        return s;
    }
    s = luaL_checklstring(L, idx, len);
    if (!ng__utf8_valid(s, *len, NULL))
        luaL_argerror(L, idx, "not valid UTF-8");
    return s;
}

/* lst:has(s) -> boolean. */
static int list_has(lua_State *L)
{
    ng__list *l = checklist(L, 1);
    size_t len;
    const char *s = luaL_checklstring(L, 2, &len);
    int rc;

    if (!ng__utf8_valid(s, len, NULL)) {
        lua_pushboolean(L, 0);
        return 1;
    }
    rc = ng__list_has(l, s, len);
    if (rc < 0)
        return luaL_error(L, "not enough memory");
    lua_pushboolean(L, rc);
    return 1;
}

/* Looks up the host of `s` (a host name or a URL).  Returns 1, 0, -1. */
static int host_lookup(const ng__list *l, const char *s, size_t len,
                       const char **entry)
{
    char host[512];
    int n;

    *entry = NULL;
    if (memchr(s, '/', len) && strlen(s) == len) {
        n = ng__url_host(s, host, sizeof host);
        if (n < 0)
            return 0;
        return ng__list_has_domain(l, host, (size_t)n, entry);
    }
    return ng__list_has_domain(l, s, len, entry);
}

/* lst:has_domain(host_or_url) -> true, entry | false. */
static int list_has_domain(lua_State *L)
{
    ng__list *l = checklist(L, 1);
    size_t len;
    const char *s = luaL_checklstring(L, 2, &len), *entry;
    int rc;

    if (!ng__utf8_valid(s, len, NULL)) {
        lua_pushboolean(L, 0);
        return 1;
    }
    rc = host_lookup(l, s, len, &entry);
    if (rc < 0)
        return luaL_error(L, "not enough memory");
    lua_pushboolean(L, rc);
    if (rc == 0)
        return 1;
    lua_pushstring(L, entry);
    return 2;
}

/* The next listed domain among an item's link domains, from position
 * *i on: returns the list entry and sets *host, advancing *i past it; or
 * NULL when no further domain is listed. */
static const char *next_link_domain(lua_State *L, const ng__list *l,
                                    ng_item *it, size_t *i,
                                    const char **host)
{
    const ng__strlist *d = ng__item_domains(it);
    const char *entry;

    if (!d)
        luaL_error(L, "not enough memory");
    while (*i < d->n) {
        const char *h = d->v[(*i)++];
        int rc = ng__list_has_domain(l, h, strlen(h), &entry);
        if (rc < 0)
            luaL_error(L, "not enough memory");
        if (rc > 0) {
            *host = h;
            return entry;
        }
    }
    return NULL;
}

/* lst:any(text_or_item) -> entry, start, end (1-based, inclusive, like
 * string.find) | nil.  A domain list given an item also looks at the
 * item's link domains: then it returns entry, nil, nil, host. */
static int list_any(lua_State *L)
{
    ng__list *l = checklist(L, 1);
    ng__list_match m;
    ng_item *it;
    const ng__wordset *ws;
    size_t len;
    const char *text = checktext(L, 2, &len, &it, &ws), *entry, *host;
    int rc = ws ? ng__list_any_words(l, ws, &m)
                : ng__list_any(l, text, len, &m);

    if (rc < 0)
        return luaL_error(L, "not enough memory");
    if (rc > 0) {
        lua_pushstring(L, m.entry);
        lua_pushinteger(L, (lua_Integer)m.start + 1);
        lua_pushinteger(L, (lua_Integer)m.end);
        return 3;
    }
    size_t from = 0;
    if (it && ng__list_is_domains(l)
        && (entry = next_link_domain(L, l, it, &from, &host))) {
        lua_pushstring(L, entry);
        lua_pushnil(L);
        lua_pushnil(L);
        lua_pushstring(L, host);
        return 4;
    }
    lua_pushnil(L);
    return 1;
}

/* Adds 1 to t[entry] for each listed link domain of `it` whose entry
 * the text did not already count (t at the top of the stack). */
static void count_links(lua_State *L, const ng__list *l, ng_item *it)
{
    const char *entry, *host;
    size_t i = 0;

    while ((entry = next_link_domain(L, l, it, &i, &host)) != NULL) {
        if (lua_getfield(L, -1, entry) == LUA_TNIL) {
            lua_pushinteger(L, 1);
            lua_setfield(L, -3, entry);
        }
        lua_pop(L, 1);
    }
}

/* __gc of the guard that owns a C result array while it is copied into
 * Lua (a raised memory error must not leak it). */
static int guard_gc(lua_State *L)
{
    void **p = luaL_checkudata(L, 1, GUARD_MT);

    free(*p);
    *p = NULL;
    return 0;
}

/* lst:all(text_or_item) -> { [entry] = count, ... } (empty when none). */
static int list_all(lua_State *L)
{
    ng__list *l = checklist(L, 1);
    ng__list_count *c = NULL;
    ng_item *it;
    size_t len, n = 0, i;
    const ng__wordset *ws;
    const char *text = checktext(L, 2, &len, &it, &ws);
    void **guard = lua_newuserdatauv(L, sizeof *guard, 0);

    *guard = NULL;
    luaL_setmetatable(L, GUARD_MT);
    if ((ws ? ng__list_all_words(l, ws, &c, &n)
            : ng__list_all(l, text, len, &c, &n)) != 0)
        return luaL_error(L, "not enough memory");
    *guard = c;
    lua_createtable(L, 0, n > 64 ? 64 : (int)n);
    for (i = 0; i < n; i++) {
        lua_pushinteger(L, (lua_Integer)c[i].count);
        lua_setfield(L, -2, c[i].entry);
    }
    free(c);
    *guard = NULL;
    if (it && ng__list_is_domains(l))
        count_links(L, l, it);
    return 1;
}

static int list_size(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)ng__list_size(checklist(L, 1)));
    return 1;
}

static int list_tostring(lua_State *L)
{
    lua_list *ud = luaL_checkudata(L, 1, LIST_MT);

    lua_getiuservalue(L, 1, 1);
    lua_pushfstring(L, "list '%s' (%d %s)", luaL_optstring(L, -1, "?"),
                    ud->l ? (int)ng__list_size(ud->l) : 0,
                    ud->l && ng__list_is_domains(ud->l) ? "domains"
                                                        : "entries");
    return 1;
}

/* Raises unless `rel` is a relative path without ".." components. */
static void checkpath(lua_State *L, const char *rel)
{
    const char *p = rel;

    if (!*rel)
        luaL_error(L, "list '': empty path");
    if (rel[0] == '/')
        luaL_error(L, "list '%s': absolute paths are not allowed", rel);
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            luaL_error(L, "list '%s': '..' is not allowed", rel);
        p += n;
        p += *p == '/';
    }
}

/* Pushes the cached list for `key`, returning 1, or returns 0. */
static int cache_get(lua_State *L, const char *key)
{
    lua_getfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
    if (lua_getfield(L, -1, key) == LUA_TUSERDATA) {
        lua_remove(L, -2);
        return 1;
    }
    lua_pop(L, 2);
    return 0;
}

/* list(path) -> list object.  Raises "list 'path': reason". */
static int list_load(lua_State *L)
{
    const char *rel = luaL_checkstring(L, 1);
    const char *dir = ng__engine_rules_dir(ng__lua_engine(L)), *full, *key;
    char err[256];
    struct stat st;
    lua_list *ud;

    checkpath(L, rel);
    if (!dir)
        return luaL_error(L, "list '%s': no rules directory", rel);
    full = lua_pushfstring(L, "%s/%s", dir, rel);
    if (stat(full, &st) != 0)
        return luaL_error(L, "list '%s': cannot open: %s", rel,
                          strerror(errno));
    key = lua_pushfstring(L, "%s\n%I\n%I\n%I", full, (lua_Integer)st.st_size,
                          (lua_Integer)st.st_mtim.tv_sec,
                          (lua_Integer)st.st_mtim.tv_nsec);
    /* A list is part of the rule set: its identity goes into the hash. */
    ng__engine_hash_input(ng__lua_engine(L), key, strlen(key));
    if (cache_get(L, key))
        return 1;
    ud = lua_newuserdatauv(L, sizeof *ud, 1);
    ud->l = NULL;
    luaL_setmetatable(L, LIST_MT);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
    if (!(ud->l = ng__list_new()))
        return luaL_error(L, "list '%s': not enough memory", rel);
    if (ng__list_load_file(ud->l, full, err, sizeof err) != 0)
        return luaL_error(L, "list '%s': %s", rel, err);
    lua_getfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, key);
    lua_pop(L, 1);
    return 1;
}

/* Creates the list metatable and the registry cache, and sets field
 * "list" of the table on top of the stack (the sandbox environment) to
 * the loader.  Leaves the stack as it found it. */
void ng__lua_open_list(lua_State *L)
{
    static const luaL_Reg methods[] = {
        { "has", list_has }, { "any", list_any }, { "all", list_all },
        { "has_domain", list_has_domain }, { "size", list_size },
        { NULL, NULL }
    };
    static const luaL_Reg meta[] = {
        { "__gc", list_close }, { "__close", list_close },
        { "__len", list_size }, { "__tostring", list_tostring },
        { NULL, NULL }
    };

    if (luaL_newmetatable(L, LIST_MT)) {
        luaL_setfuncs(L, meta, 0);
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
        lua_pushliteral(L, "list");
        lua_setfield(L, -2, "__metatable");
    }
    lua_pop(L, 1);
    luaL_newmetatable(L, GUARD_MT);
    lua_pushcfunction(L, guard_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    lua_newtable(L);
    lua_newtable(L);
    lua_pushliteral(L, "v");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
    lua_pushcfunction(L, list_load);
    lua_setfield(L, -2, "list");
}
