/*
 * lua_ro.c -- read-only views of tables, and the sandbox's guarded
 * rawset and setmetatable.
 *
 * Rules share one Lua state, so anything two rules (or two items) can
 * both reach must not be writable: the library tables of the sandbox,
 * the environment itself, and every table the item hands out (words,
 * links, meta, images).  A read-only view is an empty proxy table whose
 * metatable reads through to the real table: __index goes to the real
 * table (or, when it holds tables, to a function that hands out views of
 * those too), __newindex raises, __len and __pairs report the real
 * contents, and __metatable hides the metatable (which also keeps the
 * real table out of reach).  The sandbox's rawset refuses any table with
 * a protected metatable, which closes the one door plain Lua leaves open;
 * views and the environment all have one.  All metamethods are plain C
 * functions, so a view costs two small tables.  The sandbox's setmetatable
 * refuses metatables with a __gc field: Lua runs finalizers with hooks
 * off, so a finalizer would escape the instruction budget and deadline.
 * This file uses only the official Lua API.
 */
#include <lauxlib.h>

#include "engine_impl.h"

/* Key of the real table in a view's metatable. */
#define REAL_KEY "__real"

static int ro_newindex(lua_State *L)
{
    return luaL_error(L, "attempt to modify a read-only table");
}

/* Pushes the real table behind the view at idx: __index itself for a
 * flat view, __real for a nested one. */
static void push_real(lua_State *L, int idx)
{
    lua_getmetatable(L, idx);
    if (lua_getfield(L, -1, "__index") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_getfield(L, -1, REAL_KEY);
    }
    lua_remove(L, -2);
}

static int ro_len(lua_State *L)
{
    push_real(L, 1);
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* __index of a view over a table holding tables: nested tables come out
 * as views as well. */
static int ro_index(lua_State *L)
{
    push_real(L, 1);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) == LUA_TTABLE)
        ng__lua_ro_push(L, -1);
    return 1;
}

/* Iterator for __pairs, (view, key): next over the real table, views for
 * tables. */
static int ro_next(lua_State *L)
{
    lua_settop(L, 2);
    push_real(L, 1);
    lua_insert(L, 2);
    if (!lua_next(L, 2))
        return 0;
    if (lua_type(L, -1) == LUA_TTABLE) {
        ng__lua_ro_push(L, -1);
        lua_remove(L, -2);
    }
    return 2;
}

static int ro_pairs(lua_State *L)
{
    lua_pushcfunction(L, ro_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* Returns 1 when the table at idx holds a table value. */
static int has_tables(lua_State *L, int idx)
{
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            lua_pop(L, 2);
            return 1;
        }
        lua_pop(L, 1);
    }
    return 0;
}

void ng__lua_ro_push(lua_State *L, int idx)
{
    ng__lua_ro_push_as(L, idx, -1);
}

void ng__lua_ro_push_as(lua_State *L, int idx, int nested)
{
    int real = lua_absindex(L, idx), mt;

    luaL_checkstack(L, 4, "read-only view");
    if (nested < 0)
        nested = has_tables(L, real);
    lua_createtable(L, 0, 0); /* the view */
    lua_createtable(L, 0, nested ? 6 : 5);
    mt = lua_gettop(L);
    if (nested) {
        lua_pushvalue(L, real);
        lua_setfield(L, mt, REAL_KEY);
        lua_pushcfunction(L, ro_index);
    } else {
        lua_pushvalue(L, real); /* flat: the VM reads straight through */
    }
    lua_setfield(L, mt, "__index");
    lua_pushcfunction(L, ro_newindex);
    lua_setfield(L, mt, "__newindex");
    lua_pushcfunction(L, ro_len);
    lua_setfield(L, mt, "__len");
    lua_pushcfunction(L, ro_pairs);
    lua_setfield(L, mt, "__pairs");
    lua_pushliteral(L, "read-only");
    lua_setfield(L, mt, "__metatable");
    lua_setmetatable(L, -2);
}

/* Returns 1 when the table at idx is protected: its metatable has a
 * __metatable field, as every view and the sandbox have.  (A rule may
 * protect its own tables this way too; that only limits itself.) */
static int is_frozen(lua_State *L, int idx)
{
    if (luaL_getmetafield(L, idx, "__metatable") == LUA_TNIL)
        return 0;
    lua_pop(L, 1);
    return 1;
}

/* rawset(t, k, v) of the sandbox: refuses read-only tables. */
static int sb_rawset(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    if (is_frozen(L, 1))
        return luaL_error(L, "rawset: table is read-only");
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

/* setmetatable(t, mt) of the sandbox: refuses finalizers. */
static int sb_setmetatable(lua_State *L)
{
    int t = lua_type(L, 2);

    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: __gc is not allowed in rules");
        lua_pop(L, 1);
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

void ng__lua_ro_guards(lua_State *L)
{
    lua_pushcfunction(L, sb_rawset);
    lua_setfield(L, -2, "rawset");
    lua_pushcfunction(L, sb_setmetatable);
    lua_setfield(L, -2, "setmetatable");
}

void ng__lua_ro_wrap(lua_State *L, int nested)
{
    if (lua_type(L, -1) != LUA_TTABLE)
        return;
    ng__lua_ro_push_as(L, -1, nested);
    lua_remove(L, -2);
}
