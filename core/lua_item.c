/*
 * lua_item.c -- the `item` object rules receive.
 *
 * A full userdata holding a pointer to the C item for the length of one
 * check.  Fields (item.title, item.body, ...) are turned into Lua values
 * on first access and cached in the userdata's user value, a table; so
 * are the analysis methods' results (item:words(), item:links(), ...),
 * which are computed in C on first use (item.h).  Methods come from one
 * shared table to which other modules add theirs (ng__lua_item_methods).
 * The cache table is also the __index of the item's own metatable (see
 * ng__lua_item_push), so what was read once is a plain look-up.
 *
 * Convention: misuse (bad arguments, a bad pattern) raises; absence
 * returns nil.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <lauxlib.h>

#include "engine.h"
#include "engine_impl.h"
#include "item.h"
#include "lua_item.h"
#include "text.h"

#define ITEM_MT NG__ITEM_MT
#define METHODS_KEY "newsgate.item.methods"

ng_engine *ng__lua_engine(lua_State *L)
{
    return *(ng_engine **)lua_getextraspace(L);
}

ng_store *ng__lua_store(lua_State *L)
{
    ng_engine *e = ng__lua_engine(L);

    /* Every look-up a rule makes in the store comes through here: the
     * count tells the check loop which rules read the store (see
     * ng__engine_recheck). */
    e->store_uses++;
    return ng__engine_store(e);
}

/* Registry keys (their addresses): the shared metatable of the item
 * cache tables, the item of the current check, and the mark every item
 * metatable carries. */
static const char cache_mt_key = 0;
static const char current_key = 0;
static const char item_mark = 0;
static const char empty_view_key = 0;

static void wrap_view(lua_State *L, int nested);

int ng__lua_isitem(lua_State *L, int idx)
{
    int mark;

    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx))
        return 0;
    mark = lua_rawgetp(L, -1, &item_mark) == LUA_TBOOLEAN;
    lua_pop(L, 2);
    return mark;
}

ng_item *ng__lua_checkitem(lua_State *L, int idx)
{
    ng__lua_item *ud;

    if (!ng__lua_isitem(L, idx))
        luaL_typeerror(L, idx, ITEM_MT);
    ud = lua_touserdata(L, idx);
    if (ud->it == NULL)
        luaL_error(L, "item used after its check ended");
    return ud->it;
}

void ng__lua_item_methods(lua_State *L, const luaL_Reg *methods)
{
    lua_getfield(L, LUA_REGISTRYINDEX, METHODS_KEY);
    luaL_setfuncs(L, methods, 0);
    lua_pop(L, 1);
}

/* The item's metatable is its own, made per check, with the item's
 * cache table as __index, whose metatable sends a miss to the methods
 * table, whose metatable sends a miss to field_load: a method, or a
 * field already read, is then a plain table look-up in the VM rather
 * than a call of a C __index (about 700 instructions each, a few dozen
 * per check).  A retired item gets the shared ITEM_MT back, whose
 * __index (item_index) raises on fields, so a kept item cannot read the
 * next check's, and only the current item reaches field_load. */
void ng__lua_item_push(lua_State *L, ng_engine *e, ng_item *it)
{
    ng__lua_item *ud = lua_newuserdatauv(L, sizeof *ud, 1);
    ud->it = it;
    ud->e = e;
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &current_key);
    lua_createtable(L, 0, 16);              /* the cache */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &cache_mt_key);
    lua_setmetatable(L, -2);
    lua_createtable(L, 0, 6);               /* the item's metatable */
    luaL_getmetatable(L, ITEM_MT);
    for (const char *const *k = (const char *const[]){ "__newindex",
             "__tostring", "__metatable", "__name", NULL }; *k; k++) {
        lua_getfield(L, -1, *k);
        lua_setfield(L, -3, *k);
    }
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
    lua_rawsetp(L, -2, &item_mark);
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -3);
    lua_setiuservalue(L, -2, 1);
}

void ng__lua_item_retire(lua_State *L, int idx)
{
    ng__lua_item *ud;

    if (!ng__lua_isitem(L, idx))
        return;
    idx = lua_absindex(L, idx);
    ud = lua_touserdata(L, idx);
    ud->it = NULL;
    luaL_getmetatable(L, ITEM_MT);
    lua_setmetatable(L, idx);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &current_key);
}

/* Pushes a JSON value as a Lua value (objects and arrays as tables). */
static void push_json(lua_State *L, json_t *j)
{
    size_t i;
    const char *k;
    json_t *v;

    luaL_checkstack(L, 3, "meta nested too deeply");
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        lua_createtable(L, 0, (int)json_object_size(j));
        json_object_foreach(j, k, v) {
            push_json(L, v);
            lua_setfield(L, -2, k);
        }
        break;
    case JSON_ARRAY:
        lua_createtable(L, (int)json_array_size(j), 0);
        json_array_foreach(j, i, v) {
            push_json(L, v);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    case JSON_STRING:
        lua_pushlstring(L, json_string_value(j), json_string_length(j));
        break;
    case JSON_INTEGER: lua_pushinteger(L, json_integer_value(j)); break;
    case JSON_REAL: lua_pushnumber(L, json_real_value(j)); break;
    case JSON_TRUE: lua_pushboolean(L, 1); break;
    case JSON_FALSE: lua_pushboolean(L, 0); break;
    default: lua_pushnil(L); break;
    }
}

static void push_opt(lua_State *L, const char *s)
{
    if (s)
        lua_pushstring(L, s);
    else
        lua_pushnil(L);
}

static void push_images(lua_State *L, const ng_item *it)
{
    lua_createtable(L, (int)it->nimages, 0);
    for (size_t i = 0; i < it->nimages; i++) {
        lua_createtable(L, 0, 3);
        push_opt(L, it->images[i].url);
        lua_setfield(L, -2, "url");
        push_opt(L, it->images[i].caption);
        lua_setfield(L, -2, "caption");
        push_opt(L, it->images[i].credit);
        lua_setfield(L, -2, "credit");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* Pushes the meta object, parsed once when the item was read. */
static void push_meta(lua_State *L, const ng_item *it)
{
    if (it->meta == NULL)
        lua_createtable(L, 0, 0);
    else
        push_json(L, it->meta);
}

/* Pushes field `k` of the item as the field table (item.h) describes it,
 * or the two views outside it (html, images); returns 0 when there is no
 * such field. */
static int push_field(lua_State *L, ng_item *it, const char *k)
{
    const ng__field_def *def = ng__item_field_def(k);

    if (def == NULL) {
        if (strcmp(k, "html") == 0)
            push_opt(L, it->body_is_html ? it->body : NULL);
        else if (strcmp(k, "images") == 0)
            push_images(L, it);
        else
            return 0;
        return 1;
    }
    switch (def->kind) {
    case NG__FK_BODY: push_opt(L, it->body_text); break;
    case NG__FK_TIME: lua_pushinteger(L, it->submitted_unix); break;
    case NG__FK_FORMAT: lua_pushstring(L, it->body_is_html ? "html" : "text"); break;
    case NG__FK_META: push_meta(L, it); break;
    default: push_opt(L, *NG__ITEM_MEMBER(it, def)); break;
    }
    return 1;
}

/* __index: methods first, then cached fields. */
static int item_index(lua_State *L)
{
    ng_item *it;
    const char *k;

    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return 1;
    it = ng__lua_checkitem(L, 1);
    k = lua_tostring(L, 2);
    if (k == NULL)
        return 0;
    lua_getiuservalue(L, 1, 1);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    if (!push_field(L, it, k))
        return luaL_error(L, "item has no field '%s'", k);
    wrap_view(L, -1); /* meta and images: read-only */
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
    return 1;
}

/* __index of the shared methods table, reached through a live item's
 * cache when a key is neither cached nor a method: the field, read from
 * the C item of the current check and cached, as item_index does.  Only
 * the item of the current check has the cache chain, so the item is the
 * one registered at ng__lua_item_push. */
static int field_load(lua_State *L)
{
    ng__lua_item *ud;
    const char *k;

    lua_rawgetp(L, LUA_REGISTRYINDEX, &current_key);
    ud = lua_touserdata(L, -1);
    if (ud == NULL || ud->it == NULL)
        return luaL_error(L, "item used after its check ended");
    k = lua_tostring(L, 2);
    if (k == NULL)
        return 0;
    if (!push_field(L, ud->it, k))
        return luaL_error(L, "item has no field '%s'", k);
    wrap_view(L, -1); /* meta and images: read-only */
    lua_getiuservalue(L, -2, 1);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    return 1;
}

static int item_newindex(lua_State *L)
{
    return luaL_error(L, "item is read-only");
}

static int item_tostring(lua_State *L)
{
    ng__lua_item *ud;

    if (!ng__lua_isitem(L, 1))
        luaL_typeerror(L, 1, ITEM_MT);
    ud = lua_touserdata(L, 1);
    if (ud->it)
        lua_pushfstring(L, "item %d of %s", (int)ud->it->index,
                        ud->it->origin ? ud->it->origin : "?");
    else
        lua_pushliteral(L, "item (retired)");
    return 1;
}

/* Replaces the value on top, if a table, with a read-only view of it
 * (ng__lua_ro_wrap).  An empty table becomes the state's one shared
 * empty view, made on first use: most stories have no links, domains or
 * pictures, and a view costs two tables and five fields. */
static void wrap_view(lua_State *L, int nested)
{
    if (lua_type(L, -1) != LUA_TTABLE || lua_rawlen(L, -1) != 0)
        goto wrap;
    lua_pushnil(L);
    if (lua_next(L, -2) != 0) {   /* a key: not empty (pops both) */
        lua_pop(L, 2);
        goto wrap;
    }
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &empty_view_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        ng__lua_ro_wrap(L, 0);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &empty_view_key);
    }
    lua_remove(L, -2);
    return;
wrap:
    ng__lua_ro_wrap(L, nested);
}

/* Looks up a cached method result under `key`; returns 1 if pushed. */
int ng__lua_item_cached(lua_State *L, const char *key)
{
    lua_getiuservalue(L, 1, 1);
    lua_pushstring(L, key);
    if (lua_rawget(L, -2) != LUA_TNIL) {   /* raw: a miss loads no field */
        lua_remove(L, -2);
        return 1;
    }
    lua_pop(L, 2);
    return 0;
}

/* Caches the value on top under `key` and leaves it on top; tables are
 * cached and handed out as read-only views (`nested` as for
 * ng__lua_ro_wrap: 1 when the table holds tables, 0 for a flat list). */
void ng__lua_item_cache(lua_State *L, const char *key, int nested)
{
    wrap_view(L, nested);
    lua_getiuservalue(L, 1, 1);
    lua_pushstring(L, key);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

static int item_text(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    size_t len;
    const char *t;

    if (ng__lua_item_cached(L, " text"))
        return 1;
    if ((t = ng__item_text(it, &len)) == NULL)
        return luaL_error(L, "not enough memory");
    lua_pushlstring(L, t, len);
    ng__lua_item_cache(L, " text", 0);
    return 1;
}

static int item_words(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    const ng__word *w;
    const char *folded;
    size_t n;

    if (ng__lua_item_cached(L, " words"))
        return 1;
    if ((w = ng__item_words(it, &n, &folded)) == NULL)
        return luaL_error(L, "not enough memory");
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushlstring(L, folded + w[i].off, w[i].len);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    ng__lua_item_cache(L, " words", 0);
    return 1;
}

static void push_strlist(lua_State *L, const ng__strlist *l)
{
    lua_createtable(L, (int)l->n, 0);
    for (size_t i = 0; i < l->n; i++) {
        lua_pushstring(L, l->v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* Pushes the cached list `key`, building it with `get` on first use. */
static int cached_strlist(lua_State *L, const char *key,
                          const ng__strlist *(*get)(ng_item *))
{
    ng_item *it = ng__lua_checkitem(L, 1);
    const ng__strlist *l;
    if (ng__lua_item_cached(L, key))
        return 1;
    if ((l = get(it)) == NULL)
        return luaL_error(L, "not enough memory");
    push_strlist(L, l);
    ng__lua_item_cache(L, key, 0);
    return 1;
}

static int item_links(lua_State *L)
{
    return cached_strlist(L, " links", ng__item_links);
}

static int item_domains(lua_State *L)
{
    return cached_strlist(L, " domains", ng__item_domains);
}

/* item:wordcount([field]) -> number of words in a field (default: the
 * whole text), without building the words table. */
static int item_wordcount(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    const char *field = luaL_optstring(L, 2, "text");
    const char *text, *folded, *key;
    size_t len, n;

    if (strcmp(field, "text") == 0) {
        if (ng__item_words(it, &n, &folded) == NULL)
            return luaL_error(L, "not enough memory");
        lua_pushinteger(L, (lua_Integer)n);
        return 1;
    }
    /* Several rules count the body's words: split it once per check. */
    lua_pushfstring(L, " wordcount %s", field);
    key = lua_tostring(L, -1);
    if (ng__lua_item_cached(L, key))
        return 1;
    text = ng__item_field(it, field, &len);
    n = text ? ng__text_word_count(text, len) : 0;
    lua_pushinteger(L, (lua_Integer)n);
    ng__lua_item_cache(L, key, 0);
    return 1;
}

/* Raises unless `field` is one item:find and item:count can search: a
 * misspelt name would otherwise read as an absent field and never match. */
static void check_pattern_field(lua_State *L, const char *what,
                                const char *field)
{
    static const char *const names[] = {
        "text", "title", "body", "html", "url", "source", "author",
        "submitter", NULL
    };
    for (int i = 0; names[i]; i++)
        if (strcmp(field, names[i]) == 0)
            return;
    luaL_error(L, "%s: unknown field '%s' (fields: text, title, body, html, "
               "url, source, author, submitter)", what, field);
}

/* Raises when a pattern looks like a Lua pattern (a class such as %d and
 * no backslash): PCRE2 would read "%d" as two characters and the rule
 * would quietly never match. */
static void check_not_lua_pattern(lua_State *L, const char *what,
                                  const char *pat)
{
    const char *p = pat;

    if (strchr(pat, '\\'))
        return;
    while ((p = strchr(p, '%')) != NULL) {
        if (p[1] && strchr("aAcCdDgGlLpPsSuUwWxX", p[1]))
            luaL_error(L, "%s: '%s' looks like a Lua pattern ('%%%c'), but "
                       "it takes PCRE2 (%%d is \\d, %%a is \\p{L}, %%s is "
                       "\\s, %%w is \\w)", what, pat, p[1]);
        p += p[1] ? 2 : 1;
    }
}

/* Common part of find and count: compiles the pattern (arg 2) and picks
 * the field text (arg 3, default "text"; flags in arg 4). */
static ng__regex *pattern_arg(lua_State *L, const char *what, ng_item *it,
                              const char **text, size_t *len)
{
    ng_engine *e = ng__lua_engine(L);
    const char *pat = luaL_checkstring(L, 2);
    const char *field = luaL_optstring(L, 3, "text");
    const char *flags = luaL_optstring(L, 4, "");
    char err[256];
    ng__regex *re;

    check_pattern_field(L, what, field);
    check_not_lua_pattern(L, what, pat);
    if ((re = ng__regex_get(ng__engine_regex(e), pat, flags, err, sizeof err)) == NULL)
        luaL_error(L, "bad pattern: %s", err);
    *text = ng__item_field(it, field, len);
    return re;
}

/* item:find(pattern [, field [, flags]]) -> match, start, end (1-based,
 * inclusive, like string.find) or nil. */
static int item_find(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    const char *text;
    size_t len, ms, me;
    char err[256];
    ng__regex *re = pattern_arg(L, "item:find", it, &text, &len);
    int rc;

    if (text == NULL)
        return 0;
    rc = ng__regex_search_valid(re, text, len, 0, &ms, &me, err, sizeof err);
    if (rc < 0)
        return luaL_error(L, "%s", err);
    if (rc == 0)
        return 0;
    lua_pushlstring(L, text + ms, me - ms);
    lua_pushinteger(L, (lua_Integer)ms + 1);
    lua_pushinteger(L, (lua_Integer)me);
    return 3;
}

/* item:count(pattern [, field [, flags]]) -> number of matches. */
static int item_count(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    const char *text;
    size_t len;
    char err[256];
    ng__regex *re = pattern_arg(L, "item:count", it, &text, &len);
    long n;

    if (text == NULL) {
        lua_pushinteger(L, 0);
        return 1;
    }
    n = ng__regex_count(re, text, len, 0, err, sizeof err);
    if (n < 0)
        return luaL_error(L, "%s", err);
    lua_pushinteger(L, n);
    return 1;
}

void ng__lua_open_item(lua_State *L)
{
    static const luaL_Reg methods[] = {
        { "text", item_text }, { "words", item_words },
        { "links", item_links }, { "domains", item_domains },
        { "find", item_find }, { "count", item_count },
        { "wordcount", item_wordcount },
        { NULL, NULL }
    };
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, METHODS_KEY);
    luaL_setfuncs(L, methods, 0);
    luaL_newmetatable(L, ITEM_MT);
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, item_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, item_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, item_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "item");
    lua_setfield(L, -2, "__metatable");
    lua_pushboolean(L, 1);
    lua_rawsetp(L, -2, &item_mark);
    lua_pop(L, 1);
    lua_createtable(L, 0, 1);               /* the caches' metatable */
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "__index");         /* a miss: the methods */
    lua_rawsetp(L, LUA_REGISTRYINDEX, &cache_mt_key);
    lua_createtable(L, 0, 1);               /* the methods' metatable */
    lua_pushcfunction(L, field_load);
    lua_setfield(L, -2, "__index");         /* no method: a field */
    lua_setmetatable(L, -2);
    lua_pop(L, 1);
}
