/*
 * cli_out.c -- JSON lines and table names the command line prints from
 * data it does not control (see cli_out.h).  jansson writes the hidden
 * code points raw; the library's JSON escaper (json_out.c) rewrites them
 * after the dump.  Uses the public header and json_out.h only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_out.h"
#include "json_out.h"
#include "newsgate.h"

/* Prints `json` (malloc'd, taken) after escaping; -1 when NULL. */
static int print_owned(char *json)
{
    if ((json = ng__json_hide(json)) == NULL)
        return -1;
    fputs(json, stdout);
    fputc('\n', stdout);
    free(json);
    return 0;
}

int ng__cli_json_print(const json_t *j)
{
    return print_owned(j ? json_dumps(j, JSON_COMPACT) : NULL);
}

int ng__cli_json_print_text(const char *json)
{
    return print_owned(json ? strdup(json) : NULL);
}

void ng__cli_put_name(const char *s, int width)
{
    char *e;
    int cols = 0;

    if (s == NULL)
        s = "?";
    if ((e = ng_text_escape(s, strlen(s), 0)) == NULL)
        return;
    fputs(e, stdout);
    for (const char *p = e; *p; p++)
        cols += (*p & 0xC0) != 0x80;    /* characters, not bytes */
    while (cols++ < width)
        fputc(' ', stdout);
    ng_free(e);
}
