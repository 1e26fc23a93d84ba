/*
 * rulescan.h -- reads a rules directory the way a rule writer's tools
 * need it: every problem at once (not only the first, as loading does),
 * each rule with its `file:line`, and the test cases written beside the
 * rules.  Used by `newsgate lint` and `newsgate test`; the scanning logic
 * is scripts/scan.lua, run in an engine's sandbox by rulescan.c.
 *
 * Convention: functions return NG_OK or an NG_E* code; strings in a scan
 * are owned by the scan and freed with it.
 */
#ifndef NG_RULESCAN_H
#define NG_RULESCAN_H

#include <stddef.h>

/* An item submitted to a case's store before the case's item is checked,
 * and the moderator decision applied to it ("approve", "reject" or
 * NULL for none). */
typedef struct ng__scan_earlier {
    char *json;         /* the item as JSON text, NULL if it was invalid */
    char *decision;
    char *publisher;    /* set: register it as this publisher's reference
                           source instead of submitting it */
    char *domain;       /* the source's domain, or NULL */
} ng__scan_earlier;

/* Something the case's learner is trained on before its item is checked
 * (`learned = { spam = ..., ham = ... }`): an inline item or a fixture
 * file of items. */
typedef struct ng__scan_learned {
    char *json;         /* the item as JSON text, or NULL */
    char *file;         /* fixture path relative to the rules dir, or NULL */
    int spam;           /* 1 spam, 0 ham */
} ng__scan_learned;

/* One `case { ... }` of a rule file. */
typedef struct ng__scan_case {
    char *where;        /* "file:line" of the case */
    char *name;         /* its name, or where */
    char *item_json;    /* the inline item as JSON text, or NULL */
    char *file;         /* fixture path relative to the rules dir, or NULL */
    char *action;       /* expected action, or NULL */
    char *error;        /* what is wrong with the case itself, or NULL */
    char **hits, **misses;
    size_t nhits, nmisses;
    ng__scan_earlier *earlier;
    size_t nearlier;
    ng__scan_learned *learned;  /* spam entries first, in order */
    size_t nlearned;
} ng__scan_case;

typedef struct ng__scan_rule {
    char *name;
    char *where;
} ng__scan_rule;

typedef struct ng__scan {
    char **problems;    /* "file:line: message", in file and line order */
    size_t nproblems;
    ng__scan_rule *rules;  /* each valid, distinct rule name once */
    size_t nrules;
    ng__scan_case *cases;
    size_t ncases;
} ng__scan;

/* Scans every *.lua file of `dir` (byte order of names) with the sandbox's
 * limits.  Returns NG_OK with *out set (problems are data, not failure),
 * or NG_ENOMEM / NG_EINTERNAL with *out NULL and a message in `err`. */
int ng__rules_scan(const char *dir, ng__scan **out, char *err, size_t errlen);

/* "file:line" of the rule named `name`, or NULL. */
const char *ng__scan_rule_where(const ng__scan *s, const char *name);

void ng__scan_free(ng__scan *s);

#endif
