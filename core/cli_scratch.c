/*
 * cli_scratch.c -- throwaway stores and items from JSON text (see
 * cli_scratch.h).  Scratch stores are opened without fsync: they live for
 * one test case or one lint run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_scratch.h"

int ng__scratch_open(ng__scratch *sc)
{
    const char *base = getenv("TMPDIR");

    snprintf(sc->dir, sizeof sc->dir, "%s/newsgate-XXXXXX",
             base && *base && strlen(base) < 40 ? base : "/tmp");
    snprintf(sc->db, sizeof sc->db, "%s", "");
    if (mkdtemp(sc->dir) == NULL)
        return -1;
    snprintf(sc->db, sizeof sc->db, "%s/scratch.db", sc->dir);
    return 0;
}

static void remove_db(const ng__scratch *sc)
{
    static const char *const tails[] = { "", "-wal", "-shm", "-journal" };
    char path[128];

    for (size_t i = 0; sc->db[0] && i < sizeof tails / sizeof tails[0]; i++) {
        snprintf(path, sizeof path, "%s%s", sc->db, tails[i]);
        unlink(path);
    }
}

int ng__scratch_store(ng__scratch *sc, ng_store **s, char *err,
                      size_t errlen)
{
    remove_db(sc);
    return ng_store_open(s, sc->db, NG_STORE_NOSYNC, err, errlen);
}

void ng__scratch_close(ng__scratch *sc)
{
    remove_db(sc);
    if (sc->dir[0])
        rmdir(sc->dir);
    sc->dir[0] = sc->db[0] = '\0';
}

ng_item *ng__scratch_item(const char *name, const char *json, char *err,
                          size_t errlen)
{
    ng_reader *r;
    ng_item *it = NULL;
    int rc;

    if (ng_reader_open(&r, name, json, strlen(json), NG_FORMAT_JSON,
                       NULL) != NG_OK) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    rc = ng_reader_next(r, &it);
    if (rc != NG_OK)
        snprintf(err, errlen, "%s", rc == NG_DONE ? "no item" : ng_reader_errmsg(r));
    ng_reader_close(r);
    return it;
}
