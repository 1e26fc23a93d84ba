/*
 * lua_dup.c -- the duplicate look-ups rules call on an item:
 *
 *   item:nearest{min=0.5, limit=5}  -> array of {id, similarity, jaccard,
 *       containment, contained, coverage, title, status, submitted_at},
 *       best first
 *   item:copied_from{min=0.5, limit=5} -> array of {id, publisher,
 *       domain, title, similarity, containment, contained, credited}:
 *       registered
 *       reference sources this item reproduces, best first
 *   item:same_url(), item:same_text(), item:same_title()
 *                                   -> array of {id, title, status,
 *                                      submitted_at}, oldest first, or nil
 *
 * Rejected items count like any other, so a rejected spam resubmitted is
 * caught.  Answers are memoised per check (memo.c): two rules asking the
 * same question cost one query.  Without a store nearest returns {} and same_* return nil.
 * Convention: misuse raises; a store failure returns nil, message.
 */
#include <string.h>
#include <strings.h>

#include "lua_item.h"
#include "dup.h"
#include "sources.h"
#include "url.h"

#define DEFAULT_LIMIT 5
#define MAX_LIMIT 100

static void set_num(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

/* Pushes one match as a table. */
static void push_match(lua_State *L, const ng__dupmatch *m, int near)
{
    lua_createtable(L, 0, 8);
    lua_pushinteger(L, (lua_Integer)m->id);
    lua_setfield(L, -2, "id");
    lua_pushstring(L, m->title ? m->title : "");
    lua_setfield(L, -2, "title");
    lua_pushstring(L, m->status ? m->status : "");
    lua_setfield(L, -2, "status");
    lua_pushinteger(L, (lua_Integer)m->submitted_at);
    lua_setfield(L, -2, "submitted_at");
    if (near) {
        set_num(L, "similarity", m->similarity);
        set_num(L, "jaccard", m->sim.jaccard);
        set_num(L, "containment", m->sim.containment);
        set_num(L, "contained", m->sim.contained);
        set_num(L, "coverage", m->coverage);
    }
}

/* Pushes the result array (owned by the memo), or nil for an empty exact
 * look-up.  Returns the number of values pushed. */
static int push_matches(lua_State *L, const ng__dupmatches *m, int near)
{
    if (!near && m->n == 0) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, (int)m->n, 0);
    for (size_t i = 0; i < m->n; i++) {
        push_match(L, &m->v[i], near);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* nil, message for a failed look-up. */
static int push_fail(lua_State *L, ng_store *s, int rc)
{
    lua_pushnil(L);
    if (rc == NG_ENOMEM)
        lua_pushstring(L, ng_strerror(rc));
    else
        lua_pushstring(L, ng_store_errmsg(s));
    return 2;
}

/* Reads {min=, limit=} at index 2 into *min and *limit (defaults kept);
 * raises on bad values. */
static void look_args(lua_State *L, double *min, lua_Integer *limit)
{
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_getfield(L, 2, "min");
        *min = luaL_optnumber(L, -1, *min);
        lua_getfield(L, 2, "limit");
        *limit = luaL_optinteger(L, -1, *limit);
        lua_pop(L, 2);
        luaL_argcheck(L, *min >= 0 && *min <= 1, 2, "min must be in [0, 1]");
        luaL_argcheck(L, *limit >= 1 && *limit <= MAX_LIMIT, 2,
                      "limit must be in [1, 100]");
    }
}

static int item_nearest(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    double min = 0.5;
    lua_Integer limit = DEFAULT_LIMIT;
    look_args(L, &min, &limit);
    ng_store *s = ng__lua_store(L);
    const ng__dupmatches *m;
    if (!s) {
        lua_newtable(L);
        return 1;
    }
    int rc = ng__memo_nearest(s, it, min, (size_t)limit, &m);
    if (rc != NG_OK)
        return push_fail(L, s, rc);
    return push_matches(L, m, 1);
}

static void set_str(lua_State *L, const char *k, const char *v)
{
    if (!v)
        return;
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

/* Pushes the sources matched as an array of tables. */
/* 1 when `hay` contains `needle`, ignoring ASCII case. */
static int ci_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return n == 0;
}

/* 1 when the item credits a registered article's publisher: its
 * `source` names the publisher (either contains the other, ignoring case)
 * or its `url` is on the publisher's domain (the one host extraction the
 * rest of the engine uses). */
static int credits(const ng_item *it, const ng__srcmatch *x)
{
    char host[256];

    if (it->source && x->publisher
        && (ci_contains(it->source, x->publisher)
            || ci_contains(x->publisher, it->source)))
        return 1;
    return it->url && x->domain
        && ng__url_host(it->url, host, sizeof host) > 0
        && ng__url_host_under(host, x->domain);
}

static void push_sources(lua_State *L, const ng_item *it,
                         const ng__srcmatches *m)
{
    lua_createtable(L, (int)m->n, 0);
    for (size_t i = 0; i < m->n; i++) {
        const ng__srcmatch *x = &m->v[i];
        lua_createtable(L, 0, 8);
        lua_pushboolean(L, credits(it, x));
        lua_setfield(L, -2, "credited");
        lua_pushinteger(L, (lua_Integer)x->id);
        lua_setfield(L, -2, "id");
        set_str(L, "publisher", x->publisher);
        set_str(L, "domain", x->domain);
        set_str(L, "title", x->title);
        set_num(L, "similarity", x->similarity);
        set_num(L, "containment", x->containment);
        set_num(L, "contained", x->contained);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

static int item_copied_from(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    double min = 0.5;
    lua_Integer limit = DEFAULT_LIMIT;
    look_args(L, &min, &limit);
    ng_store *s = ng__lua_store(L);
    if (!s) {
        lua_newtable(L);
        return 1;
    }
    ng__srcmatches m = { 0 };
    int rc = ng__sources_copied(s, it, min, (size_t)limit, &m);
    if (rc != NG_OK) {
        ng__srcmatches_free(&m);
        return push_fail(L, s, rc);
    }
    push_sources(L, it, &m);
    ng__srcmatches_free(&m);
    return 1;
}

/* same_url / same_text / same_title share this. */
static int same(lua_State *L, const char *kind)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    lua_Integer limit = luaL_optinteger(L, 2, DEFAULT_LIMIT * 2);
    luaL_argcheck(L, limit >= 1 && limit <= MAX_LIMIT, 2,
                  "limit must be in [1, 100]");
    ng_store *s = ng__lua_store(L);
    const ng__dupmatches *m;
    if (!s) {
        lua_pushnil(L);
        return 1;
    }
    int rc = ng__memo_exact(s, it, kind, (size_t)limit, &m);
    if (rc != NG_OK)
        return push_fail(L, s, rc);
    return push_matches(L, m, 0);
}

static int item_same_url(lua_State *L)
{
    return same(L, "url");
}

static int item_same_text(lua_State *L)
{
    return same(L, "text");
}

static int item_same_title(lua_State *L)
{
    return same(L, "title");
}

/* Adds the methods to the item table; leaves the stack as it was. */
void ng__lua_open_dup(lua_State *L)
{
    static const luaL_Reg methods[] = {
        { "nearest", item_nearest },
        { "copied_from", item_copied_from },
        { "same_url", item_same_url },
        { "same_text", item_same_text },
        { "same_title", item_same_title },
        { NULL, NULL }
    };
    ng__lua_item_methods(L, methods);
}
