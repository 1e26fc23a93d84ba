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
#include <time.h>

#include <lauxlib.h>
#include <lualib.h>

#include "engine_impl.h"
#include "lua_item.h"
#include "scripts.h"

/* Instructions between two looks at the budget and the clock. */
#define HOOK_STEP 65536u

/* lua_Alloc that enforces mem->cap, counting the regex cache's bytes
 * (compiled patterns belong to the engine's memory as well). */
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
    /* The regex cache's size is asked only when the block grows (about
     * half of Lua's calls here are frees). */
    if (nsize > old && mem->used - old + nsize
        + (mem->regex ? ng__regex_cache_bytes(mem->regex) : 0) > mem->cap) {
        mem->refused = 1;
        return NULL;
    }
    p = realloc(ptr, nsize);
    if (p)
        mem->used = mem->used - old + nsize;
    return p;
}

uint64_t ng__now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Count hook, run every hook_step instructions: spends the budget and
 * looks at the clock.  Once either is spent every instruction raises, so
 * a rule cannot catch the error with pcall and keep going. */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
    ng_engine *e = ng__lua_engine(L);

    (void)ar;
    if (e->stop == NG__STOP_NONE) {
        e->budget_left -= e->hook_step;
        if (e->budget_left == 0)
            e->stop = NG__STOP_BUDGET;
        else if (e->deadline_us && ng__now_us() >= e->deadline_us)
            e->stop = NG__STOP_DEADLINE;
        else {
            if (e->budget_left < e->hook_step) {
                e->hook_step = (uint32_t)e->budget_left;
                lua_sethook(L, budget_hook, LUA_MASKCOUNT, (int)e->hook_step);
            }
            return;
        }
    }
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
    lua_pushstring(L, e->stop == NG__STOP_DEADLINE ? "deadline exceeded"
                                                   : "instruction budget exceeded");
    lua_error(L);
}

/* Message handler, as lua.c's: a string error gets a traceback of rule
 * code appended (kept short); other values are described. */
static int msghandler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)",
                              luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* Full collection, run protected (after a failed call). */
static int gc_door(lua_State *L)
{
    lua_gc(L, LUA_GCCOLLECT);
    return 0;
}

/* Arms the budget hook for `budget` instructions (0: none, only the
 * deadline, if any). */
static void arm(ng_engine *e, uint64_t budget)
{
    e->stop = NG__STOP_NONE;
    e->budget_left = budget ? budget : UINT64_MAX;
    e->hook_step = e->budget_left < HOOK_STEP ? (uint32_t)e->budget_left
                                              : HOOK_STEP;
    if (budget || e->deadline_us)
        lua_sethook(e->L, budget_hook, LUA_MASKCOUNT, (int)e->hook_step);
}

void ng__sandbox_rearm(ng_engine *e, uint64_t budget)
{
    e->mem->refused = 0;
    arm(e, budget);
}

/* Replaces the error on top with the engine's wording for a stop. */
static void explain(ng_engine *e, int status, uint64_t budget)
{
    lua_State *L = e->L;

    if (status == LUA_ERRMEM || e->mem->refused) {
        lua_pop(L, 1);
        lua_pushfstring(L, "memory limit exceeded (%d MiB)",
                        (int)(e->mem->cap >> 20));
    } else if (e->stop == NG__STOP_BUDGET) {
        lua_pop(L, 1);
        lua_pushfstring(L, "instruction budget exceeded (%d instructions)",
                        (int)(budget > INT_MAX ? INT_MAX : budget));
    } else if (e->stop == NG__STOP_DEADLINE) {
        lua_pop(L, 1);
        lua_pushfstring(L, "deadline exceeded (%d ms)",
                        (int)e->opts.check_deadline_ms);
    } else {
        /* Keep the first line: tracebacks are for the traceback key. */
        const char *msg = lua_tostring(L, -1), *nl;
        if (msg && (nl = strstr(msg, "\nstack traceback:")) != NULL) {
            lua_pushlstring(L, msg, (size_t)(nl - msg));
            lua_replace(L, -2);
        }
    }
}

int ng__sandbox_call(ng_engine *e, int nargs, int nresults, uint64_t budget)
{
    lua_State *L = e->L;
    int base = lua_gettop(L) - nargs;
    int status;

    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    e->mem->refused = 0;
    arm(e, budget);
    status = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    if (status != LUA_OK) {
        explain(e, status, budget);
        /* Give back what the failed call allocated before going on; the
         * collection runs protected and still under the hook. */
        arm(e, budget ? budget : HOOK_STEP);
        lua_pushcfunction(L, gc_door);
        if (lua_pcall(L, 0, 0, 0) != LUA_OK)
            lua_pop(L, 1);
    }
    lua_sethook(L, NULL, 0, 0);
    e->mem->refused = 0;
    e->stop = NG__STOP_NONE;
    return status;
}

/* __index / __newindex of the sandbox: undeclared globals are errors. */
static int env_index(lua_State *L)
{
    return luaL_error(L, "undeclared global '%s'", luaL_tolstring(L, 2, NULL));
}

static int env_newindex(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TNIL)
        return luaL_error(L, "assignment to global '%s' (the sandbox is "
                          "read-only)", luaL_tolstring(L, 2, NULL));
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

/* Pushes a read-only view of a copy of library `lib` (minus `drop`). */
static void push_lib_view(lua_State *L, const char *lib, const char *drop)
{
    push_lib_copy(L, lib, drop);
    ng__lua_ro_push(L, -1);
    lua_remove(L, -2);
}

/* Gives strings a metatable rules cannot reach through: getmetatable("")
 * returns the string "string", and __index is the sandbox's copy of the
 * string library (with bounded pattern functions).  The copy itself is
 * reachable only through that protected metatable (rules get a read-only
 * view of it as `string`), so method calls on strings take the VM's fast
 * path.  `lib` is the copy. */
static void guard_string_meta(lua_State *L, int lib)
{
    lib = lua_absindex(L, lib);
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushvalue(L, lib);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "string");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
}

/* Builds the sandbox environment from the prelude's table (on top of the
 * stack) and pushes it.  The environment is an empty, read-only proxy:
 * reads go to a private table of the whitelisted names (whose own
 * metatable raises on an undeclared name), writes always raise, and the
 * guarded rawset refuses it, so no rule can keep state in it or replace
 * what another rule sees. */
static void build_env(lua_State *L)
{
    static const char *const base[] = {
        "assert", "error", "ipairs", "next", "pairs", "pcall", "select",
        "tonumber", "tostring", "type", "xpcall", "rawequal", "rawlen",
        "rawget", "getmetatable", "_VERSION", NULL
    };
    static const char *const dsl[] = { "rule", "thresholds", "case", NULL };
    int api = lua_gettop(L), contents;

    lua_newtable(L); /* the proxy, returned */
    lua_newtable(L); /* its contents */
    contents = lua_gettop(L);
    lua_pushglobaltable(L);
    copy_fields(L, -1, contents, base);
    lua_pop(L, 1);
    ng__lua_ro_guards(L);
    copy_fields(L, api, contents, dsl);
    push_lib_copy(L, "string", "dump");
    ng__lua_strpat_open(L);
    guard_string_meta(L, -1);
    ng__lua_ro_push(L, -1);
    lua_remove(L, -2);
    lua_setfield(L, contents, "string");
    push_lib_view(L, "table", NULL);
    lua_setfield(L, contents, "table");
    push_lib_view(L, "math", NULL);
    lua_setfield(L, contents, "math");
    push_lib_view(L, "utf8", NULL);
    lua_setfield(L, contents, "utf8");
    ng__lua_open_list(L);
    ng__lua_open_log(L);
    lua_pushvalue(L, contents - 1);
    lua_setfield(L, contents, "_G");
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, env_index);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, contents);

    lua_createtable(L, 0, 3);
    lua_pushvalue(L, contents);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, env_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "sandbox");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, contents - 1);
    lua_pop(L, 1);
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

/* Opens the whitelisted libraries (run protected). */
static int open_door(lua_State *L)
{
    static const luaL_Reg libs[] = {
        { LUA_GNAME, luaopen_base }, { LUA_STRLIBNAME, luaopen_string },
        { LUA_TABLIBNAME, luaopen_table }, { LUA_MATHLIBNAME, luaopen_math },
        { LUA_UTF8LIBNAME, luaopen_utf8 }, { LUA_DBLIBNAME, luaopen_debug },
        { NULL, NULL }
    };
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    return 0;
}

/* Registers the bindings and builds the sandbox (run protected, with the
 * prelude's table as argument).  Returns the table and the sandbox. */
static int bind_door(lua_State *L)
{
    lua_pushnil(L);
    lua_setglobal(L, LUA_DBLIBNAME);
    ng__lua_open_item(L);
    ng__lua_open_history(L);
    ng__lua_open_dup(L);
    ng__lua_open_attrib(L);
    ng__lua_open_spam(L);
    ng__lua_open_words(L);

    ng__lua_open_lines(L);
    build_env(L);
    return 2;
}

/* Runs a setup door; returns NG_OK or NG_EINTERNAL/NG_ENOMEM. */
static int setup_call(ng_engine *e, lua_CFunction door, int nargs,
                      int nresults)
{
    lua_pushcfunction(e->L, door);
    if (nargs)
        lua_insert(e->L, -1 - nargs);
    if (ng__sandbox_call(e, nargs, nresults, 0) != LUA_OK) {
        ng__engine_error(e, "setting up the rule engine: %s",
                         lua_tostring(e->L, -1));
        lua_pop(e->L, 1);
        return NG_EINTERNAL;
    }
    return NG_OK;
}

int ng__sandbox_open(ng_engine *e)
{
    lua_State *L;
    int rc;

    e->L = NULL;
    if ((e->mem = calloc(1, sizeof *e->mem)) == NULL)
        return NG_ENOMEM;
    e->mem->cap = e->opts.lua_memory_cap;
    e->mem->regex = e->regex;
    L = lua_newstate(capped_alloc, e->mem);
    if (L == NULL) {
        free(e->mem);
        e->mem = NULL;
        return NG_ENOMEM;
    }
    e->L = L;
    *(ng_engine **)lua_getextraspace(L) = e;
    /* No io, os, package or coroutine is ever opened; the prelude keeps
     * the one debug function it needs and the library is then dropped. */
    if ((rc = setup_call(e, open_door, 0, 0)) != NG_OK
        || (rc = run_prelude(e)) != NG_OK
        || (rc = setup_call(e, bind_door, 1, 2)) != NG_OK)
        return rc;
    e->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    e->api_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return NG_OK;
}

void ng__sandbox_close(lua_State *L, ng__lua_mem *mem)
{
    if (L)
        lua_close(L);
    free(mem);
}

void ng__engine_error(ng_engine *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->errmsg, sizeof e->errmsg, fmt, ap);
    va_end(ap);
}
