/*
 * ui_files.h -- the moderator console's static files (ui/), compiled into
 * the library by ui/embed.sh and served at /ui/ by core/server_ui.c.
 */
#ifndef NG_UI_FILES_H
#define NG_UI_FILES_H

#include <stddef.h>

typedef struct ng__ui_file {
    const char *path;      /* "/ui/app.js" */
    const char *type;      /* Content-Type */
    const char *data;
    size_t len;
} ng__ui_file;

/* Terminated by an entry whose path is NULL. */
extern const ng__ui_file ng__ui_files[];

#endif
