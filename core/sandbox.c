/*
 * sandbox.c -- the engine's Lua state and the limits rule code runs under.
 *
 * One Lua state per engine.  Its allocator counts every byte and refuses
 * to grow past the engine's cap, so a rule that allocates without bound
 * fails with a memory error instead of taking the process down.  A count
 * hook gives each call into rule code an instruction budget.  Rule files
 * run with a private environment table (the sandbox) that holds only a
 * whitelist of the standard library plus the rule DSL; reading or writing
 * an undeclared global raises an error, so typos and stray globals are
 * caught at once.  The trusted prelude runs before the sandbox exists.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "engine_impl.h"
#include "lua_item.h"
#include "scripts.h"

/* lua_Alloc that enforces mem->cap. */
static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    ng__lua_mem *mem = ud;
    size_t old = ptr ? osize : 0; /* without ptr, osize is a type tag */
    void *p;

    if (nsize == 0) {
        free(ptr);
        mem->used -= old;
        return NULL;
    }
    if (nsize > old && mem->used - old + nsize > mem->cap) {
        mem->refused = 1;
        return NULL;
    }
    p = realloc(ptr, nsize);
    if (p)
        mem->used = mem->used - old + nsize;
    return p;
}

/* Count hook: the budget is spent.  From here on every instruction
 * raises, so a rule cannot catch the error with pcall and keep going. */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
    lua_pushliteral(L, "instruction budget exceeded");
    lua_error(L);
}

/* Message handler: makes sure the error is a string. */
static int msghandler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            return 1;
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    return 1;
}

int ng__sandbox_call(ng_engine *e, int nargs, int nresults, uint64_t budget)
{
    lua_State *L = e->L;
    int base = lua_gettop(L) - nargs;
    int status;

    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    e->mem.refused = 0;
    if (budget)
        lua_sethook(L, budget_hook, LUA_MASKCOUNT,
                    budget > INT_MAX ? INT_MAX : (int)budget);
    status = lua_pcall(L, nargs, nresults, base);
    lua_sethook(L, NULL, 0, 0);
    lua_remove(L, base);
    if (status != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        if (status == LUA_ERRMEM || e->mem.refused) {
            lua_pop(L, 1);
            lua_pushfstring(L, "memory limit exceeded (%d MiB)",
                            (int)(e->mem.cap >> 20));
        } else if (msg && strstr(msg, "instruction budget exceeded")) {
            lua_pop(L, 1);
            lua_pushfstring(L, "instruction budget exceeded (%d instructions)",
                            (int)(budget > INT_MAX ? INT_MAX : budget));
        }
        /* Give back what the failed call allocated before going on. */
        lua_gc(L, LUA_GCCOLLECT);
    }
    e->mem.refused = 0;
    return status;
}

/* __index / __newindex of the sandbox: undeclared globals are errors. */
static int env_index(lua_State *L)
{
    return luaL_error(L, "undeclared global '%s'", luaL_tolstring(L, 2, NULL));
}

static int env_newindex(lua_State *L)
{
    return luaL_error(L, "assignment to undeclared global '%s' (use local)",
                      luaL_tolstring(L, 2, NULL));
}

/* host.compile(pattern, flags) for the prelude: true, or nil, message. */
static int host_compile(lua_State *L)
{
    ng_engine *e = ng__lua_engine(L);
    const char *pat = luaL_checkstring(L, 1);
    const char *flags = luaL_optstring(L, 2, "");
    char err[256];

    if (ng__regex_get(e->regex, pat, flags, err, sizeof err) == NULL) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* Copies the named fields of the table at `src` into the table at `dst`. */
static void copy_fields(lua_State *L, int src, int dst, const char *const *names)
{
    src = lua_absindex(L, src);
    dst = lua_absindex(L, dst);
    for (; *names; names++) {
        lua_getfield(L, src, *names);
        lua_setfield(L, dst, *names);
    }
}

/* Pushes a shallow copy of global library `lib`, minus `drop` (or NULL). */
static void push_lib_copy(lua_State *L, const char *lib, const char *drop)
{
    lua_newtable(L);
    lua_getglobal(L, lib);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (drop && lua_type(L, -2) == LUA_TSTRING
            && strcmp(lua_tostring(L, -2), drop) == 0) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_settable(L, -5);
    }
    lua_pop(L, 1);
}

/* Builds the sandbox environment from the prelude's table (on top of the
 * stack) and pushes it. */
static void build_env(lua_State *L)
{
    static const char *const base[] = {
        "assert", "error", "ipairs", "next", "pairs", "pcall", "select",
        "tonumber", "tostring", "type", "xpcall", "rawequal", "rawlen",
        "rawget", "rawset", "setmetatable", "getmetatable", "_VERSION", NULL
    };
    static const char *const dsl[] = { "rule", "thresholds", NULL };
    int api = lua_gettop(L);

    lua_newtable(L);
    lua_pushglobaltable(L);
    copy_fields(L, -1, -2, base);
    lua_pop(L, 1);
    copy_fields(L, api, -1, dsl);
    push_lib_copy(L, "string", "dump");
    lua_setfield(L, -2, "string");
    push_lib_copy(L, "table", NULL);
    lua_setfield(L, -2, "table");
    push_lib_copy(L, "math", NULL);
    lua_setfield(L, -2, "math");
    push_lib_copy(L, "utf8", NULL);
    lua_setfield(L, -2, "utf8");
    ng__lua_open_list(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, -2, "_G");

    lua_newtable(L);
    lua_pushcfunction(L, env_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, env_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "sandbox");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

/* Runs the embedded prelude; leaves its returned table on the stack. */
static int run_prelude(ng_engine *e)
{
    lua_State *L = e->L;
    const ng__script *s;

    for (s = ng__scripts; s->name; s++)
        if (strcmp(s->name, "prelude") == 0)
            break;
    if (s->name == NULL) {
        ng__engine_error(e, "prelude script missing from the build");
        return NG_EINTERNAL;
    }
    if (luaL_loadbufferx(L, s->text, s->len, s->chunkname, "t") != LUA_OK) {
        ng__engine_error(e, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
        return NG_EINTERNAL;
    }
    lua_newtable(L); /* host */
    lua_pushcfunction(L, host_compile);
    lua_setfield(L, -2, "compile");
    if (ng__sandbox_call(e, 1, 1, 0) != LUA_OK) {
        ng__engine_error(e, "prelude: %s", lua_tostring(L, -1));
        lua_pop(L, 1);
        return NG_EINTERNAL;
    }
    return NG_OK;
}

int ng__sandbox_open(ng_engine *e)
{
    static const luaL_Reg libs[] = {
        { LUA_GNAME, luaopen_base }, { LUA_STRLIBNAME, luaopen_string },
        { LUA_TABLIBNAME, luaopen_table }, { LUA_MATHLIBNAME, luaopen_math },
        { LUA_UTF8LIBNAME, luaopen_utf8 }, { LUA_DBLIBNAME, luaopen_debug },
        { NULL, NULL }
    };
    lua_State *L;
    int rc;

    e->mem.cap = e->opts.lua_memory_cap;
    L = lua_newstate(capped_alloc, &e->mem);
    if (L == NULL)
        return NG_ENOMEM;
    e->L = L;
    *(ng_engine **)lua_getextraspace(L) = e;
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    /* No io, os, package or coroutine is ever opened; the prelude keeps
     * the one debug function it needs and the library is then dropped. */
    rc = run_prelude(e);
    if (rc != NG_OK)
        return rc;
    lua_pushnil(L);
    lua_setglobal(L, LUA_DBLIBNAME);
    ng__lua_open_item(L);
    ng__lua_open_history(L);
    ng__lua_open_dup(L);
    build_env(L);
    e->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    e->api_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return NG_OK;
}

void ng__engine_error(ng_engine *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->errmsg, sizeof e->errmsg, fmt, ap);
    va_end(ap);
}
