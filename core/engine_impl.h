/*
 * engine_impl.h -- the engine's private state, shared by the files that
 * make up the engine: engine.c (life cycle, check loop), rules.c (loading
 * rule sets), sandbox.c (the Lua state and its limits) and lua_item.c.
 */
#ifndef NG_ENGINE_IMPL_H
#define NG_ENGINE_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <lua.h>
#include "newsgate.h"
#include "regex.h"

/* One loaded rule. */
typedef struct ng__rule {
    char *name, *group, *description, *where;
    double score;
    int shadow;                /* mode = "shadow" */
    int forced;                /* -1, or the ng_action it forces */
    int check_ref;             /* registry ref of check(), or LUA_NOREF */
    ng__regex *re;             /* compiled pattern, or NULL */
    char *pattern;             /* pattern text, for messages */
    char **fields;             /* fields a pattern is matched against */
    size_t nfields;
} ng__rule;

typedef struct ng__rule_set {
    ng__rule *rules;
    size_t n;
    double review, reject;
    char hash[17];
    char *dir;
} ng__rule_set;

/* Memory accounting for the Lua allocator. */
typedef struct ng__lua_mem {
    size_t used, cap;
    int refused;      /* set when an allocation was refused */
} ng__lua_mem;

struct ng_engine {
    lua_State *L;
    ng__lua_mem mem;
    ng_engine_options opts;     /* defaults filled in */
    ng__regex_cache *regex;
    ng__rule_set set;           /* rules in force */
    const char *loading_dir;    /* directory being loaded, or NULL */
    void *loading_hash;         /* XXH3 state of the set being loaded */
    ng_store *store;            /* borrowed */
    int api_ref;                /* registry ref of the prelude's table */
    int env_ref;                /* registry ref of the sandbox env */
    char errmsg[1024];
};

/* sandbox.c */

/* Creates the engine's Lua state with the capped allocator, runs the
 * prelude and builds the sandbox environment.  Returns NG_OK, NG_ENOMEM or
 * NG_EINTERNAL with the reason in e->errmsg. */
int ng__sandbox_open(ng_engine *e);

/* Calls the function below `nargs` arguments on top of the stack in
 * protected mode with a traceback handler and an instruction budget of
 * `budget` (0: none).  Returns the lua_pcall status; on error the message
 * is left on the stack (as for lua_pcall) and is rewritten for budget and
 * memory failures to "instruction budget exceeded" and "memory limit
 * exceeded". */
int ng__sandbox_call(ng_engine *e, int nargs, int nresults, uint64_t budget);

/* rules.c */
void ng__rule_set_free(lua_State *L, ng__rule_set *set);

/* Sets e->errmsg from a format (never NULL-terminated output). */
void ng__engine_error(ng_engine *e, const char *fmt, ...);

#endif
