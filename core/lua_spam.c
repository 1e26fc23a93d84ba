/*
 * lua_spam.c -- item:spam_probability(), the learner's opinion for rules.
 *
 *   item:spam_probability()  -> number in [0, 1], or nil when there is no
 *                               store or the learner has learned fewer
 *                               than NG__LEARN_MIN items of either class
 *
 * The token table is loaded once per engine (it hangs in the Lua
 * registry as a userdata whose __gc frees it) and reloaded only when the
 * store attached to the engine changes or its learner generation moves;
 * asking for the generation is one indexed read per call.  The item's
 * tokens come from its cached words (learn.c).
 * Convention: misuse raises; a store failure returns nil, message.
 */
#include <stdlib.h>
#include <string.h>
#include "lua_item.h"
#include "learn.h"
#include "dup.h"

/* The per-engine learner, a userdata in the registry. */
typedef struct learner {
    ng__toktable *table;
    ng__tokens tokens;        /* scratch, reused between items */
    const ng_store *store;    /* the store the table was read from, */
    char *path;               /* its path (a store closed and another
                                 opened may get the same address) */
    ng__learn_state state;    /* and its learner state then */
    int loaded;
} learner;

/* Registry key: the address of this variable (unique to this module). */
static const char registry_key = 0;

static int learner_gc(lua_State *L)
{
    learner *l = lua_touserdata(L, 1);

    if (l) {
        ng__toktable_free(l->table);
        ng__tokens_free(&l->tokens);
        free(l->path);
        l->table = NULL;
        l->path = NULL;
    }
    return 0;
}

/* The engine's learner, created on first use (userdata first, then the
 * table it owns).  Raises on no memory. */
static learner *get_learner(lua_State *L)
{
    learner *l;

    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &registry_key) == LUA_TUSERDATA) {
        l = lua_touserdata(L, -1);
        lua_pop(L, 1);
        return l;
    }
    lua_pop(L, 1);
    l = lua_newuserdatauv(L, sizeof *l, 0);
    memset(l, 0, sizeof *l);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, learner_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &registry_key);
    if (!(l->table = ng__toktable_new()))
        luaL_error(L, "out of memory");
    return l;
}

/* Brings the table up to date with `s`.  Returns NG_OK or an error. */
static int refresh(learner *l, ng_store *s)
{
    ng__learn_state st;
    int rc = ng__learn_state_of(s, &st);

    if (rc != NG_OK)
        return rc;
    if (l->loaded && l->store == s && l->path && s->path
        && strcmp(l->path, s->path) == 0
        && l->state.generation == st.generation
        && l->state.nspam == st.nspam && l->state.nham == st.nham)
        return NG_OK;
    l->loaded = 0;
    free(l->path);
    l->path = NULL;
    rc = ng__toktable_load(l->table, s, &st);
    if (rc != NG_OK)
        return rc;
    if (s->path && !(l->path = strdup(s->path)))
        return NG_ENOMEM;
    l->store = s;
    l->state = st;
    l->loaded = 1;
    return NG_OK;
}

/* item:spam_probability() -> p | nil | nil, message */
static int item_spam_probability(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    ng_store *s = ng__lua_store(L);
    learner *l;
    int rc;

    if (!s) {
        lua_pushnil(L);
        return 1;
    }
    double p;
    if (ng__memo_get_number(s, it, "spam_probability", &p)) {
        if (p < 0)   /* kept: the learner could not tell */
            lua_pushnil(L);
        else
            lua_pushnumber(L, p);
        return 1;
    }
    l = get_learner(L);
    rc = refresh(l, s);
    if (rc != NG_OK) {
        lua_pushnil(L);
        lua_pushstring(L, ng_store_errmsg(s));
        return 2;
    }
    /* An untrained learner has no opinion: the item's tokens (a hash of
     * every word and word pair) are made only for one that has. */
    if (!ng__toktable_ready(l->table)) {
        p = -1;
    } else {
        if (ng__learn_tokens(it, &l->tokens) != NG_OK)
            return luaL_error(L, "out of memory");
        p = ng__toktable_classify(l->table, &l->tokens);
    }
    if (ng__memo_put_number(s, it, "spam_probability", p < 0 ? -1 : p)
        != NG_OK)
        return luaL_error(L, "out of memory");
    if (p < 0)
        lua_pushnil(L);
    else
        lua_pushnumber(L, p);
    return 1;
}

void ng__lua_open_spam(lua_State *L)
{
    static const luaL_Reg methods[] = {
        { "spam_probability", item_spam_probability },
        { NULL, NULL }
    };
    ng__lua_item_methods(L, methods);
}
