/*
 * lua_log.c -- `log(...)` in the sandbox: a rule writes what it sees
 * while it runs, and the lines go into the verdict's "debug" list under
 * `check --debug` (the engine's debug option), each with the rule's name.
 * Without the option, or outside a check (while rule files load), log
 * does nothing, so leaving calls in a rule set costs almost nothing.
 *
 * Arguments are turned into text as tostring does and joined with
 * spaces.  A line is cut at MAX_LINE bytes and a check keeps at most
 * MAX_LINES lines, so a log call in a loop cannot flood the verdict.
 */
#include <string.h>

#include "engine.h"
#include "lua_item.h"
#include "verdict.h"

#define MAX_LINE 1000
#define MAX_LINES 100

static int sandbox_log(lua_State *L)
{
    ng_engine *e = ng__lua_engine(L);
    ng_verdict *v;
    const char *rule, *line;
    int n = lua_gettop(L);
    luaL_Buffer b;
    size_t len;

    if (!ng__engine_debug(e, &v, &rule) || v->ndebug >= MAX_LINES)
        return 0;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, ' ');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    line = lua_tolstring(L, -1, &len);
    if (len > MAX_LINE)
        line = lua_pushfstring(L, "%s...", lua_pushlstring(L, line, MAX_LINE));
    if (ng__verdict_add_debug(v, rule, line) < 0)
        return luaL_error(L, "not enough memory");
    return 0;
}

void ng__lua_open_log(lua_State *L)
{
    lua_pushcfunction(L, sandbox_log);
    lua_setfield(L, -2, "log");
}
