/*
 * scripts.h -- the Lua scripts of scripts/, compiled into the library by
 * scripts/embed.sh so an embedding program needs no files at run time.
 */
#ifndef NG_SCRIPTS_H
#define NG_SCRIPTS_H

#include <stddef.h>

typedef struct ng__script {
    const char *name;      /* "prelude" for scripts/prelude.lua */
    const char *chunkname; /* "@scripts/prelude.lua", for messages */
    const char *text;
    size_t len;
} ng__script;

/* Terminated by an entry whose name is NULL. */
extern const ng__script ng__scripts[];

#endif
