/*
 * floorwrite.c -- the plain-SQLite floor of `submit`: writes the rows a
 * submit run stored (every table that has an item key: items and each
 * table whose rows hang off an item) into a fresh database with the same
 * schema and the same durability (WAL, synchronous = FULL), one INSERT a
 * row, 256 items a transaction, and prints items/s (wall clock) and the
 * CPU time of the writes.  Nothing is checked,
 * fingerprinted or serialised: what is left is what SQLite itself costs.
 * The benchmark compares `submit` with it in the same run.
 *
 *   floorwrite SRC_DB DST_DB     (DST_DB must not exist)
 *
 * The destination is created by ng_store_open, so schema, page size and
 * connection settings are the store's own; then it is written through
 * SQLite directly.  A benchmark tool, not the library: it is the one place
 * outside store/ that includes sqlite3.h, because measuring plain SQLite
 * is its purpose.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "newsgate.h"

#define BATCH 256
#define MAXT 16

/* One table's rows in item order, and its INSERT. */
typedef struct table {
    char name[64], key[64];
    int ncols, keycol;        /* keycol: where the key is among them */
    sqlite3_value **vals;     /* nrows * ncols */
    long nrows, next;
    sqlite3_stmt *ins;
} table;

/* Seconds on `clock` (wall: CLOCK_MONOTONIC; this process's CPU:
 * CLOCK_PROCESS_CPUTIME_ID, which a loaded machine disturbs less). */
static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "floorwrite: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

/* The stored (not generated) columns of t.name as "a, b, c" and "?, ?". */
static void columns(sqlite3 *db, table *t, char *cols, char *qs, size_t n)
{
    sqlite3_stmt *st;
    char sql[160];

    snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_xinfo('%s')"
             " WHERE hidden = 0 ORDER BY cid", t->name);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(db, "table_xinfo");
    cols[0] = qs[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t c = strlen(cols), q = strlen(qs);
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (strcmp(name, t->key) == 0)
            t->keycol = t->ncols;
        snprintf(cols + c, n - c, "%s%s", t->ncols ? ", " : "", name);
        snprintf(qs + q, n - q, "%s?", t->ncols ? ", " : "");
        t->ncols++;
    }
    sqlite3_finalize(st);
}

/* Reads every row of t, ordered by its item key, into memory. */
static void load(sqlite3 *src, table *t, char *cols, size_t n)
{
    char qs[1024], sql[2048];
    sqlite3_stmt *st;
    long cap = 1024;

    columns(src, t, cols, qs, n);
    snprintf(sql, sizeof sql, "SELECT %s FROM %s ORDER BY %s", cols, t->name,
             t->key);
    if (sqlite3_prepare_v2(src, sql, -1, &st, NULL) != SQLITE_OK)
        die(src, sql);
    t->vals = malloc((size_t)cap * (size_t)t->ncols * sizeof *t->vals);
    while (t->vals && sqlite3_step(st) == SQLITE_ROW) {
        if (t->nrows == cap) {
            cap *= 2;
            t->vals = realloc(t->vals, (size_t)cap * (size_t)t->ncols
                                       * sizeof *t->vals);
            if (!t->vals)
                break;
        }
        for (int c = 0; c < t->ncols; c++)
            t->vals[t->nrows * t->ncols + c] =
                sqlite3_value_dup(sqlite3_column_value(st, c));
        t->nrows++;
    }
    if (!t->vals)
        die(src, "out of memory");
    sqlite3_finalize(st);
    snprintf(cols + strlen(cols), n - strlen(cols), ") VALUES (%s)", qs);
}

/* Tables with an item key: items (id) and those with an item_id. */
static int find_tables(sqlite3 *src, table *t)
{
    sqlite3_stmt *st;
    int n = 0;

    if (sqlite3_prepare_v2(src, "SELECT m.name, p.name FROM sqlite_schema m"
            " JOIN pragma_table_info(m.name) p"
            " WHERE m.type = 'table' AND ((m.name = 'items' AND p.name = 'id')"
            " OR p.name = 'item_id') ORDER BY m.name <> 'items', m.name",
            -1, &st, NULL) != SQLITE_OK)
        die(src, "schema");
    while (n < MAXT && sqlite3_step(st) == SQLITE_ROW) {
        snprintf(t[n].name, sizeof t[n].name, "%s", sqlite3_column_text(st, 0));
        snprintf(t[n].key, sizeof t[n].key, "%s", sqlite3_column_text(st, 1));
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

/* Inserts the rows of t whose key is `id` (rows are in key order). */
static void put_rows(sqlite3 *db, table *t, sqlite3_int64 id)
{
    while (t->next < t->nrows
           && sqlite3_value_int64(t->vals[t->next * t->ncols + t->keycol])
              <= id) {
        for (int c = 0; c < t->ncols; c++)
            sqlite3_bind_value(t->ins, c + 1,
                               t->vals[t->next * t->ncols + c]);
        if (sqlite3_step(t->ins) != SQLITE_DONE)
            die(db, t->name);
        sqlite3_reset(t->ins);
        t->next++;
    }
}

int main(int argc, char **argv)
{
    table t[MAXT] = { 0 };
    char cols[MAXT][2048], err[512];
    sqlite3 *src, *dst;
    ng_store *s;

    if (argc != 3) {
        fputs("usage: floorwrite SRC_DB DST_DB\n", stderr);
        return 64;
    }
    if (ng_store_open(&s, argv[2], 0, err, sizeof err) != NG_OK) {
        fprintf(stderr, "floorwrite: %s\n", err);
        return 1;
    }
    ng_store_close(s);
    if (sqlite3_open_v2(argv[1], &src, SQLITE_OPEN_READONLY, NULL)
        != SQLITE_OK)
        die(src, argv[1]);
    int nt = find_tables(src, t);
    for (int i = 0; i < nt; i++) {
        char sel[2048];
        load(src, &t[i], sel, sizeof sel);
        snprintf(cols[i], sizeof cols[i], "INSERT INTO %s (%s", t[i].name,
                 sel);
    }
    sqlite3_close(src);

    if (sqlite3_open(argv[2], &dst) != SQLITE_OK
        || sqlite3_exec(dst, "PRAGMA journal_mode = WAL;"
                        "PRAGMA synchronous = FULL;"
                        "PRAGMA foreign_keys = ON;"
                        "PRAGMA wal_autocheckpoint = 4096", NULL, NULL,
                        NULL) != SQLITE_OK)
        die(dst, argv[2]);
    for (int i = 0; i < nt; i++)
        if (sqlite3_prepare_v2(dst, cols[i], -1, &t[i].ins, NULL)
            != SQLITE_OK)
            die(dst, cols[i]);

    double start = now(CLOCK_MONOTONIC), cpu = now(CLOCK_PROCESS_CPUTIME_ID);
    long items = t[0].nrows;
    for (long i = 0; i < items;) {
        if (sqlite3_exec(dst, "BEGIN IMMEDIATE", NULL, NULL, NULL)
            != SQLITE_OK)
            die(dst, "begin");
        for (long end = i + BATCH; i < items && i < end; i++) {
            sqlite3_int64 id = sqlite3_value_int64(
                t[0].vals[i * t[0].ncols + t[0].keycol]);
            for (int k = 0; k < nt; k++)
                put_rows(dst, &t[k], id);
        }
        if (sqlite3_exec(dst, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            die(dst, "commit");
    }
    double secs = now(CLOCK_MONOTONIC) - start;
    cpu = now(CLOCK_PROCESS_CPUTIME_ID) - cpu;
    printf("plain SQLite floor: %ld items (%d tables) in %.1f ms: %.0f "
           "items/s, %.1f us/item (CPU %.1f ms)\n", items, nt, secs * 1e3,
           items / secs, secs * 1e6 / (double)items, cpu * 1e3);
    for (int k = 0; k < nt; k++) {
        sqlite3_finalize(t[k].ins);
        for (long r = 0; r < t[k].nrows * t[k].ncols; r++)
            sqlite3_value_free(t[k].vals[r]);
        free(t[k].vals);
    }
    sqlite3_close(dst);
    return 0;
}
