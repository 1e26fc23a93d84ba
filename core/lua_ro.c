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
 * contents, and __metatable hides the metatable.  Proxies are recorded in
 * a weak registry set so the sandbox's rawset can refuse them, which
 * closes the one door plain Lua leaves open.  The sandbox's setmetatable
 * refuses metatables with a __gc field: Lua runs finalizers with hooks
 * off, so a finalizer would escape the instruction budget and deadline.
 * This file uses only the official Lua API.
 */
#include <lauxlib.h>

#include "engine_impl.h"

/* Registry key of the weak set of read-only proxies. */
#define FROZEN_KEY "newsgate.frozen"

static int ro_newindex(lua_State *L)
{
    return luaL_error(L, "attempt to modify a read-only table");
}

static int ro_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
    return 1;
}

/* __index of a view over a table holding tables: nested tables come out
 * as views as well. */
static int ro_index(lua_State *L)
{
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TTABLE)
        ng__lua_ro_push(L, -1);
    return 1;
}

/* Iterator for __pairs: next over the real table, views for tables. */
static int ro_next(lua_State *L)
{
    lua_settop(L, 2);
    if (!lua_next(L, lua_upvalueindex(1)))
        return 0;
    if (lua_type(L, -1) == LUA_TTABLE) {
        ng__lua_ro_push(L, -1);
        lua_remove(L, -2);
    }
    return 2;
}

static int ro_pairs(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__next"); /* the iterator kept in the metatable */
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

static void set_closure(lua_State *L, int mt, int real, lua_CFunction f,
                        const char *name)
{
    lua_pushvalue(L, real);
    lua_pushcclosure(L, f, 1);
    lua_setfield(L, mt, name);
}

void ng__lua_ro_push(lua_State *L, int idx)
{
    int real = lua_absindex(L, idx), mt;

    luaL_checkstack(L, 6, "read-only view");
    lua_newtable(L); /* the proxy */
    lua_createtable(L, 0, 7);
    mt = lua_gettop(L);
    if (has_tables(L, real))
        set_closure(L, mt, real, ro_index, "__index");
    else {
        lua_pushvalue(L, real); /* flat: the VM reads straight through */
        lua_setfield(L, mt, "__index");
    }
    lua_pushcfunction(L, ro_newindex);
    lua_setfield(L, mt, "__newindex");
    set_closure(L, mt, real, ro_len, "__len");
    set_closure(L, mt, real, ro_next, "__next");
    lua_pushcfunction(L, ro_pairs);
    lua_setfield(L, mt, "__pairs");
    lua_pushliteral(L, "read-only");
    lua_setfield(L, mt, "__metatable");
    lua_setmetatable(L, -2);
    ng__lua_ro_mark(L, -1);
}

void ng__lua_ro_mark(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (lua_getfield(L, LUA_REGISTRYINDEX, FROZEN_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, FROZEN_KEY);
    }
    lua_pushvalue(L, idx);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* Returns 1 when the value at idx is a read-only proxy. */
static int is_frozen(lua_State *L, int idx)
{
    int frozen;

    idx = lua_absindex(L, idx);
    if (lua_getfield(L, LUA_REGISTRYINDEX, FROZEN_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        return 0;
    }
    lua_pushvalue(L, idx);
    frozen = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 2);
    return frozen;
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

void ng__lua_ro_wrap(lua_State *L)
{
    if (lua_type(L, -1) != LUA_TTABLE)
        return;
    ng__lua_ro_push(L, -1);
    lua_remove(L, -2);
}
