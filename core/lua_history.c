/*
 * lua_history.c -- item:history{...}, the submitter and domain counts that
 * rate-limit rules read from the store.
 *
 *   item:history{submitter = NAME, hours = N}  -- items by NAME
 *   item:history{domain = D, hours = N}        -- items whose URL is on D
 *   item:history{..., up_to = N}               -- counts no further than N
 *   item:history{submitter = true, detail = true}
 *       -- { total, accepted, review, rejected, published, approved,
 *            moderator_rejected, first_seen }
 *
 * `submitter = true` / `domain = true` mean this item's own submitter /
 * URL domain.  The window is the N hours (default 24) up to now, counted
 * by the time the store received each item -- never by the submitted_at a
 * client sends, so a flood cannot be back-dated out of the window.  The
 * item itself is not stored yet while it is checked.  With detail the
 * counts are split by status (approved and moderator_rejected are
 * moderator decisions) and first_seen is the first time the submitter or
 * domain was ever seen (0: never), for reputation rules.  Returns 0 (or a
 * table of zeros) when the engine has no store; a store failure returns
 * nil and a message.  Plain counts are memoised per check (memo.c).
 * `up_to` is for rate limits, which only ask whether a limit is reached:
 * the store stops counting there, so a flood (the very case they are
 * for) does not make every check walk the whole flood.
 */
#include <string.h>
#include "lua_item.h"
#include "store_api.h"
#include "dup.h"
#include "url.h"

/* The value of key `field` in the options table: a string, or this
 * item's own value for `true`.  Returns NULL when absent or empty. */
static const char *history_key(lua_State *L, ng_item *it, const char *field,
                               char *host, size_t n)
{
    const char *v = NULL;

    lua_getfield(L, 2, field);
    if (lua_type(L, -1) == LUA_TBOOLEAN && lua_toboolean(L, -1)) {
        if (strcmp(field, "submitter") == 0)
            v = it->submitter;
        else if (it->url && ng__url_host(it->url, host, n) > 0)
            v = host;
    } else if (!lua_isnil(L, -1)) {
        v = luaL_checkstring(L, -1);    /* stays anchored in the table */
        if (strcmp(field, "domain") == 0 && ng__url_host(v, host, n) > 0)
            v = host;                   /* "www.BBC.co.uk" counts as bbc */
    }
    lua_pop(L, 1);
    return v && *v ? v : NULL;
}

/* Pushes the detail table of item:history{detail = true}. */
static void push_detail(lua_State *L, const ng__history_row *h)
{
    const struct { const char *k; int64_t v; } f[] = {
        { "total", h->total }, { "accepted", h->accepted },
        { "review", h->review }, { "rejected", h->rejected },
        { "published", h->published }, { "approved", h->approved },
        { "moderator_rejected", h->mod_rejected },
        { "first_seen", h->first_seen },
    };

    lua_createtable(L, 0, 8);
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        lua_pushinteger(L, (lua_Integer)f[i].v);
        lua_setfield(L, -2, f[i].k);
    }
}

/* The detail = true option. */
static int wants_detail(lua_State *L)
{
    int d;
    lua_getfield(L, 2, "detail");
    d = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return d;
}

/* The up_to = N option (0 when absent); raises unless N is a positive
 * integer. */
static int64_t up_to(lua_State *L)
{
    lua_Integer n = 0;

    if (lua_getfield(L, 2, "up_to") != LUA_TNIL) {
        n = luaL_checkinteger(L, -1);
        luaL_argcheck(L, n > 0, 2, "up_to must be a positive integer");
    }
    lua_pop(L, 1);
    return (int64_t)n;
}

/* Raises on a key other than submitter, domain, hours, detail and up_to (a misspelt
 * key would otherwise count nothing, silently), and when neither
 * submitter nor domain is given. */
static void check_keys(lua_State *L)
{
    int who = 0;

    lua_pushnil(L);
    while (lua_next(L, 2)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        lua_pop(L, 1);
        if (k && (strcmp(k, "submitter") == 0 || strcmp(k, "domain") == 0))
            who++;
        else if (!k || (strcmp(k, "hours") != 0 && strcmp(k, "detail") != 0
                        && strcmp(k, "up_to") != 0))
            luaL_error(L, "item:history: unknown key '%s' (keys: submitter, "
                       "domain, hours, detail, up_to)",
                       k ? k : luaL_typename(L, -1));
    }
    if (who == 0)
        luaL_error(L, "item:history: give submitter = NAME or true, or "
                   "domain = HOST or true");
}

/* item:history(opts) -> count | table | nil, message */
static int item_history(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    char host[256];
    const char *field = "submitter";
    const char *value;
    int64_t count = 0;

    luaL_checktype(L, 2, LUA_TTABLE);
    check_keys(L);
    value = history_key(L, it, "submitter", host, sizeof host);
    if (!value) {
        field = "domain";
        value = history_key(L, it, "domain", host, sizeof host);
    }
    lua_getfield(L, 2, "hours");
    lua_Number hours = luaL_optnumber(L, -1, 24);
    lua_pop(L, 1);
    luaL_argcheck(L, hours > 0, 2, "hours must be positive");

    ng_store *s = ng__lua_store(L);
    ng__history_row h = { 0 };
    int detail = wants_detail(L);
    int64_t cap = up_to(L);
    if (!s || !value) {
        if (detail)
            push_detail(L, &h);
        else
            lua_pushinteger(L, 0);
        return 1;
    }
    int64_t to = ng__memo_now(s, it);
    int64_t from = to - (int64_t)(hours * 3600);
    if (detail) {
        if (ng__store_history_detail(s, field, value, from, to, &h) != NG_OK) {
            lua_pushnil(L);
            lua_pushstring(L, ng_store_errmsg(s));
            return 2;
        }
        push_detail(L, &h);
        return 1;
    }
    if (ng__memo_history(s, it, field, value, from, to, cap, &count) != NG_OK) {
        lua_pushnil(L);
        lua_pushstring(L, ng_store_errmsg(s));
        return 2;
    }
    lua_pushinteger(L, (lua_Integer)count);
    return 1;
}

void ng__lua_open_history(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"history", item_history},
        {NULL, NULL},
    };
    ng__lua_item_methods(L, methods);
}
