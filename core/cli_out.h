/*
 * cli_out.h -- printing what the command line did not write itself (rule
 * names from verdict lines or a store, the reports `stats` and `replay`
 * build): JSON lines on stdout with the hidden code points (C1 controls,
 * invisible direction and line controls) written as \uXXXX, as verdicts
 * and the queue's reports write them (json_out.h's ng__json_hide), and
 * names escaped for the terminal in text tables, so nothing newsgate
 * prints can reorder or hide text or drive the terminal.
 */
#ifndef NG_CLI_OUT_H
#define NG_CLI_OUT_H

#include <jansson.h>

/* Prints `j` (not taken; NULL: jansson ran out of memory) compactly and
 * a newline.  Returns 0, or -1 on no memory (nothing printed). */
int ng__cli_json_print(const json_t *j);

/* Prints the JSON text `json` (not taken) the same way. */
int ng__cli_json_print_text(const char *json);

/* Prints `s` (NULL: "?") escaped for the terminal (ng_text_escape),
 * padded with spaces to `width` characters, never cut (as printf's
 * "%-*s" would print it). */
void ng__cli_put_name(const char *s, int width);

#endif
