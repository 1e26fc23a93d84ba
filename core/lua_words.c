/*
 * lua_words.c -- item:words_in(set), a fast look-up of the item's words
 * and word pairs in a Lua table.
 *
 *   item:words_in(set) -> table {key = number of occurrences}, possibly
 *                         empty
 *
 * `set` is a table whose keys are case-folded words ("click") or pairs of
 * words joined by one space ("buy now").  Every word of the item's cached,
 * case-folded text (item:words()) is looked up; a pair is looked up only
 * when the set also has the first word followed by a space as a key
 * ("buy "), which the caller adds for each pair.  This is what rules use
 * as a cheap gate before running patterns or list scans: it costs one
 * table look-up per word and builds no table of the words.
 * Convention: misuse raises.
 */
#include <string.h>
#include "lua_item.h"

#define MAX_PAIR 256

/* Counts key (on the stack top, popped) in the result table at `out`
 * when the set at `set` has it. */
static void count_if_member(lua_State *L, int set, int out)
{
    lua_pushvalue(L, -1);
    if (lua_rawget(L, set) == LUA_TNIL) {
        lua_pop(L, 2);
        return;
    }
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_Integer n = lua_rawget(L, out) == LUA_TNUMBER
                    ? lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    lua_pushinteger(L, n + 1);
    lua_rawset(L, out);
}

/* Looks up "w1 w2" when the set has "w1 " as a key. */
static void pair(lua_State *L, int set, int out, const char *folded,
                 const ng__word *a, const ng__word *b)
{
    char buf[MAX_PAIR];

    if (a->len + b->len + 1 > sizeof buf)
        return;
    memcpy(buf, folded + a->off, a->len);
    buf[a->len] = ' ';
    lua_pushlstring(L, buf, a->len + 1);
    int has = lua_rawget(L, set) != LUA_TNIL;
    lua_pop(L, 1);
    if (!has)
        return;
    memcpy(buf + a->len + 1, folded + b->off, b->len);
    lua_pushlstring(L, buf, a->len + 1 + b->len);
    count_if_member(L, set, out);
}

static int item_words_in(lua_State *L)
{
    ng_item *it = ng__lua_checkitem(L, 1);
    const char *folded;
    size_t n;
    const ng__word *w;

    luaL_checktype(L, 2, LUA_TTABLE);
    w = ng__item_words(it, &n, &folded);
    if (!w && n)
        return luaL_error(L, "out of memory");
    lua_newtable(L);
    int out = lua_gettop(L);
    for (size_t i = 0; i < n; i++) {
        lua_pushlstring(L, folded + w[i].off, w[i].len);
        count_if_member(L, 2, out);
        if (i + 1 < n)
            pair(L, 2, out, folded, &w[i], &w[i + 1]);
    }
    return 1;
}

void ng__lua_open_words(lua_State *L)
{
    static const luaL_Reg methods[] = {
        { "words_in", item_words_in },
        { NULL, NULL }
    };
    ng__lua_item_methods(L, methods);
}
