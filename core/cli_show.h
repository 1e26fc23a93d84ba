/*
 * cli_show.h -- the text form of `newsgate queue show`.
 */
#ifndef NG_CLI_SHOW_H
#define NG_CLI_SHOW_H

#include <jansson.h>
#include "newsgate.h"

/* Prints the item `o` (ng_queue_show's JSON, parsed) for a moderator:
 * status and why, fields, hits, the body with hit spans marked, the audit
 * trail, and for a duplicate the earlier item (read from `s`) with a
 * word-level diff.  Everything from the item or the rules is escaped;
 * `color` adds ANSI colours.  Returns 0, or EXIT_INTERNAL on no memory. */
int ng__cli_show_text(ng_store *s, json_t *o, int color);

#endif
