/*
 * registry.c -- the storage backends this build knows, and the choice of
 * one from the path or URL given to ng_store_open.  A URL with a scheme
 * names its backend; anything else is a file path for SQLite.  Adding a
 * backend is one entry here plus its operations table (store.h).
 */
#include <string.h>
#include "store.h"

static int has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static int pg_accepts(const char *path)
{
    return has_prefix(path, "postgresql://") || has_prefix(path, "postgres://");
}

static int sqlite_accepts(const char *path)
{
    return path && *path;
}

static const ng__store_backend backends[] = {
    { "postgresql", pg_accepts, ng__pg_open },
    { "sqlite", sqlite_accepts, ng__sqlite_open },   /* the fallback */
};

const ng__store_backend *ng__store_backend_for(const char *path)
{
    for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++)
        if (backends[i].accepts(path))
            return &backends[i];
    return NULL;
}
