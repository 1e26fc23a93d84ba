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
#include "engine.h"

/* One loaded rule. */
typedef struct ng__rule {
    char *name, *group, *description, *where;
    double score;
    int shadow;                /* mode = "shadow" */
    int forced;                /* -1, or the ng_action it forces */
    int clean;                 /* phase = "clean": runs before the rest */
    int furniture;             /* a pattern's body match is furniture */
    int nobrake;               /* brake = false: never switched to shadow */
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

/* Memory accounting for the Lua allocator (one per Lua state). */
typedef struct ng__lua_mem {
    size_t used, cap;
    int refused;      /* set when an allocation was refused */
    ng__regex_cache *regex; /* its bytes count against cap */
} ng__lua_mem;

/* Why the running call was stopped by the hook. */
enum { NG__STOP_NONE, NG__STOP_BUDGET, NG__STOP_DEADLINE };

struct ng_engine {
    lua_State *L;
    ng__lua_mem *mem;           /* allocator state of L */
    ng_engine_options opts;     /* defaults filled in */
    ng__regex_cache *regex;
    ng__rule_set set;           /* rules in force */
    const char *loading_dir;    /* directory being loaded, or NULL */
    void *loading_hash;         /* XXH3 state of the set being loaded */
    ng_store *store;            /* borrowed */
    char **braked;              /* rules the brake switched to shadow */
    size_t nbraked, capbraked;
    struct ng__brake *brake;    /* the brake's windows (ng_submit) */
    ng_verdict *cur_v;          /* while a rule runs: its verdict ... */
    const char *cur_rule;       /* ... and its name (for log) */
    int api_ref;                /* registry ref of the prelude's table */
    int env_ref;                /* registry ref of the sandbox env */
    uint64_t deadline_us;       /* of the running check, 0: none */
    uint64_t budget_left;       /* instructions left in the running call */
    uint32_t hook_step;         /* instructions between hook calls */
    int stop;                   /* NG__STOP_* of the running call */
    uint64_t store_uses;        /* rules' look-ups in the store so far
                                   (ng__lua_store counts them) */
    ng__engine_pack pack;       /* stored forms made ahead (store_api.c) */
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

/* Inside a protected call: starts a fresh budget (0: none) for the next
 * piece of work, as ng__sandbox_call does at its start, so one call can
 * run several rules each under its own budget and deadline. */
void ng__sandbox_rearm(ng_engine *e, uint64_t budget);

/* Closes a Lua state made by ng__sandbox_open and frees its allocator
 * state.  Either may be NULL. */
void ng__sandbox_close(lua_State *L, ng__lua_mem *mem);

/* Monotonic clock in microseconds. */
uint64_t ng__now_us(void);

/* Maps "accept", "review" or "reject" to its ng_action; returns -1 for
 * NULL or any other text.  The one place actions are parsed (engine.c). */
int ng__action_parse(const char *s);

/* lua_ro.c: read-only views.  ng__lua_ro_push pushes a read-only view of
 * the table at idx (nested tables are handed out as views too);
 * ng__lua_ro_push_as does the same when the caller knows whether the
 * table holds tables (`nested` 1 or 0; -1: look); ng__lua_ro_wrap
 * replaces a table on top of the stack by its view (other values are
 * left alone; `nested` as for ng__lua_ro_push_as); ng__lua_ro_guards
 * sets the guarded rawset (refusing protected tables) and setmetatable
 * (refusing __gc) in the table on top. */
void ng__lua_ro_push(lua_State *L, int idx);
void ng__lua_ro_push_as(lua_State *L, int idx, int nested);
void ng__lua_ro_wrap(lua_State *L, int nested);
void ng__lua_ro_guards(lua_State *L);

/* lua_strpat.c: sets bounded find, match, gmatch and gsub in the table
 * on top of the stack (a copy of the string library). */
void ng__lua_strpat_open(lua_State *L);

/* engine_replay.c: 1 when `old` (a verdict of this rule set, made by
 * any engine) can be re-checked by replaying the runs that did not read
 * the store (ng__engine_recheck), 0 when every rule must run again. */
int ng__replay_usable(const ng_engine *e, const ng_verdict *old);

/* rules.c */
void ng__rule_set_free(lua_State *L, ng__rule_set *set);

/* ng__engine_error (e->errmsg from a format) is declared in engine.h. */

#endif
