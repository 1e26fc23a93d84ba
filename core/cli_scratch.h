/*
 * cli_scratch.h -- throwaway stores and items made from JSON text, for
 * the rule writer's commands (test, lint) that check items against a
 * store set up for the occasion.  Errors are returned, not printed.
 */
#ifndef NG_CLI_SCRATCH_H
#define NG_CLI_SCRATCH_H

#include <stddef.h>
#include "newsgate.h"

/* A temporary directory holding one scratch database at a time. */
typedef struct ng__scratch {
    char dir[64];
    char db[96];
} ng__scratch;

/* Makes the temporary directory (under $TMPDIR, else /tmp).  Returns 0,
 * or -1 with errno set. */
int ng__scratch_open(ng__scratch *sc);

/* Opens a fresh, empty store in the directory (removing the previous
 * one; close that first).  Returns NG_OK, or an NG_E* code with *s NULL
 * and the reason in err. */
int ng__scratch_store(ng__scratch *sc, ng_store **s, char *err,
                      size_t errlen);

/* Removes the database and the directory. */
void ng__scratch_close(ng__scratch *sc);

/* Reads the one item of the JSON text `json` (named `name` in messages).
 * Returns the item, or NULL with the reader's message in err. */
ng_item *ng__scratch_item(const char *name, const char *json, char *err,
                          size_t errlen);

#endif
