/*
 * lua_item.h -- the `item` object that rules see, and the hooks other
 * modules use to add methods to it.
 *
 * The engine creates one userdata per check; it points at the C item and
 * the engine.  Methods are looked up in one shared table, so modules add
 * theirs once when the Lua state is created (ng__lua_item_methods).
 */
#ifndef NG_LUA_ITEM_H
#define NG_LUA_ITEM_H

#include <lua.h>
#include <lauxlib.h>
#include "newsgate.h"
#include "item.h"

/* Metatable name of the item userdata (luaL_testudata). */
#define NG__ITEM_MT "newsgate.item"

typedef struct ng__lua_item {
    ng_item *it;      /* NULL once the check is over */
    ng_engine *e;
} ng__lua_item;

/* 1 when the value at `idx` is an item userdata (live or retired). */
int ng__lua_isitem(lua_State *L, int idx);

/* Returns the item at stack index `idx`, raising a Lua error when it is
 * not an item or its check is over. */
ng_item *ng__lua_checkitem(lua_State *L, int idx);

/* Returns the engine that owns this Lua state. */
ng_engine *ng__lua_engine(lua_State *L);

/* Returns the store attached to the engine, or NULL. */
ng_store *ng__lua_store(lua_State *L);

/* Adds `methods` (NULL-terminated) to the item method table.  Called while
 * the state is set up; leaves the stack as it found it. */
void ng__lua_item_methods(lua_State *L, const luaL_Reg *methods);

/* Per-check cache of the item at stack index 1, in its user value:
 * ng__lua_item_cached pushes the value cached under `key` and returns 1,
 * or returns 0 leaving the stack as it was; ng__lua_item_cache caches
 * the value on top under `key` and leaves it there, a table replaced by
 * its read-only view (`nested`: 1 when it holds tables, 0 when flat). */
int ng__lua_item_cached(lua_State *L, const char *key);
void ng__lua_item_cache(lua_State *L, const char *key, int nested);

/* Pushes the item userdata for one check; ng__lua_item_retire marks it
 * dead once the check is over, so a rule that kept it gets an error
 * instead of a dangling pointer. */
void ng__lua_item_push(lua_State *L, ng_engine *e, ng_item *it);
void ng__lua_item_retire(lua_State *L, int idx);

/* Turns the `nres` values a check returned (starting at stack index
 * `first`) into `hit` (lua_result.c): nil/false no hit; true plus detail
 * strings; or a table {score=, detail=, span={s,e}, field=, action=}.
 * Returns 1 hit, 0 none, -1 for a malformed result (message in err). */
struct ng_verdict;
int ng__lua_result(lua_State *L, int first, int nres, struct ng_verdict *v,
                   ng_hit *hit, char *err, size_t errlen);

/* Method registrars of the modules, called by the engine on set-up. */
void ng__lua_open_item(lua_State *L);     /* lua_item.c: fields, text... */
void ng__lua_open_list(lua_State *L);     /* lua_list.c: list() loader */
void ng__lua_open_history(lua_State *L);  /* lua_history.c: item:history */
void ng__lua_open_dup(lua_State *L);      /* lua_dup.c: nearest, same_* */
void ng__lua_open_attrib(lua_State *L);   /* lua_attrib.c: quotes, credits,
                                             publishers */
void ng__lua_open_spam(lua_State *L);     /* lua_spam.c: spam_probability */
void ng__lua_open_words(lua_State *L);    /* lua_words.c: words_in */

void ng__lua_open_lines(lua_State *L);    /* lua_lines.c: lines, paragraphs */
/* Sets field "log" of the table on top of the stack (the sandbox
 * environment) to log(...) (lua_log.c). */
void ng__lua_open_log(lua_State *L);

#endif
