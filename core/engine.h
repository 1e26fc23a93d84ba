/*
 * engine.h -- private accessors on an engine for the modules that serve
 * rules (Lua bindings, lists, duplicates, history).
 */
#ifndef NG_ENGINE_H
#define NG_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "newsgate.h"
#include "regex.h"

/* The engine's pattern cache (never NULL for an open engine). */
ng__regex_cache *ng__engine_regex(ng_engine *e);

/* The directory whose rules are being loaded or were loaded last, or
 * NULL.  List files named by rules are relative to it. */
const char *ng__engine_rules_dir(const ng_engine *e);

/* The store attached with ng_engine_use_store, or NULL. */
ng_store *ng__engine_store(ng_engine *e);

/* While rules load, mixes `data` into the rule set's hash (so a list file
 * a rule reads changes the hash like a rule file does); otherwise does
 * nothing. */
void ng__engine_hash_input(ng_engine *e, const void *data, size_t len);

/* While a rule runs with the engine's debug option on: 1, with the
 * verdict being made and the rule's name; otherwise 0 (log() is then a
 * no-op). */
int ng__engine_debug(ng_engine *e, ng_verdict **v, const char **rule);

/* The emergency brake (engine_brake.c).  ng__engine_brakes_load makes
 * the engine's braked rules those the store lists; ng__engine_braked
 * says whether a rule is one; ng__engine_brake_observe feeds a filed
 * verdict's enforcing runs to the brake's windows and, when a rule trips,
 * records it in the store (inside the caller's transaction) with an audit
 * entry on item `id`, and brakes it in the engine.  NG_OK or an error. */
int ng__engine_brakes_load(ng_engine *e, ng_store *s);
int ng__engine_braked(const ng_engine *e, const char *rule);
int ng__engine_brake_observe(ng_engine *e, ng_store *s, const ng_verdict *v,
                             int64_t id);
void ng__engine_brakes_free(ng_engine *e);

/* Checks `it` again after a first check gave `old` (with another engine
 * of the same rules, against another view of the store): re-runs only
 * the rules whose first run read the store and replays the others'
 * results from `old` (*partial 1), or runs every rule when the rule set
 * differs or replaying is not sound (*partial 0; engine_replay.c says
 * when).  `old` may be NULL (a plain check).  Returns as ng_check. */
int ng__engine_recheck(ng_engine *e, ng_item *it, const ng_verdict *old,
                       ng_verdict **out, int *partial);

/* Sets the engine's message (ng_engine_errmsg) from a format; output is
 * always NUL-terminated. */
void ng__engine_error(ng_engine *e, const char *fmt, ...);

/* Where ng_submit_check leaves texts in a store's stored form
 * (store_api.c): the backend operations of the store its items will be
 * filed into (set by ng_engine_files_into, else those of the attached
 * store) and a packer of theirs, made on first use and freed with the
 * engine. */
typedef struct ng__engine_pack {
    const struct ng__store_ops *ops;    /* NULL: none given */
    const struct ng__store_ops *made;   /* the ops that made `packer` */
    void *packer;
} ng__engine_pack;
ng__engine_pack *ng__engine_pack_of(ng_engine *e);

/* The engine's input limits (defaults filled in). */
const ng_limits *ng__engine_limits(const ng_engine *e);

#endif
